//! Asking the user for a path. Native dialogs sit behind a trait so tests can
//! supply paths directly; when no native dialog can open at all (no desktop
//! portal and no zenity), the picker says why and the app asks for the path
//! itself instead of silently doing nothing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Asks the user for a path. `None` means the user cancelled, unless
/// `unavailable` then explains that no dialog could be shown.
pub trait FilePicker {
    fn open_map(&mut self) -> Option<PathBuf>;
    fn save_map(&mut self, suggested_name: &str) -> Option<PathBuf>;
    /// An events CSV to import.
    fn open_csv(&mut self) -> Option<PathBuf>;
    /// Where to write an export; `extension` without the dot ("png", "svg", ...).
    fn save_export(&mut self, suggested_name: &str, extension: &str) -> Option<PathBuf>;
    /// Why the last call returned `None` without showing a dialog, if it did.
    fn unavailable(&mut self) -> Option<String> {
        None
    }
}

/// Never picks a file, as if every dialog were cancelled: for tests and
/// benchmarks that open no dialogs.
impl FilePicker for () {
    fn open_map(&mut self) -> Option<PathBuf> {
        None
    }
    fn save_map(&mut self, _: &str) -> Option<PathBuf> {
        None
    }
    fn open_csv(&mut self) -> Option<PathBuf> {
        None
    }
    fn save_export(&mut self, _: &str, _: &str) -> Option<PathBuf> {
        None
    }
}

/// Native dialogs through rfd (the desktop portal, or zenity without one).
#[derive(Default)]
pub struct NativePicker {
    failed: Option<String>,
}

/// A person takes longer than this to cancel a dialog; a `None` sooner
/// means no dialog was shown.
const TOO_FAST_FOR_A_PERSON: Duration = Duration::from_millis(250);

impl NativePicker {
    fn ask(&mut self, dialog: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
        let started = Instant::now();
        let picked = dialog();
        self.failed = (picked.is_none() && started.elapsed() < TOO_FAST_FOR_A_PERSON).then(no_dialog_reason);
        picked
    }
}

fn no_dialog_reason() -> String {
    let zenity = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file()));
    if cfg!(target_os = "linux") && !zenity {
        "No file dialog could be opened: this desktop has no file-chooser portal and zenity is not installed."
            .to_owned()
    } else {
        "No file dialog could be opened on this desktop.".to_owned()
    }
}

fn with_extension(path: PathBuf, extension: &str) -> PathBuf {
    if path.extension().is_none() {
        path.with_extension(extension)
    } else {
        path
    }
}

impl FilePicker for NativePicker {
    fn open_map(&mut self) -> Option<PathBuf> {
        self.ask(|| {
            rfd::FileDialog::new()
                .add_filter("Journey map", &["ron"])
                .set_title("Open journey map")
                .pick_file()
        })
    }

    fn save_map(&mut self, suggested_name: &str) -> Option<PathBuf> {
        self.ask(|| {
            rfd::FileDialog::new()
                .add_filter("Journey map", &["ron"])
                .set_title("Save journey map")
                .set_file_name(suggested_name)
                .save_file()
                .map(|p| with_extension(p, "ron"))
        })
    }

    fn open_csv(&mut self) -> Option<PathBuf> {
        self.ask(|| {
            rfd::FileDialog::new()
                .add_filter(
                    "Events (CSV or spreadsheet)",
                    &["csv", "txt", "xlsx", "xlsm", "xlsb", "xls", "ods"],
                )
                .set_title("Import events")
                .pick_file()
        })
    }

    fn save_export(&mut self, suggested_name: &str, extension: &str) -> Option<PathBuf> {
        self.ask(|| {
            rfd::FileDialog::new()
                .add_filter(extension.to_uppercase(), &[extension])
                .set_title("Export journey map")
                .set_file_name(suggested_name)
                .save_file()
                .map(|p| with_extension(p, extension))
        })
    }

    fn unavailable(&mut self) -> Option<String> {
        self.failed.take()
    }
}

/// What a path was being asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Purpose {
    OpenMap,
    SaveMap,
    ImportEvents,
    /// The export's suggested file name.
    Export(String),
    /// Where the events of an unsaved map go.
    Database,
}

impl Purpose {
    pub fn verb(&self) -> &'static str {
        match self {
            Purpose::OpenMap => "Open",
            Purpose::SaveMap => "Save",
            Purpose::ImportEvents => "Import",
            Purpose::Export(_) => "Export",
            Purpose::Database => "Use",
        }
    }
}

/// The app's picker: passes every call to the real one and remembers when
/// one could not show a dialog, so the app can ask for the path itself.
pub struct Picker {
    inner: Box<dyn FilePicker>,
    failed: Option<(Purpose, String)>,
}

impl Picker {
    pub fn new(inner: Box<dyn FilePicker>) -> Picker {
        Picker { inner, failed: None }
    }

    /// The request that found no dialog to show, and why.
    pub fn take_failure(&mut self) -> Option<(Purpose, String)> {
        self.failed.take()
    }

    fn note(&mut self, purpose: Purpose, picked: Option<PathBuf>) -> Option<PathBuf> {
        if picked.is_none()
            && let Some(reason) = self.inner.unavailable()
        {
            self.failed = Some((purpose, reason));
        }
        picked
    }
}

impl FilePicker for Picker {
    fn open_map(&mut self) -> Option<PathBuf> {
        let picked = self.inner.open_map();
        self.note(Purpose::OpenMap, picked)
    }

    fn save_map(&mut self, suggested_name: &str) -> Option<PathBuf> {
        let picked = self.inner.save_map(suggested_name);
        self.note(Purpose::SaveMap, picked)
    }

    fn open_csv(&mut self) -> Option<PathBuf> {
        let picked = self.inner.open_csv();
        self.note(Purpose::ImportEvents, picked)
    }

    fn save_export(&mut self, suggested_name: &str, extension: &str) -> Option<PathBuf> {
        let picked = self.inner.save_export(suggested_name, extension);
        let purpose = if extension == "sqlite" {
            Purpose::Database
        } else {
            Purpose::Export(suggested_name.to_owned())
        };
        self.note(purpose, picked)
    }
}
