//! The data on an exported map, as the canvas shows it: how many people met
//! each touchpoint, which ones nobody meets, which are not measured at all,
//! the drop-off between funnel stages along the spine, and the paths people
//! take that the map lacks.

use super::scene::{Anchor, Group, Kind, Shape, Stroke, TextBlock};
use super::text::fonts;
use crate::analysis::Comparison;
use crate::layout::{Layout, Pos, Rect, pos, style, text::group_thousands};
use crate::model::JourneyMap;

const BADGE_SIZE: f32 = 11.0;

/// A rounded label: `text` in white on `color`, its right edge at `right`.
fn pill(right: f32, top: f32, text: &str, color: crate::model::Rgb) -> Vec<Shape> {
    let font = &fonts().bold;
    let w = font.width(text, BADGE_SIZE) + 10.0;
    let h = font.line_height * BADGE_SIZE + 4.0;
    let rect = Rect::from_min_size(pos(right - w, top), w, h);
    vec![
        Shape::Rect {
            rect,
            radii: [h / 2.0; 4],
            fill: Some(color.into()),
            stroke: None,
        },
        Shape::Text(TextBlock {
            x: rect.min.x + 5.0,
            top: rect.min.y + 2.0,
            lines: vec![text.to_owned()],
            size: BADGE_SIZE,
            bold: true,
            color: style::WHITE,
            anchor: Anchor::Start,
        }),
    ]
}

fn dashed_outline(r: Rect, color: crate::model::Rgb) -> Shape {
    Shape::Polyline {
        points: vec![
            pos(r.min.x, r.min.y),
            pos(r.max.x, r.min.y),
            pos(r.max.x, r.max.y),
            pos(r.min.x, r.max.y),
            pos(r.min.x, r.min.y),
        ],
        stroke: Stroke { width: 2.0, color },
        dash: Some([6.0, 4.0]),
    }
}

/// The overlay's groups, drawn over the map's own.
pub fn groups(map: &JourneyMap, layout: &Layout, c: &Comparison) -> Vec<Group> {
    let mut out = Vec::new();
    let max = c.touchpoints.iter().map(|t| t.people_reached).max().unwrap_or(0);
    for tp_box in &layout.touchpoints {
        let card = tp_box.card;
        if card.height() <= 0.0 {
            continue;
        }
        let Some(tp) = map.touchpoints.get(tp_box.index) else {
            continue;
        };
        let reached = c
            .touchpoints
            .get(tp_box.index)
            .filter(|s| s.id == tp.id)
            .map(|s| s.people_reached);
        let top = card.min.y - 9.0;
        let mut shapes = Vec::new();
        match reached {
            // Without matchers the data cannot speak of it: neutral, not red.
            _ if tp.matchers.is_empty() => {
                shapes.extend(pill(card.max.x - 4.0, top, "not measured", style::NOT_MEASURED))
            }
            Some(0) | None => {
                shapes.push(dashed_outline(card.shrink(-3.0), style::PAIN));
                shapes.extend(pill(card.max.x - 4.0, top, "nobody meets this", style::PAIN));
            }
            Some(n) => {
                let share = if max == 0 { 0.0 } else { n as f32 / max as f32 };
                let color = style::reach(share);
                shapes.push(Shape::Rect {
                    rect: Rect::from_min_size(pos(card.min.x, card.max.y - 5.0), card.width() * share, 5.0),
                    radii: [0.0; 4],
                    fill: Some(color.into()),
                    stroke: None,
                });
                let people = if n == 1 {
                    "1 person".to_owned()
                } else {
                    format!("{} people", group_thousands(n as f64))
                };
                shapes.extend(pill(card.max.x - 4.0, top, &people, color));
            }
        }
        out.push(Group {
            id: format!("data-{}", tp.id.0),
            title: None,
            kind: Kind::Overlay,
            bounds: card.shrink(-12.0),
            shapes,
        });
    }
    out.extend(drop_off(map, layout, c));
    out.extend(missing_links(layout, c));
    out
}

/// Under each funnel stage's first journey stage: how many people reached
/// it and, from the second on, how many of the previous stage's did not.
fn drop_off(map: &JourneyMap, layout: &Layout, c: &Comparison) -> Vec<Group> {
    let mut out = Vec::new();
    let mut previous: Option<u64> = None;
    for stats in &c.funnel_stages {
        let Some(stage_box) = layout
            .stages
            .iter()
            .find(|s| map.stages.get(s.index).and_then(|st| st.funnel_stage) == Some(stats.id))
        else {
            continue;
        };
        let reached = stats.people_reached;
        let mut text = format!("{}: {} reached", stats.name, group_thousands(reached as f64));
        if let Some(before) = previous
            && before > 0
        {
            let lost = before.saturating_sub(reached) as f64 / before as f64;
            text.push_str(&format!(" (−{:.0}%)", lost * 100.0));
        }
        previous = Some(reached);
        let header = stage_box.header;
        let shapes = pill(
            header.min.x + fonts().bold.width(&text, BADGE_SIZE) + 14.0,
            header.max.y + 3.0,
            &text,
            style::reach(0.9),
        );
        out.push(Group {
            id: format!("drop-off-{}", stats.id.0),
            title: Some(text),
            kind: Kind::Overlay,
            bounds: Rect::from_min_size(pos(header.min.x, header.max.y), header.width().max(200.0), 22.0),
            shapes,
        });
    }
    out
}

/// Paths people take that the map has no link for: dashed, with how many
/// times people took them.
fn missing_links(layout: &Layout, c: &Comparison) -> Vec<Group> {
    let mut out = Vec::new();
    for t in &c.missing_links {
        let Some((curve, _)) = layout.curve_between(t.from, t.to) else {
            continue;
        };
        let points: Vec<Pos> = (0..=16).map(|i| curve.point(i as f32 / 16.0)).collect();
        let mid = curve.point(0.5);
        let label = format!("{}×", group_thousands(t.count as f64));
        let mut shapes = vec![Shape::Polyline {
            points,
            stroke: Stroke {
                width: 2.0,
                color: style::MISSING,
            },
            dash: Some([6.0, 4.0]),
        }];
        let w = fonts().bold.width(&label, BADGE_SIZE) + 10.0;
        shapes.extend(pill(mid.x + w / 2.0, mid.y - 8.0, &label, style::MISSING));
        out.push(Group {
            id: format!("missing-{}-{}", t.from.0, t.to.0),
            title: Some(format!("{} → {}: taken {} times", t.from_name, t.to_name, t.count)),
            kind: Kind::Overlay,
            bounds: curve.bounds().shrink(-12.0),
            shapes,
        });
    }
    out
}
