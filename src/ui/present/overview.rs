//! The whole journey on one slide: every stage as a column with its
//! touchpoints, shortened to fit rather than shrunk out of reach.

use eframe::egui::{self, Pos2, Rect, Vec2};

use super::super::theme;
use super::draw::{self, Frame, Style};
use crate::model::JourneyMap;

/// Touchpoint titles: the smallest text of the deck, still readable at the
/// back of a room.
pub const ITEM: f32 = 22.0;

pub fn show(ui: &mut egui::Ui, f: &Frame, map: &JourneyMap) {
    let content = f.content();
    let r = draw::text(
        ui,
        f,
        content.min,
        content.width(),
        &map.title,
        Style::new(44.0, draw::TEXT).bold(),
    );
    let top = r.bottom() + f.u(24.0);
    let n = map.stages.len().max(1);
    let gap = f.u(12.0);
    let width = (content.width() - gap * (n - 1) as f32) / n as f32;
    for (i, stage) in map.stages.iter().enumerate() {
        let left = content.left() + i as f32 * (width + gap);
        let column = Rect::from_min_max(
            Pos2::new(left, top),
            Pos2::new(left + width, content.bottom() - f.u(30.0)),
        );
        ui.painter().rect_filled(column, f.u(12.0), draw::PANEL);
        let fill = stage
            .funnel_stage
            .and_then(|id| map.funnel.stages.iter().find(|s| s.id == id))
            .map_or(draw::MUTED, |s| theme::rgb(s.color));
        let band = Rect::from_min_size(column.min, Vec2::new(width, f.u(10.0)));
        ui.painter().rect_filled(band, f.u(4.0), fill);
        let inner = column.shrink2(Vec2::new(f.u(12.0), f.u(22.0)));
        let number = format!("{}", i + 1);
        let r = draw::text(ui, f, inner.min, inner.width(), &number, Style::new(ITEM, draw::MUTED));
        let name_style = Style::new(24.0, draw::TEXT).bold().rows(3);
        let r = draw::text(
            ui,
            f,
            Pos2::new(inner.left(), r.bottom()),
            inner.width(),
            &stage.name,
            name_style,
        );
        let mut y = r.bottom() + f.u(14.0);
        let tps: Vec<_> = map.touchpoints_in(stage.id).collect();
        for (k, tp) in tps.iter().enumerate() {
            if y + f.u(3.0 * 34.0) > inner.bottom() && k + 1 < tps.len() {
                let more = format!("+{} more", tps.len() - k);
                draw::text(
                    ui,
                    f,
                    Pos2::new(inner.left(), y),
                    inner.width(),
                    &more,
                    Style::new(ITEM, draw::MUTED),
                );
                break;
            }
            let g = draw::galley(
                ui,
                f,
                &tp.name,
                inner.width() - f.u(16.0),
                Style::new(ITEM, draw::TEXT).rows(3),
            );
            let card = Rect::from_min_size(
                Pos2::new(inner.left(), y),
                Vec2::new(inner.width(), g.size().y + f.u(12.0)),
            );
            ui.painter().rect_filled(card, f.u(8.0), draw::CARD);
            draw::put(ui, card.min + Vec2::new(f.u(8.0), f.u(6.0)), g);
            y = card.bottom() + f.u(10.0);
        }
    }
}
