//! The data commands as a user runs them: import a messy export, then ask
//! for the funnel and the paths, and check the numbers by hand.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod cli;

use cli::{journeymap, json};

fn scratch(name: &str) -> PathBuf {
    cli::scratch(&format!("data-{name}"))
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
fn compare_json_puts_money_against_the_funnel_on_the_saas_sample() {
    let dir = scratch("money");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps");
    let csv_path = samples.join("b2b_saas_inbound_events.csv");
    let map_path = samples.join("b2b_saas_inbound.ron");
    let (csv, map) = (csv_path.to_str().unwrap(), map_path.to_str().unwrap());
    let db = dir.join("saas.sqlite");
    let db = db.to_str().unwrap();
    json(&journeymap(&["import", csv, "--db", db, "--json"]));
    let money = json(&journeymap(&["compare", "--map", map, "--db", db, "--json"]))["money"].clone();

    // The sample's cost and revenue columns, summed by hand.
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let number = |s: &str| s.parse::<f64>().unwrap_or(0.0);
    let cost_of = |channel: &str| -> f64 { rows.iter().filter(|r| r[3] == channel).map(|r| number(r[4])).sum() };
    let all_cost: f64 = rows.iter().map(|r| number(r[4])).sum();
    let all_revenue: f64 = rows.iter().map(|r| number(r[5])).sum();
    assert!(
        cost_of("linkedin") > 0.0 && all_revenue > 0.0,
        "the sample has both columns"
    );
    let days: Vec<&str> = rows.iter().map(|r| &r[1][..10]).collect();
    let (first, last) = (days.iter().min().unwrap(), days.iter().max().unwrap());
    assert_eq!(money["range"]["first"], **first);
    assert_eq!(money["range"]["last"], **last);

    let close = |a: &Value, b: f64| (a.as_f64().unwrap() - b).abs() < 1e-6 * b.abs().max(1.0);
    let total = &money["total"];
    assert!(close(&total["imported_cost"], all_cost), "{total}");
    assert!(close(&total["revenue"], all_revenue), "{total}");

    // LinkedIn: its imported clicks plus the carousel budget (March 1st to
    // June 30th, 122 days, of which the data's days from March 2nd cover 121).
    let channel = |name: &str| {
        money["channels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no channel {name}: {money}"))
            .clone()
    };
    assert_eq!(*first, "2026-03-02");
    let linkedin = channel("linkedin");
    assert!(close(&linkedin["imported_cost"], cost_of("linkedin")), "{linkedin}");
    assert!(close(&linkedin["budget"], 12000.0 * 121.0 / 122.0), "{linkedin}");
    let cost = linkedin["cost"].as_f64().unwrap();
    assert!(close(&linkedin["cost"], cost_of("linkedin") + 12000.0 * 121.0 / 122.0));
    assert_eq!(linkedin["cost_source"], "imported cost and budgets on the map");
    let conversions = linkedin["conversions"].as_f64().unwrap();
    assert!(conversions > 0.0 && conversions <= linkedin["people_reached"].as_f64().unwrap());
    assert!(close(&linkedin["cost_per_conversion"], cost / conversions));
    assert!(close(&linkedin["roas"], linkedin["revenue"].as_f64().unwrap() / cost));
    let per_stage = linkedin["cost_per_stage"].as_array().unwrap();
    assert_eq!(per_stage.len(), money["funnel_stages"].as_array().unwrap().len());
    assert_eq!(per_stage.last().unwrap(), &linkedin["cost_per_conversion"]);

    // A channel without cost data: reached and earning, but no cost figures.
    let direct = channel("direct");
    assert!(direct["people_reached"].as_u64().unwrap() > 0);
    for field in ["cost", "cost_source", "cost_per_conversion", "roas"] {
        assert!(direct[field].is_null(), "{field}: {direct}");
    }
    assert!(direct["revenue"].as_f64().unwrap() > 0.0);

    // The expo booth has a budget but no event matchers: nobody is seen
    // meeting it, so it has a cost and no CAC or ROAS, not zeros.
    let booth = money["touchpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Booth at the regional HVAC expo")
        .unwrap();
    assert_eq!(booth["cost"], 14500.0);
    assert_eq!(booth["cost_source"], "budgets on the map");
    assert!(
        booth["cost_per_conversion"].is_null() && booth["roas"].is_null(),
        "{booth}"
    );

    // The text has a short section naming the source of each cost.
    let out = journeymap(&["compare", "--map", map, "--db", db]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("\nMoney (USD, 2026-03-02 to "), "{text}");
    let line = text.lines().find(|l| l.trim_start().starts_with("linkedin ")).unwrap();
    assert!(line.ends_with("imported cost and budgets on the map"), "{line}");
    assert!(line.contains(&format!("{:.2}", cost / conversions)), "{line}");
}

#[test]
fn imports_lists_and_removes_and_reimports_take_only_added_rows() {
    let dir = scratch("imports");
    let db = imported(&dir);
    let csv = dir.join("events.csv");
    let (csv_s, db_s) = (csv.to_str().unwrap(), db.to_str().unwrap());
    // The export grew by two rows: only those come in, and it says so.
    let mut grown = EVENTS.to_owned();
    grown.push_str("fay,2026-03-06T08:00:00Z,visit,ads,,,smb\r\nfay,2026-03-06T09:00:00Z,signup,,,,smb\r\n");
    std::fs::write(&csv, &grown).unwrap();
    let out = journeymap(&["import", csv_s, "--db", db_s]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("events.csv: 2 new rows after the 11 imported before (import 1)"),
        "{text}"
    );

    // A changed row is refused, naming both ways forward.
    std::fs::write(&csv, grown.replace("ann,", "ana,")).unwrap();
    let out = journeymap(&["import", csv_s, "--db", db_s]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("has changed since") && err.contains("--replace") && err.contains("--append"),
        "{err}"
    );
    let out = journeymap(&["import", csv_s, "--db", db_s, "--replace", "--append"]);
    assert_eq!(out.status.code(), Some(2));

    let list = json(&journeymap(&["imports", "--db", db_s, "--json"]));
    let rows: Vec<(i64, u64, u64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_i64().unwrap(),
                i["rows_imported"].as_u64().unwrap(),
                i["rows_rejected"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [(1, 8, 3), (2, 2, 0)]);
    assert_eq!(list[1]["continues_import"], 1);
    assert!(list[0]["content_hash"].as_str().unwrap().starts_with("xxh64:"));
    let table = journeymap(&["imports", "--db", db_s]);
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.lines().next().unwrap().starts_with("id  imported at"), "{table}");
    // Amounts written without a currency: none noted, in JSON and in the table.
    assert!(list[0]["currency"].is_null(), "{list}");
    assert!(table.lines().next().unwrap().contains("  money  hash"), "{table}");
    assert!(table.contains("(rows after import 1)"), "{table}");

    // Taking the first import out leaves fay's two rows.
    let out = journeymap(&["imports", "--db", db_s, "--remove", "1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("removed import 1 (events.csv): 8 events and 3 rejected rows")
    );
    let funnel = json(&journeymap(&[
        "funnel",
        "--db",
        db_s,
        "--steps",
        "visit,signup",
        "--json",
    ]));
    assert_eq!(funnel["people"], 1, "only fay is left: {funnel}");
    assert_eq!(funnel["steps"][1]["reached"], 1, "{funnel}");
    let out = journeymap(&["imports", "--db", db_s, "--remove", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no import 1"));

    // --append keeps both: the changed file in full, beside fay's rows.
    let out = journeymap(&["import", csv_s, "--db", db_s, "--append", "--json"]);
    assert_eq!(json(&out)["imported"], 10);
    assert_eq!(
        json(&journeymap(&["imports", "--db", db_s, "--json"]))
            .as_array()
            .unwrap()
            .len(),
        2
    );
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
