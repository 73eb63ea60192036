//! Importing one file into the database: a CSV file here, a spreadsheet's
//! sheet in `sheet`, both through the same shared steps; what the records
//! become (events, or ad spend) is the `Target`'s business.
//!
//! All of an import happens in one transaction: the import's row, its
//! events, its rejected rows and the removal of the import it replaces. An
//! error, a cancel, a full disk or a killed process leaves the database as
//! it was. The file is streamed (memory does not grow with its size) and
//! hashed first, so importing the same content twice is caught before any
//! work is done.
//!
//! A file imported before from the same path may come back longer: an
//! export with rows added at its end. The hashing pass also hashes the new
//! file's first bytes up to each earlier import's size; when that matches
//! the earlier import's hash, only the rows after those bytes are imported.
//! Any other change at the same path is refused unless `replace` (the new
//! content instead of the old) or `append` (both) is asked for.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use csv::StringRecord;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use super::StoreError;
use super::amount::{Currency, OneCurrency};
use super::columns::ColumnMapping;
use super::dialect::{self, DetectError, Dialect, DialectChoice};
use super::reader::{LineCounter, RawReader, hash_stream};
use super::row::Problem;
use super::schema::Database;
use super::target::{Begun, Events, RecordWriter, Target};
use super::timestamp::Zone;
use super::unpivot::StageDates;

/// How many rejections an `ImportSummary` lists (all are in the database).
pub const REJECTIONS_LISTED: usize = 20;

/// Stores a rejected row: import id, line, reason and the row's text.
pub(crate) const INSERT_REJECTED: &str =
    "INSERT INTO rejected_rows (import_id, line, reason, raw) VALUES (?1, ?2, ?3, ?4)";

/// Rejected rows are stored cut to this many bytes.
const RAW_KEPT: usize = 64 * 1024;

/// How often (in records) progress is reported and the cancel flag read.
pub(crate) const PROGRESS_EVERY: u64 = 4096;

#[derive(Clone, Debug, PartialEq)]
pub struct ImportOptions {
    /// Which column plays which part; defaults to person_id, timestamp,
    /// event, channel, cost, revenue.
    pub columns: ColumnMapping,
    /// The zone of timestamps written without one.
    pub zone: Zone,
    /// Import nothing if any row is bad.
    pub strict: bool,
    /// Replace earlier imports of the same content or the same file path,
    /// instead of refusing.
    pub replace: bool,
    /// Import the whole file even though a different content was imported
    /// from the same path before, keeping both (`replace` wins over this).
    pub append: bool,
    /// A record larger than this stops the import: it is almost always an
    /// unclosed quote swallowing the rest of the file.
    pub max_record_bytes: usize,
    /// One row per person with a date column per stage: each filled date
    /// cell becomes one event (`columns` names the person and channel).
    pub stage_dates: Option<StageDates>,
    /// The sheet of a spreadsheet to read; the first when `None`.
    pub sheet: Option<String>,
    /// The encoding, delimiter and decimal mark of a CSV file, where not
    /// detected.
    pub dialect: DialectChoice,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            columns: ColumnMapping::default(),
            zone: Zone::Utc,
            strict: false,
            replace: false,
            append: false,
            max_record_bytes: 64 << 20,
            stage_dates: None,
            sheet: None,
            dialect: DialectChoice::default(),
        }
    }
}

/// Where an import has got to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub bytes_read: u64,
    pub total_bytes: u64,
    /// Records read so far (imported, rejected or blank).
    pub rows: u64,
}

/// A row that was not imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// The line where the record starts; the header is line 1.
    pub line: u64,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportSummary {
    /// Rows imported (with `strict` and bad rows: rows that were valid).
    pub imported: u64,
    pub rejected: u64,
    /// The first `REJECTIONS_LISTED` rejections, in file order.
    pub rejections: Vec<Rejection>,
    /// The new import's id; `None` when nothing was committed.
    pub import_id: Option<i64>,
    pub file: String,
    /// Rows whose fields were all blank, skipped without complaint.
    pub blank_rows: u64,
    /// Earlier imports this one replaced.
    pub replaced_imports: Vec<i64>,
    /// The extra columns kept as properties.
    pub properties: Vec<String>,
    pub bytes: u64,
    pub seconds: f64,
    /// The file is an earlier import's file with rows added: that import's
    /// id. Only the rows after its content were imported.
    pub continues_import: Option<i64>,
    /// Rows of the file that the earlier import already read (skipped).
    pub rows_before: u64,
    /// The sheet read, for a spreadsheet.
    pub sheet: Option<String>,
    /// With stage dates: the person rows read (each gave one event per
    /// filled date, counted in `imported`).
    pub stage_rows: Option<u64>,
    /// How a CSV file was read (detected or forced); the default for a
    /// spreadsheet, whose cells are not text to decode.
    pub dialect: Dialect,
    /// Lines (sheet rows) before the header, skipped: a report's title.
    pub skipped_lines: u64,
    /// The currency the money was written in ("PLN" for "12,50 zł"), when
    /// written at all.
    pub currency: Option<String>,
}

/// Imports a CSV file or a spreadsheet (.xlsx, .xls, .xlsm, .ods) of
/// events, told apart by the file's extension.
pub fn import_file(
    db: &mut Database,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    import_into(db, path, options, &mut Events::new(options), progress, cancel)
}

/// Imports a CSV file or a spreadsheet as `target`'s rows (`options.columns`
/// and `stage_dates` are the events' mapping; other targets carry their own).
pub(crate) fn import_into(
    db: &mut Database,
    path: &Path,
    options: &ImportOptions,
    target: &mut dyn Target,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    if super::sheet::is_spreadsheet(path) {
        super::sheet::import_sheet_into(db, path, options, target, progress, cancel)
    } else {
        import_csv_into(db, path, options, target, progress, cancel)
    }
}

/// Imports the CSV file of events `path` into `db`. `progress` is called
/// every few thousand rows; raising `cancel` stops the import and rolls it back.
pub fn import_csv(
    db: &mut Database,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    import_csv_into(db, path, options, &mut Events::new(options), progress, cancel)
}

fn import_csv_into(
    db: &mut Database,
    path: &Path,
    options: &ImportOptions,
    target: &mut dyn Target,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    let started = Instant::now();
    let io = StoreError::io;
    let size = std::fs::metadata(path).map_err(io(path))?.len();
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let path_key = key.to_string_lossy().into_owned();
    // Sizes of shorter earlier imports of this path: is one of them the start
    // of this file? (Read outside the transaction: an import committed in
    // between only means no prefix is recognised for it, and it is refused.)
    let cuts: Vec<u64> = {
        let mut stmt = db
            .conn
            .prepare("SELECT DISTINCT size_bytes FROM imports WHERE file_path = ?1 AND size_bytes < ?2")
            .map_err(StoreError::sqlite(db.path(), "looking for earlier imports"))?;
        stmt.query_map(params![path_key, size as i64], |r| r.get::<_, i64>(0))
            .and_then(|rows| rows.map(|r| r.map(|n| n as u64)).collect())
            .map_err(StoreError::sqlite(db.path(), "looking for earlier imports"))?
    };
    let dialect = detect_file(path, &options.dialect)?;
    let file = File::open(path).map_err(io(path))?;
    let hashed = hash_stream(&file, &cuts, || !cancel.load(Ordering::Relaxed)).map_err(io(path))?;
    let Some((hash, prefix_hashes)) = hashed else {
        return Err(StoreError::Cancelled {
            file: path.to_path_buf(),
        });
    };
    let file = File::open(path).map_err(io(path))?;
    let source = Source {
        path,
        path_key,
        hash: hash.finish(),
        size,
        started,
        prefixes: cuts
            .into_iter()
            .zip(prefix_hashes)
            .filter_map(|(cut, h)| Some((cut, h?)))
            .collect(),
        sheet: None,
        dialect,
    };
    import_reader_into(db, &source, file, options, target, progress, cancel)
}

/// What is known about the input before reading it.
pub(crate) struct Source<'a> {
    /// For messages and the import's `file_name`.
    pub path: &'a Path,
    /// Identifies the file for `replace`.
    pub path_key: String,
    pub hash: u64,
    pub size: u64,
    pub started: Instant,
    /// (n, hash of the first n bytes) for earlier imports' sizes n.
    pub prefixes: Vec<(u64, u64)>,
    /// The sheet read, for a spreadsheet.
    pub sheet: Option<String>,
    /// How a CSV file is written; the default for a spreadsheet.
    pub dialect: Dialect,
}

/// Detects how `path` is written, where `choice` leaves it open.
pub(crate) fn detect_file(path: &Path, choice: &DialectChoice) -> Result<Dialect, StoreError> {
    let file = File::open(path).map_err(StoreError::io(path))?;
    let head = dialect::read_head(file).map_err(StoreError::io(path))?;
    dialect::detect(&head, choice).map_err(|DetectError::Ambiguous(candidates)| StoreError::AmbiguousEncoding {
        file: path.to_path_buf(),
        candidates,
    })
}

/// The import of events over any reader (tests feed failing ones).
#[cfg(test)]
pub(crate) fn import_reader<R: Read>(
    db: &mut Database,
    source: &Source,
    reader: R,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    import_reader_into(db, source, reader, options, &mut Events::new(options), progress, cancel)
}

/// The import proper, over any reader.
fn import_reader_into<R: Read>(
    db: &mut Database,
    source: &Source,
    reader: R,
    options: &ImportOptions,
    target: &mut dyn Target,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    with_fk_checks_off(db, |db| {
        import_transaction(db, source, reader, options, target, progress, cancel)
    })
}

/// Runs an import with foreign keys unchecked. Every event row gets the
/// import id created in the same transaction, so checking the foreign key
/// per row (a tenth of the import's time) proves nothing. The pragma cannot
/// change inside a transaction, hence here, around it.
pub(crate) fn with_fk_checks_off<T>(
    db: &mut Database,
    f: impl FnOnce(&mut Database) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let fk = |db: &Database, on: bool| {
        let sql = if on {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        };
        db.conn
            .execute_batch(sql)
            .map_err(StoreError::sqlite(db.path(), "configuring the connection"))
    };
    fk(db, false)?;
    let result = f(db);
    fk(db, true)?;
    result
}

fn import_transaction<R: Read>(
    db: &mut Database,
    source: &Source,
    reader: R,
    options: &ImportOptions,
    target: &mut dyn Target,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    let db_path = db.path().to_path_buf();
    let sql = |what| StoreError::sqlite(&db_path, what);
    let file = source.path;
    let cancelled = || StoreError::Cancelled {
        file: file.to_path_buf(),
    };
    let changed = |import_id: i64, when: &str| StoreError::ChangedSinceImport {
        file: file.to_path_buf(),
        import_id,
        when: when.to_owned(),
    };

    let tx = db
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql("starting the import"))?;

    let Prior {
        replaced,
        continues,
        earlier,
    } = check_earlier(&tx, source, options, &db_path)?;

    let dialect = source.dialect;
    // Plain UTF-8 goes to the parser as it is; anything else is decoded.
    let raw = if dialect.is_utf8() {
        RawReader::new(reader, options.max_record_bytes).map_err(StoreError::io(file))?
    } else {
        let mark = continues.map(|(_, bytes)| bytes);
        RawReader::decoding(reader, options.max_record_bytes, dialect.encoding.codec(), mark)
    };
    let mut rdr = dialect
        .csv_reader()
        .buffer_capacity((options.max_record_bytes / 4).clamp(1024, 256 * 1024))
        .from_reader(raw);
    let mut rec = StringRecord::new();
    let mut lines = LineCounter::default();

    // The header is the first record after the lines skipped (a title).
    let (header, header_line) = loop {
        let start = rdr.position().byte();
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => {
                return Err(StoreError::EmptyFile {
                    file: file.to_path_buf(),
                });
            }
            Err(e) => return Err(csv_error(e, &rdr, start, lines, &[], file)),
        }
        let raw = rdr.get_ref().raw(start, rdr.position().byte());
        let line = lines.start_of(raw);
        lines.advance(raw);
        if line > dialect.skip_lines {
            break (rec.iter().map(|h| h.trim().to_owned()).collect::<Vec<String>>(), line);
        }
    };
    let Started {
        import_id,
        max_id_before,
        mut summary,
    } = begin_import(&tx, source, target, &header, continues, replaced, &db_path)?;
    summary.skipped_lines = header_line - 1;
    {
        let mut sink = Sink::new(&tx, target, import_id, options.strict, file, &db_path)?;
        let mut records: u64 = 0;
        loop {
            let start = rdr.position().clone();
            rdr.get_mut().start_record(start.byte());
            match rdr.read_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(csv_error(e, &rdr, start.byte(), lines, &header, file)),
            }
            let end = rdr.position().byte();
            let raw_record = rdr.get_ref().raw(start.byte(), end);
            let line = lines.start_of(raw_record);
            lines.advance(raw_record);
            records += 1;
            // Records starting before this stream offset were read by the
            // import continued. (Asked after reading: a decoded file knows
            // it once decoding has reached it.)
            let skip = continues.map_or(0, |(_, bytes)| rdr.get_ref().stream_offset(bytes));
            // Where the record's text starts, past line breaks left before it.
            let text_start = start.byte() + raw_record.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count() as u64;
            if text_start < skip {
                // A last row that ran on past the earlier content (it ended
                // without a line break, and more was written onto it) is a
                // change, not an addition.
                let beyond = &raw_record[((skip - start.byte()) as usize).min(raw_record.len())..];
                if beyond.iter().any(|b| !matches!(b, b'\r' | b'\n')) {
                    let (id, _) = continues.expect("skipping only when continuing");
                    let when = earlier.iter().find(|e| e.id == id).map_or("", |e| e.when.as_str());
                    return Err(changed(id, when));
                }
                if rec.iter().any(|f| !f.trim().is_empty()) {
                    summary.rows_before += 1;
                }
            } else {
                sink.take(&rec, line, || raw_text(raw_record), &mut summary)?;
            }
            if records.is_multiple_of(PROGRESS_EVERY) {
                progress(Progress {
                    bytes_read: rdr.get_ref().file_bytes(),
                    total_bytes: source.size,
                    rows: records,
                });
                if cancel.load(Ordering::Relaxed) {
                    return Err(cancelled());
                }
            }
        }
        sink.finish(&mut summary)?;
        progress(Progress {
            bytes_read: rdr.get_ref().file_bytes(),
            total_bytes: source.size,
            rows: records,
        });
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
    }

    let raw = rdr.get_ref();
    if raw.hash().finish() != source.hash || raw.file_bytes() != source.size {
        return Err(StoreError::FileChanged {
            file: file.to_path_buf(),
        });
    }
    finish_import(tx, source, options, summary, import_id, max_id_before, &db_path)
}

/// An import recorded and ready for its rows.
pub(crate) struct Started {
    pub import_id: i64,
    /// Events with larger ids are this import's.
    pub max_id_before: i64,
    pub summary: ImportSummary,
}

/// Has `target` read `header` and records the import's row.
pub(crate) fn begin_import(
    tx: &rusqlite::Transaction,
    source: &Source,
    target: &mut dyn Target,
    header: &[String],
    continues: Option<(i64, u64)>,
    replaced: Vec<i64>,
    db_path: &Path,
) -> Result<Started, StoreError> {
    let sql = |what| StoreError::sqlite(db_path, what);
    let file = source.path;
    let Begun {
        mapping_json,
        properties,
        stage_rows,
    } = target.begin(header, file, source.dialect.decimal_comma)?;
    let mut file_name = file
        .file_name()
        .map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    if let Some(sheet) = &source.sheet {
        file_name = format!("{file_name} [{sheet}]");
    }
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    tx.execute(
        "INSERT INTO imports (file_name, file_path, content_hash, size_bytes, started_at, column_mapping,
                              continues_import, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            file_name,
            source.path_key,
            format!("xxh64:{:016x}", source.hash),
            source.size as i64,
            started_at,
            mapping_json,
            continues.map(|(id, _)| id),
            target.kind()
        ],
    )
    .map_err(sql("recording the import"))?;
    let import_id = tx.last_insert_rowid();
    let max_id_before: i64 = tx
        .query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))
        .map_err(sql("recording the import"))?;
    let summary = ImportSummary {
        imported: 0,
        rejected: 0,
        rejections: Vec::new(),
        import_id: None,
        file: file.display().to_string(),
        blank_rows: 0,
        replaced_imports: replaced,
        properties,
        bytes: source.size,
        seconds: 0.0,
        continues_import: continues.map(|(id, _)| id),
        rows_before: 0,
        sheet: source.sheet.clone(),
        stage_rows: stage_rows.then_some(0),
        dialect: source.dialect,
        skipped_lines: 0,
        currency: None,
    };
    Ok(Started {
        import_id,
        max_id_before,
        summary,
    })
}

/// Where records' rows (through the target's writer) and rejections go.
pub(crate) struct Sink<'t> {
    rows: Box<dyn RecordWriter + 't>,
    strict: bool,
    /// The one currency of the file's money.
    currency: OneCurrency,
    /// The currency of the money already in the database, and the import
    /// (id, file name) it came with.
    database_currency: Option<(Currency, i64, String)>,
    file: &'t Path,
    db_path: &'t Path,
    storing: &'static str,
}

impl<'t> Sink<'t> {
    pub fn new(
        tx: &'t rusqlite::Connection,
        target: &'t mut dyn Target,
        import_id: i64,
        strict: bool,
        file: &'t Path,
        db_path: &'t Path,
    ) -> Result<Self, StoreError> {
        let storing = target.storing();
        let sql = || StoreError::sqlite(db_path, "preparing the import");
        // Asked before the writer starts: it may take the connection to a thread.
        let database_currency = database_currency(tx, import_id).map_err(sql())?;
        Ok(Sink {
            database_currency,
            rows: target.writer(tx, import_id).map_err(sql())?,
            strict,
            currency: OneCurrency::default(),
            file,
            db_path,
            storing,
        })
    }

    /// Stores the rows `rec` (found at `line`) makes, or its rejection with
    /// `raw()` as its text. Money in another currency than before stops
    /// the import: amounts in two currencies cannot be added up.
    pub fn take(
        &mut self,
        rec: &StringRecord,
        line: u64,
        raw: impl FnOnce() -> String,
        summary: &mut ImportSummary,
    ) -> Result<(), StoreError> {
        // Under `strict`, once a row is bad nothing will be kept: only
        // validate the rest.
        let store = !(self.strict && summary.rejected > 0);
        let sql = || StoreError::sqlite(self.db_path, self.storing);
        match self.rows.take(rec, line, store).map_err(sql())? {
            Ok(made) => {
                let place = if summary.sheet.is_some() { "row" } else { "line" };
                for c in made.currencies {
                    if let (Some(c), Some((database, import_id, import_file))) = (c, &self.database_currency)
                        && c != *database
                    {
                        return Err(StoreError::CurrencyDiffers {
                            file: self.file.to_path_buf(),
                            line,
                            found: c.to_string(),
                            database: database.to_string(),
                            import_id: *import_id,
                            import_file: import_file.clone(),
                            in_sheet: summary.sheet.is_some(),
                        });
                    }
                    if let Err((first, first_line)) = self.currency.check(c, line) {
                        return Err(StoreError::MixedCurrencies {
                            file: self.file.to_path_buf(),
                            line,
                            found: c.map(|c| c.to_string()).unwrap_or_default(),
                            first: first.to_string(),
                            first_line,
                            place,
                        });
                    }
                }
                summary.imported += made.rows;
                if let Some(people) = &mut summary.stage_rows {
                    *people += 1;
                }
            }
            Err(Problem::Blank) => summary.blank_rows += 1,
            Err(Problem::Reject(reason)) => {
                summary.rejected += 1;
                if !self.strict {
                    self.rows.reject(line, &reason, raw()).map_err(sql())?;
                }
                if summary.rejections.len() < REJECTIONS_LISTED {
                    summary.rejections.push(Rejection { line, reason });
                }
            }
        }
        Ok(())
    }

    /// Writes what is still held; notes the money's currency.
    pub fn finish(&mut self, summary: &mut ImportSummary) -> Result<(), StoreError> {
        summary.currency = self.currency.first.map(|(c, _)| c.to_string());
        self.rows
            .finish()
            .map_err(StoreError::sqlite(self.db_path, self.storing))
    }
}

/// The currency of the money imported before `import_id`, when any was
/// written with one, and the first import that has it.
fn database_currency(conn: &rusqlite::Connection, import_id: i64) -> rusqlite::Result<Option<(Currency, i64, String)>> {
    let first = conn
        .query_row(
            "SELECT currency, id, file_name FROM imports
             WHERE currency IS NOT NULL AND finished_at IS NOT NULL AND id <> ?1 ORDER BY id LIMIT 1",
            [import_id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)),
        )
        .optional()?;
    Ok(first.and_then(|(code, id, file)| Some((Currency::from_code(&code)?, id, file))))
}

/// Refuses a strict import with bad rows (rolling back), else completes the
/// import's row and commits.
pub(crate) fn finish_import(
    tx: rusqlite::Transaction,
    source: &Source,
    options: &ImportOptions,
    mut summary: ImportSummary,
    import_id: i64,
    max_id_before: i64,
    db_path: &Path,
) -> Result<ImportSummary, StoreError> {
    let sql = |what| StoreError::sqlite(db_path, what);
    let file = source.path;
    summary.seconds = source.started.elapsed().as_secs_f64();
    if options.strict && summary.rejected > 0 {
        // Dropping `tx` rolls everything back.
        return Err(StoreError::StrictRejected {
            file: file.to_path_buf(),
            summary: Box::new(summary),
        });
    }
    let finished_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    tx.execute(
        "UPDATE imports SET finished_at = ?2, rows_imported = ?3, rows_rejected = ?4,
             first_event_id = (SELECT min(id) FROM events WHERE id > ?5),
             last_event_id = (SELECT max(id) FROM events WHERE id > ?5),
             rows_before = ?6, currency = ?7
         WHERE id = ?1",
        params![
            import_id,
            finished_at,
            summary.imported as i64,
            summary.rejected as i64,
            max_id_before,
            summary.rows_before as i64,
            summary.currency
        ],
    )
    .map_err(sql("recording the import"))?;
    super::snapshot::seal(&tx).map_err(sql("recording the import"))?;
    tx.commit().map_err(sql("committing the import"))?;
    summary.import_id = Some(import_id);
    summary.seconds = source.started.elapsed().as_secs_f64();
    Ok(summary)
}

/// An earlier import of the same content or path.
pub(crate) struct Earlier {
    id: i64,
    name: String,
    when: String,
    same_content: bool,
    same_path: bool,
    size: u64,
    hash: String,
}

/// What this import does about earlier ones.
pub(crate) struct Prior {
    /// Removed (with `replace`).
    pub replaced: Vec<i64>,
    /// The import this one continues, and how many bytes of the file it read.
    pub continues: Option<(i64, u64)>,
    pub earlier: Vec<Earlier>,
}

/// Earlier imports of the same content (refused unless replacing) or of
/// the same path (replaced when replacing; else continued when this file
/// is theirs with rows added, kept with `append`, otherwise refused).
pub(crate) fn check_earlier(
    tx: &rusqlite::Transaction,
    source: &Source,
    options: &ImportOptions,
    db_path: &Path,
) -> Result<Prior, StoreError> {
    let sql = |what| StoreError::sqlite(db_path, what);
    let file = source.path;
    let hash_text = format!("xxh64:{:016x}", source.hash);
    let earlier: Vec<Earlier> = {
        let mut stmt = tx
            .prepare(
                "SELECT id, file_name, started_at, content_hash = ?1 AND size_bytes = ?2, file_path = ?3,
                        size_bytes, content_hash
                 FROM imports
                 WHERE (content_hash = ?1 AND size_bytes = ?2) OR file_path = ?3 ORDER BY id",
            )
            .map_err(sql("looking for earlier imports"))?;
        stmt.query_map(params![hash_text, source.size as i64, source.path_key], |r| {
            Ok(Earlier {
                id: r.get(0)?,
                name: r.get(1)?,
                when: r.get(2)?,
                same_content: r.get(3)?,
                same_path: r.get(4)?,
                size: r.get::<_, i64>(5)? as u64,
                hash: r.get(6)?,
            })
        })
        .and_then(|rows| rows.collect::<Result<_, _>>())
        .map_err(sql("looking for earlier imports"))?
    };
    let mut replaced = Vec::new();
    // The import this one continues, and how many bytes of the file it read.
    let mut continues: Option<(i64, u64)> = None;
    if options.replace {
        for e in &earlier {
            super::remove::delete_import(tx, e.id).map_err(sql("removing the replaced import"))?;
            replaced.push(e.id);
        }
    } else if let Some(e) = earlier.iter().find(|e| e.same_content) {
        return Err(StoreError::AlreadyImported {
            file: file.to_path_buf(),
            import_id: e.id,
            earlier_name: e.name.clone(),
            when: e.when.clone(),
        });
    } else if !options.append
        && let Some(latest) = earlier.iter().rev().find(|e| e.same_path)
    {
        let is_prefix = source
            .prefixes
            .iter()
            .any(|&(n, h)| n == latest.size && format!("xxh64:{h:016x}") == latest.hash);
        if !is_prefix {
            return Err(StoreError::ChangedSinceImport {
                file: file.to_path_buf(),
                import_id: latest.id,
                when: latest.when.clone(),
            });
        }
        continues = Some((latest.id, latest.size));
    }
    Ok(Prior {
        replaced,
        continues,
        earlier,
    })
}

/// A record's bytes as stored with a rejection: without the blank lines
/// before it and the line break after it, cut at `RAW_KEPT` bytes.
fn raw_text(bytes: &[u8]) -> String {
    let start = bytes
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(bytes.len());
    let mut end = bytes.len();
    while end > start && matches!(bytes[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    let mut text = String::from_utf8_lossy(&bytes[start..end]).into_owned();
    if text.len() > RAW_KEPT {
        let mut cut = RAW_KEPT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

/// Turns the csv crate's error into one that names the file and line.
fn csv_error<R: Read>(
    e: csv::Error,
    rdr: &csv::Reader<RawReader<R>>,
    record_start: u64,
    lines: LineCounter,
    header: &[String],
    file: &Path,
) -> StoreError {
    let raw = rdr.get_ref();
    let line = lines.start_of(raw.raw(record_start, u64::MAX));
    match e.into_kind() {
        csv::ErrorKind::Io(_) if raw.too_large() => StoreError::RecordTooLarge {
            file: file.to_path_buf(),
            line,
            limit: raw.limit(),
        },
        csv::ErrorKind::Io(source) => StoreError::Io {
            path: file.to_path_buf(),
            source,
        },
        csv::ErrorKind::Utf8 { err, .. } => {
            let bytes = raw.raw(record_start, u64::MAX);
            let byte = match std::str::from_utf8(bytes) {
                Err(e) => bytes[e.valid_up_to()],
                Ok(_) => 0,
            };
            let column = header
                .get(err.field())
                .cloned()
                .unwrap_or_else(|| format!("column {}", err.field() + 1));
            StoreError::InvalidUtf8 {
                file: file.to_path_buf(),
                line,
                column,
                byte,
            }
        }
        other => StoreError::Io {
            path: file.to_path_buf(),
            source: std::io::Error::other(format!("{other:?}")),
        },
    }
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
