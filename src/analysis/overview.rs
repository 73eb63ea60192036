//! Everything the Data view shows about one map over one event log, in one
//! call: the comparison, the map's funnel with its options, time to
//! convert, journey lengths and attribution (heuristic and Markov) by
//! touchpoint and by channel, and the path graph. The UI only loads, calls
//! this and draws.

use super::attribution::{AttributionReport, AttributionSpec, TouchMap, attribute};
use super::attribution_table::conversions_of_map;
use super::compare::{Comparison, EventTouchpoints, compare_within};
use super::event_log::EventLog;
use super::funnel::{FunnelReport, funnel};
use super::map_funnel::map_funnel;
use super::markov::{MarkovReport, markov_attribution};
use super::paths::{JourneyLengths, PathGraph, converters, journey_lengths, path_graph};
use super::time_to_convert::{TimeToConvert, time_to_convert};
use crate::model::JourneyMap;

/// The choices behind an overview.
#[derive(Clone, Debug, PartialEq)]
pub struct OverviewOptions {
    /// The funnel's conversion window.
    pub window_ms: i64,
    /// A touchpoint's moves out below this share are no missing link.
    pub missing_link_share: f64,
    /// The funnel's options (see `FunnelFilter`): first and last
    /// millisecond, the event people drop out at, and per event of the log
    /// the value of the property held constant.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub exclude: Option<String>,
    pub same: Option<Vec<u32>>,
}

#[derive(Clone, Debug)]
pub struct Overview {
    pub comparison: Comparison,
    /// The map's funnel stages as steps (see `map_funnel`), with the options.
    pub funnel: FunnelReport,
    pub time_to_convert: TimeToConvert,
    /// Events before each person's first event of the last funnel stage.
    pub lengths: JourneyLengths,
    pub by_touchpoint: AttributionReport,
    pub by_channel: AttributionReport,
    /// The Markov removal-effect model over the same conversions and touches
    /// (or why it could not be solved).
    pub markov_by_touchpoint: Result<MarkovReport, String>,
    pub markov_by_channel: Result<MarkovReport, String>,
    /// Which event follows which, with the journeys' start and end: of
    /// everyone, and of the people who reached the last funnel stage.
    pub paths: PathGraph,
    pub converter_paths: PathGraph,
}

/// Runs every analysis of the Data view. The funnel's options shape the
/// funnel and its timing; the comparison and attribution look at all the data.
pub fn overview(map: &JourneyMap, log: &EventLog, options: &OverviewOptions) -> Overview {
    let window_ms = options.window_ms;
    // The comparison and the path graphs read the log alone; the funnel and
    // attribution work on a relabelled copy. Each half takes about as long
    // as the other on a large log, so they run side by side.
    let ((comparison, paths, converter_paths), rest) = std::thread::scope(|scope| {
        let first = scope.spawn(|| {
            let comparison = compare_within(map, log, options.missing_link_share, window_ms);
            let paths = path_graph(log, None);
            let who = converters(log, &conversions_of_map(map, log));
            (comparison, paths, path_graph(log, Some(&who)))
        });
        let rest = funnel_and_attribution(map, log, options);
        (first.join().expect("the comparison panicked"), rest)
    });
    let Rest {
        funnel,
        time_to_convert,
        lengths,
        by_touchpoint,
        by_channel,
        markov_by_touchpoint,
        markov_by_channel,
    } = rest;
    Overview {
        comparison,
        funnel,
        time_to_convert,
        lengths,
        by_touchpoint,
        by_channel,
        markov_by_touchpoint,
        markov_by_channel,
        paths,
        converter_paths,
    }
}

/// The parts of an `Overview` worked out on the funnel's relabelled log.
struct Rest {
    funnel: FunnelReport,
    time_to_convert: TimeToConvert,
    lengths: JourneyLengths,
    by_touchpoint: AttributionReport,
    by_channel: AttributionReport,
    markov_by_touchpoint: Result<MarkovReport, String>,
    markov_by_channel: Result<MarkovReport, String>,
}

/// The funnel, time to convert and attribution of `overview`.
fn funnel_and_attribution(map: &JourneyMap, log: &EventLog, options: &OverviewOptions) -> Rest {
    let window_ms = options.window_ms;
    let (staged, mut spec) = map_funnel(map, log, window_ms);
    let unfiltered = spec.clone();
    spec.filter.from_ms = options.from_ms;
    spec.filter.to_ms = options.to_ms;
    if let Some(event) = &options.exclude {
        spec.filter.exclude_events(log, &[event]);
    }
    spec.filter.same = options.same.clone();
    let funnel = funnel(&staged, &spec);
    let time_to_convert = time_to_convert(&staged, &spec);

    // Conversion: a person's first event of the last funnel stage.
    let conversion_events: Vec<u32> = unfiltered.steps.last().map(|s| s.events.clone()).unwrap_or_default();
    let converted = first_conversions_only(staged, &conversion_events);
    let lengths = journey_lengths(&converted, &conversion_events);
    let spec = AttributionSpec::new(conversion_events);
    let touches = EventTouchpoints::new(map, log).first_per_event(log);
    let names: Vec<String> = map.touchpoints.iter().map(|t| t.name.clone()).collect();
    let by_touchpoint = attribute(&converted, &spec, TouchMap::PerEvent(&touches), &names);
    let by_channel = attribute(&converted, &spec, TouchMap::Channel, &converted.channel_names);
    let markov = |touches, names| markov_attribution(&converted, &spec, touches, names).map_err(|e| e.to_string());
    let markov_by_touchpoint = markov(TouchMap::PerEvent(&touches), &names);
    let markov_by_channel = markov(TouchMap::Channel, &converted.channel_names);
    Rest {
        funnel,
        time_to_convert,
        lengths,
        by_touchpoint,
        by_channel,
        markov_by_touchpoint,
        markov_by_channel,
    }
}

/// `log` with every event of `last` (event numbers) after a person's first
/// one renamed "(after conversion)": their later ones (onboarding,
/// renewals) are the same customer, not new conversions.
pub fn first_conversions_only(mut log: EventLog, last: &[u32]) -> EventLog {
    if last.is_empty() {
        return log;
    }
    let later = log.event_names.len() as u32;
    log.event_names.push("(after conversion)".to_owned());
    for p in 0..log.person_count() {
        let mut seen = false;
        for i in log.person_range(p) {
            if last.contains(&log.event[i]) {
                if seen {
                    log.event[i] = later;
                }
                seen = true;
            }
        }
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::event_log::EventLogBuilder;

    #[test]
    fn only_the_first_event_of_the_last_stage_converts() {
        let mut b = EventLogBuilder::default();
        for e in ["a", "c", "b", "c"] {
            b.push("ann", 1, e, None, 0.0, 0.0);
        }
        let log = b.build();
        let c = log.event_id("c").unwrap();
        let staged = first_conversions_only(log, &[c]);
        let names: Vec<_> = staged
            .event
            .iter()
            .map(|&e| staged.event_names[e as usize].as_str())
            .collect();
        assert_eq!(names, ["a", "c", "b", "(after conversion)"]);
    }
}
