//! The closing slide: the ideas the room voted for, most votes first, and
//! what it raised during the session.

use eframe::egui::{self, Pos2, Rect};

use super::draw::{self, Frame, Style};
use super::ideas;
use crate::model::JourneyMap;
use crate::model::idea::{self, IdeaRef};

/// Draws the slide; returns the ranked ideas numbered on it, and the idea
/// clicked.
pub fn show(
    ui: &mut egui::Ui,
    f: &Frame,
    map: &JourneyMap,
    captured: &[IdeaRef],
    picked: Option<IdeaRef>,
) -> (Vec<IdeaRef>, Option<IdeaRef>) {
    let content = f.content();
    let r = draw::text(
        ui,
        f,
        content.min,
        content.width(),
        "What we decided",
        Style::new(56.0, draw::TEXT).bold(),
    );
    let top = r.bottom() + f.u(24.0);
    let gap = f.u(40.0);
    let left_w = (content.width() - gap) * 0.62;
    let right = Rect::from_min_max(Pos2::new(content.left() + left_w + gap, top), content.max);
    let mut clicked = None;
    let mut numbered = Vec::new();

    let ranked = idea::ranked(map);
    let mut y = top;
    if ranked.is_empty() {
        let hint = "No votes yet: pick an idea on a stage slide with 1–9 and press + to vote";
        draw::text(
            ui,
            f,
            Pos2::new(content.left(), y),
            left_w,
            hint,
            Style::new(28.0, draw::MUTED).rows(3),
        );
    }
    for (n, item) in ranked.iter().enumerate() {
        if y + f.u(140.0) > content.bottom() {
            let more = format!("+{} more with votes", ranked.len() - n);
            draw::text(
                ui,
                f,
                Pos2::new(content.left(), y),
                left_w,
                &more,
                Style::new(26.0, draw::MUTED),
            );
            break;
        }
        numbered.push(item.target);
        let is_picked = picked == Some(item.target);
        let rank = format!("{}", n + 1);
        let rank_style = Style::new(36.0, if is_picked { draw::PICKED } else { draw::MUTED }).bold();
        draw::text(ui, f, Pos2::new(content.left(), y), f.u(56.0), &rank, rank_style);
        let x = content.left() + f.u(60.0);
        let w = left_w - f.u(60.0);
        let color = ideas::color(item.kind);
        let stage = map.stage(item.stage).map_or("", |s| s.name.as_str());
        let kind = format!("{} · {}", item.kind.label(), stage);
        let r1 = draw::text(ui, f, Pos2::new(x, y), w, &kind, Style::new(26.0, color));
        let r2 = draw::text(
            ui,
            f,
            Pos2::new(x, r1.bottom()),
            w,
            item.text,
            // What the room decided reads whole: two lines before any cut.
            Style::new(30.0, draw::TEXT).bold().rows(2),
        );
        let dots = draw::dots(ui, f, Pos2::new(x, r2.bottom() + f.u(2.0)), item.votes, 26.0);
        let row = Rect::from_min_max(
            Pos2::new(content.left(), y),
            Pos2::new(content.left() + left_w, dots.bottom()),
        );
        if ui
            .interact(row, ui.scope_id().with(("ranked", n)), egui::Sense::click())
            .clicked()
        {
            clicked = Some(item.target);
        }
        y = dots.bottom() + f.u(18.0);
    }

    ui.painter().rect_filled(right, f.u(16.0), draw::PANEL);
    let inner = right.shrink(f.u(24.0));
    let r = draw::text(
        ui,
        f,
        inner.min,
        inner.width(),
        "Raised today",
        Style::new(32.0, draw::TEXT).bold(),
    );
    let mut y = r.bottom() + f.u(12.0);
    let all = idea::all(map);
    let today: Vec<_> = captured
        .iter()
        .filter_map(|target| all.iter().find(|i| i.target == *target))
        .collect();
    if today.is_empty() {
        let hint = "Nothing yet: on a stage slide press P, I or K and type";
        draw::text(
            ui,
            f,
            Pos2::new(inner.left(), y),
            inner.width(),
            hint,
            Style::new(26.0, draw::MUTED).rows(3),
        );
    }
    for (n, item) in today.iter().enumerate() {
        if y + f.u(80.0) > inner.bottom() {
            let more = format!("+{} more", today.len() - n);
            draw::text(
                ui,
                f,
                Pos2::new(inner.left(), y),
                inner.width(),
                &more,
                Style::new(26.0, draw::MUTED),
            );
            break;
        }
        let style = Style::new(26.0, ideas::color(item.kind)).rows(2);
        let text = format!("{}: {}", item.kind.label(), item.text);
        let r = draw::text(ui, f, Pos2::new(inner.left(), y), inner.width(), &text, style);
        y = r.bottom() + f.u(12.0);
    }
    numbered.truncate(9);
    (numbered, clicked)
}
