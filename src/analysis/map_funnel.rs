//! The map's own funnel over the data: a person is at a funnel stage when
//! they meet a touchpoint of a journey stage mapped to it. Touchpoint
//! matchers can ask for a channel, which funnel steps (sets of event names)
//! cannot express, so the log is relabelled: each event becomes the set of
//! funnel stages whose touchpoints it meets, and the ordinary funnel runs on
//! that. An event meeting touchpoints of several funnel stages may fill any
//! one of them (one event, one step): a newsletter click that is both a
//! subscriber's and a lead's touchpoint moves a subscriber on to lead, and
//! makes a stranger a subscriber. `compare` counts funnel stage reach with
//! this same funnel, so the two always agree.

use std::collections::HashMap;

use super::compare::EventTouchpoints;
use super::event_log::EventLog;
use super::funnel::{FunnelSpec, FunnelStep};
use crate::model::JourneyMap;

/// A copy of `log` whose event names are sets of the map's funnel stages
/// ("Subscriber" or "Subscriber | Lead"), plus one step per funnel stage
/// listing every set it belongs to. Events meeting no funnel stage are
/// labelled "(no funnel stage)" and belong to no step. The copy keeps the
/// log's order, so a `FunnelFilter` built on `log` applies to it.
pub fn map_funnel(map: &JourneyMap, log: &EventLog, window_ms: i64) -> (EventLog, FunnelSpec) {
    let funnel_of_touchpoint: Vec<Option<u32>> = map
        .touchpoints
        .iter()
        .map(|tp| {
            let stage = map.stage(tp.stage)?.funnel_stage?;
            map.funnel.stages.iter().position(|f| f.id == stage).map(|i| i as u32)
        })
        .collect();
    let matcher = EventTouchpoints::new(map, log);
    // Label 0 is "no funnel stage"; then one label per set met, in order of
    // first appearance.
    let mut sets: Vec<Vec<u32>> = vec![Vec::new()];
    let mut label_of: HashMap<Vec<u32>, u32> = HashMap::from([(Vec::new(), 0)]);
    let mut stages: Vec<u32> = Vec::new();
    // An event's stages depend on its event and channel numbers alone: each
    // pair is worked out once (10M events hold a few hundred pairs), in a
    // table when the pairs are few enough to list, else in a map.
    let channels = log.channel_names.len() + 1;
    let slot = |i: usize| {
        let channel = match log.channel[i] {
            super::event_log::NO_CHANNEL => 0,
            c => c as usize + 1,
        };
        log.event[i] as usize * channels + channel
    };
    const UNSEEN: u32 = u32::MAX;
    let pairs = log.event_names.len().saturating_mul(channels);
    // Unit tests take the map's path; integration tests and the app the table's.
    const TABLE_PAIRS: usize = if cfg!(test) { 4 } else { 1 << 22 };
    let mut table: Vec<u32> = if pairs <= TABLE_PAIRS {
        vec![UNSEEN; pairs]
    } else {
        Vec::new()
    };
    let mut map_of_pairs: HashMap<usize, u32> = HashMap::new();
    let event = (0..log.len())
        .map(|i| {
            let pair = slot(i);
            let known = match table.get(pair) {
                Some(&label) => label,
                None => map_of_pairs.get(&pair).copied().unwrap_or(UNSEEN),
            };
            if known != UNSEEN {
                return known;
            }
            stages.clear();
            stages.extend(matcher.of(log, i).filter_map(|tp| funnel_of_touchpoint[tp as usize]));
            stages.sort_unstable();
            stages.dedup();
            let label = match label_of.get(&stages) {
                Some(&label) => label,
                None => {
                    let label = sets.len() as u32;
                    sets.push(stages.clone());
                    label_of.insert(stages.clone(), label);
                    label
                }
            };
            match table.get_mut(pair) {
                Some(known) => *known = label,
                None => {
                    map_of_pairs.insert(pair, label);
                }
            }
            label
        })
        .collect();
    let stage_name = |s: &u32| map.funnel.stages[*s as usize].name.as_str();
    let event_names = sets
        .iter()
        .map(|set| match set.is_empty() {
            true => "(no funnel stage)".to_owned(),
            false => set.iter().map(stage_name).collect::<Vec<_>>().join(" | "),
        })
        .collect();
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
            events: (0..sets.len() as u32)
                .filter(|&l| sets[l as usize].contains(&(i as u32)))
                .collect(),
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

    #[test]
    fn an_event_of_two_stages_fills_either() {
        let mut map = templates::find("basic").unwrap().new_map("t");
        let stages: Vec<_> = map.stages.iter().map(|s| s.id).collect();
        for (i, events) in [&["signup", "click"][..], &["click"], &["click", "buy"]]
            .into_iter()
            .enumerate()
        {
            let edit = crate::edit::ops::add_touchpoint(&map, stages[i], "tp").unwrap();
            edit.apply(&mut map).unwrap();
            map.touchpoints[i].matchers = events
                .iter()
                .map(|e| EventMatcher {
                    event: (*e).into(),
                    channel: None,
                })
                .collect();
        }
        let mut b = EventLogBuilder::default();
        // ann: a click alone only starts the funnel. bob: signup, click:
        // the click moves him on. cid: three clicks walk all three stages.
        b.push("ann", 1, "click", None, 0.0, 0.0);
        b.push("bob", 1, "signup", None, 0.0, 0.0);
        b.push("bob", 2, "click", None, 0.0, 0.0);
        for t in 1..=3 {
            b.push("cid", t, "click", None, 0.0, 0.0);
        }
        let log = b.build();
        let (relabelled, spec) = map_funnel(&map, &log, 1000);
        assert!(
            relabelled
                .event_names
                .iter()
                .any(|n| n == "Awareness | Consideration | Conversion")
        );
        assert_eq!(crate::analysis::funnel_levels(&relabelled, &spec), [1, 2, 3]);
    }
}
