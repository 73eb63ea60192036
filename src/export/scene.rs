//! The picture of a map as a list of simple shapes in map units, built from
//! a `layout::Layout` the way `ui::canvas` paints it: same boxes, colours,
//! type sizes and text, wrapped into lines here once. `svg`, `raster` (PNG)
//! and `pdf` each only translate these shapes, so there is one drawing of a
//! map for every format.
//!
//! Shapes come in groups (a lane band, a stage, a touchpoint, a link...), each
//! with its bounds, so a page of a PDF keeps only the groups it shows.

use std::collections::HashMap;

use crate::layout::{self, Cubic, Lane, Layout, Pos, Rect, StageBox, pos, style};
use crate::model::{JourneyMap, Rgb, StageId};

use super::text::fonts;

pub mod compact;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paint {
    pub color: Rgb,
    pub opacity: f32,
}

impl From<Rgb> for Paint {
    fn from(color: Rgb) -> Paint {
        Paint { color, opacity: 1.0 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    pub width: f32,
    pub color: Rgb,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Anchor {
    Start,
    Middle,
}

/// Lines of text, the first one's top at `top`.
#[derive(Clone, Debug, PartialEq)]
pub struct TextBlock {
    pub x: f32,
    pub top: f32,
    pub lines: Vec<String>,
    pub size: f32,
    pub bold: bool,
    pub color: Rgb,
    pub anchor: Anchor,
}

impl TextBlock {
    pub fn baseline(&self, line: usize) -> f32 {
        let font = fonts().get(self.bold);
        self.top + (font.ascent + font.line_height * line as f32) * self.size
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Corner radii clockwise from the top left: nw, ne, se, sw.
    Rect {
        rect: Rect,
        radii: [f32; 4],
        fill: Option<Paint>,
        stroke: Option<Stroke>,
    },
    Polyline {
        points: Vec<Pos>,
        stroke: Stroke,
        dash: Option<[f32; 2]>,
    },
    Circle {
        center: Pos,
        radius: f32,
        fill: Rgb,
        stroke: Option<Stroke>,
    },
    Curve {
        curve: Cubic,
        stroke: Stroke,
    },
    Polygon {
        points: Vec<Pos>,
        fill: Rgb,
    },
    Text(TextBlock),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Lanes,
    /// A stage's column line and header; its index in `layout.stages`.
    Stage(usize),
    Emotion,
    Link,
    Touchpoint,
    Notes,
    LaneLabels,
    /// The title block, persona cards and legend around the map.
    Frame,
    /// The data drawn over the map.
    Overlay,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// An id for the SVG group, e.g. `touchpoint-12`.
    pub id: String,
    /// The full name of what the group draws (a card may show it cut short),
    /// the group's `<title>` in SVG: read by screen readers, found by search.
    pub title: Option<String>,
    pub kind: Kind,
    pub bounds: Rect,
    pub shapes: Vec<Shape>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Scene {
    pub size: (f32, f32),
    pub groups: Vec<Group>,
}

fn rect_shape(rect: Rect, radius: f32, fill: impl Into<Paint>, stroke: Option<Stroke>) -> Shape {
    Shape::Rect {
        rect,
        radii: [radius; 4],
        fill: Some(fill.into()),
        stroke,
    }
}

/// A stroke drawn inside `rect`, like egui's `StrokeKind::Inside`.
fn inside(rect: Rect, width: f32) -> Rect {
    rect.shrink(width / 2.0)
}

fn translate(r: Rect, dx: f32, dy: f32) -> Rect {
    Rect {
        min: pos(r.min.x + dx, r.min.y + dy),
        max: pos(r.max.x + dx, r.max.y + dy),
    }
}

/// Text in `rect` from its top left, wrapped (or cut with `…`), only the
/// lines that fit; `None` when nothing does.
pub(super) fn text_in(rect: Rect, text: &str, size: f32, bold: bool, color: Rgb, wrap: bool) -> Option<Shape> {
    if rect.width() <= 1.0 || rect.height() <= 1.0 || text.trim().is_empty() {
        return None;
    }
    let font = fonts().get(bold);
    let clean: String;
    let text = if text.chars().any(|c| c.is_control() && c != '\n') {
        clean = text
            .chars()
            .filter_map(|c| match c {
                '\t' | '\r' => Some(' '),
                c if c.is_control() && c != '\n' => None,
                c => Some(c),
            })
            .collect();
        clean.as_str()
    } else {
        text
    };
    let max_lines = font.lines_in(rect.height(), size);
    let lines = if wrap {
        font.wrap(text, size, rect.width(), max_lines)
    } else if max_lines == 0 {
        Vec::new()
    } else {
        let first = text.lines().next().unwrap_or_default();
        vec![font.ellipsize(first, size, rect.width())]
    };
    (!lines.is_empty()).then_some(Shape::Text(TextBlock {
        x: rect.min.x,
        top: rect.min.y,
        lines,
        size,
        bold,
        color,
        anchor: Anchor::Start,
    }))
}

/// One line centred on `center`, like egui's `Align2::CENTER_CENTER`.
fn centered(center: Pos, text: &str, size: f32, bold: bool, color: Rgb, anchor: Anchor) -> Shape {
    let font = fonts().get(bold);
    Shape::Text(TextBlock {
        x: center.x,
        top: center.y - font.line_height * size / 2.0,
        lines: vec![text.to_owned()],
        size,
        bold,
        color,
        anchor,
    })
}

/// Mixes `a` over `b` at `alpha`, for strokes that overlap themselves.
fn over(a: Rgb, b: Rgb, alpha: f32) -> Rgb {
    let m = |x: u8, y: u8| (f32::from(x) * alpha + f32::from(y) * (1.0 - alpha)).round() as u8;
    Rgb(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

pub fn build(map: &JourneyMap, layout: &Layout) -> Scene {
    build_with(map, layout, false)
}

/// `build`; with `measured`, metrics measured from data show against their
/// targets in green or red.
pub fn build_with(map: &JourneyMap, layout: &Layout, measured: bool) -> Scene {
    let mut groups = Vec::new();
    let size = (layout.bounds.width(), layout.bounds.height());

    // Lane bands, alternating.
    let mut lanes = Vec::new();
    for (i, lane) in layout.lanes.iter().enumerate() {
        let fill = if i % 2 == 0 { style::LANE_A } else { style::LANE_B };
        lanes.push(rect_shape(lane.rect, 0.0, fill, None));
    }
    if let (Some(first), Some(last)) = (layout.lanes.first(), layout.lanes.last()) {
        groups.push(Group {
            title: None,
            id: "lanes".into(),
            kind: Kind::Lanes,
            bounds: first.rect.union(&last.rect),
            shapes: lanes,
        });
    }

    for (i, stage_box) in layout.stages.iter().enumerate() {
        if let Some(group) = stage_group(map, stage_box, i, stage_box.header.min.x) {
            groups.push(group);
        }
    }

    emotion_groups(map, layout, &mut groups);

    for b in &layout.personas {
        if let Some(persona) = at(&map.personas, b.index, |p| p.id == b.id) {
            groups.push(super::persona::group(persona, b));
        }
    }

    // Each label where it covers no card and no other label, or left out.
    let spots = super::place::link_labels(map, layout, &mut super::place::Placer::for_layout(map, layout));
    // Labels go over every curve, so no line runs through one.
    let mut labels = Vec::new();
    for (link, spot) in layout.links.iter().zip(spots) {
        let color = if link.loop_back { style::LOOP_BACK } else { style::LINK };
        let named = at(&map.links, link.index, |l| l.id == link.id).filter(|l| !l.label.trim().is_empty());
        groups.push(Group {
            title: named.map(|l| l.label.clone()),
            id: format!("link-{}", link.id.0),
            kind: Kind::Link,
            bounds: grow(link.curve.bounds(), style::ARROW_SIZE),
            shapes: arrow(link.curve, color),
        });
        if let Some(l) = named
            && let Some(r) = spot
        {
            let label = l.label.lines().next().unwrap_or_default();
            labels.push(Group {
                title: Some(l.label.clone()),
                id: format!("link-{}-label", link.id.0),
                kind: Kind::Link,
                bounds: r,
                shapes: vec![
                    rect_shape(r, 4.0, style::CANVAS, None),
                    Shape::Text(TextBlock {
                        x: r.min.x + 3.0,
                        top: r.min.y + 3.0,
                        lines: vec![label.to_owned()],
                        size: style::LINK_LABEL_SIZE,
                        bold: false,
                        color,
                        anchor: Anchor::Start,
                    }),
                ],
            });
        }
    }
    groups.extend(labels);

    for tp_box in &layout.touchpoints {
        let Some(tp) = at(&map.touchpoints, tp_box.index, |t| t.id == tp_box.id) else {
            continue;
        };
        let mut shapes = Vec::new();
        let mut bounds = tp_box.card;
        for &(lane, cell) in &tp_box.cells {
            if lane == Lane::Emotion {
                continue;
            }
            bounds = bounds.union(&cell);
            if lane == Lane::Metrics && measured {
                shapes.extend(measured_metrics(cell, tp));
                continue;
            }
            // Ideas go one by one, each beside its dot votes.
            let ideas = match lane {
                Lane::PainPoints => Some(&tp.pain_points),
                Lane::Opportunities => Some(&tp.opportunities),
                _ => None,
            };
            if let Some(ideas) = ideas {
                shapes.extend(super::ideas::cell(cell, ideas, style::cell_color(lane)));
                continue;
            }
            let text = style::cell_text(lane, tp, &map.currency);
            shapes.extend(text_in(
                cell,
                &text,
                style::CELL_SIZE,
                false,
                style::cell_color(lane),
                true,
            ));
        }
        if tp_box.card.height() > 0.0 {
            card(&mut shapes, tp_box.card, tp);
            bounds = bounds.union(&translate(tp_box.card, 0.0, 2.0));
        }
        groups.push(Group {
            title: Some(tp.name.clone()),
            id: format!("touchpoint-{}", tp.id.0),
            kind: Kind::Touchpoint,
            bounds,
            shapes,
        });
    }

    let stage_at: HashMap<StageId, usize> = layout.stages.iter().map(|s| (s.id, s.index)).collect();
    for (stage_id, area) in &layout.notes {
        let Some(stage) = stage_at
            .get(stage_id)
            .and_then(|&i| at(&map.stages, i, |s| s.id == *stage_id))
        else {
            continue;
        };
        let shapes = notes(*area, &stage.notes);
        if !shapes.is_empty() {
            groups.push(Group {
                title: None,
                id: format!("notes-{}", stage_id.0),
                kind: Kind::Notes,
                bounds: grow(*area, 4.0),
                shapes,
            });
        }
    }

    if !layout.lanes.is_empty() {
        groups.push(lane_labels(layout));
    }
    Scene { size, groups }
}

/// The metrics lane with data: one block per metric, the ones measured
/// from data green at or past their target and red short of it.
fn measured_metrics(cell: Rect, tp: &crate::model::Touchpoint) -> Vec<Shape> {
    use crate::model::{DataMeasure, MetricSource};
    let mut shapes = Vec::new();
    let mut top = cell.min.y;
    for (metric, line) in tp.metrics.iter().zip(style::metric_lines(tp)) {
        let color = match (&metric.source, metric.value, metric.target) {
            (MetricSource::Data(measure), Some(value), Some(target)) => {
                // Cost per conversion is good when low; the others when high.
                let good = if *measure == DataMeasure::CostPerConversion {
                    value <= target
                } else {
                    value >= target
                };
                if good { style::ON_TARGET } else { style::BELOW_TARGET }
            }
            _ => style::INK,
        };
        let font = &fonts().regular;
        let lines = font.wrap(&line, style::CELL_SIZE, cell.width(), usize::MAX).len();
        let rect = Rect {
            min: pos(cell.min.x, top),
            max: pos(cell.max.x, cell.max.y),
        };
        shapes.extend(text_in(rect, &line, style::CELL_SIZE, false, color, true));
        // Each metric starts where the lines before it end, as the
        // paragraphs of one text block would.
        top += lines as f32 * font.line_height * style::CELL_SIZE;
    }
    shapes
}

/// The item a layout box stands for, by the box's index into the map: a
/// scene is one pass over the layout, never a search per item. `is` checks
/// the index still names that item; a layout of another version of the map
/// falls back to a search.
fn at<T>(items: &[T], index: usize, is: impl Fn(&T) -> bool) -> Option<&T> {
    match items.get(index) {
        Some(item) if is(item) => Some(item),
        _ => items.iter().find(|item| is(item)),
    }
}

fn grow(r: Rect, by: f32) -> Rect {
    r.shrink(-by)
}

/// A stage's column line and its header's box (drawn in `header`) with its
/// funnel stage's coloured band and name, in either form of the map.
pub(super) fn stage_frame(header: Rect, stage_box: &StageBox) -> Vec<Shape> {
    let radius = style::HEADER_RADIUS;
    let column = stage_box.column;
    let border = Stroke {
        width: 1.0,
        color: style::CARD_BORDER,
    };
    let mut shapes = vec![
        Shape::Polyline {
            points: vec![pos(column.max.x, column.min.y), pos(column.max.x, column.max.y)],
            stroke: border,
            dash: None,
        },
        rect_shape(inside(header, 1.0), radius, style::HEADER, Some(border)),
    ];
    let band = Rect::from_min_size(header.min, header.width(), layout::FUNNEL_BAND_HEIGHT);
    shapes.push(Shape::Rect {
        rect: band,
        radii: [radius, radius, 0.0, 0.0],
        fill: Some(stage_box.funnel_color.unwrap_or(style::MUTED).into()),
        stroke: None,
    });
    if let Some(name) = &stage_box.funnel_name {
        let r = Rect {
            min: pos(band.min.x + 8.0, band.min.y),
            max: pos(band.max.x - 8.0, band.max.y),
        };
        shapes.extend(text_in(r, name, style::FUNNEL_LABEL_SIZE, false, style::WHITE, false));
    }
    shapes
}

/// A stage's column line and header. `from_x` is where the header starts to
/// be seen: a page that begins inside a stage repeats its header there.
pub fn stage_group(map: &JourneyMap, stage_box: &StageBox, index: usize, from_x: f32) -> Option<Group> {
    let stage = at(&map.stages, stage_box.index, |s| s.id == stage_box.id)?;
    let mut header = stage_box.header;
    header.min.x = header.min.x.max(from_x).min(header.max.x - 40.0);
    let mut shapes = stage_frame(header, stage_box);
    let title = Rect {
        min: pos(header.min.x + 10.0, header.min.y + layout::FUNNEL_BAND_HEIGHT + 4.0),
        max: pos(header.max.x - 6.0, header.max.y - 6.0),
    };
    let parts = header_parts(stage, title.width());
    shapes.extend(text_in(
        Rect {
            min: title.min,
            max: pos(
                title.max.x,
                title.min.y + parts.name_height.max(title.height().min(24.0)),
            ),
        },
        &stage.name,
        style::STAGE_TITLE_SIZE,
        true,
        style::INK,
        true,
    ));
    // The stage's story under its name, where the header has room for it
    // (exports grow headers so it always does).
    let story = Rect {
        min: pos(title.min.x, title.min.y + parts.name_height + 4.0),
        max: title.max,
    };
    shapes.extend(text_in(
        story,
        &stage.description,
        style::CELL_SIZE,
        false,
        style::MUTED,
        true,
    ));
    Some(Group {
        title: Some(stage.name.clone()),
        id: format!("stage-{}", stage.id.0),
        kind: Kind::Stage(index),
        bounds: stage_box.column,
        shapes,
    })
}

fn card(shapes: &mut Vec<Shape>, card: Rect, tp: &crate::model::Touchpoint) {
    let radius = style::CARD_RADIUS;
    shapes.push(rect_shape(
        translate(card, 0.0, 2.0),
        radius,
        Paint {
            color: Rgb(0, 0, 0),
            opacity: 18.0 / 255.0,
        },
        None,
    ));
    shapes.push(rect_shape(
        inside(card, 1.0),
        radius,
        style::CARD,
        Some(Stroke {
            width: 1.0,
            color: style::CARD_BORDER,
        }),
    ));
    let mode_color = style::mode(tp.mode);
    shapes.push(Shape::Rect {
        rect: Rect::from_min_size(card.min, style::MODE_STRIP_WIDTH, card.height()),
        radii: [radius, 0.0, 0.0, radius],
        fill: Some(mode_color.into()),
        stroke: None,
    });
    let inner = Rect {
        min: pos(card.min.x + 12.0, card.min.y + 8.0),
        max: pos(card.max.x - 12.0, card.max.y - 8.0),
    };
    // The channel line on top, the key metric at the foot, the title in
    // between; each wraps rather than being cut where the card has room
    // (exports grow cards so it always does, see `fit`).
    let parts = card_parts(tp, inner.width());
    let meta_height = parts.meta_height.max(16.0);
    shapes.extend(text_in(
        Rect {
            min: inner.min,
            max: pos(inner.max.x, inner.min.y + meta_height),
        },
        &style::card_meta(tp),
        style::CARD_META_SIZE,
        false,
        mode_color,
        true,
    ));
    let metric_height = if parts.metric_height > 0.0 {
        parts.metric_height.max(14.0) + 2.0
    } else {
        16.0
    };
    let title = Rect {
        min: pos(inner.min.x, inner.min.y + meta_height),
        max: pos(inner.max.x, inner.max.y - metric_height),
    };
    shapes.extend(text_in(title, &tp.name, style::CARD_TITLE_SIZE, true, style::INK, true));
    if let Some(line) = style::key_metric(tp) {
        let bottom = Rect {
            min: pos(inner.min.x, inner.max.y - metric_height + 2.0),
            max: inner.max,
        };
        shapes.extend(text_in(
            bottom,
            &line,
            style::CARD_METRIC_SIZE,
            false,
            style::MUTED,
            true,
        ));
    }
}

/// The heights a card's channel line and key metric take when wrapped to
/// `width`: `fit` adds the title's to size cards that show all three.
pub struct HeaderParts {
    pub name_height: f32,
    pub story_height: f32,
}

/// The heights a stage's name and description take wrapped to `width`.
pub fn header_parts(stage: &crate::model::Stage, width: f32) -> HeaderParts {
    HeaderParts {
        name_height: wrapped_height(&stage.name, style::STAGE_TITLE_SIZE, true, width),
        story_height: wrapped_height(&stage.description, style::CELL_SIZE, false, width),
    }
}

/// The height `text` takes wrapped to `width`, as `text_in` counts lines.
pub fn wrapped_height(text: &str, size: f32, bold: bool, width: f32) -> f32 {
    let font = fonts().get(bold);
    let lines = if text.trim().is_empty() {
        0
    } else {
        font.wrap(text, size, width, usize::MAX).len()
    };
    if lines == 0 {
        0.0
    } else {
        (font.ascent + font.descent * 0.3) * size + (lines - 1) as f32 * font.line_height * size + 1.0
    }
}

pub struct CardParts {
    pub meta_height: f32,
    pub metric_height: f32,
}

pub fn card_parts(tp: &crate::model::Touchpoint, width: f32) -> CardParts {
    CardParts {
        meta_height: wrapped_height(&style::card_meta(tp), style::CARD_META_SIZE, false, width),
        metric_height: style::key_metric(tp).map_or(0.0, |m| wrapped_height(&m, style::CARD_METRIC_SIZE, false, width)),
    }
}

/// The emotion curve: a dashed neutral line, then per touchpoint the segment
/// from the previous point, its dot and its score.
fn emotion_groups(map: &JourneyMap, layout: &Layout, groups: &mut Vec<Group>) {
    let Some(lane_index) = layout.lanes.iter().position(|l| l.lane == Lane::Emotion) else {
        return;
    };
    let lane = &layout.lanes[lane_index];
    let background = if lane_index % 2 == 0 {
        style::LANE_A
    } else {
        style::LANE_B
    };
    let mid = (lane.rect.min.y + lane.rect.max.y) / 2.0;
    let a = pos(lane.rect.min.x + layout::LANE_LABEL_WIDTH, mid);
    let b = pos(lane.rect.max.x, mid);
    // In pieces a whole number of dashes long, so a page or tile draws only
    // the pieces it shows and the dashes still run on evenly.
    let mut x = a.x;
    while x < b.x {
        let end = (x + 1000.0).min(b.x);
        groups.push(Group {
            title: None,
            id: String::new(),
            kind: Kind::Emotion,
            bounds: Rect {
                min: pos(x, mid - 1.0),
                max: pos(end, mid + 1.0),
            },
            shapes: vec![Shape::Polyline {
                points: vec![pos(x, mid), pos(end, mid)],
                stroke: Stroke {
                    width: 1.0,
                    color: style::CARD_BORDER,
                },
                dash: Some([6.0, 4.0]),
            }],
        });
        x = end;
    }
    // The canvas draws the curve in ink at 70 %; an opaque mix looks the
    // same and lets segments overlap at their round joints.
    let curve = Stroke {
        width: 2.5,
        color: over(style::INK, background, 0.7),
    };
    let points: Vec<(Pos, i8)> = layout
        .touchpoints
        .iter()
        .filter_map(|t| {
            Some((
                t.emotion_point?,
                at(&map.touchpoints, t.index, |m| m.id == t.id)?.emotion,
            ))
        })
        .collect();
    // Segments first, dots over them.
    for pair in points.windows(2) {
        let (p, q) = (pair[0].0, pair[1].0);
        groups.push(Group {
            title: None,
            id: String::new(),
            kind: Kind::Emotion,
            bounds: grow(Rect { min: p, max: p }.union(&Rect { min: q, max: q }), 2.0),
            shapes: vec![Shape::Polyline {
                points: vec![p, q],
                stroke: curve,
                dash: None,
            }],
        });
    }
    for (p, score) in points {
        let r = style::EMOTION_DOT_RADIUS;
        groups.push(Group {
            title: None,
            id: String::new(),
            kind: Kind::Emotion,
            bounds: Rect {
                min: pos(p.x - 20.0, p.y - 26.0),
                max: pos(p.x + 20.0, p.y + r + 2.0),
            },
            shapes: vec![
                Shape::Circle {
                    center: p,
                    radius: r,
                    fill: style::emotion(score),
                    stroke: Some(Stroke {
                        width: 2.0,
                        color: style::WHITE,
                    }),
                },
                centered(
                    pos(p.x, p.y - 16.0),
                    &style::emotion_label(score),
                    style::EMOTION_LABEL_SIZE,
                    false,
                    style::MUTED,
                    Anchor::Middle,
                ),
            ],
        });
    }
}

/// A link's curve and arrowhead.
fn arrow(curve: Cubic, color: Rgb) -> Vec<Shape> {
    let [_, _, c, tip] = curve.0;
    let (dx, dy) = (tip.x - c.x, tip.y - c.y);
    let len = (dx * dx + dy * dy).sqrt();
    let (dx, dy) = if len > 1e-3 { (dx / len, dy / len) } else { (1.0, 0.0) };
    let (nx, ny) = (-dy, dx);
    let s = style::ARROW_SIZE;
    let back = pos(tip.x - dx * s, tip.y - dy * s);
    // The line stops inside the head so its end does not poke out of the tip.
    let mut shortened = curve;
    shortened.0[3] = pos(tip.x - dx * s * 0.5, tip.y - dy * s * 0.5);
    vec![
        Shape::Curve {
            curve: shortened,
            stroke: Stroke {
                width: style::LINK_WIDTH,
                color,
            },
        },
        Shape::Polygon {
            points: vec![
                tip,
                pos(back.x + nx * s * 0.5, back.y + ny * s * 0.5),
                pos(back.x - nx * s * 0.5, back.y - ny * s * 0.5),
            ],
            fill: color,
        },
    ]
}

/// A stage's sticky notes, left to right in rows as the area's width
/// allows; the rows share the area's height (exports grow the notes lane so
/// every note shows whole, see `fit::notes_rows`).
fn notes(area: Rect, notes: &[crate::model::Note]) -> Vec<Shape> {
    let mut shapes = Vec::new();
    if notes.is_empty() {
        return shapes;
    }
    let per_row = (((area.width() + style::NOTE_GAP) / (style::NOTE_WIDTH + style::NOTE_GAP)).floor() as usize).max(1);
    let rows = notes.len().div_ceil(per_row);
    let height = (area.height() - 10.0 - (rows - 1) as f32 * style::NOTE_GAP) / rows as f32;
    if height < 20.0 {
        return shapes;
    }
    for (i, note) in notes.iter().enumerate() {
        let (row, col) = (i / per_row, i % per_row);
        let x = area.min.x + col as f32 * (style::NOTE_WIDTH + style::NOTE_GAP);
        let y = area.min.y + row as f32 * (height + style::NOTE_GAP);
        let tilt = if i % 2 == 0 { -2.0 } else { 2.0 };
        let rect = Rect::from_min_size(pos(x, y + 4.0 + tilt), style::NOTE_WIDTH, height);
        shapes.push(rect_shape(
            translate(rect, 2.0, 2.0),
            2.0,
            Paint {
                color: Rgb(0, 0, 0),
                opacity: 20.0 / 255.0,
            },
            None,
        ));
        shapes.push(rect_shape(rect, 2.0, style::note_fill(note.kind), None));
        // A pain point or opportunity says so, and votes show as dots, on
        // a row above the text.
        let mut inner = rect.shrink(8.0);
        shapes.extend(super::ideas::note_header_shapes(inner, note));
        inner.min.y += super::ideas::note_header_height(note);
        shapes.extend(text_in(inner, &note.text, style::NOTE_SIZE, false, style::INK, true));
    }
    shapes
}

/// The lane names in the left gutter, on a canvas-coloured strip as the
/// canvas pins them.
pub fn lane_labels(layout: &Layout) -> Group {
    let mut shapes = Vec::new();
    let mut bounds: Option<Rect> = None;
    for lane in &layout.lanes {
        let strip = Rect::from_min_size(pos(0.0, lane.rect.min.y), layout::LANE_LABEL_WIDTH, lane.rect.height());
        shapes.push(rect_shape(
            strip,
            0.0,
            Paint {
                color: style::CANVAS,
                opacity: 0.92,
            },
            None,
        ));
        let font = &fonts().bold;
        let label = font.ellipsize(
            lane.lane.label(),
            style::LANE_LABEL_SIZE,
            layout::LANE_LABEL_WIDTH - 14.0,
        );
        shapes.push(centered(
            pos(10.0, strip.center().y),
            &label,
            style::LANE_LABEL_SIZE,
            true,
            style::LANE_LABEL,
            Anchor::Start,
        ));
        bounds = Some(bounds.map_or(strip, |b| b.union(&strip)));
    }
    Group {
        title: None,
        id: "lane-labels".into(),
        kind: Kind::LaneLabels,
        bounds: bounds.unwrap_or_default(),
        shapes,
    }
}

/// One step of an outline, for the writers that build paths themselves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PathStep {
    Move(f32, f32),
    Line(f32, f32),
    Cubic([f32; 6]),
    Close,
}

/// How far along the tangent a cubic's control points sit to draw a
/// quarter circle.
pub const ARC_K: f32 = 0.552_284_8;

/// The outline of the box from (x0, y0) to (x1, y1) with corner radii
/// [nw, ne, se, sw], each capped at half the shorter side; `None` when
/// every corner is square (a plain rectangle is cheaper to draw).
pub fn rounded_rect_path(x0: f32, y0: f32, x1: f32, y1: f32, radii: [f32; 4]) -> Option<[PathStep; 10]> {
    let max = (x1 - x0).min(y1 - y0) / 2.0;
    let [nw, ne, se, sw] = radii.map(|v| v.min(max));
    if nw == 0.0 && ne == 0.0 && se == 0.0 && sw == 0.0 {
        return None;
    }
    let k = ARC_K;
    Some([
        PathStep::Move(x0 + nw, y0),
        PathStep::Line(x1 - ne, y0),
        PathStep::Cubic([x1 - ne + ne * k, y0, x1, y0 + ne - ne * k, x1, y0 + ne]),
        PathStep::Line(x1, y1 - se),
        PathStep::Cubic([x1, y1 - se + se * k, x1 - se + se * k, y1, x1 - se, y1]),
        PathStep::Line(x0 + sw, y1),
        PathStep::Cubic([x0 + sw - sw * k, y1, x0, y1 - sw + sw * k, x0, y1 - sw]),
        PathStep::Line(x0, y0 + nw),
        PathStep::Cubic([x0, y0 + nw - nw * k, x0 + nw - nw * k, y0, x0 + nw, y0]),
        PathStep::Close,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::generated_map;

    fn titles(scene: &Scene, prefix: &str) -> Vec<(String, String)> {
        scene
            .groups
            .iter()
            .filter(|g| g.id.starts_with(prefix))
            .map(|g| (g.id.clone(), g.title.clone().unwrap_or_default()))
            .collect()
    }

    fn vote_dots(scene: &Scene, id: &str) -> usize {
        let group = scene.groups.iter().find(|g| g.id == id).expect(id);
        group
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Circle { fill, .. } if *fill == style::VOTE))
            .count()
    }

    fn has_text(scene: &Scene, id: &str, text: &str) -> bool {
        let group = scene.groups.iter().find(|g| g.id == id).expect(id);
        group
            .shapes
            .iter()
            .any(|s| matches!(s, Shape::Text(t) if t.lines.join(" ").contains(text)))
    }

    #[test]
    fn voted_ideas_show_their_dots_and_unvoted_ones_none() {
        let mut map = generated_map(150, 6, 1);
        let stage = map.stages[0].id;
        let tps: Vec<_> = map.touchpoints_in(stage).map(|t| t.id).collect();
        let (voted, quiet) = (tps[0], tps[1]);
        for tp in map.touchpoints.iter_mut() {
            tp.pain_points = vec![crate::model::Idea::new("Slow checkout")];
            tp.opportunities.clear();
            if tp.id == voted {
                tp.pain_points[0].votes = 3;
                tp.opportunities = vec![crate::model::Idea {
                    text: "Pay in store".into(),
                    votes: 7,
                }];
            }
        }
        map.stages[0].notes = vec![crate::model::Note {
            kind: crate::model::IdeaKind::Opportunity,
            votes: 2,
            ..crate::model::Note::new(crate::model::NoteId(900), "Offer delivery slots")
        }];
        map.stages[1].notes = vec![crate::model::Note::new(crate::model::NoteId(901), "Ask about stock")];
        let scene = build(&map, &layout::layout(&map, &layout::Options::default()));
        // 3 dots for the pain point, 5 and "+2" for the opportunity.
        let card = format!("touchpoint-{}", voted.0);
        assert_eq!(vote_dots(&scene, &card), 3 + 5);
        assert!(has_text(&scene, &card, "+2"));
        assert_eq!(vote_dots(&scene, &format!("touchpoint-{}", quiet.0)), 0);
        let captured = format!("notes-{}", stage.0);
        assert_eq!(vote_dots(&scene, &captured), 2);
        assert!(has_text(&scene, &captured, "Opportunity"));
        assert!(has_text(&scene, &captured, "Offer delivery slots"));
        let plain = format!("notes-{}", map.stages[1].id.0);
        assert_eq!(vote_dots(&scene, &plain), 0);
        assert!(!has_text(&scene, &plain, "Note"));
        let tinted = |id: &str, fill: Rgb| {
            scene
                .groups
                .iter()
                .find(|g| g.id == id)
                .unwrap()
                .shapes
                .iter()
                .any(|s| matches!(s, Shape::Rect { fill: Some(p), .. } if p.color == fill))
        };
        assert!(tinted(&captured, style::NOTE_OPPORTUNITY));
        assert!(tinted(&plain, style::NOTE));
    }

    #[test]
    fn each_card_and_stage_shows_its_own_item_even_from_an_older_layout() {
        let mut map = generated_map(250, 300, 9);
        map.touchpoints.swap(3, 120);
        map.links[0].label = "Compares offers".into();
        let layout = layout::layout(&map, &layout::Options::default());
        let expect = |map: &JourneyMap| -> Vec<(String, String)> {
            let mut all: Vec<_> = map
                .touchpoints
                .iter()
                .map(|t| (format!("touchpoint-{}", t.id.0), t.name.clone()))
                .collect();
            all.sort();
            all
        };
        let sorted = |mut v: Vec<(String, String)>| {
            v.sort();
            v
        };
        let scene = build(&map, &layout);
        assert_eq!(sorted(titles(&scene, "touchpoint-")), expect(&map));
        let stages: Vec<_> = map
            .stages
            .iter()
            .map(|s| (format!("stage-{}", s.id.0), s.name.clone()))
            .collect();
        assert_eq!(titles(&scene, "stage-"), stages);
        let link = format!("link-{}", map.links[0].id.0);
        let label = |scene: &Scene| {
            scene
                .groups
                .iter()
                .find(|g| g.id == format!("{link}-label"))
                .is_some_and(|g| {
                    g.shapes
                        .iter()
                        .any(|s| matches!(s, Shape::Text(t) if t.lines == ["Compares offers"]))
                })
        };
        assert!(label(&scene));

        // The map changed after the layout: every item's index moved.
        let gone = map.touchpoints.remove(0);
        map.stages.rotate_left(1);
        map.links.rotate_left(1);
        let scene = build(&map, &layout);
        assert_eq!(sorted(titles(&scene, "touchpoint-")), expect(&map));
        assert!(
            !titles(&scene, "touchpoint-")
                .iter()
                .any(|(id, _)| *id == format!("touchpoint-{}", gone.id.0))
        );
        assert_eq!(sorted(titles(&scene, "stage-")), sorted(stages));
        assert!(label(&scene));
    }
}
