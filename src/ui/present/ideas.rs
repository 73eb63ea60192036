//! The ideas a stage slide shows, and their colours.

use crate::model::JourneyMap;
use crate::model::idea::{self, IdeaKind, Listed};

/// Where a kind's ideas sit on a stage slide, left to right.
fn column(kind: IdeaKind) -> usize {
    match kind {
        IdeaKind::PainPoint => 0,
        IdeaKind::Opportunity => 1,
        IdeaKind::Note => 2,
    }
}

/// The ideas of the stage at `index`: its touchpoints' pain points and
/// opportunities and its own notes, pain points first, then opportunities,
/// then notes, each most voted first, ties in map order.
pub fn of_stage(map: &JourneyMap, index: usize) -> Vec<Listed<'_>> {
    let Some(stage) = map.stages.get(index) else {
        return Vec::new();
    };
    let mut ideas: Vec<Listed> = idea::all(map).into_iter().filter(|i| i.stage == stage.id).collect();
    ideas.sort_by_key(|i| (column(i.kind), std::cmp::Reverse(i.votes)));
    ideas
}

/// The colour a kind of idea is shown in.
pub fn color(kind: IdeaKind) -> eframe::egui::Color32 {
    use super::draw;
    match kind {
        IdeaKind::PainPoint => draw::PAIN,
        IdeaKind::Opportunity => draw::OPPORTUNITY,
        IdeaKind::Note => draw::NOTE,
    }
}
