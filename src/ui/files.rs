//! Where files come from and go: native dialogs, recent files, and the
//! recovery file that autosave writes. Dialogs sit behind a trait so tests
//! (and machines without a desktop portal) can supply paths directly.

use std::path::{Path, PathBuf};

use crate::model::{JourneyMap, format};

/// Asks the user for a path.
pub trait FilePicker {
    fn open_map(&mut self) -> Option<PathBuf>;
    fn save_map(&mut self, suggested_name: &str) -> Option<PathBuf>;
    /// An events CSV to import.
    fn open_csv(&mut self) -> Option<PathBuf>;
    /// Where to write an export; `extension` without the dot ("png", "svg", ...).
    fn save_export(&mut self, suggested_name: &str, extension: &str) -> Option<PathBuf>;
}

/// Native dialogs through rfd (GTK or the desktop portal).
pub struct NativePicker;

impl FilePicker for NativePicker {
    fn open_map(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Journey map", &["ron"])
            .set_title("Open journey map")
            .pick_file()
    }

    fn save_map(&mut self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Journey map", &["ron"])
            .set_title("Save journey map")
            .set_file_name(suggested_name)
            .save_file()
            .map(|p| {
                if p.extension().is_none() {
                    p.with_extension("ron")
                } else {
                    p
                }
            })
    }

    fn open_csv(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Events (CSV)", &["csv", "txt"])
            .set_title("Import events")
            .pick_file()
    }

    fn save_export(&mut self, suggested_name: &str, extension: &str) -> Option<PathBuf> {
        let file = rfd::FileDialog::new()
            .add_filter(extension.to_uppercase(), &[extension])
            .set_title("Export journey map")
            .set_file_name(suggested_name)
            .save_file()?;
        Some(if file.extension().is_none() {
            file.with_extension(extension)
        } else {
            file
        })
    }
}

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

pub struct StateDir {
    pub dir: PathBuf,
}

impl StateDir {
    pub fn new(dir: PathBuf) -> StateDir {
        StateDir { dir }
    }

    fn recent_file(&self) -> PathBuf {
        self.dir.join("recent.txt")
    }

    pub fn recent(&self) -> Vec<PathBuf> {
        std::fs::read_to_string(self.recent_file())
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect()
    }

    /// Puts `path` first in the recent list. Losing the list is harmless,
    /// so failures are ignored.
    pub fn add_recent(&self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        let mut list = self.recent();
        list.retain(|p| *p != path);
        list.insert(0, path);
        list.truncate(RECENT_LIMIT);
        let text: String = list.iter().map(|p| format!("{}\n", p.display())).collect();
        let _ = std::fs::create_dir_all(&self.dir);
        let _ = crate::atomic::write(&self.recent_file(), text.as_bytes(), false);
    }

    fn recovery_file(&self) -> PathBuf {
        self.dir.join("recovery.ron")
    }

    fn recovery_origin_file(&self) -> PathBuf {
        self.dir.join("recovery-origin.txt")
    }

    /// Writes unsaved work where a crash cannot take it. The origin (the
    /// file the work belongs to) is written first: a recovery map without
    /// one is offered as an unsaved new map, never lost.
    pub fn write_recovery(&self, map: &JourneyMap, origin: Option<&Path>) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let origin = origin.map(|p| p.display().to_string()).unwrap_or_default();
        crate::atomic::write(&self.recovery_origin_file(), origin.as_bytes(), false)?;
        crate::atomic::write(&self.recovery_file(), format::to_string(map).as_bytes(), false)?;
        Ok(())
    }

    /// Unsaved work left behind by a session that did not close cleanly.
    pub fn read_recovery(&self) -> Option<Recovery> {
        let map = format::load(&self.recovery_file()).ok()?;
        let origin = std::fs::read_to_string(self.recovery_origin_file()).unwrap_or_default();
        let saved = std::fs::metadata(self.recovery_file()).and_then(|m| m.modified()).ok();
        Some(Recovery {
            map,
            origin: (!origin.is_empty()).then(|| PathBuf::from(origin)),
            saved,
        })
    }

    pub fn clear_recovery(&self) {
        let _ = std::fs::remove_file(self.recovery_file());
        let _ = std::fs::remove_file(self.recovery_origin_file());
    }
}

pub struct Recovery {
    pub map: JourneyMap,
    pub origin: Option<PathBuf>,
    pub saved: Option<std::time::SystemTime>,
}
