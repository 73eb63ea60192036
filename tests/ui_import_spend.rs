//! The import dialog on ad spend reports: a Google Ads download (title
//! lines above the header) is recognised, mapped by its preset and imported
//! on the worker, and the Data view's money then counts it; a report of
//! unknown columns is imported by switching the dialog to ad spend.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use common::{Picker, scratch};
use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use journeymap::model::{JourneyMap, format};
use journeymap::store::{self, Database, ImportOptions};
use journeymap::ui::data::DataPanel;

struct State {
    panel: DataPanel,
    picker: Picker,
    map: JourneyMap,
}

fn shows(harness: &Harness<'static, State>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

fn wait_for(harness: &mut Harness<'static, State>, what: &str, done: impl Fn(&Harness<'static, State>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(harness) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
}

/// What the picker named `name` shows.
fn picked(harness: &Harness<'static, State>, name: &str) -> String {
    let node = harness.get_by_role_and_label(Role::ComboBox, name);
    node.accesskit_node().value().unwrap_or_default().to_owned()
}

/// The Data view of the SaaS sample map over `db`, with `file` chosen in
/// the import dialog.
fn dialog(db: &Path, file: &Path) -> Harness<'static, State> {
    let picker = Picker::default();
    *picker.csv.lock().unwrap() = Some(file.to_path_buf());
    let mut panel = DataPanel::new();
    panel.set_database(Some(db.to_path_buf()));
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps");
    let map = format::load(&samples.join("b2b_saas_inbound.ron")).unwrap();
    let mut harness = Harness::builder()
        .with_size([1400.0, 2400.0])
        .with_theme(egui::Theme::Light)
        .with_context_setup(journeymap::ui::install_fonts)
        .build_ui_state(
            |ui, s: &mut State| {
                s.panel.show(ui, &s.map, 1, &mut s.picker);
            },
            State { panel, picker, map },
        );
    wait_for(&mut harness, "the import button", |h| shows(h, "Import events…"));
    harness.get_by_label("Import events…").click();
    // The dialog reads the file's first rows on the worker; the analyses
    // behind it may still be running.
    wait_for(&mut harness, "the import dialog", |h| {
        shows(h, "Lines before the header")
    });
    harness
}

/// A Google Ads campaign report as the Google Ads UI downloads it: the
/// report's name and date range above the header (Google Ads Help,
/// "Download your reports").
const GOOGLE_ADS: &str = "Campaign report
\"March 2, 2026 - March 4, 2026\"
Day,Campaign,Cost,Impr.,Clicks
2026-03-02,Brand,\"$1,200.00\",\"10,000\",120
2026-03-03,Brand,$300.50,900,10
2026-03-04,Brand,$99.50,800,9
";

#[test]
fn a_google_ads_download_is_recognised_imported_and_counted_in_the_money() {
    let dir = scratch("spend-dialog");
    let db = dir.join("saas.sqlite");
    let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps/b2b_saas_inbound_events.csv");
    let mut database = Database::open(&db).unwrap();
    store::import_file(
        &mut database,
        &events,
        &ImportOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    drop(database);
    let report = dir.join("google-ads.csv");
    std::fs::write(&report, GOOGLE_ADS).unwrap();

    let mut harness = dialog(&db, &report);
    // Behind the dialog, the money of the events alone.
    wait_for(&mut harness, "the money of the events", |h| shows(h, "imported cost"));
    assert_eq!(harness.query_all_by_label_contains("ad spend report").count(), 0);
    // The header suggests the Google Ads preset: the dialog is for ad spend.
    harness.get_by_label("Import ad spend");
    assert_eq!(picked(&harness, "Preset"), "google-ads");
    harness.get_by_label("(suggested)");
    assert_eq!(picked(&harness, "Lines before the header"), "2 (detected)");
    harness.get_by_label_contains("a title above the header is left out");
    assert_eq!(picked(&harness, "Day column"), "Day");
    assert_eq!(picked(&harness, "Cost column"), "Cost");
    assert_eq!(picked(&harness, "Impressions column"), "Impr.");
    assert_eq!(picked(&harness, "Channel column"), "(none)");
    let channel = harness.get_by_role_and_label(Role::TextInput, "Channel of every row");
    assert_eq!(channel.accesskit_node().value().as_deref(), Some("google"));
    // The preview starts at the header, with the report's rows under it.
    harness.get_by_label("$300.50");
    assert!(!shows(&harness, "Campaign report"), "the title is not a row");

    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the summary", |h| shows(h, "Imported 3 rows of ad spend"));
    harness.get_by_label_contains("2 lines before the header skipped");
    harness.get_by_label_contains("amounts in USD");
    // The view reloads behind (a spinner repaints): step, do not wait to settle.
    harness.get_by_label("Close").click();
    harness.step();

    // The Data view reads the database again: Google's cost is the report's.
    wait_for(&mut harness, "the money from the report", |h| {
        h.query_all_by_label_contains("ad spend report").count() > 0
    });
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (rows, cost): (i64, f64) = conn
        .query_row(
            "SELECT count(*), sum(cost) FROM spend WHERE channel = 'google'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((rows, cost), (3, 1600.0));
}

#[test]
fn a_report_of_unknown_columns_is_imported_by_switching_to_ad_spend() {
    let dir = scratch("spend-switch");
    let db = dir.join("data.sqlite");
    let report = dir.join("wydatki.csv");
    std::fs::write(
        &report,
        "Data;Kanał;Koszt\n2026-03-02;linkedin;12,50 zł\n2026-03-03;linkedin;1 234,50 zł\n",
    )
    .unwrap();
    let mut harness = dialog(&db, &report);
    harness.get_by_label("Import events");
    assert_eq!(picked(&harness, "Preset"), "(none)");

    harness.get_by_label("Ad spend").click();
    harness.run();
    harness.get_by_label("Import ad spend");
    assert_eq!(picked(&harness, "Day column"), "Data");
    assert_eq!(picked(&harness, "Channel column"), "Kanał");
    assert_eq!(picked(&harness, "Cost column"), "Koszt");
    assert_eq!(picked(&harness, "Lines before the header"), "0 (detected)");
    assert!(harness.query_by_label("Channel of every row").is_none());

    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the summary", |h| shows(h, "Imported 2 rows of ad spend"));
    harness.get_by_label_contains("amounts in PLN");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let cost: f64 = conn.query_row("SELECT sum(cost) FROM spend", [], |r| r.get(0)).unwrap();
    assert_eq!(cost, 1247.0);
}
