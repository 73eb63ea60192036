//! The attribution section: which touchpoints or channels get the credit
//! for conversions, under each attribution model.

use eframe::egui::{self, RichText};

use super::section;
use crate::analysis::{AttributionReport, Credits};
use crate::model::JourneyMap;
use crate::ui::data::worker::Analysis;
use crate::ui::data::{AttributionBy, Credit, Settings, count, plural};
use crate::ui::theme;

pub(in crate::ui::data) fn attribution(ui: &mut egui::Ui, map: &JourneyMap, a: &Analysis, settings: &mut Settings) {
    section(
        ui,
        "Attribution",
        "Which touches get the credit for conversions. A conversion is a person's first event of the \
         last funnel stage; its touches are their earlier events (since any previous conversion).",
    );
    ui.horizontal(|ui| {
        ui.label("Rows");
        ui.selectable_value(&mut settings.attribution_by, AttributionBy::Touchpoints, "Touchpoints");
        ui.selectable_value(&mut settings.attribution_by, AttributionBy::Channels, "Channels");
        ui.separator();
        ui.label("Credit");
        ui.selectable_value(&mut settings.credit, Credit::Conversions, "Conversions");
        ui.selectable_value(&mut settings.credit, Credit::Revenue, "Revenue");
    });
    let (report, markov): (&AttributionReport, _) = match settings.attribution_by {
        AttributionBy::Touchpoints => (&a.by_touchpoint, &a.markov_by_touchpoint),
        AttributionBy::Channels => (&a.by_channel, &a.markov_by_channel),
    };
    // Markov can credit a key no converter touched (it leads to ones that
    // convert), so its keys join the heuristic rows.
    let markov_of = |key: &str| -> Option<(f64, f64)> {
        let row = markov.as_ref().ok()?.rows.iter().find(|r| r.key == key)?;
        Some((row.conversions, row.revenue))
    };
    let markov_only: Vec<&str> = markov
        .as_ref()
        .map(|m| {
            m.rows
                .iter()
                .filter(|r| report.rows.iter().all(|h| h.key != r.key))
                .map(|r| r.key.as_str())
                .collect()
        })
        .unwrap_or_default();
    if report.conversions == 0 {
        ui.label(RichText::new("No conversions in the data yet.").color(theme::MUTED));
        return;
    }
    let money = |v: f64| format!("{} {}", map.currency, count(v.round().max(0.0) as u64));
    let show = |v: f64| match settings.credit {
        Credit::Conversions => format!("{v:.1}"),
        Credit::Revenue => money(v),
    };
    let pick = |r: &crate::analysis::AttributionRow| -> Credits {
        match settings.credit {
            Credit::Conversions => r.conversions,
            Credit::Revenue => r.revenue,
        }
    };
    let markov_cell = |ui: &mut egui::Ui, credit: Option<(f64, f64)>| match (markov, credit) {
        (Err(problem), _) => {
            ui.label("–").on_hover_text(problem);
        }
        (Ok(_), credit) => {
            let (conversions, revenue) = credit.unwrap_or_default();
            ui.label(show(match settings.credit {
                Credit::Conversions => conversions,
                Credit::Revenue => revenue,
            }));
        }
    };
    egui::Grid::new("data-attribution")
        .striped(true)
        .spacing([18.0, 4.0])
        .show(ui, |ui| {
            let key = match settings.attribution_by {
                AttributionBy::Touchpoints => "Touchpoint",
                AttributionBy::Channels => "Channel",
            };
            ui.label(RichText::new(key).strong().color(theme::MUTED));
            for (h, tip) in [
                ("First touch", "All the credit to the earliest touch."),
                ("Last touch", "All the credit to the latest touch."),
                ("Linear", "Shared equally among the touches."),
                (
                    "Position-based",
                    "40% to the first touch, 40% to the last, 20% shared by those between.",
                ),
                (
                    "Time decay",
                    "More to recent touches: a touch 7 days older gets half the weight.",
                ),
                (
                    "Markov",
                    "Shared by removal effect: how much less often people would convert without it, \
                     from a chain of moves between touches solved exactly.",
                ),
            ] {
                ui.label(RichText::new(h).strong().color(theme::MUTED))
                    .on_hover_text(tip);
            }
            ui.end_row();
            for row in &report.rows {
                let c = pick(row);
                ui.label(&row.key);
                for v in [c.first_touch, c.last_touch, c.linear, c.position_based, c.time_decay] {
                    ui.label(show(v));
                }
                markov_cell(ui, markov_of(&row.key));
                ui.end_row();
            }
            for key in &markov_only {
                ui.label(*key);
                for _ in 0..5 {
                    ui.label(show(0.0));
                }
                markov_cell(ui, markov_of(key));
                ui.end_row();
            }
        });
    let (total, unattributed) = match settings.credit {
        Credit::Conversions => (
            plural(report.conversions, "conversion"),
            count(report.unattributed_conversions),
        ),
        Credit::Revenue => (
            format!("{} of revenue", money(report.revenue)),
            money(report.unattributed_revenue),
        ),
    };
    ui.label(
        RichText::new(format!(
            "{total} in all; {unattributed} with no touch before them (not in the table)."
        ))
        .small()
        .color(theme::MUTED),
    );
}
