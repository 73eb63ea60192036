//! The SQLite side of Journeymap: a versioned schema, a streaming CSV import
//! that keeps the rows it cannot use, and loading events into the in-memory
//! `EventLog` that analysis works on.
//!
//! - `schema`: open or create a database, migrate it, refuse newer ones.
//! - `timestamp`: the time formats found in exports, and `--tz` zones.
//! - `hash`: the content hash that recognises a file imported before.
//! - `columns`: which CSV column plays which part, given or guessed.
//! - `dialect`: the encoding, delimiter, quote and decimal mark, detected;
//!   `header`: where the header is, after a report's title lines.
//! - `amount`: money written with currency symbols, codes and grouping.
//! - `reader`, `row`: the bytes under the CSV parser; one record to one event.
//! - `import`: one file in, one transaction; `writer` appends its events on
//!   a thread of its own, in `event_batch`es from the parsing thread.
//! - `preview`: the first rows and a guessed mapping, for the import dialog.
//! - `snapshot`: the event log stored sorted and columnar, for fast loading;
//!   `sorter`: an import's events sorted for it in bounded memory, on a
//!   thread of its own (`log_events`).
//! - `load`: events out, into an `EventLog`; the list of imports;
//!   `properties`: one value out of an event's extra columns.
//! - `remove`: taking one import out again.
//! - `sheet`: spreadsheets (.xlsx, .xls, .ods) as records, one sheet at a time.
//! - `unpivot`: one row per person with a date per stage, to one event per date.
//! - `target`: what an import's records become; `spend`: ad spend reports.
//! - `synthetic`: a realistic, deterministic event file for tests and benches.
//! - `source`: a database file or a ClickHouse table (`clickhouse`), as `--db`.

mod amount;
pub mod clickhouse;
mod columns;
mod dialect;
mod event_batch;
mod hash;
mod header;
mod import;
mod load;
mod log_events;
mod presets;
mod preview;
mod properties;
mod reader;
mod remove;
mod row;
mod schema;
mod sheet;
mod snapshot;
mod sorter;
mod source;
mod spend;
mod synthetic;
mod target;
mod timestamp;
mod unpivot;
mod writer;

use std::fmt;
use std::path::{Path, PathBuf};

pub use clickhouse::EventFilter;
pub use columns::{ColumnMapping, Role, guess_mapping};
pub use dialect::{
    Candidate, DELIMITERS, Dialect, DialectChoice, Encoding, delimiter_name, detect, parse_delimiter, read_head,
};
pub use import::{ImportOptions, ImportSummary, Progress, REJECTIONS_LISTED, Rejection, import_csv, import_file};
pub use load::{
    ImportInfo, NO_VALUE, PropertyColumn, Rebuilding, RejectedRow, event_count, list_imports, load_events,
    load_events_of, load_events_with_property, load_property, rejected_rows,
};
pub use presets::{PRESETS, Preset, PresetKind, preset, suggest_preset};
pub use preview::{Preview, preview};
pub use remove::remove_import;
pub use schema::{Database, SCHEMA_VERSION};
pub use sheet::{SheetPreview, import_sheet, is_spreadsheet, preview_sheet, sheet_names};
pub use snapshot::Parts;
pub use source::{EventSource, FunnelInput, SourceError};
pub use spend::{SpendMapping, SpendRole, guess_spend_mapping, import_spend, load_spend, spend_row_count};
pub use synthetic::{SYNTHETIC_HEADER, write_synthetic, write_synthetic_csv};
pub use timestamp::{TimestampError, Zone, format_utc_ms, parse_timestamp};
pub use unpivot::{StageDates, StageGuess, guess_stage_dates, suggest_event_name};

/// Everything that can go wrong in `store`. Each message names the file and,
/// where there is one, the line.
#[derive(Debug)]
pub enum StoreError {
    /// SQLite failed; `what` says what was being done.
    Sqlite {
        db: PathBuf,
        what: &'static str,
        source: rusqlite::Error,
    },
    /// Reading a file failed.
    Io { path: PathBuf, source: std::io::Error },
    /// The database was written by a newer Journeymap.
    NewerSchema { db: PathBuf, found: i64, supported: i64 },
    /// The file is a database, but not one of ours.
    NotJourneymap { db: PathBuf, detail: String },
    /// The CSV has no header row.
    EmptyFile { file: PathBuf },
    /// A column the mapping needs is not in the header.
    MissingColumn {
        file: PathBuf,
        role: columns::Role,
        column: String,
        found: Vec<String>,
    },
    /// A column a spend report's mapping needs is not in the header.
    MissingSpendColumn {
        file: PathBuf,
        role: &'static str,
        /// Empty when no column was looked for (no channel column, no `--channel`).
        column: String,
        how: String,
        found: Vec<String>,
    },
    /// `--columns` could not be read.
    BadColumnSpec { spec: String, problem: String },
    /// `--preset` names no preset, or one for another kind of file.
    BadPreset { problem: String },
    /// `--stage-dates` could not be read.
    BadStageDates { spec: String, problem: String },
    /// A `--stage-dates` column is not in the header.
    MissingStageColumn {
        file: PathBuf,
        column: String,
        found: Vec<String>,
    },
    /// A spreadsheet that cannot be read, or has no such sheet.
    Sheet { file: PathBuf, problem: String },
    /// `--tz` could not be read.
    BadZone { problem: String },
    /// Bytes that are not UTF-8; the import stops, since the rest of the
    /// file is most likely in the same other encoding.
    InvalidUtf8 {
        file: PathBuf,
        line: u64,
        column: String,
        byte: u8,
    },
    /// One record is implausibly large (usually an unclosed quote).
    RecordTooLarge { file: PathBuf, line: u64, limit: usize },
    /// The same content was imported before and `replace` was not asked for.
    AlreadyImported {
        file: PathBuf,
        import_id: i64,
        earlier_name: String,
        when: String,
    },
    /// A file imported before from the same path has changed, and not only
    /// by rows added at its end; neither `replace` nor `append` was asked for.
    ChangedSinceImport {
        file: PathBuf,
        import_id: i64,
        when: String,
    },
    /// No import has this id.
    NoSuchImport { db: PathBuf, import_id: i64 },
    /// `strict` and some rows were bad: nothing was imported.
    StrictRejected { file: PathBuf, summary: Box<ImportSummary> },
    /// The cancel flag was raised: nothing was imported.
    Cancelled { file: PathBuf },
    /// The file changed between hashing and reading it.
    FileChanged { file: PathBuf },
    /// Money written in two currencies (amounts are never converted).
    MixedCurrencies {
        file: PathBuf,
        line: u64,
        found: String,
        first: String,
        first_line: u64,
        /// "line", or "row" in a spreadsheet.
        place: &'static str,
    },
    /// Money in another currency than the money already in the database
    /// (amounts are never converted, so they cannot be added up).
    CurrencyDiffers {
        file: PathBuf,
        line: u64,
        found: String,
        /// The database's currency, and the import it came with.
        database: String,
        import_id: i64,
        import_file: String,
        /// A spreadsheet's row rather than a line.
        in_sheet: bool,
    },
    /// The file is not UTF-8 and reads plausibly in several code pages.
    AmbiguousEncoding {
        file: PathBuf,
        candidates: Vec<dialect::Candidate>,
    },
}

impl StoreError {
    pub(crate) fn sqlite<'a>(db: &'a Path, what: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError + 'a {
        move |source| StoreError::Sqlite {
            db: db.to_path_buf(),
            what,
            source,
        }
    }

    pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
        move |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StoreError::*;
        match self {
            Sqlite { db, what, source } => {
                write!(f, "{}: {what}: {}", db.display(), sqlite_message(source))
            }
            Io { path, source } => write!(f, "{}: {source}", path.display()),
            NewerSchema { db, found, supported } => write!(
                f,
                "{}: this database was written by a newer Journeymap (schema version {found}; \
                 this version understands up to {supported}). Update Journeymap to open it.",
                db.display()
            ),
            NotJourneymap { db, detail } => {
                write!(
                    f,
                    "{}: not a Journeymap database ({detail}); choose another file",
                    db.display()
                )
            }
            EmptyFile { file } => write!(f, "{}: the file is empty (no header row)", file.display()),
            MissingColumn {
                file,
                role,
                column,
                found,
            } => write!(
                f,
                "{}: no column '{column}' for the {} in the header (set it with --columns {}=NAME); \
                 the columns are: {}",
                file.display(),
                role.describe(),
                role.key(),
                found.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
            ),
            MissingSpendColumn {
                file,
                role,
                column,
                how,
                found,
            } => {
                let which = if column.is_empty() {
                    format!("no {role} column")
                } else {
                    format!("no column '{column}' for the {role}")
                };
                write!(
                    f,
                    "{}: {which} in the header ({how}); the columns are: {}",
                    file.display(),
                    found.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
                )
            }
            BadColumnSpec { spec, problem } => write!(f, "--columns '{spec}': {problem}"),
            BadPreset { problem } => write!(f, "--preset: {problem}"),
            BadStageDates { spec, problem } => write!(f, "--stage-dates '{spec}': {problem}"),
            MissingStageColumn { file, column, found } => write!(
                f,
                "{}: no date column '{column}' (named in --stage-dates) in the header; the columns are: {}",
                file.display(),
                found.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
            ),
            Sheet { file, problem } => write!(f, "{}: {problem}", file.display()),
            BadZone { problem } => write!(f, "--tz: {problem}"),
            InvalidUtf8 {
                file,
                line,
                column,
                byte,
            } => write!(
                f,
                "{} line {line}, column '{column}': not valid UTF-8 (byte 0x{byte:02X}). \
                 Name the file's encoding with --encoding (windows-1250, windows-1252, windows-1258, \
                 iso-8859-2, utf-16le) or save the file as UTF-8; nothing was imported.",
                file.display()
            ),
            AmbiguousEncoding { file, candidates } => {
                write!(
                    f,
                    "{}: the file is not UTF-8, and which encoding it is cannot be told for sure; it reads as:",
                    file.display()
                )?;
                for c in candidates {
                    write!(f, "\n  {}: {}", c.encoding, c.sample)?;
                }
                let first = candidates.first().map_or("windows-1252", |c| c.encoding.name());
                write!(
                    f,
                    "\nName the right one with --encoding (e.g. --encoding {first}); nothing was imported."
                )
            }
            MixedCurrencies {
                file,
                line,
                found,
                first,
                first_line,
                place,
            } => write!(
                f,
                "{} {place} {line}: an amount in {found}, but the amounts before it are in {first} (from {place} \
                 {first_line}); Journeymap does not convert currencies: import each currency's rows from a file \
                 of their own; nothing was imported",
                file.display()
            ),
            CurrencyDiffers {
                file,
                line,
                found,
                database,
                import_id,
                import_file,
                in_sheet,
            } => write!(
                f,
                "{} {} {line}: an amount in {found}, but the money already in the database is in \
                 {database} (import {import_id}, {import_file}); Journeymap does not convert currencies: \
                 convert the file's amounts to {database} or import it into another database; nothing was imported",
                file.display(),
                if *in_sheet { "row" } else { "line" }
            ),
            RecordTooLarge { file, line, limit } => write!(
                f,
                "{} line {line}: the record starting here is larger than {} MiB \
                 (an unclosed quote?); nothing was imported",
                file.display(),
                limit >> 20
            ),
            AlreadyImported {
                file,
                import_id,
                earlier_name,
                when,
            } => write!(
                f,
                "{}: the same content was already imported (import {import_id}, '{earlier_name}', {when}); \
                 use --replace to replace that import",
                file.display()
            ),
            ChangedSinceImport { file, import_id, when } => write!(
                f,
                "{}: this file was imported before (import {import_id}, {when}) and has changed since, \
                 not only by rows added at its end; use --replace to put this content in place of \
                 the earlier imports of this file, or --append to import all of it and keep both; nothing was imported",
                file.display()
            ),
            NoSuchImport { db, import_id } => write!(
                f,
                "{}: there is no import {import_id} (`journeymap imports --db {}` lists them)",
                db.display(),
                db.display()
            ),
            StrictRejected { file, summary } => {
                write!(
                    f,
                    "{}: {} of {} rows are not valid, and with --strict nothing was imported",
                    file.display(),
                    summary.rejected,
                    summary.rejected + summary.imported
                )?;
                for r in &summary.rejections {
                    write!(f, "\n  line {}: {}", r.line, r.reason)?;
                }
                if summary.rejected > summary.rejections.len() as u64 {
                    write!(f, "\n  ...")?;
                }
                Ok(())
            }
            Cancelled { file } => write!(f, "{}: import cancelled; nothing was imported", file.display()),
            FileChanged { file } => write!(
                f,
                "{}: the file changed while it was being imported; nothing was imported",
                file.display()
            ),
        }
    }
}

/// SQLite's own text, with the common cases said plainly.
fn sqlite_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode::*;
    if let rusqlite::Error::SqliteFailure(err, msg) = e {
        let plain = match err.code {
            DiskFull => Some("the disk is full"),
            DatabaseBusy | DatabaseLocked => {
                Some("the database is in use by another program (try again when it is done)")
            }
            NotADatabase => Some("the file is not a SQLite database"),
            ReadOnly => Some("the database is read-only"),
            CannotOpen => Some("the file cannot be opened"),
            DatabaseCorrupt => Some("the database file is damaged"),
            _ => None,
        };
        if let Some(plain) = plain {
            return match msg {
                Some(m) => format!("{plain} ({m})"),
                None => plain.to_owned(),
            };
        }
    }
    e.to_string()
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Sqlite { source, .. } => Some(source),
            StoreError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    use std::path::PathBuf;

    /// A fresh, empty directory for one test.
    pub fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("journeymap-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
