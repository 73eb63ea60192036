//! Opening a Journeymap database: create it, bring its schema up to date,
//! and refuse files that are not ours or come from a newer version.
//!
//! The schema version lives in `PRAGMA user_version`; `MIGRATIONS[i]` takes a
//! database from version `i` to `i + 1`, in one transaction with the version
//! bump. Migrations are append-only: a released one is never edited.
//! `PRAGMA application_id` marks the file as Journeymap's.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::StoreError;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a query waits for another program's write to finish.
pub(crate) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// "JMAP".
const APPLICATION_ID: i64 = 0x4A4D_4150;

const MIGRATIONS: &[&str] = &[
    // 1: imports, events, rejected rows.
    "
    CREATE TABLE imports (
        id              INTEGER PRIMARY KEY,
        file_name       TEXT NOT NULL,      -- as given, for people
        file_path       TEXT NOT NULL,      -- canonical, to find re-imports
        content_hash    TEXT NOT NULL,      -- 'xxh64:<hex>' of the bytes
        size_bytes      INTEGER NOT NULL,
        started_at      TEXT NOT NULL,      -- RFC 3339, UTC
        finished_at     TEXT,
        rows_imported   INTEGER NOT NULL DEFAULT 0,
        rows_rejected   INTEGER NOT NULL DEFAULT 0,
        -- The import's events are the ids first_event_id..=last_event_id
        -- (one transaction appends them in id order). This stands in for
        -- an index on events(import_id), which cost a quarter of import time.
        first_event_id  INTEGER,
        last_event_id   INTEGER,
        column_mapping  TEXT NOT NULL       -- JSON: role -> column, zone, extra columns
    );
    CREATE INDEX imports_by_hash ON imports(content_hash);

    CREATE TABLE events (
        id          INTEGER PRIMARY KEY,    -- appended in order: see imports.first_event_id
        import_id   INTEGER NOT NULL REFERENCES imports(id),
        person      TEXT NOT NULL,
        ts_ms       INTEGER NOT NULL,       -- Unix milliseconds, UTC
        event       TEXT NOT NULL,
        channel     TEXT,
        cost        REAL,
        revenue     REAL,
        properties  TEXT,                   -- JSON object of the extra columns
        line        INTEGER NOT NULL        -- where the record starts in the file
    );

    CREATE TABLE rejected_rows (
        id          INTEGER PRIMARY KEY,
        import_id   INTEGER NOT NULL REFERENCES imports(id),
        line        INTEGER NOT NULL,
        reason      TEXT NOT NULL,
        raw         TEXT NOT NULL           -- the record as written (cut at 64 KiB)
    );
    CREATE INDEX rejected_rows_by_import ON rejected_rows(import_id);
    ",
    // 2: an import that took only the rows added to a file imported before.
    "
    ALTER TABLE imports ADD COLUMN continues_import INTEGER; -- the import of the file's earlier content
    ALTER TABLE imports ADD COLUMN rows_before INTEGER NOT NULL DEFAULT 0; -- its rows, skipped here
    ",
    // 3: ad spend reports: money per day and channel, imported like events.
    "
    ALTER TABLE imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'events'; -- 'events' or 'spend'
    CREATE TABLE spend (
        id          INTEGER PRIMARY KEY,
        import_id   INTEGER NOT NULL REFERENCES imports(id),
        day         TEXT NOT NULL,          -- YYYY-MM-DD, a UTC day as events' days are
        channel     TEXT NOT NULL,
        campaign    TEXT,
        cost        REAL NOT NULL,
        impressions INTEGER,
        clicks      INTEGER,
        line        INTEGER NOT NULL        -- where the record starts in the file
    );
    CREATE INDEX spend_by_import ON spend(import_id);
    ",
    // 4: the event log in analysis-ready form (see store/snapshot.rs).
    "
    CREATE TABLE snapshot_info (            -- one row, or none
        format      INTEGER NOT NULL,       -- the encoding's version
        source      TEXT NOT NULL,          -- what it was built from; another source: stale
        events      INTEGER NOT NULL,
        people      INTEGER NOT NULL
    );
    CREATE TABLE snapshot (
        id          INTEGER PRIMARY KEY,
        stream      INTEGER NOT NULL,       -- which column
        chunk       INTEGER NOT NULL,       -- its pieces, in order from 0
        items       INTEGER NOT NULL,
        hash        INTEGER NOT NULL,       -- XXH64 of data
        data        BLOB NOT NULL,
        UNIQUE (stream, chunk)
    );
    ",
    // 5: the currency each import's money was written in, so that money in
    // another one is refused rather than added up with it.
    "
    ALTER TABLE imports ADD COLUMN currency TEXT; -- ISO 4217 code ('12,50 zł': PLN); NULL: none written
    ",
];

/// An open Journeymap database.
pub struct Database {
    pub(super) conn: Connection,
    path: PathBuf,
}

impl Database {
    /// Opens `path`, creating it if missing, and migrates it to
    /// `SCHEMA_VERSION`.
    pub fn open(path: &Path) -> Result<Database, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(StoreError::sqlite(path, "opening"))?;
        Database::init(conn, path)
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Database, StoreError> {
        let path = Path::new(":memory:");
        let conn = Connection::open_in_memory().map_err(StoreError::sqlite(path, "opening"))?;
        Database::init(conn, path)
    }

    fn init(conn: Connection, path: &Path) -> Result<Database, StoreError> {
        // Before the first query: even reading the version waits while
        // another program commits.
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(StoreError::sqlite(path, "configuring the connection"))?;
        let mut db = Database {
            conn,
            path: path.to_path_buf(),
        };
        db.check_ours()?;
        db.configure()?;
        db.migrate()?;
        Ok(db)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The version the database is at (after `open`, `SCHEMA_VERSION`).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        pragma_i64(&self.conn, "user_version").map_err(StoreError::sqlite(&self.path, "reading the schema version"))
    }

    fn check_ours(&self) -> Result<(), StoreError> {
        let err = StoreError::sqlite;
        let path = &self.path;
        let version = match pragma_i64(&self.conn, "user_version") {
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
                return Err(StoreError::NotJourneymap {
                    db: path.clone(),
                    detail: "it is not a SQLite database".into(),
                });
            }
            r => r.map_err(err(path, "reading the schema version"))?,
        };
        let app_id = pragma_i64(&self.conn, "application_id").map_err(err(path, "reading the application id"))?;
        if app_id != 0 && app_id != APPLICATION_ID {
            return Err(StoreError::NotJourneymap {
                db: path.clone(),
                detail: format!("another program's database, application id 0x{app_id:08X}"),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                db: path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == 0 {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                )
                .map_err(err(path, "listing tables"))?;
            let tables: Vec<String> = stmt
                .query_map([], |r| r.get(0))
                .and_then(|rows| rows.collect())
                .map_err(err(path, "listing tables"))?;
            if !tables.is_empty() {
                return Err(StoreError::NotJourneymap {
                    db: path.clone(),
                    detail: format!("it already holds other tables: {}", tables.join(", ")),
                });
            }
        }
        Ok(())
    }

    fn configure(&self) -> Result<(), StoreError> {
        // A rollback journal rather than WAL: an import appends new pages,
        // which a rollback journal does not copy, while WAL writes every page
        // twice (to the log, then to the database) and grows a log file as
        // big as the import. Measured: a million-row import 15-20% faster.
        // A killed import is undone from the journal on the next open. The
        // price: a reader may wait (busy timeout) while a big import commits,
        // so the app should load events after an import, not during one.
        // `synchronous = FULL` costs a few syncs per transaction, nothing
        // per row. The 64 MiB page cache bounds memory whatever the size.
        // Foreign keys are checked (an import spares itself the check per
        // row: see `import`). A new database gets 64 KiB pages (an older
        // one keeps its size): a 10M-event import took 7.7 s instead of
        // 11.9 s with 4 KiB, spending less on page headers, splits and
        // overflow chains; the cost is a larger file when nearly empty.
        self.conn
            .execute_batch(
                "PRAGMA page_size = 65536;
                 PRAGMA journal_mode = DELETE;
                 PRAGMA synchronous = FULL;
                 PRAGMA cache_size = -65536;
                 PRAGMA temp_store = MEMORY;
                 PRAGMA foreign_keys = ON;",
            )
            .map_err(StoreError::sqlite(&self.path, "configuring the connection"))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = StoreError::sqlite;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err(&path, "starting the schema update"))?;
        // Read again under the write lock: another process may have migrated.
        let version = pragma_i64(&tx, "user_version").map_err(err(&path, "reading the schema version"))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                db: path,
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        for sql in &MIGRATIONS[version as usize..] {
            tx.execute_batch(sql).map_err(err(&path, "updating the schema"))?;
        }
        tx.execute_batch(&format!(
            "PRAGMA user_version = {SCHEMA_VERSION}; PRAGMA application_id = {APPLICATION_ID};"
        ))
        .map_err(err(&path, "updating the schema"))?;
        tx.commit().map_err(err(&path, "updating the schema"))
    }
}

fn pragma_i64(conn: &Connection, name: &str) -> rusqlite::Result<i64> {
    conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path(name: &str) -> PathBuf {
        crate::store::test_util::temp_dir(name).join(name)
    }

    fn tables(db: &Database) -> Vec<String> {
        let mut stmt = db
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    #[test]
    fn creates_the_schema_and_reopens() {
        let path = temp_path("schema-create.sqlite");
        let db = Database::open(&path).unwrap();
        assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(pragma_i64(&db.conn, "page_size").unwrap(), 65536);
        assert_eq!(
            tables(&db),
            [
                "events",
                "imports",
                "rejected_rows",
                "snapshot",
                "snapshot_info",
                "spend"
            ]
        );
        drop(db);
        let db = Database::open(&path).unwrap();
        assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn refuses_a_newer_database() {
        let path = temp_path("schema-newer.sqlite");
        drop(Database::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
        drop(conn);
        let err = Database::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::NewerSchema { found: 99, .. }));
        let msg = err.to_string();
        assert!(
            msg.contains("schema-newer.sqlite") && msg.contains("newer Journeymap") && msg.contains("99"),
            "{msg}"
        );
    }

    #[test]
    fn refuses_other_programs_files() {
        let path = temp_path("schema-foreign.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE customers (id INTEGER)").unwrap();
        drop(conn);
        let msg = Database::open(&path).err().unwrap().to_string();
        assert!(
            msg.contains("not a Journeymap database") && msg.contains("customers"),
            "{msg}"
        );

        let path = temp_path("schema-text.sqlite");
        std::fs::write(&path, "person_id,timestamp,event\n".repeat(100)).unwrap();
        let msg = Database::open(&path).err().unwrap().to_string();
        assert!(msg.contains("not a SQLite database"), "{msg}");
        // The file was not touched.
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("person_id,"));
    }

    #[test]
    fn in_memory_database_works() {
        let db = Database::open_in_memory().unwrap();
        assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    }
}
