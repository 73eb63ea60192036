//! The map file format: RON with a `format_version`.
//!
//! Loading first reads only the version, so a file from a newer Journeymap is
//! refused with a message saying so instead of a confusing parse error about
//! fields this build has never heard of. Older versions pass through
//! `migrate` before the typed parse.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::map::JourneyMap;

/// The version this build writes. Bump it, and add a step to `migrate`,
/// whenever a change would make older builds misread new files.
pub const FORMAT_VERSION: u32 = 1;

const HEADER: &str = "// Journeymap map file. Edit with care: `journeymap check FILE` finds mistakes.\n";

#[derive(Debug)]
pub enum LoadError {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    /// The file is not valid UTF-8; `line` is where the first bad byte is.
    Encoding {
        path: PathBuf,
        line: usize,
    },
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    Newer {
        path: PathBuf,
        found: u32,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, source } => write!(f, "{}: cannot read: {source}", path.display()),
            LoadError::Encoding { path, line } => {
                write!(f, "{}:{line}: the file is not UTF-8 text", path.display())
            }
            LoadError::Syntax {
                path,
                line,
                column,
                message,
            } => {
                write!(f, "{}:{line}:{column}: {message}", path.display())
            }
            LoadError::Newer { path, found } => write!(
                f,
                "{}: written by a newer Journeymap (format version {found}; this build reads up to {FORMAT_VERSION}). \
                 Update Journeymap to open it; the file was not changed.",
                path.display()
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// A failed save. The map file was not changed: `source` says which step
/// failed, on the map file or its backup.
#[derive(Debug)]
pub struct SaveError {
    /// Where the map was being saved, as the caller named it.
    pub path: PathBuf,
    pub source: crate::atomic::Error,
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (the map file was not changed)", self.source)
    }
}

impl std::error::Error for SaveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

pub fn load(path: &Path) -> Result<JourneyMap, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_bytes(&bytes, path)
}

/// Parses the bytes of a map file; `path` is only used in error messages.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<JourneyMap, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|err| LoadError::Encoding {
        path: path.to_owned(),
        line: 1 + bytes[..err.valid_up_to()].iter().filter(|&&b| b == b'\n').count(),
    })?;
    parse_str(text, path)
}

pub fn parse_str(text: &str, path: &Path) -> Result<JourneyMap, LoadError> {
    let syntax = |err: ron::error::SpannedError| LoadError::Syntax {
        path: path.to_owned(),
        line: err.span.start.line,
        column: err.span.start.col,
        message: describe(&err.code),
    };

    #[derive(Deserialize)]
    #[serde(rename = "JourneyMap")]
    struct VersionOnly {
        format_version: u32,
    }
    let found = ron::from_str::<VersionOnly>(text).map_err(syntax)?.format_version;
    if found > FORMAT_VERSION {
        return Err(LoadError::Newer {
            path: path.to_owned(),
            found,
        });
    }
    let text = migrate(text, found);
    ron::from_str::<JourneyMap>(&text).map_err(syntax)
}

/// Rewrites a file of an older format version into the current one. Version 1
/// is the first released format, so there is nothing to rewrite yet; each
/// future version adds a step here (on `ron::Value`, so it needs no old types).
fn migrate(text: &str, _from: u32) -> std::borrow::Cow<'_, str> {
    std::borrow::Cow::Borrowed(text)
}

/// Turns ron's error codes into sentences a person editing the file by hand
/// can act on.
fn describe(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::MissingStructField { field, outer } => match outer {
            Some(outer) => format!("`{outer}` is missing its field `{field}`"),
            None => format!("missing field `{field}`"),
        },
        E::NoSuchStructField { expected, found, outer } => format!(
            "unknown field `{found}`{}; expected one of: {}",
            outer.as_ref().map(|o| format!(" in `{o}`")).unwrap_or_default(),
            expected.join(", ")
        ),
        E::NoSuchEnumVariant { expected, found, outer } => format!(
            "unknown value `{found}`{}; expected one of: {}",
            outer.as_ref().map(|o| format!(" for `{o}`")).unwrap_or_default(),
            expected.join(", ")
        ),
        E::Eof => "the file ends too early (is it truncated?)".to_owned(),
        other => {
            // ron's own messages start with a capital ("Expected ..."); they
            // follow a colon here.
            let text = other.to_string();
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or(text)
        }
    }
}

/// The map as the text of a map file.
pub fn to_string(map: &JourneyMap) -> String {
    let config = ron::ser::PrettyConfig::new().indentor("    ").struct_names(false);
    let body = ron::ser::to_string_pretty(map, config).expect("a map always serialises");
    format!("{HEADER}{body}\n")
}

/// Saves atomically, keeping the previous file as `NAME.ron.bak`.
pub fn save(map: &JourneyMap, path: &Path) -> Result<(), SaveError> {
    crate::atomic::write(path, to_string(map).as_bytes(), true).map_err(|source| SaveError {
        path: path.to_owned(),
        source,
    })
}
