//! Reports as the platforms' download buttons write them: title lines above
//! the header, money with currency symbols and codes, spreadsheets with a
//! sheet to choose. Counts, stored money and line numbers are checked by
//! hand.

use std::path::Path;

mod cli;
mod xlsx;

use cli::{journeymap, json, scratch};
use xlsx::{Cell, serial, write_xlsx};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// (rows, cost sum) of the spend table, or (events, cost + revenue) of the events.
fn sums(db: &Path, sql: &str) -> (i64, f64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap()
}

/// A Google Ads campaign report downloaded as CSV from the Google Ads UI:
/// the report's name and date range come before the header (Google Ads
/// Help, "Download your reports"; columns as in "Campaign report" with
/// segment Day).
const GOOGLE_ADS: &str = "Campaign report
\"May 1, 2024 - May 3, 2024\"
Day,Campaign,Currency code,Cost,Impr.,Clicks
2024-05-01,Brand,USD,\"$1,234.50\",\"10,000\",120
2024-05-01,Generic,USD,$15.50,900,10
2024-05-02,Brand,USD,$7.25,800,9
2024-05-03,Brand,USD,--,0,0
Total: Account,,,\"$1,257.25\",\"11,700\",139
";

#[test]
fn a_google_ads_download_with_title_lines_imports_with_its_preset() {
    let dir = scratch("download-google");
    let (csv, db) = (dir.join("Campaign report.csv"), dir.join("ads.sqlite"));
    std::fs::write(&csv, GOOGLE_ADS).unwrap();
    let summary = json(&journeymap(&[
        "import-spend",
        s(&csv),
        "--db",
        s(&db),
        "--preset",
        "google-ads",
        "--json",
    ]));
    assert_eq!(summary["skipped_lines"], 2);
    assert_eq!(summary["imported"], 4);
    assert_eq!(summary["currency"], "USD");
    // The closing total row is not a day's spend: left out, neither counted nor rejected.
    assert_eq!(summary["rejected"], 0);
    assert_eq!(summary["blank_rows"], 1);
    let (rows, cost) = sums(&db, "SELECT count(*), sum(cost) FROM spend WHERE channel = 'google'");
    assert_eq!(rows, 4);
    assert!((cost - 1257.25).abs() < 1e-9, "{cost}");

    // The text summary says what was skipped and the currency.
    let again = journeymap(&[
        "import-spend",
        s(&csv),
        "--db",
        s(&db),
        "--preset",
        "google-ads",
        "--replace",
    ]);
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(text.contains("skipped 2 lines before the header"), "{text}");
    assert!(text.contains("amounts in USD"), "{text}");
}

#[test]
fn skip_lines_forces_where_the_header_is() {
    let dir = scratch("download-skip");
    let (csv, db) = (dir.join("events.csv"), dir.join("e.sqlite"));
    // Where the header is can be said as well as found.
    std::fs::write(
        &csv,
        "Events,export\n\nperson_id,timestamp,event,cost\na,2024-05-01,visit,1.5\nb,2024-05-01,visit,oops\n",
    )
    .unwrap();
    let summary = json(&journeymap(&[
        "import",
        s(&csv),
        "--db",
        s(&db),
        "--skip-lines",
        "2",
        "--json",
    ]));
    assert_eq!(
        (&summary["imported"], &summary["skipped_lines"]),
        (&1.into(), &2.into())
    );
    assert_eq!(summary["rejections"][0]["line"], 5);
    assert_eq!(sums(&db, "SELECT count(*), sum(cost) FROM events"), (1, 1.5));

    let bad = journeymap(&["import", s(&csv), "--db", s(&db), "--skip-lines", "many"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--skip-lines 'many'"));
}

#[test]
fn polish_money_and_a_file_of_two_currencies() {
    let dir = scratch("download-money");
    let db = dir.join("m.sqlite");
    let pl = dir.join("zamowienia.csv");
    std::fs::write(
        &pl,
        "Klient;Data;Zdarzenie;Koszt;Przychód\n\
         anna;2024-05-01;wizyta;12,50 zł;\n\
         anna;2024-05-02;zakup;;1 234,50 PLN\n\
         jan;2024-05-02;zakup;;\"1.000,00 zł\"\n",
    )
    .unwrap();
    let summary = json(&journeymap(&[
        "import",
        s(&pl),
        "--db",
        s(&db),
        "--columns",
        "person=Klient,time=Data,event=Zdarzenie,cost=Koszt,revenue=Przychód",
        "--json",
    ]));
    assert_eq!((&summary["imported"], &summary["currency"]), (&3.into(), &"PLN".into()));
    assert_eq!(summary["dialect"]["decimal_comma"], true);
    let (n, money) = sums(
        &db,
        "SELECT count(*), sum(coalesce(cost, 0) + coalesce(revenue, 0)) FROM events",
    );
    assert_eq!(n, 3);
    assert!((money - 2247.0).abs() < 1e-9, "{money}");

    let mixed = dir.join("mixed.csv");
    std::fs::write(
        &mixed,
        "person_id,timestamp,event,cost\na,2024-05-01,visit,€3.20\nb,2024-05-01,visit,3.10\nc,2024-05-01,visit,$4.00\n",
    )
    .unwrap();
    // Into the złoty database: euros are refused at once, by the line.
    let out = journeymap(&["import", s(&mixed), "--db", s(&db)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("mixed.csv line 2: an amount in EUR, but the money already in the database is in PLN")
            && err.contains("(import 1, zamowienia.csv)")
            && err.contains("nothing was imported"),
        "{err}"
    );
    assert_eq!(sums(&db, "SELECT count(*), 0.0 FROM events").0, 3);
    // Into a database of its own: refused for its own two currencies.
    let other = dir.join("other.sqlite");
    let out = journeymap(&["import", s(&mixed), "--db", s(&other)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("mixed.csv line 4: an amount in USD, but the amounts before it are in EUR (from line 2)")
            && err.contains("does not convert currencies")
            && err.contains("nothing was imported"),
        "{err}"
    );
    assert_eq!(sums(&other, "SELECT count(*), 0.0 FROM events").0, 0);
}

#[test]
fn import_spend_reads_the_sheet_asked_for_past_its_title_rows() {
    let dir = scratch("download-sheet");
    let (book, db) = (dir.join("Meta report.xlsx"), dir.join("meta.sqlite"));
    let day = |d: u32| Cell::Date(serial(2024, 5, d, 0, 0));
    write_xlsx(
        &book,
        &[
            ("Summary", vec![vec![Cell::Text("Nothing here")]]),
            (
                "Daily",
                vec![
                    vec![Cell::Text("Acme Ads – daily campaigns")],
                    vec![Cell::Empty],
                    vec![
                        Cell::Text("Reporting starts"),
                        Cell::Text("Campaign name"),
                        Cell::Text("Amount spent (EUR)"),
                        Cell::Text("Impressions"),
                        Cell::Text("Link clicks"),
                    ],
                    vec![
                        day(1),
                        Cell::Text("Spring"),
                        Cell::Num(20.5),
                        Cell::Num(1000.0),
                        Cell::Num(30.0),
                    ],
                    vec![
                        day(2),
                        Cell::Text("Spring"),
                        Cell::Text("€19,50"),
                        Cell::Num(900.0),
                        Cell::Num(25.0),
                    ],
                    vec![
                        Cell::Text("soon"),
                        Cell::Text("Spring"),
                        Cell::Num(1.0),
                        Cell::Num(1.0),
                        Cell::Num(1.0),
                    ],
                ],
            ),
        ],
    );
    let summary = json(&journeymap(&[
        "import-spend",
        s(&book),
        "--db",
        s(&db),
        "--sheet",
        "Daily",
        "--preset",
        "meta-ads",
        "--decimal-comma",
        "--json",
    ]));
    assert_eq!(summary["sheet"], "Daily");
    assert_eq!(
        (&summary["imported"], &summary["skipped_lines"]),
        (&2.into(), &2.into())
    );
    assert_eq!(summary["rejections"][0]["line"], 6, "the sheet's own row number");
    let (rows, cost) = sums(&db, "SELECT count(*), sum(cost) FROM spend WHERE channel = 'facebook'");
    assert_eq!(rows, 2);
    assert!((cost - 40.0).abs() < 1e-9, "{cost}");

    let missing = journeymap(&["import-spend", s(&book), "--db", s(&db), "--sheet", "Weekly"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no sheet 'Weekly'"));
}
