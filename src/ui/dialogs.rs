//! The app's modal dialogs: unsaved changes, a new map, restoring unsaved
//! work, a file that would not open, a path typed by hand, and messages.
//! Each says what happened in plain words and offers a way forward.

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::app::JourneyApp;
use super::document::Document;
use super::files::{Then, looks_like_events};
use super::picker::Purpose;
use super::theme;
use crate::model::{format::LoadError, templates};
use crate::recovery::Orphan;

pub enum Dialog {
    Unsaved(Then),
    NewMap {
        template: usize,
        title: String,
    },
    Recover(Box<Orphan>),
    Message {
        title: String,
        text: String,
    },
    OpenFailed(OpenFailure),
    /// No native dialog could open: the user types the path.
    PathPrompt {
        purpose: Purpose,
        reason: String,
        text: String,
        /// Give the path field the keyboard (when the prompt opens).
        focus: bool,
    },
}

/// A file that did not open as a map, explained.
#[derive(Clone, Debug)]
pub struct OpenFailure {
    pub path: PathBuf,
    pub headline: String,
    pub detail: String,
    /// It looks like an events table: offer to import it.
    pub events: bool,
}

impl OpenFailure {
    pub fn new(path: &Path, err: &LoadError) -> OpenFailure {
        OpenFailure {
            path: path.to_owned(),
            headline: err.headline(),
            detail: err.to_string(),
            events: err.is_not_a_map() && looks_like_events(path),
        }
    }
}

/// What a dialog asks the app to do once it is drawn.
enum After {
    Keep,
    Close,
    SaveThen(Then),
    DiscardThen(Then),
    Create(usize, String),
    Later,
    Restore,
    Import(PathBuf),
    OpenAnother,
    UsePath(Purpose, PathBuf),
}

fn modal(ctx: &egui::Context, id: &str, add: impl FnOnce(&mut egui::Ui)) {
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(520.0);
        add(ui);
    });
}

impl JourneyApp {
    pub(super) fn dialogs(&mut self, ctx: &egui::Context) {
        let Some(mut dialog) = self.dialog.take() else { return };
        let mut after = After::Keep;
        match &mut dialog {
            Dialog::Unsaved(then) => {
                let name = self.doc.as_ref().map_or("the map".into(), |d| d.file_name());
                modal(ctx, "unsaved", |ui| {
                    ui.heading("Save changes?");
                    ui.label(format!("{name} has changes that are not saved."));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            after = After::SaveThen(then.clone());
                        }
                        if ui.button("Don't save").clicked() {
                            after = After::DiscardThen(then.clone());
                        }
                        if ui.button("Cancel").clicked() {
                            after = After::Close;
                        }
                    });
                });
            }
            Dialog::NewMap { template, title } => {
                modal(ctx, "new-map", |ui| {
                    ui.heading("New journey map");
                    let label = ui.label("Title");
                    ui.text_edit_singleline(title).labelled_by(label.id);
                    ui.label("Funnel model");
                    for (i, t) in templates::TEMPLATES.iter().enumerate() {
                        ui.radio_value(template, i, t.name).on_hover_text(t.stages.join(" › "));
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Create").clicked() {
                            after = After::Create(*template, title.trim().to_owned());
                        }
                        if ui.button("Cancel").clicked() {
                            after = After::Close;
                        }
                    });
                });
            }
            Dialog::Recover(orphan) => {
                modal(ctx, "recover", |ui| {
                    ui.heading("Restore unsaved work?");
                    let origin = match (&orphan.origin, &orphan.origin_hint) {
                        (Some(path), _) => path.display().to_string(),
                        (None, Some(hint)) => format!("{hint}; you will be asked where to save it"),
                        (None, None) => "a map that was never saved".into(),
                    };
                    ui.label(format!(
                        "Journeymap closed before “{}” ({origin}) was saved.",
                        orphan.map.title
                    ));
                    if let Some(age) = orphan.saved.and_then(|t| t.elapsed().ok()) {
                        ui.label(
                            RichText::new(format!("Last autosaved {} minutes ago.", age.as_secs() / 60))
                                .color(theme::MUTED),
                        );
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Restore").clicked() {
                            after = After::Restore;
                        }
                        if ui.button("Discard").clicked() {
                            after = After::Close;
                        }
                        if ui
                            .button("Later")
                            .on_hover_text("Keep it and ask again next time Journeymap starts")
                            .clicked()
                        {
                            after = After::Later;
                        }
                    });
                });
            }
            Dialog::Message { title, text } => {
                modal(ctx, "message", |ui| {
                    ui.heading(title.as_str());
                    ui.label(text.as_str());
                    if ui.button("OK").clicked() {
                        after = After::Close;
                    }
                });
            }
            Dialog::OpenFailed(failure) => {
                modal(ctx, "open-failed", |ui| {
                    ui.heading(&failure.headline);
                    ui.label(RichText::new(failure.path.display().to_string()).strong());
                    ui.label(RichText::new(&failure.detail).color(theme::MUTED));
                    if failure.events {
                        ui.label("It looks like a table of events. Import it into this map's data?");
                    }
                    ui.horizontal(|ui| {
                        if failure.events && ui.button("Import as events…").clicked() {
                            after = After::Import(failure.path.clone());
                        }
                        if ui.button("Open another file…").clicked() {
                            after = After::OpenAnother;
                        }
                        if ui.button("Close").clicked() {
                            after = After::Close;
                        }
                    });
                });
            }
            Dialog::PathPrompt {
                purpose,
                reason,
                text,
                focus,
            } => {
                modal(ctx, "path-prompt", |ui| {
                    ui.heading(format!("{} — type the file's path", purpose.verb()));
                    ui.label(reason.as_str());
                    let label = ui.label("Path");
                    let response = ui
                        .add(egui::TextEdit::singleline(text).desired_width(480.0))
                        .labelled_by(label.id);
                    if std::mem::take(focus) {
                        response.request_focus();
                    }
                    let submitted = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.horizontal(|ui| {
                        let ok = ui.add_enabled(!text.trim().is_empty(), egui::Button::new(purpose.verb()));
                        if (ok.clicked() || submitted) && !text.trim().is_empty() {
                            after = After::UsePath(purpose.clone(), expand_home(text.trim()));
                        }
                        if ui.button("Cancel").clicked() {
                            after = After::Close;
                        }
                    });
                });
            }
        }
        match after {
            After::Keep => self.dialog = Some(dialog),
            After::Close => {
                if let Dialog::Recover(orphan) = dialog
                    && let Err(err) = orphan.discard()
                {
                    self.say(format!("Could not discard the recovered work: {err}"));
                }
            }
            After::SaveThen(then) => {
                if self.save(false) {
                    self.proceed(ctx, then);
                }
            }
            After::DiscardThen(then) => {
                // The changes go only with the map: closing drops them now;
                // opening or creating another drops them once it replaces
                // this one (a cancelled picker or a file that does not open
                // leaves the edited map open, still unsaved and recoverable).
                if let Then::Close = then
                    && let Some(doc) = &mut self.doc
                {
                    doc.edit.mark_saved();
                }
                self.proceed(ctx, then);
            }
            After::Create(template, title) => {
                let map = templates::TEMPLATES[template].new_map(&title);
                self.set_document(Document::new(map, None));
                self.recovery.clear();
            }
            // The orphan is dropped unlocked: it is offered again next start.
            After::Later => {}
            After::Restore => {
                if let Dialog::Recover(orphan) = dialog {
                    self.restore(*orphan);
                }
            }
            After::Import(path) => self.import_events(path),
            After::OpenAnother => self.proceed(ctx, Then::Open(None)),
            After::UsePath(purpose, path) => self.use_typed_path(ctx, purpose, path),
        }
    }
}

/// "~/maps/a.ron" as people type it in a terminal.
fn expand_home(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(text),
    }
}
