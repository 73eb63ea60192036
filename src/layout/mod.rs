//! Where everything of a map goes, in map units (1 unit = 1 point at 100%
//! zoom). Pure geometry: the canvas paints it with egui and the exporters
//! paint the very same boxes, so there is one drawing of a map, not several.
//!
//! The spine runs left to right, one column per stage; each touchpoint gets a
//! sub-column of its stage, and every lane (does, thinks, emotion, ...) is a
//! row aligned with those sub-columns, so a touchpoint reads top to bottom.

pub mod compact;
mod geometry;
pub mod style;
pub mod text;

pub use geometry::{Cubic, Pos, Rect, pos};

use crate::model::{JourneyMap, LinkId, PersonaId, Rgb, StageId, TouchpointId};

/// The rows of the map below the stage headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lane {
    Touchpoints,
    Does,
    Thinks,
    Emotion,
    PainPoints,
    Opportunities,
    Efforts,
    Metrics,
    Notes,
}

impl Lane {
    pub const ALL: [Lane; 9] = [
        Lane::Touchpoints,
        Lane::Does,
        Lane::Thinks,
        Lane::Emotion,
        Lane::PainPoints,
        Lane::Opportunities,
        Lane::Efforts,
        Lane::Metrics,
        Lane::Notes,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Lane::Touchpoints => "Touchpoints",
            Lane::Does => "Does",
            Lane::Thinks => "Thinks",
            Lane::Emotion => "Feels",
            Lane::PainPoints => "Pain points",
            Lane::Opportunities => "Opportunities",
            Lane::Efforts => "Marketing",
            Lane::Metrics => "Metrics",
            Lane::Notes => "Notes",
        }
    }

    /// The name used on the command line (`--lanes does,thinks`).
    pub fn key(self) -> &'static str {
        match self {
            Lane::Touchpoints => "touchpoints",
            Lane::Does => "does",
            Lane::Thinks => "thinks",
            Lane::Emotion => "emotion",
            Lane::PainPoints => "pains",
            Lane::Opportunities => "opportunities",
            Lane::Efforts => "efforts",
            Lane::Metrics => "metrics",
            Lane::Notes => "notes",
        }
    }

    pub fn from_key(key: &str) -> Option<Lane> {
        Lane::ALL.into_iter().find(|l| l.key().eq_ignore_ascii_case(key.trim()))
    }

    fn height(self) -> f32 {
        match self {
            Lane::Touchpoints => ARC_BAND + CARD_HEIGHT + 14.0,
            Lane::Emotion => 120.0,
            Lane::Notes => 120.0,
            Lane::PainPoints | Lane::Opportunities => 96.0,
            Lane::Does | Lane::Thinks | Lane::Efforts | Lane::Metrics => 84.0,
        }
    }
}

pub const LANE_LABEL_WIDTH: f32 = 120.0;
pub const CARD_WIDTH: f32 = 184.0;
pub const CARD_HEIGHT: f32 = 84.0;
/// Room above the cards, inside the touchpoints lane, where links arc
/// (loops back higher), so they never cross the stage headers.
pub const ARC_BAND: f32 = 56.0;
pub const COLUMN_GAP: f32 = 20.0;
pub const STAGE_GAP: f32 = 12.0;
pub const HEADER_HEIGHT: f32 = 64.0;
/// A header with room for two lines of the stage's story under its name,
/// when any stage has one.
pub const STORY_HEADER_HEIGHT: f32 = 84.0;
/// Persona cards sit side by side above the stage headers, this size on
/// the canvas (their text cut short); exports grow them to fit.
pub const PERSONA_WIDTH: f32 = 420.0;
pub const PERSONA_HEIGHT: f32 = 150.0;
pub const PERSONA_GAP: f32 = 12.0;
/// Height of the coloured funnel band at the top of a stage header.
pub const FUNNEL_BAND_HEIGHT: f32 = 18.0;
const COLUMN_WIDTH: f32 = CARD_WIDTH + COLUMN_GAP;
const MARGIN: f32 = 16.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Lanes to lay out, in `Lane::ALL` order whatever order they are given in.
    pub lanes: Vec<Lane>,
    /// Room the content needs beyond the standard sizes; `None` lays out at
    /// the standard sizes (the canvas).
    pub fit: Option<Fit>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lanes: Lane::ALL.to_vec(),
            fit: None,
        }
    }
}

/// How tall cards and lanes must be for their text to show in full.
/// Exports measure their text and pass this, so nothing in a deliverable is
/// cut short; sizes only ever grow beyond the standard ones.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Fit {
    /// The height every card needs (its tallest title); cards of a row keep
    /// one height so the row stays a row.
    pub card_height: f32,
    /// The height every stage header needs for its name and description.
    pub header_height: f32,
    /// The height every persona card needs for all its text.
    pub persona_height: f32,
    /// Per lane, the height its tallest cell (or a stage's notes) needs,
    /// padding included.
    pub lane_heights: Vec<(Lane, f32)>,
}

impl Fit {
    fn lane(&self, lane: Lane) -> f32 {
        self.lane_heights
            .iter()
            .filter(|(l, _)| *l == lane)
            .map(|&(_, h)| h)
            .fold(0.0, f32::max)
    }
}

/// The inside of a cell of `lane` (as laid out) for text: what an exporter
/// measures against.
pub const CELL_PADDING: f32 = 6.0;

#[derive(Clone, Debug, PartialEq)]
pub struct StageBox {
    pub id: StageId,
    /// Where the stage is in `JourneyMap::stages`.
    pub index: usize,
    /// The header: name, funnel band.
    pub header: Rect,
    /// The whole column, header to the last lane.
    pub column: Rect,
    pub funnel_color: Option<Rgb>,
    pub funnel_name: Option<String>,
}

/// A persona's card above the spine.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonaBox {
    pub id: PersonaId,
    /// Where the persona is in `JourneyMap::personas`.
    pub index: usize,
    pub rect: Rect,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LaneBox {
    pub lane: Lane,
    /// The full-width row; its label sits in the left gutter.
    pub rect: Rect,
    pub label: Rect,
}

/// One touchpoint's place in every lane.
#[derive(Clone, Debug, PartialEq)]
pub struct TouchpointBox {
    pub id: TouchpointId,
    /// Where the touchpoint is in `JourneyMap::touchpoints`.
    pub index: usize,
    pub stage: StageId,
    pub card: Rect,
    /// Its cell in each visible lane other than touchpoints and notes.
    pub cells: Vec<(Lane, Rect)>,
    /// Where the emotion curve passes, if the emotion lane is shown.
    pub emotion_point: Option<Pos>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LinkPath {
    pub id: LinkId,
    /// Where the link is in `JourneyMap::links`.
    pub index: usize,
    pub from: TouchpointId,
    pub to: TouchpointId,
    pub curve: Cubic,
    pub loop_back: bool,
}

/// Which drawing of a map a layout is: the full one, a column per
/// touchpoint, or the overview (`compact`), a column per stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Form {
    #[default]
    Full,
    Compact,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Layout {
    pub form: Form,
    /// Everything lies inside `(0, 0)..bounds.max`.
    pub bounds: Rect,
    /// Left to right.
    pub stages: Vec<StageBox>,
    pub lanes: Vec<LaneBox>,
    /// Left to right: sorted by `card.min.x`, so what is on screen is found
    /// by binary search (`touchpoints_between`).
    pub touchpoints: Vec<TouchpointBox>,
    pub links: Vec<LinkPath>,
    /// Per stage, the notes area (when the notes lane is shown).
    pub notes: Vec<(StageId, Rect)>,
    /// The persona cards, left to right above the stage headers.
    pub personas: Vec<PersonaBox>,
}

impl Layout {
    pub fn lane(&self, lane: Lane) -> Option<&LaneBox> {
        self.lanes.iter().find(|l| l.lane == lane)
    }

    pub fn touchpoint(&self, id: TouchpointId) -> Option<&TouchpointBox> {
        self.touchpoints.iter().find(|t| t.id == id)
    }

    pub fn stage(&self, id: StageId) -> Option<&StageBox> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The curve a link from one touchpoint to another takes (or would take),
    /// and whether it loops back.
    pub fn curve_between(&self, from: TouchpointId, to: TouchpointId) -> Option<(Cubic, bool)> {
        let (a, b) = (self.touchpoint(from)?, self.touchpoint(to)?);
        let loop_back = (b.card.min.x, b.index) <= (a.card.min.x, a.index);
        let lane_top = self.lane(Lane::Touchpoints).map_or(a.card.min.y, |l| l.rect.min.y);
        Some((link_curve(a.card, b.card, loop_back, lane_top), loop_back))
    }

    /// The touchpoints whose columns overlap `min_x..=max_x`, found without
    /// looking at the others: the cost of drawing follows what is visible.
    pub fn touchpoints_between(&self, min_x: f32, max_x: f32) -> std::ops::Range<usize> {
        let start = self.touchpoints.partition_point(|t| t.card.max.x < min_x);
        let end = start + self.touchpoints[start..].partition_point(|t| t.card.min.x <= max_x);
        start..end
    }

    /// The stages whose columns overlap `min_x..=max_x`.
    pub fn stages_between(&self, min_x: f32, max_x: f32) -> std::ops::Range<usize> {
        let start = self.stages.partition_point(|s| s.column.max.x < min_x);
        let end = start + self.stages[start..].partition_point(|s| s.column.min.x <= max_x);
        start..end
    }
}

/// The width of a stage's column with `touchpoints` touchpoints (an empty
/// stage keeps one column).
pub fn stage_width(touchpoints: usize) -> f32 {
    COLUMN_WIDTH * touchpoints.max(1) as f32
}

pub fn layout(map: &JourneyMap, options: &Options) -> Layout {
    let lanes: Vec<Lane> = Lane::ALL.into_iter().filter(|l| options.lanes.contains(l)).collect();

    let card_height = options
        .fit
        .as_ref()
        .map_or(CARD_HEIGHT, |f| f.card_height.max(CARD_HEIGHT));
    let standard_header = if map.stages.iter().any(|s| !s.description.trim().is_empty()) {
        STORY_HEADER_HEIGHT
    } else {
        HEADER_HEIGHT
    };
    let header_height = options
        .fit
        .as_ref()
        .map_or(standard_header, |f| f.header_height.max(standard_header));
    let persona_height = options
        .fit
        .as_ref()
        .map_or(PERSONA_HEIGHT, |f| f.persona_height.max(PERSONA_HEIGHT));
    let mut out = Layout::default();
    // Personas first, in a row above the headers, from where the spine starts.
    for (index, persona) in map.personas.iter().enumerate() {
        let x = MARGIN + LANE_LABEL_WIDTH + index as f32 * (PERSONA_WIDTH + PERSONA_GAP);
        out.personas.push(PersonaBox {
            id: persona.id,
            index,
            rect: Rect::from_min_size(pos(x, MARGIN), PERSONA_WIDTH, persona_height),
        });
    }
    // Where the stage headers start.
    let top = if map.personas.is_empty() {
        MARGIN
    } else {
        MARGIN + persona_height + 2.0 * PERSONA_GAP
    };
    let lane_height = |lane: Lane| {
        let standard = match lane {
            Lane::Touchpoints => ARC_BAND + card_height + 14.0,
            other => other.height(),
        };
        options.fit.as_ref().map_or(standard, |f| standard.max(f.lane(lane)))
    };

    // Rows, top to bottom.
    let mut y = top + header_height + 8.0;
    let mut lane_rows = Vec::with_capacity(lanes.len());
    for &lane in &lanes {
        let height = lane_height(lane);
        lane_rows.push((lane, y, height));
        y += height;
    }
    let bottom = y;

    // Columns, left to right.
    let mut x = MARGIN + LANE_LABEL_WIDTH;
    let row = |lane: Lane| lane_rows.iter().find(|(l, _, _)| *l == lane).map(|&(_, y, h)| (y, h));
    // Each stage's touchpoints as indices into the map, in their order.
    let mut by_stage: std::collections::HashMap<StageId, Vec<usize>> = std::collections::HashMap::new();
    for (i, tp) in map.touchpoints.iter().enumerate() {
        by_stage.entry(tp.stage).or_default().push(i);
    }
    for (stage_index, stage) in map.stages.iter().enumerate() {
        let members = by_stage.get(&stage.id).map_or(&[][..], Vec::as_slice);
        let width = stage_width(members.len());
        let funnel = stage.funnel_stage.and_then(|id| map.funnel_stage(id));
        out.stages.push(StageBox {
            id: stage.id,
            index: stage_index,
            header: Rect::from_min_size(pos(x, top), width, header_height),
            column: Rect {
                min: pos(x, top),
                max: pos(x + width, bottom),
            },
            funnel_color: funnel.map(|f| f.color),
            funnel_name: funnel.map(|f| f.name.clone()),
        });
        for (i, &tp_index) in members.iter().enumerate() {
            let tp = &map.touchpoints[tp_index];
            let col_x = x + COLUMN_WIDTH * i as f32 + COLUMN_GAP / 2.0;
            let mut card = Rect::default();
            let mut cells = Vec::new();
            let mut emotion_point = None;
            for &(lane, lane_y, lane_h) in &lane_rows {
                let cell = Rect::from_min_size(
                    pos(col_x, lane_y + CELL_PADDING),
                    CARD_WIDTH,
                    lane_h - 2.0 * CELL_PADDING,
                );
                match lane {
                    Lane::Touchpoints => {
                        card = Rect::from_min_size(pos(col_x, lane_y + ARC_BAND), CARD_WIDTH, card_height)
                    }
                    Lane::Notes => {}
                    Lane::Emotion => {
                        // +2 at the top of the lane, -2 at the bottom.
                        let clamped = tp.emotion.clamp(-2, 2) as f32;
                        let t = (2.0 - clamped) / 4.0;
                        emotion_point = Some(pos(cell.center().x, cell.min.y + 10.0 + t * (cell.height() - 20.0)));
                        cells.push((lane, cell));
                    }
                    _ => cells.push((lane, cell)),
                }
            }
            if row(Lane::Touchpoints).is_none() {
                // Cards still need a place for links and hit testing: the
                // header's lower edge, zero height.
                card = Rect::from_min_size(pos(col_x, top + header_height), CARD_WIDTH, 0.0);
            }
            out.touchpoints.push(TouchpointBox {
                id: tp.id,
                index: tp_index,
                stage: stage.id,
                card,
                cells,
                emotion_point,
            });
        }
        if let Some((notes_y, notes_h)) = row(Lane::Notes) {
            out.notes.push((
                stage.id,
                Rect::from_min_size(pos(x + 6.0, notes_y + 6.0), width - 12.0, notes_h - 12.0),
            ));
        }
        x += width + STAGE_GAP;
    }
    // Touchpoints in a stage that does not exist are not laid out; `check`
    // reports them.

    let right = (x - STAGE_GAP).max(MARGIN + LANE_LABEL_WIDTH + COLUMN_WIDTH);
    for &(lane, lane_y, lane_h) in &lane_rows {
        out.lanes.push(LaneBox {
            lane,
            rect: Rect {
                min: pos(MARGIN, lane_y),
                max: pos(right, lane_y + lane_h),
            },
            label: Rect::from_min_size(pos(MARGIN, lane_y), LANE_LABEL_WIDTH - 8.0, lane_h),
        });
    }

    let tp_top = row(Lane::Touchpoints).map_or(top + header_height, |(y, _)| y);
    let box_of: std::collections::HashMap<TouchpointId, usize> =
        out.touchpoints.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    for (link_index, link) in map.links.iter().enumerate() {
        let (Some(&from), Some(&to)) = (box_of.get(&link.from), box_of.get(&link.to)) else {
            continue;
        };
        let (from, to) = (&out.touchpoints[from], &out.touchpoints[to]);
        // Left to right on the spine is map order: a link to a card that is
        // not further right is a loop back.
        let loop_back = (to.card.min.x, to.index) <= (from.card.min.x, from.index);
        let curve = link_curve(from.card, to.card, loop_back, tp_top);
        out.links.push(LinkPath {
            id: link.id,
            index: link_index,
            from: link.from,
            to: link.to,
            curve,
            loop_back,
        });
    }

    let mut bounds = Rect {
        min: pos(0.0, 0.0),
        max: pos(right + MARGIN, bottom + MARGIN),
    };
    for link in &out.links {
        bounds = bounds.union(&link.curve.bounds());
    }
    for persona in &out.personas {
        bounds = bounds.union(&grow(persona.rect, MARGIN));
    }
    bounds.min = pos(0.0, 0.0);
    out.bounds = bounds;
    out
}

fn grow(r: Rect, by: f32) -> Rect {
    r.shrink(-by)
}

/// Forward links to the next card run edge to edge; longer forward links
/// and loops back arc over the cards, in the band above them (loops back
/// higher), so a loop is visible at a glance and no arrow runs through a card
/// or over a stage header.
fn link_curve(from: Rect, to: Rect, loop_back: bool, lane_top: f32) -> Cubic {
    let adjacent = !loop_back && to.min.x > from.max.x && to.min.x - from.max.x < COLUMN_GAP + STAGE_GAP + 1.0;
    if adjacent {
        let a = pos(from.max.x, from.center().y);
        let d = pos(to.min.x, to.center().y);
        let dx = (d.x - a.x).max(8.0) * 0.5;
        return Cubic([a, pos(a.x + dx, a.y), pos(d.x - dx, d.y), d]);
    }
    let a = pos(from.center().x + if loop_back { -12.0 } else { 12.0 }, from.min.y);
    let d = pos(to.center().x + if loop_back { 12.0 } else { -12.0 }, to.min.y);
    let span = (d.x - a.x).abs();
    // Longer spans arc higher. The curve's top is 3/4 of the way to its
    // control points, so these caps keep it inside the band.
    let lift = if loop_back {
        (26.0 + span * 0.08).min(ARC_BAND + 12.0)
    } else {
        (14.0 + span * 0.05).min(40.0)
    };
    let peak = (a.y.min(d.y) - lift).max(lane_top + 4.0);
    Cubic([a, pos(a.x, peak), pos(d.x, peak), d])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates;
    use crate::model::*;

    fn map_with(touchpoints_per_stage: &[usize]) -> JourneyMap {
        let mut map = templates::find("basic").unwrap().new_map("t");
        map.stages.truncate(0);
        let mut id = 100;
        for (s, &n) in touchpoints_per_stage.iter().enumerate() {
            let stage = StageId(10 + s as u32);
            map.stages.push(Stage {
                id: stage,
                name: format!("S{s}"),
                description: String::new(),
                funnel_stage: Some(FunnelStageId(1)),
                notes: vec![],
            });
            for _ in 0..n {
                id += 1;
                map.touchpoints
                    .push(Touchpoint::new(TouchpointId(id), stage, &format!("T{id}")));
            }
        }
        map
    }

    #[test]
    fn stages_are_as_wide_as_their_touchpoints_and_do_not_overlap() {
        let map = map_with(&[3, 0, 1]);
        let l = layout(&map, &Options::default());
        assert_eq!(l.stages.len(), 3);
        let w: Vec<f32> = l.stages.iter().map(|s| s.header.width()).collect();
        assert_eq!(w[0], 3.0 * w[2]);
        assert_eq!(w[1], w[2], "an empty stage keeps one column");
        for pair in l.stages.windows(2) {
            assert!(pair[0].column.max.x < pair[1].column.min.x);
        }
        // Cards of one stage sit side by side, inside their stage.
        let cards: Vec<Rect> = l.touchpoints.iter().map(|t| t.card).collect();
        for pair in cards.windows(2) {
            assert!(pair[0].max.x < pair[1].min.x);
        }
        assert!(l.stages[0].column.contains(cards[0].center()));
        assert!(l.bounds.contains(l.stages[2].column.max));
    }

    #[test]
    fn emotion_curve_goes_up_with_emotion() {
        let mut map = map_with(&[2]);
        map.touchpoints[0].emotion = -2;
        map.touchpoints[1].emotion = 2;
        let l = layout(&map, &Options::default());
        let low = l.touchpoints[0].emotion_point.unwrap();
        let high = l.touchpoints[1].emotion_point.unwrap();
        assert!(high.y < low.y, "screen y grows downwards");
        let lane = l.lane(Lane::Emotion).unwrap().rect;
        assert!(lane.contains(low) && lane.contains(high));
    }

    #[test]
    fn hidden_lanes_take_no_room() {
        let map = map_with(&[2]);
        let all = layout(&map, &Options::default());
        let some = layout(
            &map,
            &Options {
                lanes: vec![Lane::Emotion, Lane::Touchpoints],
                ..Options::default()
            },
        );
        assert_eq!(
            some.lanes.iter().map(|l| l.lane).collect::<Vec<_>>(),
            [Lane::Touchpoints, Lane::Emotion]
        );
        assert!(some.bounds.height() < all.bounds.height());
        assert!(some.touchpoints[0].cells.iter().all(|(lane, _)| *lane == Lane::Emotion));
        assert!(some.notes.is_empty());
    }

    #[test]
    fn loop_back_arcs_above_cards() {
        let mut map = map_with(&[1, 1]);
        map.links.push(Link {
            id: LinkId(1),
            from: TouchpointId(101),
            to: TouchpointId(102),
            label: String::new(),
            expected: false,
        });
        map.links.push(Link {
            id: LinkId(2),
            from: TouchpointId(102),
            to: TouchpointId(101),
            label: String::new(),
            expected: false,
        });
        let l = layout(&map, &Options::default());
        assert!(!l.links[0].loop_back);
        assert!(l.links[1].loop_back);
        let card_top = l.touchpoints[0].card.min.y;
        assert!(l.links[1].curve.point(0.5).y < card_top);
        let lane = l.lane(Lane::Touchpoints).unwrap().rect;
        for link in &l.links {
            for i in 0..=20 {
                assert!(
                    lane.contains(link.curve.point(i as f32 / 20.0)),
                    "links stay in the touchpoints lane"
                );
            }
        }
    }

    #[test]
    fn a_fit_grows_cards_and_lanes_and_never_shrinks_them() {
        let map = map_with(&[2, 1]);
        let standard = layout(&map, &Options::default());
        let fit = Fit {
            card_height: 140.0,
            header_height: 0.0,
            persona_height: 0.0,
            lane_heights: vec![(Lane::Does, 200.0), (Lane::Thinks, 10.0)],
        };
        let grown = layout(
            &map,
            &Options {
                fit: Some(fit),
                ..Options::default()
            },
        );
        assert!(grown.touchpoints.iter().all(|t| t.card.height() == 140.0));
        let height = |l: &Layout, lane| l.lane(lane).unwrap().rect.height();
        assert_eq!(height(&grown, Lane::Does), 200.0);
        assert_eq!(
            height(&grown, Lane::Thinks),
            height(&standard, Lane::Thinks),
            "never smaller"
        );
        assert!(height(&grown, Lane::Touchpoints) > height(&standard, Lane::Touchpoints));
        // Cells follow their grown lanes.
        let does = |l: &Layout| {
            l.touchpoints[0]
                .cells
                .iter()
                .find(|(lane, _)| *lane == Lane::Does)
                .unwrap()
                .1
        };
        assert_eq!(does(&grown).height(), 200.0 - 2.0 * CELL_PADDING);
        assert!(grown.bounds.height() > standard.bounds.height());
    }

    #[test]
    fn personas_sit_side_by_side_above_the_headers_inside_the_bounds() {
        let mut map = map_with(&[1]);
        map.personas.clear();
        let plain = layout(&map, &Options::default());
        assert!(plain.personas.is_empty());
        map.personas = (1..=3)
            .map(|i| Persona {
                id: PersonaId(900 + i),
                name: format!("P{i}"),
                description: String::new(),
                goals: vec![],
                frustrations: vec![],
            })
            .collect();
        let l = layout(&map, &Options::default());
        assert_eq!(l.personas.len(), 3);
        for pair in l.personas.windows(2) {
            assert!(pair[0].rect.max.x < pair[1].rect.min.x, "side by side");
        }
        let header = l.stages[0].header;
        for p in &l.personas {
            assert!(p.rect.max.y < header.min.y, "above the headers");
            assert!(
                l.bounds.contains(p.rect.min) && l.bounds.contains(p.rect.max),
                "Fit shows them"
            );
        }
        // The spine moved down to make room, no more.
        assert!(header.min.y > plain.stages[0].header.min.y);
    }

    #[test]
    fn headers_grow_for_a_stage_story() {
        let mut map = map_with(&[1, 1]);
        let plain = layout(&map, &Options::default());
        map.stages[1].description = "Compares offers".into();
        let story = layout(&map, &Options::default());
        assert!(story.stages[0].header.height() > plain.stages[0].header.height());
        assert_eq!(story.stages[0].header.height(), story.stages[1].header.height());
    }

    #[test]
    fn lane_keys_parse() {
        for lane in Lane::ALL {
            assert_eq!(Lane::from_key(lane.key()), Some(lane));
        }
        assert_eq!(Lane::from_key("nope"), None);
    }
}
