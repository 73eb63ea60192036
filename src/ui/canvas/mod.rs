//! The map canvas: paints the map's scene (the same shapes every export
//! writes, see `export::scene`) with egui, pans and zooms, and adds the
//! interaction: selection, hover handles, drag ghosts.
//!
//! Everything is culled against the visible rectangle first, so the cost of
//! a frame follows what is on screen, not the size of the map. Stages and
//! cards also get accessible nodes (their names), which is what screen
//! readers and the UI tests find them by.

use std::collections::HashSet;

use eframe::egui::{self, Align2, CornerRadius, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2};

use super::fonts;
use super::selection::{Item, Selection};
use super::theme;
use crate::export::scene::{Kind, Scene};
use crate::layout::{self, Form, Layout};
use crate::model::{JourneyMap, StageId, TouchpointId};

mod badges;
mod drag;
mod form;
mod hit;
mod paint;
mod scene_paint;

use drag::finish_drag;
use hit::link_at;
use paint::paint_arrow;

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
    /// A fix chosen from a data badge's menu.
    Fix(super::data::Fix),
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
    /// The form of the map on show; `camera` is in its coordinates.
    pub form: Form,
    /// A zoom this frame (around which screen point, by what factor): it
    /// may switch the form (`settle_form`).
    zoom_event: Option<(Pos2, f32)>,
    /// The commonest events no touchpoint matches, offered on the badge of
    /// a touchpoint nobody meets.
    pub unmatched_events: Vec<String>,
}

impl CanvasState {
    /// Where the canvas was last drawn.
    pub fn last_rect(&self) -> Option<Rect> {
        self.last_canvas
    }

    /// Pans (at the same zoom) so `item` is on screen, if it is not.
    pub fn reveal(&mut self, canvas: Rect, layout: &Layout, item: Item) {
        let target = match item {
            Item::Stage(id) => layout.stages.iter().find(|s| s.id == id).map(|s| s.header),
            Item::Touchpoint(id) => layout.touchpoints.iter().find(|t| t.id == id).map(|t| t.card),
            Item::Link(_) => None,
        };
        let Some(target) = target else { return };
        let screen = self.camera.rect_to_screen(canvas, target);
        if canvas.contains_rect(screen) {
            return;
        }
        let visible = canvas.size() / self.camera.zoom;
        if screen.left() < canvas.left() || screen.right() > canvas.right() {
            self.camera.offset.x = (target.min.x + target.max.x - visible.x) / 2.0;
        }
        if screen.top() < canvas.top() || screen.bottom() > canvas.bottom() {
            self.camera.offset.y = target.min.y - 20.0 / self.camera.zoom;
        }
    }

    /// Zooms to `zoom`, keeping the middle of the view where it is (keys and
    /// menu items have no pointer to zoom around).
    pub fn zoom_centered(&mut self, zoom: f32) {
        let before = self.camera.zoom;
        match self.last_canvas {
            Some(canvas) => {
                self.camera.zoom_at(canvas, canvas.center(), zoom / before);
                self.zoomed(canvas.center(), self.camera.zoom / before);
            }
            None => self.camera.zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM),
        }
    }
}

/// Radius of the handle on a card's right edge that starts a link.
const HANDLE_RADIUS: f32 = 7.0;

fn handle_center(card: Rect) -> Pos2 {
    card.right_center()
}

/// Paints the map (its scene: the shapes every export draws too), handles
/// navigation, and reports what the user did.
#[allow(clippy::too_many_arguments)]
pub fn show(
    ui: &mut egui::Ui,
    map: &JourneyMap,
    layout: &Layout,
    scene: &Scene,
    state: &mut CanvasState,
    selection: &Selection,
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

    // The drawing itself: what is on screen of the scene. Lane labels are
    // pinned to the screen's edge below instead.
    // A set: a drag of a big selection must not cost each card a scan.
    let dragged: HashSet<TouchpointId> = match &state.drag {
        Some(Drag::Touchpoints { ids, .. }) => ids.iter().copied().collect(),
        _ => HashSet::new(),
    };
    for group in &scene.groups {
        if group.kind == Kind::LaneLabels || !group.bounds.intersects(&visible) {
            continue;
        }
        let ghost = group.kind == Kind::Touchpoint
            && !dragged.is_empty()
            && group
                .id
                .strip_prefix("touchpoint-")
                .and_then(|n| n.parse().ok())
                .is_some_and(|id| dragged.contains(&TouchpointId(id)));
        scene_paint::paint_group(&painter, &camera, canvas, group, if ghost { 0.5 } else { 1.0 });
    }

    for stage_box in &layout.stages[layout.stages_between(visible.min.x, visible.max.x)] {
        let Some(stage) = map.stages.get(stage_box.index) else {
            continue;
        };
        let column = scr(stage_box.column);
        let header = scr(stage_box.header);
        let selected = selection.stages.contains(&stage.id);
        if selected {
            painter.rect_stroke(
                header,
                CornerRadius::same(6),
                Stroke::new(2.5, theme::SELECTION),
                StrokeKind::Inside,
            );
        }
        let id = ui.scope_id().with(("stage", stage.id));
        let mut response = ui
            .interact(header.intersect(canvas), id, Sense::click_and_drag())
            .on_hover_cursor(egui::CursorIcon::Grab);
        // The header shows the stage's story cut short; all of it on hover.
        if !stage.description.trim().is_empty() {
            response = response.on_hover_text(&stage.description);
        }
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

    // A selected link stands out over its drawing.
    for link in &layout.links {
        if selection.links.contains(&link.id) && link.curve.bounds().intersects(&visible) {
            let pts = link.curve.0.map(|p| camera.to_screen(canvas, p));
            paint_arrow(&painter, pts, theme::SELECTION, z * 1.8);
        }
    }

    for tp_box in &layout.touchpoints[layout.touchpoints_between(visible.min.x, visible.max.x)] {
        let Some(tp) = map.touchpoints.get(tp_box.index) else {
            continue;
        };
        if tp_box.card.height() <= 0.0 || !tp_box.card.intersects(&visible) {
            continue;
        }
        let card = scr(tp_box.card);
        let selected = selection.touchpoints.contains(&tp.id);
        if selected {
            painter.rect_stroke(
                card,
                CornerRadius::same((8.0 * z).round().clamp(0.0, 255.0) as u8),
                Stroke::new(2.5, theme::SELECTION),
                StrokeKind::Inside,
            );
        }
        let id = ui.scope_id().with(("touchpoint", tp.id));
        let mut response = ui.interact(card.intersect(canvas), id, Sense::click_and_drag());
        response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &tp.name));
        // A card that cuts its title or metric short shows them whole on hover.
        if response.hovered() && state.drag.is_none() && cut_short(scene, tp.id) {
            response = response.on_hover_text(whole_card_text(tp));
        }
        let handle = handle_center(card);
        // The overview draws no links, so none is started from it.
        let linkable = layout.form == Form::Full;
        let near_handle = |p: Pos2| linkable && p.distance(handle) <= (HANDLE_RADIUS * z).max(6.0) + 3.0;
        if linkable && (response.hovered() || selected) {
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

    badges::menus(ui, scene, &camera, canvas, &state.unmatched_events, actions);

    // Background: pan, rubber band, click to clear or to pick a link.
    if background.drag_started() && state.drag.is_none() && modifiers.shift && !space_down {
        let start = ui.input(|i| i.pointer.press_origin()).unwrap_or(canvas.center());
        state.drag = Some(Drag::RubberBand { start });
    }
    // The second click of a double click is no plain click: it must not
    // clear the selection the double click just made.
    if background.clicked() && !background.double_clicked() {
        match pointer.and_then(|p| link_at(layout, &camera, canvas, p)) {
            Some(link) => actions.push(Action::Select {
                item: Item::Link(link),
                add,
            }),
            None if !add => actions.push(Action::ClearSelection),
            None => {}
        }
    }
    // A link's label in full on hover: the drawing leaves out a label that
    // has no free spot beside its curve.
    if background.hovered()
        && state.drag.is_none()
        && let Some(p) = ui.input(|i| i.pointer.hover_pos())
        && let Some(id) = link_at(layout, &camera, canvas, p)
        && let Some(link) = map.links.iter().find(|l| l.id == id)
        && !link.label.trim().is_empty()
    {
        background.clone().on_hover_text_at_pointer(&link.label);
    }
    let dragging_any = ui.input(|i| i.pointer.any_down());
    let panning = state.drag.is_none() && dragging_any && (background.dragged() || space_down);
    if panning {
        let delta = ui.input(|i| i.pointer.delta());
        state.camera.offset -= delta / state.camera.zoom;
    }
    if let Some((anchor, factor)) = navigate_wheel(ui, canvas, &mut state.camera) {
        state.zoomed(anchor, factor);
    }

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

/// Scroll pans, ctrl+wheel and pinch zoom around the pointer. Returns the
/// zoom done: around where, by what factor.
fn navigate_wheel(ui: &egui::Ui, canvas: Rect, camera: &mut Camera) -> Option<(Pos2, f32)> {
    let (scroll, zoom, pointer) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
    let anchor = pointer.filter(|p| canvas.contains(*p))?;
    if zoom != 1.0 {
        let before = camera.zoom;
        camera.zoom_at(canvas, anchor, zoom);
        return Some((anchor, camera.zoom / before));
    } else if scroll != Vec2::ZERO {
        camera.offset -= scroll / camera.zoom;
    }
    None
}

/// Whether the drawing of a touchpoint's card ends any of its texts in "…".
fn cut_short(scene: &Scene, id: TouchpointId) -> bool {
    let key = format!("touchpoint-{}", id.0);
    scene.groups.iter().find(|g| g.id == key).is_some_and(|g| {
        g.shapes.iter().any(|s| {
            matches!(s, crate::export::scene::Shape::Text(block)
                if block.lines.last().is_some_and(|l| l.trim_end().ends_with('…')))
        })
    })
}

/// What a card's hover shows: its title, what kind of touchpoint it is, and
/// its metrics, all of them whole.
fn whole_card_text(tp: &crate::model::Touchpoint) -> String {
    let mut lines = vec![tp.name.clone(), layout::style::card_meta(tp)];
    lines.extend(layout::style::metric_lines(tp));
    lines.join("\n")
}
