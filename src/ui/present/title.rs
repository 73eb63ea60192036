//! The opening slide: what the map is, who it is about, and the funnel its
//! stages climb down.

use eframe::egui::{self, Pos2, Rect, Vec2};

use super::super::theme;
use super::draw::{self, Frame, Style};
use crate::model::{JourneyMap, Persona};

/// The funnel's chips: smaller than the title's text, as a legend is.
const CHIP: f32 = 24.0;

pub fn show(ui: &mut egui::Ui, f: &Frame, map: &JourneyMap) {
    let content = f.content();
    let w = content.width();
    let mut y = content.top() + f.u(20.0);
    let r = draw::text(
        ui,
        f,
        Pos2::new(content.left(), y),
        w,
        &map.title,
        Style::new(60.0, draw::TEXT).bold().rows(2),
    );
    y = r.bottom() + f.u(12.0);
    if !map.description.is_empty() {
        let style = Style::new(30.0, draw::MUTED).rows(2);
        let r = draw::text(ui, f, Pos2::new(content.left(), y), w, &map.description, style);
        y = r.bottom();
    }
    y += f.u(24.0);
    let label = format!("{}:", map.funnel.name);
    let r = draw::text(
        ui,
        f,
        Pos2::new(content.left(), y + f.u(4.0)),
        w,
        &label,
        Style::new(CHIP, draw::MUTED),
    );
    let mut x = r.right() + f.u(14.0);
    let mut row_top = y;
    let mut row_bottom = r.bottom();
    for stage in &map.funnel.stages {
        let g = draw::galley(ui, f, &stage.name, w, Style::new(CHIP, draw::TEXT).bold());
        if x + g.size().x + f.u(CHIP * 1.2) > content.right() {
            x = r.right() + f.u(14.0);
            row_top = row_bottom + f.u(8.0);
        }
        let chip = draw::chip(ui, f, Pos2::new(x, row_top), &stage.name, CHIP, theme::rgb(stage.color));
        x = chip.right() + f.u(10.0);
        row_bottom = chip.bottom();
    }
    y = row_bottom + f.u(32.0);
    let shown = map.personas.len().min(3);
    if shown == 0 {
        return;
    }
    let gap = f.u(24.0);
    let width = (w - gap * (shown - 1) as f32) / shown as f32;
    let area_bottom = content.bottom();
    // Smaller type when side by side, so each keeps its columns.
    let size = [26.0, 24.0, 22.0][shown - 1];
    for (i, persona) in map.personas.iter().take(shown).enumerate() {
        let rect = Rect::from_min_max(
            Pos2::new(content.left() + i as f32 * (width + gap), y),
            Pos2::new(content.left() + i as f32 * (width + gap) + width, area_bottom),
        );
        persona_card(ui, f, rect, persona, size);
    }
}

/// A persona: name, who they are, and what they want and what gets in
/// their way in two columns of bullets, beside who they are on a wide card,
/// below it on a narrow one.
fn persona_card(ui: &mut egui::Ui, f: &Frame, rect: Rect, p: &Persona, size: f32) {
    ui.painter().rect_filled(rect, f.u(16.0), draw::CARD);
    let inner = rect.shrink2(Vec2::new(f.u(28.0), f.u(22.0)));
    let gap = f.u(32.0);
    let wide = inner.width() > f.u(1000.0);
    let w = if wide {
        (inner.width() - 2.0 * gap) * 0.34
    } else {
        inner.width()
    };
    let mut y = inner.top();
    let r = draw::text(
        ui,
        f,
        Pos2::new(inner.left(), y),
        w,
        &p.name,
        Style::new(36.0, draw::TEXT).bold().rows(2),
    );
    y = r.bottom() + f.u(4.0);
    if !p.description.is_empty() {
        let rows = if wide { 6 } else { 2 };
        let r = draw::text(
            ui,
            f,
            Pos2::new(inner.left(), y),
            w,
            &p.description,
            Style::new(size, draw::MUTED).rows(rows),
        );
        y = r.bottom();
    }
    let (left, top, col_w) = if wide {
        let left = inner.left() + w + gap;
        (left, inner.top() + f.u(6.0), (inner.right() - left - gap) / 2.0)
    } else {
        (inner.left(), y + f.u(14.0), (w - gap) / 2.0)
    };
    for (n, (heading, items, color)) in [
        ("Goals", &p.goals, draw::OPPORTUNITY),
        ("Frustrations", &p.frustrations, draw::PAIN),
    ]
    .into_iter()
    .enumerate()
    {
        if items.is_empty() {
            continue;
        }
        let x = left + n as f32 * (col_w + gap);
        let r = draw::text(ui, f, Pos2::new(x, top), col_w, heading, Style::new(size, color).bold());
        let mut y = r.bottom() + f.u(4.0);
        let bullet = f.u(size * 0.9);
        for (i, item) in items.iter().enumerate() {
            let g = draw::galley(ui, f, item, col_w - bullet, Style::new(size, draw::TEXT).rows(3));
            let last = i + 1 == items.len();
            // Keep a line to say how many more there are.
            let keep = if last { 0.0 } else { f.u(size * 1.4) };
            if y + g.size().y + keep > inner.bottom() {
                let more = format!("+{} more", items.len() - i);
                draw::text(
                    ui,
                    f,
                    Pos2::new(x + bullet, y),
                    col_w,
                    &more,
                    Style::new(size, draw::MUTED),
                );
                break;
            }
            ui.painter().circle_filled(
                Pos2::new(x + bullet * 0.3, y + f.u(size * 0.68)),
                f.u(size * 0.13),
                color,
            );
            y = draw::put(ui, Pos2::new(x + bullet, y), g).bottom() + f.u(4.0);
        }
    }
}
