//! `journeymap attribution`: which channels or touchpoints get the credit for
//! conversions, under five heuristic models and the Markov removal effect.

use std::path::PathBuf;
use std::process::ExitCode;

use super::UsageError;
use super::data::{fail, fit, load_all, parse_window, shown};
use crate::analysis::{self, AttributionTable, CreditTo, EventLog, TableOptions};
use crate::model::{JourneyMap, format};

#[derive(Debug, PartialEq, Default)]
pub struct AttributionArgs {
    pub db: PathBuf,
    pub conversion: Option<String>,
    pub map: Option<PathBuf>,
    /// "channel" (the default) or "touchpoint".
    pub by: Option<String>,
    pub lookback: Option<String>,
    pub half_life: Option<String>,
    pub repeat: bool,
    /// A ClickHouse table's columns.
    pub columns: Option<String>,
    pub json: bool,
}

/// The arguments after `attribution`; `None` asks for the help text.
pub(super) fn parse(parser: &mut lexopt::Parser) -> Result<Option<AttributionArgs>, UsageError> {
    use lexopt::prelude::*;
    let mut a = AttributionArgs::default();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("db") => a.db = parser.value()?.into(),
            Long("conversion") => a.conversion = Some(parser.value()?.string()?),
            Long("map") => a.map = Some(parser.value()?.into()),
            Long("by") => a.by = Some(parser.value()?.string()?),
            Long("lookback") => a.lookback = Some(parser.value()?.string()?),
            Long("half-life") => a.half_life = Some(parser.value()?.string()?),
            Long("repeat") => a.repeat = true,
            Long("columns") => a.columns = Some(parser.value()?.string()?),
            Long("json") => a.json = true,
            Short('h') | Long("help") => return Ok(None),
            other => return Err(other.unexpected().into()),
        }
    }
    if a.db.as_os_str().is_empty() {
        return Err(UsageError("attribution needs --db DATA.sqlite".into()));
    }
    if a.conversion.is_none() && a.map.is_none() {
        return Err(UsageError(
            "attribution needs --conversion EVENT or --map MAP.ron (its last funnel stage is the conversion)".into(),
        ));
    }
    match a.by.as_deref() {
        None | Some("channel") => {}
        Some("touchpoint") if a.map.is_none() => {
            return Err(UsageError(
                "--by touchpoint needs --map MAP.ron: the touchpoints are the map's".into(),
            ));
        }
        Some("touchpoint") => {}
        Some(other) => {
            return Err(UsageError(format!("--by must be channel or touchpoint, not {other:?}")));
        }
    }
    Ok(Some(a))
}

fn duration(flag: &str, text: Option<&str>) -> Result<Option<i64>, String> {
    match text {
        None => Ok(None),
        Some(text) => match parse_window(text) {
            Some(ms) => Ok(Some(ms)),
            None => Err(format!("{flag} {text:?}: expected a length like 30d, 12h, 90m, 2w")),
        },
    }
}

pub fn run(args: &AttributionArgs) -> ExitCode {
    match attribution(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(err),
    }
}

fn attribution(args: &AttributionArgs) -> Result<(), String> {
    let lookback_ms = duration("--lookback", args.lookback.as_deref())?;
    let half_life_ms =
        duration("--half-life", args.half_life.as_deref())?.unwrap_or(analysis::attribution::SEVEN_DAYS_MS);
    if half_life_ms <= 0 {
        return Err("--half-life must be longer than 0".into());
    }
    let map = match &args.map {
        Some(path) => Some(format::load(path).map_err(|e| e.to_string())?),
        None => None,
    };
    let log = load_all(&args.db, args.columns.as_deref())?;
    let db_name = args.db.display();
    let (is_conversion, what) = match (&args.conversion, &map) {
        (Some(event), _) => {
            let Some(id) = log.event_id(event) else {
                return Err(format!(
                    "{db_name}: no event is named {event:?}; the events there are {}",
                    some_names(&log)
                ));
            };
            (analysis::conversions_of_event(&log, id), format!("{event:?} event"))
        }
        (None, Some(map)) => conversions_of_map(map, &log, args)?,
        (None, None) => unreachable!("parse asks for --conversion or --map"),
    };
    if !is_conversion.contains(&true) {
        return Err(format!("{db_name}: no conversions: no {what} in the data"));
    }
    let to = match (args.by.as_deref(), &map) {
        (Some("touchpoint"), Some(map)) => CreditTo::Touchpoint(map),
        _ => CreditTo::Channel,
    };
    let options = TableOptions {
        lookback_ms,
        half_life_ms,
        repeat: args.repeat,
    };
    let table = analysis::attribution_table(&log, &is_conversion, to, &options);
    if let Some(problem) = &table.markov_problem {
        eprintln!("journeymap: no Markov model: {problem}");
    }
    if args.json {
        println!("{}", serde_json::to_string(&table).expect("a table serialises"));
    } else {
        print_table(&table, &what, args, lookback_ms, half_life_ms);
    }
    Ok(())
}

/// The map's conversion: reaching its last funnel stage.
fn conversions_of_map(map: &JourneyMap, log: &EventLog, args: &AttributionArgs) -> Result<(Vec<bool>, String), String> {
    let path = args
        .map
        .as_deref()
        .map_or_else(String::new, |p| p.display().to_string());
    let Some(last) = map.funnel.stages.last() else {
        return Err(format!(
            "{path}: the map has no funnel stages, so no conversion; give --conversion EVENT"
        ));
    };
    let events: Vec<String> = map
        .touchpoints
        .iter()
        .filter(|t| map.stage(t.stage).and_then(|s| s.funnel_stage) == Some(last.id))
        .flat_map(|t| t.matchers.iter().map(|m| format!("{:?}", m.event)))
        .collect();
    if events.is_empty() {
        return Err(format!(
            "{path}: no touchpoint of the last funnel stage {:?} has an event matcher, so nothing counts as a \
             conversion; add matchers or give --conversion EVENT",
            last.name
        ));
    }
    let what = format!(
        "event reaching the funnel stage {:?} (one of {})",
        last.name,
        events.join(", ")
    );
    Ok((analysis::conversions_of_map(map, log), what))
}

/// Up to ten event names of the log, for an error message.
fn some_names(log: &EventLog) -> String {
    let mut names: Vec<String> = log.event_names.iter().take(10).map(|n| format!("{n:?}")).collect();
    if log.event_names.len() > 10 {
        names.push(format!("… ({} in all)", log.event_names.len()));
    }
    names.join(", ")
}

const EXPLAINED: [(&str, &str); 6] = [
    ("first_touch", "all the credit to the earliest touch"),
    ("last_touch", "all the credit to the latest touch"),
    ("linear", "shared equally among the touches"),
    (
        "position_based",
        "40% first, 40% last, 20% shared by those between; 50/50 for two touches",
    ),
    ("time_decay", "a touch weighs 2^(-age / half-life)"),
    (
        "markov",
        "shared by removal effect: how much less often people convert without it",
    ),
];

fn print_table(table: &AttributionTable, what: &str, args: &AttributionArgs, lookback: Option<i64>, half_life: i64) {
    let which = if args.repeat { "every" } else { "a person's first" };
    println!("Conversion: {which} {}", shown(what));
    println!(
        "{} conversions, {} with a touch before them (shared out below); revenue {}",
        table.conversions,
        table.attributed_conversions,
        money(table.revenue)
    );
    let (key, touches) = match args.by.as_deref() {
        Some("touchpoint") => ("touchpoint", "events meeting a touchpoint of the map"),
        _ => ("channel", "events with a channel"),
    };
    println!(
        "Touches: {touches} before the conversion; lookback {}; time-decay half-life {}",
        lookback.map_or("none".to_owned(), days),
        days(half_life)
    );
    let attributed = table.attributed_conversions.max(1) as f64;
    for (name, heading, credits) in table.models.each() {
        let explained = EXPLAINED.iter().find(|(n, _)| *n == name).map_or("", |(_, e)| e);
        println!("\n{heading} ({explained})");
        println!("  {:<36} {:>12} {:>7} {:>14}", key, "conversions", "share", "revenue");
        let mut rows: Vec<_> = credits.iter().collect();
        rows.sort_by(|a, b| b.1.conversions.total_cmp(&a.1.conversions).then_with(|| a.0.cmp(b.0)));
        for (k, c) in rows {
            println!(
                "  {:<36} {:>12.2} {:>6.1}% {:>14}",
                fit(&shown(k), 36),
                c.conversions,
                100.0 * c.conversions / attributed,
                money(c.revenue)
            );
        }
    }
}

fn money(v: f64) -> String {
    format!("{:.2}", v)
}

fn days(ms: i64) -> String {
    let s = ms / 1000;
    match s {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
