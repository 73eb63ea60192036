//! Exports read as deliverables by people who never saw the app: every name
//! in full (never "…"), a title block with the personas, a legend, and with
//! data the same figures the canvas shows. Checked as a user would: the SVG
//! parsed, the PDF through `pdftotext`, made by the `journeymap` command.

use std::path::{Path, PathBuf};
use std::process::Command;

use journeymap::model::{JourneyMap, format};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps").join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-deliverable-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn journeymap(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "journeymap {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Whitespace folded to single spaces: wrapped lines join back into names.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// All the text of an SVG, each `<text>` element's lines joined by spaces.
fn svg_text(path: &Path) -> String {
    let svg = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let blocks: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|t| {
            t.descendants()
                .filter(|n| n.is_text())
                .map(|n| n.text().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    folded(&blocks.join("\n"))
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext").arg("-raw").arg(path).arg("-").output();
    let out = out.expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    folded(&String::from_utf8(out.stdout).unwrap())
}

/// Every name a reader looks for: title, personas, stages, touchpoints.
fn names(map: &JourneyMap) -> Vec<String> {
    let mut names = vec![map.title.clone()];
    names.extend(map.personas.iter().map(|p| p.name.clone()));
    names.extend(map.stages.iter().map(|s| s.name.clone()));
    names.extend(map.touchpoints.iter().map(|t| t.name.clone()));
    names.into_iter().map(|n| folded(&n)).collect()
}

#[test]
fn every_name_of_the_vietnamese_sample_is_whole_in_svg_and_pdf() {
    let dir = scratch("names");
    let map_path = sample("vi_dien_may_8_buoc.ron");
    let map = format::load(&map_path).unwrap();
    let svg = dir.join("map.svg");
    let pdf = dir.join("map.pdf");
    journeymap(&["export", map_path.to_str().unwrap(), "--to", svg.to_str().unwrap()]);
    journeymap(&["export", map_path.to_str().unwrap(), "--to", pdf.to_str().unwrap()]);
    let (svg_text, pdf_text) = (svg_text(&svg), pdf_text(&pdf));
    for name in names(&map) {
        assert!(svg_text.contains(&name), "SVG lacks {name:?}");
        assert!(pdf_text.contains(&name), "PDF lacks {name:?}");
    }
    assert!(
        !svg_text.contains('…') && !pdf_text.contains('…'),
        "nothing is cut short"
    );
    for stage in map.stages.iter().filter(|s| !s.description.trim().is_empty()) {
        assert!(
            svg_text.contains(&folded(&stage.description)),
            "stage story {:?}",
            stage.name
        );
    }
    for text in ["Legend", "Channels", "Feels", "Funnel model:"] {
        assert!(svg_text.contains(text), "SVG explains itself: {text}");
        assert!(pdf_text.contains(text), "PDF explains itself: {text}");
    }
}

#[test]
fn with_data_the_export_shows_reach_and_the_data_source() {
    let dir = scratch("data");
    let db = dir.join("saas.sqlite");
    let events = sample("b2b_saas_inbound_events.csv");
    journeymap(&["import", events.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    let map_path = sample("b2b_saas_inbound.ron");
    let svg = dir.join("saas.svg");
    let md = dir.join("saas.md");
    let args = |out: &Path| {
        vec![
            "export".to_owned(),
            map_path.display().to_string(),
            "--to".into(),
            out.display().to_string(),
            "--db".into(),
            db.display().to_string(),
        ]
    };
    for out in [&svg, &md] {
        let args = args(out);
        journeymap(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let text = svg_text(&svg);
    assert!(text.contains("Data: saas.sqlite"), "the data source is named");
    assert!(text.contains("not measured"), "touchpoints without matchers are marked");
    // The reach `compare` gives each measured touchpoint is on its card.
    let map = format::load(&map_path).unwrap();
    let log = journeymap::store::load_events(&journeymap::store::Database::open(&db).unwrap()).unwrap();
    let comparison = journeymap::analysis::compare(&map, &log, 0.05);
    let mut shown = 0;
    for (tp, stats) in map.touchpoints.iter().zip(&comparison.touchpoints) {
        if tp.matchers.is_empty() || stats.people_reached == 0 {
            continue;
        }
        let n = journeymap::layout::text::group_thousands(stats.people_reached as f64);
        let badge = if stats.people_reached == 1 {
            "1 person".to_owned()
        } else {
            format!("{n} people")
        };
        assert!(text.contains(&folded(&badge)), "{}: {badge}", tp.name);
        shown += 1;
    }
    assert!(shown > 3, "reach shown for {shown} touchpoints");
    assert!(std::fs::read_to_string(&md).unwrap().contains("people"));
}
