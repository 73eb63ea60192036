//! The work behind the Data view, done off the UI thread: loading events
//! from the database, the analyses, and imports. Each job runs on its own
//! thread and reports through the panel's channel, waking the UI with
//! `request_repaint`. Nothing here draws.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::time::Instant;

use eframe::egui;

use crate::analysis::{
    self, AttributionReport, AttributionSpec, Comparison, EventLog, EventTouchpoints, FunnelReport, FunnelSpec,
    JourneyLengths, MarkovReport, PathGraph, TouchMap,
};
use crate::model::JourneyMap;
use crate::store::{self, Database, ImportInfo, ImportOptions, ImportSummary, Progress, StoreError};

/// A message from a job to the panel. `generation` tells results for the
/// database shown now from those of one shown before.
pub(super) enum Msg {
    Loaded {
        generation: u64,
        result: Result<Loaded, String>,
    },
    Analysed {
        generation: u64,
        result: Result<Box<Analysis>, String>,
    },
    ImportProgress {
        job: u64,
        progress: Progress,
    },
    ImportDone {
        job: u64,
        result: Result<ImportSummary, StoreError>,
    },
}

/// Runs a job, turning a panic (a bug) into an error message, so the panel
/// hears back from every job it started and never waits for ever.
fn guarded<T>(job: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("internal error (please report it): {what}")
    })
}

pub(super) struct Loaded {
    pub log: Arc<EventLog>,
    pub imports: Vec<ImportInfo>,
    /// The first and last event's time (Unix ms), if any.
    pub span: Option<(i64, i64)>,
    pub seconds: f64,
}

/// Reads every event of `db`. A database file that does not exist yet is
/// not created: it simply has no events.
pub(super) fn load(db: &Path) -> Result<Loaded, String> {
    let started = Instant::now();
    if !db.exists() {
        return Ok(Loaded {
            log: Arc::new(EventLog::default()),
            imports: Vec::new(),
            span: None,
            seconds: 0.0,
        });
    }
    let db = Database::open(db).map_err(|e| e.to_string())?;
    let imports = store::list_imports(&db).map_err(|e| e.to_string())?;
    let log = store::load_events(&db).map_err(|e| e.to_string())?;
    let span = log.time_ms.iter().min().zip(log.time_ms.iter().max());
    Ok(Loaded {
        span: span.map(|(a, b)| (*a, *b)),
        log: Arc::new(log),
        imports,
        seconds: started.elapsed().as_secs_f64(),
    })
}

pub(super) fn spawn_load(ctx: &egui::Context, tx: &Sender<Msg>, generation: u64, db: PathBuf) {
    let (ctx, tx) = (ctx.clone(), tx.clone());
    std::thread::spawn(move || {
        let result = guarded(|| load(&db)).and_then(|r| r);
        let _ = tx.send(Msg::Loaded { generation, result });
        ctx.request_repaint();
    });
}

/// What an analysis was computed from, besides the events: when any of it
/// changes, the analysis is redone.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct AnalysisKey {
    /// Bumped by `set_database`, i.e. whenever a map is opened.
    pub epoch: u64,
    /// The map's revision (the app's edit counter).
    pub revision: u64,
    pub window_days: u32,
    /// The missing-link threshold, in whole percent.
    pub share_percent: u32,
    /// The funnel's options (see `analysis::FunnelFilter`): first and last
    /// day (Unix ms), the event people drop out at, the property held.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub exclude: Option<String>,
    pub same: Option<String>,
}

/// Everything the Data view shows about one map over one event log.
pub struct Analysis {
    pub(super) key: AnalysisKey,
    pub comparison: Comparison,
    /// The map's funnel stages as steps (see `analysis::map_funnel`).
    pub funnel: FunnelReport,
    /// Seconds from the first funnel stage to the last, one per person who
    /// got through the whole funnel within the window, ascending.
    pub time_to_convert: Vec<f64>,
    /// Events before each person's first event of the last funnel stage.
    pub lengths: JourneyLengths,
    pub by_touchpoint: AttributionReport,
    pub by_channel: AttributionReport,
    /// The Markov removal-effect model over the same conversions and touches
    /// (or why it could not be solved).
    pub markov_by_touchpoint: Result<MarkovReport, String>,
    pub markov_by_channel: Result<MarkovReport, String>,
    /// Which event follows which, with the journeys' start and end: of
    /// everyone, and of the people who reached the last funnel stage.
    pub paths: PathGraph,
    pub converter_paths: PathGraph,
    pub seconds: f64,
}

/// Runs every analysis of the Data view. Pure, and fast enough for the UI
/// thread on small logs; the panel sends big ones to a thread. `same` holds
/// the value of `key.same` for each event of `log`, in its order.
pub(super) fn analyse(map: &JourneyMap, log: &EventLog, key: AnalysisKey, same: Option<Vec<u32>>) -> Analysis {
    let started = Instant::now();
    let window_ms = i64::from(key.window_days) * 86_400_000;
    let comparison = analysis::compare_within(map, log, f64::from(key.share_percent) / 100.0, window_ms);
    let (staged, mut spec) = analysis::map_funnel(map, log, window_ms);
    // The funnel's options shape the funnel and its timing; the comparison
    // and attribution look at all the data.
    let unfiltered = spec.clone();
    spec.filter.from_ms = key.from_ms;
    spec.filter.to_ms = key.to_ms;
    if let Some(event) = &key.exclude {
        spec.filter.exclude_events(log, &[event]);
    }
    spec.filter.same = same;
    let funnel = analysis::funnel(&staged, &spec);
    let mut time_to_convert = time_to_convert(&staged, &spec);
    time_to_convert.sort_by(f64::total_cmp);

    // Conversion: a person's first event of the last funnel stage. Their
    // later ones (onboarding, renewals) are the same customer, not new
    // conversions, so they are relabelled out of the way.
    let conversion_events: Vec<u32> = unfiltered.steps.last().map(|s| s.events.clone()).unwrap_or_default();
    let converted = first_of_last_stage(staged, &conversion_events);
    let lengths = analysis::journey_lengths(&converted, &conversion_events);
    let spec = AttributionSpec::new(conversion_events);
    let touches = EventTouchpoints::new(map, log).first_per_event(log);
    let names: Vec<String> = map.touchpoints.iter().map(|t| t.name.clone()).collect();
    let by_touchpoint = analysis::attribute(&converted, &spec, TouchMap::PerEvent(&touches), &names);
    let by_channel = analysis::attribute(&converted, &spec, TouchMap::Channel, &converted.channel_names);
    let markov =
        |touches, names| analysis::markov_attribution(&converted, &spec, touches, names).map_err(|e| e.to_string());
    let markov_by_touchpoint = markov(TouchMap::PerEvent(&touches), &names);
    let markov_by_channel = markov(TouchMap::Channel, &converted.channel_names);
    let paths = analysis::path_graph(log, None);
    let who = analysis::converters(log, &analysis::conversions_of_map(map, log));
    let converter_paths = analysis::path_graph(log, Some(&who));
    Analysis {
        key,
        comparison,
        funnel,
        time_to_convert,
        lengths,
        by_touchpoint,
        by_channel,
        markov_by_touchpoint,
        markov_by_channel,
        paths,
        converter_paths,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Runs `analyse` on a thread, first reading the column of the property
/// held constant (`key.same`) from `db`.
pub(super) fn spawn_analysis(
    ctx: &egui::Context,
    tx: &Sender<Msg>,
    generation: u64,
    (map, log, db): (JourneyMap, Arc<EventLog>, Option<PathBuf>),
    key: AnalysisKey,
) {
    let (ctx, tx) = (ctx.clone(), tx.clone());
    std::thread::spawn(move || {
        let result = guarded(|| {
            let same = match (&key.same, &db) {
                (Some(property), Some(db)) => {
                    let db = Database::open(db).map_err(|e| e.to_string())?;
                    let (_, column) = store::load_events_with_property(&db, property).map_err(|e| e.to_string())?;
                    // The events may have changed since they were loaded.
                    if column.keys.len() != log.len() {
                        return Err("the events changed while they were analysed; they will be read again".into());
                    }
                    Some(column.keys)
                }
                _ => None,
            };
            Ok(Box::new(analyse(&map, &log, key, same)))
        })
        .and_then(|r| r);
        let _ = tx.send(Msg::Analysed { generation, result });
        ctx.request_repaint();
    });
}

/// `log` (from `map_funnel`) with every event of the last stage (event
/// numbers `last`) after a person's first one renamed, so that only the
/// first counts as their conversion.
fn first_of_last_stage(mut log: EventLog, last: &[u32]) -> EventLog {
    if last.is_empty() {
        return log;
    }
    let later = log.event_names.len() as u32;
    log.event_names.push("(after conversion)".to_owned());
    for p in 0..log.person_count() {
        let mut seen = false;
        for i in log.person_range(p) {
            if last.contains(&log.event[i]) {
                if seen {
                    log.event[i] = later;
                }
                seen = true;
            }
        }
    }
    log
}

/// For each person who completes the funnel within its window, the seconds
/// from the first step's event to the last step's in their converting
/// chain (the funnel's canonical chain).
pub(super) fn time_to_convert(log: &EventLog, spec: &FunnelSpec) -> Vec<f64> {
    analysis::funnel::completion_seconds(log, spec)
}

/// Options for one import, as the dialog collected them.
pub(super) struct ImportJob {
    pub job: u64,
    pub db: PathBuf,
    pub csv: PathBuf,
    pub options: ImportOptions,
    pub cancel: Arc<AtomicBool>,
}

pub(super) fn spawn_import(ctx: &egui::Context, tx: &Sender<Msg>, job: ImportJob) {
    let (ctx, tx) = (ctx.clone(), tx.clone());
    std::thread::spawn(move || {
        let result = guarded(|| {
            Database::open(&job.db).and_then(|mut db| {
                let mut progress = |progress: Progress| {
                    let _ = tx.send(Msg::ImportProgress { job: job.job, progress });
                    ctx.request_repaint();
                };
                store::import_csv(&mut db, &job.csv, &job.options, &mut progress, &job.cancel)
            })
        })
        .unwrap_or_else(|problem| {
            Err(StoreError::Io {
                path: job.csv.clone(),
                source: std::io::Error::other(problem),
            })
        });
        let _ = tx.send(Msg::ImportDone { job: job.job, result });
        ctx.request_repaint();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{EventLogBuilder, FunnelStep, funnel_levels};

    fn spec(log: &EventLog, window_ms: i64) -> FunnelSpec {
        let steps = ["a", "b", "c"]
            .iter()
            .map(|n| FunnelStep::from_names(log, *n, &[n]))
            .collect();
        FunnelSpec::new(steps, window_ms)
    }

    #[test]
    fn time_to_convert_follows_the_canonical_chain() {
        let mut b = EventLogBuilder::default();
        // ann: an old start, a fresh one, then b and c: timed from the fresh start.
        for (t, e) in [(0, "a"), (100, "a"), (150, "b"), (190, "c")] {
            b.push("ann", t, e, None, 0.0, 0.0);
        }
        // bob: c comes too late for the window.
        for (t, e) in [(0, "a"), (10, "b"), (5000, "c")] {
            b.push("bob", t, e, None, 0.0, 0.0);
        }
        // cid: equal timestamps are fine.
        for e in ["a", "b", "c"] {
            b.push("cid", 7, e, None, 0.0, 0.0);
        }
        let log = b.build();
        let spec = spec(&log, 1000);
        assert_eq!(time_to_convert(&log, &spec), [0.09, 0.0]);
        let converted = funnel_levels(&log, &spec).iter().filter(|&&l| l == 3).count();
        assert_eq!(converted, 2);
    }

    #[test]
    fn only_the_first_event_of_the_last_stage_converts() {
        let mut b = EventLogBuilder::default();
        for e in ["a", "c", "b", "c"] {
            b.push("ann", 1, e, None, 0.0, 0.0);
        }
        let log = b.build();
        let c = log.event_id("c").unwrap();
        let staged = first_of_last_stage(log, &[c]);
        let names: Vec<_> = staged
            .event
            .iter()
            .map(|&e| staged.event_names[e as usize].as_str())
            .collect();
        assert_eq!(names, ["a", "c", "b", "(after conversion)"]);
    }
}
