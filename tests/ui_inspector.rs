//! The inspector panel, driven like a user drives it (headless): list rows
//! added, named by typing straight away and removed, the emotion track
//! clicked, and undo steps named for what changed.

mod common;

use common::{Picker, map, scratch};
use eframe::egui::{Event, Key, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use journeymap::model::Touchpoint;
use journeymap::ui::{Document, JourneyApp};

fn app(name: &str) -> Harness<'static, JourneyApp> {
    common::app(
        Document::bundled_sample(),
        Picker::default(),
        scratch(name).join("state"),
        3600.0,
    )
}

fn undo_label(h: &Harness<'static, JourneyApp>) -> Option<String> {
    h.state().document().unwrap().edit.undo_label().map(str::to_owned)
}

fn undo(h: &mut Harness<'static, JourneyApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
}

/// Selects the first touchpoint by clicking its card; returns it.
fn select_first_touchpoint(h: &mut Harness<'static, JourneyApp>) -> Touchpoint {
    let tp = map(h).touchpoints[0].clone();
    h.get_by_label(&tp.name).click();
    h.run();
    tp
}

/// Scrolls the inspector to the button and clicks it.
fn press(h: &mut Harness<'static, JourneyApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

/// Types into whatever field has the keyboard, as a user typing would.
fn type_text(h: &mut Harness<'static, JourneyApp>, text: &str) {
    h.event(Event::Text(text.to_owned()));
    h.run();
}

fn focused_label(h: &Harness<'static, JourneyApp>) -> Option<String> {
    h.query_all(egui_kittest::kittest::by().predicate(|n| n.is_focused()))
        .next()
        .and_then(|n| n.accesskit_node().label())
}

fn touchpoint(h: &Harness<'static, JourneyApp>, tp: &Touchpoint) -> Touchpoint {
    map(h).touchpoint(tp.id).unwrap().clone()
}

#[test]
fn a_new_metric_starts_unnamed_and_takes_the_name_typed_straight_away() {
    let mut h = app("metric");
    let tp = select_first_touchpoint(&mut h);
    press(&mut h, "Add metric");
    let added = touchpoint(&h, &tp).metrics;
    assert_eq!(added.len(), tp.metrics.len() + 1);
    assert_eq!(added.last().unwrap().name, "", "no made-up name to delete first");
    assert_eq!(undo_label(&h).as_deref(), Some("Add metric"));
    assert_eq!(focused_label(&h).as_deref(), Some("Metric name"));

    type_text(&mut h, "Impressions 2024");
    assert_eq!(touchpoint(&h, &tp).metrics.last().unwrap().name, "Impressions 2024");
    assert_eq!(undo_label(&h).as_deref(), Some("Rename metric"));

    // The typing is one step, the adding another.
    undo(&mut h);
    assert_eq!(touchpoint(&h, &tp).metrics.last().unwrap().name, "");
    undo(&mut h);
    assert_eq!(touchpoint(&h, &tp), tp);
}

#[test]
fn a_new_marketing_effort_takes_the_name_typed_straight_away() {
    let mut h = app("effort");
    let tp = select_first_touchpoint(&mut h);
    press(&mut h, "Add marketing effort");
    assert_eq!(undo_label(&h).as_deref(), Some("Add marketing effort"));
    assert_eq!(focused_label(&h).as_deref(), Some("Effort name"));
    type_text(&mut h, "Spring sale");
    let efforts = touchpoint(&h, &tp).efforts;
    assert_eq!(efforts.len(), tp.efforts.len() + 1);
    assert_eq!(efforts.last().unwrap().name, "Spring sale");
}

#[test]
fn a_new_persona_and_sticky_note_take_the_text_typed_straight_away() {
    let mut h = app("persona");
    // Nothing selected: the inspector shows the map.
    press(&mut h, "Add persona");
    assert_eq!(focused_label(&h).as_deref(), Some("Persona name"));
    type_text(&mut h, "Procurement lead");
    assert_eq!(map(&h).personas.last().unwrap().name, "Procurement lead");
    assert_eq!(undo_label(&h).as_deref(), Some("Rename persona"));

    let stage = map(&h).stages[0].clone();
    h.get_by_label(&stage.name).click();
    h.run();
    press(&mut h, "Add sticky note");
    type_text(&mut h, "Ask sales about Q3");
    let notes = &map(&h).stages[0].notes;
    assert_eq!(notes.len(), stage.notes.len() + 1);
    assert_eq!(notes.last().unwrap().text, "Ask sales about Q3");
}

#[test]
fn removing_a_metric_is_one_undo_step_named_for_it() {
    let mut h = app("remove");
    let tp = select_first_touchpoint(&mut h);
    let before = map(&h);
    // Work on a metric of our own, so the test does not depend on the sample.
    press(&mut h, "Add metric");
    type_text(&mut h, "Visits");
    let with_metric = map(&h);
    let count = touchpoint(&h, &tp).metrics.len();

    let remove = h.query_all_by_label("Remove metric").last().unwrap();
    remove.scroll_to_me();
    h.run();
    h.query_all_by_label("Remove metric").last().unwrap().click();
    h.run();
    let metrics = touchpoint(&h, &tp).metrics;
    assert_eq!(metrics.len(), count - 1);
    assert!(metrics.iter().all(|m| m.name != "Visits"));
    assert_eq!(undo_label(&h).as_deref(), Some("Remove metric"));

    undo(&mut h);
    assert_eq!(map(&h), with_metric, "one undo brings it back");
    undo(&mut h);
    undo(&mut h);
    assert_eq!(map(&h), before);
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

fn emotion_track(h: &Harness<'static, JourneyApp>) -> eframe::egui::Rect {
    h.query_all_by_label("Emotion")
        .find(|n| n.accesskit_node().role() == eframe::egui::accesskit::Role::Slider)
        .expect("the emotion slider")
        .rect()
}

#[test]
fn clicking_the_emotion_track_sets_the_emotion_there() {
    let mut h = app("emotion-track");
    let tp = select_first_touchpoint(&mut h);
    let track = emotion_track(&h);
    // The panel stays put while the app repaints, so the track is where the
    // user sees it.
    for _ in 0..5 {
        h.step();
    }
    assert_eq!(emotion_track(&h), track);

    // The handle's centre runs between the track's ends inset by its radius.
    let inset = track.height() / 2.5;
    let at = |value: i8| {
        let share = f32::from(value + 2) / 4.0;
        Pos2::new(
            track.left() + inset + share * (track.width() - 2.0 * inset),
            track.center().y,
        )
    };
    let others = [-2, 2, 1, 0, -1].into_iter().filter(|&v| v != tp.emotion);
    for value in others {
        click_at(&mut h, at(value));
        assert_eq!(touchpoint(&h, &tp).emotion, value, "clicked at {value}");
    }
    // A click between two marks picks the nearer.
    click_at(&mut h, at(1) + vec2(-0.2 * (at(2).x - at(1).x), 0.0));
    assert_eq!(touchpoint(&h, &tp).emotion, 1);
}

#[test]
fn an_emotion_change_is_undone_as_set_emotion() {
    let mut h = app("emotion-undo");
    let tp = select_first_touchpoint(&mut h);
    let track = emotion_track(&h);
    let end = if tp.emotion == 2 {
        track.left_center() + vec2(2.0, 0.0)
    } else {
        track.right_center() - vec2(2.0, 0.0)
    };
    click_at(&mut h, end);
    assert_ne!(touchpoint(&h, &tp).emotion, tp.emotion);
    assert_eq!(undo_label(&h).as_deref(), Some("Set emotion"));
    undo(&mut h);
    assert_eq!(touchpoint(&h, &tp), tp);
}

#[test]
fn typing_in_one_field_is_one_undo_step_named_for_the_field() {
    let mut h = app("rename");
    let tp = select_first_touchpoint(&mut h);
    h.get_by_label("Name").focus();
    h.run();
    h.key_press(Key::End);
    for part in [" (", "paid", ")"] {
        type_text(&mut h, part);
    }
    assert_eq!(touchpoint(&h, &tp).name, format!("{} (paid)", tp.name));
    assert_eq!(undo_label(&h).as_deref(), Some("Rename touchpoint"));
    undo(&mut h);
    assert_eq!(touchpoint(&h, &tp), tp);
}

#[test]
fn the_inspector_keeps_its_width_while_the_app_repaints() {
    let mut h = app("width");
    let stage = map(&h).stages[0].name.clone();
    let first = map(&h).touchpoints[0].name.clone();
    // The map, a stage, a touchpoint: a button low in each panel stays put.
    for (select, button) in [
        (None, "Add funnel stage"),
        (Some(stage), "Add sticky note"),
        (Some(first), "Add metric"),
    ] {
        if let Some(label) = select {
            h.get_by_label(&label).click();
            h.run();
        }
        let before = h.get_by_label(button).rect();
        for _ in 0..5 {
            h.step();
        }
        assert_eq!(h.get_by_label(button).rect(), before, "{button}");
    }
}

#[test]
fn the_inspector_keeps_its_width_between_selections() {
    let mut h = app("width-between");
    let stage = map(&h).stages[0].name.clone();
    let first = map(&h).touchpoints[0].name.clone();
    // Each panel's heading starts at the panel's left margin, so its x is
    // where the panel's edge is.
    let left = |h: &Harness<'static, JourneyApp>, heading: &str| h.get_by_label(heading).rect().left();
    let map_panel = left(&h, "Journey map");
    h.get_by_label(&first).click();
    h.run();
    assert_eq!(
        left(&h, "Touchpoint"),
        map_panel,
        "a touchpoint's inspector is as wide as the map's"
    );
    h.get_by_label(&stage).click();
    h.run();
    assert_eq!(
        left(&h, "Stage"),
        map_panel,
        "a stage's inspector is as wide as the map's"
    );
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(left(&h, "Journey map"), map_panel);
}
