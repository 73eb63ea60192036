//! A stage's slide: its name and story, its touchpoints as big cards, what
//! the room said about it (pain points, opportunities, notes, with their
//! votes) and, with data, how many people reach it and which metrics hit
//! their targets.

use std::sync::Arc;

use eframe::egui::{self, Color32, Galley, Pos2, Rect, Vec2};

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
    captured: &[IdeaRef],
) -> (Vec<IdeaRef>, Option<IdeaRef>) {
    let Some(stage) = map.stages.get(index) else {
        return (Vec::new(), None);
    };
    let content = f.content();
    let gap = f.u(28.0);
    let main = match data.comparison {
        Some(c) => {
            let side = Rect::from_min_max(Pos2::new(content.right() - f.u(340.0), content.top()), content.max);
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
    let list = ideas::of_stage(map, index);
    let gap = f.u(24.0);
    let bottom = cards(
        ui,
        f,
        Rect::from_min_max(Pos2::new(main.left(), y), main.max),
        &touchpoints,
        data.measured,
        gap + ideas_room(ui, f, main.width(), &list),
    );
    let ideas_area = Rect::from_min_max(Pos2::new(main.left(), bottom + gap), main.max);
    ideas_columns(ui, f, ideas_area, &list, picked, captured)
}

/// The touchpoints as cards, in one row or two, as tall as their texts need
/// and the slide allows; returns where they end.
fn cards(
    ui: &mut egui::Ui,
    f: &Frame,
    area: Rect,
    tps: &[&Touchpoint],
    measured: Option<&JourneyMap>,
    keep: f32,
) -> f32 {
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
    let fit = |min: f32| ((area.width() + gap) / (f.u(min) + gap)).floor().max(1.0) as usize;
    // Narrower cards in one row rather than two rows: the ideas need the
    // height; narrower still when two rows of the usual ones are not enough.
    let fit = if tps.len() <= fit(220.0) || tps.len() > 2 * fit(290.0) {
        fit(220.0)
    } else {
        fit(290.0)
    };
    let rows = tps.len().div_ceil(fit).min(2);
    // Rows as even as they can be: 3 + 3 rather than 4 + 2.
    let cols = tps.len().div_ceil(rows).min(fit);
    let room = cols * rows;
    let width = (area.width() - gap * (cols - 1) as f32) / cols as f32;
    let shown: Vec<&Touchpoint> = tps
        .iter()
        .map(|tp| measured.and_then(|m| m.touchpoint(tp.id)).unwrap_or(tp))
        .collect();
    // The ideas below keep `keep`. Names keep three lines whatever they ask
    // in one row of cards; in two, two lines, and the channel goes first.
    let budget = ((area.height() - keep) - gap * (rows - 1) as f32) / rows as f32;
    let tries: &[(usize, bool)] = if rows == 1 {
        &[(4, true), (3, true)]
    } else {
        &[(3, true), (2, true), (3, false), (2, false)]
    };
    let layout = |&(title_rows, channel): &(usize, bool)| {
        let texts: Vec<CardText> = shown
            .iter()
            .take(room)
            .map(|tp| CardText::new(ui, f, width, tp, title_rows, channel))
            .collect();
        let height = texts.iter().map(|t| t.height(f)).fold(f.u(150.0), f32::max);
        (height, texts)
    };
    let (height, texts) = tries
        .iter()
        .map(layout)
        .find(|(height, _)| *height <= budget)
        .unwrap_or_else(|| layout(&tries[tries.len() - 1]));
    for (i, (tp, text)) in shown.iter().zip(texts).enumerate() {
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
                Style::new(BODY, draw::MUTED).rows(3),
            );
            break;
        }
        card(ui, f, rect, tp, text);
    }
    area.top() + rows as f32 * height + (rows - 1) as f32 * gap
}

/// The height the ideas ask for below the cards: their headings and the
/// first two of each column, or the hint of an empty one. Each keeps room
/// for its line of votes, voted or not, so the cards keep their size while
/// the room votes and the two most voted always fit.
fn ideas_room(ui: &egui::Ui, f: &Frame, width: f32, list: &[Listed]) -> f32 {
    let text_width = (width - 2.0 * f.u(24.0)) / 3.0 - f.u(48.0);
    let column = |kind: IdeaKind| {
        let mine: Vec<&Listed> = list.iter().filter(|i| i.kind == kind).collect();
        let first: f32 = mine
            .iter()
            .take(2)
            .map(|i| idea_text(ui, f, text_width, i, 2).size().y.max(f.u(40.0)) + vote_line(f) + f.u(14.0))
            .sum();
        first.max(f.u(80.0))
    };
    let tallest = IdeaKind::ALL.into_iter().map(column).fold(0.0, f32::max);
    f.u(HEADING) + tallest
}

/// The height of a column's heading and its rule, in slide units.
const HEADING: f32 = 58.0;

/// A card's texts laid out for its width: channel (left out when the
/// height is needed for the names), name, key metric.
struct CardText {
    meta: Option<Arc<Galley>>,
    title: Arc<Galley>,
    metric: Vec<MetricLine>,
}

impl CardText {
    fn new(ui: &egui::Ui, f: &Frame, width: f32, tp: &Touchpoint, title_rows: usize, channel: bool) -> CardText {
        let w = width - f.u(44.0);
        let mode = match tp.mode {
            Mode::Online => "online",
            Mode::Offline => "offline",
        };
        let meta = format!("{} · {}", tp.channel.label(), mode);
        CardText {
            meta: channel.then(|| draw::galley(ui, f, &meta, w, Style::new(SMALL, draw::MUTED))),
            title: draw::galley(ui, f, &tp.name, w, Style::new(30.0, draw::TEXT).bold().rows(title_rows)),
            metric: tp
                .metrics
                .first()
                .map(|m| metric_lines(ui, f, m, w, SMALL))
                .unwrap_or_default(),
        }
    }

    fn height(&self, f: &Frame) -> f32 {
        let metric: f32 = self.metric.iter().map(MetricLine::height).sum();
        let metric = if self.metric.is_empty() { 0.0 } else { metric + f.u(8.0) };
        let meta = self.meta.as_ref().map_or(0.0, |m| m.size().y + f.u(4.0));
        f.u(28.0) + meta + self.title.size().y + metric
    }
}

fn card(ui: &mut egui::Ui, f: &Frame, rect: Rect, tp: &Touchpoint, text: CardText) {
    let painter = ui.painter();
    painter.rect_filled(rect, f.u(12.0), draw::CARD);
    let accent = match tp.mode {
        Mode::Online => theme::ONLINE,
        Mode::Offline => theme::rgb(style::OFFLINE),
    };
    let strip = Rect::from_min_size(rect.min, Vec2::new(f.u(8.0), rect.height()));
    painter.rect_filled(strip, f.u(4.0), accent);
    let inner = rect.shrink2(Vec2::new(f.u(22.0), f.u(14.0)));
    let left = inner.left() + f.u(4.0);
    let mut y = inner.top();
    if let Some(meta) = text.meta {
        y = draw::put(ui, Pos2::new(left, y), meta).bottom() + f.u(4.0);
    }
    let r = draw::put(ui, Pos2::new(left, y), text.title);
    // The metric sits at the foot of the card, level across the row.
    let metric: f32 = text.metric.iter().map(MetricLine::height).sum();
    y = (r.bottom() + f.u(8.0)).max(inner.bottom() - metric);
    for line in text.metric {
        y = line.put(ui, f, Pos2::new(left, y));
    }
}

/// A metric's line on a slide: some of its name, and numbers after it.
struct MetricLine {
    name: Option<Arc<Galley>>,
    numbers: Option<Arc<Galley>>,
}

impl MetricLine {
    fn height(&self) -> f32 {
        let h = |g: &Option<Arc<Galley>>| g.as_ref().map_or(0.0, |g| g.size().y);
        h(&self.name).max(h(&self.numbers))
    }

    /// Draws the line at `pos`; returns its bottom.
    fn put(self, ui: &mut egui::Ui, f: &Frame, pos: Pos2) -> f32 {
        let height = self.height();
        let mut x = pos.x;
        if let Some(name) = self.name {
            x = draw::put(ui, pos, name).right() + f.u(8.0);
        }
        if let Some(numbers) = self.numbers {
            draw::put(ui, Pos2::new(x, pos.y), numbers);
        }
        pos.y + height
    }
}

/// A metric in lines no wider than `width`: `Visits: 4 200 / 5 000` when it
/// fits. Else only the name is cut, beside the numbers or above them, and
/// the numbers break only between value and target, never inside a number.
fn metric_lines(ui: &egui::Ui, f: &Frame, m: &Metric, width: f32, size: f32) -> Vec<MetricLine> {
    let (value, target, color) = metric_parts(m);
    let numbers = match &target {
        Some(t) => format!("{value} / {t}"),
        None => value.clone(),
    };
    let line = |name, numbers| MetricLine { name, numbers };
    let whole = draw::galley(ui, f, &format!("{}: {numbers}", m.name), width, Style::new(size, color));
    if !whole.elided {
        return vec![line(Some(whole), None)];
    }
    let label = format!("{}:", m.name);
    let name = |width: f32| draw::galley(ui, f, &label, width, Style::new(size, draw::MUTED));
    let style = Style::new(size, color).bold();
    let one = draw::galley(ui, f, &numbers, width, style);
    if one.elided && target.is_some() {
        let target = format!("/ {}", target.unwrap_or_default());
        return vec![
            line(Some(name(width)), None),
            line(None, Some(draw::galley(ui, f, &value, width, style))),
            line(None, Some(draw::galley(ui, f, &target, width, style))),
        ];
    }
    // Beside the numbers while most of the name shows.
    let beside = width - one.size().x - f.u(8.0);
    if beside >= name(f32::INFINITY).size().x * 0.6 {
        return vec![line(Some(name(beside)), Some(one))];
    }
    vec![line(Some(name(width)), None), line(None, Some(one))]
}

/// A metric's value and target, formatted, and its colour: green at or
/// past its target, red short of it, when it is measured from data.
fn metric_parts(m: &Metric) -> (String, Option<String>, Color32) {
    let value = m.value.map_or("—".to_owned(), |v| text::format_number(v, m.unit));
    let target = m.target.map(|t| text::format_number(t, m.unit));
    let color = on_target(m).map_or(draw::TEXT, |good| if good { green() } else { red() });
    (value, target, color)
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
        Style::new(SMALL, draw::MUTED).rows(2),
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
            Style::new(SMALL, draw::MUTED).rows(2),
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
    let metrics: Vec<(&Touchpoint, &Metric)> = measured
        .into_iter()
        .flat_map(|m| m.touchpoints_in(stage.id))
        .flat_map(|tp| tp.metrics.iter().map(move |m| (tp, m)))
        .filter(|(_, m)| on_target(m).is_some())
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
    for (tp, m) in metrics {
        if y > inner.bottom() - f.u(70.0) {
            break;
        }
        line(ui, &mut y, &tp.name, Style::new(SMALL, draw::MUTED), 0.0);
        for line in metric_lines(ui, f, m, w, SMALL) {
            y = line.put(ui, f, Pos2::new(inner.left(), y));
        }
        y += f.u(10.0);
    }
}

/// Pain points, opportunities and notes side by side down to the foot of
/// the slide, each column most voted first. The picked idea and the newest
/// one captured in each column are always among those shown; the rest are
/// shown as room allows, nine at most in all, numbered 1–9 across the
/// columns for picking by key. Returns them in that order, and the idea
/// clicked.
fn ideas_columns(
    ui: &mut egui::Ui,
    f: &Frame,
    area: Rect,
    list: &[Listed],
    picked: Option<IdeaRef>,
    captured: &[IdeaRef],
) -> (Vec<IdeaRef>, Option<IdeaRef>) {
    let gap = f.u(24.0);
    let width = (area.width() - 2.0 * gap) / 3.0;
    let text_width = width - f.u(48.0);
    let columns = [
        (IdeaKind::PainPoint, "Pain points", "P"),
        (IdeaKind::Opportunity, "Opportunities", "I"),
        (IdeaKind::Note, "Notes", "K"),
    ];
    let heading_height = f.u(HEADING);
    let room = area.height() - heading_height;
    let mut plans: Vec<Column> = columns
        .iter()
        .map(|(kind, _, _)| {
            let mine: Vec<&Listed> = list.iter().filter(|i| i.kind == *kind).collect();
            let newest = captured
                .iter()
                .rev()
                .find(|c| mine.iter().any(|i| i.target == **c))
                .copied();
            let pinned: Vec<bool> = mine
                .iter()
                .map(|i| Some(i.target) == picked || Some(i.target) == newest)
                .collect();
            let heights: Vec<[f32; 2]> = mine
                .iter()
                .map(|i| [3, 2].map(|rows| idea_height(ui, f, text_width, i, rows)))
                .collect();
            let shown = fitting(&heights, &pinned, room, f.u(14.0));
            Column { mine, pinned, shown }
        })
        .collect();
    // Only nine keys pick: the fullest column gives way, keeping its pins.
    while plans.iter().map(|c| c.shown.len()).sum::<usize>() > 9 {
        let Some(column) = plans
            .iter_mut()
            .filter(|c| c.shown.iter().any(|&(n, _)| !c.pinned[n]))
            .max_by_key(|c| c.shown.len())
        else {
            break;
        };
        if let Some(last) = column.shown.iter().rposition(|&(n, _)| !column.pinned[n]) {
            column.shown.remove(last);
        }
    }
    let mut numbered = Vec::new();
    let mut clicked = None;
    for (col, ((kind, heading, key), plan)) in columns.into_iter().zip(plans).enumerate() {
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
        // What does not fit is counted on the heading's line, to the right.
        if plan.shown.len() < plan.mine.len() {
            let left_out = plan.mine.len() - plan.shown.len();
            let beside = width - r.width() - f.u(12.0);
            let style = Style::new(SMALL, draw::MUTED);
            let mut g = draw::galley(ui, f, &format!("+{left_out} more"), width, style);
            if g.size().x > beside {
                g = draw::galley(ui, f, &format!("+{left_out}"), width, style);
            }
            let pos = Pos2::new(left + width - g.size().x, r.bottom() - g.size().y);
            draw::put(ui, pos, g);
        }
        let mut y = area.top() + heading_height;
        if plan.mine.is_empty() {
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
        for &(n, rows) in &plan.shown {
            let idea = plan.mine[n];
            numbered.push(idea.target);
            let number = (numbered.len() <= 9).then_some(numbered.len());
            let item = idea_row(
                ui,
                f,
                Rect::from_min_size(Pos2::new(left, y), Vec2::new(width, 0.0)),
                number,
                idea,
                rows,
                picked == Some(idea.target),
            );
            let response = ui.interact(item, ui.scope_id().with(("idea", numbered.len())), egui::Sense::click());
            if response.clicked() {
                clicked = Some(idea.target);
            }
            y = item.bottom() + f.u(14.0);
        }
    }
    numbered.truncate(9);
    (numbered, clicked)
}

/// One column's ideas, which of them must show, and which do (by position
/// in `mine`, in order, with the rows of text each gets).
struct Column<'a, 'b> {
    mine: Vec<&'b Listed<'a>>,
    pinned: Vec<bool>,
    shown: Vec<(usize, usize)>,
}

/// Which of the items fit in `room`, in order, and in how many rows of
/// text: as many items as fit in two rows (`heights[n][1]` tall), the pinned
/// ones whatever the room, then from the first, each in three
/// (`heights[n][0]`) while room is left.
fn fitting(heights: &[[f32; 2]], pinned: &[bool], room: f32, gap: f32) -> Vec<(usize, usize)> {
    // No gap after the last.
    let room = room + gap;
    let mut shown: Vec<(usize, usize)> = (0..heights.len()).filter(|&n| pinned[n]).map(|n| (n, 2)).collect();
    let mut used: f32 = shown.iter().map(|&(n, _)| heights[n][1] + gap).sum();
    for (n, h) in heights.iter().enumerate().filter(|&(n, _)| !pinned[n]) {
        if used + h[1] + gap > room {
            break;
        }
        used += h[1] + gap;
        shown.push((n, 2));
    }
    shown.sort_unstable();
    for (n, rows) in &mut shown {
        let extra = heights[*n][0] - heights[*n][1];
        if used + extra <= room {
            used += extra;
            *rows = 3;
        }
    }
    shown
}

/// The idea's text in up to `rows` lines.
fn idea_text(ui: &egui::Ui, f: &Frame, width: f32, idea: &Listed, rows: usize) -> Arc<Galley> {
    draw::galley(ui, f, idea.text, width, Style::new(BODY, draw::TEXT).rows(rows))
}

/// How tall `idea_row` draws an idea.
fn idea_height(ui: &egui::Ui, f: &Frame, width: f32, idea: &Listed, rows: usize) -> f32 {
    let text = idea_text(ui, f, width, idea, rows).size().y;
    let votes = if idea.votes > 0 { vote_line(f) } else { 0.0 };
    text.max(f.u(40.0)) + votes
}

/// The line of dots under an idea with votes.
fn vote_line(f: &Frame) -> f32 {
    f.u(2.0) + f.u(SMALL * 1.4)
}

/// One idea at the top of `slot` (its width is the column's): its number
/// (the key that picks it), its text, and its dots once it has votes.
fn idea_row(
    ui: &mut egui::Ui,
    f: &Frame,
    slot: Rect,
    number: Option<usize>,
    idea: &Listed,
    rows: usize,
    picked: bool,
) -> Rect {
    let (pos, width) = (slot.min, slot.width());
    let badge = f.u(36.0);
    let text_left = pos.x + badge + f.u(12.0);
    if let Some(number) = number {
        let c = Pos2::new(pos.x + badge / 2.0, pos.y + f.u(20.0));
        ui.painter()
            .circle_filled(c, badge / 2.0, if picked { draw::PICKED } else { draw::CARD });
        let g = draw::galley(ui, f, &number.to_string(), badge, Style::new(SMALL, draw::TEXT).bold());
        draw::put(ui, c - g.size() / 2.0, g);
    }
    let text = idea_text(ui, f, pos.x + width - text_left, idea, rows);
    let r = draw::put(ui, Pos2::new(text_left, pos.y), text);
    let mut bottom = r.bottom().max(pos.y + f.u(40.0));
    if idea.votes > 0 {
        bottom = draw::dots(ui, f, Pos2::new(text_left, r.bottom() + f.u(2.0)), idea.votes, SMALL).bottom();
    }
    let rect = Rect::from_min_max(pos, Pos2::new(pos.x + width, bottom));
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
