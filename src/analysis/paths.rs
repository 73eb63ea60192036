//! What people actually do next: the directly-follows graph of events, and
//! how many events a journey takes before it converts.

use std::collections::HashMap;

use serde::Serialize;

use super::event_log::EventLog;

/// One edge of the directly-follows graph; serializes as
/// `{"from": "a", "to": "b", "count": N}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub count: u64,
}

/// Counts, over every person, each pair of consecutive events (in log
/// order) as `from -> to`; repeats such as `page_view -> page_view` count
/// too, since reloading a page is part of the path. Sorted by count, largest
/// first, then by `from` and `to` names.
pub fn directly_follows(log: &EventLog) -> Vec<Transition> {
    let n = log.event_names.len();
    let mut pairs: Vec<((u32, u32), u64)> = if n <= 2048 {
        // Small vocabularies (the usual case) count into a dense matrix:
        // one add per event, no hashing.
        let mut counts = vec![0u64; n * n];
        for_each_pair(log, |a, b| counts[a as usize * n + b as usize] += 1);
        counts
            .into_iter()
            .enumerate()
            .filter(|&(_, c)| c > 0)
            .map(|(i, c)| (((i / n) as u32, (i % n) as u32), c))
            .collect()
    } else {
        let mut counts: HashMap<(u32, u32), u64> = HashMap::new();
        for_each_pair(log, |a, b| *counts.entry((a, b)).or_default() += 1);
        counts.into_iter().collect()
    };
    let name = |e: u32| log.event_names[e as usize].as_str();
    pairs.sort_unstable_by(|&((a1, b1), c1), &((a2, b2), c2)| {
        c2.cmp(&c1)
            .then_with(|| name(a1).cmp(name(a2)))
            .then_with(|| name(b1).cmp(name(b2)))
    });
    pairs
        .into_iter()
        .map(|((a, b), count)| Transition {
            from: name(a).to_owned(),
            to: name(b).to_owned(),
            count,
        })
        .collect()
}

/// Calls `f(previous event, event)` for consecutive events of one person.
/// Scans the columns straight through: neighbours in the log are the same
/// person's exactly when their person numbers agree.
fn for_each_pair(log: &EventLog, mut f: impl FnMut(u32, u32)) {
    let pairs = log.person.windows(2).zip(log.event.windows(2));
    for (p, e) in pairs {
        if p[0] == p[1] {
            f(e[0], e[1]);
        }
    }
}

/// The node every journey leaves from, as process-mining tools draw it.
pub const START: &str = "▶ start";
/// The node every journey ends in.
pub const END: &str = "■ end";

/// The directly-follows graph of some people with their journeys' start and
/// end as nodes: `START -> first event`, the inner edges exactly as
/// `directly_follows` counts them, and `last event -> END`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathGraph {
    /// People counted (each has one start and one end edge).
    pub people: u64,
    /// Sorted as `directly_follows` sorts: by count, then names.
    pub edges: Vec<Transition>,
    /// Every event name done by these people, with `START` and `END`.
    pub nodes: Vec<PathNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathNode {
    pub name: String,
    /// How often it happens (for `START` and `END`: once per person).
    pub events: u64,
    /// How many people do it at least once.
    pub people: u64,
    /// Where in a journey it typically happens: the median, over the people
    /// who do it, of the step (1 = first event) of their first time. `START`
    /// is 0, `END` one past the last step of any node.
    pub typical_step: f64,
}

/// Per person of `log`: whether any of their events is a conversion
/// (`is_conversion` has one flag per event, as `conversions_of_map` and
/// `conversions_of_event` give them).
pub fn converters(log: &EventLog, is_conversion: &[bool]) -> Vec<bool> {
    (0..log.person_count())
        .map(|p| {
            log.person_range(p)
                .any(|i| is_conversion.get(i).copied().unwrap_or(false))
        })
        .collect()
}

/// The path graph of the people `only` marks (one flag per person), or of
/// everyone.
pub fn path_graph(log: &EventLog, only: Option<&[bool]>) -> PathGraph {
    let n = log.event_names.len();
    let (start, end) = (n as u32, n as u32 + 1);
    // As in `directly_follows`: a dense matrix for the usual small
    // vocabularies, a map for big ones.
    let m = n + 2;
    let mut dense = vec![0u64; if m <= 2050 { m * m } else { 0 }];
    let mut sparse: HashMap<(u32, u32), u64> = HashMap::new();
    let mut add = |a: u32, b: u32| {
        if dense.is_empty() {
            *sparse.entry((a, b)).or_default() += 1;
        } else {
            dense[a as usize * m + b as usize] += 1;
        }
    };
    let mut events = vec![0u64; n];
    // The step of each person's first time of each event.
    let mut steps: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut seen_by = vec![usize::MAX; n];
    let mut people = 0u64;
    for p in 0..log.person_count() {
        if only.is_some_and(|only| !only.get(p).copied().unwrap_or(false)) {
            continue;
        }
        let journey = &log.event[log.person_range(p)];
        let (Some(&first), Some(&last)) = (journey.first(), journey.last()) else {
            continue;
        };
        people += 1;
        add(start, first);
        add(last, end);
        for pair in journey.windows(2) {
            add(pair[0], pair[1]);
        }
        for (step, &e) in journey.iter().enumerate() {
            events[e as usize] += 1;
            if seen_by[e as usize] != p {
                seen_by[e as usize] = p;
                steps[e as usize].push(step as u32 + 1);
            }
        }
    }
    let name = |e: u32| match e {
        e if e == start => START,
        e if e == end => END,
        e => log.event_names[e as usize].as_str(),
    };
    let counts: Vec<((u32, u32), u64)> = if dense.is_empty() {
        sparse.into_iter().collect()
    } else {
        let at = |i: usize| ((i / m) as u32, (i % m) as u32);
        dense
            .into_iter()
            .enumerate()
            .filter(|&(_, c)| c > 0)
            .map(|(i, c)| (at(i), c))
            .collect()
    };
    let mut edges: Vec<Transition> = counts
        .into_iter()
        .map(|((a, b), count)| Transition {
            from: name(a).to_owned(),
            to: name(b).to_owned(),
            count,
        })
        .collect();
    edges.sort_unstable_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
    });
    let mut nodes: Vec<PathNode> = steps
        .iter_mut()
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .map(|(e, s)| PathNode {
            name: log.event_names[e].clone(),
            events: events[e],
            people: s.len() as u64,
            typical_step: median(s),
        })
        .collect();
    let last_step = nodes.iter().map(|n| n.typical_step).fold(0.0, f64::max);
    let ends = |name: &str, typical_step| PathNode {
        name: name.to_owned(),
        events: people,
        people,
        typical_step,
    };
    nodes.insert(0, ends(START, 0.0));
    nodes.push(ends(END, last_step.floor() + 1.0));
    PathGraph { people, edges, nodes }
}

/// The median of `values` (the mean of the middle two for an even count).
fn median(values: &mut [u32]) -> f64 {
    values.sort_unstable();
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        f64::from(values[mid])
    } else {
        (f64::from(values[mid - 1]) + f64::from(values[mid])) / 2.0
    }
}

/// How long journeys are before they convert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JourneyLengths {
    /// People with at least one conversion event.
    pub converted: u64,
    /// People without one; not part of the histogram.
    pub never_converted: u64,
    /// By number of events before the person's first conversion event
    /// (0: it was their first event), ascending, empty buckets left out.
    pub histogram: Vec<LengthCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LengthCount {
    pub events_before: u64,
    pub people: u64,
}

/// The number of events each person has before their first event whose
/// number is in `conversion_events`, as a histogram.
pub fn journey_lengths(log: &EventLog, conversion_events: &[u32]) -> JourneyLengths {
    let mut is_conversion = vec![false; log.event_names.len()];
    for &e in conversion_events {
        if let Some(slot) = is_conversion.get_mut(e as usize) {
            *slot = true;
        }
    }
    let mut counts: Vec<u64> = Vec::new();
    let mut never_converted = 0;
    for p in 0..log.person_count() {
        let events = &log.event[log.person_range(p)];
        match events.iter().position(|&e| is_conversion[e as usize]) {
            Some(before) => {
                if counts.len() <= before {
                    counts.resize(before + 1, 0);
                }
                counts[before] += 1;
            }
            None => never_converted += 1,
        }
    }
    let converted = counts.iter().sum();
    let histogram = counts
        .into_iter()
        .enumerate()
        .filter(|&(_, people)| people > 0)
        .map(|(len, people)| LengthCount {
            events_before: len as u64,
            people,
        })
        .collect();
    JourneyLengths {
        converted,
        never_converted,
        histogram,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::event_log::EventLogBuilder;

    fn log_of(rows: &[(&str, i64, &str)]) -> EventLog {
        let mut b = EventLogBuilder::default();
        for &(p, t, e) in rows {
            b.push(p, t, e, None, 0.0, 0.0);
        }
        b.build()
    }

    fn edges(log: &EventLog) -> Vec<(String, String, u64)> {
        directly_follows(log)
            .into_iter()
            .map(|t| (t.from, t.to, t.count))
            .collect()
    }

    #[test]
    fn counts_consecutive_pairs_within_each_person() {
        let log = log_of(&[
            ("ann", 1, "view"),
            ("ann", 2, "view"),
            ("ann", 3, "signup"),
            ("bob", 1, "view"),
            ("bob", 2, "signup"),
            ("bob", 3, "buy"),
            ("cat", 1, "buy"), // a single event makes no pair, and none with bob
        ]);
        let got = edges(&log);
        let want = [("view", "signup", 2), ("signup", "buy", 1), ("view", "view", 1)];
        let want: Vec<_> = want.iter().map(|&(a, b, c)| (a.to_owned(), b.to_owned(), c)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn follows_log_order_not_input_order() {
        let log = log_of(&[("ann", 5, "b"), ("ann", 1, "a"), ("ann", 5, "c")]);
        let got = edges(&log);
        assert_eq!(got, [("a".into(), "b".into(), 1), ("b".into(), "c".into(), 1)]);
    }

    #[test]
    fn serializes_as_from_to_count() {
        let log = log_of(&[("ann", 1, "a"), ("ann", 2, "b")]);
        let json = serde_json::to_string(&directly_follows(&log)).unwrap();
        assert_eq!(json, r#"[{"from":"a","to":"b","count":1}]"#);
    }

    #[test]
    fn large_vocabularies_count_the_same() {
        let mut b = EventLogBuilder::default();
        for i in 0..3000 {
            b.push("p", i, &format!("e{}", i % 2500), None, 0.0, 0.0);
        }
        let log = b.build();
        let got = directly_follows(&log);
        assert_eq!(got.len(), 2500); // e0..e2499, e2499 -> e0, then repeats
        assert_eq!(
            got[0],
            Transition {
                from: "e0".into(),
                to: "e1".into(),
                count: 2
            }
        );
        assert_eq!(got.iter().map(|t| t.count).sum::<u64>(), 2999);
    }

    #[test]
    fn journey_length_counts_events_before_first_conversion() {
        let log = log_of(&[
            ("ann", 1, "view"),
            ("ann", 2, "view"),
            ("ann", 3, "buy"),
            ("ann", 4, "buy"),
            ("bob", 1, "buy"),
            ("cat", 1, "view"),
            ("dan", 1, "view"),
            ("dan", 2, "trial"),
            ("dan", 3, "buy"),
            ("eve", 1, "view"),
            ("eve", 2, "subscribe"),
        ]);
        let conv = [log.event_id("buy").unwrap(), log.event_id("subscribe").unwrap()];
        let got = journey_lengths(&log, &conv);
        assert_eq!(got.converted, 4);
        assert_eq!(got.never_converted, 1);
        let hist: Vec<_> = got.histogram.iter().map(|b| (b.events_before, b.people)).collect();
        assert_eq!(hist, [(0, 1), (1, 1), (2, 2)]);
    }

    fn graph_edges(g: &PathGraph) -> Vec<(&str, &str, u64)> {
        g.edges
            .iter()
            .map(|t| (t.from.as_str(), t.to.as_str(), t.count))
            .collect()
    }

    fn shop() -> EventLog {
        log_of(&[
            ("ann", 1, "view"),
            ("ann", 2, "view"),
            ("ann", 3, "buy"),
            ("bob", 1, "ad"),
            ("bob", 2, "view"),
            ("cat", 1, "view"),
            ("cat", 2, "buy"),
            ("cat", 3, "view"),
        ])
    }

    #[test]
    fn path_graph_adds_start_and_end_around_the_directly_follows_graph() {
        let log = shop();
        let g = path_graph(&log, None);
        assert_eq!(g.people, 3);
        let got = graph_edges(&g);
        // Inner edges are the directly-follows graph, unchanged.
        let inner: Vec<_> = got
            .iter()
            .filter(|(a, b, _)| *a != START && *b != END)
            .copied()
            .collect();
        let dfg = edges(&log);
        let dfg: Vec<_> = dfg.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), *c)).collect();
        assert_eq!(inner, dfg);
        let outer: Vec<_> = got
            .iter()
            .filter(|(a, b, _)| *a == START || *b == END)
            .copied()
            .collect();
        assert_eq!(
            outer,
            [("view", END, 2), (START, "view", 2), ("buy", END, 1), (START, "ad", 1)]
        );
        // Every person leaves the start once and reaches the end once.
        let out_of_start: u64 = g.edges.iter().filter(|t| t.from == START).map(|t| t.count).sum();
        let into_end: u64 = g.edges.iter().filter(|t| t.to == END).map(|t| t.count).sum();
        assert_eq!((out_of_start, into_end), (3, 3));
    }

    #[test]
    fn path_graph_nodes_know_how_often_and_where_they_happen() {
        let g = path_graph(&shop(), None);
        let node = |n: &str| g.nodes.iter().find(|x| x.name == n).unwrap().clone();
        assert_eq!(g.nodes.first().unwrap().name, START);
        assert_eq!(g.nodes.last().unwrap().name, END);
        assert_eq!((node("view").events, node("view").people), (5, 3));
        // view first happens at steps 1 (ann), 2 (bob), 1 (cat): median 1.
        assert_eq!(node("view").typical_step, 1.0);
        // buy at steps 3 (ann) and 2 (cat): median 2.5.
        assert_eq!(node("buy").typical_step, 2.5);
        assert_eq!(node(START).typical_step, 0.0);
        assert_eq!(node(END).typical_step, 3.0);
        assert_eq!(node(END).events, 3);
    }

    #[test]
    fn converters_only_counts_the_people_who_converted() {
        let log = shop();
        let buy = log.event_id("buy").unwrap();
        let is_conversion: Vec<bool> = log.event.iter().map(|&e| e == buy).collect();
        let who = converters(&log, &is_conversion);
        let names: Vec<&str> = (0..log.person_count())
            .filter(|&p| who[p])
            .map(|p| log.people[p].as_str())
            .collect();
        assert_eq!(names, ["ann", "cat"]);
        let g = path_graph(&log, Some(&who));
        assert_eq!(g.people, 2);
        assert!(g.nodes.iter().all(|n| n.name != "ad"), "bob never bought");
        let got = graph_edges(&g);
        assert!(got.contains(&(START, "view", 2)));
        assert!(got.contains(&("view", "buy", 2)));
        assert!(!got.iter().any(|(a, _, _)| *a == "ad"));
    }
}
