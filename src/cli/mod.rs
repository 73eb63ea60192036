//! The command line: parse arguments into a `Command`, run it, map the
//! outcome to an exit code. `main` starts the app for `Command::Open`.

mod attribution;
mod check;
mod data;
mod export;
mod new;
mod source;
mod spend;

pub use attribution::AttributionArgs;
pub use data::{FunnelArgs, ImportArgs, parse_window};

use crate::store;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

pub const HELP: &str = r#"Journeymap: draw customer journey maps and check them against real data.

Usage:
  journeymap [FILE.ron]                 open the app on a map (a bundled sample if none)
  journeymap check FILE.ron...          list every problem in the maps; exit 1 if any
  journeymap new [--template NAME] [--title TEXT] [--force] OUT.ron
                                        write a new map from a funnel template
  journeymap templates                  list the funnel templates
  journeymap import EVENTS.csv|.xlsx|.xls|.ods --db DATA.sqlite [--sheet NAME]
                    [--columns person=COL,time=COL,event=COL,channel=COL,cost=COL,revenue=COL]
                    [--stage-dates "COLUMN=event,..."] [--preset NAME] [--tz ZONE] [--strict]
                    [--replace | --append] [--encoding NAME] [--delimiter D]
                    [--decimal-comma | --decimal-point] [--skip-lines N] [--json]
                                        import events; bad rows are kept aside with their line
  journeymap import-spend REPORT.csv|.xlsx --db DATA.sqlite [--sheet NAME] [--channel NAME]
                    [--preset NAME]
                    [--columns day=COL,channel=COL,cost=COL,campaign=COL,impressions=COL,clicks=COL,currency=COL]
                    [--tz ZONE] [--strict] [--replace | --append] [--encoding NAME] [--delimiter D]
                    [--decimal-comma | --decimal-point] [--skip-lines N] [--json]
                                        import an ad spend report (cost per day and channel)
  journeymap imports --db DATA.sqlite [--remove ID] [--json]
                                        list the imports, or take one out again with its events
  journeymap funnel --db DATA.sqlite (--map MAP.ron | --steps "a|b,c,d") [--window 30d]
                    [--by channel|PROPERTY] [--from DAY] [--to DAY] [--exclude EVENT]...
                    [--same PROPERTY] [--json]
                                        people reaching each step, conversion, time between steps
  journeymap paths --db DATA.sqlite [--top N] [--ends] [--converted-by EVENT | --map MAP.ron
                    --converters-only] [--json]
                                        which event follows which, most common first; --ends adds
                                        "▶ start -> first event" and "last event -> ■ end"; only
                                        people who did EVENT, or reached the map's last funnel stage
  journeymap compare --map MAP.ron --db DATA.sqlite [--threshold 0.05] [--window 30d] [--json]
                                        where the map and the data part ways
  journeymap attribution --db DATA.sqlite (--conversion EVENT | --map MAP.ron)
                    [--by channel|touchpoint] [--lookback 30d] [--half-life 7d] [--repeat] [--json]
                                        which channels or touchpoints get the credit for conversions
  journeymap export MAP.ron --to OUT.png|OUT.svg|OUT.pdf|OUT.csv|OUT.md [--scale 2]
                    [--lanes touchpoints,does,...] [--page a4|a3|fit|poster] [--db DATA.sqlite]
                    [--svg-text text|outlines]
                                        the map as a picture, print-ready PDF, spreadsheet or report
  journeymap --help | --version

Wherever --db DATA.sqlite is taken (funnel, paths, compare, attribution, export), a ClickHouse
table is too: --db clickhouse://[USER@]HOST[:PORT]/DATABASE.TABLE [--columns ROLE=COL,...]
(see ClickHouse below).

Export: the format follows OUT's extension. Pictures (PNG, SVG, PDF) show every name and lane
text in full (cards and lanes grow to fit), with a title block (title, description, funnel
model, date, the data source) above the map, the persona cards above its stages, and a legend
below it. --scale multiplies PNG pixels (default 1). --lanes picks lanes from touchpoints, does,
thinks, emotion, pains, opportunities, efforts, metrics, notes. --page a4 (the default) or a3 puts
the title block and legend on page one and splits the map across landscape pages with the lane
labels and stage headers repeated; fit makes one page the size of the picture; poster one large
page (up to A0).
--svg-text text (the default) keeps SVG text editable; a reader drawing it in another font holds
each line to its width if it supports that (browsers do, rsvg-convert does not). outlines draws
every letter as a shape from the bundled fonts, so the SVG looks the same in every reader, with
each line's text kept as a label for screen readers.
--db draws the data on the map (people reaching each card, drop-off between funnel stages,
touchpoints nobody meets or that are not measured, paths the map lacks), fills data-bound
metrics, and adds the comparison to a Markdown report. The map file is only read.

Import: columns default to person_id,timestamp,event,channel,cost,revenue; person, time and event
are required, other columns are kept as properties. Timestamps: ISO 8601 with Z or an offset,
date-times without a zone (read in --tz, default UTC; --tz takes UTC, +07:00 or Europe/Warsaw),
dates, unix seconds or milliseconds. --strict imports nothing if any row is bad. Importing again:
the same content (from any path) is refused unless --replace, which removes the earlier import
first. A file at the path of an earlier import whose old content is the start of the new one (an
export with rows added at its end) imports only the rows after the old content, and says so. Any
other change at the same path is refused unless --replace (the new content instead of the old) or
--append (the whole new file too, keeping both).
Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods): the first sheet, or --sheet NAME; its first used row
is the header. Date cells are times in --tz, numbers stay numbers, text is read as in a CSV file;
bad rows are named by their row in the sheet. Each sheet of a workbook is its own import.
--stage-dates "Became a Lead Date=lead,Became a Customer Date=customer": one row per person (named
with --columns person=COL, optionally channel=COL) and a date column per stage; each filled date
becomes one event of that name at that date, with the row's channel and other columns as
properties. A row with a date that cannot be read is rejected whole, naming the column.
--preset hubspot-contacts reads a HubSpot contacts export so, with the stage columns it has.
The encoding (UTF-8; UTF-16 by its byte-order mark or zero bytes; windows-1250, windows-1252,
windows-1258 or iso-8859-2 judged by the letters they make), the delimiter (comma, semicolon, tab,
pipe) and decimal commas in cost and revenue ("12,50", "1 234,50", with another delimiter than
comma) of a CSV file are detected; --encoding, --delimiter and --decimal-comma (or --decimal-point)
force them, for import and import-spend alike. A file whose code page cannot be told for sure is
refused with the candidates and how each reads it.
Lines before the header (a report's title and date range, as Google Ads writes them) are found
and skipped, in CSV files and sheets alike: the header is the first row with as many fields as
most rows, mostly filled, with names in its cells, or with a preset's columns. --skip-lines N
says the header is on line N+1. Rows keep their line numbers in the file.
Money (cost, revenue, a report's cost) may carry a currency symbol or code before or after the
number ("$1,234.50", "12,50 zł", "1 234,50 PLN", "₫ 250.000", "€3.20"), read with the file's
decimal mark; amounts are never converted, and a file with two currencies is refused, naming
the line where the second one appears.

Imports: lists each import's id, file, time, rows imported and rejected, size and content hash.
--remove ID deletes that import, its events and its rejected rows in one transaction (there is no
undo: import the file again to bring them back).

Funnel: a person's level is the largest k such that events e1..ek of theirs match steps 1..k in
order, with non-decreasing timestamps and ts(ek) - ts(e1) <= window (ClickHouse windowFunnel).
One event counts for at most one step, as in PostHog; ClickHouse's default mode would let one
event satisfy two consecutive steps. Events of one person at the same millisecond keep the
order of the imported file (ClickHouse orders such ties by step instead). In --steps, commas
separate steps and | separates event names that count for the same step. With --map, the steps
are the map's funnel stages: an event counts for a stage when it meets a touchpoint (its event
matchers) of a journey stage mapped to it; an event meeting touchpoints of several stages may
count for any one of them. --from and --to keep the events of those days (YYYY-MM-DD, UTC,
inclusive); events outside do not exist for the funnel. --exclude EVENT (repeatable): a person
whose EVENT falls between two consecutive steps of their chain drops out at the step reached and
must start again from the first step; an excluded event never fills a step. --same PROPERTY: all
steps of a chain must carry the same value of that imported column (events without a value fill
no step); --by and --same may name the same or different columns.

Compare: a funnel stage's reach is the funnel of `funnel --map` with the same --window, so the
two commands agree. "Entered here" counts each person once, at the funnel stage of their first
event that meets any; the stages below the top add up to the people who entered the funnel
below the top. A journey stage's and a touchpoint's reach is everyone who met one of its
touchpoints, in any order and at any time.

Money (compare's last section, and "money" in --json): cost is the imported cost column plus the
efforts' budgets on the map, each figure naming its source. A budget is spread evenly over its
start..end days and only the days from the data's first to last event count; without dates it
counts whole, with one date whole if it reaches into those days. An event's cost counts for its
channel and the first touchpoint it meets; a budget for its touchpoint and for the data channel
its touchpoint's matchers all name, else the effort's own channel. A conversion is reaching the
last funnel stage at or after meeting the channel or touchpoint; revenue is those people's
revenue from then on. CAC = cost / conversions, ROAS = revenue / cost; "-" (null) when either is
unknown or the denominator is zero. An ad spend report (import-spend) is what a channel really
spent each day: for the channel-days it covers it replaces the events' imported cost and the
budgets' day shares on that channel (a budget without both dates, entirely), so no money counts
twice; a channel-day's spend is shared by that channel's events of that day towards touchpoints.

Attribution: by default a person's first conversion counts, with its row's revenue; --repeat
counts every one, each crediting the touches since the previous one. The conversion is the event
--conversion names, or with --map reaching the map's last funnel stage (an event meeting a
touchpoint of a journey stage mapped to it, counted as funnel --map counts it; with --repeat every
such event counts). Given both, --conversion is the conversion and the map gives the touchpoints.
Touches are the person's events with a non-empty channel strictly before the conversion in (time,
file order); the conversion's own row never counts. With --by touchpoint (needs --map) touches are
instead events meeting a touchpoint, credited to the first one in map order, by name. No lookback
unless given (--lookback 30d keeps touches at most 30 days before the conversion). Converters
without touches count in "conversions" but are not attributed; each model shares out the
attributed conversions and their revenue. First touch and last touch give everything to the
earliest or latest touch; linear shares equally; position-based gives 40% to the first, 40% to the
last and 20% to those between (one touch 100%, two touches 50/50); time decay weighs a touch by
2^(-age / half-life), default half-life 7 days. Markov: a first-order chain over the channels (or
touchpoints) with start, conversion and null states; each credited conversion's touches form a
path ending in conversion, each person who never converts one path of all their touches ending in
null (touches after a person's last conversion are no path). A channel's removal effect is 1 -
P(conversion with the channel removed) / P(conversion), solved exactly (no simulation), and
conversions and revenue are shared in proportion to the removal effects. --json prints
{"conversions", "attributed_conversions", "revenue", "models": {MODEL: {KEY: {"conversions",
"revenue"}}}} with MODEL first_touch, last_touch, linear, position_based, time_decay, markov.

ClickHouse: --db clickhouse://[USER@]HOST[:PORT]/DATABASE.TABLE (the HTTP interface, port 8123;
clickhouses:// for HTTPS, port 8443) reads the events where they are, with --columns
person=COL,time=COL,event=COL[,channel=COL,cost=COL,revenue=COL,order=COL] naming the table's
columns (defaults as for import). The time column is DateTime, DateTime64 (ClickHouse 20.5 and
later) or Date, read as UTC; Nullable and LowCardinality columns work; rows without a person, time
or event are skipped, as import rejects them. The password comes from JOURNEYMAP_CLICKHOUSE_PASSWORD
or a prompt, never from the URL (one written there is refused). JOURNEYMAP_CLICKHOUSE_TIMEOUT is how
many seconds a query may take (default 600). The server does the heavy work: paths are counted
there and only the edges come back; a funnel receives only its steps' events (within --from/--to)
and the --exclude events, and walks them here, because ClickHouse's windowFunnel has other rules
(which step an event matching several fills, ties in the order it happens to read them) and gives
no times between steps; compare and attribution receive every event's person, time, event,
channel, cost and revenue. Events of one person at the same time follow order=COL: with the row
number of the file the table was loaded from, every result equals that of importing the file.
Without it they are ordered by event name (then channel, cost, revenue), so funnels and paths can
differ from an import of a file that listed such ties in another order, and sums over people may
differ in the last digits.

Exit codes: 0 success, 1 problems found or the command failed, 2 bad usage.
"#;

#[derive(Debug, PartialEq)]
pub enum Command {
    /// Start the app, optionally on a file.
    Open(Option<PathBuf>),
    Check(Vec<PathBuf>),
    New {
        template: String,
        title: Option<String>,
        out: PathBuf,
        force: bool,
    },
    Templates,
    Export {
        map: PathBuf,
        out: PathBuf,
        scale: Option<f32>,
        lanes: Option<String>,
        page: Option<String>,
        db: Option<PathBuf>,
        /// A ClickHouse table's columns, with `--db clickhouse://...`.
        columns: Option<String>,
        svg_text: Option<String>,
    },
    Import(ImportArgs),
    ImportSpend(spend::SpendArgs),
    Imports {
        db: PathBuf,
        remove: Option<i64>,
        json: bool,
    },
    Funnel(FunnelArgs),
    Paths(data::PathsArgs),
    Compare {
        map: PathBuf,
        db: PathBuf,
        columns: Option<String>,
        threshold: Option<f64>,
        window: Option<String>,
        json: bool,
    },
    Attribution(AttributionArgs),
    Help,
    Version,
}

/// A usage mistake, shown with a pointer to `--help`.
#[derive(Debug, PartialEq)]
pub struct UsageError(pub String);

impl From<lexopt::Error> for UsageError {
    fn from(err: lexopt::Error) -> Self {
        UsageError(err.to_string())
    }
}

pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, UsageError> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let first = match parser.next()? {
        None => return Ok(Command::Open(None)),
        Some(Short('h') | Long("help")) => return Ok(Command::Help),
        Some(Short('V') | Long("version")) => return Ok(Command::Version),
        Some(Value(value)) => value,
        Some(other) => return Err(other.unexpected().into()),
    };
    let command = match first.to_str() {
        Some("check") => {
            let mut files = Vec::new();
            while let Some(arg) = parser.next()? {
                match arg {
                    Value(v) => files.push(PathBuf::from(v)),
                    Short('h') | Long("help") => return Ok(Command::Help),
                    other => return Err(other.unexpected().into()),
                }
            }
            if files.is_empty() {
                return Err(UsageError("check needs at least one map file".into()));
            }
            Command::Check(files)
        }
        Some("new") => {
            let (mut template, mut title, mut out, mut force) = (None, None, None, false);
            while let Some(arg) = parser.next()? {
                match arg {
                    Short('t') | Long("template") => template = Some(parser.value()?.string()?),
                    Long("title") => title = Some(parser.value()?.string()?),
                    Long("force") => force = true,
                    Short('h') | Long("help") => return Ok(Command::Help),
                    Value(v) if out.is_none() => out = Some(PathBuf::from(v)),
                    other => return Err(other.unexpected().into()),
                }
            }
            let out = out.ok_or_else(|| UsageError("new needs the file to write, e.g. `new map.ron`".into()))?;
            Command::New {
                template: template.unwrap_or_else(|| "basic".into()),
                title,
                out,
                force,
            }
        }
        Some("templates") => Command::Templates,
        Some("import") => {
            let mut a = ImportArgs::default();
            let mut csv = None;
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("db") => a.db = parser.value()?.into(),
                    Long("columns") => a.columns = Some(parser.value()?.string()?),
                    Long("tz") => a.tz = Some(parser.value()?.string()?),
                    Long("strict") => a.strict = true,
                    Long("replace") => a.replace = true,
                    Long("append") => a.append = true,
                    Long("json") => a.json = true,
                    Long("preset") => a.preset = Some(parser.value()?.string()?),
                    Long("sheet") => a.sheet = Some(parser.value()?.string()?),
                    Long("stage-dates") => a.stage_dates = Some(parser.value()?.string()?),
                    Long(name @ ("encoding" | "delimiter" | "decimal-comma" | "decimal-point" | "skip-lines")) => {
                        let name = name.to_owned();
                        dialect_option(&name, &mut parser, &mut a.dialect)?;
                    }
                    Short('h') | Long("help") => return Ok(Command::Help),
                    Value(v) if csv.is_none() => csv = Some(PathBuf::from(v)),
                    other => return Err(other.unexpected().into()),
                }
            }
            a.csv = csv.ok_or_else(|| UsageError("import needs the CSV or spreadsheet file to read".into()))?;
            if a.db.as_os_str().is_empty() {
                return Err(UsageError("import needs --db DATA.sqlite".into()));
            }
            if a.replace && a.append {
                return Err(UsageError(
                    "import takes --replace (the new content instead of the old) or --append (both), not both".into(),
                ));
            }
            Command::Import(a)
        }
        Some("import-spend") => {
            let mut a = spend::SpendArgs::default();
            let mut file = None;
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("db") => a.db = parser.value()?.into(),
                    Long("columns") => a.columns = Some(parser.value()?.string()?),
                    Long("channel") => a.channel = Some(parser.value()?.string()?),
                    Long("preset") => a.preset = Some(parser.value()?.string()?),
                    Long("tz") => a.tz = Some(parser.value()?.string()?),
                    Long("strict") => a.strict = true,
                    Long("replace") => a.replace = true,
                    Long("append") => a.append = true,
                    Long("json") => a.json = true,
                    Long("sheet") => a.sheet = Some(parser.value()?.string()?),
                    Long(name @ ("encoding" | "delimiter" | "decimal-comma" | "decimal-point" | "skip-lines")) => {
                        let name = name.to_owned();
                        dialect_option(&name, &mut parser, &mut a.dialect)?;
                    }
                    Short('h') | Long("help") => return Ok(Command::Help),
                    Value(v) if file.is_none() => file = Some(PathBuf::from(v)),
                    other => return Err(other.unexpected().into()),
                }
            }
            a.file = file.ok_or_else(|| UsageError("import-spend needs the report file to read".into()))?;
            if a.db.as_os_str().is_empty() {
                return Err(UsageError("import-spend needs --db DATA.sqlite".into()));
            }
            if a.replace && a.append {
                return Err(UsageError(
                    "import-spend takes --replace (the new content instead of the old) or --append (both), not both"
                        .into(),
                ));
            }
            Command::ImportSpend(a)
        }
        Some("imports") => {
            let (mut db, mut remove, mut json) = (None, None, false);
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("db") => db = Some(parser.value()?.into()),
                    Long("remove") => remove = Some(parser.value()?.parse()?),
                    Long("json") => json = true,
                    Short('h') | Long("help") => return Ok(Command::Help),
                    other => return Err(other.unexpected().into()),
                }
            }
            let db = db.ok_or_else(|| UsageError("imports needs --db DATA.sqlite".into()))?;
            Command::Imports { db, remove, json }
        }
        Some("funnel") => {
            let mut a = FunnelArgs::default();
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("db") => a.db = parser.value()?.into(),
                    Long("map") => a.map = Some(parser.value()?.into()),
                    Long("steps") => a.steps = Some(parser.value()?.string()?),
                    Long("window") => a.window = Some(parser.value()?.string()?),
                    Long("by") => a.by = Some(parser.value()?.string()?),
                    Long("from") => a.from = Some(parser.value()?.string()?),
                    Long("to") => a.to = Some(parser.value()?.string()?),
                    Long("exclude") => a.exclude.push(parser.value()?.string()?),
                    Long("same") => a.same = Some(parser.value()?.string()?),
                    Long("columns") => a.columns = Some(parser.value()?.string()?),
                    Long("json") => a.json = true,
                    Short('h') | Long("help") => return Ok(Command::Help),
                    other => return Err(other.unexpected().into()),
                }
            }
            if a.db.as_os_str().is_empty() {
                return Err(UsageError("funnel needs --db DATA.sqlite".into()));
            }
            if a.map.is_some() == a.steps.is_some() {
                return Err(UsageError(
                    "funnel needs exactly one of --map MAP.ron or --steps \"a|b,c,d\"".into(),
                ));
            }
            Command::Funnel(a)
        }
        Some("paths") => {
            let (mut db, mut a) = (None, data::PathsArgs::default());
            let mut converters_only = false;
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("db") => db = Some(parser.value()?.into()),
                    Long("top") => a.top = Some(parser.value()?.parse()?),
                    Long("ends") => a.ends = true,
                    Long("converted-by") => a.converted_by = Some(parser.value()?.string()?),
                    Long("map") => a.map = Some(parser.value()?.into()),
                    Long("converters-only") => converters_only = true,
                    Long("columns") => a.columns = Some(parser.value()?.string()?),
                    Long("json") => a.json = true,
                    Short('h') | Long("help") => return Ok(Command::Help),
                    other => return Err(other.unexpected().into()),
                }
            }
            a.db = db.ok_or_else(|| UsageError("paths needs --db DATA.sqlite".into()))?;
            match (&a.converted_by, &a.map, converters_only) {
                (Some(_), Some(_), _) => {
                    return Err(UsageError(
                        "paths takes --converted-by EVENT or --map MAP.ron --converters-only, not both".into(),
                    ));
                }
                (None, Some(_), false) => {
                    return Err(UsageError(
                        "paths --map MAP.ron needs --converters-only (the paths of people who reached its last \
                         funnel stage)"
                            .into(),
                    ));
                }
                (None, None, true) => {
                    return Err(UsageError(
                        "paths --converters-only needs --map MAP.ron (its last funnel stage is the conversion) \
                         or --converted-by EVENT"
                            .into(),
                    ));
                }
                _ => {}
            }
            Command::Paths(a)
        }
        Some("attribution") => match attribution::parse(&mut parser)? {
            Some(args) => Command::Attribution(args),
            None => Command::Help,
        },
        Some("export") => {
            let (mut map, mut out, mut scale, mut lanes, mut page, mut db) = (None, None, None, None, None, None);
            let (mut svg_text, mut columns) = (None, None);
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("to") | Short('o') => out = Some(parser.value()?.into()),
                    Long("scale") => scale = Some(parser.value()?.parse()?),
                    Long("lanes") => lanes = Some(parser.value()?.string()?),
                    Long("page") => page = Some(parser.value()?.string()?),
                    Long("db") => db = Some(parser.value()?.into()),
                    Long("svg-text") => svg_text = Some(parser.value()?.string()?),
                    Long("columns") => columns = Some(parser.value()?.string()?),
                    Short('h') | Long("help") => return Ok(Command::Help),
                    Value(v) if map.is_none() => map = Some(PathBuf::from(v)),
                    other => return Err(other.unexpected().into()),
                }
            }
            let map = map.ok_or_else(|| UsageError("export needs the map file to read".into()))?;
            let out = out.ok_or_else(|| UsageError("export needs --to OUT.png (or .svg, .pdf, .csv, .md)".into()))?;
            if columns.is_some() && db.is_none() {
                return Err(UsageError(
                    "--columns names the columns of a ClickHouse table given with --db clickhouse://...".into(),
                ));
            }
            Command::Export {
                map,
                out,
                scale,
                lanes,
                page,
                db,
                columns,
                svg_text,
            }
        }
        Some("compare") => {
            let (mut map, mut db, mut threshold, mut window, mut json) = (None, None, None, None, false);
            let mut columns = None;
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("map") => map = Some(parser.value()?.into()),
                    Long("db") => db = Some(parser.value()?.into()),
                    Long("threshold") => threshold = Some(parser.value()?.parse()?),
                    Long("columns") => columns = Some(parser.value()?.string()?),
                    Long("window") => window = Some(parser.value()?.string()?),
                    Long("json") => json = true,
                    Short('h') | Long("help") => return Ok(Command::Help),
                    other => return Err(other.unexpected().into()),
                }
            }
            let map = map.ok_or_else(|| UsageError("compare needs --map MAP.ron".into()))?;
            let db = db.ok_or_else(|| UsageError("compare needs --db DATA.sqlite".into()))?;
            Command::Compare {
                map,
                db,
                columns,
                threshold,
                window,
                json,
            }
        }
        _ => {
            if let Some(arg) = parser.next()? {
                return Err(arg.unexpected().into());
            }
            Command::Open(Some(PathBuf::from(first)))
        }
    };
    Ok(command)
}

/// Runs a command that needs no window. `Open` is `main`'s job.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Help => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Command::Version => {
            println!("journeymap {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::Templates => {
            for t in crate::model::templates::TEMPLATES {
                println!("{:<16} {} ({})", t.key, t.name, t.stages.join(" → "));
            }
            ExitCode::SUCCESS
        }
        Command::Check(files) => check::run(&files),
        Command::New {
            template,
            title,
            out,
            force,
        } => new::run(&template, title.as_deref(), &out, force),
        Command::Import(args) => data::import(&args),
        Command::ImportSpend(args) => spend::import_spend(&args),
        Command::Imports { db, remove, json } => data::imports(&db, remove, json),
        Command::Funnel(args) => data::funnel(&args),
        Command::Paths(args) => data::paths(&args),
        Command::Attribution(args) => attribution::run(&args),
        Command::Compare {
            map,
            db,
            columns,
            threshold,
            window,
            json,
        } => data::compare(&map, &db, columns.as_deref(), threshold, window.as_deref(), json),
        Command::Export {
            map,
            out,
            scale,
            lanes,
            page,
            db,
            columns,
            svg_text,
        } => export::run(
            &map,
            &out,
            scale,
            lanes.as_deref(),
            page.as_deref(),
            db.as_deref().map(|db| (db, columns.as_deref())),
            svg_text.as_deref(),
        ),
        Command::Open(_) => unreachable!("main starts the app for Open"),
    }
}

/// `--encoding`, `--delimiter`, `--decimal-comma`, `--decimal-point` or
/// `--skip-lines` (`name`) of import and import-spend into `choice`.
fn dialect_option(
    name: &str,
    parser: &mut lexopt::Parser,
    choice: &mut store::DialectChoice,
) -> Result<(), UsageError> {
    use lexopt::ValueExt;
    match name {
        "encoding" => {
            let v = parser.value()?.string()?;
            let e = store::Encoding::parse(&v).ok_or_else(|| {
                let names: Vec<&str> = store::Encoding::ALL.iter().map(|e| e.name()).collect();
                UsageError(format!("--encoding '{v}': the encodings are {}", names.join(", ")))
            })?;
            choice.encoding = Some(e);
        }
        "delimiter" => {
            let v = parser.value()?.string()?;
            let d = store::parse_delimiter(&v).ok_or_else(|| {
                UsageError(format!(
                    "--delimiter '{v}': give one character, or comma, semicolon, tab or pipe"
                ))
            })?;
            choice.delimiter = Some(d);
        }
        "skip-lines" => {
            let v = parser.value()?.string()?;
            let n = v.parse::<u64>().map_err(|_| {
                UsageError(format!(
                    "--skip-lines '{v}': give the number of lines before the header (0 or more)"
                ))
            })?;
            choice.skip_lines = Some(n);
        }
        "decimal-comma" => choice.decimal_comma = Some(true),
        _ => choice.decimal_comma = Some(false),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn parses_subcommands_and_files() {
        assert_eq!(parse(args(&[])), Ok(Command::Open(None)));
        assert_eq!(parse(args(&["map.ron"])), Ok(Command::Open(Some("map.ron".into()))));
        assert_eq!(
            parse(args(&["check", "a.ron", "b.ron"])),
            Ok(Command::Check(vec!["a.ron".into(), "b.ron".into()]))
        );
        assert_eq!(
            parse(args(&["new", "--template", "aida", "out.ron"])),
            Ok(Command::New {
                template: "aida".into(),
                title: None,
                out: "out.ron".into(),
                force: false
            })
        );
        assert_eq!(parse(args(&["--help"])), Ok(Command::Help));
    }

    #[test]
    fn usage_mistakes_are_errors() {
        assert!(parse(args(&["check"])).is_err());
        assert!(parse(args(&["new"])).is_err());
        assert!(parse(args(&["a.ron", "b.ron"])).is_err());
        assert!(parse(args(&["--frobnicate"])).is_err());
        assert!(parse(args(&["import", "e.csv", "--db", "d", "--replace", "--append"])).is_err());
        assert!(parse(args(&["import", "e.csv", "--db", "d", "--skip-lines", "two"])).is_err());
        assert!(parse(args(&["import-spend", "s.csv", "--db", "d", "--skip-lines", "-1"])).is_err());
        assert!(parse(args(&["imports"])).is_err());
        assert!(parse(args(&["imports", "--db", "d", "--remove", "two"])).is_err());
    }
}
