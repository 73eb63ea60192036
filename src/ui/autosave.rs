//! Autosave and crash recovery for this window: unsaved work goes to the
//! window's own recovery slot every few seconds (`crate::recovery` keeps the
//! slots apart and safe), and work left by windows that died is offered
//! back, one at a time.

use std::path::PathBuf;

use super::app::JourneyApp;
use super::dialogs::Dialog;
use super::document::Document;
use crate::recovery::{self, Orphan, Slot};

pub struct Autosave {
    /// `None` when no slot could be made; `error` says why.
    slot: Option<Slot>,
    /// Seconds between writes.
    interval: f64,
    last_write: f64,
    written_revision: Option<u64>,
    /// Why the last write failed, until one succeeds: shown in the status bar.
    pub error: Option<String>,
    /// Work of windows that died, still to be offered.
    pub orphans: Vec<Orphan>,
    /// Recoveries that could not be read and were kept aside.
    pub notices: Vec<String>,
}

impl Autosave {
    pub fn new(state_dir: PathBuf, interval: f64) -> Autosave {
        // Our own slot first: a scan never offers a slot whose owner is alive.
        let claimed = Slot::claim(&state_dir);
        let scan = recovery::orphans(&state_dir);
        let (slot, error) = match claimed {
            Ok(slot) => (Some(slot), None),
            Err(err) => (
                None,
                Some(format!(
                    "Autosave is off: cannot use {}: {err}",
                    state_dir.join("recovery").display()
                )),
            ),
        };
        Autosave {
            slot,
            interval,
            last_write: f64::NEG_INFINITY,
            written_revision: None,
            error,
            orphans: scan.orphans,
            notices: scan.notices,
        }
    }

    pub fn interval(&self) -> f64 {
        self.interval
    }

    /// The work is saved (or deliberately dropped): nothing to recover.
    pub fn clear(&mut self) {
        self.written_revision = None;
        if let Some(slot) = &self.slot
            && let Err(err) = slot.clear()
        {
            self.error = Some(format!("Could not clear {}: {err}", slot.dir().display()));
        }
    }

    /// A new document: its revisions start over, so whatever was written of
    /// the previous one says nothing of it.
    pub fn forget_written(&mut self) {
        self.written_revision = None;
    }

    /// Writes `doc` to the slot when it has unsaved changes not yet written
    /// and the interval has passed.
    pub fn tick(&mut self, doc: &Document, now: f64) {
        let revision = doc.edit.revision();
        if !doc.edit.is_modified() || self.written_revision == Some(revision) || now - self.last_write < self.interval {
            return;
        }
        self.last_write = now;
        let Some(slot) = &self.slot else { return };
        match slot.write(doc.map(), doc.path.as_deref()) {
            Ok(()) => {
                self.written_revision = Some(revision);
                self.error = None;
            }
            Err(err) => {
                self.error = Some(format!(
                    "Autosave failed: cannot write {}: {err}",
                    slot.dir().join("map.ron").display()
                ))
            }
        }
    }

    /// A clean exit: the slot goes, unless it holds unsaved work.
    pub fn release(&mut self, unsaved: bool) {
        if let Some(slot) = self.slot.take() {
            if unsaved {
                // Dropping keeps the work for the next start.
                drop(slot);
            } else {
                let _ = slot.release();
            }
        }
    }
}

impl JourneyApp {
    /// Offers the next orphaned work, once nothing unsaved could be lost by
    /// restoring it.
    pub(super) fn offer_recovery(&mut self) {
        if self.dialog.is_some() || self.is_modified() {
            return;
        }
        if !self.recovery.notices.is_empty() {
            let text = std::mem::take(&mut self.recovery.notices).join("\n\n");
            self.dialog = Some(Dialog::Message {
                title: "Some unsaved work could not be read".into(),
                text,
            });
        } else if !self.recovery.orphans.is_empty() {
            let orphan = self.recovery.orphans.remove(0);
            self.dialog = Some(Dialog::Recover(Box::new(orphan)));
        }
    }

    /// Restores `orphan` in place of the current map, saved back to the file
    /// it came from.
    pub(super) fn restore(&mut self, orphan: Orphan) {
        let doc = Document::restored(orphan.map.clone(), orphan.origin.clone());
        let adopted = match &self.recovery.slot {
            Some(slot) => orphan.adopt(slot),
            // No slot of our own: leave the work where it is, still safe.
            None => Ok(()),
        };
        if let Err(err) = adopted {
            self.recovery.error = Some(format!("Could not take over the recovered work: {err}"));
        }
        self.set_document(doc);
        self.say("Restored unsaved work; save to keep it".into());
    }
}
