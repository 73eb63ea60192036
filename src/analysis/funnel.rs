//! Conversion funnels: how far through an ordered list of steps each person
//! gets within a conversion window.
//!
//! The semantics are those of ClickHouse's `windowFunnel` in its default
//! mode, except that one event fills at most one step (as in PostHog), so a
//! step listed twice needs two events. A person's *level* is the largest `k`
//! such that some of their events `e1..ek`, in log order (time, ties in input
//! order; equal timestamps are allowed), match steps `1..k` and
//! `time(ek) - time(e1) <= window`.
//!
//! Time between steps comes from one chain per person, the *canonical chain*
//! for their level: the chain that reaches the level soonest (smallest
//! position of `ek`); among those, the one that starts latest (the attempt
//! that actually converted, not an old visit that happened to fit the
//! window); and then, from step `k - 1` back to step 1, each step at its
//! earliest position. Formally the lexicographic minimum of
//! `(pos(ek), -time(e1), pos(ek-1), ..., pos(e1))` over the valid chains.
//! Breakdowns group people by a value of that chain's first event.
//!
//! A `FunnelFilter` narrows which chains count, as PostHog's funnel options
//! do: a date range (events outside it do not exist for the funnel), exclusion
//! events (a chain is invalid when an excluded event lies between two of its
//! consecutive steps in log order, so the person drops out at the step they
//! had reached and must start again from the first step), and a property held
//! constant (every event of a chain carries the same value; events without a
//! value fill no step). An excluded event never fills a step itself.
//!
//! The walk is one pass per person keeping, for each level `j`, the latest
//! start time of a chain of length `j` seen so far (and that chain). A later
//! start is never worse for extending a chain, because the window only
//! constrains the first and last event, so keeping the latest start per
//! level finds the true level; `tests::matches_brute_force` checks this and
//! the canonical chain against an enumeration of every subsequence.

use std::ops::Range;

use serde::Serialize;

use super::event_log::EventLog;
use super::stats::{quantile, ratio};

/// One step of a funnel: reached by any of its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelStep {
    pub name: String,
    /// Event numbers of the log (`EventLog::event_names` indices).
    pub events: Vec<u32>,
}

impl FunnelStep {
    /// A step reached by any of `event_names`; names the log has never seen
    /// match nothing, so a typo shows as a step nobody reaches.
    pub fn from_names(log: &EventLog, name: impl Into<String>, event_names: &[&str]) -> Self {
        let events = event_names.iter().filter_map(|n| log.event_id(n)).collect();
        FunnelStep {
            name: name.into(),
            events,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelSpec {
    pub steps: Vec<FunnelStep>,
    /// Longest allowed time from the first step's event to the last reached
    /// step's event, inclusive. A negative window counts as 0.
    pub window_ms: i64,
    #[serde(skip)]
    pub filter: FunnelFilter,
}

impl FunnelSpec {
    /// A funnel with no filter.
    pub fn new(steps: Vec<FunnelStep>, window_ms: i64) -> Self {
        FunnelSpec {
            steps,
            window_ms,
            filter: FunnelFilter::default(),
        }
    }
}

/// Which events may form a chain (see the module's documentation). Per-event
/// columns are in log order, one entry per event, so they survive a
/// relabelling of the log's event names (as `map_funnel` does).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FunnelFilter {
    /// Events before this time (Unix ms) are ignored.
    pub from_ms: Option<i64>,
    /// Events after this time (Unix ms) are ignored: an inclusive end.
    pub to_ms: Option<i64>,
    /// Per event: whether it is an exclusion event. Empty: none is.
    pub exclude: Vec<bool>,
    /// Per event: the value of the property held constant across a chain's
    /// steps, or `NO_VALUE` (fills no step). `None`: nothing held constant.
    pub same: Option<Vec<u32>>,
}

/// `YYYY-MM-DD` as the Unix ms of that UTC day's first millisecond, or its
/// last with `end` (so a range of days includes both ends).
pub fn day_ms(text: &str, end: bool) -> Option<i64> {
    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    let start = day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis();
    Some(if end { start + 86_400_000 - 1 } else { start })
}

/// The `FunnelFilter::same` key of an event without a value.
pub const NO_VALUE: u32 = u32::MAX;

impl FunnelFilter {
    /// Marks every event of `log` named one of `names` as an exclusion
    /// event; names the log lacks exclude nothing.
    pub fn exclude_events(&mut self, log: &EventLog, names: &[&str]) {
        let ids: Vec<u32> = names.iter().filter_map(|n| log.event_id(n)).collect();
        self.exclude = log.event.iter().map(|e| ids.contains(e)).collect();
    }

    fn in_range(&self, t: i64) -> bool {
        self.from_ms.is_none_or(|from| t >= from) && self.to_ms.is_none_or(|to| t <= to)
    }

    fn excluded(&self, i: usize) -> bool {
        self.exclude.get(i).copied().unwrap_or(false)
    }
}

/// Serializes as `{"people", "window_seconds", "steps": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelReport {
    /// Everyone considered: the whole log, or one breakdown group.
    pub people: u64,
    pub window_seconds: f64,
    pub steps: Vec<StepReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepReport {
    pub name: String,
    /// People whose level is at least this step.
    pub reached: u64,
    /// `reached / reached by the previous step`; for the first step the
    /// "previous step" is everyone considered (`FunnelReport::people`).
    pub from_previous: Option<f64>,
    /// `reached / reached by the first step`.
    pub from_start: Option<f64>,
    /// Median and 90th percentile of the time from the previous step's event
    /// to this step's, in the canonical chains of the people who reached
    /// this step; `None` for the first step and when nobody reached it.
    pub median_seconds: Option<f64>,
    pub p90_seconds: Option<f64>,
    /// Reached by the previous step (or everyone, for the first) but not this.
    pub drop_off: u64,
}

/// One group of a breakdown; serializes as the report with a `key` field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelGroup {
    pub key: String,
    #[serde(flatten)]
    pub report: FunnelReport,
}

/// The name of the group for first events without a value.
pub const NO_KEY: &str = "(none)";

/// The funnel over every person in the log.
pub fn funnel(log: &EventLog, spec: &FunnelSpec) -> FunnelReport {
    funnel_among(log, spec, log.person_count() as u64)
}

/// The funnel over `people` people, of whom `log` holds every event that
/// can fill a step or end a chain (a source that sends only those, as
/// ClickHouse does); people absent from `log` are at level 0.
pub fn funnel_among(log: &EventLog, spec: &FunnelSpec, people: u64) -> FunnelReport {
    let tally = run(log, spec, 1, |_| 0).pop().expect("one group");
    report(spec, people, tally)
}

/// The funnel per channel of each person's first-step event (the canonical
/// chain's). People who never reach the first step belong to no group.
pub fn funnel_by_channel(log: &EventLog, spec: &FunnelSpec) -> Vec<FunnelGroup> {
    funnel_by_key(log, spec, &log.channel, &log.channel_names)
}

/// The funnel per value of `key` (one entry per event, in log order, e.g. an
/// interned property column) at each person's first-step event. Values
/// outside `names` (such as `NO_CHANNEL`) form the group `NO_KEY`. Each
/// group's `people` is the number who reached the first step. Groups are
/// ordered by size, largest first, then by name.
pub fn funnel_by_key(log: &EventLog, spec: &FunnelSpec, key: &[u32], names: &[String]) -> Vec<FunnelGroup> {
    assert_eq!(key.len(), log.len(), "one key per event");
    let none = names.len();
    let tallies = run(log, spec, none + 1, |first| (key[first] as usize).min(none));
    let mut groups: Vec<FunnelGroup> = tallies
        .into_iter()
        .enumerate()
        .filter(|(_, t)| t.reached_first() > 0)
        .map(|(g, t)| FunnelGroup {
            key: names.get(g).map_or(NO_KEY, String::as_str).to_owned(),
            report: report(spec, t.reached_first(), t),
        })
        .collect();
    groups.sort_by(|a, b| b.report.people.cmp(&a.report.people).then_with(|| a.key.cmp(&b.key)));
    groups
}

/// Each person's level (0 = never reached the first step), by person number.
pub fn funnel_levels(log: &EventLog, spec: &FunnelSpec) -> Vec<u32> {
    let mut walker = Walker::new(log, spec);
    (0..log.person_count())
        .map(|p| walker.walk(log.person_range(p)) as u32)
        .collect()
}

/// For each person who reaches the last step, the seconds from their
/// canonical chain's first event to its last (the attempt that converted),
/// in person order.
pub fn completion_seconds(log: &EventLog, spec: &FunnelSpec) -> Vec<f64> {
    let k = spec.steps.len();
    let mut walker = Walker::new(log, spec);
    let mut out = Vec::new();
    for p in 0..log.person_count() {
        let range = log.person_range(p);
        if k > 0 && walker.walk(range.clone()) == k {
            let times = &log.time_ms[range];
            let (first, last) = (walker.best[0] as usize, walker.best[k - 1] as usize);
            out.push((times[last] - times[first]) as f64 / 1000.0);
        }
    }
    out
}

/// Counts gathered in one walk, for the whole log or one group.
struct Tally {
    /// `levels[j]`: people whose level is exactly `j` (`levels[0]` unused:
    /// those people are in no group).
    levels: Vec<u64>,
    /// `waits[s]`: milliseconds from step `s - 1` to step `s`, one per person
    /// who reached step `s` (index 0 stays empty).
    waits: Vec<Vec<i64>>,
}

impl Tally {
    fn reached_first(&self) -> u64 {
        self.levels[1..].iter().sum()
    }
}

/// Below this many events a funnel is walked on one thread: starting
/// others would cost more than it saves.
const PARALLEL_EVENTS: usize = 500_000;

/// Walks every person once, sorting them into `groups` tallies by
/// `group(position of their canonical first event)`. People are independent,
/// so a large log is cut into one block of people per core; the blocks'
/// tallies are joined in person order, so the result is the same as one
/// walk's.
fn run(log: &EventLog, spec: &FunnelSpec, groups: usize, group: impl Fn(usize) -> usize + Sync) -> Vec<Tally> {
    let threads = match log.len() < PARALLEL_EVENTS {
        true => 1,
        false => std::thread::available_parallelism().map_or(1, |n| n.get()).min(8),
    };
    run_on(log, spec, groups, group, threads)
}

/// `run` on `threads` threads.
fn run_on(
    log: &EventLog,
    spec: &FunnelSpec,
    groups: usize,
    group: impl Fn(usize) -> usize + Sync,
    threads: usize,
) -> Vec<Tally> {
    let people = log.person_count();
    if threads <= 1 {
        return run_people(log, spec, groups, &group, 0..people);
    }
    let block = people.div_ceil(threads);
    let parts: Vec<Vec<Tally>> = std::thread::scope(|scope| {
        let walks: Vec<_> = (0..threads)
            .map(|t| {
                let people = (t * block).min(people)..((t + 1) * block).min(people);
                let group = &group;
                scope.spawn(move || run_people(log, spec, groups, group, people))
            })
            .collect();
        walks
            .into_iter()
            .map(|w| w.join().expect("a funnel walk panicked"))
            .collect()
    });
    let mut parts = parts.into_iter();
    let mut tallies = parts.next().expect("one block at least");
    for part in parts {
        for (tally, more) in tallies.iter_mut().zip(part) {
            for (level, n) in tally.levels.iter_mut().zip(more.levels) {
                *level += n;
            }
            for (waits, more) in tally.waits.iter_mut().zip(more.waits) {
                waits.extend(more);
            }
        }
    }
    tallies
}

/// `run` over the people numbered `people`.
fn run_people(
    log: &EventLog,
    spec: &FunnelSpec,
    groups: usize,
    group: &(impl Fn(usize) -> usize + Sync),
    people: Range<usize>,
) -> Vec<Tally> {
    let k = spec.steps.len();
    let mut tallies: Vec<Tally> = (0..groups)
        .map(|_| Tally {
            levels: vec![0; k + 1],
            waits: vec![Vec::new(); k],
        })
        .collect();
    let mut walker = Walker::new(log, spec);
    for p in people {
        let range = log.person_range(p);
        let level = walker.walk(range.clone());
        if level == 0 {
            continue; // in no group, and counted in `people` by the caller
        }
        let times = &log.time_ms[range.clone()];
        let chain = &walker.best[..level];
        let tally = &mut tallies[group(range.start + chain[0] as usize)];
        tally.levels[level] += 1;
        for s in 1..level {
            tally.waits[s].push(times[chain[s] as usize] - times[chain[s - 1] as usize]);
        }
    }
    tallies
}

fn report(spec: &FunnelSpec, people: u64, mut tally: Tally) -> FunnelReport {
    let k = spec.steps.len();
    // reached[s] = people at level > s.
    let mut reached = vec![0u64; k];
    let mut acc = 0;
    for s in (0..k).rev() {
        acc += tally.levels[s + 1];
        reached[s] = acc;
    }
    let first = reached.first().copied().unwrap_or(0);
    let steps = spec
        .steps
        .iter()
        .enumerate()
        .map(|(s, step)| {
            let previous = if s == 0 { people } else { reached[s - 1] };
            let waits = &mut tally.waits[s];
            let mut seconds = |q| quantile(waits, q).map(|ms| ms / 1000.0);
            let (median_seconds, p90_seconds) = (seconds(0.5), seconds(0.9));
            StepReport {
                name: step.name.clone(),
                reached: reached[s],
                from_previous: ratio(reached[s], previous),
                from_start: ratio(reached[s], first),
                median_seconds,
                p90_seconds,
                drop_off: previous.saturating_sub(reached[s]),
            }
        })
        .collect();
    FunnelReport {
        people,
        window_seconds: spec.window_ms as f64 / 1000.0,
        steps,
    }
}

/// The walk over one person's events, with scratch space reused across
/// people so the hot loop allocates nothing.
struct Walker<'a> {
    log: &'a EventLog,
    /// The steps each event number fills, highest first, as one flat table:
    /// `steps_of[spans[e].0..spans[e].1]` (one load per event). Highest first
    /// so that an event extends a chain built from earlier events before it
    /// can start or extend a shorter one: one event, one step.
    spans: Vec<(u32, u32)>,
    steps_of: Vec<u32>,
    k: usize,
    window: i64,
    filter: &'a FunnelFilter,
    /// `start[j]`: latest start time of a valid chain reaching step `j`
    /// (0-based), meaningful for `j < level`.
    start: Vec<i64>,
    /// Row `j` (`k` wide) holds that chain's positions within the person.
    chain: Vec<u32>,
    /// The canonical chain of the level reached so far.
    best: Vec<u32>,
}

impl<'a> Walker<'a> {
    fn new(log: &'a EventLog, spec: &'a FunnelSpec) -> Self {
        let k = spec.steps.len();
        let ids = log.event_names.len();
        let mut lists = vec![Vec::new(); ids];
        for (s, step) in spec.steps.iter().enumerate().rev() {
            // An event number the log lacks can never occur: skip it.
            for &e in step.events.iter().filter(|&&e| (e as usize) < ids) {
                let list: &mut Vec<u32> = &mut lists[e as usize];
                // A step listing an event twice still fills once.
                if list.last() != Some(&(s as u32)) {
                    list.push(s as u32);
                }
            }
        }
        let mut spans = Vec::with_capacity(ids);
        let mut steps_of = Vec::new();
        for list in lists {
            let from = steps_of.len() as u32;
            steps_of.extend(list);
            spans.push((from, steps_of.len() as u32));
        }
        Walker {
            log,
            spans,
            steps_of,
            k,
            window: spec.window_ms.max(0),
            filter: &spec.filter,
            start: vec![0; k],
            chain: vec![0; k * k],
            best: vec![0; k],
        }
    }

    /// The person's level; `self.best[..level]` is their canonical chain, as
    /// positions relative to `range.start`.
    fn walk(&mut self, range: Range<usize>) -> usize {
        let (log, filter) = (self.log, self.filter);
        let Some(same) = &filter.same else {
            return self.walk_value(range, None);
        };
        // One walk per value the person's events carry; the best chain of
        // all is the longest, then the canonical order among those.
        let mut values: Vec<u32> = same[range.clone()].iter().copied().filter(|&v| v != NO_VALUE).collect();
        values.sort_unstable();
        values.dedup();
        let times = &log.time_ms[range.clone()];
        let key = |chain: &[u32]| -> Vec<i64> {
            let mut key = vec![chain[chain.len() - 1] as i64, -times[chain[0] as usize]];
            key.extend(chain[..chain.len() - 1].iter().rev().map(|&p| p as i64));
            key
        };
        let (mut level, mut best) = (0, Vec::new());
        for v in values {
            let l = self.walk_value(range.clone(), Some(v));
            if l > level || (l == level && l > 0 && key(&self.best[..l]) < key(&best)) {
                level = l;
                best = self.best[..l].to_vec();
            }
        }
        self.best[..level].copy_from_slice(&best);
        level
    }

    /// `walk` over the events carrying `value` of the held property (all
    /// events when `None`).
    fn walk_value(&mut self, range: Range<usize>, value: Option<u32>) -> usize {
        let k = self.k;
        let base = range.start;
        let events = &self.log.event[range.clone()];
        let times = &self.log.time_ms[range];
        let filter = self.filter;
        let plain = filter.from_ms.is_none() && filter.to_ms.is_none() && filter.exclude.is_empty();
        let same = filter.same.as_deref().zip(value);
        // `live`: length of the longest chain that can still be extended
        // (an exclusion event cuts every chain); `level`: the best so far.
        let (mut level, mut live) = (0, 0);
        for (pos, &e) in events.iter().enumerate() {
            if !plain {
                if !filter.in_range(times[pos]) {
                    continue;
                }
                if filter.excluded(base + pos) {
                    live = 0;
                    continue;
                }
            }
            let (from, to) = self.spans[e as usize];
            if from == to {
                continue; // in no step: skipped before its time is even loaded
            }
            if let Some((keys, v)) = same
                && keys[base + pos] != v
            {
                continue;
            }
            let t = times[pos];
            for &s in &self.steps_of[from as usize..to as usize] {
                let s = s as usize;
                if s > live {
                    continue; // no chain of length s to extend yet
                }
                if s == 0 {
                    // Times never decrease, so a strictly later start
                    // replaces; on a tie the earlier event stays.
                    if live > 0 && t <= self.start[0] {
                        continue;
                    }
                    self.start[0] = t;
                    self.chain[0] = pos as u32;
                } else {
                    let from = self.start[s - 1];
                    // Sorted times make `t >= from`; saturating keeps
                    // absurd timestamps from overflowing.
                    let fits = t.saturating_sub(from) <= self.window;
                    if !fits || (s < live && from <= self.start[s]) {
                        continue;
                    }
                    self.start[s] = from;
                    self.chain.copy_within((s - 1) * k..(s - 1) * k + s, s * k);
                    self.chain[s * k + s] = pos as u32;
                }
                if s == live {
                    live += 1;
                    if live > level {
                        // First chain of a new level: the earliest
                        // completion, so it is the canonical one; later
                        // chains of this level only serve to build longer
                        // ones.
                        level = live;
                        self.best[..level].copy_from_slice(&self.chain[s * k..s * k + level]);
                        if level == k {
                            return level;
                        }
                    }
                }
            }
        }
        level
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::event_log::EventLogBuilder;
    use proptest::prelude::*;

    /// Rows are (person, time, event, channel).
    fn log_of(rows: &[(&str, i64, &str, Option<&str>)]) -> EventLog {
        let mut b = EventLogBuilder::default();
        for &(p, t, e, c) in rows {
            b.push(p, t, e, c, 0.0, 0.0);
        }
        b.build()
    }

    fn spec(log: &EventLog, steps: &[&[&str]], window_ms: i64) -> FunnelSpec {
        let steps = steps
            .iter()
            .map(|names| FunnelStep::from_names(log, names.join("|"), names))
            .collect();
        FunnelSpec::new(steps, window_ms)
    }

    /// Level and canonical chain (positions) of person 0.
    fn walk0(log: &EventLog, spec: &FunnelSpec) -> (usize, Vec<u32>) {
        let mut w = Walker::new(log, spec);
        let level = w.walk(log.person_range(0));
        (level, w.best[..level].to_vec())
    }

    fn level0(rows: &[(i64, &str)], steps: &[&[&str]], window_ms: i64) -> usize {
        let rows: Vec<_> = rows.iter().map(|&(t, e)| ("p", t, e, None)).collect();
        let log = log_of(&rows);
        walk0(&log, &spec(&log, steps, window_ms)).0
    }

    #[test]
    fn window_edge_is_inclusive() {
        let rows = [(0, "a"), (5, "b"), (10, "c")];
        assert_eq!(level0(&rows, &[&["a"], &["b"], &["c"]], 10), 3);
        assert_eq!(level0(&rows, &[&["a"], &["b"], &["c"]], 9), 2);
        assert_eq!(level0(&rows, &[&["a"], &["b"], &["c"]], 4), 1);
        // window + 1 apart does not fit.
        assert_eq!(level0(&[(0, "a"), (11, "b")], &[&["a"], &["b"]], 10), 1);
        assert_eq!(level0(&[(0, "a"), (10, "b")], &[&["a"], &["b"]], 10), 2);
        // A zero window still chains simultaneous events; a negative one
        // counts as zero.
        assert_eq!(level0(&[(7, "a"), (7, "b")], &[&["a"], &["b"]], 0), 2);
        assert_eq!(
            level0(&[(7, "a"), (7, "b"), (8, "c")], &[&["a"], &["b"], &["c"]], -5),
            2
        );
    }

    #[test]
    fn equal_timestamps_follow_input_order() {
        assert_eq!(level0(&[(5, "a"), (5, "b")], &[&["a"], &["b"]], 0), 2);
        assert_eq!(level0(&[(5, "b"), (5, "a")], &[&["a"], &["b"]], 100), 1);
    }

    #[test]
    fn one_event_fills_one_step() {
        assert_eq!(level0(&[(1, "x")], &[&["x"], &["x"]], 100), 1);
        assert_eq!(level0(&[(1, "x"), (1, "x")], &[&["x"], &["x"]], 100), 2);
        // Overlapping sets: "x" may be step 1 or 2 but not both.
        assert_eq!(level0(&[(1, "x"), (2, "y")], &[&["x"], &["x", "y"], &["y"]], 100), 2);
        assert_eq!(
            level0(&[(1, "x"), (2, "x"), (3, "y")], &[&["x"], &["x", "y"], &["y"]], 100),
            3
        );
        // A step that lists its event twice still needs only one event.
        assert_eq!(level0(&[(1, "x")], &[&["x", "x"]], 100), 1);
    }

    #[test]
    fn a_later_attempt_that_gets_further_wins() {
        let rows = [(0, "a"), (5, "b"), (100, "a"), (105, "b"), (108, "c")];
        let rows: Vec<_> = rows.iter().map(|&(t, e)| ("p", t, e, None)).collect();
        let log = log_of(&rows);
        let (level, chain) = walk0(&log, &spec(&log, &[&["a"], &["b"], &["c"]], 10));
        assert_eq!((level, chain), (3, vec![2, 3, 4]));
    }

    #[test]
    fn steps_out_of_order_do_not_count() {
        assert_eq!(level0(&[(0, "b"), (1, "a")], &[&["a"], &["b"]], 100), 1);
        assert_eq!(
            level0(&[(0, "c"), (1, "a"), (2, "b")], &[&["a"], &["b"], &["c"]], 100),
            2
        );
        assert_eq!(level0(&[(0, "b"), (1, "c")], &[&["a"], &["b"], &["c"]], 100), 0);
    }

    #[test]
    fn canonical_chain_completes_first_then_starts_latest() {
        // Level 2 first completes at b@5; of the starts a@0 and a@3 the
        // later one is taken, so the wait is 2 ms, not 5.
        let rows = [(0, "a"), (3, "a"), (5, "b"), (6, "b")];
        let rows: Vec<_> = rows.iter().map(|&(t, e)| ("p", t, e, None)).collect();
        let log = log_of(&rows);
        assert_eq!(walk0(&log, &spec(&log, &[&["a"], &["b"]], 100)), (2, vec![1, 2]));
        // Equal start times: the earlier event is the start.
        let rows = [(3, "a"), (3, "a"), (5, "b")];
        let rows: Vec<_> = rows.iter().map(|&(t, e)| ("p", t, e, None)).collect();
        let log = log_of(&rows);
        assert_eq!(walk0(&log, &spec(&log, &[&["a"], &["b"]], 100)), (2, vec![0, 2]));
    }

    #[test]
    fn days_are_whole_utc_days() {
        assert_eq!(day_ms("2026-03-01", false), Some(1_772_323_200_000));
        assert_eq!(day_ms(" 2026-03-01 ", true), Some(1_772_323_200_000 + 86_400_000 - 1));
        assert_eq!(day_ms("2026-02-30", false), None);
        assert_eq!(day_ms("March", false), None);
    }

    #[test]
    fn report_counts_rates_and_waits() {
        let s = 1000;
        let rows = [
            ("ann", 0, "visit", Some("ads")),
            ("ann", 10 * s, "signup", None),
            ("ann", 40 * s, "buy", None),
            ("bob", 0, "visit", Some("search")),
            ("bob", 20 * s, "signup", None),
            ("cat", 0, "visit", Some("ads")),
            ("cat", 30 * s, "signup", None),
            ("cat", 3600 * s, "buy", None), // outside the window
            ("dan", 0, "signup", None),
        ];
        let log = log_of(&rows);
        let spec = spec(&log, &[&["visit"], &["signup"], &["buy"]], 600 * s);
        let r = funnel(&log, &spec);
        assert_eq!(r.people, 4);
        assert_eq!(r.window_seconds, 600.0);
        let reached: Vec<_> = r.steps.iter().map(|s| s.reached).collect();
        assert_eq!(reached, [3, 3, 1]);
        assert_eq!(r.steps[0].from_previous, Some(0.75));
        assert_eq!(r.steps[0].drop_off, 1);
        assert_eq!(r.steps[0].median_seconds, None);
        assert_eq!(r.steps[1].from_previous, Some(1.0));
        assert_eq!(r.steps[1].median_seconds, Some(20.0));
        assert_eq!(r.steps[1].p90_seconds, Some(28.0));
        assert_eq!(r.steps[2].from_previous, Some(1.0 / 3.0));
        assert_eq!(r.steps[2].from_start, Some(1.0 / 3.0));
        assert_eq!(r.steps[2].median_seconds, Some(30.0));
        assert_eq!(r.steps[2].drop_off, 2);

        let groups = funnel_by_channel(&log, &spec);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].key, "ads");
        assert_eq!(groups[0].report.people, 2);
        let ads: Vec<_> = groups[0].report.steps.iter().map(|s| s.reached).collect();
        assert_eq!(ads, [2, 2, 1]);
        assert_eq!(groups[1].key, "search");
        assert_eq!(groups[1].report.steps[2].reached, 0);
        assert_eq!(groups[1].report.steps[2].from_previous, Some(0.0));
        assert_eq!(groups[1].report.steps[2].median_seconds, None);

        assert_eq!(funnel_levels(&log, &spec), [3, 2, 2, 0]);
    }

    #[test]
    fn breakdown_by_key_names_missing_values() {
        let rows = [("a", 0, "x", None), ("b", 0, "x", None), ("c", 0, "y", None)];
        let log = log_of(&rows);
        let spec = spec(&log, &[&["x"]], 10);
        let key = [0, 7, 0];
        let groups = funnel_by_key(&log, &spec, &key, &["pl".to_owned()]);
        let sizes: Vec<_> = groups.iter().map(|g| (g.key.as_str(), g.report.people)).collect();
        assert_eq!(sizes, [("(none)", 1), ("pl", 1)]);
    }

    #[test]
    fn event_numbers_the_log_lacks_match_nothing() {
        let log = log_of(&[("a", 0, "x", None)]);
        let step = |events| FunnelStep {
            name: "s".into(),
            events,
        };
        let spec = FunnelSpec {
            steps: vec![step(vec![0, 99]), step(vec![u32::MAX])],
            window_ms: 5,
            filter: FunnelFilter::default(),
        };
        assert_eq!(funnel_levels(&log, &spec), [1]);
    }

    #[test]
    fn empty_funnel_and_empty_log() {
        let log = log_of(&[("a", 0, "x", None)]);
        let r = funnel(&log, &FunnelSpec::new(vec![], 5));
        assert_eq!(r.people, 1);
        assert!(r.steps.is_empty());
        let empty = EventLogBuilder::default().build();
        let r = funnel(&empty, &spec(&empty, &[&["x"], &["y"]], 5));
        assert_eq!(r.steps[0].reached, 0);
        assert_eq!(r.steps[0].from_previous, None);
        assert_eq!(r.steps[1].from_start, None);
    }

    #[test]
    fn serializes_in_the_cli_shape() {
        let log = log_of(&[("a", 0, "x", None), ("a", 1500, "y", None)]);
        let r = funnel(&log, &spec(&log, &[&["x"], &["y"]], 60_000));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["people"], 1);
        assert_eq!(json["window_seconds"], 60.0);
        assert_eq!(json["steps"][1]["name"], "y");
        assert_eq!(json["steps"][1]["reached"], 1);
        assert_eq!(json["steps"][1]["from_previous"], 1.0);
        assert_eq!(json["steps"][1]["median_seconds"], 1.5);
        assert_eq!(json["steps"][0]["p90_seconds"], serde_json::Value::Null);
    }

    /// Options of the reference: a date range, exclusion event names, and
    /// whether a chain's events must share their value.
    #[derive(Default)]
    struct Options {
        from: Option<i64>,
        to: Option<i64>,
        exclude: Vec<String>,
        same: bool,
    }

    /// The obviously correct version: enumerate every chain of every length,
    /// keep the valid ones, take the longest and, of those, the lexicographic
    /// minimum of the canonical key. `events` are one person's (time, event,
    /// value) in log order; steps are sets of event names.
    fn brute_force(
        events: &[(i64, String, Option<u8>)],
        steps: &[Vec<String>],
        window: i64,
        o: &Options,
    ) -> (usize, Vec<u32>) {
        let in_range = |i: usize| o.from.is_none_or(|f| events[i].0 >= f) && o.to.is_none_or(|t| events[i].0 <= t);
        let excluded = |i: usize| in_range(i) && o.exclude.contains(&events[i].1);
        let usable = |i: usize| in_range(i) && !excluded(i) && (!o.same || events[i].2.is_some());
        let mut all = vec![Vec::new()];
        let mut grown = vec![Vec::new()];
        // Every chain, one length at a time.
        for step in steps {
            let mut next = Vec::new();
            for c in &grown {
                let from = c.last().map_or(0, |&i: &usize| i + 1);
                for (i, event) in events.iter().enumerate().skip(from) {
                    if usable(i) && step.contains(&event.1) {
                        let mut longer = c.clone();
                        longer.push(i);
                        next.push(longer);
                    }
                }
            }
            all.extend(next.iter().cloned());
            grown = next;
        }
        let valid = all.into_iter().filter(|c: &Vec<usize>| match (c.first(), c.last()) {
            (Some(&a), Some(&z)) => {
                events[z].0 - events[a].0 <= window
                    && c.windows(2).all(|w| !(w[0] + 1..w[1]).any(excluded))
                    && (!o.same || c.iter().all(|&i| events[i].2 == events[a].2))
            }
            _ => true,
        });
        let level = valid.clone().map(|c| c.len()).max().unwrap_or(0);
        let key = |c: &Vec<usize>| -> Vec<i64> {
            let mut key = vec![*c.last().unwrap() as i64, -events[c[0]].0];
            key.extend(c[..c.len() - 1].iter().rev().map(|&i| i as i64));
            key
        };
        let best = valid
            .filter(|c| c.len() == level && level > 0)
            .min_by_key(key)
            .unwrap_or_default();
        (level, best.into_iter().map(|i| i as u32).collect())
    }

    /// Checks the walk against `brute_force` for every person of random
    /// rows (person, time, event, value; the value is carried as the
    /// channel) and the report's reach against the reference's.
    fn check_against_brute_force(
        rows: &[(u8, i64, u8, Option<u8>)],
        steps: &[Vec<u8>],
        window: i64,
        o: &Options,
    ) -> Result<(), TestCaseError> {
        let mut b = EventLogBuilder::default();
        for &(p, t, e, v) in rows {
            let v = v.map(|v| format!("v{v}"));
            b.push(&format!("p{p}"), t, &format!("e{e}"), v.as_deref(), 0.0, 0.0);
        }
        let log = b.build();
        let step_names: Vec<Vec<String>> = steps.iter().map(|s| names(s)).collect();
        let steps = step_names
            .iter()
            .map(|s| {
                let s: Vec<&str> = s.iter().map(String::as_str).collect();
                FunnelStep::from_names(&log, s.join("|"), &s)
            })
            .collect();
        let mut spec = FunnelSpec::new(steps, window);
        spec.filter.from_ms = o.from;
        spec.filter.to_ms = o.to;
        if !o.exclude.is_empty() {
            let exclude: Vec<&str> = o.exclude.iter().map(String::as_str).collect();
            spec.filter.exclude_events(&log, &exclude);
        }
        if o.same {
            // NO_CHANNEL is NO_VALUE: no value.
            spec.filter.same = Some(log.channel.clone());
        }
        let mut walker = Walker::new(&log, &spec);
        let mut reached = vec![0u64; spec.steps.len()];
        for (p, person) in log.people.iter().enumerate() {
            // The reference sorts its own copy of the rows: stable, by time.
            let mut mine: Vec<(i64, String, Option<u8>)> = rows
                .iter()
                .filter(|r| format!("p{}", r.0) == *person)
                .map(|r| (r.1, format!("e{}", r.2), r.3))
                .collect();
            mine.sort_by_key(|r| r.0);
            let (level, chain) = brute_force(&mine, &step_names, window, o);
            let fast = walker.walk(log.person_range(p));
            prop_assert_eq!(fast, level);
            prop_assert_eq!(&walker.best[..fast], &chain[..]);
            reached.iter_mut().take(level).for_each(|r| *r += 1);
        }
        let report = funnel(&log, &spec);
        let fast: Vec<u64> = report.steps.iter().map(|s| s.reached).collect();
        prop_assert_eq!(fast, reached);
        Ok(())
    }

    fn names(ids: &[u8]) -> Vec<String> {
        ids.iter().map(|i| format!("e{i}")).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn blocks_of_people_on_threads_tally_as_one_walk(
            rows in prop::collection::vec((0u8..20, 0i64..12, 0u8..4, 0u8..3), 0..120),
            steps in prop::collection::vec(prop::collection::vec(0u8..4, 1..3), 1..5),
            threads in 2usize..5,
        ) {
            let names = ["a", "b", "c", "d"];
            let channels = ["x", "y", "z"];
            let people: Vec<String> = (0..20).map(|p| format!("p{p}")).collect();
            let mut b = EventLogBuilder::default();
            for &(p, t, e, c) in &rows {
                b.push(&people[p as usize], t, names[e as usize], Some(channels[c as usize]), 0.0, 0.0);
            }
            let log = b.build();
            let steps = steps
                .iter()
                .enumerate()
                .map(|(i, es)| {
                    let events: Vec<&str> = es.iter().map(|&e| names[e as usize]).collect();
                    FunnelStep::from_names(&log, format!("s{i}"), &events)
                })
                .collect();
            let spec = FunnelSpec::new(steps, 5);
            let by_channel = |first: usize| log.channel[first] as usize;
            let one = run_on(&log, &spec, 3, by_channel, 1);
            let many = run_on(&log, &spec, 3, by_channel, threads);
            for (a, b) in one.iter().zip(&many) {
                prop_assert_eq!(&a.levels, &b.levels);
                prop_assert_eq!(&a.waits, &b.waits);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn matches_brute_force(
            rows in prop::collection::vec((0u8..3, 0i64..12, 0u8..4), 0..24),
            steps in prop::collection::vec(prop::collection::vec(0u8..4, 1..3), 1..5),
            window in 0i64..14,
        ) {
            let rows: Vec<_> = rows.into_iter().map(|(p, t, e)| (p, t, e, None)).collect();
            check_against_brute_force(&rows, &steps, window, &Options::default())?;
        }

        #[test]
        fn date_range_matches_brute_force(
            rows in prop::collection::vec((0u8..3, 0i64..12, 0u8..4), 0..24),
            steps in prop::collection::vec(prop::collection::vec(0u8..4, 1..3), 1..5),
            window in 0i64..14,
            from in prop::option::of(0i64..12),
            to in prop::option::of(0i64..12),
        ) {
            let rows: Vec<_> = rows.into_iter().map(|(p, t, e)| (p, t, e, None)).collect();
            let o = Options { from, to, ..Options::default() };
            check_against_brute_force(&rows, &steps, window, &o)?;
        }

        #[test]
        fn exclusions_match_brute_force(
            rows in prop::collection::vec((0u8..3, 0i64..12, 0u8..5), 0..24),
            steps in prop::collection::vec(prop::collection::vec(0u8..4, 1..3), 1..5),
            window in 0i64..14,
            exclude in prop::collection::vec(0u8..5, 1..3),
        ) {
            let rows: Vec<_> = rows.into_iter().map(|(p, t, e)| (p, t, e, None)).collect();
            let o = Options { exclude: names(&exclude), ..Options::default() };
            check_against_brute_force(&rows, &steps, window, &o)?;
        }

        #[test]
        fn same_property_matches_brute_force(
            rows in prop::collection::vec((0u8..3, 0i64..12, 0u8..4, prop::option::of(0u8..3)), 0..24),
            steps in prop::collection::vec(prop::collection::vec(0u8..4, 1..3), 1..5),
            window in 0i64..14,
        ) {
            let o = Options { same: true, ..Options::default() };
            check_against_brute_force(&rows, &steps, window, &o)?;
        }

        #[test]
        fn all_options_together_match_brute_force(
            rows in prop::collection::vec((0u8..3, 0i64..12, 0u8..5, prop::option::of(0u8..2)), 0..24),
            steps in prop::collection::vec(prop::collection::vec(0u8..4, 1..3), 1..5),
            window in 0i64..14,
            from in prop::option::of(0i64..6),
            to in prop::option::of(6i64..12),
            exclude in prop::collection::vec(0u8..5, 0..2),
        ) {
            let o = Options { from, to, exclude: names(&exclude), same: true };
            check_against_brute_force(&rows, &steps, window, &o)?;
        }
    }
}
