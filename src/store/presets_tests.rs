//! Each preset's file is written from the product's public documentation of
//! its export columns, named above the file.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use super::*;
use crate::store::test_util::temp_dir;
use crate::store::{Database, ImportOptions, ImportSummary, import_csv, import_spend, load_events, load_spend};

fn header_of(text: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    rdr.records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect()
}

fn setup(name: &str, text: &str) -> (Database, PathBuf, Vec<String>) {
    let dir = temp_dir(name);
    let path = dir.join(format!("{name}.csv"));
    std::fs::write(&path, text).unwrap();
    (Database::open(&dir.join("d.sqlite")).unwrap(), path, header_of(text))
}

fn import_events(name: &str, text: &str) -> (Database, ImportSummary) {
    let (mut db, path, header) = setup(name, text);
    let p = suggest_preset(&header).expect("recognised from the header");
    assert_eq!(p.name, name);
    let options = ImportOptions {
        columns: preset(name).unwrap().event_mapping(&header, &path).unwrap(),
        ..ImportOptions::default()
    };
    let s = import_csv(&mut db, &path, &options, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    (db, s)
}

fn import_report(name: &str, text: &str) -> (Database, ImportSummary) {
    let (mut db, path, header) = setup(name, text);
    assert_eq!(suggest_preset(&header).map(|p| p.name), Some(name));
    let mapping = preset(name).unwrap().spend_mapping(&header, &path).unwrap();
    let s = import_spend(
        &mut db,
        &path,
        &mapping,
        &ImportOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    (db, s)
}

/// "[GA4] BigQuery Export schema", Google Analytics Help,
/// https://support.google.com/analytics/answer/7029846 — `event_timestamp`
/// is microseconds since the epoch (UTC); `traffic_source.source` is the
/// user's first-touch source; `ecommerce.purchase_revenue`. Flattened with
/// dotted names, as BigQuery's CSV export of a `SELECT traffic_source.source
/// AS ...` or a flattening tool writes them.
const GA4: &str = "event_date,event_timestamp,event_name,user_pseudo_id,traffic_source.source,traffic_source.medium,ecommerce.purchase_revenue
20240501,1714557600123456,session_start,1234.5678,google,cpc,
20240501,1714557660000000,page_view,1234.5678,google,cpc,
20240501,1714561200000000,purchase,1234.5678,google,cpc,49.90
20240502,1714644000000000,session_start,9876.5432,(direct),(none),
20240502,1714644060000000,first_visit,9876.5432,(direct),(none),
";

#[test]
fn ga4_bigquery_export() {
    let (db, s) = import_events("ga4", GA4);
    assert_eq!((s.imported, s.rejected), (5, 0));
    let log = load_events(&db).unwrap();
    assert_eq!(log.person_count(), 2);
    // Microseconds: 2024-05-01T10:00:00.123Z.
    assert_eq!(log.time_ms[0], 1_714_557_600_123);
    assert_eq!((0..log.len()).map(|i| log.revenue(i)).sum::<f64>(), 49.9);
    assert_eq!(log.channel_names, ["google", "(direct)"]);
    assert!(
        s.properties.contains(&"traffic_source.medium".to_string()),
        "{:?}",
        s.properties
    );
}

#[test]
fn ga4_session_source_when_first_touch_is_absent() {
    let text = "user_pseudo_id,event_timestamp,event_name,collected_traffic_source.manual_source\n\
                a,1714557600000000,session_start,newsletter\n";
    let header = header_of(text);
    let m = preset("ga4")
        .unwrap()
        .event_mapping(&header, std::path::Path::new("x.csv"))
        .unwrap();
    assert_eq!(m.channel.as_deref(), Some("collected_traffic_source.manual_source"));
    assert_eq!(m.revenue.as_deref(), Some(""));
}

/// "OpportunityHistory", Object Reference for the Salesforce Platform,
/// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_opportunityhistory.htm
/// — fields OpportunityId, StageName, CreatedDate (datetime), Amount,
/// CloseDate, Probability, ForecastCategory, ExpectedRevenue.
const SALESFORCE: &str =
    "Id,OpportunityId,StageName,Amount,Probability,CloseDate,ForecastCategory,ExpectedRevenue,CreatedDate
008A000001,006A000001,Prospecting,12000.00,10,2024-06-30,Pipeline,1200.00,2024-05-01T09:15:00.000Z
008A000002,006A000001,Proposal/Price Quote,12000.00,75,2024-06-30,BestCase,9000.00,2024-05-20T14:00:00.000Z
008A000003,006A000001,Closed Won,12500.00,100,2024-06-12,Closed,12500.00,2024-06-12T16:30:00.000Z
008A000004,006A000002,Prospecting,8000.00,10,2024-07-31,Pipeline,800.00,2024-05-03T11:00:00.000Z
";

#[test]
fn salesforce_opportunity_history() {
    let (db, s) = import_events("salesforce-opportunity-history", SALESFORCE);
    assert_eq!((s.imported, s.rejected), (4, 0));
    let log = load_events(&db).unwrap();
    assert_eq!(log.person_count(), 2);
    assert_eq!(log.event_names, ["Prospecting", "Proposal/Price Quote", "Closed Won"]);
    // The deal size repeats on each stage row: never summed as revenue.
    assert_eq!((0..log.len()).map(|i| log.revenue(i)).sum::<f64>(), 0.0);
    assert!(s.properties.contains(&"Amount".to_string()));
}

/// "HubSpot's default contact properties", HubSpot Knowledge Base,
/// https://knowledge.hubspot.com/properties/hubspots-default-contact-properties
/// — "Record ID", "Original Source", "Became a Lead Date", "Became a
/// Marketing Qualified Lead Date", ..., "Became a Customer Date".
const HUBSPOT: &str = "Record ID,First Name,Original Source,Became a Lead Date,Became a Marketing Qualified Lead Date,Became a Customer Date
101,Ann,Organic Search,2024-05-01 10:00,2024-05-03 12:00,2024-05-20 09:00
102,Bob,Paid Social,2024-05-02 08:00,,
";

#[test]
fn hubspot_contacts_import_one_event_per_stage_date() {
    let (mut db, path, header) = setup("hubspot-contacts", HUBSPOT);
    let p = suggest_preset(&header).unwrap();
    assert_eq!(p.kind, PresetKind::StageDates);
    // Not an events file: the plain mapping points to the stage-dates reading.
    let msg = p.event_mapping(&header, &path).unwrap_err().to_string();
    assert!(
        msg.contains("hubspot-contacts.csv") && msg.contains("stage-dates"),
        "{msg}"
    );
    assert_eq!(p.stage_dates()[1], ("Became a Lead Date", "lead"));
    // Of the preset's seven stages, the export has three.
    let (columns, stages) = p.stage_mapping(&header, &path).unwrap();
    assert_eq!(
        stages.0.iter().map(|(_, e)| e.as_str()).collect::<Vec<_>>(),
        ["lead", "mql", "customer"]
    );
    let options = ImportOptions {
        columns,
        stage_dates: Some(stages),
        ..ImportOptions::default()
    };
    let s = import_csv(&mut db, &path, &options, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!((s.imported, s.rejected, s.stage_rows), (4, 0, Some(2)));
    let log = load_events(&db).unwrap();
    assert_eq!(log.person_count(), 2);
    let names: Vec<&str> = log
        .event
        .iter()
        .map(|&e| log.event_names[e as usize].as_str())
        .collect();
    assert_eq!(names, ["lead", "mql", "customer", "lead"]);
    assert_eq!(log.channel_names, ["Organic Search", "Paid Social"]);
}

#[test]
fn hubspot_contacts_without_stage_columns_are_refused_by_name() {
    let text = "Record ID,First Name,Became a Lead Date\n1,Ann,2024-05-01\n";
    let mut header = header_of(text);
    header.pop();
    let err = preset("hubspot-contacts")
        .unwrap()
        .stage_mapping(&header, std::path::Path::new("h.csv"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("h.csv") && err.contains("Became a Customer Date"), "{err}");
}

/// Google Ads Help, "Download and schedule reports" and the report editor's
/// columns: segment "Day", attributes "Campaign", metrics "Cost",
/// "Impressions", "Clicks" (numbers written with thousands separators).
const GOOGLE_ADS: &str = "Day,Campaign,Currency code,Cost,Impressions,Clicks
2024-05-01,Brand - Search,USD,120.50,\"1,204\",88
2024-05-01,Generic - Search,USD,\"1,030.25\",\"15,310\",402
2024-05-02,Brand - Search,USD,99.00,998,71
";

#[test]
fn google_ads_daily_report() {
    let (db, s) = import_report("google-ads", GOOGLE_ADS);
    assert_eq!((s.imported, s.rejected), (3, 0));
    let spend = load_spend(&db).unwrap();
    assert!(spend.iter().all(|d| d.channel == "google"));
    assert_eq!(spend.iter().map(|d| d.cost).sum::<f64>(), 1249.75);
    assert_eq!(spend[0].cost, 1150.75);
}

/// Meta Business Help Center, "Export your ad reporting data" and the Ads
/// Manager column names: "Reporting starts", "Reporting ends", "Campaign
/// name", "Amount spent (USD)", "Impressions", "Link clicks".
const META_ADS: &str =
    "Reporting starts,Reporting ends,Campaign name,Amount spent (USD),Impressions,Link clicks,Results
2024-05-01,2024-05-01,Spring sale - Prospecting,45.10,5210,61,3
2024-05-01,2024-05-01,Spring sale - Retargeting,12.40,1830,,1
2024-05-02,2024-05-02,Spring sale - Prospecting,50.00,5800,70,4
";

#[test]
fn meta_ads_daily_report() {
    let (db, s) = import_report("meta-ads", META_ADS);
    assert_eq!((s.imported, s.rejected), (3, 0));
    let spend = load_spend(&db).unwrap();
    assert!(spend.iter().all(|d| d.channel == "facebook"));
    assert_eq!(spend.iter().map(|d| d.cost).sum::<f64>(), 107.5);
}

#[test]
fn a_preset_for_the_other_command_or_no_preset_is_explained() {
    let h = header_of(GOOGLE_ADS);
    let msg = preset("google-ads")
        .unwrap()
        .event_mapping(&h, std::path::Path::new("g.csv"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("import-spend"), "{msg}");
    let msg = preset("nope").unwrap_err().to_string();
    assert!(msg.contains("ga4") && msg.contains("meta-ads"), "{msg}");
    assert!(suggest_preset(&header_of("person_id,timestamp,event\n")).is_none());
}
