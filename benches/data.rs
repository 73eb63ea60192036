//! Times the analysis of imported data: loading the event log from SQLite,
//! a 5-step funnel and the paths graph. Run through `benches/run.sh`, or:
//!
//!   cargo bench --bench data -- DATA.sqlite [--json RESULTS.json] [--map MAP.ron]
//!                               [--same PROPERTY]
//!
//! With `--map`, also the Data view's analyses of that map over the events
//! (`analysis::overview` with the view's defaults: 30-day window, missing
//! links from 5% of a touchpoint's moves), what the app computes on open.
//! With `--same`, reading that property's column for the loaded events,
//! what the Data view does once when a property is held the same across
//! the funnel's steps (later analyses of the same events reuse it).
//!
//! The database comes from `journeymap import` of a `gen_events` CSV.
//! `--json` writes the answers so `duckdb_compare.py` can check DuckDB gets
//! the same ones.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use journeymap::analysis::{FunnelSpec, FunnelStep, directly_follows, funnel};
use journeymap::store::{Database, load_events};

const RUNS: usize = 5;
const WINDOW_MS: i64 = 14 * 24 * 3600 * 1000;
const STEPS: [&str; 5] = ["page_view", "signup", "trial_start", "demo_booked", "purchase"];

fn median<T>(label: &str, mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut times = Vec::with_capacity(RUNS);
    let mut out = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        out = Some(std::hint::black_box(f()));
        times.push(start.elapsed());
    }
    times.sort();
    let m = times[RUNS / 2];
    println!(
        "{label:<24} median of {RUNS}: {:>9.1} ms (min {:.1} ms)",
        m.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
    (out.expect("RUNS > 0"), m)
}

fn main() {
    // cargo bench passes --bench; everything else is ours.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let Some(db_path) = args.first().map(PathBuf::from) else {
        eprintln!(
            "usage: cargo bench --bench data -- DATA.sqlite [--json RESULTS.json] [--map MAP.ron] [--same PROPERTY]"
        );
        std::process::exit(2);
    };
    let json = args.iter().position(|a| a == "--json").and_then(|i| args.get(i + 1));
    let map = args.iter().position(|a| a == "--map").and_then(|i| args.get(i + 1));
    let same = args.iter().position(|a| a == "--same").and_then(|i| args.get(i + 1));

    let db = Database::open(&db_path).unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    let log = load_events(&db).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "load_events: {} events of {} people in {:.2} s",
        log.len(),
        log.person_count(),
        start.elapsed().as_secs_f64()
    );

    let spec = FunnelSpec::new(
        STEPS.iter().map(|s| FunnelStep::from_names(&log, *s, &[s])).collect(),
        WINDOW_MS,
    );
    let (report, t_funnel) = median("funnel (5 steps, 14 d)", || funnel(&log, &spec));
    let (paths, t_paths) = median("paths (directly follows)", || directly_follows(&log));
    let reached: Vec<u64> = report.steps.iter().map(|s| s.reached).collect();
    println!("funnel reached: {reached:?}; {} path edges", paths.len());
    if let Some(map) = map {
        let map = journeymap::model::format::load(std::path::Path::new(map)).unwrap_or_else(|e| panic!("{e}"));
        let options = journeymap::analysis::OverviewOptions {
            window_ms: 30 * 86_400_000,
            missing_link_share: 0.05,
            from_ms: None,
            to_ms: None,
            exclude: None,
            same: None,
        };
        let label = format!("Data view ({} tps)", map.touchpoints.len());
        median(&label, || journeymap::analysis::overview(&map, &log, &options));
    }
    if let Some(property) = same {
        let (column, _) = median(&format!("property '{property}' of the loaded events"), || {
            journeymap::store::load_property(&db, &log, property).unwrap_or_else(|e| panic!("{e}"))
        });
        let column = column.expect("the events did not change");
        println!("'{property}': {} values", column.values.len());
    }

    if let Some(path) = json {
        let out = serde_json::json!({
            "reached": reached,
            "paths": paths,
            "funnel_ms": t_funnel.as_secs_f64() * 1e3,
            "paths_ms": t_paths.as_secs_f64() * 1e3,
        });
        std::fs::write(path, out.to_string()).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}
