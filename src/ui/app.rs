//! The app shell: holds the open document and the window's state, and runs
//! one frame: keys to commands, then the panels, then what they asked for.
//! Each concern lives in its own module (`commands`, `menus`, `files`,
//! `dialogs`, `editing`, `clipboard`, `rename`, `autosave`), as `impl
//! JourneyApp` blocks over the fields declared here.

use std::path::PathBuf;

use eframe::egui::{self, Panel};

use super::autosave::Autosave;
use super::canvas::{self, CanvasState};
use super::clipboard::Clipboard;
use super::commands;
use super::data::{self, DataPanel};
use super::dialogs::{Dialog, OpenFailure};
use super::document::Document;
use super::export_job::ExportJob;
use super::files::{Recent, Then};
use super::inspector::{self, InspectorState};
use super::picker::{FilePicker, NativePicker, Picker};
use super::present::Presentation;
use super::rename::Rename;
use super::selection::{Item, Selection};
use super::{fonts, help, theme};
use crate::export::scene::Scene;
use crate::layout::{self, Lane, Layout};
use crate::model::validate::{self, Problem};
use crate::model::{JourneyMap, MetricSource, format::LoadError};

/// How the app reaches the outside world; tests replace both.
pub struct Config {
    pub picker: Box<dyn FilePicker>,
    pub state_dir: PathBuf,
    /// Seconds between recovery writes of unsaved work.
    pub autosave_seconds: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            picker: Box::new(NativePicker::default()),
            state_dir: super::files::default_state_dir(),
            autosave_seconds: 5.0,
        }
    }
}

/// The map to draw: with data (and `with_data`), the copy whose data-bound
/// metrics carry measured values; otherwise the document's own.
pub(super) fn shown<'a>(
    doc: &'a Document,
    measured: &'a Option<((usize, u64), Option<JourneyMap>)>,
    with_data: bool,
) -> &'a JourneyMap {
    match measured {
        Some((_, Some(map))) if with_data => map,
        _ => doc.map(),
    }
}

/// What the central area shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum View {
    /// The canvas.
    Map,
    /// Imported data against the map: funnel, attribution, comparison.
    Data,
}

pub struct JourneyApp {
    pub(super) doc: Option<Document>,
    /// Why the file given at start could not be opened, shown instead of a map.
    pub(super) open_failure: Option<OpenFailure>,
    pub(super) lanes: Vec<Lane>,
    pub(super) layout: Layout,
    /// What `layout` and `problems` were computed from.
    pub(super) layout_key: Option<(u64, Vec<Lane>)>,
    /// The drawing of the map the canvas paints: the shapes the exporters
    /// write, with the data overlay when it is on.
    pub(super) scene: Scene,
    /// What `scene` was built from: revision, lanes, the comparison drawn.
    pub(super) scene_key: Option<(u64, Vec<Lane>, Option<usize>)>,
    /// When the scene was last built (egui time) and how long that took.
    scene_built: (f64, f64),
    /// The overview form of the map (`layout::compact`), what the canvas
    /// shows zoomed out, and its drawing, built when it is on show.
    pub(super) compact_layout: Layout,
    pub(super) compact_scene: Scene,
    pub(super) compact_scene_key: Option<(u64, Vec<Lane>, Option<usize>)>,
    pub(super) problems: Vec<Problem>,
    pub(super) canvas: CanvasState,
    pub(super) selection: Selection,
    pub(super) inspector: InspectorState,
    pub(super) clipboard: Clipboard,
    pub(super) rename: Option<Rename>,
    /// Bring this into view once the layout has it (a new stage).
    pub(super) reveal: Option<Item>,
    pub(super) dialog: Option<Dialog>,
    pub(super) show_help: bool,
    pub(super) show_inspector: bool,
    /// The Top voted window.
    pub(super) show_votes: bool,
    /// A short message for the status bar, and the revision it speaks of:
    /// once the map changes again it is stale and no longer shown.
    status: Option<(String, u64)>,
    pub(super) picker: Picker,
    pub(super) recent: Recent,
    pub(super) recovery: Autosave,
    pub(super) allow_close: bool,
    /// The export a path is being asked for: format, page, scale.
    pub(super) pending_export: Option<(crate::export::Format, crate::export::Page, f32)>,
    /// The export being written on a worker.
    pub(super) export_job: Option<ExportJob>,
    /// Presentation mode, when on.
    pub(super) present: Option<Presentation>,
    pub(super) view: View,
    pub(super) data: DataPanel,
    /// Colour the canvas with the data (reach, unseen touchpoints, missing links).
    pub(super) show_overlay: bool,
    /// The map with its data-bound metrics measured (`None` when it has no
    /// such metrics), keyed by the comparison and revision it was made from.
    pub(super) measured: Option<((usize, u64), Option<JourneyMap>)>,
    pub(super) fit_pending: bool,
    shown_title: String,
    /// The text field that had the keyboard last frame.
    last_focus: Option<egui::Id>,
}

impl JourneyApp {
    pub fn new(ctx: &egui::Context, doc: Result<Document, (PathBuf, LoadError)>) -> JourneyApp {
        JourneyApp::with_config(ctx, doc, Config::default())
    }

    /// Sets up fonts and style, then shows `doc`, or explains why the file
    /// the user asked for could not be read. Offers to restore work that
    /// windows which did not close cleanly left unsaved.
    pub fn with_config(ctx: &egui::Context, doc: Result<Document, (PathBuf, LoadError)>, config: Config) -> JourneyApp {
        fonts::install(ctx);
        ctx.set_theme(egui::Theme::Light);
        let (doc, open_failure) = match doc {
            Ok(doc) => (Some(doc), None),
            Err((path, err)) => (None, Some(OpenFailure::new(&path, &err))),
        };
        let recent = Recent::new(&config.state_dir);
        if let Some(path) = doc.as_ref().and_then(|d| d.path.as_deref()) {
            recent.add(path);
        }
        let mut app = JourneyApp {
            doc,
            open_failure,
            lanes: Lane::ALL.to_vec(),
            layout: Layout::default(),
            layout_key: None,
            scene: Scene::default(),
            scene_key: None,
            scene_built: (f64::NEG_INFINITY, 0.0),
            compact_layout: Layout::default(),
            compact_scene: Scene::default(),
            compact_scene_key: None,
            problems: Vec::new(),
            canvas: CanvasState::default(),
            selection: Selection::default(),
            inspector: InspectorState::default(),
            clipboard: Clipboard::default(),
            rename: None,
            reveal: None,
            dialog: None,
            show_help: false,
            show_inspector: true,
            show_votes: false,
            status: None,
            picker: Picker::new(config.picker),
            recent,
            recovery: Autosave::new(config.state_dir, config.autosave_seconds),
            allow_close: false,
            pending_export: None,
            export_job: None,
            present: None,
            view: View::Map,
            data: DataPanel::new(),
            show_overlay: true,
            measured: None,
            // A map opens showing whole stages, not the first few cards.
            fit_pending: true,
            shown_title: String::new(),
            last_focus: None,
        };
        app.point_data_at_document();
        app.offer_recovery();
        app
    }

    /// The data side: the events loaded, the analyses and their state.
    pub fn data(&self) -> &DataPanel {
        &self.data
    }

    pub fn document(&self) -> Option<&Document> {
        self.doc.as_ref()
    }

    /// The map as the canvas draws it: with data, metrics bound to it carry
    /// measured values.
    pub fn shown_map(&self) -> Option<&JourneyMap> {
        let doc = self.doc.as_ref()?;
        Some(shown(doc, &self.measured, self.show_overlay))
    }

    /// The form of the map the canvas shows, and its zoom.
    pub fn canvas_view(&self) -> (layout::Form, f32) {
        (self.canvas.form, self.canvas.camera.zoom)
    }

    /// The layout of the form on show: what is where on screen.
    pub(super) fn shown_layout(&self) -> &Layout {
        match self.canvas.form {
            layout::Form::Full => &self.layout,
            layout::Form::Compact => &self.compact_layout,
        }
    }

    /// Where the canvas was last drawn, in window points.
    pub fn canvas_rect(&self) -> Option<egui::Rect> {
        self.canvas.last_rect()
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// What is being renamed on the canvas, if anything.
    pub fn renaming(&self) -> Option<Item> {
        self.rename.as_ref().map(|r| r.item)
    }

    /// The status bar's message, unless the map changed since it was said.
    pub fn current_status(&self) -> Option<&str> {
        let (text, revision) = self.status.as_ref()?;
        let now = self.doc.as_ref().map_or(0, |d| d.edit.revision());
        (*revision == now).then_some(text.as_str())
    }

    /// Puts a message in the status bar until the map next changes.
    pub(super) fn say(&mut self, text: String) {
        let revision = self.doc.as_ref().map_or(0, |d| d.edit.revision());
        self.status = Some((text, revision));
    }

    /// Fills data-bound metrics (people reached, conversion rate, cost per
    /// conversion) from the latest comparison, when there is one and the map
    /// has such metrics.
    fn measure(&mut self) {
        let (Some(doc), Some(c)) = (&self.doc, self.data.comparison()) else {
            self.measured = None;
            return;
        };
        // Once per new comparison or edit, not every frame.
        let key = (c as *const _ as usize, doc.edit.revision());
        if self.measured.as_ref().map(|(k, _)| *k) == Some(key) {
            return;
        }
        let map = doc.map();
        let bound = map
            .touchpoints
            .iter()
            .flat_map(|t| &t.metrics)
            .any(|m| m.source != MetricSource::Manual);
        self.measured = Some((key, bound.then(|| crate::analysis::fill_data_metrics(map, c))));
    }

    /// The database beside the open map (MAP.sqlite), on every open: it also
    /// restarts the analysis, as a new document's revisions start over.
    pub(super) fn point_data_at_document(&mut self) {
        self.data.set_database(
            self.doc
                .as_ref()
                .and_then(|d| d.path.as_deref())
                .map(data::database_beside),
        );
    }

    fn refresh(&mut self) {
        let Some(doc) = &self.doc else { return };
        let key = (doc.edit.revision(), self.lanes.clone());
        if self.layout_key.as_ref() != Some(&key) {
            let options = layout::Options {
                lanes: self.lanes.clone(),
                ..Default::default()
            };
            self.layout = layout::layout(doc.map(), &options);
            self.compact_layout = layout::compact::layout(doc.map(), &options);
            self.problems = validate::check(doc.map());
            self.selection.retain_existing(doc.map());
            self.layout_key = Some(key);
        }
    }

    /// Rebuilds the scene when the map, the lanes or the data drawn changed.
    /// On a map so large that a rebuild is felt (tens of milliseconds),
    /// typing rebuilds it at most a few times a second: the field shows the
    /// keystrokes at once, the canvas catches up.
    fn refresh_scene(&mut self, ctx: &egui::Context) {
        const FELT: f64 = 0.04;
        const TYPING_EVERY: f64 = 0.4;
        let Some(doc) = &self.doc else { return };
        if self.canvas.form == layout::Form::Compact && self.present.is_none() {
            // The overview has no data drawn over it, only measured metrics.
            let comparison = self.data.comparison().filter(|_| self.show_overlay);
            let key = (
                doc.edit.revision(),
                self.lanes.clone(),
                comparison.map(|c| c as *const _ as usize),
            );
            if self.compact_scene_key.as_ref() != Some(&key) {
                let map = shown(doc, &self.measured, self.show_overlay);
                self.compact_scene = crate::export::scene::compact::build(map, &self.compact_layout);
                self.compact_scene_key = Some(key);
            }
            return;
        }
        let comparison = if self.show_overlay {
            self.data.comparison()
        } else {
            None
        };
        let key = (
            doc.edit.revision(),
            self.lanes.clone(),
            comparison.map(|c| c as *const _ as usize),
        );
        if self.scene_key.as_ref() == Some(&key) {
            return;
        }
        let now = ctx.input(|i| i.time);
        let (built_at, cost) = self.scene_built;
        let same_map = self.scene_key.as_ref().is_some_and(|k| k.1 == key.1 && k.2 == key.2);
        if same_map && cost > FELT && ctx.text_edit_focused() && now - built_at < TYPING_EVERY {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(TYPING_EVERY));
            return;
        }
        self.canvas.unmatched_events = comparison.map_or_else(Vec::new, |c| {
            c.unmatched_events.iter().take(10).map(|e| e.event.clone()).collect()
        });
        let started = std::time::Instant::now();
        let map = shown(doc, &self.measured, self.show_overlay);
        self.scene = crate::export::compose::map_scene(map, &self.layout, comparison);
        self.scene_key = Some(key);
        self.scene_built = (now, started.elapsed().as_secs_f64());
    }

    fn window_title(&self) -> String {
        match &self.doc {
            Some(doc) => {
                let dirty = if doc.edit.is_modified() { "• " } else { "" };
                format!("{dirty}{} — {} — Journeymap", doc.map().title, doc.file_name())
            }
            None => "Journeymap".to_owned(),
        }
    }

    /// Typing into a field merges into one undo step; leaving the field ends
    /// that step. Gaining focus does not, so naming a thing just added stays
    /// part of adding it.
    fn seal_on_focus_change(&mut self, ctx: &egui::Context) {
        let focused = ctx.memory(|m| m.focused());
        if self.last_focus.is_some()
            && self.last_focus != focused
            && let Some(doc) = &mut self.doc
        {
            doc.edit.seal();
        }
        self.last_focus = focused;
    }

    /// Typed and pasted text enters the map composed (NFC), as loaded maps
    /// are: decomposed Vietnamese from some keyboards and documents would
    /// otherwise compare, search and wrap differently. Done to the frame's
    /// input before any widget reads it.
    fn compose_typed_text(ctx: &egui::Context) {
        ctx.input_mut(|i| {
            for event in &mut i.events {
                if let egui::Event::Text(text) | egui::Event::Paste(text) = event
                    && let std::borrow::Cow::Owned(composed) = crate::model::text::nfc(text)
                {
                    *text = composed;
                }
            }
        });
    }

    /// Keys to commands, then dropped files. Not while a dialog is up.
    fn input(&mut self, ctx: &egui::Context) {
        if self.dialog.is_some() || self.data.dialog_open() {
            return;
        }
        // egui drops the focus on Esc before the rename field sees the key,
        // so Esc would read as "clear the selection" and keep the typing.
        if self.rename.is_some() {
            let key = |k| ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, k));
            if key(egui::Key::Escape) {
                self.cancel_rename();
            } else if key(egui::Key::Enter) {
                self.finish_rename();
            }
        } else if self.last_focus.is_some() && ctx.memory(|m| m.focused()).is_none() {
            // Esc that just took the keyboard from a field (egui drops the
            // focus first) is not also "clear the selection".
            ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
        }
        for command in commands::pressed(ctx) {
            self.run(ctx, command);
        }
        if self.present.is_none() {
            self.clipboard_events(ctx);
            self.dropped_files(ctx);
        }
    }

    fn inspector_panel(&mut self, ui: &mut egui::Ui) {
        let Some(doc) = &self.doc else { return };
        if !self.show_inspector || self.view != View::Map {
            return;
        }
        self.inspector.data = match self.selection.single() {
            Some(Item::Touchpoint(id)) if self.data.comparison().is_some() => {
                let shown = shown(doc, &self.measured, self.show_overlay);
                self.data.source().map(|source| inspector::DataMark {
                    source,
                    measured: shown
                        .touchpoint(id)
                        .map(|t| t.metrics.iter().map(|m| (m.id, m.value)).collect())
                        .unwrap_or_default(),
                })
            }
            _ => None,
        };
        // Narrow by default so the map keeps most of the window; wider on
        // demand by dragging its edge.
        let requests = Panel::right("inspector")
            .default_size(320.0)
            .size_range(260.0..=720.0)
            .resizable(true)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui
                            .small_button("×")
                            .on_hover_text(commands::Command::ToggleInspector.tooltip(ui.ctx()))
                            .clicked()
                        {
                            self.show_inspector = false;
                        }
                    });
                });
                inspector::show(ui, doc.map(), &self.selection, &mut self.inspector)
            })
            .inner;
        self.handle_inspector(requests);
    }

    fn central(&mut self, ui: &mut egui::Ui) {
        let mut actions = Vec::new();
        if self.view == View::Data
            && let Some(doc) = &self.doc
        {
            let fixes = egui::CentralPanel::default()
                .show(ui, |ui| {
                    self.data.show(ui, doc.map(), doc.edit.revision(), &mut self.picker)
                })
                .inner;
            self.apply_fixes(fixes);
            return;
        }
        egui::CentralPanel::default().frame(egui::Frame::NONE).show(ui, |ui| {
            let Some(doc) = &self.doc else {
                self.nothing_open(ui);
                return;
            };
            let (layout, scene) = match self.canvas.form {
                layout::Form::Full => (&self.layout, &self.scene),
                layout::Form::Compact => (&self.compact_layout, &self.compact_scene),
            };
            let canvas = canvas::show(
                ui,
                shown(doc, &self.measured, self.show_overlay),
                layout,
                scene,
                &mut self.canvas,
                &self.selection,
                &mut actions,
            );
            let form = self.canvas.form;
            if self.fit_pending {
                self.fit_pending = false;
                self.canvas.fit_form(canvas, &self.layout, &self.compact_layout);
            } else {
                self.canvas.settle_form(canvas, &self.layout, &self.compact_layout);
            }
            if self.canvas.form != form {
                // The other form's drawing is built next frame.
                ui.ctx().request_repaint();
                self.finish_rename();
            }
            if let Some(item) = self.reveal.take() {
                let layout = match self.canvas.form {
                    layout::Form::Full => &self.layout,
                    layout::Form::Compact => &self.compact_layout,
                };
                self.canvas.reveal(canvas, layout, item);
            }
            self.rename_field(ui, canvas);
        });
        self.handle_canvas(actions);
    }

    /// The start screen when the file given on the command line would not open.
    fn nothing_open(&mut self, ui: &mut egui::Ui) {
        let failure = self.open_failure.clone();
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() / 3.0);
            match &failure {
                Some(failure) => {
                    ui.heading(&failure.headline);
                    ui.label(egui::RichText::new(failure.path.display().to_string()).strong());
                    ui.label(egui::RichText::new(&failure.detail).color(theme::MUTED));
                    ui.add_space(8.0);
                    if failure.events && ui.button("Import as events…").clicked() {
                        self.set_document(Document::bundled_sample());
                        self.import_events(failure.path.clone());
                    }
                }
                None => {
                    ui.heading("No map open");
                }
            }
            ui.horizontal(|ui| {
                ui.add_space((ui.available_width() - 320.0).max(0.0) / 2.0);
                let ctx = ui.ctx().clone();
                if ui.button("Open another file…").clicked() {
                    self.proceed(&ctx, Then::Open(None));
                }
                if ui.button("New map…").clicked() {
                    self.proceed(&ctx, Then::New);
                }
                if ui.button("Open the sample").clicked() {
                    self.set_document(Document::bundled_sample());
                }
            });
        });
    }

    /// After the frame: dialogs that could not open, the system clipboard,
    /// autosave, the window title.
    fn finish_frame(&mut self, ctx: &egui::Context) {
        if let Some((purpose, reason)) = self.picker.take_failure() {
            self.dialog = Some(Dialog::PathPrompt {
                purpose,
                reason,
                text: String::new(),
                focus: true,
            });
        }
        self.offer_recovery();
        self.poll_export(ctx);
        self.clipboard.flush(ctx);
        if let Some(doc) = &self.doc {
            self.recovery.tick(doc, ctx.input(|i| i.time));
        }
        let title = self.window_title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
        if self.is_modified() {
            // Autosave needs a frame now and then even when nothing moves.
            let interval = self.recovery.interval().max(0.5);
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(interval));
        }
    }
}

impl eframe::App for JourneyApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        Self::compose_typed_text(&ctx);
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.is_modified() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.finish_rename();
            self.dialog = Some(Dialog::Unsaved(Then::Close));
        }
        self.refresh();
        if let Some(doc) = &self.doc {
            // Keeps the analysis (and the canvas overlay) up to date with edits.
            self.data.poll(&ctx, doc.map(), doc.edit.revision());
        }
        self.measure();
        if self.present.is_some() {
            self.refresh_scene(&ctx);
            self.present(ui, &ctx);
            self.dialogs(&ctx);
            self.finish_frame(&ctx);
            return;
        }
        self.input(&ctx);
        if self.present.is_some() {
            self.finish_frame(&ctx);
            return;
        }
        self.refresh();
        Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        self.inspector_panel(ui);
        self.seal_on_focus_change(&ctx);
        self.refresh();
        self.measure();
        self.refresh_scene(&ctx);
        self.central(ui);
        self.top_voted(&ctx);
        self.dialogs(&ctx);
        if self.show_help {
            help::show(&ctx, &mut self.show_help);
        }
        self.finish_frame(&ctx);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A clean exit with nothing unsaved leaves no recovery behind.
        let unsaved = self.is_modified();
        self.recovery.release(unsaved);
    }
}
