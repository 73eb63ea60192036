//! Where the events come from: a Journeymap database file, or a ClickHouse
//! table the events stay in. The commands take either through `--db` and
//! ask a source for what their analysis needs; a ClickHouse source sends
//! only that, a database file gives all its events to the local engine.

use std::fmt;
use std::path::{Path, PathBuf};

use super::clickhouse::{ClickHouseError, ClickHouseSource, EventFilter, PathCounts, Progress, QueryControl};
use super::{Database, Parts, PropertyColumn, Rebuilding, StoreError};
use crate::analysis::{self, Comparison, EventLog};
use crate::model::JourneyMap;

/// One `--db`.
#[derive(Debug)]
pub enum EventSource {
    Sqlite(PathBuf),
    ClickHouse(Box<ClickHouseSource>),
}

/// A source's failure, in the words of the part that failed.
#[derive(Debug)]
pub enum SourceError {
    Store(StoreError),
    ClickHouse(ClickHouseError),
    /// The database file does not exist.
    NoDatabase(PathBuf),
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::Store(e) => e.fmt(f),
            SourceError::ClickHouse(e) => e.fmt(f),
            SourceError::NoDatabase(db) => write!(
                f,
                "{}: no such database; create it with `journeymap import EVENTS.csv --db {}`",
                db.display(),
                db.display()
            ),
        }
    }
}

impl std::error::Error for SourceError {}

impl From<StoreError> for SourceError {
    fn from(e: StoreError) -> Self {
        SourceError::Store(e)
    }
}

impl From<ClickHouseError> for SourceError {
    fn from(e: ClickHouseError) -> Self {
        SourceError::ClickHouse(e)
    }
}

/// What a funnel walks: the events (all, or only those a ClickHouse source
/// kept), the `--by` and `--same` columns, and the number of people in the
/// whole source.
#[derive(Debug)]
pub struct FunnelInput {
    pub log: EventLog,
    pub by: Option<PropertyColumn>,
    pub same: Option<PropertyColumn>,
    pub people: u64,
}

impl EventSource {
    /// A database file that must exist (ClickHouse sources are connected
    /// with `ClickHouseSource::connect`).
    pub fn sqlite(db: &Path) -> Result<EventSource, SourceError> {
        match db.exists() {
            true => Ok(EventSource::Sqlite(db.to_path_buf())),
            false => Err(SourceError::NoDatabase(db.to_path_buf())),
        }
    }

    /// How messages and reports name the source: the file, or the URL
    /// (which never holds a password).
    pub fn name(&self) -> String {
        match self {
            EventSource::Sqlite(db) => db.display().to_string(),
            EventSource::ClickHouse(ch) => ch.url().to_string(),
        }
    }

    /// A short name for a report's title block: the file's name, or
    /// `host/database.table`.
    pub fn short_name(&self) -> String {
        match self {
            EventSource::Sqlite(db) => db
                .file_name()
                .map_or_else(|| db.display().to_string(), |n| n.to_string_lossy().into_owned()),
            EventSource::ClickHouse(ch) => {
                let url = ch.url();
                format!("{}/{}.{}", url.host, url.database, url.table)
            }
        }
    }

    /// Every event, for the analyses that walk whole journeys.
    pub fn load_events(&self, control: &QueryControl) -> Result<EventLog, SourceError> {
        self.load_events_of(Parts::ALL, control)
    }

    /// Every event, with only `parts` of a database file's stored log
    /// (a ClickHouse source sends what its columns hold). A database file
    /// from an older version has its log rebuilt from the rows once; that
    /// progress is reported as rows read, as a ClickHouse query's is.
    pub fn load_events_of(&self, parts: Parts, control: &QueryControl) -> Result<EventLog, SourceError> {
        match self {
            EventSource::Sqlite(db) => Ok(load_file(&Database::open(db)?, parts, control)?),
            EventSource::ClickHouse(ch) => Ok(ch.load_events(control)?),
        }
    }

    /// A funnel's events: `filter` says which ones matter (a database file
    /// gives them all; the funnel ignores the rest either way), with the
    /// columns `by` and `same` (either may be the same, or absent).
    pub fn funnel_input(
        &self,
        filter: &EventFilter,
        by: Option<&str>,
        same: Option<&str>,
        control: &QueryControl,
    ) -> Result<FunnelInput, SourceError> {
        match self {
            EventSource::Sqlite(db) => {
                let db = Database::open(db)?;
                let (log, by, same) = load_with(&db, by, same, control)?;
                let people = log.person_count() as u64;
                Ok(FunnelInput { log, by, same, people })
            }
            EventSource::ClickHouse(ch) => {
                let mut names: Vec<&str> = by.into_iter().collect();
                if let Some(same) = same.filter(|s| Some(*s) != by) {
                    names.push(same);
                }
                let mut got = ch.funnel_events(filter, &names, control)?;
                let mut columns = got.properties.drain(..);
                let by_column = by.and_then(|_| columns.next());
                let same_column = match (by, same) {
                    (Some(b), Some(s)) if b == s => by_column.clone(),
                    (_, Some(_)) => columns.next(),
                    _ => None,
                };
                Ok(FunnelInput {
                    log: got.log,
                    by: by_column,
                    same: same_column,
                    people: got.people,
                })
            }
        }
    }

    /// The directly-follows graph counted where the events are, when the
    /// source can (ClickHouse); `None` for a database file, whose events
    /// the local engine walks instead.
    pub fn path_counts(
        &self,
        converted_by: Option<&str>,
        control: &QueryControl,
    ) -> Result<Option<PathCounts>, SourceError> {
        match self {
            EventSource::Sqlite(_) => Ok(None),
            EventSource::ClickHouse(ch) => Ok(Some(ch.path_counts(converted_by, control)?)),
        }
    }

    /// `analysis::compare_within` of `map` with the source's events: a
    /// database file's all, a ClickHouse table's counted there, with only
    /// the events the walk needs sent (`ClickHouseSource::compare_events`).
    pub fn compare(
        &self,
        map: &JourneyMap,
        missing_link_share: f64,
        window_ms: i64,
        control: &QueryControl,
    ) -> Result<Comparison, SourceError> {
        Ok(match self {
            EventSource::Sqlite(_) => {
                analysis::compare_within(map, &self.load_events(control)?, missing_link_share, window_ms)
            }
            EventSource::ClickHouse(ch) => {
                let got = ch.compare_events(map, control)?;
                analysis::compare_part(map, &got.log, &got.whole, missing_link_share, window_ms)
            }
        })
    }

    /// Up to `limit` of the source's event names, for messages.
    pub fn event_names(&self, limit: usize, control: &QueryControl) -> Result<Vec<String>, SourceError> {
        match self {
            EventSource::Sqlite(_) => {
                let log = self.load_events(control)?;
                Ok(log.event_names.into_iter().take(limit).collect())
            }
            EventSource::ClickHouse(ch) => Ok(ch.event_names(limit, control)?),
        }
    }
}

/// A database file's events, rebuild progress going to `control`.
fn load_file(db: &Database, parts: Parts, control: &QueryControl) -> Result<EventLog, StoreError> {
    let mut progress = |r: Rebuilding| {
        if let Some(report) = control.progress {
            report(Progress {
                read_rows: r.events,
                read_bytes: 0,
                total_rows: r.expected.max(r.events),
            });
        }
    };
    super::load_events_of(db, parts, &mut progress)
}

/// The events of `db`, with the extra columns `by` and `same`.
fn load_with(
    db: &Database,
    by: Option<&str>,
    same: Option<&str>,
    control: &QueryControl,
) -> Result<(EventLog, Option<PropertyColumn>, Option<PropertyColumn>), StoreError> {
    Ok(match (by, same) {
        // Funnels need neither person ids nor money.
        (None, None) => (load_file(db, Parts::SEQUENCES, control)?, None, None),
        (Some(by), None) => {
            let (log, col) = super::load_events_with_property(db, by)?;
            (log, Some(col), None)
        }
        (None, Some(same)) => {
            let (log, col) = super::load_events_with_property(db, same)?;
            (log, None, Some(col))
        }
        (Some(by), Some(same)) => {
            let (log, by_col) = super::load_events_with_property(db, by)?;
            let same_col = match by == same {
                true => by_col.clone(),
                // The events just loaded; changed since, read all again.
                false => match super::load_property(db, &log, same)? {
                    Some(column) => column,
                    None => return load_with(db, Some(by), Some(same), control),
                },
            };
            (log, Some(by_col), Some(same_col))
        }
    })
}
