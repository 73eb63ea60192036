//! The Imports window: every import of the database (file, rows, when,
//! size), each with a Remove button. Removing asks first, says there is no
//! undo, and runs on a worker; the Data view reloads when it is done.

use eframe::egui::{self, RichText};

use super::super::theme;
use super::{count, plural};
use crate::store::ImportInfo;

#[derive(Default)]
pub(super) struct ImportsWindow {
    /// The import the user asked to remove, awaiting their confirmation.
    confirm: Option<i64>,
    /// The import being removed by a worker.
    removing: Option<i64>,
    /// What the last removal did, or why it failed.
    outcome: Option<Result<String, String>>,
}

/// What the user asked the panel to do.
pub(super) enum Action {
    None,
    Close,
    Remove(i64),
}

impl ImportsWindow {
    pub fn removing(&self) -> Option<i64> {
        self.removing
    }

    pub fn started(&mut self, id: i64) {
        self.confirm = None;
        self.removing = Some(id);
        self.outcome = None;
    }

    pub fn finished(&mut self, result: Result<ImportInfo, String>) {
        self.removing = None;
        self.outcome = Some(result.map(|i| {
            format!(
                "Removed import {} ({}): {} and {} rejected rows.",
                i.id,
                i.file_name,
                plural(i.rows_imported, "event"),
                count(i.rows_rejected)
            )
        }));
    }

    pub fn show(&mut self, ctx: &egui::Context, imports: &[ImportInfo]) -> Action {
        let mut action = Action::None;
        let modal = egui::Modal::new(egui::Id::unique("data-imports-window")).show(ctx, |ui| {
            ui.set_width(820.0_f32.min(ctx.content_rect().width() - 60.0));
            ui.label(RichText::new("Imports").heading().strong());
            ui.label(
                RichText::new(
                    "Each file imported into this map's database. Removing one takes out its events and rejected rows.",
                )
                .color(theme::MUTED),
            );
            ui.add_space(6.0);
            if imports.is_empty() {
                ui.label("Nothing is imported.");
            } else {
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    self.grid(ui, imports);
                });
            }
            if let Some(id) = self.confirm
                && let Some(i) = imports.iter().find(|i| i.id == id)
            {
                ui.add_space(8.0);
                ui.colored_label(
                    theme::PAIN,
                    format!(
                        "Remove import {id} ({})? Its {} and {} rejected rows leave the database. \
                         This cannot be undone: import the file again to bring them back.",
                        i.file_name,
                        plural(i.rows_imported, "event"),
                        count(i.rows_rejected)
                    ),
                );
                ui.horizontal(|ui| {
                    if ui.button(RichText::new("Remove for good").strong()).clicked() {
                        action = Action::Remove(id);
                    }
                    if ui.button("Keep it").clicked() {
                        self.confirm = None;
                    }
                });
            }
            if let Some(id) = self.removing {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Removing import {id}…"));
                });
            }
            match &self.outcome {
                Some(Ok(text)) => {
                    ui.label(RichText::new(text).color(theme::OPPORTUNITY));
                }
                Some(Err(err)) => {
                    ui.colored_label(theme::PAIN, err);
                }
                None => {}
            }
            ui.add_space(8.0);
            if ui
                .add_enabled(self.removing.is_none(), egui::Button::new("Close"))
                .clicked()
            {
                action = Action::Close;
            }
        });
        if modal.should_close() && self.removing.is_none() && matches!(action, Action::None) {
            action = Action::Close;
        }
        action
    }

    fn grid(&mut self, ui: &mut egui::Ui, imports: &[ImportInfo]) {
        egui::Grid::new("data-imports-grid")
            .striped(true)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for h in [
                    "Id",
                    "File",
                    "Events",
                    "Rejected rows",
                    "Money in",
                    "Imported at (UTC)",
                    "Size",
                    "",
                ] {
                    ui.label(RichText::new(h).strong().color(theme::MUTED));
                }
                ui.end_row();
                for i in imports {
                    ui.label(i.id.to_string());
                    let file = ui.label(&i.file_name);
                    let mut hover = format!("{}\n{}", i.file_path, i.content_hash);
                    if let Some(earlier) = i.continues_import {
                        hover.push_str(&format!(
                            "\nThe rows added after import {earlier}'s {} rows",
                            count(i.rows_before)
                        ));
                    }
                    file.on_hover_text(hover);
                    ui.label(count(i.rows_imported));
                    ui.label(count(i.rows_rejected));
                    // The currency its amounts were written in: the one a
                    // refused file is told about.
                    match &i.currency {
                        Some(code) => ui.label(code),
                        None => ui
                            .label(RichText::new("–").color(theme::MUTED))
                            .on_hover_text("No amount written with a currency (or imported before they were noted)"),
                    };
                    ui.label(i.started_at.replace('T', " ").trim_end_matches('Z').to_owned());
                    ui.label(size(i.size_bytes));
                    let idle = self.removing.is_none();
                    let button = ui
                        .add_enabled(idle, egui::Button::new("Remove"))
                        .on_hover_text("Take this import's events out of the database");
                    let name = format!("Remove import {}", i.id);
                    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, idle, &name));
                    if button.clicked() {
                        self.confirm = Some(i.id);
                        self.outcome = None;
                    }
                    ui.end_row();
                }
            });
    }
}

/// A file size in the unit that reads best.
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{:.1} kB", b as f64 / 1e3),
        b => format!("{:.1} MB", b as f64 / 1e6),
    }
}
