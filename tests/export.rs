//! The exporters' output checked as data, on the sample maps: SVG as XML,
//! PNG decoded, PDF parsed, CSV read back, Markdown searched.

use std::path::{Path, PathBuf};

use journeymap::export::{self, ExportOptions, Format, Page};
use journeymap::layout::{self, Lane};
use journeymap::model::{JourneyMap, format};

fn samples() -> Vec<(PathBuf, JourneyMap)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 6);
    paths
        .into_iter()
        .map(|p| {
            let map = format::load(&p).unwrap();
            (p, map)
        })
        .collect()
}

fn vietnamese() -> JourneyMap {
    format::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_maps/vi_dien_may_8_buoc.ron"
    )))
    .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn render(map: &JourneyMap, format: Format, options: &ExportOptions) -> Vec<u8> {
    export::render(map, format, options, None).unwrap()
}

/// The text of a `<text>` element: its lines joined by spaces.
fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn svg_is_xml_with_every_stage_and_touchpoint_as_text() {
    for (path, map) in samples() {
        let svg = String::from_utf8(render(&map, Format::Svg, &ExportOptions::default())).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert!(svg.contains("@font-face"), "fonts embedded by default");
        let group = |id: String| {
            doc.descendants()
                .find(|n| n.attribute("id") == Some(id.as_str()))
                .unwrap_or_else(|| panic!("{}: no group {id}", path.display()))
        };
        let check = |g: roxmltree::Node, name: &str| {
            // The full name is the group's title ...
            let title = g.children().find(|n| n.has_tag_name("title")).map(text_of);
            assert_eq!(title.as_deref(), Some(name.trim()), "{}", path.display());
            // ... and the start of the visible text (a long name is cut with …).
            let texts: Vec<String> = g
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .map(text_of)
                .collect();
            let shown = texts.iter().find(|t| {
                let start = t.trim_end_matches('…');
                !start.is_empty() && name.split_whitespace().collect::<Vec<_>>().join(" ").starts_with(start)
            });
            assert!(shown.is_some(), "{}: {name:?} not shown in {texts:?}", path.display());
        };
        for stage in &map.stages {
            check(group(format!("stage-{}", stage.id.0)), &stage.name);
        }
        for tp in &map.touchpoints {
            check(group(format!("touchpoint-{}", tp.id.0)), &tp.name);
        }
        // Links are paths with arrowheads, loops back in their own colour.
        let loops = map.links.iter().filter(|l| map.is_loop_back(l)).count();
        let loop_colour = journeymap::layout::style::LOOP_BACK.to_hex();
        let loop_paths = doc
            .descendants()
            .filter(|n| n.has_tag_name("path") && n.attribute("stroke") == Some(loop_colour.as_str()))
            .count();
        assert_eq!(loop_paths, loops, "{}", path.display());
    }
}

#[test]
fn svg_shows_only_the_lanes_asked_for() {
    let map = vietnamese();
    let options = ExportOptions {
        lanes: export::parse_lanes("touchpoints,emotion").unwrap(),
        embed_fonts: false,
        ..ExportOptions::default()
    };
    let svg = String::from_utf8(render(&map, Format::Svg, &options)).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(!svg.contains("@font-face"));
    let all: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(text_of)
        .collect();
    assert!(all.iter().any(|t| t == "Touchpoints") && all.iter().any(|t| t == "Feels"));
    assert!(!all.iter().any(|t| t == "Does" || t == "Notes"));
    let tp = &map.touchpoints[0];
    assert!(!all.iter().any(|t| !tp.does.is_empty() && t.contains(&tp.does)));
    assert!(export::parse_lanes("does,nope").is_err());
    assert!(export::parse_lanes("").is_err());
}

#[test]
fn png_has_the_size_of_the_layout_times_the_scale() {
    let map = vietnamese();
    let lanes = vec![Lane::Touchpoints, Lane::Emotion, Lane::Does];
    let l = layout::layout(
        &map,
        &layout::Options {
            lanes: lanes.clone(),
            ..Default::default()
        },
    );
    for scale in [1.0f32, 2.0, 0.5] {
        let options = ExportOptions {
            scale,
            lanes: lanes.clone(),
            ..ExportOptions::default()
        };
        let (w, h) = export::picture_size(&map, &options, None);
        assert!(
            w >= l.bounds.width() && h > l.bounds.height(),
            "the map, with a title block and legend"
        );
        let bytes = render(&map, Format::Png, &options);
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes.as_slice()));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        let want = ((w * scale).ceil() as u32, (h * scale).ceil() as u32);
        assert_eq!((info.width, info.height), want, "scale {scale}");
        // Not blank: the canvas colour and ink both appear.
        let px = |i: usize| &pixels[i * 3..i * 3 + 3];
        let n = (info.width * info.height) as usize;
        assert_eq!(px(0), [0xf6, 0xf5, 0xf1]);
        assert!((0..n).step_by(7).any(|i| px(i)[0] < 0x60), "some dark text");
    }
    let err = export::render(
        &map,
        Format::Png,
        &ExportOptions {
            scale: 0.0,
            ..ExportOptions::default()
        },
        None,
    );
    assert!(err.is_err());
}

/// A PDF opened just enough to check it: objects' dictionaries as text,
/// streams inflated.
struct Pdf {
    text: String,
    streams: Vec<Vec<u8>>,
}

impl Pdf {
    fn parse(bytes: &[u8]) -> Pdf {
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
        let mut text = String::new();
        let mut streams = Vec::new();
        let mut rest = bytes;
        while let Some(start) = find(rest, b"stream\n") {
            let dict = &rest[..start];
            text.push_str(&String::from_utf8_lossy(dict));
            let body = &rest[start + 7..];
            let end = find(body, b"\nendstream").expect("endstream");
            let data = &body[..end];
            let dict_start = find_last(dict, b"<<").unwrap_or(0);
            if find(&dict[dict_start..], b"/FlateDecode").is_some() {
                streams.push(miniz_oxide::inflate::decompress_to_vec_zlib(data).expect("inflates"));
            } else {
                streams.push(data.to_vec());
            }
            rest = &body[end + 10..];
        }
        text.push_str(&String::from_utf8_lossy(rest));
        Pdf { text, streams }
    }

    fn pages(&self) -> usize {
        self.text.matches("/Type /Page\n").count()
            + self.text.matches("/Type /Page ").count()
            + self.text.matches("/Type /Page>").count()
    }

    /// Every character the ToUnicode maps give back.
    fn unicode(&self) -> String {
        let mut out = String::new();
        for s in &self.streams {
            let s = String::from_utf8_lossy(s);
            if !s.contains("begincmap") {
                continue;
            }
            for part in s.split('<').skip(1) {
                let hex = part.split('>').next().unwrap_or("");
                if hex.len() >= 4 && hex.len() % 4 == 0 {
                    let units: Vec<u16> = (0..hex.len() / 4)
                        .filter_map(|i| u16::from_str_radix(&hex[i * 4..i * 4 + 4], 16).ok())
                        .collect();
                    out.push_str(&String::from_utf16_lossy(&units));
                }
            }
        }
        out
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[test]
fn pdf_pages_carry_embedded_subset_fonts_with_unicode_maps() {
    let map = vietnamese();
    let l = layout::layout(&map, &layout::Options::default());
    let fit = Pdf::parse(&render(
        &map,
        Format::Pdf,
        &ExportOptions {
            page: Page::Fit,
            ..ExportOptions::default()
        },
    ));
    assert_eq!(fit.pages(), 1);
    let (w, h) = export::picture_size(&map, &ExportOptions::default(), None);
    let media = format!("/MediaBox [0 0 {w} {h}]");
    assert!(fit.text.contains(&media), "fit page is the picture's size: {media}");

    for (page, size) in [(Page::A4, "841.89 595.28"), (Page::A3, "1190.55 841.89")] {
        let pdf = Pdf::parse(&render(
            &map,
            Format::Pdf,
            &ExportOptions {
                page,
                ..ExportOptions::default()
            },
        ));
        // The map is wider than a page: split, but into pages that are full.
        // The lanes fill the page's height, or nearly (at least 95 %).
        let height_scale = if page == Page::A4 { 547.28 } else { 793.89 } / (l.bounds.height() + 22.0);
        let body_per_page = (if page == Page::A4 { 793.89 } else { 1142.55 }) / (height_scale * 0.95) - 136.0;
        let least = ((l.bounds.max.x - 136.0) / body_per_page).ceil() as usize;
        let pages = pdf.pages();
        assert!(
            pages >= least && pages <= least * 2,
            "{page:?}: {pages} pages, at least {least}"
        );
        assert_eq!(pdf.text.matches(&format!("/MediaBox [0 0 {size}]")).count(), pages);
        assert!(pdf.text.contains("/FontFile2"), "fonts embedded");
        assert!(pdf.text.contains("/CIDFontType2"));
        assert!(
            pdf.text.contains("+NotoSans-Regular") && pdf.text.contains("+NotoSans-Bold"),
            "subsets"
        );
        assert!(pdf.text.contains("/ToUnicode"));
        // Every letter of every stage and touchpoint name can be copied out.
        let unicode = pdf.unicode();
        for name in map
            .stages
            .iter()
            .map(|s| &s.name)
            .chain(map.touchpoints.iter().map(|t| &t.name))
        {
            for c in name.chars().filter(|c| !c.is_whitespace()).take(12) {
                assert!(unicode.contains(c), "{c:?} of {name:?} has no unicode mapping");
            }
        }
        for c in "Đđậếụểổơưăâêôàảãạỳỹớờởỡợứừửữự".chars().filter(|c| map_has(&map, *c))
        {
            assert!(unicode.contains(c), "{c}");
        }
    }
}

fn map_has(map: &JourneyMap, c: char) -> bool {
    map.stages.iter().any(|s| s.name.contains(c)) || map.touchpoints.iter().any(|t| t.name.contains(c))
}

#[test]
fn csv_reads_back_one_row_per_touchpoint() {
    for (path, map) in samples() {
        let bytes = render(&map, Format::Csv, &ExportOptions::default());
        let text = String::from_utf8(bytes).unwrap();
        let body = text.strip_prefix(export::csv::BOM).expect("starts with a BOM");
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(&header[0], "Stage");
        assert_eq!(&header[2], "Touchpoint");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), map.touchpoints.len(), "{}", path.display());
        let mut i = 0;
        for stage in &map.stages {
            for tp in map.touchpoints_in(stage.id) {
                assert_eq!(&rows[i][0], stage.name, "{}", path.display());
                assert_eq!(&rows[i][2], tp.name);
                assert_eq!(&rows[i][3], tp.channel.label());
                assert_eq!(rows[i][6].parse::<i8>().unwrap(), tp.emotion);
                // The key metric's value sits in its column.
                if let Some(m) = tp.metrics.first() {
                    let col = header
                        .iter()
                        .position(|h| h == m.name || h.starts_with(&format!("{} (", m.name)));
                    let col = col.unwrap_or_else(|| panic!("no column for {}", m.name));
                    let want = m.value.map_or(String::new(), |v| v.to_string());
                    assert_eq!(&rows[i][col], want);
                }
                i += 1;
            }
        }
    }
}

#[test]
fn markdown_mentions_every_stage_and_touchpoint() {
    for (path, map) in samples() {
        let md = String::from_utf8(render(&map, Format::Markdown, &ExportOptions::default())).unwrap();
        let plain = md.replace('\\', "");
        assert!(plain.starts_with(&format!("# {}", map.title.trim())));
        for name in map
            .stages
            .iter()
            .map(|s| &s.name)
            .chain(map.touchpoints.iter().map(|t| &t.name))
        {
            assert!(plain.contains(name.trim()), "{}: {name:?}", path.display());
        }
        if map.links.iter().any(|l| map.is_loop_back(l)) {
            assert!(md.contains("### Loops back"));
        }
    }
}

#[test]
fn markdown_reports_a_data_comparison() {
    let map = vietnamese();
    let log = journeymap::analysis::synthetic_log(300, 7);
    let comparison = journeymap::analysis::compare(&map, &log, 0.05);
    let md = export::markdown::to_markdown(&map, Some(&comparison));
    assert!(md.contains("## What the data says"));
    assert!(md.contains("### Touchpoints reached"));
    assert!(md.contains("### Paths people take that the map lacks"));
    assert!(md.contains("### Links no one followed"));
    assert!(md.contains("### Funnel order"));
    assert!(!export::markdown::to_markdown(&map, None).contains("What the data says"));
}

#[test]
fn export_writes_every_format_and_never_touches_the_map_file() {
    let dir = scratch("files");
    let source = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_maps/pl_oprogramowanie_b2b.ron"
    ));
    let map_path = dir.join("map.ron");
    std::fs::copy(source, &map_path).unwrap();
    let before = (
        std::fs::read(&map_path).unwrap(),
        std::fs::metadata(&map_path).unwrap().modified().unwrap(),
    );
    let map = format::load(&map_path).unwrap();
    for f in Format::ALL {
        let out = dir.join(format!("out.{}", f.extension()));
        assert_eq!(Format::from_path(&out), Some(f));
        export::export(&map, &out, f, &ExportOptions::default(), None).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 100, "{f:?}");
    }
    // A .ron output is no format: refused before anything is written.
    assert_eq!(Format::from_path(&map_path), None);
    let after = (
        std::fs::read(&map_path).unwrap(),
        std::fs::metadata(&map_path).unwrap().modified().unwrap(),
    );
    assert!(before == after, "the map file is untouched");
    // No temporary files left behind.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1 + Format::ALL.len(), "{names:?}");
    // Errors name the file.
    let missing = dir.join("no-such-dir").join("out.svg");
    let err = export::export(&map, &missing, Format::Svg, &ExportOptions::default(), None).unwrap_err();
    assert!(err.to_string().contains("out.svg"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_generated_map_exports_in_every_format() {
    let map = export::bench_map::full_map(60, 80, 3);
    assert_eq!(map.touchpoints.len(), 60);
    assert!(journeymap::model::validate::check(&map).is_empty());
    for f in Format::ALL {
        let bytes = render(
            &map,
            f,
            &ExportOptions {
                scale: 0.5,
                ..ExportOptions::default()
            },
        );
        assert!(bytes.len() > 100, "{f:?}");
    }
}

#[test]
fn numbers_that_are_not_numbers_never_reach_a_deliverable() {
    let mut map = vietnamese();
    let tp = &mut map.touchpoints[0];
    tp.efforts[0].budget = Some(f64::NAN);
    let metric = tp.metrics.first_mut().expect("the first touchpoint has a metric");
    metric.value = Some(f64::INFINITY);
    metric.target = Some(f64::NEG_INFINITY);
    let shows_a_non_number = |text: &str| {
        text.split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "NaN" || w == "inf")
    };
    for format in [Format::Csv, Format::Markdown] {
        let text = String::from_utf8(render(&map, format, &ExportOptions::default())).unwrap();
        assert!(!shows_a_non_number(&text), "{format:?}");
    }
    let svg = String::from_utf8(render(&map, Format::Svg, &ExportOptions::default())).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(text_of)
        .collect();
    assert!(!texts.is_empty());
    assert!(!texts.iter().any(|t| shows_a_non_number(t)), "SVG");
}
