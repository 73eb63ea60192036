//! The data on an exported map, as the canvas shows it: how many people met
//! each touchpoint, which ones nobody meets, which are not measured at all,
//! the drop-off between funnel stages along the spine, and the paths people
//! take that the map lacks.

use super::scene::{Anchor, Group, Kind, Shape, Stroke, TextBlock};
use super::text::fonts;
use crate::analysis::Comparison;
use crate::layout::{Layout, Pos, Rect, pos, style, text::group_thousands};
use crate::model::JourneyMap;

use super::place::{self, BADGE_SIZE, Placer};

/// A pill's size for `text`.
fn pill_size(text: &str) -> (f32, f32) {
    (fonts().bold.width(text, BADGE_SIZE) + 10.0, place::badge_height())
}

/// A rounded label: `text` in white on `color`, its right edge at `right`.
fn pill(right: f32, top: f32, text: &str, color: crate::model::Rgb) -> Vec<Shape> {
    let (w, h) = pill_size(text);
    pill_in(Rect::from_min_size(pos(right - w, top), w, h), text, color)
}

/// A pill filling `rect`.
fn pill_in(rect: Rect, text: &str, color: crate::model::Rgb) -> Vec<Shape> {
    let h = rect.height();
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
    // Stats come in map order; by id while a new comparison is computed
    // for a map with touchpoints added or removed.
    let by_id: std::collections::HashMap<_, _> = c.touchpoints.iter().map(|s| (s.id, s)).collect();
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
            .or_else(|| by_id.get(&tp.id).copied())
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
    // Badges on curves go where no card, link label or other badge is.
    let mut placer = Placer::for_layout(map, layout);
    place::link_labels(map, layout, &mut placer);
    out.extend(missing_links(layout, c, &mut placer));
    out
}

/// Under each funnel stage's first journey stage: how many people reached
/// it and, from the second on, how many of the previous stage's did not.
/// Each in the spot kept for it (`place::drop_off_spots`), cut to fit.
fn drop_off(map: &JourneyMap, layout: &Layout, c: &Comparison) -> Vec<Group> {
    let mut out = Vec::new();
    let mut previous: Option<u64> = None;
    let spots = place::drop_off_spots(map, layout);
    for stats in &c.funnel_stages {
        let Some(&(stage, spot)) = spots.iter().find(|(i, _)| {
            let b = &layout.stages[*i];
            map.stages.get(b.index).and_then(|st| st.funnel_stage) == Some(stats.id)
        }) else {
            continue;
        };
        let stage_box = &layout.stages[stage];
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
        let shown = fonts().bold.ellipsize(&text, BADGE_SIZE, spot.width() - 10.0);
        let (w, _) = pill_size(&shown);
        let rect = Rect::from_min_size(spot.min, w.min(spot.width()), spot.height());
        let shapes = pill_in(rect, &shown, style::reach(0.9));
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
/// times people took them where a free spot along the path allows.
fn missing_links(layout: &Layout, c: &Comparison, placer: &mut Placer) -> Vec<Group> {
    let mut out = Vec::new();
    // The counts go over every dashed path, so no path crosses a count.
    let mut counts = Vec::new();
    for t in &c.missing_links {
        let Some((curve, _)) = layout.curve_between(t.from, t.to) else {
            continue;
        };
        let points: Vec<Pos> = (0..=16).map(|i| curve.point(i as f32 / 16.0)).collect();
        let title = format!("{} → {}: taken {} times", t.from_name, t.to_name, t.count);
        let id = format!("missing-{}-{}", t.from.0, t.to.0);
        out.push(Group {
            id: id.clone(),
            title: Some(title.clone()),
            kind: Kind::Overlay,
            bounds: curve.bounds().shrink(-12.0),
            shapes: vec![Shape::Polyline {
                points,
                stroke: Stroke {
                    width: 2.0,
                    color: style::MISSING,
                },
                dash: Some([6.0, 4.0]),
            }],
        });
        let label = format!("{}×", group_thousands(t.count as f64));
        let (w, h) = pill_size(&label);
        if let Some(rect) = placer.first_free(place::along(&curve, w, h)) {
            counts.push(Group {
                id: format!("{id}-count"),
                title: Some(title),
                kind: Kind::Overlay,
                bounds: rect,
                shapes: pill_in(rect, &label, style::MISSING),
            });
        }
    }
    out.extend(counts);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{self, Lane};

    fn strictly_overlap(a: &Rect, b: &Rect) -> bool {
        a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y
    }

    /// The pills of a group: its rounded, filled boxes.
    fn pills(group: &Group) -> Vec<Rect> {
        group
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect { rect, radii, .. } if radii[0] > 0.0 => Some(*rect),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn data_badges_never_stack_on_each_other_on_labels_or_on_cards() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/vi_dien_may_8_buoc.ron");
        let map = crate::model::format::load(std::path::Path::new(path)).unwrap();
        let log = crate::analysis::synthetic_log(300, 7);
        let mut c = crate::analysis::compare(&map, &log, 0.05);
        // Paths the map lacks from every card to the next but one, and back:
        // as many badges on curves as can be.
        let tps = &map.touchpoints;
        for (i, from) in tps.iter().enumerate() {
            for to in [tps.get(i + 2), i.checked_sub(3).and_then(|j| tps.get(j))]
                .into_iter()
                .flatten()
            {
                c.missing_links.push(crate::analysis::TouchpointTransition {
                    from: from.id,
                    to: to.id,
                    from_name: from.name.clone(),
                    to_name: to.name.clone(),
                    count: 1000 + i as u64,
                    share: 0.5,
                    on_map: false,
                });
            }
        }
        let lanes = Lane::ALL.to_vec();
        let fitted = layout::Options {
            fit: Some(super::super::fit::measure(&map, &lanes)),
            lanes,
        };
        for options in [layout::Options::default(), fitted] {
            let l = layout::layout(&map, &options);
            let groups = groups(&map, &l, &c);
            let mut badges: Vec<(String, Rect)> = Vec::new();
            for g in &groups {
                badges.extend(pills(g).into_iter().map(|r| (g.id.clone(), r)));
            }
            assert!(badges.iter().any(|(id, _)| id.starts_with("drop-off-")));
            assert!(badges.iter().any(|(id, _)| id.starts_with("missing-")));
            for (i, (id, a)) in badges.iter().enumerate() {
                for (other, b) in &badges[i + 1..] {
                    assert!(!strictly_overlap(a, b), "{id} {a:?} and {other} {b:?} overlap");
                }
            }
            let labels: Vec<Rect> = place::link_labels(&map, &l, &mut Placer::for_layout(&map, &l))
                .into_iter()
                .flatten()
                .collect();
            for (id, a) in &badges {
                for label in &labels {
                    assert!(!strictly_overlap(a, label), "{id} covers a link label");
                }
                // Reach badges sit on their card's top edge; the others on no card.
                if !id.starts_with("data-") {
                    for t in &l.touchpoints {
                        assert!(!strictly_overlap(a, &t.card), "{id} covers a card");
                    }
                }
            }
        }
    }
}
