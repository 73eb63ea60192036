//! Appending events to the `events` table fast: rows are copied into reused
//! slots and written `BATCH` at a time by one multi-row `INSERT`, which
//! saves SQLite a statement run per row.
//!
//! The statements are SQLite's own, not rusqlite's: rusqlite binds every
//! string as `SQLITE_TRANSIENT`, which SQLite copies (an allocation, a copy
//! and a free per field, a tenth of an import's time), while the slots'
//! text stays put until the rows are written and can be bound in place.
//! `OR FAIL`: a multi-row insert that may abort needs a statement journal
//! to undo its earlier rows, which FAIL does not; an error rolls the whole
//! import back anyway.

use std::ffi::{CStr, c_int};
use std::marker::PhantomData;

use rusqlite::{Connection, ffi};

use super::row::Row;

/// Rows per `INSERT` (9 parameters each, well under SQLite's limit).
const BATCH: usize = 64;
const COLUMNS: usize = 9;
const INSERT: &str =
    "INSERT OR FAIL INTO events (import_id, person, ts_ms, event, channel, cost, revenue, properties, line) VALUES ";

#[derive(Default)]
struct Slot {
    /// person, event, channel and properties, back to back.
    text: String,
    ends: [usize; 4],
    has_channel: bool,
    has_properties: bool,
    ts_ms: i64,
    cost: Option<f64>,
    revenue: Option<f64>,
    line: i64,
}

impl Slot {
    fn part(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.text[start..self.ends[k]]
    }
}

pub(crate) struct EventWriter<'c> {
    many: Insert<'c>,
    one: Insert<'c>,
    import_id: i64,
    slots: Vec<Slot>,
    len: usize,
}

impl<'c> EventWriter<'c> {
    pub fn new(conn: &'c Connection, import_id: i64) -> rusqlite::Result<Self> {
        let values = |rows: usize| {
            let one = format!("({})", ["?"; COLUMNS].join(","));
            format!("{INSERT}{}", vec![one; rows].join(","))
        };
        Ok(EventWriter {
            many: Insert::new(conn, &values(BATCH))?,
            one: Insert::new(conn, &values(1))?,
            import_id,
            slots: (0..BATCH).map(|_| Slot::default()).collect(),
            len: 0,
        })
    }

    pub fn push(&mut self, row: &Row, line: u64) -> rusqlite::Result<()> {
        let s = &mut self.slots[self.len];
        s.text.clear();
        for (k, part) in [
            row.person,
            row.event,
            row.channel.unwrap_or(""),
            row.properties.unwrap_or(""),
        ]
        .into_iter()
        .enumerate()
        {
            s.text.push_str(part);
            s.ends[k] = s.text.len();
        }
        s.has_channel = row.channel.is_some();
        s.has_properties = row.properties.is_some();
        s.ts_ms = row.ts_ms;
        s.cost = row.cost;
        s.revenue = row.revenue;
        s.line = line as i64;
        self.len += 1;
        if self.len == BATCH {
            self.many.run(self.import_id, &self.slots)?;
            self.len = 0;
        }
        Ok(())
    }

    /// Writes the rows still held.
    pub fn finish(&mut self) -> rusqlite::Result<()> {
        for i in 0..self.len {
            self.one.run(self.import_id, &self.slots[i..=i])?;
        }
        self.len = 0;
        Ok(())
    }
}

/// A prepared `INSERT` of `COLUMNS` parameters a row.
struct Insert<'c> {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
    /// The statement must not outlive its connection.
    _conn: PhantomData<&'c Connection>,
}

impl<'c> Insert<'c> {
    fn new(conn: &'c Connection, sql: &str) -> rusqlite::Result<Insert<'c>> {
        // SAFETY: the handle is only used while `conn` is borrowed, on this
        // thread, and the statement is finalized (on drop) before `conn` can go.
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
        let insert = Insert {
            db,
            stmt,
            _conn: PhantomData,
        };
        insert.check(rc)?;
        Ok(insert)
    }

    /// Inserts `slots`' rows (as many as the statement has rows for).
    fn run(&mut self, import_id: i64, slots: &[Slot]) -> rusqlite::Result<()> {
        for (r, s) in slots.iter().enumerate() {
            let at = (r * COLUMNS) as c_int;
            self.int(at + 1, import_id)?;
            self.text(at + 2, Some(s.part(0)))?;
            self.int(at + 3, s.ts_ms)?;
            self.text(at + 4, Some(s.part(1)))?;
            self.text(at + 5, s.has_channel.then(|| s.part(2)))?;
            self.real(at + 6, s.cost)?;
            self.real(at + 7, s.revenue)?;
            self.text(at + 8, s.has_properties.then(|| s.part(3)))?;
            self.int(at + 9, s.line)?;
        }
        // SAFETY: every parameter was bound just now, the text to `slots`,
        // which are borrowed (so unchanged) until the step is over.
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
    /// the statement has run (`run`'s borrow of the slots sees to that).
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

impl Drop for Insert<'_> {
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
                 properties TEXT, line INTEGER NOT NULL {check})"
        ))
        .unwrap();
        conn
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

    #[test]
    fn every_row_is_stored_as_given_across_batches() {
        let conn = events_table("");
        let n = BATCH as i64 * 2 + 5;
        let names: Vec<String> = (0..n).map(|i| format!("person {i} ✓")).collect();
        {
            let mut w = EventWriter::new(&conn, 7).unwrap();
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
            w.finish().unwrap();
        }
        let mut stmt = conn
            .prepare("SELECT import_id, person, ts_ms, event, channel, cost, revenue, properties, line FROM events ORDER BY id")
            .unwrap();
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
        let stored: Vec<Stored> = stmt
            .query_map([], |r| {
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
            .collect();
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
    }

    #[test]
    fn a_refused_row_is_an_error_saying_why() {
        let conn = events_table(", CHECK (person <> 'nobody')");
        let mut w = EventWriter::new(&conn, 1).unwrap();
        w.push(&row("somebody", 1, None, None), 2).unwrap();
        w.push(&row("nobody", 2, None, None), 3).unwrap();
        let message = w.finish().unwrap_err().to_string();
        assert!(message.contains("CHECK constraint failed"), "{message}");
    }
}
