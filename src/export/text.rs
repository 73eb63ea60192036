//! The bundled fonts and what the exporters need of them: advance widths to
//! wrap text into lines the way the canvas does, line metrics to place those
//! lines, and which font draws each character. As on the canvas (`ui::fonts`),
//! Noto Sans comes first and DejaVu Sans draws what it lacks (arrows, the
//! channel icons, symbols typed into notes). Every export uses only these
//! fonts, never the system's, so output is the same on every machine.

use std::sync::LazyLock;

pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
pub const SYMBOLS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The family name of the main fonts.
pub const FAMILY: &str = "Noto Sans";

/// One font file.
pub struct Face {
    pub(crate) face: ttf_parser::Face<'static>,
    pub data: &'static [u8],
    /// Font units per em.
    pub units: f32,
    pub family: &'static str,
    pub postscript: &'static str,
    pub bold: bool,
}

/// The faces, by index: Noto Sans regular and bold, DejaVu Sans.
pub fn faces() -> &'static [Face; 3] {
    static FACES: LazyLock<[Face; 3]> = LazyLock::new(|| {
        let face = |data: &'static [u8], family, postscript, bold| {
            let face = ttf_parser::Face::parse(data, 0).expect("a bundled font parses");
            Face {
                units: f32::from(face.units_per_em()),
                face,
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

/// Characters below this get their glyph and advance from a table built once.
const TABLE: usize = 0x2200;

/// A glyph: its face and id, `u16::MAX` for none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Glyph {
    pub face: u8,
    pub id: u16,
}

/// Regular or bold text: a main face and the fallback.
pub struct Font {
    main: u8,
    /// Per character below `TABLE`: its glyph and advance in ems.
    table: Vec<(Option<Glyph>, f32)>,
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
            ascent,
            descent,
            line_height,
        };
        font.table = (0..TABLE as u32)
            .map(|c| char::from_u32(c).map_or((None, 0.0), |c| font.lookup(c)))
            .collect();
        font
    }

    fn lookup(&self, c: char) -> (Option<Glyph>, f32) {
        for face_index in [self.main, FALLBACK_FACE] {
            let face = &faces()[usize::from(face_index)];
            if let Some(id) = face.face.glyph_index(c) {
                let advance = f32::from(face.face.glyph_hor_advance(id).unwrap_or(0)) / face.units;
                return (
                    Some(Glyph {
                        face: face_index,
                        id: id.0,
                    }),
                    advance,
                );
            }
        }
        (None, 0.0)
    }

    fn entry(&self, c: char) -> (Option<Glyph>, f32) {
        match self.table.get(c as usize) {
            Some(&entry) => entry,
            None => self.lookup(c),
        }
    }

    /// The glyph that draws `c`, if any font has one.
    pub fn glyph(&self, c: char) -> Option<Glyph> {
        self.entry(c).0
    }

    /// Whether the main font (not the fallback) has `c`.
    pub fn has(&self, c: char) -> bool {
        self.glyph(c).is_some_and(|g| g.face == self.main)
    }

    /// Advance of `c` in ems; 0 for a character no font has (not drawn).
    pub fn advance(&self, c: char) -> f32 {
        self.entry(c).1
    }

    /// Width of `text` at `size` points, without kerning (so a little wider
    /// than the shaped text: wrapped lines never overflow).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// `text` cut to `max_width` with an ellipsis if it is wider.
    pub fn ellipsize(&self, text: &str, size: f32, max_width: f32) -> String {
        if self.width(text, size) <= max_width {
            return text.to_owned();
        }
        let room = max_width - self.width("…", size);
        let mut width = 0.0;
        let mut out = String::new();
        for c in text.chars() {
            width += self.advance(c) * size;
            if width > room {
                break;
            }
            out.push(c);
        }
        let mut out = out.trim_end().to_owned();
        out.push('…');
        out
    }

    /// Wraps `text` into lines no wider than `max_width`: at spaces, or
    /// inside a word longer than a line, and at every `\n`. At most
    /// `max_lines` lines; when text is left over, the last line ends in `…`.
    pub fn wrap(&self, text: &str, size: f32, max_width: f32, max_lines: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        if max_lines == 0 {
            return lines;
        }
        let mut truncated = false;
        'paragraphs: for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in paragraph.split(' ') {
                let word_w = self.width(word, size);
                let space_w = if line.is_empty() { 0.0 } else { self.advance(' ') * size };
                if line_w + space_w + word_w <= max_width {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_w += space_w + word_w;
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
                for c in word.chars() {
                    let w = self.advance(c) * size;
                    if line_w + w > max_width && !line.is_empty() {
                        if lines.len() + 1 >= max_lines {
                            lines.push(line);
                            truncated = true;
                            break 'paragraphs;
                        }
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += w;
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
            *last = if self.width(&text, size) <= max_width {
                text
            } else {
                // Cut further: `ellipsize` keeps what fits before a `…`.
                self.ellipsize(&text, size, max_width)
            };
        }
        // Trailing empty lines draw nothing.
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        lines
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

/// Calls `f` with each glyph of `text` and its advance in ems, leaving out
/// characters no font has.
pub fn for_each_glyph(font: &Font, text: &str, mut f: impl FnMut(char, Glyph, f32)) {
    for c in text.chars() {
        if let (Some(glyph), advance) = font.entry(c) {
            f(c, glyph, advance);
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
            assert!(f.advance(c) > 0.0);
        }
        assert_eq!(f.glyph('a').unwrap().face, 0);
        assert_eq!(fonts().bold.glyph('a').unwrap().face, 1);
        let mut drawn = String::new();
        for_each_glyph(f, "a → b\u{e000}", |c, _, _| drawn.push(c));
        assert_eq!(drawn, "a → b", "a character no font has is left out");
    }

    #[test]
    fn the_fonts_cover_vietnamese_and_polish() {
        for c in "ậếụểổđĐơưăâêôàảãạỹỳỷỵ ąćęłńóśźżĄĆĘŁŃÓŚŹŻ “”—…·•\u{202f}".chars()
        {
            assert!(fonts().regular.has(c) && fonts().bold.has(c), "{c:?} {:x}", c as u32);
        }
    }
}
