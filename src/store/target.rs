//! What the records of an imported file become. The import itself (hashing,
//! re-import rules, the transaction, rejected rows, line numbers, reading
//! the CSV) is one for every kind of file; a `Target` only reads the header
//! and turns one record into stored rows: events, or ad spend.

use std::path::Path;

use csv::StringRecord;
use rusqlite::Connection;

use super::StoreError;
use super::columns::ColumnMapping;
use super::row::{Problem, RowParser};
use super::timestamp::Zone;
use super::writer::EventWriter;

/// The header as a target understood it.
pub(crate) struct Begun {
    /// Stored with the import: role → column, the zone, property keys.
    pub mapping_json: String,
    /// Columns kept as properties.
    pub properties: Vec<String>,
}

pub(crate) trait Target {
    /// `imports.kind`.
    fn kind(&self) -> &'static str;
    /// For messages: "<db>: storing events: <what failed>".
    fn storing(&self) -> &'static str;
    /// Matches the mapping against the header; an unusable header is an error.
    fn begin(&mut self, header: &[String], file: &Path) -> Result<Begun, StoreError>;
    /// A writer for the rows of import `import_id` (after `begin`).
    fn writer<'t>(&'t self, tx: &'t Connection, import_id: i64) -> rusqlite::Result<Box<dyn RecordWriter + 't>>;
}

pub(crate) trait RecordWriter {
    /// Reads one record; stores what it makes when `store` (under `strict`,
    /// once a row is bad the rest are only checked). The outer error is the
    /// database's, the inner one the record's.
    fn take(&mut self, rec: &StringRecord, line: u64, store: bool) -> rusqlite::Result<Result<(), Problem>>;
    /// Writes what is still held.
    fn finish(&mut self) -> rusqlite::Result<()>;
}

/// One event per record (the `events` table).
pub(crate) struct Events<'o> {
    pub columns: &'o ColumnMapping,
    pub zone: Zone,
    header: Vec<String>,
    resolved: Option<super::columns::Resolved>,
}

impl<'o> Events<'o> {
    pub fn new(columns: &'o ColumnMapping, zone: Zone) -> Self {
        Events {
            columns,
            zone,
            header: Vec::new(),
            resolved: None,
        }
    }
}

impl Target for Events<'_> {
    fn kind(&self) -> &'static str {
        "events"
    }

    fn storing(&self) -> &'static str {
        "storing events"
    }

    fn begin(&mut self, header: &[String], file: &Path) -> Result<Begun, StoreError> {
        let resolved = self.columns.resolve(header, file)?;
        let begun = Begun {
            mapping_json: resolved.to_json(header, &self.zone.to_string()),
            properties: resolved.extras.iter().map(|(_, k)| k.clone()).collect(),
        };
        self.header = header.to_vec();
        self.resolved = Some(resolved);
        Ok(begun)
    }

    fn writer<'t>(&'t self, tx: &'t Connection, import_id: i64) -> rusqlite::Result<Box<dyn RecordWriter + 't>> {
        let resolved = self.resolved.as_ref().expect("begin before writer");
        Ok(Box::new(EventRecords {
            parser: RowParser::new(&self.header, resolved, self.zone),
            events: EventWriter::new(tx, import_id)?,
        }))
    }
}

struct EventRecords<'t> {
    parser: RowParser,
    events: EventWriter<'t>,
}

impl RecordWriter for EventRecords<'_> {
    fn take(&mut self, rec: &StringRecord, line: u64, store: bool) -> rusqlite::Result<Result<(), Problem>> {
        match self.parser.parse(rec) {
            Ok(row) => {
                if store {
                    self.events.push(&row, line)?;
                }
                Ok(Ok(()))
            }
            Err(p) => Ok(Err(p)),
        }
    }

    fn finish(&mut self) -> rusqlite::Result<()> {
        self.events.finish()
    }
}
