//! The editor, driven like a user drives it (clicks and keys on accessible
//! labels, headless): make a map, edit it, link, undo, save, reopen.

mod common;

use common::{Picker, app, map, scratch, wait_for_export};
use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::model::format;
use journeymap::ui::{Document, JourneyApp};

/// Replaces the text of the field labelled `label`.
fn set_text(harness: &mut Harness<'static, JourneyApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run();
    // Leave the field, as a user clicking elsewhere would.
    harness.key_press(Key::Escape);
    harness.run();
}

#[test]
fn make_a_map_edit_link_undo_save_and_reopen() {
    let dir = scratch("flow");
    let file = dir.join("webinar.ron");
    let picker = Picker::default();
    *picker.save.lock().unwrap() = Some(file.clone());
    let mut h = app(Document::bundled_sample(), picker, dir.join("state"), 3600.0);

    // New map from the AIDA template.
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    set_text(&mut h, "Title", "Webinar funnel");
    h.get_by_label("AIDA").click();
    h.run();
    h.get_by_label("Create").click();
    h.run();
    assert_eq!(map(&h).title, "Webinar funnel");
    assert_eq!(map(&h).stages.len(), 4);

    // A fifth stage, renamed in the inspector.
    h.get_by_label("Add stage").click();
    h.run();
    set_text(&mut h, "Stage name", "Loyalty");
    assert_eq!(map(&h).stages.last().unwrap().name, "Loyalty");

    // A touchpoint in it, renamed.
    h.get_by_label("Add touchpoint").click();
    h.run();
    set_text(&mut h, "Name", "Webinar signup");
    // Another in the first stage: select the stage on the canvas first
    // (fit to window: the new stage scrolled the first one out of view).
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    h.get_by_label("Attention").click();
    h.run();
    h.get_by_label("Add touchpoint").click();
    h.run();
    set_text(&mut h, "Name", "Ad click");
    let m = map(&h);
    let names: Vec<&str> = m.touchpoints.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Webinar signup", "Ad click"]);
    assert_eq!(m.stage(m.touchpoints[1].stage).unwrap().name, "Attention");

    // Link "Ad click" to "Webinar signup" from the inspector.
    h.get_by_label("Ad click").click();
    h.run();
    h.get_by_label("Link to").click();
    h.run();
    h.get_by_label("Loyalty · Webinar signup").click();
    h.run();
    let m = map(&h);
    assert_eq!(m.links.len(), 1);
    assert_eq!(
        (m.links[0].from, m.links[0].to),
        (m.touchpoints[1].id, m.touchpoints[0].id)
    );

    // Undo takes the link away, redo brings it back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(map(&h).links.is_empty());
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(map(&h).links.len(), 1);

    // Save (the dialog answers `file`), then reopen and find everything.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(!h.state().document().unwrap().edit.is_modified());
    let saved = format::load(&file).unwrap();
    assert_eq!(saved.title, "Webinar funnel");

    let mut again = app(
        Document::open(&file).unwrap(),
        Picker::default(),
        dir.join("state"),
        3600.0,
    );
    again.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    again.run();
    for label in ["Loyalty", "Attention", "Webinar signup", "Ad click"] {
        again.get_by_label(label);
    }
    assert_eq!(map(&again).links.len(), 1);
}

#[test]
fn deleting_and_undoing_restores_the_touchpoint_and_its_links() {
    let dir = scratch("delete");
    let mut h = app(Document::bundled_sample(), Picker::default(), dir.join("state"), 3600.0);
    let before = map(&h);
    let first = before.touchpoints[0].name.clone();
    h.get_by_label(&first).click();
    h.run();
    h.key_press(Key::Delete);
    h.run();
    assert!(map(&h).touchpoints.iter().all(|t| t.name != first));
    assert!(map(&h).links.len() < before.links.len(), "its links went with it");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(map(&h), before);
}

#[test]
fn opening_another_map_with_unsaved_changes_asks_first() {
    let dir = scratch("unsaved");
    let picker = Picker::default();
    let other = dir.join("other.ron");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/sales_led_funnel.ron"),
        &other,
    )
    .unwrap();
    *picker.open.lock().unwrap() = Some(other);
    let mut h = app(Document::bundled_sample(), picker, dir.join("state"), 3600.0);
    h.get_by_label("Add stage").click();
    h.run();
    h.key_press(Key::Escape);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.get_by_label("Save changes?");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(
        map(&h).stages.iter().any(|s| s.name == "New stage"),
        "cancel keeps the edited map"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.get_by_label("Don't save").click();
    h.run();
    assert_eq!(
        map(&h).title,
        format::load(concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/sales_led_funnel.ron").as_ref())
            .unwrap()
            .title
    );
}

#[test]
fn unsaved_work_survives_a_crash_and_is_offered_back_once() {
    let dir = scratch("recovery");
    let state = dir.join("state");
    let file = dir.join("mine.ron");
    format::save(Document::bundled_sample().map(), &file).unwrap();
    let offered = |h: &Harness<'static, JourneyApp>| h.query_by_label("Restore unsaved work?").is_some();

    // Window A has unsaved work, autosaved at once.
    let mut a = app(Document::open(&file).unwrap(), Picker::default(), state.clone(), 0.0);
    a.get_by_label("Add stage").click();
    a.run();
    set_text(&mut a, "Stage name", "Bought again");
    a.run();

    // Window B starts and quits cleanly: A is alive, so B neither offers
    // A's work nor removes it.
    let mut b = app(Document::bundled_sample(), Picker::default(), state.clone(), 0.0);
    assert!(!offered(&b), "a live window's work is never offered");
    eframe::App::on_exit(b.state_mut(), None);
    drop(b);

    // A dies without saving: its lock goes, its work stays (a real crash is
    // tested with a killed process in tests/recovery.rs).
    drop(a);
    let mut c = app(Document::bundled_sample(), Picker::default(), state.clone(), 0.0);
    assert!(offered(&c));
    let path = file.display().to_string();
    assert!(
        c.query_by_label_contains(&path).is_some(),
        "the dialog names {path}: {:#?}",
        c.root()
    );
    c.get_by_label("Restore").click();
    c.run();
    assert!(map(&c).stages.iter().any(|s| s.name == "Bought again"));
    let doc = c.state().document().unwrap();
    assert!(doc.edit.is_modified(), "restored work still needs saving");
    assert_eq!(
        doc.path.as_deref(),
        Some(file.as_path()),
        "it saves back to the file it came from"
    );

    // Offered once: C now owns it, so a window starting now sees nothing.
    let d = app(Document::bundled_sample(), Picker::default(), state.clone(), 0.0);
    assert!(!offered(&d));
    drop(d);

    // C dies too; discarding it clears it for good.
    drop(c);
    let mut e = app(Document::bundled_sample(), Picker::default(), state.clone(), 0.0);
    e.get_by_label("Discard").click();
    e.run();
    drop(e);
    let f = app(Document::bundled_sample(), Picker::default(), state, 0.0);
    assert!(!offered(&f));
    assert_eq!(
        format::load(&file).unwrap(),
        *Document::bundled_sample().map(),
        "the map file was never touched"
    );
}

/// Presses at `from`, moves in small steps to `to`, releases: a mouse drag.
fn drag(h: &mut Harness<'static, JourneyApp>, from: eframe::egui::Pos2, to: eframe::egui::Pos2) {
    use eframe::egui::{Event, PointerButton};
    h.event(Event::PointerMoved(from));
    h.run();
    h.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.run();
    for i in 1..=10 {
        let p = from + (to - from) * (i as f32 / 10.0);
        h.event(Event::PointerMoved(p));
        h.run();
    }
    h.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
}

#[test]
fn dragging_a_card_moves_it_to_another_stage_in_one_undo_step() {
    let dir = scratch("drag-move");
    let mut h = app(Document::bundled_sample(), Picker::default(), dir.join("state"), 3600.0);
    let before = map(&h);
    let moved = before.touchpoints[0].clone();
    let target_stage = &before.stages[1];
    let target_first = before.touchpoints_in(target_stage.id).next().unwrap().name.clone();
    let from = h.get_by_label(&moved.name).rect().center();
    // Drop on the top left corner of the second stage's first card: before
    // it, whether cards stand side by side (full form) or stacked (overview).
    let target = h.get_by_label(&target_first).rect();
    drag(&mut h, from, target.left_top() + eframe::egui::vec2(4.0, 4.0));
    let after = map(&h);
    let tp = after.touchpoint(moved.id).unwrap();
    assert_eq!(tp.stage, target_stage.id, "moved into the second stage");
    assert_eq!(
        after.touchpoints_in(target_stage.id).next().unwrap().id,
        moved.id,
        "as its first touchpoint"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(map(&h), before, "one undo puts it back");
}

#[test]
fn dragging_from_a_cards_handle_to_another_card_links_them() {
    let dir = scratch("drag-link");
    let mut h = app(Document::bundled_sample(), Picker::default(), dir.join("state"), 3600.0);
    let before = map(&h);
    // Links are drawn from cards of the full form, at actual size.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run();
    // Two cards wholly on screen at 100% not linked yet.
    let linked = |x: &journeymap::model::Touchpoint, y: &journeymap::model::Touchpoint| {
        before.links.iter().any(|l| l.from == x.id && l.to == y.id)
    };
    let first: Vec<_> = before
        .touchpoints
        .iter()
        .filter(|t| {
            h.query_by_label(&t.name)
                .is_some_and(|n| n.rect().width() >= journeymap::layout::CARD_WIDTH - 1.0)
        })
        .collect();
    let (a, b) = first
        .iter()
        .flat_map(|x| first.iter().map(move |y| (*x, *y)))
        .find(|(x, y)| x.id != y.id && !linked(x, y))
        .expect("an unlinked pair");
    let handle = h.get_by_label(&a.name).rect().right_center() - eframe::egui::vec2(2.0, 0.0);
    let target = h.get_by_label(&b.name).rect().center();
    drag(&mut h, handle, target);
    let after = map(&h);
    assert_eq!(after.links.len(), before.links.len() + 1);
    assert!(after.links.iter().any(|l| l.from == a.id && l.to == b.id));
}

#[test]
fn metrics_bound_to_data_show_what_the_database_measured() {
    use journeymap::model::{DataMeasure, MetricSource};
    let dir = scratch("measured");
    let map_path = dir.join("saas.ron");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/b2b_saas_inbound.ron"),
        &map_path,
    )
    .unwrap();
    let mut db = journeymap::store::Database::open(&dir.join("saas.sqlite")).unwrap();
    let csv = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_maps/b2b_saas_inbound_events.csv"
    ));
    let options = journeymap::store::ImportOptions::default();
    journeymap::store::import_csv(
        &mut db,
        csv,
        &options,
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap();
    let log = journeymap::store::load_events(&db).unwrap();
    drop(db);

    let map = format::load(&map_path).unwrap();
    let expected = journeymap::analysis::compare(&map, &log, 0.05);
    let mut h = app(
        Document::open(&map_path).unwrap(),
        Picker::default(),
        dir.join("state"),
        3600.0,
    );
    for _ in 0..50 {
        h.step();
    }
    let shown = h.state().shown_map().unwrap().clone();
    let mut checked = 0;
    for (tp, stats) in shown.touchpoints.iter().zip(&expected.touchpoints) {
        for m in tp
            .metrics
            .iter()
            .filter(|m| m.source == MetricSource::Data(DataMeasure::PeopleReached))
        {
            assert_eq!(m.value, Some(stats.people_reached as f64), "{}: {}", tp.name, m.name);
            checked += 1;
        }
    }
    assert!(checked > 0, "the sample binds some metrics to data");
    // The file keeps what the user typed; measured values are for display.
    assert_eq!(h.state().document().unwrap().map(), &map);
}

#[test]
fn exporting_from_the_file_menu_writes_the_picture_and_leaves_the_map_alone() {
    let dir = scratch("export");
    let map_path = dir.join("map.ron");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/pl_oprogramowanie_b2b.ron"),
        &map_path,
    )
    .unwrap();
    let before = std::fs::read(&map_path).unwrap();
    let picker = Picker::default();
    let out = dir.join("mapa.svg");
    *picker.export.lock().unwrap() = Some(out.clone());
    let mut h = app(Document::open(&map_path).unwrap(), picker, dir.join("state"), 3600.0);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("SVG drawing…").click();
    h.step();
    // Written on a worker: the window keeps drawing meanwhile.
    wait_for_export(&mut h);
    assert!(h.state().current_status().unwrap().starts_with("Exported"));
    let svg = std::fs::read_to_string(&out).unwrap();
    let map = format::load(&map_path).unwrap();
    assert!(
        svg.starts_with("<?xml") || svg.starts_with("<svg"),
        "{}",
        &svg[..80.min(svg.len())]
    );
    for stage in &map.stages {
        assert!(svg.contains(&stage.name), "{} is in the SVG", stage.name);
    }
    assert_eq!(std::fs::read(&map_path).unwrap(), before, "the map file is untouched");
}

#[test]
fn clipboard_events_copy_paste_and_turn_pasted_lines_into_touchpoints() {
    use eframe::egui::Event;
    let dir = scratch("clipboard");
    let mut h = app(Document::bundled_sample(), Picker::default(), dir.join("state"), 3600.0);
    let before = map(&h);
    let first = before.touchpoints[0].clone();
    h.get_by_label(&first.name).click();
    h.run();
    // The desktop sends Ctrl+C as a Copy event; the names go to the system clipboard.
    h.event(Event::Copy);
    h.run();
    // Pasting that same text back pastes the touchpoint itself, metrics and all.
    h.event(Event::Paste(first.name.clone()));
    h.run();
    let after = map(&h);
    assert_eq!(after.touchpoints.len(), before.touchpoints.len() + 1);
    let copy = after
        .touchpoints
        .iter()
        .find(|t| t.name == first.name && t.id != first.id)
        .expect("a pasted copy");
    assert_eq!(copy.metrics.len(), first.metrics.len());

    // Other text: one new touchpoint per non-empty line, in the selected stage.
    let stage = before.stages[0].clone();
    h.get_by_label(&stage.name).click();
    h.run();
    h.event(Event::Paste(
        "Webinar invite\n\n  Demo call  \r\nFollow-up email".into(),
    ));
    h.run();
    let names: Vec<String> = map(&h).touchpoints_in(stage.id).map(|t| t.name.clone()).collect();
    assert!(
        names.ends_with(&[
            "Webinar invite".to_owned(),
            "Demo call".into(),
            "Follow-up email".into()
        ]),
        "{names:?}"
    );
    // One undo step takes all three away.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(map(&h).touchpoints.len(), after.touchpoints.len());
}

#[test]
fn an_autosave_that_cannot_work_says_so_in_the_status_bar() {
    let dir = scratch("autosave-off");
    // The state folder's place is taken by a file: no recovery slot can be made.
    let blocked = dir.join("state");
    std::fs::write(&blocked, "not a folder").unwrap();
    let h = app(Document::bundled_sample(), Picker::default(), blocked, 0.0);
    h.get_by_label_contains("Autosave is off");
}

#[test]
fn a_long_export_never_freezes_the_window() {
    let dir = scratch("export-worker");
    let out = dir.join("big.png");
    let picker = Picker::default();
    *picker.export.lock().unwrap() = Some(out.clone());
    let big = journeymap::model::generate::generated_map(150, 220, 7);
    let mut h = app(Document::new(big, None), picker, dir.join("state"), 3600.0);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("PNG image…").click();
    h.step();
    // The frame that started the export has returned; the next ones draw
    // while the picture is still being written.
    h.step();
    assert!(h.state().exporting(), "the export runs beside the window");
    h.get_by_label_contains("Exporting PNG image to big.png");
    wait_for_export(&mut h);
    let png = std::fs::read(&out).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
}

#[test]
fn dragging_two_cards_right_within_their_stage_keeps_them_in_order() {
    use journeymap::model::{Touchpoint, TouchpointId};
    let dir = scratch("drag-two");
    let mut m = journeymap::model::templates::find("basic").unwrap().new_map("Order");
    let stage = m.stages[0].id;
    for (i, name) in ["Alpha", "Bravo", "Charlie", "Delta"].iter().enumerate() {
        m.touchpoints
            .push(Touchpoint::new(TouchpointId(900 + i as u32), stage, name));
    }
    let mut h = app(Document::new(m, None), Picker::default(), dir.join("state"), 3600.0);
    h.get_by_label("Alpha").click();
    h.run();
    h.get_by_label("Bravo").click_modifiers(Modifiers::SHIFT);
    h.run();
    let (a, c, d) = (
        h.get_by_label("Alpha").rect(),
        h.get_by_label("Charlie").rect(),
        h.get_by_label("Delta").rect(),
    );
    // Drop between Charlie and Delta.
    let to = eframe::egui::pos2((c.right() + d.left()) / 2.0, c.center().y);
    drag(&mut h, a.center(), to);
    let names: Vec<String> = map(&h).touchpoints_in(stage).map(|t| t.name.clone()).collect();
    assert_eq!(names, ["Charlie", "Alpha", "Bravo", "Delta"]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let names: Vec<String> = map(&h).touchpoints_in(stage).map(|t| t.name.clone()).collect();
    assert_eq!(names, ["Alpha", "Bravo", "Charlie", "Delta"], "one undo step");
}
