//! The money section: what was spent per channel and per touchpoint (the
//! imported cost column and the map's budgets), against the people it
//! reached, the conversions that followed and the revenue they brought.

use eframe::egui::{self, RichText};

use super::{section, sub_heading};
use crate::analysis::{Money, MoneyRow};
use crate::ui::data::count;
use crate::ui::data::worker::Analysis;
use crate::ui::theme;

pub(in crate::ui::data) fn money(ui: &mut egui::Ui, a: &Analysis) {
    let m = &a.comparison.money;
    let days = m
        .range
        .map_or(String::new(), |r| format!(" from {} to {}", r.first, r.last));
    let last = m.funnel_stages.last().map_or("the last funnel stage", String::as_str);
    section(
        ui,
        "Money",
        &format!(
            "Cost is the imported cost column plus the budgets on the map, each budget spread evenly over its \
             dates and counted for the days{days}. A conversion is reaching {last} after meeting the channel \
             or touchpoint; revenue is what those people brought from then on. “–”: unknown."
        ),
    );
    if !m.has_cost() {
        ui.label(
            RichText::new("No cost data: import a cost column or give the map's efforts budgets.").color(theme::MUTED),
        );
    }
    sub_heading(
        ui,
        "Per channel",
        "The data's channels, and the map's channels its budgets name.",
    );
    grid(ui, "data-money-channels", m, m.channels.iter().chain([&m.total]));
    let (costed, unknown): (Vec<&MoneyRow>, Vec<&MoneyRow>) = m.touchpoints.iter().partition(|t| t.cost.is_some());
    sub_heading(
        ui,
        "Per touchpoint",
        "An event's cost counts for the first touchpoint it meets; a budget for its touchpoint.",
    );
    grid(ui, "data-money-touchpoints", m, costed.into_iter());
    if !unknown.is_empty() {
        ui.label(
            RichText::new(format!("{} touchpoints without cost data", unknown.len()))
                .small()
                .color(theme::MUTED),
        );
    }
}

fn grid<'a>(ui: &mut egui::Ui, id: &str, m: &Money, rows: impl Iterator<Item = &'a MoneyRow>) {
    let amount = |v: Option<f64>| {
        v.map_or("–".to_owned(), |v| {
            let sign = if v < -0.5 { "-" } else { "" };
            format!("{} {sign}{}", m.currency, count(v.abs().round() as u64))
        })
    };
    let each = |v: Option<f64>| match v {
        Some(v) if v < 100.0 => format!("{} {v:.2}", m.currency),
        v => amount(v),
    };
    egui::Grid::new(id).striped(true).spacing([14.0, 3.0]).show(ui, |ui| {
        for h in [
            "",
            "Cost",
            "Source",
            "People",
            "Conversions",
            "Cost per conversion",
            "Revenue",
            "ROAS",
        ] {
            ui.label(RichText::new(h).strong().color(theme::MUTED));
        }
        ui.end_row();
        for r in rows {
            ui.label(&r.name);
            ui.label(amount(r.cost));
            ui.label(RichText::new(r.cost_source.map_or("–", |s| s.label())).color(theme::MUTED));
            ui.label(count(r.people_reached));
            ui.label(count(r.conversions));
            // Cost per stage reached, top to bottom, on hover.
            let stages: Vec<String> = m
                .funnel_stages
                .iter()
                .zip(r.stage_reached.iter().zip(&r.cost_per_stage))
                .map(|(name, (n, c))| format!("{name}: {} reached, {} each", count(*n), each(*c)))
                .collect();
            ui.label(each(r.cost_per_conversion))
                .on_hover_text(format!("Cost per stage reached\n{}", stages.join("\n")));
            ui.label(amount(r.revenue));
            ui.label(r.roas.map_or("–".to_owned(), |v| format!("{v:.2}")));
            ui.end_row();
        }
    });
}
