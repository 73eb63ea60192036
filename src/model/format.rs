//! The map file format: RON with a `format_version`.
//!
//! Loading first reads only the version, so a file from a newer Journeymap is
//! refused with a message saying so instead of a confusing parse error about
//! fields this build has never heard of. Older versions pass through
//! `migrate` before the typed parse. Unknown fields are refused rather than
//! dropped, so a misspelt field never silently loses what was typed into it.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::map::JourneyMap;

/// The version this build writes. Bump it, and add a step to `migrate`,
/// whenever a change would make older builds misread new files.
///
/// - 1: the first released format.
/// - 2: pain points and opportunities carry dot votes (`(text: "...", votes:
///   3)` instead of a bare text), and a stage's notes have a kind (pain point,
///   opportunity or note) and votes.
pub const FORMAT_VERSION: u32 = 2;

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
    /// `found` saturates at `u64::MAX` for versions too large to hold.
    Newer {
        path: PathBuf,
        found: u64,
    },
    /// The file is something else altogether (a table, an image, an empty
    /// file); `reason` says what gave it away.
    NotAMap {
        path: PathBuf,
        reason: String,
    },
}

impl LoadError {
    /// One plain sentence for the title of an error dialog; `Display` has the
    /// details.
    pub fn headline(&self) -> String {
        match self {
            LoadError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound => {
                "This file could not be found".to_owned()
            }
            LoadError::Io { .. } => "This file could not be read".to_owned(),
            LoadError::Encoding { line, .. } => format!("This map has unreadable characters on line {line}"),
            LoadError::Syntax { line, .. } => format!("This map has a mistake on line {line}"),
            LoadError::Newer { .. } => "This map was made by a newer Journeymap".to_owned(),
            LoadError::NotAMap { .. } => "This file is not a Journeymap map".to_owned(),
        }
    }

    /// Whether the file clearly is not a Journeymap map at all, as opposed
    /// to a map with a mistake in it.
    pub fn is_not_a_map(&self) -> bool {
        matches!(self, LoadError::NotAMap { .. })
    }
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
                "{}: made by a newer Journeymap (format version {found}; this build reads up to {FORMAT_VERSION}). \
                 Update Journeymap to open it; the file was not changed.",
                path.display()
            ),
            LoadError::NotAMap { path, reason } => {
                write!(f, "{}: this is not a Journeymap map: {reason}", path.display())
            }
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
    // Some editors start UTF-8 files with a byte order mark.
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_str(text, path),
        Err(err) => Err(not_utf8(bytes, err.valid_up_to(), path)),
    }
}

/// Parses a map file's text; `path` is only used in error messages. The
/// map's texts come back composed (NFC, see `model::text`), however the
/// file spelt them.
pub fn parse_str(text: &str, path: &Path) -> Result<JourneyMap, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = |err: ron::error::SpannedError| LoadError::Syntax {
        path: path.to_owned(),
        line: err.span.start.line,
        column: err.span.start.col,
        message: describe(&err.code),
    };

    #[derive(Deserialize)]
    #[serde(rename = "JourneyMap")]
    struct VersionOnly {
        format_version: Version,
    }
    let found = match ron::from_str::<VersionOnly>(text) {
        Ok(only) => only.format_version.0,
        Err(err) => {
            return Err(match not_a_map(text, &err) {
                Some(reason) => LoadError::NotAMap {
                    path: path.to_owned(),
                    reason,
                },
                None => syntax(err),
            });
        }
    };
    let found = match u32::try_from(found) {
        Ok(found) if found <= FORMAT_VERSION => found,
        _ => {
            return Err(LoadError::Newer {
                path: path.to_owned(),
                found,
            });
        }
    };
    let mut map = ron::from_str::<JourneyMap>(text).map_err(syntax)?;
    migrate(&mut map, found);
    super::text::normalise_map(&mut map);
    Ok(map)
}

/// Brings a map read from an older format version up to the current one;
/// saving it then writes the current version.
///
/// Version 1 wrote pain points and opportunities as bare texts, which
/// `Idea`'s reader takes as ideas without votes, and had no note kinds or
/// votes, which default to a plain note with none. So a version 1 file reads
/// whole with the current types, and only its version number changes here.
/// A future change the current types cannot read needs a step before the
/// typed parse instead.
fn migrate(map: &mut JourneyMap, from: u32) {
    if from < FORMAT_VERSION {
        map.format_version = FORMAT_VERSION;
    }
}

/// A `format_version` read leniently: any whole number, however large, so a
/// file from a far newer build is reported as such rather than as a number
/// that does not fit; anything else gets a sentence naming the field.
struct Version(u64);

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
        use serde::de::{Error, Visitor};

        fn wrong<E: Error>(found: impl fmt::Display) -> E {
            E::custom(format!(
                "`format_version` must be a whole number such as {FORMAT_VERSION}, not {found}"
            ))
        }

        struct Whole;
        impl<'de> Visitor<'de> for Whole {
            type Value = Version;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "`format_version` to be a whole number such as {FORMAT_VERSION}")
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<Version, E> {
                Ok(Version(v))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<Version, E> {
                u64::try_from(v).map(Version).map_err(|_| wrong(v))
            }
            // ron reads whole numbers beyond u64 as floats.
            fn visit_f64<E: Error>(self, v: f64) -> Result<Version, E> {
                if v.is_finite() && v >= 0.0 && v.fract() == 0.0 {
                    Ok(Version(v as u64))
                } else {
                    Err(wrong(v))
                }
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Version, E> {
                Err(wrong(format_args!("the text {v:?}")))
            }
            fn visit_bool<E: Error>(self, v: bool) -> Result<Version, E> {
                Err(wrong(format_args!("`{v}`")))
            }
            fn visit_unit<E: Error>(self) -> Result<Version, E> {
                Err(wrong("a word or `()`"))
            }
        }
        d.deserialize_any(Whole)
    }
}

/// What to say about bytes that are not UTF-8: a binary file is not a map at
/// all, while a map with one stray byte gets the line to fix.
fn not_utf8(bytes: &[u8], valid_up_to: usize, path: &Path) -> LoadError {
    let prefix = &bytes[..valid_up_to];
    let reason = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        Some("it is saved as UTF-16 text; Journeymap reads maps saved as UTF-8")
    } else if bytes.iter().take(8192).any(|&b| b == 0) || valid_up_to < 4 {
        // Text editors do not write NUL bytes, nor garble the first few.
        Some("it is a binary file (such as an image or a database), not text")
    } else if !prefix.windows(14).any(|w| w == b"format_version") {
        Some("it is not UTF-8 text")
    } else {
        None
    };
    match reason {
        Some(reason) => LoadError::NotAMap {
            path: path.to_owned(),
            reason: reason.to_owned(),
        },
        None => LoadError::Encoding {
            path: path.to_owned(),
            line: 1 + prefix.iter().filter(|&&b| b == b'\n').count(),
        },
    }
}

/// Why text that failed the version read is clearly not a map (it is empty,
/// fails at its very first token, or has no `format_version`), if it is.
fn not_a_map(text: &str, err: &ron::error::SpannedError) -> Option<String> {
    let Some((start, first_line)) = first_token(text) else {
        return Some("the file is empty".to_owned());
    };
    if let ron::Error::MissingStructField {
        field: "format_version",
        ..
    } = err.code
    {
        return Some("it has no `format_version`, which every Journeymap map has".to_owned());
    }
    if err.span.start != start {
        return None;
    }
    if looks_like_csv(first_line) {
        return Some("it looks like a table of data (CSV)".to_owned());
    }
    let shown: String = first_line.chars().take(40).collect();
    let more = if shown.len() < first_line.len() { "…" } else { "" };
    Some(format!(
        "a map starts with `(`, but this file starts with `{shown}{more}`"
    ))
}

/// Where the first token is (after white space and comments), and the rest
/// of its line; `None` when there is no token at all.
fn first_token(text: &str) -> Option<(ron::error::Position, &str)> {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        if let Some(comment) = trimmed.strip_prefix("//") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = trimmed.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else {
            rest = trimmed;
            break;
        }
    }
    if rest.is_empty() {
        return None;
    }
    let before = &text[..text.len() - rest.len()];
    let line = 1 + before.matches('\n').count();
    let col = 1 + before.rsplit('\n').next().unwrap_or("").chars().count();
    let first_line = rest.lines().next().unwrap_or("").trim_end();
    Some((ron::error::Position { line, col }, first_line))
}

/// A header row: several plain cells split by commas, semicolons or tabs.
fn looks_like_csv(line: &str) -> bool {
    [',', ';', '\t'].into_iter().any(|sep| {
        let cells: Vec<&str> = line.split(sep).collect();
        cells.len() >= 2 && cells.iter().all(|c| !c.contains(['(', ')', '[', ']', '{', '}', ':']))
    })
}

/// Turns ron's error codes into sentences a person editing the file by hand
/// can act on, in the words of the map rather than of its Rust types.
fn describe(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::MissingStructField { field, outer } => {
            format!("{} is missing its `{field}` field", a_thing(outer.as_deref()))
        }
        E::DuplicateStructField { field, outer } => {
            format!("the field `{field}` appears twice in {}", a_thing(outer.as_deref()))
        }
        E::NoSuchStructField { expected, found, outer } => {
            let place = a_thing(outer.as_deref());
            match nearest(found, expected) {
                Some(near) => format!("unknown field `{found}` in {place}; did you mean `{near}`?"),
                None => format!(
                    "unknown field `{found}` in {place}; its fields are: {}",
                    expected.join(", ")
                ),
            }
        }
        E::NoSuchEnumVariant { expected, found, outer } => {
            // `Other` holds a name of the user's own, as in `Other("Podcast")`.
            let choices: Vec<&str> = expected
                .iter()
                .map(|&choice| if choice == "Other" { "Other(\"…\")" } else { choice })
                .collect();
            let hint = nearest(found, expected)
                .map(|near| format!("; did you mean `{near}`?"))
                .unwrap_or_default();
            format!(
                "unknown value `{found}` for {} (the choices are: {}){hint}",
                a_thing(outer.as_deref()),
                choices.join(", ")
            )
        }
        E::ExpectedDifferentStructName { expected, found } => {
            format!("expected {} in `( … )`, found `{found}`", a_thing(Some(expected)))
        }
        E::ExpectedNamedStructLike(name) if !name.is_empty() => {
            format!("expected `(` to start {}", a_thing(Some(name)))
        }
        E::ExpectedNamedStructLike(_) | E::ExpectedStructLike => "expected `(`".to_owned(),
        E::ExpectedStructLikeEnd | E::ExpectedOptionEnd => "expected a closing `)`".to_owned(),
        E::ExpectedArray => "expected a list in `[ … ]`".to_owned(),
        E::ExpectedArrayEnd => "expected a closing `]`".to_owned(),
        E::ExpectedComma => "expected a comma".to_owned(),
        E::ExpectedMapColon => "expected a colon".to_owned(),
        E::ExpectedIdentifier => "expected a field name".to_owned(),
        E::ExpectedString => "expected a string (text in double quotes)".to_owned(),
        E::ExpectedStringEnd => "this text never ends: its closing `\"` is missing".to_owned(),
        E::ExpectedInteger => "expected a whole number".to_owned(),
        E::ExpectedFloat => "expected a number".to_owned(),
        E::IntegerOutOfBounds => "this number is out of range (too large, or negative where it cannot be)".to_owned(),
        E::ExpectedBoolean => "expected `true` or `false`".to_owned(),
        E::ExpectedOption => "expected `Some(…)` or `None`".to_owned(),
        E::UnexpectedChar(c) => format!("unexpected character `{c}`"),
        E::TrailingCharacters => "there is more text after the end of the map".to_owned(),
        E::UnclosedBlockComment => "a `/*` comment is never closed with `*/`".to_owned(),
        E::ExceededRecursionLimit => "brackets are nested too deeply".to_owned(),
        E::Utf8Error(_) => "the file is not UTF-8 text".to_owned(),
        E::InvalidValueForType { expected, found } => format!("expected {expected}, found {found}"),
        E::Eof => "the file ends too early (is it truncated?)".to_owned(),
        E::Message(message) if CHRONO_ERRORS.contains(&message.as_str()) => format!(
            "this is not a valid date or time ({message}); write dates as \"2026-01-31\" \
             and times as \"2026-01-31T09:00:00Z\""
        ),
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

/// The messages chrono gives for a date or time it cannot read.
const CHRONO_ERRORS: [&str; 7] = [
    "input is out of range",
    "no possible date and time matching input",
    "input is not enough for unique date and time",
    "input contains invalid characters",
    "premature end of input",
    "trailing input",
    "bad or unsupported format string",
];

/// A type's name as words: `MarketingEffort` -> "marketing effort".
fn words(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// A struct's name as a phrase: "the map", "a touchpoint", "an event matcher".
fn a_thing(name: Option<&str>) -> String {
    match name {
        None => "this part of the map".to_owned(),
        Some("JourneyMap") => "the map".to_owned(),
        Some("FunnelModel") => "the funnel model".to_owned(),
        Some(name) => {
            let noun = words(name);
            // "a unit": the one model type starting with "u" takes "a".
            let article = if noun.starts_with(['a', 'e', 'i', 'o']) {
                "an"
            } else {
                "a"
            };
            format!("{article} {noun}")
        }
    }
}

/// The known name closest to a misspelt one, if it is close enough to be
/// the likely intent: one edit for short names, two for longer ones.
fn nearest<'a>(found: &str, known: &[&'a str]) -> Option<&'a str> {
    let limit = if found.chars().count() <= 4 { 1 } else { 2 };
    known
        .iter()
        .map(|&name| (edit_distance(&found.to_lowercase(), &name.to_lowercase()), name))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name)
}

/// Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: distance between the first i chars of a and the first j of b.
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_a_close_field_name() {
        let fields = ["id", "name", "title", "touchpoints", "description"];
        assert_eq!(nearest("titel", &fields), Some("title"));
        assert_eq!(nearest("nmae", &fields), Some("name"));
        assert_eq!(nearest("Touchpoint", &fields), Some("touchpoints"));
        assert_eq!(nearest("descripton", &fields), Some("description"));
        assert_eq!(nearest("hologram", &fields), None);
        assert_eq!(nearest("x", &fields), None);
        assert_eq!(nearest("tags", &fields), None);
    }

    #[test]
    fn type_names_read_as_words() {
        assert_eq!(a_thing(Some("JourneyMap")), "the map");
        assert_eq!(a_thing(Some("MarketingEffort")), "a marketing effort");
        assert_eq!(a_thing(Some("EventMatcher")), "an event matcher");
        assert_eq!(a_thing(Some("Unit")), "a unit");
    }
}
