//! The Data view and the import dialog, driven headless through their
//! accessible labels: import a CSV, see the funnel and the comparison,
//! re-import, cancel; and the bundled sample events against the sample map.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use journeymap::analysis;
use journeymap::model::{JourneyMap, format};
use journeymap::store::{self, Database, ImportOptions};
use journeymap::ui::FilePicker;
use journeymap::ui::data::DataPanel;

/// Answers "which CSV?" with the test's file.
struct Picker {
    csv: Option<PathBuf>,
}

impl FilePicker for Picker {
    fn open_map(&mut self) -> Option<PathBuf> {
        None
    }
    fn save_map(&mut self, _: &str) -> Option<PathBuf> {
        None
    }
    fn open_csv(&mut self) -> Option<PathBuf> {
        self.csv.clone()
    }
    fn save_export(&mut self, _: &str, _: &str) -> Option<PathBuf> {
        None
    }
}

struct State {
    panel: DataPanel,
    picker: Picker,
    map: JourneyMap,
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-data-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps").join(name)
}

fn harness(panel: DataPanel, csv: Option<PathBuf>) -> Harness<'static, State> {
    let map = format::load(&sample("b2b_saas_inbound.ron")).unwrap();
    let state = State {
        panel,
        picker: Picker { csv },
        map,
    };
    Harness::builder()
        .with_size([1400.0, 3600.0])
        .with_theme(egui::Theme::Light)
        .with_context_setup(journeymap::ui::install_fonts)
        .build_ui_state(
            |ui, s: &mut State| {
                s.panel.show(ui, &s.map, 1, &mut s.picker);
            },
            state,
        )
}

/// Steps until no analysis is under way (they run on a worker) and the
/// window has settled.
fn settle(harness: &mut Harness<'static, State>) {
    harness.step();
    wait_for(harness, "the analyses", |h| !h.state().panel.busy());
    for _ in 0..10 {
        if harness.try_run().is_ok() {
            break;
        }
    }
}

/// Steps frames (the workers run meanwhile) until `done`, for at most 60 s.
fn wait_for(harness: &mut Harness<'static, State>, what: &str, done: impl Fn(&Harness<'static, State>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(harness) {
        if Instant::now() > deadline {
            let texts: Vec<String> = harness
                .root()
                .children_recursive()
                .filter_map(|n| {
                    let n = n.accesskit_node();
                    n.value().or(n.label()).map(|t| t.to_string())
                })
                .collect();
            panic!("timed out waiting for {what}; the window shows:\n{}", texts.join("\n"));
        }
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
}

fn shows(harness: &Harness<'static, State>, text: &str) -> bool {
    harness.query_by_label_contains(text).is_some()
}

/// Four people: ann goes all the way to a subscription, bob to a trial, cid
/// reads the blog, dan starts at the demo (the funnel's middle). Nobody
/// reads the case study; `page_view_home` and `video_played` match no touchpoint.
const EVENTS: &str = "\
person_id,timestamp,event,channel,cost,revenue,country
ann,2026-04-01T09:00:00Z,session_start,google,4.50,,US
ann,2026-04-01T09:01:00Z,page_view_blog,google,,,US
ann,2026-04-01T09:05:00Z,newsletter_signup,,,,US
ann,2026-04-03T07:00:00Z,ebook_download,email,,,US
ann,2026-04-05T10:00:00Z,trial_signup,,,,US
ann,2026-04-08T10:00:00Z,demo_booked,,,,US
ann,2026-04-12T15:00:00Z,subscription_started,sales,,4800,US
bob,2026-04-02T12:00:00Z,page_view_blog,facebook,,,CA
bob,2026-04-02T12:03:00Z,page_view_home,,,,CA
bob,2026-04-04T12:00:00Z,page_view_pricing,,,,CA
bob,2026-04-06T12:00:00Z,trial_signup,,,,CA
cid,2026-04-02T08:00:00Z,page_view_blog,direct,,,US
cid,2026-04-02T08:02:00Z,video_played,direct,,,US
dan,2026-04-03T08:00:00Z,demo_booked,partner,,,US
";

fn write_events(dir: &Path) -> PathBuf {
    let path = dir.join("events.csv");
    std::fs::write(&path, EVENTS).unwrap();
    path
}

#[test]
fn import_from_the_empty_state_then_see_funnel_and_comparison() {
    let dir = scratch("import");
    let csv = write_events(&dir);
    let db = dir.join("map.sqlite");
    let mut panel = DataPanel::new();
    panel.set_database(Some(db.clone()));
    let mut harness = harness(panel, Some(csv));
    wait_for(&mut harness, "the empty state", |h| shows(h, "No events yet"));
    harness.run();
    assert!(!db.exists(), "looking at the data does not create a database");

    harness.get_by_label("Import events…").click();
    harness.run();
    // The preview: the header and the first rows, columns guessed.
    for column in ["person_id", "timestamp", "event", "channel", "revenue", "country"] {
        assert!(
            harness.query_all_by_label(column).count() >= 1,
            "{column} in the preview"
        );
    }
    assert!(harness.query_all_by_label("ann").count() >= 2, "rows in the preview");
    harness.get_by_label("Person column");
    harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Time zone");

    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the summary", |h| shows(h, "Imported 14 events"));
    harness.get_by_label("No rows were rejected.");
    harness.get_by_label("Close").click();
    wait_for(&mut harness, "the analysis", |h| {
        shows(h, "14 events · 4 people · 1 import")
    });
    wait_for(&mut harness, "the analyses", |h| !h.state().panel.busy());
    harness.run();

    // The funnel: people per stage, in the table under the chart.
    let analysis = harness.state().panel.analysis().expect("analysed");
    let reached: Vec<u64> = analysis.funnel.steps.iter().map(|s| s.reached).collect();
    // ann all the way; bob to the trial (MQL); cid subscribes to nothing but
    // reads (Subscriber); dan enters at the demo, never at the top.
    assert_eq!(reached, [3, 2, 2, 1, 1]);
    for stage in [
        "Subscriber",
        "Lead",
        "Marketing qualified lead",
        "Sales qualified lead",
        "Customer",
    ] {
        // Under its bar in the chart, and in the table.
        assert_eq!(harness.query_all_by_label(stage).count(), 2, "{stage}");
    }
    assert!(harness.query_all_by_label("3").count() >= 1);
    harness.get_by_label_contains("Of 4 people in the data");
    harness.get_by_label("Conversion window");
    harness.get_by_label("90 days").click();
    settle(&mut harness);

    // Attribution: ann's subscription, credited to her earlier touchpoints.
    assert_eq!(harness.state().panel.analysis().unwrap().by_touchpoint.conversions, 1);
    harness.get_by_label_contains("1 conversion in all");
    harness.get_by_label("Channels").click();
    harness.run();
    assert!(harness.query_all_by_label("google").count() >= 1);
    // Markov: ann's google, google, email converts; the others' touches end
    // in null. Without google or without email her conversion is lost, so both
    // removal effects are 1 and each channel gets half of it.
    harness.get_by_label("Markov");
    let markov = harness
        .state()
        .panel
        .analysis()
        .unwrap()
        .markov_by_channel
        .clone()
        .unwrap();
    let credit: Vec<(&str, f64)> = markov.rows.iter().map(|r| (r.key.as_str(), r.conversions)).collect();
    assert_eq!(credit, [("email", 0.5), ("google", 0.5)]);
    assert_eq!(harness.query_all_by_label("0.5").count(), 2, "only Markov gives a half");

    // The comparison.
    let comparison = harness.state().panel.comparison().expect("compared");
    let map = &harness.state().map;
    let case_study = map
        .touchpoints
        .iter()
        .find(|t| t.name.starts_with("Case study"))
        .unwrap();
    assert!(comparison.unmet_touchpoints.contains(&case_study.id));
    let name = case_study.name.clone();
    harness.get_by_label("Touchpoints nobody meets");
    assert!(harness.query_all_by_label(&name).count() >= 1, "{name} listed as unmet");
    harness.get_by_label_contains("Not measured (no event matchers)");
    harness.get_by_label("page_view_home");
    harness.get_by_label("video_played");
    harness.get_by_label_contains("entered the funnel below the top");
    harness.get_by_label("Links nobody follows");
}

#[test]
fn importing_the_same_file_again_needs_replace() {
    let dir = scratch("again");
    let csv = write_events(&dir);
    let db = dir.join("map.sqlite");
    {
        let mut db = Database::open(&db).unwrap();
        let never = std::sync::atomic::AtomicBool::new(false);
        store::import_csv(&mut db, &csv, &ImportOptions::default(), &mut |_| {}, &never).unwrap();
    }
    let mut panel = DataPanel::new();
    panel.set_database(Some(db.clone()));
    let mut harness = harness(panel, Some(csv));
    wait_for(&mut harness, "the data", |h| shows(h, "14 events · 4 people"));
    wait_for(&mut harness, "the analyses", |h| !h.state().panel.busy());
    harness.run();
    harness.get_by_label("Import events…").click();
    harness.run();
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the refusal", |h| shows(h, "already imported"));
    harness.run();
    harness.get_by_label_contains("Tick “Replace an earlier import of this file”");

    harness.get_by_label("Replace an earlier import of this file").click();
    harness.run();
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the summary", |h| shows(h, "Imported 14 events"));
    harness.get_by_label_contains("replaced 1 earlier import");
    harness.get_by_label("Close").click();
    wait_for(&mut harness, "the reload", |h| {
        shows(h, "14 events · 4 people · 1 import")
    });
    let db = Database::open(&db).unwrap();
    assert_eq!(store::event_count(&db).unwrap(), 14);
}

#[test]
fn cancelling_an_import_leaves_the_database_empty() {
    let dir = scratch("cancel");
    let csv = dir.join("big.csv");
    store::write_synthetic_csv(&csv, 300_000, 7).unwrap();
    let db = dir.join("map.sqlite");
    let mut panel = DataPanel::new();
    panel.set_database(Some(db.clone()));
    let mut harness = harness(panel, Some(csv));
    wait_for(&mut harness, "the empty state", |h| shows(h, "No events yet"));
    harness.run();
    harness.get_by_label("Import events…").click();
    harness.run();
    harness.get_by_label("Import").click();
    // While it runs: a progress bar and a cancel button (and no `run`: the
    // animated bar asks for frames all the time).
    // Cancel once rows are going in, so there is something to roll back.
    wait_for(&mut harness, "the progress", |h| shows(h, "rows/s"));
    assert!(harness.state().panel.import_running());
    // By its accessibility action: a pointer click is aimed where the
    // button was drawn last frame, and the dialog moves as it resizes.
    harness.get_by_label("Cancel import").click_accesskit();
    wait_for(&mut harness, "the cancel", |h| shows(h, "Import cancelled."));
    harness.get_by_label_contains("the database is as it was");
    assert!(!harness.state().panel.import_running());

    let db = Database::open(&db).unwrap();
    assert_eq!(store::event_count(&db).unwrap(), 0);
    assert!(store::list_imports(&db).unwrap().is_empty());
}

#[test]
fn big_data_is_analysed_on_a_worker() {
    let dir = scratch("worker");
    let csv = sample("b2b_saas_inbound_events.csv");
    let db = dir.join("map.sqlite");
    {
        let mut db = Database::open(&db).unwrap();
        let never = std::sync::atomic::AtomicBool::new(false);
        store::import_csv(&mut db, &csv, &ImportOptions::default(), &mut |_| {}, &never).unwrap();
    }
    let mut panel = DataPanel::new();
    panel.set_database(Some(db));
    let mut harness = harness(panel, None);
    wait_for(&mut harness, "the funnel", |h| shows(h, "Median time from previous"));
    harness.run();
    assert!(!harness.state().panel.busy());
    // Nobody meets the case study: listed so, and in the Money table for its budget.
    assert_eq!(
        harness
            .query_all_by_label("Case study: Buckeye Comfort Services")
            .count(),
        2
    );
    harness.get_by_label("NPS survey after 90 days");
    // The commonest path between touchpoints is listed, marked as on the map or not.
    let c = harness.state().panel.comparison().unwrap();
    let top = c.transitions.iter().max_by_key(|t| t.count).unwrap();
    let (label, on_map) = (format!("{} › {}", top.from_name, top.to_name), top.on_map);
    harness.get_by_label("Paths people take");
    // A path the map lacks is also listed under missing links.
    assert_eq!(
        harness.query_all_by_label(&label).count(),
        if on_map { 1 } else { 2 },
        "{label}"
    );
    assert!(
        harness
            .query_all_by_label(if on_map { "on the map" } else { "not on the map" })
            .count()
            >= 1
    );

    // A window change is analysed on the worker too, the old results shown meanwhile.
    let before = harness.state().panel.analysis().unwrap().funnel.steps[4].reached;
    harness.get_by_label("90 days").click();
    harness.step();
    assert!(harness.state().panel.comparison().is_some());
    wait_for(&mut harness, "the new window", |h| {
        h.state().panel.analysis().unwrap().funnel.window_seconds == 90.0 * 86_400.0
    });
    let after = harness.state().panel.analysis().unwrap().funnel.steps[4].reached;
    assert!(
        after > before,
        "a longer window lets more people through: {before} then {after}"
    );
}

#[test]
fn an_unsaved_map_asks_where_its_data_goes() {
    let mut harness = harness(DataPanel::new(), None);
    harness.run();
    harness.get_by_label("This map is not saved yet");
    harness.get_by_label("Choose a database file…");
    assert!(harness.query_by_label("Import events…").is_none());
}

/// The bundled sample events fit the bundled sample map: they import
/// cleanly, and the comparison finds what the generator put in.
#[test]
fn sample_events_fit_the_sample_map() {
    let dir = scratch("sample");
    let mut db = Database::open(&dir.join("sample.sqlite")).unwrap();
    let never = std::sync::atomic::AtomicBool::new(false);
    let csv = sample("b2b_saas_inbound_events.csv");
    assert!(std::fs::metadata(&csv).unwrap().len() < 1_500_000);
    let summary = store::import_csv(&mut db, &csv, &ImportOptions::default(), &mut |_| {}, &never).unwrap();
    assert_eq!(summary.rejected, 0);
    assert!((5_000..=20_000).contains(&summary.imported), "{}", summary.imported);
    let log = store::load_events(&db).unwrap();
    assert!((500..=2000).contains(&log.person_count()));

    let map = format::load(&sample("b2b_saas_inbound.ron")).unwrap();
    let c = analysis::compare(&map, &log, 0.05);
    let unmet: Vec<&str> = c
        .unmet_touchpoints
        .iter()
        .filter_map(|id| map.touchpoint(*id))
        .filter(|t| !t.matchers.is_empty())
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        unmet,
        ["Case study: Buckeye Comfort Services", "NPS survey after 90 days"]
    );
    assert!(!c.missing_links.is_empty(), "some moves the map lacks");
    assert!(c.people_out_of_order > 0, "some enter the funnel in the middle");
    let unmatched: Vec<&str> = c.unmatched_events.iter().map(|e| e.event.as_str()).collect();
    for e in ["page_view_home", "session_start", "app_session"] {
        assert!(unmatched.contains(&e), "{e} in {unmatched:?}");
    }
    // Loops back on the map are walked.
    let name = |id| map.touchpoint(id).unwrap().name.as_str();
    assert!(
        c.transitions
            .iter()
            .any(|t| t.on_map && name(t.from).starts_with("Live chat"))
    );

    let (staged, spec) = analysis::map_funnel(&map, &log, 90 * 86_400_000);
    let report = analysis::funnel(&staged, &spec);
    let reached: Vec<u64> = report.steps.iter().map(|s| s.reached).collect();
    assert!(reached.windows(2).all(|w| w[0] > w[1]), "a funnel narrows: {reached:?}");
    assert!(reached[4] >= 10, "{reached:?}");
}

#[test]
fn funnel_options_recompute_the_shown_funnel() {
    let dir = scratch("options");
    let csv = write_events(&dir);
    let db = dir.join("map.sqlite");
    {
        let mut db = Database::open(&db).unwrap();
        let never = std::sync::atomic::AtomicBool::new(false);
        store::import_csv(&mut db, &csv, &ImportOptions::default(), &mut |_| {}, &never).unwrap();
    }
    let mut panel = DataPanel::new();
    panel.set_database(Some(db));
    let mut harness = harness(panel, None);
    wait_for(&mut harness, "the funnel", |h| shows(h, "Median time from previous"));
    settle(&mut harness);
    let reached = |h: &Harness<'static, State>| -> Vec<u64> {
        h.state()
            .panel
            .analysis()
            .unwrap()
            .funnel
            .steps
            .iter()
            .map(|s| s.reached)
            .collect()
    };
    assert_eq!(reached(&harness), [3, 2, 2, 1, 1]);
    // The shown table has bob among the two leads.
    let leads_before = harness.query_all_by_label("2").count();

    // bob looked at the home page between his blog visit and the pricing
    // page: with it as an exclusion he drops out as a subscriber.
    harness.get_by_label("Drop out at").click();
    settle(&mut harness);
    // The choice, not the same name in the list of unmatched events.
    harness
        .get_by_role_and_label(Role::Button, "page_view_home")
        .click_accesskit();
    settle(&mut harness);
    assert_eq!(reached(&harness), [3, 1, 1, 1, 1]);
    assert!(
        harness.query_all_by_label("2").count() < leads_before,
        "the table shows the new counts"
    );

    // A date range: from April 2nd, ann's first day (her subscription to the
    // newsletter) is gone, so she never enters the funnel; bob and cid do.
    // Back to no exclusion (the list may still be open).
    if harness.query_by_role_and_label(Role::Button, "nothing").is_none() {
        harness.get_by_label("Drop out at").click();
        settle(&mut harness);
    }
    harness.get_by_role_and_label(Role::Button, "nothing").click_accesskit();
    settle(&mut harness);
    assert_eq!(reached(&harness), [3, 2, 2, 1, 1]);
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    harness.get_by_label("From").focus();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "From")
        .type_text("2026-04-02");
    settle(&mut harness);
    assert_eq!(reached(&harness), [2, 1, 1, 0, 0]);

    // The same country at every stage: read from the database on the worker.
    harness.get_by_label("Same at every stage").click();
    settle(&mut harness);
    harness.get_by_role_and_label(Role::Button, "country").click_accesskit();
    harness.step();
    assert!(harness.state().panel.busy(), "the column is read on the worker");
    wait_for(&mut harness, "the funnel by country", |h| !h.state().panel.busy());
    settle(&mut harness);
    // Everyone kept one country: the same funnel.
    assert_eq!(reached(&harness), [2, 1, 1, 0, 0]);

    // The column read is kept for these events: another window does not
    // read it again (the database file is gone, and nothing notices).
    std::fs::rename(dir.join("map.sqlite"), dir.join("moved.sqlite")).unwrap();
    harness.get_by_label("7 days").click();
    settle(&mut harness);
    wait_for(&mut harness, "the 7-day funnel", |h| !h.state().panel.busy());
    settle(&mut harness);
    assert!(!shows(&harness, "Could not read the data"), "the column was read again");
    assert_eq!(reached(&harness), [2, 1, 1, 0, 0]);
    assert!(!dir.join("map.sqlite").exists(), "no database was opened there");
}

/// The Money table: per channel and per touchpoint, what was spent (and
/// from which source) against the people reached and the conversions.
#[test]
fn the_data_view_puts_money_against_the_funnel() {
    let dir = scratch("money");
    let db = dir.join("map.sqlite");
    {
        let mut db = Database::open(&db).unwrap();
        let never = std::sync::atomic::AtomicBool::new(false);
        let csv = sample("b2b_saas_inbound_events.csv");
        store::import_csv(&mut db, &csv, &ImportOptions::default(), &mut |_| {}, &never).unwrap();
    }
    let mut panel = DataPanel::new();
    panel.set_database(Some(db));
    let mut harness = harness(panel, None);
    wait_for(&mut harness, "the analysis", |h| h.state().panel.analysis().is_some());
    harness.run();
    harness.get_by_label("Money");
    harness.get_by_label("Per channel");
    harness.get_by_label("Per touchpoint");
    harness.get_by_label_contains("budget spread evenly over its dates");

    let money = harness.state().panel.comparison().unwrap().money.clone();
    let linkedin = money.channels.iter().find(|c| c.name == "linkedin").unwrap();
    assert!(linkedin.imported_cost.is_some() && linkedin.budget.is_some());
    // Thousands grouped as everywhere in the app (the overlay, the reports).
    let usd = |v: f64| format!("USD {}", journeymap::layout::text::group_thousands(v.round()));
    // The LinkedIn channel and the LinkedIn ad touchpoint spend the same.
    let shown = |text: &str| harness.query_all_by_label(text).count();
    assert_eq!(
        shown(&usd(linkedin.cost.unwrap())),
        2,
        "{}",
        usd(linkedin.cost.unwrap())
    );
    assert!(shown(&usd(linkedin.cost_per_conversion.unwrap())) >= 1);
    assert!(shown(&format!("{:.2}", linkedin.roas.unwrap())) >= 1);
    assert!(
        harness
            .query_all_by_label("imported cost and budgets on the map")
            .count()
            >= 2,
        "the LinkedIn channel and touchpoint"
    );
    assert!(harness.query_all_by_label("budgets on the map").count() >= 1);
    // The expo booth's budget is shown, its cost per conversion unknown.
    harness.get_by_label("Booth at the regional HVAC expo");
    assert!(shown(&usd(14500.0)) >= 1);
    harness.get_by_label_contains("touchpoints without cost data");
}

fn import_into(db: &Path, csv: &Path) {
    let mut db = Database::open(db).unwrap();
    let never = std::sync::atomic::AtomicBool::new(false);
    store::import_csv(&mut db, csv, &ImportOptions::default(), &mut |_| {}, &never).unwrap();
}

#[test]
fn the_imports_window_removes_one_import() {
    let dir = scratch("imports-window");
    let csv = write_events(&dir);
    let other = dir.join("more.csv");
    std::fs::write(
        &other,
        "person_id,timestamp,event,revenue\neve,2026-04-09T10:00:00Z,page_view_blog,12.50 PLN\n",
    )
    .unwrap();
    let db = dir.join("map.sqlite");
    import_into(&db, &csv);
    import_into(&db, &other);
    let mut panel = DataPanel::new();
    panel.set_database(Some(db.clone()));
    let mut harness = harness(panel, None);
    wait_for(&mut harness, "the data", |h| {
        shows(h, "15 events · 5 people · 2 imports")
    });
    wait_for(&mut harness, "the analyses", |h| !h.state().panel.busy());
    harness.run();

    harness.get_by_label("Imports…").click();
    harness.run();
    harness.get_by_label("events.csv");
    harness.get_by_label("more.csv");
    // The currency each import's money was written in, where it was.
    harness.get_by_label("Money in");
    harness.get_by_label("PLN");
    harness.get_by_label("Remove import 1").click();
    harness.run();
    harness.get_by_label_contains("This cannot be undone");
    // Changing one's mind keeps everything.
    harness.get_by_label("Keep it").click();
    harness.run();
    assert!(!shows(&harness, "This cannot be undone"));

    harness.get_by_label("Remove import 1").click();
    harness.run();
    harness.get_by_label("Remove for good").click();
    wait_for(&mut harness, "the removal", |h| {
        shows(h, "Removed import 1 (events.csv): 14 events")
    });
    wait_for(&mut harness, "the reload", |h| {
        shows(h, "1 event · 1 people · 1 import")
    });
    assert!(
        harness.query_by_label("Remove import 1").is_none(),
        "gone from the list"
    );
    harness.get_by_label("Remove import 2");
    // By its accessibility action: the window shrank, and a pointer click
    // is aimed where the button was drawn last frame.
    harness.get_by_label("Close").click_accesskit();
    harness.run();
    assert!(!harness.state().panel.dialog_open());
    let db = Database::open(&db).unwrap();
    assert_eq!(store::event_count(&db).unwrap(), 1);
    assert_eq!(store::list_imports(&db).unwrap().len(), 1);
}

#[test]
fn a_changed_file_asks_to_replace_or_keep_both_and_added_rows_come_in_alone() {
    let dir = scratch("changed-file");
    let csv = write_events(&dir);
    let db = dir.join("map.sqlite");
    import_into(&db, &csv);
    // Rows added at the end: only they come in.
    std::fs::write(&csv, format!("{EVENTS}eve,2026-04-09T10:00:00Z,page_view_blog,,,,PL\n")).unwrap();
    let mut panel = DataPanel::new();
    panel.set_database(Some(db.clone()));
    let mut harness = harness(panel, Some(csv.clone()));
    wait_for(&mut harness, "the data", |h| shows(h, "14 events · 4 people"));
    wait_for(&mut harness, "the analyses", |h| !h.state().panel.busy());
    harness.run();
    harness.get_by_label("Import events…").click();
    harness.run();
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the summary", |h| {
        shows(h, "Imported 1 new event added after the 14 imported before")
    });
    harness.get_by_label("Close").click();
    wait_for(&mut harness, "the reload", |h| {
        shows(h, "15 events · 5 people · 2 imports")
    });

    // A row changed: the dialog asks what to do.
    std::fs::write(&csv, EVENTS.replace("dan,", "dave,")).unwrap();
    harness.get_by_label("Import events…").click();
    harness.run();
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the question", |h| shows(h, "has changed since"));
    harness.run();
    harness.get_by_label("Replace the earlier import");
    harness.get_by_label("Keep both").click();
    wait_for(&mut harness, "the summary", |h| shows(h, "Imported 14 events"));
    harness.get_by_label("Close").click();
    wait_for(&mut harness, "the reload", |h| {
        shows(h, "29 events · 6 people · 3 imports")
    });

    // Replace takes out every earlier import of the file.
    std::fs::write(&csv, EVENTS.replace("cid,", "cyd,")).unwrap();
    harness.get_by_label("Import events…").click();
    harness.run();
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the question", |h| shows(h, "has changed since"));
    harness.run();
    harness.get_by_label("Replace the earlier import").click();
    wait_for(&mut harness, "the summary", |h| {
        shows(h, "replaced 3 earlier import(s)")
    });
    let db = Database::open(&db).unwrap();
    assert_eq!(store::event_count(&db).unwrap(), 14);
}

#[test]
fn the_data_view_and_the_map_overlay_write_numbers_alike() {
    let dir = scratch("thousands");
    let csv = dir.join("blog.csv");
    let mut text = String::from("person_id,timestamp,event\n");
    for p in 0..1234 {
        text.push_str(&format!("reader{p},2026-04-02T08:00:00Z,page_view_blog\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let db = dir.join("map.sqlite");
    import_into(&db, &csv);
    let mut panel = DataPanel::new();
    panel.set_database(Some(db));
    let mut harness = harness(panel, None);
    wait_for(&mut harness, "the data", |h| h.state().panel.analysis().is_some());
    harness.run();

    // The overlay drawn on the map (canvas and exports) for the same data.
    let state = harness.state();
    let map = &state.map;
    let comparison = state.panel.comparison().unwrap();
    let layout = journeymap::layout::layout(map, &journeymap::layout::Options::default());
    let pills: Vec<String> = journeymap::export::overlay::groups(map, &layout, comparison)
        .into_iter()
        .flat_map(|g| g.shapes)
        .filter_map(|s| match s {
            journeymap::export::scene::Shape::Text(t) => Some(t.lines.concat()),
            _ => None,
        })
        .collect();
    let overlay = pills
        .iter()
        .find(|t| t.ends_with(" people"))
        .unwrap_or_else(|| panic!("a reach pill in {pills:?}"));
    let number = overlay.trim_end_matches(" people");
    assert_eq!(number, "1\u{202f}234");
    // The Data view writes the very same string for the same count.
    assert!(
        shows(&harness, &format!("1\u{202f}234 events · {number} people · 1 import")),
        "the header"
    );
    assert!(harness.query_all_by_label(number).count() >= 1, "the funnel table");
}

/// The SaaS sample's events in a fresh database, shown by a panel.
fn saas_sample(name: &str) -> Harness<'static, State> {
    let dir = scratch(name);
    let db = dir.join("map.sqlite");
    {
        let mut db = Database::open(&db).unwrap();
        let never = std::sync::atomic::AtomicBool::new(false);
        let csv = sample("b2b_saas_inbound_events.csv");
        store::import_csv(&mut db, &csv, &ImportOptions::default(), &mut |_| {}, &never).unwrap();
    }
    let mut panel = DataPanel::new();
    panel.set_database(Some(db));
    let mut harness = harness(panel, None);
    wait_for(&mut harness, "the funnel", |h| shows(h, "Median time from previous"));
    harness.run();
    harness
}

/// The funnel chart's bar of `stage`, as the screen shows it.
fn bar(harness: &Harness<'static, State>, stage: &str) -> egui::Rect {
    harness.get_by_label_contains(&format!("Bar {stage}: ")).rect()
}

#[test]
fn the_funnel_on_a_log_scale_keeps_a_handful_of_customers_visible() {
    let mut harness = saas_sample("funnel-scale");
    let steps: Vec<(String, u64)> = harness
        .state()
        .panel
        .analysis()
        .unwrap()
        .funnel
        .steps
        .iter()
        .map(|s| (s.name.clone(), s.reached))
        .collect();
    let (first, last) = (steps[0].0.clone(), steps[steps.len() - 1].0.clone());
    assert!(steps[0].1 > 50 * steps[steps.len() - 1].1, "{steps:?}");
    // On a linear scale the customers' bar is a sliver beside a 9,200 target.
    let linear = bar(&harness, &last).height();
    assert!(linear < 3.0, "{linear}");

    harness.get_by_label("Log").click();
    harness.run();
    let (small, big) = (bar(&harness, &last), bar(&harness, &first));
    assert!(small.height() > 30.0, "the smallest bar stays visible: {small:?}");
    assert!(
        small.height() < big.height(),
        "and still shorter than the first: {small:?} {big:?}"
    );

    // Every stage's whole name is written under its bar.
    for (name, _) in &steps {
        let b = bar(&harness, name);
        let under = harness
            .query_all_by_label(name)
            .map(|n| n.rect())
            .find(|r| r.top() >= b.bottom() && r.top() < b.bottom() + 40.0)
            .unwrap_or_else(|| panic!("no label {name:?} under its bar"));
        assert!(
            under.center().x > b.left() && under.center().x < b.right() + b.width(),
            "{name:?} at {under:?}, bar {b:?}"
        );
    }

    harness.get_by_label("% of target").click();
    harness.run();
    // 15 customers of a target of 45 is a third of the way up, not a sliver.
    assert!(bar(&harness, &last).height() > 30.0);
}

#[test]
fn the_path_graph_shows_starts_ends_touchpoints_and_the_converters_alone() {
    let mut harness = saas_sample("path-graph");
    // The number right after `prefix` in a node's accessible label.
    let number = |h: &Harness<'static, State>, prefix: &str| -> u64 {
        let found = h.get_by_label_contains(prefix);
        let label = found
            .accesskit_node()
            .value()
            .or(found.accesskit_node().label())
            .unwrap()
            .to_string();
        let at = label.find(prefix).unwrap() + prefix.len();
        let digits: String = label[at..]
            .chars()
            // Digits in groups, as the app writes them ("1 600").
            .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '\u{2009}' | '\u{202f}' | '\u{a0}'))
            .filter(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap_or_else(|_| panic!("{label}"))
    };
    assert_eq!(number(&harness, "▶ start: "), 1600);
    assert_eq!(number(&harness, "■ end: "), 1600);
    // Events a touchpoint matches carry its name (and how often they happen).
    let map = harness.state().map.clone();
    let trial = map
        .touchpoints
        .iter()
        .find(|t| t.matchers.iter().any(|m| m.event == "trial_signup"))
        .unwrap();
    let trials = format!("{}: trial_signup, ", trial.name);
    let all_trials = number(&harness, &trials);
    // An event no touchpoint matches says so.
    let app = harness.get_by_label_contains("app_session: ");
    let app = app.accesskit_node();
    assert!(
        app.value()
            .or(app.label())
            .unwrap()
            .contains("times (no touchpoint matches it)")
    );

    let converters = harness.state().panel.analysis().unwrap().converter_paths.people;
    harness.get_by_label("Only people who reached Customer").click();
    harness.run();
    assert!(converters > 0 && converters < 1600, "{converters}");
    assert_eq!(number(&harness, "▶ start: "), converters);
    assert_eq!(number(&harness, "■ end: "), converters);
    assert!(shows(&harness, &format!("{converters} people; ")));
    let converted_trials = number(&harness, &trials);
    assert!(
        converted_trials < all_trials,
        "only the converters' trials: {converted_trials} of {all_trials}"
    );
}

#[path = "xlsx/mod.rs"]
mod xlsx;

/// Columns as a HubSpot contacts export names them: one row per contact.
const CONTACTS: &str = "\
Record ID,First Name,Email,Original Source,Became a Lead Date,Became a Marketing Qualified Lead Date,Became a Customer Date
1,Ann,ann@example.com,ORGANIC_SEARCH,2026-04-01 10:00,2026-04-05 11:00,2026-04-20 09:00
2,Bob,bob@example.com,PAID_SEARCH,2026-04-02,2026-04-03,
3,Cid,cid@example.com,PAID_SEARCH,2026-04-04,,2026-04-21
4,Dan,dan@example.com,DIRECT_TRAFFIC,,,
";

#[test]
fn a_contacts_file_is_offered_the_stage_date_mapping() {
    let dir = scratch("contacts");
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, CONTACTS).unwrap();
    let db = dir.join("map.sqlite");
    let mut panel = DataPanel::new();
    panel.set_database(Some(db.clone()));
    let mut harness = harness(panel, Some(csv));
    wait_for(&mut harness, "the empty state", |h| shows(h, "No events yet"));
    harness.get_by_label("Import events…").click();
    // The dialog reads the file's first rows on the worker.
    wait_for(&mut harness, "the import dialog", |h| shows(h, "(suggested)"));
    // A HubSpot export: its preset names the stage events.
    let preset = harness.get_by_role_and_label(Role::ComboBox, "Preset");
    assert_eq!(preset.accesskit_node().value().as_deref(), Some("hubspot-contacts"));
    harness.get_by_label("(suggested)");
    // One row per contact: the dates are the events.
    let unpivot = harness.get_by_label("One row per person: each filled date becomes an event");
    assert_eq!(unpivot.accesskit_node().toggled(), Some(egui::accesskit::Toggled::True));
    for (column, event) in [
        ("Became a Lead Date", "lead"),
        ("Became a Marketing Qualified Lead Date", "mql"),
        ("Became a Customer Date", "customer"),
    ] {
        let label = format!("Event for {column}");
        let field = harness.get_by_role_and_label(Role::TextInput, &label);
        assert_eq!(field.accesskit_node().value().as_deref(), Some(event));
    }
    assert!(
        harness.query_by_label("Time column").is_none(),
        "the dates are the times"
    );
    // The preview says what each date column becomes.
    harness.get_by_label("→ event \"mql\"");
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the summary", |h| {
        shows(h, "Imported 7 events from 4 rows with stage dates")
    });
    let log = store::load_events(&Database::open(&db).unwrap()).unwrap();
    let steps = ["lead", "mql", "customer"]
        .map(|e| analysis::FunnelStep::from_names(&log, e, &[e]))
        .to_vec();
    let spec = analysis::FunnelSpec::new(steps, 90 * 86_400_000);
    let report = analysis::funnel(&log, &spec);
    let reached: Vec<u64> = report.steps.iter().map(|s| s.reached).collect();
    assert_eq!(
        reached,
        [3, 2, 1],
        "lead: Ann Bob Cid; mql: Ann Bob; customer after mql: Ann"
    );
}

#[test]
fn a_workbook_offers_its_sheets() {
    use xlsx::Cell::*;
    let dir = scratch("workbook");
    let book = dir.join("crm.xlsx");
    let notes = vec![vec![Text("exported"), Text("2026-04-30")]];
    let contacts = vec![
        vec![
            Text("Contact ID"),
            Text("Became a Lead Date"),
            Text("Became a Customer Date"),
        ],
        vec![
            Num(7.0),
            Date(xlsx::serial(2026, 4, 1, 0, 0)),
            Date(xlsx::serial(2026, 4, 9, 0, 0)),
        ],
        vec![Num(8.0), Date(xlsx::serial(2026, 4, 2, 0, 0)), Empty],
    ];
    xlsx::write_xlsx(&book, &[("Notes", notes), ("Contacts", contacts)]);
    let db = dir.join("map.sqlite");
    let mut panel = DataPanel::new();
    panel.set_database(Some(db.clone()));
    let mut harness = harness(panel, Some(book));
    wait_for(&mut harness, "the empty state", |h| shows(h, "No events yet"));
    harness.get_by_label("Import events…").click();
    harness.run();
    let sheet = harness.get_by_role_and_label(Role::ComboBox, "Sheet");
    assert_eq!(sheet.accesskit_node().value().as_deref(), Some("Notes"));
    assert!(shows(&harness, "exported"), "the first sheet is previewed");
    sheet.click();
    harness.run();
    harness.get_by_label("Contacts").click();
    harness.run();
    assert_eq!(
        harness
            .get_by_role_and_label(Role::ComboBox, "Sheet")
            .accesskit_node()
            .value()
            .as_deref(),
        Some("Contacts")
    );
    assert!(
        harness.query_by_label("exported").is_none(),
        "the preview follows the sheet"
    );
    let lead = harness.get_by_role_and_label(Role::TextInput, "Event for Became a Lead Date");
    assert_eq!(lead.accesskit_node().value().as_deref(), Some("lead"));
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the summary", |h| {
        shows(h, "Imported 3 events from 2 rows with stage dates")
    });
    let list = store::list_imports(&Database::open(&db).unwrap()).unwrap();
    assert_eq!(list[0].file_name, "crm.xlsx [Contacts]");
}
