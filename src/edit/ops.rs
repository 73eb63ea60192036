//! The edits a user makes, built from primitives against the current map.
//! Each returns `None` when it does not apply (an id that is gone), so UI
//! code can call them without checking first.

use std::collections::{HashMap, HashSet};

use super::command::Edit;
use crate::model::*;

fn stage_index(map: &JourneyMap, id: StageId) -> Option<usize> {
    map.stages.iter().position(|s| s.id == id)
}

fn tp_index(map: &JourneyMap, id: TouchpointId) -> Option<usize> {
    map.touchpoints.iter().position(|t| t.id == id)
}

/// A new stage named `name` at `index` of the spine.
pub fn add_stage(map: &JourneyMap, index: usize, name: &str) -> Edit {
    let stage = Stage {
        id: StageId(map.next_id()),
        name: name.to_owned(),
        description: String::new(),
        funnel_stage: None,
        notes: Vec::new(),
    };
    Edit::InsertStage {
        index: index.min(map.stages.len()),
        stage,
    }
}

/// Replaces a stage with `change` applied to a copy of it.
pub fn update_stage(map: &JourneyMap, id: StageId, change: impl FnOnce(&mut Stage)) -> Option<Edit> {
    let index = stage_index(map, id)?;
    let mut stage = map.stages[index].clone();
    change(&mut stage);
    (stage != map.stages[index]).then_some(Edit::ReplaceStage { index, stage })
}

pub fn move_stage(map: &JourneyMap, id: StageId, to: usize) -> Option<Edit> {
    let from = stage_index(map, id)?;
    let to = to.min(map.stages.len() - 1);
    (from != to).then_some(Edit::MoveStage { from, to })
}

/// Deletes stages with their touchpoints and every link touching those.
pub fn delete_stages(map: &JourneyMap, ids: &[StageId]) -> Option<Edit> {
    let ids: HashSet<StageId> = ids
        .iter()
        .copied()
        .filter(|id| stage_index(map, *id).is_some())
        .collect();
    if ids.is_empty() {
        return None;
    }
    let tps: Vec<TouchpointId> = map
        .touchpoints
        .iter()
        .filter(|t| ids.contains(&t.stage))
        .map(|t| t.id)
        .collect();
    let mut edits = delete_touchpoints_edits(map, &tps);
    let mut indices: Vec<usize> = ids.iter().filter_map(|id| stage_index(map, *id)).collect();
    indices.sort_unstable_by(|a, b| b.cmp(a));
    edits.extend(indices.into_iter().map(|index| Edit::RemoveStage { index }));
    Some(Edit::Batch(edits))
}

/// A new touchpoint at the end of `stage`.
pub fn add_touchpoint(map: &JourneyMap, stage: StageId, name: &str) -> Option<Edit> {
    stage_index(map, stage)?;
    let touchpoint = Touchpoint::new(TouchpointId(map.next_id()), stage, name);
    let index = map
        .touchpoints
        .iter()
        .rposition(|t| t.stage == stage)
        .map_or(map.touchpoints.len(), |i| i + 1);
    Some(Edit::InsertTouchpoint {
        index,
        touchpoint: Box::new(touchpoint),
    })
}

/// Replaces a touchpoint with `change` applied to a copy of it. The id
/// cannot change: links refer to it.
pub fn update_touchpoint(map: &JourneyMap, id: TouchpointId, change: impl FnOnce(&mut Touchpoint)) -> Option<Edit> {
    let index = tp_index(map, id)?;
    let mut tp = map.touchpoints[index].clone();
    change(&mut tp);
    tp.id = id;
    (tp != map.touchpoints[index]).then(|| Edit::ReplaceTouchpoint {
        index,
        touchpoint: Box::new(tp),
    })
}

/// Moves a touchpoint to `position` among the touchpoints of `stage`
/// (past the end means last).
pub fn move_touchpoint(map: &JourneyMap, id: TouchpointId, stage: StageId, position: usize) -> Option<Edit> {
    let from = tp_index(map, id)?;
    stage_index(map, stage)?;
    // Indices in the list as it is once the touchpoint has been taken out.
    let others: Vec<usize> = map
        .touchpoints
        .iter()
        .enumerate()
        .filter(|(i, t)| *i != from && t.stage == stage)
        .map(|(i, _)| if i > from { i - 1 } else { i })
        .collect();
    let to = match others.get(position) {
        Some(&i) => i,
        None => others.last().map_or(map.touchpoints.len() - 1, |&i| i + 1),
    };
    let unchanged = to == from && map.touchpoints[from].stage == stage;
    (!unchanged).then_some(Edit::MoveTouchpoint { from, to, stage })
}

fn delete_touchpoints_edits(map: &JourneyMap, ids: &[TouchpointId]) -> Vec<Edit> {
    let ids: HashSet<TouchpointId> = ids.iter().copied().collect();
    let mut edits: Vec<Edit> = map
        .links
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, l)| ids.contains(&l.from) || ids.contains(&l.to))
        .map(|(index, _)| Edit::RemoveLink { index })
        .collect();
    edits.extend(
        map.touchpoints
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, t)| ids.contains(&t.id))
            .map(|(index, _)| Edit::RemoveTouchpoint { index }),
    );
    edits
}

/// Deletes touchpoints and every link touching them.
pub fn delete_touchpoints(map: &JourneyMap, ids: &[TouchpointId]) -> Option<Edit> {
    let edits = delete_touchpoints_edits(map, ids);
    (!edits.is_empty()).then_some(Edit::Batch(edits))
}

/// A link from one touchpoint to another; `None` for a link to itself or
/// one that already exists.
pub fn connect(map: &JourneyMap, from: TouchpointId, to: TouchpointId) -> Option<Edit> {
    if from == to || tp_index(map, from).is_none() || tp_index(map, to).is_none() {
        return None;
    }
    if map.links.iter().any(|l| l.from == from && l.to == to) {
        return None;
    }
    let link = Link {
        id: LinkId(map.next_id()),
        from,
        to,
        label: String::new(),
        expected: false,
    };
    Some(Edit::InsertLink {
        index: map.links.len(),
        link,
    })
}

pub fn delete_links(map: &JourneyMap, ids: &[LinkId]) -> Option<Edit> {
    let edits: Vec<Edit> = map
        .links
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, l)| ids.contains(&l.id))
        .map(|(index, _)| Edit::RemoveLink { index })
        .collect();
    (!edits.is_empty()).then_some(Edit::Batch(edits))
}

pub fn update_link(map: &JourneyMap, id: LinkId, change: impl FnOnce(&mut Link)) -> Option<Edit> {
    let index = map.links.iter().position(|l| l.id == id)?;
    let mut link = map.links[index].clone();
    change(&mut link);
    link.id = id;
    (link != map.links[index]).then_some(Edit::ReplaceLink { index, link })
}

/// Touchpoints and the links among them, as copied to the clipboard.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Clip {
    pub touchpoints: Vec<Touchpoint>,
    pub links: Vec<Link>,
}

pub fn copy(map: &JourneyMap, ids: &[TouchpointId]) -> Clip {
    let set: HashSet<TouchpointId> = ids.iter().copied().collect();
    Clip {
        touchpoints: map
            .touchpoints
            .iter()
            .filter(|t| set.contains(&t.id))
            .cloned()
            .collect(),
        links: map
            .links
            .iter()
            .filter(|l| set.contains(&l.from) && set.contains(&l.to))
            .cloned()
            .collect(),
    }
}

/// Inserts copies of the clip's touchpoints at the end of `stage`, with new
/// ids everywhere (touchpoints, their metrics and efforts, the links among
/// them). Returns the edit and the new touchpoints' ids, to select them.
pub fn paste(map: &JourneyMap, clip: &Clip, stage: StageId) -> Option<(Edit, Vec<TouchpointId>)> {
    if clip.touchpoints.is_empty() {
        return None;
    }
    stage_index(map, stage)?;
    let mut next = map.next_id();
    let mut fresh = || {
        next += 1;
        next - 1
    };
    let mut renamed = HashMap::new();
    let first = map
        .touchpoints
        .iter()
        .rposition(|t| t.stage == stage)
        .map_or(map.touchpoints.len(), |i| i + 1);
    let mut edits = Vec::new();
    let mut ids = Vec::new();
    for (k, tp) in clip.touchpoints.iter().enumerate() {
        let mut tp = tp.clone();
        let id = TouchpointId(fresh());
        renamed.insert(tp.id, id);
        tp.id = id;
        tp.stage = stage;
        tp.metrics.iter_mut().for_each(|m| m.id = MetricId(fresh()));
        tp.efforts.iter_mut().for_each(|e| e.id = EffortId(fresh()));
        ids.push(id);
        edits.push(Edit::InsertTouchpoint {
            index: first + k,
            touchpoint: Box::new(tp),
        });
    }
    let mut link_index = map.links.len();
    for link in &clip.links {
        let (Some(&from), Some(&to)) = (renamed.get(&link.from), renamed.get(&link.to)) else {
            continue;
        };
        edits.push(Edit::InsertLink {
            index: link_index,
            link: Link {
                id: LinkId(fresh()),
                from,
                to,
                label: link.label.clone(),
                expected: link.expected,
            },
        });
        link_index += 1;
    }
    Some((Edit::Batch(edits), ids))
}

/// Copies of touchpoints placed right after each original, in its stage.
pub fn duplicate(map: &JourneyMap, ids: &[TouchpointId]) -> Option<(Edit, Vec<TouchpointId>)> {
    let mut next = map.next_id();
    let mut edits = Vec::new();
    let mut new_ids = Vec::new();
    // Insert from the back so earlier indices stay valid.
    let mut targets: Vec<usize> = ids.iter().filter_map(|id| tp_index(map, *id)).collect();
    targets.sort_unstable_by(|a, b| b.cmp(a));
    targets.dedup();
    for index in targets {
        let mut tp = map.touchpoints[index].clone();
        tp.id = TouchpointId(next);
        next += 1;
        for m in &mut tp.metrics {
            m.id = MetricId(next);
            next += 1;
        }
        for e in &mut tp.efforts {
            e.id = EffortId(next);
            next += 1;
        }
        tp.name = format!("{} (copy)", tp.name);
        new_ids.push(tp.id);
        edits.push(Edit::InsertTouchpoint {
            index: index + 1,
            touchpoint: Box::new(tp),
        });
    }
    (!edits.is_empty()).then_some((Edit::Batch(edits), new_ids))
}

/// A sticky note on a stage.
pub fn add_note(map: &JourneyMap, stage: StageId, text: &str) -> Option<Edit> {
    capture(map, stage, IdeaKind::Note, text)
}

/// What the room says about a stage, captured as a note of `kind`: a pain
/// point, an opportunity or a plain note. Blank text captures nothing.
pub fn capture(map: &JourneyMap, stage: StageId, kind: IdeaKind, text: &str) -> Option<Edit> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let id = NoteId(map.next_id());
    update_stage(map, stage, |s| {
        s.notes.push(Note {
            kind,
            ..Note::new(id, text)
        })
    })
}

/// Adds `delta` dot votes to an idea (negative takes them back; never below
/// none). `None` when the idea is gone or nothing would change.
pub fn vote(map: &JourneyMap, target: IdeaRef, delta: i32) -> Option<Edit> {
    let now = crate::model::idea::votes(map, target)?;
    let new = now.saturating_add_signed(delta);
    if new == now {
        return None;
    }
    match target {
        IdeaRef::Note { stage, note } => update_stage(map, stage, |s| {
            if let Some(n) = s.notes.iter_mut().find(|n| n.id == note) {
                n.votes = new;
            }
        }),
        IdeaRef::PainPoint { touchpoint, index } => {
            update_touchpoint(map, touchpoint, |t| t.pain_points[index].votes = new)
        }
        IdeaRef::Opportunity { touchpoint, index } => {
            update_touchpoint(map, touchpoint, |t| t.opportunities[index].votes = new)
        }
    }
}

/// Switches the funnel model. Stages mapped to a funnel stage that the new
/// model lacks (by id) lose their mapping, in the same undo step.
pub fn set_funnel(map: &JourneyMap, funnel: FunnelModel) -> Edit {
    let mut edits = Vec::new();
    for (index, stage) in map.stages.iter().enumerate() {
        if let Some(fs) = stage.funnel_stage
            && !funnel.stages.iter().any(|s| s.id == fs)
        {
            let mut stage = stage.clone();
            stage.funnel_stage = None;
            edits.push(Edit::ReplaceStage { index, stage });
        }
    }
    edits.push(Edit::SetFunnel(funnel));
    Edit::Batch(edits)
}

/// Makes events named `event` (from any channel) meet a touchpoint. `None`
/// when it already has that matcher.
pub fn add_matcher(map: &JourneyMap, touchpoint: TouchpointId, event: &str) -> Option<Edit> {
    update_touchpoint(map, touchpoint, |t| {
        let matcher = EventMatcher {
            event: event.to_owned(),
            channel: None,
        };
        if !t.matchers.contains(&matcher) {
            t.matchers.push(matcher);
        }
    })
}

/// A new touchpoint at the end of `stage`, named `name`, met by events named
/// `event`.
pub fn add_touchpoint_for_event(map: &JourneyMap, stage: StageId, name: &str, event: &str) -> Option<Edit> {
    let mut edit = add_touchpoint(map, stage, name)?;
    if let Edit::InsertTouchpoint { touchpoint, .. } = &mut edit {
        touchpoint.matchers.push(EventMatcher {
            event: event.to_owned(),
            channel: None,
        });
    }
    Some(edit)
}

/// Marks a link as kept on purpose (`expected`) or not.
pub fn expect_link(map: &JourneyMap, id: LinkId, expected: bool) -> Option<Edit> {
    update_link(map, id, |l| l.expected = expected)
}

/// Makes a typed-in metric measured from the data as `measure`. The typed
/// value stays in the file until the data fills it in; undo brings back the
/// metric as it was.
pub fn bind_metric(map: &JourneyMap, touchpoint: TouchpointId, metric: MetricId, measure: DataMeasure) -> Option<Edit> {
    update_touchpoint(map, touchpoint, |t| {
        if let Some(m) = t.metrics.iter_mut().find(|m| m.id == metric) {
            m.source = MetricSource::Data(measure);
        }
    })
}
