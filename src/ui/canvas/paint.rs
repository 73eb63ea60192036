//! Painting the parts of the map: card, lane cells, emotion curve, sticky
//! notes and link arrows, and text clipped to a box.

use eframe::egui::{self, Align2, Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};

use super::super::{fonts, theme};
use super::Camera;
use crate::layout::{self, Lane, Layout, style};
use crate::model::{JourneyMap, Mode, Touchpoint};

/// Lays out `text` wrapped to `rect`'s width and paints what fits in it.
pub(super) fn text_in(
    painter: &egui::Painter,
    rect: Rect,
    text: &str,
    font: FontId,
    color: Color32,
    wrap: bool,
) -> f32 {
    if rect.width() <= 1.0 || rect.height() <= 1.0 || font.size < 3.0 {
        return 0.0;
    }
    let galley = if wrap {
        painter.layout(text.to_owned(), font, color, rect.width())
    } else {
        painter.layout_no_wrap(text.to_owned(), font, color)
    };
    let height = galley.size().y;
    painter
        .with_clip_rect(rect.intersect(painter.clip_rect()))
        .galley(rect.min, galley, color);
    height
}

pub(super) fn paint_card(painter: &egui::Painter, card: Rect, tp: &Touchpoint, z: f32, selected: bool, dragged: bool) {
    let radius = CornerRadius::same((8.0 * z).round().clamp(0.0, 255.0) as u8);
    let shadow = card.translate(Vec2::new(0.0, 2.0 * z));
    painter.rect(
        shadow,
        radius,
        Color32::from_black_alpha(18),
        Stroke::NONE,
        StrokeKind::Inside,
    );
    let border = if selected {
        Stroke::new(2.5, theme::SELECTION)
    } else {
        Stroke::new(1.0, theme::CARD_BORDER)
    };
    let fill = if dragged {
        theme::CARD.gamma_multiply(0.5)
    } else {
        theme::CARD
    };
    painter.rect(card, radius, fill, border, StrokeKind::Inside);
    let mode_color = if tp.mode == Mode::Online {
        theme::ONLINE
    } else {
        theme::OFFLINE
    };
    let strip = Rect::from_min_size(card.min, Vec2::new(5.0 * z, card.height()));
    painter.rect_filled(
        strip,
        CornerRadius {
            nw: radius.nw,
            sw: radius.sw,
            ne: 0,
            se: 0,
        },
        mode_color,
    );

    let inner = card.shrink2(Vec2::new(12.0 * z, 8.0 * z));
    let meta = style::card_meta(tp);
    text_in(painter, inner, &meta, FontId::proportional(11.0 * z), mode_color, false);
    let title = Rect::from_min_max(
        inner.min + Vec2::new(0.0, 16.0 * z),
        Pos2::new(inner.max.x, inner.max.y - 16.0 * z),
    );
    text_in(
        painter,
        title,
        &tp.name,
        FontId::new(14.0 * z, fonts::bold()),
        theme::INK,
        true,
    );
    if let Some(line) = style::key_metric(tp) {
        let bottom = Rect::from_min_max(Pos2::new(inner.min.x, inner.max.y - 14.0 * z), inner.max);
        text_in(
            painter,
            bottom,
            &line,
            FontId::proportional(11.0 * z),
            theme::MUTED,
            false,
        );
    }
}

pub(super) fn paint_cell(painter: &egui::Painter, lane: Lane, cell: Rect, tp: &Touchpoint, z: f32, currency: &str) {
    let text = style::cell_text(lane, tp, currency);
    if !text.is_empty() {
        let color = theme::rgb(style::cell_color(lane));
        text_in(
            painter,
            cell,
            &text,
            FontId::proportional(style::CELL_SIZE * z),
            color,
            true,
        );
    }
}

pub(super) fn paint_emotion_curve(
    painter: &egui::Painter,
    layout: &Layout,
    camera: &Camera,
    canvas: Rect,
    visible: &layout::Rect,
    map: &JourneyMap,
) {
    let Some(lane) = layout.lane(Lane::Emotion) else { return };
    if !lane.rect.intersects(visible) {
        return;
    }
    let z = camera.zoom;
    let mid = (lane.rect.min.y + lane.rect.max.y) / 2.0;
    // Only the visible stretch: a dashed line across a big map is
    // thousands of dashes, most of them off screen.
    let start = (lane.rect.min.x + layout::LANE_LABEL_WIDTH).max(visible.min.x);
    let end = lane.rect.max.x.min(visible.max.x);
    let neutral_a = camera.to_screen(canvas, layout::pos(start, mid));
    let neutral_b = camera.to_screen(canvas, layout::pos(end.max(start), mid));
    painter.add(Shape::dashed_line(
        &[neutral_a, neutral_b],
        Stroke::new(1.0, theme::CARD_BORDER),
        6.0 * z,
        4.0 * z,
    ));
    // One polyline through the visible points and a neighbour on each side,
    // so the line runs off the edges of the screen.
    let range = layout.touchpoints_between(visible.min.x, visible.max.x);
    let range = range.start.saturating_sub(1)..(range.end + 1).min(layout.touchpoints.len());
    let points: Vec<(Pos2, i8)> = layout.touchpoints[range]
        .iter()
        .filter_map(|t| {
            Some((
                camera.to_screen(canvas, t.emotion_point?),
                map.touchpoints.get(t.index)?.emotion,
            ))
        })
        .collect();
    if points.len() > 1 {
        let line = points.iter().map(|p| p.0).collect();
        painter.add(Shape::line(line, Stroke::new(2.5 * z, theme::INK.gamma_multiply(0.7))));
    }
    for &(p, score) in &points {
        painter.circle(p, 7.0 * z, theme::emotion(score), Stroke::new(2.0 * z, Color32::WHITE));
        let label = if score == 0 {
            "0".to_owned()
        } else {
            format!("{score:+}")
        };
        painter.text(
            p + Vec2::new(0.0, -16.0 * z),
            Align2::CENTER_CENTER,
            label,
            FontId::proportional(11.0 * z),
            theme::MUTED,
        );
    }
}

pub(super) fn paint_notes(painter: &egui::Painter, area: Rect, notes: &[crate::model::Note], z: f32) {
    let width = 150.0 * z;
    let gap = 8.0 * z;
    let mut x = area.min.x;
    for (i, note) in notes.iter().enumerate() {
        if x + width > area.max.x + 1.0 {
            break;
        }
        let tilt = if i % 2 == 0 { -2.0 } else { 2.0 } * z;
        let rect = Rect::from_min_size(
            Pos2::new(x, area.min.y + 4.0 * z + tilt),
            Vec2::new(width, area.height() - 10.0 * z),
        );
        painter.rect(
            rect.translate(Vec2::splat(2.0 * z)),
            2.0,
            Color32::from_black_alpha(20),
            Stroke::NONE,
            StrokeKind::Inside,
        );
        painter.rect(rect, 2.0, theme::NOTE, Stroke::NONE, StrokeKind::Inside);
        text_in(
            painter,
            rect.shrink(8.0 * z),
            &note.text,
            FontId::proportional(12.0 * z),
            theme::INK,
            true,
        );
        x += width + gap;
    }
}

pub(super) fn paint_arrow(painter: &egui::Painter, pts: [Pos2; 4], color: Color32, z: f32) {
    let stroke = Stroke::new(1.8 * z.max(0.4), color);
    painter.add(egui::epaint::CubicBezierShape::from_points_stroke(
        pts,
        false,
        Color32::TRANSPARENT,
        stroke,
    ));
    let tip = pts[3];
    let dir = (pts[3] - pts[2]).normalized();
    let dir = if dir.is_finite() && dir != Vec2::ZERO {
        dir
    } else {
        Vec2::X
    };
    let size = 8.0 * z.max(0.4);
    let normal = dir.rot90();
    let head = vec![
        tip,
        tip - dir * size + normal * size * 0.5,
        tip - dir * size - normal * size * 0.5,
    ];
    painter.add(Shape::convex_polygon(head, color, Stroke::NONE));
}
