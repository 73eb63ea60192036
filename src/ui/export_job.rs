//! Exports run on a worker thread: a full PNG of a big map takes seconds,
//! and the window must keep drawing (and the user keep working) meanwhile.
//! The status bar shows what is being written and for how long.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use eframe::egui;

use super::app::JourneyApp;
use super::dialogs::Dialog;
use crate::export;

pub struct ExportJob {
    path: PathBuf,
    format: export::Format,
    started: Instant,
    done: Receiver<Result<(), String>>,
}

impl ExportJob {
    /// "Exporting PNG to map.png… 3 s"
    pub fn describe(&self) -> String {
        let name = self
            .path
            .file_name()
            .map_or_else(|| self.path.display().to_string(), |n| n.to_string_lossy().into_owned());
        format!(
            "Exporting {} to {name}… {} s",
            self.format.label(),
            self.started.elapsed().as_secs()
        )
    }
}

impl JourneyApp {
    /// Starts writing the map (as shown: visible lanes, measured metrics) to
    /// `path` in the format last asked for. The map file itself is never
    /// touched.
    pub(super) fn export_to(&mut self, ctx: &egui::Context, path: PathBuf) {
        let (Some(doc), Some((format, page, scale))) = (&self.doc, self.pending_export) else {
            return;
        };
        if self.export_job.is_some() {
            self.say("An export is still being written".into());
            return;
        }
        let comparison = self.data.comparison().cloned();
        // The title block names the data the export draws.
        let data = comparison.as_ref().and(self.data.events()).map(|log| {
            let db = self.data.database().and_then(|p| p.file_name());
            let name = db.map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            export::frame::DataSource::of(&name, log)
        });
        let mut options = export::ExportOptions {
            scale,
            lanes: self.lanes.clone(),
            page,
            data,
            ..Default::default()
        };
        // Exports carry the measured values whether or not the canvas shows them.
        let map = super::app::shown(doc, &self.measured, true).clone();
        // The report's attribution, worked out on the export's thread.
        let events = comparison.as_ref().and(self.data.events()).cloned();
        let (tx, done) = channel();
        let target = path.clone();
        let repaint = ctx.clone();
        std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                if format == export::Format::Markdown {
                    options.attribution = events.and_then(|log| crate::analysis::map_attribution(&map, &log));
                }
                let result =
                    export::export(&map, &target, format, &options, comparison.as_ref()).map_err(|e| e.to_string());
                let _ = tx.send(result);
                repaint.request_repaint();
            })
            .expect("the export thread starts");
        self.export_job = Some(ExportJob {
            path,
            format,
            started: Instant::now(),
            done,
        });
    }

    /// Whether an export is being written.
    pub fn exporting(&self) -> bool {
        self.export_job.is_some()
    }

    /// Says why an export failed: in a dialog, or in the status bar when
    /// another dialog is open (which must not be lost).
    fn export_failed(&mut self, text: String) {
        if self.dialog.is_none() {
            self.dialog = Some(Dialog::Message {
                title: "The export was not written".into(),
                text,
            });
        } else {
            self.say(format!("The export was not written: {text}"));
        }
    }

    /// Takes the result of a finished export.
    pub(super) fn poll_export(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.export_job else { return };
        match job.done.try_recv() {
            Err(TryRecvError::Empty) => {
                // The elapsed time in the status bar moves on.
                ctx.request_repaint_after(Duration::from_millis(250));
            }
            Ok(Ok(())) => {
                let path = job.path.display().to_string();
                self.export_job = None;
                self.say(format!("Exported {path}"));
            }
            Ok(Err(text)) => {
                self.export_job = None;
                self.export_failed(text);
            }
            Err(TryRecvError::Disconnected) => {
                self.export_job = None;
                self.export_failed("The export stopped unexpectedly; nothing was written.".into());
            }
        }
    }
}
