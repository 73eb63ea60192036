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
    JourneyLengths, MarkovReport, TouchMap,
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
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct AnalysisKey {
    /// Bumped by `set_database`, i.e. whenever a map is opened.
    pub epoch: u64,
    /// The map's revision (the app's edit counter).
    pub revision: u64,
    pub window_days: u32,
    /// The missing-link threshold, in whole percent.
    pub share_percent: u32,
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
    pub seconds: f64,
}

/// Runs every analysis of the Data view. Pure, and fast enough for the UI
/// thread on small logs; the panel sends big ones to a thread.
pub(super) fn analyse(map: &JourneyMap, log: &EventLog, key: AnalysisKey) -> Analysis {
    let started = Instant::now();
    let window_ms = i64::from(key.window_days) * 86_400_000;
    let comparison = analysis::compare(map, log, f64::from(key.share_percent) / 100.0);
    let (staged, spec) = analysis::map_funnel(map, log, window_ms);
    let funnel = analysis::funnel(&staged, &spec);
    let mut time_to_convert = time_to_convert(&staged, &spec);
    time_to_convert.sort_by(f64::total_cmp);

    let stages = map.funnel.stages.len();
    // Conversion: a person's first event of the last funnel stage. Their
    // later ones (onboarding, renewals) are the same customer, not new
    // conversions, so they are relabelled out of the way.
    let converted = first_of_last_stage(staged, stages);
    let conversion_events: Vec<u32> = stages.checked_sub(1).map(|s| s as u32).into_iter().collect();
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
        seconds: started.elapsed().as_secs_f64(),
    }
}

pub(super) fn spawn_analysis(
    ctx: &egui::Context,
    tx: &Sender<Msg>,
    generation: u64,
    map: JourneyMap,
    log: Arc<EventLog>,
    key: AnalysisKey,
) {
    let (ctx, tx) = (ctx.clone(), tx.clone());
    std::thread::spawn(move || {
        let result = guarded(|| Box::new(analyse(&map, &log, key)));
        let _ = tx.send(Msg::Analysed { generation, result });
        ctx.request_repaint();
    });
}

/// `log` (from `map_funnel`: event number = funnel stage) with every
/// event of the last stage after a person's first one renamed, so that
/// only the first counts as their conversion.
fn first_of_last_stage(mut log: EventLog, stages: usize) -> EventLog {
    let Some(last) = stages.checked_sub(1).map(|s| s as u32) else {
        return log;
    };
    let later = log.event_names.len() as u32;
    log.event_names.push("(after conversion)".to_owned());
    for p in 0..log.person_count() {
        let mut seen = false;
        for i in log.person_range(p) {
            if log.event[i] == last {
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
/// chain: the one that completes soonest, and of those the one that starts
/// latest (the funnel's canonical chain). Assumes each event fills at most
/// one step, as in `map_funnel`'s log.
pub(super) fn time_to_convert(log: &EventLog, spec: &FunnelSpec) -> Vec<f64> {
    let k = spec.steps.len();
    if k == 0 {
        return Vec::new();
    }
    let window = spec.window_ms.max(0);
    // The step of each event number (at most one).
    let mut step_of = vec![usize::MAX; log.event_names.len()];
    for (s, step) in spec.steps.iter().enumerate() {
        for &e in &step.events {
            if let Some(slot) = step_of.get_mut(e as usize)
                && *slot == usize::MAX
            {
                *slot = s;
            }
        }
    }
    let mut start = vec![0i64; k];
    let mut out = Vec::new();
    for p in 0..log.person_count() {
        let mut level = 0;
        for i in log.person_range(p) {
            let s = step_of[log.event[i] as usize];
            if s == usize::MAX || s > level {
                continue;
            }
            let t = log.time_ms[i];
            if s == 0 {
                if level > 0 && t <= start[0] {
                    continue;
                }
                start[0] = t;
            } else {
                let from = start[s - 1];
                if t.saturating_sub(from) > window || (s < level && from <= start[s]) {
                    continue;
                }
                start[s] = from;
            }
            if s == level {
                level += 1;
                if level == k {
                    out.push((t - start[k - 1]) as f64 / 1000.0);
                    break;
                }
            }
        }
    }
    out
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
        FunnelSpec { steps, window_ms }
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
        let c = log.event_id("c").unwrap() as usize;
        let staged = first_of_last_stage(log, c + 1);
        let names: Vec<_> = staged
            .event
            .iter()
            .map(|&e| staged.event_names[e as usize].as_str())
            .collect();
        assert_eq!(names, ["a", "c", "b", "(after conversion)"]);
    }
}
