//! The six attribution models side by side, under one set of definitions:
//! what `journeymap attribution` prints and the Markdown report shows.
//!
//! A conversion is an event the caller marks (an event name, or reaching
//! the map's last funnel stage). By default only a person's first
//! conversion counts; with `repeat` every one does, each crediting the
//! touches since the previous one. A touch is an event before the
//! conversion in (time, file order) with a channel, or meeting a touchpoint
//! when crediting touchpoints; the conversion's own row never is one.

use std::collections::BTreeMap;

use serde::Serialize;

use super::attribution::{AttributionReport, AttributionSpec, SEVEN_DAYS_MS, TouchMap, attribute};
use super::compare::EventTouchpoints;
use super::event_log::EventLog;
use super::map_funnel::map_funnel;
use super::markov::{MarkovReport, markov_attribution};
use crate::model::JourneyMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TableOptions {
    /// Only touches at most this long before the conversion count.
    pub lookback_ms: Option<i64>,
    pub half_life_ms: i64,
    /// Every conversion of a person counts, not only the first.
    pub repeat: bool,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            lookback_ms: None,
            half_life_ms: SEVEN_DAYS_MS,
            repeat: false,
        }
    }
}

/// What the credit goes to.
#[derive(Debug, Clone, Copy)]
pub enum CreditTo<'a> {
    /// Events' channels; events without one are no touch.
    Channel,
    /// The first touchpoint (in map order) an event meets, by name;
    /// touchpoints of one name share a row.
    Touchpoint(&'a JourneyMap),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Credit {
    pub conversions: f64,
    pub revenue: f64,
}

/// Per model, per key (channel or touchpoint name).
pub type ModelCredits = BTreeMap<String, Credit>;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Models {
    pub first_touch: ModelCredits,
    pub last_touch: ModelCredits,
    pub linear: ModelCredits,
    pub position_based: ModelCredits,
    pub time_decay: ModelCredits,
    /// Absent when the chain is too large to solve (see `markov_problem`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markov: Option<ModelCredits>,
}

impl Models {
    /// (JSON name, heading, credits) of each model present, in order.
    pub fn each(&self) -> Vec<(&'static str, &'static str, &ModelCredits)> {
        let mut all = vec![
            ("first_touch", "First touch", &self.first_touch),
            ("last_touch", "Last touch", &self.last_touch),
            ("linear", "Linear", &self.linear),
            ("position_based", "Position-based", &self.position_based),
            ("time_decay", "Time decay", &self.time_decay),
        ];
        if let Some(m) = &self.markov {
            all.push(("markov", "Markov", m));
        }
        all
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributionTable {
    pub conversions: u64,
    /// Conversions with at least one touch: what each model shares out.
    pub attributed_conversions: u64,
    pub revenue: f64,
    pub models: Models,
    /// Why the Markov model is missing, if it is.
    #[serde(skip)]
    pub markov_problem: Option<String>,
}

impl AttributionTable {
    /// Every key with credit under any model, by linear credit, largest
    /// first, then by name.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for (_, _, credits) in self.models.each() {
            for k in credits.keys() {
                if !keys.contains(&k.as_str()) {
                    keys.push(k);
                }
            }
        }
        let linear = |k: &str| self.models.linear.get(k).map_or(0.0, |c| c.conversions);
        keys.sort_by(|a, b| linear(b).total_cmp(&linear(a)).then_with(|| a.cmp(b)));
        keys
    }
}

/// Per event of `log`: whether it is the named event.
pub fn conversions_of_event(log: &EventLog, event: u32) -> Vec<bool> {
    log.event.iter().map(|&e| e == event).collect()
}

/// Per event of `log`: whether it reaches the map's last funnel stage, as
/// `funnel --map` counts it (an event meeting touchpoints of several funnel
/// stages counts for the earliest). All false if the map has no funnel.
pub fn conversions_of_map(map: &JourneyMap, log: &EventLog) -> Vec<bool> {
    let Some(last) = map.funnel.stages.len().checked_sub(1) else {
        return vec![false; log.len()];
    };
    // The relabelled events are sets of funnel stages, numbered in order of
    // first appearance; the last step lists every set holding the last stage.
    let (staged, spec) = map_funnel(map, log, i64::MAX);
    let last_sets = &spec.steps[last].events;
    staged.event.iter().map(|e| last_sets.contains(e)).collect()
}

/// The report's attribution: by channel, the conversion being a person's
/// first reaching the map's last funnel stage. None without conversions.
pub fn map_attribution(map: &JourneyMap, log: &EventLog) -> Option<AttributionTable> {
    let conversions = conversions_of_map(map, log);
    conversions
        .contains(&true)
        .then(|| attribution_table(log, &conversions, CreditTo::Channel, &TableOptions::default()))
}

/// The six models over `log`, `is_conversion` having one flag per event.
pub fn attribution_table(
    log: &EventLog,
    is_conversion: &[bool],
    to: CreditTo,
    options: &TableOptions,
) -> AttributionTable {
    assert_eq!(is_conversion.len(), log.len(), "one conversion flag per event");
    // The log relabelled: counted conversions become one event, later ones
    // (when only the first counts) another that is no conversion.
    let counted = log.event_names.len() as u32;
    let mut marked = log.clone();
    marked.event_names.push("(conversion)".to_owned());
    marked.event_names.push("(later conversion)".to_owned());
    for p in 0..log.person_count() {
        let mut seen = false;
        for i in log.person_range(p) {
            if is_conversion[i] {
                marked.event[i] = if options.repeat || !seen { counted } else { counted + 1 };
                seen = true;
            }
        }
    }
    let spec = AttributionSpec {
        conversion_events: vec![counted],
        lookback_ms: options.lookback_ms,
        since_previous_conversion: true,
        half_life_ms: options.half_life_ms,
    };
    let per_event;
    let names: Vec<String>;
    let (touches, names) = match to {
        CreditTo::Channel => (TouchMap::Channel, &log.channel_names),
        CreditTo::Touchpoint(map) => {
            per_event = EventTouchpoints::new(map, log).first_per_event(log);
            names = map.touchpoints.iter().map(|t| t.name.clone()).collect();
            (TouchMap::PerEvent(&per_event), &names)
        }
    };
    let report = attribute(&marked, &spec, touches, names);
    let markov = markov_attribution(&marked, &spec, touches, names);
    table(&report, markov.map_err(|e| e.to_string()))
}

fn table(report: &AttributionReport, markov: Result<MarkovReport, String>) -> AttributionTable {
    let mut models = Models::default();
    type Pick = fn(&super::Credits) -> f64;
    let heuristics: [(&mut ModelCredits, Pick); 5] = [
        (&mut models.first_touch, |c| c.first_touch),
        (&mut models.last_touch, |c| c.last_touch),
        (&mut models.linear, |c| c.linear),
        (&mut models.position_based, |c| c.position_based),
        (&mut models.time_decay, |c| c.time_decay),
    ];
    for (credits, pick) in heuristics {
        for row in &report.rows {
            let (conversions, revenue) = (pick(&row.conversions), pick(&row.revenue));
            if conversions > 0.0 {
                let c = credits.entry(row.key.clone()).or_default();
                c.conversions += conversions;
                c.revenue += revenue;
            }
        }
    }
    let markov_problem = match markov {
        Ok(m) => {
            let mut credits = ModelCredits::new();
            for row in &m.rows {
                let c = credits.entry(row.key.clone()).or_default();
                c.conversions += row.conversions;
                c.revenue += row.revenue;
            }
            models.markov = Some(credits);
            None
        }
        Err(problem) => Some(problem),
    };
    AttributionTable {
        conversions: report.conversions,
        attributed_conversions: report.conversions - report.unattributed_conversions,
        revenue: report.revenue,
        models,
        markov_problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::EventLogBuilder;

    const DAY: i64 = 86_400_000;

    fn log() -> EventLog {
        let mut b = EventLogBuilder::default();
        // ann: ads, email, buys twice (email between). bob: search, buy at
        // the same instant as a later-in-file social touch. cid: buys with no
        // touch. dan: ads only.
        b.push("ann", 0, "visit", Some("ads"), 0.0, 0.0);
        b.push("ann", DAY, "open", Some("email"), 0.0, 0.0);
        b.push("ann", 2 * DAY, "buy", Some("web"), 0.0, 100.0);
        b.push("ann", 3 * DAY, "open", Some("email"), 0.0, 0.0);
        b.push("ann", 4 * DAY, "buy", None, 0.0, 50.0);
        b.push("bob", 0, "visit", Some("search"), 0.0, 0.0);
        b.push("bob", DAY, "buy", None, 0.0, 20.0);
        b.push("bob", DAY, "visit", Some("social"), 0.0, 0.0);
        b.push("cid", 0, "buy", None, 0.0, 10.0);
        b.push("dan", 0, "visit", Some("ads"), 0.0, 0.0);
        b.build()
    }

    #[test]
    fn the_maps_conversions_are_the_events_of_its_last_funnel_stage_whatever_comes_first() {
        use crate::model::{EventMatcher, templates};
        let mut map = templates::find("basic").unwrap().new_map("t");
        let stages: Vec<_> = map.stages.iter().map(|s| s.id).collect();
        for (i, event) in ["visit", "signup", "buy"].into_iter().enumerate() {
            crate::edit::ops::add_touchpoint(&map, stages[i], event)
                .unwrap()
                .apply(&mut map)
                .unwrap();
            map.touchpoints[i].matchers = vec![EventMatcher {
                event: event.into(),
                channel: None,
            }];
        }
        assert_eq!(map.funnel.stages.len(), 3);
        let mut b = EventLogBuilder::default();
        // A buy is the first event of the file, a signup the second: the
        // stage sets are met in the order last, middle, first.
        b.push("ann", 0, "buy", None, 0.0, 10.0);
        b.push("bob", 0, "signup", None, 0.0, 0.0);
        b.push("bob", DAY, "visit", None, 0.0, 0.0);
        b.push("cid", 0, "visit", None, 0.0, 0.0);
        b.push("cid", DAY, "buy", None, 0.0, 20.0);
        let log = b.build();
        let buy = log.event_id("buy").unwrap();
        let expected: Vec<bool> = log.event.iter().map(|&e| e == buy).collect();
        assert_eq!(conversions_of_map(&map, &log), expected);
    }

    fn get(m: &ModelCredits, k: &str) -> f64 {
        m.get(k).map_or(0.0, |c| c.conversions)
    }

    #[test]
    fn first_conversions_only_unless_repeat() {
        let log = log();
        let buys = conversions_of_event(&log, log.event_id("buy").unwrap());
        let t = attribution_table(&log, &buys, CreditTo::Channel, &TableOptions::default());
        assert_eq!((t.conversions, t.attributed_conversions, t.revenue), (3, 2, 130.0));
        assert_eq!(get(&t.models.first_touch, "ads"), 1.0);
        assert_eq!(get(&t.models.last_touch, "email"), 1.0);
        assert_eq!(get(&t.models.last_touch, "search"), 1.0);
        // The conversion row's channel and touches after it at the same
        // instant (later in the file) are no touches.
        assert!(!t.models.linear.contains_key("web") && !t.models.linear.contains_key("social"));
        let markov = t.models.markov.as_ref().unwrap();
        let total: f64 = markov.values().map(|c| c.conversions).sum();
        assert!((total - 2.0).abs() < 1e-9);
        // Linear: search 1, ads and email 1/2 each (ties by name).
        assert_eq!(t.keys(), ["search", "ads", "email"]);

        let repeat = TableOptions {
            repeat: true,
            ..Default::default()
        };
        let t = attribution_table(&log, &buys, CreditTo::Channel, &repeat);
        assert_eq!((t.conversions, t.attributed_conversions, t.revenue), (4, 3, 180.0));
        assert_eq!(get(&t.models.last_touch, "email"), 2.0);
        assert_eq!(t.models.first_touch["email"].revenue, 50.0);
    }

    #[test]
    fn lookback_and_half_life_are_applied() {
        let log = log();
        let buys = conversions_of_event(&log, log.event_id("buy").unwrap());
        let options = TableOptions {
            lookback_ms: Some(DAY),
            half_life_ms: DAY,
            repeat: false,
        };
        let t = attribution_table(&log, &buys, CreditTo::Channel, &options);
        // ann's ads touch is two days old: out of range.
        assert_eq!(get(&t.models.first_touch, "ads"), 0.0);
        assert_eq!(get(&t.models.first_touch, "email"), 1.0);
        let options = TableOptions {
            half_life_ms: DAY,
            ..Default::default()
        };
        let t = attribution_table(&log, &buys, CreditTo::Channel, &options);
        // ann: ads 2 days old, email 1 day: weights 1/4 and 1/2.
        assert!((get(&t.models.time_decay, "ads") - 1.0 / 3.0).abs() < 1e-12);
    }
}
