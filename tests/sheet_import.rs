//! Importing what marketers have instead of an event CSV: an Excel workbook
//! with date cells, and a CRM contacts export with one date column per
//! lifecycle stage. Counts, stored money and funnels are checked by hand.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod cli;
mod xlsx;

use cli::{journeymap, json};
use xlsx::{Cell, serial, write_xlsx};

fn scratch(name: &str) -> PathBuf {
    cli::scratch(&format!("sheet-{name}"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn reached(report: &Value) -> Vec<u64> {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_u64().unwrap())
        .collect()
}

/// (events, cost sum, revenue sum) as stored.
fn stored(db: &Path) -> (i64, f64, f64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT count(*), coalesce(sum(cost), 0), coalesce(sum(revenue), 0) FROM events",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

fn event_time(db: &Path, person: &str, event: &str) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let ms: i64 = conn
        .query_row(
            "SELECT ts_ms FROM events WHERE person = ?1 AND event = ?2",
            [person, event],
            |r| r.get(0),
        )
        .unwrap();
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A workbook whose first sheet is events with date cells, a
/// text time, a bad row and a blank row; its second sheet is contacts.
fn workbook(path: &Path) {
    use Cell::*;
    let events = vec![
        vec![
            Text("person_id"),
            Text("timestamp"),
            Text("event"),
            Text("channel"),
            Text("cost"),
            Text("revenue"),
        ],
        vec![
            Text("ann"),
            DateTime(serial(2024, 5, 1, 9, 0)),
            Text("visit"),
            Text("ads"),
            Num(1.25),
            Empty,
        ],
        vec![
            Text("ann"),
            DateTime(serial(2024, 5, 1, 12, 0)),
            Text("signup"),
            Empty,
            Empty,
            Empty,
        ],
        vec![
            Text("ann"),
            Date(serial(2024, 5, 2, 0, 0)),
            Text("buy"),
            Empty,
            Empty,
            Num(1200.5),
        ],
        vec![
            Text("bob"),
            Text("2024-05-01T10:00:00Z"),
            Text("visit"),
            Text("search"),
            Num(0.75),
            Empty,
        ],
        vec![Text("bob"), Text("not a time"), Text("signup"), Empty, Empty, Empty],
        vec![Empty, Empty, Empty, Empty, Empty, Empty],
        vec![
            Text("cid"),
            DateTime(serial(2024, 5, 1, 6, 0)),
            Text("visit"),
            Text("ads"),
            Num(2.0),
            Empty,
        ],
        vec![
            Text("cid"),
            Date(serial(2024, 5, 8, 0, 0)),
            Text("buy"),
            Empty,
            Empty,
            Num(99.0),
        ],
    ];
    let contacts = vec![
        vec![
            Text("Record ID"),
            Text("Became a Lead Date"),
            Text("Became a Customer Date"),
        ],
        vec![
            Num(101.0),
            Date(serial(2024, 4, 1, 0, 0)),
            Date(serial(2024, 4, 9, 0, 0)),
        ],
        vec![Num(102.0), Date(serial(2024, 4, 2, 0, 0)), Empty],
    ];
    write_xlsx(path, &[("Events", events), ("Contacts", contacts)]);
}

#[test]
fn an_xlsx_with_date_cells_imports_like_its_csv() {
    let dir = scratch("xlsx");
    let book = dir.join("report.xlsx");
    workbook(&book);
    let db = dir.join("data.sqlite");
    let summary = json(&journeymap(&[
        "import",
        s(&book),
        "--db",
        s(&db),
        "--tz",
        "Europe/Warsaw",
        "--json",
    ]));
    assert_eq!(summary["sheet"], "Events", "{summary}");
    // ann 3, bob 1 (his signup's time is text that is not a time), cid 2.
    assert_eq!(summary["imported"], 6, "{summary}");
    assert_eq!(summary["rejected"], 1, "{summary}");
    assert_eq!(summary["blank_rows"], 1, "the empty sheet row: {summary}");
    // The bad row is named by its row in the sheet.
    assert_eq!(summary["rejections"][0]["line"], 6, "{summary}");
    assert!(
        summary["rejections"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("'not a time'"),
        "{summary}"
    );
    let (events, cost, revenue) = stored(&db);
    assert_eq!(events, 6);
    assert_eq!(cost, 1.25 + 0.75 + 2.0);
    assert_eq!(revenue, 1200.5 + 99.0);
    // Date cells are wall-clock times in --tz (Warsaw is UTC+2 in May); a
    // text time with Z stays as written.
    assert_eq!(event_time(&db, "ann", "visit"), "2024-05-01 07:00");
    assert_eq!(event_time(&db, "ann", "buy"), "2024-05-01 22:00");
    assert_eq!(event_time(&db, "bob", "visit"), "2024-05-01 10:00");

    let funnel = json(&journeymap(&[
        "funnel",
        "--db",
        s(&db),
        "--steps",
        "visit,signup,buy",
        "--window",
        "30d",
        "--json",
    ]));
    assert_eq!(reached(&funnel), [3, 1, 1], "{funnel}");
    let funnel = json(&journeymap(&[
        "funnel",
        "--db",
        s(&db),
        "--steps",
        "visit,buy",
        "--window",
        "30d",
        "--json",
    ]));
    assert_eq!(reached(&funnel), [3, 2], "{funnel}");

    // The same sheet again is refused; another sheet of the workbook is its own import.
    let again = journeymap(&["import", s(&book), "--db", s(&db)]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--replace"));
    let contacts = json(&journeymap(&[
        "import",
        s(&book),
        "--db",
        s(&db),
        "--sheet",
        "contacts",
        "--tz",
        "Europe/Warsaw",
        "--columns",
        "person=Record ID",
        "--stage-dates",
        "Became a Lead Date=lead,Became a Customer Date=customer",
        "--json",
    ]));
    assert_eq!(contacts["sheet"], "Contacts", "{contacts}");
    assert_eq!(contacts["imported"], 3, "{contacts}");
    assert_eq!(contacts["stage_rows"], 2, "{contacts}");
    assert_eq!(event_time(&db, "101", "customer"), "2024-04-08 22:00");
    // A workbook saved again (here: a byte longer) is a changed file: replaced on request,
    // never taken as rows added.
    workbook(&book);
    std::fs::write(&book, [std::fs::read(&book).unwrap(), b"\0".to_vec()].concat()).unwrap();
    let changed = journeymap(&["import", s(&book), "--db", s(&db)]);
    assert_eq!(changed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&changed.stderr).contains("--append"));
    let replaced = json(&journeymap(&[
        "import",
        s(&book),
        "--db",
        s(&db),
        "--tz",
        "Europe/Warsaw",
        "--replace",
        "--json",
    ]));
    assert_eq!(replaced["replaced_imports"], serde_json::json!([1]), "{replaced}");
    assert_eq!(stored(&db).0, 6 + 3, "the Events sheet once, and the contacts' events");
    let missing = journeymap(&["import", s(&book), "--db", s(&db), "--sheet", "Spend"]);
    assert_eq!(missing.status.code(), Some(1));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("no sheet 'Spend'") && err.contains("'Events', 'Contacts'"),
        "{err}"
    );
}

/// Columns as a HubSpot contacts export names them.
const CONTACTS: &str = "\
Record ID,First Name,Email,Original Source,Create Date,Became a Lead Date,Became a Marketing Qualified Lead Date,Became a Customer Date\n\
1,Ann,ann@example.com,ORGANIC_SEARCH,2024-02-20,2024-03-01 10:00,2024-03-05 11:00,2024-03-20 09:00\n\
2,Bob,bob@example.com,PAID_SEARCH,2024-02-21,2024-03-02,2024-03-03,\n\
3,Cid,cid@example.com,PAID_SEARCH,2024-02-22,2024-03-04,,2024-04-01\n\
4,Dan,dan@example.com,DIRECT_TRAFFIC,2024-02-23,,,\n\
5,Eve,eve@example.com,ORGANIC_SEARCH,2024-02-24,yesterday,2024-03-06,\n\
6,Fay,fay@example.com,EMAIL_MARKETING,2024-02-25,2024-03-10 08:15,2024-03-12,2024-03-15\n\
7,Gus,gus@example.com,PAID_SOCIAL,2024-02-26,2024-03-11,2024-03-18,\n";

#[test]
fn a_crm_contacts_export_unpivots_into_stage_events() {
    let dir = scratch("contacts");
    let csv = dir.join("hubspot-contacts.csv");
    std::fs::write(&csv, CONTACTS).unwrap();
    let db = dir.join("data.sqlite");
    let summary = json(&journeymap(&[
        "import",
        s(&csv),
        "--db",
        s(&db),
        "--columns",
        "person=Record ID,channel=Original Source",
        "--stage-dates",
        "Became a Lead Date=lead,Became a Marketing Qualified Lead Date=mql,Became a Customer Date=customer",
        "--json",
    ]));
    // Ann 3, Bob 2, Cid 2, Dan 0, Fay 3, Gus 2; Eve's unreadable date rejects her row.
    assert_eq!(summary["imported"], 12, "{summary}");
    assert_eq!(summary["stage_rows"], 6, "{summary}");
    assert_eq!(summary["rejected"], 1, "{summary}");
    assert_eq!(summary["rejections"][0]["line"], 6, "{summary}");
    let reason = summary["rejections"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("'yesterday'") && reason.contains("'Became a Lead Date'"),
        "{reason}"
    );
    let props: Vec<&str> = summary["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(props, ["First Name", "Email", "Create Date"]);
    assert_eq!(event_time(&db, "1", "mql"), "2024-03-05 11:00");

    let funnel = |extra: &[&str]| {
        let mut args = vec![
            "funnel",
            "--db",
            s(&db),
            "--steps",
            "lead,mql,customer",
            "--window",
            "90d",
            "--json",
        ];
        args.extend_from_slice(extra);
        json(&journeymap(&args))
    };
    // lead: Ann Bob Cid Fay Gus; mql: Ann Bob Fay Gus; customer after mql: Ann Fay.
    assert_eq!(reached(&funnel(&[])), [5, 4, 2]);
    let by = funnel(&["--by", "channel"]);
    let paid = by["groups"]
        .as_array()
        .unwrap_or_else(|| panic!("{by}"))
        .iter()
        .find(|g| g["key"] == "PAID_SEARCH")
        .unwrap_or_else(|| panic!("{by}"));
    assert_eq!(reached(paid), [2, 1, 0], "{by}");

    let text = journeymap(&[
        "import",
        s(&csv),
        "--db",
        s(&dir.join("other.sqlite")),
        "--columns",
        "person=Record ID",
        "--stage-dates",
        "Became a Won Date=won",
    ]);
    assert_eq!(text.status.code(), Some(1));
    let err = String::from_utf8_lossy(&text.stderr);
    assert!(
        err.contains("'Became a Won Date'") && err.contains("--stage-dates"),
        "{err}"
    );
}

#[test]
fn the_hubspot_preset_reads_a_contacts_export_as_stage_dates() {
    let dir = scratch("contacts-preset");
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, CONTACTS).unwrap();
    let db = dir.join("data.sqlite");
    let summary = json(&journeymap(&[
        "import",
        s(&csv),
        "--db",
        s(&db),
        "--preset",
        "hubspot-contacts",
        "--json",
    ]));
    // As with the columns and stages spelled out: the export's three stages.
    assert_eq!(summary["imported"], 12, "{summary}");
    assert_eq!(summary["stage_rows"], 6, "{summary}");
    assert_eq!(summary["rejected"], 1, "{summary}");
    assert_eq!(event_time(&db, "1", "mql"), "2024-03-05 11:00");
    let funnel = json(&journeymap(&[
        "funnel",
        "--db",
        s(&db),
        "--steps",
        "lead,mql,customer",
        "--window",
        "90d",
        "--json",
    ]));
    assert_eq!(reached(&funnel), [5, 4, 2]);
}

#[test]
fn an_ad_spend_report_imports_from_a_workbook() {
    use Cell::*;
    let dir = scratch("spend");
    let book = dir.join("google-ads.xlsx");
    let rows = vec![
        vec![
            Text("Day"),
            Text("Campaign"),
            Text("Cost"),
            Text("Impressions"),
            Text("Clicks"),
        ],
        vec![
            Date(serial(2026, 3, 2, 0, 0)),
            Text("Brand"),
            Num(1000.5),
            Num(2000.0),
            Num(30.0),
        ],
        vec![
            Date(serial(2026, 3, 3, 0, 0)),
            Text("Brand"),
            Num(99.25),
            Num(800.0),
            Num(12.0),
        ],
    ];
    write_xlsx(&book, &[("Report", rows)]);
    let db = dir.join("d.sqlite");
    let summary = json(&journeymap(&[
        "import-spend",
        s(&book),
        "--db",
        s(&db),
        "--preset",
        "google-ads",
        "--json",
    ]));
    assert_eq!(
        (summary["imported"].as_u64(), summary["rejected"].as_u64()),
        (Some(2), Some(0)),
        "{summary}"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (days, cost): (String, f64) = conn
        .query_row(
            "SELECT group_concat(day, ' '), sum(cost) FROM (SELECT day, cost FROM spend ORDER BY day)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((days.as_str(), cost), ("2026-03-02 2026-03-03", 1099.75));
}
