//! The window, driven headless through its accessibility tree.

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::ui::{Document, JourneyApp};

fn open(sample: &str) -> (Harness<'static, JourneyApp>, journeymap::model::JourneyMap) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps").join(sample);
    let doc = Document::open(&path).unwrap();
    let map = doc.map().clone();
    let harness = Harness::builder()
        .with_size([1600.0, 1000.0])
        .build_eframe(move |cc| JourneyApp::new(&cc.egui_ctx, Ok(doc)));
    (harness, map)
}

fn fit_to_window(harness: &mut Harness<'static, JourneyApp>) {
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::Num0);
    harness.run();
}

#[test]
fn vietnamese_sample_shows_every_stage_and_touchpoint_by_name() {
    let (mut harness, map) = open("vi_dien_may_8_buoc.ron");
    harness.run();
    fit_to_window(&mut harness);
    for stage in &map.stages {
        harness.get_by_label(&stage.name);
    }
    for tp in &map.touchpoints {
        harness.get_by_label(&tp.name);
    }
}

#[test]
fn at_actual_size_only_what_is_on_screen_is_drawn() {
    let (mut harness, map) = open("vi_dien_may_8_buoc.ron");
    harness.run();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::Num1);
    harness.run();
    let drawn = |h: &Harness<'static, JourneyApp>| {
        map.touchpoints
            .iter()
            .filter(|t| h.query_by_label(&t.name).is_some())
            .count()
    };
    let at_100 = drawn(&harness);
    assert!(at_100 > 0, "cards show at 100%");
    assert!(
        at_100 < map.touchpoints.len(),
        "the rest of the map is off screen at 100%"
    );
    fit_to_window(&mut harness);
    assert_eq!(drawn(&harness), map.touchpoints.len());
}

#[test]
fn a_broken_file_shows_its_error_instead_of_a_map() {
    let dir = std::env::temp_dir().join(format!("journeymap-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.ron");
    let good = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps/sales_led_funnel.ron"))
        .unwrap();
    std::fs::write(&path, good.replacen("title:", "title: 42, titel:", 1)).unwrap();
    let err = Document::open(&path).err().expect("the file is broken");
    let mut harness = Harness::builder()
        .with_size([900.0, 600.0])
        .build_eframe(move |cc| JourneyApp::new(&cc.egui_ctx, Err((path, err))));
    harness.run();
    harness.get_by_label_contains("broken.ron:");
    harness.get_by_label("Open another file…");
}
