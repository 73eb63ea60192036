//! Editing by keyboard as a person does it: new things take the name typed,
//! renaming happens on the canvas, and single-key shortcuts never fire while
//! text is being typed.

mod common;

use common::{Picker, app, map, press, scratch, template, type_keys};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::kittest::Queryable;
use journeymap::model::format;
use journeymap::ui::Item;

#[test]
fn ten_touchpoints_and_three_stages_named_with_the_keyboard_alone() {
    let dir = scratch("keyboard-only");
    let file = dir.join("workshop.ron");
    let picker = Picker::default();
    *picker.save.lock().unwrap() = Some(file.clone());
    let mut h = app(template("basic", "Workshop"), picker, dir.join("state"), 3600.0);
    let stages_before = map(&h).stages.len();

    let stages = ["Awareness test", "Trial 14 days", "Renewal & upsell"];
    let touchpoints: [&[&str]; 3] = [
        &["LinkedIn ad", "Trade show stand", "Podcast sponsorship 2"],
        &["Signup form", "Onboarding email #1", "Sales demo"],
        &["Invoice", "Success check-in", "NPS survey", "Case study 2025"],
    ];
    for (stage, names) in stages.iter().zip(touchpoints) {
        press(&mut h, Key::S);
        type_keys(&mut h, stage);
        press(&mut h, Key::Enter);
        for name in names.iter() {
            press(&mut h, Key::T);
            type_keys(&mut h, name);
            press(&mut h, Key::Enter);
        }
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();

    let saved = format::load(&file).unwrap();
    assert_eq!(saved.stages.len(), stages_before + 3);
    let stage_names: Vec<&str> = saved.stages[stages_before..].iter().map(|s| s.name.as_str()).collect();
    assert_eq!(stage_names, stages);
    for (stage, names) in saved.stages[stages_before..].iter().zip(touchpoints) {
        let in_stage: Vec<&str> = saved.touchpoints_in(stage.id).map(|t| t.name.as_str()).collect();
        assert_eq!(in_stage, *names, "touchpoints of {}", stage.name);
    }
    assert_eq!(saved.touchpoints.len(), 10);
    assert_eq!(saved.title, "Workshop", "typing never reached the map title");
}

#[test]
fn adding_then_naming_is_one_undo_step_and_esc_keeps_the_new_touchpoint() {
    let dir = scratch("esc-new");
    let mut h = app(template("basic", "Esc"), Picker::default(), dir.join("state"), 3600.0);
    press(&mut h, Key::T);
    type_keys(&mut h, "Retargeting");
    press(&mut h, Key::Enter);
    assert_eq!(map(&h).touchpoints[0].name, "Retargeting");
    let doc = h.state().document().unwrap();
    assert_eq!(doc.edit.undo_label(), Some("Add touchpoint"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        map(&h).touchpoints.is_empty(),
        "one undo takes the named touchpoint away"
    );

    press(&mut h, Key::T);
    type_keys(&mut h, "Half typed");
    press(&mut h, Key::Escape);
    let m = map(&h);
    assert_eq!(m.touchpoints.len(), 1, "Esc ends the rename; the new touchpoint stays");
    assert_eq!(m.touchpoints[0].name, "New touchpoint");
    assert!(h.state().renaming().is_none());
}

#[test]
fn double_click_in_a_stage_adds_a_touchpoint_and_typing_names_it() {
    let dir = scratch("double-click");
    let mut h = app(
        template("basic", "Untitled journey"),
        Picker::default(),
        dir.join("state"),
        3600.0,
    );
    let stage = map(&h).stages[0].clone();
    let header = h.get_by_label(&stage.name).rect();
    // An empty part of the stage's column, well below its header.
    let spot = egui::pos2(header.center().x, header.bottom() + 200.0);
    h.hover_at(spot);
    for _ in 0..2 {
        for pressed in [true, false] {
            h.event(egui::Event::PointerButton {
                pos: spot,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
        }
        h.step();
    }
    h.run();
    let m = map(&h);
    assert_eq!(m.touchpoints.len(), 1, "the double click added a touchpoint");
    let id = m.touchpoints[0].id;
    assert_eq!(m.touchpoints[0].stage, stage.id);
    assert_eq!(h.state().renaming(), Some(Item::Touchpoint(id)));
    assert!(
        h.state().selection().touchpoints.contains(&id),
        "the new touchpoint stays selected"
    );
    type_keys(&mut h, "Retargeting");
    press(&mut h, Key::Enter);
    let m = map(&h);
    assert_eq!(m.touchpoints[0].name, "Retargeting");
    assert_eq!(m.title, "Untitled journey", "the map title was not touched");
}

#[test]
fn f2_renames_on_the_canvas_enter_keeps_and_esc_restores() {
    let dir = scratch("f2");
    let mut h = app(
        journeymap::ui::Document::bundled_sample(),
        Picker::default(),
        dir.join("state"),
        3600.0,
    );
    let first = map(&h).touchpoints[0].clone();
    h.get_by_label(&first.name).click();
    h.run();
    press(&mut h, Key::F2);
    h.get_by_label("Rename touchpoint");
    type_keys(&mut h, "Webinar 3");
    press(&mut h, Key::Enter);
    assert_eq!(map(&h).touchpoint(first.id).unwrap().name, "Webinar 3");
    assert_eq!(
        h.state().document().unwrap().edit.undo_label(),
        Some("Rename touchpoint")
    );

    press(&mut h, Key::F2);
    type_keys(&mut h, "Something else");
    press(&mut h, Key::Escape);
    assert_eq!(map(&h).touchpoint(first.id).unwrap().name, "Webinar 3", "Esc restores");

    // Enter on a selected stage renames it too.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    let stage = map(&h).stages[1].clone();
    h.get_by_label(&stage.name).click();
    h.run();
    press(&mut h, Key::Enter);
    h.get_by_label("Rename stage");
    type_keys(&mut h, "Evaluate");
    press(&mut h, Key::Enter);
    assert_eq!(map(&h).stage(stage.id).unwrap().name, "Evaluate");
}

#[test]
fn typing_in_a_fresh_metric_and_effort_never_fires_shortcuts() {
    let dir = scratch("metric");
    let mut h = app(
        journeymap::ui::Document::bundled_sample(),
        Picker::default(),
        dir.join("state"),
        3600.0,
    );
    let before = map(&h);
    let tp = before.touchpoints[0].clone();
    h.get_by_label(&tp.name).click();
    h.run();

    // A new row's name field takes the keyboard: type straight away, with
    // real key presses (S, T and digits among them).
    h.get_by_label("Add metric").click();
    h.run();
    let fields = h.get_all_by_label("Metric name").count();
    type_keys(&mut h, "Impressions 2024 test");
    h.key_press(Key::Tab);
    h.run();

    h.get_by_label("Add marketing effort").scroll_to_me();
    h.run();
    h.get_by_label("Add marketing effort").click();
    h.run();
    type_keys(&mut h, "Spring sale 5");
    h.key_press(Key::Tab);
    h.run();

    let after = map(&h);
    assert_eq!(
        after.stages.len(),
        before.stages.len(),
        "S typed in a field added no stage"
    );
    assert_eq!(
        after.touchpoints.len(),
        before.touchpoints.len(),
        "T typed in a field added no touchpoint"
    );
    let edited = after.touchpoint(tp.id).unwrap();
    assert_eq!(edited.metrics.len(), fields);
    assert_eq!(edited.metrics.last().unwrap().name, "Impressions 2024 test");
    assert_eq!(edited.efforts.last().unwrap().name, "Spring sale 5");
}

#[test]
fn a_new_stage_is_scrolled_into_view() {
    let dir = scratch("reveal");
    let mut h = app(
        journeymap::ui::Document::bundled_sample(),
        Picker::default(),
        dir.join("state"),
        3600.0,
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run();
    press(&mut h, Key::S);
    type_keys(&mut h, "Advocacy");
    press(&mut h, Key::Enter);
    let header = h.get_by_label("Advocacy").rect();
    assert!(
        header.right() > 0.0 && header.left() < 1600.0,
        "the new stage's header is on screen: {header:?}"
    );
}

#[test]
fn the_status_bar_says_what_is_saved() {
    let dir = scratch("status");
    let file = dir.join("status.ron");
    let picker = Picker::default();
    *picker.save.lock().unwrap() = Some(file.clone());
    let mut h = app(template("basic", "Status"), picker, dir.join("state"), 3600.0);
    h.get_by_label_contains("not saved yet");
    h.get_by_label_contains("0 touchpoints");
    press(&mut h, Key::T);
    press(&mut h, Key::Enter);
    h.get_by_label_contains("1 touchpoint ·");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(h.state().current_status().unwrap().starts_with("Saved"));
    press(&mut h, Key::T);
    press(&mut h, Key::Enter);
    assert_eq!(
        h.state().current_status(),
        None,
        "a stale 'Saved' is dropped once the map changes"
    );
    h.get_by_label_contains("unsaved changes");
}

#[test]
fn with_no_file_dialog_the_app_asks_for_the_path_itself() {
    let dir = scratch("no-dialog");
    let file = dir.join("typed.ron");
    let picker = Picker {
        no_dialog: true,
        ..Default::default()
    };
    let mut h = app(template("aida", "Typed path"), picker, dir.join("state"), 3600.0);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.run();
    h.get_by_label_contains("no portal");
    // The path field has the keyboard: type, then Enter.
    type_keys(&mut h, file.to_str().unwrap());
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(format::load(&file).unwrap().title, "Typed path");
    assert!(!h.state().document().unwrap().edit.is_modified());
}

/// A saved map "M" (so it has a database beside it) and a small events
/// table named `events_name` in `dir`.
fn saved_map_and_events(dir: &std::path::Path, events_name: &str) -> (journeymap::ui::Document, std::path::PathBuf) {
    let csv = dir.join(events_name);
    std::fs::write(&csv, "person_id,timestamp,event\n1,2026-01-01T10:00:00Z,signup\n").unwrap();
    let map_file = dir.join("map.ron");
    format::save(&template("basic", "M").map().clone(), &map_file).unwrap();
    (journeymap::ui::Document::open(&map_file).unwrap(), csv)
}

#[test]
fn a_file_that_is_not_a_map_is_explained_and_an_events_table_can_be_imported() {
    let dir = scratch("not-a-map");
    let (doc, csv) = saved_map_and_events(&dir, "events.ron");
    let picker = Picker::default();
    *picker.open.lock().unwrap() = Some(csv);
    let mut h = app(doc, picker, dir.join("state"), 3600.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.get_by_label("This file is not a Journeymap map");
    assert!(
        h.query_by_label_contains("expected struct").is_none(),
        "no developer wording"
    );
    h.get_by_label("Import as events…").click();
    h.run();
    h.get_by_label("Import events");
    assert_eq!(map(&h).title, "M", "the open map stayed open");
}

#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl eframe::egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_csv_dropped_on_the_window_opens_the_import_dialog() {
    let dir = scratch("drop-csv");
    let (doc, csv) = saved_map_and_events(&dir, "events.csv");
    let mut h = app(doc, Picker::default(), dir.join("state"), 3600.0);
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(csv)));
    h.run();
    h.get_by_label("Import events");
}

#[test]
fn pasted_decomposed_text_enters_the_map_composed() {
    let dir = scratch("nfc");
    let mut h = app(template("basic", "NFC"), Picker::default(), dir.join("state"), 3600.0);
    // "Người" with its marks as separate characters, as some sources paste it.
    let decomposed = "Ngu\u{031b}o\u{031b}\u{0300}i mua";
    h.event(egui::Event::Paste(decomposed.to_owned()));
    h.run();
    let m = map(&h);
    assert_eq!(m.touchpoints.len(), 1, "a pasted line became a touchpoint");
    assert_eq!(m.touchpoints[0].name, "Người mua");
    press(&mut h, Key::F2);
    h.event(egui::Event::Text("Vie\u{0302}\u{0323}t".to_owned()));
    h.run();
    press(&mut h, Key::Enter);
    assert_eq!(map(&h).touchpoints[0].name, "Việt");
}

#[test]
fn dont_save_then_a_cancelled_open_keeps_the_edits_unsaved() {
    let dir = scratch("dont-save-cancel");
    let mut h = app(template("basic", "Keep"), Picker::default(), dir.join("state"), 3600.0);
    press(&mut h, Key::T);
    press(&mut h, Key::Enter);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.get_by_label("Don't save").click();
    h.run();
    // The picker answers nothing: the edited map stays, and stays unsaved.
    assert_eq!(map(&h).touchpoints.len(), 1);
    assert!(h.state().document().unwrap().edit.is_modified());
}

#[test]
fn esc_on_a_rename_with_nothing_typed_changes_nothing() {
    let dir = scratch("esc-noop");
    let mut h = app(template("basic", "Esc"), Picker::default(), dir.join("state"), 3600.0);
    let stage = map(&h).stages[0].name.clone();
    h.get_by_label(&stage).click();
    h.run();
    press(&mut h, Key::F2);
    press(&mut h, Key::Escape);
    assert!(!h.state().document().unwrap().edit.is_modified(), "no empty undo step");
}

#[test]
fn esc_leaving_an_inspector_field_keeps_the_selection() {
    let dir = scratch("esc-field");
    let mut h = app(
        journeymap::ui::Document::bundled_sample(),
        Picker::default(),
        dir.join("state"),
        3600.0,
    );
    let tp = map(&h).touchpoints[0].clone();
    h.get_by_label(&tp.name).click();
    h.run();
    h.get_by_label("Description").focus();
    h.run();
    press(&mut h, Key::Escape);
    assert!(
        h.state().selection().touchpoints.contains(&tp.id),
        "Esc only left the field"
    );
    press(&mut h, Key::Escape);
    assert!(h.state().selection().is_empty(), "a second Esc clears the selection");
}

#[test]
fn cut_takes_only_the_touchpoints_and_never_acts_out_of_sight() {
    let dir = scratch("cut");
    let mut h = app(
        journeymap::ui::Document::bundled_sample(),
        Picker::default(),
        dir.join("state"),
        3600.0,
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    let before = map(&h);
    let tp = before.touchpoints[0].clone();
    let stage = before.stages.last().unwrap().clone();
    h.get_by_label(&tp.name).click();
    h.run();
    h.get_by_label(&stage.name).click_modifiers(Modifiers::SHIFT);
    h.run();
    // In the Data view, cut and paste events do nothing to the map.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    h.run();
    h.event(egui::Event::Cut);
    h.run();
    assert_eq!(map(&h).touchpoints.len(), before.touchpoints.len());
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    h.run();
    h.event(egui::Event::Cut);
    h.run();
    let after = map(&h);
    assert!(after.touchpoint(tp.id).is_none(), "the touchpoint was cut");
    assert!(
        after.stage(stage.id).is_some(),
        "the selected stage was not copied, so it stays"
    );
}
