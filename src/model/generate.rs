//! Large synthetic maps for benchmarks and stress tests: many stages of
//! realistic-looking touchpoints, mostly forward links and some loops back.

use std::collections::HashSet;

use super::ids::*;
use super::map::*;
use super::templates;

/// A deterministic map with `touchpoints` touchpoints in stages of 100 and
/// `links` links between them.
pub fn generated_map(touchpoints: usize, links: usize, seed: u64) -> JourneyMap {
    let mut rng = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407) | 1;
    let mut next = move |n: usize| {
        // xorshift64*: fast, deterministic, good enough for test data.
        rng ^= rng >> 12;
        rng ^= rng << 25;
        rng ^= rng >> 27;
        (rng.wrapping_mul(0x2545F4914F6CDD1D) >> 33) as usize % n.max(1)
    };
    let template = templates::find("digital-8").expect("built in");
    let mut map = template.new_map(&format!("Generated map: {touchpoints} touchpoints, {links} links"));
    // Same seed, same map: a fixed date rather than the clock.
    let date = chrono::DateTime::from_timestamp(1_767_225_600, 0).expect("a valid date");
    (map.created, map.modified) = (date, date);
    let mut id = map.next_id();
    let mut fresh = || {
        id += 1;
        id - 1
    };
    let stage_count = touchpoints.div_ceil(100).max(1);
    map.stages = (0..stage_count)
        .map(|i| Stage {
            id: StageId(fresh()),
            name: format!("Stage {}", i + 1),
            description: String::new(),
            funnel_stage: Some(map.funnel.stages[i * map.funnel.stages.len() / stage_count].id),
            notes: vec![Note::new(NoteId(fresh()), format!("Workshop note for stage {}", i + 1))],
        })
        .collect();
    let channels = Channel::BUILT_IN;
    for i in 0..touchpoints {
        let stage = map.stages[i * stage_count / touchpoints.max(1)].id;
        let channel = channels[next(channels.len())].clone();
        let mode = if matches!(
            channel,
            Channel::Store | Channel::Event | Channel::Phone | Channel::SalesMeeting
        ) {
            Mode::Offline
        } else {
            Mode::Online
        };
        map.touchpoints.push(Touchpoint {
            id: TouchpointId(fresh()),
            stage,
            name: format!("{} touchpoint {}", channel.label(), i + 1),
            channel,
            mode,
            interaction: Interaction::Inquiry,
            description: String::new(),
            does: "Reads the page, compares two offers and saves one for later.".into(),
            thinks: "Is this worth the price?".into(),
            emotion: next(5) as i8 - 2,
            pain_points: if next(3) == 0 {
                vec!["Slow to load on mobile".into()]
            } else {
                vec![]
            },
            opportunities: if next(4) == 0 {
                vec!["Show delivery time up front".into()]
            } else {
                vec![]
            },
            efforts: vec![],
            metrics: vec![Metric {
                id: MetricId(fresh()),
                name: "Visits".into(),
                value: Some(next(100_000) as f64),
                unit: Unit::Count,
                target: Some(50_000.0),
                source: MetricSource::Manual,
            }],
            matchers: vec![EventMatcher {
                event: format!("event_{}", i % 50),
                channel: None,
            }],
        });
    }
    let mut seen = HashSet::new();
    let n = map.touchpoints.len();
    while map.links.len() < links && n > 1 && seen.len() < n * (n - 1) {
        let from = next(n);
        // Mostly a step or a few forward; one in six loops back.
        let to = if next(6) == 0 {
            from.saturating_sub(1 + next(30))
        } else {
            (from + 1 + next(5)).min(n - 1)
        };
        if from == to || !seen.insert((from, to)) {
            continue;
        }
        let (from, to) = (map.touchpoints[from].id, map.touchpoints[to].id);
        map.links.push(Link {
            id: LinkId(fresh()),
            from,
            to,
            label: String::new(),
            expected: false,
        });
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_maps_are_valid_and_as_big_as_asked() {
        let map = generated_map(2000, 3000, 7);
        assert_eq!(map.touchpoints.len(), 2000);
        assert_eq!(map.links.len(), 3000);
        assert_eq!(map.stages.len(), 20);
        assert_eq!(crate::model::validate::check(&map), vec![]);
        assert_eq!(generated_map(50, 60, 7), generated_map(50, 60, 7), "deterministic");
    }
}
