//! How long people take through the funnel, and how many events they have
//! before converting, with their medians and percentiles. The timing reuses
//! the funnel's own chains (`funnel::completion_seconds`), so a person's
//! time to convert is measured on the very events the funnel counted.

use serde::Serialize;

use super::event_log::EventLog;
use super::funnel::{FunnelSpec, completion_seconds};
use super::paths::JourneyLengths;
use super::stats::{quantile_of_counts, quantile_sorted};

/// Seconds from the first funnel step to the last, for each person who got
/// through the whole funnel within its window.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TimeToConvert {
    /// One per person who completed the funnel, ascending.
    pub seconds: Vec<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
}

impl TimeToConvert {
    /// The `q`-quantile of the times (the same definition as everywhere).
    pub fn quantile(&self, q: f64) -> Option<f64> {
        quantile_sorted(&self.seconds, q)
    }
}

/// The time to convert of every person who completes `spec` in `log`,
/// timed on their converting chain (the funnel's canonical one).
pub fn time_to_convert(log: &EventLog, spec: &FunnelSpec) -> TimeToConvert {
    let mut seconds = completion_seconds(log, spec);
    seconds.sort_by(f64::total_cmp);
    let q = |q| quantile_sorted(&seconds, q);
    TimeToConvert {
        median: q(0.5),
        p90: q(0.9),
        p95: q(0.95),
        seconds,
    }
}

/// The median number of events people had before converting.
pub fn median_events_before(lengths: &JourneyLengths) -> Option<f64> {
    let counts: Vec<(f64, u64)> = lengths
        .histogram
        .iter()
        .map(|h| (h.events_before as f64, h.people))
        .collect();
    quantile_of_counts(&counts, 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::event_log::EventLogBuilder;
    use crate::analysis::funnel::{FunnelStep, funnel_levels};
    use crate::analysis::paths::LengthCount;

    fn spec(log: &EventLog, window_ms: i64) -> FunnelSpec {
        let steps = ["a", "b", "c"]
            .iter()
            .map(|n| FunnelStep::from_names(log, *n, &[n]))
            .collect();
        FunnelSpec::new(steps, window_ms)
    }

    #[test]
    fn time_to_convert_follows_the_canonical_chain() {
        let mut b = EventLogBuilder::default();
        // ann: an old start, a fresh one, then b and c: timed from the fresh start.
        for (t, e) in [(0, "a"), (100, "a"), (150, "b"), (190, "c")] {
            b.push("ann", t, e, None, 0.0, 0.0);
        }
        // bob: c comes too late for the window.
        for (t, e) in [(0, "a"), (10, "b"), (5000, "c")] {
            b.push("bob", t, e, None, 0.0, 0.0);
        }
        // cid: equal timestamps are fine.
        for e in ["a", "b", "c"] {
            b.push("cid", 7, e, None, 0.0, 0.0);
        }
        let log = b.build();
        let spec = spec(&log, 1000);
        let t = time_to_convert(&log, &spec);
        assert_eq!(t.seconds, [0.0, 0.09]);
        // Two people: the median is halfway between them (type 7), not one of them.
        assert_eq!(t.median, Some(0.045));
        assert_eq!(t.quantile(1.0), Some(0.09));
        let converted = funnel_levels(&log, &spec).iter().filter(|&&l| l == 3).count();
        assert_eq!(converted, t.seconds.len());
    }

    #[test]
    fn the_median_of_events_before_uses_the_same_definition() {
        let lengths = |h: &[(u64, u64)]| JourneyLengths {
            converted: h.iter().map(|&(_, p)| p).sum(),
            never_converted: 0,
            histogram: h
                .iter()
                .map(|&(events_before, people)| LengthCount { events_before, people })
                .collect(),
        };
        assert_eq!(median_events_before(&lengths(&[(2, 1), (5, 1)])), Some(3.5));
        assert_eq!(median_events_before(&lengths(&[(0, 3), (4, 1)])), Some(0.0));
        assert_eq!(median_events_before(&lengths(&[])), None);
    }
}
