//! An ad spend report as a user imports it beside the SaaS sample's events,
//! and what it does to the money figures of `compare`.

use std::path::Path;

use serde_json::Value;

mod cli;

use cli::{journeymap, json, scratch};

#[test]
fn a_linkedin_spend_report_replaces_its_imported_cost_and_budget_without_double_counting() {
    let dir = scratch("spend-saas");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps");
    let csv_path = samples.join("b2b_saas_inbound_events.csv");
    let map_path = samples.join("b2b_saas_inbound.ron");
    let (csv, map) = (csv_path.to_str().unwrap(), map_path.to_str().unwrap());
    let db = dir.join("saas.sqlite");
    let db = db.to_str().unwrap();
    json(&journeymap(&["import", csv, "--db", db, "--json"]));
    let before = json(&journeymap(&["compare", "--map", map, "--db", db, "--json"]))["money"].clone();

    // The sample's days and its LinkedIn cost, by hand.
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let number = |s: &str| s.parse::<f64>().unwrap_or(0.0);
    let linkedin_imported: f64 = rows.iter().filter(|r| r[3] == "linkedin").map(|r| number(r[4])).sum();
    let all_imported: f64 = rows.iter().map(|r| number(r[4])).sum();
    let mut days: Vec<&str> = rows.iter().map(|r| &r[1][..10]).collect();
    days.sort();
    days.dedup();
    assert!(linkedin_imported > 0.0 && days.len() > 30);

    // A report of 100 a day for every day of the data, in two campaigns, and
    // a row the import keeps aside.
    let mut report = String::from("Day,Channel,Campaign,Cost,Impressions,Clicks\n");
    for d in &days {
        report.push_str(&format!(
            "{d},LinkedIn,Carousel,60.00,1000,10\n{d},LinkedIn,Retargeting,40.00,500,5\n"
        ));
    }
    report.push_str("someday,LinkedIn,Carousel,1,1,1\n");
    let report_path = dir.join("linkedin.csv");
    std::fs::write(&report_path, &report).unwrap();
    let rp = report_path.to_str().unwrap();
    let summary = json(&journeymap(&["import-spend", rp, "--db", db, "--json"]));
    assert_eq!(summary["imported"], 2 * days.len() as u64);
    assert_eq!(summary["rejected"], 1);
    assert_eq!(summary["rejections"][0]["line"], 2 * days.len() as u64 + 2);
    // Again: refused, nothing added.
    let again = journeymap(&["import-spend", rp, "--db", db]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already imported"));

    let money = json(&journeymap(&["compare", "--map", map, "--db", db, "--json"]))["money"].clone();
    let channel = |m: &Value, name: &str| {
        m["channels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no channel {name}: {m}"))
            .clone()
    };
    let close = |a: &Value, b: f64| (a.as_f64().unwrap() - b).abs() < 1e-6 * b.abs().max(1.0);
    let spend = 100.0 * days.len() as f64;
    let linkedin = channel(&money, "linkedin");
    // The report alone: its imported clicks and the carousel budget are the same money.
    assert!(close(&linkedin["cost"], spend), "{linkedin}");
    assert_eq!(linkedin["cost_source"], "ad spend report");
    assert_eq!(
        (&linkedin["imported_cost"], &linkedin["budget"]),
        (&Value::Null, &Value::Null)
    );
    let conversions = linkedin["conversions"].as_f64().unwrap();
    assert_eq!(linkedin["conversions"], channel(&before, "linkedin")["conversions"]);
    assert!(
        close(&linkedin["cost_per_conversion"], spend / conversions),
        "{linkedin}"
    );
    let budget_before = channel(&before, "linkedin")["budget"].as_f64().unwrap();
    assert!(close(&money["replaced_by_spend"]["imported_cost"], linkedin_imported));
    assert!(close(&money["replaced_by_spend"]["budgets"], budget_before));

    // The total: every other figure as before, LinkedIn's replaced by the report.
    let total = &money["total"];
    assert!(
        close(&total["imported_cost"], all_imported - linkedin_imported),
        "{total}"
    );
    assert!(close(&total["spend"], spend));
    let cost_before = before["total"]["cost"].as_f64().unwrap();
    assert!(close(
        &total["cost"],
        cost_before - linkedin_imported - budget_before + spend
    ));

    // The text report says where the cost came from.
    let out = journeymap(&["compare", "--map", map, "--db", db]);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.trim_start().starts_with("linkedin")).unwrap();
    assert!(line.ends_with("ad spend report"), "{line}");
}

#[test]
fn presets_pick_the_columns_of_a_google_ads_report() {
    let dir = scratch("spend-preset");
    let report = dir.join("google.csv");
    // Google Ads Help, "Download and schedule reports": Day, Campaign, Cost,
    // Impressions, Clicks.
    std::fs::write(
        &report,
        "Day,Campaign,Cost,Impressions,Clicks\n2026-03-02,Brand,\"1,000.50\",\"2,000\",30\n",
    )
    .unwrap();
    let db = dir.join("d.sqlite");
    let args = [
        "import-spend",
        report.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--preset",
        "google-ads",
    ];
    let summary = json(&journeymap(&[&args[..], &["--json"]].concat()));
    assert_eq!(
        (summary["imported"].as_u64(), summary["rejected"].as_u64()),
        (Some(1), Some(0))
    );
    let out = journeymap(&[
        "import",
        report.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--preset",
        "google-ads",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("import-spend"));
}
