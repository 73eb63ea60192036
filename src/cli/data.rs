//! The data commands: `import`, `imports`, `funnel`, `paths`, `compare`. Each opens the
//! database, calls `store` and `analysis`, and prints text or `--json`.
//! Names from a map or from imported data reach the terminal through `shown`.

use std::borrow::Cow;
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::source::{open_source, watched};
use crate::analysis::{self, FunnelSpec, FunnelStep};
use crate::layout::text::group_thousands;
use crate::model::format;
use crate::store::{self, ColumnMapping, Database, EventFilter, ImportOptions, ImportSummary, StoreError, Zone};

#[derive(Debug, PartialEq, Default)]
pub struct ImportArgs {
    pub csv: PathBuf,
    pub db: PathBuf,
    pub columns: Option<String>,
    pub tz: Option<String>,
    pub strict: bool,
    pub replace: bool,
    pub append: bool,
    pub json: bool,
    /// A named export's mapping (`--preset`); `--columns` overrides its roles.
    pub preset: Option<String>,
    /// The sheet of a spreadsheet (`--sheet`).
    pub sheet: Option<String>,
    /// `--stage-dates COLUMN=event,...`.
    pub stage_dates: Option<String>,
    /// Forced parts of a CSV file's dialect (`--encoding`, `--delimiter`, `--decimal-comma`,
    /// `--skip-lines`).
    pub dialect: store::DialectChoice,
}

#[derive(Debug, PartialEq, Default)]
pub struct FunnelArgs {
    pub db: PathBuf,
    pub map: Option<PathBuf>,
    pub steps: Option<String>,
    pub window: Option<String>,
    pub by: Option<String>,
    /// First and last day (YYYY-MM-DD, UTC, inclusive) whose events count.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Event names that make a person drop out between two steps.
    pub exclude: Vec<String>,
    /// A property every step of a person's chain must share.
    pub same: Option<String>,
    /// A ClickHouse table's columns (`--columns person=COL,...,order=COL`).
    pub columns: Option<String>,
    pub json: bool,
}

pub(super) fn fail(message: impl std::fmt::Display) -> ExitCode {
    // Messages quote values from the files; their own line breaks stay.
    let message = message.to_string();
    let lines: Vec<Cow<str>> = message.split('\n').map(shown).collect();
    eprintln!("journeymap: {}", lines.join("\n"));
    ExitCode::FAILURE
}

/// Text from a map or from imported data as the terminal should show it:
/// control characters written as escapes (`\e` for ESC, `\n`, `\t`, `\r`,
/// `\u{7f}` for the rest of C0, DEL and C1), so an event name can neither
/// recolour, retitle or clear the terminal nor break a table's line.
/// JSON output needs none of this: serde_json escapes control characters.
pub(super) fn shown(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

pub(super) fn open_existing(db: &Path) -> Result<Database, String> {
    if !db.exists() {
        return Err(format!(
            "{}: no such database; create it with `journeymap import EVENTS.csv --db {}`",
            db.display(),
            db.display()
        ));
    }
    Database::open(db).map_err(|e| e.to_string())
}

pub fn import(args: &ImportArgs) -> ExitCode {
    let mut options = ImportOptions::default();
    if let Some(name) = &args.preset {
        match super::spend::preset_columns(name, &args.csv, args.sheet.as_deref(), &args.dialect) {
            Ok((columns, stages)) => {
                options.columns = columns;
                options.stage_dates = stages;
            }
            Err(err) => return fail(err),
        }
    }
    if let Some(spec) = &args.columns {
        match ColumnMapping::parse(spec) {
            Ok(columns) => {
                for role in store::Role::ALL {
                    if let Some(c) = columns.get(role) {
                        options.columns.set(role, Some(c.to_owned()));
                    }
                }
            }
            Err(err) => return fail(err),
        }
    }
    if let Some(tz) = &args.tz {
        match tz.parse::<Zone>() {
            Ok(zone) => options.zone = zone,
            Err(problem) => return fail(StoreError::BadZone { problem }),
        }
    }
    if let Some(spec) = &args.stage_dates {
        match store::StageDates::parse(spec) {
            Ok(stages) => options.stage_dates = Some(stages),
            Err(err) => return fail(err),
        }
    }
    options.sheet = args.sheet.clone();
    options.strict = args.strict;
    options.replace = args.replace;
    options.append = args.append;
    options.dialect = args.dialect;
    let mut db = match Database::open(&args.db) {
        Ok(db) => db,
        Err(err) => return fail(err),
    };
    let show_progress = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut last = 0.0;
    let mut progress = |p: store::Progress| {
        let elapsed = started.elapsed().as_secs_f64();
        if show_progress && elapsed - last > 0.25 {
            last = elapsed;
            let percent = (p.bytes_read * 100).checked_div(p.total_bytes).unwrap_or(0);
            eprint!(
                "\rimporting… {percent:>3}%  {} rows  {:.0} rows/s   ",
                p.rows,
                p.rows as f64 / elapsed.max(1e-9)
            );
        }
    };
    let result = store::import_file(&mut db, &args.csv, &options, &mut progress, &AtomicBool::new(false));
    if show_progress {
        eprint!("\r{:60}\r", "");
    }
    match result {
        Ok(summary) => {
            print_summary(&summary, args.json, false);
            ExitCode::SUCCESS
        }
        Err(StoreError::StrictRejected { summary, .. }) => {
            print_summary(&summary, args.json, true);
            ExitCode::FAILURE
        }
        Err(err) => fail(err),
    }
}

pub(super) fn print_summary(summary: &ImportSummary, json: bool, strict_failed: bool) {
    if json {
        println!("{}", serde_json::to_string(summary).expect("a summary serialises"));
        return;
    }
    if strict_failed {
        println!(
            "{}: nothing imported: {} rows are bad and --strict was given ({} rows were fine)",
            shown(&summary.file),
            summary.rejected,
            summary.imported
        );
    } else if let Some(earlier) = summary.continues_import {
        println!(
            "{}: {} new rows after the {} imported before (import {earlier}); imported in {:.1} s, rejected {}",
            shown(&summary.file),
            group_thousands(summary.imported as f64),
            group_thousands(summary.rows_before as f64),
            summary.seconds,
            summary.rejected
        );
    } else if let Some(people) = summary.stage_rows {
        println!(
            "{}{}: imported {} events from {} rows of stage dates in {:.1} s, rejected {} rows",
            shown(&summary.file),
            sheet_text(summary),
            summary.imported,
            people,
            summary.seconds,
            summary.rejected
        );
    } else {
        println!(
            "{}{}: imported {} rows in {:.1} s ({:.0} rows/s), rejected {}",
            shown(&summary.file),
            sheet_text(summary),
            summary.imported,
            summary.seconds,
            summary.imported as f64 / summary.seconds.max(1e-9),
            summary.rejected
        );
    }
    let place = if summary.sheet.is_some() { "row" } else { "line" };
    if summary.sheet.is_none() {
        println!("  read as {}", summary.dialect.describe());
    }
    if summary.skipped_lines > 0 {
        println!(
            "  skipped {} {place}{} before the header",
            summary.skipped_lines,
            if summary.skipped_lines == 1 { "" } else { "s" }
        );
    }
    if let Some(currency) = &summary.currency {
        println!("  amounts in {currency} (not converted)");
    }
    for r in &summary.rejections {
        println!("  {place} {}: {}", r.line, shown(&r.reason));
    }
    if summary.rejected as usize > summary.rejections.len() {
        println!(
            "  … and {} more (all are in the database's rejected_rows table)",
            summary.rejected as usize - summary.rejections.len()
        );
    }
    if !summary.properties.is_empty() {
        let names: Vec<Cow<str>> = summary.properties.iter().map(|p| shown(p)).collect();
        println!("  extra columns kept as properties: {}", names.join(", "));
    }
}

/// ", sheet 'NAME'" for a spreadsheet import.
fn sheet_text(summary: &ImportSummary) -> String {
    summary
        .sheet
        .as_deref()
        .map_or_else(String::new, |s| format!(", sheet '{}'", shown(s)))
}

/// Lists the imports of `db`, or removes one.
pub fn imports(db: &Path, remove: Option<i64>, json: bool) -> ExitCode {
    let mut db = match open_existing(db) {
        Ok(db) => db,
        Err(err) => return fail(err),
    };
    if let Some(id) = remove {
        let removed = match store::remove_import(&mut db, id) {
            Ok(info) => info,
            Err(err) => return fail(err),
        };
        if json {
            let out = serde_json::json!({ "removed": removed });
            println!("{out}");
        } else {
            println!(
                "removed import {id} ({}): {} events and {} rejected rows",
                shown(&removed.file_name),
                group_thousands(removed.rows_imported as f64),
                group_thousands(removed.rows_rejected as f64)
            );
        }
        return ExitCode::SUCCESS;
    }
    let list = match store::list_imports(&db) {
        Ok(list) => list,
        Err(err) => return fail(err),
    };
    if json {
        println!("{}", serde_json::to_string(&list).expect("imports serialise"));
        return ExitCode::SUCCESS;
    }
    if list.is_empty() {
        println!("no imports yet");
        return ExitCode::SUCCESS;
    }
    let rows: Vec<[String; 8]> = list
        .iter()
        .map(|i| {
            let mut file = shown(&i.file_path).into_owned();
            if let Some(earlier) = i.continues_import {
                let _ = write!(file, " (rows after import {earlier})");
            }
            [
                i.id.to_string(),
                i.started_at.replace('T', " ").trim_end_matches('Z').to_owned(),
                group_thousands(i.rows_imported as f64),
                group_thousands(i.rows_rejected as f64),
                size_text(i.size_bytes),
                i.currency.clone().unwrap_or_else(|| "-".to_owned()),
                i.content_hash.clone(),
                file,
            ]
        })
        .collect();
    let header = [
        "id",
        "imported at (UTC)",
        "rows",
        "rejected",
        "size",
        "money",
        "hash",
        "file",
    ];
    let width = |c: usize| {
        rows.iter()
            .map(|r| r[c].chars().count())
            .chain([header[c].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: [&str; 8]| {
        let mut out = String::new();
        for (c, cell) in cells.iter().enumerate() {
            let pad = widths[c].saturating_sub(cell.chars().count());
            // Numbers right-aligned, text left; the last column unpadded.
            match c {
                0 | 2 | 3 | 4 => out.push_str(&format!("{}{cell}  ", " ".repeat(pad))),
                7 => out.push_str(cell),
                _ => out.push_str(&format!("{cell}{}  ", " ".repeat(pad))),
            }
        }
        out
    };
    println!("{}", line(header));
    for r in &rows {
        println!(
            "{}",
            line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7]].map(String::as_str))
        );
    }
    ExitCode::SUCCESS
}

/// A file size in the unit that reads best.
fn size_text(bytes: u64) -> String {
    match bytes {
        b if b < 1000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{:.1} kB", b as f64 / 1e3),
        b if b < 1_000_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b => format!("{:.2} GB", b as f64 / 1e9),
    }
}

/// "30d", "12h", "90m", "45s", "2w" or plain seconds.
pub fn parse_window(text: &str) -> Option<i64> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: i64 = number.parse().ok()?;
    let seconds = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return None,
    };
    n.checked_mul(seconds)?.checked_mul(1000)
}

pub fn funnel(args: &FunnelArgs) -> ExitCode {
    let window_ms = match args.window.as_deref().map(parse_window) {
        None => 30 * 86_400_000,
        Some(Some(ms)) => ms,
        Some(None) => {
            return fail(format!(
                "--window {:?}: expected a length like 30d, 12h, 90m",
                args.window.as_deref().unwrap_or("")
            ));
        }
    };
    let mut filter = analysis::FunnelFilter::default();
    for (flag, text, end, slot) in [
        ("--from", &args.from, false, &mut filter.from_ms),
        ("--to", &args.to, true, &mut filter.to_ms),
    ] {
        if let Some(text) = text {
            match analysis::day_ms(text, end) {
                Some(ms) => *slot = Some(ms),
                None => return fail(format!("{flag} {text:?}: expected a day like 2026-03-01")),
            }
        }
    }
    let map = match args.map.as_deref().map(format::load).transpose() {
        Ok(map) => map,
        Err(err) => return fail(err),
    };
    let source = match open_source(&args.db, args.columns.as_deref()) {
        Ok(source) => source,
        Err(err) => return fail(err),
    };
    let by_property = args.by.as_deref().filter(|by| *by != "channel");
    let mut wanted = funnel_events(map.as_ref(), args.steps.as_deref(), &args.exclude, &filter);
    // A map's matchers and --by channel look at channels; no funnel at money.
    wanted.skip_channel = map.is_none() && args.by.as_deref() != Some("channel");
    wanted.skip_money = true;
    let input = watched(&source, |c| {
        source.funnel_input(&wanted, by_property, args.same.as_deref(), c)
    });
    let store::FunnelInput {
        log,
        by: property,
        same,
        people,
    } = match input {
        Ok(input) => input,
        Err(err) => return fail(err),
    };
    if !args.exclude.is_empty() {
        for name in args.exclude.iter().filter(|n| log.event_id(n).is_none()) {
            eprintln!("journeymap: --exclude {}: no such event in the data", shown(name));
        }
        let names: Vec<&str> = args.exclude.iter().map(String::as_str).collect();
        filter.exclude_events(&log, &names);
    }
    if let (Some(name), Some(col)) = (&args.same, &same)
        && col.values.is_empty()
    {
        return fail(format!("--same {}: no event has a value in that column", shown(name)));
    }
    filter.same = same.map(|col| col.keys);
    let (log, mut spec) = match (&map, &args.steps) {
        (Some(map), None) => analysis::map_funnel(map, &log, window_ms),
        (None, Some(steps)) => {
            let steps = steps
                .split(',')
                .map(|step| {
                    let names: Vec<&str> = step.split('|').map(str::trim).collect();
                    FunnelStep::from_names(&log, step.trim(), &names)
                })
                .collect();
            (log, FunnelSpec::new(steps, window_ms))
        }
        _ => return fail("funnel needs exactly one of --map MAP.ron or --steps \"a|b,c,d\""),
    };
    spec.filter = filter;
    let report = analysis::funnel_among(&log, &spec, people);
    let groups = match args.by.as_deref() {
        None => None,
        Some("channel") => Some(analysis::funnel_by_channel(&log, &spec)),
        Some(_) => property.map(|col| analysis::funnel_by_key(&log, &spec, &col.keys, &col.values)),
    };
    if args.json {
        #[derive(serde::Serialize)]
        struct Output<'a> {
            #[serde(flatten)]
            report: &'a analysis::FunnelReport,
            #[serde(skip_serializing_if = "Option::is_none")]
            from: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            to: Option<&'a str>,
            #[serde(skip_serializing_if = "<[String]>::is_empty")]
            exclude: &'a [String],
            #[serde(skip_serializing_if = "Option::is_none")]
            same: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            groups: Option<&'a Vec<analysis::FunnelGroup>>,
        }
        let output = Output {
            report: &report,
            from: args.from.as_deref(),
            to: args.to.as_deref(),
            exclude: &args.exclude,
            same: args.same.as_deref(),
            groups: groups.as_ref(),
        };
        println!("{}", serde_json::to_string(&output).expect("a report serialises"));
    } else {
        print_funnel(&report, "");
        let mut options = Vec::new();
        if let Some(from) = &args.from {
            options.push(format!("from {}", shown(from)));
        }
        if let Some(to) = &args.to {
            options.push(format!("to {} (UTC days)", shown(to)));
        }
        if !args.exclude.is_empty() {
            let names: Vec<Cow<str>> = args.exclude.iter().map(|n| shown(n)).collect();
            options.push(format!("dropping out at {}", names.join(", ")));
        }
        if let Some(same) = &args.same {
            options.push(format!("same {} at every step", shown(same)));
        }
        if !options.is_empty() {
            println!("  ({})", options.join("; "));
        }
        for group in groups.iter().flatten() {
            println!();
            print_funnel(&group.report, &format!("{}: ", shown(&group.key)));
        }
    }
    ExitCode::SUCCESS
}

/// The events a funnel can use, so that a ClickHouse source sends only
/// those: the steps' events within the days asked for, and the exclusion
/// events (at any time, as the local engine sees them). With a map, every
/// event its touchpoints match (their channels are checked locally).
fn funnel_events(
    map: Option<&crate::model::JourneyMap>,
    steps: Option<&str>,
    exclude: &[String],
    filter: &analysis::FunnelFilter,
) -> EventFilter {
    let mut events: Vec<String> = match (map, steps) {
        (Some(map), _) => map
            .touchpoints
            .iter()
            .flat_map(|t| t.matchers.iter().map(|m| m.event.clone()))
            .collect(),
        (None, Some(steps)) => steps.split([',', '|']).map(|name| name.trim().to_owned()).collect(),
        (None, None) => Vec::new(),
    };
    events.sort();
    events.dedup();
    EventFilter {
        events: Some(events),
        from_ms: filter.from_ms,
        to_ms: filter.to_ms,
        always: exclude.to_vec(),
        ..Default::default()
    }
}

fn print_funnel(report: &analysis::FunnelReport, prefix: &str) {
    println!(
        "{prefix}{} people, window {}",
        report.people,
        human_duration(report.window_seconds)
    );
    println!(
        "  {:<32} {:>10} {:>9} {:>9} {:>10} {:>10}",
        "step", "reached", "from prev", "from 1st", "median", "p90"
    );
    let pct = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{:.1}%", v * 100.0));
    let dur = |v: Option<f64>| v.map_or("-".to_owned(), human_duration);
    for s in &report.steps {
        println!(
            "  {:<32} {:>10} {:>9} {:>9} {:>10} {:>10}",
            fit(&shown(&s.name), 32),
            s.reached,
            pct(s.from_previous),
            pct(s.from_start),
            dur(s.median_seconds),
            dur(s.p90_seconds)
        );
    }
}

/// `text` cut to `width` characters (with an ellipsis), so tables line up.
pub(super) fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

fn human_duration(seconds: f64) -> String {
    match seconds {
        s if s < 120.0 => format!("{s:.0}s"),
        s if s < 7200.0 => format!("{:.0}m", s / 60.0),
        s if s < 172_800.0 => format!("{:.1}h", s / 3600.0),
        s => format!("{:.1}d", s / 86_400.0),
    }
}

/// `journeymap paths`: the directly-follows graph, optionally with the
/// journeys' start and end, of everyone or of the people who converted.
#[derive(Debug, Default, PartialEq)]
pub struct PathsArgs {
    pub db: PathBuf,
    pub top: Option<usize>,
    /// With `▶ start -> first event` and `last event -> ■ end` edges.
    pub ends: bool,
    /// Only people who did this event.
    pub converted_by: Option<String>,
    /// Only people who reached this map's last funnel stage.
    pub map: Option<PathBuf>,
    /// A ClickHouse table's columns.
    pub columns: Option<String>,
    pub json: bool,
}

pub fn paths(args: &PathsArgs) -> ExitCode {
    match paths_of(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(err),
    }
}

fn paths_of(args: &PathsArgs) -> Result<(), String> {
    let map = match &args.map {
        Some(path) => Some(format::load(path).map_err(|e| e.to_string())?),
        None => None,
    };
    let source = open_source(&args.db, args.columns.as_deref())?;
    let db_name = source.name();
    if map.is_none() {
        // ClickHouse counts the edges itself; only they cross the network.
        let counts = watched(&source, |c| source.path_counts(args.converted_by.as_deref(), c));
        if let Some(counts) = counts.map_err(|e| e.to_string())? {
            if let Some(event) = &args.converted_by
                && counts.people == 0
            {
                let names = watched(&source, |c| source.event_names(10, c)).map_err(|e| e.to_string())?;
                let names: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
                return Err(format!(
                    "{db_name}: no event is named {event:?}; the events there include {}",
                    names.join(", ")
                ));
            }
            let who = args
                .converted_by
                .as_ref()
                .map(|e| format!("people who did {:?}", shown(e)));
            print_paths(args, counts.edges, who.map(|who| (counts.people, who)));
            return Ok(());
        }
    }
    let log = watched(&source, |c| source.load_events_of(store::Parts::SEQUENCES, c)).map_err(|e| e.to_string())?;
    // Converters as attribution counts them: a person with a conversion event.
    let (only, who) = match (&args.converted_by, &map) {
        (Some(event), _) => {
            let Some(id) = log.event_id(event) else {
                let names: Vec<String> = log.event_names.iter().take(10).map(|n| format!("{n:?}")).collect();
                return Err(format!(
                    "{db_name}: no event is named {event:?}; the events there include {}",
                    names.join(", ")
                ));
            };
            let who = format!("people who did {:?}", shown(event));
            (
                Some(analysis::converters(&log, &analysis::conversions_of_event(&log, id))),
                who,
            )
        }
        (None, Some(map)) => {
            let path = args.map.as_deref().unwrap_or(Path::new("")).display();
            let Some(last) = map.funnel.stages.last() else {
                return Err(format!(
                    "{path}: the map has no funnel stages, so no conversion; give --converted-by EVENT"
                ));
            };
            let who = format!("people who reached the funnel stage {:?}", shown(&last.name));
            (
                Some(analysis::converters(&log, &analysis::conversions_of_map(map, &log))),
                who,
            )
        }
        (None, None) => (None, "everyone".to_owned()),
    };
    let graph = analysis::path_graph(&log, only.as_deref());
    print_paths(args, graph.edges, only.is_some().then_some((graph.people, who)));
    Ok(())
}

/// The edges as `paths` prints them; `only`: how many people of whom.
fn print_paths(args: &PathsArgs, mut pairs: Vec<analysis::Transition>, only: Option<(u64, String)>) {
    if !args.ends {
        pairs.retain(|t| t.from != analysis::START && t.to != analysis::END);
    }
    if let Some(top) = args.top {
        pairs.truncate(top);
    }
    if args.json {
        println!("{}", serde_json::to_string(&pairs).expect("paths serialise"));
        return;
    }
    if let Some((people, who)) = only {
        println!("Paths of {people} {who}:");
    }
    for p in &pairs {
        println!("{:>10}  {} -> {}", p.count, shown(&p.from), shown(&p.to));
    }
}

pub fn compare(
    map: &Path,
    db: &Path,
    columns: Option<&str>,
    threshold: Option<f64>,
    window: Option<&str>,
    json: bool,
) -> ExitCode {
    let window_ms = match window.map(parse_window) {
        None => analysis::DEFAULT_WINDOW_MS,
        Some(Some(ms)) => ms,
        Some(None) => {
            return fail(format!(
                "--window {:?}: expected a length like 30d, 12h, 90m",
                window.unwrap_or("")
            ));
        }
    };
    let map = match format::load(map) {
        Ok(map) => map,
        Err(err) => return fail(err),
    };
    let source = match open_source(db, columns) {
        Ok(source) => source,
        Err(err) => return fail(err),
    };
    let c = match watched(&source, |c| {
        source.compare(&map, threshold.unwrap_or(0.05), window_ms, c)
    }) {
        Ok(c) => c,
        Err(err) => return fail(err),
    };
    if json {
        println!("{}", serde_json::to_string(&c).expect("a comparison serialises"));
        return ExitCode::SUCCESS;
    }
    println!(
        "{} people, {} events, {} matched a touchpoint ({:.1}%)",
        c.people,
        c.events,
        c.matched_events,
        100.0 * c.matched_events as f64 / c.events.max(1) as f64
    );
    println!(
        "\nFunnel stages (people reaching each in order within {}, as `funnel --map`; people entering the funnel there):",
        human_duration(c.window_seconds)
    );
    for f in &c.funnel_stages {
        println!(
            "  {:<32} {:>8} reached  {:>6} entered here",
            shown(&f.name),
            f.people_reached,
            f.entered_without_earlier
        );
    }
    let entered: u64 = c.funnel_stages.iter().map(|f| f.entered_without_earlier).sum();
    println!(
        "  {} people entered the funnel below the top; {} never met a funnel stage.",
        c.people_out_of_order,
        c.people - entered
    );
    println!("\nTouchpoints (people reached, conversion rate):");
    for t in &c.touchpoints {
        let rate = t
            .conversion_rate
            .map_or("-".to_owned(), |r| format!("{:.1}%", r * 100.0));
        println!(
            "  {:<44} {:>8}  {:>7}",
            fit(&shown(&t.name), 44),
            t.people_reached,
            rate
        );
    }
    print_money(&c.money);
    let name = |id| {
        map.touchpoint(id)
            .map_or("?".to_owned(), |t| shown(&t.name).into_owned())
    };
    println!(
        "\nTouchpoints nobody meets: {}",
        if c.unmet_touchpoints.is_empty() {
            "none".to_owned()
        } else {
            String::new()
        }
    );
    for id in &c.unmet_touchpoints {
        println!("  {}", name(*id));
    }
    println!("\nPaths people take that the map has no link for:");
    for t in &c.missing_links {
        println!(
            "  {:>8}  {} -> {} ({:.0}% of what follows it)",
            t.count,
            shown(&t.from_name),
            shown(&t.to_name),
            t.share * 100.0
        );
    }
    println!("\nLinks on the map nobody follows:");
    for id in &c.unused_links {
        if let Some(l) = map.links.iter().find(|l| l.id == *id) {
            println!("  {} -> {}", name(l.from), name(l.to));
        }
    }
    if !c.expected_unused_links.is_empty() {
        println!("  (and {} kept as expected)", c.expected_unused_links.len());
    }
    println!("\nEvents that match no touchpoint:");
    for e in c.unmatched_events.iter().take(20) {
        println!("  {:>8}  {}", e.count, shown(&e.event));
    }
    ExitCode::SUCCESS
}

/// Every event of `--db`, for the analyses that walk whole journeys.
pub(super) fn load_all(db: &Path, columns: Option<&str>) -> Result<analysis::EventLog, String> {
    let source = open_source(db, columns)?;
    watched(&source, |c| source.load_events(c)).map_err(|e| e.to_string())
}

/// The money section of `compare`: per channel, then per touchpoint with a
/// cost; "-" wherever a figure is unknown.
fn print_money(m: &analysis::Money) {
    let range = m
        .range
        .map_or(String::new(), |r| format!(", {} to {}", r.first, r.last));
    println!(
        "\nMoney ({}{range}; cost = ad spend reports + imported cost + budgets on the map within those days, \
         a report replacing the other two for the channel-days it covers; \
         a conversion = reaching {} after meeting it):",
        shown(&m.currency),
        m.funnel_stages
            .last()
            .map_or("the last funnel stage".into(), |s| shown(s))
    );
    if !m.has_cost() {
        println!("  No cost data: neither a cost column nor budgets on the map.");
    }
    let money = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.0}"));
    let row = |r: &analysis::MoneyRow| {
        let line = format!(
            "  {:<36} {:>9} {:>8} {:>6} {:>9} {:>10} {:>7}  {}",
            fit(&shown(&r.name), 36),
            money(r.cost),
            r.people_reached,
            r.conversions,
            r.cost_per_conversion.map_or("-".to_owned(), |v| format!("{v:.2}")),
            money(r.revenue),
            r.roas.map_or("-".to_owned(), |v| format!("{v:.2}")),
            r.cost_source.map_or("", |s| s.label())
        );
        println!("{}", line.trim_end());
    };
    println!(
        "  {:<36} {:>9} {:>8} {:>6} {:>9} {:>10} {:>7}  source",
        "channel", "cost", "reached", "conv", "CAC", "revenue", "ROAS"
    );
    m.channels.iter().for_each(row);
    row(&m.total);
    println!("  touchpoint (with a cost)");
    m.touchpoints.iter().filter(|t| t.cost.is_some()).for_each(row);
}

#[cfg(test)]
mod tests {
    use super::{parse_window, shown};

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(shown("\u{1b}[31mred\u{1b}]0;title\u{7}"), "\\e[31mred\\e]0;title\\u{7}");
        assert_eq!(shown("a\nb\tc\rd\u{7f}\u{9b}"), "a\\nb\\tc\\rd\\u{7f}\\u{9b}");
        assert_eq!(shown("Đánh giá → mua"), "Đánh giá → mua");
    }

    #[test]
    fn windows_parse() {
        assert_eq!(parse_window("30d"), Some(30 * 86_400_000));
        assert_eq!(parse_window("12h"), Some(12 * 3_600_000));
        assert_eq!(parse_window("90"), Some(90_000));
        assert_eq!(parse_window("2w"), Some(14 * 86_400_000));
        assert_eq!(parse_window("3 days"), None);
        assert_eq!(parse_window("d"), None);
    }
}
