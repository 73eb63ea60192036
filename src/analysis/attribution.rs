//! Multi-touch attribution: which touches get the credit for a conversion.
//!
//! A *touch* is an event mapped to a key (a touchpoint, a channel, a
//! campaign: whatever `TouchMap` says), so one implementation serves every
//! "credit by X" question. Each conversion event shares one unit of credit,
//! and its revenue, among the touches before it under five common models.
//! Conversions with no touch before them are reported as unattributed, so
//! the rows plus the unattributed part always add up to the totals.

use serde::Serialize;

use super::event_log::{EventLog, NO_CHANNEL};

/// Seven days, the usual half-life of the time-decay model.
pub const SEVEN_DAYS_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Which events are touches, and of what key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TouchMap<'a> {
    /// One entry per event, in log order (e.g. the touchpoint an event meets).
    PerEvent(&'a [Option<u32>]),
    /// One entry per event number (e.g. `ad_click` -> "Ads" touchpoint).
    PerEventId(&'a [Option<u32>]),
    /// The event's channel number; events without a channel are no touch.
    Channel,
}

impl TouchMap<'_> {
    pub(super) fn key(&self, log: &EventLog, i: usize) -> Option<u32> {
        match *self {
            TouchMap::PerEvent(keys) => keys[i],
            TouchMap::PerEventId(keys) => keys.get(log.event[i] as usize).copied().flatten(),
            TouchMap::Channel => Some(log.channel[i]).filter(|&c| c != NO_CHANNEL),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributionSpec {
    /// Event numbers that count as a conversion. A conversion event is never
    /// a touch itself.
    pub conversion_events: Vec<u32>,
    /// When set, only touches at most this long before the conversion count.
    pub lookback_ms: Option<i64>,
    /// When set, a conversion uses up the touches before it: the next
    /// conversion of the same person is credited only to later touches.
    pub since_previous_conversion: bool,
    /// Half-life of the time-decay model.
    pub half_life_ms: i64,
}

impl AttributionSpec {
    /// Touches since the previous conversion, no lookback limit, a seven-day
    /// half-life.
    pub fn new(conversion_events: Vec<u32>) -> Self {
        AttributionSpec {
            conversion_events,
            lookback_ms: None,
            since_previous_conversion: true,
            half_life_ms: SEVEN_DAYS_MS,
        }
    }
}

/// Credit under each model; for one key, or a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Credits {
    /// All to the earliest touch.
    pub first_touch: f64,
    /// All to the latest touch.
    pub last_touch: f64,
    /// Shared equally among the touches.
    pub linear: f64,
    /// 40% first, 40% last, 20% shared by the ones between; with two
    /// touches 50/50, with one 100%.
    pub position_based: f64,
    /// Weight `2^(-(t_conversion - t_touch) / half_life)`, normalised.
    pub time_decay: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributionRow {
    pub key: String,
    /// Share of conversions credited to this key.
    pub conversions: Credits,
    /// Share of conversion revenue credited to this key.
    pub revenue: Credits,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributionReport {
    pub conversions: u64,
    pub revenue: f64,
    /// Conversions (and their revenue) with no touch in range before them.
    pub unattributed_conversions: u64,
    pub unattributed_revenue: f64,
    /// Keys with any credit, by linear conversion credit, largest first, then
    /// by name. Each model's column sums, with the unattributed part, to the
    /// totals above.
    pub rows: Vec<AttributionRow>,
}

/// Attributes every conversion in the log to its touches. `key_names` names
/// the keys `touches` yields (e.g. `log.channel_names` for `TouchMap::Channel`);
/// a key without a name is shown as `#<number>`.
pub fn attribute(log: &EventLog, spec: &AttributionSpec, touches: TouchMap, key_names: &[String]) -> AttributionReport {
    if let TouchMap::PerEvent(keys) = touches {
        assert_eq!(keys.len(), log.len(), "one touch key per event");
    }
    let mut is_conversion = vec![false; log.event_names.len()];
    for &e in &spec.conversion_events {
        if let Some(slot) = is_conversion.get_mut(e as usize) {
            *slot = true;
        }
    }
    let mut report = AttributionReport {
        conversions: 0,
        revenue: 0.0,
        unattributed_conversions: 0,
        unattributed_revenue: 0.0,
        rows: Vec::new(),
    };
    let mut credit: Vec<(Credits, Credits)> = Vec::new();
    // One person's touches still in range: (time, key), oldest first.
    let mut open: Vec<(i64, u32)> = Vec::new();
    let mut weights: Vec<Credits> = Vec::new();
    for p in 0..log.person_count() {
        open.clear();
        let mut oldest = 0; // touches before this fell out of the lookback
        for i in log.person_range(p) {
            let t = log.time_ms[i];
            if !is_conversion[log.event[i] as usize] {
                if let Some(key) = touches.key(log, i) {
                    open.push((t, key));
                }
                continue;
            }
            let revenue = log.revenue(i);
            report.conversions += 1;
            report.revenue += revenue;
            if let Some(lookback) = spec.lookback_ms {
                // Conversions come in time order, so the cut only moves on.
                while oldest < open.len() && t - open[oldest].0 > lookback {
                    oldest += 1;
                }
            }
            let in_range = &open[oldest..];
            if in_range.is_empty() {
                report.unattributed_conversions += 1;
                report.unattributed_revenue += revenue;
            } else {
                share(in_range, spec.half_life_ms, &mut weights);
                for (&(_, key), w) in in_range.iter().zip(&weights) {
                    let key = key as usize;
                    if credit.len() <= key {
                        credit.resize(key + 1, Default::default());
                    }
                    let (conversions, money) = &mut credit[key];
                    add(conversions, w, 1.0);
                    add(money, w, revenue);
                }
            }
            if spec.since_previous_conversion {
                open.clear();
                oldest = 0;
            }
        }
    }
    report.rows = credit
        .into_iter()
        .enumerate()
        .filter(|(_, (c, _))| *c != Credits::default())
        .map(|(key, (conversions, revenue))| AttributionRow {
            key: key_names.get(key).cloned().unwrap_or_else(|| format!("#{key}")),
            conversions,
            revenue,
        })
        .collect();
    report.rows.sort_by(|a, b| {
        b.conversions
            .linear
            .total_cmp(&a.conversions.linear)
            .then_with(|| a.key.cmp(&b.key))
    });
    report
}

fn add(to: &mut Credits, w: &Credits, amount: f64) {
    to.first_touch += w.first_touch * amount;
    to.last_touch += w.last_touch * amount;
    to.linear += w.linear * amount;
    to.position_based += w.position_based * amount;
    to.time_decay += w.time_decay * amount;
}

/// Each touch's share of one conversion under every model; each model's
/// shares sum to 1.
fn share(touches: &[(i64, u32)], half_life_ms: i64, out: &mut Vec<Credits>) {
    let n = touches.len();
    out.clear();
    out.resize(n, Credits::default());
    out[0].first_touch = 1.0;
    out[n - 1].last_touch = 1.0;
    for (j, w) in out.iter_mut().enumerate() {
        w.linear = 1.0 / n as f64;
        w.position_based = match n {
            1 => 1.0,
            2 => 0.5,
            _ if j == 0 || j == n - 1 => 0.4,
            _ => 0.2 / (n - 2) as f64,
        };
    }
    // Measured from the latest touch rather than the conversion: the
    // common factor cancels in the normalisation, and the largest weight is
    // 1, so old touches cannot all underflow to zero.
    let latest = touches[n - 1].0;
    let half_life = half_life_ms.max(1) as f64;
    let mut total = 0.0;
    for (w, &(t, _)) in out.iter_mut().zip(touches) {
        w.time_decay = (-((latest - t) as f64) / half_life).exp2();
        total += w.time_decay;
    }
    out.iter_mut().for_each(|w| w.time_decay /= total);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::event_log::EventLogBuilder;

    const DAY: i64 = 24 * 60 * 60 * 1000;

    /// Rows are (person, time, event, channel, revenue).
    fn log_of(rows: &[(&str, i64, &str, Option<&str>, f64)]) -> EventLog {
        let mut b = EventLogBuilder::default();
        for &(p, t, e, c, r) in rows {
            b.push(p, t, e, c, 0.0, r);
        }
        b.build()
    }

    fn by_channel(log: &EventLog, spec: &AttributionSpec) -> AttributionReport {
        attribute(log, spec, TouchMap::Channel, &log.channel_names)
    }

    fn row<'a>(r: &'a AttributionReport, key: &str) -> &'a AttributionRow {
        r.rows.iter().find(|row| row.key == key).expect("row")
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// Each model's credits plus the unattributed part give the totals.
    fn assert_sums(r: &AttributionReport) {
        let models: [fn(&Credits) -> f64; 5] = [
            |c| c.first_touch,
            |c| c.last_touch,
            |c| c.linear,
            |c| c.position_based,
            |c| c.time_decay,
        ];
        for m in models {
            let conv: f64 = r.rows.iter().map(|row| m(&row.conversions)).sum();
            let money: f64 = r.rows.iter().map(|row| m(&row.revenue)).sum();
            assert!(close(conv + r.unattributed_conversions as f64, r.conversions as f64));
            assert!(close(money + r.unattributed_revenue, r.revenue));
        }
    }

    #[test]
    fn three_touches_under_every_model() {
        let log = log_of(&[
            ("ann", 0, "visit", Some("ads"), 0.0),
            ("ann", DAY, "visit", Some("email"), 0.0),
            ("ann", 2 * DAY, "visit", Some("search"), 0.0),
            ("ann", 3 * DAY, "buy", None, 100.0),
        ]);
        let spec = AttributionSpec::new(vec![log.event_id("buy").unwrap()]);
        let r = by_channel(&log, &spec);
        assert_eq!((r.conversions, r.revenue), (1, 100.0));
        let (ads, email, search) = (row(&r, "ads"), row(&r, "email"), row(&r, "search"));
        assert_eq!(ads.conversions.first_touch, 1.0);
        assert_eq!(search.conversions.last_touch, 1.0);
        assert_eq!(email.conversions.first_touch + email.conversions.last_touch, 0.0);
        assert!(close(email.conversions.linear, 1.0 / 3.0));
        assert!(close(ads.conversions.position_based, 0.4));
        assert!(close(email.conversions.position_based, 0.2));
        assert!(close(search.revenue.position_based, 40.0));
        // Ages 3, 2 and 1 days: weights 2^(-3/7) = 0.7429971, 2^(-2/7) =
        // 0.8203354, 2^(-1/7) = 0.9057237, sum 2.4690562.
        assert!((ads.conversions.time_decay - 0.3009235).abs() < 1e-6);
        assert!((email.conversions.time_decay - 0.3322465).abs() < 1e-6);
        assert!((search.conversions.time_decay - 0.3668299).abs() < 1e-6);
        assert!((search.revenue.time_decay - 36.68299).abs() < 1e-4);
        assert_sums(&r);
    }

    #[test]
    fn one_and_two_touches_under_position_based() {
        let log = log_of(&[
            ("ann", 0, "visit", Some("ads"), 0.0),
            ("ann", 1, "buy", None, 0.0),
            ("bob", 0, "visit", Some("ads"), 0.0),
            ("bob", 1, "visit", Some("email"), 0.0),
            ("bob", 2, "buy", None, 0.0),
        ]);
        let spec = AttributionSpec::new(vec![log.event_id("buy").unwrap()]);
        let r = by_channel(&log, &spec);
        assert_eq!(row(&r, "ads").conversions.position_based, 1.5);
        assert_eq!(row(&r, "email").conversions.position_based, 0.5);
        assert_eq!(row(&r, "ads").conversions.linear, 1.5);
        assert_eq!(r.rows[0].key, "ads");
        assert_sums(&r);
    }

    #[test]
    fn repeated_touches_of_one_key_add_up() {
        let log = log_of(&[
            ("ann", 0, "visit", Some("ads"), 0.0),
            ("ann", 0, "visit", Some("ads"), 0.0),
            ("ann", 0, "visit", Some("email"), 0.0),
            ("ann", 0, "buy", None, 30.0),
        ]);
        let spec = AttributionSpec::new(vec![log.event_id("buy").unwrap()]);
        let r = by_channel(&log, &spec);
        assert!(close(row(&r, "ads").revenue.linear, 20.0));
        assert!(close(row(&r, "ads").conversions.position_based, 0.6));
        // Same instant: time decay is linear.
        assert!(close(row(&r, "email").conversions.time_decay, 1.0 / 3.0));
        assert_sums(&r);
    }

    #[test]
    fn a_conversion_uses_up_the_touches_before_it() {
        let rows = [
            ("ann", 0, "visit", Some("ads"), 0.0),
            ("ann", DAY, "buy", Some("web"), 10.0),
            ("ann", 2 * DAY, "visit", Some("email"), 0.0),
            ("ann", 3 * DAY, "buy", None, 20.0),
            ("ann", 4 * DAY, "buy", None, 40.0),
        ];
        let log = log_of(&rows);
        let spec = AttributionSpec::new(vec![log.event_id("buy").unwrap()]);
        let r = by_channel(&log, &spec);
        assert_eq!(r.conversions, 3);
        assert_eq!(r.unattributed_conversions, 1);
        assert_eq!(r.unattributed_revenue, 40.0);
        assert_eq!(row(&r, "ads").revenue.last_touch, 10.0);
        assert_eq!(row(&r, "email").revenue.last_touch, 20.0);
        // The conversion's own channel ("web") is not a touch.
        assert!(r.rows.iter().all(|row| row.key != "web"));
        assert_sums(&r);

        // Without the reset every conversion sees every earlier touch.
        let spec = AttributionSpec {
            since_previous_conversion: false,
            ..spec
        };
        let r = by_channel(&log, &spec);
        assert_eq!(r.unattributed_conversions, 0);
        assert_eq!(row(&r, "ads").conversions.first_touch, 3.0);
        assert_eq!(row(&r, "email").conversions.last_touch, 2.0);
        assert_eq!(row(&r, "ads").revenue.linear, 10.0 + 10.0 + 20.0);
        assert_sums(&r);
    }

    #[test]
    fn lookback_drops_old_touches_inclusively() {
        let log = log_of(&[
            ("ann", 0, "visit", Some("ads"), 0.0),
            ("ann", 10 * DAY, "visit", Some("email"), 0.0),
            ("ann", 40 * DAY, "buy", None, 0.0),
        ]);
        let spec = AttributionSpec {
            lookback_ms: Some(30 * DAY),
            ..AttributionSpec::new(vec![log.event_id("buy").unwrap()])
        };
        let r = by_channel(&log, &spec);
        assert_eq!(r.rows.len(), 1);
        assert_eq!(row(&r, "email").conversions.first_touch, 1.0);
        let spec = AttributionSpec {
            lookback_ms: Some(29 * DAY),
            ..spec
        };
        assert_eq!(by_channel(&log, &spec).unattributed_conversions, 1);
    }

    #[test]
    fn keys_from_event_numbers_or_per_event() {
        let log = log_of(&[
            ("ann", 0, "ad_click", None, 0.0),
            ("ann", 1, "webinar", None, 0.0),
            ("ann", 2, "buy", None, 0.0),
        ]);
        let spec = AttributionSpec::new(vec![log.event_id("buy").unwrap()]);
        let names = ["Ads".to_owned()];
        // Event number -> key 0 ("Ads") for ad_click, 5 for webinar.
        let r = attribute(&log, &spec, TouchMap::PerEventId(&[Some(0), Some(5)]), &names);
        assert_eq!(row(&r, "Ads").conversions.first_touch, 1.0);
        assert_eq!(row(&r, "#5").conversions.last_touch, 1.0);
        let r = attribute(&log, &spec, TouchMap::PerEvent(&[None, Some(0), Some(0)]), &names);
        assert_eq!(r.rows.len(), 1);
        assert_eq!(row(&r, "Ads").conversions.linear, 1.0);
    }

    #[test]
    fn very_old_touches_do_not_vanish_from_time_decay() {
        let log = log_of(&[
            ("ann", 0, "visit", Some("ads"), 0.0),
            ("ann", 1, "visit", Some("email"), 0.0),
            ("ann", 100_000 * DAY, "buy", None, 0.0),
        ]);
        let spec = AttributionSpec::new(vec![log.event_id("buy").unwrap()]);
        let r = by_channel(&log, &spec);
        assert_sums(&r);
    }
}
