//! Reading events out of the database into the in-memory `EventLog`, and
//! listing what was imported.
//!
//! Events come from the snapshot (`snapshot`), read in one transaction with
//! the source it must match. Without a current one they are read from the
//! rows in id order, i.e. import order, so ties (one person, one
//! millisecond) keep their order in the file; the builder sorts them (much
//! faster than SQLite's `ORDER BY person, ts_ms`), and the snapshot is
//! written back for next time when the database can be written.

use rusqlite::{Connection, params};
use serde::Serialize;

use crate::analysis::event_log::{EventLog, EventLogBuilder, Interner, sort_order};

use super::StoreError;
use super::schema::{BUSY_TIMEOUT, Database};
use super::snapshot::{self, MAX_RESERVE, Parts};

/// The value number of an event without the property.
pub const NO_VALUE: u32 = u32::MAX;

/// Rows read between two progress reports while rebuilding.
const PROGRESS_ROWS: u64 = 1 << 16;

/// One property's value for each event of an `EventLog`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PropertyColumn {
    pub name: String,
    /// Distinct values, in order of first appearance; index = value number.
    pub values: Vec<String>,
    /// Per event, in the log's (sorted) order: value number or `NO_VALUE`.
    pub keys: Vec<u32>,
}

/// How far reading the events from their rows has got (done only when the
/// snapshot is missing, stale or damaged).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rebuilding {
    pub events: u64,
    /// What the imports say there are: for a progress bar, not to be trusted.
    pub expected: u64,
}

/// Loads every event.
pub fn load_events(db: &Database) -> Result<EventLog, StoreError> {
    load_events_of(db, Parts::ALL, &mut |_| {})
}

/// Loads every event with the `parts` asked for; `progress` hears how a
/// rebuild from the rows goes, if one is needed.
pub fn load_events_of(
    db: &Database,
    parts: Parts,
    progress: &mut dyn FnMut(Rebuilding),
) -> Result<EventLog, StoreError> {
    let sql = || StoreError::sqlite(db.path(), "loading events");
    // One read transaction: the snapshot, its source and the rows as of one moment.
    let tx = db.conn.unchecked_transaction().map_err(sql())?;
    let mut log = load_in(&tx, parts, progress).map_err(sql())?;
    tx.commit().map_err(sql())?;
    log.spend = super::spend::load_spend(db)?;
    Ok(log)
}

fn load_in(conn: &Connection, parts: Parts, progress: &mut dyn FnMut(Rebuilding)) -> rusqlite::Result<EventLog> {
    let source = snapshot::source_of(conn)?;
    if let Some(Ok(log)) = snapshot::read(conn, &source, parts)? {
        return Ok(log);
    }
    let mut log = rows_log(conn, progress)?;
    write_back(conn, &log, &source);
    if !parts.people {
        log.people = Vec::new();
    }
    if !parts.money {
        log.set_money(Default::default(), Default::default());
    }
    Ok(log)
}

/// Stores a log rebuilt from the rows, if the database can be written
/// without waiting; a read-only or busy database is simply read again from
/// its rows next time.
fn write_back(conn: &Connection, log: &EventLog, source: &str) {
    if conn.busy_timeout(std::time::Duration::ZERO).is_err() {
        return;
    }
    let written = conn
        .execute_batch("SAVEPOINT snapshot")
        .and_then(|()| snapshot::write(conn, log, source));
    let _ = match written {
        Ok(()) => conn.execute_batch("RELEASE snapshot"),
        Err(_) => conn.execute_batch("ROLLBACK TO snapshot; RELEASE snapshot"),
    };
    let _ = conn.busy_timeout(BUSY_TIMEOUT);
}

/// Every event read from the rows, in id order.
pub(super) fn rows_log(conn: &Connection, progress: &mut dyn FnMut(Rebuilding)) -> rusqlite::Result<EventLog> {
    let expected = expected_rows(conn)?;
    let mut builder = EventLogBuilder::with_capacity(reserve(conn, expected)?);
    let mut done = 0u64;
    each_row(conn, &mut |person, time, event, channel, cost, revenue| {
        builder.push(person, time, event, channel, cost, revenue);
        done += 1;
        if done.is_multiple_of(PROGRESS_ROWS) {
            progress(Rebuilding { events: done, expected });
        }
        Ok(())
    })?;
    progress(Rebuilding {
        events: done,
        expected: done,
    });
    Ok(builder.build())
}

/// What `each_row` gives each row to: person, time, event, channel, cost
/// and revenue (0 when absent).
pub(super) type EachRow<'a> = dyn FnMut(&str, i64, &str, Option<&str>, f64, f64) -> rusqlite::Result<()> + 'a;

/// Gives `f` each event's person, time, event, channel, cost and revenue (0
/// when absent), in id order.
pub(super) fn each_row(conn: &Connection, f: &mut EachRow) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT person, ts_ms, event, channel, cost, revenue FROM events ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let number = |i| -> rusqlite::Result<f64> { Ok(r.get::<_, Option<f64>>(i)?.unwrap_or(0.0)) };
        f(
            r.get_ref(0)?.as_str()?,
            r.get(1)?,
            r.get_ref(2)?.as_str()?,
            text(r, 3)?,
            number(4)?,
            number(5)?,
        )?;
    }
    Ok(())
}

/// Loads every event and the value of the extra column `property` for each.
///
/// The values are read from the rows in id order, the order the log was
/// built in, and sorted as the log was (people numbered by first
/// appearance, a stable sort on person and time), so they line up with the
/// log's events; that they do is checked, and the log rebuilt from the same
/// rows if not.
pub fn load_events_with_property(db: &Database, property: &str) -> Result<(EventLog, PropertyColumn), StoreError> {
    let sql = || StoreError::sqlite(db.path(), "loading events");
    let tx = db.conn.unchecked_transaction().map_err(sql())?;
    let mut log = load_in(&tx, Parts::ALL, &mut |_| {}).map_err(sql())?;
    let column = match property_column(&tx, &log, property).map_err(sql())? {
        Some(column) => column,
        None => {
            let source = snapshot::source_of(&tx).map_err(sql())?;
            log = rows_log(&tx, &mut |_| {}).map_err(sql())?;
            write_back(&tx, &log, &source);
            property_column(&tx, &log, property)
                .map_err(sql())?
                .expect("a log built from the rows lines up with them")
        }
    };
    tx.commit().map_err(sql())?;
    log.spend = super::spend::load_spend(db)?;
    Ok((log, column))
}

/// The value of the extra column `property` for each of `log`'s events,
/// `log` being this database's events as loaded before; `None` when they
/// are no longer (an import or a removal since). Reads no events again.
pub fn load_property(db: &Database, log: &EventLog, property: &str) -> Result<Option<PropertyColumn>, StoreError> {
    let sql = || StoreError::sqlite(db.path(), "loading a property");
    let tx = db.conn.unchecked_transaction().map_err(sql())?;
    let column = property_column(&tx, log, property).map_err(sql())?;
    tx.commit().map_err(sql())?;
    Ok(column)
}

/// `property`'s value for each of `log`'s events; `None` if the rows are
/// not `log`'s events.
fn property_column(conn: &Connection, log: &EventLog, property: &str) -> rusqlite::Result<Option<PropertyColumn>> {
    let mut people = Interner::default();
    let mut values = Interner::default();
    let n = log.len().min(MAX_RESERVE);
    let (mut person, mut time, mut keys) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    // The key is looked up as written (dots, spaces and quotes included).
    let mut stmt = conn.prepare("SELECT person, ts_ms, properties FROM events ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let p = people.intern(r.get_ref(0)?.as_str()?);
        let value = text(r, 2)?.and_then(|json| super::properties::value(json, property));
        let key = value.map_or(NO_VALUE, |v| values.intern(&v));
        person.push(p);
        time.push(r.get::<_, i64>(1)?);
        keys.push(key);
    }
    if person.len() != log.len() || people.len() != log.person_count() {
        return Ok(None);
    }
    let sorted = sort_order(&person, &time, people.len());
    let order: Vec<u32> = sorted.order.unwrap_or_else(|| (0..person.len() as u32).collect());
    let lines_up =
        sorted.person_start == log.person_start && order.iter().zip(&log.time_ms).all(|(&i, &t)| time[i as usize] == t);
    if !lines_up {
        return Ok(None);
    }
    Ok(Some(PropertyColumn {
        name: property.to_owned(),
        values: values.into_names(),
        keys: order.iter().map(|&i| keys[i as usize]).collect(),
    }))
}

fn text<'r>(r: &'r rusqlite::Row, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(match r.get_ref(i)? {
        rusqlite::types::ValueRef::Null => None,
        v => Some(v.as_str()?),
    })
}

/// The number of events the imports table says there are (free, unlike
/// `count(*)`); damaged, it may say anything.
fn expected_rows(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row(
        "SELECT CAST(coalesce(sum(rows_imported), 0) AS REAL) FROM imports WHERE kind = 'events'",
        [],
        |r| r.get::<_, f64>(0),
    )
    .map(|n| n.clamp(0.0, u64::MAX as f64) as u64)
}

/// Room to reserve for `expected` events: never more than the events
/// table's id range can hold, nor `MAX_RESERVE`.
fn reserve(conn: &Connection, expected: u64) -> rusqlite::Result<usize> {
    let span: i64 = conn.query_row("SELECT coalesce(max(id) - min(id) + 1, 0) FROM events", [], |r| {
        r.get(0)
    })?;
    Ok(expected.min(span.max(0) as u64).min(MAX_RESERVE as u64) as usize)
}

/// One import, as listed to the user.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportInfo {
    pub id: i64,
    pub file_name: String,
    pub file_path: String,
    pub content_hash: String,
    pub size_bytes: u64,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub rows_imported: u64,
    pub rows_rejected: u64,
    /// Role → column, the zone, and the property keys.
    pub column_mapping: serde_json::Value,
    /// The import whose file this one's is, with rows added: only those
    /// rows were imported here.
    pub continues_import: Option<i64>,
    /// Rows of the file read by that earlier import, not imported again.
    pub rows_before: u64,
    /// "events", or "spend" for an ad spend report.
    pub kind: String,
    /// The currency its money was written in ("PLN" for "12,50 zł"), when
    /// written at all (and imported by a version that noted it).
    pub currency: Option<String>,
}

/// Every import, oldest first.
pub fn list_imports(db: &Database) -> Result<Vec<ImportInfo>, StoreError> {
    let sql = StoreError::sqlite(db.path(), "listing imports");
    let mut stmt = db
        .conn
        .prepare(
            "SELECT id, file_name, file_path, content_hash, size_bytes, started_at, finished_at,
                    CAST(rows_imported AS INTEGER), CAST(rows_rejected AS INTEGER), column_mapping,
                    continues_import, rows_before, kind, currency
             FROM imports ORDER BY id",
        )
        .map_err(StoreError::sqlite(db.path(), "listing imports"))?;
    let rows = stmt.query_map([], |r| {
        let mapping: String = r.get(9)?;
        Ok(ImportInfo {
            id: r.get(0)?,
            file_name: r.get(1)?,
            file_path: r.get(2)?,
            content_hash: r.get(3)?,
            size_bytes: r.get::<_, i64>(4)? as u64,
            started_at: r.get(5)?,
            finished_at: r.get(6)?,
            rows_imported: r.get::<_, i64>(7)? as u64,
            rows_rejected: r.get::<_, i64>(8)? as u64,
            column_mapping: serde_json::from_str(&mapping).unwrap_or(serde_json::Value::Null),
            continues_import: r.get(10)?,
            rows_before: r.get::<_, i64>(11)? as u64,
            kind: r.get(12)?,
            currency: r.get(13)?,
        })
    });
    rows.and_then(|rows| rows.collect()).map_err(sql)
}

/// A row an import did not take.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    pub line: u64,
    pub reason: String,
    pub raw: String,
}

/// The rejected rows of one import, in file order, at most `limit`.
pub fn rejected_rows(db: &Database, import_id: i64, limit: usize) -> Result<Vec<RejectedRow>, StoreError> {
    let sql = StoreError::sqlite(db.path(), "listing rejected rows");
    let mut stmt = db
        .conn
        .prepare("SELECT line, reason, raw FROM rejected_rows WHERE import_id = ?1 ORDER BY line LIMIT ?2")
        .map_err(StoreError::sqlite(db.path(), "listing rejected rows"))?;
    let rows = stmt.query_map(params![import_id, limit.min(i64::MAX as usize) as i64], |r| {
        Ok(RejectedRow {
            line: r.get::<_, i64>(0)? as u64,
            reason: r.get(1)?,
            raw: r.get(2)?,
        })
    });
    rows.and_then(|rows| rows.collect()).map_err(sql)
}

/// Counts the events of the database (all imports).
pub fn event_count(db: &Database) -> Result<u64, StoreError> {
    db.conn
        .query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0))
        .map(|n| n as u64)
        .map_err(StoreError::sqlite(db.path(), "counting events"))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::store::test_util::temp_dir;
    use crate::store::{ImportOptions, import_csv, write_synthetic_csv};

    fn import(db: &mut Database, path: &std::path::Path) {
        import_csv(
            db,
            path,
            &ImportOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    }

    #[test]
    fn loads_sorted_with_ties_in_file_order() {
        let dir = temp_dir("load");
        let mut db = Database::open(&dir.join("d.sqlite")).unwrap();
        let path = dir.join("e.csv");
        std::fs::write(
            &path,
            "person_id,timestamp,event,channel,cost,revenue\n\
             bob,2024-05-01T10:00:00Z,buy,,,9.5\n\
             ann,2024-05-01T09:00:00Z,visit,search,,\n\
             bob,2024-05-01T08:00:00Z,visit,ads,0.4,\n\
             bob,2024-05-01T10:00:00Z,review,,,\n",
        )
        .unwrap();
        import(&mut db, &path);
        let log = load_events(&db).unwrap();
        assert_eq!(log.people, ["bob", "ann"]);
        let names: Vec<&str> = log
            .event
            .iter()
            .map(|&e| log.event_names[e as usize].as_str())
            .collect();
        assert_eq!(names, ["visit", "buy", "review", "visit"]);
        assert_eq!((0..4).map(|i| log.cost(i)).collect::<Vec<_>>(), [0.4, 0.0, 0.0, 0.0]);
        assert_eq!((0..4).map(|i| log.revenue(i)).collect::<Vec<_>>(), [0.0, 9.5, 0.0, 0.0]);
        assert_eq!(log.channel_name(log.channel[0]), Some("ads"));
        assert_eq!(log.channel[1], crate::analysis::event_log::NO_CHANNEL);
        assert_eq!(load_events(&Database::open_in_memory().unwrap()).unwrap().len(), 0);
    }

    #[test]
    fn property_values_follow_the_log_order() {
        let dir = temp_dir("load-prop");
        let mut db = Database::open(&dir.join("d.sqlite")).unwrap();
        // Each event's `tag` names the event itself, so alignment is checkable.
        let mut csv = String::from("person_id,timestamp,event,utm.source x,tag\n");
        let mut seed = 7u64;
        for i in 0..3000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let person = (seed >> 33) % 97;
            let t = (seed >> 20) % 50;
            let event = ["a", "b", "c"][i % 3];
            let src = if i % 5 == 0 {
                String::new()
            } else {
                format!("s{}", i % 4)
            };
            csv.push_str(&format!("p{person},{t},{event},{src},{person}|{t}|{event}|{src}\n"));
        }
        let path = dir.join("e.csv");
        std::fs::write(&path, csv).unwrap();
        import(&mut db, &path);
        let (log, tags) = load_events_with_property(&db, "tag").unwrap();
        let (log2, src) = load_events_with_property(&db, "utm.source x").unwrap();
        assert_eq!(log, log2);
        assert_eq!(log, load_events(&db).unwrap());
        assert_eq!(tags.keys.len(), log.len());
        for i in 0..log.len() {
            let tag = &tags.values[tags.keys[i] as usize];
            let parts: Vec<&str> = tag.split('|').collect();
            assert_eq!(parts[0], log.people[log.person[i] as usize].trim_start_matches('p'));
            assert_eq!(parts[1].parse::<i64>().unwrap() * 1000, log.time_ms[i]);
            assert_eq!(parts[2], log.event_names[log.event[i] as usize]);
            match src.keys[i] {
                NO_VALUE => assert_eq!(parts[3], ""),
                k => assert_eq!(parts[3], src.values[k as usize]),
            }
        }
        let (_, none) = load_events_with_property(&db, "no such column").unwrap();
        assert!(none.values.is_empty() && none.keys.iter().all(|&k| k == NO_VALUE));

        // For the events already loaded, without loading them again.
        assert_eq!(load_property(&db, &log, "utm.source x").unwrap(), Some(src));
        // Once another import adds events, the loaded ones are not the database's.
        let more = dir.join("more.csv");
        std::fs::write(
            &more,
            "person_id,timestamp,event,tag
p1,99,a,x
",
        )
        .unwrap();
        import(&mut db, &more);
        assert_eq!(load_property(&db, &log, "tag").unwrap(), None);
    }

    #[test]
    fn loads_a_synthetic_file() {
        let dir = temp_dir("load-synth");
        let mut db = Database::open(&dir.join("d.sqlite")).unwrap();
        let path = dir.join("s.csv");
        write_synthetic_csv(&path, 20_000, 3).unwrap();
        import(&mut db, &path);
        let (log, country) = load_events_with_property(&db, "country").unwrap();
        assert_eq!(log.len(), 20_000);
        assert!(country.values.contains(&"VN".to_string()) && country.values.contains(&"PL".to_string()));
        assert!(country.keys.iter().all(|&k| k != NO_VALUE));
        assert!((0..log.len()).map(|i| log.revenue(i)).sum::<f64>() > 0.0);
        for p in 0..log.person_count() {
            let r = log.person_range(p);
            assert!(log.time_ms[r.clone()].windows(2).all(|w| w[0] <= w[1]));
        }
    }
}
