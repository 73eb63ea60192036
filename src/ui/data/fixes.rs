//! The changes the Data view offers beside its findings. Each is one edit of
//! the map, so one undo takes it back; the app applies them after drawing.

use crate::edit::{Edit, ops};
use crate::model::{DataMeasure, JourneyMap, LinkId, MetricId, StageId, TouchpointId};

#[derive(Clone, Debug, PartialEq)]
pub enum Fix {
    /// A path people take that the map lacks.
    AddLink { from: TouchpointId, to: TouchpointId },
    /// An event no touchpoint matches, made to meet this one.
    AddMatcher { touchpoint: TouchpointId, event: String },
    /// An event no touchpoint matches, as a touchpoint of its own in `stage`.
    NewTouchpoint { stage: StageId, event: String },
    /// A link nobody follows, taken off the map.
    RemoveLink(LinkId),
    /// A link nobody follows, kept on purpose: no longer a finding.
    KeepLink(LinkId),
    /// A typed-in metric measured from the data from now on.
    Bind {
        touchpoint: TouchpointId,
        metric: MetricId,
        measure: DataMeasure,
    },
    /// The map's currency set to the imported money's, which is never
    /// converted.
    SetCurrency(String),
}

impl Fix {
    /// The undo step's name and the edit, against `map` as it is now;
    /// `None` when the fix no longer applies (already done, or its things
    /// are gone).
    pub fn edit(&self, map: &JourneyMap) -> Option<(&'static str, Edit)> {
        match self {
            Fix::AddLink { from, to } => ops::connect(map, *from, *to).map(|e| ("Add link", e)),
            Fix::AddMatcher { touchpoint, event } => {
                ops::add_matcher(map, *touchpoint, event).map(|e| ("Add event matcher", e))
            }
            Fix::NewTouchpoint { stage, event } => {
                ops::add_touchpoint_for_event(map, *stage, &touchpoint_name(event), event)
                    .map(|e| ("Add touchpoint", e))
            }
            Fix::RemoveLink(id) => ops::delete_links(map, &[*id]).map(|e| ("Remove link", e)),
            Fix::KeepLink(id) => ops::expect_link(map, *id, true).map(|e| ("Keep link as expected", e)),
            Fix::Bind {
                touchpoint,
                metric,
                measure,
            } => ops::bind_metric(map, *touchpoint, *metric, *measure).map(|e| ("Bind metric to data", e)),
            Fix::SetCurrency(code) => {
                (map.currency != *code).then(|| ("Set currency", Edit::SetCurrency(code.clone())))
            }
        }
    }
}

/// A touchpoint's name from an event's: "video_played" is "Video played".
pub fn touchpoint_name(event: &str) -> String {
    let spaced = event.replace(['_', '-'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => event.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touchpoints_named_after_events_read_as_words() {
        assert_eq!(touchpoint_name("video_played"), "Video played");
        assert_eq!(touchpoint_name("page-view"), "Page view");
        assert_eq!(touchpoint_name("_"), "_");
    }
}
