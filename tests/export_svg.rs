//! The SVG export drawn by a renderer that ignores its embedded fonts
//! (rsvg-convert, librsvg) next to the PNG drawn with the bundled fonts:
//! with text as outlines the two agree and every card's text stays inside
//! its card; as text, each line is held to the width it was laid out for.

use std::path::{Path, PathBuf};
use std::process::Command;

use journeymap::export::svg::SvgText;
use journeymap::export::text::fonts;
use journeymap::export::{self, ExportOptions, Format};
use journeymap::model::{JourneyMap, format};

fn vietnamese() -> JourneyMap {
    format::load(&sample()).unwrap()
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps/vi_dien_may_8_buoc.ron")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-export-svg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn svg(map: &JourneyMap, text: SvgText) -> String {
    let options = ExportOptions {
        svg_text: text,
        ..ExportOptions::default()
    };
    String::from_utf8(export::render(map, Format::Svg, &options, None).unwrap()).unwrap()
}

/// An opaque picture, RGB.
struct Picture {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

impl Picture {
    fn decode(bytes: &[u8]) -> Picture {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().unwrap();
        let mut data = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut data).unwrap();
        data.truncate(info.buffer_size());
        let channels = info.color_type.samples();
        assert!(channels >= 3, "{:?}", info.color_type);
        let rgb = data.chunks(channels).flat_map(|p| [p[0], p[1], p[2]]).collect();
        Picture {
            width: info.width as usize,
            height: info.height as usize,
            rgb,
        }
    }

    fn pixel(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// How much darker than white the pixels `x0..x1` × `y0..y1` are, in
    /// whole black pixels: the ink of the letters there, however a
    /// renderer spreads their edges over pixels.
    fn ink(&self, (x0, y0, x1, y1): (f32, f32, f32, f32)) -> f64 {
        let clamp = |v: f32, max: usize| (v.round().max(0.0) as usize).min(max);
        let (x0, x1) = (clamp(x0, self.width), clamp(x1, self.width));
        let (y0, y1) = (clamp(y0, self.height), clamp(y1, self.height));
        let mut ink = 0.0;
        for y in y0..y1 {
            for x in x0..x1 {
                let [r, g, b] = self.pixel(x, y);
                let light = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
                ink += 1.0 - light / 255.0;
            }
        }
        ink
    }

    /// The share of pixels where some channel differs from `other`'s by
    /// more than `tolerance`.
    fn differing(&self, other: &Picture, tolerance: u8) -> f64 {
        assert_eq!((self.width, self.height), (other.width, other.height));
        let differ = self
            .rgb
            .chunks(3)
            .zip(other.rgb.chunks(3))
            .filter(|(a, b)| a.iter().zip(b.iter()).any(|(a, b)| a.abs_diff(*b) > tolerance))
            .count();
        differ as f64 / (self.width * self.height) as f64
    }
}

/// `svg` drawn by rsvg-convert at its own size, one pixel a map unit.
fn rsvg(svg: &str, dir: &Path, name: &str) -> Picture {
    let input = dir.join(format!("{name}.svg"));
    let output = dir.join(format!("{name}.png"));
    std::fs::write(&input, svg).unwrap();
    let run = Command::new("rsvg-convert").arg(&input).arg("-o").arg(&output).output();
    let run = run.unwrap_or_else(|err| {
        panic!("rsvg-convert (librsvg2-bin) is needed to check SVG output, and cannot run ({err}): run .ci/deps")
    });
    assert!(
        run.status.success(),
        "rsvg-convert: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    Picture::decode(&std::fs::read(&output).unwrap())
}

/// A touchpoint card: its id and its box (the stroked rectangle's outer edge).
struct Card {
    id: String,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Card {
    /// Inside the border, right of the coloured bar along the left edge.
    fn inside(&self) -> (f32, f32, f32, f32) {
        (self.x0 + 9.0, self.y0 + 2.0, self.x1 - 2.0, self.y1 - 2.0)
    }

    /// A strip just right of the card, where text that overflows it lands.
    fn right_of(&self) -> (f32, f32, f32, f32) {
        (self.x1 + 1.0, self.y0, self.x1 + 7.0, self.y1)
    }
}

fn cards(svg: &str) -> Vec<Card> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let number = |node: roxmltree::Node, name: &str| node.attribute(name).unwrap().parse::<f32>().unwrap();
    doc.descendants()
        .filter(|g| g.has_tag_name("g") && g.attribute("id").is_some_and(|id| id.starts_with("touchpoint-")))
        .map(|g| {
            let border = g
                .children()
                .find(|n| n.has_tag_name("rect") && n.attribute("stroke").is_some())
                .unwrap_or_else(|| panic!("{:?} has no card border", g.attribute("id")));
            let half = number(border, "stroke-width") / 2.0;
            let (x, y) = (number(border, "x"), number(border, "y"));
            Card {
                id: g.attribute("id").unwrap().to_owned(),
                x0: x - half,
                y0: y - half,
                x1: x + number(border, "width") + half,
                y1: y + number(border, "height") + half,
            }
        })
        .collect()
}

/// How rsvg's drawing of an SVG compares with the PNG.
struct Comparison {
    differing: f64,
    /// Ink in the strips right of the cards, rsvg's and the PNG's.
    overflow: (f64, f64),
    /// The card whose ink inside differs most from the PNG's, and by how
    /// much (a share of the PNG's).
    worst_card: (String, f64),
}

fn compare(svg: &str, drawn: &Picture, reference: &Picture) -> Comparison {
    let cards = cards(svg);
    assert!(cards.len() >= 20, "{} cards", cards.len());
    let mut overflow = (0.0, 0.0);
    let mut worst_card = (String::new(), 0.0);
    for card in &cards {
        overflow.0 += drawn.ink(card.right_of());
        overflow.1 += reference.ink(card.right_of());
        let (ink, expected) = (drawn.ink(card.inside()), reference.ink(card.inside()));
        assert!(
            expected > 100.0,
            "{}: {expected} pixels' worth of ink in the PNG",
            card.id
        );
        let off = (ink - expected).abs() / expected;
        if off > worst_card.1 {
            worst_card = (card.id.clone(), off);
        }
    }
    Comparison {
        differing: drawn.differing(reference, 64),
        overflow,
        worst_card,
    }
}

/// The Vietnamese sample as an SVG in `mode`, drawn by rsvg-convert and
/// compared with our own PNG of it (printed, so a run shows the numbers).
fn rendered_by_rsvg(mode: SvgText, name: &str) -> Comparison {
    let map = vietnamese();
    let dir = scratch(name);
    let reference = Picture::decode(&export::render(&map, Format::Png, &ExportOptions::default(), None).unwrap());
    let document = svg(&map, mode);
    let drawn = rsvg(&document, &dir, name);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!((drawn.width, drawn.height), (reference.width, reference.height));
    let c = compare(&document, &drawn, &reference);
    eprintln!(
        "{name}: {:.2}% of pixels differ; ink right of cards {:.0} (PNG {:.0}); worst card {} off by {:.1}%",
        c.differing * 100.0,
        c.overflow.0,
        c.overflow.1,
        c.worst_card.0,
        c.worst_card.1 * 100.0
    );
    c
}

#[test]
fn outlined_text_looks_the_same_in_rsvg_as_in_the_png() {
    let c = rendered_by_rsvg(SvgText::Outlines, "outlines");
    assert!(
        c.overflow.0 <= c.overflow.1 + 10.0,
        "text runs out of the cards: {:.0} pixels' worth of ink right of them, {:.0} in the PNG",
        c.overflow.0,
        c.overflow.1
    );
    assert!(
        c.worst_card.1 < 0.05,
        "{}: ink inside the card is {:.1}% off the PNG's",
        c.worst_card.0,
        c.worst_card.1 * 100.0
    );
    assert!(
        c.differing < 0.01,
        "{:.2}% of pixels differ from the PNG",
        c.differing * 100.0
    );
}

#[test]
fn outlined_text_keeps_names_and_lines_for_search_and_screen_readers() {
    let map = vietnamese();
    let outlined = svg(&map, SvgText::Outlines);
    assert!(!outlined.contains("@font-face"), "outlines need no fonts");
    let doc = roxmltree::Document::parse(&outlined).unwrap();
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("text")).count(), 0);
    // Every line of the text version is a labelled group of glyphs.
    let text_doc = svg(&map, SvgText::Text);
    let text_doc = roxmltree::Document::parse(&text_doc).unwrap();
    let lines: Vec<&str> = text_doc
        .descendants()
        .filter(|n| n.has_tag_name("tspan"))
        .filter_map(|n| n.text())
        .filter(|t| !t.trim().is_empty())
        .collect();
    let labels: Vec<&str> = doc.descendants().filter_map(|n| n.attribute("aria-label")).collect();
    assert_eq!(labels, lines);
    for group in doc.descendants().filter(|n| n.attribute("aria-label").is_some()) {
        let uses = group.children().filter(|n| n.has_tag_name("use")).count();
        assert!(uses > 0, "{:?} draws nothing", group.attribute("aria-label"));
    }
    // A glyph drawn many times is one outline.
    let outlines = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("id").is_some());
    let uses = doc.descendants().filter(|n| n.has_tag_name("use")).count();
    assert!(outlines.count() * 10 < uses);
    for tp in &map.touchpoints {
        let id = format!("touchpoint-{}", tp.id.0);
        let group = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(id.as_str()))
            .unwrap();
        let title = group
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text());
        assert_eq!(title, Some(tp.name.trim()));
        let first_word = tp.name.split_whitespace().next().unwrap();
        assert!(
            group
                .descendants()
                .filter_map(|n| n.attribute("aria-label"))
                .any(|l| l.starts_with(first_word)),
            "{id}: no line starts {first_word:?}"
        );
    }
}

#[test]
fn each_text_line_is_held_to_its_laid_out_width_inside_its_card() {
    let map = vietnamese();
    let text = svg(&map, SvgText::Text);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let cards = cards(&text);
    let mut in_cards = 0;
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let size: f32 = node.attribute("font-size").unwrap().parse().unwrap();
        let bold = node.attribute("font-weight") == Some("bold");
        let group = node.ancestors().find_map(|n| n.attribute("id")).unwrap_or("");
        for span in node.children().filter(|n| n.has_tag_name("tspan")) {
            let line = span.text().unwrap_or("");
            let width = fonts().get(bold).width(line, size);
            if width == 0.0 {
                continue;
            }
            let length = span.attribute("textLength").map(|l| l.parse::<f32>().unwrap());
            let length = length.unwrap_or_else(|| panic!("{line:?} has no textLength"));
            assert!(
                (length - width).abs() <= 0.01,
                "{line:?}: textLength {length}, shaped {width}"
            );
            assert_eq!(span.attribute("lengthAdjust"), Some("spacingAndGlyphs"));
            // A card's lines end inside it, whatever font draws them.
            let x: f32 = span.attribute("x").unwrap().parse().unwrap();
            let y: f32 = span.attribute("y").unwrap().parse().unwrap();
            let start = match node.attribute("text-anchor") {
                Some("middle") => x - length / 2.0,
                _ => x,
            };
            let card = cards.iter().find(|c| c.id == group && (c.y0..c.y1).contains(&y));
            if let Some(card) = card {
                assert!(
                    start >= card.x0 && start + length <= card.x1 - 1.0,
                    "{group}: {line:?} leaves its card"
                );
                in_cards += 1;
            }
        }
    }
    assert!(in_cards >= 90, "{in_cards} lines in cards");
}

#[test]
fn text_as_text_stays_near_the_png_in_rsvg() {
    let c = rendered_by_rsvg(SvgText::Text, "text");
    // rsvg ignores textLength and draws the text in an installed font, so
    // letters differ and run wider; the page around them does not.
    assert!(
        c.differing < 0.05,
        "{:.2}% of pixels differ from the PNG",
        c.differing * 100.0
    );
}

#[test]
fn the_command_draws_text_as_outlines_when_asked() {
    let dir = scratch("command");
    let out = dir.join("map.svg");
    let run = |mode: &str| {
        Command::new(env!("CARGO_BIN_EXE_journeymap"))
            .arg("export")
            .arg(sample())
            .arg("--to")
            .arg(&out)
            .args(["--svg-text", mode])
            .output()
            .unwrap()
    };
    assert!(run("outlines").status.success());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("<use ") && !written.contains("<text"));
    assert!(run("text").status.success());
    assert!(std::fs::read_to_string(&out).unwrap().contains("<text"));
    let wrong = run("curves");
    assert!(!wrong.status.success());
    let message = String::from_utf8_lossy(&wrong.stderr);
    assert!(message.contains("--svg-text must be text or outlines"), "{message}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The circles drawn in the dot-vote colour.
fn vote_dots(svg: &str) -> usize {
    let fill = format!(r#"fill="{}""#, journeymap::layout::style::VOTE.to_hex());
    svg.split("<circle")
        .skip(1)
        .filter(|c| c.split("/>").next().is_some_and(|attrs| attrs.contains(&fill)))
        .count()
}

#[test]
fn dot_votes_and_a_captured_idea_show_in_the_svg() {
    use journeymap::edit::ops;
    use journeymap::model::{IdeaKind, IdeaRef};
    let mut map = vietnamese();
    assert_eq!(vote_dots(&svg(&map, SvgText::Text)), 0, "nobody voted yet");
    let tp = map.touchpoints.iter().find(|t| !t.pain_points.is_empty()).unwrap().id;
    let target = IdeaRef::PainPoint {
        touchpoint: tp,
        index: 0,
    };
    ops::vote(&map, target, 4).unwrap().apply(&mut map).unwrap();
    let stage = map.stages[1].id;
    ops::capture(&map, stage, IdeaKind::PainPoint, "Không rõ phí giao hàng")
        .unwrap()
        .apply(&mut map)
        .unwrap();
    let note = map.stages[1].notes.last().unwrap().id;
    ops::vote(&map, IdeaRef::Note { stage, note }, 2)
        .unwrap()
        .apply(&mut map)
        .unwrap();
    let text = svg(&map, SvgText::Text);
    assert_eq!(
        vote_dots(&text),
        4 + 2 + 1,
        "four and two on the map, one in the legend"
    );
    assert!(text.contains("Không rõ phí giao hàng"));
    assert!(text.contains("Pain point"));
    // The legend says what the dots and the tinted note mean.
    assert!(text.contains("dot vote") && text.contains("pain point note"));
}
