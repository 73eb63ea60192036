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
}
