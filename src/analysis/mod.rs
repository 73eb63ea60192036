//! Pure functions over an in-memory event log: funnels, paths, attribution
//! and the comparison of a journey map with what people really did.
//!
//! Nothing here touches SQL, files or the UI: `store` loads an `EventLog`,
//! these functions return plain structs that the CLI prints as JSON and the
//! UI draws. Every pass walks the log once, person by person, over its sorted
//! integer columns, so 10 million events take milliseconds, not seconds.

pub mod amounts;
pub mod attribution;
pub mod attribution_table;
pub mod compare;
pub mod event_log;
pub mod fixes;
pub mod funnel;
pub mod inputs;
pub mod map_funnel;
pub mod markov;
pub mod money;
pub mod overview;
pub mod path_layout;
pub mod paths;
mod stats;
pub mod synthetic;
pub mod time_to_convert;

pub use attribution::{AttributionReport, AttributionRow, AttributionSpec, Credits, TouchMap, attribute};
pub use attribution_table::{
    AttributionTable, Credit, CreditTo, ModelCredits, Models, TableOptions, attribution_table, conversions_of_event,
    conversions_of_map, map_attribution,
};
pub use compare::{
    Comparison, DEFAULT_WINDOW_MS, EventCount, EventTouchpoints, FunnelStageStats, StageStats, TouchpointStats,
    TouchpointTransition, WholeLog, compare, compare_part, compare_within, fill_data_metrics,
};
pub use event_log::{EventLog, EventLogBuilder, NO_CHANNEL, SpendDay};
pub use fixes::{Binding, bindings, measure_name, stage_for_event};
pub use funnel::{
    FunnelFilter, FunnelGroup, FunnelReport, FunnelSpec, FunnelStep, StepReport, completion_seconds, day_ms, funnel,
    funnel_among, funnel_by_channel, funnel_by_key, funnel_levels,
};
pub use map_funnel::map_funnel;
pub use markov::{MAX_MARKOV_STATES, MarkovReport, MarkovRow, TooManyStates, markov_attribution, removal_effects};
pub use money::{CostSource, DayRange, Money, MoneyRow, budget_in_range, money};
pub use overview::{Overview, OverviewOptions, first_conversions_only, overview};
pub use path_layout::{LaidEdge, LaidNode, PathLayout, layout_paths};
pub use paths::{
    END, JourneyLengths, LengthCount, PathGraph, PathNode, START, Transition, converters, directly_follows,
    journey_lengths, path_graph,
};
pub use stats::{quantile_of_counts, quantile_sorted};
pub use synthetic::synthetic_log;
pub use time_to_convert::{TimeToConvert, median_events_before, time_to_convert};
