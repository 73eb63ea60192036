//! The map's own funnel over the data: a person is at a funnel stage when
//! they meet a touchpoint of a journey stage mapped to it. Touchpoint
//! matchers can ask for a channel, which funnel steps (sets of event names)
//! cannot express, so the log is relabelled: each event becomes the funnel
//! stage of the touchpoint it meets, and the ordinary funnel runs on that.

use super::compare::EventTouchpoints;
use super::event_log::EventLog;
use super::funnel::{FunnelSpec, FunnelStep};
use crate::model::JourneyMap;

/// A copy of `log` whose event names are the map's funnel stages, plus one
/// step per funnel stage. An event meeting touchpoints of several funnel
/// stages counts for the earliest of them; events meeting none are labelled
/// "(no funnel stage)" and belong to no step.
pub fn map_funnel(map: &JourneyMap, log: &EventLog, window_ms: i64) -> (EventLog, FunnelSpec) {
    let funnel_of_touchpoint: Vec<Option<u32>> = map
        .touchpoints
        .iter()
        .map(|tp| {
            let stage = map.stage(tp.stage)?.funnel_stage?;
            map.funnel.stages.iter().position(|f| f.id == stage).map(|i| i as u32)
        })
        .collect();
    let unmatched = map.funnel.stages.len() as u32;
    let matcher = EventTouchpoints::new(map, log);
    let event = (0..log.len())
        .map(|i| {
            matcher
                .of(log, i)
                .filter_map(|tp| funnel_of_touchpoint[tp as usize])
                .min()
                .unwrap_or(unmatched)
        })
        .collect();
    let mut event_names: Vec<String> = map.funnel.stages.iter().map(|f| f.name.clone()).collect();
    event_names.push("(no funnel stage)".to_owned());
    let relabelled = EventLog {
        event,
        event_names,
        ..log.clone()
    };
    let steps = map
        .funnel
        .stages
        .iter()
        .enumerate()
        .map(|(i, f)| FunnelStep {
            name: f.name.clone(),
            events: vec![i as u32],
        })
        .collect();
    (relabelled, FunnelSpec::new(steps, window_ms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{EventLogBuilder, funnel};
    use crate::model::{EventMatcher, templates};

    #[test]
    fn funnel_stages_follow_touchpoint_matchers_including_channels() {
        let mut map = templates::find("basic").unwrap().new_map("t");
        let stages: Vec<_> = map.stages.iter().map(|s| s.id).collect();
        for (i, (event, channel)) in [("visit", Some("ads")), ("signup", None), ("buy", None)]
            .into_iter()
            .enumerate()
        {
            let edit = crate::edit::ops::add_touchpoint(&map, stages[i], event).unwrap();
            edit.apply(&mut map).unwrap();
            map.touchpoints[i].matchers = vec![EventMatcher {
                event: event.into(),
                channel: channel.map(str::to_owned),
            }];
        }
        let mut b = EventLogBuilder::default();
        // ann: visit from ads, signs up, buys. bob: visit from search (not the
        // map's touchpoint), signs up. cid: visit from ads only.
        b.push("ann", 1, "visit", Some("ads"), 0.0, 0.0);
        b.push("ann", 2, "signup", None, 0.0, 0.0);
        b.push("ann", 3, "buy", None, 0.0, 0.0);
        b.push("bob", 1, "visit", Some("search"), 0.0, 0.0);
        b.push("bob", 2, "signup", None, 0.0, 0.0);
        b.push("cid", 1, "visit", Some("ads"), 0.0, 0.0);
        let log = b.build();
        let (relabelled, spec) = map_funnel(&map, &log, 1000);
        let report = funnel(&relabelled, &spec);
        let reached: Vec<u64> = report.steps.iter().map(|s| s.reached).collect();
        assert_eq!(reached, [2, 1, 1]);
        assert_eq!(report.steps[0].name, "Awareness");
    }
}
