//! The map canvas: paints a `layout::Layout` with egui, pans and zooms.
//!
//! Everything is culled against the visible rectangle first, so the cost of
//! a frame follows what is on screen, not the size of the map. Stages and
//! cards also get accessible nodes (their names), which is what screen
//! readers and the UI tests find them by.

use eframe::egui::{self, Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2};

use super::fonts;
use super::selection::{Item, Selection};
use super::theme;
use crate::analysis::Comparison;
use crate::layout::{self, Lane, Layout, style, text};
use crate::model::{JourneyMap, LinkId, Mode, StageId, Touchpoint, TouchpointId};

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
    pub fn to_screen(self, canvas: Rect, p: layout::Pos) -> Pos2 {
        canvas.min + (Vec2::new(p.x, p.y) - self.offset) * self.zoom
    }

    pub fn rect_to_screen(self, canvas: Rect, r: layout::Rect) -> Rect {
        Rect::from_min_max(self.to_screen(canvas, r.min), self.to_screen(canvas, r.max))
    }

    pub fn to_map(self, canvas: Rect, p: Pos2) -> layout::Pos {
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

/// What the user did on the canvas this frame. The app applies these after
/// drawing, so painting never changes the document.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Click on a thing; `add` when shift or ctrl was held (toggle).
    Select {
        item: Item,
        add: bool,
    },
    /// Rubber band: select these touchpoints (added to the selection with shift).
    SelectMany {
        touchpoints: Vec<TouchpointId>,
        add: bool,
    },
    ClearSelection,
    /// Drop of dragged touchpoints at `position` among the touchpoints of `stage`.
    MoveTouchpoints {
        ids: Vec<TouchpointId>,
        stage: StageId,
        position: usize,
    },
    MoveStage {
        id: StageId,
        to: usize,
    },
    Connect {
        from: TouchpointId,
        to: TouchpointId,
    },
    /// Double click on a stage's empty space.
    AddTouchpoint {
        stage: StageId,
    },
    /// Double click on a card or header: start editing its name.
    Rename(Item),
}

/// A drag in progress, kept between frames.
#[derive(Clone, Debug, PartialEq)]
enum Drag {
    Touchpoints { ids: Vec<TouchpointId>, grab: Vec2 },
    Stage { id: StageId },
    Connect { from: TouchpointId },
    RubberBand { start: Pos2 },
}

/// Canvas state kept between frames.
#[derive(Default)]
pub struct CanvasState {
    pub camera: Camera,
    drag: Option<Drag>,
    /// Presentation: the stage on show; the others are dimmed.
    pub focus_stage: Option<StageId>,
    /// Presentation: darken all but a circle around the pointer.
    pub spotlight: bool,
    /// Where the canvas was last drawn, for zooming from the keyboard.
    last_canvas: Option<Rect>,
}

impl CanvasState {
    /// Zooms to `zoom`, keeping the middle of the view where it is (keys and
    /// menu items have no pointer to zoom around).
    pub fn zoom_centered(&mut self, zoom: f32) {
        match self.last_canvas {
            Some(canvas) => self.camera.zoom_at(canvas, canvas.center(), zoom / self.camera.zoom),
            None => self.camera.zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM),
        }
    }
}

/// Radius of the handle on a card's right edge that starts a link.
const HANDLE_RADIUS: f32 = 7.0;

fn handle_center(card: Rect) -> Pos2 {
    card.right_center()
}

/// Paints the map, handles navigation, and reports what the user did.
pub fn show(
    ui: &mut egui::Ui,
    map: &JourneyMap,
    layout: &Layout,
    state: &mut CanvasState,
    selection: &Selection,
    overlay: Option<&Comparison>,
    actions: &mut Vec<Action>,
) -> Rect {
    let canvas = ui.available_rect_before_wrap();
    state.last_canvas = Some(canvas);
    let background = ui.allocate_rect(canvas, Sense::click_and_drag());
    let (space_down, modifiers, pointer) =
        ui.input(|i| (i.key_down(egui::Key::Space), i.modifiers, i.pointer.interact_pos()));
    let add = modifiers.shift || modifiers.command;

    let painter = ui.painter_at(canvas);
    painter.rect_filled(canvas, 0.0, theme::CANVAS);
    let camera = state.camera;
    let visible = layout::Rect {
        min: camera.to_map(canvas, canvas.min),
        max: camera.to_map(canvas, canvas.max),
    };
    let z = camera.zoom;
    let scr = |r: layout::Rect| camera.rect_to_screen(canvas, r);

    for (i, lane) in layout.lanes.iter().enumerate() {
        if lane.rect.intersects(&visible) {
            let fill = if i % 2 == 0 { theme::LANE_A } else { theme::LANE_B };
            painter.rect_filled(scr(lane.rect), 0.0, fill);
        }
    }

    for stage_box in &layout.stages[layout.stages_between(visible.min.x, visible.max.x)] {
        let Some(stage) = map.stages.get(stage_box.index) else {
            continue;
        };
        let column = scr(stage_box.column);
        painter.line_segment(
            [column.right_top(), column.right_bottom()],
            Stroke::new(1.0, theme::CARD_BORDER),
        );
        let header = scr(stage_box.header);
        let selected = selection.stages.contains(&stage.id);
        let border = if selected {
            Stroke::new(2.5, theme::SELECTION)
        } else {
            Stroke::new(1.0, theme::CARD_BORDER)
        };
        painter.rect(header, CornerRadius::same(6), theme::HEADER, border, StrokeKind::Inside);
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

        let id = ui.scope_id().with(("stage", stage.id));
        let response = ui
            .interact(header.intersect(canvas), id, Sense::click_and_drag())
            .on_hover_cursor(egui::CursorIcon::Grab);
        response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &stage.name));
        if response.double_clicked() {
            actions.push(Action::Rename(Item::Stage(stage.id)));
        } else if response.clicked() {
            actions.push(Action::Select {
                item: Item::Stage(stage.id),
                add,
            });
        }
        if response.drag_started() && !space_down {
            state.drag = Some(Drag::Stage { id: stage.id });
        }
        // Double click in the empty part of a column adds a touchpoint there.
        if background.double_clicked()
            && let Some(p) = pointer
            && column.contains(p)
            && !header.contains(p)
            && !layout
                .touchpoints
                .iter()
                .any(|t| t.stage == stage.id && scr(t.card).contains(p))
        {
            actions.push(Action::AddTouchpoint { stage: stage.id });
        }
    }

    paint_emotion_curve(&painter, layout, &camera, canvas, &visible, map);

    for link in &layout.links {
        if link.curve.bounds().intersects(&visible) {
            let selected = selection.links.contains(&link.id);
            let color = if selected {
                theme::SELECTION
            } else if link.loop_back {
                theme::LOOP_BACK
            } else {
                theme::LINK
            };
            let pts = link.curve.0.map(|p| camera.to_screen(canvas, p));
            paint_arrow(&painter, pts, color, if selected { z * 1.8 } else { z });
            if let Some(l) = map.links.get(link.index)
                && !l.label.is_empty()
            {
                let mid = camera.to_screen(canvas, link.curve.point(0.5));
                let font = FontId::proportional(11.0 * z);
                let galley = painter.layout_no_wrap(l.label.clone(), font, color);
                let r = Rect::from_center_size(mid, galley.size() + Vec2::splat(6.0 * z));
                painter.rect_filled(r, 4.0 * z, theme::CANVAS);
                painter.galley(r.min + Vec2::splat(3.0 * z), galley, color);
            }
        }
    }

    for tp_box in &layout.touchpoints[layout.touchpoints_between(visible.min.x, visible.max.x)] {
        let Some(tp) = map.touchpoints.get(tp_box.index) else {
            continue;
        };
        for &(lane, cell) in &tp_box.cells {
            if cell.intersects(&visible) && lane != Lane::Emotion {
                paint_cell(&painter, lane, scr(cell), tp, z, &map.currency);
            }
        }
        if tp_box.card.height() <= 0.0 || !tp_box.card.intersects(&visible) {
            continue;
        }
        let card = scr(tp_box.card);
        let selected = selection.touchpoints.contains(&tp.id);
        let dragged = matches!(&state.drag, Some(Drag::Touchpoints { ids, .. }) if ids.contains(&tp.id));
        paint_card(&painter, card, tp, z, selected, dragged);
        if let Some(c) = overlay {
            let stats = c.touchpoints.get(tp_box.index).filter(|s| s.id == tp.id);
            paint_reach(&painter, card, stats.map_or(0, |s| s.people_reached), max_reach(c), z);
        }
        let id = ui.scope_id().with(("touchpoint", tp.id));
        let response = ui.interact(card.intersect(canvas), id, Sense::click_and_drag());
        response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &tp.name));
        let handle = handle_center(card);
        let near_handle = |p: Pos2| p.distance(handle) <= (HANDLE_RADIUS * z).max(6.0) + 3.0;
        if response.hovered() || selected {
            painter.circle(
                handle,
                (HANDLE_RADIUS * z).max(4.0),
                theme::CARD,
                Stroke::new(2.0, theme::LINK),
            );
        }
        if response.double_clicked() {
            actions.push(Action::Rename(Item::Touchpoint(tp.id)));
        } else if response.clicked() {
            actions.push(Action::Select {
                item: Item::Touchpoint(tp.id),
                add,
            });
        }
        if response.drag_started() && !space_down {
            let origin = ui
                .input(|i| i.pointer.press_origin())
                .or(pointer)
                .unwrap_or(card.center());
            if near_handle(origin) {
                state.drag = Some(Drag::Connect { from: tp.id });
            } else {
                let ids = if selected {
                    // Drag the whole selection, in map order.
                    map.touchpoints
                        .iter()
                        .filter(|t| selection.touchpoints.contains(&t.id))
                        .map(|t| t.id)
                        .collect()
                } else {
                    vec![tp.id]
                };
                state.drag = Some(Drag::Touchpoints {
                    ids,
                    grab: origin - card.min,
                });
            }
        }
    }

    if let Some(c) = overlay {
        paint_missing_links(&painter, layout, &camera, canvas, &visible, c);
    }

    for (stage_id, area) in &layout.notes {
        if !area.intersects(&visible) {
            continue;
        }
        let Some(stage) = map.stage(*stage_id) else { continue };
        paint_notes(&painter, scr(*area), &stage.notes, z);
    }

    // Background: pan, rubber band, click to clear or to pick a link.
    if background.drag_started() && state.drag.is_none() && modifiers.shift && !space_down {
        let start = ui.input(|i| i.pointer.press_origin()).unwrap_or(canvas.center());
        state.drag = Some(Drag::RubberBand { start });
    }
    if background.clicked() {
        match pointer.and_then(|p| link_at(layout, &camera, canvas, p)) {
            Some(link) => actions.push(Action::Select {
                item: Item::Link(link),
                add,
            }),
            None if !add => actions.push(Action::ClearSelection),
            None => {}
        }
    }
    let dragging_any = ui.input(|i| i.pointer.any_down());
    let panning = state.drag.is_none() && dragging_any && (background.dragged() || space_down);
    if panning {
        let delta = ui.input(|i| i.pointer.delta());
        state.camera.offset -= delta / state.camera.zoom;
    }
    navigate_wheel(ui, canvas, &mut state.camera);

    finish_drag(ui, &painter, map, layout, state, canvas, pointer, dragging_any, actions);

    if let Some(focus) = state.focus_stage {
        for stage_box in &layout.stages[layout.stages_between(visible.min.x, visible.max.x)] {
            let column = scr(stage_box.column).expand(layout::STAGE_GAP * z / 2.0);
            if stage_box.id == focus {
                painter.rect_stroke(
                    column,
                    10.0 * z,
                    Stroke::new(3.0, theme::SELECTION),
                    StrokeKind::Outside,
                );
            } else {
                painter.rect_filled(column, 0.0, theme::CANVAS.gamma_multiply(0.8));
            }
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
    if state.spotlight
        && let Some(p) = ui.input(|i| i.pointer.hover_pos())
    {
        super::present::spotlight(&painter, canvas, p);
    }
    canvas
}

fn max_reach(c: &Comparison) -> u64 {
    c.touchpoints.iter().map(|t| t.people_reached).max().unwrap_or(0)
}

/// The data overlay on a card: a bar along its foot as long as its share of
/// the best-reached touchpoint, and the number of people; "nobody" in red
/// for a touchpoint no one meets.
fn paint_reach(painter: &egui::Painter, card: Rect, reached: u64, max: u64, z: f32) {
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
fn paint_missing_links(
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

/// Draws the preview of the drag in progress and, when the button is
/// released, turns it into an action.
#[allow(clippy::too_many_arguments)]
fn finish_drag(
    ui: &egui::Ui,
    painter: &egui::Painter,
    map: &JourneyMap,
    layout: &Layout,
    state: &mut CanvasState,
    canvas: Rect,
    pointer: Option<Pos2>,
    button_down: bool,
    actions: &mut Vec<Action>,
) {
    let Some(drag) = state.drag.clone() else { return };
    let camera = state.camera;
    let Some(p) = pointer else {
        if !button_down {
            state.drag = None;
        }
        return;
    };
    let at = camera.to_map(canvas, p);
    let z = camera.zoom;
    match &drag {
        Drag::Touchpoints { ids, grab } => {
            let (stage, position, marker) = drop_target(map, layout, &camera, canvas, at, ids);
            if let Some(marker) = marker {
                painter.line_segment(
                    [marker.center_top(), marker.center_bottom()],
                    Stroke::new(3.0, theme::SELECTION),
                );
            }
            let ghost = Rect::from_min_size(p - *grab, Vec2::new(layout::CARD_WIDTH, layout::CARD_HEIGHT) * z);
            painter.rect(
                ghost,
                8.0 * z,
                theme::SELECTION.gamma_multiply(0.15),
                Stroke::new(1.5, theme::SELECTION),
                StrokeKind::Inside,
            );
            if ids.len() > 1 {
                painter.text(
                    ghost.center(),
                    Align2::CENTER_CENTER,
                    format!("{} touchpoints", ids.len()),
                    FontId::proportional(13.0 * z),
                    theme::INK,
                );
            } else if let Some(tp) = ids.first().and_then(|id| map.touchpoint(*id)) {
                painter.text(
                    ghost.center(),
                    Align2::CENTER_CENTER,
                    &tp.name,
                    FontId::proportional(13.0 * z),
                    theme::INK,
                );
            }
            if !button_down {
                if let Some(stage) = stage {
                    actions.push(Action::MoveTouchpoints {
                        ids: ids.clone(),
                        stage,
                        position,
                    });
                }
                state.drag = None;
            }
        }
        Drag::Stage { id } => {
            let to = stage_drop_index(layout, at.x);
            if let Some(target) = layout.stages.get(to) {
                let r = camera.rect_to_screen(canvas, target.header);
                painter.rect_stroke(r, 6.0, Stroke::new(2.5, theme::SELECTION), StrokeKind::Outside);
            }
            if !button_down {
                actions.push(Action::MoveStage { id: *id, to });
                state.drag = None;
            }
        }
        Drag::Connect { from } => {
            if let Some(from_box) = layout.touchpoint(*from) {
                let a = handle_center(camera.rect_to_screen(canvas, from_box.card));
                let color = theme::SELECTION;
                let dx = ((p.x - a.x) * 0.5).abs().max(20.0);
                paint_arrow(
                    painter,
                    [a, a + Vec2::new(dx, 0.0), p - Vec2::new(dx, 0.0), p],
                    color,
                    z.max(0.6),
                );
            }
            let target = layout
                .touchpoints
                .iter()
                .find(|t| t.card.contains(at) && t.id != *from)
                .map(|t| t.id);
            if let Some(t) = target.and_then(|id| layout.touchpoint(id)) {
                painter.rect_stroke(
                    camera.rect_to_screen(canvas, t.card),
                    8.0 * z,
                    Stroke::new(2.5, theme::SELECTION),
                    StrokeKind::Outside,
                );
            }
            if !button_down {
                if let Some(to) = target {
                    actions.push(Action::Connect { from: *from, to });
                }
                state.drag = None;
            }
        }
        Drag::RubberBand { start } => {
            let band = Rect::from_two_pos(*start, p);
            painter.rect(
                band,
                0.0,
                theme::SELECTION.gamma_multiply(0.08),
                Stroke::new(1.0, theme::SELECTION),
                StrokeKind::Inside,
            );
            if !button_down {
                let a = camera.to_map(canvas, band.min);
                let b = camera.to_map(canvas, band.max);
                let area = layout::Rect { min: a, max: b };
                let touchpoints = layout
                    .touchpoints
                    .iter()
                    .filter(|t| t.card.intersects(&area))
                    .map(|t| t.id)
                    .collect();
                let add = ui.input(|i| i.modifiers.shift);
                actions.push(Action::SelectMany { touchpoints, add });
                state.drag = None;
            }
        }
    }
}

/// Where dragged touchpoints would land: the stage under the pointer and the
/// position among its other touchpoints, plus a marker to draw.
fn drop_target(
    map: &JourneyMap,
    layout: &Layout,
    camera: &Camera,
    canvas: Rect,
    at: layout::Pos,
    dragged: &[TouchpointId],
) -> (Option<StageId>, usize, Option<Rect>) {
    let Some(stage) = layout
        .stages
        .iter()
        .min_by(|a, b| distance_x(a.column, at.x).total_cmp(&distance_x(b.column, at.x)))
    else {
        return (None, 0, None);
    };
    let others: Vec<&layout::TouchpointBox> = layout
        .touchpoints
        .iter()
        .filter(|t| t.stage == stage.id && !dragged.contains(&t.id))
        .collect();
    let position = others.iter().filter(|t| t.card.center().x < at.x).count();
    let marker_x = match (
        position.checked_sub(1).and_then(|i| others.get(i)),
        others.get(position),
    ) {
        (_, Some(next)) => next.card.min.x - layout::COLUMN_GAP / 2.0,
        (Some(prev), None) => prev.card.max.x + layout::COLUMN_GAP / 2.0,
        (None, None) => stage.column.min.x + layout::COLUMN_GAP / 2.0,
    };
    let top = layout
        .lane(Lane::Touchpoints)
        .map_or(stage.header.max.y, |l| l.rect.min.y);
    let marker = layout::Rect {
        min: layout::pos(marker_x, top + layout::ARC_BAND - 6.0),
        max: layout::pos(marker_x, top + layout::ARC_BAND + layout::CARD_HEIGHT + 6.0),
    };
    let _ = map;
    (Some(stage.id), position, Some(camera.rect_to_screen(canvas, marker)))
}

fn distance_x(r: layout::Rect, x: f32) -> f32 {
    if x < r.min.x {
        r.min.x - x
    } else if x > r.max.x {
        x - r.max.x
    } else {
        0.0
    }
}

/// The index a dragged stage header would take.
fn stage_drop_index(layout: &Layout, x: f32) -> usize {
    layout
        .stages
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| distance_x(a.column, x).total_cmp(&distance_x(b.column, x)))
        .map_or(0, |(i, _)| i)
}

/// The link whose curve passes within a few points of `p`.
fn link_at(layout: &Layout, camera: &Camera, canvas: Rect, p: Pos2) -> Option<LinkId> {
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

/// Scroll pans, ctrl+wheel and pinch zoom around the pointer.
fn navigate_wheel(ui: &egui::Ui, canvas: Rect, camera: &mut Camera) {
    let (scroll, zoom, pointer) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
    let Some(anchor) = pointer.filter(|p| canvas.contains(*p)) else {
        return;
    };
    if zoom != 1.0 {
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

fn paint_card(painter: &egui::Painter, card: Rect, tp: &Touchpoint, z: f32, selected: bool, dragged: bool) {
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

fn paint_cell(painter: &egui::Painter, lane: Lane, cell: Rect, tp: &Touchpoint, z: f32, currency: &str) {
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
