//! Dot voting in the editor, driven as a workshop facilitator would: +1 and
//! −1 beside each idea in the inspector, one undo step a click, the Top
//! voted list, and a captured idea with its votes kept through save and open.

mod common;

use common::{Picker, map, scratch};
use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::model::{Idea, IdeaKind, JourneyMap, format};
use journeymap::ui::{Document, Item, JourneyApp, Selection};

/// The sample, its first touchpoint with two pain points and an opportunity
/// of our own, so the test does not depend on the sample's words.
fn workshop_map() -> JourneyMap {
    let mut map = Document::bundled_sample().map().clone();
    for tp in &mut map.touchpoints {
        tp.pain_points.clear();
        tp.opportunities.clear();
    }
    map.touchpoints[0].pain_points = vec![Idea::new("Slow checkout"), Idea::new("No delivery date")];
    map.touchpoints[1].opportunities = vec![Idea {
        text: "Offer click and collect".into(),
        votes: 3,
    }];
    map
}

fn app(name: &str, map: JourneyMap, picker: Picker) -> Harness<'static, JourneyApp> {
    common::app(Document::new(map, None), picker, scratch(name).join("state"), 3600.0)
}

/// Scrolls to the widget and clicks it.
fn press(h: &mut Harness<'static, JourneyApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

fn undo(h: &mut Harness<'static, JourneyApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
}

fn pain_votes(h: &Harness<'static, JourneyApp>) -> Vec<u32> {
    map(h).touchpoints[0].pain_points.iter().map(|i| i.votes).collect()
}

#[test]
fn each_vote_click_in_the_inspector_counts_once_and_undoes_as_a_step() {
    let mut h = app("vote-click", workshop_map(), Picker::default());
    let name = map(&h).touchpoints[0].name.clone();
    h.get_by_label(&name).click();
    h.run();

    press(&mut h, "Vote for “Slow checkout”");
    assert_eq!(pain_votes(&h), [1, 0]);
    press(&mut h, "Vote for “Slow checkout”");
    press(&mut h, "Vote for “No delivery date”");
    assert_eq!(pain_votes(&h), [2, 1]);
    assert_eq!(h.state().document().unwrap().edit.undo_label(), Some("Vote"));

    press(&mut h, "Take back a vote from “Slow checkout”");
    assert_eq!(pain_votes(&h), [1, 1]);
    assert_eq!(
        h.state().document().unwrap().edit.undo_label(),
        Some("Take back a vote")
    );

    // One click, one step: three undos take back the last three clicks.
    undo(&mut h);
    assert_eq!(pain_votes(&h), [2, 1]);
    undo(&mut h);
    assert_eq!(pain_votes(&h), [2, 0]);
    undo(&mut h);
    assert_eq!(pain_votes(&h), [1, 0]);
    // Votes stay with their idea when its text box is edited.
    assert_eq!(map(&h).touchpoints[0].pain_points[0].text, "Slow checkout");
}

#[test]
fn the_top_voted_list_ranks_the_most_voted_idea_first_and_shows_it_on_the_map() {
    let mut h = app("top-voted", workshop_map(), Picker::default());
    common::press(&mut h, Key::V);
    // Only the voted idea is listed.
    h.get_by_label("1. Offer click and collect");
    assert!(h.query_by_label("2. Slow checkout").is_none());

    // Four votes for a pain point put it on top.
    let first = map(&h).touchpoints[0].clone();
    h.get_by_label(&first.name).click();
    h.run();
    for _ in 0..4 {
        press(&mut h, "Vote for “Slow checkout”");
    }
    h.get_by_label("1. Slow checkout");
    h.get_by_label("2. Offer click and collect");

    // A click on an idea selects its touchpoint.
    let second = map(&h).touchpoints[1].id;
    press(&mut h, "2. Offer click and collect");
    assert_eq!(*h.state().selection(), Selection::only(Item::Touchpoint(second)));
}

#[test]
fn with_no_votes_the_top_voted_list_says_how_to_vote() {
    let mut plain = workshop_map();
    plain.touchpoints[1].opportunities[0].votes = 0;
    let mut h = app("no-votes", plain, Picker::default());
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("Top voted").click();
    h.run();
    h.get_by_label("No votes yet.");
    h.get_by_label_contains("click +1 beside a pain point");
}

#[test]
fn a_captured_pain_point_and_its_votes_survive_save_and_reopen() {
    let dir = scratch("vote-save");
    let file = dir.join("workshop.ron");
    let picker = Picker::default();
    *picker.save.lock().unwrap() = Some(file.clone());
    let mut h = app("vote-save-app", workshop_map(), picker);

    let stage = map(&h).stages[0].clone();
    h.get_by_label(&stage.name).click();
    h.run();
    press(&mut h, "Add sticky note");
    h.event(eframe::egui::Event::Text("Queue at the till".into()));
    h.run();
    h.key_press(Key::Escape);
    h.run();
    // The new note's kind, then two votes.
    h.query_all_by_label("Note kind").last().unwrap().click();
    h.run();
    h.get_by_label("Pain point").click();
    h.run();
    press(&mut h, "Vote for “Queue at the till”");
    press(&mut h, "Vote for “Queue at the till”");
    let note = map(&h).stages[0].notes.last().unwrap().clone();
    assert_eq!(
        (note.text.as_str(), note.kind, note.votes),
        ("Queue at the till", IdeaKind::PainPoint, 2)
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(!h.state().document().unwrap().edit.is_modified());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("votes: 2"), "{text}");
    assert_eq!(format::load(&file).unwrap().stages[0].notes.last(), Some(&note));

    let mut again = common::app(
        Document::open(&file).unwrap(),
        Picker::default(),
        dir.join("state"),
        3600.0,
    );
    assert_eq!(map(&again).stages[0].notes.last(), Some(&note));
    assert_eq!(map(&again).touchpoints[1].opportunities[0].votes, 3);
    common::press(&mut again, Key::V);
    again.get_by_label("1. Offer click and collect");
    again.get_by_label("2. Queue at the till");
}
