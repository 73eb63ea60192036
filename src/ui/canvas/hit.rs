//! Hit testing what has no widget of its own: the link under the pointer.

use eframe::egui::{Pos2, Rect};

use super::Camera;
use crate::layout::Layout;
use crate::model::LinkId;

/// The link whose curve passes within a few points of `p`.
pub(super) fn link_at(layout: &Layout, camera: &Camera, canvas: Rect, p: Pos2) -> Option<LinkId> {
    let mut best: Option<(f32, LinkId)> = None;
    for link in &layout.links {
        let bounds = camera.rect_to_screen(canvas, link.curve.bounds()).expand(8.0);
        if !bounds.contains(p) {
            continue;
        }
        let samples: Vec<Pos2> = (0..=24)
            .map(|i| camera.to_screen(canvas, link.curve.point(i as f32 / 24.0)))
            .collect();
        let d = samples
            .windows(2)
            .map(|w| distance_to_segment(p, w[0], w[1]))
            .fold(f32::INFINITY, f32::min);
        if d < 6.0 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, link.id));
        }
    }
    best.map(|(_, id)| id)
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() > 0.0 {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.distance(a + ab * t)
}
