//! The document being edited and its undo history. Every change goes through
//! `Document::apply`, so undo, "unsaved changes" and autosave all come from
//! one place.

use super::command::{Edit, Footprint, OutOfRange};
use crate::model::JourneyMap;

/// How many steps undo reaches back.
const UNDO_LIMIT: usize = 500;

struct Step {
    /// Identifies the document state this step leads to; see `Document::state`.
    id: u64,
    label: String,
    /// Takes the map back to before the step, merged edits included: edits
    /// merge only when they overwrite what the step's first edit wrote.
    undo: Edit,
    /// Replays the step. Only read after an undo, which sets it from the
    /// undo's own inverse, so merging never needs to extend it.
    redo: Edit,
    /// Edits with the same key merge into this step until it is sealed:
    /// typing in one text field is one undo step, not one per letter.
    merge_key: Option<String>,
    /// What the step's first edit wrote; see `Edit::footprint`.
    footprint: Option<Footprint>,
}

pub struct Document {
    /// Private: every change goes through an edit, so undo, "unsaved
    /// changes" and autosave cannot miss one.
    map: JourneyMap,
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_step_id: u64,
    saved_state: u64,
    /// The state the oldest kept step starts from: 0 at first, then the
    /// state of the last step trimmed off the history's far end.
    base_state: u64,
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
            base_state: 0,
            sealed: true,
            revision: 0,
        }
    }

    /// A document whose content is not saved anywhere yet as it stands (work
    /// restored after a crash): it counts as changed until saved.
    pub fn unsaved(map: JourneyMap) -> Document {
        let mut doc = Document::new(map);
        doc.saved_state = u64::MAX;
        doc
    }

    pub fn map(&self) -> &JourneyMap {
        &self.map
    }

    /// Records when the map was last saved. File metadata, not content: it
    /// is no undo step and does not count as a change.
    pub fn set_modified_time(&mut self, time: chrono::DateTime<chrono::Utc>) {
        self.map.modified = time;
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
        let footprint = edit.footprint();
        let forward = edit.clone();
        let inverse = edit.apply(&mut self.map)?;
        self.redo.clear();
        self.revision += 1;
        // A merged edit must overwrite exactly what the step's first edit
        // wrote, so the first edit's inverse still undoes the whole step.
        let merges = !self.sealed
            && merge_key.is_some()
            && footprint.is_some()
            && self.undo.last().is_some_and(|top| {
                top.merge_key == merge_key && top.id != self.saved_state && top.footprint == footprint
            });
        if !merges {
            let id = self.next_step_id;
            self.next_step_id += 1;
            self.undo.push(Step {
                id,
                label: label.to_owned(),
                undo: inverse,
                redo: forward,
                merge_key: merge_key.clone(),
                footprint,
            });
            if self.undo.len() > UNDO_LIMIT {
                self.base_state = self.undo.remove(0).id;
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
        self.undo.last().map_or(self.base_state, |s| s.id)
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

    #[test]
    fn a_long_run_of_typing_stays_one_small_step() {
        let mut d = doc();
        let mut typed = String::new();
        for c in "Customer onboarding webinar".chars().cycle().take(2_000) {
            typed.push(c);
            d.apply_merging("Rename map", "title", Edit::SetTitle(typed.clone()))
                .unwrap();
        }
        assert_eq!(d.undo.len(), 1);
        let step = &d.undo[0];
        // Nothing in the step grows with the keystrokes.
        assert!(matches!(&step.redo, Edit::SetTitle(t) if t == "C"));
        assert!(matches!(&step.undo, Edit::SetTitle(t) if t == "Start"));
        d.undo();
        assert_eq!(d.map.title, "Start");
        d.redo();
        assert_eq!(d.map.title, typed);
    }

    #[test]
    fn naming_a_new_touchpoint_is_part_of_adding_it() {
        use crate::edit::ops;
        let mut d = doc();
        let stage = d.map.stages[0].id;
        let add = ops::add_touchpoint(&d.map, stage, "New touchpoint").unwrap();
        d.apply_merging("Add touchpoint", "new", add).unwrap();
        let id = d.map.touchpoints[0].id;
        for name in ["L", "Li", "LinkedIn ad"] {
            let rename = ops::update_touchpoint(&d.map, id, |t| t.name = name.into()).unwrap();
            d.apply_merging("Rename touchpoint", "new", rename).unwrap();
        }
        assert_eq!(d.undo_label(), Some("Add touchpoint"));
        d.undo();
        assert!(d.map.touchpoints.is_empty(), "one undo removes the named touchpoint");
        d.redo();
        assert_eq!(d.map.touchpoints[0].name, "LinkedIn ad");
    }

    #[test]
    fn edits_that_write_something_else_never_merge() {
        let mut d = doc();
        d.apply_merging("Edit", "k", Edit::SetTitle("A".into())).unwrap();
        d.apply_merging("Edit", "k", Edit::SetDescription("B".into())).unwrap();
        assert_eq!(d.undo.len(), 2, "a different footprint starts a new step");
        d.undo();
        d.undo();
        assert_eq!((d.map.title.as_str(), d.map.description.as_str()), ("Start", ""));
    }

    #[test]
    fn restored_work_counts_as_unsaved() {
        let mut d = Document::unsaved(templates::find("aida").unwrap().new_map("Restored"));
        assert!(d.is_modified());
        d.mark_saved();
        assert!(!d.is_modified());
    }

    #[test]
    fn undoing_past_the_history_limit_still_counts_as_changed() {
        let mut d = doc();
        for i in 0..UNDO_LIMIT + 20 {
            d.apply("Rename map", Edit::SetTitle(format!("T{i}"))).unwrap();
        }
        while d.undo().is_some() {}
        assert_ne!(d.map.title, "Start", "the oldest edits are past the limit");
        assert!(d.is_modified(), "the map still differs from the saved one");
    }
}
