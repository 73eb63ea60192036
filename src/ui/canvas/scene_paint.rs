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
                        painter.extend(egui::Shape::dashed_line(
                            &points,
                            s,
                            (on * z).max(1.0),
                            (off * z).max(1.0),
                        ));
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
