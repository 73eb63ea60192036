//! What the fixes offered beside the comparison's findings need to know
//! from the data: where a new touchpoint for an unmatched event belongs, and
//! which typed-in metrics have a measured counterpart.

use super::compare::{Comparison, EventTouchpoints};
use super::event_log::EventLog;
use crate::model::{DataMeasure, JourneyMap, MetricId, MetricSource, StageId, TouchpointId, Unit};

/// The journey stage where the people who produce `event` are: the stage of
/// the touchpoint met most often just before it (the person's last event
/// that met a touchpoint, before each occurrence of `event` that meets
/// none). Ties go to the earlier stage on the spine. The first stage when no
/// such event follows a touchpoint; `None` for a map without stages.
pub fn stage_for_event(map: &JourneyMap, log: &EventLog, event: &str) -> Option<StageId> {
    let first = map.stages.first()?.id;
    let Some(wanted) = log.event_id(event) else {
        return Some(first);
    };
    let matcher = EventTouchpoints::new(map, log);
    let tp_stage: Vec<Option<usize>> = map
        .touchpoints
        .iter()
        .map(|tp| map.stages.iter().position(|s| s.id == tp.stage))
        .collect();
    let mut votes = vec![0u64; map.stages.len()];
    for p in 0..log.person_count() {
        let mut last: Option<u32> = None;
        for i in log.person_range(p) {
            match matcher.of(log, i).last() {
                Some(tp) => last = Some(tp),
                None if log.event[i] == wanted => {
                    if let Some(stage) = last.and_then(|tp| tp_stage[tp as usize]) {
                        votes[stage] += 1;
                    }
                }
                None => {}
            }
        }
    }
    // The first of the largest: `max_by_key` would keep the last.
    let best = (0..votes.len()).fold(None, |best: Option<usize>, s| match best {
        Some(b) if votes[b] >= votes[s] => Some(b),
        _ if votes[s] > 0 => Some(s),
        _ => best,
    });
    Some(best.map_or(first, |s| map.stages[s].id))
}

/// "people reached", "conversion rate", "cost per conversion": what a
/// data-bound metric counts, in words.
pub fn measure_name(measure: DataMeasure) -> &'static str {
    match measure {
        DataMeasure::PeopleReached => "people reached",
        DataMeasure::ConversionRate => "conversion rate",
        DataMeasure::CostPerConversion => "cost per conversion",
    }
}

/// A typed-in metric that the data could measure instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub touchpoint: TouchpointId,
    pub touchpoint_name: String,
    pub metric: MetricId,
    pub metric_name: String,
    pub unit: Unit,
    /// What the data would put in its place.
    pub measure: DataMeasure,
    /// The measured value, in the metric's unit (a percentage for a
    /// `Percent` metric).
    pub value: f64,
}

/// The typed-in metrics of measured touchpoints (with event matchers) whose
/// unit fits a measure the comparison has a value for: a count can be
/// people reached, a percentage the conversion rate, an amount the cost per
/// conversion. The name is not guessed at: the user decides whether "Page
/// views" and "people reached" are the same thing.
pub fn bindings(map: &JourneyMap, comparison: &Comparison) -> Vec<Binding> {
    let mut out = Vec::new();
    for tp in &map.touchpoints {
        let Some(stats) = comparison.touchpoints.iter().find(|s| s.id == tp.id) else {
            continue;
        };
        if tp.matchers.is_empty() || stats.people_reached == 0 {
            continue;
        }
        for m in tp.metrics.iter().filter(|m| m.source == MetricSource::Manual) {
            let (measure, value) = match m.unit {
                Unit::Count => (DataMeasure::PeopleReached, Some(stats.people_reached as f64)),
                Unit::Percent => (DataMeasure::ConversionRate, stats.conversion_rate.map(|r| r * 100.0)),
                Unit::Currency => (DataMeasure::CostPerConversion, stats.cost_per_conversion),
                Unit::Seconds => continue,
            };
            let Some(value) = value else { continue };
            out.push(Binding {
                touchpoint: tp.id,
                touchpoint_name: tp.name.clone(),
                metric: m.id,
                metric_name: m.name.clone(),
                unit: m.unit,
                measure,
                value,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::compare;
    use crate::analysis::event_log::EventLogBuilder;
    use crate::model::*;

    /// Stages 1 (Ad 10), 2 (Demo 11, with a typed count, percentage,
    /// amount and duration), 3 (Buy 12, nothing measured).
    fn map() -> JourneyMap {
        let mut map = templates::find("aida").unwrap().new_map("t");
        map.stages.truncate(3);
        // Buying is the funnel's last stage, so conversions can be counted.
        map.stages[2].funnel_stage = map.funnel.stages.last().map(|f| f.id);
        let ids: Vec<StageId> = map.stages.iter().map(|s| s.id).collect();
        let tp = |id, stage, name: &str, event: &str| {
            let mut t = Touchpoint::new(TouchpointId(id), stage, name);
            t.matchers.push(EventMatcher {
                event: event.into(),
                channel: None,
            });
            t
        };
        let mut demo = tp(1011, ids[1], "Demo", "demo");
        let metric = |id, name: &str, unit| Metric {
            id: MetricId(id),
            name: name.into(),
            value: Some(1.0),
            unit,
            target: None,
            source: MetricSource::Manual,
        };
        demo.metrics = vec![
            metric(1020, "Page views", Unit::Count),
            metric(1021, "Show rate", Unit::Percent),
            metric(1022, "Cost per demo", Unit::Currency),
            metric(1023, "Time on page", Unit::Seconds),
            Metric {
                source: MetricSource::Data(DataMeasure::PeopleReached),
                ..metric(1024, "Reach", Unit::Count)
            },
        ];
        map.touchpoints = vec![tp(1010, ids[0], "Ad", "ad"), demo, tp(1012, ids[2], "Buy", "buy")];
        map
    }

    fn log(rows: &[(&str, i64, &str, f64)]) -> EventLog {
        let mut b = EventLogBuilder::default();
        for &(p, t, e, cost) in rows {
            b.push(p, t, e, None, cost, 0.0);
        }
        b.build()
    }

    #[test]
    fn a_new_touchpoint_goes_where_its_people_came_from() {
        let m = map();
        let stages: Vec<StageId> = m.stages.iter().map(|s| s.id).collect();
        // Twice after the demo (stage 2), once after the ad (stage 1).
        let l = log(&[
            ("a", 1, "ad", 0.0),
            ("a", 2, "demo", 0.0),
            ("a", 3, "chat", 0.0),
            ("b", 1, "demo", 0.0),
            ("b", 2, "other", 0.0),
            ("b", 3, "chat", 0.0),
            ("c", 1, "ad", 0.0),
            ("c", 2, "chat", 0.0),
        ]);
        assert_eq!(stage_for_event(&m, &l, "chat"), Some(stages[1]));
        // Nobody met a touchpoint before it, or nobody did it: the first stage.
        let l = log(&[("a", 1, "chat", 0.0), ("a", 2, "ad", 0.0)]);
        assert_eq!(stage_for_event(&m, &l, "chat"), Some(stages[0]));
        assert_eq!(stage_for_event(&m, &l, "never"), Some(stages[0]));
        // A tie goes to the earlier stage.
        let l = log(&[
            ("a", 1, "demo", 0.0),
            ("a", 2, "chat", 0.0),
            ("b", 1, "ad", 0.0),
            ("b", 2, "chat", 0.0),
        ]);
        assert_eq!(stage_for_event(&m, &l, "chat"), Some(stages[0]));
    }

    #[test]
    fn typed_metrics_offer_the_measure_their_unit_fits() {
        let m = map();
        let l = log(&[("a", 1, "demo", 30.0), ("a", 2, "buy", 0.0), ("b", 1, "demo", 10.0)]);
        let c = compare(&m, &l, 0.05);
        let found: Vec<_> = bindings(&m, &c)
            .into_iter()
            .map(|b| (b.metric_name, b.measure, b.value))
            .collect();
        assert_eq!(
            found,
            [
                ("Page views".to_owned(), DataMeasure::PeopleReached, 2.0),
                ("Show rate".to_owned(), DataMeasure::ConversionRate, 50.0),
                ("Cost per demo".to_owned(), DataMeasure::CostPerConversion, 40.0),
            ]
        );
        // Without cost data there is no cost per conversion to bind to.
        let l = log(&[("a", 1, "demo", 0.0), ("a", 2, "buy", 0.0)]);
        let c = compare(&m, &l, 0.05);
        assert!(
            bindings(&m, &c)
                .iter()
                .all(|b| b.measure != DataMeasure::CostPerConversion)
        );
        assert_eq!(measure_name(DataMeasure::PeopleReached), "people reached");
    }
}
