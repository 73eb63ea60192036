//! Tests of the stored event log: it loads the same events as the rows, is
//! rebuilt when missing, stale, damaged or from an older version, follows
//! imports and their removal, and survives damaged counts.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::*;
use crate::store::load::rows_log;
use crate::store::test_util::temp_dir;
use crate::store::{Database, ImportOptions, import_csv, list_imports, load_events, load_events_of, remove_import};

const HEADER: &str = "person_id,timestamp,event,channel,cost,revenue,country\n";

fn open(dir: &Path) -> Database {
    let db = Database::open(&dir.join("data.sqlite")).unwrap();
    db.conn.execute_batch("PRAGMA synchronous = OFF").unwrap();
    db
}

fn import(db: &mut Database, dir: &Path, name: &str, csv: &str, options: &ImportOptions) {
    let path = dir.join(name);
    std::fs::write(&path, csv).unwrap();
    import_csv(db, &path, options, &mut |_| {}, &AtomicBool::new(false)).unwrap();
}

/// The events as the rows have them, sorted by the builder.
fn from_rows(db: &Database) -> EventLog {
    let mut log = rows_log(&db.conn, &mut |_| {}).unwrap();
    log.spend = crate::store::load_spend(db).unwrap();
    log
}

fn stored_is_current(db: &Database) -> bool {
    is_current(&db.conn, &source_of(&db.conn).unwrap()).unwrap()
}

/// `n` rows of a few people, with many ties, sometimes no channel, money on some.
fn csv_of(n: usize, seed: u64) -> String {
    let mut out = String::from(HEADER);
    let mut s = seed;
    for i in 0..n {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = s >> 24;
        let channel = ["", "ads", "search", "email"][(r % 4) as usize];
        let cost = if r.is_multiple_of(7) {
            format!("{}.25", r % 50)
        } else {
            String::new()
        };
        let revenue = if r.is_multiple_of(11) { "99.5" } else { "" };
        out.push_str(&format!(
            "p{},{},{},{channel},{cost},{revenue},c{}\n",
            r % 37,
            1_700_000_000 + (r >> 8) % 40,
            ["visit", "signup", "buy", "café ☕"][(r >> 16) as usize % 4],
            i % 3
        ));
    }
    out
}

#[test]
fn the_stored_log_equals_the_rows_and_is_read_instead_of_them() {
    let dir = temp_dir("snap-equal");
    let mut db = open(&dir);
    import(&mut db, &dir, "a.csv", &csv_of(1000, 1), &ImportOptions::default());
    assert!(stored_is_current(&db));
    let log = load_events(&db).unwrap();
    assert_eq!(log.len(), 1000);
    assert_eq!(log, from_rows(&db));
    // Read from the snapshot, not the rows: rows changed behind its back
    // (the source does not see it) do not show.
    db.conn.execute_batch("UPDATE events SET event = 'changed'").unwrap();
    assert_eq!(load_events(&db).unwrap(), log);
    assert!(from_rows(&db).event_id("changed").is_some());
}

/// The stored snapshot, blob by blob.
fn blobs(db: &Database) -> Vec<(i64, i64, i64, Vec<u8>)> {
    let mut stmt = db
        .conn
        .prepare("SELECT stream, chunk, items, data FROM snapshot ORDER BY stream, chunk")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn imports_sorted_in_many_runs_store_what_one_run_in_memory_does() {
    // The second file brings new people (q1..) among the first's, at the
    // same instants as theirs.
    let (a, b) = (csv_of(3000, 21), csv_of(1200, 22).replace("\np1", "\nq1"));
    let in_memory = temp_dir("snap-runs-memory");
    let mut one_run = open(&in_memory);
    let spilling = temp_dir("snap-runs-spilled");
    let mut runs = open(&spilling);
    let stale = temp_dir("snap-runs-stale");
    let mut from_rows_before = open(&stale);

    import(&mut one_run, &in_memory, "a.csv", &a, &ImportOptions::default());
    crate::store::sorter::set_run_len(Some(100));
    import(&mut runs, &spilling, "a.csv", &a, &ImportOptions::default());
    import(&mut from_rows_before, &stale, "a.csv", &a, &ImportOptions::default());
    crate::store::sorter::set_run_len(None);
    assert_eq!(blobs(&runs), blobs(&one_run));
    assert_eq!(load_events(&runs).unwrap(), from_rows(&runs));

    // Added to the stored log, or (snapshot gone) to the rows before.
    from_rows_before
        .conn
        .execute_batch("DELETE FROM snapshot_info")
        .unwrap();
    import(&mut one_run, &in_memory, "b.csv", &b, &ImportOptions::default());
    crate::store::sorter::set_run_len(Some(100));
    import(&mut runs, &spilling, "b.csv", &b, &ImportOptions::default());
    import(&mut from_rows_before, &stale, "b.csv", &b, &ImportOptions::default());
    crate::store::sorter::set_run_len(None);
    let log = load_events(&one_run).unwrap();
    assert_eq!(log.len(), 4200);
    assert!(log.people.iter().any(|p| p.starts_with('q')));
    assert_eq!(log, from_rows(&one_run), "the builder's order and numbering");
    assert_eq!(blobs(&runs), blobs(&one_run));
    assert_eq!(blobs(&from_rows_before), blobs(&one_run));
    assert!(std::fs::read_dir(&spilling).unwrap().all(|f| {
        let name = f.unwrap().file_name();
        name == "data.sqlite" || name.to_string_lossy().ends_with(".csv")
    }));
}

#[test]
fn lean_loads_leave_out_people_and_money_only() {
    let dir = temp_dir("snap-lean");
    let mut db = open(&dir);
    import(&mut db, &dir, "a.csv", &csv_of(500, 2), &ImportOptions::default());
    let all = load_events(&db).unwrap();
    let lean = load_events_of(&db, Parts::SEQUENCES, &mut |_| {}).unwrap();
    assert!(all.has_cost() && all.has_revenue() && !all.people.is_empty());
    assert!(lean.people.is_empty() && !lean.has_cost() && !lean.has_revenue());
    assert_eq!(lean.person_count(), all.person_count());
    assert_eq!(
        (
            &lean.person,
            &lean.time_ms,
            &lean.event,
            &lean.channel,
            &lean.person_start
        ),
        (&all.person, &all.time_ms, &all.event, &all.channel, &all.person_start)
    );
}

#[test]
fn a_missing_snapshot_is_rebuilt_with_progress_and_written_back() {
    let dir = temp_dir("snap-missing");
    let mut db = open(&dir);
    import(&mut db, &dir, "a.csv", &csv_of(800, 3), &ImportOptions::default());
    let want = load_events(&db).unwrap();
    db.conn
        .execute_batch("DELETE FROM snapshot; DELETE FROM snapshot_info")
        .unwrap();
    assert!(!stored_is_current(&db));
    let mut reports = Vec::new();
    let log = load_events_of(&db, Parts::ALL, &mut |r| reports.push(r)).unwrap();
    assert_eq!(log, want);
    assert_eq!(reports.last().map(|r| r.events), Some(800));
    assert!(stored_is_current(&db), "written back");
    let mut again = Vec::new();
    assert_eq!(load_events_of(&db, Parts::ALL, &mut |r| again.push(r)).unwrap(), want);
    assert!(again.is_empty(), "no rebuild the second time");
}

#[test]
fn a_read_only_database_loads_from_its_rows() {
    let dir = temp_dir("snap-readonly");
    let mut db = open(&dir);
    import(&mut db, &dir, "a.csv", &csv_of(300, 4), &ImportOptions::default());
    let want = load_events(&db).unwrap();
    db.conn
        .execute_batch("DELETE FROM snapshot; DELETE FROM snapshot_info")
        .unwrap();
    db.conn.execute_batch("PRAGMA query_only = ON").unwrap();
    assert_eq!(load_events(&db).unwrap(), want);
    assert!(!stored_is_current(&db));
}

#[test]
fn an_older_database_is_migrated_and_its_log_built_once() {
    let dir = temp_dir("snap-old");
    let mut db = open(&dir);
    import(&mut db, &dir, "a.csv", &csv_of(600, 5), &ImportOptions::default());
    let want = load_events(&db).unwrap();
    // What version 3 of the schema left: no snapshot tables, no currencies.
    db.conn
        .execute_batch(
            "DROP TABLE snapshot; DROP TABLE snapshot_info; ALTER TABLE imports DROP COLUMN currency;
             PRAGMA user_version = 3;",
        )
        .unwrap();
    drop(db);
    let mut db = open(&dir);
    assert_eq!(db.schema_version().unwrap(), crate::store::SCHEMA_VERSION);
    assert!(!stored_is_current(&db));
    assert_eq!(load_events(&db).unwrap(), want);
    assert!(stored_is_current(&db));
    // The next import adds to the rebuilt log.
    import(&mut db, &dir, "b.csv", &csv_of(200, 6), &ImportOptions::default());
    assert!(stored_is_current(&db));
    assert_eq!(load_events(&db).unwrap(), from_rows(&db));
}

#[test]
fn imports_add_to_the_log_and_removal_takes_theirs_out() {
    let dir = temp_dir("snap-remove");
    let mut db = open(&dir);
    import(&mut db, &dir, "a.csv", &csv_of(700, 7), &ImportOptions::default());
    import(&mut db, &dir, "b.csv", &csv_of(400, 8), &ImportOptions::default());
    let both = load_events(&db).unwrap();
    assert_eq!(both.len(), 1100);
    assert_eq!(both, from_rows(&db));
    let first = list_imports(&db).unwrap()[0].id;
    remove_import(&mut db, first).unwrap();
    assert!(stored_is_current(&db), "updated in the removal");
    let left = load_events(&db).unwrap();
    assert_eq!(left.len(), 400);
    assert_eq!(left, from_rows(&db));
    // The same as importing b alone.
    let alone = temp_dir("snap-remove-alone");
    let mut other = open(&alone);
    import(&mut other, &alone, "b.csv", &csv_of(400, 8), &ImportOptions::default());
    assert_eq!(load_events(&other).unwrap(), left);
}

#[test]
fn a_replacing_import_rebuilds_from_the_rows_left() {
    let dir = temp_dir("snap-replace");
    let mut db = open(&dir);
    import(&mut db, &dir, "a.csv", &csv_of(300, 9), &ImportOptions::default());
    import(&mut db, &dir, "b.csv", &csv_of(300, 10), &ImportOptions::default());
    let replace = ImportOptions {
        replace: true,
        ..Default::default()
    };
    import(&mut db, &dir, "a.csv", &csv_of(150, 11), &replace);
    assert!(stored_is_current(&db));
    let log = load_events(&db).unwrap();
    assert_eq!(log.len(), 450);
    assert_eq!(log, from_rows(&db));
}

#[test]
fn a_damaged_count_neither_panics_nor_changes_the_answer() {
    let dir = temp_dir("snap-count");
    let mut db = open(&dir);
    import(&mut db, &dir, "a.csv", &csv_of(500, 12), &ImportOptions::default());
    let want = load_events(&db).unwrap();
    db.conn
        .execute_batch("UPDATE imports SET rows_imported = 9e18")
        .unwrap();
    assert_eq!(load_events(&db).unwrap(), want, "rebuilt from the rows");
    db.conn
        .execute_batch("UPDATE snapshot_info SET events = 9000000000000000000, people = -5")
        .unwrap();
    assert_eq!(load_events(&db).unwrap(), want, "a damaged stored count");
    assert_eq!(list_imports(&db).unwrap()[0].rows_imported, 9_000_000_000_000_000_000);
    db.conn.execute_batch("UPDATE imports SET rows_imported = -7").unwrap();
    assert_eq!(load_events(&db).unwrap(), want);
}

/// Ways a snapshot of `csv_of(900, _)` can be damaged.
const DAMAGES: [&str; 10] = [
    "UPDATE snapshot SET data = substr(data, 1, length(data) - 3) WHERE stream = 5 AND chunk = 2",
    "UPDATE snapshot SET data = zeroblob(length(data)) WHERE stream = 6 AND chunk = 0",
    "UPDATE snapshot SET items = items + 1 WHERE stream = 4 AND chunk = 0",
    "UPDATE snapshot SET items = 1 << 40 WHERE stream = 7 AND chunk = 1",
    "DELETE FROM snapshot WHERE stream = 9 AND chunk = 1",
    "UPDATE snapshot SET chunk = 99 WHERE stream = 1 AND chunk = 0",
    "UPDATE snapshot SET data = 'text' WHERE stream = 2",
    "UPDATE snapshot SET stream = 42 WHERE stream = 3",
    "UPDATE snapshot_info SET format = 0",
    // Late: many events were read before.
    "UPDATE snapshot SET data = substr(data, 1, length(data) - 1) WHERE stream = 5 AND chunk = 13",
];

#[test]
fn an_import_adding_to_a_damaged_log_builds_it_from_the_rows() {
    let b = csv_of(300, 16).replace("\np2", "\nr2");
    for damage in DAMAGES {
        let dir = temp_dir("snap-add-damaged");
        let mut db = open(&dir);
        import(&mut db, &dir, "a.csv", &csv_of(900, 13), &ImportOptions::default());
        let mut given = 0;
        let whole = read_events(&db.conn, &mut |_| {}, &mut |_, _, _, _, _, _| {
            given += 1;
            Ok(())
        });
        assert_eq!((whole.unwrap(), given), (Ok(()), 900), "undamaged");
        db.conn.execute_batch(damage).unwrap();
        if stored_is_current(&db) {
            let read = read_events(&db.conn, &mut |_| {}, &mut |_, _, _, _, _, _| Ok(())).unwrap();
            assert!(read.is_err(), "{damage} went unnoticed");
        }
        import(&mut db, &dir, "b.csv", &b, &ImportOptions::default());
        let log = load_events(&db).unwrap();
        assert_eq!(log.len(), 1200, "{damage}");
        assert_eq!(log, from_rows(&db), "{damage}");
    }
}

#[test]
fn damaged_blobs_are_rebuilt_not_trusted() {
    let dir = temp_dir("snap-blob");
    let mut db = open(&dir);
    import(&mut db, &dir, "a.csv", &csv_of(900, 13), &ImportOptions::default());
    let want = load_events(&db).unwrap();
    for damage in DAMAGES {
        db.conn.execute_batch(damage).unwrap();
        assert!(
            !matches!(
                read(&db.conn, &source_of(&db.conn).unwrap(), Parts::ALL).unwrap(),
                Some(Ok(_))
            ),
            "{damage} went unnoticed"
        );
        assert_eq!(load_events(&db).unwrap(), want, "{damage}");
        assert!(
            matches!(
                read(&db.conn, &source_of(&db.conn).unwrap(), Parts::ALL).unwrap(),
                Some(Ok(_))
            ),
            "{damage}: repaired"
        );
    }
}

#[test]
fn a_reader_waits_for_a_writer_to_finish() {
    let dir = temp_dir("snap-busy");
    let mut db = open(&dir);
    import(&mut db, &dir, "a.csv", &csv_of(200, 14), &ImportOptions::default());
    let want = load_events(&db).unwrap();
    drop(db);
    let path: PathBuf = dir.join("data.sqlite");
    let writer = rusqlite::Connection::open(&path).unwrap();
    writer.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let (locked, release) = (std::sync::mpsc::channel::<()>(), std::sync::mpsc::channel::<()>());
    let holder = std::thread::spawn(move || {
        locked.0.send(()).unwrap();
        release.1.recv().unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        writer.execute_batch("COMMIT").unwrap();
    });
    locked.1.recv().unwrap();
    release.0.send(()).unwrap();
    let started = Instant::now();
    let db = Database::open(&path).unwrap();
    let log = load_events(&db).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(1000), "it waited");
    assert_eq!(log, want);
    holder.join().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any log, stored and read back, is the log; loading an import gives
    /// the log the rows give.
    #[test]
    fn round_trips(
        rows in proptest::collection::vec(
            (0u8..20, -3i64..30, 0u8..5, proptest::option::of(0u8..4), prop_oneof![Just(0.0), -5.0f64..5.0], prop_oneof![3 => Just(0.0), 1 => 0.0f64..100.0]),
            0..400,
        ),
        big_times in any::<bool>(),
    ) {
        let mut b = crate::analysis::EventLogBuilder::default();
        for &(p, t, e, c, cost, revenue) in &rows {
            let t = if big_times { t * 1_000_000_007_000 } else { t };
            let channel = c.map(|c| format!("ch{c}"));
            b.push(&format!("person {p}"), t, &format!("e{e}"), channel.as_deref(), cost, revenue);
        }
        let log = b.build();
        let db = Database::open_in_memory().unwrap();
        write(&db.conn, &log, "test").unwrap();
        let back = read(&db.conn, "test", Parts::ALL).unwrap();
        prop_assert_eq!(back, Some(Ok(log.clone())));

        let dir = temp_dir("snap-prop");
        let mut db = open(&dir);
        let mut csv = String::from(HEADER);
        for &(p, t, e, c, cost, revenue) in &rows {
            let channel = c.map_or(String::new(), |c| format!("ch{c}"));
            let money = |v: f64| if v == 0.0 { String::new() } else { format!("{v}") };
            csv.push_str(&format!("person {p},{},e{e},{channel},{},{},x\n", 1_600_000_000 + t, money(cost), money(revenue)));
        }
        import(&mut db, &dir, "p.csv", &csv, &ImportOptions::default());
        prop_assert_eq!(load_events(&db).unwrap(), from_rows(&db));
    }
}
