//! The slides of a presentation, in order: the title, one per stage, the
//! overview, and what the room decided.

use crate::model::JourneyMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slide {
    Title,
    /// The stage at this position on the spine.
    Stage(usize),
    Overview,
    Decided,
}

/// Every slide of `map`, in the order they are shown.
pub fn slides(map: &JourneyMap) -> Vec<Slide> {
    let mut out = vec![Slide::Title];
    out.extend((0..map.stages.len()).map(Slide::Stage));
    out.extend([Slide::Overview, Slide::Decided]);
    out
}

impl Slide {
    /// What the slide is called in the speaker notes and on the slide itself.
    pub fn title(self, map: &JourneyMap) -> String {
        match self {
            Slide::Title => map.title.clone(),
            Slide::Stage(i) => match map.stages.get(i) {
                Some(stage) => format!("Stage {} of {}: {}", i + 1, map.stages.len(), stage.name),
                None => "Stage".to_owned(),
            },
            Slide::Overview => format!("{} — overview", map.title),
            Slide::Decided => "What we decided".to_owned(),
        }
    }
}
