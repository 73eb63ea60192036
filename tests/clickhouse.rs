//! ClickHouse as a source, against a real server: the same generated events
//! (with ties, alternative and repeated steps) loaded into a ClickHouse table
//! and imported into a database file give the same answers to every data
//! command. Without a server (127.0.0.1:8123, or JOURNEYMAP_CLICKHOUSE_URL)
//! each test says it was skipped and how to get one, and passes; with
//! JOURNEYMAP_REQUIRE_CLICKHOUSE=1 (as in CI) a missing server fails them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod cli;

use cli::{journeymap, json, scratch};
use journeymap::store::clickhouse::{
    Cancel, ClickHouseError, ClickHouseUrl, Client, PASSWORD_VARIABLE, Progress, QueryControl,
};

const SAMPLE_MAP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/b2b_saas_inbound.ron");
const SAMPLE_EVENTS: &str = include_str!("../sample_maps/b2b_saas_inbound_events.csv");

/// The server's HTTP interface, as `host:port`.
struct Server {
    address: String,
    agent: ureq::Agent,
}

/// The server to test against, or `None` (after saying so) to skip.
fn server(test: &str) -> Option<Server> {
    let url = std::env::var("JOURNEYMAP_CLICKHOUSE_URL").unwrap_or_else(|_| "http://127.0.0.1:8123".into());
    let address = url.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let server = Server { address, agent };
    match server.sql("SELECT 1") {
        Ok(answer) if answer.trim() == "1" => Some(server),
        outcome => {
            let why = match outcome {
                Ok(answer) => format!("it answered {answer:?}"),
                Err(e) => e,
            };
            let message = format!(
                "no ClickHouse server at {url} ({why}); install with `apt-get install clickhouse-server` \
                 and start it as root with `clickhouse-server --config-file=/etc/clickhouse-server/config.xml` \
                 (or set JOURNEYMAP_CLICKHOUSE_URL)"
            );
            if std::env::var("JOURNEYMAP_REQUIRE_CLICKHOUSE").is_ok_and(|v| v == "1") {
                panic!("{test}: {message}; JOURNEYMAP_REQUIRE_CLICKHOUSE=1 asks for one");
            }
            // Straight to stderr, past the test harness's capture, so a
            // plain `cargo test` shows it.
            use std::io::Write;
            let line = format!("{test}: skipped: {message}\n");
            let _ = std::io::stderr().write_all(line.as_bytes());
            None
        }
    }
}

impl Server {
    /// Runs one statement (with `body` as its data), as the test's own setup.
    fn run(&self, sql: &str, body: &[u8]) -> Result<String, String> {
        let mut request = self
            .agent
            .post(format!("http://{}/", self.address))
            .query("query", sql)
            // 18.16 needs this for LowCardinality; newer servers ignore it.
            .query("allow_experimental_low_cardinality_type", "1");
        if let Ok(password) = std::env::var(PASSWORD_VARIABLE) {
            request = request.header("X-ClickHouse-Key", password);
        }
        let mut response = request.send(body).map_err(|e| e.to_string())?;
        let text = response.body_mut().read_to_string().map_err(|e| e.to_string())?;
        match response.status().as_u16() {
            200 => Ok(text),
            status => Err(format!("HTTP {status}: {text}")),
        }
    }

    fn sql(&self, sql: &str) -> Result<String, String> {
        self.run(sql, b"")
    }

    fn version(&self) -> (u32, u32) {
        let v = self.sql("SELECT version()").unwrap();
        let mut parts = v.trim().split('.').map(|p| p.parse().unwrap());
        (parts.next().unwrap(), parts.next().unwrap())
    }

    /// A fresh database of this test's own, dropped when the test ends.
    fn database(&self, test: &str) -> TestDatabase<'_> {
        let name = format!("journeymap_{test}_{}", std::process::id());
        self.sql(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
        self.sql(&format!("CREATE DATABASE {name}")).unwrap();
        TestDatabase { server: self, name }
    }
}

struct TestDatabase<'a> {
    server: &'a Server,
    name: String,
}

impl TestDatabase<'_> {
    /// Creates `table` with `columns` and loads `csv` (with a header) into it.
    fn table(&self, table: &str, columns: &str, csv: &str) -> String {
        let full = format!("{}.{table}", self.name);
        self.server
            .sql(&format!(
                "CREATE TABLE {full} ({columns}) ENGINE = MergeTree ORDER BY tuple()"
            ))
            .unwrap();
        self.server
            .run(&format!("INSERT INTO {full} FORMAT CSVWithNames"), csv.as_bytes())
            .unwrap();
        format!("clickhouse://{}/{full}", self.server.address)
    }
}

impl Drop for TestDatabase<'_> {
    fn drop(&mut self) {
        let _ = self.server.sql(&format!("DROP DATABASE IF EXISTS {}", self.name));
    }
}

/// A tiny deterministic generator, so failures repeat.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The sample events with their order shaken up for the engine: a fifth of
/// the events moved onto their person's previous event's second (ties, in
/// file order), extra steps at the same second as a first step, listed
/// before it in the file, and repeated first steps. `seq` is the row number,
/// `plan` a property.
fn shaken_events() -> String {
    let mut dice = Dice(7);
    let mut last: std::collections::HashMap<String, String> = Default::default();
    let mut out = String::from("person_id,timestamp,event,channel,cost,revenue,seq,plan\n");
    let mut seq = 0;
    let mut row =
        |out: &mut String, person: &str, time: &str, event: &str, channel: &str, cost: &str, revenue: &str| {
            let plan = ["free", "pro", "", "team"][(person.bytes().map(u64::from).sum::<u64>() % 4) as usize];
            let cost = if cost.is_empty() { "0" } else { cost };
            let revenue = if revenue.is_empty() { "0" } else { revenue };
            out.push_str(&format!(
                "{person},{time},{event},{channel},{cost},{revenue},{seq},{plan}\n"
            ));
            seq += 1;
        };
    for line in SAMPLE_EVENTS.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (person, event, channel, cost, revenue) = (f[0], f[2], f[3], f[4], f[5]);
        let mut time = f[1].replace('T', " ").replace('Z', "");
        if let Some(previous) = last.get(person)
            && dice.below(5) == 0
        {
            time = previous.clone();
        }
        if event == "session_start" {
            match dice.below(6) {
                // A later step at the same second, earlier in the file.
                0 => row(&mut out, person, &time, "trial_signup", channel, "", ""),
                1 => row(&mut out, person, &time, "page_view_pricing", "", "", ""),
                _ => {}
            }
        }
        row(&mut out, person, &time, event, channel, cost, revenue);
        if event == "session_start" && dice.below(4) == 0 {
            row(&mut out, person, &time, event, channel, "", "");
        }
        last.insert(person.to_owned(), time);
    }
    out
}

const EVENT_COLUMNS: &str = "person_id String, timestamp DateTime('UTC'), event LowCardinality(String), \
                             channel Nullable(String), cost Float64, revenue Nullable(Float64), seq UInt32, \
                             plan LowCardinality(String)";

fn import(dir: &Path, csv: &str) -> PathBuf {
    let file = dir.join("events.csv");
    std::fs::write(&file, csv).unwrap();
    let db = dir.join("events.sqlite");
    let out = journeymap(&["import", file.to_str().unwrap(), "--db", db.to_str().unwrap(), "--json"]);
    assert_eq!(json(&out)["rejected"], 0);
    db
}

fn with_db(args: &[&str], db: &str, columns: Option<&str>) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--db", db]);
    if let Some(columns) = columns {
        all.extend(["--columns", columns]);
    }
    journeymap(&all)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_data_command_over_clickhouse_equals_the_import_of_the_same_events() {
    let Some(server) = server("every_data_command") else {
        return;
    };
    let dir = scratch("clickhouse-same");
    let csv = shaken_events();
    let sqlite = import(&dir, &csv);
    let sqlite = sqlite.to_str().unwrap();
    let database = server.database("same");
    let url = database.table("events", EVENT_COLUMNS, &csv);
    let columns = Some("order=seq");
    let steps = "session_start,page_view_pricing|demo_booked,trial_signup,subscription_started";
    let commands: Vec<Vec<&str>> = vec![
        vec!["funnel", "--steps", steps],
        vec![
            "funnel",
            "--steps",
            "session_start,session_start,trial_signup",
            "--window",
            "7d",
        ],
        vec![
            "funnel",
            "--steps",
            "trial_signup,session_start|trial_signup,subscription_started",
        ],
        vec!["funnel", "--steps", steps, "--by", "channel"],
        vec!["funnel", "--steps", steps, "--by", "plan", "--same", "plan"],
        vec![
            "funnel",
            "--steps",
            steps,
            "--exclude",
            "unsubscribe",
            "--from",
            "2026-03-03",
            "--to",
            "2026-03-25",
        ],
        vec!["funnel", "--steps", "session_start,no_such_event"],
        vec!["funnel", "--map", SAMPLE_MAP],
        vec!["funnel", "--map", SAMPLE_MAP, "--by", "channel", "--window", "14d"],
        vec!["paths"],
        vec!["paths", "--ends", "--top", "15"],
        vec!["paths", "--converted-by", "subscription_started", "--ends"],
        vec!["paths", "--map", SAMPLE_MAP, "--converters-only"],
        vec!["compare", "--map", SAMPLE_MAP],
        vec!["compare", "--map", SAMPLE_MAP, "--window", "7d", "--threshold", "0.1"],
        vec!["attribution", "--conversion", "subscription_started"],
        vec!["attribution", "--map", SAMPLE_MAP, "--by", "touchpoint"],
        vec!["attribution", "--map", SAMPLE_MAP, "--repeat", "--lookback", "14d"],
    ];
    for command in commands {
        let mut args = command.clone();
        args.push("--json");
        let local = json(&with_db(&args, sqlite, None));
        let remote = json(&with_db(&args, &url, columns));
        assert_eq!(local, remote, "journeymap {}", command.join(" "));
    }
    // The text output names the people counted just the same.
    let args = ["paths", "--converted-by", "subscription_started"];
    let local = with_db(&args, sqlite, None);
    let remote = with_db(&args, &url, columns);
    assert!(remote.status.success(), "{}", stderr(&remote));
    assert_eq!(local.stdout, remote.stdout);
    assert!(String::from_utf8_lossy(&remote.stdout).starts_with("Paths of "));
    // The export's report with the comparison is the same.
    let (md_local, md_remote) = (dir.join("local.md"), dir.join("remote.md"));
    for (db, columns, out) in [(sqlite, None, &md_local), (url.as_str(), columns, &md_remote)] {
        let out = with_db(&["export", SAMPLE_MAP, "--to", out.to_str().unwrap()], db, columns);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let remote = std::fs::read_to_string(&md_remote).unwrap();
    assert!(
        remote.contains("## What the data says"),
        "the report compares the map with the data"
    );
    assert_eq!(std::fs::read_to_string(&md_local).unwrap(), remote);
}

/// Events where what `compare` may leave on the server matters: a person
/// whose first row meets nothing (zed: first in the file, last by name),
/// channels first seen on events that meet nothing (amy's and bob's bing,
/// zed's yahoo at a tie), channels alike in cost and reach, listed in the
/// order of their first rows (duck, yahoo, linkedin), costs whose sum depends on the order of
/// people (0.3 + 0.2 + 0.1 is not 0.2 + 0.1 + 0.3), revenue on an event
/// that meets nothing, and a person (cy) with nothing to send.
const COMPARE_EVENTS: &str = "person_id,timestamp,event,channel,cost,revenue,seq,plan\n\
    zed,2026-03-01 09:00:00,page_view_home,,0,0,0,\n\
    amy,2026-03-01 09:30:00,app_session,bing,0,0,1,\n\
    amy,2026-03-01 09:40:00,app_session,duck,0,0,2,\n\
    amy,2026-03-01 10:00:00,session_start,google,0.2,0,3,\n\
    zed,2026-03-01 10:00:00,session_start,google,0.3,0,4,\n\
    zed,2026-03-01 10:00:00,app_session,yahoo,0,0,5,\n\
    amy,2026-03-02 08:00:00,email_open,,0.1,0,6,\n\
    bob,2026-03-02 09:00:00,session_start,google,0.1,0,7,\n\
    bob,2026-03-02 09:00:00,page_view_home,bing,0,0,8,\n\
    bob,2026-03-03 09:00:00,subscription_started,,0,49.9,9,\n\
    zed,2026-03-03 10:00:00,invoice_paid,bing,0,19.99,10,\n\
    amy,2026-03-04 10:00:00,app_session,bing,0,0,11,\n\
    amy,2026-03-04 11:00:00,subscription_started,linkedin,0,10.1,12,\n\
    zed,2026-03-05 10:00:00,unsubscribe,,0,0,13,\n\
    cy,2026-03-05 11:00:00,page_view_home,,0,0,14,\n";

#[test]
fn compare_sends_only_the_events_it_walks_and_still_equals_the_whole() {
    use journeymap::analysis;
    use journeymap::store::EventSource;
    use journeymap::store::clickhouse::ClickHouseSource;
    let Some(server) = server("compare_sends_only") else {
        return;
    };
    let dir = scratch("clickhouse-compare");
    let sqlite = import(&dir, COMPARE_EVENTS);
    let database = server.database("compare");
    let url = database.table("events", EVENT_COLUMNS, COMPARE_EVENTS);
    let args = ["compare", "--map", SAMPLE_MAP];
    let local = with_db(&args, sqlite.to_str().unwrap(), None);
    let remote = with_db(&args, &url, Some("order=seq"));
    assert!(remote.status.success(), "{}", stderr(&remote));
    assert_eq!(
        String::from_utf8_lossy(&local.stdout),
        String::from_utf8_lossy(&remote.stdout)
    );
    let json_args = ["compare", "--map", SAMPLE_MAP, "--json"];
    let local = json(&with_db(&json_args, sqlite.to_str().unwrap(), None));
    assert_eq!(local, json(&with_db(&json_args, &url, Some("order=seq"))));
    assert_eq!(local["people"], 4);

    // With and without a tie order, the events sent are fewer, and the
    // comparison is that of every event of the table.
    let map = journeymap::model::format::load(Path::new(SAMPLE_MAP)).unwrap();
    let password = std::env::var(PASSWORD_VARIABLE).ok();
    for columns in [Some("order=seq"), None] {
        let parsed = ClickHouseUrl::parse(&url).unwrap();
        let ch = ClickHouseSource::connect(parsed, columns, password.clone(), Duration::from_secs(60)).unwrap();
        let none = QueryControl::default();
        let all = ch.load_events(&none).unwrap();
        let sent = ch.compare_events(&map, &none).unwrap();
        // Not zed's first row and unsubscribe, amy's second bing, cy's row.
        assert_eq!((all.len(), sent.log.len()), (15, 11), "{columns:?}");
        assert_eq!((sent.whole.people, sent.whole.events), (4, 15));
        let whole = analysis::compare_within(&map, &all, 0.05, analysis::DEFAULT_WINDOW_MS);
        let source = EventSource::ClickHouse(Box::new(ch));
        let pushed = source.compare(&map, 0.05, analysis::DEFAULT_WINDOW_MS, &none).unwrap();
        assert_eq!(pushed, whole, "{columns:?}");
    }
}

#[test]
fn without_a_tie_order_ties_go_by_event_name_and_the_rest_still_agrees() {
    let Some(server) = server("without_a_tie_order") else {
        return;
    };
    let dir = scratch("clickhouse-ties");
    // Two people with a tie each, listed in the file against name order.
    let csv = "person_id,timestamp,event,channel,cost,revenue,seq,plan\n\
               ann,2026-03-01 10:00:00,visit,ads,0,0,0,\n\
               ann,2026-03-01 10:05:00,signup,,0,0,1,\n\
               ann,2026-03-01 10:05:00,buy,,0,0,2,\n\
               bob,2026-03-02 09:00:00,visit,search,0,0,3,\n\
               bob,2026-03-02 09:30:00,signup,,0,0,4,\n\
               bob,2026-03-03 09:30:00,buy,,0,0,5,\n";
    let sqlite = import(&dir, csv);
    let database = server.database("ties");
    let url = database.table("events", EVENT_COLUMNS, csv);
    let funnel = ["funnel", "--steps", "visit,signup,buy", "--json"];
    // In the file ann signs up before she buys; by name, buy comes first.
    let local = json(&with_db(&funnel, sqlite.to_str().unwrap(), None));
    let by_name = json(&with_db(&funnel, &url, None));
    let by_seq = json(&with_db(&funnel, &url, Some("order=seq")));
    assert_eq!(local["steps"][2]["reached"], 2);
    assert_eq!(by_seq, local);
    assert_eq!(by_name["steps"][2]["reached"], 1, "ann's buy sorts before her signup");
    assert_eq!(by_name["steps"][1]["reached"], 2);
}

#[test]
fn time_columns_of_every_kind_the_server_has() {
    let Some(server) = server("time_columns") else { return };
    let dir = scratch("clickhouse-times");
    let database = server.database("times");
    // A row without a time is rejected by the import and skipped here.
    let csv = "person_id,timestamp,event\n\
               ann,2026-03-01 10:00:00.250,visit\n\
               ann,2026-03-01 10:00:01.750,signup\n\
               bob,2026-03-01 11:00:00.000,visit\n\
               bob,,signup\n\
               cid,2026-03-02 00:00:00.000,visit\n";
    let file = dir.join("events.csv");
    std::fs::write(&file, csv).unwrap();
    let sqlite = dir.join("events.sqlite");
    let out = journeymap(&[
        "import",
        file.to_str().unwrap(),
        "--db",
        sqlite.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(json(&out)["rejected"], 1);
    let seconds = csv.replace(".250", "").replace(".750", "").replace(".000", "");
    let sqlite_seconds = import(&scratch("clickhouse-times-s"), &seconds.replace("bob,,signup\n", ""));
    let funnel = ["funnel", "--steps", "visit,signup", "--json"];
    let expected_ms = json(&with_db(&funnel, sqlite.to_str().unwrap(), None));
    let expected_s = json(&with_db(&funnel, sqlite_seconds.to_str().unwrap(), None));
    assert_eq!(expected_ms["steps"][1]["median_seconds"], 1.5);
    assert_eq!(expected_s["steps"][1]["median_seconds"], 1.0);

    let nullable = database.table(
        "nullable",
        "person_id LowCardinality(String), timestamp Nullable(DateTime('UTC')), event Nullable(String)",
        &seconds.replace("bob,,signup", "bob,\\N,signup"),
    );
    assert_eq!(json(&with_db(&funnel, &nullable, None)), expected_s);
    let text = database.table(
        "text_time",
        "person_id String, timestamp String, event String",
        &seconds,
    );
    let out = with_db(&funnel, &text, None);
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(
        message.contains("column 'timestamp' is String, which cannot be the time"),
        "{message}"
    );
    let date = database.table(
        "dates",
        "person_id String, day Date, event String",
        "person_id,day,event\nann,2026-03-01,visit\nann,2026-03-03,signup\n",
    );
    let out = json(&with_db(&funnel, &date, Some("time=day")));
    assert_eq!(out["steps"][1]["median_seconds"], 2.0 * 86_400.0);
    if server.version() >= (20, 5) {
        let ms = database.table(
            "ms",
            "person_id String, timestamp Nullable(DateTime64(3, 'UTC')), event LowCardinality(String)",
            &csv.replace("bob,,signup", "bob,\\N,signup"),
        );
        assert_eq!(json(&with_db(&funnel, &ms, None)), expected_ms);
    } else {
        eprintln!("time_columns: this ClickHouse has no DateTime64; that case is checked on 20.5 and later");
    }
}

#[test]
fn mistakes_are_named_plainly() {
    let Some(server) = server("mistakes") else { return };
    let database = server.database("mistakes");
    let url = database.table(
        "events",
        "user_id String, ts DateTime('UTC'), name String, tags Array(String)",
        "user_id,ts,name,tags\nann,2026-03-01 10:00:00,visit,\"['a']\"\n",
    );
    let funnel = ["funnel", "--steps", "visit,buy"];
    let base = url.rsplit_once('/').unwrap().0;
    let cases: Vec<(String, Option<&str>, &str)> = vec![
        (
            url.clone(),
            None,
            "no column 'person_id' for the person id (name it with --columns person=COLUMN); the table's columns are: 'user_id', 'ts', 'name', 'tags'",
        ),
        (
            url.clone(),
            Some("person=user_id,time=ts,event=nme"),
            "no column 'nme' for the event name",
        ),
        (
            url.clone(),
            Some("person=user_id,time=ts,event=tags"),
            "column 'tags' is Array(String), which cannot be the event name",
        ),
        (
            url.clone(),
            Some("person=user_id,time=ts,event=name,order=nope"),
            "no column 'nope' for the tie order",
        ),
        (
            url.clone(),
            Some("person=user_id,time=ts,event=name,colour=x"),
            "unknown role 'colour'",
        ),
        (
            format!("{base}/{}.nothing", database.name),
            None,
            &*Box::leak(format!("database '{}' has no table 'nothing'", database.name).into_boxed_str()),
        ),
        (
            format!("{base}/journeymap_no_such_database.events"),
            None,
            "the server has no database 'journeymap_no_such_database'",
        ),
        (
            "clickhouse://127.0.0.1:9/db.events".into(),
            None,
            "cannot reach the ClickHouse server",
        ),
    ];
    for (db, columns, expected) in cases {
        let out = with_db(&funnel, &db, columns);
        assert_eq!(out.status.code(), Some(1), "{db}");
        let message = stderr(&out);
        assert!(message.contains(expected), "{db} {columns:?}: {message}");
    }
    // Wrong credentials: refused, the password never shown.
    let stranger = url.replacen("clickhouse://", "clickhouse://nobody_here@", 1);
    let out = Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(["funnel", "--steps", "visit", "--db", &stranger])
        .env(PASSWORD_VARIABLE, "hunter2-secret")
        .output()
        .unwrap();
    let message = stderr(&out);
    assert!(message.contains("refused user 'nobody_here'"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
    let with_password = url.replacen("clickhouse://", "clickhouse://ana:hunter2-secret@", 1);
    let message = stderr(&with_db(&funnel, &with_password, None));
    assert!(
        message.contains("holds a password") && !message.contains("hunter2"),
        "{message}"
    );
    // --columns belongs to ClickHouse tables only.
    let message = stderr(&with_db(&funnel, "data.sqlite", Some("person=a")));
    assert!(
        message.contains("--columns names a ClickHouse table's columns"),
        "{message}"
    );
}

/// A query that keeps the server busy for minutes.
const LONG_QUERY: &str = "SELECT count() FROM numbers(100000000000) WHERE NOT ignore(intHash64(number)) \
                          FORMAT TabSeparated";

fn client(server: &Server, timeout: Duration) -> Client {
    let url = ClickHouseUrl::parse(&format!("clickhouse://{}/system.one", server.address)).unwrap();
    Client::new(&url, std::env::var(PASSWORD_VARIABLE).ok(), timeout)
}

fn running_long_queries(server: &Server) -> u64 {
    let sql = "SELECT count() FROM system.processes WHERE query LIKE '%numbers(100000000000)%' \
               AND query NOT LIKE '%system.processes%'";
    server.sql(sql).unwrap().trim().parse().unwrap()
}

#[test]
fn a_cancelled_query_stops_on_the_server_and_progress_is_reported() {
    let Some(server) = server("cancel") else { return };
    let client = client(&server, Duration::from_secs(120));
    let cancel = Cancel::new();
    let seen = std::sync::Mutex::new(Vec::<Progress>::new());
    let report = |p: Progress| seen.lock().unwrap().push(p);
    let started = Instant::now();
    let result = std::thread::scope(|scope| {
        let trip = cancel.clone();
        scope.spawn(move || {
            std::thread::sleep(Duration::from_millis(1500));
            trip.cancel();
        });
        let control = QueryControl {
            cancel: Some(&cancel),
            progress: Some(&report),
        };
        client.query_text(LONG_QUERY, &control)
    });
    assert_eq!(result, Err(ClickHouseError::Cancelled));
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    let seen = seen.into_inner().unwrap();
    assert!(seen.iter().any(|p| p.read_rows > 0), "progress while running: {seen:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while running_long_queries(&server) > 0 {
        assert!(Instant::now() < deadline, "the query still runs on the server");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_query_over_its_time_is_stopped_with_a_plain_message() {
    let Some(server) = server("timeout") else { return };
    let client = client(&server, Duration::from_secs(1));
    let started = Instant::now();
    let err = client.query_text(LONG_QUERY, &QueryControl::default()).unwrap_err();
    assert!(matches!(err, ClickHouseError::Timeout { seconds: 1, .. }), "{err:?}");
    assert!(err.to_string().contains("no answer within 1 s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(15));
}
