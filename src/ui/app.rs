//! The app shell: menu bar, canvas, status bar. Holds the document and the
//! per-window view state; drawing reads the document and never changes it.

use std::path::{Path, PathBuf};

use eframe::egui::{self, Panel};

use super::canvas::{self, Camera};
use super::{fonts, theme};
use crate::layout::{self, Lane, Layout};
use crate::model::validate::{self, Problem};
use crate::model::{JourneyMap, format};

/// The sample shown when the app starts without a file.
pub const BUNDLED_SAMPLE_NAME: &str = "sample_maps/b2b_saas_inbound.ron";
const BUNDLED_SAMPLE: &str = include_str!("../../sample_maps/b2b_saas_inbound.ron");

pub struct Document {
    pub map: JourneyMap,
    /// Where the map was loaded from; `None` for the bundled sample.
    pub path: Option<PathBuf>,
    pub problems: Vec<Problem>,
}

impl Document {
    pub fn new(map: JourneyMap, path: Option<PathBuf>) -> Document {
        let problems = validate::check(&map);
        Document { map, path, problems }
    }

    pub fn bundled_sample() -> Document {
        let map =
            format::parse_str(BUNDLED_SAMPLE, Path::new(BUNDLED_SAMPLE_NAME)).expect("the bundled sample is valid");
        Document::new(map, None)
    }

    pub fn open(path: &Path) -> Result<Document, format::LoadError> {
        Ok(Document::new(format::load(path)?, Some(path.to_owned())))
    }
}

pub struct JourneyApp {
    doc: Option<Document>,
    /// Why the requested file could not be opened, shown instead of a map.
    load_error: Option<String>,
    lanes: Vec<Lane>,
    layout: Layout,
    camera: Camera,
    /// Fit the map to the window on the next frame (the canvas size is only
    /// known while drawing).
    fit_pending: bool,
    /// The window title last sent, so it is only sent when it changes.
    shown_title: String,
}

impl JourneyApp {
    /// Sets up fonts and style, then shows `doc`, or `load_error` if the
    /// file the user asked for could not be read.
    pub fn new(ctx: &egui::Context, doc: Result<Document, String>) -> JourneyApp {
        fonts::install(ctx);
        ctx.set_theme(egui::Theme::Light);
        let (doc, load_error) = match doc {
            Ok(doc) => (Some(doc), None),
            Err(err) => (None, Some(err)),
        };
        let mut app = JourneyApp {
            doc,
            load_error,
            lanes: Lane::ALL.to_vec(),
            layout: Layout::default(),
            camera: Camera::default(),
            fit_pending: false,
            shown_title: String::new(),
        };
        app.relayout();
        app
    }

    pub fn document(&self) -> Option<&Document> {
        self.doc.as_ref()
    }

    fn relayout(&mut self) {
        if let Some(doc) = &self.doc {
            self.layout = layout::layout(
                &doc.map,
                &layout::Options {
                    lanes: self.lanes.clone(),
                },
            );
        }
    }

    fn window_title(&self) -> String {
        match &self.doc {
            Some(doc) => {
                let file = doc
                    .path
                    .as_deref()
                    .and_then(Path::file_name)
                    .map_or("sample".into(), |n| n.to_string_lossy());
                format!("{} — {} — Journeymap", doc.map.title, file)
            }
            None => "Journeymap".to_owned(),
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let fit = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
        let actual = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num1);
        let zoom_in = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
        let zoom_in_eq = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
        let zoom_out = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
        ctx.input_mut(|i| {
            if i.consume_shortcut(&fit) {
                self.fit_pending = true;
            }
            if i.consume_shortcut(&actual) {
                self.camera.zoom = 1.0;
            }
            if i.consume_shortcut(&zoom_in) || i.consume_shortcut(&zoom_in_eq) {
                self.camera.zoom = (self.camera.zoom * 1.25).min(canvas::MAX_ZOOM);
            }
            if i.consume_shortcut(&zoom_out) {
                self.camera.zoom = (self.camera.zoom / 1.25).max(canvas::MIN_ZOOM);
            }
        });
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("View", |ui| {
                if ui.button("Fit to window   Ctrl+0").clicked() {
                    self.fit_pending = true;
                }
                if ui.button("Actual size   Ctrl+1").clicked() {
                    self.camera.zoom = 1.0;
                }
                ui.separator();
                ui.label("Lanes");
                let mut changed = false;
                for lane in Lane::ALL {
                    let mut shown = self.lanes.contains(&lane);
                    if ui.checkbox(&mut shown, lane.label()).changed() {
                        changed = true;
                        if shown {
                            self.lanes.push(lane);
                        } else {
                            self.lanes.retain(|l| *l != lane);
                        }
                    }
                }
                if changed {
                    self.relayout();
                }
            });
            if let Some(doc) = &self.doc {
                ui.separator();
                ui.label(egui::RichText::new(&doc.map.title).strong());
                ui.label(egui::RichText::new(&doc.map.funnel.name).color(theme::MUTED));
            }
        });
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(doc) = &self.doc {
                let map = &doc.map;
                ui.label(format!(
                    "{} stages · {} touchpoints · {} links",
                    map.stages.len(),
                    map.touchpoints.len(),
                    map.links.len()
                ));
                if !doc.problems.is_empty() {
                    ui.separator();
                    let text = format!("⚠ {} problems", doc.problems.len());
                    let list = doc
                        .problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n");
                    ui.colored_label(theme::PAIN, text).on_hover_text(list);
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(format!("{:.0}%", self.camera.zoom * 100.0));
            });
        });
    }
}

impl eframe::App for JourneyApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let title = self.window_title();
        if title != self.shown_title {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
        self.shortcuts(ui.ctx());
        Panel::top("menu").show(ui, |ui| self.top_bar(ui));
        Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| match &self.doc {
                Some(doc) => {
                    let canvas = canvas::show(ui, &doc.map, &self.layout, &mut self.camera);
                    if self.fit_pending {
                        self.fit_pending = false;
                        self.camera.fit(canvas, self.layout.bounds);
                    }
                }
                None => {
                    ui.centered_and_justified(|ui| {
                        let err = self.load_error.as_deref().unwrap_or("No map open");
                        ui.colored_label(theme::PAIN, format!("Could not open the map.\n\n{err}"));
                    });
                }
            });
    }
}
