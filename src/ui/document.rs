//! An open map: its content and undo history, and the file it lives in.

use std::path::{Path, PathBuf};

use crate::edit;
use crate::model::{JourneyMap, format};

/// The sample shown when the app starts without a file.
pub const BUNDLED_SAMPLE_NAME: &str = "sample_maps/b2b_saas_inbound.ron";
const BUNDLED_SAMPLE: &str = include_str!("../../sample_maps/b2b_saas_inbound.ron");

pub struct Document {
    pub edit: edit::Document,
    /// Absolute, so neither a recovery nor the recent list can ever point at
    /// a different file once the working directory changes. `None` until the
    /// map is saved somewhere (new maps, the bundled sample).
    pub path: Option<PathBuf>,
}

impl Document {
    pub fn new(map: JourneyMap, path: Option<PathBuf>) -> Document {
        Document {
            edit: edit::Document::new(map),
            path: path.map(|p| absolute(&p)),
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

    /// Work restored after a crash: changed until it is saved, and saved to
    /// the file it came from.
    pub fn restored(map: JourneyMap, path: Option<PathBuf>) -> Document {
        Document {
            edit: edit::Document::unsaved(map),
            path: path.map(|p| absolute(&p)),
        }
    }

    pub fn map(&self) -> &JourneyMap {
        self.edit.map()
    }

    pub fn file_name(&self) -> String {
        self.path
            .as_deref()
            .and_then(Path::file_name)
            .map_or("untitled".into(), |n| n.to_string_lossy().into_owned())
    }

    /// The name a save dialog suggests: the file's, or one made from the title.
    pub fn suggested_stem(&self) -> String {
        let stem = self
            .path
            .as_deref()
            .and_then(Path::file_stem)
            .map_or(self.map().title.clone(), |s| s.to_string_lossy().into_owned());
        let stem = stem.replace(['/', '\\'], "-");
        if stem.trim().is_empty() {
            "journey map".into()
        } else {
            stem
        }
    }
}

/// `path` made absolute against the current directory (symlinks are kept: a
/// save writes through them to their target).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}
