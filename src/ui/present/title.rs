//! The opening slide: what the map is, who it is about, and the funnel its
//! stages climb down.

use eframe::egui::{self, Pos2, Rect, Vec2};

use super::super::theme;
use super::draw::{self, Frame, Style};
use crate::model::{JourneyMap, Persona};

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
        Style::new(64.0, draw::TEXT).bold().rows(2),
    );
    y = r.bottom() + f.u(12.0);
    if !map.description.is_empty() {
        let style = Style::new(32.0, draw::MUTED).rows(3);
        let r = draw::text(ui, f, Pos2::new(content.left(), y), w, &map.description, style);
        y = r.bottom();
    }
    y += f.u(28.0);
    let label = format!("{}:", map.funnel.name);
    let r = draw::text(
        ui,
        f,
        Pos2::new(content.left(), y + f.u(6.0)),
        w,
        &label,
        Style::new(28.0, draw::MUTED),
    );
    let mut x = r.right() + f.u(16.0);
    let mut row_top = y;
    for stage in &map.funnel.stages {
        let g = draw::galley(ui, f, &stage.name, w, Style::new(28.0, draw::TEXT).bold());
        if x + g.size().x + f.u(40.0) > content.right() {
            x = r.right() + f.u(16.0);
            row_top += f.u(58.0);
        }
        let chip = draw::chip(ui, f, Pos2::new(x, row_top), &stage.name, 28.0, theme::rgb(stage.color));
        x = chip.right() + f.u(12.0);
    }
    y = row_top + f.u(90.0);
    let shown = map.personas.len().min(3);
    if shown == 0 {
        return;
    }
    let gap = f.u(24.0);
    let width = (w - gap * (shown - 1) as f32) / shown as f32;
    let area_bottom = content.bottom();
    for (i, persona) in map.personas.iter().take(shown).enumerate() {
        let rect = Rect::from_min_max(
            Pos2::new(content.left() + i as f32 * (width + gap), y),
            Pos2::new(content.left() + i as f32 * (width + gap) + width, area_bottom),
        );
        persona_card(ui, f, rect, persona);
    }
}

/// A persona: name, who they are, what they want and what gets in the way.
fn persona_card(ui: &mut egui::Ui, f: &Frame, rect: Rect, p: &Persona) {
    ui.painter().rect_filled(rect, f.u(16.0), draw::CARD);
    let inner = rect.shrink2(Vec2::new(f.u(28.0), f.u(22.0)));
    let w = inner.width();
    let mut y = inner.top();
    let r = draw::text(
        ui,
        f,
        Pos2::new(inner.left(), y),
        w,
        &p.name,
        Style::new(36.0, draw::TEXT).bold(),
    );
    y = r.bottom() + f.u(4.0);
    if !p.description.is_empty() {
        let r = draw::text(
            ui,
            f,
            Pos2::new(inner.left(), y),
            w,
            &p.description,
            Style::new(26.0, draw::MUTED).rows(2),
        );
        y = r.bottom();
    }
    // Goals and frustrations side by side when the card is wide enough.
    let wide = w > f.u(700.0);
    let col_w = if wide { (w - f.u(24.0)) / 2.0 } else { w };
    let top = y + f.u(12.0);
    for (n, (heading, items, color)) in [
        ("Goals", &p.goals, draw::OPPORTUNITY),
        ("Frustrations", &p.frustrations, draw::PAIN),
    ]
    .into_iter()
    .enumerate()
    {
        let x = if wide {
            inner.left() + n as f32 * (col_w + f.u(24.0))
        } else {
            inner.left()
        };
        if wide {
            y = top;
        }
        if items.is_empty() || y + f.u(70.0) > inner.bottom() {
            continue;
        }
        let r = draw::text(ui, f, Pos2::new(x, y), col_w, heading, Style::new(26.0, color).bold());
        y = r.bottom();
        for item in items.iter() {
            if y + f.u(36.0) > inner.bottom() {
                break;
            }
            let r = draw::text(
                ui,
                f,
                Pos2::new(x, y),
                col_w,
                &format!("• {item}"),
                Style::new(26.0, draw::TEXT),
            );
            y = r.bottom();
        }
        y += f.u(12.0);
    }
}
