//! The stage panel with its sticky notes, the link panel, and the panel for
//! a selection of several things.

use eframe::egui::{self, RichText, TextEdit};

use super::fields::*;
use super::list::{Noun, editable_list};
use super::{Edits, InspectorState, Request, heading, section, theme, votes};
use crate::edit::{Edit, ops};
use crate::model::*;
use crate::ui::selection::Selection;

const NOTES: Noun = Noun {
    add: "Add sticky note",
    remove: "Remove sticky note",
};

pub fn show(ui: &mut egui::Ui, map: &JourneyMap, index: usize, state: &mut InspectorState, out: &mut Vec<Request>) {
    let original = &map.stages[index];
    let mut s = original.clone();
    let mut edits = Edits::default();
    heading(ui, "Stage");
    let changed = text_line(ui, "Stage name", &mut s.name, std::mem::take(&mut state.focus_name));
    edits.field(changed, "Rename stage", "name");
    let changed = text_block(ui, "Stage description", &mut s.description, 2);
    edits.field(changed, "Edit stage description", "description");
    ui.horizontal(|ui| {
        ui.label("Funnel stage");
        let changed = funnel_stage_picker(ui, map, &mut s);
        edits.field(changed, "Set funnel stage", "funnel");
    });

    section(ui, "Sticky notes");
    let new = || Note::new(NoteId(map.next_id()), String::new());
    let stage = s.id;
    let change = editable_list(ui, &mut s.notes, &NOTES, new, |ui, note, row| {
        let edit = TextEdit::multiline(&mut note.text)
            .hint_text("note")
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .background_color(theme::rgb(crate::layout::style::note_fill(note.kind)));
        let response = named(ui, edit, "Sticky note");
        if row.focus {
            response.request_focus();
        }
        let id = note.id.0;
        let mut any = edits.field(response.changed(), "Edit sticky note", format_args!("note{id}"));
        ui.horizontal(|ui| {
            let changed = note_kind_picker(ui, note);
            any |= edits.field(changed, "Set note kind", format_args!("note{id}:kind"));
            // Votes count for the note as the map has it; a note just
            // added has none to vote on until it is there.
            if let Some(saved) = original.notes.iter().find(|n| n.id == note.id) {
                let target = IdeaRef::Note { stage, note: note.id };
                votes(ui, map, target, &saved.text, saved.votes, out);
            }
        });
        any
    });
    edits.list(change, &NOTES);

    ui.add_space(10.0);
    ui.horizontal(|ui| {
        if ui.button("Add touchpoint to this stage").clicked() {
            out.push(Request::AddTouchpoint(s.id));
        }
        if ui.button(RichText::new("Delete stage").color(theme::PAIN)).clicked() {
            out.push(Request::DeleteSelection);
        }
    });
    let owner = format!("stage{}", s.id.0);
    out.extend(edits.change(&owner, || {
        (s != *original).then_some(Edit::ReplaceStage { index, stage: s })
    }));
}

/// Whether a note is a plain note, a pain point or an opportunity.
fn note_kind_picker(ui: &mut egui::Ui, note: &mut Note) -> bool {
    let mut changed = false;
    named_combo(
        ui,
        egui::ComboBox::from_id_salt(("note-kind", note.id))
            .width(96.0)
            .selected_text(note.kind.label()),
        "Note kind",
        |ui| {
            for kind in [IdeaKind::Note, IdeaKind::PainPoint, IdeaKind::Opportunity] {
                changed |= ui.selectable_value(&mut note.kind, kind, kind.label()).changed();
            }
        },
    );
    changed
}

/// Which stage of the funnel model the journey stage belongs to.
fn funnel_stage_picker(ui: &mut egui::Ui, map: &JourneyMap, s: &mut Stage) -> bool {
    let name = |fs: &FunnelStage| {
        if fs.name.is_empty() {
            "unnamed".to_owned()
        } else {
            fs.name.clone()
        }
    };
    let current = s
        .funnel_stage
        .and_then(|id| map.funnel_stage(id))
        .map_or("none".to_owned(), name);
    let mut changed = false;
    named_combo(
        ui,
        egui::ComboBox::from_id_salt(("funnel-map", s.id)).selected_text(current),
        "Funnel stage",
        |ui| {
            changed |= ui.selectable_value(&mut s.funnel_stage, None, "none").changed();
            for fs in &map.funnel.stages {
                changed |= ui
                    .selectable_value(&mut s.funnel_stage, Some(fs.id), name(fs))
                    .changed();
            }
        },
    );
    changed
}

pub fn link(ui: &mut egui::Ui, map: &JourneyMap, link: &Link, out: &mut Vec<Request>) {
    heading(ui, "Link");
    let name = |id| map.touchpoint(id).map_or("?".to_owned(), |t| t.name.clone());
    ui.label(format!("From {} to {}", name(link.from), name(link.to)));
    if map.is_loop_back(link) {
        ui.label(RichText::new("Loops back to an earlier touchpoint").color(theme::LOOP_BACK));
    }
    let mut label = link.label.clone();
    let mut edits = Edits::default();
    let changed = text_line(ui, "Link label", &mut label, false);
    edits.field(changed, "Edit link label", "label");
    out.extend(edits.change(&format!("link{}", link.id.0), || {
        ops::update_link(map, link.id, |l| l.label = label)
    }));
    ui.add_space(10.0);
    if ui.button(RichText::new("Delete link").color(theme::PAIN)).clicked() {
        out.push(Request::DeleteSelection);
    }
}

pub fn many(ui: &mut egui::Ui, selection: &Selection, out: &mut Vec<Request>) {
    heading(ui, "Selection");
    ui.label(format!(
        "{} stages, {} touchpoints, {} links",
        selection.stages.len(),
        selection.touchpoints.len(),
        selection.links.len()
    ));
    ui.horizontal(|ui| {
        if !selection.touchpoints.is_empty() && ui.button("Duplicate").clicked() {
            out.push(Request::DuplicateSelection);
        }
        if ui.button(RichText::new("Delete").color(theme::PAIN)).clicked() {
            out.push(Request::DeleteSelection);
        }
    });
}
