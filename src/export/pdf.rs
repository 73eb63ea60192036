//! PDF for print: A4 or A3 landscape pages, the map cut between touchpoint
//! columns (between stages where one ends late enough on the page), each
//! page with the lane labels and the headers of the stages it shows, scaled
//! so the lanes fill the page height; or one page the size of the map.
//!
//! Pages are written straight from the scene, shape for shape as the SVG
//! and PNG draw it. Text is real text in the bundled fonts, shaped (see
//! `text`) and placed glyph by glyph, embedded once for the whole document
//! as subsets (see `subset`; Type0 / CIDFontType2, Identity-H, glyph ids as
//! CIDs) with a ToUnicode map, so Vietnamese and Polish print, search and
//! copy right, however their marks were typed.

use std::collections::{BTreeMap, BTreeSet};

use pdf_writer::types::{CidFontType, FontFlags, LineCapStyle, LineJoinStyle, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect as PdfRect, Ref, Str, TextStr};
use unicode_normalization::UnicodeNormalization;

use super::scene::{self, Anchor, Group, PathStep, Scene, Shape, Stroke, TextBlock};
use super::text::{self, Placed, Shaped, fonts};
use super::{ExportError, Page};
use crate::layout::{self, Layout, Pos, Rect, style};
use crate::model::text::nfc;
use crate::model::{JourneyMap, Rgb};

/// Landscape page sizes in points.
const A4: (f32, f32) = (841.89, 595.28);
const A3: (f32, f32) = (1190.55, 841.89);
/// A0 landscape, the poster's largest page.
const POSTER: (f32, f32) = (3370.39, 2383.94);
const MARGIN: f32 = 24.0;
/// Room below the map for the page's footer line, in map units.
const FOOTER: f32 = 22.0;
/// The largest page side PDF readers accept, in points.
const MAX_SIDE: f32 = 14_400.0;

/// `scene` on one page: the size of the scene (`Fit`, within what readers
/// accept) or up to A0 (`Poster`).
pub(crate) fn single(map: &JourneyMap, scene: &Scene, page: Page) -> Result<Vec<u8>, ExportError> {
    let mut doc = Doc::new();
    let (w, h) = scene.size;
    let s = if page == Page::Poster {
        // A0 landscape at most, and never blown up past 2×.
        (POSTER.0 / w).min(POSTER.1 / h).min(2.0)
    } else {
        (MAX_SIDE / w.max(h)).min(1.0)
    };
    let mut c = doc.page_content(s, 0.0, h * s);
    background(&mut c, (0.0, 0.0, w, h));
    for group in &scene.groups {
        doc.group(&mut c, group);
    }
    doc.add_page((w * s, h * s), c);
    doc.finish(map)
}

/// A4 or A3 landscape pages: `cover` (title block and legend) first when
/// given, then the map's `scene` cut into pages between columns.
pub(crate) fn pages(
    map: &JourneyMap,
    layout: &Layout,
    scene: &Scene,
    cover: Option<&Scene>,
    page: Page,
) -> Result<Vec<u8>, ExportError> {
    let mut doc = Doc::new();
    match page {
        Page::Fit | Page::Poster => unreachable!("one-page PDFs are written by `single`"),
        Page::A4 | Page::A3 => {
            let (pw, ph) = if page == Page::A4 { A4 } else { A3 };
            if let Some(cover) = cover {
                // As wide as the page, or as tall if it is long.
                let (w, h) = cover.size;
                let s = ((pw - 2.0 * MARGIN) / w).min((ph - 2.0 * MARGIN) / h);
                let mut c = doc.page_content(s, MARGIN, ph - MARGIN);
                background(&mut c, (0.0, 0.0, w, h));
                for group in &cover.groups {
                    doc.group(&mut c, group);
                }
                doc.add_page((pw, ph), c);
            }
            let gutter = gutter(layout);
            let scale = page_scale(pw, ph, scene.size.1, gutter);
            let room = ((pw - 2.0 * MARGIN) / scale - gutter).max(layout::CARD_WIDTH);
            let windows = windows(layout, room);
            // Page numbers count the cover too.
            let first = usize::from(cover.is_some()) + 1;
            let count = windows.len() + first - 1;
            let on_page = groups_per_window(scene, &windows);
            let gutter_groups: Vec<&Group> = scene
                .groups
                .iter()
                .filter(|g| matches!(g.kind, scene::Kind::Lanes | scene::Kind::LaneLabels))
                .collect();
            for (i, window) in windows.into_iter().enumerate() {
                let mut c = doc.page_content(scale, MARGIN, ph - MARGIN);
                let footer = format!("{} · {} / {count}", map.title, i + first);
                let body = on_page[i].iter().map(|&g| &scene.groups[g]);
                let page = Window {
                    x: window,
                    height: scene.size.1,
                    gutter,
                    footer: &footer,
                };
                doc.window(&mut c, map, layout, &page, body, &gutter_groups);
                doc.add_page((pw, ph), c);
            }
        }
    }
    doc.finish(map)
}

/// For each window, the scene's groups it shows (lane labels aside), in
/// scene order. Windows are sorted and meet end to end, so each group is
/// found its pages by a binary search: one pass, not one per page.
fn groups_per_window(scene: &Scene, windows: &[(f32, f32)]) -> Vec<Vec<usize>> {
    let mut on_page = vec![Vec::new(); windows.len()];
    for (g, group) in scene.groups.iter().enumerate() {
        if group.kind == scene::Kind::LaneLabels {
            continue;
        }
        let first = windows.partition_point(|w| w.1 < group.bounds.min.x);
        for (p, &(x0, x1)) in windows.iter().enumerate().skip(first) {
            if x0 > group.bounds.max.x {
                break;
            }
            let view = Rect {
                min: layout::pos(x0, f32::MIN),
                max: layout::pos(x1, f32::MAX),
            };
            if group.bounds.intersects(&view) {
                on_page[p].push(g);
            }
        }
    }
    on_page
}

/// A page of a split map: its window `x.0..x.1` of the map, the scene's
/// height, where the gutter ends, and the footer line.
struct Window<'a> {
    x: (f32, f32),
    height: f32,
    gutter: f32,
    footer: &'a str,
}

/// Windows `x0..x1` (map units) that split the map's columns into pages
/// whose body is at most `room` wide.
pub(crate) fn windows(layout: &Layout, room: f32) -> Vec<(f32, f32)> {
    let gutter = gutter(layout);
    let right = layout.bounds.max.x;
    let mut stage_cuts: Vec<f32> = layout
        .stages
        .iter()
        .skip(1)
        .map(|s| s.column.min.x - layout::STAGE_GAP / 2.0)
        .collect();
    let mut column_cuts: Vec<f32> = layout
        .touchpoints
        .iter()
        .map(|t| t.card.min.x - layout::COLUMN_GAP / 2.0)
        .filter(|&x| x > gutter + 1.0)
        .collect();
    stage_cuts.sort_by(f32::total_cmp);
    column_cuts.sort_by(f32::total_cmp);
    let mut out = Vec::new();
    let mut x0 = gutter;
    while right - x0 > room {
        let limit = x0 + room;
        // The last cut at or before the limit (cuts are sorted): a binary
        // search, so splitting stays linear in the map's size.
        let best = |cuts: &[f32]| {
            let at = cuts.partition_point(|&c| c <= limit);
            at.checked_sub(1).map(|i| cuts[i]).filter(|&c| c > x0 + 1.0)
        };
        let cut = match (best(&stage_cuts), best(&column_cuts)) {
            (Some(s), _) if s >= x0 + room * 0.6 => s,
            (Some(s), Some(c)) => s.max(c),
            (s, c) => s.or(c).unwrap_or(limit),
        };
        out.push((x0, cut));
        x0 = cut;
    }
    out.push((x0, right.max(x0 + 1.0)));
    out
}

/// Points per map unit on a `pw` × `ph` page: the lanes fill the page's
/// height, unless a little smaller (at most 5 %) fits one more whole
/// column on the page instead of leaving most of one's width blank.
pub(crate) fn page_scale(pw: f32, ph: f32, map_height: f32, gutter: f32) -> f32 {
    let by_height = (ph - 2.0 * MARGIN) / (map_height + FOOTER);
    let column = layout::CARD_WIDTH + layout::COLUMN_GAP;
    let room = (pw - 2.0 * MARGIN) / by_height - gutter;
    let columns = (room / column).floor().max(1.0);
    let one_more = (pw - 2.0 * MARGIN) / (gutter + (columns + 1.0) * column + layout::STAGE_GAP);
    if one_more >= by_height * 0.95 {
        one_more
    } else {
        by_height
    }
}

/// Where the lane labels end and the stages begin.
fn gutter(layout: &Layout) -> f32 {
    layout
        .stages
        .first()
        .map_or(layout::LANE_LABEL_WIDTH + 16.0, |s| s.column.min.x)
}

fn background(c: &mut Content, (x, y, w, h): (f32, f32, f32, f32)) {
    fill_color(c, style::CANVAS);
    c.rect(x, y, w, h);
    c.fill_nonzero();
}

fn fill_color(c: &mut Content, color: Rgb) {
    let f = |v: u8| f32::from(v) / 255.0;
    c.set_fill_rgb(f(color.0), f(color.1), f(color.2));
}

fn stroke_color(c: &mut Content, color: Rgb) {
    let f = |v: u8| f32::from(v) / 255.0;
    c.set_stroke_rgb(f(color.0), f(color.1), f(color.2));
}

/// One of the bundled font files (`text::faces`) as used in the document.
struct FontUse {
    type0: Ref,
    /// Glyph ids drawn.
    used: BTreeSet<u16>,
    /// Glyph id to the text it shows.
    unicode: BTreeMap<u16, String>,
}

struct Doc {
    pdf: Pdf,
    alloc: Ref,
    catalog: Ref,
    tree: Ref,
    pages: Vec<Ref>,
    fonts: [FontUse; 3],
    /// Fill opacity (in 255ths) to its graphics state object.
    alphas: BTreeMap<u8, Ref>,
}

const FONT_NAMES: [Name<'static>; 3] = [Name(b"F0"), Name(b"F1"), Name(b"F2")];

impl Doc {
    fn new() -> Doc {
        let mut alloc = Ref::new(1);
        let catalog = alloc.bump();
        let tree = alloc.bump();
        let fonts = [(); 3].map(|()| FontUse {
            type0: alloc.bump(),
            used: BTreeSet::new(),
            unicode: BTreeMap::new(),
        });
        Doc {
            pdf: Pdf::new(),
            alloc,
            catalog,
            tree,
            pages: Vec::new(),
            fonts,
            alphas: BTreeMap::new(),
        }
    }

    /// A content stream whose user space is map units, y down, `scale`
    /// points each, the map's top left at `(x, y)` points from the page's
    /// bottom left.
    fn page_content(&self, scale: f32, x: f32, y: f32) -> Content {
        let mut c = Content::new();
        c.transform([scale, 0.0, 0.0, -scale, x, y]);
        c
    }

    fn add_page(&mut self, size: (f32, f32), content: Content) {
        let page_id = self.alloc.bump();
        let content_id = self.alloc.bump();
        self.pages.push(page_id);
        let mut page = self.pdf.page(page_id);
        page.media_box(PdfRect::new(0.0, 0.0, size.0, size.1));
        page.parent(self.tree);
        page.contents(content_id);
        let mut resources = page.resources();
        let mut font_dict = resources.fonts();
        for (name, font) in FONT_NAMES.iter().zip(&self.fonts) {
            font_dict.pair(*name, font.type0);
        }
        font_dict.finish();
        let mut states = resources.ext_g_states();
        for (alpha, id) in &self.alphas {
            states.pair(Name(format!("A{alpha}").as_bytes()), *id);
        }
        states.finish();
        resources.finish();
        page.finish();
        let raw = content.finish();
        let level = if raw.len() > 1 << 20 { 1 } else { 6 };
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&raw, level);
        self.pdf.stream(content_id, &packed).filter(Filter::FlateDecode);
    }

    /// A window of a split map: the body after the gutter (`body`, the
    /// groups on this page), the gutter's lane bands and labels, and the
    /// footer.
    fn window<'g>(
        &mut self,
        c: &mut Content,
        map: &JourneyMap,
        layout: &Layout,
        page: &Window,
        body: impl Iterator<Item = &'g Group>,
        gutter_groups: &[&Group],
    ) {
        let (x0, x1) = page.x;
        let (h, gutter) = (page.height, page.gutter);
        background(c, (0.0, 0.0, gutter + (x1 - x0), h));
        c.save_state();
        c.rect(gutter, 0.0, x1 - x0, h);
        c.clip_nonzero();
        c.end_path();
        c.transform([1.0, 0.0, 0.0, 1.0, gutter - x0, 0.0]);
        for group in body {
            match group.kind {
                // A stage cut by the page's left edge repeats its header.
                scene::Kind::Stage(i) if layout.stages[i].header.min.x < x0 => {
                    if let Some(g) = scene::stage_group(map, &layout.stages[i], i, x0) {
                        self.group(c, &g);
                    }
                }
                _ => self.group(c, group),
            }
        }
        c.restore_state();
        c.save_state();
        c.rect(0.0, 0.0, gutter, h);
        c.clip_nonzero();
        c.end_path();
        for group in gutter_groups {
            self.group(c, group);
        }
        c.restore_state();
        self.text(
            c,
            &TextBlock {
                x: 16.0,
                top: h,
                lines: vec![page.footer.to_owned()],
                size: 10.0,
                bold: false,
                color: style::MUTED,
                anchor: Anchor::Start,
            },
        );
    }

    fn group(&mut self, c: &mut Content, group: &Group) {
        for shape in &group.shapes {
            self.shape(c, shape);
        }
    }

    fn alpha(&mut self, c: &mut Content, opacity: f32) -> bool {
        let a = (opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
        if a == 255 {
            return false;
        }
        if !self.alphas.contains_key(&a) {
            let id = self.alloc.bump();
            self.pdf.ext_graphics(id).non_stroking_alpha(f32::from(a) / 255.0);
            self.alphas.insert(a, id);
        }
        c.save_state();
        c.set_parameters(Name(format!("A{a}").as_bytes()));
        true
    }

    fn shape(&mut self, c: &mut Content, shape: &Shape) {
        match shape {
            Shape::Rect {
                rect,
                radii,
                fill,
                stroke,
            } => {
                if rect.width() <= 0.0 || rect.height() <= 0.0 {
                    return;
                }
                let saved = fill.is_some_and(|f| self.alpha(c, f.opacity));
                if let Some(f) = fill {
                    fill_color(c, f.color);
                }
                set_stroke(c, *stroke);
                rounded_rect(c, *rect, *radii);
                match (fill, stroke) {
                    (Some(_), Some(_)) => c.fill_nonzero_and_stroke(),
                    (Some(_), None) => c.fill_nonzero(),
                    (None, Some(_)) => c.stroke(),
                    (None, None) => c.end_path(),
                };
                if saved {
                    c.restore_state();
                }
            }
            Shape::Polyline { points, stroke, dash } => {
                set_stroke(c, Some(*stroke));
                if let Some([on, off]) = dash {
                    c.set_line_cap(LineCapStyle::ButtCap);
                    c.set_dash_pattern([*on, *off], 0.0);
                }
                for (i, p) in points.iter().enumerate() {
                    if i == 0 {
                        c.move_to(p.x, p.y);
                    } else {
                        c.line_to(p.x, p.y);
                    }
                }
                c.stroke();
                if dash.is_some() {
                    c.set_dash_pattern([], 0.0);
                    c.set_line_cap(LineCapStyle::RoundCap);
                }
            }
            Shape::Circle {
                center,
                radius,
                fill,
                stroke,
            } => {
                fill_color(c, *fill);
                set_stroke(c, *stroke);
                circle(c, *center, *radius);
                if stroke.is_some() {
                    c.fill_nonzero_and_stroke();
                } else {
                    c.fill_nonzero();
                }
            }
            Shape::Curve { curve, stroke } => {
                set_stroke(c, Some(*stroke));
                let [a, b, cc, d] = curve.0;
                c.move_to(a.x, a.y);
                c.cubic_to(b.x, b.y, cc.x, cc.y, d.x, d.y);
                c.stroke();
            }
            Shape::Polygon { points, fill } => {
                fill_color(c, *fill);
                for (i, p) in points.iter().enumerate() {
                    if i == 0 {
                        c.move_to(p.x, p.y);
                    } else {
                        c.line_to(p.x, p.y);
                    }
                }
                c.close_path();
                c.fill_nonzero();
            }
            Shape::Text(block) => self.text(c, block),
        }
    }

    fn text(&mut self, c: &mut Content, block: &TextBlock) {
        let font = fonts().get(block.bold);
        fill_color(c, block.color);
        c.begin_text();
        for (i, line) in block.lines.iter().enumerate() {
            let shaped = font.shape(line);
            let mut x = block.x;
            if block.anchor == Anchor::Middle {
                x -= shaped.width * block.size / 2.0;
            }
            // The content is flipped (y down); the text matrix flips glyphs back.
            c.set_text_matrix([1.0, 0.0, 0.0, -1.0, x, block.baseline(i)]);
            self.note_glyphs(line, &shaped);
            show(c, line, &shaped, block.size);
        }
        c.end_text();
    }

    /// Notes the glyphs a line uses, for the fonts' subsets, and the text
    /// each shows, for their ToUnicode maps. One map serves the whole
    /// document, so a glyph gives back the character it is the glyph of
    /// wherever it can: a composed letter (drawn from decomposed text too),
    /// a letter or a mark; only a glyph of no character of its own (a
    /// ligature) gives back its cluster's text. Letters drawn with separate
    /// marks are copied whole through `show`'s `ActualText`.
    fn note_glyphs(&mut self, line: &str, shaped: &Shaped) {
        for cluster in shaped.glyphs.chunk_by(|a, b| a.text == b.text) {
            let written = &line[cluster[0].text.clone()];
            let composed = nfc(written);
            for placed in cluster {
                let use_ = &mut self.fonts[usize::from(placed.glyph.face)];
                use_.used.insert(placed.glyph.id);
                if use_.unicode.contains_key(&placed.glyph.id) {
                    continue;
                }
                let face = &text::faces()[usize::from(placed.glyph.face)];
                let own = composed
                    .chars()
                    .chain(written.nfd())
                    .find(|&c| face.glyph_of(c) == Some(placed.glyph.id));
                let shows = match own {
                    Some(c) => c.to_string(),
                    None if cluster.len() == 1 => composed.to_string(),
                    None => continue,
                };
                use_.unicode.insert(placed.glyph.id, shows);
            }
        }
    }

    fn finish(mut self, map: &JourneyMap) -> Result<Vec<u8>, ExportError> {
        for i in 0..self.fonts.len() {
            self.write_font(i)?;
        }
        self.pdf.catalog(self.catalog).pages(self.tree);
        let count = self.pages.len() as i32;
        self.pdf.pages(self.tree).kids(self.pages.iter().copied()).count(count);
        self.pdf
            .document_info(self.alloc.bump())
            .title(TextStr(&map.title))
            .creator(TextStr("Journeymap"));
        Ok(self.pdf.finish())
    }

    fn write_font(&mut self, index: usize) -> Result<(), ExportError> {
        const SYSTEM_INFO: SystemInfo = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        let use_ = &self.fonts[index];
        let file = &text::faces()[index];
        let face = &file.face;
        let data = file.data;
        let postscript = file.postscript;
        let units = file.units;
        let to_pdf = |v: f32| v / units * 1000.0;

        let cid_ref = self.alloc.bump();
        let descriptor_ref = self.alloc.bump();
        let cmap_ref = self.alloc.bump();
        let data_ref = self.alloc.bump();

        // A subset tag from the glyphs used, as PDF wants for subsets.
        let mut hash: u32 = 2_166_136_261;
        for &g in &use_.used {
            hash = (hash ^ u32::from(g)).wrapping_mul(16_777_619);
        }
        let tag: String = (0..6)
            .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
            .collect();
        let base_font = format!("{tag}+{postscript}");

        self.pdf
            .type0_font(use_.type0)
            .base_font(Name(base_font.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

        let mut cid = self.pdf.cid_font(cid_ref);
        cid.subtype(CidFontType::Type2);
        cid.base_font(Name(base_font.as_bytes()));
        cid.system_info(SYSTEM_INFO);
        cid.font_descriptor(descriptor_ref);
        cid.default_width(0.0);
        cid.cid_to_gid_map_predefined(Name(b"Identity"));
        {
            // Runs of consecutive glyph ids, each with its widths.
            let mut widths = cid.widths();
            let ids: Vec<u16> = use_.used.iter().copied().collect();
            for run in ids.chunk_by(|a, b| b.checked_sub(*a) == Some(1)) {
                let advance = |g: u16| to_pdf(f32::from(face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0)));
                widths.consecutive(run[0], run.iter().map(|&g| advance(g)));
            }
        }
        cid.finish();

        let bbox = face.global_bounding_box();
        let mut flags = FontFlags::empty();
        flags.insert(FontFlags::SYMBOLIC);
        let ascent = to_pdf(f32::from(face.ascender()));
        let cap = face.capital_height().map_or(ascent, |h| to_pdf(f32::from(h)));
        self.pdf
            .font_descriptor(descriptor_ref)
            .name(Name(base_font.as_bytes()))
            .flags(flags)
            .bbox(PdfRect::new(
                to_pdf(f32::from(bbox.x_min)),
                to_pdf(f32::from(bbox.y_min)),
                to_pdf(f32::from(bbox.x_max)),
                to_pdf(f32::from(bbox.y_max)),
            ))
            .italic_angle(0.0)
            .ascent(ascent)
            .descent(to_pdf(f32::from(face.descender())))
            .cap_height(cap)
            .stem_v(if file.bold { 140.0 } else { 80.0 })
            .font_file2(data_ref);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
        for (&gid, text) in &use_.unicode {
            cmap.pair_with_multiple(gid, text.chars());
        }
        self.pdf.cmap(cmap_ref, &cmap.finish());

        let subset = super::subset::subset(data, &use_.used)
            .ok_or_else(|| ExportError::Render(format!("cannot subset the font {postscript}")))?;
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&subset, 6);
        self.pdf
            .stream(data_ref, &packed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), subset.len() as i32);
        Ok(())
    }
}

/// Shows shaped `line` from the start of the line: runs of glyphs of one
/// face at one height, each a `TJ` whose adjustments move glyphs from where
/// the fonts' own advances put them to where shaping placed them (kerning,
/// marks over their letters); marks above or below ride on the text rise.
fn show(c: &mut Content, line: &str, shaped: &Shaped, size: f32) {
    let mut run = Run::default();
    // The font and rise set so far.
    let mut set: (Option<u8>, f32) = (None, 0.0);
    for cluster in shaped.glyphs.chunk_by(|a, b| a.text == b.text) {
        if let [only] = cluster {
            run.push(c, &mut set, size, only);
            continue;
        }
        // A letter drawn with separate mark glyphs: readers copy it whole
        // from the letter's glyph, marked with the cluster's text, and
        // nothing from the marks, marked with none. (Marking them all with
        // the text would end it where the last mark ends, before the
        // letter's end, and readers would see a space after it.)
        let letter = cluster.iter().position(|g| g.advance > 0.0).unwrap_or(0);
        let text = nfc(&line[cluster[0].text.clone()]);
        for (actual, glyphs) in [
            (&*text, &cluster[letter..=letter]),
            ("", &cluster[..letter]),
            ("", &cluster[letter + 1..]),
        ] {
            if glyphs.is_empty() {
                continue;
            }
            run.flush(c, &mut set, size);
            c.begin_marked_content_with_properties(Name(b"Span"))
                .properties()
                .actual_text(TextStr(actual));
            for placed in glyphs {
                run.push(c, &mut set, size, placed);
            }
            run.flush(c, &mut set, size);
            c.end_marked_content();
        }
    }
    run.flush(c, &mut set, size);
    if set.1 != 0.0 {
        c.set_rise(0.0);
    }
}

/// Glyphs waiting to be shown in one `TJ`.
#[derive(Default)]
struct Run {
    face: u8,
    rise: f32,
    /// Where the PDF's pen is, in ems from the line's start.
    pen: f32,
    items: Vec<Item>,
    /// Glyph ids (two bytes each) after the last item.
    bytes: Vec<u8>,
}

enum Item {
    Glyphs(Vec<u8>),
    /// A move back, in thousandths of an em.
    Adjust(f32),
}

impl Run {
    /// Adds a glyph, showing what came before first if it is in another
    /// face or at another height.
    fn push(&mut self, c: &mut Content, set: &mut (Option<u8>, f32), size: f32, placed: &Placed) {
        let (face, rise) = (placed.glyph.face, placed.y * size);
        if self.face != face || self.rise != rise {
            self.flush(c, set, size);
            (self.face, self.rise) = (face, rise);
        }
        let gap = placed.x - self.pen;
        if gap.abs() > 1e-4 {
            self.adjust(-gap * 1000.0);
        }
        self.bytes.extend_from_slice(&placed.glyph.id.to_be_bytes());
        let file = &text::faces()[usize::from(face)];
        let advance = file
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(placed.glyph.id))
            .unwrap_or(0);
        self.pen = placed.x + f32::from(advance) / file.units;
    }

    fn adjust(&mut self, amount: f32) {
        if !self.bytes.is_empty() {
            self.items.push(Item::Glyphs(std::mem::take(&mut self.bytes)));
        }
        self.items.push(Item::Adjust(amount));
    }

    fn flush(&mut self, c: &mut Content, set: &mut (Option<u8>, f32), size: f32) {
        if !self.bytes.is_empty() {
            self.items.push(Item::Glyphs(std::mem::take(&mut self.bytes)));
        }
        if self.items.is_empty() {
            return;
        }
        if set.0 != Some(self.face) {
            c.set_font(FONT_NAMES[usize::from(self.face)], size);
            set.0 = Some(self.face);
        }
        if set.1 != self.rise {
            c.set_rise(self.rise);
            set.1 = self.rise;
        }
        let mut tj = c.show_positioned();
        let mut items = tj.items();
        for item in self.items.drain(..) {
            match item {
                Item::Glyphs(glyphs) => items.show(Str(&glyphs)),
                Item::Adjust(amount) => items.adjust(amount),
            };
        }
    }
}

fn set_stroke(c: &mut Content, stroke: Option<Stroke>) {
    if let Some(s) = stroke {
        stroke_color(c, s.color);
        c.set_line_width(s.width);
        c.set_line_cap(LineCapStyle::RoundCap);
        c.set_line_join(LineJoinStyle::RoundJoin);
    }
}

fn rounded_rect(c: &mut Content, r: Rect, radii: [f32; 4]) {
    let (x0, y0, x1, y1) = (r.min.x, r.min.y, r.max.x, r.max.y);
    let Some(steps) = scene::rounded_rect_path(x0, y0, x1, y1, radii) else {
        c.rect(x0, y0, x1 - x0, y1 - y0);
        return;
    };
    for step in steps {
        match step {
            PathStep::Move(x, y) => c.move_to(x, y),
            PathStep::Line(x, y) => c.line_to(x, y),
            PathStep::Cubic([a, b, x, y, ex, ey]) => c.cubic_to(a, b, x, y, ex, ey),
            PathStep::Close => c.close_path(),
        };
    }
}

fn circle(c: &mut Content, p: Pos, r: f32) {
    let k = r * scene::ARC_K;
    c.move_to(p.x + r, p.y);
    c.cubic_to(p.x + r, p.y + k, p.x + k, p.y + r, p.x, p.y + r);
    c.cubic_to(p.x - k, p.y + r, p.x - r, p.y + k, p.x - r, p.y);
    c.cubic_to(p.x - r, p.y - k, p.x - k, p.y - r, p.x, p.y - r);
    c.cubic_to(p.x + k, p.y - r, p.x + r, p.y - k, p.x + r, p.y);
    c.close_path();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_the_map_between_columns() {
        let map = crate::export::bench_map::full_map(60, 0, 1);
        let l = layout::layout(&map, &layout::Options::default());
        let w = windows(&l, 1000.0);
        assert!(w.len() > 5);
        assert_eq!(w[0].0, gutter(&l));
        assert_eq!(w.last().unwrap().1, l.bounds.max.x);
        for pair in w.windows(2) {
            assert_eq!(pair[0].1, pair[1].0);
        }
        for &(a, b) in &w {
            assert!(b - a <= 1000.0 + 0.01);
            // No card is cut.
            for t in &l.touchpoints {
                assert!(
                    t.card.max.x <= a || t.card.min.x >= a,
                    "cut at {a} through {:?}",
                    t.card
                );
            }
        }
    }
}
