//! A stage's slide: its name and story, its touchpoints as big cards, what
//! the room said about it (pain points, opportunities, notes, with their
//! votes) and, with data, how many people reach it and which metrics hit
//! their targets.

use eframe::egui::{self, Color32, Pos2, Rect, Vec2};

use super::super::theme;
use super::draw::{self, Frame, Style};
use super::ideas;
use crate::analysis::Comparison;
use crate::layout::{style, text};
use crate::model::idea::{IdeaKind, IdeaRef, Listed};
use crate::model::{DataMeasure, JourneyMap, Metric, MetricSource, Mode, Touchpoint};

pub const BODY: f32 = 28.0;
pub const SMALL: f32 = 26.0;

/// What the stage slide needs beside the map.
pub struct Data<'a> {
    pub comparison: Option<&'a Comparison>,
    /// The map with data-bound metrics measured, when there is data.
    pub measured: Option<&'a JourneyMap>,
}

/// Draws the slide; returns the ideas numbered on it, in order, and the
/// idea clicked.
pub fn show(
    ui: &mut egui::Ui,
    f: &Frame,
    map: &JourneyMap,
    index: usize,
    data: &Data,
    picked: Option<IdeaRef>,
) -> (Vec<IdeaRef>, Option<IdeaRef>) {
    let Some(stage) = map.stages.get(index) else {
        return (Vec::new(), None);
    };
    let content = f.content();
    let gap = f.u(28.0);
    let main = match data.comparison {
        Some(c) => {
            let side = Rect::from_min_max(Pos2::new(content.right() - f.u(380.0), content.top()), content.max);
            numbers(ui, f, side, map, index, c, data.measured);
            Rect::from_min_max(content.min, Pos2::new(side.left() - gap, content.bottom()))
        }
        None => content,
    };
    let mut y = main.top();
    let mut x = main.left();
    if let Some(fs) = stage
        .funnel_stage
        .and_then(|id| map.funnel.stages.iter().find(|s| s.id == id))
    {
        let chip = draw::chip(ui, f, Pos2::new(x, y), &fs.name, SMALL, theme::rgb(fs.color));
        x = chip.right() + f.u(16.0);
    }
    let count = format!("Stage {} of {}", index + 1, map.stages.len());
    let r = draw::text(
        ui,
        f,
        Pos2::new(x, y + f.u(6.0)),
        main.right() - x,
        &count,
        Style::new(SMALL, draw::MUTED),
    );
    y = r.bottom().max(y + f.u(46.0)) + f.u(4.0);
    let r = draw::text(
        ui,
        f,
        Pos2::new(main.left(), y),
        main.width(),
        &stage.name,
        Style::new(56.0, draw::TEXT).bold(),
    );
    y = r.bottom() + f.u(4.0);
    if !stage.description.is_empty() {
        let style = Style::new(BODY, draw::MUTED).rows(2);
        let r = draw::text(
            ui,
            f,
            Pos2::new(main.left(), y),
            main.width(),
            &stage.description,
            style,
        );
        y = r.bottom();
    }
    y += f.u(20.0);
    let touchpoints: Vec<&Touchpoint> = map.touchpoints_in(stage.id).collect();
    let bottom = cards(
        ui,
        f,
        Rect::from_min_max(Pos2::new(main.left(), y), main.max),
        &touchpoints,
        data.measured,
    );
    let ideas_area = Rect::from_min_max(Pos2::new(main.left(), bottom + f.u(24.0)), main.max);
    ideas_columns(ui, f, ideas_area, &ideas::of_stage(map, index), picked)
}

/// The touchpoints as cards, in up to two rows; returns where they end.
fn cards(ui: &mut egui::Ui, f: &Frame, area: Rect, tps: &[&Touchpoint], measured: Option<&JourneyMap>) -> f32 {
    if tps.is_empty() {
        let r = draw::text(
            ui,
            f,
            area.min,
            area.width(),
            "No touchpoints yet",
            Style::new(BODY, draw::MUTED),
        );
        return r.bottom();
    }
    let gap = f.u(20.0);
    let fit = ((area.width() + gap) / (f.u(290.0) + gap)).floor().max(1.0) as usize;
    let cols = tps.len().min(fit);
    let rows = tps.len().div_ceil(cols).min(2);
    let width = (area.width() - gap * (cols - 1) as f32) / cols as f32;
    let height = if rows == 1 { f.u(190.0) } else { f.u(150.0) };
    let room = cols * rows;
    for (i, tp) in tps.iter().take(room).enumerate() {
        let pos = Pos2::new(
            area.left() + (i % cols) as f32 * (width + gap),
            area.top() + (i / cols) as f32 * (height + gap),
        );
        let rect = Rect::from_min_size(pos, Vec2::new(width, height));
        if i + 1 == room && tps.len() > room {
            ui.painter().rect_filled(rect, f.u(12.0), draw::PANEL);
            let more = format!("+{} more touchpoints", tps.len() - room + 1);
            draw::text(
                ui,
                f,
                rect.min + Vec2::splat(f.u(20.0)),
                width - f.u(40.0),
                &more,
                Style::new(BODY, draw::MUTED),
            );
            break;
        }
        let shown = measured.and_then(|m| m.touchpoint(tp.id)).unwrap_or(tp);
        card(ui, f, rect, shown, rows == 1);
    }
    area.top() + rows as f32 * height + (rows - 1) as f32 * gap
}

fn card(ui: &mut egui::Ui, f: &Frame, rect: Rect, tp: &Touchpoint, tall: bool) {
    let painter = ui.painter();
    painter.rect_filled(rect, f.u(12.0), draw::CARD);
    let (mode, accent) = match tp.mode {
        Mode::Online => ("online", theme::ONLINE),
        Mode::Offline => ("offline", theme::rgb(style::OFFLINE)),
    };
    let strip = Rect::from_min_size(rect.min, Vec2::new(f.u(8.0), rect.height()));
    painter.rect_filled(strip, f.u(4.0), accent);
    let inner = rect.shrink2(Vec2::new(f.u(22.0), f.u(14.0)));
    let meta = format!("{} · {}", tp.channel.label(), mode);
    let r = draw::text(
        ui,
        f,
        inner.min + Vec2::new(f.u(4.0), 0.0),
        inner.width(),
        &meta,
        Style::new(SMALL, draw::MUTED),
    );
    let title_rows = if tall { 2 } else { 1 };
    let style = Style::new(30.0, draw::TEXT).bold().rows(title_rows);
    let r = draw::text(
        ui,
        f,
        Pos2::new(r.left(), r.bottom() + f.u(4.0)),
        inner.width(),
        &tp.name,
        style,
    );
    if let Some(metric) = tp.metrics.first() {
        let (line, color) = metric_line(metric);
        let pos = Pos2::new(r.left(), (r.bottom() + f.u(6.0)).max(inner.bottom() - f.u(36.0)));
        draw::text(ui, f, pos, inner.width(), &line, Style::new(SMALL, color));
    }
}

/// `Visits: 4 200 / 5 000` and its colour: green at or past its target,
/// red short of it, when it is measured from data.
fn metric_line(m: &Metric) -> (String, Color32) {
    let value = m.value.map_or("—".to_owned(), |v| text::format_number(v, m.unit));
    let line = match m.target {
        Some(t) => format!("{}: {} / {}", m.name, value, text::format_number(t, m.unit)),
        None => format!("{}: {}", m.name, value),
    };
    (
        line,
        on_target(m).map_or(draw::TEXT, |good| if good { green() } else { red() }),
    )
}

/// Whether a measured metric meets its target; `None` when it is typed in,
/// not measured, or has no target.
fn on_target(m: &Metric) -> Option<bool> {
    let (MetricSource::Data(measure), Some(value), Some(target)) = (&m.source, m.value, m.target) else {
        return None;
    };
    // Cost per conversion is good when low; the others when high.
    Some(if *measure == DataMeasure::CostPerConversion {
        value <= target
    } else {
        value >= target
    })
}

/// The palette's on-target and below-target colours, lifted for a dark slide.
fn green() -> Color32 {
    theme::rgb(style::ON_TARGET).lerp_to_gamma(Color32::WHITE, 0.3)
}

fn red() -> Color32 {
    theme::rgb(style::BELOW_TARGET).lerp_to_gamma(Color32::WHITE, 0.35)
}

/// The data column: people reaching the stage, the drop-off from the stage
/// before, the measured metrics against their targets.
fn numbers(
    ui: &mut egui::Ui,
    f: &Frame,
    area: Rect,
    map: &JourneyMap,
    index: usize,
    c: &Comparison,
    measured: Option<&JourneyMap>,
) {
    ui.painter().rect_filled(area, f.u(16.0), draw::PANEL);
    let inner = area.shrink(f.u(24.0));
    let w = inner.width();
    let mut y = inner.top();
    let stage = &map.stages[index];
    let line = |ui: &mut egui::Ui, y: &mut f32, text: &str, style: Style, after: f32| {
        let r = draw::text(ui, f, Pos2::new(inner.left(), *y), w, text, style);
        *y = r.bottom() + f.u(after);
    };
    line(
        ui,
        &mut y,
        "People reaching this stage",
        Style::new(SMALL, draw::MUTED),
        0.0,
    );
    let reached = c.stage(stage.id).map_or("—".to_owned(), |s| {
        text::format_number(s.people_reached as f64, crate::model::Unit::Count)
    });
    line(ui, &mut y, &reached, Style::new(64.0, draw::TEXT).bold(), 4.0);
    match (
        c.stage_drop_off(stage.id),
        index.checked_sub(1).and_then(|i| map.stages.get(i)),
    ) {
        (Some(drop), Some(before)) => {
            let (text, color) = if drop >= 0.0 {
                (format!("−{:.0} % since “{}”", drop * 100.0, before.name), red())
            } else {
                (format!("+{:.0} % since “{}”", -drop * 100.0, before.name), green())
            };
            line(ui, &mut y, &text, Style::new(SMALL, color).rows(2), 20.0);
        }
        _ => line(
            ui,
            &mut y,
            "The first stage of the journey",
            Style::new(SMALL, draw::MUTED),
            20.0,
        ),
    }
    line(
        ui,
        &mut y,
        "Metrics against target",
        Style::new(SMALL, draw::MUTED),
        8.0,
    );
    let metrics: Vec<(&Touchpoint, &Metric, bool)> = measured
        .into_iter()
        .flat_map(|m| m.touchpoints_in(stage.id))
        .flat_map(|tp| tp.metrics.iter().map(move |m| (tp, m)))
        .filter_map(|(tp, m)| on_target(m).map(|good| (tp, m, good)))
        .collect();
    if metrics.is_empty() {
        line(
            ui,
            &mut y,
            "None of this stage's metrics is measured",
            Style::new(SMALL, draw::MUTED).rows(2),
            0.0,
        );
    }
    for (tp, m, good) in metrics {
        if y > inner.bottom() - f.u(70.0) {
            break;
        }
        let (text, _) = metric_line(m);
        line(ui, &mut y, &tp.name, Style::new(SMALL, draw::MUTED), 0.0);
        line(
            ui,
            &mut y,
            &text,
            Style::new(SMALL, if good { green() } else { red() }).rows(2),
            10.0,
        );
    }
}

/// Pain points, opportunities and notes side by side, each with its
/// votes. The ideas that fit are numbered 1–9 across the columns, for
/// picking by key; returns them in that order, and the idea clicked.
fn ideas_columns(
    ui: &mut egui::Ui,
    f: &Frame,
    area: Rect,
    list: &[Listed],
    picked: Option<IdeaRef>,
) -> (Vec<IdeaRef>, Option<IdeaRef>) {
    let gap = f.u(24.0);
    let width = (area.width() - 2.0 * gap) / 3.0;
    let text_width = width - f.u(48.0);
    let columns = [
        (IdeaKind::PainPoint, "Pain points", "P"),
        (IdeaKind::Opportunity, "Opportunities", "I"),
        (IdeaKind::Note, "Notes", "K"),
    ];
    let heading_height = f.u(58.0);
    // How many of each column's ideas fit, keeping a line for "+n more".
    let mut shown = Vec::new();
    for (kind, _, _) in columns {
        let mine: Vec<&Listed> = list.iter().filter(|i| i.kind == kind).collect();
        let mut y = area.top() + heading_height;
        let mut fit = 0;
        for (n, idea) in mine.iter().enumerate() {
            let text = draw::galley(ui, f, idea.text, text_width, Style::new(BODY, draw::TEXT).rows(2))
                .size()
                .y;
            let bottom = y + text + f.u(40.0);
            let reserve = if n + 1 == mine.len() { 0.0 } else { f.u(40.0) };
            if bottom + reserve > area.bottom() {
                break;
            }
            fit += 1;
            y = bottom + f.u(14.0);
        }
        shown.push((mine, fit));
    }
    let mut numbered = Vec::new();
    let mut clicked = None;
    for (col, ((kind, heading, key), (mine, fit))) in columns.into_iter().zip(shown).enumerate() {
        let left = area.left() + col as f32 * (width + gap);
        let color = ideas::color(kind);
        let r = draw::text(
            ui,
            f,
            Pos2::new(left, area.top()),
            width,
            heading,
            Style::new(30.0, color).bold(),
        );
        ui.painter().hline(
            left..=left + width,
            r.bottom() + f.u(6.0),
            egui::Stroke::new(f.u(3.0), color.gamma_multiply(0.6)),
        );
        let mut y = area.top() + heading_height;
        if mine.is_empty() {
            let hint = format!("None yet — press {key} to add one");
            draw::text(
                ui,
                f,
                Pos2::new(left, y),
                width,
                &hint,
                Style::new(SMALL, draw::MUTED).rows(2),
            );
        }
        for idea in mine.iter().take(fit) {
            numbered.push(idea.target);
            let number = (numbered.len() <= 9).then_some(numbered.len());
            let item = idea_row(
                ui,
                f,
                Pos2::new(left, y),
                width,
                number,
                idea,
                picked == Some(idea.target),
            );
            let response = ui.interact(item, ui.scope_id().with(("idea", numbered.len())), egui::Sense::click());
            if response.clicked() {
                clicked = Some(idea.target);
            }
            y = item.bottom() + f.u(14.0);
        }
        if fit < mine.len() {
            let more = format!("+{} more", mine.len() - fit);
            draw::text(ui, f, Pos2::new(left, y), width, &more, Style::new(SMALL, draw::MUTED));
        }
    }
    numbered.truncate(9);
    (numbered, clicked)
}

/// One idea: its number (the key that picks it), its text, its dots.
fn idea_row(
    ui: &mut egui::Ui,
    f: &Frame,
    pos: Pos2,
    width: f32,
    number: Option<usize>,
    idea: &Listed,
    picked: bool,
) -> Rect {
    let badge = f.u(36.0);
    let text_left = pos.x + badge + f.u(12.0);
    if let Some(number) = number {
        let c = Pos2::new(pos.x + badge / 2.0, pos.y + f.u(20.0));
        ui.painter()
            .circle_filled(c, badge / 2.0, if picked { draw::PICKED } else { draw::CARD });
        let g = draw::galley(ui, f, &number.to_string(), badge, Style::new(SMALL, draw::TEXT).bold());
        draw::put(ui, c - g.size() / 2.0, g);
    }
    let r = draw::text(
        ui,
        f,
        Pos2::new(text_left, pos.y),
        pos.x + width - text_left,
        idea.text,
        Style::new(BODY, draw::TEXT).rows(2),
    );
    let dots = draw::dots(ui, f, Pos2::new(text_left, r.bottom() + f.u(2.0)), idea.votes, SMALL);
    let rect = Rect::from_min_max(pos, Pos2::new(pos.x + width, dots.bottom()));
    if picked {
        let outline = rect.expand(f.u(6.0));
        ui.painter().rect_stroke(
            outline,
            f.u(8.0),
            egui::Stroke::new(f.u(3.0), draw::PICKED),
            egui::StrokeKind::Outside,
        );
    }
    rect
}
