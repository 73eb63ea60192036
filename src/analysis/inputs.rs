//! What the analyses read of a map, so they are redone only when that
//! changes, not after moving a card, a new colour, a note or a vote.
//!
//! `fingerprint` hashes the map's analysis inputs: touchpoints' ids, stages,
//! matchers and budgets, journey stages' funnel mapping, the funnel's
//! stages in order, links and currency. Names are not among them: results
//! carry names only to show them, and `Overview::follow` puts the map's
//! current names (and order of touchpoints and stages) into results
//! computed before a rename or a move.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::overview::Overview;
use crate::model::{JourneyMap, StageId, TouchpointId};

/// A hash of what the analyses read of `map`: equal fingerprints give equal
/// numbers. Costs one pass over the map (a few milliseconds at 8,000
/// touchpoints), so compute it once per edit, not per frame.
pub fn fingerprint(map: &JourneyMap) -> u64 {
    let mut h = DefaultHasher::new();
    map.currency.hash(&mut h);
    // The funnel's order is the order people must reach its stages in.
    for fs in &map.funnel.stages {
        fs.id.hash(&mut h);
    }
    let mut stages: Vec<_> = map.stages.iter().map(|s| (s.id, s.funnel_stage)).collect();
    stages.sort_unstable();
    stages.hash(&mut h);
    let mut touchpoints: Vec<_> = map.touchpoints.iter().collect();
    touchpoints.sort_unstable_by_key(|t| t.id);
    for tp in touchpoints {
        (tp.id, tp.stage).hash(&mut h);
        for m in &tp.matchers {
            (&m.event, &m.channel).hash(&mut h);
        }
        0xfeu8.hash(&mut h);
        for e in &tp.efforts {
            (e.channel.label(), e.budget.map(f64::to_bits), e.start, e.end).hash(&mut h);
        }
        0xffu8.hash(&mut h);
    }
    // An event met by several touchpoints counts, in attribution, for the
    // first of them in map order: their order is an input, no other is.
    let mut met_by: BTreeMap<&str, Vec<TouchpointId>> = BTreeMap::new();
    for tp in &map.touchpoints {
        for m in &tp.matchers {
            let list = met_by.entry(m.event.as_str()).or_default();
            if list.last() != Some(&tp.id) {
                list.push(tp.id);
            }
        }
    }
    for (event, list) in met_by {
        if list.len() > 1 {
            (event, list).hash(&mut h);
        }
    }
    for link in &map.links {
        (link.id, link.from, link.to, link.expected).hash(&mut h);
    }
    h.finish()
}

impl Overview {
    /// Brings results computed for an earlier revision of `map` with the
    /// same `fingerprint` up to date with it: names of touchpoints, journey
    /// and funnel stages as they are now, touchpoints and stages in the map's
    /// order. Returns false when that cannot be done exactly (two touchpoints
    /// that shared a name, which attribution groups by, now differ): the
    /// analyses must then be redone.
    pub fn follow(&mut self, map: &JourneyMap) -> bool {
        let c = &mut self.comparison;
        let tp_names: HashMap<TouchpointId, &str> = map.touchpoints.iter().map(|t| (t.id, t.name.as_str())).collect();
        // Attribution rows are keyed by name: old name -> new name, when
        // every touchpoint of that old name has the same new one.
        let mut renamed: HashMap<String, Option<&str>> = HashMap::new();
        for stats in &c.touchpoints {
            let Some(&now) = tp_names.get(&stats.id) else {
                return false;
            };
            renamed
                .entry(stats.name.clone())
                .and_modify(|n| *n = n.filter(|n| *n == now))
                .or_insert(Some(now));
        }
        let markov_rows = self
            .markov_by_touchpoint
            .iter_mut()
            .flat_map(|m| m.rows.iter_mut().map(|r| &mut r.key));
        let mut keys: Vec<&mut String> = self
            .by_touchpoint
            .rows
            .iter_mut()
            .map(|r| &mut r.key)
            .chain(markov_rows)
            .collect();
        if keys.iter().any(|k| renamed.get(k.as_str()) == Some(&None)) {
            return false;
        }
        for key in &mut keys {
            if let Some(Some(now)) = renamed.get(key.as_str()) {
                **key = (*now).to_owned();
            }
        }

        let order: HashMap<TouchpointId, usize> = map.touchpoints.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        let place = |id: &TouchpointId| order.get(id).copied().unwrap_or(usize::MAX);
        c.touchpoints.sort_by_key(|s| place(&s.id));
        for stats in &mut c.touchpoints {
            stats.name = tp_names[&stats.id].to_owned();
        }
        for t in c.transitions.iter_mut().chain(c.missing_links.iter_mut()) {
            t.from_name = tp_names.get(&t.from).map_or(String::new(), |n| (*n).to_owned());
            t.to_name = tp_names.get(&t.to).map_or(String::new(), |n| (*n).to_owned());
        }
        c.money
            .touchpoints
            .sort_by_key(|r| r.touchpoint.as_ref().map_or(usize::MAX, place));
        for row in &mut c.money.touchpoints {
            if let Some(name) = row.touchpoint.and_then(|id| tp_names.get(&id)) {
                row.name = (*name).to_owned();
            }
        }

        let stage_order: HashMap<StageId, usize> = map.stages.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        c.stages
            .sort_by_key(|s| stage_order.get(&s.id).copied().unwrap_or(usize::MAX));
        for s in &mut c.stages {
            if let Some(stage) = map.stage(s.id) {
                s.name.clone_from(&stage.name);
            }
        }
        // The funnel's stages are in the map's order (an input).
        for (i, fs) in map.funnel.stages.iter().enumerate() {
            if let Some(stats) = c.funnel_stages.get_mut(i) {
                stats.name.clone_from(&fs.name);
            }
            if let Some(name) = c.money.funnel_stages.get_mut(i) {
                name.clone_from(&fs.name);
            }
            if let Some(step) = self.funnel.steps.get_mut(i) {
                step.name.clone_from(&fs.name);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{EventLogBuilder, OverviewOptions, overview};
    use crate::model::generate::generated_map;
    use crate::model::{EventMatcher, Note, NoteId, Rgb};

    /// 30 touchpoints (each met by its own event: `event_i`), the last ten
    /// in a stage of the funnel's last stage, where people convert.
    fn map() -> JourneyMap {
        let mut m = generated_map(30, 40, 7);
        let mut last = m.stages[0].clone();
        last.id = StageId(9000);
        last.funnel_stage = m.funnel.stages.last().map(|f| f.id);
        m.stages.push(last);
        for tp in &mut m.touchpoints[20..] {
            tp.stage = StageId(9000);
        }
        m
    }

    fn log() -> crate::analysis::EventLog {
        let mut b = EventLogBuilder::default();
        for p in 0..200u64 {
            let person = format!("p{p}");
            for k in 0..(2 + p % 5) {
                let tp = (p * 7 + k * (p % 11 + 1)) % 30;
                b.push(&person, k as i64 * 60_000, &format!("event_{tp}"), None, 1.0, 0.0);
            }
        }
        b.build()
    }

    type Edit = fn(&mut JourneyMap);

    fn options() -> OverviewOptions {
        OverviewOptions {
            window_ms: 30 * 86_400_000,
            missing_link_share: 0.05,
            from_ms: None,
            to_ms: None,
            exclude: None,
            same: None,
        }
    }

    #[test]
    fn cosmetic_edits_keep_the_fingerprint() {
        let before = fingerprint(&map());
        let edits: [(&str, Edit); 9] = [
            ("rename a touchpoint", |m| m.touchpoints[3].name = "Renamed".into()),
            ("rename a stage", |m| m.stages[0].name = "Renamed".into()),
            ("recolour a funnel stage", |m| m.funnel.stages[0].color = Rgb(1, 2, 3)),
            ("move a card within its stage", |m| m.touchpoints.swap(2, 5)),
            ("move a stage", |m| m.stages.push(m.stages[0].clone())),
            ("add a note", |m| {
                m.stages[0].notes.push(Note::new(NoteId(9999), "idea"))
            }),
            ("vote", |m| m.stages[0].notes[0].votes += 1),
            ("describe a touchpoint", |m| {
                m.touchpoints[0].description = "Feels slow".into()
            }),
            ("label a link", |m| m.links[0].label = "then".into()),
        ];
        for (what, edit) in edits {
            let mut m = map();
            edit(&mut m);
            if what == "move a stage" {
                m.stages.remove(0);
            }
            assert_eq!(fingerprint(&m), before, "{what}");
        }
    }

    #[test]
    fn edits_the_analyses_read_change_the_fingerprint() {
        let before = fingerprint(&map());
        let edits: [(&str, Edit); 7] = [
            ("edit a matcher", |m| {
                m.touchpoints[3].matchers[0].event = "signup".into()
            }),
            ("narrow a matcher to a channel", |m| {
                m.touchpoints[3].matchers[0].channel = Some("ads".into())
            }),
            ("map a stage to another funnel stage", |m| {
                m.stages[0].funnel_stage = Some(m.funnel.stages[2].id)
            }),
            ("reorder the funnel", |m| m.funnel.stages.swap(0, 1)),
            ("keep a link on purpose", |m| m.links[0].expected = true),
            ("remove a link", |m| {
                m.links.pop();
            }),
            ("change the currency", |m| m.currency = "EUR".into()),
        ];
        for (what, edit) in edits {
            let mut m = map();
            edit(&mut m);
            assert_ne!(fingerprint(&m), before, "{what}");
        }
        // Which of two touchpoints meeting the same event comes first decides
        // which one attribution credits.
        let mut m = map();
        m.touchpoints[5].matchers = vec![EventMatcher {
            event: "event_2".into(),
            channel: None,
        }];
        let shared = fingerprint(&m);
        m.touchpoints.swap(2, 5);
        assert_ne!(fingerprint(&m), shared);
    }

    #[test]
    fn followed_results_match_a_fresh_analysis() {
        let (m, log) = (map(), log());
        let mut followed = overview(&m, &log, &options());
        let mut edited = m.clone();
        edited.touchpoints[4].name = "Pricing page".into();
        edited.stages[0].name = "Discover".into();
        edited.funnel.stages[0].name = "Attention".into();
        assert!(followed.follow(&edited));
        let fresh = overview(&edited, &log, &options());
        assert_eq!(followed.comparison, fresh.comparison);
        assert_eq!(followed.funnel, fresh.funnel);
        assert_eq!(followed.by_touchpoint, fresh.by_touchpoint);
        assert_eq!(followed.markov_by_touchpoint, fresh.markov_by_touchpoint);
        assert!(followed.by_touchpoint.rows.iter().any(|r| r.key == "Pricing page"));

        // A card moved: its stats move with it, in the map's order.
        edited.touchpoints.swap(1, 6);
        assert!(followed.follow(&edited));
        let ids: Vec<_> = followed.comparison.touchpoints.iter().map(|t| t.id).collect();
        let order: Vec<_> = edited.touchpoints.iter().map(|t| t.id).collect();
        assert_eq!(ids, order);
        let fresh = overview(&edited, &log, &options());
        assert_eq!(followed.comparison.touchpoints, fresh.comparison.touchpoints);
        assert_eq!(followed.comparison.money, fresh.comparison.money);
    }

    #[test]
    fn two_touchpoints_of_one_name_renamed_apart_need_a_fresh_analysis() {
        let mut m = map();
        m.touchpoints[1].name = m.touchpoints[0].name.clone();
        let mut followed = overview(&m, &log(), &options());
        m.touchpoints[1].name = "Apart".into();
        assert!(!followed.follow(&m));
    }
}
