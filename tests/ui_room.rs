//! Room for the map: the inspector stays narrow with nothing selected, and
//! a shortcut hides and shows it, the canvas taking the space.

mod common;

use std::path::Path;

use common::{Picker, scratch};
use eframe::egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::ui::{Config, Document, JourneyApp};

fn open(sample: &str, name: &str) -> Harness<'static, JourneyApp> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps").join(sample);
    let doc = Document::open(&path).unwrap();
    let config = Config {
        picker: Box::new(Picker::default()),
        state_dir: scratch(name),
        autosave_seconds: 60.0,
    };
    let mut harness = Harness::builder()
        .with_size([1440.0, 900.0])
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |cc| JourneyApp::with_config(&cc.egui_ctx, Ok(doc), config));
    harness.run();
    harness
}

/// Presses and releases the mouse at `pos`.
fn click_at(h: &mut Harness<'static, JourneyApp>, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.run();
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.run();
    }
}

fn canvas_width(h: &Harness<'static, JourneyApp>) -> f32 {
    h.state().canvas_rect().expect("the canvas was drawn").width()
}

#[test]
fn with_nothing_selected_the_canvas_keeps_most_of_the_window() {
    let h = open("vi_dien_may_8_buoc.ron", "room-width");
    assert!(h.state().selection().is_empty());
    // The map's properties are on show, beside a canvas of at least 1100 of
    // the window's 1440 points.
    h.get_by_label("Journey map");
    let width = canvas_width(&h);
    assert!(width >= 1100.0, "the canvas is only {width} wide");
}

#[test]
fn ctrl_i_hides_the_inspector_and_the_canvas_takes_its_room() {
    let mut h = open("vi_dien_may_8_buoc.ron", "room-toggle");
    let with_inspector = canvas_width(&h);
    h.get_by_label("Journey map");

    h.key_press_modifiers(Modifiers::COMMAND, Key::I);
    h.run();
    assert!(h.query_by_label("Journey map").is_none(), "the inspector is hidden");
    let without = canvas_width(&h);
    assert!(
        without > with_inspector + 200.0,
        "the canvas grows from {with_inspector} to {without}"
    );
    assert!(without >= 1430.0, "the canvas spans the window: {without}");
    // The toolbar offers it back.
    h.get_by_label("Show inspector");

    h.key_press_modifiers(Modifiers::COMMAND, Key::I);
    h.run();
    h.get_by_label("Journey map");
    assert_eq!(canvas_width(&h), with_inspector, "back as it was");
    h.get_by_label("Hide inspector");
}

#[test]
fn clicking_the_persona_card_shows_the_map_and_its_personas() {
    let mut h = open("vi_dien_may_8_buoc.ron", "room-persona");
    let stage = common::map(&h).stages[0].name.clone();
    h.get_by_label(&stage).click();
    h.run();
    assert!(!h.state().selection().is_empty());
    assert!(h.query_by_label("Journey map").is_none());
    // The persona card sits above the stage headers, left where the spine
    // starts: a click on it leaves the selection for the map's properties.
    let canvas = h.state().canvas_rect().unwrap();
    let header = h.get_by_label(&stage).rect();
    let on_card = eframe::egui::pos2(header.left() + 60.0, canvas.top() + 40.0);
    assert!(on_card.y < header.top());
    click_at(&mut h, on_card);
    assert!(h.state().selection().is_empty());
    h.get_by_label("Journey map");
    h.get_by_label("Personas");
}
