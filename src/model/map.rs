//! The journey map itself: plain data, no behaviour beyond lookups.
//!
//! Touchpoints live in one flat list, each naming its stage; their order within
//! a stage is their order in that list. This keeps moves between stages a
//! change of one field and lets `check` report a touchpoint whose stage is gone.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::color::Rgb;
use super::idea::{Idea, IdeaKind};
use super::ids::*;

fn is_empty(s: &str) -> bool {
    s.is_empty()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JourneyMap {
    /// Version of the file format this map was written in; see `format`.
    pub format_version: u32,
    pub title: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub description: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    /// ISO 4217 code used for budgets and currency metrics, e.g. "USD", "VND", "PLN".
    #[serde(default = "default_currency")]
    pub currency: String,
    #[serde(default)]
    pub personas: Vec<Persona>,
    pub funnel: FunnelModel,
    #[serde(default)]
    pub stages: Vec<Stage>,
    #[serde(default)]
    pub touchpoints: Vec<Touchpoint>,
    #[serde(default)]
    pub links: Vec<Link>,
}

fn default_currency() -> String {
    "USD".to_owned()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub id: PersonaId,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frustrations: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelModel {
    pub name: String,
    /// Ordered from the top (widest) of the funnel to the bottom.
    pub stages: Vec<FunnelStage>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelStage {
    pub id: FunnelStageId,
    pub name: String,
    pub color: Rgb,
}

/// A column of the spine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: StageId,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub description: String,
    /// Which funnel stage this journey stage belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funnel_stage: Option<FunnelStageId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A sticky note on a stage, for workshops: a plain note, or a pain point or
/// opportunity raised about the stage as a whole, with its dot votes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: NoteId,
    pub text: String,
    #[serde(default, skip_serializing_if = "IdeaKind::is_note")]
    pub kind: IdeaKind,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub votes: u32,
}

impl Note {
    pub fn new(id: NoteId, text: impl Into<String>) -> Note {
        Note {
            id,
            text: text.into(),
            kind: IdeaKind::Note,
            votes: 0,
        }
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Website,
    Blog,
    Search,
    Social,
    Ads,
    Email,
    LiveChat,
    Webinar,
    Phone,
    SalesMeeting,
    Store,
    Event,
    Other(String),
}

impl Channel {
    /// Every built-in channel, for pickers.
    pub const BUILT_IN: [Channel; 12] = [
        Channel::Website,
        Channel::Blog,
        Channel::Search,
        Channel::Social,
        Channel::Ads,
        Channel::Email,
        Channel::LiveChat,
        Channel::Webinar,
        Channel::Phone,
        Channel::SalesMeeting,
        Channel::Store,
        Channel::Event,
    ];

    pub fn label(&self) -> &str {
        match self {
            Channel::Website => "Website",
            Channel::Blog => "Blog",
            Channel::Search => "Search",
            Channel::Social => "Social",
            Channel::Ads => "Ads",
            Channel::Email => "Email",
            Channel::LiveChat => "Live chat",
            Channel::Webinar => "Webinar",
            Channel::Phone => "Phone",
            Channel::SalesMeeting => "Sales meeting",
            Channel::Store => "Store",
            Channel::Event => "Event",
            Channel::Other(name) => name,
        }
    }
}

/// Where the touchpoint happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    Online,
    Offline,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Interaction {
    Inquiry,
    Comparison,
    Decision,
    Purchase,
    Support,
    Other(String),
}

impl Interaction {
    pub fn label(&self) -> &str {
        match self {
            Interaction::Inquiry => "Inquiry",
            Interaction::Comparison => "Comparison",
            Interaction::Decision => "Decision",
            Interaction::Purchase => "Purchase",
            Interaction::Support => "Support",
            Interaction::Other(name) => name,
        }
    }
}

/// Emotion scores run from -2 (very negative) to +2 (very positive).
pub const EMOTION_RANGE: std::ops::RangeInclusive<i8> = -2..=2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Touchpoint {
    pub id: TouchpointId,
    pub stage: StageId,
    pub name: String,
    pub channel: Channel,
    pub mode: Mode,
    pub interaction: Interaction,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub description: String,
    /// What the customer does here.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub does: String,
    /// What the customer thinks here.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub thinks: String,
    /// How the customer feels, -2..=+2.
    #[serde(default)]
    pub emotion: i8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pain_points: Vec<Idea>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opportunities: Vec<Idea>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub efforts: Vec<MarketingEffort>,
    /// The first metric is the touchpoint's key metric, shown on its card.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
    /// Which imported events count as meeting this touchpoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchers: Vec<EventMatcher>,
}

impl Touchpoint {
    /// A blank online website touchpoint, neutral, with nothing attached:
    /// what "add touchpoint" starts from.
    pub fn new(id: TouchpointId, stage: StageId, name: &str) -> Touchpoint {
        Touchpoint {
            id,
            stage,
            name: name.to_owned(),
            channel: Channel::Website,
            mode: Mode::Online,
            interaction: Interaction::Inquiry,
            description: String::new(),
            does: String::new(),
            thinks: String::new(),
            emotion: 0,
            pain_points: Vec::new(),
            opportunities: Vec::new(),
            efforts: Vec::new(),
            metrics: Vec::new(),
            matchers: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EffortKind {
    Campaign,
    Content,
    Ad,
    EmailSequence,
    Event,
    Offer,
}

impl EffortKind {
    pub const ALL: [EffortKind; 6] = [
        EffortKind::Campaign,
        EffortKind::Content,
        EffortKind::Ad,
        EffortKind::EmailSequence,
        EffortKind::Event,
        EffortKind::Offer,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EffortKind::Campaign => "Campaign",
            EffortKind::Content => "Content",
            EffortKind::Ad => "Ad",
            EffortKind::EmailSequence => "Email sequence",
            EffortKind::Event => "Event",
            EffortKind::Offer => "Offer",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketingEffort {
    pub id: EffortId,
    pub name: String,
    pub kind: EffortKind,
    pub channel: Channel,
    /// In the map's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    Count,
    Percent,
    Seconds,
    Currency,
}

impl Unit {
    pub const ALL: [Unit; 4] = [Unit::Count, Unit::Percent, Unit::Seconds, Unit::Currency];

    pub fn label(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "%",
            Unit::Seconds => "seconds",
            Unit::Currency => "currency",
        }
    }
}

/// What an imported-data metric measures. Filled in from the database by the
/// data comparison; the map file only records the binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataMeasure {
    PeopleReached,
    ConversionRate,
    CostPerConversion,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MetricSource {
    /// Typed in by the user.
    Manual,
    /// Computed from imported events.
    Data(DataMeasure),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub id: MetricId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    pub unit: Unit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    #[serde(default = "manual")]
    pub source: MetricSource,
}

fn manual() -> MetricSource {
    MetricSource::Manual
}

/// An imported event meets a touchpoint when its name equals `event` and, if
/// `channel` is given, its channel equals that too.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventMatcher {
    pub event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

impl EventMatcher {
    pub fn matches(&self, event: &str, channel: Option<&str>) -> bool {
        self.event == event
            && match &self.channel {
                None => true,
                Some(want) => channel == Some(want.as_str()),
            }
    }
}

/// A directed link between two touchpoints: a path customers take. A link to
/// an earlier touchpoint is a loop back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub id: LinkId,
    pub from: TouchpointId,
    pub to: TouchpointId,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub label: String,
    /// Kept on purpose though the data shows nobody following it (a path
    /// that is rare, or not measured yet): the comparison does not list it
    /// as a link nobody follows.
    #[serde(default, skip_serializing_if = "is_false")]
    pub expected: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Link {
    /// A plain link, not marked expected.
    pub fn new(id: LinkId, from: TouchpointId, to: TouchpointId) -> Link {
        Link {
            id,
            from,
            to,
            label: String::new(),
            expected: false,
        }
    }
}

impl JourneyMap {
    pub fn stage(&self, id: StageId) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    pub fn touchpoint(&self, id: TouchpointId) -> Option<&Touchpoint> {
        self.touchpoints.iter().find(|t| t.id == id)
    }

    pub fn funnel_stage(&self, id: FunnelStageId) -> Option<&FunnelStage> {
        self.funnel.stages.iter().find(|s| s.id == id)
    }

    /// The touchpoints of one stage, in their order.
    pub fn touchpoints_in(&self, stage: StageId) -> impl Iterator<Item = &Touchpoint> {
        self.touchpoints.iter().filter(move |t| t.stage == stage)
    }

    /// One more than the largest id used anywhere in the map, so a new thing
    /// of any kind never collides with an existing one.
    pub fn next_id(&self) -> u32 {
        let mut max = 0;
        let mut see = |id: u32| max = max.max(id);
        self.personas.iter().for_each(|p| see(p.id.0));
        self.funnel.stages.iter().for_each(|s| see(s.id.0));
        for stage in &self.stages {
            see(stage.id.0);
            stage.notes.iter().for_each(|n| see(n.id.0));
        }
        for tp in &self.touchpoints {
            see(tp.id.0);
            tp.efforts.iter().for_each(|e| see(e.id.0));
            tp.metrics.iter().for_each(|m| see(m.id.0));
        }
        self.links.iter().for_each(|l| see(l.id.0));
        max + 1
    }

    /// Whether a link goes back to an earlier stage, or to an earlier
    /// touchpoint of the same stage.
    pub fn is_loop_back(&self, link: &Link) -> bool {
        let position = |id: TouchpointId| {
            let tp = self.touchpoint(id)?;
            let stage = self.stages.iter().position(|s| s.id == tp.stage)?;
            let index = self.touchpoints.iter().position(|t| t.id == id)?;
            Some((stage, index))
        };
        match (position(link.from), position(link.to)) {
            (Some(from), Some(to)) => to <= from,
            _ => false,
        }
    }
}
