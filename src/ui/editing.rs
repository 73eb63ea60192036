//! Changing the map: every change is an `Edit` applied through the
//! document's history, whether it came from a key, a menu, the canvas or the
//! inspector.

use super::app::JourneyApp;
use super::canvas::Action;
use super::data::Fix;
use super::inspector::Request;
use super::selection::{Item, Selection};
use crate::edit::{Edit, ops};
use crate::model::{JourneyMap, StageId};

/// One step of `apply_chain`: builds an edit against the map as the steps
/// before it left it.
pub type EditStep<'a> = Box<dyn FnOnce(&JourneyMap) -> Option<Edit> + 'a>;

/// "1 touchpoint", "3 touchpoints".
pub fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

impl JourneyApp {
    pub(super) fn apply(&mut self, label: &str, merge: Option<String>, edit: Edit) {
        let Some(doc) = &mut self.doc else { return };
        let result = match merge {
            Some(key) => doc.edit.apply_merging(label, &key, edit),
            None => doc.edit.apply(label, edit),
        };
        if result.is_err() {
            // Edits are built from the current map, so this means a bug;
            // the map is unchanged, which is the safe outcome.
            self.say(format!("Could not {}", label.to_lowercase()));
        }
    }

    /// Builds edits one after another on a scratch copy, so each sees the
    /// map as the previous one left it, and applies them as one undo step.
    pub(super) fn apply_chain(&mut self, label: &str, steps: Vec<EditStep<'_>>) {
        let Some(doc) = &self.doc else { return };
        let mut scratch = doc.map().clone();
        let mut edits = Vec::new();
        for step in steps {
            if let Some(edit) = step(&scratch)
                && edit.clone().apply(&mut scratch).is_ok()
            {
                edits.push(edit);
            }
        }
        if !edits.is_empty() {
            self.apply(label, None, Edit::Batch(edits));
        }
    }

    pub(super) fn undo(&mut self) {
        if let Some(label) = self.doc.as_mut().and_then(|d| d.edit.undo()) {
            self.say(format!("Undid {}", label.to_lowercase()));
        }
    }

    pub(super) fn redo(&mut self) {
        if let Some(label) = self.doc.as_mut().and_then(|d| d.edit.redo()) {
            self.say(format!("Redid {}", label.to_lowercase()));
        }
    }

    /// Adds a stage after the selected one (or at the end) and starts naming it.
    pub(super) fn add_stage(&mut self) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        let index = self
            .selection
            .stages
            .iter()
            .filter_map(|id| map.stages.iter().position(|s| s.id == *id))
            .max()
            .map_or(map.stages.len(), |i| i + 1);
        let edit = ops::add_stage(map, index, "New stage");
        let Edit::InsertStage { stage, .. } = &edit else {
            unreachable!("add_stage inserts a stage")
        };
        let item = Item::Stage(stage.id);
        let key = format!("add:{item:?}");
        self.apply("Add stage", Some(key.clone()), edit);
        self.start_rename(item, Some(key));
    }

    /// Where new and pasted touchpoints go: the selected stage (or the
    /// selected touchpoint's), else the last stage.
    pub(super) fn insertion_stage(&self, map: &JourneyMap) -> Option<StageId> {
        self.selection
            .target_stage(map)
            .or_else(|| map.stages.last().map(|s| s.id))
    }

    /// Adds a touchpoint to `stage` (or where `insertion_stage` says) and
    /// starts naming it.
    pub(super) fn add_touchpoint(&mut self, stage: Option<StageId>) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        let Some(stage) = stage.or_else(|| self.insertion_stage(map)) else {
            self.say("Add a stage first".into());
            return;
        };
        if let Some(edit) = ops::add_touchpoint(map, stage, "New touchpoint") {
            let Edit::InsertTouchpoint { touchpoint, .. } = &edit else {
                unreachable!("add_touchpoint inserts a touchpoint")
            };
            let item = Item::Touchpoint(touchpoint.id);
            let key = format!("add:{item:?}");
            self.apply("Add touchpoint", Some(key.clone()), edit);
            self.start_rename(item, Some(key));
        }
    }

    pub(super) fn add_note(&mut self) {
        let Some(doc) = &self.doc else { return };
        let Some(stage) = self.selection.target_stage(doc.map()) else {
            self.say("Select a stage to put the note on".into());
            return;
        };
        if let Some(edit) = ops::add_note(doc.map(), stage, "New note") {
            self.apply("Add sticky note", None, edit);
            self.selection = Selection::only(Item::Stage(stage));
            self.show_inspector = true;
        }
    }

    pub(super) fn delete_selection(&mut self) {
        let sel = self.selection.clone();
        let links: Vec<_> = sel.links.iter().copied().collect();
        let tps: Vec<_> = sel.touchpoints.iter().copied().collect();
        let stages: Vec<_> = sel.stages.iter().copied().collect();
        let label = match (stages.len(), tps.len(), links.len()) {
            (1, 0, 0) => "Delete stage".to_owned(),
            (0, 1, 0) => "Delete touchpoint".to_owned(),
            (0, 0, 1) => "Delete link".to_owned(),
            (0, n, 0) => format!("Delete {}", plural(n, "touchpoint")),
            _ => "Delete selection".to_owned(),
        };
        self.apply_chain(
            &label,
            vec![
                Box::new(move |m| ops::delete_links(m, &links)),
                Box::new(move |m| ops::delete_touchpoints(m, &tps)),
                Box::new(move |m| ops::delete_stages(m, &stages)),
            ],
        );
        self.selection.clear();
    }

    pub(super) fn duplicate_selection(&mut self) {
        let Some(doc) = &self.doc else { return };
        let ids: Vec<_> = self.selection.touchpoints.iter().copied().collect();
        if let Some((edit, new)) = ops::duplicate(doc.map(), &ids) {
            self.apply(&format!("Duplicate {}", plural(ids.len(), "touchpoint")), None, edit);
            self.selection = Selection {
                touchpoints: new.into_iter().collect(),
                ..Default::default()
            };
        }
    }

    pub(super) fn select_all(&mut self) {
        if let Some(doc) = &self.doc {
            self.selection = Selection {
                touchpoints: doc.map().touchpoints.iter().map(|t| t.id).collect(),
                ..Default::default()
            };
        }
    }

    /// Alt+arrow: move the selected touchpoint or stage one place.
    pub(super) fn nudge(&mut self, step: isize) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        match self.selection.single() {
            Some(Item::Stage(id)) => {
                let Some(i) = map.stages.iter().position(|s| s.id == id) else {
                    return;
                };
                let to = i.saturating_add_signed(step).min(map.stages.len() - 1);
                if let Some(edit) = ops::move_stage(map, id, to) {
                    self.apply("Move stage", None, edit);
                }
            }
            Some(Item::Touchpoint(id)) => {
                let Some(tp) = map.touchpoint(id) else { return };
                let siblings: Vec<_> = map.touchpoints_in(tp.stage).map(|t| t.id).collect();
                let pos = siblings.iter().position(|t| *t == id).unwrap_or(0) as isize + step;
                let stage_index = map.stages.iter().position(|s| s.id == tp.stage).unwrap_or(0);
                let (stage, position) = if pos < 0 && stage_index > 0 {
                    (map.stages[stage_index - 1].id, usize::MAX)
                } else if pos >= siblings.len() as isize && stage_index + 1 < map.stages.len() {
                    (map.stages[stage_index + 1].id, 0)
                } else {
                    (tp.stage, pos.clamp(0, siblings.len() as isize - 1) as usize)
                };
                if let Some(edit) = ops::move_touchpoint(map, id, stage, position) {
                    self.apply("Move touchpoint", None, edit);
                }
            }
            _ => {}
        }
    }

    pub(super) fn handle_canvas(&mut self, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Select { item, add } => {
                    if add {
                        self.selection.toggle(item);
                    } else {
                        self.selection = Selection::only(item);
                    }
                }
                Action::SelectMany { touchpoints, add } => {
                    if !add {
                        self.selection.clear();
                    }
                    self.selection.touchpoints.extend(touchpoints);
                }
                Action::ClearSelection => self.selection.clear(),
                Action::MoveTouchpoints { ids, stage, position } => {
                    let Some(doc) = &self.doc else { continue };
                    let label = format!("Move {}", plural(ids.len(), "touchpoint"));
                    // The stage's order once dropped: its other cards, with
                    // the dragged ones at `position` among them (which is
                    // counted without them). Placing each card at its final
                    // place in turn gets there whatever moves first.
                    let mut order: Vec<_> = doc
                        .map()
                        .touchpoints_in(stage)
                        .map(|t| t.id)
                        .filter(|id| !ids.contains(id))
                        .collect();
                    let at = position.min(order.len());
                    order.splice(at..at, ids.iter().copied());
                    let steps = order
                        .into_iter()
                        .enumerate()
                        .map(|(k, id)| {
                            Box::new(move |m: &JourneyMap| ops::move_touchpoint(m, id, stage, k)) as EditStep
                        })
                        .collect();
                    self.apply_chain(&label, steps);
                }
                Action::MoveStage { id, to } => {
                    if let Some(edit) = self.doc.as_ref().and_then(|d| ops::move_stage(d.map(), id, to)) {
                        self.apply("Move stage", None, edit);
                    }
                }
                Action::Connect { from, to } => match self.doc.as_ref().and_then(|d| ops::connect(d.map(), from, to)) {
                    Some(edit) => self.apply("Link touchpoints", None, edit),
                    None => self.say("Those touchpoints are already linked".into()),
                },
                Action::AddTouchpoint { stage } => self.add_touchpoint(Some(stage)),
                Action::Rename(item) => self.start_rename(item, None),
                Action::Fix(fix) => self.apply_fixes(vec![fix]),
            }
        }
    }

    /// Fixes chosen beside the Data view's findings, one undo step each.
    /// The analysis follows the edit, so the finding goes away.
    pub(super) fn apply_fixes(&mut self, fixes: Vec<Fix>) {
        for fix in fixes {
            let Some((label, edit)) = self.doc.as_ref().and_then(|d| fix.edit(d.map())) else {
                continue;
            };
            self.apply(label, None, edit);
            self.say(format!("{label}: done. Undo with Ctrl+Z"));
        }
    }

    pub(super) fn handle_inspector(&mut self, requests: Vec<Request>) {
        for request in requests {
            match request {
                Request::Change(change) => self.apply(change.label, change.merge, change.edit),
                Request::Select(selection) => self.selection = selection,
                Request::AddTouchpoint(stage) => self.add_touchpoint(Some(stage)),
                Request::DeleteSelection => self.delete_selection(),
                Request::DuplicateSelection => self.duplicate_selection(),
            }
        }
    }
}
