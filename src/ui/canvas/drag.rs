//! Drags on the canvas: the preview while a drag is on, and where moved
//! touchpoints, a moved stage or a new link land when it ends.

use eframe::egui::{self, Align2, FontId, Pos2, Rect, Stroke, StrokeKind, Vec2};

use super::super::theme;
use super::paint::paint_arrow;
use super::{Action, Camera, CanvasState, Drag, handle_center};
use crate::layout::{self, Form, Lane, Layout};
use crate::model::{JourneyMap, StageId, TouchpointId};

/// Draws the preview of the drag in progress and, when the button is
/// released, turns it into an action.
#[allow(clippy::too_many_arguments)]
pub(super) fn finish_drag(
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
                // A line between cards: upright in the full form, level in the overview.
                painter.line_segment([marker.min, marker.max], Stroke::new(3.0, theme::SELECTION));
            }
            let size = ids
                .first()
                .and_then(|id| layout.touchpoint(*id))
                .filter(|t| t.card.height() > 0.0)
                .map_or(Vec2::new(layout::CARD_WIDTH, layout::CARD_HEIGHT), |t| {
                    Vec2::new(t.card.width(), t.card.height())
                });
            let ghost = Rect::from_min_size(p - *grab, size * z);
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
    if layout.form == Form::Compact {
        // Cards stack: the drop goes between the cards above and below.
        let position = others.iter().filter(|t| t.card.center().y < at.y).count();
        let gap = layout::compact::CARD_GAP / 2.0;
        let y = match (
            position.checked_sub(1).and_then(|i| others.get(i)),
            others.get(position),
        ) {
            (_, Some(next)) => next.card.min.y - gap,
            (Some(prev), None) => prev.card.max.y + gap,
            (None, None) => layout
                .lane(Lane::Touchpoints)
                .map_or(stage.header.max.y, |l| l.rect.min.y + gap * 2.0),
        };
        let (x0, x1) = (
            stage.column.min.x + layout::compact::CARD_INSET,
            stage.column.max.x - layout::compact::CARD_INSET,
        );
        let marker = layout::Rect {
            min: layout::pos(x0, y),
            max: layout::pos(x1, y),
        };
        return (Some(stage.id), position, Some(camera.rect_to_screen(canvas, marker)));
    }
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
