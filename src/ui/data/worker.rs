//! The work behind the Data view, done off the UI thread: loading events
//! from the source (the map's database file or a ClickHouse table), the analyses (all in `analysis::overview`), imports
//! and removing an import. Each job runs on its own
//! thread and reports through the panel's channel, waking the UI with
//! `request_repaint`. Nothing here draws.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::time::Instant;

use eframe::egui;

use crate::analysis::{self, EventLog, Overview, OverviewOptions};
use crate::model::JourneyMap;
use crate::store::clickhouse::{Cancel, Progress as QueryProgress, QueryControl};
use crate::store::{
    self, Database, EventSource, ImportInfo, ImportOptions, ImportSummary, Progress, SpendMapping, StoreError,
};

/// A message from a job to the panel. `generation` tells results for the
/// database shown now from those of one shown before.
pub(super) enum Msg {
    Loaded {
        generation: u64,
        result: Result<Loaded, String>,
    },
    /// Rows read so far by a load (a ClickHouse query, or the rebuild of
    /// an older database file's stored events).
    LoadProgress {
        generation: u64,
        progress: QueryProgress,
    },
    Analysed {
        generation: u64,
        result: Result<Box<Analysis>, String>,
        /// The column of the property held the same, as read for it, to be
        /// kept for the next analyses of the same events.
        same: Option<SameColumn>,
    },
    ImportProgress {
        job: u64,
        progress: Progress,
    },
    Removed {
        generation: u64,
        result: Result<ImportInfo, String>,
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

/// Reads every event of `source`. A database file that does not exist yet
/// is not created: it simply has no events. A ClickHouse table has no
/// imports; its query stops when `control`'s cancel is tripped.
pub(super) fn load(source: &EventSource, control: &QueryControl) -> Result<Loaded, String> {
    let started = Instant::now();
    let imports = match source {
        EventSource::Sqlite(db) if !db.exists() => {
            return Ok(Loaded {
                log: Arc::new(EventLog::default()),
                imports: Vec::new(),
                span: None,
                seconds: 0.0,
            });
        }
        EventSource::Sqlite(db) => {
            let db = Database::open(db).map_err(|e| e.to_string())?;
            store::list_imports(&db).map_err(|e| e.to_string())?
        }
        EventSource::ClickHouse(_) => Vec::new(),
    };
    let log = source.load_events(control).map_err(|e| e.to_string())?;
    let span = log.time_ms.iter().min().zip(log.time_ms.iter().max());
    Ok(Loaded {
        span: span.map(|(a, b)| (*a, *b)),
        log: Arc::new(log),
        imports,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// How often progress is drawn. An import reports thousands of times a
/// second; a frame for each kept a core busy drawing (without a GPU, the
/// 10M-event import took 6.3 s in the app against 3.4 s on the command
/// line), while ten frames a second move the bar as smoothly to the eye.
const PROGRESS_FRAME: std::time::Duration = std::time::Duration::from_millis(100);

/// Loads on a thread, reporting the rows read as they are.
pub(super) fn spawn_load(
    ctx: &egui::Context,
    tx: &Sender<Msg>,
    generation: u64,
    source: Arc<EventSource>,
    cancel: Cancel,
) {
    let (ctx, tx) = (ctx.clone(), tx.clone());
    std::thread::spawn(move || {
        let report = |progress: QueryProgress| {
            let _ = tx.send(Msg::LoadProgress { generation, progress });
            ctx.request_repaint_after(PROGRESS_FRAME);
        };
        let control = QueryControl {
            cancel: Some(&cancel),
            progress: Some(&report),
        };
        let result = guarded(|| load(&source, &control)).and_then(|r| r);
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
    /// What the analyses read of the map (`analysis::inputs::fingerprint`).
    pub inputs: u64,
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

/// Everything the Data view shows about one map over one event log (see
/// `analysis::overview`), with what it was computed from.
pub struct Analysis {
    pub(super) key: AnalysisKey,
    pub overview: Overview,
    pub seconds: f64,
}

impl std::ops::Deref for Analysis {
    type Target = Overview;

    fn deref(&self) -> &Overview {
        &self.overview
    }
}

/// Runs the Data view's analyses (`analysis::overview`), on a worker thread
/// (`spawn_analysis`): even a small log can meet a large map. `same` holds the value of `key.same` for each event of `log`, in its order.
pub(super) fn analyse(map: &JourneyMap, log: &EventLog, key: AnalysisKey, same: Option<Vec<u32>>) -> Analysis {
    let started = Instant::now();
    let options = OverviewOptions {
        window_ms: i64::from(key.window_days) * 86_400_000,
        missing_link_share: f64::from(key.share_percent) / 100.0,
        from_ms: key.from_ms,
        to_ms: key.to_ms,
        exclude: key.exclude.clone(),
        same,
    };
    Analysis {
        overview: analysis::overview(map, log, &options),
        key,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// A property's value for each loaded event (`store::PropertyColumn`'s
/// keys): read once for the loaded events, then kept while they are.
#[derive(Clone)]
pub(super) struct SameColumn {
    pub property: String,
    pub keys: Arc<Vec<u32>>,
}

/// Runs `analyse` on a thread. The column of the property held constant
/// (`key.same`) is `cached` when it was read for these events before, else
/// read from `db` (a second or more at millions of events) and sent back
/// with the analysis, to be kept.
pub(super) fn spawn_analysis(
    ctx: &egui::Context,
    tx: &Sender<Msg>,
    generation: u64,
    (map, log, db): (JourneyMap, Arc<EventLog>, Option<PathBuf>),
    key: AnalysisKey,
    cached: Option<SameColumn>,
) {
    let (ctx, tx) = (ctx.clone(), tx.clone());
    std::thread::spawn(move || {
        let mut read = None;
        let result = guarded(|| {
            let column = match (&key.same, &db, cached) {
                (Some(property), _, Some(c)) if c.property == *property => Some(c),
                (Some(property), Some(db), _) => {
                    let db = Database::open(db).map_err(|e| e.to_string())?;
                    let column = store::load_property(&db, &log, property).map_err(|e| e.to_string())?;
                    // The events may have changed since they were loaded.
                    let Some(column) = column else {
                        return Err("the events changed while they were analysed; they will be read again".into());
                    };
                    let column = SameColumn {
                        property: property.clone(),
                        keys: Arc::new(column.keys),
                    };
                    read = Some(column.clone());
                    Some(column)
                }
                _ => None,
            };
            let same = column.map(|c| c.keys.as_ref().clone());
            Ok(Box::new(analyse(&map, &log, key, same)))
        })
        .and_then(|r| r);
        let _ = tx.send(Msg::Analysed {
            generation,
            result,
            same: read,
        });
        ctx.request_repaint();
    });
}

/// Options for one import, as the dialog collected them.
pub(super) struct ImportJob {
    pub job: u64,
    pub db: PathBuf,
    pub csv: PathBuf,
    pub options: ImportOptions,
    /// An ad spend report, read by this mapping, instead of events.
    pub spend: Option<SpendMapping>,
    pub cancel: Arc<AtomicBool>,
}

pub(super) fn spawn_import(ctx: &egui::Context, tx: &Sender<Msg>, job: ImportJob) {
    let (ctx, tx) = (ctx.clone(), tx.clone());
    std::thread::spawn(move || {
        let result = guarded(|| {
            Database::open(&job.db).and_then(|mut db| {
                let mut progress = |progress: Progress| {
                    let _ = tx.send(Msg::ImportProgress { job: job.job, progress });
                    ctx.request_repaint_after(PROGRESS_FRAME);
                };
                match &job.spend {
                    Some(mapping) => {
                        store::import_spend(&mut db, &job.csv, mapping, &job.options, &mut progress, &job.cancel)
                    }
                    None => store::import_file(&mut db, &job.csv, &job.options, &mut progress, &job.cancel),
                }
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

/// Removes one import (one transaction) on a thread.
pub(super) fn spawn_removal(ctx: &egui::Context, tx: &Sender<Msg>, generation: u64, db: PathBuf, import_id: i64) {
    let (ctx, tx) = (ctx.clone(), tx.clone());
    std::thread::spawn(move || {
        let result = guarded(|| {
            let mut db = Database::open(&db).map_err(|e| e.to_string())?;
            store::remove_import(&mut db, import_id).map_err(|e| e.to_string())
        })
        .and_then(|r| r);
        let _ = tx.send(Msg::Removed { generation, result });
        ctx.request_repaint();
    });
}
