//! SVG: the map as vector shapes and real `<text>` (selectable, editable in
//! Inkscape or Figma), in "Noto Sans" with "DejaVu Sans" for symbols as on
//! the canvas, one `<tspan>` per line as the canvas wraps it, composed
//! (NFC) so every renderer finds its letters' glyphs. With `embed_fonts`
//! the fonts travel inside the file as `@font-face` data, cut to the glyphs
//! the map uses and carrying the kerning its lines were measured with, so
//! browsers render it right on machines without them. Editors and
//! converters that ignore `@font-face` use an installed font instead; each
//! line's `textLength` fits that font to the width the line was laid out
//! for, where the renderer honours it. With `SvgText::Outlines` every glyph
//! is a path from the bundled fonts instead, drawn the same everywhere.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use super::scene::{Anchor, Group, Paint, Scene, Shape, Stroke, TextBlock};
use super::text::{self, fonts};
use crate::layout::{Rect, style};
use crate::model::Rgb;
use crate::model::text::nfc;

/// How an SVG draws text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SvgText {
    /// Real text, selectable and editable, each line held to its measured
    /// width.
    #[default]
    Text,
    /// Every glyph a path from the bundled fonts: the same in every
    /// renderer, with each line's text kept as the label of its group.
    Outlines,
}

impl SvgText {
    pub fn from_key(key: &str) -> Option<SvgText> {
        match key.trim().to_ascii_lowercase().as_str() {
            "text" => Some(SvgText::Text),
            "outlines" => Some(SvgText::Outlines),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SvgOptions {
    /// Put the fonts in the file as `@font-face` data URIs, subset to the
    /// glyphs the map uses (tens of kilobytes). Outlines need no fonts.
    pub embed_fonts: bool,
    pub text: SvgText,
}

impl Default for SvgOptions {
    fn default() -> Self {
        SvgOptions {
            embed_fonts: true,
            text: SvgText::Text,
        }
    }
}

pub(crate) fn scene_svg(scene: &Scene, title: &str, options: &SvgOptions) -> String {
    let (w, h) = scene.size;
    let mut out = Writer::new(w, h, title, options.text);
    match options.text {
        SvgText::Text if options.embed_fonts => out.fonts(scene),
        SvgText::Text => {}
        SvgText::Outlines => out.glyph_defs(scene),
    }
    out.background(w, h);
    for group in &scene.groups {
        out.group(group);
    }
    out.finish()
}

/// Glyph outlines are drawn in thousandths of an em, whole numbers: short
/// path data, one outline per glyph for every size.
const EM: f32 = 1000.0;

struct Writer {
    s: String,
    /// Outlines mode: the `<defs>` id of each glyph drawn, `None` for a
    /// glyph without ink (a space).
    glyphs: Option<HashMap<text::Glyph, Option<usize>>>,
}

impl Writer {
    fn new(w: f32, h: f32, title: &str, mode: SvgText) -> Writer {
        let mut s = String::with_capacity(1 << 16);
        let _ = write!(
            s,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}""#,
            w = n(w),
            h = n(h),
        );
        match mode {
            SvgText::Text => {
                let families: Vec<String> = text::faces().iter().map(|f| format!("'{}'", f.family)).collect();
                let mut families: Vec<&str> = families.iter().map(String::as_str).collect();
                families.dedup();
                let _ = write!(s, r#" font-family="{}, sans-serif""#, families.join(", "));
            }
            // `xlink:href`, not SVG 2's `href`: older editors know only it.
            SvgText::Outlines => s.push_str(r#" xmlns:xlink="http://www.w3.org/1999/xlink""#),
        }
        let _ = writeln!(s, ">\n<title>{}</title>", escape(&nfc(title)));
        let glyphs = (mode == SvgText::Outlines).then(HashMap::new);
        Writer { s, glyphs }
    }

    /// `<defs>` with the outline of every glyph `scene` draws, from its
    /// pen position on the baseline, in thousandths of an em: lines place
    /// them with `<use>`, scaled to their size.
    fn glyph_defs(&mut self, scene: &Scene) {
        let mut defs = String::new();
        let mut glyphs = HashMap::new();
        let mut count = 0;
        for block in texts(scene) {
            let font = fonts().get(block.bold);
            for line in &block.lines {
                for placed in &font.shape(line).glyphs {
                    glyphs.entry(placed.glyph).or_insert_with(|| {
                        let face = &text::faces()[usize::from(placed.glyph.face)];
                        let mut path = PathData::new(EM / face.units);
                        face.face
                            .outline_glyph(ttf_parser::GlyphId(placed.glyph.id), &mut path)?;
                        let _ = write!(defs, r#"<path id="g{count}" d="{}"/>"#, path.d);
                        count += 1;
                        Some(count - 1)
                    });
                }
            }
        }
        if count > 0 {
            let _ = writeln!(self.s, "<defs>{defs}</defs>");
        }
        self.glyphs = Some(glyphs);
    }

    /// `@font-face` rules with each font cut to the glyphs `scene` shows,
    /// with the kerning the export measured the text with.
    fn fonts(&mut self, scene: &Scene) {
        let count = text::faces().len();
        let mut used: Vec<BTreeSet<u16>> = vec![BTreeSet::new(); count];
        let mut kerning: Vec<BTreeMap<(u16, u16), i16>> = vec![BTreeMap::new(); count];
        for block in texts(scene) {
            let font = fonts().get(block.bold);
            for line in &block.lines {
                let shaped = font.shape(line);
                for placed in &shaped.glyphs {
                    used[usize::from(placed.glyph.face)].insert(placed.glyph.id);
                }
                for (left, right, change) in shaped.kerned_pairs() {
                    kerning[usize::from(left.face)]
                        .entry((left.id, right.id))
                        .or_insert(change);
                }
            }
        }
        self.s.push_str("<style>");
        for ((face, glyphs), kerning) in text::faces().iter().zip(&used).zip(&kerning) {
            if glyphs.is_empty() {
                continue;
            }
            let Some(data) = super::subset::subset_with_kerning(face.data, glyphs, kerning) else {
                continue;
            };
            let weight = if face.bold { "bold" } else { "normal" };
            let _ = write!(
                self.s,
                "@font-face{{font-family:'{}';font-weight:{weight};src:url(data:font/ttf;base64,",
                face.family
            );
            base64(&data, &mut self.s);
            self.s.push_str(") format('truetype');}");
        }
        self.s.push_str("</style>\n");
    }

    fn finish(mut self) -> String {
        self.s.push_str("</svg>\n");
        self.s
    }

    fn background(&mut self, w: f32, h: f32) {
        let _ = writeln!(
            self.s,
            r#"<rect x="0" y="0" width="{}" height="{}" fill="{}"/>"#,
            n(w),
            n(h),
            hex(style::CANVAS)
        );
    }

    fn group(&mut self, group: &Group) {
        if group.shapes.is_empty() {
            return;
        }
        if group.id.is_empty() {
            self.s.push_str("<g>");
        } else {
            let _ = write!(self.s, r#"<g id="{}">"#, escape(&group.id));
        }
        if let Some(title) = &group.title {
            let _ = write!(self.s, "<title>{}</title>", escape(&nfc(title)));
        }
        for shape in &group.shapes {
            self.shape(shape);
        }
        self.s.push_str("</g>\n");
    }

    fn shape(&mut self, shape: &Shape) {
        let s = &mut self.s;
        match shape {
            Shape::Rect {
                rect,
                radii,
                fill,
                stroke,
            } => {
                if radii.iter().all(|r| *r == radii[0]) {
                    let _ = write!(
                        s,
                        r#"<rect x="{}" y="{}" width="{}" height="{}""#,
                        n(rect.min.x),
                        n(rect.min.y),
                        n(rect.width().max(0.0)),
                        n(rect.height().max(0.0))
                    );
                    if radii[0] > 0.0 {
                        let _ = write!(s, r#" rx="{}""#, n(radii[0]));
                    }
                } else {
                    s.push_str(r#"<path d=""#);
                    rounded_path(s, *rect, *radii);
                    s.push('"');
                }
                paint_attrs(s, *fill, *stroke);
                s.push_str("/>");
            }
            Shape::Polyline { points, stroke, dash } => {
                s.push_str(r#"<polyline points=""#);
                for (i, p) in points.iter().enumerate() {
                    let _ = write!(s, "{}{},{}", if i > 0 { " " } else { "" }, n(p.x), n(p.y));
                }
                s.push('"');
                paint_attrs(s, None, Some(*stroke));
                if let Some([on, off]) = dash {
                    let _ = write!(s, r#" stroke-dasharray="{} {}""#, n(*on), n(*off));
                } else {
                    s.push_str(r#" stroke-linecap="round" stroke-linejoin="round""#);
                }
                s.push_str("/>");
            }
            Shape::Circle {
                center,
                radius,
                fill,
                stroke,
            } => {
                let _ = write!(
                    s,
                    r#"<circle cx="{}" cy="{}" r="{}""#,
                    n(center.x),
                    n(center.y),
                    n(*radius)
                );
                paint_attrs(s, Some((*fill).into()), *stroke);
                s.push_str("/>");
            }
            Shape::Curve { curve, stroke } => {
                let [a, b, c, d] = curve.0;
                let _ = write!(
                    s,
                    r#"<path d="M{},{} C{},{} {},{} {},{}""#,
                    n(a.x),
                    n(a.y),
                    n(b.x),
                    n(b.y),
                    n(c.x),
                    n(c.y),
                    n(d.x),
                    n(d.y)
                );
                paint_attrs(s, None, Some(*stroke));
                s.push_str("/>");
            }
            Shape::Polygon { points, fill } => {
                s.push_str(r#"<polygon points=""#);
                for (i, p) in points.iter().enumerate() {
                    let _ = write!(s, "{}{},{}", if i > 0 { " " } else { "" }, n(p.x), n(p.y));
                }
                s.push('"');
                paint_attrs(s, Some((*fill).into()), None);
                s.push_str("/>");
            }
            Shape::Text(block) => self.text(block),
        }
    }

    fn text(&mut self, block: &TextBlock) {
        if self.glyphs.is_some() {
            return self.outlined_text(block);
        }
        let font = fonts().get(block.bold);
        let s = &mut self.s;
        let _ = write!(s, r#"<text font-size="{}" fill="{}""#, n(block.size), hex(block.color));
        if block.bold {
            s.push_str(r#" font-weight="bold""#);
        }
        if block.anchor == Anchor::Middle {
            s.push_str(r#" text-anchor="middle""#);
        }
        s.push('>');
        for (i, line) in block.lines.iter().enumerate() {
            let _ = write!(s, r#"<tspan x="{}" y="{}""#, n(block.x), n(block.baseline(i)));
            // Another font than ours (an editor's, a converter's) is
            // squeezed or stretched to the width the line was laid out for.
            let width = font.shape(line).width * block.size;
            if width > 0.0 {
                let _ = write!(s, r#" textLength="{}" lengthAdjust="spacingAndGlyphs""#, n(width));
            }
            let _ = write!(s, ">{}</tspan>", escape(&nfc(line)));
        }
        s.push_str("</text>");
    }

    /// Each line a group of glyph outlines at their shaped positions, in
    /// the text's colour, labelled with the line's text for screen readers.
    fn outlined_text(&mut self, block: &TextBlock) {
        let Some(glyphs) = &self.glyphs else { return };
        let s = &mut self.s;
        let font = fonts().get(block.bold);
        for (i, line) in block.lines.iter().enumerate() {
            let shaped = font.shape(line);
            let ids: Vec<(usize, &text::Placed)> = shaped
                .glyphs
                .iter()
                .filter_map(|p| glyphs.get(&p.glyph).copied().flatten().map(|id| (id, p)))
                .collect();
            if ids.is_empty() {
                continue;
            }
            let mut left = block.x;
            if block.anchor == Anchor::Middle {
                left -= shaped.width * block.size / 2.0;
            }
            let _ = write!(
                s,
                r#"<g aria-label="{}" fill="{}" transform="translate({},{}) scale({})">"#,
                escape(&nfc(line)),
                hex(block.color),
                n(left),
                n(block.baseline(i)),
                Fine(block.size / EM)
            );
            for (id, placed) in ids {
                let _ = write!(s, r##"<use xlink:href="#g{id}" x="{}""##, (placed.x * EM).round());
                let y = (-placed.y * EM).round();
                if y != 0.0 {
                    let _ = write!(s, r#" y="{y}""#);
                }
                s.push_str("/>");
            }
            s.push_str("</g>");
        }
    }
}

/// Every text block of `scene`.
fn texts(scene: &Scene) -> impl Iterator<Item = &TextBlock> {
    scene
        .groups
        .iter()
        .flat_map(|g| &g.shapes)
        .filter_map(|shape| match shape {
            Shape::Text(block) => Some(block),
            _ => None,
        })
}

/// SVG path data of a glyph outline, from font units (y up) to whole
/// units of `scale` (y down), in relative steps: short numbers.
struct PathData {
    d: String,
    scale: f32,
    /// Where the pen is, and where the open contour started.
    at: (i32, i32),
    start: (i32, i32),
    /// The last command written: a repeat needs no letter.
    command: char,
}

impl PathData {
    fn new(scale: f32) -> PathData {
        PathData {
            d: String::new(),
            scale,
            at: (0, 0),
            start: (0, 0),
            command: ' ',
        }
    }

    fn command(&mut self, c: char) {
        if self.command != c || c == 'm' {
            self.d.push(c);
            self.command = c;
        }
    }

    /// `(x, y)` relative to `from`.
    fn point(&mut self, from: (i32, i32), x: f32, y: f32) -> (i32, i32) {
        let to = ((x * self.scale).round() as i32, (-y * self.scale).round() as i32);
        self.number(to.0 - from.0);
        self.number(to.1 - from.1);
        to
    }

    /// A number, parted from the one before by a space only when its sign
    /// or a command letter does not part it.
    fn number(&mut self, v: i32) {
        if v >= 0 && self.d.ends_with(|c: char| c.is_ascii_digit()) {
            self.d.push(' ');
        }
        let _ = write!(self.d, "{v}");
    }
}

impl ttf_parser::OutlineBuilder for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        self.command('m');
        self.at = self.point(self.at, x, y);
        self.start = self.at;
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.command('l');
        self.at = self.point(self.at, x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.command('q');
        let from = self.at;
        self.point(from, x1, y1);
        self.at = self.point(from, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.command('c');
        let from = self.at;
        self.point(from, x1, y1);
        self.point(from, x2, y2);
        self.at = self.point(from, x, y);
    }
    fn close(&mut self) {
        self.command('z');
        self.at = self.start;
    }
}

fn paint_attrs(s: &mut String, fill: Option<Paint>, stroke: Option<Stroke>) {
    match fill {
        Some(p) => {
            let _ = write!(s, r#" fill="{}""#, hex(p.color));
            if p.opacity < 1.0 {
                let _ = write!(s, r#" fill-opacity="{}""#, n(p.opacity));
            }
        }
        None => s.push_str(r#" fill="none""#),
    }
    if let Some(st) = stroke {
        let _ = write!(s, r#" stroke="{}" stroke-width="{}""#, hex(st.color), n(st.width));
    }
}

/// A rectangle with its own radius per corner (nw, ne, se, sw).
fn rounded_path(s: &mut String, r: Rect, [nw, ne, se, sw]: [f32; 4]) {
    let (x0, y0, x1, y1) = (r.min.x, r.min.y, r.max.x, r.max.y);
    let _ = write!(s, "M{},{} H{}", n(x0 + nw), n(y0), n(x1 - ne));
    if ne > 0.0 {
        let _ = write!(s, " A{0},{0} 0 0 1 {1},{2}", n(ne), n(x1), n(y0 + ne));
    }
    let _ = write!(s, " V{}", n(y1 - se));
    if se > 0.0 {
        let _ = write!(s, " A{0},{0} 0 0 1 {1},{2}", n(se), n(x1 - se), n(y1));
    }
    let _ = write!(s, " H{}", n(x0 + sw));
    if sw > 0.0 {
        let _ = write!(s, " A{0},{0} 0 0 1 {1},{2}", n(sw), n(x0), n(y1 - sw));
    }
    let _ = write!(s, " V{}", n(y0 + nw));
    if nw > 0.0 {
        let _ = write!(s, " A{0},{0} 0 0 1 {1},{2}", n(nw), n(x0 + nw), n(y0));
    }
    s.push('Z');
}

/// A number with at most two decimals, no trailing zeros.
fn n(v: f32) -> Number {
    Number(v)
}

struct Number(f32);

/// A small factor (a scale) to six decimals, no trailing zeros.
struct Fine(f32);

impl std::fmt::Display for Fine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = format!("{:.6}", self.0);
        f.write_str(text.trim_end_matches('0').trim_end_matches('.'))
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = (self.0 * 100.0).round() as i64;
        let (sign, v) = if v < 0 { ("-", -v) } else { ("", v) };
        let (int, frac) = (v / 100, v % 100);
        match frac {
            0 => write!(f, "{sign}{int}"),
            f2 if f2 % 10 == 0 => write!(f, "{sign}{int}.{}", f2 / 10),
            f2 => write!(f, "{sign}{int}.{f2:02}"),
        }
    }
}

fn hex(c: Rgb) -> String {
    c.to_hex()
}

/// Text for XML content and attribute values: markup characters escaped,
/// characters XML forbids dropped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn base64(data: &[u8], out: &mut String) {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    out.reserve(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(v >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(n(1.0).to_string(), "1");
        assert_eq!(n(1.5).to_string(), "1.5");
        assert_eq!(n(-0.125).to_string(), "-0.13");
        assert_eq!(n(12.04).to_string(), "12.04");
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{7}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn glyph_outlines_are_short_relative_steps() {
        use ttf_parser::OutlineBuilder;
        let mut path = PathData::new(0.5);
        path.move_to(0.0, 0.0);
        path.line_to(200.0, 0.0);
        path.line_to(200.0, 200.0);
        path.quad_to(100.0, 300.0, 0.0, 200.0);
        path.close();
        path.move_to(20.0, 20.0);
        path.line_to(40.0, 20.0);
        path.close();
        // y turns down; a repeated command and a sign need no separator.
        assert_eq!(path.d, "m0 0l100 0 0-100q-50-50-100 0zm10-10l10 0z");
    }

    #[test]
    fn base64_matches_the_standard() {
        let mut s = String::new();
        base64(b"Man", &mut s);
        base64(b"Ma", &mut s);
        base64(b"M", &mut s);
        assert_eq!(s, "TWFuTWE=TQ==");
    }
}
