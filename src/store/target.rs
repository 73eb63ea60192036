//! What the records of an imported file become. The import itself (hashing,
//! re-import rules, the transaction, rejected rows, line numbers, reading
//! CSV or spreadsheet records) is one for every kind of file; a `Target`
//! only reads the header and turns one record into stored rows: events (one
//! per record, or one per filled stage date), or ad spend.

use std::path::{Path, PathBuf};

use csv::StringRecord;
use rusqlite::Connection;

use super::StoreError;
use super::import::ImportOptions;
use super::row::{Made, Problem, RowParser};
use super::snapshot;
use super::sorter::{self, Sorter};
use super::unpivot::Unpivot;
use super::writer::EventWriter;
use crate::analysis::event_log::{Interner, NO_CHANNEL};

/// The header as a target understood it.
pub(crate) struct Begun {
    /// Stored with the import: role → column, the zone, property keys.
    pub mapping_json: String,
    /// Columns kept as properties.
    pub properties: Vec<String>,
    /// Records are people with stage dates, counted apart from the events
    /// they give.
    pub stage_rows: bool,
}

pub(crate) trait Target {
    /// `imports.kind`.
    fn kind(&self) -> &'static str;
    /// For messages: "<db>: storing events: <what failed>".
    fn storing(&self) -> &'static str;
    /// Matches the mapping against the header; an unusable header is an error.
    /// `decimal_comma`: numbers are written `12,50` (the file's dialect).
    fn begin(&mut self, header: &[String], file: &Path, decimal_comma: bool) -> Result<Begun, StoreError>;
    /// A writer for the rows of import `import_id` (after `begin`, once).
    fn writer<'t>(&'t mut self, tx: &'t Connection, import_id: i64) -> rusqlite::Result<Box<dyn RecordWriter + 't>>;
}

pub(crate) trait RecordWriter {
    /// Reads one record; stores what it makes when `store` (under `strict`,
    /// once a row is bad the rest are only checked) and says how many rows
    /// that is, and in which currencies. The outer error is the database's,
    /// the inner one the record's.
    fn take(&mut self, rec: &StringRecord, line: u64, store: bool) -> rusqlite::Result<Result<Made, Problem>>;
    /// Writes what is still held.
    fn finish(&mut self) -> rusqlite::Result<()>;
}

/// Events (the `events` table): one per record, or with stage dates one per
/// filled date cell.
pub(crate) struct Events<'o> {
    options: &'o ImportOptions,
    maker: Option<RowMaker>,
}

impl<'o> Events<'o> {
    /// Reads records by `options.columns`, `zone` and `stage_dates`.
    pub fn new(options: &'o ImportOptions) -> Self {
        Events { options, maker: None }
    }
}

/// One record to its events.
enum RowMaker {
    Plain(RowParser),
    Stages(Box<Unpivot>),
}

impl Target for Events<'_> {
    fn kind(&self) -> &'static str {
        "events"
    }

    fn storing(&self) -> &'static str {
        "storing events"
    }

    fn begin(&mut self, header: &[String], file: &Path, decimal_comma: bool) -> Result<Begun, StoreError> {
        let o = self.options;
        if let Some(stages) = &o.stage_dates {
            let u = Unpivot::new(header, &o.columns, stages, o.zone, file)?.decimal_comma(decimal_comma);
            let begun = Begun {
                mapping_json: u.mapping_json.clone(),
                properties: u.properties.clone(),
                stage_rows: true,
            };
            self.maker = Some(RowMaker::Stages(Box::new(u)));
            return Ok(begun);
        }
        let resolved = o.columns.resolve(header, file)?;
        let begun = Begun {
            mapping_json: resolved.to_json(header, &o.zone.to_string()),
            properties: resolved.extras.iter().map(|(_, k)| k.clone()).collect(),
            stage_rows: false,
        };
        self.maker = Some(RowMaker::Plain(
            RowParser::new(header, &resolved, o.zone).decimal_comma(decimal_comma),
        ));
        Ok(begun)
    }

    fn writer<'t>(&'t mut self, tx: &'t Connection, import_id: i64) -> rusqlite::Result<Box<dyn RecordWriter + 't>> {
        // The snapshot's events start with those before this import's, as
        // they are now (after any import this one replaces was removed).
        let mut all = LogEvents::new(spill_dir(tx), sorter::run_len());
        all.take_stored(tx)?;
        Ok(Box::new(EventRecords {
            maker: self.maker.take().expect("begin before writer"),
            events: EventWriter::new(tx, import_id)?,
            conn: tx,
            all: Some(all),
            kept_all: true,
        }))
    }
}

/// Where an import's events are sorted once they outgrow memory: beside
/// the database (on the disk that holds its data), or for a database in
/// memory in the temporary directory.
fn spill_dir(conn: &Connection) -> PathBuf {
    let db = conn.path().filter(|p| !p.is_empty()).map(Path::new);
    match db.and_then(Path::parent) {
        Some(dir) if dir.as_os_str().is_empty() => PathBuf::from("."),
        Some(dir) => dir.to_path_buf(),
        None => std::env::temp_dir(),
    }
}

struct EventRecords<'t> {
    maker: RowMaker,
    events: EventWriter<'t>,
    conn: &'t Connection,
    /// Every event for the snapshot; `None` once written.
    all: Option<LogEvents>,
    /// False once a strict import saw a bad row: it will be rolled back.
    kept_all: bool,
}

/// The events of the snapshot to be, numbered as `EventLogBuilder` numbers
/// them (by first appearance) and sorted in bounded memory.
struct LogEvents {
    people: Interner,
    names: Interner,
    channels: Interner,
    sorter: Sorter,
}

/// A sort file's error as the database's, for the import's message.
fn sort_error(e: std::io::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

impl LogEvents {
    fn new(dir: PathBuf, run_len: usize) -> LogEvents {
        LogEvents {
            people: Interner::default(),
            names: Interner::default(),
            channels: Interner::default(),
            sorter: Sorter::new(&dir, run_len),
        }
    }

    /// Takes the events already in the database: from the snapshot when it
    /// is current and whole (a chunk at a time), else from the rows in id order.
    fn take_stored(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let source = snapshot::source_of(conn)?;
        if snapshot::is_current(conn, &source)? {
            let LogEvents {
                people,
                names,
                channels,
                sorter,
            } = self;
            // The snapshot's numbering is the one these events would get.
            let read = snapshot::read_events(
                conn,
                &mut |(p, e, c)| {
                    *people = Interner::of(p);
                    *names = Interner::of(e);
                    *channels = Interner::of(c);
                },
                &mut |person, time, event, channel, cost, revenue| {
                    sorter
                        .push(person, time, event, channel, cost, revenue)
                        .map_err(sort_error)
                },
            )?;
            if read.is_ok() {
                return Ok(());
            }
            // Damaged: start again from the rows.
            *self = LogEvents::new(self.sorter.dir().to_path_buf(), self.sorter.run_len());
        }
        super::load::each_row(conn, &mut |person, time, event, channel, cost, revenue| {
            self.push(person, time, event, channel, cost, revenue)
        })
    }

    fn push(
        &mut self,
        person: &str,
        time_ms: i64,
        event: &str,
        channel: Option<&str>,
        cost: f64,
        revenue: f64,
    ) -> rusqlite::Result<()> {
        let channel = channel.map_or(NO_CHANNEL, |c| self.channels.intern(c));
        self.sorter
            .push(
                self.people.intern(person),
                time_ms,
                self.names.intern(event),
                channel,
                cost,
                revenue,
            )
            .map_err(sort_error)
    }

    /// Replaces the snapshot by these events, this import's after the
    /// others', to be sealed with its source once the import is recorded.
    fn write(self, conn: &Connection) -> rusqlite::Result<()> {
        let events = self.sorter.len() as usize;
        let money = self.sorter.has_money();
        let mut sorted = self.sorter.finish().map_err(sort_error)?;
        let names = snapshot::Names {
            people: &self.people,
            events: &self.names,
            channels: &self.channels,
        };
        let mut w = snapshot::Writer::new(conn, snapshot::PENDING, events, names, money)?;
        while let Some(e) = sorted.next().map_err(sort_error)? {
            w.push(e.person, e.time_ms, e.event, e.channel, e.cost, e.revenue)?;
        }
        w.finish()
    }
}

/// Stores `row` and keeps it for the snapshot.
fn keep(events: &mut EventWriter, all: &mut LogEvents, row: &super::row::Row, line: u64) -> rusqlite::Result<()> {
    events.push(row, line)?;
    let money = |v: Option<f64>| v.unwrap_or(0.0);
    all.push(
        row.person,
        row.ts_ms,
        row.event,
        row.channel,
        money(row.cost),
        money(row.revenue),
    )
}

impl RecordWriter for EventRecords<'_> {
    fn take(&mut self, rec: &StringRecord, line: u64, store: bool) -> rusqlite::Result<Result<Made, Problem>> {
        match &mut self.maker {
            RowMaker::Plain(parser) => match parser.parse(rec) {
                Ok(row) => {
                    if store {
                        keep(&mut self.events, self.all.as_mut().expect("until finished"), &row, line)?;
                    } else {
                        self.kept_all = false;
                    }
                    Ok(Ok(Made {
                        rows: 1,
                        currencies: row.currencies,
                    }))
                }
                Err(p) => Ok(Err(p)),
            },
            // A person row with one bad date keeps none of its events.
            RowMaker::Stages(unpivot) => match unpivot.parse(rec) {
                Ok(rows) => {
                    if store {
                        for row in &rows {
                            keep(&mut self.events, self.all.as_mut().expect("until finished"), row, line)?;
                        }
                    } else {
                        self.kept_all = false;
                    }
                    // A row's money is the same on each of its events.
                    let currencies = rows.first().map_or([None, None], |r| r.currencies);
                    Ok(Ok(Made {
                        rows: rows.len() as u64,
                        currencies,
                    }))
                }
                Err(p) => Ok(Err(p)),
            },
        }
    }

    fn finish(&mut self) -> rusqlite::Result<()> {
        self.events.finish()?;
        match (self.kept_all, self.all.take()) {
            (true, Some(all)) => all.write(self.conn),
            _ => Ok(()),
        }
    }
}
