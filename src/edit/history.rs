//! The document being edited and its undo history. Every change goes through
//! `Document::apply`, so undo, "unsaved changes" and autosave all come from
//! one place.

use super::command::{Edit, OutOfRange};
use crate::model::JourneyMap;

/// How many steps undo reaches back.
const UNDO_LIMIT: usize = 500;

struct Step {
    /// Identifies the document state this step leads to; see `Document::state`.
    id: u64,
    label: String,
    undo: Edit,
    redo: Edit,
    /// Edits with the same key merge into this step until it is sealed:
    /// typing in one text field is one undo step, not one per letter.
    merge_key: Option<String>,
}

pub struct Document {
    pub map: JourneyMap,
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_step_id: u64,
    saved_state: u64,
    sealed: bool,
    revision: u64,
}

impl Document {
    pub fn new(map: JourneyMap) -> Document {
        Document {
            map,
            undo: Vec::new(),
            redo: Vec::new(),
            next_step_id: 1,
            saved_state: 0,
            sealed: true,
            revision: 0,
        }
    }

    /// Applies `edit` as one undo step named `label`.
    pub fn apply(&mut self, label: &str, edit: Edit) -> Result<(), OutOfRange> {
        self.push(label, edit, None)
    }

    /// Applies `edit`, merging it into the previous step when that step has
    /// the same `key` and has not been sealed since.
    pub fn apply_merging(&mut self, label: &str, key: &str, edit: Edit) -> Result<(), OutOfRange> {
        self.push(label, edit, Some(key.to_owned()))
    }

    /// Ends merging: the next edit starts a new step (focus left a field,
    /// a drag ended, the file was saved).
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    fn push(&mut self, label: &str, edit: Edit, merge_key: Option<String>) -> Result<(), OutOfRange> {
        let forward = edit.clone();
        let inverse = edit.apply(&mut self.map)?;
        self.redo.clear();
        self.revision += 1;
        let merges = !self.sealed
            && merge_key.is_some()
            && self
                .undo
                .last()
                .is_some_and(|top| top.merge_key == merge_key && top.id != self.saved_state);
        if merges {
            let top = self.undo.last_mut().expect("checked above");
            // Undo goes back to before the first merged edit; redo replays all.
            top.redo = Edit::Batch(vec![std::mem::replace(&mut top.redo, Edit::Batch(vec![])), forward]);
        } else {
            let id = self.next_step_id;
            self.next_step_id += 1;
            self.undo.push(Step {
                id,
                label: label.to_owned(),
                undo: inverse,
                redo: forward,
                merge_key: merge_key.clone(),
            });
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
        }
        self.sealed = merge_key.is_none();
        Ok(())
    }

    pub fn undo(&mut self) -> Option<String> {
        let mut step = self.undo.pop()?;
        let redo = step
            .undo
            .clone()
            .apply(&mut self.map)
            .expect("undo fits the map it was made on");
        step.redo = redo;
        let label = step.label.clone();
        self.redo.push(step);
        self.sealed = true;
        self.revision += 1;
        Some(label)
    }

    pub fn redo(&mut self) -> Option<String> {
        let mut step = self.redo.pop()?;
        let undo = step
            .redo
            .clone()
            .apply(&mut self.map)
            .expect("redo fits the map it was undone on");
        step.undo = undo;
        let label = step.label.clone();
        self.undo.push(step);
        self.sealed = true;
        self.revision += 1;
        Some(label)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Identifies the map's content as far as editing goes: equal states
    /// mean equal maps (undo back to the saved state is "no changes").
    fn state(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.id)
    }

    pub fn is_modified(&self) -> bool {
        self.state() != self.saved_state
    }

    pub fn mark_saved(&mut self) {
        self.saved_state = self.state();
        self.sealed = true;
    }

    /// Changes with every edit, undo and redo: a cheap "did the map change
    /// since I last looked" for caches such as the layout.
    pub fn revision(&self) -> u64 {
        self.revision
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates;

    fn doc() -> Document {
        Document::new(templates::find("aida").unwrap().new_map("Start"))
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let mut d = doc();
        d.apply("Rename map", Edit::SetTitle("One".into())).unwrap();
        d.apply("Rename map", Edit::SetTitle("Two".into())).unwrap();
        assert_eq!(d.undo().as_deref(), Some("Rename map"));
        assert_eq!(d.map.title, "One");
        assert_eq!(d.redo().as_deref(), Some("Rename map"));
        assert_eq!(d.map.title, "Two");
        d.undo();
        d.apply("Rename map", Edit::SetTitle("Three".into())).unwrap();
        assert_eq!(d.redo(), None, "a new edit clears redo");
    }

    #[test]
    fn typing_in_one_field_is_one_step_until_sealed() {
        let mut d = doc();
        for title in ["S", "St", "Sta"] {
            d.apply_merging("Edit title", "title", Edit::SetTitle(title.into()))
                .unwrap();
        }
        d.seal();
        d.apply_merging("Edit title", "title", Edit::SetTitle("Stage".into()))
            .unwrap();
        d.undo();
        assert_eq!(d.map.title, "Sta");
        d.undo();
        assert_eq!(d.map.title, "Start");
        d.redo();
        assert_eq!(d.map.title, "Sta");
    }

    #[test]
    fn modified_follows_the_saved_state_through_undo() {
        let mut d = doc();
        assert!(!d.is_modified());
        d.apply("Rename", Edit::SetTitle("A".into())).unwrap();
        assert!(d.is_modified());
        d.mark_saved();
        assert!(!d.is_modified());
        d.undo();
        assert!(d.is_modified(), "undoing past the save is a change");
        d.redo();
        assert!(!d.is_modified());
    }

    #[test]
    fn merging_never_swallows_the_saved_state() {
        let mut d = doc();
        d.apply_merging("Edit title", "title", Edit::SetTitle("A".into()))
            .unwrap();
        d.mark_saved();
        d.apply_merging("Edit title", "title", Edit::SetTitle("AB".into()))
            .unwrap();
        assert!(d.is_modified());
        d.undo();
        assert_eq!(d.map.title, "A");
        assert!(!d.is_modified());
    }
}
