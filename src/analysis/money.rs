//! Money meets the funnel: what was spent per channel and per touchpoint,
//! whom it reached, how far they went and what they brought back.
//!
//! Spend has three sources: the imported `cost` column (per event), the
//! budgets of the map's marketing efforts, and ad spend reports (what a
//! channel spent per day, `EventLog::spend`). Imported cost and budgets are
//! added together because each is real money. An ad spend report and the
//! other two can describe the same money (a platform's per-click cost, the
//! plan for the campaign the platform ran), so for each channel and day a
//! report covers, the report wins: that channel's events of that day count
//! none of their imported cost, and the map's budgets spending on that
//! channel count none of that day's share. A budget that cannot be spread
//! over days (no dates, or one open end) counts nothing once its channel has
//! report spend in the range. Channel names are matched ignoring case. What
//! the reports replaced is kept in `Money::replaced_by_spend`, so it can be
//! shown rather than silently dropped.
//!
//! A channel-day's reported spend goes to the channel row whole; towards
//! touchpoints it is shared evenly by that channel's events of that day, and
//! each share goes where an event's cost goes (below). Spend of a day without
//! events of its channel belongs to no touchpoint. A budget is spread evenly over the days from its start to its end
//! (both included) and only the days inside the analysed range count; the
//! range is the data's first to last event day unless the caller narrows it.
//! An effort without dates counts whole; one with only a start counts whole
//! if it starts on or before the range's last day, one with only an end if it
//! ends on or after the range's first day (an open-ended effort cannot be
//! spread evenly, and guessing its length would invent a figure).
//!
//! An event's cost goes to its channel and to the first touchpoint (in map
//! order) it meets, so no event's cost is counted twice in one table. An
//! effort's budget goes to its touchpoint and to one channel: the data's
//! channel its touchpoint's matchers all name (a Google search touchpoint
//! matching `session_start` from `google` spends on `google`), else the
//! effort's channel on the map, which is the data's channel of that name
//! (ignoring case) when there is one, or a row of its own.
//!
//! A person is reached by a touchpoint or channel when one of their events
//! meets it; they reach a funnel stage after it when one of their events at
//! or after that first one meets a touchpoint of that funnel stage (as
//! `compare` counts a touchpoint's conversions). A conversion is reaching the
//! last funnel stage so; revenue is the `revenue` of their events from that
//! first one on. Every ratio is `None` when its denominator is zero or there
//! is no cost (or revenue) data at all: an unknown is never shown as zero.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate};
use serde::Serialize;

use super::compare::EventTouchpoints;
use super::event_log::{EventLog, NO_CHANNEL};
use crate::model::{JourneyMap, MarketingEffort, Touchpoint, TouchpointId};

/// Days from `first` to `last`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DayRange {
    /// The days (UTC) of the log's first and last events.
    pub fn of_log(log: &EventLog) -> Option<DayRange> {
        let (first, last) = log.time_span()?;
        let day = |ms| DateTime::from_timestamp_millis(ms).map(|t| t.date_naive());
        Some(DayRange {
            first: day(first)?,
            last: day(last)?,
        })
    }

    fn contains_ms(&self, ms: i64) -> bool {
        DateTime::from_timestamp_millis(ms).is_some_and(|t| (self.first..=self.last).contains(&t.date_naive()))
    }
}

/// The part of `effort`'s budget spent within `range` (see the module's
/// rules); `None` when the effort has no budget.
pub fn budget_in_range(effort: &MarketingEffort, range: Option<DayRange>) -> Option<f64> {
    let budget = effort.budget?;
    let Some(range) = range else {
        return Some(budget);
    };
    Some(match (effort.start, effort.end) {
        (None, None) => budget,
        (Some(start), None) => budget * f64::from(u8::from(start <= range.last)),
        (None, Some(end)) => budget * f64::from(u8::from(end >= range.first)),
        (Some(a), Some(b)) => {
            let (start, end) = (a.min(b), a.max(b));
            let days = (end - start).num_days() + 1;
            let inside = (end.min(range.last) - start.max(range.first)).num_days() + 1;
            budget * inside.clamp(0, days) as f64 / days as f64
        }
    })
}

/// Where a cost figure came from: one or more of the three sources. In
/// JSON, its label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CostSource {
    /// Ad spend reports.
    pub spend: bool,
    /// The events' `cost` column.
    pub imported: bool,
    /// The map's effort budgets.
    pub budgets: bool,
}

impl CostSource {
    pub const IMPORTED: CostSource = CostSource {
        spend: false,
        imported: true,
        budgets: false,
    };
    pub const BUDGETS: CostSource = CostSource {
        spend: false,
        imported: false,
        budgets: true,
    };
    pub const SPEND: CostSource = CostSource {
        spend: true,
        imported: false,
        budgets: false,
    };

    /// The sources in words: "imported cost and budgets on the map".
    pub fn label(self) -> &'static str {
        match (self.spend, self.imported, self.budgets) {
            (false, false, false) => "none",
            (false, true, false) => "imported cost",
            (false, false, true) => "budgets on the map",
            (false, true, true) => "imported cost and budgets on the map",
            (true, false, false) => "ad spend report",
            (true, true, false) => "ad spend report and imported cost",
            (true, false, true) => "ad spend report and budgets on the map",
            (true, true, true) => "ad spend report, imported cost and budgets on the map",
        }
    }
}

impl Serialize for CostSource {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// What ad spend reports replaced (see the module's rule), within the range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ReplacedBySpend {
    /// Imported per-event cost of channel-days a report covers.
    pub imported_cost: f64,
    /// Budget shares of channel-days a report covers.
    pub budgets: f64,
}

/// Spend and return of one channel, one touchpoint, or everything.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoneyRow {
    /// The channel's or touchpoint's name ("All" for the total).
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<TouchpointId>,
    /// Sum of the imported `cost` of its events; `None` when none had one.
    pub imported_cost: Option<f64>,
    /// Its efforts' budgets within the range; `None` when it has none.
    pub budget: Option<f64>,
    /// From ad spend reports within the range; `None` when none.
    pub spend: Option<f64>,
    /// `imported_cost + budget + spend`; `None` without any.
    pub cost: Option<f64>,
    pub cost_source: Option<CostSource>,
    pub people_reached: u64,
    /// Per funnel stage (top first): people reached here who then reached it.
    pub stage_reached: Vec<u64>,
    /// Per funnel stage: `cost / stage_reached`.
    pub cost_per_stage: Vec<Option<f64>>,
    /// People reached here who then reached the last funnel stage.
    pub conversions: u64,
    /// `cost / conversions` (CAC).
    pub cost_per_conversion: Option<f64>,
    /// Revenue of the people reached, from their first event here on;
    /// `None` when the data has no revenue or nobody was reached.
    pub revenue: Option<f64>,
    /// `revenue / cost` (ROAS).
    pub roas: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Money {
    /// The map's currency, for budgets and (assumed) the imported columns.
    pub currency: String,
    /// The days whose spend counts; `None` for an empty log.
    pub range: Option<DayRange>,
    /// Funnel stage names, the order of `stage_reached` and `cost_per_stage`.
    pub funnel_stages: Vec<String>,
    pub total: MoneyRow,
    /// Data channels and the map's effort channels, by cost, largest first.
    pub channels: Vec<MoneyRow>,
    /// One per touchpoint, in map order.
    pub touchpoints: Vec<MoneyRow>,
    /// Imported cost and budgets left out because a report covers them.
    pub replaced_by_spend: ReplacedBySpend,
}

impl Money {
    /// Whether any cost figure exists at all.
    pub fn has_cost(&self) -> bool {
        self.total.cost.is_some()
    }
}

/// Counters for one row while walking the log.
#[derive(Clone, Default)]
struct Tally {
    imported: f64,
    has_imported: bool,
    budget: Option<f64>,
    spend: f64,
    has_spend: bool,
    reached: u64,
    stage_reached: Vec<u64>,
    revenue: f64,
}

impl Tally {
    fn add_budget(&mut self, amount: Option<f64>) {
        if let Some(a) = amount {
            *self.budget.get_or_insert(0.0) += a;
        }
    }

    fn add_spend(&mut self, amount: f64) {
        self.spend += amount;
        self.has_spend = true;
    }

    fn row(self, name: String, touchpoint: Option<TouchpointId>, has_revenue: bool) -> MoneyRow {
        let imported_cost = self.has_imported.then_some(self.imported);
        let spend = self.has_spend.then_some(self.spend);
        let source = CostSource {
            spend: spend.is_some(),
            imported: imported_cost.is_some(),
            budgets: self.budget.is_some(),
        };
        let cost_source = (source != CostSource::default()).then_some(source);
        let cost =
            cost_source.map(|_| imported_cost.unwrap_or(0.0) + self.budget.unwrap_or(0.0) + spend.unwrap_or(0.0));
        let per = |n: u64| cost.filter(|_| n > 0).map(|c| c / n as f64);
        let conversions = self.stage_reached.last().copied().unwrap_or(0);
        // Nobody seen: what the spend brought back is unknown, not zero.
        let revenue = (has_revenue && self.reached > 0).then_some(self.revenue);
        MoneyRow {
            name,
            touchpoint,
            imported_cost,
            budget: self.budget,
            spend,
            cost,
            cost_source,
            people_reached: self.reached,
            cost_per_stage: self.stage_reached.iter().map(|&n| per(n)).collect(),
            stage_reached: self.stage_reached,
            conversions,
            cost_per_conversion: per(conversions),
            revenue,
            roas: revenue.zip(cost.filter(|&c| c > 0.0)).map(|(r, c)| r / c),
        }
    }
}

const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01.
fn day_number(d: NaiveDate) -> i64 {
    (d - NaiveDate::default()).num_days()
}

/// The part of `effort`'s budget that falls on `days` (day numbers within
/// the range that a report covers for its channel): their shares of a dated
/// budget; all of it within the range for a budget that cannot be spread
/// over days, once any day is covered.
fn budget_covered(effort: &MarketingEffort, range: Option<DayRange>, days: &[i64]) -> f64 {
    let Some(budget) = effort.budget else {
        return 0.0;
    };
    if days.is_empty() {
        return 0.0;
    }
    match (effort.start, effort.end) {
        (Some(a), Some(b)) => {
            let (start, end) = (day_number(a.min(b)), day_number(a.max(b)));
            let hit = days.iter().filter(|&&d| (start..=end).contains(&d)).count();
            budget * hit as f64 / (end - start + 1) as f64
        }
        _ => budget_in_range(effort, range).unwrap_or(0.0),
    }
}

/// The channel an effort of `tp` spends on (see the module's rules).
fn budget_channel<'a>(tp: &'a Touchpoint, effort: &'a MarketingEffort) -> &'a str {
    let mut named = tp.matchers.iter().map(|m| m.channel.as_deref());
    match named.next() {
        Some(Some(first)) if named.all(|c| c == Some(first)) => first,
        _ => effort.channel.label(),
    }
}

/// Money per channel and per touchpoint of `map` over `log`, counting events
/// and budget days within `range` (default: the log's first to last day).
pub fn money(map: &JourneyMap, log: &EventLog, range: Option<DayRange>) -> Money {
    let range = range.or_else(|| DayRange::of_log(log));
    let matcher = EventTouchpoints::new(map, log);
    let n_tp = map.touchpoints.len();
    let n_fs = map.funnel.stages.len();
    let tp_funnel = super::compare::funnel_stage_of_touchpoints(map);

    // Rows: touchpoints, then the data's channels, then effort channels the
    // data does not name.
    let mut channel_names = log.channel_names.clone();
    let channel_of = |names: &[String], label: &str| names.iter().position(|n| n.eq_ignore_ascii_case(label));
    for tp in &map.touchpoints {
        for e in &tp.efforts {
            let name = budget_channel(tp, e);
            if e.budget.is_some() && channel_of(&channel_names, name).is_none() {
                channel_names.push(name.to_owned());
            }
        }
    }
    // Report spend within the range, per (channel row, day number).
    let mut covered: BTreeMap<(usize, i64), f64> = BTreeMap::new();
    for s in &log.spend {
        if range.is_some_and(|r| !(r.first..=r.last).contains(&s.day)) {
            continue;
        }
        let ch = channel_of(&channel_names, &s.channel).unwrap_or_else(|| {
            channel_names.push(s.channel.clone());
            channel_names.len() - 1
        });
        *covered.entry((ch, day_number(s.day))).or_insert(0.0) += s.cost;
    }
    let n_ch = channel_names.len();
    let blank = Tally {
        stage_reached: vec![0; n_fs],
        ..Tally::default()
    };
    let mut rows = vec![blank.clone(); n_tp + n_ch];
    let mut total = blank;
    let mut replaced = ReplacedBySpend::default();
    let mut covered_days: BTreeMap<usize, Vec<i64>> = BTreeMap::new();
    for (&(ch, day), &cost) in &covered {
        rows[n_tp + ch].add_spend(cost);
        total.add_spend(cost);
        covered_days.entry(ch).or_default().push(day);
    }
    for (t, tp) in map.touchpoints.iter().enumerate() {
        for e in &tp.efforts {
            let ch = channel_of(&channel_names, budget_channel(tp, e));
            let full = budget_in_range(e, range);
            let days = ch.and_then(|ch| covered_days.get(&ch)).map_or(&[][..], Vec::as_slice);
            let dropped = budget_covered(e, range, days);
            replaced.budgets += dropped;
            // A budget the reports replace entirely is no longer a source.
            let amount = full
                .filter(|&f| dropped == 0.0 || f - dropped > 1e-9)
                .map(|f| f - dropped);
            rows[t].add_budget(amount);
            if let Some(ch) = ch {
                rows[n_tp + ch].add_budget(amount);
            }
            total.add_budget(amount);
        }
    }

    let in_range = |i: usize| range.is_none_or(|r| r.contains_ms(log.time_ms[i]));
    // Each covered channel-day's events, to share its spend among them.
    let mut events_on: HashMap<(usize, i64), u32> = HashMap::new();
    if !covered.is_empty() {
        for i in 0..log.len() {
            if log.channel[i] != NO_CHANNEL && in_range(i) {
                let key = (log.channel[i] as usize, log.time_ms[i].div_euclid(DAY_MS));
                if covered.contains_key(&key) {
                    *events_on.entry(key).or_insert(0) += 1;
                }
            }
        }
    }
    let has_revenue = (0..log.len()).any(|i| log.revenue(i) != 0.0 && in_range(i));
    // Per-person scratch: each row's first event, each funnel stage's last.
    let mut first = vec![usize::MAX; n_tp + n_ch];
    let mut seen: Vec<usize> = Vec::new();
    let mut stage_last: Vec<Option<usize>> = vec![None; n_fs];
    let mut revenue_before: Vec<f64> = Vec::new();
    for p in 0..log.person_count() {
        let span = log.person_range(p);
        let start = span.start;
        stage_last.fill(None);
        revenue_before.clear();
        let mut person_revenue = 0.0;
        let mut any = false;
        for i in span {
            revenue_before.push(person_revenue);
            if !in_range(i) {
                continue;
            }
            any = true;
            person_revenue += log.revenue(i);
            let key = (log.channel[i] as usize, log.time_ms[i].div_euclid(DAY_MS));
            let share = (log.channel[i] != NO_CHANNEL)
                .then(|| covered.get(&key).map(|s| s / f64::from(events_on[&key])))
                .flatten();
            let cost = match share {
                Some(_) => {
                    replaced.imported_cost += log.cost(i);
                    0.0
                }
                None => log.cost(i),
            };
            let spend = share.unwrap_or(0.0);
            let mut mark = |row: usize, first: &mut [usize]| {
                if first[row] == usize::MAX {
                    first[row] = i;
                    seen.push(row);
                }
            };
            let mut costed = false;
            for tp in matcher.of(log, i) {
                let t = tp as usize;
                mark(t, &mut first);
                if let Some(fs) = tp_funnel[t] {
                    stage_last[fs] = Some(i);
                }
                if !costed && (cost != 0.0 || spend != 0.0) {
                    costed = true;
                    if cost != 0.0 {
                        rows[t].imported += cost;
                        rows[t].has_imported = true;
                    }
                    if spend != 0.0 {
                        rows[t].add_spend(spend);
                    }
                }
            }
            if log.channel[i] != NO_CHANNEL {
                let row = n_tp + log.channel[i] as usize;
                mark(row, &mut first);
                if cost != 0.0 {
                    rows[row].imported += cost;
                    rows[row].has_imported = true;
                }
            }
            if cost != 0.0 {
                total.imported += cost;
                total.has_imported = true;
            }
        }
        if !any {
            continue;
        }
        total.reached += 1;
        total.revenue += person_revenue;
        for (k, last) in stage_last.iter().enumerate() {
            total.stage_reached[k] += u64::from(last.is_some());
        }
        for row in seen.drain(..) {
            let at = std::mem::replace(&mut first[row], usize::MAX);
            let tally = &mut rows[row];
            tally.reached += 1;
            tally.revenue += person_revenue - revenue_before[at - start];
            for (k, last) in stage_last.iter().enumerate() {
                tally.stage_reached[k] += u64::from(last.is_some_and(|l| l >= at));
            }
        }
    }

    let mut rows = rows.into_iter();
    let touchpoints = map
        .touchpoints
        .iter()
        .zip(rows.by_ref())
        .map(|(tp, tally)| tally.row(tp.name.clone(), Some(tp.id), has_revenue))
        .collect();
    let mut channels: Vec<MoneyRow> = channel_names
        .into_iter()
        .zip(rows)
        .map(|(name, tally)| tally.row(name, None, has_revenue))
        .filter(|r| r.people_reached > 0 || r.cost.is_some())
        .collect();
    channels.sort_by(|a, b| {
        let cost = |r: &MoneyRow| r.cost.unwrap_or(f64::NEG_INFINITY);
        cost(b)
            .total_cmp(&cost(a))
            .then(b.people_reached.cmp(&a.people_reached))
    });
    Money {
        currency: map.currency.clone(),
        range,
        funnel_stages: map.funnel.stages.iter().map(|s| s.name.clone()).collect(),
        total: total.row("All".to_owned(), None, has_revenue),
        channels,
        touchpoints,
        replaced_by_spend: replaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::event_log::EventLogBuilder;
    use crate::model::*;
    use chrono::{TimeZone, Utc};

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    /// Noon of March `d`, 2026, in ms.
    fn at(d: u32) -> i64 {
        Utc.with_ymd_and_hms(2026, 3, d, 12, 0, 0).unwrap().timestamp_millis()
    }

    fn effort(channel: Channel, budget: Option<f64>, start: Option<u32>, end: Option<u32>) -> MarketingEffort {
        MarketingEffort {
            id: EffortId(90),
            name: "e".into(),
            kind: EffortKind::Ad,
            channel,
            budget,
            owner: String::new(),
            start: start.map(date),
            end: end.map(date),
        }
    }

    fn range(first: u32, last: u32) -> Option<DayRange> {
        Some(DayRange {
            first: date(first),
            last: date(last),
        })
    }

    #[test]
    fn budgets_spread_evenly_over_their_days() {
        let ten_days = effort(Channel::Ads, Some(1000.0), Some(1), Some(10));
        assert_eq!(budget_in_range(&ten_days, range(1, 31)), Some(1000.0));
        // Days 6..=10 of ten: half.
        assert_eq!(budget_in_range(&ten_days, range(6, 20)), Some(500.0));
        assert_eq!(budget_in_range(&ten_days, range(3, 3)), Some(100.0));
        assert_eq!(budget_in_range(&ten_days, range(11, 20)), Some(0.0));
        assert_eq!(budget_in_range(&ten_days, None), Some(1000.0));
        let one_day = effort(Channel::Ads, Some(70.0), Some(5), Some(5));
        assert_eq!(budget_in_range(&one_day, range(5, 5)), Some(70.0));
        // Without dates: whole, whatever the range.
        let undated = effort(Channel::Ads, Some(40.0), None, None);
        assert_eq!(budget_in_range(&undated, range(11, 20)), Some(40.0));
        // One date: whole when its open side reaches into the range.
        let from = effort(Channel::Ads, Some(40.0), Some(25), None);
        assert_eq!(budget_in_range(&from, range(1, 20)), Some(0.0));
        assert_eq!(budget_in_range(&from, range(1, 25)), Some(40.0));
        let until = effort(Channel::Ads, Some(40.0), None, Some(5));
        assert_eq!(budget_in_range(&until, range(6, 20)), Some(0.0));
        assert_eq!(budget_in_range(&until, range(5, 20)), Some(40.0));
        assert_eq!(budget_in_range(&effort(Channel::Ads, None, None, None), None), None);
    }

    /// Awareness (Ad: ad_click, with an undated Ads budget of 100) then
    /// Conversion (Buy: purchase).
    fn map(budget: Option<f64>) -> JourneyMap {
        let mut map = crate::model::templates::TEMPLATES[0].new_map("money");
        map.funnel.stages.truncate(2);
        map.stages.truncate(2);
        map.stages[0].funnel_stage = Some(map.funnel.stages[0].id);
        map.stages[1].funnel_stage = Some(map.funnel.stages[1].id);
        let mut ad = Touchpoint::new(TouchpointId(20), map.stages[0].id, "Ad");
        ad.matchers = vec![EventMatcher {
            event: "ad_click".into(),
            channel: None,
        }];
        ad.efforts = vec![effort(Channel::Ads, budget, None, None)];
        let mut buy = Touchpoint::new(TouchpointId(21), map.stages[1].id, "Buy");
        buy.matchers = vec![EventMatcher {
            event: "purchase".into(),
            channel: None,
        }];
        map.touchpoints = vec![ad, buy];
        map.links.clear();
        map
    }

    /// (person, day, event, channel, cost, revenue).
    type Row<'a> = (&'a str, u32, &'a str, Option<&'a str>, f64, f64);

    fn log_of(rows: &[Row]) -> EventLog {
        let mut b = EventLogBuilder::default();
        for &(p, d, e, c, cost, revenue) in rows {
            b.push(p, at(d), e, c, cost, revenue);
        }
        b.build()
    }

    fn log(cost: f64) -> EventLog {
        log_of(&[
            ("ann", 1, "ad_click", Some("ads"), cost, 0.0),
            ("ann", 2, "purchase", None, 0.0, 300.0),
            ("bob", 1, "ad_click", Some("ads"), 2.0 * cost, 0.0),
            // cat bought before the ad: reached, not converted by it.
            ("cat", 1, "purchase", None, 0.0, 100.0),
            ("cat", 2, "ad_click", Some("ads"), 0.0, 0.0),
        ])
    }

    #[test]
    fn cac_and_roas_from_imported_cost_and_budgets() {
        let m = money(&map(Some(100.0)), &log(10.0), None);
        assert_eq!(m.range, range(1, 2));
        let ad = &m.touchpoints[0];
        assert_eq!(
            (ad.imported_cost, ad.budget, ad.cost),
            (Some(30.0), Some(100.0), Some(130.0))
        );
        assert_eq!(
            ad.cost_source,
            Some(CostSource {
                spend: false,
                imported: true,
                budgets: true
            })
        );
        assert_eq!(
            (ad.people_reached, ad.stage_reached.clone(), ad.conversions),
            (3, vec![3, 1], 1)
        );
        assert_eq!(ad.cost_per_stage, [Some(130.0 / 3.0), Some(130.0)]);
        assert_eq!(ad.cost_per_conversion, Some(130.0));
        assert_eq!(ad.revenue, Some(300.0));
        assert_eq!(ad.roas, Some(300.0 / 130.0));

        // The data's "ads" channel and the map's Ads budget are one row.
        assert_eq!(m.channels.len(), 1);
        let ads = &m.channels[0];
        assert_eq!(ads.name, "ads");
        assert_eq!((ads.cost, ads.conversions, ads.revenue), (Some(130.0), 1, Some(300.0)));

        // Buy costs nothing known: dashes, not zeros.
        let buy = &m.touchpoints[1];
        assert_eq!((buy.cost, buy.cost_source), (None, None));
        assert_eq!((buy.people_reached, buy.conversions), (2, 2));
        assert_eq!((buy.cost_per_conversion, buy.roas), (None, None));
        assert_eq!(buy.cost_per_stage, [None, None]);
        assert_eq!(buy.revenue, Some(400.0));

        let all = &m.total;
        assert_eq!((all.cost, all.people_reached, all.conversions), (Some(130.0), 3, 2));
        assert_eq!(all.cost_per_conversion, Some(65.0));
        assert_eq!(all.roas, Some(400.0 / 130.0));
    }

    #[test]
    fn one_source_alone_is_named() {
        let m = money(&map(Some(100.0)), &log(0.0), None);
        assert_eq!(m.touchpoints[0].cost_source, Some(CostSource::BUDGETS));
        assert_eq!(m.touchpoints[0].imported_cost, None);
        let m = money(&map(None), &log(10.0), None);
        assert_eq!(m.touchpoints[0].cost_source, Some(CostSource::IMPORTED));
        assert_eq!(m.touchpoints[0].budget, None);
        assert_eq!(
            CostSource {
                spend: false,
                imported: true,
                budgets: true
            }
            .label(),
            "imported cost and budgets on the map"
        );
    }

    #[test]
    fn without_cost_data_every_cost_figure_is_unknown() {
        let m = money(&map(None), &log(0.0), None);
        assert!(!m.has_cost());
        for row in m.touchpoints.iter().chain(&m.channels).chain([&m.total]) {
            assert_eq!(row.cost, None, "{}", row.name);
            assert_eq!(row.cost_per_conversion, None, "{}", row.name);
            assert_eq!(row.roas, None, "{}", row.name);
            assert!(row.cost_per_stage.iter().all(Option::is_none), "{}", row.name);
        }
        assert_eq!(m.total.conversions, 2);
        // No revenue in the data: no revenue and no ROAS, even with cost.
        let quiet = log_of(&[("ann", 1, "ad_click", Some("ads"), 5.0, 0.0)]);
        let m = money(&map(None), &quiet, None);
        assert_eq!((m.total.cost, m.total.revenue, m.total.roas), (Some(5.0), None, None));
    }

    #[test]
    fn a_range_counts_its_events_and_its_share_of_each_budget() {
        let mut dated = map(None);
        // Ten days from March 1st, 50 a day; an Event budget the data has no
        // channel for gets its own row.
        dated.touchpoints[0].efforts = vec![effort(Channel::Ads, Some(500.0), Some(1), Some(10))];
        dated.touchpoints[1].efforts = vec![effort(Channel::Event, Some(80.0), None, None)];
        let m = money(&dated, &log(10.0), None);
        // The data spans March 1st and 2nd: two of ten days.
        assert_eq!(m.touchpoints[0].budget, Some(100.0));
        assert_eq!(m.touchpoints[0].cost, Some(130.0));
        let event = m
            .channels
            .iter()
            .find(|c| c.name == "Event")
            .expect("a row for the map's channel");
        assert_eq!(
            (event.cost, event.people_reached, event.cost_per_conversion),
            (Some(80.0), 0, None)
        );
        assert_eq!(
            event.revenue, None,
            "spend nobody is seen meeting returns an unknown, not zero"
        );
        assert_eq!(m.total.cost, Some(210.0));

        // A touchpoint whose matchers name one data channel spends there.
        let mut named = dated.clone();
        named.touchpoints[1].matchers[0].channel = Some("shop".into());
        let shop = log_of(&[("ann", 1, "purchase", Some("shop"), 0.0, 0.0)]);
        let m = money(&named, &shop, None);
        let names: Vec<_> = m.channels.iter().map(|c| (c.name.as_str(), c.budget)).collect();
        assert_eq!(names, [("shop", Some(80.0)), ("Ads", Some(50.0))]);

        // Only March 2nd: cat's ad click (no cost) and ann's purchase.
        let m = money(&dated, &log(10.0), range(2, 2));
        let ad = &m.touchpoints[0];
        assert_eq!((ad.imported_cost, ad.budget, ad.people_reached), (None, Some(50.0), 1));
        assert_eq!((m.total.people_reached, m.total.revenue), (2, Some(300.0)));
    }

    fn with_spend(mut log: EventLog, spend: &[(u32, &str, f64)]) -> EventLog {
        log.spend = spend
            .iter()
            .map(|&(d, channel, cost)| crate::analysis::SpendDay {
                day: date(d),
                channel: channel.into(),
                cost,
            })
            .collect();
        log
    }

    #[test]
    fn a_spend_report_replaces_the_cost_it_covers() {
        // March 1st: the report says Ads spent 50; ann's and bob's clicks
        // (imported 10 and 20) take 25 each; the undated budget of 100 is a
        // plan the report replaces.
        let reported = with_spend(log(10.0), &[(1, "ADS", 50.0), (2, "linkedin", 70.0)]);
        let m = money(&map(Some(100.0)), &reported, None);
        let ad = &m.touchpoints[0];
        assert_eq!(
            (ad.imported_cost, ad.budget, ad.spend, ad.cost),
            (None, None, Some(50.0), Some(50.0))
        );
        assert_eq!(ad.cost_source, Some(CostSource::SPEND));
        assert_eq!(ad.cost_per_conversion, Some(50.0));
        assert_eq!(ad.roas, Some(300.0 / 50.0));
        assert_eq!(
            m.replaced_by_spend,
            ReplacedBySpend {
                imported_cost: 30.0,
                budgets: 100.0
            }
        );
        let names: Vec<_> = m
            .channels
            .iter()
            .map(|c| (c.name.as_str(), c.cost, c.people_reached))
            .collect();
        assert_eq!(names, [("linkedin", Some(70.0), 0), ("ads", Some(50.0), 3)]);
        assert_eq!(m.total.cost, Some(120.0));
        assert_eq!(m.total.cost_source.unwrap().label(), "ad spend report");
        // Spend outside the data's days does not count.
        let late = with_spend(log(10.0), &[(9, "ads", 1000.0)]);
        let m = money(&map(None), &late, None);
        assert_eq!((m.total.cost, m.total.spend), (Some(30.0), None));
    }

    #[test]
    fn a_dated_budget_keeps_the_days_no_report_covers() {
        let mut dated = map(None);
        // 50 a day from March 1st to 10th; the data spans the 1st and 2nd.
        dated.touchpoints[0].efforts = vec![effort(Channel::Ads, Some(500.0), Some(1), Some(10))];
        let reported = with_spend(log(10.0), &[(1, "ads", 40.0)]);
        let m = money(&dated, &reported, None);
        let ad = &m.touchpoints[0];
        assert_eq!((ad.spend, ad.budget, ad.imported_cost), (Some(40.0), Some(50.0), None));
        assert_eq!(ad.cost, Some(90.0));
        assert_eq!(
            ad.cost_source.unwrap().label(),
            "ad spend report and budgets on the map"
        );
        assert_eq!(m.replaced_by_spend.budgets, 50.0);
        // Without the report: imported 30 plus two days of budget.
        let m = money(&dated, &log(10.0), None);
        assert_eq!(m.touchpoints[0].cost, Some(130.0));
        assert_eq!(m.replaced_by_spend, ReplacedBySpend::default());
    }

    #[test]
    fn cost_sources_read_as_one_label_in_json() {
        let all = CostSource {
            spend: true,
            imported: true,
            budgets: true,
        };
        assert_eq!(
            serde_json::to_value(all).unwrap(),
            "ad spend report, imported cost and budgets on the map"
        );
    }
}
