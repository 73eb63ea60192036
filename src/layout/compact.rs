//! The overview form of a map, for looking at it zoomed out: one column of
//! a fixed width per stage, its touchpoints stacked in it as short cards
//! (title in large type, channel and key metric), and below them per stage
//! what still reads at a glance: how it feels, its pain points,
//! opportunities and notes. The full form gives each touchpoint a column of
//! its own, far too wide to read a large map whole.
//!
//! It is a `Layout` like the full form's (stages left to right, a card per
//! touchpoint, lane rows), so everything that finds things by their boxes
//! works on either. It has no links: stacked cards leave them no room.

use std::collections::HashMap;

use super::{
    CELL_PADDING, FUNNEL_BAND_HEIGHT, LANE_LABEL_WIDTH, Lane, LaneBox, Layout, Options, Rect, StageBox, TouchpointBox,
    pos,
};
use crate::model::{JourneyMap, StageId};

/// A stage's column; its cards take the width less `CARD_INSET` each side.
pub const STAGE_WIDTH: f32 = 200.0;
pub const CARD_INSET: f32 = 8.0;
pub const CARD_WIDTH: f32 = STAGE_WIDTH - 2.0 * CARD_INSET;
/// Two lines of title, a line for the channel and metric.
pub const CARD_HEIGHT: f32 = 92.0;
pub const CARD_GAP: f32 = 10.0;
/// The funnel band, then two lines of stage name.
pub const HEADER_HEIGHT: f32 = 90.0;

// Type sizes of the overview, larger than the full form's: it is read from
// further away.
pub const STAGE_TITLE_SIZE: f32 = 21.0;
pub const CARD_TITLE_SIZE: f32 = 19.0;
pub const CARD_METRIC_SIZE: f32 = 12.0;
pub const SUMMARY_SIZE: f32 = 14.0;
/// Lines a stage name or a card title takes at most before it is cut with `…`.
pub const TITLE_LINES: usize = 2;

const STAGE_GAP: f32 = super::STAGE_GAP;
const MARGIN: f32 = 16.0;
/// Room above the first card and below the last.
const STACK_PADDING: f32 = 12.0;

/// The lanes the overview shows, of those asked for; the touchpoints lane
/// always (it is the overview).
pub const LANES: [Lane; 5] = [
    Lane::Touchpoints,
    Lane::Emotion,
    Lane::PainPoints,
    Lane::Opportunities,
    Lane::Notes,
];

fn lane_height(lane: Lane, stack: usize) -> f32 {
    match lane {
        Lane::Touchpoints => 2.0 * STACK_PADDING + stack.max(1) as f32 * (CARD_HEIGHT + CARD_GAP) - CARD_GAP,
        Lane::Emotion => 72.0,
        _ => 124.0,
    }
}

/// The overview of `map` with the lanes of `options` it shows (see `LANES`).
/// `options.fit` is ignored: overview cards cut their text short.
pub fn layout(map: &JourneyMap, options: &Options) -> Layout {
    let lanes: Vec<Lane> = LANES
        .into_iter()
        .filter(|&l| l == Lane::Touchpoints || options.lanes.contains(&l))
        .collect();
    let mut by_stage: HashMap<StageId, Vec<usize>> = HashMap::new();
    for (i, tp) in map.touchpoints.iter().enumerate() {
        by_stage.entry(tp.stage).or_default().push(i);
    }
    let members = |id: StageId| by_stage.get(&id).map_or(&[][..], Vec::as_slice);
    let stack = map.stages.iter().map(|s| members(s.id).len()).max().unwrap_or(0);

    let mut y = MARGIN + HEADER_HEIGHT + 8.0;
    let mut rows = Vec::with_capacity(lanes.len());
    for &lane in &lanes {
        let height = lane_height(lane, stack);
        rows.push((lane, y, height));
        y += height;
    }
    let bottom = y;
    let row = |lane: Lane| rows.iter().find(|r| r.0 == lane).map(|&(_, y, h)| (y, h));

    let mut out = Layout {
        form: super::Form::Compact,
        ..Layout::default()
    };
    let mut x = MARGIN + LANE_LABEL_WIDTH;
    for (stage_index, stage) in map.stages.iter().enumerate() {
        let funnel = stage.funnel_stage.and_then(|id| map.funnel_stage(id));
        out.stages.push(StageBox {
            id: stage.id,
            index: stage_index,
            header: Rect::from_min_size(pos(x, MARGIN), STAGE_WIDTH, HEADER_HEIGHT),
            column: Rect {
                min: pos(x, MARGIN),
                max: pos(x + STAGE_WIDTH, bottom),
            },
            funnel_color: funnel.map(|f| f.color),
            funnel_name: funnel.map(|f| f.name.clone()),
        });
        let stacked = members(stage.id);
        let (cards_y, _) = row(Lane::Touchpoints).expect("always laid out");
        for (i, &tp_index) in stacked.iter().enumerate() {
            let tp = &map.touchpoints[tp_index];
            let card = Rect::from_min_size(
                pos(
                    x + CARD_INSET,
                    cards_y + STACK_PADDING + i as f32 * (CARD_HEIGHT + CARD_GAP),
                ),
                CARD_WIDTH,
                CARD_HEIGHT,
            );
            // The stage's emotion line runs across its column, a point per
            // touchpoint in their order.
            let emotion_point = row(Lane::Emotion).map(|(lane_y, lane_h)| {
                let t = (2.0 - tp.emotion.clamp(-2, 2) as f32) / 4.0;
                let step = (STAGE_WIDTH - 2.0 * CARD_INSET) / stacked.len() as f32;
                pos(
                    x + CARD_INSET + step * (i as f32 + 0.5),
                    lane_y + 14.0 + t * (lane_h - 28.0),
                )
            });
            out.touchpoints.push(TouchpointBox {
                id: tp.id,
                index: tp_index,
                stage: stage.id,
                card,
                cells: Vec::new(),
                emotion_point,
            });
        }
        if let Some((notes_y, notes_h)) = row(Lane::Notes) {
            out.notes.push((stage.id, stage_cell(x, notes_y, notes_h)));
        }
        x += STAGE_WIDTH + STAGE_GAP;
    }
    let right = (x - STAGE_GAP).max(MARGIN + LANE_LABEL_WIDTH + STAGE_WIDTH);
    for &(lane, lane_y, lane_h) in &rows {
        out.lanes.push(LaneBox {
            lane,
            rect: Rect {
                min: pos(MARGIN, lane_y),
                max: pos(right, lane_y + lane_h),
            },
            label: Rect::from_min_size(pos(MARGIN, lane_y), LANE_LABEL_WIDTH - 8.0, lane_h),
        });
    }
    out.bounds = Rect {
        min: pos(0.0, 0.0),
        max: pos(right + MARGIN, bottom + MARGIN),
    };
    out
}

fn stage_cell(x: f32, lane_y: f32, lane_h: f32) -> Rect {
    Rect::from_min_size(
        pos(x + CARD_INSET, lane_y + CELL_PADDING),
        CARD_WIDTH,
        lane_h - 2.0 * CELL_PADDING,
    )
}

/// A stage's cell in a lane of an overview: where its summary of that lane
/// goes (pain points of all its touchpoints, its notes...).
pub fn cell(layout: &Layout, stage: &StageBox, lane: Lane) -> Option<Rect> {
    let row = layout.lane(lane)?.rect;
    Some(stage_cell(stage.column.min.x, row.min.y, row.height()))
}

/// Where the name of a stage goes in its header, below the funnel band.
pub fn header_title(header: Rect) -> Rect {
    Rect {
        min: pos(header.min.x + 10.0, header.min.y + FUNNEL_BAND_HEIGHT + 6.0),
        max: pos(header.max.x - 8.0, header.max.y - 4.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Stage, StageId, Touchpoint, TouchpointId, templates};

    fn map_with(per_stage: &[usize]) -> JourneyMap {
        let mut map = templates::find("basic").unwrap().new_map("t");
        map.stages.clear();
        let mut id = 100;
        for (s, &n) in per_stage.iter().enumerate() {
            let stage = StageId(10 + s as u32);
            map.stages.push(Stage {
                id: stage,
                name: format!("S{s}"),
                description: String::new(),
                funnel_stage: None,
                notes: vec![],
            });
            for _ in 0..n {
                id += 1;
                map.touchpoints
                    .push(Touchpoint::new(TouchpointId(id), stage, &format!("T{id}")));
            }
        }
        // Touchpoints of a stage need not be next to each other in the map.
        let last = map.touchpoints.len() - 1;
        map.touchpoints.swap(0, last);
        map
    }

    #[test]
    fn every_touchpoint_has_a_card_inside_its_stage_and_none_overlap() {
        let map = map_with(&[4, 0, 7, 1, 3]);
        let l = layout(&map, &Options::default());
        assert_eq!(l.form, crate::layout::Form::Compact);
        assert_eq!(l.touchpoints.len(), map.touchpoints.len());
        for tp in &map.touchpoints {
            let b = l.touchpoint(tp.id).expect("every touchpoint has a card");
            assert_eq!(b.stage, tp.stage);
            let column = l.stage(tp.stage).unwrap().column;
            assert!(
                column.contains(b.card.min) && column.contains(b.card.max),
                "{:?}",
                tp.id
            );
            let lane = l.lane(Lane::Touchpoints).unwrap().rect;
            assert!(lane.contains(b.card.min) && lane.contains(b.card.max));
            assert!(l.bounds.contains(b.card.max));
        }
        for (i, a) in l.touchpoints.iter().enumerate() {
            for b in &l.touchpoints[i + 1..] {
                assert!(!a.card.intersects(&b.card), "{:?} and {:?}", a.id, b.id);
            }
        }
        // Stacked in map order, top to bottom.
        let third: Vec<&TouchpointBox> = l.touchpoints.iter().filter(|t| t.stage == StageId(12)).collect();
        assert_eq!(third.len(), 7);
        assert!(
            third
                .windows(2)
                .all(|w| w[0].card.max.y < w[1].card.min.y && w[0].index < w[1].index)
        );
        // Found by position as in the full form.
        let x = l.stages[2].column.center().x;
        let found = &l.touchpoints[l.touchpoints_between(x, x)];
        assert_eq!(found.len(), 7);
    }

    #[test]
    fn stages_keep_one_width_side_by_side_whatever_they_hold() {
        let map = map_with(&[9, 0, 1]);
        let l = layout(&map, &Options::default());
        for s in &l.stages {
            assert_eq!(s.column.width(), STAGE_WIDTH);
            assert!(s.header.max.y < l.lanes[0].rect.min.y);
        }
        for pair in l.stages.windows(2) {
            assert!(pair[0].column.max.x < pair[1].column.min.x);
        }
        // Far narrower than the full form, which gives each card a column.
        let full = crate::layout::layout(&map, &Options::default());
        assert!(l.bounds.width() * 2.5 < full.bounds.width());
    }

    #[test]
    fn lanes_follow_the_options_and_cells_sit_in_their_stage() {
        let map = map_with(&[2, 2]);
        let some = layout(
            &map,
            &Options {
                lanes: vec![Lane::PainPoints, Lane::Does],
                ..Options::default()
            },
        );
        let lanes: Vec<Lane> = some.lanes.iter().map(|l| l.lane).collect();
        assert_eq!(lanes, [Lane::Touchpoints, Lane::PainPoints]);
        assert!(some.notes.is_empty());
        assert!(some.touchpoints.iter().all(|t| t.emotion_point.is_none()));
        let all = layout(&map, &Options::default());
        let stage = &all.stages[1];
        for lane in [Lane::PainPoints, Lane::Opportunities, Lane::Notes] {
            let cell = cell(&all, stage, lane).unwrap();
            assert!(stage.column.contains(cell.min) && stage.column.contains(cell.max));
            assert!(all.lane(lane).unwrap().rect.contains(cell.center()));
        }
        let emotion = all.lane(Lane::Emotion).unwrap().rect;
        for t in &all.touchpoints {
            let p = t.emotion_point.unwrap();
            assert!(emotion.contains(p));
            assert!(all.stage(t.stage).unwrap().column.contains(p));
        }
    }
}
