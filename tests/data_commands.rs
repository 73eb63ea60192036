//! The data commands as a user runs them: import a messy export, then ask
//! for the funnel and the paths, and check the numbers by hand.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn journeymap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-data-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// Four people. ann: visit, signup, buy within a day. bob: visit, signup.
/// cid: visit, then buys 40 days later (outside a 30-day window). dan:
/// a broken row and a buy without a visit. eve: only a broken row.
const EVENTS: &str = "\u{feff}person_id,timestamp,event,channel,cost,revenue,segment\r\n\
ann,2026-03-01T10:00:00Z,visit,ads,1.5,,smb\r\n\
ann,2026-03-01T11:00:00+01:00,signup,,,,smb\r\n\
ann,2026-03-02T09:00:00Z,buy,,,\"1200.00\",smb\r\n\
eve,2026-03-01T10:00:00Z,visit,ads,\"1,5\",,smb\r\n\
bob,1772359200,visit,search,,,\"enterprise, EU\"\r\n\
bob,2026-03-01 12:30:00,signup,,,,\"enterprise, EU\"\r\n\
cid,2026-03-01T08:00:00Z,visit,ads,2,,smb\r\n\
cid,2026-04-10T08:00:00Z,buy,,,99,smb\r\n\
dan,not a time,visit,,,,smb\r\n\
dan,2026-03-05T08:00:00Z,buy,,,10,smb\r\n\
,2026-03-05T08:00:00Z,visit,,,,smb\r\n";

fn imported(dir: &Path) -> PathBuf {
    let csv = dir.join("events.csv");
    std::fs::write(&csv, EVENTS).unwrap();
    let db = dir.join("data.sqlite");
    let out = journeymap(&["import", csv.to_str().unwrap(), "--db", db.to_str().unwrap(), "--json"]);
    let summary = json(&out);
    assert_eq!(summary["imported"], 8, "{summary}");
    assert_eq!(summary["rejected"], 3, "{summary}");
    db
}

#[test]
fn import_reports_rejected_rows_with_line_numbers() {
    let dir = scratch("import");
    let csv = dir.join("events.csv");
    std::fs::write(&csv, EVENTS).unwrap();
    let db = dir.join("data.sqlite");
    let summary = json(&journeymap(&[
        "import",
        csv.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--json",
    ]));
    let lines: Vec<u64> = summary["rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    // eve's cost "1,5" is not a number; "not a time"; the empty person.
    assert_eq!(lines, [5, 10, 12], "{summary}");
    let reasons: Vec<&str> = summary["rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert!(reasons[0].contains("cost"), "{reasons:?}");
    assert!(reasons[1].contains("time"), "{reasons:?}");
    assert!(reasons[2].contains("person"), "{reasons:?}");

    let again = journeymap(&["import", csv.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--replace"));
}

#[test]
fn strict_import_imports_nothing() {
    let dir = scratch("strict");
    let csv = dir.join("events.csv");
    std::fs::write(&csv, EVENTS).unwrap();
    let db = dir.join("data.sqlite");
    let out = journeymap(&[
        "import",
        csv.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--strict",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let paths = journeymap(&["paths", "--db", db.to_str().unwrap(), "--json"]);
    assert_eq!(json(&paths), Value::Array(vec![]), "nothing was imported");
}

#[test]
fn funnel_counts_people_per_step_within_the_window() {
    let dir = scratch("funnel");
    let db = imported(&dir);
    let out = journeymap(&[
        "funnel",
        "--db",
        db.to_str().unwrap(),
        "--steps",
        "visit,signup|trial,buy",
        "--window",
        "30d",
        "--json",
    ]);
    let report = json(&out);
    assert_eq!(report["people"], 4);
    assert_eq!(report["window_seconds"].as_f64(), Some(30.0 * 86400.0));
    let reached: Vec<u64> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_u64().unwrap())
        .collect();
    // ann, bob and cid visit; ann and bob sign up; only ann buys in time
    // (bob's signup at 12:30 UTC is read in the default zone, UTC).
    assert_eq!(reached, [3, 2, 1]);
    let signup = &report["steps"][1];
    assert_eq!(signup["from_previous"].as_f64(), Some(2.0 / 3.0));
    // ann: 10:00Z -> 10:00Z (11:00+01:00) = 0 s; bob: 10:00Z -> 12:30Z = 9000 s.
    assert_eq!(signup["median_seconds"].as_f64(), Some(4500.0));

    let wider = json(&journeymap(&[
        "funnel",
        "--db",
        db.to_str().unwrap(),
        "--steps",
        "visit,buy",
        "--window",
        "41d",
        "--json",
    ]));
    assert_eq!(
        wider["steps"][1]["reached"], 2,
        "cid's buy on day 40 counts in a 41-day window"
    );
}

#[test]
fn funnel_breaks_down_by_channel_and_property() {
    let dir = scratch("by");
    let db = imported(&dir);
    let by_channel = json(&journeymap(&[
        "funnel",
        "--db",
        db.to_str().unwrap(),
        "--steps",
        "visit,signup",
        "--by",
        "channel",
        "--json",
    ]));
    let groups = by_channel["groups"].as_array().unwrap();
    let ads = groups.iter().find(|g| g["key"] == "ads").unwrap();
    assert_eq!(ads["steps"][0]["reached"], 2);
    assert_eq!(ads["steps"][1]["reached"], 1);
    let by_segment = json(&journeymap(&[
        "funnel",
        "--db",
        db.to_str().unwrap(),
        "--steps",
        "visit,signup",
        "--by",
        "segment",
        "--json",
    ]));
    let keys: Vec<&str> = by_segment["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"enterprise, EU") && keys.contains(&"smb"), "{keys:?}");
}

#[test]
fn paths_are_counted_and_sorted() {
    let dir = scratch("paths");
    let db = imported(&dir);
    let pairs = json(&journeymap(&["paths", "--db", db.to_str().unwrap(), "--json"]));
    let list: Vec<(String, String, u64)> = pairs
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["from"].as_str().unwrap().into(),
                p["to"].as_str().unwrap().into(),
                p["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(list[0], ("visit".into(), "signup".into(), 2));
    assert!(list.contains(&("signup".into(), "buy".into(), 1)));
    assert!(list.contains(&("visit".into(), "buy".into(), 1)));
    assert!(list.windows(2).all(|w| w[0].2 >= w[1].2));
}

fn edge_list(value: &Value) -> Vec<(String, String, u64)> {
    let edge = |p: &Value| {
        (
            p["from"].as_str().unwrap().into(),
            p["to"].as_str().unwrap().into(),
            p["count"].as_u64().unwrap(),
        )
    };
    value.as_array().unwrap().iter().map(edge).collect()
}

#[test]
fn paths_show_where_journeys_start_and_end_and_the_converters_alone() {
    let dir = scratch("paths-ends");
    let db = imported(&dir);
    let db = db.to_str().unwrap();
    let e = |a: &str, b: &str, c: u64| (a.to_owned(), b.to_owned(), c);
    let all = edge_list(&json(&journeymap(&["paths", "--db", db, "--ends", "--json"])));
    // ann: visit signup buy; bob: visit signup; cid: visit buy; dan: buy.
    for want in [
        e("▶ start", "visit", 3),
        e("▶ start", "buy", 1),
        e("buy", "■ end", 3),
        e("signup", "■ end", 1),
    ] {
        assert!(all.contains(&want), "{want:?} in {all:?}");
    }
    let plain = edge_list(&json(&journeymap(&["paths", "--db", db, "--json"])));
    assert!(
        plain.iter().all(|(a, b, _)| a != "▶ start" && b != "■ end"),
        "ends only with --ends"
    );

    let buyers = edge_list(&json(&journeymap(&[
        "paths",
        "--db",
        db,
        "--ends",
        "--converted-by",
        "buy",
        "--json",
    ])));
    assert!(
        buyers.contains(&e("▶ start", "visit", 2)),
        "bob never bought: {buyers:?}"
    );
    assert!(!buyers.contains(&e("signup", "■ end", 1)), "only bob ended at signup");
    assert!(buyers.contains(&e("buy", "■ end", 3)));
    let text = journeymap(&["paths", "--db", db, "--converted-by", "buy"]);
    assert!(String::from_utf8_lossy(&text.stdout).starts_with("Paths of 3 people who did \"buy\":"));

    let unknown = journeymap(&["paths", "--db", db, "--converted-by", "purchase"]);
    assert_eq!(unknown.status.code(), Some(1));
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        err.contains("no event is named \"purchase\"") && err.contains("\"buy\""),
        "{err}"
    );
    let alone = journeymap(&["paths", "--db", db, "--converters-only"]);
    assert_eq!(alone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&alone.stderr).contains("--map MAP.ron"));
}

#[test]
fn a_missing_database_is_a_clear_error() {
    let out = journeymap(&["paths", "--db", "/nonexistent/data.sqlite"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("journeymap import"));
}

fn reached(report: &Value) -> Vec<u64> {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_u64().unwrap())
        .collect()
}

#[test]
fn compare_and_funnel_map_agree_on_the_saas_sample() {
    let dir = scratch("agree");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps");
    let csv = samples.join("b2b_saas_inbound_events.csv");
    let map = samples.join("b2b_saas_inbound.ron");
    let (csv, map) = (csv.to_str().unwrap(), map.to_str().unwrap());
    let db = dir.join("saas.sqlite");
    let db = db.to_str().unwrap();
    json(&journeymap(&["import", csv, "--db", db, "--json"]));
    for window in ["30d", "7d"] {
        let funnel = json(&journeymap(&[
            "funnel", "--db", db, "--map", map, "--window", window, "--json",
        ]));
        let compare = json(&journeymap(&[
            "compare", "--map", map, "--db", db, "--window", window, "--json",
        ]));
        let stages = compare["funnel_stages"].as_array().unwrap();
        let from_compare: Vec<u64> = stages.iter().map(|s| s["people_reached"].as_u64().unwrap()).collect();
        assert_eq!(from_compare, reached(&funnel), "window {window}");
        assert_eq!(stages.len(), 5);
        assert!(from_compare.windows(2).all(|w| w[0] >= w[1]), "{from_compare:?}");

        // Where people entered the funnel: each person once, so the stages
        // below the top add up to the people who entered below it.
        let entered: Vec<u64> = stages
            .iter()
            .map(|s| s["entered_without_earlier"].as_u64().unwrap())
            .collect();
        let below = compare["people_out_of_order"].as_u64().unwrap();
        assert!(below > 0);
        assert_eq!(entered[1..].iter().sum::<u64>(), below, "{entered:?}");
        assert!(entered.iter().sum::<u64>() <= compare["people"].as_u64().unwrap());
    }
    // The text says so too.
    let text = journeymap(&["compare", "--map", map, "--db", db]);
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    let entered_here: Vec<u64> = text
        .lines()
        .filter(|l| l.ends_with("entered here"))
        .map(|l| l.split_whitespace().rev().nth(2).unwrap().parse().unwrap())
        .collect();
    assert_eq!(entered_here.len(), 5, "{text}");
    let below = format!(
        "{} people entered the funnel below the top",
        entered_here[1..].iter().sum::<u64>()
    );
    assert!(text.contains(&below), "{text}");
}

#[test]
fn funnel_options_date_range_exclusion_and_same_property() {
    let dir = scratch("options");
    let db = imported(&dir);
    let db = db.to_str().unwrap();
    let funnel = |extra: &[&str]| {
        let mut args = vec!["funnel", "--db", db, "--window", "41d", "--json"];
        args.extend_from_slice(extra);
        reached(&json(&journeymap(&args)))
    };
    // Days are whole UTC days, both ends included: ann buys on 03-02 at
    // 09:00, dan on 03-05, cid on 04-10.
    assert_eq!(funnel(&["--steps", "buy", "--from", "2026-03-02"]), [3]);
    assert_eq!(funnel(&["--steps", "buy", "--from", "2026-03-03"]), [2]);
    assert_eq!(funnel(&["--steps", "buy", "--to", "2026-03-02"]), [1]);
    assert_eq!(funnel(&["--steps", "visit,buy", "--to", "2026-03-05"]), [3, 1]);
    // ann signed up between her visit and her purchase: with signups
    // excluded she drops out after the visit; cid still buys.
    assert_eq!(funnel(&["--steps", "visit,buy"]), [3, 2]);
    assert_eq!(funnel(&["--steps", "visit,buy", "--exclude", "signup"]), [3, 1]);
    let bad = journeymap(&["funnel", "--db", db, "--steps", "buy", "--from", "March"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--from \"March\""));

    // The same device at every step: pat's visit and purchase were on
    // different devices, quinn's on one, rae's visit had none.
    let csv = dir.join("devices.csv");
    std::fs::write(
        &csv,
        "person_id,timestamp,event,device\n\
         pat,2026-03-01T10:00:00Z,visit,mobile\n\
         pat,2026-03-01T11:00:00Z,buy,desktop\n\
         quinn,2026-03-01T10:00:00Z,visit,mobile\n\
         quinn,2026-03-01T11:00:00Z,buy,mobile\n\
         rae,2026-03-01T10:00:00Z,visit,\n\
         rae,2026-03-01T11:00:00Z,buy,mobile\n",
    )
    .unwrap();
    let devices = dir.join("devices.sqlite");
    let devices = devices.to_str().unwrap();
    json(&journeymap(&[
        "import",
        csv.to_str().unwrap(),
        "--db",
        devices,
        "--json",
    ]));
    let funnel = |extra: &[&str]| {
        let mut args = vec!["funnel", "--db", devices, "--steps", "visit,buy", "--json"];
        args.extend_from_slice(extra);
        json(&journeymap(&args))
    };
    assert_eq!(reached(&funnel(&[])), [3, 3]);
    let same = funnel(&["--same", "device", "--by", "device"]);
    assert_eq!(reached(&same), [2, 1]);
    assert_eq!(same["same"], "device");
    let unknown = journeymap(&["funnel", "--db", devices, "--steps", "visit", "--same", "colour"]);
    assert_eq!(unknown.status.code(), Some(1));
}

#[test]
fn converters_of_a_map_are_the_people_attribution_counts() {
    let dir = scratch("paths-map");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps");
    let db = dir.join("saas.sqlite");
    let csv = samples.join("b2b_saas_inbound_events.csv");
    let map = samples.join("b2b_saas_inbound.ron");
    let (db, csv, map) = (db.to_str().unwrap(), csv.to_str().unwrap(), map.to_str().unwrap());
    assert!(journeymap(&["import", csv, "--db", db]).status.success());
    let started = |args: &[&str]| -> u64 {
        let edges = edge_list(&json(&journeymap(args)));
        edges.iter().filter(|(a, _, _)| a == "▶ start").map(|(_, _, c)| c).sum()
    };
    let everyone = started(&["paths", "--db", db, "--ends", "--json"]);
    let converters = started(&[
        "paths",
        "--db",
        db,
        "--ends",
        "--map",
        map,
        "--converters-only",
        "--json",
    ]);
    let attribution = json(&journeymap(&["attribution", "--db", db, "--map", map, "--json"]));
    assert_eq!(
        Some(converters),
        attribution["conversions"].as_u64(),
        "one conversion per person"
    );
    assert!(0 < converters && converters < everyone, "{converters} of {everyone}");
    let without = journeymap(&["paths", "--db", db, "--map", map]);
    assert_eq!(without.status.code(), Some(2), "--map alone is a usage error");
}
