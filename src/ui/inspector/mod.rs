//! The inspector panel: edits every field of the selection, or of the map
//! when nothing is selected. It works on a copy of the selected thing and
//! turns what changed into one `Edit`, named for the field that changed;
//! typing in one field merges into one undo step (keyed by the thing and the
//! field), while adding or removing a list item is a step of its own.

mod fields;
mod list;
mod map;
mod stage;
mod touchpoint;

use eframe::egui::{self, RichText};

use super::selection::{Item, Selection};
use super::theme;
use crate::edit::Edit;
use crate::model::*;
use list::{ListChange, Noun};

/// One change the inspector asks for.
pub struct Change {
    pub label: &'static str,
    /// Edits with the same key merge into one undo step while the field has focus.
    pub merge: Option<String>,
    pub edit: Edit,
}

/// Things the inspector asks of the app besides edits.
pub enum Request {
    Change(Change),
    Select(Selection),
    AddTouchpoint(StageId),
    DeleteSelection,
    DuplicateSelection,
}

#[derive(Default)]
pub struct InspectorState {
    /// Put the keyboard in the name field on the next frame (after a double
    /// click on the canvas, or F2).
    pub focus_name: bool,
    /// Where the selected touchpoint's data-bound metrics get their values.
    pub data: Option<DataMark>,
}

/// The mark beside a metric measured from the data: its measured value and
/// where it comes from (the database, the dates its events span).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataMark {
    pub source: String,
    pub measured: Vec<(crate::model::MetricId, Option<f64>)>,
}

pub fn show(ui: &mut egui::Ui, map: &JourneyMap, selection: &Selection, state: &mut InspectorState) -> Vec<Request> {
    let mut out = Vec::new();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.spacing_mut().item_spacing.y = 6.0;
        match selection.single() {
            Some(Item::Touchpoint(id)) => {
                if let Some(tp) = map.touchpoint(id) {
                    touchpoint::show(ui, map, tp, state, &mut out);
                }
            }
            Some(Item::Stage(id)) => {
                if let Some(index) = map.stages.iter().position(|s| s.id == id) {
                    stage::show(ui, map, index, state, &mut out);
                }
            }
            Some(Item::Link(id)) => {
                if let Some(link) = map.links.iter().find(|l| l.id == id) {
                    stage::link(ui, map, link, &mut out);
                }
            }
            None if selection.is_empty() => map::show(ui, map, state, &mut out),
            None => stage::many(ui, selection, &mut out),
        }
    });
    out
}

/// An idea's −1/+1 vote control. Each click is an undo step of its own,
/// built against the map (not the panel's working copy).
fn votes(ui: &mut egui::Ui, map: &JourneyMap, target: IdeaRef, text: &str, votes: u32, out: &mut Vec<Request>) {
    // A note's text is in its field just above; a lane item's is not.
    let with_text = !matches!(target, IdeaRef::Note { .. });
    let delta = super::votes::control(ui, text, votes, with_text);
    if delta != 0
        && let Some(edit) = crate::edit::ops::vote(map, target, delta)
    {
        let label = if delta > 0 { "Vote" } else { "Take back a vote" };
        out.push(Request::Change(Change {
            label,
            merge: None,
            edit,
        }));
    }
}

fn heading(ui: &mut egui::Ui, text: &str) {
    ui.add_space(4.0);
    ui.label(RichText::new(text).heading().strong());
    ui.add_space(2.0);
}

fn section(ui: &mut egui::Ui, text: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(text).strong().color(theme::MUTED));
}

/// What the widgets of one panel changed this frame, named for the undo
/// history. When several fields change in one frame (rare), the last wins;
/// the edit carries all of them either way.
#[derive(Default)]
struct Edits {
    label: Option<&'static str>,
    /// Later edits with the same key merge into this step; `None` makes the
    /// change a step of its own.
    key: Option<String>,
}

impl Edits {
    /// Typing or picking in one field: keeps merging while the user stays
    /// in it. `key` names the field within the panel ("name",
    /// "metric12:value"). Returns `changed`, so rows can collect it.
    fn field(&mut self, changed: bool, label: &'static str, key: impl std::fmt::Display) -> bool {
        if changed {
            self.label = Some(label);
            self.key = Some(key.to_string());
        }
        changed
    }

    /// Adding or removing a list item is an undo step of its own; editing a
    /// row was already recorded by the row's fields.
    fn list(&mut self, change: ListChange, noun: &Noun) {
        let label = match change {
            ListChange::Added => noun.add,
            ListChange::Removed => noun.remove,
            ListChange::Edited | ListChange::Unchanged => return,
        };
        self.label = Some(label);
        self.key = None;
    }

    /// The change, if any, with its merge key put under `owner` ("tp12") so
    /// the same field of two things never merges. `edit` is asked only when
    /// something changed, and may find nothing did after all.
    fn change(self, owner: &str, edit: impl FnOnce() -> Option<Edit>) -> Option<Request> {
        let label = self.label?;
        let edit = edit()?;
        Some(Request::Change(Change {
            label,
            merge: self.key.map(|key| format!("{owner}:{key}")),
            edit,
        }))
    }
}
