//! Problems a map can have that its file format cannot rule out: broken
//! references, repeated ids, values out of range. `journeymap check` prints
//! them; the app shows them without refusing to open the map. Warnings are
//! maps that are sound but may not count what their author means; `check`
//! prints them too, without failing.

use std::collections::HashSet;
use std::fmt;

use super::map::{EMOTION_RANGE, JourneyMap};

#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    DuplicateId {
        kind: &'static str,
        id: u32,
    },
    UnknownStage {
        touchpoint: String,
        stage: u32,
    },
    UnknownFunnelStage {
        stage: String,
        funnel_stage: u32,
    },
    DanglingLink {
        link: u32,
        end: &'static str,
        touchpoint: u32,
    },
    EmotionOutOfRange {
        touchpoint: String,
        emotion: i8,
    },
    NegativeBudget {
        touchpoint: String,
        effort: String,
        budget: f64,
    },
    EffortEndsBeforeStart {
        touchpoint: String,
        effort: String,
    },
    /// NaN or infinite: RON reads `NaN` and `inf` into numbers, and they
    /// would show up as "NaN USD" in exports.
    NotANumber {
        touchpoint: String,
        /// "effort" or "metric".
        kind: &'static str,
        name: String,
        field: &'static str,
        value: f64,
    },
    EmptyFunnel,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::DuplicateId { kind, id } => write!(f, "duplicate {kind} id {id}"),
            Problem::UnknownStage { touchpoint, stage } => {
                write!(f, "touchpoint {touchpoint:?} is in stage {stage}, which does not exist")
            }
            Problem::UnknownFunnelStage { stage, funnel_stage } => write!(
                f,
                "stage {stage:?} is mapped to funnel stage {funnel_stage}, which the funnel model does not have"
            ),
            Problem::DanglingLink { link, end, touchpoint } => {
                write!(f, "link {link} {end} touchpoint {touchpoint}, which does not exist")
            }
            Problem::EmotionOutOfRange { touchpoint, emotion } => write!(
                f,
                "touchpoint {touchpoint:?} has emotion {emotion}; emotions run from {} to +{}",
                EMOTION_RANGE.start(),
                EMOTION_RANGE.end()
            ),
            Problem::NegativeBudget {
                touchpoint,
                effort,
                budget,
            } => {
                write!(
                    f,
                    "effort {effort:?} on touchpoint {touchpoint:?} has a negative budget ({budget})"
                )
            }
            Problem::EffortEndsBeforeStart { touchpoint, effort } => {
                write!(
                    f,
                    "effort {effort:?} on touchpoint {touchpoint:?} ends before it starts"
                )
            }
            Problem::NotANumber {
                touchpoint,
                kind,
                name,
                field,
                value,
            } => write!(
                f,
                "{kind} {name:?} on touchpoint {touchpoint:?} has {field} {value}, which is not an ordinary number"
            ),
            Problem::EmptyFunnel => write!(f, "the funnel model has no stages"),
        }
    }
}

/// Every problem in the map, in a stable order (the order of the file).
pub fn check(map: &JourneyMap) -> Vec<Problem> {
    let mut problems = Vec::new();

    let mut unique = |kind: &'static str, ids: &mut dyn Iterator<Item = u32>| {
        let mut seen = HashSet::new();
        for id in ids {
            if !seen.insert(id) {
                problems.push(Problem::DuplicateId { kind, id });
            }
        }
    };
    unique("persona", &mut map.personas.iter().map(|p| p.id.0));
    unique("funnel stage", &mut map.funnel.stages.iter().map(|s| s.id.0));
    unique("stage", &mut map.stages.iter().map(|s| s.id.0));
    unique("note", &mut map.stages.iter().flat_map(|s| &s.notes).map(|n| n.id.0));
    unique("touchpoint", &mut map.touchpoints.iter().map(|t| t.id.0));
    unique(
        "effort",
        &mut map.touchpoints.iter().flat_map(|t| &t.efforts).map(|e| e.id.0),
    );
    unique(
        "metric",
        &mut map.touchpoints.iter().flat_map(|t| &t.metrics).map(|m| m.id.0),
    );
    unique("link", &mut map.links.iter().map(|l| l.id.0));

    if map.funnel.stages.is_empty() {
        problems.push(Problem::EmptyFunnel);
    }
    for stage in &map.stages {
        if let Some(fs) = stage.funnel_stage
            && map.funnel_stage(fs).is_none()
        {
            problems.push(Problem::UnknownFunnelStage {
                stage: stage.name.clone(),
                funnel_stage: fs.0,
            });
        }
    }
    for tp in &map.touchpoints {
        if map.stage(tp.stage).is_none() {
            problems.push(Problem::UnknownStage {
                touchpoint: tp.name.clone(),
                stage: tp.stage.0,
            });
        }
        if !EMOTION_RANGE.contains(&tp.emotion) {
            problems.push(Problem::EmotionOutOfRange {
                touchpoint: tp.name.clone(),
                emotion: tp.emotion,
            });
        }
        let not_a_number = |kind, name: &str, field, value: Option<f64>| {
            value.filter(|v| !v.is_finite()).map(|value| Problem::NotANumber {
                touchpoint: tp.name.clone(),
                kind,
                name: name.to_owned(),
                field,
                value,
            })
        };
        for effort in &tp.efforts {
            problems.extend(not_a_number("effort", &effort.name, "budget", effort.budget));
            // An infinite budget is reported above, not again as negative.
            if let Some(budget) = effort.budget
                && budget < 0.0
                && budget.is_finite()
            {
                problems.push(Problem::NegativeBudget {
                    touchpoint: tp.name.clone(),
                    effort: effort.name.clone(),
                    budget,
                });
            }
            if let (Some(start), Some(end)) = (effort.start, effort.end)
                && end < start
            {
                problems.push(Problem::EffortEndsBeforeStart {
                    touchpoint: tp.name.clone(),
                    effort: effort.name.clone(),
                });
            }
        }
        for metric in &tp.metrics {
            problems.extend(not_a_number("metric", &metric.name, "value", metric.value));
            problems.extend(not_a_number("metric", &metric.name, "target", metric.target));
        }
    }
    for link in &map.links {
        for (end, id) in [("starts at", link.from), ("ends at", link.to)] {
            if map.touchpoint(id).is_none() {
                problems.push(Problem::DanglingLink {
                    link: link.id.0,
                    end,
                    touchpoint: id.0,
                });
            }
        }
    }
    problems
}

/// Something legal in a map that may not measure what its author means.
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// Touchpoints of different funnel stages match the same events (one
    /// event name, and the same channel or either without one): such an
    /// event may count for either stage.
    SharedMatcher {
        event: String,
        /// The narrower channel of the two matchers, if any.
        channel: Option<String>,
        first: String,
        first_stage: String,
        second: String,
        second_stage: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::SharedMatcher {
                event,
                channel,
                first,
                first_stage,
                second,
                second_stage,
            } => {
                let on = channel
                    .as_ref()
                    .map(|c| format!(" on channel {c:?}"))
                    .unwrap_or_default();
                write!(
                    f,
                    "event {event:?}{on} matches touchpoint {first:?} (funnel stage {first_stage:?}) \
                     and touchpoint {second:?} (funnel stage {second_stage:?}); \
                     one such event counts for one of the two stages, whichever carries the person further"
                )
            }
        }
    }
}

/// Every warning about the map, in the order of the file: one per pair of
/// touchpoints of different funnel stages that share a matcher (the first
/// matcher they share).
pub fn warnings(map: &JourneyMap) -> Vec<Warning> {
    let funnel_stage = |tp: &super::map::Touchpoint| {
        let fs = map.stage(tp.stage)?.funnel_stage?;
        map.funnel_stage(fs).map(|f| f.name.clone())
    };
    let staged: Vec<_> = map
        .touchpoints
        .iter()
        .filter_map(|tp| Some((tp, funnel_stage(tp)?)))
        .collect();
    let mut out = Vec::new();
    for (i, (a, a_stage)) in staged.iter().enumerate() {
        for (b, b_stage) in &staged[i + 1..] {
            if a_stage == b_stage {
                continue;
            }
            let shared = a.matchers.iter().find_map(|m| {
                b.matchers.iter().find_map(|n| {
                    let overlap =
                        m.event == n.event && (m.channel.is_none() || n.channel.is_none() || m.channel == n.channel);
                    overlap.then(|| (m.event.clone(), m.channel.clone().or_else(|| n.channel.clone())))
                })
            });
            if let Some((event, channel)) = shared {
                out.push(Warning::SharedMatcher {
                    event,
                    channel,
                    first: a.name.clone(),
                    first_stage: a_stage.clone(),
                    second: b.name.clone(),
                    second_stage: b_stage.clone(),
                });
            }
        }
    }
    out
}
