//! Text in the exports is shaped as the canvas shapes it: a letter with its
//! marks measures, wraps and draws the same whether it was typed composed
//! (NFC) or decomposed (NFD), kerning counts, PDFs give words back composed,
//! and maps come back from their files composed.

use std::path::{Path, PathBuf};
use std::process::Command;

use journeymap::export::text::fonts;
use journeymap::export::{self, ExportOptions, Format, Page};
use journeymap::layout::{self, Lane, style};
use journeymap::model::text::nfc;
use journeymap::model::{EventMatcher, JourneyMap, format};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn vietnamese() -> JourneyMap {
    format::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_maps/vi_dien_may_8_buoc.ron"
    )))
    .unwrap()
}

fn nfd(text: &str) -> String {
    text.nfd().collect()
}

fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// `map` with every text decomposed, as it would be pasted from an app that
/// writes NFD (read straight with ron: loading would compose it again).
fn decomposed(map: &JourneyMap) -> JourneyMap {
    let text = nfd(&format::to_string(map));
    ron::from_str(&text).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-export-text-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn render(map: &JourneyMap, format: Format, options: &ExportOptions) -> Vec<u8> {
    export::render(map, format, options, None).unwrap()
}

/// RGB pixels of a PNG, and its size.
fn pixels(png_bytes: &[u8]) -> (Vec<u8>, (u32, u32)) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    (pixels, (info.width, info.height))
}

fn differing_pixels(a: &[u8], b: &[u8]) -> usize {
    assert_eq!(a.len(), b.len());
    a.chunks_exact(3).zip(b.chunks_exact(3)).filter(|(p, q)| p != q).count()
}

/// The text `pdftotext` (poppler-utils) reads out of a PDF.
fn pdftotext(pdf: &[u8], args: &[&str]) -> String {
    // Tests run side by side: each call reads its own file.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = scratch(&format!("pdf-{call}"));
    let path = dir.join("map.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(args)
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout).unwrap()
}

const NAMES: [&str; 6] = [
    "Người mua hàng ở Hà Nội",
    "Khách hàng đặt lịch lắp đặt điều hòa",
    "Tìm hiểu điều hòa inverter tiết kiệm điện",
    "Đánh giá sau khi nhận hàng: rất hài lòng",
    "Ngự Uyển, Hưng Yên, Quảng Ngãi, Thừa Thiên Huế",
    "Mở rộng và gia hạn bảo hành",
];

#[test]
fn a_name_measures_and_wraps_the_same_composed_or_decomposed() {
    let map = vietnamese();
    let names = NAMES
        .iter()
        .map(|n| n.to_string())
        .chain(map.touchpoints.iter().map(|t| t.name.clone()));
    for name in names {
        let decomposed = nfd(&name);
        assert_ne!(decomposed, name, "{name} has composed letters");
        for font in [&fonts().regular, &fonts().bold] {
            let (a, b) = (font.width(&name, 13.0), font.width(&decomposed, 13.0));
            assert!((a - b).abs() <= a * 0.005, "{name}: {a} composed, {b} decomposed");
            for max_width in [50.0, 90.0, 140.0, 220.0] {
                let composed_lines = font.wrap(&name, 13.0, max_width, 10);
                let decomposed_lines: Vec<String> = font
                    .wrap(&decomposed, 13.0, max_width, 10)
                    .iter()
                    .map(|l| nfc(l).into_owned())
                    .collect();
                assert_eq!(composed_lines, decomposed_lines, "{name} in {max_width}");
            }
        }
    }
}

#[test]
fn kerning_narrows_a_pair() {
    for font in [&fonts().regular, &fonts().bold] {
        for pair in ["AV", "To", "Ty", "LT"] {
            let (a, b) = pair.split_at(1);
            let apart = font.width(a, 20.0) + font.width(b, 20.0);
            let together = font.width(pair, 20.0);
            assert!(together < apart - 0.2, "{pair}: {together} kerned, {apart} apart");
        }
    }
}

#[test]
fn a_decomposed_card_title_draws_the_pixels_of_the_composed_one() {
    let map = vietnamese();
    let options = ExportOptions {
        lanes: vec![Lane::Touchpoints],
        ..ExportOptions::default()
    };
    let (composed, size) = pixels(&render(&map, Format::Png, &options));
    let nfd_map = decomposed(&map);
    assert_ne!(nfd_map.touchpoints[0].name, map.touchpoints[0].name);
    let (decomposed, nfd_size) = pixels(&render(&nfd_map, Format::Png, &options));
    assert_eq!(size, nfd_size);
    // The same names with their marks dropped: what a difference in marks
    // looks like, so the comparison can tell.
    let mut bare = map.clone();
    for tp in &mut bare.touchpoints {
        tp.name = nfd(&tp.name).chars().filter(|&c| !is_mark(c)).collect();
    }
    let (bare, _) = pixels(&render(&bare, Format::Png, &options));
    let total = (size.0 * size.1) as usize;
    let marks = differing_pixels(&composed, &bare);
    let nfd_diff = differing_pixels(&composed, &decomposed);
    assert!(marks > 1000, "marks change {marks} pixels");
    assert!(nfd_diff * 100 < total, "{nfd_diff} of {total} pixels differ");
    assert!(
        nfd_diff * 20 < marks,
        "{nfd_diff} pixels differ, marks alone change {marks}"
    );
}

#[test]
fn pdftotext_reads_a_decomposed_map_back_composed() {
    let map = vietnamese();
    let pdf = render(
        &decomposed(&map),
        Format::Pdf,
        &ExportOptions {
            page: Page::Fit,
            ..ExportOptions::default()
        },
    );
    let text = pdftotext(&pdf, &[]);
    assert!(!text.chars().any(is_mark), "no loose marks: {text}");
    let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    let read = words(&text);
    for stage in &map.stages {
        for word in words(&stage.name) {
            assert!(
                read.contains(&word),
                "{word:?} of stage {:?} not in {read:?}",
                stage.name
            );
        }
    }
    for tp in &map.touchpoints {
        // Card titles wrap and may end in `…`: their first word is whole.
        let first = tp.name.split_whitespace().next().unwrap();
        assert!(text.contains(first), "{first:?} of {:?}", tp.name);
    }
}

#[test]
fn pdftotext_reads_marks_with_no_composed_letter_with_their_letter() {
    let mut map = vietnamese();
    let name = "X\u{301}y Q\u{323}\u{302}u x\u{302}\u{301}";
    map.touchpoints[0].name = name.into();
    let options = ExportOptions {
        page: Page::Fit,
        ..ExportOptions::default()
    };
    let text = pdftotext(&render(&map, Format::Pdf, &options), &[]);
    assert!(text.contains(&*nfc(name)), "{name:?} not in {text}");
}

#[test]
fn a_pdf_draws_text_at_its_shaped_width() {
    let mut map = vietnamese();
    map.touchpoints[0].name = "AVAVAVA".into();
    let pdf = render(
        &map,
        Format::Pdf,
        &ExportOptions {
            page: Page::Fit,
            ..ExportOptions::default()
        },
    );
    // A fit page this size is one point per map unit.
    let l = layout::layout(&map, &layout::Options::default());
    assert!(l.bounds.width().max(l.bounds.height()) < 14_400.0);
    let bbox = pdftotext(&pdf, &["-bbox"]);
    let line = bbox
        .lines()
        .find(|l| l.ends_with(">AVAVAVA</word>"))
        .unwrap_or_else(|| panic!("no AVAVAVA in {bbox}"));
    let attr = |name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    let drawn = attr("xMax") - attr("xMin");
    let font = &fonts().bold;
    let size = style::CARD_TITLE_SIZE;
    let shaped = font.width("AVAVAVA", size);
    let apart: f32 = "AVAVAVA".chars().map(|c| font.width(&c.to_string(), size)).sum();
    assert!(
        (drawn - shaped).abs() < 0.5,
        "drawn {drawn}, shaped {shaped}, unkerned {apart}"
    );
    assert!(
        apart - shaped > 2.0,
        "the test needs kerning to tell: {shaped} vs {apart}"
    );
}

/// Bytes of the `@font-face` fonts embedded in an SVG.
fn embedded_fonts(svg: &str) -> Vec<Vec<u8>> {
    svg.split("base64,")
        .skip(1)
        .map(|rest| {
            let data = rest.split(')').next().unwrap();
            let value = |c: u8| match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                _ => 63,
            };
            let digits: Vec<u8> = data.bytes().filter(|&c| c != b'=').map(value).collect();
            digits
                .chunks(4)
                .flat_map(|d| {
                    let v = d
                        .iter()
                        .enumerate()
                        .fold(0u32, |v, (i, &x)| v | u32::from(x) << (18 - 6 * i));
                    v.to_be_bytes()[1..d.len()].to_vec()
                })
                .collect()
        })
        .collect()
}

#[test]
fn an_svg_shows_text_composed_and_its_fonts_kern_as_measured() {
    let mut map = decomposed(&vietnamese());
    map.touchpoints[0].name = "AVAVAVA To".into();
    let svg = String::from_utf8(render(&map, Format::Svg, &ExportOptions::default())).unwrap();
    assert!(!svg.chars().any(is_mark), "text is composed for the renderer");
    let nfc_name = nfc(&map.touchpoints[1].name).into_owned();
    let first_word = nfc_name.split_whitespace().next().unwrap();
    assert!(svg.contains(first_word), "{first_word}");

    // A browser shapes with the embedded font: shaping with it gives the
    // widths the export measured.
    let fonts_in_svg = embedded_fonts(&svg);
    let bold = fonts_in_svg
        .iter()
        .find(|data| {
            let face = ttf_parser::Face::parse(data, 0).unwrap();
            face.is_bold()
                && face
                    .glyph_index('V')
                    .is_some_and(|g| face.glyph_bounding_box(g).is_some())
        })
        .expect("the bold font, with the card title's glyphs");
    let font = harfrust::FontRef::new(bold).unwrap();
    let data = harfrust::ShaperData::new(&font);
    let shaper = data.shaper(&font).build();
    let mut buffer = harfrust::UnicodeBuffer::new();
    buffer.push_str("AVAVAVA To");
    buffer.guess_segment_properties();
    let shaped = shaper.shape(buffer, harfrust::ShapeOptions::new());
    let units = f32::from(ttf_parser::Face::parse(bold, 0).unwrap().units_per_em());
    let width: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
    let measured = fonts().bold.width("AVAVAVA To", 1.0);
    let unkerned: f32 = "AVAVAVA To"
        .chars()
        .map(|c| fonts().bold.width(&c.to_string(), 1.0))
        .sum();
    assert!(
        (width as f32 / units - measured).abs() < 1e-3,
        "{} vs {measured}",
        width as f32 / units
    );
    assert!(unkerned - measured > 0.1, "the test needs kerning to tell");
}

#[test]
fn a_map_written_decomposed_loads_composed() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_maps/vi_dien_may_8_buoc.ron"
    ));
    let composed = format::load(path).unwrap();
    let mut written = composed.clone();
    // An event name from imported data, decomposed there too: left alone,
    // or it would no longer match the data.
    let event = nfd("đăng_ký_tư_vấn");
    written.touchpoints[0].matchers.push(EventMatcher {
        event: event.clone(),
        channel: None,
    });
    let text = nfd(&format::to_string(&written));
    assert_ne!(text, format::to_string(&written), "the file really is decomposed");
    let dir = scratch("load");
    let file = dir.join("map.ron");
    std::fs::write(&file, &text).unwrap();
    let loaded = format::load(&file).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(loaded.touchpoints[0].matchers.last().unwrap().event, event);
    let mut expected = composed;
    expected.touchpoints[0]
        .matchers
        .push(EventMatcher { event, channel: None });
    assert_eq!(loaded, expected);
}

/// Text of letters, Vietnamese and Polish letters, combining marks, spaces
/// and a little punctuation, starting with a letter.
fn marked_text() -> impl Strategy<Value = String> {
    let letter = prop::sample::select(vec![
        'a', 'e', 'o', 'u', 'n', 'g', 'h', 'W', 'M', 'đ', 'ư', 'ơ', 'ł', 'A', 'V',
    ]);
    let piece = prop_oneof![
        6 => letter.clone().prop_map(String::from),
        3 => prop::sample::select(vec!['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}', '\u{302}', '\u{306}', '\u{31b}'])
            .prop_map(String::from),
        2 => Just(" ".to_owned()),
        1 => prop::sample::select(vec!["-", "/", ".", "→"]).prop_map(str::to_owned),
    ];
    (letter, prop::collection::vec(piece, 0..80))
        .prop_map(|(first, rest)| std::iter::once(first.to_string()).chain(rest).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn wrapping_never_starts_a_line_with_a_mark(text in marked_text(), max_width in 8.0f32..200.0, bold: bool) {
        let font = fonts().get(bold);
        let lines = font.wrap(&text, 12.0, max_width, 100);
        for line in &lines {
            prop_assert!(!line.starts_with(is_mark), "{lines:?}");
        }
        // Nothing lost but the spaces lines break at.
        let kept: String = lines.concat().chars().filter(|&c| c != ' ').collect();
        let all: String = text.chars().filter(|&c| c != ' ').collect();
        prop_assert_eq!(kept, all);
    }

    #[test]
    fn composed_and_decomposed_text_wrap_alike(text in marked_text(), max_width in 8.0f32..200.0) {
        let font = &fonts().regular;
        let composed = nfc(&text).into_owned();
        let decomposed = nfd(&text);
        let a = font.wrap(&composed, 12.0, max_width, 100);
        let b: Vec<String> = font.wrap(&decomposed, 12.0, max_width, 100).iter().map(|l| nfc(l).into_owned()).collect();
        prop_assert_eq!(a, b);
    }
}
