//! The menu bar, the toolbar and the status bar, drawn from the command
//! table: a command's label, shortcut and enabled state come from one place.

use eframe::egui::{self, RichText};

use super::app::{JourneyApp, View};
use super::commands::{Command, Menu};
use super::editing::plural;
use super::files::{EXPORTS, Then};
use super::theme;
use crate::layout::Lane;

const MENUS: &[(Menu, &str)] = &[
    (Menu::File, "File"),
    (Menu::Edit, "Edit"),
    (Menu::Insert, "Insert"),
    (Menu::View, "View"),
    (Menu::Present, "Present"),
    (Menu::Help, "Help"),
];

/// The toolbar, in order; each button's tooltip comes from the table.
const TOOLBAR: &[(Command, &str)] = &[
    (Command::AddStage, "Add stage"),
    (Command::AddTouchpoint, "Add touchpoint"),
    (Command::Undo, "Undo"),
    (Command::Redo, "Redo"),
    (Command::FitToWindow, "Fit"),
];

impl JourneyApp {
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut chosen = None;
        egui::MenuBar::new().ui(ui, |ui| {
            for &(menu, title) in MENUS {
                ui.menu_button(title, |ui| {
                    let mut group = None;
                    for &command in Command::ALL {
                        let Some((m, g)) = command.spec().menu else { continue };
                        if m != menu {
                            continue;
                        }
                        if group.is_some_and(|last| last != g) {
                            ui.separator();
                        }
                        group = Some(g);
                        if self.command_item(ui, &ctx, command) {
                            chosen = Some(command);
                        }
                        self.menu_extras(ui, command);
                    }
                });
            }
            ui.separator();
            self.toolbar(ui, &ctx, &mut chosen);
        });
        if let Some(command) = chosen {
            self.run(&ctx, command);
        }
    }

    /// One menu entry; checkboxes for the commands that toggle something.
    fn command_item(&self, ui: &mut egui::Ui, ctx: &egui::Context, command: Command) -> bool {
        let label = self.menu_label(command);
        let checked = match command {
            Command::ToggleInspector => Some(self.show_inspector),
            Command::TopVoted => Some(self.show_votes),
            Command::ToggleView => Some(self.view == View::Data),
            _ => None,
        };
        let mut button = match checked {
            Some(on) => egui::Button::selectable(on, label),
            None => egui::Button::new(label),
        };
        if let Some(keys) = command.shortcut_text(ctx) {
            button = button.shortcut_text(keys);
        }
        ui.add_enabled(self.can(command), button)
            .on_hover_text(command.spec().help)
            .clicked()
    }

    /// Submenus and toggles that are not commands of their own: recent
    /// files, export formats, the data overlay and the lanes.
    fn menu_extras(&mut self, ui: &mut egui::Ui, after: Command) {
        let ctx = ui.ctx().clone();
        match after {
            Command::Open => {
                ui.menu_button("Open recent", |ui| {
                    let recent = self.recent.list();
                    if recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in recent {
                        if ui.button(path.display().to_string()).clicked() {
                            self.guarded(&ctx, Then::Open(Some(path)));
                        }
                    }
                });
            }
            Command::ConnectClickHouse => {
                let has_db = self.doc.is_some() && self.data.database().is_some();
                if ui
                    .add_enabled(has_db, egui::Button::new("Imports…"))
                    .on_hover_text("List the files imported for this map, and remove one")
                    .clicked()
                {
                    self.view = View::Data;
                    self.data.open_imports();
                    ui.close();
                }
                ui.add_enabled_ui(self.doc.is_some() && !self.exporting(), |ui| {
                    ui.menu_button("Export", |ui| {
                        for (label, format, page, scale) in EXPORTS {
                            if ui.button(*label).clicked() {
                                self.export(&ctx, *format, *page, *scale);
                            }
                        }
                    });
                });
            }
            Command::ToggleView => {
                ui.checkbox(&mut self.show_overlay, "Data on the map");
                ui.separator();
                ui.label("Lanes");
                for lane in Lane::ALL {
                    let mut shown = self.lanes.contains(&lane);
                    if ui.checkbox(&mut shown, lane.label()).changed() {
                        if shown {
                            self.lanes.push(lane);
                        } else {
                            self.lanes.retain(|l| *l != lane);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn toolbar(&mut self, ui: &mut egui::Ui, ctx: &egui::Context, chosen: &mut Option<Command>) {
        if self.doc.is_none() {
            return;
        }
        let tip = Command::ToggleView.tooltip(ctx);
        ui.selectable_value(&mut self.view, View::Map, "Map")
            .on_hover_text(&tip);
        ui.selectable_value(&mut self.view, View::Data, "Data")
            .on_hover_text(&tip);
        ui.separator();
        if self.view == View::Map {
            for &(command, label) in TOOLBAR {
                if ui
                    .add_enabled(self.can(command), egui::Button::new(label))
                    .on_hover_text(command.tooltip(ctx))
                    .on_disabled_hover_text(command.tooltip(ctx))
                    .clicked()
                {
                    *chosen = Some(command);
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let label = if self.show_inspector {
                    "Hide inspector"
                } else {
                    "Show inspector"
                };
                if ui
                    .add(egui::Button::selectable(self.show_inspector, label))
                    .on_hover_text(Command::ToggleInspector.tooltip(ctx))
                    .clicked()
                {
                    *chosen = Some(Command::ToggleInspector);
                }
            });
        }
    }

    pub(super) fn status_bar(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(doc) = &self.doc {
                let map = doc.map();
                let saved = if doc.path.is_none() {
                    "not saved yet"
                } else if doc.edit.is_modified() {
                    "unsaved changes"
                } else {
                    "saved"
                };
                ui.label(format!("{} · {saved}", doc.file_name()));
                ui.separator();
                ui.label(format!(
                    "{} · {} · {}",
                    plural(map.stages.len(), "stage"),
                    plural(map.touchpoints.len(), "touchpoint"),
                    plural(map.links.len(), "link")
                ));
                if !self.problems.is_empty() {
                    ui.separator();
                    let list = self
                        .problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n");
                    ui.colored_label(theme::PAIN, plural(self.problems.len(), "problem"))
                        .on_hover_text(list);
                }
            }
            if let Some(error) = &self.recovery.error {
                ui.separator();
                ui.colored_label(theme::PAIN, error);
            }
            if let Some(job) = &self.export_job {
                ui.separator();
                ui.spinner();
                ui.label(job.describe());
            }
            if let Some(status) = self.current_status() {
                ui.separator();
                ui.label(RichText::new(status).color(theme::MUTED));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if self.view == View::Map {
                    ui.label(format!("{:.0}%", self.canvas.camera.zoom * 100.0));
                }
                let keys = Command::Shortcuts.shortcut_text(ui.ctx()).unwrap_or_default();
                ui.label(RichText::new(format!("{keys} shortcuts")).color(theme::MUTED));
            });
        });
    }
}
