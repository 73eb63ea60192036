//! The path graph: which event follows which, drawn as boxes in columns
//! from the journeys' start to their end, edges as wide as they are common.
//! Events a touchpoint of the map matches carry its name and its funnel
//! stage's colour, so the map can be read into the data at a glance.

use eframe::egui::{self, Color32, FontId, Pos2, Rect, RichText, Sense, Stroke, StrokeKind, pos2, vec2};
use egui::epaint::CubicBezierShape;

use super::section;
use crate::analysis::{END, PathGraph, PathLayout, START, layout_paths};
use crate::model::JourneyMap;
use crate::ui::data::worker::Analysis;
use crate::ui::data::{Settings, count};
use crate::ui::theme;

const BOX_HEIGHT: f32 = 58.0;
const ROW_GAP: f32 = 22.0;
/// Room above the boxes for self-loop marks.
const TOP: f32 = 12.0;
/// Edges this many and more get their count written on them.
const LABELLED_EDGES: usize = 14;

pub(in crate::ui::data) fn paths(ui: &mut egui::Ui, map: &JourneyMap, a: &Analysis, settings: &mut Settings) {
    section(
        ui,
        "Path graph",
        "Which event people do next, from the start of their journeys (left) to their last event (right). \
         Edges are as wide as they are common; events the map's touchpoints match carry the touchpoint's \
         name and its funnel stage's colour. Hover a box or an edge for its counts.",
    );
    let last_stage = map.funnel.stages.last().map(|s| s.name.clone());
    ui.horizontal_wrapped(|ui| {
        ui.add(egui::Slider::new(&mut settings.paths_top, 5..=80).text("commonest edges"));
        ui.add_space(12.0);
        let label = match &last_stage {
            Some(stage) => format!("Only people who reached {stage}"),
            None => "Only people who converted".to_owned(),
        };
        ui.add_enabled(
            last_stage.is_some(),
            egui::Checkbox::new(&mut settings.converters_only, label),
        )
        .on_hover_text(
            "Converters: people with an event of the last funnel stage's touchpoints, as attribution \
                 counts them.",
        );
    });
    let graph = if settings.converters_only && last_stage.is_some() {
        &a.converter_paths
    } else {
        &a.paths
    };
    let layout = layout_paths(graph, settings.paths_top);
    ui.label(
        RichText::new(format!(
            "{} people; {} of {} edges shown (the commonest, and where their journeys start and end).",
            count(graph.people),
            layout.edges.len(),
            count(graph.edges.len() as u64)
        ))
        .color(theme::MUTED),
    );
    if graph.people == 0 {
        ui.label("Nobody to show.");
        return;
    }
    draw(ui, map, &layout, graph);
}

/// What a box says and how it looks.
struct Node {
    rect: Rect,
    title: String,
    detail: String,
    fill: Color32,
    border: Color32,
    /// For the accessible label and the tooltip.
    about: String,
}

fn draw(ui: &mut egui::Ui, map: &JourneyMap, layout: &PathLayout, graph: &PathGraph) {
    let rows = layout.nodes.iter().map(|n| n.row + 1).max().unwrap_or(1);
    let width = ui.available_width().max(600.0);
    let height = TOP + rows as f32 * (BOX_HEIGHT + ROW_GAP) + 8.0;
    let (area, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
    let painter = ui.painter_at(area.expand(2.0));
    let columns = layout.columns.max(2);
    let box_width = (width / columns as f32 * 0.8).clamp(90.0, 190.0);
    let step = (width - box_width) / (columns - 1) as f32;

    let nodes: Vec<Node> = layout
        .nodes
        .iter()
        .map(|n| {
            let min = pos2(
                area.left() + n.column as f32 * step,
                area.top() + TOP + n.row as f32 * (BOX_HEIGHT + ROW_GAP),
            );
            let rect = Rect::from_min_size(min, vec2(box_width, BOX_HEIGHT));
            let again = graph
                .edges
                .iter()
                .find(|t| t.from == n.name && t.to == n.name)
                .map_or(0, |t| t.count);
            let mut node = node(map, &n.name, n.events, graph.people, rect);
            if again > 0 {
                node.about += &format!("; {} times right after itself", count(again));
            }
            node
        })
        .collect();

    // Edges first, under the boxes; the hovered one (or those of the
    // hovered box) drawn strong.
    let hover = ui.ctx().pointer_hover_pos().filter(|p| area.contains(*p));
    let hovered_node = hover.and_then(|p| nodes.iter().position(|n| n.rect.contains(p)));
    let max = layout.edges.iter().map(|e| e.count).max().unwrap_or(1).max(1) as f32;
    let mut hovered_edge = None;
    let mut curves = Vec::new();
    for (i, e) in layout.edges.iter().enumerate() {
        let width = 1.0 + 11.0 * (e.count as f32 / max).sqrt();
        if e.from == e.to {
            curves.push((i, None, width));
            continue;
        }
        let curve = edge_curve(nodes[e.from].rect, nodes[e.to].rect, area);
        if hovered_edge.is_none()
            && hovered_node.is_none()
            && let Some(p) = hover
            && (0..=24).any(|k| curve_point(&curve, k as f32 / 24.0).distance(p) < width / 2.0 + 3.0)
        {
            hovered_edge = Some(i);
        }
        curves.push((i, Some(curve), width));
    }
    for (i, curve, width) in &curves {
        let e = &layout.edges[*i];
        let strong = hovered_edge == Some(*i) || hovered_node.is_some_and(|n| n == e.from || n == e.to);
        let color = if strong {
            Color32::from_rgba_unmultiplied(40, 90, 160, 170)
        } else if hovered_node.is_some() || hovered_edge.is_some() {
            Color32::from_rgba_unmultiplied(120, 130, 145, 40)
        } else {
            Color32::from_rgba_unmultiplied(110, 125, 145, 95)
        };
        match curve {
            Some(points) => {
                painter.add(CubicBezierShape::from_points_stroke(
                    *points,
                    false,
                    Color32::TRANSPARENT,
                    Stroke::new(*width, color),
                ));
                arrow_head(&painter, points[3], color);
            }
            None => self_loop(&painter, nodes[e.from].rect, *width, color),
        }
    }

    for (i, n) in nodes.iter().enumerate() {
        let hovered = hovered_node == Some(i);
        painter.rect_filled(n.rect, 6.0, n.fill);
        let stroke = Stroke::new(if hovered { 2.5 } else { 1.2 }, n.border);
        painter.rect_stroke(n.rect, 6.0, stroke, StrokeKind::Inside);
        let inner = n.rect.shrink2(vec2(7.0, 4.0));
        let title = text_in(&painter, &n.title, 12.5, theme::INK, inner.width(), 2);
        painter.galley(inner.left_top(), title, theme::INK);
        let detail = text_in(&painter, &n.detail, 11.0, theme::MUTED, inner.width(), 1);
        painter.galley(inner.left_bottom() - vec2(0.0, detail.size().y), detail, theme::MUTED);
        let response = ui.interact(n.rect, ui.scope_id().with(("path-node", i)), Sense::hover());
        let about = n.about.clone();
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &about));
        response.on_hover_text(&n.about);
    }

    // Counts on the commonest edges, where they cover no box; then the
    // hovered edge's tooltip.
    let mut taken: Vec<Rect> = nodes.iter().map(|n| n.rect).collect();
    for (i, curve, _) in curves.iter().take(LABELLED_EDGES) {
        let Some(points) = curve else { continue };
        let text = count(layout.edges[*i].count);
        let galley = painter.layout_no_wrap(text, FontId::proportional(11.0), theme::INK);
        let size = galley.size() + vec2(6.0, 2.0);
        let spot = [0.5, 0.4, 0.6, 0.3, 0.7]
            .into_iter()
            .map(|t| Rect::from_center_size(curve_point(points, t), size))
            .find(|r| !taken.iter().any(|b| b.intersects(*r)));
        if let Some(rect) = spot {
            painter.rect_filled(rect, 3.0, Color32::from_white_alpha(225));
            painter.galley(rect.min + vec2(3.0, 1.0), galley, theme::INK);
            taken.push(rect);
        }
    }
    if let Some(i) = hovered_edge {
        let e = &layout.edges[i];
        let text = format!(
            "{} → {}: {} times",
            layout.nodes[e.from].name,
            layout.nodes[e.to].name,
            count(e.count)
        );
        egui::Tooltip::always_open(
            ui.ctx().clone(),
            ui.layer_id(),
            ui.scope_id().with("path-edge-tip"),
            hover.unwrap(),
        )
        .show(|ui| ui.label(text));
    }
}

/// A box for the event `name`: the touchpoint that matches it, if any, in
/// its stage's colour; the start and end in ink.
fn node(map: &JourneyMap, name: &str, events: u64, people: u64, rect: Rect) -> Node {
    if name == START || name == END {
        let what = if name == START {
            "journeys start"
        } else {
            "journeys end"
        };
        return Node {
            rect,
            title: name.to_owned(),
            detail: format!("{} people", count(people)),
            fill: Color32::from_gray(236),
            border: theme::INK,
            about: format!("{name}: {} people ({what} here)", count(people)),
        };
    }
    let matching: Vec<_> = map
        .touchpoints
        .iter()
        .filter(|tp| tp.matchers.iter().any(|m| m.event == name))
        .collect();
    match matching.first() {
        Some(tp) => {
            let color = map
                .stage(tp.stage)
                .and_then(|s| s.funnel_stage)
                .and_then(|f| map.funnel.stages.iter().find(|fs| fs.id == f))
                .map_or(theme::LINK, |fs| theme::rgb(fs.color));
            let more = if matching.len() > 1 {
                format!(" +{}", matching.len() - 1)
            } else {
                String::new()
            };
            let names: Vec<&str> = matching.iter().map(|t| t.name.as_str()).collect();
            Node {
                rect,
                title: format!("{}{more}", tp.name),
                detail: format!("{} · {name}", count(events)),
                fill: color.gamma_multiply(0.22).blend(Color32::from_white_alpha(120)),
                border: color,
                about: format!("{}: {name}, {} times", names.join(", "), count(events)),
            }
        }
        None => Node {
            rect,
            title: name.to_owned(),
            detail: format!("{} times", count(events)),
            fill: Color32::WHITE,
            border: Color32::from_gray(175),
            about: format!("{name}: {} times (no touchpoint matches it)", count(events)),
        },
    }
}

/// From the right side of `from` to the left side of `to`; an edge back
/// (or within a column) swings out below both boxes instead.
fn edge_curve(from: Rect, to: Rect, area: Rect) -> [Pos2; 4] {
    if to.left() > from.right() {
        let (a, b) = (from.right_center(), to.left_center());
        let dx = (b.x - a.x) * 0.45;
        [a, a + vec2(dx, 0.0), b - vec2(dx, 0.0), b]
    } else if (to.left() - from.left()).abs() < 1.0 {
        // Within a column: out of the right side and back in.
        let (a, b) = (from.right_center(), to.right_center());
        let out = vec2(18.0 + (a.y - b.y).abs() * 0.2, 0.0);
        [a, a + out, b + out, b]
    } else {
        let (a, b) = (from.center_bottom(), to.center_bottom());
        let dip = (40.0 + (a.x - b.x).abs() * 0.15).min(area.bottom() - a.y.max(b.y) + 30.0);
        [a, a + vec2(0.0, dip), b + vec2(0.0, dip), b]
    }
}

fn curve_point(p: &[Pos2; 4], t: f32) -> Pos2 {
    let u = 1.0 - t;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    let mut out = Pos2::ZERO;
    for (p, w) in p.iter().zip(w) {
        out += p.to_vec2() * w;
    }
    out
}

fn arrow_head(painter: &egui::Painter, tip: Pos2, color: Color32) {
    let color = color.gamma_multiply(1.6);
    let points = vec![tip, tip + vec2(-7.0, -4.5), tip + vec2(-7.0, 4.5)];
    painter.add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
}

/// An event followed by itself (a page viewed again): a loop above its box.
fn self_loop(painter: &egui::Painter, rect: Rect, width: f32, color: Color32) {
    let a = rect.right_top() + vec2(-26.0, 0.0);
    let b = rect.right_top() + vec2(-8.0, 0.0);
    let up = vec2(0.0, -TOP);
    painter.add(CubicBezierShape::from_points_stroke(
        [a, a + up, b + up, b],
        false,
        Color32::TRANSPARENT,
        Stroke::new(width.min(4.0), color),
    ));
}

/// `text` wrapped into at most `rows` lines of `width` points, cut with an
/// ellipsis when it is longer.
fn text_in(
    painter: &egui::Painter,
    text: &str,
    size: f32,
    color: Color32,
    width: f32,
    rows: usize,
) -> std::sync::Arc<egui::Galley> {
    let mut job = egui::text::LayoutJob::simple(text.to_owned(), FontId::proportional(size), color, width);
    job.wrap.max_rows = rows;
    job.wrap.break_anywhere = false;
    painter.layout_job(job)
}
