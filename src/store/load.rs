//! Reading events out of the database into the in-memory `EventLog`, and
//! listing what was imported.
//!
//! One query streams every event into an `EventLogBuilder`; there is no
//! `ORDER BY` (the builder's sort in Rust is much faster than SQLite's).
//! Events come in id order, i.e. import order, so ties (one person, one
//! millisecond) keep their order in the file.

use std::collections::HashMap;

use rusqlite::params;
use serde::Serialize;

use crate::analysis::event_log::{EventLog, EventLogBuilder};

use super::StoreError;
use super::schema::Database;

/// The value number of an event without the property.
pub const NO_VALUE: u32 = u32::MAX;

/// One property's value for each event of an `EventLog`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PropertyColumn {
    pub name: String,
    /// Distinct values, in order of first appearance; index = value number.
    pub values: Vec<String>,
    /// Per event, in the log's (sorted) order: value number or `NO_VALUE`.
    pub keys: Vec<u32>,
}

/// Loads every event.
pub fn load_events(db: &Database) -> Result<EventLog, StoreError> {
    let mut builder = EventLogBuilder::with_capacity(expected_rows(db)?);
    stream_events(db, None, |row| {
        builder.push(row.person, row.ts_ms, row.event, row.channel, row.cost, row.revenue);
    })?;
    let mut log = builder.build();
    log.spend = super::spend::load_spend(db)?;
    Ok(log)
}

/// Loads every event and the value of the extra column `property` for each.
///
/// `EventLogBuilder` sorts by (person number, time), stably, numbering
/// people in order of first appearance. The same numbering and the same
/// stable sort are done here on (person, time, value), so the values end up
/// in the log's order without changing the builder.
pub fn load_events_with_property(db: &Database, property: &str) -> Result<(EventLog, PropertyColumn), StoreError> {
    let n = expected_rows(db)?;
    let mut builder = EventLogBuilder::with_capacity(n);
    let mut people: HashMap<Box<str>, u32> = HashMap::new();
    let mut values: HashMap<Box<str>, u32> = HashMap::new();
    let mut column = PropertyColumn {
        name: property.to_owned(),
        ..Default::default()
    };
    let mut order: Vec<(u32, i64, u32)> = Vec::with_capacity(n);
    stream_events(db, Some(property), |row| {
        builder.push(row.person, row.ts_ms, row.event, row.channel, row.cost, row.revenue);
        let next = people.len() as u32;
        let person = *people.entry(row.person.into()).or_insert(next);
        let key = match row.property {
            None => NO_VALUE,
            Some(v) => match values.get(v) {
                Some(&k) => k,
                None => {
                    let k = column.values.len() as u32;
                    column.values.push(v.to_owned());
                    values.insert(v.into(), k);
                    k
                }
            },
        };
        order.push((person, row.ts_ms, key));
    })?;
    order.sort_by_key(|&(p, t, _)| (p, t));
    column.keys = order.into_iter().map(|(_, _, k)| k).collect();
    let mut log = builder.build();
    log.spend = super::spend::load_spend(db)?;
    Ok((log, column))
}

struct EventRow<'a> {
    person: &'a str,
    ts_ms: i64,
    event: &'a str,
    channel: Option<&'a str>,
    cost: f64,
    revenue: f64,
    property: Option<&'a str>,
}

fn stream_events(db: &Database, property: Option<&str>, mut each: impl FnMut(EventRow)) -> Result<(), StoreError> {
    let sql = StoreError::sqlite(db.path(), "loading events");
    // `->>` with a plain label looks the key up as written (dots, spaces
    // and quotes included) and gives SQL text for our string values.
    let query = if property.is_some() {
        "SELECT person, ts_ms, event, channel, cost, revenue, properties ->> ?1 FROM events"
    } else {
        "SELECT person, ts_ms, event, channel, cost, revenue FROM events"
    };
    let mut stmt = db
        .conn
        .prepare(query)
        .map_err(StoreError::sqlite(db.path(), "loading events"))?;
    let mut rows = match property {
        Some(p) => stmt.query([p]),
        None => stmt.query([]),
    }
    .map_err(StoreError::sqlite(db.path(), "loading events"))?;
    let result = (|| {
        while let Some(r) = rows.next()? {
            let number = |i| -> rusqlite::Result<f64> { Ok(r.get::<_, Option<f64>>(i)?.unwrap_or(0.0)) };
            each(EventRow {
                person: r.get_ref(0)?.as_str()?,
                ts_ms: r.get(1)?,
                event: r.get_ref(2)?.as_str()?,
                channel: text(r, 3)?,
                cost: number(4)?,
                revenue: number(5)?,
                property: if property.is_some() { text(r, 6)? } else { None },
            });
        }
        Ok(())
    })();
    result.map_err(sql)
}

fn text<'r>(r: &'r rusqlite::Row, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(match r.get_ref(i)? {
        rusqlite::types::ValueRef::Null => None,
        v => Some(v.as_str()?),
    })
}

/// The number of events, from the imports table (free, unlike `count(*)`).
fn expected_rows(db: &Database) -> Result<usize, StoreError> {
    db.conn
        .query_row(
            "SELECT coalesce(sum(rows_imported), 0) FROM imports WHERE kind = 'events'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n.max(0) as usize)
        .map_err(StoreError::sqlite(db.path(), "counting events"))
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
}

/// Every import, oldest first.
pub fn list_imports(db: &Database) -> Result<Vec<ImportInfo>, StoreError> {
    let sql = StoreError::sqlite(db.path(), "listing imports");
    let mut stmt = db
        .conn
        .prepare(
            "SELECT id, file_name, file_path, content_hash, size_bytes, started_at, finished_at,
                    rows_imported, rows_rejected, column_mapping, continues_import, rows_before, kind
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
        assert_eq!(log.cost, [0.4, 0.0, 0.0, 0.0]);
        assert_eq!(log.revenue, [0.0, 9.5, 0.0, 0.0]);
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
        assert!(log.revenue.iter().sum::<f64>() > 0.0);
        for p in 0..log.person_count() {
            let r = log.person_range(p);
            assert!(log.time_ms[r.clone()].windows(2).all(|w| w[0] <= w[1]));
        }
    }
}
