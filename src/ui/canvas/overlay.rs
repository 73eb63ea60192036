//! The data overlay on the canvas: how many people reach each card, and the
//! paths people take that the map has no link for.

use eframe::egui::{self, Color32, FontId, Pos2, Rect, Shape, Stroke, Vec2};

use super::super::{fonts, theme};
use super::Camera;
use crate::analysis::Comparison;
use crate::layout::{self, Lane, Layout, text};

pub(super) fn max_reach(c: &Comparison) -> u64 {
    c.touchpoints.iter().map(|t| t.people_reached).max().unwrap_or(0)
}

/// The data overlay on a card: a bar along its foot as long as its share of
/// the best-reached touchpoint, and the number of people; "nobody" in red
/// for a touchpoint no one meets.
pub(super) fn paint_reach(painter: &egui::Painter, card: Rect, reached: u64, max: u64, z: f32) {
    let share = if max == 0 { 0.0 } else { reached as f32 / max as f32 };
    let (text, color) = if reached == 0 {
        ("nobody meets this".to_owned(), theme::PAIN)
    } else {
        (
            format!("{} people", text::group_thousands(reached as f64)),
            theme::reach(share),
        )
    };
    if reached == 0 {
        let r = card.expand(3.0 * z);
        let corners = [
            r.left_top(),
            r.right_top(),
            r.right_bottom(),
            r.left_bottom(),
            r.left_top(),
        ];
        painter.add(Shape::dashed_line(
            &corners,
            Stroke::new(2.0, theme::PAIN),
            6.0 * z,
            4.0 * z,
        ));
    } else {
        let bar = Rect::from_min_size(
            card.left_bottom() - Vec2::new(0.0, 5.0 * z),
            Vec2::new(card.width() * share, 5.0 * z),
        );
        painter.rect_filled(bar, 0.0, color);
    }
    let font = FontId::new(11.0 * z, fonts::bold());
    let galley = painter.layout_no_wrap(text, font, Color32::WHITE);
    let pill = Rect::from_min_size(
        card.right_top() + Vec2::new(-galley.size().x - 14.0 * z, -9.0 * z),
        galley.size() + Vec2::new(10.0 * z, 4.0 * z),
    );
    painter.rect_filled(pill, 8.0 * z, color);
    painter.galley(pill.min + Vec2::new(5.0 * z, 2.0 * z), galley, Color32::WHITE);
}

/// Paths people take that the map has no link for: dashed, with how many
/// people took them.
pub(super) fn paint_missing_links(
    painter: &egui::Painter,
    layout: &Layout,
    camera: &Camera,
    canvas: Rect,
    visible: &layout::Rect,
    c: &Comparison,
) {
    let z = camera.zoom;
    for t in &c.missing_links {
        let Some((curve, _)) = layout.curve_between(t.from, t.to) else {
            continue;
        };
        if !curve.bounds().intersects(visible) {
            continue;
        }
        let points: Vec<Pos2> = (0..=32)
            .map(|i| camera.to_screen(canvas, curve.point(i as f32 / 32.0)))
            .collect();
        painter.add(Shape::dashed_line(
            &points,
            Stroke::new(2.2 * z.max(0.5), theme::MISSING),
            7.0 * z,
            5.0 * z,
        ));
        let label = format!("{} not on map", text::group_thousands(t.count as f64));
        let mut mid = curve.point(0.5);
        // Between neighbouring cards the curve runs through the gap between
        // them, too narrow for the label: put it under the cards instead.
        if let Some(lane) = layout.lane(Lane::Touchpoints)
            && lane.rect.contains(mid)
            && mid.y > lane.rect.min.y + layout::ARC_BAND
        {
            mid.y = lane.rect.max.y - 2.0;
        }
        let mid = camera.to_screen(canvas, mid);
        let galley = painter.layout_no_wrap(label, FontId::new(11.0 * z, fonts::bold()), Color32::WHITE);
        let r = Rect::from_center_size(mid, galley.size() + Vec2::new(10.0 * z, 4.0 * z));
        painter.rect_filled(r, 8.0 * z, theme::MISSING);
        painter.galley(r.min + Vec2::new(5.0 * z, 2.0 * z), galley, Color32::WHITE);
    }
}
