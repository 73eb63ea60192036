//! Link arrows, for the canvas's own drawing over the scene: a selected
//! link, the link being dragged out of a card.

use eframe::egui::{self, Color32, Pos2, Shape, Stroke, Vec2};

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
