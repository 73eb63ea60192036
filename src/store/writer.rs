//! Appending events to the `events` table fast, on a thread of its own.
//!
//! The thread parsing the file fills `EventBatch`es; the writer's thread
//! stores each (64 rows to a multi-row `INSERT`, which saves SQLite a
//! statement run per row) and hands it on to the stored log's numbering
//! (`Numbering`), which gives it back to be filled again. Parsing and
//! storing are each about a third of an import's work: run side by side on
//! two cores, an import takes two thirds of the time.
//!
//! While the thread runs, the connection is its alone. The import sends
//! rejected rows through the same batches and uses the connection again
//! only after `finish`, which ends the thread, as dropping the writer does.
//! A connection opened without SQLite's mutexes (`SQLITE_OPEN_NO_MUTEX`,
//! multi-thread mode) may be used from any thread, one at a time.
//!
//! The statements are SQLite's own, not rusqlite's: rusqlite binds every
//! string as `SQLITE_TRANSIENT`, which SQLite copies (an allocation, a copy
//! and a free per field, a tenth of an import's time), while a batch's
//! text stays put until its rows are written and can be bound in place.
//! `OR FAIL`: a multi-row insert that may abort needs a statement journal
//! to undo its earlier rows, which FAIL does not; an error rolls the whole
//! import back anyway.

use std::ffi::{CStr, c_int};
use std::marker::PhantomData;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

use rusqlite::{Connection, ffi};

use super::event_batch::{BatchIter, EventBatch, Rejected};
use super::import::INSERT_REJECTED;
use super::log_events::{LogEvents, Numbering, sort_error};
use super::row::Row;

/// Rows per `INSERT` (9 parameters each, well under SQLite's limit).
const ROWS: usize = 64;
const COLUMNS: usize = 9;
const INSERT: &str =
    "INSERT OR FAIL INTO events (import_id, person, ts_ms, event, channel, cost, revenue, properties, line) VALUES ";

/// Batches sent and not yet stored: bounds the memory between the threads.
const IN_FLIGHT: usize = 4;

pub(crate) struct EventWriter<'c> {
    batch: EventBatch,
    send: Option<SyncSender<EventBatch>>,
    /// Batches the numbering is done with.
    recycled: Receiver<EventBatch>,
    worker: Option<JoinHandle<rusqlite::Result<Numbering>>>,
    /// The thread uses the connection: it is joined before the borrow ends.
    _conn: PhantomData<&'c Connection>,
}

impl<'c> EventWriter<'c> {
    /// Starts storing the events of import `import_id`, numbering them for
    /// the stored log after those `all` holds.
    ///
    /// # Safety
    /// Until the writer is finished or dropped, `conn` is its thread's: the
    /// caller must not use it (rejected rows go through `reject`), and
    /// must not leak the writer (`mem::forget`, a reference cycle), whose
    /// drop is what ends the thread.
    pub unsafe fn start(conn: &'c Connection, import_id: i64, all: LogEvents) -> rusqlite::Result<Self> {
        let values = |rows: usize| {
            let one = format!("({})", ["?"; COLUMNS].join(","));
            format!("{INSERT}{}", vec![one; rows].join(","))
        };
        let statements = Statements {
            many: Insert::new(conn, &values(ROWS))?,
            one: Insert::new(conn, &values(1))?,
            rejected: Insert::new(conn, INSERT_REJECTED)?,
            import_id,
        };
        // Unbounded, so the numbering never waits on the parser, which may
        // be waiting on the writer, which may be waiting on the numbering:
        // bounded, that would be a cycle (in `Drop`, say).
        let (back, recycled) = channel();
        let numbering = Numbering::start(all, back).map_err(sort_error)?;
        let (send, receive) = sync_channel(IN_FLIGHT);
        let worker = std::thread::Builder::new()
            .name("import-write".into())
            .spawn(move || statements.store(receive, numbering))
            .map_err(sort_error)?;
        Ok(EventWriter {
            batch: EventBatch::default(),
            send: Some(send),
            recycled,
            worker: Some(worker),
            _conn: PhantomData,
        })
    }

    pub fn push(&mut self, row: &Row, line: u64) -> rusqlite::Result<()> {
        self.batch.push(row, line);
        if self.batch.is_full() {
            self.send_batch()?;
        }
        Ok(())
    }

    /// Stores a row that was not imported, in `rejected_rows`.
    pub fn reject(&mut self, line: u64, reason: &str, raw: String) -> rusqlite::Result<()> {
        self.batch.reject(line, reason, raw);
        if self.batch.is_full() {
            self.send_batch()?;
        }
        Ok(())
    }

    fn send_batch(&mut self) -> rusqlite::Result<()> {
        let mut next = self.recycled.try_recv().unwrap_or_default();
        next.clear();
        let batch = std::mem::replace(&mut self.batch, next);
        let sent = self.send.as_ref().is_some_and(|s| s.send(batch).is_ok());
        match sent {
            true => Ok(()),
            // The thread stopped: it says why.
            false => self.join().and(Err(stopped())),
        }
    }

    /// Stores what is still held and waits until all is stored; the
    /// numbering of every event, for the stored log.
    pub fn finish(mut self) -> rusqlite::Result<Numbering> {
        if !self.batch.is_empty() {
            self.send_batch()?;
        }
        self.join()
    }

    fn join(&mut self) -> rusqlite::Result<Numbering> {
        self.send = None;
        let worker = self.worker.take().ok_or_else(stopped)?;
        match worker.join() {
            Ok(done) => done,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

impl Drop for EventWriter<'_> {
    /// An import given up (an error, a cancel) waits for the thread to let
    /// go of the connection before rolling back.
    fn drop(&mut self) {
        self.send = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn stopped() -> rusqlite::Error {
    sort_error(std::io::Error::other("storing events stopped"))
}

/// The writer thread's statements.
struct Statements {
    many: Insert,
    one: Insert,
    rejected: Insert,
    import_id: i64,
}

// SAFETY: the statements move to the writer thread, which is the only one
// to use them or their connection until it is joined (see the module's
// notes), and `EventWriter` joins it before its borrow of the connection ends.
unsafe impl Send for Statements {}

impl Statements {
    fn store(mut self, batches: Receiver<EventBatch>, mut numbering: Numbering) -> rusqlite::Result<Numbering> {
        for mut b in batches {
            let mut events = b.iter();
            while events.len() >= ROWS {
                self.many.events(self.import_id, &mut events)?;
            }
            while events.len() > 0 {
                self.one.events(self.import_id, &mut events)?;
            }
            for r in b.rejected() {
                self.rejected.rejection(self.import_id, r)?;
            }
            b.clear_rejected();
            numbering.send(b)?;
        }
        Ok(numbering)
    }
}

/// A prepared statement, used through SQLite's own calls. It must not
/// outlive its connection (`EventWriter` sees to that).
struct Insert {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
    /// How many parameters it has.
    params: usize,
}

impl Insert {
    fn new(conn: &Connection, sql: &str) -> rusqlite::Result<Insert> {
        // SAFETY: the handle is used by one thread at a time, and the
        // statement is finalized (on drop) before the connection can go.
        let db = unsafe { conn.handle() };
        let mut stmt = std::ptr::null_mut();
        // SAFETY: `sql` is valid for its length; `stmt` receives the statement.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(
                db,
                sql.as_ptr().cast(),
                sql.len() as c_int,
                &mut stmt,
                std::ptr::null_mut(),
            )
        };
        let mut insert = Insert { db, stmt, params: 0 };
        insert.check(rc)?;
        // SAFETY: a prepared statement.
        insert.params = unsafe { ffi::sqlite3_bind_parameter_count(stmt) } as usize;
        Ok(insert)
    }

    /// Inserts the next of `events`, as many as the statement has rows for
    /// (`events` has that many).
    fn events(&mut self, import_id: i64, events: &mut BatchIter) -> rusqlite::Result<()> {
        let rows = self.params / COLUMNS;
        assert!(events.len() >= rows, "a row of the statement left unbound");
        for (r, e) in events.take(rows).enumerate() {
            let at = (r * COLUMNS) as c_int;
            self.int(at + 1, import_id)?;
            self.text(at + 2, Some(e.person))?;
            self.int(at + 3, e.ts_ms)?;
            self.text(at + 4, Some(e.event))?;
            self.text(at + 5, e.channel)?;
            self.real(at + 6, e.cost)?;
            self.real(at + 7, e.revenue)?;
            self.text(at + 8, e.properties)?;
            self.int(at + 9, e.line as i64)?;
        }
        // SAFETY: every parameter was bound just now, the text to the batch
        // `events` borrows (so unchanged) until the step is over.
        unsafe { self.step() }
    }

    fn rejection(&mut self, import_id: i64, r: &Rejected) -> rusqlite::Result<()> {
        self.int(1, import_id)?;
        self.int(2, r.line as i64)?;
        self.text(3, Some(&r.reason))?;
        self.text(4, Some(&r.raw))?;
        // SAFETY: as for `events`, the text borrowed from `r`.
        unsafe { self.step() }
    }

    /// Runs the statement once and resets it.
    ///
    /// # Safety
    /// Every parameter is bound, and text bound in place is still there.
    unsafe fn step(&mut self) -> rusqlite::Result<()> {
        // SAFETY: the caller's promise.
        let done = match unsafe { ffi::sqlite3_step(self.stmt) } {
            ffi::SQLITE_DONE => Ok(()),
            rc => self.check(rc),
        };
        // SAFETY: a prepared statement; resetting keeps the bindings, and
        // the next run binds every parameter again before stepping.
        unsafe { ffi::sqlite3_reset(self.stmt) };
        done
    }

    fn int(&mut self, i: c_int, v: i64) -> rusqlite::Result<()> {
        // SAFETY: a prepared statement and a parameter index within it.
        self.check(unsafe { ffi::sqlite3_bind_int64(self.stmt, i, v) })
    }

    fn real(&mut self, i: c_int, v: Option<f64>) -> rusqlite::Result<()> {
        // SAFETY: as for `int`.
        self.check(unsafe {
            match v {
                Some(v) => ffi::sqlite3_bind_double(self.stmt, i, v),
                None => ffi::sqlite3_bind_null(self.stmt, i),
            }
        })
    }

    /// Binds `v` in place (`SQLITE_STATIC`): it must stay as it is until
    /// the statement has run (`events` and `rejection` borrow it till then;
    /// after `reset` the statement still points at it, but nothing reads
    /// a binding outside `step`, and every run binds anew).
    fn text(&mut self, i: c_int, v: Option<&str>) -> rusqlite::Result<()> {
        // SAFETY: as for `int`; the text is valid for its length.
        self.check(unsafe {
            match v {
                Some(v) => ffi::sqlite3_bind_text64(
                    self.stmt,
                    i,
                    v.as_ptr().cast(),
                    v.len() as u64,
                    ffi::SQLITE_STATIC(),
                    ffi::SQLITE_UTF8 as u8,
                ),
                None => ffi::sqlite3_bind_null(self.stmt, i),
            }
        })
    }

    #[inline]
    fn check(&self, rc: c_int) -> rusqlite::Result<()> {
        match rc {
            ffi::SQLITE_OK => Ok(()),
            rc => Err(self.error(rc)),
        }
    }

    #[cold]
    fn error(&self, rc: c_int) -> rusqlite::Error {
        // SAFETY: the connection's message of its last error, copied at once.
        let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.db)) };
        rusqlite::Error::SqliteFailure(ffi::Error::new(rc), Some(message.to_string_lossy().into_owned()))
    }
}

impl Drop for Insert {
    fn drop(&mut self) {
        // SAFETY: finalized once, while the connection is still open
        // (finalizing a null statement, after a failed prepare, is a no-op).
        unsafe { ffi::sqlite3_finalize(self.stmt) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events_table(check: &str) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, import_id INTEGER NOT NULL, person TEXT NOT NULL,
                 ts_ms INTEGER NOT NULL, event TEXT NOT NULL, channel TEXT, cost REAL, revenue REAL,
                 properties TEXT, line INTEGER NOT NULL {check});
             CREATE TABLE rejected_rows (id INTEGER PRIMARY KEY, import_id INTEGER NOT NULL,
                 line INTEGER NOT NULL, reason TEXT NOT NULL, raw TEXT NOT NULL);"
        ))
        .unwrap();
        conn
    }

    fn writer(conn: &Connection, import_id: i64) -> EventWriter<'_> {
        // SAFETY: the tests use the connection only once the writer is done.
        unsafe { EventWriter::start(conn, import_id, LogEvents::new(std::env::temp_dir(), 1 << 10)).unwrap() }
    }

    fn row<'a>(person: &'a str, i: i64, channel: Option<&'a str>, properties: Option<&'a str>) -> Row<'a> {
        Row {
            person,
            ts_ms: i,
            event: "visit",
            channel,
            cost: (i % 3 == 0).then_some(i as f64 / 2.0),
            revenue: None,
            properties,
            currencies: [None, None],
        }
    }

    type Stored = (
        i64,
        String,
        i64,
        String,
        Option<String>,
        Option<f64>,
        Option<f64>,
        Option<String>,
        i64,
    );

    fn stored(conn: &Connection) -> Vec<Stored> {
        let mut stmt = conn
            .prepare("SELECT import_id, person, ts_ms, event, channel, cost, revenue, properties, line FROM events ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    #[test]
    fn every_row_is_stored_as_given_across_batches_and_numbered_in_order() {
        let conn = events_table("");
        // Several batches (reused), and a last one not filling an INSERT.
        let n = (super::super::event_batch::EVENTS * 3 + ROWS + 5) as i64;
        let names: Vec<String> = (0..n).map(|i| format!("person {} ✓", i % 1000)).collect();
        let numbering = {
            let mut w = writer(&conn, 7);
            for (i, name) in names.iter().enumerate() {
                let i = i as i64;
                let props = format!("{{\"n\":{i}}}");
                let channel = (i % 2 == 0).then_some("ads");
                w.push(
                    &row(name, i, channel, (i % 4 == 0).then_some(props.as_str())),
                    i as u64 + 2,
                )
                .unwrap();
            }
            w.finish().unwrap()
        };
        let stored = stored(&conn);
        assert_eq!(stored.len(), n as usize);
        for (i, s) in stored.into_iter().enumerate() {
            let i = i as i64;
            let want: Stored = (
                7,
                names[i as usize].clone(),
                i,
                "visit".into(),
                (i % 2 == 0).then(|| "ads".into()),
                (i % 3 == 0).then_some(i as f64 / 2.0),
                None,
                (i % 4 == 0).then(|| format!("{{\"n\":{i}}}")),
                i + 2,
            );
            assert_eq!(s, want);
        }
        // The numbering saw every event, people numbered by first appearance.
        let all = numbering.finish().unwrap();
        assert_eq!(all.len(), n as u64);
        assert_eq!(all.people(), 1000);
    }

    #[test]
    fn rejected_rows_are_stored_in_file_order() {
        let conn = events_table("");
        {
            let mut w = writer(&conn, 3);
            // More rejected rows than a batch holds, between the events.
            for i in 0..10_000u64 {
                if i % 2 == 0 {
                    w.reject(i + 2, &format!("bad {i}"), format!("raw,{i}")).unwrap();
                } else {
                    w.push(&row("p", i as i64, None, None), i + 2).unwrap();
                }
            }
            w.finish().unwrap();
        }
        let mut stmt = conn
            .prepare("SELECT import_id, line, reason, raw FROM rejected_rows ORDER BY id")
            .unwrap();
        let rejected: Vec<(i64, i64, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let want: Vec<_> = (0..10_000i64)
            .filter(|i| i % 2 == 0)
            .map(|i| (3, i + 2, format!("bad {i}"), format!("raw,{i}")))
            .collect();
        assert_eq!(rejected, want);
        assert_eq!(stored(&conn).len(), 10_000 - want.len());
    }

    #[test]
    fn a_refused_row_stops_the_writer_with_the_reason() {
        let conn = events_table(", CHECK (person <> 'nobody')");
        let mut w = writer(&conn, 1);
        w.push(&row("somebody", 1, None, None), 2).unwrap();
        w.push(&row("nobody", 2, None, None), 3).unwrap();
        let Err(e) = w.finish() else {
            panic!("the refused row was stored")
        };
        let message = e.to_string();
        assert!(message.contains("CHECK constraint failed"), "{message}");
    }

    #[test]
    fn pushing_after_the_thread_failed_says_why() {
        let conn = events_table(", CHECK (person <> 'nobody')");
        let mut w = writer(&conn, 1);
        w.push(&row("nobody", 2, None, None), 3).unwrap();
        let mut error = None;
        // The failure shows on a later send, once the thread has stopped.
        for i in 0..1_000_000 {
            if let Err(e) = w.push(&row("somebody", i, None, None), 4) {
                error = Some(e.to_string());
                break;
            }
        }
        let message = error.expect("the writer's failure reaches the parser");
        assert!(message.contains("CHECK constraint failed"), "{message}");
    }
}
