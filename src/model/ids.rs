//! Stable identifiers. Links, funnel mappings and (later) selections refer to
//! things by id, never by position, so reordering never breaks a reference.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!($prefix, "#{}"), self.0)
            }
        }
    };
}

id_type!(
    /// A persona of the map.
    PersonaId, "persona"
);
id_type!(
    /// A stage of the funnel model.
    FunnelStageId, "funnel stage"
);
id_type!(
    /// A journey stage on the spine.
    StageId, "stage"
);
id_type!(
    /// A touchpoint.
    TouchpointId, "touchpoint"
);
id_type!(
    /// A link between two touchpoints.
    LinkId, "link"
);
id_type!(
    /// A marketing effort on a touchpoint.
    EffortId, "effort"
);
id_type!(
    /// A metric on a touchpoint.
    MetricId, "metric"
);
id_type!(
    /// A sticky note on a stage.
    NoteId, "note"
);
