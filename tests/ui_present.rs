//! Presentation mode: enter, step through every stage, show speaker notes,
//! see the overview, leave.

use std::path::Path;

use eframe::egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::ui::{Document, JourneyApp};

#[test]
fn present_steps_through_every_stage_and_leaves() {
    for (sample, size) in [
        ("pl_oprogramowanie_b2b.ron", [1920.0, 1080.0]),
        ("vi_dien_may_8_buoc.ron", [1366.0, 768.0]),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps").join(sample);
        let doc = Document::open(&path).unwrap();
        let map = doc.map().clone();
        let mut h = Harness::builder()
            .with_size(size)
            .with_max_steps(200)
            .build_eframe(move |cc| JourneyApp::new(&cc.egui_ctx, Ok(doc)));
        h.run();
        h.get_by_label("File");

        h.key_press(Key::F5);
        h.run();
        assert!(h.query_by_label("File").is_none(), "editing chrome is hidden");
        let n = map.stages.len();
        for (i, stage) in map.stages.iter().enumerate() {
            h.get_by_label(&format!("Stage {} of {n}: {}", i + 1, stage.name));
            // The stage on show is drawn, with its touchpoints.
            let first = map.touchpoints_in(stage.id).next().unwrap();
            h.get_by_label(&first.name);
            h.key_press(Key::ArrowRight);
            h.run();
        }
        // Past the last stage it stays on the last.
        h.get_by_label(&format!("Stage {n} of {n}: {}", map.stages[n - 1].name));

        h.key_press(Key::N);
        h.run();
        h.get_by_label("Speaker notes");
        let note = map.stages[n - 1].notes.first().map(|n| n.text.clone());
        if let Some(note) = note {
            h.get_by_label(&note);
        }

        h.key_press(Key::O);
        h.run();
        h.get_by_label(&format!("{} — overview", map.title));

        h.key_press(Key::Escape);
        h.run();
        h.get_by_label("File");
        assert!(h.query_by_label("Speaker notes").is_none());
    }
}
