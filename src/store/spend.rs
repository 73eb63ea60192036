//! Ad spend reports (Google Ads, Meta Ads, any daily report per channel or
//! campaign) imported beside the events, into the `spend` table.
//!
//! A spend file is imported as an events file is (one transaction, rejected
//! rows kept with their line, the same re-import rules: see `import`); only
//! what a record becomes differs. Each record is one day's cost of one
//! channel (and campaign). Days are read as UTC days, as events' days are.
//!
//! When reports overlap (a May export, then a May-June export), a day,
//! channel and campaign found in several imports counts from the latest
//! import only, so re-exported figures replace the older ones instead of
//! adding to them. Rows of one import with the same day, channel and campaign
//! (ad sets of one campaign) add up.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use csv::StringRecord;
use rusqlite::{Connection, Statement, params};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::amount::{Currency, parse_amount, parse_number};
use super::columns::parse_roles;
use super::import::{INSERT_REJECTED, ImportOptions, ImportSummary, Progress, import_into};
use super::row::{Made, Problem};
use super::schema::Database;
use super::target::{Begun, RecordWriter, Target};
use super::timestamp::{Zone, parse_timestamp};
use crate::analysis::SpendDay;

/// A part a column of a spend report can play.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpendRole {
    Day,
    Channel,
    Cost,
    Campaign,
    Impressions,
    Clicks,
    /// The currency code of each row's cost (Google Ads' "Currency code").
    Currency,
}

impl SpendRole {
    pub const ALL: [SpendRole; 7] = [
        SpendRole::Day,
        SpendRole::Channel,
        SpendRole::Cost,
        SpendRole::Campaign,
        SpendRole::Impressions,
        SpendRole::Clicks,
        SpendRole::Currency,
    ];

    /// The name used in `--columns`, and the column used when none is named.
    pub fn key(self) -> &'static str {
        match self {
            SpendRole::Day => "day",
            SpendRole::Channel => "channel",
            SpendRole::Cost => "cost",
            SpendRole::Campaign => "campaign",
            SpendRole::Impressions => "impressions",
            SpendRole::Clicks => "clicks",
            SpendRole::Currency => "currency",
        }
    }

    fn required(self) -> bool {
        matches!(self, SpendRole::Day | SpendRole::Cost)
    }
}

/// Which column plays which part of a spend report. As for events: `None`
/// is the role's default column (`day`, `channel`, ...) when present,
/// `Some(name)` a column that must be present, `Some("")` no column.
/// A report of one channel only (a Google Ads export) has no channel column:
/// `fixed_channel` names the channel of all its rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendMapping {
    pub day: Option<String>,
    pub channel: Option<String>,
    pub cost: Option<String>,
    pub campaign: Option<String>,
    pub impressions: Option<String>,
    pub clicks: Option<String>,
    pub currency: Option<String>,
    pub fixed_channel: Option<String>,
}

impl SpendMapping {
    /// Reads `day=COL,channel=COL,cost=COL[,campaign=COL,impressions=COL,clicks=COL,currency=COL]`
    /// (any subset, any order).
    pub fn parse(spec: &str) -> Result<SpendMapping, StoreError> {
        let mut mapping = SpendMapping::default();
        parse_roles(
            spec,
            &SpendRole::ALL,
            SpendRole::key,
            SpendRole::required,
            "the roles of a spend report are",
            |role, column| mapping.set(role, Some(column)),
        )?;
        Ok(mapping)
    }

    pub fn get(&self, role: SpendRole) -> Option<&str> {
        self.slot(role).as_deref()
    }

    pub fn set(&mut self, role: SpendRole, column: Option<String>) {
        *self.slot_mut(role) = column;
    }

    fn slot(&self, role: SpendRole) -> &Option<String> {
        match role {
            SpendRole::Day => &self.day,
            SpendRole::Channel => &self.channel,
            SpendRole::Cost => &self.cost,
            SpendRole::Campaign => &self.campaign,
            SpendRole::Impressions => &self.impressions,
            SpendRole::Clicks => &self.clicks,
            SpendRole::Currency => &self.currency,
        }
    }

    fn slot_mut(&mut self, role: SpendRole) -> &mut Option<String> {
        match role {
            SpendRole::Day => &mut self.day,
            SpendRole::Channel => &mut self.channel,
            SpendRole::Cost => &mut self.cost,
            SpendRole::Campaign => &mut self.campaign,
            SpendRole::Impressions => &mut self.impressions,
            SpendRole::Clicks => &mut self.clicks,
            SpendRole::Currency => &mut self.currency,
        }
    }

    /// Each role's column index in `header` (exact name first, then ignoring
    /// ASCII case).
    fn resolve(&self, header: &[String], file: &Path) -> Result<Columns, StoreError> {
        let mut index = [None; SpendRole::ALL.len()];
        let fixed = self.fixed_channel.as_deref().is_some_and(|c| !c.trim().is_empty());
        for (k, role) in SpendRole::ALL.into_iter().enumerate() {
            let (name, explicit) = match self.get(role) {
                Some("") => continue,
                Some(name) => (name, true),
                None => (role.key(), false),
            };
            let found = header
                .iter()
                .position(|h| h == name)
                .or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(name)));
            match found {
                Some(i) => index[k] = Some(i),
                None if explicit || role.required() || (role == SpendRole::Channel && !fixed) => {
                    let how = if role == SpendRole::Channel {
                        "set it with --columns channel=NAME, or give the report's one channel with --channel NAME"
                            .to_owned()
                    } else {
                        format!("set it with --columns {}=NAME", role.key())
                    };
                    return Err(StoreError::MissingSpendColumn {
                        file: file.to_path_buf(),
                        role: role.key(),
                        column: name.to_owned(),
                        how,
                        found: header.to_vec(),
                    });
                }
                None => {}
            }
        }
        if index[1].is_none() && !fixed {
            return Err(StoreError::MissingSpendColumn {
                file: file.to_path_buf(),
                role: "channel",
                column: String::new(),
                how: "give the report's one channel with --channel NAME".to_owned(),
                found: header.to_vec(),
            });
        }
        Ok(index)
    }
}

/// Guesses a spend report's mapping from its header (English and Polish
/// names). Each column plays one role; a role without a column is `Some("")`.
pub fn guess_spend_mapping(header: &[String]) -> SpendMapping {
    let norm: Vec<String> = header.iter().map(|h| super::columns::normalize(h)).collect();
    let mut taken = vec![false; header.len()];
    let mut mapping = SpendMapping::default();
    for role in SpendRole::ALL {
        let names: &[&str] = match role {
            SpendRole::Day => &["day", "date", "reportingstarts", "dzien", "dzień", "data", "ngày"],
            SpendRole::Channel => &["channel", "source", "platform", "network", "kanał", "kanal", "źródło"],
            SpendRole::Cost => &["cost", "spend", "amountspent", "koszt", "wydatki", "chiphí"],
            SpendRole::Campaign => &["campaign", "campaignname", "kampania", "chiếndịch"],
            SpendRole::Impressions => &["impressions", "impr", "wyświetlenia", "lượthiểnthị"],
            SpendRole::Clicks => &["clicks", "linkclicks", "kliknięcia", "lượtnhấp"],
            SpendRole::Currency => &["currencycode", "currency", "waluta", "kodwaluty", "tiềntệ"],
        };
        // Exact names first, then names starting with one ("Amount spent (EUR)").
        let exact = names
            .iter()
            .find_map(|n| (0..header.len()).find(|&i| !taken[i] && norm[i] == *n));
        let found = exact.or_else(|| {
            names
                .iter()
                .find_map(|n| (0..header.len()).find(|&i| !taken[i] && norm[i].starts_with(n)))
        });
        if let Some(i) = found {
            taken[i] = true;
        }
        mapping.set(role, Some(found.map_or_else(String::new, |i| header[i].clone())));
    }
    mapping
}

/// Imports the ad spend report `path` into `db`. Of `options`, `columns` is
/// not used (`mapping` is the spend report's); the rest means what it
/// means for events.
pub fn import_spend(
    db: &mut Database,
    path: &Path,
    mapping: &SpendMapping,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    let mut target = Spend {
        mapping,
        zone: options.zone,
        header: Vec::new(),
        index: [None; SpendRole::ALL.len()],
        decimal_comma: false,
        header_currency: None,
    };
    import_into(db, path, options, &mut target, progress, cancel)
}

/// Each role's column, in the order of `SpendRole::ALL`.
type Columns = [Option<usize>; SpendRole::ALL.len()];

struct Spend<'m> {
    mapping: &'m SpendMapping,
    zone: Zone,
    header: Vec<String>,
    index: Columns,
    /// Numbers are written `12,50` (the file's dialect).
    decimal_comma: bool,
    /// The currency the cost column's name gives ("Amount spent (EUR)").
    header_currency: Option<Currency>,
}

impl Target for Spend<'_> {
    fn kind(&self) -> &'static str {
        "spend"
    }

    fn storing(&self) -> &'static str {
        "storing ad spend"
    }

    fn begin(&mut self, header: &[String], file: &Path, decimal_comma: bool) -> Result<Begun, StoreError> {
        self.index = self.mapping.resolve(header, file)?;
        self.decimal_comma = decimal_comma;
        self.header_currency = self.index[2].and_then(|i| currency_in_name(&header[i]));
        self.header = header.to_vec();
        let mut json = serde_json::Map::new();
        for (k, role) in SpendRole::ALL.into_iter().enumerate() {
            let v = self.index[k].map_or(serde_json::Value::Null, |i| header[i].clone().into());
            json.insert(role.key().into(), v);
        }
        if self.index[1].is_none()
            && let Some(c) = &self.mapping.fixed_channel
        {
            json.insert("fixed_channel".into(), c.trim().into());
        }
        json.insert("zone".into(), self.zone.to_string().into());
        Ok(Begun {
            mapping_json: serde_json::Value::Object(json).to_string(),
            properties: Vec::new(),
            stage_rows: false,
        })
    }

    fn writer<'t>(&'t mut self, tx: &'t Connection, import_id: i64) -> rusqlite::Result<Box<dyn RecordWriter + 't>> {
        Ok(Box::new(SpendRecords {
            spend: &*self,
            insert: tx.prepare(
                "INSERT INTO spend (import_id, day, channel, campaign, cost, impressions, clicks, line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            rejected: tx.prepare(INSERT_REJECTED)?,
            import_id,
        }))
    }
}

struct SpendRecords<'t> {
    spend: &'t Spend<'t>,
    insert: Statement<'t>,
    rejected: Statement<'t>,
    import_id: i64,
}

impl RecordWriter for SpendRecords<'_> {
    fn take(&mut self, rec: &StringRecord, line: u64, store: bool) -> rusqlite::Result<Result<Made, Problem>> {
        match self.spend.parse(rec) {
            Ok(row) => {
                if store {
                    self.insert.execute(params![
                        self.import_id,
                        row.day.to_string(),
                        row.channel,
                        row.campaign,
                        row.cost,
                        row.impressions,
                        row.clicks,
                        line as i64
                    ])?;
                }
                Ok(Ok(Made {
                    rows: 1,
                    currencies: [row.currency, None],
                }))
            }
            Err(p) => Ok(Err(p)),
        }
    }

    fn reject(&mut self, line: u64, reason: &str, raw: String) -> rusqlite::Result<()> {
        self.rejected
            .execute(params![self.import_id, line as i64, reason, raw])
            .map(|_| ())
    }

    fn finish(&mut self) -> rusqlite::Result<()> {
        Ok(())
    }
}

struct SpendRow<'a> {
    day: NaiveDate,
    channel: &'a str,
    campaign: Option<&'a str>,
    cost: f64,
    currency: Option<Currency>,
    impressions: Option<i64>,
    clicks: Option<i64>,
}

impl Spend<'_> {
    fn name(&self, i: usize) -> &str {
        self.header.get(i).map_or("(beyond the header)", String::as_str)
    }

    fn parse<'a>(&'a self, rec: &'a StringRecord) -> Result<SpendRow<'a>, Problem> {
        if rec.iter().all(|f| f.trim().is_empty()) {
            return Err(Problem::Blank);
        }
        if rec.len() != self.header.len() {
            return Err(Problem::Reject(format!(
                "expected {} fields, found {}",
                self.header.len(),
                rec.len()
            )));
        }
        let text = |i: usize| rec.get(i).unwrap_or_default().trim();
        let [day, channel, cost, campaign, impressions, clicks, currency_col] = self.index;
        let day = day.expect("day is resolved");
        let day_text = text(day);
        if is_total(day_text) {
            // A report's closing "Total: Account" rows sum the days above.
            return Err(Problem::Blank);
        }
        if day_text.is_empty() {
            return Err(Problem::Reject(format!("day (column '{}') is empty", self.name(day))));
        }
        // A date alone is that day; a time is read in the zone, its day is UTC's.
        let ms = parse_timestamp(day_text, &self.zone)
            .map_err(|e| Problem::Reject(format!("day '{day_text}' (column '{}') {e}", self.name(day))))?;
        let day_value = chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.date_naive())
            .ok_or_else(|| Problem::Reject(format!("day '{day_text}' is out of range")))?;
        let channel = match channel {
            Some(i) if !text(i).is_empty() => text(i),
            Some(i) => match self.mapping.fixed_channel.as_deref().map(str::trim) {
                Some(c) if !c.is_empty() => c,
                _ => return Err(Problem::Reject(format!("channel (column '{}') is empty", self.name(i)))),
            },
            None => self.mapping.fixed_channel.as_deref().map_or("", str::trim),
        };
        let cost_col = cost.expect("cost is resolved");
        let (cost, currency) = match money(text(cost_col), self.decimal_comma) {
            Some(Some(a)) => (a.value, a.currency),
            Some(None) => (0.0, None),
            None => {
                return Err(Problem::Reject(format!(
                    "cost '{}' (column '{}') is not a number",
                    text(cost_col),
                    self.name(cost_col)
                )));
            }
        };
        let currency = self.currency(currency, currency_col, text)?;
        let count = |col: Option<usize>, what: &str| -> Result<Option<i64>, Problem> {
            let Some(i) = col else { return Ok(None) };
            let v = text(i);
            if v.is_empty() || v == "--" {
                return Ok(None);
            }
            match parse_number(v, self.decimal_comma) {
                Some(n) if n >= 0.0 && n.fract() == 0.0 => Ok(Some(n as i64)),
                _ => Err(Problem::Reject(format!(
                    "{what} '{}' (column '{}') is not a whole number",
                    text(i),
                    self.name(i)
                ))),
            }
        };
        Ok(SpendRow {
            day: day_value,
            channel,
            campaign: campaign.map(text).filter(|c| !c.is_empty()),
            cost,
            currency,
            impressions: count(impressions, "impressions")?,
            clicks: count(clicks, "clicks")?,
        })
    }
}

impl Spend<'_> {
    /// A row's currency: written with its cost, in the currency column, or
    /// in the cost column's name, whichever is there; two that differ
    /// reject the row.
    fn currency<'a>(
        &self,
        with_cost: Option<Currency>,
        column: Option<usize>,
        text: impl Fn(usize) -> &'a str,
    ) -> Result<Option<Currency>, Problem> {
        let cost = self.index[2].expect("cost is resolved");
        let in_column = match column.map(|i| (i, text(i))) {
            Some((_, "")) | None => None,
            Some((i, code)) => Some(code_of(code).ok_or_else(|| {
                Problem::Reject(format!(
                    "currency '{code}' (column '{}') is not a currency code such as USD or PLN",
                    self.name(i)
                ))
            })?),
        };
        // Where each was read, named only for a row that is rejected.
        let said = [with_cost, in_column, self.header_currency];
        let mut known = said.iter().enumerate().filter_map(|(k, c)| Some((k, (*c)?)));
        let Some((a, first)) = known.next() else {
            return Ok(None);
        };
        let Some((b, other)) = known.find(|(_, c)| *c != first) else {
            return Ok(Some(first));
        };
        let by = |k: usize| match k {
            0 => format!("cost '{}'", text(cost)),
            1 => format!("column '{}'", self.name(column.unwrap_or(cost))),
            _ => format!("the column name '{}'", self.name(cost)),
        };
        Err(Problem::Reject(format!(
            "{} says {first} but {} says {other}",
            by(a),
            by(b)
        )))
    }
}

/// A currency code as a report writes it, in any case ("pln").
fn code_of(code: &str) -> Option<Currency> {
    let mut upper = <[u8; 3]>::try_from(code.as_bytes()).ok()?;
    upper.make_ascii_uppercase();
    Currency::from_code(std::str::from_utf8(&upper).ok()?)
}

/// The currency code a column's name ends with in brackets: "Amount spent
/// (EUR)", "Cost (PLN)".
fn currency_in_name(name: &str) -> Option<Currency> {
    let inner = name.trim().strip_suffix(')')?.rsplit_once('(')?.1.trim();
    Currency::from_code(inner)
}

/// A report's cost: `Some(None)` when empty or "--" (ad platforms' "no
/// data"), `None` when not an amount. Thousands separated by commas
/// ("1,234.50") are read, as the platforms write them, and a currency
/// beside the number ("$1,234.50", "12,50 zł"); with `decimal_comma` the
/// comma is the decimal mark instead ("1 234,50", "1.234,50").
/// Whether a day cell starts a report's total row ("Total: Account",
/// "Razem", "Suma", "Tổng cộng"), which is not a day's spend.
fn is_total(day: &str) -> bool {
    let lower = day.to_lowercase();
    ["total", "razem", "suma", "tổng"].iter().any(|w| {
        lower
            .strip_prefix(w)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    })
}

fn money(v: &str, decimal_comma: bool) -> Option<Option<super::amount::Amount>> {
    if v.is_empty() || v == "--" {
        return Some(None);
    }
    parse_amount(v, decimal_comma).map(Some)
}

/// The spend that counts, summed per day and channel (see the module's rule
/// for overlapping reports), by day then channel.
pub fn load_spend(db: &Database) -> Result<Vec<SpendDay>, StoreError> {
    let sql = StoreError::sqlite(db.path(), "loading ad spend");
    let mut stmt = db
        .conn
        .prepare(
            "SELECT s.day, s.channel, sum(s.cost) FROM spend s
             WHERE s.import_id = (SELECT max(o.import_id) FROM spend o
                                  WHERE o.day = s.day AND o.channel = s.channel AND o.campaign IS s.campaign)
             GROUP BY s.day, s.channel ORDER BY s.day, s.channel",
        )
        .map_err(StoreError::sqlite(db.path(), "loading ad spend"))?;
    let rows = stmt.query_map([], |r| {
        let day: String = r.get(0)?;
        Ok((day, r.get::<_, String>(1)?, r.get::<_, f64>(2)?))
    });
    let rows: Vec<(String, String, f64)> = rows.and_then(|rows| rows.collect()).map_err(sql)?;
    Ok(rows
        .into_iter()
        .filter_map(|(day, channel, cost)| {
            Some(SpendDay {
                day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?,
                channel,
                cost,
            })
        })
        .collect())
}

/// The number of spend rows stored (all imports, overlaps included).
pub fn spend_row_count(db: &Database) -> Result<u64, StoreError> {
    db.conn
        .query_row("SELECT count(*) FROM spend", [], |r| r.get::<_, i64>(0))
        .map(|n| n as u64)
        .map_err(StoreError::sqlite(db.path(), "counting ad spend"))
}

#[cfg(test)]
#[path = "spend_tests.rs"]
mod tests;
