//! What the records of an imported file become. The import itself (hashing,
//! re-import rules, the transaction, rejected rows, line numbers, reading
//! CSV or spreadsheet records) is one for every kind of file; a `Target`
//! only reads the header and turns one record into stored rows: events (one
//! per record, or one per filled stage date), or ad spend.

use std::path::Path;

use csv::StringRecord;
use rusqlite::Connection;

use super::StoreError;
use super::import::ImportOptions;
use super::log_events::{LogEvents, spill_dir};
use super::row::{Made, Problem, RowParser};
use super::sorter;
use super::unpivot::Unpivot;
use super::writer::EventWriter;

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
    /// Until its `finish`, or its drop, the import must not use `tx` but
    /// through it: it may be using the connection on a thread of its own.
    fn writer<'t>(&'t mut self, tx: &'t Connection, import_id: i64) -> rusqlite::Result<Box<dyn RecordWriter + 't>>;
}

pub(crate) trait RecordWriter {
    /// Reads one record; stores what it makes when `store` (under `strict`,
    /// once a row is bad the rest are only checked) and says how many rows
    /// that is, and in which currencies. The outer error is the database's,
    /// the inner one the record's.
    fn take(&mut self, rec: &StringRecord, line: u64, store: bool) -> rusqlite::Result<Result<Made, Problem>>;
    /// Stores a row that was not imported (`rejected_rows`), with `raw` its
    /// text. Through the writer: it may be using the connection on a thread.
    fn reject(&mut self, line: u64, reason: &str, raw: String) -> rusqlite::Result<()>;
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
            // SAFETY: the import uses the connection only through this
            // writer until it is finished (`RecordWriter`'s contract), and
            // holds it in its `Sink`, dropped on every way out.
            events: Some(unsafe { EventWriter::start(tx, import_id, all)? }),
            conn: tx,
            kept_all: true,
        }))
    }
}

struct EventRecords<'t> {
    maker: RowMaker,
    /// Stores the events and numbers them for the snapshot; `None` once
    /// finished.
    events: Option<EventWriter<'t>>,
    /// Used once `events` is finished (its thread has it till then).
    conn: &'t Connection,
    /// False once a strict import saw a bad row: it will be rolled back.
    kept_all: bool,
}

/// The writer, until the records are finished.
fn writing<'a, 't>(events: &'a mut Option<EventWriter<'t>>) -> &'a mut EventWriter<'t> {
    events.as_mut().expect("until finished")
}

impl RecordWriter for EventRecords<'_> {
    fn take(&mut self, rec: &StringRecord, line: u64, store: bool) -> rusqlite::Result<Result<Made, Problem>> {
        match &mut self.maker {
            RowMaker::Plain(parser) => match parser.parse(rec) {
                Ok(row) => {
                    if store {
                        writing(&mut self.events).push(&row, line)?;
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
                            writing(&mut self.events).push(row, line)?;
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

    fn reject(&mut self, line: u64, reason: &str, raw: String) -> rusqlite::Result<()> {
        writing(&mut self.events).reject(line, reason, raw)
    }

    fn finish(&mut self) -> rusqlite::Result<()> {
        let numbering = self.events.take().expect("finished once").finish()?;
        match self.kept_all {
            true => numbering.finish()?.write(self.conn),
            false => Ok(()),
        }
    }
}
