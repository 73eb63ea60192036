//! The map canvas: paints a `layout::Layout` with egui, pans and zooms.
//!
//! Everything is culled against the visible rectangle first, so the cost of
//! a frame follows what is on screen, not the size of the map. Stages and
//! cards also get accessible nodes (their names), which is what screen
//! readers and the UI tests find them by.

use eframe::egui::{self, Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2};

use super::fonts;
use super::theme;
use crate::layout::{self, Lane, Layout};
use crate::model::{JourneyMap, Mode, Touchpoint};

pub const MIN_ZOOM: f32 = 0.1;
pub const MAX_ZOOM: f32 = 4.0;

/// What part of the map is on screen: `offset` is the map point at the
/// canvas's top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    pub offset: Vec2,
    pub zoom: f32,
}

impl Default for Camera {
    fn default() -> Self {
        Camera {
            offset: Vec2::ZERO,
            zoom: 1.0,
        }
    }
}

impl Camera {
    pub fn to_screen(&self, canvas: Rect, p: layout::Pos) -> Pos2 {
        canvas.min + (Vec2::new(p.x, p.y) - self.offset) * self.zoom
    }

    pub fn rect_to_screen(&self, canvas: Rect, r: layout::Rect) -> Rect {
        Rect::from_min_max(self.to_screen(canvas, r.min), self.to_screen(canvas, r.max))
    }

    pub fn to_map(&self, canvas: Rect, p: Pos2) -> layout::Pos {
        let v = (p - canvas.min) / self.zoom + self.offset;
        layout::pos(v.x, v.y)
    }

    /// Zooms by `factor` keeping the map point under `anchor` where it is.
    pub fn zoom_at(&mut self, canvas: Rect, anchor: Pos2, factor: f32) {
        let before = self.to_map(canvas, anchor);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        self.offset = Vec2::new(before.x, before.y) - (anchor - canvas.min) / self.zoom;
    }

    /// Shows the whole map, centred.
    pub fn fit(&mut self, canvas: Rect, bounds: layout::Rect) {
        let zoom = (canvas.width() / bounds.width()).min(canvas.height() / bounds.height());
        self.zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        let visible = canvas.size() / self.zoom;
        let size = Vec2::new(bounds.width(), bounds.height());
        self.offset = Vec2::new(bounds.min.x, bounds.min.y) - (visible - size) / 2.0;
    }
}

/// Paints the map and handles panning and zooming. Returns the canvas rect.
pub fn show(ui: &mut egui::Ui, map: &JourneyMap, layout: &Layout, camera: &mut Camera) -> Rect {
    let canvas = ui.available_rect_before_wrap();
    let response = ui.allocate_rect(canvas, Sense::click_and_drag());
    navigate(ui, &response, canvas, camera);

    let painter = ui.painter_at(canvas);
    painter.rect_filled(canvas, 0.0, theme::CANVAS);
    let view = camera.to_map(canvas, canvas.min);
    let view_end = camera.to_map(canvas, canvas.max);
    let visible = layout::Rect {
        min: view,
        max: view_end,
    };
    let z = camera.zoom;
    let scr = |r: layout::Rect| camera.rect_to_screen(canvas, r);

    for (i, lane) in layout.lanes.iter().enumerate() {
        if lane.rect.intersects(&visible) {
            let fill = if i % 2 == 0 { theme::LANE_A } else { theme::LANE_B };
            painter.rect_filled(scr(lane.rect), 0.0, fill);
        }
    }

    for stage_box in &layout.stages {
        if !stage_box.column.intersects(&visible) {
            continue;
        }
        let Some(stage) = map.stage(stage_box.id) else { continue };
        let column = scr(stage_box.column);
        painter.line_segment(
            [column.right_top(), column.right_bottom()],
            Stroke::new(1.0, theme::CARD_BORDER),
        );
        let header = scr(stage_box.header);
        painter.rect(
            header,
            CornerRadius::same(6),
            theme::HEADER,
            Stroke::new(1.0, theme::CARD_BORDER),
            StrokeKind::Inside,
        );
        let band = Rect::from_min_size(header.min, Vec2::new(header.width(), layout::FUNNEL_BAND_HEIGHT * z));
        let band_color = stage_box.funnel_color.map_or(theme::MUTED, theme::rgb);
        painter.rect_filled(
            band,
            CornerRadius {
                nw: 6,
                ne: 6,
                sw: 0,
                se: 0,
            },
            band_color,
        );
        if let Some(name) = &stage_box.funnel_name {
            text_in(
                &painter,
                band.shrink2(Vec2::new(8.0 * z, 0.0)),
                name,
                FontId::proportional(11.0 * z),
                Color32::WHITE,
                false,
            );
        }
        let title = Rect::from_min_max(
            Pos2::new(header.min.x + 10.0 * z, band.max.y + 4.0 * z),
            header.max - Vec2::splat(6.0 * z),
        );
        text_in(
            &painter,
            title,
            &stage.name,
            FontId::new(16.0 * z, fonts::bold()),
            theme::INK,
            false,
        );
        // The accessible node for the stage.
        let id = ui.scope_id().with(("stage", stage.id));
        ui.interact(header.intersect(canvas), id, Sense::hover())
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &stage.name));
    }

    paint_emotion_curve(&painter, layout, camera, canvas, &visible, map);

    for tp_box in &layout.touchpoints {
        let Some(tp) = map.touchpoint(tp_box.id) else { continue };
        for &(lane, cell) in &tp_box.cells {
            if cell.intersects(&visible) && lane != Lane::Emotion {
                paint_cell(&painter, lane, scr(cell), tp, z, &map.currency);
            }
        }
        if tp_box.card.height() > 0.0 && tp_box.card.intersects(&visible) {
            let card = scr(tp_box.card);
            paint_card(&painter, card, tp, z);
            let id = ui.scope_id().with(("touchpoint", tp.id));
            ui.interact(card.intersect(canvas), id, Sense::hover())
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &tp.name));
        }
    }

    for (stage_id, area) in &layout.notes {
        if !area.intersects(&visible) {
            continue;
        }
        let Some(stage) = map.stage(*stage_id) else { continue };
        paint_notes(&painter, scr(*area), &stage.notes, z);
    }

    for link in &layout.links {
        if link.curve.bounds().intersects(&visible) {
            let color = if link.loop_back { theme::LOOP_BACK } else { theme::LINK };
            let pts = link.curve.0.map(|p| camera.to_screen(canvas, p));
            paint_arrow(&painter, pts, color, z);
        }
    }

    // Lane labels stay pinned to the left edge while the map scrolls under them.
    for lane in &layout.lanes {
        let r = scr(lane.rect);
        let label = Rect::from_min_size(
            Pos2::new(canvas.min.x, r.min.y),
            Vec2::new(layout::LANE_LABEL_WIDTH * z.min(1.0), r.height()),
        );
        if label.intersects(canvas) {
            painter.rect_filled(label, 0.0, theme::CANVAS.gamma_multiply(0.92));
            painter.text(
                label.left_center() + Vec2::new(10.0, 0.0),
                Align2::LEFT_CENTER,
                lane.lane.label(),
                FontId::new(13.0 * z.clamp(0.7, 1.2), fonts::bold()),
                theme::LANE_LABEL,
            );
        }
    }
    canvas
}

fn navigate(ui: &egui::Ui, response: &egui::Response, canvas: Rect, camera: &mut Camera) {
    if response.dragged() {
        camera.offset -= response.drag_delta() / camera.zoom;
    }
    if !response.hovered() {
        return;
    }
    let (scroll, zoom, pointer) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
    let anchor = pointer.unwrap_or(canvas.center());
    if zoom != 1.0 {
        // ctrl+wheel and pinch arrive as zoom_delta.
        camera.zoom_at(canvas, anchor, zoom);
    } else if scroll != Vec2::ZERO {
        camera.offset -= scroll / camera.zoom;
    }
}

/// Lays out `text` wrapped to `rect`'s width and paints what fits in it.
fn text_in(painter: &egui::Painter, rect: Rect, text: &str, font: FontId, color: Color32, wrap: bool) -> f32 {
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

fn paint_card(painter: &egui::Painter, card: Rect, tp: &Touchpoint, z: f32) {
    let radius = CornerRadius::same((8.0 * z).round().clamp(0.0, 255.0) as u8);
    painter.rect(
        card.translate(Vec2::new(0.0, 2.0 * z)),
        radius,
        Color32::from_black_alpha(18),
        Stroke::NONE,
        StrokeKind::Inside,
    );
    painter.rect(
        card,
        radius,
        theme::CARD,
        Stroke::new(1.0, theme::CARD_BORDER),
        StrokeKind::Inside,
    );
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
    let meta = format!(
        "{} · {}",
        tp.channel.label(),
        if tp.mode == Mode::Online { "online" } else { "offline" }
    );
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
    if let Some(metric) = tp.metrics.first() {
        let value = metric.value.map_or("—".to_owned(), |v| format_number(v, metric.unit));
        let line = format!("{}: {}", metric.name, value);
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

pub fn format_number(value: f64, unit: crate::model::Unit) -> String {
    use crate::model::Unit;
    let plain = if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    };
    match unit {
        Unit::Percent => format!("{plain}%"),
        Unit::Seconds => format!("{plain} s"),
        Unit::Count | Unit::Currency => plain,
    }
}

fn paint_cell(painter: &egui::Painter, lane: Lane, cell: Rect, tp: &Touchpoint, z: f32, currency: &str) {
    let font = FontId::proportional(12.0 * z);
    let text = match lane {
        Lane::Does => tp.does.clone(),
        Lane::Thinks => {
            if tp.thinks.is_empty() {
                String::new()
            } else {
                format!("“{}”", tp.thinks)
            }
        }
        Lane::PainPoints => bullets(&tp.pain_points),
        Lane::Opportunities => bullets(&tp.opportunities),
        Lane::Efforts => tp
            .efforts
            .iter()
            .map(|e| match e.budget {
                Some(b) => format!(
                    "{} · {} {}",
                    e.name,
                    format_number(b, crate::model::Unit::Count),
                    currency
                ),
                None => e.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Lane::Metrics => tp
            .metrics
            .iter()
            .map(|m| {
                let value = m.value.map_or("—".to_owned(), |v| format_number(v, m.unit));
                match m.target {
                    Some(t) => format!("{}: {} (target {})", m.name, value, format_number(t, m.unit)),
                    None => format!("{}: {}", m.name, value),
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Lane::Touchpoints | Lane::Emotion | Lane::Notes => return,
    };
    if text.is_empty() {
        return;
    }
    let color = match lane {
        Lane::PainPoints => theme::PAIN,
        Lane::Opportunities => theme::OPPORTUNITY,
        Lane::Thinks => theme::MUTED,
        _ => theme::INK,
    };
    text_in(painter, cell, &text, font, color, true);
}

fn bullets(items: &[String]) -> String {
    items.iter().map(|i| format!("• {i}")).collect::<Vec<_>>().join("\n")
}

fn paint_emotion_curve(
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
    let neutral_a = camera.to_screen(canvas, layout::pos(lane.rect.min.x + layout::LANE_LABEL_WIDTH, mid));
    let neutral_b = camera.to_screen(canvas, layout::pos(lane.rect.max.x, mid));
    painter.add(Shape::dashed_line(
        &[neutral_a, neutral_b],
        Stroke::new(1.0, theme::CARD_BORDER),
        6.0 * z,
        4.0 * z,
    ));
    // One polyline through the visible points and their neighbours.
    let points: Vec<(Pos2, i8)> = layout
        .touchpoints
        .iter()
        .filter_map(|t| {
            Some((
                camera.to_screen(canvas, t.emotion_point?),
                map.touchpoint(t.id)?.emotion,
            ))
        })
        .collect();
    let line: Vec<Pos2> = points.iter().map(|p| p.0).collect();
    let first = line
        .iter()
        .position(|p| p.x >= canvas.min.x)
        .unwrap_or(line.len())
        .saturating_sub(1);
    let last = line
        .iter()
        .rposition(|p| p.x <= canvas.max.x)
        .map_or(0, |i| (i + 2).min(line.len()));
    if last > first + 1 {
        painter.add(Shape::line(
            line[first..last].to_vec(),
            Stroke::new(2.5 * z, theme::INK.gamma_multiply(0.7)),
        ));
    }
    for &(p, score) in &points[first.min(points.len())..last.max(first).min(points.len())] {
        painter.circle(p, 7.0 * z, theme::emotion(score), Stroke::new(2.0 * z, Color32::WHITE));
        painter.text(
            p + Vec2::new(0.0, -16.0 * z),
            Align2::CENTER_CENTER,
            format!("{score:+}"),
            FontId::proportional(11.0 * z),
            theme::MUTED,
        );
    }
}

fn paint_notes(painter: &egui::Painter, area: Rect, notes: &[crate::model::Note], z: f32) {
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

fn paint_arrow(painter: &egui::Painter, pts: [Pos2; 4], color: Color32, z: f32) {
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
