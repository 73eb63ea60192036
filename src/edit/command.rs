//! Primitive edits of a map. Applying one returns its exact inverse, so undo
//! never has to reason about what an edit did: it applies what came back.
//!
//! Primitives are few and dumb (insert, remove, replace, move); the editing
//! operations a user sees (delete a stage with its touchpoints and links,
//! duplicate, paste, ...) are built from them in `ops` as `Batch`es.

use crate::model::{FunnelModel, JourneyMap, Link, Persona, Stage, StageId, Touchpoint};

#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    SetTitle(String),
    SetDescription(String),
    SetCurrency(String),
    SetPersonas(Vec<Persona>),
    SetFunnel(FunnelModel),
    InsertStage {
        index: usize,
        stage: Stage,
    },
    RemoveStage {
        index: usize,
    },
    /// Replaces the stage at `index` (name, description, funnel mapping, notes).
    ReplaceStage {
        index: usize,
        stage: Stage,
    },
    MoveStage {
        from: usize,
        to: usize,
    },
    InsertTouchpoint {
        index: usize,
        touchpoint: Box<Touchpoint>,
    },
    RemoveTouchpoint {
        index: usize,
    },
    /// Replaces every field of the touchpoint at `index`, its stage included.
    ReplaceTouchpoint {
        index: usize,
        touchpoint: Box<Touchpoint>,
    },
    /// Moves the touchpoint at `from` to position `to` of the list and into `stage`.
    MoveTouchpoint {
        from: usize,
        to: usize,
        stage: StageId,
    },
    InsertLink {
        index: usize,
        link: Link,
    },
    RemoveLink {
        index: usize,
    },
    ReplaceLink {
        index: usize,
        link: Link,
    },
    /// Applied in order; undone in reverse order.
    Batch(Vec<Edit>),
}

/// The one thing an edit writes, when it writes exactly one: a field of the
/// map, or the stage, touchpoint or link at an index. An insert writes the
/// thing at its index, so renaming a just-added touchpoint overwrites what
/// adding it wrote, and the two can be one undo step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Footprint {
    Title,
    Description,
    Currency,
    Personas,
    Funnel,
    Stage(usize),
    Touchpoint(usize),
    Link(usize),
}

/// An edit that does not fit the map it is applied to (an index past the
/// end). Edits built by `ops` from the current map never produce one.
#[derive(Debug, PartialEq)]
pub struct OutOfRange;

fn check(index: usize, len: usize) -> Result<(), OutOfRange> {
    if index < len { Ok(()) } else { Err(OutOfRange) }
}

fn check_insert(index: usize, len: usize) -> Result<(), OutOfRange> {
    if index <= len { Ok(()) } else { Err(OutOfRange) }
}

impl Edit {
    /// See `Footprint`. `None` for edits that move or remove things, and for
    /// batches that write more than one thing.
    pub fn footprint(&self) -> Option<Footprint> {
        Some(match self {
            Edit::SetTitle(_) => Footprint::Title,
            Edit::SetDescription(_) => Footprint::Description,
            Edit::SetCurrency(_) => Footprint::Currency,
            Edit::SetPersonas(_) => Footprint::Personas,
            Edit::SetFunnel(_) => Footprint::Funnel,
            Edit::InsertStage { index, .. } | Edit::ReplaceStage { index, .. } => Footprint::Stage(*index),
            Edit::InsertTouchpoint { index, .. } | Edit::ReplaceTouchpoint { index, .. } => {
                Footprint::Touchpoint(*index)
            }
            Edit::InsertLink { index, .. } | Edit::ReplaceLink { index, .. } => Footprint::Link(*index),
            Edit::Batch(edits) => {
                let first = edits.first()?.footprint()?;
                if edits.iter().all(|e| e.footprint() == Some(first)) {
                    first
                } else {
                    return None;
                }
            }
            Edit::RemoveStage { .. }
            | Edit::MoveStage { .. }
            | Edit::RemoveTouchpoint { .. }
            | Edit::MoveTouchpoint { .. }
            | Edit::RemoveLink { .. } => return None,
        })
    }

    /// Applies the edit and returns the edit that undoes it. On error the
    /// map is unchanged (a failing batch rolls back what it had applied).
    pub fn apply(self, map: &mut JourneyMap) -> Result<Edit, OutOfRange> {
        use std::mem::replace;
        Ok(match self {
            Edit::SetTitle(v) => Edit::SetTitle(replace(&mut map.title, v)),
            Edit::SetDescription(v) => Edit::SetDescription(replace(&mut map.description, v)),
            Edit::SetCurrency(v) => Edit::SetCurrency(replace(&mut map.currency, v)),
            Edit::SetPersonas(v) => Edit::SetPersonas(replace(&mut map.personas, v)),
            Edit::SetFunnel(v) => Edit::SetFunnel(replace(&mut map.funnel, v)),
            Edit::InsertStage { index, stage } => {
                check_insert(index, map.stages.len())?;
                map.stages.insert(index, stage);
                Edit::RemoveStage { index }
            }
            Edit::RemoveStage { index } => {
                check(index, map.stages.len())?;
                Edit::InsertStage {
                    index,
                    stage: map.stages.remove(index),
                }
            }
            Edit::ReplaceStage { index, stage } => {
                check(index, map.stages.len())?;
                Edit::ReplaceStage {
                    index,
                    stage: replace(&mut map.stages[index], stage),
                }
            }
            Edit::MoveStage { from, to } => {
                check(from, map.stages.len())?;
                check(to, map.stages.len())?;
                let stage = map.stages.remove(from);
                map.stages.insert(to, stage);
                Edit::MoveStage { from: to, to: from }
            }
            Edit::InsertTouchpoint { index, touchpoint } => {
                check_insert(index, map.touchpoints.len())?;
                map.touchpoints.insert(index, *touchpoint);
                Edit::RemoveTouchpoint { index }
            }
            Edit::RemoveTouchpoint { index } => {
                check(index, map.touchpoints.len())?;
                Edit::InsertTouchpoint {
                    index,
                    touchpoint: Box::new(map.touchpoints.remove(index)),
                }
            }
            Edit::ReplaceTouchpoint { index, touchpoint } => {
                check(index, map.touchpoints.len())?;
                let old = replace(&mut map.touchpoints[index], *touchpoint);
                Edit::ReplaceTouchpoint {
                    index,
                    touchpoint: Box::new(old),
                }
            }
            Edit::MoveTouchpoint { from, to, stage } => {
                check(from, map.touchpoints.len())?;
                check(to, map.touchpoints.len())?;
                let mut tp = map.touchpoints.remove(from);
                let old_stage = replace(&mut tp.stage, stage);
                map.touchpoints.insert(to, tp);
                Edit::MoveTouchpoint {
                    from: to,
                    to: from,
                    stage: old_stage,
                }
            }
            Edit::InsertLink { index, link } => {
                check_insert(index, map.links.len())?;
                map.links.insert(index, link);
                Edit::RemoveLink { index }
            }
            Edit::RemoveLink { index } => {
                check(index, map.links.len())?;
                Edit::InsertLink {
                    index,
                    link: map.links.remove(index),
                }
            }
            Edit::ReplaceLink { index, link } => {
                check(index, map.links.len())?;
                Edit::ReplaceLink {
                    index,
                    link: replace(&mut map.links[index], link),
                }
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(map) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(err) => {
                            for inverse in inverses.into_iter().rev() {
                                inverse.apply(map).expect("an inverse always fits the map it came from");
                            }
                            return Err(err);
                        }
                    }
                }
                inverses.reverse();
                Edit::Batch(inverses)
            }
        })
    }
}
