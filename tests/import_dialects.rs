//! Importing CSV files as spreadsheet programs save them: in local code pages
//! and UTF-16, separated by semicolons or tabs, with decimal commas. Each is
//! written here byte by byte and must import to the events it holds.

mod cli;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use cli::{journeymap, json, scratch};
use journeymap::store::{self, Database, DialectChoice, Encoding, ImportOptions, ImportSummary, StoreError};
use proptest::prelude::*;

fn encode(encoding: Encoding, text: &str) -> Vec<u8> {
    match encoding {
        Encoding::Utf16Le => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        Encoding::Utf16Be => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        Encoding::Utf8 => text.as_bytes().to_vec(),
        legacy => {
            let codec = encoding_rs::Encoding::for_label(legacy.name().as_bytes()).unwrap();
            let (bytes, _, unmappable) = codec.encode(text);
            assert!(!unmappable, "{text:?} cannot be written in {legacy}");
            bytes.into_owned()
        }
    }
}

fn import(db: &Path, file: &Path, dialect: DialectChoice) -> Result<ImportSummary, StoreError> {
    let mut db = Database::open(db).unwrap();
    let options = ImportOptions {
        dialect,
        ..ImportOptions::default()
    };
    store::import_csv(&mut db, file, &options, &mut |_| {}, &AtomicBool::new(false))
}

/// The stored events, as (person, ms, event, channel, cost, revenue, properties).
type Stored = Vec<(
    String,
    i64,
    String,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<String>,
)>;

fn stored(db: &Path) -> Stored {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT person, ts_ms, event, channel, cost, revenue, properties FROM events ORDER BY id")
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
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn funnel(db: &Path, steps: &str) -> Vec<u64> {
    let report = json(&journeymap(&[
        "funnel",
        "--db",
        db.to_str().unwrap(),
        "--steps",
        steps,
        "--json",
    ]));
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_polish_excel_csv_in_windows_1250_with_semicolons_and_decimal_commas() {
    let dir = scratch("cp1250");
    let text = "Klient;Data;Zdarzenie;Kanał;Koszt;Przychód;Miasto\r\n\
                anna.wiśniewska;2024-05-01 09:15;wizyta;wyszukiwarka;12,50;;Łódź\r\n\
                anna.wiśniewska;2024-05-02 10:00;rejestracja;e-mail;;;Łódź\r\n\
                anna.wiśniewska;2024-05-03 11:30;zakup;e-mail;;1 234,50;Łódź\r\n\
                józef.żółć;2024-05-01 12:00;wizyta;reklama;\"3,25\";;Gdańsk\r\n\
                józef.żółć;2024-05-04 08:00;rejestracja;reklama;;;Gdańsk\r\n\
                zbigniew.ślązak;2024-05-05 18:45;wizyta;wyszukiwarka;0,75;;Kraków\r\n";
    let csv = dir.join("eksport.csv");
    std::fs::write(&csv, encode(Encoding::Windows1250, text)).unwrap();
    let db = dir.join("data.sqlite");
    let out = journeymap(&[
        "import",
        csv.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--columns",
        "person=Klient,time=Data,event=Zdarzenie,channel=Kanał,cost=Koszt,revenue=Przychód",
        "--tz",
        "Europe/Warsaw",
        "--json",
    ]);
    let summary = json(&out);
    assert_eq!(summary["imported"], 6);
    assert_eq!(summary["rejected"], 0);
    assert_eq!(summary["dialect"]["encoding"], "windows-1250");
    assert_eq!(summary["dialect"]["delimiter"], ";");
    assert_eq!(summary["dialect"]["decimal_comma"], true);
    assert_eq!(summary["properties"], serde_json::json!(["Miasto"]));

    let events = stored(&db);
    assert_eq!(events[0].0, "anna.wiśniewska");
    assert_eq!(events[3].0, "józef.żółć");
    assert_eq!(events[0].3.as_deref(), Some("wyszukiwarka"));
    assert_eq!(events[0].6.as_deref(), Some(r#"{"Miasto":"Łódź"}"#));
    assert_eq!(events[5].6.as_deref(), Some(r#"{"Miasto":"Kraków"}"#));
    let cost: f64 = events.iter().filter_map(|e| e.4).sum();
    let revenue: f64 = events.iter().filter_map(|e| e.5).sum();
    assert_eq!(cost, 12.5 + 3.25 + 0.75);
    assert_eq!(revenue, 1234.5);
    // 09:15 in Warsaw (summer time) is 07:15 UTC.
    assert_eq!(events[0].1, 1_714_547_700_000);
    assert_eq!(funnel(&db, "wizyta,rejestracja,zakup"), [3, 2, 1]);

    // The text summary says how the file was read.
    let again = journeymap(&[
        "import",
        csv.to_str().unwrap(),
        "--db",
        dir.join("other.sqlite").to_str().unwrap(),
        "--columns",
        "person=Klient,time=Data,event=Zdarzenie,channel=Kanał,cost=Koszt,revenue=Przychód",
    ]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.contains("read as windows-1250, semicolon-separated, decimal commas"),
        "{stdout}"
    );
}

#[test]
fn a_windows_1250_spend_report_and_contacts_file_with_semicolons_and_decimal_commas() {
    let dir = scratch("cp1250-spend-contacts");
    let db = dir.join("data.sqlite");
    let db = db.to_str().unwrap();

    // An ad spend report as a Polish Excel saves it.
    let report = "Dzień;Kanał;Kampania;Koszt;Wyświetlenia;Kliknięcia\r\n\
                  2024-05-01;Wyszukiwarka;Żółta jesień;1 234,50;12 000;310\r\n\
                  2024-05-01;Wyszukiwarka;Łódź lokalnie;65,25;900;12\r\n\
                  2024-05-02;Reklama;Gdańsk;0,75;10;1\r\n";
    let path = dir.join("wydatki.csv");
    std::fs::write(&path, encode(Encoding::Windows1250, report)).unwrap();
    let summary = json(&journeymap(&[
        "import-spend",
        path.to_str().unwrap(),
        "--db",
        db,
        "--columns",
        "day=Dzień,channel=Kanał,campaign=Kampania,cost=Koszt,impressions=Wyświetlenia,clicks=Kliknięcia",
        "--json",
    ]));
    assert_eq!(summary["imported"], 3, "{summary}");
    assert_eq!(summary["rejected"], 0, "{summary}");
    assert_eq!(summary["dialect"]["encoding"], "windows-1250");
    assert_eq!(summary["dialect"]["delimiter"], ";");
    assert_eq!(summary["dialect"]["decimal_comma"], true);
    let conn = rusqlite::Connection::open(db).unwrap();
    let spend: Vec<(String, String, f64, i64)> = conn
        .prepare("SELECT channel, campaign, cost, impressions FROM spend ORDER BY line")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        spend,
        [
            ("Wyszukiwarka".to_owned(), "Żółta jesień".to_owned(), 1234.5, 12000),
            ("Wyszukiwarka".to_owned(), "Łódź lokalnie".to_owned(), 65.25, 900),
            ("Reklama".to_owned(), "Gdańsk".to_owned(), 0.75, 10),
        ]
    );

    // A CRM contacts export: one row per person, a date column per stage.
    let contacts = "Identyfikator;Źródło;Data leada;Data klienta;Wartość\r\n\
                    p1;Wyszukiwarka;2024-05-01;2024-05-09;1 500,00\r\n\
                    p2;Reklama;2024-05-02;;\r\n\
                    p3;Wyszukiwarka;;;\r\n";
    let path = dir.join("kontakty.csv");
    std::fs::write(&path, encode(Encoding::Windows1250, contacts)).unwrap();
    let summary = json(&journeymap(&[
        "import",
        path.to_str().unwrap(),
        "--db",
        db,
        "--columns",
        "person=Identyfikator,channel=Źródło,revenue=Wartość",
        "--stage-dates",
        "Data leada=lead,Data klienta=klient",
        "--json",
    ]));
    assert_eq!(summary["imported"], 3, "{summary}");
    assert_eq!(summary["stage_rows"], 3, "{summary}");
    assert_eq!(summary["dialect"]["encoding"], "windows-1250");
    let events = stored(Path::new(db));
    let channels: Vec<(&str, &str, Option<&str>)> = events
        .iter()
        .map(|e| (e.0.as_str(), e.2.as_str(), e.3.as_deref()))
        .collect();
    assert_eq!(
        channels,
        [
            ("p1", "lead", Some("Wyszukiwarka")),
            ("p1", "klient", Some("Wyszukiwarka")),
            ("p2", "lead", Some("Reklama")),
        ]
    );
    assert!(events.iter().any(|e| e.5 == Some(1500.0)), "{events:?}");
    assert_eq!(funnel(Path::new(db), "lead,klient"), [2, 1]);
}

#[test]
fn an_excel_unicode_text_export_in_utf16_with_tabs() {
    let dir = scratch("utf16");
    let text = "person_id\ttimestamp\tevent\tchannel\tcost\trevenue\tcity\r\n\
                u1\t2024-05-01T10:00:00Z\tvisit\tads\t2.5\t\tHà Nội\r\n\
                u1\t2024-05-02T10:00:00Z\tsignup\tads\t\t\tHà Nội\r\n\
                u2\t2024-05-01T11:00:00Z\tvisit\t\"search\tbrand\"\t1.25\t\tMünchen\r\n\
                u2\t2024-05-03T11:00:00Z\tbuy\tsearch\t\t99.9\t東京\r\n";
    for (name, encoding) in [("le.txt", Encoding::Utf16Le), ("be.txt", Encoding::Utf16Be)] {
        let file = dir.join(name);
        let db = dir.join(format!("{name}.sqlite"));
        std::fs::write(&file, encode(encoding, text)).unwrap();
        let out = journeymap(&["import", file.to_str().unwrap(), "--db", db.to_str().unwrap(), "--json"]);
        let summary = json(&out);
        assert_eq!(summary["imported"], 4, "{name}");
        assert_eq!(summary["dialect"]["encoding"], encoding.name());
        assert_eq!(summary["dialect"]["delimiter"], "\t");
        assert_eq!(summary["dialect"]["decimal_comma"], false);
        let events = stored(&db);
        assert_eq!(events.len(), 4);
        assert_eq!(events[0].6.as_deref(), Some(r#"{"city":"Hà Nội"}"#));
        assert_eq!(events[2].3.as_deref(), Some("search\tbrand"));
        assert_eq!(events[3].6.as_deref(), Some(r#"{"city":"東京"}"#));
        assert_eq!(events.iter().filter_map(|e| e.4).sum::<f64>(), 3.75);
        assert_eq!(events.iter().filter_map(|e| e.5).sum::<f64>(), 99.9);
        assert_eq!(funnel(&db, "visit,signup|buy"), [2, 2]);
    }
}

#[test]
fn forced_options_override_detection() {
    let dir = scratch("forced");
    let file = dir.join("e.csv");
    let text = "person_id;timestamp;event;cost\nSeñor;2024-05-01;visit;1,5\nNoël;2024-05-02;visit;2\n";
    std::fs::write(&file, encode(Encoding::Windows1252, text)).unwrap();
    let run = |name: &str, choice: DialectChoice| {
        let db = dir.join(name);
        (import(&db, &file, choice), db)
    };
    let (s, db) = run("auto.sqlite", DialectChoice::default());
    let d = s.unwrap().dialect;
    assert_eq!(
        (d.encoding, d.delimiter, d.decimal_comma),
        (Encoding::Windows1252, b';', true)
    );
    assert_eq!((stored(&db)[0].0.as_str(), stored(&db)[0].4), ("Señor", Some(1.5)));

    // 0xF1 is ń in ISO-8859-2.
    let latin2 = DialectChoice {
        encoding: Some(Encoding::Iso8859_2),
        ..DialectChoice::default()
    };
    let (s, db) = run("latin2.sqlite", latin2);
    assert_eq!(s.unwrap().dialect.encoding, Encoding::Iso8859_2);
    assert_eq!(stored(&db)[0].0, "Seńor");

    let point = DialectChoice {
        decimal_comma: Some(false),
        ..DialectChoice::default()
    };
    let (s, _) = run("point.sqlite", point);
    let s = s.unwrap();
    assert_eq!((s.imported, s.rejected), (1, 1));
    assert!(s.rejections[0].reason.contains("'1,5'"), "{:?}", s.rejections);

    let comma = DialectChoice {
        delimiter: Some(b','),
        ..DialectChoice::default()
    };
    let (err, _) = run("comma.sqlite", comma);
    assert!(
        err.unwrap_err()
            .to_string()
            .contains("the columns are: 'person_id;timestamp;event;cost'"),
        "one column when split at commas"
    );

    let out = journeymap(&[
        "import",
        file.to_str().unwrap(),
        "--db",
        dir.join("cli.sqlite").to_str().unwrap(),
        "--encoding",
        "latin2",
        "--delimiter",
        ";",
        "--decimal-point",
        "--json",
    ]);
    let summary = json(&out);
    assert_eq!(summary["dialect"]["encoding"], "iso-8859-2");
    assert_eq!(summary["dialect"]["decimal_comma"], false);
    assert_eq!(
        (summary["imported"].as_u64(), summary["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    let bad = journeymap(&["import", "x.csv", "--db", "d", "--encoding", "ebcdic"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("the encodings are utf-8"));
}

#[test]
fn an_ambiguous_code_page_is_refused_with_the_candidates() {
    let dir = scratch("ambiguous");
    // "très" in Windows-1252 is "trčs" in Windows-1250: both plausible.
    let file = dir.join("e.csv");
    std::fs::write(&file, b"person_id,timestamp,event\ntr\xE8s,2024-05-01,visit\n").unwrap();
    let db = dir.join("d.sqlite");
    let out = journeymap(&["import", file.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("e.csv: the file is not UTF-8"), "{err}");
    assert!(
        err.contains("windows-1252: très") && err.contains("windows-1250: trčs"),
        "{err}"
    );
    assert!(
        err.contains("--encoding") && err.contains("nothing was imported"),
        "{err}"
    );
    assert!(stored(&db).is_empty());
    let json_out = json(&journeymap(&[
        "import",
        file.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--encoding",
        "windows-1252",
        "--json",
    ]));
    assert_eq!(json_out["imported"], 1);
    assert_eq!(stored(&db)[0].0, "très");
}

#[test]
fn a_decoded_export_with_rows_added_imports_only_the_new_rows() {
    let dir = scratch("continue");
    let file = dir.join("e.csv");
    let head = "person_id;timestamp;event;cost\nŁucja;2024-05-01;wizyta;1,50\nŚwiętosław;2024-05-01;wizyta;2,00\n";
    std::fs::write(&file, encode(Encoding::Windows1250, head)).unwrap();
    let db = dir.join("d.sqlite");
    assert_eq!(import(&db, &file, DialectChoice::default()).unwrap().imported, 2);
    let more = format!("{head}Żaneta;2024-05-02;zakup;3,25\n");
    std::fs::write(&file, encode(Encoding::Windows1250, &more)).unwrap();
    let s = import(&db, &file, DialectChoice::default()).unwrap();
    assert_eq!((s.imported, s.rows_before), (1, 2));
    let events = stored(&db);
    assert_eq!(events.len(), 3);
    assert_eq!((events[2].0.as_str(), events[2].4), ("Żaneta", Some(3.25)));
}

/// Words as each code page writes them (Windows-1258 with its combining tones).
fn words(encoding: Encoding) -> Vec<&'static str> {
    let polish = [
        "Łódź",
        "Kraków",
        "Gdańsk",
        "zażółć",
        "gęślą",
        "jaźń",
        "świat",
        "Żółw",
        "miłość",
        "pięść",
    ];
    let western = [
        "Besançon",
        "crème",
        "brûlée",
        "Köln",
        "Straße",
        "señor",
        "Logroño",
        "Orléans",
        "naïve",
        "Noël",
    ];
    let viet = [
        "Hà",
        "Nô\u{323}i",
        "Đà",
        "Nă\u{303}ng",
        "Hô\u{300}",
        "Chí",
        "Minh",
        "Cơ\u{300}n",
        "Thơ",
        "Huê\u{301}",
    ];
    let ascii = ["north", "lead", "ads", "o'brien", "a;b", "x,y", "say \"hi\"", "p|q"];
    let mut out: Vec<&'static str> = ascii.to_vec();
    match encoding {
        Encoding::Windows1250 | Encoding::Iso8859_2 => out.extend(polish),
        Encoding::Windows1252 => out.extend(western),
        Encoding::Windows1258 => out.extend(viet),
        _ => out.extend(polish.iter().chain(&western).chain(&viet).chain(&["東京", "🙂"])),
    }
    out
}

#[derive(Clone, Debug)]
struct Row {
    person: String,
    day: u32,
    minute: u32,
    event: String,
    channel: String,
    cost_cents: Option<u32>,
    city: String,
}

fn text(encoding: Encoding) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(words(encoding)), 1..3).prop_map(|w| w.join(" "))
}

fn table(encoding: Encoding) -> impl Strategy<Value = Vec<Row>> {
    let row = (
        text(encoding),
        1..28u32,
        0..1440u32,
        text(encoding),
        prop::option::of(text(encoding)),
        prop::option::of(0..2_000_000u32),
        text(encoding),
    )
        .prop_map(|(person, day, minute, event, channel, cost_cents, city)| Row {
            person,
            day,
            minute,
            event,
            channel: channel.unwrap_or_default(),
            cost_cents,
            city,
        });
    prop::collection::vec(row, 1..25)
}

/// The table as CSV text with `delimiter`, costs written with a decimal
/// comma (and a space between thousands) or point.
fn csv_text(rows: &[Row], delimiter: u8, decimal_comma: bool) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(["person_id", "timestamp", "event", "channel", "cost", "city"])
        .unwrap();
    for r in rows {
        let cost = r.cost_cents.map_or(String::new(), |c| {
            let units = c / 100;
            let whole = if decimal_comma && units >= 1000 {
                format!("{} {:03}", units / 1000, units % 1000)
            } else {
                units.to_string()
            };
            format!("{whole}{}{:02}", if decimal_comma { ',' } else { '.' }, c % 100)
        });
        let ts = format!("2024-05-{:02} {:02}:{:02}", r.day, r.minute / 60, r.minute % 60);
        w.write_record([&r.person, &ts, &r.event, &r.channel, &cost, &r.city])
            .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn case() -> impl Strategy<Value = (Encoding, bool, u8, bool, Vec<Row>)> {
    (
        prop::sample::select(Encoding::ALL.to_vec()),
        any::<bool>(),
        prop::sample::select(vec![b',', b';', b'\t', b'|']),
        any::<bool>(),
    )
        .prop_flat_map(|(encoding, bom, delimiter, comma)| {
            (
                Just(encoding),
                Just(bom),
                Just(delimiter),
                Just(comma && delimiter != b','),
                table(encoding),
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// A table written in any dialect and encoding imports to the events of
    /// its plain UTF-8 comma version; a code page that detection cannot
    /// tell is refused (naming a reading that is the right one), never
    /// guessed wrong, and imports right when named.
    #[test]
    fn every_dialect_imports_the_same_events((encoding, bom, delimiter, comma, rows) in case()) {
        let dir = scratch("dialects");
        let plain = dir.join("plain.csv");
        std::fs::write(&plain, csv_text(&rows, b',', false)).unwrap();
        let expected_db = dir.join("plain.sqlite");
        import(&expected_db, &plain, DialectChoice::default()).unwrap();
        let expected = stored(&expected_db);
        prop_assert_eq!(expected.len(), rows.len());

        let text = csv_text(&rows, delimiter, comma);
        let mut bytes = encode(encoding, &text);
        if bom && encoding == Encoding::Utf8 {
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
        }
        let file = dir.join("dialect.csv");
        std::fs::write(&file, &bytes).unwrap();
        let db: PathBuf = dir.join("dialect.sqlite");
        match import(&db, &file, DialectChoice::default()) {
            Ok(s) => {
                prop_assert_eq!(s.dialect.delimiter, delimiter);
                prop_assert_eq!(stored(&db), expected.clone(), "{} read as {:?}", encoding, s.dialect);
            }
            Err(StoreError::AmbiguousEncoding { candidates, .. }) => {
                let right = |e: Encoding| {
                    let codec = encoding_rs::Encoding::for_label(e.name().as_bytes()).unwrap();
                    codec.decode_without_bom_handling(&bytes).0 == text
                };
                prop_assert!(candidates.iter().any(|c| right(c.encoding)), "{:?}", candidates);
                let forced = DialectChoice { encoding: Some(encoding), ..DialectChoice::default() };
                import(&db, &file, forced).unwrap();
                prop_assert_eq!(stored(&db), expected);
            }
            Err(other) => prop_assert!(false, "{}", other),
        }
    }
}
