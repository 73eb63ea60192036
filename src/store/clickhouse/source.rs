//! One ClickHouse table as Journeymap's events: which column plays which
//! part (`--columns`, with `order=COL` for the order of events at the same
//! time), checked against the table's real columns and types, and the
//! queries each analysis needs.

use std::collections::HashMap;
use std::time::Duration;

use super::ClickHouseError;
use super::client::{Client, QueryControl};
use super::sql::{self, EventFilter, Exprs};
use super::url::ClickHouseUrl;
use crate::analysis::{self, DayRange, EventCount, EventLog, EventLogBuilder, Transition, WholeLog};
use crate::model::JourneyMap;
use crate::store::columns::{Role, parse_roles};
use crate::store::{NO_VALUE, PropertyColumn};

/// A column of the table as the server describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnInfo {
    pub name: String,
    /// ClickHouse's type, e.g. `LowCardinality(Nullable(String))`.
    pub type_name: String,
}

impl ColumnInfo {
    /// Whether the column can be the time (`DateTime`, `DateTime64`, `Date`).
    pub fn is_time(&self) -> bool {
        time_kind(&self.type_name).is_some()
    }

    /// Whether the column can be a cost or revenue.
    pub fn is_number(&self) -> bool {
        is_number(base_type(&self.type_name))
    }
}

/// How the time column counts time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeKind {
    /// Seconds (`DateTime`, any time zone: stored as UTC seconds).
    DateTime,
    /// `DateTime64(precision)`: read to the millisecond.
    DateTime64(u32),
    /// Days (`Date`, `Date32`): an event at midnight UTC.
    Date,
    Date32,
}

/// The events a funnel needs, and how many people the whole table has (the
/// funnel's base, most of whom may have none of these events).
#[derive(Debug)]
pub struct FunnelEvents {
    pub log: EventLog,
    /// One per requested property, in the log's order.
    pub properties: Vec<PropertyColumn>,
    pub people: u64,
}

/// The directly-follows graph as the server counted it.
#[derive(Debug, PartialEq)]
pub struct PathCounts {
    /// People counted (each has one start and one end edge).
    pub people: u64,
    /// With `analysis::START` and `analysis::END` as node names, sorted as
    /// `analysis::path_graph` sorts: by count, largest first, then names.
    pub edges: Vec<Transition>,
}

/// What `compare` walks of a table (`analysis::compare_part`): the events
/// that matter to it, and the whole table's counts.
#[derive(Debug)]
pub struct CompareEvents {
    pub log: EventLog,
    pub whole: WholeLog,
}

/// A connected table with its column mapping.
#[derive(Debug)]
pub struct ClickHouseSource {
    url: ClickHouseUrl,
    client: Client,
    version: String,
    columns: Vec<ColumnInfo>,
    time: TimeKind,
    exprs: Exprs,
    /// The tie order is a column of the table (else event name, channel, ...).
    ordered: bool,
}

/// The parts `--columns` can name: the import's roles and the tie order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Part {
    Role(Role),
    Order,
}

const PARTS: [Part; 7] = [
    Part::Role(Role::Person),
    Part::Role(Role::Time),
    Part::Role(Role::Event),
    Part::Role(Role::Channel),
    Part::Role(Role::Cost),
    Part::Role(Role::Revenue),
    Part::Order,
];

impl Part {
    fn key(self) -> &'static str {
        match self {
            Part::Role(r) => r.key(),
            Part::Order => "order",
        }
    }

    fn required(self) -> bool {
        matches!(self, Part::Role(r) if r.required())
    }

    fn describe(self) -> &'static str {
        match self {
            Part::Role(r) => r.describe(),
            Part::Order => "tie order",
        }
    }
}

/// `Nullable(T)` and `LowCardinality(T)` read as T.
fn base_type(type_name: &str) -> &str {
    let mut t = type_name.trim();
    loop {
        let inner = ["Nullable(", "LowCardinality("]
            .iter()
            .find_map(|w| t.strip_prefix(w).and_then(|r| r.strip_suffix(')')));
        match inner {
            Some(inner) => t = inner.trim(),
            None => return t,
        }
    }
}

fn is_number(base: &str) -> bool {
    ["Int", "UInt", "Float", "Decimal"].iter().any(|p| base.starts_with(p))
}

fn is_compound(base: &str) -> bool {
    ["Array", "Tuple", "Map", "Nested", "AggregateFunction"]
        .iter()
        .any(|p| base.starts_with(p))
}

/// The kind of a time column, or `None` for a type that is no time.
pub(super) fn time_kind(type_name: &str) -> Option<TimeKind> {
    let base = base_type(type_name);
    if let Some(args) = base.strip_prefix("DateTime64(") {
        let precision = args.split([',', ')']).next()?.trim().parse().ok()?;
        return Some(TimeKind::DateTime64(precision));
    }
    match base {
        "Date" => Some(TimeKind::Date),
        "Date32" => Some(TimeKind::Date32),
        b if b == "DateTime" || b.starts_with("DateTime(") => Some(TimeKind::DateTime),
        _ => None,
    }
}

/// `major.minor` of a `SELECT version()` answer such as `18.16.1`.
fn version_number(version: &str) -> (u32, u32) {
    let mut parts = version.trim().split('.').map(|p| p.parse().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

impl ClickHouseSource {
    /// Connects, checks the table and the mapping (`--columns`; roles left
    /// out take the import's default column names when the table has them).
    pub fn connect(
        url: ClickHouseUrl,
        columns: Option<&str>,
        password: Option<String>,
        timeout: Duration,
    ) -> Result<ClickHouseSource, ClickHouseError> {
        let mut named: HashMap<Part, String> = HashMap::new();
        if let Some(spec) = columns {
            parse_roles(spec, &PARTS, Part::key, Part::required, "the roles are", |p, c| {
                named.insert(p, c);
            })
            .map_err(|e| ClickHouseError::Usage(e.to_string()))?;
        }
        Self::open(url, named, password, timeout)
    }

    /// Connects with the mapping as `(key, column)` pairs, the keys those
    /// of `--columns` (person, time, event, channel, cost, revenue, order),
    /// an empty column meaning none; for a dialog, where a column's name
    /// may hold the commas and equals signs a spec could not.
    pub fn connect_mapped(
        url: ClickHouseUrl,
        columns: &[(&str, &str)],
        password: Option<String>,
        timeout: Duration,
    ) -> Result<ClickHouseSource, ClickHouseError> {
        let mut named: HashMap<Part, String> = HashMap::new();
        for (key, column) in columns {
            let part = PARTS.iter().find(|p| p.key() == *key).ok_or_else(|| {
                ClickHouseError::Usage(format!(
                    "unknown role '{key}'; the roles are {}",
                    PARTS.map(Part::key).join(", ")
                ))
            })?;
            if column.is_empty() && part.required() {
                return Err(ClickHouseError::Usage(format!(
                    "choose a column for the {}",
                    part.describe()
                )));
            }
            named.insert(*part, (*column).to_owned());
        }
        Self::open(url, named, password, timeout)
    }

    /// The server's version and the table's columns, before any mapping:
    /// what a dialog offers the mapping from (and a test of the connection).
    pub fn inspect(
        url: &ClickHouseUrl,
        password: Option<String>,
        timeout: Duration,
    ) -> Result<TableInfo, ClickHouseError> {
        let client = Client::new(url, password, timeout);
        describe(&client, url)
    }

    fn open(
        url: ClickHouseUrl,
        named: HashMap<Part, String>,
        password: Option<String>,
        timeout: Duration,
    ) -> Result<ClickHouseSource, ClickHouseError> {
        let client = Client::new(&url, password, timeout);
        let TableInfo {
            version,
            columns: table_columns,
        } = describe(&client, &url)?;
        let table = format!("{}.{}", url.database, url.table);
        let find = |part: Part| -> Result<Option<&ColumnInfo>, ClickHouseError> {
            let wanted = match (named.get(&part), part) {
                (Some(c), _) if c.is_empty() => return Ok(None),
                (Some(c), _) => c.as_str(),
                (None, Part::Order) => return Ok(None),
                (None, Part::Role(r)) => r.default_column(),
            };
            match table_columns.iter().find(|c| c.name == wanted) {
                Some(c) => Ok(Some(c)),
                None if named.contains_key(&part) || part.required() => Err(ClickHouseError::NoColumn {
                    table: table.clone(),
                    role: part.describe(),
                    column: wanted.to_owned(),
                    found: table_columns.iter().map(|c| c.name.clone()).collect(),
                }),
                None => Ok(None),
            }
        };
        let bad_type = |part: Part, c: &ColumnInfo, expected: &'static str| ClickHouseError::BadType {
            table: table.clone(),
            role: part.describe(),
            column: c.name.clone(),
            type_name: c.type_name.clone(),
            expected,
        };
        let text = |part: Part| -> Result<Option<String>, ClickHouseError> {
            let Some(c) = find(part)? else { return Ok(None) };
            if is_compound(base_type(&c.type_name)) {
                return Err(bad_type(part, c, "expected text or a number"));
            }
            Ok(Some(sql::ident(&c.name)))
        };
        let number = |part: Part| -> Result<String, ClickHouseError> {
            let Some(c) = find(part)? else { return Ok("0".into()) };
            if !is_number(base_type(&c.type_name)) {
                return Err(bad_type(
                    part,
                    c,
                    "expected a number type (Int, UInt, Float or Decimal)",
                ));
            }
            Ok(format!("ifNull(toFloat64({}), 0)", sql::ident(&c.name)))
        };
        let person = text(Part::Role(Role::Person))?.expect("required");
        let event = text(Part::Role(Role::Event))?.expect("required");
        let time_part = Part::Role(Role::Time);
        let time_column = find(time_part)?.expect("a required column is found or an error");
        let time = time_kind(&time_column.type_name).ok_or_else(|| {
            bad_type(
                time_part,
                time_column,
                "a time column must be DateTime, DateTime64 or Date (convert text times on the server, \
                 e.g. in a view with parseDateTimeBestEffort)",
            )
        })?;
        let t = sql::ident(&time_column.name);
        let time_ms = match time {
            TimeKind::DateTime => format!("(toInt64(toUInt32({t})) * 1000)"),
            TimeKind::DateTime64(_) if version_number(&version) < (20, 5) => {
                return Err(bad_type(
                    time_part,
                    time_column,
                    "reading DateTime64 needs ClickHouse 20.5 or later (this server is older)",
                ));
            }
            TimeKind::DateTime64(_) => format!("toUnixTimestamp64Milli({t})"),
            TimeKind::Date => format!("(toInt64(toUInt16({t})) * 86400000)"),
            TimeKind::Date32 => format!("(toInt64(toInt32({t})) * 86400000)"),
        };
        let channel = text(Part::Role(Role::Channel))?;
        let order = text(Part::Order)?;
        let mut exprs = Exprs {
            table: format!("{}.{}", sql::ident(&url.database), sql::ident(&url.table)),
            valid: format!(
                "isNotNull({person}) AND isNotNull({t}) AND isNotNull({event}) AND toString({person}) != '' \
                 AND toString({event}) != ''"
            ),
            person: format!("toString({person})"),
            time_ms,
            event: format!("toString({event})"),
            channel: channel.map_or("''".into(), |c| format!("ifNull(toString({c}), '')")),
            cost: number(Part::Role(Role::Cost))?,
            revenue: number(Part::Role(Role::Revenue))?,
            tie: Vec::new(),
        };
        let ordered = order.is_some();
        exprs.tie = match order {
            Some(order) => vec![order],
            None => vec![
                exprs.event.clone(),
                exprs.channel.clone(),
                exprs.cost.clone(),
                exprs.revenue.clone(),
            ],
        };
        Ok(ClickHouseSource {
            url,
            client,
            version,
            columns: table_columns,
            time,
            exprs,
            ordered,
        })
    }

    pub fn url(&self) -> &ClickHouseUrl {
        &self.url
    }

    /// The server's `version()`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The table's columns, for a mapping dialog.
    pub fn columns(&self) -> &[ColumnInfo] {
        &self.columns
    }

    pub fn time_kind(&self) -> TimeKind {
        self.time
    }

    /// Whether a column orders events at the same time (`order=COL`).
    pub fn has_tie_order(&self) -> bool {
        self.ordered
    }

    /// The SQL `funnel_events` sends for `filter` (besides the count of
    /// people), for benchmarks and for running by hand.
    pub fn funnel_sql(&self, filter: &EventFilter) -> String {
        sql::events(&self.exprs, filter, &[], false)
    }

    /// The SQL `people` sends.
    pub fn people_sql(&self) -> String {
        sql::people(&self.exprs)
    }

    /// The SQL `path_counts` sends.
    pub fn paths_sql(&self, converted_by: Option<&str>) -> String {
        sql::path_edges(&self.exprs, converted_by)
    }

    /// The SQL `compare_events` sends for the events of `map`.
    pub fn compare_sql(&self, map: &JourneyMap) -> String {
        sql::compare_events(&self.exprs, &self.meets(map), self.ordered)
    }

    /// What `compare` needs of the table for `map`: the server counts
    /// people, events and the events meeting no touchpoint, and sends only
    /// the events the comparison walks (`sql::compare_events`).
    pub fn compare_events(&self, map: &JourneyMap, control: &QueryControl) -> Result<CompareEvents, ClickHouseError> {
        let meets = self.meets(map);
        // The counts run beside the events, as a funnel's count of people does.
        let (whole, log) = std::thread::scope(|scope| {
            let whole = scope.spawn(|| self.whole(&meets, control));
            let log = self.compare_log(&meets, control);
            (whole.join().expect("the counts do not panic"), log)
        });
        Ok(CompareEvents {
            log: log?,
            whole: whole?,
        })
    }

    /// Every touchpoint matcher of `map` as SQL.
    fn meets(&self, map: &JourneyMap) -> String {
        let matchers: Vec<(String, Option<String>)> = map
            .touchpoints
            .iter()
            .flat_map(|tp| tp.matchers.iter().map(|m| (m.event.clone(), m.channel.clone())))
            .collect();
        sql::meets(&self.exprs, &matchers)
    }

    fn compare_log(&self, meets: &str, control: &QueryControl) -> Result<EventLog, ClickHouseError> {
        // In file order the whole table numbers channels by their first
        // rows, which this log, person by person, would not meet first.
        let mut channels = Vec::new();
        if self.ordered {
            self.client
                .query_rows(&sql::channels_in_file_order(&self.exprs), control, Some(2), |f| {
                    channels.push(f[0].clone());
                    Ok(())
                })?;
        }
        let mut builder = EventLogBuilder::default();
        builder.number_channels(channels);
        let sql = sql::compare_events(&self.exprs, meets, self.ordered);
        Ok(self.read_events(&sql, builder, &[], control)?.0)
    }

    /// The whole table's counts for `compare_part`.
    fn whole(&self, meets: &str, control: &QueryControl) -> Result<WholeLog, ClickHouseError> {
        let count = |text: &str| -> Result<u64, ClickHouseError> {
            text.parse()
                .map_err(|_| self.protocol(format!("'{text}' is not a count")))
        };
        let mut totals = Vec::new();
        self.client
            .query_rows(&sql::totals(&self.exprs), control, Some(4), |f| {
                totals = f.to_vec();
                Ok(())
            })?;
        if totals.len() < 4 {
            return Err(self.protocol("no counts came back".into()));
        }
        let (people, events) = (count(&totals[0])?, count(&totals[1])?);
        let day = |text: &str| -> Result<chrono::NaiveDate, ClickHouseError> {
            text.parse::<i64>()
                .ok()
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|t| t.date_naive())
                .ok_or_else(|| self.protocol(format!("'{text}' is not a time")))
        };
        let range = match events {
            0 => None,
            _ => Some(DayRange {
                first: day(&totals[2])?,
                last: day(&totals[3])?,
            }),
        };
        let mut unmatched_events = Vec::new();
        self.client
            .query_rows(&sql::unmatched(&self.exprs, meets), control, Some(2), |f| {
                unmatched_events.push(EventCount {
                    event: f[0].clone(),
                    count: count(&f[1])?,
                });
                Ok(())
            })?;
        Ok(WholeLog {
            people,
            events,
            unmatched_events,
            range,
        })
    }

    /// Every event, as `store::load_events` gives a database's.
    pub fn load_events(&self, control: &QueryControl) -> Result<EventLog, ClickHouseError> {
        Ok(self.events(&EventFilter::default(), &[], self.ordered, control)?.0)
    }

    /// The events `filter` keeps with the values of `properties` (extra
    /// columns of the table), and the number of people in the table.
    pub fn funnel_events(
        &self,
        filter: &EventFilter,
        properties: &[&str],
        control: &QueryControl,
    ) -> Result<FunnelEvents, ClickHouseError> {
        let table = format!("{}.{}", self.url.database, self.url.table);
        let names: Vec<String> = properties
            .iter()
            .map(|p| match self.columns.iter().find(|c| c.name == *p) {
                Some(c) if is_compound(base_type(&c.type_name)) => Err(ClickHouseError::BadType {
                    table: table.clone(),
                    role: "property",
                    column: c.name.clone(),
                    type_name: c.type_name.clone(),
                    expected: "expected text or a number",
                }),
                Some(c) => Ok(c.name.clone()),
                None => Err(ClickHouseError::NoColumn {
                    table: table.clone(),
                    role: "property",
                    column: (*p).to_owned(),
                    found: self.columns.iter().map(|c| c.name.clone()).collect(),
                }),
            })
            .collect::<Result<_, _>>()?;
        // Both at once: the count scans the table while the events stream.
        // A funnel's counts and quantiles do not depend on the order of people.
        let (people, events) = std::thread::scope(|scope| {
            let people = scope.spawn(|| self.people(control));
            let events = self.events(filter, &names, false, control);
            (people.join().expect("the count does not panic"), events)
        });
        let (people, (log, properties)) = (people?, events?);
        Ok(FunnelEvents {
            log,
            properties,
            people,
        })
    }

    /// How many people have any event.
    pub fn people(&self, control: &QueryControl) -> Result<u64, ClickHouseError> {
        let text = self.client.query_text(&sql::people(&self.exprs), control)?;
        text.trim()
            .parse()
            .map_err(|_| self.protocol(format!("'{text}' is not a count")))
    }

    /// Up to `limit` event names, the most frequent first.
    pub fn event_names(&self, limit: usize, control: &QueryControl) -> Result<Vec<String>, ClickHouseError> {
        let mut names = Vec::new();
        self.client
            .query_rows(&sql::event_names(&self.exprs, limit), control, Some(1), |f| {
                names.push(f[0].clone());
                Ok(())
            })?;
        Ok(names)
    }

    /// The directly-follows graph of everyone, or of the people who did
    /// `converted_by`, counted on the server: only the edges come back.
    pub fn path_counts(
        &self,
        converted_by: Option<&str>,
        control: &QueryControl,
    ) -> Result<PathCounts, ClickHouseError> {
        let mut edges = Vec::new();
        let mut people = 0;
        self.client
            .query_rows(&sql::path_edges(&self.exprs, converted_by), control, Some(4), |f| {
                let count: u64 = f[3]
                    .parse()
                    .map_err(|_| self.protocol(format!("'{}' is not a count", f[3])))?;
                let (from, to) = match f[0].as_str() {
                    "1" => {
                        people += count;
                        (analysis::START.to_owned(), f[2].clone())
                    }
                    "2" => (f[1].clone(), analysis::END.to_owned()),
                    _ => (f[1].clone(), f[2].clone()),
                };
                edges.push(Transition { from, to, count });
                Ok(())
            })?;
        edges.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.from.cmp(&b.from))
                .then_with(|| a.to.cmp(&b.to))
        });
        Ok(PathCounts { people, edges })
    }

    fn events(
        &self,
        filter: &EventFilter,
        properties: &[String],
        file_order: bool,
        control: &QueryControl,
    ) -> Result<(EventLog, Vec<PropertyColumn>), ClickHouseError> {
        debug_assert!(properties.is_empty() || !file_order, "values in arrival order");
        let sql = sql::events(&self.exprs, filter, properties, file_order);
        self.read_events(&sql, EventLogBuilder::default(), properties, control)
    }

    /// The rows of `sql` (person, time, event, channel, cost, revenue, then
    /// `properties`) pushed onto `builder`.
    fn read_events(
        &self,
        sql: &str,
        mut builder: EventLogBuilder,
        properties: &[String],
        control: &QueryControl,
    ) -> Result<(EventLog, Vec<PropertyColumn>), ClickHouseError> {
        let mut columns: Vec<PropertyColumn> = properties
            .iter()
            .map(|name| PropertyColumn {
                name: name.clone(),
                ..Default::default()
            })
            .collect();
        let mut values: Vec<HashMap<String, u32>> = vec![HashMap::new(); properties.len()];
        self.client.query_rows(sql, control, Some(6 + properties.len()), |f| {
            let number = |i: usize| -> Result<f64, ClickHouseError> {
                f[i].parse()
                    .map_err(|_| self.protocol(format!("'{}' is not a number", f[i])))
            };
            let time_ms: i64 = f[1]
                .parse()
                .map_err(|_| self.protocol(format!("'{}' is not a time", f[1])))?;
            let channel = Some(f[3].as_str()).filter(|c| !c.is_empty());
            builder.push(&f[0], time_ms, &f[2], channel, number(4)?, number(5)?);
            // Property values are asked for only in the log's final order
            // (each person's events together, by time and tie order), so
            // they line up with the events as they arrive.
            for (p, column) in columns.iter_mut().enumerate() {
                let value = &f[6 + p];
                let key = match value.is_empty() {
                    true => NO_VALUE,
                    false => *values[p].entry(value.clone()).or_insert_with(|| {
                        column.values.push(value.clone());
                        column.values.len() as u32 - 1
                    }),
                };
                column.keys.push(key);
            }
            Ok(())
        })?;
        Ok((builder.build(), columns))
    }

    fn protocol(&self, detail: String) -> ClickHouseError {
        ClickHouseError::Protocol {
            server: self.client.server().to_owned(),
            detail,
        }
    }
}

/// What `inspect` finds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableInfo {
    /// The server's `version()`, e.g. `18.16.1`.
    pub version: String,
    pub columns: Vec<ColumnInfo>,
}

/// The server's version and the table's columns; an error when the table
/// has none this user can see.
fn describe(client: &Client, url: &ClickHouseUrl) -> Result<TableInfo, ClickHouseError> {
    let none = QueryControl::default();
    let version = client
        .query_text("SELECT version() FORMAT TabSeparated", &none)?
        .trim()
        .to_owned();
    let mut columns = Vec::new();
    client.query_rows(&sql::columns_of(&url.database, &url.table), &none, Some(2), |f| {
        columns.push(ColumnInfo {
            name: f[0].clone(),
            type_name: f[1].clone(),
        });
        Ok(())
    })?;
    if columns.is_empty() {
        return Err(missing_table(client, url));
    }
    Ok(TableInfo { version, columns })
}

/// The error for a table the server does not list: which of database and
/// table is missing.
fn missing_table(client: &Client, url: &ClickHouseUrl) -> ClickHouseError {
    let server = client.server().to_owned();
    let found = client
        .query_text(&sql::table_exists(&url.database, &url.table), &QueryControl::default())
        .map(|t| t.split_whitespace().map(|n| n == "1").collect::<Vec<bool>>());
    let detail = match found.as_deref() {
        Ok([false, _]) => format!("the server has no database '{}'", url.database),
        Ok([true, true]) => format!(
            "table '{}' in '{}' has no columns this user may read",
            url.table, url.database
        ),
        _ => format!("database '{}' has no table '{}'", url.database, url.table),
    };
    ClickHouseError::NoTable { server, detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_types_are_recognised_through_their_wrappers() {
        assert_eq!(time_kind("DateTime"), Some(TimeKind::DateTime));
        assert_eq!(time_kind("DateTime('Europe/Warsaw')"), Some(TimeKind::DateTime));
        assert_eq!(time_kind("Nullable(DateTime('UTC'))"), Some(TimeKind::DateTime));
        assert_eq!(time_kind("DateTime64(3, 'UTC')"), Some(TimeKind::DateTime64(3)));
        assert_eq!(time_kind("Nullable(DateTime64(6))"), Some(TimeKind::DateTime64(6)));
        assert_eq!(time_kind("Date"), Some(TimeKind::Date));
        assert_eq!(time_kind("LowCardinality(Nullable(Date))"), Some(TimeKind::Date));
        assert_eq!(time_kind("String"), None);
        assert_eq!(time_kind("LowCardinality(String)"), None);
        assert_eq!(time_kind("UInt32"), None);
    }

    #[test]
    fn versions_compare_by_major_and_minor() {
        assert_eq!(version_number("18.16.1"), (18, 16));
        assert!(version_number("18.16.1") < (20, 5));
        assert!(version_number("24.3.2.23") >= (20, 5));
        assert_eq!(version_number("garbage"), (0, 0));
    }

    #[test]
    fn number_and_compound_types() {
        for t in ["UInt8", "Int64", "Float64", "Decimal(18, 2)", "Nullable(Float32)"] {
            assert!(is_number(base_type(t)), "{t}");
        }
        for t in ["String", "LowCardinality(String)", "Date"] {
            assert!(!is_number(base_type(t)), "{t}");
        }
        assert!(is_compound(base_type("Array(String)")));
        assert!(!is_compound(base_type("LowCardinality(Nullable(String))")));
    }
}
