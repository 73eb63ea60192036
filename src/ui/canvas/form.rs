//! Semantic zoom: which form of the map the canvas shows. Zoomed out so far
//! that the full form's lane text would be too small to read, the canvas
//! shows the overview (`layout::compact`) instead; zoomed in far enough on
//! the overview, the full form again. Each switch keeps the stage (or the
//! card) under the pointer under the pointer. The camera is always in the
//! coordinates of the form on show.

use eframe::egui::{Pos2, Rect, Vec2};

use super::{Camera, CanvasState, MAX_ZOOM, MIN_ZOOM};
use crate::layout::{self, Form, Layout, style};

/// Below this zoom the full form's lane text is under 7 screen pixels.
pub const FULL_MIN_ZOOM: f32 = 7.0 / style::CELL_SIZE;
/// Zooming in on the overview past this shows the full form.
pub const COMPACT_MAX_ZOOM: f32 = 1.0;
/// The overview's Fit goes no smaller than this to show a tall map whole
/// (its titles stay above 11 pixels), as long as every stage still shows:
/// a taller map is then seen from its top.
const COMPACT_READABLE_ZOOM: f32 = 0.66;

impl CanvasState {
    /// Notes a zoom by `factor` around `anchor` (screen), for `settle_form`.
    pub(super) fn zoomed(&mut self, anchor: Pos2, factor: f32) {
        if factor != 1.0 {
            self.zoom_event = Some((anchor, factor));
        }
    }

    /// After a zoom this frame, switches form if the zoom crossed the
    /// threshold in its direction. Returns whether it switched.
    pub fn settle_form(&mut self, canvas: Rect, full: &Layout, compact: &Layout) -> bool {
        let Some((anchor, factor)) = self.zoom_event.take() else {
            return false;
        };
        let zoom = self.camera.zoom;
        let (from, to, form) = match self.form {
            Form::Full if factor < 1.0 && zoom < FULL_MIN_ZOOM && !compact.stages.is_empty() => {
                (full, compact, Form::Compact)
            }
            // A hair under: zooming by key to exactly 100% may round below it.
            Form::Compact if factor > 1.0 && zoom >= COMPACT_MAX_ZOOM - 1e-3 => (compact, full, Form::Full),
            _ => return false,
        };
        let here = self.camera.to_map(canvas, anchor);
        let there = corresponding(from, to, here);
        self.camera.offset = Vec2::new(there.x, there.y) - (anchor - canvas.min) / zoom;
        self.form = form;
        self.drag = None;
        true
    }

    /// Fit to window: the full form when it reads at the zoom that shows it
    /// whole, else the overview, its stages all across the window.
    pub fn fit_form(&mut self, canvas: Rect, full: &Layout, compact: &Layout) {
        self.zoom_event = None;
        let readable = fit_zoom(canvas, full.bounds) >= FULL_MIN_ZOOM;
        if readable || compact.stages.is_empty() {
            self.form = Form::Full;
            self.camera.fit(canvas, full.bounds);
            return;
        }
        self.form = Form::Compact;
        let b = compact.bounds;
        let across = canvas.width() / b.width();
        let whole = canvas.height() / b.height();
        let zoom = across.min(whole.max(COMPACT_READABLE_ZOOM)).clamp(MIN_ZOOM, MAX_ZOOM);
        let visible = canvas.size() / zoom;
        let x = b.min.x - (visible.x - b.width()) / 2.0;
        // Centred when it fits, else from the top.
        let y = b.min.y - ((visible.y - b.height()) / 2.0).max(0.0);
        self.camera = Camera {
            offset: Vec2::new(x, y),
            zoom,
        };
    }
}

fn fit_zoom(canvas: Rect, bounds: layout::Rect) -> f32 {
    (canvas.width() / bounds.width()).min(canvas.height() / bounds.height())
}

/// The point of `to` that shows what `p` shows in `from`: the same place on
/// the same card when `p` is on a touchpoint (its card, or in the full
/// form its column of lanes), else the same place in the same stage.
fn corresponding(from: &Layout, to: &Layout, p: layout::Pos) -> layout::Pos {
    let Some(stage) = from
        .stages
        .iter()
        .min_by(|a, b| distance_x(a.column, p.x).total_cmp(&distance_x(b.column, p.x)))
    else {
        return p;
    };
    let Some(target) = to.stage(stage.id) else { return p };
    let below_header = p.y > stage.header.max.y;
    let on_card = from.touchpoints.iter().find(|t| {
        t.card.contains(p)
            || (from.form == Form::Full
                && below_header
                && (t.card.min.x - layout::COLUMN_GAP / 2.0..=t.card.max.x + layout::COLUMN_GAP / 2.0).contains(&p.x))
    });
    if let Some(card) = on_card
        && let Some(there) = to.touchpoint(card.id)
    {
        let (a, b) = (card.card, there.card);
        let fx = ((p.x - a.min.x) / a.width().max(1.0)).clamp(0.0, 1.0);
        let fy = ((p.y - a.min.y) / a.height().max(1.0)).clamp(0.0, 1.0);
        return layout::pos(b.min.x + fx * b.width(), b.min.y + fy * b.height());
    }
    let fx = ((p.x - stage.column.min.x) / stage.column.width()).clamp(0.0, 1.0);
    let x = target.column.min.x + fx * target.column.width();
    let y = if below_header {
        let f = (p.y - stage.header.max.y) / (stage.column.max.y - stage.header.max.y).max(1.0);
        target.header.max.y + f.clamp(0.0, 1.0) * (target.column.max.y - target.header.max.y)
    } else {
        target.header.min.y + (p.y - stage.header.min.y).max(0.0).min(target.header.height())
    };
    layout::pos(x, y)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Options, compact};
    use crate::model::generate::generated_map;

    #[test]
    fn a_point_keeps_to_its_card_or_its_stage_across_forms() {
        let map = generated_map(40, 10, 3);
        let full = layout::layout(&map, &Options::default());
        let over = compact::layout(&map, &Options::default());
        for t in full.touchpoints.iter().step_by(7) {
            let on_card = layout::pos(t.card.min.x + 10.0, t.card.min.y + 10.0);
            let there = corresponding(&full, &over, on_card);
            assert!(over.touchpoint(t.id).unwrap().card.contains(there), "{:?}", t.id);
            // In the full form a touchpoint's lanes below its card count as it.
            let cell = t.cells.last().unwrap().1.center();
            assert!(
                over.touchpoint(t.id)
                    .unwrap()
                    .card
                    .contains(corresponding(&full, &over, cell))
            );
            // And back.
            let back = corresponding(&over, &full, there);
            assert!(t.card.contains(back));
        }
        for s in &full.stages {
            let header = s.header.center();
            let there = corresponding(&full, &over, header);
            assert!(over.stage(s.id).unwrap().header.contains(there));
        }
    }

    #[test]
    fn fit_shows_the_overview_when_the_full_form_would_not_read() {
        let canvas = Rect::from_min_size(Pos2::ZERO, Vec2::new(1440.0, 850.0));
        let big = generated_map(40, 10, 3);
        let (full, over) = (
            layout::layout(&big, &Options::default()),
            compact::layout(&big, &Options::default()),
        );
        let mut state = CanvasState::default();
        state.fit_form(canvas, &full, &over);
        assert_eq!(state.form, Form::Compact);
        let right = state.camera.to_screen(canvas, over.bounds.max);
        assert!(right.x <= canvas.max.x + 0.5, "every stage across the window");
        let small = generated_map(3, 1, 3);
        let (full, over) = (
            layout::layout(&small, &Options::default()),
            compact::layout(&small, &Options::default()),
        );
        state.fit_form(canvas, &full, &over);
        assert_eq!(state.form, Form::Full);
        assert!(state.camera.zoom >= FULL_MIN_ZOOM);
    }
}
