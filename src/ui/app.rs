//! The app shell: menus, shortcuts, files, dialogs, and the three areas
//! (canvas, inspector, status bar). Holds the open document; panels report
//! what the user did and this module applies it, after drawing.

use std::path::{Path, PathBuf};

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, Panel, RichText};

use super::canvas::{self, Action, CanvasState};
use super::data::{self, DataPanel};
use super::files::{FilePicker, NativePicker, Recovery, StateDir};
use super::inspector::{self, InspectorState, Request};
use super::present::{Presentation, Step};
use super::selection::{Item, Selection};
use super::{fonts, help, theme};
use crate::edit::{self, Edit, ops};
use crate::export;
use crate::layout::{self, Lane, Layout};
use crate::model::validate::{self, Problem};
use crate::model::{JourneyMap, MetricSource, StageId, format, templates};

/// The sample shown when the app starts without a file.
pub const BUNDLED_SAMPLE_NAME: &str = "sample_maps/b2b_saas_inbound.ron";
const BUNDLED_SAMPLE: &str = include_str!("../../sample_maps/b2b_saas_inbound.ron");

/// An open map: its content and history, and where it lives on disk.
pub struct Document {
    pub edit: edit::Document,
    /// `None` until the map is saved somewhere (new maps, the bundled sample).
    pub path: Option<PathBuf>,
}

impl Document {
    pub fn new(map: JourneyMap, path: Option<PathBuf>) -> Document {
        Document {
            edit: edit::Document::new(map),
            path,
        }
    }

    pub fn bundled_sample() -> Document {
        let map =
            format::parse_str(BUNDLED_SAMPLE, Path::new(BUNDLED_SAMPLE_NAME)).expect("the bundled sample is valid");
        Document::new(map, None)
    }

    pub fn open(path: &Path) -> Result<Document, format::LoadError> {
        Ok(Document::new(format::load(path)?, Some(path.to_owned())))
    }

    pub fn map(&self) -> &JourneyMap {
        &self.edit.map
    }

    fn file_name(&self) -> String {
        self.path
            .as_deref()
            .and_then(Path::file_name)
            .map_or("untitled".into(), |n| n.to_string_lossy().into_owned())
    }
}

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
            picker: Box::new(NativePicker),
            state_dir: super::files::default_state_dir(),
            autosave_seconds: 5.0,
        }
    }
}

/// The File > Export menu: label, format, PDF page, PNG scale.
const EXPORTS: &[(&str, export::Format, export::Page, f32)] = &[
    ("PNG image…", export::Format::Png, export::Page::A4, 1.0),
    ("PNG image at 2× (slides)…", export::Format::Png, export::Page::A4, 2.0),
    ("SVG drawing…", export::Format::Svg, export::Page::A4, 1.0),
    ("PDF, A4 pages…", export::Format::Pdf, export::Page::A4, 1.0),
    ("PDF, A3 pages…", export::Format::Pdf, export::Page::A3, 1.0),
    ("PDF, one page…", export::Format::Pdf, export::Page::Fit, 1.0),
    ("CSV table…", export::Format::Csv, export::Page::A4, 1.0),
    ("Markdown report…", export::Format::Markdown, export::Page::A4, 1.0),
];

/// The map to draw: with data (and `with_data`), the copy whose data-bound
/// metrics carry measured values; otherwise the document's own.
fn shown<'a>(
    doc: &'a Document,
    measured: &'a Option<((usize, u64), Option<JourneyMap>)>,
    with_data: bool,
) -> &'a JourneyMap {
    match measured {
        Some((_, Some(map))) if with_data => map,
        _ => doc.map(),
    }
}

/// "1 touchpoint", "3 touchpoints".
fn touchpoints(n: usize) -> String {
    if n == 1 {
        "1 touchpoint".to_owned()
    } else {
        format!("{n} touchpoints")
    }
}

/// What the central area shows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum View {
    /// The canvas.
    Map,
    /// Imported data against the map: funnel, attribution, comparison.
    Data,
}

/// One step of `apply_chain`: builds an edit against the map as the steps
/// before it left it.
type EditStep<'a> = Box<dyn FnOnce(&JourneyMap) -> Option<Edit> + 'a>;

/// What to do once the user has dealt with unsaved changes.
#[derive(Clone, Debug)]
enum Then {
    Close,
    Open(Option<PathBuf>),
    New,
}

enum Dialog {
    Unsaved(Then),
    NewMap { template: usize, title: String },
    Recover(Box<Recovery>),
    Message(String),
}

pub struct JourneyApp {
    doc: Option<Document>,
    /// Why the requested file could not be opened, shown instead of a map.
    load_error: Option<String>,
    lanes: Vec<Lane>,
    layout: Layout,
    /// What `layout` and `problems` were computed from.
    layout_key: Option<(u64, Vec<Lane>)>,
    problems: Vec<Problem>,
    canvas: CanvasState,
    selection: Selection,
    inspector: InspectorState,
    clipboard: ops::Clip,
    /// The text copied alongside `clipboard` to the system clipboard: pasting
    /// it back means "paste those touchpoints".
    clipboard_text: String,
    /// Text to hand to the system clipboard at the end of the frame.
    to_system_clipboard: Option<String>,
    dialog: Option<Dialog>,
    show_help: bool,
    show_inspector: bool,
    /// A short message in the status bar ("Saved", "Already linked").
    status: Option<String>,
    picker: Box<dyn FilePicker>,
    state: StateDir,
    autosave_seconds: f64,
    last_autosave: f64,
    autosaved_revision: u64,
    allow_close: bool,
    /// Presentation mode, when on.
    present: Option<Presentation>,
    view: View,
    data: DataPanel,
    /// Colour the canvas with the data (reach, unseen touchpoints, missing links).
    show_overlay: bool,
    /// The map with its data-bound metrics measured (`None` when it has no
    /// such metrics), keyed by the comparison and revision it was made from.
    measured: Option<((usize, u64), Option<JourneyMap>)>,
    fit_pending: bool,
    shown_title: String,
}

impl JourneyApp {
    pub fn new(ctx: &egui::Context, doc: Result<Document, String>) -> JourneyApp {
        JourneyApp::with_config(ctx, doc, Config::default())
    }

    /// Sets up fonts and style, then shows `doc`, or `Err`'s message if the
    /// file the user asked for could not be read. Offers to restore work a
    /// previous session left unsaved.
    pub fn with_config(ctx: &egui::Context, doc: Result<Document, String>, config: Config) -> JourneyApp {
        fonts::install(ctx);
        ctx.set_theme(egui::Theme::Light);
        let (doc, load_error) = match doc {
            Ok(doc) => (Some(doc), None),
            Err(err) => (None, Some(err)),
        };
        let state = StateDir::new(config.state_dir);
        let dialog = state.read_recovery().map(|r| Dialog::Recover(Box::new(r)));
        if let Some(path) = doc.as_ref().and_then(|d| d.path.as_deref()) {
            state.add_recent(path);
        }
        let mut app = JourneyApp {
            doc,
            load_error,
            lanes: Lane::ALL.to_vec(),
            layout: Layout::default(),
            layout_key: None,
            problems: Vec::new(),
            canvas: CanvasState::default(),
            selection: Selection::default(),
            inspector: InspectorState::default(),
            clipboard: ops::Clip::default(),
            clipboard_text: String::new(),
            to_system_clipboard: None,
            dialog,
            show_help: false,
            show_inspector: true,
            status: None,
            picker: config.picker,
            state,
            autosave_seconds: config.autosave_seconds,
            last_autosave: 0.0,
            autosaved_revision: 0,
            allow_close: false,
            present: None,
            view: View::Map,
            data: DataPanel::new(),
            show_overlay: true,
            measured: None,
            fit_pending: false,
            shown_title: String::new(),
        };
        app.point_data_at_document();
        app
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
    fn point_data_at_document(&mut self) {
        self.data.set_database(
            self.doc
                .as_ref()
                .and_then(|d| d.path.as_deref())
                .map(data::database_beside),
        );
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

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    fn refresh(&mut self) {
        let Some(doc) = &self.doc else { return };
        let key = (doc.edit.revision(), self.lanes.clone());
        if self.layout_key.as_ref() != Some(&key) {
            self.layout = layout::layout(
                doc.map(),
                &layout::Options {
                    lanes: self.lanes.clone(),
                },
            );
            self.problems = validate::check(doc.map());
            self.selection.retain_existing(doc.map());
            self.layout_key = Some(key);
        }
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

    // ----- editing -------------------------------------------------------

    fn apply(&mut self, label: &str, merge: Option<String>, edit: Edit) {
        let Some(doc) = &mut self.doc else { return };
        let result = match merge {
            Some(key) => doc.edit.apply_merging(label, &key, edit),
            None => doc.edit.apply(label, edit),
        };
        if result.is_err() {
            // Edits are built from the current map, so this means a bug;
            // the map is unchanged, which is the safe outcome.
            self.status = Some(format!("Could not {}", label.to_lowercase()));
        }
    }

    /// Builds edits one after another on a scratch copy, so each sees the
    /// map as the previous one left it, and applies them as one undo step.
    fn apply_chain(&mut self, label: &str, steps: Vec<EditStep<'_>>) {
        let Some(doc) = &self.doc else { return };
        let mut scratch = doc.map().clone();
        let mut edits = Vec::new();
        for step in steps {
            if let Some(edit) = step(&scratch)
                && let Ok(_) = edit.clone().apply(&mut scratch)
            {
                edits.push(edit);
            }
        }
        if !edits.is_empty() {
            self.apply(label, None, Edit::Batch(edits));
        }
    }

    fn undo(&mut self) {
        if let Some(label) = self.doc.as_mut().and_then(|d| d.edit.undo()) {
            self.status = Some(format!("Undid {}", label.to_lowercase()));
        }
    }

    fn redo(&mut self) {
        if let Some(label) = self.doc.as_mut().and_then(|d| d.edit.redo()) {
            self.status = Some(format!("Redid {}", label.to_lowercase()));
        }
    }

    fn add_stage(&mut self) {
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
            unreachable!()
        };
        let id = stage.id;
        self.apply("Add stage", None, edit);
        self.selection = Selection::only(Item::Stage(id));
        self.inspector.focus_name = true;
    }

    /// Where new and pasted touchpoints go: the selected stage (or the
    /// selected touchpoint's), else the last stage.
    fn insertion_stage(&self, map: &JourneyMap) -> Option<StageId> {
        self.selection
            .target_stage(map)
            .or_else(|| map.stages.last().map(|s| s.id))
    }

    fn add_touchpoint(&mut self, stage: Option<StageId>) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        let Some(stage) = stage.or_else(|| self.insertion_stage(map)) else {
            self.status = Some("Add a stage first".into());
            return;
        };
        if let Some(edit) = ops::add_touchpoint(map, stage, "New touchpoint") {
            let Edit::InsertTouchpoint { touchpoint, .. } = &edit else {
                unreachable!()
            };
            let id = touchpoint.id;
            self.apply("Add touchpoint", None, edit);
            self.selection = Selection::only(Item::Touchpoint(id));
            self.inspector.focus_name = true;
        }
    }

    fn add_note(&mut self) {
        let Some(doc) = &self.doc else { return };
        let Some(stage) = self.selection.target_stage(doc.map()) else {
            self.status = Some("Select a stage to put the note on".into());
            return;
        };
        if let Some(edit) = ops::add_note(doc.map(), stage, "New note") {
            self.apply("Add note", None, edit);
            self.selection = Selection::only(Item::Stage(stage));
        }
    }

    fn delete_selection(&mut self) {
        let sel = self.selection.clone();
        let links: Vec<_> = sel.links.iter().copied().collect();
        let tps: Vec<_> = sel.touchpoints.iter().copied().collect();
        let stages: Vec<_> = sel.stages.iter().copied().collect();
        self.apply_chain(
            "Delete",
            vec![
                Box::new(move |m| ops::delete_links(m, &links)),
                Box::new(move |m| ops::delete_touchpoints(m, &tps)),
                Box::new(move |m| ops::delete_stages(m, &stages)),
            ],
        );
        self.selection.clear();
    }

    fn duplicate_selection(&mut self) {
        let Some(doc) = &self.doc else { return };
        let ids: Vec<_> = self.selection.touchpoints.iter().copied().collect();
        if let Some((edit, new)) = ops::duplicate(doc.map(), &ids) {
            self.apply("Duplicate", None, edit);
            self.selection = Selection {
                touchpoints: new.into_iter().collect(),
                ..Default::default()
            };
        }
    }

    /// Copies the selected touchpoints, and their names as text to the
    /// system clipboard (for chat, documents, spreadsheets).
    fn copy(&mut self) {
        let Some(doc) = &self.doc else { return };
        let ids: Vec<_> = self.selection.touchpoints.iter().copied().collect();
        if !ids.is_empty() {
            self.clipboard = ops::copy(doc.map(), &ids);
            self.clipboard_text = self
                .clipboard
                .touchpoints
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            self.to_system_clipboard = Some(self.clipboard_text.clone());
            self.status = Some(format!("Copied {}", touchpoints(ids.len())));
        }
    }

    fn cut(&mut self) {
        if !self.selection.touchpoints.is_empty() {
            self.copy();
            self.delete_selection();
        }
    }

    /// Pasting what we copied pastes those touchpoints; any other text (a
    /// list from a workshop document, say) becomes one touchpoint per line.
    fn paste_text(&mut self, text: &str) {
        if !self.clipboard.touchpoints.is_empty() && text.trim() == self.clipboard_text.trim() {
            self.paste();
            return;
        }
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        let Some(stage) = self.insertion_stage(map) else { return };
        let names: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(200)
            .map(str::to_owned)
            .collect();
        let count = names.len();
        let steps = names
            .into_iter()
            .map(|name| Box::new(move |m: &JourneyMap| ops::add_touchpoint(m, stage, &name)) as EditStep)
            .collect();
        let before: std::collections::HashSet<_> = map.touchpoints.iter().map(|t| t.id).collect();
        self.apply_chain("Paste", steps);
        if let Some(doc) = &self.doc {
            let added = doc
                .map()
                .touchpoints
                .iter()
                .map(|t| t.id)
                .filter(|id| !before.contains(id))
                .collect();
            self.selection = Selection {
                touchpoints: added,
                ..Default::default()
            };
        }
        self.status = Some(format!("Pasted {} from text", touchpoints(count)));
    }

    fn paste(&mut self) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        let Some(stage) = self.insertion_stage(map) else { return };
        if let Some((edit, new)) = ops::paste(map, &self.clipboard, stage) {
            self.apply("Paste", None, edit);
            self.status = Some(format!("Pasted {}", touchpoints(new.len())));
            self.selection = Selection {
                touchpoints: new.into_iter().collect(),
                ..Default::default()
            };
        }
    }

    /// Alt+arrow: move the selected touchpoint or stage one place.
    fn nudge(&mut self, step: isize) {
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

    fn handle_canvas(&mut self, actions: Vec<Action>) {
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
                    let steps = ids
                        .into_iter()
                        .enumerate()
                        .map(|(k, id)| {
                            Box::new(move |m: &JourneyMap| ops::move_touchpoint(m, id, stage, position + k)) as EditStep
                        })
                        .collect();
                    self.apply_chain("Move touchpoints", steps);
                }
                Action::MoveStage { id, to } => {
                    if let Some(edit) = self.doc.as_ref().and_then(|d| ops::move_stage(d.map(), id, to)) {
                        self.apply("Move stage", None, edit);
                    }
                }
                Action::Connect { from, to } => match self.doc.as_ref().and_then(|d| ops::connect(d.map(), from, to)) {
                    Some(edit) => self.apply("Link touchpoints", None, edit),
                    None => self.status = Some("Those touchpoints are already linked".into()),
                },
                Action::AddTouchpoint { stage } => self.add_touchpoint(Some(stage)),
                Action::Rename(item) => {
                    self.selection = Selection::only(item);
                    self.show_inspector = true;
                    self.inspector.focus_name = true;
                }
            }
        }
    }

    fn handle_inspector(&mut self, requests: Vec<Request>) {
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

    // ----- files ---------------------------------------------------------

    fn is_modified(&self) -> bool {
        self.doc.as_ref().is_some_and(|d| d.edit.is_modified())
    }

    /// Runs `then` now, or first asks what to do with unsaved changes.
    fn guarded(&mut self, ctx: &egui::Context, then: Then) {
        if self.is_modified() {
            self.dialog = Some(Dialog::Unsaved(then));
        } else {
            self.proceed(ctx, then);
        }
    }

    fn proceed(&mut self, ctx: &egui::Context, then: Then) {
        match then {
            Then::Close => {
                self.state.clear_recovery();
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Then::Open(path) => {
                if let Some(path) = path.or_else(|| self.picker.open_map()) {
                    self.open_path(&path);
                }
            }
            Then::New => {
                self.dialog = Some(Dialog::NewMap {
                    template: 0,
                    title: "Untitled journey".into(),
                })
            }
        }
    }

    /// Opens a map in place of the current one (whose changes were dealt
    /// with before). A file that does not load leaves the current map open.
    pub fn open_path(&mut self, path: &Path) {
        match Document::open(path) {
            Ok(doc) => {
                self.state.add_recent(path);
                self.state.clear_recovery();
                self.set_document(doc);
                self.status = Some(format!("Opened {}", path.display()));
            }
            Err(err) => self.dialog = Some(Dialog::Message(err.to_string())),
        }
    }

    fn set_document(&mut self, doc: Document) {
        self.doc = Some(doc);
        self.load_error = None;
        self.selection.clear();
        self.layout_key = None;
        self.fit_pending = true;
        self.point_data_at_document();
    }

    /// Saves to the document's file, or asks where. Returns whether it saved.
    fn save(&mut self, ask: bool) -> bool {
        let Some(doc) = &self.doc else { return false };
        let path = match (&doc.path, ask) {
            (Some(path), false) => path.clone(),
            _ => {
                let name = format!("{}.ron", doc.map().title.replace(['/', '\\'], "-"));
                match self.picker.save_map(&name) {
                    Some(path) => path,
                    None => return false,
                }
            }
        };
        self.save_to(&path)
    }

    pub fn save_to(&mut self, path: &Path) -> bool {
        let Some(doc) = &mut self.doc else { return false };
        let mut map = doc.map().clone();
        map.modified = chrono::Utc::now();
        match format::save(&map, path) {
            Ok(()) => {
                doc.edit.map.modified = map.modified;
                doc.edit.mark_saved();
                doc.path = Some(path.to_owned());
                if self.data.database().is_none() {
                    self.data.set_database(Some(data::database_beside(path)));
                }
                self.state.add_recent(path);
                self.state.clear_recovery();
                self.status = Some(format!("Saved {}", path.display()));
                true
            }
            Err(err) => {
                self.dialog = Some(Dialog::Message(err.to_string()));
                false
            }
        }
    }

    /// Writes the map (as shown: visible lanes, measured metrics) to a file
    /// the user picks. The map file itself is never touched.
    fn export(&mut self, format: export::Format, page: export::Page, scale: f32) {
        let Some(doc) = &self.doc else { return };
        let stem = doc
            .path
            .as_deref()
            .and_then(Path::file_stem)
            .map_or(doc.map().title.clone(), |s| s.to_string_lossy().into_owned());
        let name = format!("{}.{}", stem.replace(['/', '\\'], "-"), format.extension());
        let Some(path) = self.picker.save_export(&name, format.extension()) else {
            return;
        };
        let options = export::ExportOptions {
            scale,
            lanes: self.lanes.clone(),
            page,
            ..Default::default()
        };
        // Exports carry the measured values whether or not the canvas shows them.
        let map = shown(doc, &self.measured, true);
        match export::export(map, &path, format, &options, self.data.comparison()) {
            Ok(()) => self.status = Some(format!("Exported {}", path.display())),
            Err(err) => self.dialog = Some(Dialog::Message(err.to_string())),
        }
    }

    /// Writes unsaved work to the recovery file every few seconds.
    fn autosave(&mut self, now: f64) {
        let Some(doc) = &self.doc else { return };
        if !doc.edit.is_modified() || doc.edit.revision() == self.autosaved_revision {
            return;
        }
        if now - self.last_autosave < self.autosave_seconds {
            return;
        }
        self.last_autosave = now;
        if self.state.write_recovery(doc.map(), doc.path.as_deref()).is_ok() {
            self.autosaved_revision = doc.edit.revision();
        }
    }

    // ----- input ---------------------------------------------------------

    fn shortcuts(&mut self, ctx: &egui::Context) {
        const fn cmd(key: Key) -> KeyboardShortcut {
            KeyboardShortcut::new(Modifiers::COMMAND, key)
        }
        const fn cmd_shift(key: Key) -> KeyboardShortcut {
            KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
        }
        let pressed = |s: KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(&s));
        // Global: work even while typing in a field. Shift variants first,
        // as consume_shortcut matches them on the plain shortcut too.
        if pressed(cmd_shift(Key::Z)) || pressed(cmd(Key::Y)) {
            self.redo();
        }
        if pressed(cmd(Key::Z)) {
            self.undo();
        }
        if pressed(cmd_shift(Key::S)) {
            self.save(true);
        }
        if pressed(cmd(Key::S)) {
            self.save(false);
        }
        if pressed(cmd(Key::O)) {
            self.guarded(ctx, Then::Open(None));
        }
        if pressed(cmd(Key::N)) {
            self.guarded(ctx, Then::New);
        }
        if pressed(cmd(Key::Q)) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if pressed(cmd(Key::Num0)) {
            self.fit_pending = true;
        }
        if pressed(cmd(Key::Num1)) {
            self.canvas.zoom_centered(1.0);
        }
        if pressed(cmd(Key::Plus)) || pressed(cmd(Key::Equals)) {
            self.canvas.zoom_centered(self.canvas.camera.zoom * 1.25);
        }
        if pressed(cmd(Key::Minus)) {
            self.canvas.zoom_centered(self.canvas.camera.zoom / 1.25);
        }
        if pressed(cmd_shift(Key::D)) {
            self.view = if self.view == View::Map { View::Data } else { View::Map };
        }
        if pressed(KeyboardShortcut::new(Modifiers::NONE, Key::F5)) && self.doc.is_some() {
            self.start_presenting(ctx);
            return;
        }
        if pressed(KeyboardShortcut::new(Modifiers::NONE, Key::F1)) {
            self.show_help = !self.show_help;
        }
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        // Canvas keys: only when no text field has the keyboard.
        // The desktop integration turns Ctrl+C, Ctrl+X and Ctrl+V into
        // clipboard events rather than key presses.
        let clipboard: Vec<egui::Event> = ctx.input(|i| {
            i.events
                .iter()
                .filter(|e| matches!(e, egui::Event::Copy | egui::Event::Cut | egui::Event::Paste(_)))
                .cloned()
                .collect()
        });
        for event in clipboard {
            match event {
                egui::Event::Copy => self.copy(),
                egui::Event::Cut => self.cut(),
                egui::Event::Paste(text) => self.paste_text(&text),
                _ => {}
            }
        }
        if pressed(cmd(Key::C)) {
            self.copy();
        }
        if pressed(cmd(Key::X)) {
            self.cut();
        }
        if pressed(cmd(Key::V)) {
            self.paste();
        }
        if pressed(cmd(Key::D)) {
            self.duplicate_selection();
        }
        if pressed(cmd(Key::A))
            && let Some(doc) = &self.doc
        {
            self.selection = Selection {
                touchpoints: doc.map().touchpoints.iter().map(|t| t.id).collect(),
                ..Default::default()
            };
        }
        let plain = |key: Key| KeyboardShortcut::new(Modifiers::NONE, key);
        if pressed(plain(Key::Delete)) || pressed(plain(Key::Backspace)) {
            self.delete_selection();
        }
        if pressed(plain(Key::Escape)) {
            self.selection.clear();
        }
        if pressed(plain(Key::T)) {
            self.add_touchpoint(None);
        }
        if pressed(plain(Key::S)) {
            self.add_stage();
        }
        if pressed(plain(Key::N)) {
            self.add_note();
        }
        if pressed(plain(Key::F2)) {
            self.show_inspector = true;
            self.inspector.focus_name = true;
        }
        if pressed(KeyboardShortcut::new(Modifiers::ALT, Key::ArrowLeft)) {
            self.nudge(-1);
        }
        if pressed(KeyboardShortcut::new(Modifiers::ALT, Key::ArrowRight)) {
            self.nudge(1);
        }
        if ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Text(t) if t == "?"))) {
            self.show_help = !self.show_help;
        }
    }

    fn start_presenting(&mut self, ctx: &egui::Context) {
        self.present = Some(Presentation::start());
        self.selection.clear();
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    fn stop_presenting(&mut self, ctx: &egui::Context) {
        self.present = None;
        self.canvas.focus_stage = None;
        self.canvas.spotlight = false;
        self.fit_pending = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
    }

    /// Presentation mode: the canvas alone, read-only, stepping by stage.
    fn present(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        let (Some(doc), Some(present)) = (&self.doc, &mut self.present) else {
            return;
        };
        if present.keys(ctx, doc.map()) == Step::Leave {
            self.stop_presenting(ctx);
            return;
        }
        self.canvas.focus_stage = present.stage.and_then(|i| doc.map().stages.get(i)).map(|s| s.id);
        self.canvas.spotlight = ctx.input(|i| i.key_down(Key::L));
        let mut ignored = Vec::new();
        let no_selection = Selection::default();
        present.bars(ui, doc.map());
        egui::CentralPanel::default().frame(egui::Frame::NONE).show(ui, |ui| {
            let canvas = canvas::show(
                ui,
                doc.map(),
                &self.layout,
                &mut self.canvas,
                &no_selection,
                None,
                &mut ignored,
            );
            if present.glide(&mut self.canvas.camera, canvas, &self.layout) {
                ctx.request_repaint();
            }
        });
        present.notes(ctx, doc.map());
        if self.canvas.spotlight {
            ctx.request_repaint();
        }
    }

    fn dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_owned()).collect());
        if let Some(path) = dropped.into_iter().find(|p| p.extension().is_some_and(|e| e == "ron")) {
            self.guarded(ctx, Then::Open(Some(path)));
        }
    }

    // ----- drawing -------------------------------------------------------

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New…    Ctrl+N").clicked() {
                    self.guarded(&ctx, Then::New);
                }
                if ui.button("Open…    Ctrl+O").clicked() {
                    self.guarded(&ctx, Then::Open(None));
                }
                ui.menu_button("Open recent", |ui| {
                    let recent = self.state.recent();
                    if recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in recent {
                        if ui.button(path.display().to_string()).clicked() {
                            self.guarded(&ctx, Then::Open(Some(path)));
                        }
                    }
                });
                ui.separator();
                if ui.button("Save    Ctrl+S").clicked() {
                    self.save(false);
                }
                if ui.button("Save as…    Ctrl+Shift+S").clicked() {
                    self.save(true);
                }
                ui.menu_button("Export", |ui| {
                    for (label, format, page, scale) in EXPORTS {
                        if ui.button(*label).clicked() {
                            self.export(*format, *page, *scale);
                        }
                    }
                });
                ui.separator();
                if ui.button("Quit    Ctrl+Q").clicked() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Edit", |ui| {
                let (undo, redo) = self
                    .doc
                    .as_ref()
                    .map(|d| {
                        (
                            d.edit.undo_label().map(str::to_owned),
                            d.edit.redo_label().map(str::to_owned),
                        )
                    })
                    .unwrap_or_default();
                if ui
                    .add_enabled(
                        undo.is_some(),
                        egui::Button::new(format!("Undo {}    Ctrl+Z", undo.unwrap_or_default().to_lowercase())),
                    )
                    .clicked()
                {
                    self.undo();
                }
                if ui
                    .add_enabled(
                        redo.is_some(),
                        egui::Button::new(format!(
                            "Redo {}    Ctrl+Shift+Z",
                            redo.unwrap_or_default().to_lowercase()
                        )),
                    )
                    .clicked()
                {
                    self.redo();
                }
                ui.separator();
                if ui.button("Cut    Ctrl+X").clicked() {
                    self.cut();
                }
                if ui.button("Copy    Ctrl+C").clicked() {
                    self.copy();
                }
                if ui.button("Paste    Ctrl+V").clicked() {
                    self.paste();
                }
                if ui.button("Duplicate    Ctrl+D").clicked() {
                    self.duplicate_selection();
                }
                if ui.button("Delete    Del").clicked() {
                    self.delete_selection();
                }
            });
            ui.menu_button("Insert", |ui| {
                if ui.button("Stage    S").clicked() {
                    self.add_stage();
                }
                if ui.button("Touchpoint    T").clicked() {
                    self.add_touchpoint(None);
                }
                if ui.button("Sticky note    N").clicked() {
                    self.add_note();
                }
            });
            ui.menu_button("View", |ui| {
                if ui.button("Fit to window    Ctrl+0").clicked() {
                    self.fit_pending = true;
                }
                if ui.button("Actual size    Ctrl+1").clicked() {
                    self.canvas.zoom_centered(1.0);
                }
                ui.checkbox(&mut self.show_inspector, "Inspector");
                ui.separator();
                ui.radio_value(&mut self.view, View::Map, "Map    Ctrl+Shift+D");
                ui.radio_value(&mut self.view, View::Data, "Data    Ctrl+Shift+D");
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
            });
            ui.menu_button("Present", |ui| {
                if ui.button("Start presentation    F5").clicked() {
                    self.start_presenting(&ctx);
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("Keyboard shortcuts    F1").clicked() {
                    self.show_help = true;
                }
            });
            ui.separator();
            if self.doc.is_some() {
                ui.selectable_value(&mut self.view, View::Map, "Map");
                ui.selectable_value(&mut self.view, View::Data, "Data");
                ui.separator();
            }
            if self.doc.is_some() && self.view == View::Map {
                if ui.button("Add stage").clicked() {
                    self.add_stage();
                }
                if ui.button("Add touchpoint").clicked() {
                    self.add_touchpoint(None);
                }
                let (can_undo, can_redo) = self.doc.as_ref().map_or((false, false), |d| {
                    (d.edit.undo_label().is_some(), d.edit.redo_label().is_some())
                });
                if ui.add_enabled(can_undo, egui::Button::new("Undo")).clicked() {
                    self.undo();
                }
                if ui.add_enabled(can_redo, egui::Button::new("Redo")).clicked() {
                    self.redo();
                }
                if ui.button("Fit").clicked() {
                    self.fit_pending = true;
                }
            }
        });
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(doc) = &self.doc {
                let map = doc.map();
                let saved = if doc.edit.is_modified() {
                    "unsaved changes"
                } else {
                    "saved"
                };
                ui.label(format!("{} · {saved}", doc.file_name()));
                ui.separator();
                ui.label(format!(
                    "{} stages · {} touchpoints · {} links",
                    map.stages.len(),
                    map.touchpoints.len(),
                    map.links.len()
                ));
                if !self.problems.is_empty() {
                    ui.separator();
                    let list = self
                        .problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n");
                    ui.colored_label(theme::PAIN, format!("{} problems", self.problems.len()))
                        .on_hover_text(list);
                }
            }
            if let Some(status) = &self.status {
                ui.separator();
                ui.label(RichText::new(status).color(theme::MUTED));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if self.view == View::Map {
                    ui.label(format!("{:.0}%", self.canvas.camera.zoom * 100.0));
                }
                ui.label(RichText::new("F1 shortcuts").color(theme::MUTED));
            });
        });
    }

    fn dialogs(&mut self, ctx: &egui::Context) {
        let Some(dialog) = self.dialog.take() else { return };
        let mut keep = true;
        let mut after: Option<Then> = None;
        match dialog {
            Dialog::Unsaved(then) => {
                let name = self.doc.as_ref().map_or("the map".into(), |d| d.file_name());
                egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                    ui.heading("Save changes?");
                    ui.label(format!("{name} has changes that are not saved."));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() && self.save(false) {
                            keep = false;
                            after = Some(then.clone());
                        }
                        if ui.button("Don't save").clicked() {
                            keep = false;
                            if let Some(doc) = &mut self.doc {
                                // Dropping the changes is deliberate: nothing to recover.
                                doc.edit.mark_saved();
                            }
                            after = Some(then.clone());
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                });
                if keep {
                    self.dialog = Some(Dialog::Unsaved(then));
                }
            }
            Dialog::NewMap {
                mut template,
                mut title,
            } => {
                egui::Modal::new(egui::Id::unique("new-map")).show(ctx, |ui| {
                    ui.heading("New journey map");
                    let label = ui.label("Title");
                    ui.text_edit_singleline(&mut title).labelled_by(label.id);
                    ui.label("Funnel model");
                    for (i, t) in templates::TEMPLATES.iter().enumerate() {
                        ui.radio_value(&mut template, i, t.name)
                            .on_hover_text(t.stages.join(" › "));
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Create").clicked() {
                            let map = templates::TEMPLATES[template].new_map(title.trim());
                            self.set_document(Document::new(map, None));
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                });
                if keep {
                    self.dialog = Some(Dialog::NewMap { template, title });
                }
            }
            Dialog::Recover(recovery) => {
                let mut restore = false;
                egui::Modal::new(egui::Id::unique("recover")).show(ctx, |ui| {
                    ui.heading("Restore unsaved work?");
                    let origin = recovery
                        .origin
                        .as_ref()
                        .map_or("a new map".into(), |p| p.display().to_string());
                    ui.label(format!(
                        "Journeymap closed before “{}” ({origin}) was saved.",
                        recovery.map.title
                    ));
                    if let Some(age) = recovery.saved.and_then(|t| t.elapsed().ok()) {
                        ui.label(
                            RichText::new(format!("Last autosaved {} minutes ago.", age.as_secs() / 60))
                                .color(theme::MUTED),
                        );
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Restore").clicked() {
                            restore = true;
                            keep = false;
                        }
                        if ui.button("Discard").clicked() {
                            self.state.clear_recovery();
                            keep = false;
                        }
                    });
                });
                if restore {
                    let mut doc = Document::new(recovery.map.clone(), recovery.origin.clone());
                    // Restored work is unsaved until the user saves it: mark
                    // it changed by recording the restore as an edit.
                    let title = doc.edit.map.title.clone();
                    let _ = doc.edit.apply("Restore unsaved work", Edit::SetTitle(title));
                    self.set_document(doc);
                    self.status = Some("Restored unsaved work; save to keep it".into());
                } else if keep {
                    self.dialog = Some(Dialog::Recover(recovery));
                }
            }
            Dialog::Message(text) => {
                egui::Modal::new(egui::Id::unique("message")).show(ctx, |ui| {
                    ui.label(RichText::new(&text).color(theme::PAIN));
                    if ui.button("OK").clicked() {
                        keep = false;
                    }
                });
                if keep {
                    self.dialog = Some(Dialog::Message(text));
                }
            }
        }
        if let Some(then) = after {
            self.proceed(ctx, then);
        }
    }
}

impl eframe::App for JourneyApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.is_modified() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved(Then::Close));
        }
        self.refresh();
        if let Some(doc) = &self.doc {
            // Keeps the analysis (and the canvas overlay) up to date with edits.
            self.data.poll(&ctx, doc.map(), doc.edit.revision());
        }
        self.measure();
        if self.present.is_some() {
            self.present(ui, &ctx);
            return;
        }
        if self.dialog.is_none() && !self.data.dialog_open() {
            self.shortcuts(&ctx);
            self.dropped_files(&ctx);
        }
        if self.present.is_some() {
            return;
        }
        self.refresh();

        Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if self.show_inspector
            && self.view == View::Map
            && let Some(doc) = &self.doc
        {
            let requests = Panel::right("inspector")
                .default_size(400.0)
                .resizable(true)
                .show(ui, |ui| {
                    inspector::show(ui, doc.map(), &self.selection, &mut self.inspector)
                })
                .inner;
            self.handle_inspector(requests);
        }
        // Typing into a field merges into one undo step; leaving it ends that step.
        let focused = ctx.memory(|m| m.focused());
        if ui.data(|d| d.get_temp::<Option<egui::Id>>(egui::Id::unique("last-focus"))) != Some(focused) {
            ui.data_mut(|d| d.insert_temp(egui::Id::unique("last-focus"), focused));
            if let Some(doc) = &mut self.doc {
                doc.edit.seal();
            }
        }
        self.refresh();

        let mut actions = Vec::new();
        if self.view == View::Data
            && let Some(doc) = &self.doc
        {
            egui::CentralPanel::default().show(ui, |ui| {
                self.data.show(ui, doc.map(), doc.edit.revision(), self.picker.as_mut());
            });
        } else {
            egui::CentralPanel::default()
                .frame(egui::Frame::NONE)
                .show(ui, |ui| match &self.doc {
                    Some(doc) => {
                        let overlay = if self.show_overlay {
                            self.data.comparison()
                        } else {
                            None
                        };
                        let canvas = canvas::show(
                            ui,
                            shown(doc, &self.measured, self.show_overlay),
                            &self.layout,
                            &mut self.canvas,
                            &self.selection,
                            overlay,
                            &mut actions,
                        );
                        if self.fit_pending {
                            self.fit_pending = false;
                            self.canvas.camera.fit(canvas, self.layout.bounds);
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
        self.handle_canvas(actions);

        self.dialogs(&ctx);
        if self.show_help {
            help::show(&ctx, &mut self.show_help);
        }
        if let Some(text) = self.to_system_clipboard.take() {
            ctx.copy_text(text);
        }
        self.autosave(ctx.input(|i| i.time));
        let title = self.window_title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
        if self.is_modified() {
            // Autosave needs a frame now and then even when nothing moves.
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(self.autosave_seconds.max(0.5)));
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A clean exit with nothing unsaved leaves no recovery file behind.
        if !self.is_modified() {
            self.state.clear_recovery();
        }
    }
}
