//! The map's scene (`export::scene`, the very shapes every export writes)
//! painted with egui at the camera's zoom. The canvas draws no card, lane or
//! curve of its own: it paints these and adds interaction on top.

use eframe::egui::{self, Align2, Color32, CornerRadius, FontId, Pos2, Stroke, StrokeKind};
use egui::epaint::{CubicBezierShape, PathStroke};

use super::super::{fonts, theme};
use super::Camera;
use crate::export::scene::{Anchor, Group, Paint, Shape, TextBlock};
use crate::export::text::fonts as export_fonts;
use crate::layout;

/// Text smaller than this many screen pixels is not drawn: unreadable, and
/// the cost of drawing it would grow with everything on screen.
const MIN_TEXT_PX: f32 = 3.0;

/// Text smaller than this is drawn as a bar the length of each line
/// ("greeking"): too small to read, it still shows where text is, and a bar
/// costs a fraction of laying out glyphs nobody can read.
const GREEK_PX: f32 = 6.0;

fn color(paint: Paint) -> Color32 {
    let c = theme::rgb(paint.color);
    if paint.opacity >= 1.0 {
        c
    } else {
        c.gamma_multiply(paint.opacity.clamp(0.0, 1.0))
    }
}

fn radius(r: f32) -> u8 {
    r.round().clamp(0.0, 255.0) as u8
}

/// Paints `group`'s shapes; `alpha` fades it (a dragged card, a dimmed stage).
pub fn paint_group(painter: &egui::Painter, camera: &Camera, canvas: egui::Rect, group: &Group, alpha: f32) {
    let z = camera.zoom;
    let at = |p: layout::Pos| camera.to_screen(canvas, p);
    let fade = |c: Color32| if alpha >= 1.0 { c } else { c.gamma_multiply(alpha) };
    for shape in &group.shapes {
        match shape {
            Shape::Rect {
                rect,
                radii,
                fill,
                stroke,
            } => {
                let r = camera.rect_to_screen(canvas, *rect);
                let corners = CornerRadius {
                    nw: radius(radii[0] * z),
                    ne: radius(radii[1] * z),
                    se: radius(radii[2] * z),
                    sw: radius(radii[3] * z),
                };
                let fill = fill.map_or(Color32::TRANSPARENT, |f| fade(color(f)));
                let stroke = stroke.map_or(Stroke::NONE, |s| {
                    Stroke::new((s.width * z).max(0.6), fade(theme::rgb(s.color)))
                });
                painter.rect(r, corners, fill, stroke, StrokeKind::Middle);
            }
            Shape::Polyline { points, stroke, dash } => {
                let points: Vec<Pos2> = points.iter().map(|p| at(*p)).collect();
                let s = Stroke::new((stroke.width * z).max(0.6), fade(theme::rgb(stroke.color)));
                match dash {
                    Some([on, off]) => {
                        let mut dashes = Vec::new();
                        let (on, off) = ((on * z).max(1.0), (off * z).max(1.0));
                        dashed_on_screen(&points, painter.clip_rect(), s, [on, off], &mut dashes);
                        painter.extend(dashes);
                    }
                    None => {
                        painter.add(egui::Shape::line(points, s));
                    }
                }
            }
            Shape::Circle {
                center,
                radius,
                fill,
                stroke,
            } => {
                let stroke = stroke.map_or(Stroke::NONE, |s| {
                    Stroke::new((s.width * z).max(0.6), fade(theme::rgb(s.color)))
                });
                painter.circle(at(*center), radius * z, fade(theme::rgb(*fill)), stroke);
            }
            Shape::Curve { curve, stroke } => {
                let points = curve.0.map(at);
                painter.add(CubicBezierShape::from_points_stroke(
                    points,
                    false,
                    Color32::TRANSPARENT,
                    PathStroke::new((stroke.width * z).max(0.6), fade(theme::rgb(stroke.color))),
                ));
            }
            Shape::Polygon { points, fill } => {
                let points: Vec<Pos2> = points.iter().map(|p| at(*p)).collect();
                painter.add(egui::Shape::convex_polygon(
                    points,
                    fade(theme::rgb(*fill)),
                    Stroke::NONE,
                ));
            }
            Shape::Text(block) => text(painter, camera, canvas, block, alpha),
        }
    }
}

/// A text block's lines where the exporters put them: each line's top at
/// the block's top plus its line height.
fn text(painter: &egui::Painter, camera: &Camera, canvas: egui::Rect, block: &TextBlock, alpha: f32) {
    let z = camera.zoom;
    let size = block.size * z;
    if size < MIN_TEXT_PX {
        return;
    }
    let family = if block.bold {
        fonts::bold()
    } else {
        egui::FontFamily::Proportional
    };
    let line_height = export_fonts().get(block.bold).line_height * block.size;
    let mut c = theme::rgb(block.color);
    if alpha < 1.0 {
        c = c.gamma_multiply(alpha);
    }
    let align = match block.anchor {
        Anchor::Start => Align2::LEFT_TOP,
        Anchor::Middle => Align2::CENTER_TOP,
    };
    let clip = painter.clip_rect();
    for (i, line) in block.lines.iter().enumerate() {
        let top = camera.to_screen(canvas, layout::pos(block.x, block.top + line_height * i as f32));
        if top.y > clip.max.y || top.y + size * 1.5 < clip.min.y {
            continue;
        }
        if size < GREEK_PX {
            greek(painter, top, block.anchor, line, size, c);
        } else {
            painter.text(top, align, line, FontId::new(size, family.clone()), c);
        }
    }
}

/// A line of text too small to read, as a faint bar of about its length.
fn greek(painter: &egui::Painter, top: Pos2, anchor: Anchor, line: &str, size: f32, color: Color32) {
    // An average glyph of Noto Sans is about half an em wide.
    let width = line.chars().count() as f32 * size * 0.5;
    let left = match anchor {
        Anchor::Start => top.x,
        Anchor::Middle => top.x - width / 2.0,
    };
    let bar = egui::Rect::from_min_size(Pos2::new(left, top.y + size * 0.35), egui::vec2(width, size * 0.5));
    painter.rect_filled(bar, 0.0, color.gamma_multiply(0.35));
}

/// The dashes of a polyline, cut only where it crosses `clip`. A dashed path
/// across a large map (a missing link from the last touchpoint back to the
/// first) is hundreds of thousands of pixels long at 100%: dashing all of it
/// cost milliseconds a frame, growing with the map. The pattern keeps its
/// phase along the whole path; where a dash is cut at the clip's edge
/// (beyond the screen, the clip being widened by a period) a new one starts.
fn dashed_on_screen(
    points: &[Pos2],
    clip: egui::Rect,
    stroke: Stroke,
    [on, off]: [f32; 2],
    out: &mut Vec<egui::Shape>,
) {
    let period = on + off;
    let clip = clip.expand(period + stroke.width);
    let mut walked = 0.0;
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        let length = (b - a).length();
        if let Some((t0, t1)) = clip_segment(a, b, clip) {
            let phase = (walked + length * t0) % period;
            let offset = if phase < on { 0.0 } else { period - phase };
            let part = [a + (b - a) * t0, a + (b - a) * t1];
            egui::Shape::dashed_line_many_with_offset(&part, stroke, &[on], &[off], offset, out);
        }
        walked += length;
    }
}

/// The part of segment a-b inside `clip`, as fractions along it
/// (Liang-Barsky); `None` when it misses.
fn clip_segment(a: Pos2, b: Pos2, clip: egui::Rect) -> Option<(f32, f32)> {
    let d = b - a;
    let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
    for (p, q) in [
        (-d.x, a.x - clip.min.x),
        (d.x, clip.max.x - a.x),
        (-d.y, a.y - clip.min.y),
        (d.y, clip.max.y - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 < t1).then_some((t0, t1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(shapes: &[egui::Shape]) -> Vec<[Pos2; 2]> {
        shapes
            .iter()
            .filter_map(|s| match s {
                egui::Shape::LineSegment { points, .. } => Some(*points),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_long_dashed_path_is_cut_only_on_screen_with_the_same_dashes_there() {
        // A path a million pixels long, through a 1000-pixel screen.
        let points = [
            Pos2::new(-500_000.0, 300.0),
            Pos2::new(200.0, 300.0),
            Pos2::new(500_000.0, 300.0),
        ];
        let screen = egui::Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(1000.0, 600.0));
        let stroke = Stroke::new(2.0, Color32::RED);
        let mut clipped = Vec::new();
        dashed_on_screen(&points, screen, stroke, [6.0, 4.0], &mut clipped);
        let clipped = segments(&clipped);
        assert!(clipped.len() < 150, "{} dashes for a 1000-pixel screen", clipped.len());
        let everything = segments(&egui::Shape::dashed_line(&points, stroke, 6.0, 4.0));
        assert!(everything.len() > 90_000);
        // On screen the dashes are the very ones of the whole path.
        let on_screen = |d: &&[Pos2; 2]| d[0].x >= 0.0 && d[1].x <= 1000.0;
        let mine: Vec<_> = clipped.iter().filter(on_screen).collect();
        let whole: Vec<_> = everything.iter().filter(on_screen).collect();
        assert_eq!(mine.len(), whole.len());
        for (m, w) in mine.iter().zip(&whole) {
            assert!(
                (m[0] - w[0]).length() < 0.05 && (m[1] - w[1]).length() < 0.05,
                "{m:?} vs {w:?}"
            );
        }
    }

    #[test]
    fn segments_off_screen_are_not_dashed_at_all() {
        let screen = egui::Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(100.0, 100.0));
        let mut out = Vec::new();
        let far = [Pos2::new(-5000.0, -5000.0), Pos2::new(5000.0, -4000.0)];
        dashed_on_screen(&far, screen, Stroke::new(1.0, Color32::RED), [6.0, 4.0], &mut out);
        assert!(out.is_empty());
        assert_eq!(
            clip_segment(Pos2::new(-10.0, 50.0), Pos2::new(110.0, 50.0), screen),
            Some((10.0 / 120.0, 110.0 / 120.0))
        );
    }
}
