//! What the user has selected on the canvas. Per-window state, not part of
//! the document: selecting is not an edit and is not undone.

use std::collections::BTreeSet;

use crate::model::{JourneyMap, LinkId, StageId, TouchpointId};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    pub stages: BTreeSet<StageId>,
    pub touchpoints: BTreeSet<TouchpointId>,
    pub links: BTreeSet<LinkId>,
}

/// One thing that can be selected.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Item {
    Stage(StageId),
    Touchpoint(TouchpointId),
    Link(LinkId),
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty() && self.touchpoints.is_empty() && self.links.is_empty()
    }

    pub fn clear(&mut self) {
        *self = Selection::default();
    }

    pub fn only(item: Item) -> Selection {
        let mut s = Selection::default();
        s.toggle(item);
        s
    }

    pub fn contains(&self, item: Item) -> bool {
        match item {
            Item::Stage(id) => self.stages.contains(&id),
            Item::Touchpoint(id) => self.touchpoints.contains(&id),
            Item::Link(id) => self.links.contains(&id),
        }
    }

    pub fn toggle(&mut self, item: Item) {
        fn flip<T: Ord>(set: &mut BTreeSet<T>, v: T) {
            if !set.remove(&v) {
                set.insert(v);
            }
        }
        match item {
            Item::Stage(id) => flip(&mut self.stages, id),
            Item::Touchpoint(id) => flip(&mut self.touchpoints, id),
            Item::Link(id) => flip(&mut self.links, id),
        }
    }

    /// The single selected thing, if exactly one is selected.
    pub fn single(&self) -> Option<Item> {
        let count = self.stages.len() + self.touchpoints.len() + self.links.len();
        if count != 1 {
            return None;
        }
        self.stages
            .first()
            .map(|&id| Item::Stage(id))
            .or_else(|| self.touchpoints.first().map(|&id| Item::Touchpoint(id)))
            .or_else(|| self.links.first().map(|&id| Item::Link(id)))
    }

    /// Drops what no longer exists (after undo, delete, or opening a file).
    pub fn retain_existing(&mut self, map: &JourneyMap) {
        self.stages.retain(|id| map.stage(*id).is_some());
        self.touchpoints.retain(|id| map.touchpoint(*id).is_some());
        self.links.retain(|id| map.links.iter().any(|l| l.id == *id));
    }

    /// The stage new touchpoints go into: the selected stage, else the stage
    /// of the first selected touchpoint.
    pub fn target_stage(&self, map: &JourneyMap) -> Option<StageId> {
        self.stages.first().copied().or_else(|| {
            self.touchpoints
                .first()
                .and_then(|id| map.touchpoint(*id))
                .map(|t| t.stage)
        })
    }
}
