//! The Data view: the events imported for a map, or those of a ClickHouse
//! table it is connected to, and what they say about it.
//!
//! `DataPanel` holds the data side of one window: which database (or
//! table), the events loaded from it, the latest analyses (funnel, time to convert,
//! attribution, the comparison of map and data), a running import and any
//! error. Loading, the analyses and imports run on threads (`worker`); the
//! UI thread only receives their results in `poll`, so it never waits. The
//! analyses are redone only when what they read changed: the events, the
//! view's options, or the map's `analysis::inputs::fingerprint`; after a
//! rename or a move the results follow the map (`Overview::follow`).
//!
//! The app calls `set_database` when a map is opened or saved, `poll` every
//! frame (results arrive and the analyses follow the map even while the
//! canvas is shown), `show` to draw the view (it returns the fixes the user
//! chose beside the findings, for the app to apply), and `comparison` to
//! overlay reach on the canvas.

mod charts;
mod connect_dialog;
mod connection;
mod fixes;
mod import_dialog;
mod imports_window;
mod view;
mod worker;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, Sender, channel};

use eframe::egui;

use super::picker::FilePicker;
use crate::analysis::{self, Comparison, EventLog};
use crate::model::JourneyMap;
use crate::store::clickhouse::{Cancel, ClickHouseSource, Progress as QueryProgress};
use crate::store::{EventSource, ImportInfo};
use connect_dialog::ConnectDialog;
use connection::Remembered;
pub use fixes::Fix;
use import_dialog::ImportDialog;
use imports_window::ImportsWindow;
pub use worker::Analysis;
use worker::{AnalysisKey, ImportJob, Msg};

/// The default database of a map saved at `map`: `MAP.sqlite` beside `MAP.ron`.
pub fn database_beside(map: &Path) -> PathBuf {
    map.with_extension("sqlite")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AttributionBy {
    Touchpoints,
    Channels,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Credit {
    Conversions,
    Revenue,
}

/// The view's own choices.
pub(super) struct Settings {
    pub window_days: u32,
    /// Missing-link threshold, in percent of a touchpoint's moves out.
    pub share_percent: u32,
    pub attribution_by: AttributionBy,
    pub credit: Credit,
    /// The funnel's options, as typed and picked: first and last day
    /// (YYYY-MM-DD, UTC; blank for none), the event people drop out at, the
    /// property held constant across the steps.
    pub from_day: String,
    pub to_day: String,
    pub exclude: Option<String>,
    pub same: Option<String>,
    pub funnel_scale: FunnelScale,
    /// The path graph: how many of the commonest edges it draws, and
    /// whether only of the people who converted.
    pub paths_top: usize,
    pub converters_only: bool,
}

/// How the funnel chart's bars measure people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FunnelScale {
    People,
    /// Of each stage's target from the map (of the first stage's people
    /// where a stage has no target).
    PercentOfTarget,
    /// People on a log scale, so a handful stays visible beside thousands.
    Log,
}

/// A ClickHouse table shown instead of the map's database file.
struct Remote {
    source: Arc<EventSource>,
    /// "ClickHouse 18.16.1 · 127.0.0.1:8123/analytics.events".
    label: String,
    /// "127.0.0.1:8123/analytics.events".
    short: String,
}

pub struct DataPanel {
    db: Option<PathBuf>,
    /// While connected, the table whose events are shown (the database
    /// file comes back on Disconnect).
    remote: Option<Remote>,
    /// Trips the load under way: a ClickHouse query is killed on the server.
    load_cancel: Option<Cancel>,
    /// Rows read so far by the load under way.
    load_progress: Option<QueryProgress>,
    /// The last load was cancelled.
    load_cancelled: bool,
    connect: Option<ConnectDialog>,
    /// Each map's last ClickHouse connection (URL and columns, never the
    /// password), by its database file, while the app runs.
    remembered: HashMap<Option<PathBuf>, Remembered>,
    /// Bumped whenever the database changes; results of older jobs are dropped.
    generation: u64,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    needs_load: bool,
    loading: bool,
    log: Option<Arc<EventLog>>,
    /// Bumped on every load, so the analyses follow the data too.
    loads: u64,
    /// The column of the property held the same across the funnel's
    /// steps, and the load it was read for: changing the window or the
    /// dates then does not read it again.
    same_column: Option<(u64, worker::SameColumn)>,
    imports: Vec<ImportInfo>,
    span: Option<(i64, i64)>,
    load_seconds: f64,
    /// Bumped by `set_database`: a newly opened map is analysed afresh even
    /// when its revision number matches the previous map's.
    epoch: u64,
    error: Option<String>,
    analysis: Option<Box<Analysis>>,
    /// The data load, key and map revision of the analysis running on a worker.
    analysing: Option<(u64, AnalysisKey, u64)>,
    analysis_loads: u64,
    /// The map revision whose names and order `analysis` shows.
    analysis_revision: u64,
    /// The analysis that failed (a bug), not to be tried again as it was.
    failed: Option<(u64, AnalysisKey)>,
    /// The map's analysis inputs (`analysis::inputs::fingerprint`), for the
    /// epoch and revision they were taken at: hashed once per edit.
    inputs: Option<((u64, u64), u64)>,
    /// Set when the results could not follow the map: redo them.
    stale: bool,
    settings: Settings,
    import: Option<ImportDialog>,
    /// The list of imports, where one can be removed.
    imports_window: Option<ImportsWindow>,
    /// A file to import once the map has a database (it was dropped on an
    /// unsaved map).
    pending_import: Option<PathBuf>,
    next_job: u64,
}

impl Default for DataPanel {
    fn default() -> Self {
        DataPanel::new()
    }
}

impl DataPanel {
    pub fn new() -> DataPanel {
        let (tx, rx) = channel();
        DataPanel {
            db: None,
            remote: None,
            load_cancel: None,
            load_progress: None,
            load_cancelled: false,
            connect: None,
            remembered: HashMap::new(),
            generation: 0,
            tx,
            rx,
            needs_load: false,
            loading: false,
            log: None,
            loads: 0,
            same_column: None,
            imports: Vec::new(),
            span: None,
            load_seconds: 0.0,
            epoch: 0,
            error: None,
            analysis: None,
            analysing: None,
            analysis_loads: 0,
            analysis_revision: 0,
            failed: None,
            inputs: None,
            stale: false,
            settings: Settings {
                window_days: 30,
                share_percent: 5,
                attribution_by: AttributionBy::Touchpoints,
                credit: Credit::Conversions,
                from_day: String::new(),
                to_day: String::new(),
                exclude: None,
                same: None,
                funnel_scale: FunnelScale::People,
                paths_top: 25,
                converters_only: false,
            },
            import: None,
            imports_window: None,
            pending_import: None,
            next_job: 1,
        }
    }

    /// Shows the data of the database at `path` (`None`: the map is not
    /// saved, so it has no database yet). Call it whenever a map is opened:
    /// the analyses are then redone for it. Loading starts on the next
    /// `poll`; a file that does not exist is created only by an import. The
    /// same path again keeps the events loaded (use `reload` to read them
    /// again). Another map's data is its own: a ClickHouse connection is
    /// closed.
    pub fn set_database(&mut self, path: Option<PathBuf>) {
        self.epoch += 1;
        if path == self.db {
            return;
        }
        self.stop_loading();
        self.remote = None;
        // An import into the database shown before is cancelled (rolled
        // back): nobody would see how it ended.
        if let Some(r) = self.import.as_ref().and_then(ImportDialog::running) {
            r.cancel();
        }
        self.import = None;
        self.imports_window = None;
        self.db = path;
        self.forget_events();
        if self.db.is_some()
            && let Some(pending) = self.pending_import.take()
        {
            self.import = Some(ImportDialog::open(pending));
        }
    }

    /// Gives an unsaved map's data its database file once the map is
    /// saved: as `set_database`, except that a connected ClickHouse table
    /// stays connected (and remembered for the saved map).
    pub fn attach_database(&mut self, path: PathBuf) {
        if self.remote.is_none() {
            return self.set_database(Some(path));
        }
        if let Some(r) = self.remembered.remove(&self.db) {
            self.remembered.insert(Some(path.clone()), r);
        }
        self.db = Some(path);
    }

    /// Drops what was loaded from the previous source and loads anew.
    fn forget_events(&mut self) {
        self.generation += 1;
        self.needs_load = self.db.is_some() || self.remote.is_some();
        self.loading = false;
        self.load_cancelled = false;
        self.load_progress = None;
        self.log = None;
        self.imports.clear();
        self.span = None;
        self.error = None;
        self.analysis = None;
        self.analysing = None;
        self.failed = None;
        // A property held constant belongs to the source it was read from.
        self.settings.same = None;
    }

    /// Stops the load under way (a ClickHouse query is killed on the server).
    fn stop_loading(&mut self) {
        if let Some(cancel) = self.load_cancel.take() {
            cancel.cancel();
        }
    }

    /// Shows the events of `source` (a connected ClickHouse table) instead
    /// of the database file's, remembering `remembered` for this map.
    fn connect_source(&mut self, source: ClickHouseSource, remembered: Remembered) {
        self.stop_loading();
        let label = connection::source_label(source.version(), source.url());
        let short = connection::short_name(source.url());
        self.remembered.insert(self.db.clone(), remembered);
        self.remote = Some(Remote {
            source: Arc::new(EventSource::ClickHouse(Box::new(source))),
            label,
            short,
        });
        self.forget_events();
    }

    /// Closes the ClickHouse connection (stopping its query) and goes back
    /// to the map's database file.
    pub fn disconnect(&mut self) {
        if self.remote.is_some() {
            self.stop_loading();
            self.remote = None;
            self.forget_events();
        }
    }

    /// The connected ClickHouse table, as the header names it
    /// ("ClickHouse 18.16.1 · 127.0.0.1:8123/analytics.events").
    pub fn clickhouse(&self) -> Option<&str> {
        self.remote.as_ref().map(|r| r.label.as_str())
    }

    /// Opens the Connect to ClickHouse dialog, with this map's last URL and
    /// columns.
    pub fn open_connect(&mut self) {
        if !self.import_running() {
            self.connect = Some(ConnectDialog::open(self.remembered.get(&self.db)));
        }
    }

    /// Cancels the load under way; what was shown before stays.
    pub fn cancel_loading(&mut self) {
        if self.loading {
            self.stop_loading();
        }
    }

    pub fn database(&self) -> Option<&Path> {
        self.db.as_deref()
    }

    /// Where measured values come from, in a few words: the database's file
    /// name and the dates its events span ("saas.sqlite, 2026-03-02 to
    /// 2026-10-27"); `None` before any events are loaded.
    pub fn source(&self) -> Option<String> {
        let name = match &self.remote {
            Some(remote) => remote.short.clone(),
            None => self.db.as_ref()?.file_name()?.to_string_lossy().into_owned(),
        };
        self.log.as_ref().filter(|l| !l.is_empty())?;
        Some(match self.span {
            Some((first, last)) => format!("{name}, {} to {}", day(first), day(last)),
            None => name,
        })
    }

    /// Reads the events again (after an import from the command line, say).
    pub fn reload(&mut self) {
        self.needs_load = self.db.is_some() || self.remote.is_some();
    }

    /// The events loaded, if any.
    pub fn events(&self) -> Option<&Arc<EventLog>> {
        self.log.as_ref()
    }

    /// The latest comparison of the map with the data, for the canvas
    /// overlay. While a new one is computed (the map changed, big data) this
    /// is the previous one; touchpoints and links are named by id.
    pub fn comparison(&self) -> Option<&Comparison> {
        self.analysis.as_ref().map(|a| &a.comparison)
    }

    /// Everything computed for the view.
    pub fn analysis(&self) -> Option<&Analysis> {
        self.analysis.as_deref()
    }

    /// Whether loading, an analysis or an import is under way.
    pub fn busy(&self) -> bool {
        self.loading
            || self.analysing.is_some()
            || self.connect.as_ref().is_some_and(ConnectDialog::busy)
            || self.import_running()
            || self.imports_window.as_ref().is_some_and(|w| w.removing().is_some())
    }

    /// Whether the import dialog is open: the app should hold back its own
    /// keyboard shortcuts meanwhile (the dialog is modal).
    pub fn dialog_open(&self) -> bool {
        self.import.is_some() || self.imports_window.is_some() || self.connect.is_some()
    }

    /// Opens the Imports window (the list of imports, each removable).
    pub fn open_imports(&mut self) {
        if self.db.is_some() {
            self.imports_window.get_or_insert_with(ImportsWindow::default);
        }
    }

    /// The extra columns the imports kept as properties, in order of first
    /// appearance.
    fn properties(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for import in &self.imports {
            for p in import.column_mapping["properties"].as_array().into_iter().flatten() {
                if let Some(p) = p.as_str()
                    && !out.iter().any(|q| q == p)
                {
                    out.push(p.to_owned());
                }
            }
        }
        out
    }

    pub fn import_running(&self) -> bool {
        self.import.as_ref().is_some_and(|d| d.running().is_some())
    }

    /// Takes in what the workers finished and starts what is due: loading
    /// the database, redoing the analyses when `revision` (the map's edit
    /// counter) or the data changed. Call every frame.
    pub fn poll(&mut self, ctx: &egui::Context, map: &JourneyMap, revision: u64) {
        while let Ok(msg) = self.rx.try_recv() {
            self.receive(msg);
        }
        let removing = self.imports_window.as_ref().is_some_and(|w| w.removing().is_some());
        if self.needs_load && !self.loading && !self.import_running() && !removing {
            self.needs_load = false;
            let source = match (&self.remote, &self.db) {
                (Some(remote), _) => Some(remote.source.clone()),
                (None, Some(db)) => Some(Arc::new(EventSource::Sqlite(db.clone()))),
                (None, None) => None,
            };
            if let Some(source) = source {
                self.loading = true;
                self.load_cancelled = false;
                self.load_progress = None;
                let cancel = Cancel::new();
                self.load_cancel = Some(cancel.clone());
                worker::spawn_load(ctx, &self.tx, self.generation, source, cancel);
            }
        }
        self.schedule_analysis(ctx, map, revision);
    }

    fn receive(&mut self, msg: Msg) {
        match msg {
            Msg::Loaded { generation, result } if generation == self.generation => {
                self.loading = false;
                self.load_progress = None;
                let cancelled = self.load_cancel.take().is_none_or(|c| c.is_cancelled());
                match result {
                    // What was shown before stays; Reload tries again.
                    Err(_) if cancelled => self.load_cancelled = true,
                    Ok(loaded) => {
                        self.same_column = None;
                        self.log = Some(loaded.log);
                        self.imports = loaded.imports;
                        self.span = loaded.span;
                        self.load_seconds = loaded.seconds;
                        self.loads += 1;
                        self.error = None;
                    }
                    Err(err) => {
                        self.log = None;
                        self.analysis = None;
                        self.error = Some(err);
                    }
                }
            }
            Msg::LoadProgress { generation, progress } if generation == self.generation && self.loading => {
                self.load_progress = Some(progress);
            }
            Msg::Analysed {
                generation,
                result,
                same,
            } if generation == self.generation => {
                let started = self.analysing.take();
                match result {
                    Ok(analysis) => {
                        if let Some((loads, _, revision)) = started {
                            self.analysis_loads = loads;
                            self.analysis_revision = revision;
                            if let Some(column) = same {
                                self.same_column = Some((loads, column));
                            }
                        }
                        self.analysis = Some(analysis);
                        self.stale = false;
                    }
                    // Shown, and not retried until something changes.
                    Err(err) => {
                        self.error = Some(err);
                        self.failed = started.map(|(loads, key, _)| (loads, key));
                    }
                }
            }
            Msg::Removed { generation, result } if generation == self.generation => {
                if result.is_ok() {
                    self.needs_load = true;
                }
                if let Some(w) = &mut self.imports_window {
                    w.finished(result);
                }
            }
            Msg::ImportProgress { job, progress } => {
                if let Some(d) = &mut self.import {
                    d.progress(job, progress);
                }
            }
            Msg::ImportDone { job, result } => {
                let ok = result.is_ok();
                if let Some(d) = &mut self.import
                    && d.running().is_some_and(|r| r.job == job)
                {
                    d.finished(job, result);
                    if ok {
                        self.needs_load = true;
                    }
                }
            }
            _ => {} // for a database no longer shown
        }
    }

    /// Starts the analyses on a worker when what they read changed since
    /// the results shown (or the ones under way); after an edit that changed
    /// none of it, the results follow the map's names and order instead.
    fn schedule_analysis(&mut self, ctx: &egui::Context, map: &JourneyMap, revision: u64) {
        let Some(log) = &self.log else { return };
        if log.is_empty() {
            self.analysis = None;
            return;
        }
        let at = (self.epoch, revision);
        let inputs = match self.inputs {
            Some((taken, inputs)) if taken == at => inputs,
            _ => {
                let inputs = analysis::inputs::fingerprint(map);
                self.inputs = Some((at, inputs));
                inputs
            }
        };
        let settings = &self.settings;
        let key = AnalysisKey {
            epoch: self.epoch,
            inputs,
            window_days: settings.window_days,
            share_percent: settings.share_percent,
            from_ms: analysis::day_ms(&settings.from_day, false),
            to_ms: analysis::day_ms(&settings.to_day, true),
            exclude: settings.exclude.clone(),
            same: settings.same.clone(),
        };
        let (loads, current) = (self.loads, self.analysis_loads == self.loads && !self.stale);
        if let Some(a) = self.analysis.as_mut().filter(|a| current && a.key == key) {
            if self.analysis_revision != revision {
                self.stale = !a.overview.follow(map);
                self.analysis_revision = revision;
            }
            if !self.stale {
                return; // up to date
            }
        }
        if self.analysing.is_some() || self.failed.as_ref() == Some(&(loads, key.clone())) {
            return; // a worker is on it (then we look again), or it failed as it is
        }
        self.analysing = Some((loads, key.clone(), revision));
        // A ClickHouse table's properties are not read: `same` is never set then.
        let db = self.db.clone().filter(|_| self.remote.is_none());
        let job = (map.clone(), log.clone(), db);
        let cached = self
            .same_column
            .as_ref()
            .filter(|(for_loads, c)| *for_loads == loads && Some(&c.property) == key.same.as_ref())
            .map(|(_, c)| c.clone());
        worker::spawn_analysis(ctx, &self.tx, self.generation, job, key, cached);
    }

    fn start_import(&mut self, ctx: &egui::Context, request: import_dialog::Request) {
        let (Some(db), Some(dialog)) = (&self.db, &mut self.import) else {
            return;
        };
        let job = self.next_job;
        self.next_job += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        dialog.started(job, cancel.clone());
        worker::spawn_import(
            ctx,
            &self.tx,
            ImportJob {
                job,
                db: db.clone(),
                csv: dialog.path().to_owned(),
                options: request.options,
                spend: request.spend,
                cancel,
            },
        );
    }

    fn start_removal(&mut self, ctx: &egui::Context, import_id: i64) {
        let (Some(db), Some(window)) = (&self.db, &mut self.imports_window) else {
            return;
        };
        window.started(import_id);
        worker::spawn_removal(ctx, &self.tx, self.generation, db.clone(), import_id);
    }

    fn choose_csv(&mut self, picker: &mut dyn FilePicker) {
        if let Some(path) = picker.open_csv() {
            self.open_import(path);
        }
    }

    /// Opens the import dialog on `path` (a file dropped on the window, or
    /// one typed by hand). Without a database (an unsaved map) the Data view
    /// explains that the map must be saved first.
    pub fn open_import(&mut self, path: PathBuf) {
        if self.db.is_some() && !self.import_running() {
            self.import = Some(ImportDialog::open(path));
        } else {
            self.pending_import = Some(path);
        }
    }
}

impl Drop for DataPanel {
    /// A running import is cancelled (and rolled back) with its window.
    fn drop(&mut self) {
        self.stop_loading();
        if let Some(dialog) = &self.import
            && let Some(r) = dialog.running()
        {
            r.cancel();
        }
    }
}

/// A count as every number reads in the app and its exports
/// (`layout::text::group_thousands`): `1234567` as "1 234 567", with thin
/// spaces, the same on the canvas overlay, in the Data view and in reports.
pub(super) fn count(n: u64) -> String {
    crate::layout::text::group_thousands(n as f64)
}

/// "1 event", "2 events", "1 000 events".
pub(super) fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{} {word}s", count(n))
    }
}

/// A fraction as a percentage, "–" when there is none.
pub(super) fn percent(f: Option<f64>) -> String {
    match f {
        Some(f) if f.is_finite() => {
            let p = f * 100.0;
            if p != 0.0 && p.abs() < 10.0 {
                format!("{p:.1}%")
            } else {
                format!("{p:.0}%")
            }
        }
        _ => "–".to_owned(),
    }
}

/// Seconds, said in the unit that reads best.
pub(super) fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0);
    if s < 60.0 {
        format!("{s:.0} s")
    } else if s < 3600.0 {
        format!("{:.0} min", s / 60.0)
    } else if s < 2.0 * 86_400.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} days", s / 86_400.0)
    }
}

/// The date of a Unix millisecond time, UTC.
fn day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1\u{202f}000");
        assert_eq!(count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(plural(1, "event"), "1 event");
        assert_eq!(plural(1200, "event"), "1\u{202f}200 events");
        assert_eq!(percent(Some(0.4213)), "42%");
        assert_eq!(percent(Some(0.042)), "4.2%");
        assert_eq!(percent(None), "–");
        assert_eq!(duration(30.0), "30 s");
        assert_eq!(duration(7200.0), "2.0 h");
        assert_eq!(duration(3.0 * 86_400.0), "3.0 days");
        assert_eq!(database_beside(Path::new("a/b.ron")), Path::new("a/b.sqlite"));
    }

    /// Polls until the analysis under way arrives.
    fn settle(panel: &mut DataPanel, ctx: &egui::Context, map: &JourneyMap, revision: u64) {
        let started = std::time::Instant::now();
        while panel.analysing.is_some() {
            assert!(started.elapsed().as_secs() < 60, "the analysis never came back");
            std::thread::sleep(std::time::Duration::from_millis(5));
            panel.poll(ctx, map, revision);
        }
    }

    #[test]
    fn only_edits_the_analyses_read_redo_them_and_always_on_a_worker() {
        let ctx = egui::Context::default();
        let mut map = crate::model::generate::generated_map(40, 50, 3);
        let mut b = analysis::EventLogBuilder::default();
        for p in 0..20 {
            for k in 0..4 {
                b.push(&format!("p{p}"), k, &format!("event_{}", (p + k) % 40), None, 0.0, 0.0);
            }
        }
        let mut panel = DataPanel::new();
        panel.log = Some(Arc::new(b.build()));
        panel.loads = 1;
        let mut revision = 1;
        panel.poll(&ctx, &map, revision);
        assert!(
            panel.analysing.is_some() && panel.analysis.is_none(),
            "a small log goes to a worker too"
        );
        settle(&mut panel, &ctx, &map, revision);
        assert!(panel.comparison().is_some());

        // Renaming, moving a card within its stage, a note: no new analysis,
        // the results follow the map.
        map.touchpoints[1].name = "Pricing page".into();
        map.touchpoints.swap(1, 2);
        map.stages[0].notes[0].text = "Ask sales".into();
        revision += 1;
        panel.poll(&ctx, &map, revision);
        assert!(panel.analysing.is_none(), "a cosmetic edit redid the analyses");
        let c = panel.comparison().unwrap();
        assert_eq!(c.touchpoints[2].name, "Pricing page");
        assert_eq!(c.touchpoints[2].id, map.touchpoints[2].id);

        // A matcher edit redoes them; the old results stay shown meanwhile.
        let met = |panel: &DataPanel| panel.comparison().unwrap().touchpoints[3].events;
        assert_eq!(met(&panel), 4, "event_3: people 0 to 3");
        map.touchpoints[3].matchers[0].event = "event_0".into();
        revision += 1;
        panel.poll(&ctx, &map, revision);
        assert!(panel.analysing.is_some(), "a matcher edit did not redo the analyses");
        assert!(panel.comparison().is_some());
        settle(&mut panel, &ctx, &map, revision);
        assert_eq!(met(&panel), 1, "event_0: person 0 alone");
    }
}
