//! The overview form of a map (`layout::compact`) as a scene: stage headers
//! with their names in large type, stacked cards (title, channel, key
//! metric), and per stage a line of how it feels and the first of its pain
//! points, opportunities and notes with how many there are. Titles and
//! lists cut short end in `…`.

use super::{
    Anchor, Group, Kind, Paint, Scene, Shape, Stroke, TextBlock, at, grow, inside, lane_labels, over, rect_shape,
    stage_frame, text_in, translate,
};
use crate::export::text::fonts;
use crate::layout::compact::{self, CARD_METRIC_SIZE, CARD_TITLE_SIZE, STAGE_TITLE_SIZE, SUMMARY_SIZE, TITLE_LINES};
use crate::layout::text::channel_icon;
use crate::layout::{Lane, Layout, Pos, Rect, StageBox, pos, style};
use crate::model::{Idea, IdeaKind, JourneyMap, Rgb, Touchpoint};

pub fn build(map: &JourneyMap, layout: &Layout) -> Scene {
    let mut groups = Vec::new();
    let bands: Vec<Shape> = layout
        .lanes
        .iter()
        .enumerate()
        .map(|(i, lane)| rect_shape(lane.rect, 0.0, lane_fill(i), None))
        .collect();
    if let (Some(first), Some(last)) = (layout.lanes.first(), layout.lanes.last()) {
        groups.push(Group {
            id: "lanes".into(),
            title: None,
            kind: Kind::Lanes,
            bounds: first.rect.union(&last.rect),
            shapes: bands,
        });
    }
    for (i, stage_box) in layout.stages.iter().enumerate() {
        if let Some(group) = stage_group(map, layout, stage_box, i) {
            groups.push(group);
        }
    }
    emotion_groups(map, layout, &mut groups);
    for tp_box in &layout.touchpoints {
        let Some(tp) = at(&map.touchpoints, tp_box.index, |t| t.id == tp_box.id) else {
            continue;
        };
        groups.push(Group {
            id: format!("touchpoint-{}", tp.id.0),
            title: Some(tp.name.clone()),
            kind: Kind::Touchpoint,
            bounds: grow(tp_box.card, 2.0),
            shapes: card(tp_box.card, tp),
        });
    }
    if !layout.lanes.is_empty() {
        groups.push(lane_labels(layout));
    }
    Scene {
        size: (layout.bounds.width(), layout.bounds.height()),
        groups,
    }
}

fn lane_fill(i: usize) -> Rgb {
    if i.is_multiple_of(2) {
        style::LANE_A
    } else {
        style::LANE_B
    }
}

/// A rect at `top` just tall enough for `lines` lines of text, as
/// `text_in` counts them; what does not fit in them is cut with `…`.
fn lines_rect(x: f32, top: f32, width: f32, size: f32, bold: bool, lines: usize) -> Rect {
    let font = fonts().get(bold);
    let height = (font.ascent + font.descent * 0.3) * size + (lines.max(1) - 1) as f32 * font.line_height * size + 0.5;
    Rect::from_min_size(pos(x, top), width, height)
}

/// Room above a first line for the stacked marks of Vietnamese capitals.
fn mark_room(size: f32, bold: bool) -> f32 {
    (fonts().get(bold).mark_room() * size).ceil()
}

fn stage_group(map: &JourneyMap, layout: &Layout, stage_box: &StageBox, index: usize) -> Option<Group> {
    let stage = at(&map.stages, stage_box.index, |s| s.id == stage_box.id)?;
    let column = stage_box.column;
    let header = stage_box.header;
    let mut shapes = stage_frame(header, stage_box);
    let title = compact::header_title(header);
    let top = title.min.y + mark_room(STAGE_TITLE_SIZE, true);
    shapes.extend(text_in(
        lines_rect(title.min.x, top, title.width(), STAGE_TITLE_SIZE, true, TITLE_LINES),
        &stage.name,
        STAGE_TITLE_SIZE,
        true,
        style::INK,
        true,
    ));

    // What the stage's touchpoints say in the lanes below the cards.
    let members: Vec<&Touchpoint> = layout
        .touchpoints
        .iter()
        .filter(|t| t.stage == stage.id)
        .filter_map(|t| at(&map.touchpoints, t.index, |m| m.id == t.id))
        .collect();
    let summary = |lane: Lane, items: Vec<&str>, one: &str, many: &str, color: Rgb, shapes: &mut Vec<Shape>| {
        let Some(cell) = compact::cell(layout, stage_box, lane) else {
            return;
        };
        if items.is_empty() {
            return;
        }
        if lane == Lane::Notes {
            shapes.push(rect_shape(
                translate(cell, 1.5, 1.5),
                3.0,
                Paint {
                    color: Rgb(0, 0, 0),
                    opacity: 20.0 / 255.0,
                },
                None,
            ));
            shapes.push(rect_shape(cell, 3.0, style::NOTE, None));
        }
        let inner = if lane == Lane::Notes { cell.shrink(6.0) } else { cell };
        let count = format!("{} {}", items.len(), if items.len() == 1 { one } else { many });
        let head = lines_rect(
            inner.min.x,
            inner.min.y + mark_room(SUMMARY_SIZE, true),
            inner.width(),
            SUMMARY_SIZE,
            true,
            1,
        );
        shapes.extend(text_in(head, &count, SUMMARY_SIZE, true, color, false));
        let list = items
            .iter()
            .map(|i| format!("• {}", i.trim()))
            .collect::<Vec<_>>()
            .join("\n");
        // The last line keeps its descenders clear of the lane below.
        let descent = fonts().regular.descent * SUMMARY_SIZE;
        let rest = Rect {
            min: pos(inner.min.x, head.max.y + 2.0),
            max: pos(inner.max.x, inner.max.y - descent),
        };
        shapes.extend(text_in(rest, &list, SUMMARY_SIZE, false, style::INK, true));
    };
    // The touchpoints' ideas and what the room captured about the stage as a
    // whole, the most voted first: what fits is what matters most.
    let all = |f: fn(&Touchpoint) -> &[Idea], kind: IdeaKind| -> Vec<&str> {
        let mut ideas: Vec<(&str, u32)> = members
            .iter()
            .flat_map(|t| f(t))
            .map(|i| (i.text.as_str(), i.votes))
            .chain(
                stage
                    .notes
                    .iter()
                    .filter(|n| n.kind == kind)
                    .map(|n| (n.text.as_str(), n.votes)),
            )
            .collect();
        ideas.sort_by_key(|(_, votes)| std::cmp::Reverse(*votes));
        ideas.into_iter().map(|(text, _)| text).collect()
    };
    summary(
        Lane::PainPoints,
        all(|t| &t.pain_points, IdeaKind::PainPoint),
        "pain point",
        "pain points",
        style::PAIN,
        &mut shapes,
    );
    summary(
        Lane::Opportunities,
        all(|t| &t.opportunities, IdeaKind::Opportunity),
        "opportunity",
        "opportunities",
        style::OPPORTUNITY,
        &mut shapes,
    );
    summary(
        Lane::Notes,
        stage
            .notes
            .iter()
            .filter(|n| n.kind.is_note())
            .map(|n| n.text.as_str())
            .collect(),
        "note",
        "notes",
        style::INK,
        &mut shapes,
    );
    Some(Group {
        id: format!("stage-{}", stage.id.0),
        title: Some(stage.name.clone()),
        kind: Kind::Stage(index),
        bounds: column,
        shapes,
    })
}

/// A card of the overview: the mode strip, the title in large type, and on
/// its foot line the channel's icon and the key metric.
fn card(card: Rect, tp: &Touchpoint) -> Vec<Shape> {
    let radius = style::CARD_RADIUS;
    let mode_color = style::mode(tp.mode);
    let mut shapes = vec![
        rect_shape(
            translate(card, 0.0, 2.0),
            radius,
            Paint {
                color: Rgb(0, 0, 0),
                opacity: 18.0 / 255.0,
            },
            None,
        ),
        rect_shape(
            inside(card, 1.0),
            radius,
            style::CARD,
            Some(Stroke {
                width: 1.0,
                color: style::CARD_BORDER,
            }),
        ),
        Shape::Rect {
            rect: Rect::from_min_size(card.min, style::MODE_STRIP_WIDTH, card.height()),
            radii: [radius, 0.0, 0.0, radius],
            fill: Some(mode_color.into()),
            stroke: None,
        },
    ];
    let left = card.min.x + style::MODE_STRIP_WIDTH + 8.0;
    let width = card.max.x - 8.0 - left;
    let top = card.min.y + 6.0 + mark_room(CARD_TITLE_SIZE, true);
    shapes.extend(text_in(
        lines_rect(left, top, width, CARD_TITLE_SIZE, true, TITLE_LINES),
        &tp.name,
        CARD_TITLE_SIZE,
        true,
        style::INK,
        true,
    ));
    // The foot line: icon in the mode's colour, then the key metric.
    let font = &fonts().regular;
    let foot_top = card.max.y - 7.0 - font.line_height * CARD_METRIC_SIZE;
    let icon = channel_icon(&tp.channel);
    let icon_size = CARD_METRIC_SIZE + 1.0;
    shapes.push(Shape::Text(TextBlock {
        x: left,
        top: foot_top - 0.5,
        lines: vec![icon.to_owned()],
        size: icon_size,
        bold: false,
        color: mode_color,
        anchor: Anchor::Start,
    }));
    let text_left = left + font.width(icon, icon_size) + 6.0;
    let foot = style::key_metric(tp).unwrap_or_else(|| tp.channel.label().to_owned());
    let foot_rect = Rect {
        min: pos(text_left, foot_top),
        max: pos(card.max.x - 8.0, card.max.y - 2.0),
    };
    shapes.extend(text_in(foot_rect, &foot, CARD_METRIC_SIZE, false, style::MUTED, false));
    shapes
}

/// The emotion line: per stage a dashed neutral line, the segments through
/// its touchpoints' points (from the last point of the stage before), and
/// a dot per touchpoint in its emotion's colour.
fn emotion_groups(map: &JourneyMap, layout: &Layout, groups: &mut Vec<Group>) {
    let Some(lane_index) = layout.lanes.iter().position(|l| l.lane == Lane::Emotion) else {
        return;
    };
    let lane = layout.lanes[lane_index].rect;
    let line = Stroke {
        width: 2.0,
        color: over(style::INK, lane_fill(lane_index), 0.6),
    };
    let mid = lane.center().y;
    let mut last: Option<Pos> = None;
    for stage in &layout.stages {
        let x0 = stage.column.min.x + compact::CARD_INSET;
        let x1 = stage.column.max.x - compact::CARD_INSET;
        let mut shapes = vec![Shape::Polyline {
            points: vec![pos(x0, mid), pos(x1, mid)],
            stroke: Stroke {
                width: 1.0,
                color: style::CARD_BORDER,
            },
            dash: Some([6.0, 4.0]),
        }];
        let points: Vec<(Pos, i8)> = layout
            .touchpoints
            .iter()
            .filter(|t| t.stage == stage.id)
            .filter_map(|t| {
                Some((
                    t.emotion_point?,
                    at(&map.touchpoints, t.index, |m| m.id == t.id)?.emotion,
                ))
            })
            .collect();
        let mut bounds = Rect {
            min: pos(x0, lane.min.y),
            max: pos(x1, lane.max.y),
        };
        let mut path: Vec<Pos> = last.into_iter().collect();
        path.extend(points.iter().map(|p| p.0));
        if let Some(&first) = path.first() {
            bounds = bounds.union(&Rect { min: first, max: first });
        }
        if path.len() > 1 {
            shapes.push(Shape::Polyline {
                points: path,
                stroke: line,
                dash: None,
            });
        }
        for &(p, score) in &points {
            shapes.push(Shape::Circle {
                center: p,
                radius: 5.0,
                fill: style::emotion(score),
                stroke: Some(Stroke {
                    width: 1.5,
                    color: style::WHITE,
                }),
            });
        }
        if let Some(&(p, _)) = points.last() {
            last = Some(p);
        }
        groups.push(Group {
            id: String::new(),
            title: None,
            kind: Kind::Emotion,
            bounds: grow(bounds, 6.0),
            shapes,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Options, compact::layout as compact_layout};
    use crate::model::{Metric, MetricSource, Unit};

    fn vietnamese() -> JourneyMap {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/vi_dien_may_8_buoc.ron");
        crate::model::format::load(std::path::Path::new(path)).unwrap()
    }

    fn texts(group: &Group) -> impl Iterator<Item = &TextBlock> {
        group.shapes.iter().filter_map(|s| match s {
            Shape::Text(t) => Some(t),
            _ => None,
        })
    }

    #[test]
    fn every_card_shows_its_title_in_large_type_cut_with_an_ellipsis() {
        let map = vietnamese();
        let layout = compact_layout(&map, &Options::default());
        let scene = build(&map, &layout);
        for tp in &map.touchpoints {
            let group = scene
                .groups
                .iter()
                .find(|g| g.id == format!("touchpoint-{}", tp.id.0))
                .unwrap();
            let title = texts(group).find(|t| t.bold).expect("a title");
            assert_eq!(title.size, CARD_TITLE_SIZE);
            assert!(title.lines.len() <= TITLE_LINES);
            let shown = title.lines.join(" ");
            if shown.ends_with('…') {
                let kept = shown.trim_end_matches('…').trim_end();
                assert!(tp.name.starts_with(kept), "{shown:?} is the start of {:?}", tp.name);
            } else {
                assert_eq!(shown, tp.name);
            }
            let font = &fonts().bold;
            for line in &title.lines {
                assert!(font.width(line, CARD_TITLE_SIZE) <= compact::CARD_WIDTH, "{line}");
            }
        }
        let stage = scene
            .groups
            .iter()
            .find(|g| g.id == format!("stage-{}", map.stages[0].id.0))
            .unwrap();
        assert!(texts(stage).any(|t| t.size == STAGE_TITLE_SIZE && t.lines.join(" ") == map.stages[0].name));
    }

    #[test]
    fn stacked_marks_stay_inside_cards_and_headers() {
        let mut map = vietnamese();
        map.touchpoints[0].name = "ỔN ĐỊNH ẪM ẬP Ổ".into();
        map.stages[0].name = "ỔẪẬ Ổn định".into();
        let layout = compact_layout(&map, &Options::default());
        let scene = build(&map, &layout);
        let ink_top = |t: &TextBlock| {
            let font = fonts().get(t.bold);
            t.baseline(0) - font.ink_top(&t.lines[0]) * t.size
        };
        let card = layout
            .touchpoints
            .iter()
            .find(|t| t.id == map.touchpoints[0].id)
            .unwrap()
            .card;
        let group = scene
            .groups
            .iter()
            .find(|g| g.id == format!("touchpoint-{}", map.touchpoints[0].id.0))
            .unwrap();
        let title = texts(group).find(|t| t.bold).unwrap();
        assert!(
            ink_top(title) >= card.min.y + 2.0,
            "{} vs {}",
            ink_top(title),
            card.min.y
        );
        let header = layout.stages[0].header;
        let band_bottom = header.min.y + crate::layout::FUNNEL_BAND_HEIGHT;
        let stage = scene
            .groups
            .iter()
            .find(|g| g.id == format!("stage-{}", map.stages[0].id.0))
            .unwrap();
        let name = texts(stage).find(|t| t.size == STAGE_TITLE_SIZE).unwrap();
        assert!(ink_top(name) >= band_bottom + 1.0, "{} vs {band_bottom}", ink_top(name));
        // The marks do reach well above a plain capital.
        let bold = &fonts().bold;
        assert!(bold.ink_top("Ổ") > bold.ink_top("O") + 0.15);
    }

    #[test]
    fn lanes_show_counts_and_the_first_items() {
        let mut map = vietnamese();
        let stage = map.stages[1].id;
        let members: Vec<usize> = (0..map.touchpoints.len())
            .filter(|&i| map.touchpoints[i].stage == stage)
            .collect();
        for &i in &members {
            map.touchpoints[i].pain_points.clear();
        }
        map.touchpoints[members[0]].pain_points = vec!["Giá không rõ ràng".into(), "Chờ lâu".into()];
        map.touchpoints[members[1]].pain_points = vec!["Khó tìm".into()];
        map.touchpoints[members[0]].metrics = vec![Metric {
            id: crate::model::MetricId(9999),
            name: "Lượt tiếp cận".into(),
            value: Some(1_850_000.0),
            target: None,
            unit: Unit::Count,
            source: MetricSource::Manual,
        }];
        let layout = compact_layout(&map, &Options::default());
        let scene = build(&map, &layout);
        let group = scene
            .groups
            .iter()
            .find(|g| g.id == format!("stage-{}", stage.0))
            .unwrap();
        let all: Vec<String> = texts(group).flat_map(|t| t.lines.clone()).collect();
        assert!(all.contains(&"3 pain points".to_owned()), "{all:?}");
        assert!(all.contains(&"• Giá không rõ ràng".to_owned()), "{all:?}");
        let card = scene
            .groups
            .iter()
            .find(|g| g.id == format!("touchpoint-{}", map.touchpoints[members[0]].id.0))
            .unwrap();
        let lines: Vec<String> = texts(card).flat_map(|t| t.lines.clone()).collect();
        assert!(
            lines.contains(&"Lượt tiếp cận: 1\u{202f}850\u{202f}000".to_owned()),
            "{lines:?}"
        );
        assert!(lines.contains(&channel_icon(&map.touchpoints[members[0]].channel).to_owned()));
    }
}
