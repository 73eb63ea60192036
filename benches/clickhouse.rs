//! Journeymap over ClickHouse against the local engine over the SQLite
//! import of the same events: a 5-step funnel and the paths graph. Run
//! through `benches/clickhouse.sh`, or:
//!
//!   cargo bench --bench clickhouse -- DATA.sqlite clickhouse://HOST/DB.TABLE [--columns SPEC] [--sql DIR]
//!
//! Checks that both give the same answers, and with `--sql DIR` writes the
//! SQL Journeymap sends there, so the script can time it by hand with
//! clickhouse-client (beside windowFunnel, which computes levels only).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use journeymap::analysis::{FunnelSpec, FunnelStep, funnel, funnel_among, path_graph};
use journeymap::store::clickhouse::{ClickHouseSource, ClickHouseUrl, DEFAULT_TIMEOUT, QueryControl};
use journeymap::store::{Database, EventFilter, EventSource, load_events};

const WINDOW_MS: i64 = 14 * 24 * 3600 * 1000;
const STEPS: [&str; 5] = ["page_view", "signup", "trial_start", "demo_booked", "purchase"];

/// The median of `runs` timings of `f`, printed with the minimum.
fn median<T>(label: &str, runs: usize, mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut times = Vec::with_capacity(runs);
    let mut out = None;
    for _ in 0..runs {
        let start = Instant::now();
        out = Some(std::hint::black_box(f()));
        times.push(start.elapsed());
    }
    times.sort();
    let m = times[runs / 2];
    println!(
        "{label:<44} median of {runs}: {:>9.1} ms (min {:.1} ms)",
        m.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
    (out.expect("runs > 0"), m)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (Some(sqlite), Some(url)) = (args.first().map(PathBuf::from), args.get(1)) else {
        eprintln!(
            "usage: cargo bench --bench clickhouse -- DATA.sqlite clickhouse://HOST/DB.TABLE [--columns SPEC] [--sql DIR]"
        );
        std::process::exit(2);
    };
    let option = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let none = QueryControl::default();

    // The local engine: load the whole log from SQLite, then walk it.
    let db = Database::open(&sqlite).unwrap_or_else(|e| panic!("{e}"));
    let (log, load) = median("local: load_events from SQLite", 1, || load_events(&db).unwrap());
    let spec = FunnelSpec::new(
        STEPS.iter().map(|s| FunnelStep::from_names(&log, *s, &[s])).collect(),
        WINDOW_MS,
    );
    let (local_funnel, t_funnel) = median("local: funnel (5 steps, 14 d)", 5, || funnel(&log, &spec));
    let (local_paths, t_paths) = median("local: paths graph", 5, || path_graph(&log, None));
    println!(
        "local end to end: funnel {:.2} s, paths {:.2} s ({} events of {} people)",
        (load + t_funnel).as_secs_f64(),
        (load + t_paths).as_secs_f64(),
        log.len(),
        log.person_count()
    );
    drop(log);

    // ClickHouse: the server filters or counts, the local engine finishes.
    let url = ClickHouseUrl::parse(url).unwrap_or_else(|e| panic!("{e}"));
    let password = std::env::var(journeymap::store::clickhouse::PASSWORD_VARIABLE).ok();
    let ch = ClickHouseSource::connect(url, option("--columns").map(String::as_str), password, DEFAULT_TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}"));
    println!("ClickHouse {}", ch.version());
    let filter = EventFilter {
        events: Some(STEPS.iter().map(|s| s.to_string()).collect()),
        skip_channel: true,
        skip_money: true,
        ..Default::default()
    };
    let source = EventSource::ClickHouse(Box::new(ch));
    let (remote_funnel, _) = median("ClickHouse: funnel (events sent, walked here)", 3, || {
        let input = source.funnel_input(&filter, None, None, &none).unwrap();
        let spec = FunnelSpec::new(
            STEPS
                .iter()
                .map(|s| FunnelStep::from_names(&input.log, *s, &[s]))
                .collect(),
            WINDOW_MS,
        );
        (funnel_among(&input.log, &spec, input.people), input.log.len())
    });
    println!("  {} of the events crossed the network", remote_funnel.1);
    assert_eq!(remote_funnel.0, local_funnel, "the funnels differ");
    let (remote_paths, _) = median("ClickHouse: paths graph (counted there)", 3, || {
        source.path_counts(None, &none).unwrap().unwrap()
    });
    assert_eq!(remote_paths.edges, local_paths.edges, "the paths differ");
    assert_eq!(remote_paths.people, local_paths.people);
    println!(
        "same answers; funnel reached {:?}; {} path edges",
        local_funnel.steps.iter().map(|s| s.reached).collect::<Vec<_>>(),
        local_paths.edges.len()
    );

    if let (Some(dir), EventSource::ClickHouse(ch)) = (option("--sql"), &source) {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("funnel_events.sql"), ch.funnel_sql(&filter)).unwrap();
        std::fs::write(dir.join("people.sql"), ch.people_sql()).unwrap();
        std::fs::write(dir.join("paths.sql"), ch.paths_sql(None)).unwrap();
    }
}
