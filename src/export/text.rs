//! The bundled fonts and what the exporters need of them: text shaped into
//! glyphs (kerning, marks placed on their letters, a letter and its marks
//! composed into one glyph where the font has it) the way the canvas shapes
//! it, with the shaper egui uses; widths from that shaping to wrap text into
//! lines as the canvas does; line metrics to place those lines. As on the
//! canvas (`ui::fonts`), Noto Sans comes first and DejaVu Sans draws what it
//! lacks (arrows, the channel icons, symbols typed into notes), chosen per
//! letter with its marks, never between them. Every export uses only these
//! fonts, never the system's, so output is the same on every machine.

use std::cell::Cell;
use std::ops::Range;
use std::sync::{Arc, LazyLock, RwLock};

use harfrust::{BufferFlags, ShapeOptions, ShapePlan, ShapePlanKey, ShaperData, UnicodeBuffer};
use skrifa::charmap::Charmap;
use skrifa::{FontRef, MetadataProvider};
use unicode_segmentation::UnicodeSegmentation;

pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
pub const SYMBOLS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The family name of the main fonts.
pub const FAMILY: &str = "Noto Sans";

/// One font file.
pub struct Face {
    pub(crate) face: ttf_parser::Face<'static>,
    font: FontRef<'static>,
    charmap: Charmap<'static>,
    shaper: ShaperData,
    /// Shaping plans made so far, one per script met.
    plans: RwLock<Vec<Arc<ShapePlan>>>,
    pub data: &'static [u8],
    /// Font units per em.
    pub units: f32,
    pub family: &'static str,
    pub postscript: &'static str,
    pub bold: bool,
}

impl Face {
    /// The glyph the font's character map gives `c`, if any.
    pub fn glyph_of(&self, c: char) -> Option<u16> {
        self.charmap
            .map(c)
            .and_then(|g| u16::try_from(g.to_u32()).ok())
            .filter(|&g| g != 0)
    }

    /// Shapes `text`, all in this face, adding its glyphs to `out` with the
    /// pen starting at `pen` ems and clusters offset by `offset` bytes;
    /// returns where the pen ends. `whole` says whether `text` starts and
    /// ends the line. Glyphs the font lacks (`.notdef`) are left out.
    fn shape_into(
        &self,
        index: u8,
        text: &str,
        offset: usize,
        whole: (bool, bool),
        pen: f32,
        out: &mut Vec<Placed>,
    ) -> f32 {
        thread_local! {
            // Reused between calls: shaping is done by the ten thousand.
            static BUFFER: Cell<Option<UnicodeBuffer>> = const { Cell::new(None) };
        }
        let mut buffer = BUFFER.take().unwrap_or_default();
        let mut flags = BufferFlags::empty();
        if whole.0 {
            flags |= BufferFlags::BEGINNING_OF_TEXT;
        }
        if whole.1 {
            flags |= BufferFlags::END_OF_TEXT;
        }
        buffer.set_flags(flags);
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let plan = self.plan(buffer.script(), buffer.direction());
        let shaper = self.shaper.shaper(&self.font).build();
        let glyphs = shaper.shape(buffer, ShapeOptions::new().plan(Some(&plan)));
        // A cluster's text runs to the next cluster's start (glyphs come in
        // visual order, so clusters need not ascend).
        let mut starts: Vec<u32> = glyphs.glyph_infos().iter().map(|g| g.cluster).collect();
        starts.sort_unstable();
        starts.dedup();
        let end_of = |start: u32| {
            let next = starts.partition_point(|&s| s <= start);
            starts.get(next).map_or(text.len(), |&s| s as usize)
        };
        let mut pen = pen;
        for (info, pos) in glyphs.glyph_infos().iter().zip(glyphs.glyph_positions()) {
            let id = u16::try_from(info.glyph_id).unwrap_or(0);
            if id == 0 {
                continue;
            }
            let advance = pos.x_advance as f32 / self.units;
            out.push(Placed {
                glyph: Glyph { face: index, id },
                x: pen + pos.x_offset as f32 / self.units,
                y: pos.y_offset as f32 / self.units,
                advance,
                text: offset + info.cluster as usize..offset + end_of(info.cluster),
            });
            pen += advance;
        }
        BUFFER.set(Some(glyphs.clear()));
        pen
    }

    /// The shaping plan for text of `script` and `direction`, made once.
    fn plan(&self, script: harfrust::Script, direction: harfrust::Direction) -> Arc<ShapePlan> {
        let script = Some(script).filter(|s| *s != harfrust::script::UNKNOWN);
        let key = ShapePlanKey::new(script, direction);
        let known = |plans: &[Arc<ShapePlan>]| plans.iter().find(|p| key.matches(p)).cloned();
        if let Some(plan) = known(&self.plans.read().unwrap_or_else(|e| e.into_inner())) {
            return plan;
        }
        let mut plans = self.plans.write().unwrap_or_else(|e| e.into_inner());
        if let Some(plan) = known(&plans) {
            return plan;
        }
        let shaper = self.shaper.shaper(&self.font).build();
        let plan = Arc::new(ShapePlan::new(&shaper, direction, script, None, &[]));
        plans.push(plan.clone());
        plan
    }
}

/// The faces, by index: Noto Sans regular and bold, DejaVu Sans.
pub fn faces() -> &'static [Face; 3] {
    static FACES: LazyLock<[Face; 3]> = LazyLock::new(|| {
        let face = |data: &'static [u8], family, postscript, bold| {
            let face = ttf_parser::Face::parse(data, 0).expect("a bundled font parses");
            let font = FontRef::new(data).expect("a bundled font parses");
            Face {
                units: f32::from(face.units_per_em()),
                face,
                charmap: font.charmap(),
                shaper: ShaperData::new(&font),
                plans: RwLock::new(Vec::new()),
                font,
                data,
                family,
                postscript,
                bold,
            }
        };
        [
            face(REGULAR, FAMILY, "NotoSans-Regular", false),
            face(BOLD, FAMILY, "NotoSans-Bold", true),
            face(SYMBOLS, "DejaVu Sans", "DejaVuSans", false),
        ]
    });
    &FACES
}

const FALLBACK_FACE: u8 = 2;

/// A glyph: its face and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Glyph {
    pub face: u8,
    pub id: u16,
}

/// A glyph placed on a line by the shaper.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub glyph: Glyph,
    /// Where its origin is from the line's start on the baseline, in ems:
    /// `x` to the right, `y` up (marks sit above or below their letter).
    pub x: f32,
    pub y: f32,
    /// How far it moves the pen, in ems (0 for a mark).
    pub advance: f32,
    /// The text it draws, bytes of the shaped text: the whole cluster (a
    /// letter with its marks, a ligature's letters), the same for every
    /// glyph of the cluster.
    pub text: Range<usize>,
}

/// A line of text shaped into glyphs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shaped {
    pub glyphs: Vec<Placed>,
    /// Where the pen ends, in ems: the line's width.
    pub width: f32,
}

impl Shaped {
    /// Neighbouring glyphs of one face that shaping kerned: the left glyph,
    /// the right one, and how much the left one's advance changed from the
    /// font's own, in font units.
    pub fn kerned_pairs(&self) -> impl Iterator<Item = (Glyph, Glyph, i16)> + '_ {
        self.glyphs.windows(2).filter_map(|pair| {
            let (left, right) = (&pair[0], &pair[1]);
            if left.glyph.face != right.glyph.face {
                return None;
            }
            let face = &faces()[usize::from(left.glyph.face)];
            let own = face.face.glyph_hor_advance(ttf_parser::GlyphId(left.glyph.id))?;
            let change = (left.advance * face.units).round() as i32 - i32::from(own);
            let change = i16::try_from(change).ok().filter(|&c| c != 0)?;
            Some((left.glyph, right.glyph, change))
        })
    }
}

/// Which faces have the characters below this is looked up once, into a table.
const TABLE: usize = 0x2200;
const IN_MAIN: u8 = 1;
const IN_FALLBACK: u8 = 2;

/// Regular or bold text: a main face and the fallback.
pub struct Font {
    main: u8,
    /// Per character below `TABLE`: `IN_MAIN` and `IN_FALLBACK` bits.
    table: Vec<u8>,
    /// Width of `…` in ems.
    ellipsis: f32,
    /// Baseline below the top of a line, in ems.
    pub ascent: f32,
    /// Below the baseline, in ems (positive).
    pub descent: f32,
    /// Distance between baselines, in ems.
    pub line_height: f32,
}

impl Font {
    fn load(main: u8) -> Font {
        let face = &faces()[usize::from(main)];
        let units = face.units;
        let ascent = f32::from(face.face.ascender()) / units;
        let descent = -f32::from(face.face.descender()) / units;
        let line_height = ascent + descent + f32::from(face.face.line_gap()) / units;
        let mut font = Font {
            main,
            table: Vec::new(),
            ellipsis: 0.0,
            ascent,
            descent,
            line_height,
        };
        font.table = (0..TABLE as u32)
            .map(|c| char::from_u32(c).map_or(0, |c| font.lookup(c)))
            .collect();
        font.ellipsis = font.shape("…").width;
        font
    }

    fn lookup(&self, c: char) -> u8 {
        let has = |face: u8| faces()[usize::from(face)].glyph_of(c).is_some();
        let mut bits = 0;
        if has(self.main) {
            bits |= IN_MAIN;
        }
        if has(FALLBACK_FACE) {
            bits |= IN_FALLBACK;
        }
        bits
    }

    /// Which faces have `c`: `IN_MAIN` and `IN_FALLBACK` bits.
    fn faces_of(&self, c: char) -> u8 {
        match self.table.get(c as usize) {
            Some(&bits) => bits,
            None => self.lookup(c),
        }
    }

    /// The glyph `c` has on its own, from the main face or the fallback.
    pub fn glyph(&self, c: char) -> Option<Glyph> {
        [self.main, FALLBACK_FACE].into_iter().find_map(|face| {
            let id = faces()[usize::from(face)].glyph_of(c)?;
            Some(Glyph { face, id })
        })
    }

    /// Whether the main font (not the fallback) has `c`.
    pub fn has(&self, c: char) -> bool {
        self.faces_of(c) & IN_MAIN != 0
    }

    /// The face that draws a grapheme cluster: the first that has all of
    /// it, else the first that has its letter; `None` when no face has its
    /// letter (it is left out).
    fn face_for(&self, cluster: &str) -> Option<u8> {
        let all = cluster
            .chars()
            .fold(IN_MAIN | IN_FALLBACK, |bits, c| bits & self.faces_of(c));
        let bits = if all != 0 {
            all
        } else {
            self.faces_of(cluster.chars().next()?)
        };
        if bits & IN_MAIN != 0 {
            Some(self.main)
        } else if bits & IN_FALLBACK != 0 {
            Some(FALLBACK_FACE)
        } else {
            None
        }
    }

    /// `text` (one line) shaped: runs of grapheme clusters sharing a face,
    /// each shaped in it, one after another. An export shapes each text
    /// several times (fitting, wrapping, writing), so results are kept per
    /// thread, in ems, for any size.
    pub fn shape(&self, text: &str) -> Shaped {
        thread_local! {
            static SHAPED: std::cell::RefCell<std::collections::HashMap<(usize, String), Shaped>> =
                std::cell::RefCell::new(std::collections::HashMap::new());
        }
        /// Enough for the texts of a large map; past it the cache starts over.
        const KEEP: usize = 200_000;
        let key = (self as *const Font as usize, text.to_owned());
        if let Some(hit) = SHAPED.with(|c| c.borrow().get(&key).cloned()) {
            return hit;
        }
        let shaped = self.shape_uncached(text);
        SHAPED.with(|c| {
            let mut cache = c.borrow_mut();
            if cache.len() >= KEEP {
                cache.clear();
            }
            cache.insert(key, shaped.clone());
        });
        shaped
    }

    fn shape_uncached(&self, text: &str) -> Shaped {
        let mut out = Shaped::default();
        let mut run: Option<(u8, usize)> = None;
        let mut pen = 0.0;
        let mut flush = |run: Option<(u8, usize)>, end: usize, out: &mut Shaped| {
            if let Some((face, start)) = run {
                let whole = (start == 0, end == text.len());
                pen =
                    faces()[usize::from(face)].shape_into(face, &text[start..end], start, whole, pen, &mut out.glyphs);
            }
        };
        let mut step = |at: usize, cluster: &str, out: &mut Shaped| {
            let face = self.face_for(cluster);
            if run.map(|r| r.0) != face {
                flush(run, at, out);
                run = face.map(|f| (f, at));
            }
        };
        for_each_cluster(text, |at, cluster| step(at, cluster, &mut out));
        flush(run, text.len(), &mut out);
        out.width = pen;
        out
    }

    /// Width of `text` (one line) at `size` points, as shaped.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text).width * size
    }

    /// The grapheme clusters of `text` (one line), each with its share of
    /// the shaped width in ems: its glyphs' advances, kerning included.
    fn clusters<'t>(&self, text: &'t str) -> Vec<(&'t str, f32)> {
        let mut clusters: Vec<(usize, &str, f32)> = Vec::with_capacity(text.len());
        for_each_cluster(text, |at, cluster| clusters.push((at, cluster, 0.0)));
        for glyph in self.shape(text).glyphs {
            let i = clusters.partition_point(|c| c.0 <= glyph.text.start).saturating_sub(1);
            if let Some(cluster) = clusters.get_mut(i) {
                cluster.2 += glyph.advance;
            }
        }
        clusters.into_iter().map(|(_, g, w)| (g, w)).collect()
    }

    /// `text` cut to `max_width` with an ellipsis if it is wider, between
    /// grapheme clusters (a letter keeps its marks).
    pub fn ellipsize(&self, text: &str, size: f32, max_width: f32) -> String {
        let clusters = self.clusters(text);
        if clusters.iter().map(|c| c.1).sum::<f32>() * size <= max_width {
            return text.to_owned();
        }
        let room = max_width - self.ellipsis * size;
        let mut width = 0.0;
        let mut kept = 0;
        for (cluster, w) in clusters {
            width += w * size;
            if width > room {
                break;
            }
            kept += cluster.len();
        }
        // Kerning next to the `…` can differ: cut further until it fits.
        loop {
            let mut out = text[..kept].trim_end().to_owned();
            out.push('…');
            if kept == 0 || self.width(&out, size) <= max_width {
                return out;
            }
            kept = text[..kept].grapheme_indices(true).next_back().map_or(0, |(at, _)| at);
        }
    }

    /// How far the ink of `text` (one line) reaches above its baseline, in
    /// ems: past `ascent` for capitals with stacked marks (Ổ, Ẫ, Ậ).
    pub fn ink_top(&self, text: &str) -> f32 {
        self.shape(text)
            .glyphs
            .iter()
            .filter_map(|g| {
                let face = &faces()[usize::from(g.glyph.face)];
                let ink = face.face.glyph_bounding_box(ttf_parser::GlyphId(g.glyph.id))?;
                Some(g.y + f32::from(ink.y_max) / face.units)
            })
            .fold(0.0, f32::max)
    }

    /// Room to leave above a line's top, in ems, so the stacked marks of
    /// Vietnamese capitals are not cut by what is drawn above the text.
    pub fn mark_room(&self) -> f32 {
        (self.ink_top("ỔẪẬỖỂ") - self.ascent).max(0.0)
    }

    /// Wraps `text` into lines no wider than `max_width`, as shaped: at
    /// spaces, or inside a word longer than a line (after a hyphen or a
    /// slash in it if there is one, else between grapheme clusters, never
    /// between a letter and its marks), and at every `\n`. At most
    /// `max_lines` lines; when text is left over, the last line ends in `…`.
    pub fn wrap(&self, text: &str, size: f32, max_width: f32, max_lines: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        if max_lines == 0 {
            return lines;
        }
        let mut truncated = false;
        'paragraphs: for paragraph in text.split('\n') {
            let clusters = self.clusters(paragraph);
            let space_w = clusters
                .iter()
                .find(|c| c.0 == " ")
                .map_or_else(|| self.width(" ", 1.0), |c| c.1)
                * size;
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in words(&clusters) {
                let word_w = word.iter().map(|c| c.1).sum::<f32>() * size;
                let gap = if line.is_empty() { 0.0 } else { space_w };
                if line_w + gap + word_w <= max_width {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.extend(word.iter().map(|c| c.0));
                    line_w += gap + word_w;
                    continue;
                }
                if !line.is_empty() {
                    if lines.len() + 1 >= max_lines {
                        lines.push(line);
                        truncated = true;
                        break 'paragraphs;
                    }
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                // The word starts a line; break it if it is wider than one.
                let mut rest = word;
                while !rest.is_empty() {
                    let cut = self.fit(rest, size, max_width - line_w);
                    line.extend(rest[..cut].iter().map(|c| c.0));
                    line_w += rest[..cut].iter().map(|c| c.1).sum::<f32>() * size;
                    rest = &rest[cut..];
                    if rest.is_empty() {
                        break;
                    }
                    if lines.len() + 1 >= max_lines {
                        lines.push(line);
                        truncated = true;
                        break 'paragraphs;
                    }
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
            }
            if lines.len() >= max_lines {
                truncated = true;
                break;
            }
            lines.push(line);
        }
        if truncated && let Some(last) = lines.last_mut() {
            let mut text = last.trim_end().to_owned();
            text.push('…');
            // Cut further if that is too wide: `ellipsize` keeps what fits before a `…`.
            *last = self.ellipsize(&text, size, max_width);
        }
        // Trailing empty lines draw nothing.
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        lines
    }

    /// How many of a word's clusters to put in `room`: all that fit, cut
    /// back to just after punctuation inside them (a hyphen, a slash, a
    /// dot) if that keeps at least half of them; at least one cluster.
    fn fit(&self, word: &[(&str, f32)], size: f32, room: f32) -> usize {
        let mut width = 0.0;
        let fits = word
            .iter()
            .take_while(|c| {
                width += c.1 * size;
                width <= room
            })
            .count();
        if fits >= word.len() {
            return word.len();
        }
        let after_punctuation = |c: &&str| c.chars().next().is_some_and(|c| c.is_ascii_punctuation() || c == '–');
        // Never between the digits and group separators of a number
        // (`1 850 000`), unless the number alone is wider than the line.
        let in_number = |n: usize| n > 0 && n < word.len() && in_number(word[n - 1].0, word[n].0);
        let cut = (fits / 2..fits)
            .rev()
            .find(|&n| n > 0 && !in_number(n) && after_punctuation(&word[n - 1].0))
            .unwrap_or(fits);
        let cut = if in_number(cut) {
            (1..cut).rev().find(|&n| !in_number(n)).unwrap_or(cut)
        } else {
            cut
        };
        cut.max(1)
    }

    /// How many lines of `size` fit in `height`: a line fits when its
    /// glyphs, bar most of the descenders, are inside (as the canvas shows
    /// them, clipped at the bottom).
    pub fn lines_in(&self, height: f32, size: f32) -> usize {
        let first = (self.ascent + self.descent * 0.3) * size;
        if height < first {
            return 0;
        }
        1 + ((height - first) / (self.line_height * size)).floor() as usize
    }
}

/// Whether a line may not break between clusters `a` and `b` because they
/// are parts of one number: digits, and the separators between digit groups
/// (a thin, no-break or, inside a word, plain space, a dot, a comma).
fn in_number(a: &str, b: &str) -> bool {
    let digit = |c: &str| c.bytes().all(|b| b.is_ascii_digit());
    let part = |c: &str| digit(c) || matches!(c, "\u{202f}" | "\u{a0}" | " " | "." | ",");
    part(a) && part(b) && (digit(a) || digit(b))
}

/// A paragraph's words: its clusters between the spaces a line may break
/// at. A space inside a number written with plain spaces (`6 400`, a digit
/// before it and a group of three after) holds the number together.
fn words<'a, 't>(clusters: &'a [(&'t str, f32)]) -> Vec<&'a [(&'t str, f32)]> {
    let digit = |i: usize| clusters.get(i).is_some_and(|c| c.0.bytes().all(|b| b.is_ascii_digit()));
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in clusters.iter().enumerate() {
        if c.0 != " " {
            continue;
        }
        let group = i > 0 && digit(i - 1) && (1..=3).all(|k| digit(i + k)) && !digit(i + 4);
        if !group {
            out.push(&clusters[start..i]);
            start = i + 1;
        }
    }
    out.push(&clusters[start..]);
    out
}

/// Calls `f` with each grapheme cluster of `text` and where it starts.
fn for_each_cluster<'t>(text: &'t str, mut f: impl FnMut(usize, &'t str)) {
    // Letters (Latin, Vietnamese), punctuation and symbols never extend or
    // join a cluster: text of only those is a cluster per character,
    // without looking each up in the segmentation tables.
    let alone = |c: char| {
        c < '\u{300}'
            || ('\u{1e00}'..='\u{1eff}').contains(&c)
            || ('\u{2010}'..='\u{20cf}').contains(&c)
            || ('\u{2100}'..='\u{2bff}').contains(&c)
    };
    if text.chars().all(alone) {
        for (at, c) in text.char_indices() {
            f(at, &text[at..at + c.len_utf8()]);
        }
    } else {
        for (at, cluster) in text.grapheme_indices(true) {
            f(at, cluster);
        }
    }
}

pub struct Fonts {
    pub regular: Font,
    pub bold: Font,
}

impl Fonts {
    pub fn get(&self, bold: bool) -> &Font {
        if bold { &self.bold } else { &self.regular }
    }
}

pub fn fonts() -> &'static Fonts {
    static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts {
        regular: Font::load(0),
        bold: Font::load(1),
    });
    &FONTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_inside_long_words() {
        let f = &fonts().regular;
        let lines = f.wrap("một hai ba bốn năm sáu bảy tám chín mười", 12.0, 60.0, 10);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| f.width(l, 12.0) <= 60.0));
        assert_eq!(lines.join(" "), "một hai ba bốn năm sáu bảy tám chín mười");
        let long = f.wrap(&"x".repeat(100), 12.0, 60.0, 10);
        assert!(long.len() > 1 && long.iter().all(|l| f.width(l, 12.0) <= 60.0));
        assert_eq!(f.wrap("a\nb", 12.0, 60.0, 10), ["a", "b"]);
    }

    #[test]
    fn too_many_lines_end_in_an_ellipsis() {
        let f = &fonts().regular;
        let lines = f.wrap(
            "Świadomość Namysł Konwersja Uwaga Zainteresowanie Pragnienie",
            12.0,
            70.0,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(f.width(&lines[1], 12.0) <= 70.0);
        assert_eq!(f.ellipsize("short", 12.0, 100.0), "short");
        assert!(f.ellipsize("a rather long line of text", 12.0, 50.0).ends_with('…'));
    }

    #[test]
    fn symbols_come_from_the_fallback_font() {
        let f = &fonts().regular;
        for c in "→★☎✉⌂✎⚲✦❝◈◎♥▶☺✓⚠".chars() {
            let g = f.glyph(c).unwrap_or_else(|| panic!("{c}"));
            assert_eq!(g.face, FALLBACK_FACE, "{c}");
            let shaped = f.shape(&c.to_string());
            assert_eq!(shaped.glyphs.len(), 1, "{c}");
            assert_eq!(shaped.glyphs[0].glyph, g);
            assert!(shaped.width > 0.0);
        }
        assert_eq!(f.glyph('a').unwrap().face, 0);
        assert_eq!(fonts().bold.glyph('a').unwrap().face, 1);
        let text = "a → b\u{e000}";
        let shaped = f.shape(text);
        let drawn: String = shaped.glyphs.iter().map(|g| &text[g.text.clone()]).collect();
        assert_eq!(drawn, "a → b", "a character no font has is left out");
        let faces: Vec<u8> = shaped.glyphs.iter().map(|g| g.glyph.face).collect();
        assert_eq!(faces, [0, 0, FALLBACK_FACE, 0, 0]);
        // The pen runs on across the change of font.
        for pair in shaped.glyphs.windows(2) {
            assert!((pair[0].x + pair[0].advance - pair[1].x).abs() < 1e-4);
        }
    }

    #[test]
    fn a_letter_and_its_marks_shape_like_the_composed_letter() {
        let f = &fonts().regular;
        for (composed, decomposed) in [
            ("ừ", "u\u{31b}\u{300}"),
            ("Ậ", "A\u{323}\u{302}"),
            ("ệ", "e\u{302}\u{323}"),
            ("ś", "s\u{301}"),
        ] {
            let (a, b) = (f.shape(composed), f.shape(decomposed));
            assert_eq!(
                a.glyphs.iter().map(|g| g.glyph).collect::<Vec<_>>(),
                b.glyphs.iter().map(|g| g.glyph).collect::<Vec<_>>(),
                "{composed}"
            );
            assert_eq!(a.width, b.width, "{composed}");
            assert_eq!(b.glyphs[0].text, 0..decomposed.len(), "one cluster");
        }
        // A mark with no composed form is inked over its letter, not after it.
        for marked in ["x\u{301}", "x\u{323}"] {
            let shaped = f.shape(marked);
            assert_eq!(shaped.glyphs.len(), 2);
            assert_eq!(shaped.width, f.shape("x").width, "a mark takes no room");
            let mark = &shaped.glyphs[1];
            assert_eq!(mark.text, 0..3, "one cluster");
            let face = &faces()[usize::from(mark.glyph.face)];
            let ink = face
                .face
                .glyph_bounding_box(ttf_parser::GlyphId(mark.glyph.id))
                .unwrap();
            let (left, right) = (
                mark.x + f32::from(ink.x_min) / face.units,
                mark.x + f32::from(ink.x_max) / face.units,
            );
            assert!(left > 0.0 && right < shaped.width, "{marked:?}: {left}..{right}");
        }
    }

    #[test]
    fn long_words_break_after_punctuation_and_never_before_a_mark() {
        let f = &fonts().regular;
        let lines = f.wrap(
            "https://example.com/khach-hang/ngu\u{31b}o\u{31b}\u{300}i",
            12.0,
            120.0,
            10,
        );
        assert!(lines.len() > 1, "{lines:?}");
        for line in &lines[..lines.len() - 1] {
            assert!(line.ends_with(|c: char| c.is_ascii_punctuation()), "{lines:?}");
        }
        for line in &lines {
            assert!(f.width(line, 12.0) <= 120.0, "{line}");
            let first = line.chars().next().unwrap();
            assert!(!('\u{300}'..='\u{36f}').contains(&first), "{lines:?}");
        }
        assert_eq!(
            lines.concat(),
            "https://example.com/khach-hang/ngu\u{31b}o\u{31b}\u{300}i"
        );
    }

    #[test]
    fn numbers_never_break_inside_their_digit_groups() {
        let f = &fonts().regular;
        let size = 12.0;
        for number in [
            "1\u{202f}850\u{202f}000",
            "6\u{a0}400",
            "6 400",
            "12.000",
            "1\u{202f}234.5",
        ] {
            let text = format!("Lượt tiếp cận trong tháng: {number} người mỗi tuần");
            // Every width from the number's own to the whole line.
            let narrowest = f.width(number, size).ceil() as usize + 1;
            for width in (narrowest..=260).step_by(3) {
                let lines = f.wrap(&text, size, width as f32, usize::MAX);
                assert!(
                    lines.iter().any(|l| l.contains(number)),
                    "{number:?} split at {width}: {lines:?}"
                );
            }
            // A number glued to a word longer than the line moves to the next line whole.
            let glued = format!("Tổng{number}");
            let lines = f.wrap(&glued, size, f.width(&glued, size) - 2.0, usize::MAX);
            assert_eq!(lines, ["Tổng", number], "{glued:?}");
        }
        // Plain spaces between words still break; only number groups hold.
        let lines = f.wrap(
            "mua 2 máy 400 khách",
            size,
            f.width("mua 2 máy", size) + 1.0,
            usize::MAX,
        );
        assert_eq!(lines, ["mua 2 máy", "400 khách"]);
        // The number formatter's output holds together.
        let value = crate::layout::text::format_number(1_850_000.0, crate::model::Unit::Count);
        let lines = f.wrap(&format!("Lượt tiếp cận: {value}"), size, 110.0, usize::MAX);
        assert!(lines.iter().any(|l| l.contains(&value)), "{lines:?}");
    }

    #[test]
    fn the_fonts_cover_vietnamese_and_polish() {
        for c in "ậếụểổđĐơưăâêôàảãạỹỳỷỵ ąćęłńóśźżĄĆĘŁŃÓŚŹŻ “”—…·•\u{202f}".chars()
        {
            assert!(fonts().regular.has(c) && fonts().bold.has(c), "{c:?} {:x}", c as u32);
        }
    }
}
