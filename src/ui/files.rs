//! Files: opening, saving and exporting maps, importing events, the recent
//! list, and what happens to unsaved changes first.

use std::path::{Path, PathBuf};

use eframe::egui;

use super::app::JourneyApp;
use super::dialogs::{Dialog, OpenFailure};
use super::document::{Document, absolute};
use super::picker::{FilePicker, Purpose};
use crate::export;

/// Where the app keeps its own files: recent files and recovery copies.
/// `JOURNEYMAP_STATE_DIR` overrides it (tests use a scratch folder).
pub fn default_state_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("JOURNEYMAP_STATE_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_STATE_HOME") {
        return PathBuf::from(dir).join("journeymap");
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".local/state/journeymap"),
        None => std::env::temp_dir().join("journeymap"),
    }
}

const RECENT_LIMIT: usize = 10;

/// The recently opened maps, newest first.
pub struct Recent {
    file: PathBuf,
}

impl Recent {
    pub fn new(state_dir: &Path) -> Recent {
        Recent {
            file: state_dir.join("recent.txt"),
        }
    }

    pub fn list(&self) -> Vec<PathBuf> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect()
    }

    /// Puts `path` first. Losing the list is harmless, so failures are ignored.
    pub fn add(&self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| absolute(path));
        let mut list = self.list();
        list.retain(|p| *p != path);
        list.insert(0, path);
        list.truncate(RECENT_LIMIT);
        let text: String = list.iter().map(|p| format!("{}\n", p.display())).collect();
        if let Some(dir) = self.file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::atomic::write(&self.file, text.as_bytes(), false);
    }
}

/// What to do once the user has dealt with unsaved changes.
#[derive(Clone, Debug)]
pub enum Then {
    Close,
    Open(Option<PathBuf>),
    New,
}

/// The File > Export menu: label, format, PDF page, PNG scale.
pub const EXPORTS: &[(&str, export::Format, export::Page, f32)] = &[
    ("PNG image…", export::Format::Png, export::Page::A4, 1.0),
    ("PNG image at 2× (slides)…", export::Format::Png, export::Page::A4, 2.0),
    ("SVG drawing…", export::Format::Svg, export::Page::A4, 1.0),
    ("PDF, A4 pages…", export::Format::Pdf, export::Page::A4, 1.0),
    ("PDF, A3 pages…", export::Format::Pdf, export::Page::A3, 1.0),
    ("PDF, one page…", export::Format::Pdf, export::Page::Fit, 1.0),
    ("PDF poster…", export::Format::Pdf, export::Page::Poster, 1.0),
    ("CSV table…", export::Format::Csv, export::Page::A4, 1.0),
    ("Markdown report…", export::Format::Markdown, export::Page::A4, 1.0),
];

/// Whether a file that is not a map looks like an events table, to offer
/// importing it instead.
pub fn looks_like_events(path: &Path) -> bool {
    let by_name = path
        .extension()
        .is_some_and(|e| ["csv", "tsv", "txt"].iter().any(|x| e.eq_ignore_ascii_case(x)));
    if by_name || crate::store::is_spreadsheet(path) {
        return true;
    }
    // The first line only: an events file can be gigabytes.
    let mut head = Vec::with_capacity(4096);
    if let Ok(file) = std::fs::File::open(path) {
        use std::io::Read;
        let _ = file.take(4096).read_to_end(&mut head);
    }
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let first_line = String::from_utf8_lossy(line);
    let separators = first_line.matches([',', ';', '\t']).count();
    separators >= 2 && !first_line.contains('(')
}

impl JourneyApp {
    pub(super) fn is_modified(&self) -> bool {
        self.doc.as_ref().is_some_and(|d| d.edit.is_modified())
    }

    /// Runs `then` now, or first asks what to do with unsaved changes.
    pub(super) fn guarded(&mut self, ctx: &egui::Context, then: Then) {
        if self.is_modified() {
            self.dialog = Some(Dialog::Unsaved(then));
        } else {
            self.proceed(ctx, then);
        }
    }

    pub(super) fn proceed(&mut self, ctx: &egui::Context, then: Then) {
        match then {
            Then::Close => {
                self.recovery.clear();
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
    /// with before). A file that does not load leaves the current map open
    /// and explains, in plain words, what is wrong and what to do.
    pub fn open_path(&mut self, path: &Path) {
        match Document::open(path) {
            Ok(doc) => {
                self.recent.add(path);
                self.recovery.clear();
                self.set_document(doc);
                self.say(format!("Opened {}", path.display()));
            }
            Err(err) => self.dialog = Some(Dialog::OpenFailed(OpenFailure::new(path, &err))),
        }
    }

    pub(super) fn set_document(&mut self, doc: Document) {
        self.doc = Some(doc);
        self.open_failure = None;
        self.selection.clear();
        self.rename = None;
        self.layout_key = None;
        self.scene_key = None;
        self.compact_scene_key = None;
        self.measured = None;
        self.recovery.forget_written();
        self.fit_pending = true;
        self.point_data_at_document();
    }

    /// Saves to the document's file, or asks where. Returns whether it saved.
    pub(super) fn save(&mut self, ask: bool) -> bool {
        let Some(doc) = &self.doc else { return false };
        let path = match (&doc.path, ask) {
            (Some(path), false) => path.clone(),
            _ => {
                let name = format!("{}.ron", doc.suggested_stem());
                match self.picker.save_map(&name) {
                    Some(path) => path,
                    None => return false,
                }
            }
        };
        self.save_to(&path)
    }

    /// Saves the map to `path` (atomically, keeping a `.bak`).
    pub fn save_to(&mut self, path: &Path) -> bool {
        let Some(doc) = &mut self.doc else { return false };
        let path = absolute(path);
        let mut map = doc.map().clone();
        map.modified = chrono::Utc::now();
        match crate::model::format::save(&map, &path) {
            Ok(()) => {
                doc.edit.set_modified_time(map.modified);
                doc.edit.mark_saved();
                doc.path = Some(path.clone());
                if self.data.database().is_none() {
                    self.data.attach_database(super::data::database_beside(&path));
                }
                self.recent.add(&path);
                self.recovery.clear();
                self.say(format!("Saved {}", path.display()));
                true
            }
            Err(err) => {
                self.dialog = Some(Dialog::Message {
                    title: "The map was not saved".into(),
                    text: err.to_string(),
                });
                false
            }
        }
    }

    /// Asks where to export the map, then writes it there (on a worker).
    pub(super) fn export(&mut self, ctx: &egui::Context, format: export::Format, page: export::Page, scale: f32) {
        let Some(doc) = &self.doc else { return };
        let name = format!("{}.{}", doc.suggested_stem(), format.extension());
        self.pending_export = Some((format, page, scale));
        if let Some(path) = self.picker.save_export(&name, format.extension()) {
            self.export_to(ctx, path);
        }
    }

    /// File > Import events: choose a CSV, then the import dialog.
    pub(super) fn choose_events_file(&mut self) {
        if let Some(path) = self.picker.open_csv() {
            self.import_events(path);
        }
    }

    /// Opens the import dialog on `path`, in the Data view (events need a
    /// saved map to sit beside, which the Data view explains).
    pub(super) fn import_events(&mut self, path: PathBuf) {
        self.view = super::app::View::Data;
        self.data.open_import(path);
    }

    /// What the user typed into the path prompt, used as the dialog would have.
    pub(super) fn use_typed_path(&mut self, ctx: &egui::Context, purpose: Purpose, path: PathBuf) {
        match purpose {
            Purpose::OpenMap => self.open_path(&path),
            Purpose::SaveMap => {
                let path = if path.extension().is_none() {
                    path.with_extension("ron")
                } else {
                    path
                };
                self.save_to(&path);
            }
            Purpose::ImportEvents => self.import_events(path),
            Purpose::Export(_) => self.export_to(ctx, path),
            Purpose::Database => self.data.set_database(Some(path)),
        }
        ctx.request_repaint();
    }

    /// Files dropped on the window: a map opens, an events table goes to
    /// the import dialog.
    pub(super) fn dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_owned()).collect());
        let Some(path) = dropped.into_iter().next() else { return };
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")) {
            self.guarded(ctx, Then::Open(Some(path)));
        } else if looks_like_events(&path) {
            self.import_events(path);
        } else {
            self.guarded(ctx, Then::Open(Some(path)));
        }
    }
}
