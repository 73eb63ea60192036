//! The reality check: a journey map beside the events people produced.
//!
//! Events meet touchpoints through the touchpoints' matchers; touchpoints
//! belong to journey stages, which may map to funnel stages. Reach per
//! funnel stage is the map's funnel (`map_funnel`), so `compare` and
//! `funnel --map` give the same numbers. From one walk per person come reach
//! per touchpoint and journey stage, where people enter the funnel, the paths
//! people take between touchpoints (and which of them the map lacks), the
//! map's links nobody follows, people who enter the funnel in the middle,
//! events the map does not cover, and the data-bound metric values.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

use super::event_log::{EventLog, NO_CHANNEL};
use super::map_funnel::map_funnel;
use super::money::{DayRange, Money, money};
use super::stats::ratio;
use crate::model::{DataMeasure, FunnelStageId, JourneyMap, LinkId, MetricSource, StageId, TouchpointId, Unit};

/// Which touchpoints (indices into `map.touchpoints`) each event meets.
#[derive(Debug, Clone)]
pub struct EventTouchpoints {
    /// Per event number: (channel number or `ANY_CHANNEL`, touchpoint). A
    /// touchpoint appears once per event number with `ANY_CHANNEL`, or once
    /// per channel it asks for, so no event meets a touchpoint twice.
    by_event: Vec<Vec<(u32, u32)>>,
}

const ANY_CHANNEL: u32 = u32::MAX - 1;

impl EventTouchpoints {
    /// Resolves every matcher against the log's names once. A matcher whose
    /// event or channel the log never mentions matches nothing.
    pub fn new(map: &JourneyMap, log: &EventLog) -> Self {
        let mut by_event: Vec<Vec<(u32, u32)>> = vec![Vec::new(); log.event_names.len()];
        // Looked up once per matcher: thousands of each on a large map.
        fn numbers(names: &[String]) -> HashMap<&str, u32> {
            names
                .iter()
                .enumerate()
                .rev()
                .map(|(i, n)| (n.as_str(), i as u32))
                .collect()
        }
        let (events, channels) = (numbers(&log.event_names), numbers(&log.channel_names));
        for (tp, touchpoint) in map.touchpoints.iter().enumerate() {
            let tp = tp as u32;
            for m in &touchpoint.matchers {
                let Some(&event) = events.get(m.event.as_str()) else {
                    continue;
                };
                let channel = match &m.channel {
                    None => ANY_CHANNEL,
                    Some(name) => match channels.get(name.as_str()) {
                        Some(&c) => c,
                        None => continue,
                    },
                };
                let list = &mut by_event[event as usize];
                if list.contains(&(ANY_CHANNEL, tp)) || list.contains(&(channel, tp)) {
                    continue;
                }
                if channel == ANY_CHANNEL {
                    list.retain(|&(_, t)| t != tp);
                }
                list.push((channel, tp));
            }
        }
        for list in &mut by_event {
            list.sort_by_key(|&(_, tp)| tp);
        }
        EventTouchpoints { by_event }
    }

    /// The touchpoints event `i` of `log` meets, in map order.
    pub fn of<'a>(&'a self, log: &EventLog, i: usize) -> impl Iterator<Item = u32> + use<'a> {
        let channel = log.channel[i];
        self.by_event[log.event[i] as usize]
            .iter()
            .filter(move |&&(c, _)| c == ANY_CHANNEL || (c == channel && c != NO_CHANNEL))
            .map(|&(_, tp)| tp)
    }

    /// Per event in log order, the first touchpoint (in map order) it meets:
    /// a `TouchMap::PerEvent` for attributing conversions to touchpoints.
    pub fn first_per_event(&self, log: &EventLog) -> Vec<Option<u32>> {
        (0..log.len()).map(|i| self.of(log, i).next()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub people: u64,
    pub events: u64,
    /// Events that met at least one touchpoint.
    pub matched_events: u64,
    /// One per touchpoint of the map, in map order.
    pub touchpoints: Vec<TouchpointStats>,
    /// One per funnel stage, top first.
    pub funnel_stages: Vec<FunnelStageStats>,
    /// The conversion window of the funnel stages' reach, in seconds.
    pub window_seconds: f64,
    /// One per journey stage, in spine order.
    pub stages: Vec<StageStats>,
    /// People whose first event in the funnel met no touchpoint of its top
    /// stage: the sum of `entered_without_earlier` over the stages.
    pub people_out_of_order: u64,
    /// Touchpoints no event met, in map order.
    pub unmet_touchpoints: Vec<TouchpointId>,
    /// Every observed move between touchpoints, by count, largest first.
    pub transitions: Vec<TouchpointTransition>,
    /// Moves whose share of their source's moves is above the threshold and
    /// that the map has no link for.
    pub missing_links: Vec<TouchpointTransition>,
    /// Links of the map (between existing touchpoints) no one followed,
    /// leaving out those kept on purpose (`Link::expected`).
    pub unused_links: Vec<LinkId>,
    /// Links kept on purpose that no one followed: counted, not listed as
    /// findings.
    pub expected_unused_links: Vec<LinkId>,
    /// Events meeting no touchpoint, per event name, by count, largest first.
    pub unmatched_events: Vec<EventCount>,
    /// Spend, reach, CAC and ROAS per channel and touchpoint over the data's
    /// days (see `money`).
    pub money: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TouchpointStats {
    pub id: TouchpointId,
    pub name: String,
    /// Events that met it.
    pub events: u64,
    /// People with at least one such event.
    pub people_reached: u64,
    /// Of those, people who reach the last funnel stage at or after their
    /// first event here (a touchpoint of the last stage converts everyone
    /// it reaches).
    pub conversions: u64,
    /// `conversions / people_reached`; `None` when nobody was reached or no
    /// touchpoint maps to the last funnel stage (conversion unmeasurable).
    pub conversion_rate: Option<f64>,
    /// Sum of the cost of the events that met it.
    pub cost: f64,
    /// `cost / conversions`; `None` without conversions, and without cost
    /// data (none of its events carried a cost): an unknown cost is not a
    /// cost of zero.
    pub cost_per_conversion: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelStageStats {
    pub id: FunnelStageId,
    pub name: String,
    /// People who reached it in the map's funnel (`map_funnel`): their
    /// events met the funnel's stages in order, from the top down to this
    /// one, within the window, each event counting for one stage.
    pub people_reached: u64,
    /// People who entered the funnel here: their first event meeting any
    /// funnel stage met this one and no earlier one. Each person counts at
    /// one stage at most, so these add up to the people who met any funnel
    /// stage, and those below the top to `Comparison::people_out_of_order`.
    pub entered_without_earlier: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageStats {
    pub id: StageId,
    pub name: String,
    /// People meeting any touchpoint of the stage.
    pub people_reached: u64,
}

impl Comparison {
    /// The stats of journey stage `id`, if the map had it when compared.
    pub fn stage(&self, id: StageId) -> Option<&StageStats> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The share of the people who reached the stage before `id` on the
    /// spine that this stage did not reach (0.25 for a quarter lost; a
    /// negative share when more arrive here than there). `None` for the
    /// first stage, or when nobody reached the one before.
    pub fn stage_drop_off(&self, id: StageId) -> Option<f64> {
        let at = self.stages.iter().position(|s| s.id == id)?;
        let before = self.stages.get(at.checked_sub(1)?)?.people_reached;
        let here = self.stages[at].people_reached;
        (before > 0).then(|| (before as f64 - here as f64) / before as f64)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TouchpointTransition {
    pub from: TouchpointId,
    pub to: TouchpointId,
    pub from_name: String,
    pub to_name: String,
    /// Times a person's event meeting `from` was followed by their next
    /// matched event meeting `to` (events meeting no touchpoint are skipped).
    pub count: u64,
    /// `count` over all moves out of `from`.
    pub share: f64,
    /// Whether the map has a link `from -> to`.
    pub on_map: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventCount {
    pub event: String,
    pub count: u64,
}

/// The conversion window `compare` uses, as `funnel` does by default: 30 days.
pub const DEFAULT_WINDOW_MS: i64 = 30 * 86_400_000;

/// The funnel stage (its index in the funnel) each touchpoint of `map`
/// reaches through its journey stage, in map order.
pub(super) fn funnel_stage_of_touchpoints(map: &JourneyMap) -> Vec<Option<usize>> {
    map.touchpoints
        .iter()
        .map(|tp| {
            let fs = map.stage(tp.stage)?.funnel_stage?;
            map.funnel.stages.iter().position(|s| s.id == fs)
        })
        .collect()
}

/// Moves between touchpoints, by (from, to) index pair (`pair`).
type Moves = HashMap<u64, u64, PairHash>;

/// A pair of touchpoint indices as one key, `from` in the high half, so keys
/// sort in map order of the source, then of the target.
fn pair(from: u32, to: u32) -> u64 {
    (u64::from(from) << 32) | u64::from(to)
}

/// Hashes a `pair` key with one multiplication: the keys are plain
/// integers from our own map, so std's DoS-resistant hashing buys nothing
/// and costs the hot loop most of its time.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(self.0.rotate_left(8) ^ u64::from(b));
        }
    }

    fn write_u64(&mut self, key: u64) {
        // The product's high half mixes every bit of the key; fold it into
        // the low bits, which pick the bucket.
        let h = key.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 32);
    }
}

type PairHash = BuildHasherDefault<PairHasher>;

/// Compares `map` with `log`, funnel stages within `DEFAULT_WINDOW_MS`.
/// `missing_link_share` (e.g. 0.05) is how large a share of a touchpoint's
/// outgoing moves an unlinked move must exceed to be reported missing, so
/// one-off wanderings do not bury the real ones.
pub fn compare(map: &JourneyMap, log: &EventLog, missing_link_share: f64) -> Comparison {
    compare_within(map, log, missing_link_share, DEFAULT_WINDOW_MS)
}

/// `compare` with the funnel stages' reach counted within `window_ms`.
pub fn compare_within(map: &JourneyMap, log: &EventLog, missing_link_share: f64, window_ms: i64) -> Comparison {
    compare_over(map, log, missing_link_share, window_ms, None)
}

/// What `compare_part` takes from the whole log, counted where it lives.
#[derive(Debug, Clone, PartialEq)]
pub struct WholeLog {
    pub people: u64,
    pub events: u64,
    /// Events meeting no touchpoint, per event name (in any order).
    pub unmatched_events: Vec<EventCount>,
    /// The days of the first and last events; `None` without events.
    pub range: Option<DayRange>,
}

/// `compare_within` over a log of which only `part` is here: `part` must
/// hold every event that meets a touchpoint of `map`, has a cost or a
/// revenue, and each person's first event of each channel, in the whole
/// log's order (people in the same order, each one's events too) and with
/// its channels numbered alike. Every other event only adds to counts that
/// `whole` gives, so the result equals `compare_within` over the whole log,
/// to the last digit of every sum.
pub fn compare_part(
    map: &JourneyMap,
    part: &EventLog,
    whole: &WholeLog,
    missing_link_share: f64,
    window_ms: i64,
) -> Comparison {
    let mut c = compare_over(map, part, missing_link_share, window_ms, whole.range);
    c.people = whole.people;
    c.events = whole.events;
    let mut unmatched = whole.unmatched_events.clone();
    unmatched.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.event.cmp(&b.event)));
    c.unmatched_events = unmatched;
    // Everyone was reached by the total; those without an event here met
    // no touchpoint and no channel, so no other row changes.
    c.money.total.people_reached = whole.people;
    c
}

/// `compare_within`, its money counted over the days of `range` (by
/// default the log's own).
fn compare_over(
    map: &JourneyMap,
    log: &EventLog,
    missing_link_share: f64,
    window_ms: i64,
    range: Option<DayRange>,
) -> Comparison {
    let matcher = EventTouchpoints::new(map, log);
    let n_tp = map.touchpoints.len();
    let n_fs = map.funnel.stages.len();
    let tp_funnel = funnel_stage_of_touchpoints(map);
    // The journey stage (index) of each touchpoint.
    let tp_stage: Vec<Option<usize>> = map
        .touchpoints
        .iter()
        .map(|tp| map.stages.iter().position(|s| s.id == tp.stage))
        .collect();
    let n_js = map.stages.len();
    let last_stage = n_fs.checked_sub(1);
    let measurable = last_stage.is_some() && tp_funnel.contains(&last_stage);

    let mut tp_events = vec![0u64; n_tp];
    let mut tp_cost = vec![0f64; n_tp];
    let mut tp_reached = vec![0u64; n_tp];
    let mut tp_conversions = vec![0u64; n_tp];
    // Sparse: people move between few of the touchpoint pairs, and a dense
    // table of all pairs would take gigabytes on a map of thousands.
    let mut moves: Moves = Moves::default();
    let (staged, spec) = map_funnel(map, log, window_ms);
    let fs_reached: Vec<u64> = super::funnel::funnel(&staged, &spec)
        .steps
        .iter()
        .map(|s| s.reached)
        .collect();
    let mut js_reached = vec![0u64; n_js];
    let mut fs_out_of_order = vec![0u64; n_fs];
    let mut unmatched = vec![0u64; log.event_names.len()];
    let mut people_out_of_order = 0;
    let mut matched_events = 0;

    // Per-person scratch, reset through the lists of what was touched.
    let mut first_seen = vec![usize::MAX; n_tp];
    let mut seen: Vec<u32> = Vec::new();
    let mut js_seen = vec![false; n_js];
    let (mut prev, mut cur): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());

    for p in 0..log.person_count() {
        prev.clear();
        let mut entered = false;
        let mut converted_at = None; // last position reaching the last stage
        for i in log.person_range(p) {
            cur.clear();
            cur.extend(matcher.of(log, i));
            if cur.is_empty() {
                unmatched[log.event[i] as usize] += 1;
                continue;
            }
            matched_events += 1;
            let mut low_here = usize::MAX;
            for &tp in &cur {
                let t = tp as usize;
                tp_events[t] += 1;
                tp_cost[t] += log.cost(i);
                if first_seen[t] == usize::MAX {
                    first_seen[t] = i;
                    seen.push(tp);
                }
                if let Some(fs) = tp_funnel[t] {
                    low_here = low_here.min(fs);
                    if Some(fs) == last_stage {
                        converted_at = Some(i);
                    }
                }
            }
            // The person's first event in the funnel: where they entered.
            if low_here != usize::MAX && !entered {
                entered = true;
                fs_out_of_order[low_here] += 1;
                people_out_of_order += u64::from(low_here > 0);
            }
            for &a in &prev {
                for &b in &cur {
                    if a != b {
                        *moves.entry(pair(a, b)).or_insert(0) += 1;
                    }
                }
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        for &tp in &seen {
            if let Some(js) = tp_stage[tp as usize] {
                js_seen[js] = true;
            }
        }
        for (reached, seen) in js_reached.iter_mut().zip(&mut js_seen) {
            *reached += u64::from(std::mem::take(seen));
        }
        for tp in seen.drain(..) {
            let t = tp as usize;
            tp_reached[t] += 1;
            if converted_at.is_some_and(|c| c >= first_seen[t]) {
                tp_conversions[t] += 1;
            }
            first_seen[t] = usize::MAX;
        }
    }

    let touchpoints: Vec<TouchpointStats> = map
        .touchpoints
        .iter()
        .enumerate()
        .map(|(t, tp)| TouchpointStats {
            id: tp.id,
            name: tp.name.clone(),
            events: tp_events[t],
            people_reached: tp_reached[t],
            conversions: tp_conversions[t],
            conversion_rate: ratio(tp_conversions[t], tp_reached[t]).filter(|_| measurable),
            cost: tp_cost[t],
            cost_per_conversion: (tp_conversions[t] > 0 && tp_cost[t] != 0.0)
                .then(|| tp_cost[t] / tp_conversions[t] as f64),
        })
        .collect();
    let funnel_stages = map
        .funnel
        .stages
        .iter()
        .enumerate()
        .map(|(s, fs)| FunnelStageStats {
            id: fs.id,
            name: fs.name.clone(),
            people_reached: fs_reached[s],
            entered_without_earlier: fs_out_of_order[s],
        })
        .collect();
    let stages = map
        .stages
        .iter()
        .zip(js_reached)
        .map(|(s, people_reached)| StageStats {
            id: s.id,
            name: s.name.clone(),
            people_reached,
        })
        .collect();
    let unmet_touchpoints = touchpoints
        .iter()
        .filter(|t| t.people_reached == 0)
        .map(|t| t.id)
        .collect();

    let index: HashMap<TouchpointId, u32> = map
        .touchpoints
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id, i as u32))
        .collect();
    let index_of = |id: TouchpointId| index.get(&id).copied();
    let mut linked: HashSet<u64, PairHash> = HashSet::default();
    let (mut unused_links, mut expected_unused_links) = (Vec::new(), Vec::new());
    for link in &map.links {
        if let (Some(a), Some(b)) = (index_of(link.from), index_of(link.to)) {
            let key = pair(a, b);
            linked.insert(key);
            if !moves.contains_key(&key) {
                if link.expected {
                    expected_unused_links.push(link.id);
                } else {
                    unused_links.push(link.id);
                }
            }
        }
    }
    let mut out = vec![0u64; n_tp];
    for (&key, &count) in &moves {
        out[(key >> 32) as usize] += count;
    }
    let mut observed: Vec<(u64, u64)> = moves.into_iter().collect();
    // Largest first; ties in map order of the source, then of the target.
    observed.sort_unstable_by_key(|&(key, count)| (std::cmp::Reverse(count), key));
    let transitions: Vec<TouchpointTransition> = observed
        .into_iter()
        .map(|(key, count)| {
            let (a, b) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
            TouchpointTransition {
                from: map.touchpoints[a].id,
                to: map.touchpoints[b].id,
                from_name: map.touchpoints[a].name.clone(),
                to_name: map.touchpoints[b].name.clone(),
                count,
                share: count as f64 / out[a] as f64,
                on_map: linked.contains(&key),
            }
        })
        .collect();
    let missing_links = transitions
        .iter()
        .filter(|t| !t.on_map && t.share > missing_link_share)
        .cloned()
        .collect();

    let mut unmatched_events: Vec<EventCount> = unmatched
        .into_iter()
        .enumerate()
        .filter(|&(_, count)| count > 0)
        .map(|(e, count)| EventCount {
            event: log.event_names[e].clone(),
            count,
        })
        .collect();
    unmatched_events.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.event.cmp(&b.event)));

    Comparison {
        people: log.person_count() as u64,
        events: log.len() as u64,
        matched_events,
        touchpoints,
        funnel_stages,
        window_seconds: window_ms as f64 / 1000.0,
        stages,
        people_out_of_order,
        unmet_touchpoints,
        transitions,
        missing_links,
        unused_links,
        expected_unused_links,
        unmatched_events,
        money: money(map, log, range),
    }
}

/// A copy of `map` whose data-bound metrics (`MetricSource::Data`) carry the
/// values measured in `comparison`; manual metrics are left alone. A
/// conversion rate goes in as a percentage (41.0) when the metric's unit is
/// `Percent`, as a fraction (0.41) otherwise. A value that cannot be measured
/// becomes `None`.
pub fn fill_data_metrics(map: &JourneyMap, comparison: &Comparison) -> JourneyMap {
    let mut map = map.clone();
    for (index, tp) in map.touchpoints.iter_mut().enumerate() {
        // Stats come in map order; look further only if the map has changed.
        let stats = comparison
            .touchpoints
            .get(index)
            .filter(|s| s.id == tp.id)
            .or_else(|| comparison.touchpoints.iter().find(|s| s.id == tp.id));
        for metric in &mut tp.metrics {
            let MetricSource::Data(measure) = metric.source else {
                continue;
            };
            metric.value = stats.and_then(|s| match measure {
                DataMeasure::PeopleReached => Some(s.people_reached as f64),
                DataMeasure::ConversionRate => s
                    .conversion_rate
                    .map(|r| if metric.unit == Unit::Percent { r * 100.0 } else { r }),
                DataMeasure::CostPerConversion => s.cost_per_conversion,
            });
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::event_log::EventLogBuilder;
    use crate::model::*;
    use chrono::{TimeZone, Utc};

    fn touchpoint(id: u32, stage: u32, name: &str, matchers: &[(&str, Option<&str>)]) -> Touchpoint {
        let mut tp = Touchpoint::new(TouchpointId(id), StageId(stage), name);
        tp.matchers = matchers
            .iter()
            .map(|&(e, c)| EventMatcher {
                event: e.to_owned(),
                channel: c.map(str::to_owned),
            })
            .collect();
        tp
    }

    fn link(id: u32, from: u32, to: u32) -> Link {
        Link {
            id: LinkId(id),
            from: TouchpointId(from),
            to: TouchpointId(to),
            label: String::new(),
            expected: false,
        }
    }

    /// Awareness (stage 10: Ad 20, Blog 21) -> Consideration (stage 11:
    /// Demo 22, Webinar 23) -> Conversion (stage 12: Buy 24), and an
    /// unmapped stage 13 (Support 25). Links Ad->Demo, Demo->Buy,
    /// Webinar->Buy.
    fn map() -> JourneyMap {
        let t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let fs = |id, name: &str| FunnelStage {
            id: FunnelStageId(id),
            name: name.into(),
            color: Rgb(0, 0, 0),
        };
        let stage = |id, fs: Option<u32>| Stage {
            id: StageId(id),
            name: format!("s{id}"),
            description: String::new(),
            funnel_stage: fs.map(FunnelStageId),
            notes: vec![],
        };
        JourneyMap {
            format_version: 1,
            title: "t".into(),
            description: String::new(),
            created: t,
            modified: t,
            currency: "USD".into(),
            personas: vec![],
            funnel: FunnelModel {
                name: "basic".into(),
                stages: vec![fs(1, "Awareness"), fs(2, "Consideration"), fs(3, "Conversion")],
            },
            stages: vec![
                stage(10, Some(1)),
                stage(11, Some(2)),
                stage(12, Some(3)),
                stage(13, None),
            ],
            touchpoints: vec![
                touchpoint(20, 10, "Ad", &[("ad_click", None)]),
                touchpoint(21, 10, "Blog", &[("page_view", Some("blog")), ("blog_read", None)]),
                touchpoint(22, 11, "Demo", &[("demo_booked", None)]),
                touchpoint(23, 11, "Webinar", &[("webinar", None)]),
                touchpoint(24, 12, "Buy", &[("purchase", None)]),
                touchpoint(25, 13, "Support", &[("ticket", None)]),
            ],
            links: vec![link(30, 20, 22), link(31, 22, 24), link(32, 23, 24)],
        }
    }

    /// Rows are (person, time, event, channel, cost).
    fn log_of(rows: &[(&str, i64, &str, Option<&str>, f64)]) -> EventLog {
        let mut b = EventLogBuilder::default();
        for &(p, t, e, c, cost) in rows {
            b.push(p, t, e, c, cost, 0.0);
        }
        b.build()
    }

    fn log() -> EventLog {
        log_of(&[
            // ann: the designed path.
            ("ann", 1, "ad_click", Some("ads"), 2.0),
            ("ann", 2, "demo_booked", None, 0.0),
            ("ann", 3, "purchase", None, 0.0),
            // bob: blog, then straight to a purchase (no link Blog->Buy).
            ("bob", 1, "page_view", Some("blog"), 0.0),
            ("bob", 2, "page_view", Some("search"), 0.0), // meets nothing
            ("bob", 3, "purchase", None, 0.0),
            // cat: enters at the demo, buys, then clicks an ad.
            ("cat", 1, "demo_booked", None, 0.0),
            ("cat", 2, "purchase", None, 0.0),
            ("cat", 3, "ad_click", Some("ads"), 3.0),
            // dan: clicks an ad, files a ticket, never converts.
            ("dan", 1, "ad_click", Some("ads"), 1.0),
            ("dan", 2, "ticket", None, 0.0),
            ("dan", 3, "newsletter", None, 0.0),
        ])
    }

    fn stats<'a>(c: &'a Comparison, name: &str) -> &'a TouchpointStats {
        c.touchpoints.iter().find(|t| t.name == name).unwrap()
    }

    #[test]
    fn reach_conversion_and_cost_per_touchpoint() {
        let c = compare(&map(), &log(), 0.05);
        assert_eq!((c.people, c.events, c.matched_events), (4, 12, 10));
        let ad = stats(&c, "Ad");
        assert_eq!((ad.events, ad.people_reached, ad.conversions), (3, 3, 1));
        // cat's click came after her purchase: no conversion after it.
        assert_eq!(ad.conversion_rate, Some(1.0 / 3.0));
        assert_eq!(ad.cost, 6.0);
        assert_eq!(ad.cost_per_conversion, Some(6.0));
        let buy = stats(&c, "Buy");
        assert_eq!((buy.people_reached, buy.conversion_rate), (3, Some(1.0)));
        // Nothing paid for at Buy: no cost data, so no cost per conversion.
        assert_eq!(buy.cost_per_conversion, None);
        let webinar = stats(&c, "Webinar");
        assert_eq!((webinar.people_reached, webinar.conversion_rate), (0, None));
        assert_eq!(webinar.cost_per_conversion, None);
        assert_eq!(c.unmet_touchpoints, [TouchpointId(23)]);
        // The map's funnel, in order: everyone is aware; only ann went on
        // from awareness to consideration to conversion (cat's ad came
        // last, bob skipped consideration).
        let reached: Vec<_> = c.funnel_stages.iter().map(|s| s.people_reached).collect();
        assert_eq!(reached, [4, 1, 1]);
        let (staged, spec) = map_funnel(&map(), &log(), DEFAULT_WINDOW_MS);
        let funnel: Vec<_> = crate::analysis::funnel(&staged, &spec)
            .steps
            .iter()
            .map(|s| s.reached)
            .collect();
        assert_eq!(reached, funnel);
    }

    #[test]
    fn funnel_stage_reach_honours_the_window() {
        let log = log_of(&[
            ("ann", 0, "ad_click", None, 0.0),
            ("ann", 10, "demo_booked", None, 0.0),
            ("ann", 30, "purchase", None, 0.0),
        ]);
        let reached = |window| -> Vec<u64> {
            let c = compare_within(&map(), &log, 0.05, window);
            c.funnel_stages.iter().map(|s| s.people_reached).collect()
        };
        assert_eq!(reached(30), [1, 1, 1]);
        assert_eq!(reached(29), [1, 1, 0]);
        assert_eq!(compare_within(&map(), &log, 0.05, 29).window_seconds, 0.029);
    }

    #[test]
    fn reach_and_drop_off_per_journey_stage() {
        let c = compare(&map(), &log(), 0.05);
        let reached: Vec<_> = c.stages.iter().map(|s| (s.name.as_str(), s.people_reached)).collect();
        // Ad or Blog: all four; Demo (Webinar met nobody): ann, cat; Buy:
        // ann, bob, cat; Support: dan.
        assert_eq!(reached, [("s10", 4), ("s11", 2), ("s12", 3), ("s13", 1)]);
        assert_eq!(c.stage_drop_off(StageId(10)), None);
        assert_eq!(c.stage_drop_off(StageId(11)), Some(0.5));
        // More people buy than booked a demo: a negative drop-off.
        assert_eq!(c.stage_drop_off(StageId(12)), Some(-0.5));
        assert_eq!(c.stage_drop_off(StageId(13)), Some(2.0 / 3.0));
        assert_eq!(c.stage(StageId(99)), None);
        assert_eq!(c.stage_drop_off(StageId(99)), None);
    }

    #[test]
    fn where_people_enter_the_funnel() {
        let c = compare(&map(), &log(), 0.05);
        // cat entered at Consideration; bob skipped it, which is allowed.
        let entered: Vec<_> = c.funnel_stages.iter().map(|s| s.entered_without_earlier).collect();
        assert_eq!(entered, [3, 1, 0]);
        assert_eq!(c.people_out_of_order, 1);

        // Conversion first, then Consideration, then Awareness: one person
        // who entered at Conversion, counted there alone, so the stages add
        // up to the people who entered below the top. Touching two stages
        // in one event counts as entering at the earlier one.
        let log = log_of(&[
            ("eve", 1, "purchase", None, 0.0),
            ("eve", 2, "demo_booked", None, 0.0),
            ("eve", 3, "ad_click", None, 0.0),
            ("gus", 1, "demo_booked", None, 0.0),
            ("gus", 2, "ad_click", None, 0.0),
            ("gus", 3, "purchase", None, 0.0),
        ]);
        let c = compare(&map(), &log, 0.05);
        let entered: Vec<_> = c.funnel_stages.iter().map(|s| s.entered_without_earlier).collect();
        assert_eq!(entered, [0, 1, 1]);
        assert_eq!(c.people_out_of_order, 2);
        assert_eq!(entered[1..].iter().sum::<u64>(), c.people_out_of_order);
        let mut m = map();
        m.touchpoints[2].matchers.push(EventMatcher {
            event: "ad_click".into(),
            channel: None,
        });
        let log = log_of(&[("fay", 1, "ad_click", None, 0.0)]);
        let c = compare(&m, &log, 0.05);
        assert_eq!(c.people_out_of_order, 0);
    }

    #[test]
    fn transitions_missing_and_unused_links() {
        let c = compare(&map(), &log(), 0.05);
        let moves: Vec<_> = c
            .transitions
            .iter()
            .map(|t| (t.from_name.as_str(), t.to_name.as_str(), t.count, t.on_map))
            .collect();
        assert_eq!(
            moves,
            [
                ("Demo", "Buy", 2, true),
                ("Ad", "Demo", 1, true),
                ("Ad", "Support", 1, false),
                ("Blog", "Buy", 1, false),
                ("Buy", "Ad", 1, false),
            ]
        );
        assert_eq!(c.transitions[2].share, 0.5);
        let missing: Vec<_> = c.missing_links.iter().map(|t| (t.from.0, t.to.0)).collect();
        assert_eq!(missing, [(20, 25), (21, 24), (24, 20)]);
        assert_eq!(c.unused_links, [LinkId(32)]);
        assert!(c.expected_unused_links.is_empty());
        // Kept on purpose: counted apart, no longer a finding.
        let mut m = map();
        m.links[2].expected = true;
        let kept = compare(&m, &log(), 0.05);
        assert!(kept.unused_links.is_empty());
        assert_eq!(kept.expected_unused_links, [LinkId(32)]);
        // A higher threshold keeps only moves that dominate their source.
        let c = compare(&map(), &log(), 0.5);
        let missing: Vec<_> = c.missing_links.iter().map(|t| (t.from.0, t.to.0)).collect();
        assert_eq!(missing, [(21, 24), (24, 20)]);
    }

    #[test]
    fn unmatched_events_by_name() {
        let c = compare(&map(), &log(), 0.05);
        let got: Vec<_> = c.unmatched_events.iter().map(|e| (e.event.as_str(), e.count)).collect();
        assert_eq!(got, [("newsletter", 1), ("page_view", 1)]);
    }

    #[test]
    fn matchers_with_channels_and_duplicates() {
        let mut m = map();
        // A second, narrower matcher on Ad must not make an event count twice,
        // and a channel the log lacks matches nothing.
        m.touchpoints[0].matchers.push(EventMatcher {
            event: "ad_click".into(),
            channel: Some("ads".into()),
        });
        m.touchpoints[1].matchers.push(EventMatcher {
            event: "ad_click".into(),
            channel: Some("tv".into()),
        });
        let log = log();
        let matcher = EventTouchpoints::new(&m, &log);
        let all: Vec<Vec<u32>> = (0..log.len()).map(|i| matcher.of(&log, i).collect()).collect();
        assert_eq!(all[0], [0]);
        assert_eq!(all[3], [1]); // page_view on blog
        assert!(all[4].is_empty()); // page_view on search
        let first = matcher.first_per_event(&log);
        assert_eq!(&first[..3], [Some(0), Some(2), Some(4)]);
        let c = compare(&m, &log, 0.05);
        assert_eq!(stats(&c, "Ad").events, 3);
    }

    #[test]
    fn fills_data_metrics_only() {
        let mut m = map();
        let metric = |id, name: &str, unit, source| Metric {
            id: MetricId(id),
            name: name.into(),
            value: Some(-1.0),
            unit,
            target: None,
            source,
        };
        m.touchpoints[0].metrics = vec![
            metric(40, "reach", Unit::Count, MetricSource::Data(DataMeasure::PeopleReached)),
            metric(41, "cr", Unit::Percent, MetricSource::Data(DataMeasure::ConversionRate)),
            metric(42, "cr", Unit::Count, MetricSource::Data(DataMeasure::ConversionRate)),
            metric(
                43,
                "cpc",
                Unit::Currency,
                MetricSource::Data(DataMeasure::CostPerConversion),
            ),
            metric(44, "typed", Unit::Count, MetricSource::Manual),
        ];
        m.touchpoints[3].metrics = vec![metric(
            45,
            "cpc",
            Unit::Currency,
            MetricSource::Data(DataMeasure::CostPerConversion),
        )];
        let c = compare(&m, &log(), 0.05);
        let filled = fill_data_metrics(&m, &c);
        let values: Vec<_> = filled.touchpoints[0].metrics.iter().map(|x| x.value).collect();
        assert_eq!(
            values,
            [
                Some(3.0),
                Some(1.0 / 3.0 * 100.0),
                Some(1.0 / 3.0),
                Some(6.0),
                Some(-1.0)
            ]
        );
        assert_eq!(filled.touchpoints[3].metrics[0].value, None);
        assert_eq!(
            m.touchpoints[0].metrics[0].value,
            Some(-1.0),
            "the original is untouched"
        );
    }

    #[test]
    fn without_a_mapped_last_stage_conversion_is_unknown() {
        let mut m = map();
        m.stages[2].funnel_stage = None;
        let c = compare(&m, &log(), 0.05);
        assert_eq!(stats(&c, "Ad").conversion_rate, None);
        assert_eq!(stats(&c, "Ad").cost_per_conversion, None);
    }

    /// The events a part may leave out: meeting no touchpoint, without
    /// money, and not a person's first of its channel (or without one).
    #[test]
    fn a_part_with_the_whole_logs_counts_compares_as_the_whole() {
        let rows = [
            ("eve", 0, "newsletter", None, 0.0), // eve has nothing else
            ("ann", 1, "ad_click", Some("ads"), 0.1),
            ("ann", 1, "newsletter", Some("ads"), 0.0), // ads again
            ("ann", 2, "demo_booked", None, 0.2),
            ("ann", 2, "newsletter", None, 0.0),
            ("ann", 3, "purchase", Some("web"), 0.0),
            ("ann", 4, "newsletter", Some("mail"), 0.0), // first of mail: kept
            ("bob", 1, "page_view", Some("search"), 0.0),
            ("bob", 2, "newsletter", Some("search"), 0.0),
            ("bob", 3, "refund", None, 0.0),
            ("bob", 3, "newsletter", None, 0.7), // money: kept
            ("bob", 4, "purchase", None, 0.0),
            ("dan", 1, "ad_click", Some("ads"), 0.3),
            ("dan", 2, "ticket", None, 0.0),
            ("dan", 9, "newsletter", None, 0.0),
        ];
        let droppable = [0, 2, 4, 8, 9, 14];
        let whole = log_of(&rows);
        let part_rows: Vec<_> = (0..rows.len())
            .filter(|i| !droppable.contains(i))
            .map(|i| rows[i])
            .collect();
        let part = log_of(&part_rows);
        let full = compare(&map(), &whole, 0.05);
        let counts = WholeLog {
            people: full.people,
            events: full.events,
            unmatched_events: full.unmatched_events.iter().rev().cloned().collect(),
            range: DayRange::of_log(&whole),
        };
        assert_ne!(compare(&map(), &part, 0.05), full, "the part alone falls short");
        assert_eq!(compare_part(&map(), &part, &counts, 0.05, DEFAULT_WINDOW_MS), full);
        assert_eq!(full.money.total.people_reached, 4);
    }

    /// 100,000 touchpoints, each met by its own event: a table of every
    /// pair of them would take 80 GB. People walk short chains of them.
    #[test]
    fn thousands_of_touchpoints_count_only_the_moves_people_make() {
        const N: u32 = 100_000;
        let mut m = map();
        m.touchpoints = (0..N)
            .map(|i| touchpoint(1000 + i, 10 + i % 3, &format!("T{i}"), &[(&format!("e{i}"), None)]))
            .collect();
        // Linked: each chain's first step; the link 0 -> 2 nobody follows.
        m.links = vec![link(5, 1000, 1001), link(6, 1000, 1002)];
        let mut rows = Vec::new();
        let names: Vec<String> = (0..N).map(|i| format!("e{i}")).collect();
        let people: Vec<String> = (0..N / 10).map(|p| format!("p{p}")).collect();
        for (p, person) in people.iter().enumerate() {
            // Person p meets touchpoints 10p, 10p + 1, 10p + 2; everyone
            // also goes 0 -> 1 first.
            let start = p as u32 * 10;
            for (t, tp) in [0, 1, start, start + 1, start + 2].into_iter().enumerate() {
                rows.push((person.as_str(), t as i64, names[tp as usize].as_str(), None, 0.0));
            }
        }
        let c = compare(&m, &log_of(&rows), 0.05);
        assert_eq!(c.matched_events, u64::from(N / 10 * 5));
        let first = &c.transitions[0];
        // Everyone's 0 -> 1, the first person's twice (0 -> 1 -> 0 -> 1).
        assert_eq!(
            (first.from.0, first.to.0, first.count, first.on_map),
            (1000, 1001, N as u64 / 10 + 1, true)
        );
        assert_eq!(c.transitions.len() as u32, 2 + 3 * (N / 10 - 1) + 1);
        let chain = c
            .transitions
            .iter()
            .find(|t| t.from.0 == 1000 + 50 && t.to.0 == 1000 + 51)
            .unwrap();
        assert_eq!((chain.count, chain.share, chain.on_map), (1, 1.0, false));
        assert_eq!(c.unused_links, [LinkId(6)]);
        assert_eq!(c.unmet_touchpoints.len() as u32, N - N / 10 * 3);
    }
}
