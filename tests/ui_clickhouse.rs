//! The Connect to ClickHouse dialog and the Data view over a ClickHouse
//! table, driven headless through their accessible labels. The URL checks
//! need no server; the rest run against a real one (127.0.0.1:8123, or
//! JOURNEYMAP_CLICKHOUSE_URL) and, without one, say they were skipped and
//! pass, unless JOURNEYMAP_REQUIRE_CLICKHOUSE=1 (as in CI) asks for one.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use common::{Picker, app, scratch, template};
use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use journeymap::model::{JourneyMap, format};
use journeymap::store::{self, Database, ImportOptions};
use journeymap::ui::FilePicker;
use journeymap::ui::data::DataPanel;

const SAMPLE_EVENTS: &str = include_str!("../sample_maps/b2b_saas_inbound_events.csv");

fn sample_map() -> JourneyMap {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps/b2b_saas_inbound.ron");
    format::load(&path).unwrap()
}

/// Every text the window shows, for failure messages and for checking that
/// a secret shows nowhere.
fn texts<S>(harness: &Harness<'static, S>) -> Vec<String> {
    harness
        .root()
        .children_recursive()
        .filter_map(|n| {
            let n = n.accesskit_node();
            n.label().or(n.value()).map(|t| t.to_string())
        })
        .collect()
}

/// Steps frames (the workers run meanwhile) until `done`, for at most 60 s.
fn wait_for<S>(harness: &mut Harness<'static, S>, what: &str, done: impl Fn(&Harness<'static, S>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(harness) {
        if Instant::now() > deadline {
            panic!(
                "timed out waiting for {what}; the window shows:\n{}",
                texts(harness).join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
}

fn shows<S>(harness: &Harness<'static, S>, text: &str) -> bool {
    harness.query_by_label_contains(text).is_some()
}

fn type_into<S>(harness: &mut Harness<'static, S>, field: &str, text: &str) {
    harness.get_by_role_and_label(Role::TextInput, field).focus();
    harness.step();
    harness.get_by_role_and_label(Role::TextInput, field).type_text(text);
    harness.step();
}

/// Opens the dialog from the File menu, as a user would.
fn open_dialog_from_menu(harness: &mut Harness<'static, journeymap::ui::JourneyApp>) {
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Connect to ClickHouse…").click();
    harness.run();
    harness.get_by_label("Connect to ClickHouse");
}

#[test]
fn the_dialog_refuses_a_url_with_a_password_or_without_a_table_before_asking_any_server() {
    let dir = scratch("clickhouse-urls");
    let mut h = app(template("basic", "Urls"), Picker::default(), dir.join("state"), 3600.0);
    open_dialog_from_menu(&mut h);
    let connect = h.get_by_role_and_label(Role::Button, "Connect");
    assert!(
        connect.accesskit_node().is_disabled(),
        "Connect waits for a tested table"
    );

    type_into(&mut h, "URL", "clickhouse://ana:s3cret@127.0.0.1:1/analytics.events");
    h.get_by_label("Test connection").click();
    h.run();
    assert!(
        shows(&h, "the URL holds a password (not shown here)"),
        "{:?}",
        texts(&h)
    );
    let secret_shown = h
        .root()
        .children_recursive()
        .filter_map(|n| n.accesskit_node().label().map(|l| l.to_string()))
        .find(|l| l.contains("s3cret"));
    assert_eq!(secret_shown, None, "the password is not repeated in the message");

    h.get_by_label("Cancel").click();
    h.run();
    // The menu took the window to the Data view, whose header offers it too.
    h.get_by_label("Connect to ClickHouse…").click();
    h.run();
    type_into(&mut h, "URL", "clickhouse://127.0.0.1:1/events");
    h.get_by_label("Test connection").click();
    h.run();
    assert!(shows(&h, "name the table as /DATABASE.TABLE"), "{:?}", texts(&h));
    assert!(h.state().data().clickhouse().is_none());
}

/// The server to test against (`host:port`), or `None` after saying the
/// test was skipped.
fn server(test: &str) -> Option<String> {
    let url = std::env::var("JOURNEYMAP_CLICKHOUSE_URL").unwrap_or_else(|_| "http://127.0.0.1:8123".into());
    let address = url.trim_start_matches("http://").trim_end_matches('/').to_owned();
    match sql(&address, "SELECT 1", "") {
        Ok(answer) if answer.trim() == "1" => Some(address),
        outcome => {
            let message = format!(
                "no ClickHouse server at {url} ({outcome:?}); install with `apt-get install clickhouse-server` \
                 and start it as root with `clickhouse-server --config-file=/etc/clickhouse-server/config.xml` \
                 (or set JOURNEYMAP_CLICKHOUSE_URL)"
            );
            if std::env::var("JOURNEYMAP_REQUIRE_CLICKHOUSE").is_ok_and(|v| v == "1") {
                panic!("{test}: {message}; JOURNEYMAP_REQUIRE_CLICKHOUSE=1 asks for one");
            }
            use std::io::Write;
            let _ = std::io::stderr().write_all(format!("{test}: skipped: {message}\n").as_bytes());
            None
        }
    }
}

fn sql(address: &str, query: &str, body: &str) -> Result<String, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let mut request = agent.post(format!("http://{address}/")).query("query", query);
    if let Ok(password) = std::env::var(journeymap::store::clickhouse::PASSWORD_VARIABLE) {
        request = request.header("X-ClickHouse-Key", password);
    }
    let mut response = request.send(body).map_err(|e| e.to_string())?;
    let text = response.body_mut().read_to_string().map_err(|e| e.to_string())?;
    match response.status().as_u16() {
        200 => Ok(text),
        status => Err(format!("HTTP {status}: {text}")),
    }
}

/// A database of the test's own on the server, dropped when it ends.
struct TestDatabase {
    address: String,
    name: String,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = sql(&self.address, &format!("DROP DATABASE IF EXISTS {}", self.name), "");
    }
}

/// The sample events in a table, with their row number as the tie order
/// (`seq`), so events at the same second keep the order of the file.
fn load_table(address: &str, test: &str) -> (TestDatabase, String) {
    let name = format!("journeymap_{test}_{}", std::process::id());
    sql(address, &format!("DROP DATABASE IF EXISTS {name}"), "").unwrap();
    sql(address, &format!("CREATE DATABASE {name}"), "").unwrap();
    let database = TestDatabase {
        address: address.to_owned(),
        name: name.clone(),
    };
    sql(
        address,
        &format!(
            "CREATE TABLE {name}.events (person_id String, timestamp DateTime('UTC'), event String, \
             channel Nullable(String), cost Nullable(Float64), revenue Nullable(Float64), country String, \
             seq UInt32) ENGINE = MergeTree ORDER BY tuple()"
        ),
        "",
    )
    .unwrap();
    let mut csv = String::new();
    for (seq, line) in SAMPLE_EVENTS.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let time = f[1].replace('T', " ").replace('Z', "");
        let null = |v: &str| if v.is_empty() { "\\N".to_owned() } else { v.to_owned() };
        csv.push_str(&format!(
            "{},{time},{},{},{},{},{},{seq}\n",
            f[0],
            f[2],
            null(f[3]),
            null(f[4]),
            null(f[5]),
            f[6]
        ));
    }
    sql(address, &format!("INSERT INTO {name}.events FORMAT CSV"), &csv).unwrap();
    (database, format!("clickhouse://{address}/{name}.events"))
}

/// The same events imported into a database file.
fn import_sample(dir: &Path) -> PathBuf {
    let csv = dir.join("events.csv");
    std::fs::write(&csv, SAMPLE_EVENTS).unwrap();
    let path = dir.join("map.sqlite");
    let mut db = Database::open(&path).unwrap();
    let summary = store::import_file(
        &mut db,
        &csv,
        &ImportOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(summary.rejected, 0);
    path
}

struct NoFiles;

impl FilePicker for NoFiles {
    fn open_map(&mut self) -> Option<PathBuf> {
        None
    }
    fn save_map(&mut self, _: &str) -> Option<PathBuf> {
        None
    }
    fn open_csv(&mut self) -> Option<PathBuf> {
        None
    }
    fn save_export(&mut self, _: &str, _: &str) -> Option<PathBuf> {
        None
    }
}

struct State {
    panel: DataPanel,
    map: JourneyMap,
}

fn data_view(db: PathBuf) -> Harness<'static, State> {
    let mut panel = DataPanel::new();
    panel.set_database(Some(db));
    Harness::builder()
        .with_size([1400.0, 3600.0])
        .with_theme(egui::Theme::Light)
        .with_context_setup(journeymap::ui::install_fonts)
        .build_ui_state(
            |ui, s: &mut State| {
                s.panel.show(ui, &s.map, 1, &mut NoFiles);
            },
            State {
                panel,
                map: sample_map(),
            },
        )
}

/// A touchpoint on the overlay: name, people reached, events, conversions.
type Reach = (String, u64, u64, u64);

/// What the view shows of the data: people per funnel stage, and each
/// touchpoint's reach on the overlay.
fn figures(h: &Harness<'static, State>) -> (Vec<u64>, Vec<Reach>) {
    let a = h.state().panel.analysis().expect("analysed");
    let funnel = a.funnel.steps.iter().map(|s| s.reached).collect();
    let reach = a
        .comparison
        .touchpoints
        .iter()
        .map(|t| (t.name.clone(), t.people_reached, t.events, t.conversions))
        .collect();
    (funnel, reach)
}

fn settled(h: &Harness<'static, State>) -> bool {
    !h.state().panel.busy() && h.state().panel.analysis().is_some()
}

#[test]
fn a_connected_table_shows_the_same_funnel_and_overlay_as_the_import_of_its_file() {
    let test = "ui_connect";
    let Some(address) = server(test) else { return };
    let (_database, url) = load_table(&address, test);
    let dir = scratch("clickhouse-connect");
    let mut h = data_view(import_sample(&dir));
    wait_for(&mut h, "the database's analyses", settled);
    let from_file = figures(&h);
    assert!(
        from_file.0[0] > 0 && from_file.1.iter().any(|t| t.1 > 0),
        "{from_file:?}"
    );
    let events = SAMPLE_EVENTS.lines().count() - 1;
    let counted = format!("{} events · ", journeymap::layout::text::group_thousands(events as f64));
    assert!(shows(&h, &counted), "{:?}", texts(&h));

    // A wrong password: refused in plain words, never shown.
    h.get_by_label("Connect to ClickHouse…").click();
    h.run();
    type_into(&mut h, "URL", &url);
    h.get_by_role_and_label(Role::PasswordInput, "Password").focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, "Password")
        .type_text("hunter2-wrong");
    h.step();
    h.get_by_label("Test connection").click();
    wait_for(&mut h, "the refusal", |h| shows(h, "refused user 'default'"));
    assert!(texts(&h).iter().all(|t| !t.contains("hunter2")), "{:?}", texts(&h));
    h.get_by_label("Cancel").click();
    h.run();

    // The columns listed and guessed, then connected.
    h.get_by_label("Connect to ClickHouse…").click();
    h.run();
    type_into(&mut h, "URL", &url);
    h.get_by_label("Test connection").click();
    wait_for(&mut h, "the table's columns", |h| shows(h, "8 columns"));
    let version = sql(&address, "SELECT version()", "").unwrap().trim().to_owned();
    h.get_by_label(&format!("ClickHouse {version} · 8 columns"));
    for (combo, column) in [
        ("Person column", "person_id"),
        ("Time column", "timestamp"),
        ("Event column", "event"),
        ("Channel column", "channel"),
        ("Cost column", "cost"),
        ("Revenue column", "revenue"),
        ("Tie order column", "seq"),
    ] {
        let value = h.get_by_role_and_label(Role::ComboBox, combo).accesskit_node().value();
        assert_eq!(value.as_deref(), Some(column), "{combo}");
    }
    h.get_by_role_and_label(Role::Button, "Connect").click();
    let name = url.trim_start_matches("clickhouse://").to_owned();
    let label = format!("ClickHouse {version} · {name}");
    wait_for(&mut h, "the table's analyses", |h| {
        h.state().panel.clickhouse() == Some(label.as_str()) && settled(h)
    });
    h.get_by_label(&label);
    assert_eq!(figures(&h), from_file, "the same numbers as from the database file");
    assert!(shows(&h, &counted), "{:?}", texts(&h));

    // Disconnect: back to the database file, with the table remembered.
    h.get_by_label("Disconnect").click();
    wait_for(&mut h, "the database's analyses again", |h| {
        h.state().panel.clickhouse().is_none() && settled(h)
    });
    assert_eq!(figures(&h), from_file);
    h.get_by_label(&format!("Last connected to {url}"));
    h.get_by_label("Reconnect…").click();
    h.run();
    let field = h.get_by_role_and_label(Role::TextInput, "URL");
    assert_eq!(field.accesskit_node().value().as_deref(), Some(url.as_str()));
}
