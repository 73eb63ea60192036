//! The comparison section: where the map and the data part ways (unmet
//! touchpoints, paths taken, missing and unused links, funnel order,
//! unmatched events, typed-in metrics the data could measure), each finding
//! with the fixes that answer it.

use eframe::egui::{self, RichText};

use super::{section, sub_heading};
use crate::analysis::{EventLog, bindings, measure_name, stage_for_event};
use crate::layout::text::format_number;
use crate::model::{DataMeasure, JourneyMap, Unit};
use crate::ui::data::worker::Analysis;
use crate::ui::data::{Fix, count, percent};
use crate::ui::theme;

/// How many of the commonest paths the table lists.
const PATHS_SHOWN: usize = 15;
/// Missing links listed (the commonest).
const MISSING_SHOWN: usize = 15;
/// Unmatched event names listed.
const UNMATCHED_SHOWN: usize = 20;

pub(in crate::ui::data) fn comparison(
    ui: &mut egui::Ui,
    map: &JourneyMap,
    log: &EventLog,
    a: &Analysis,
    share_percent: &mut u32,
    fixes: &mut Vec<Fix>,
) {
    let c = &a.comparison;
    section(
        ui,
        "The map and the data",
        &format!(
            "Where the designed journey and the real one part ways. {} of {} events met a touchpoint.",
            count(c.matched_events),
            count(c.events)
        ),
    );

    let (unmet, unmeasured): (Vec<_>, Vec<_>) = c
        .unmet_touchpoints
        .iter()
        .filter_map(|id| map.touchpoint(*id))
        .partition(|tp| !tp.matchers.is_empty());
    sub_heading(
        ui,
        "Touchpoints nobody meets",
        "No imported event matches these touchpoints' event matchers: the touchpoint does not happen, \
         or its matchers name events the data calls something else.",
    );
    if unmet.is_empty() {
        ui.label("None: every touchpoint with event matchers is met.");
    }
    for tp in &unmet {
        let matchers: Vec<String> = tp
            .matchers
            .iter()
            .map(|m| match &m.channel {
                Some(ch) => format!("{} (from {ch})", m.event),
                None => m.event.clone(),
            })
            .collect();
        ui.label(&tp.name)
            .on_hover_text(format!("Matches {}", matchers.join(", ")));
    }
    if !unmeasured.is_empty() {
        let names: Vec<&str> = unmeasured.iter().map(|t| t.name.as_str()).collect();
        ui.label(
            RichText::new(format!("Not measured (no event matchers): {}", names.join("; ")))
                .small()
                .color(theme::MUTED),
        );
    }

    sub_heading(
        ui,
        "Paths people take",
        "The most common moves from one touchpoint straight to another (skipping events that match \
         none), and whether the map draws them.",
    );
    let mut paths: Vec<_> = c.transitions.iter().collect();
    paths.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.from_name.cmp(&b.from_name)));
    if paths.is_empty() {
        ui.label("No person met two touchpoints in a row.");
    }
    egui::Grid::new("data-paths")
        .striped(true)
        .spacing([18.0, 3.0])
        .show(ui, |ui| {
            for t in paths.iter().take(PATHS_SHOWN) {
                ui.label(format!("{} › {}", t.from_name, t.to_name));
                ui.label(format!("{} moves", count(t.count)));
                ui.label(RichText::new(format!("{:.0}% of moves out", t.share * 100.0)).color(theme::MUTED));
                if t.on_map {
                    ui.label(RichText::new("on the map").color(theme::MUTED));
                } else {
                    ui.label(RichText::new("not on the map").color(theme::MISSING));
                }
                ui.end_row();
            }
        });

    sub_heading(
        ui,
        "Missing links",
        "People go from one touchpoint straight to another (skipping events that match none), often \
         enough to matter, and the map has no link for it.",
    );
    ui.horizontal(|ui| {
        ui.add(
            egui::Slider::new(share_percent, 1..=50)
                .suffix("%")
                .text("of the moves out of a touchpoint, at least"),
        );
    });
    if c.missing_links.is_empty() {
        ui.label("None above the threshold.");
    }
    egui::Grid::new("data-missing-links")
        .striped(true)
        .spacing([18.0, 3.0])
        .show(ui, |ui| {
            for t in c.missing_links.iter().take(MISSING_SHOWN) {
                ui.label(format!("{} › {}", t.from_name, t.to_name));
                ui.label(format!("{} moves", count(t.count)));
                ui.label(RichText::new(format!("{:.0}% of moves out", t.share * 100.0)).color(theme::MUTED));
                if ui
                    .button("Add link")
                    .on_hover_text(format!("Draw a link from {} to {}", t.from_name, t.to_name))
                    .clicked()
                {
                    fixes.push(Fix::AddLink { from: t.from, to: t.to });
                }
                ui.end_row();
            }
        });

    if c.missing_links.len() > MISSING_SHOWN {
        ui.label(
            RichText::new(format!(
                "and {} more: raise the threshold to see only the strongest",
                c.missing_links.len() - MISSING_SHOWN
            ))
            .color(theme::MUTED),
        );
    }

    sub_heading(
        ui,
        "Links nobody follows",
        "Links on the map that no person took: nobody went from the one touchpoint directly to the other.",
    );
    if c.unused_links.is_empty() {
        ui.label("None: people followed every link.");
    }
    egui::Grid::new("data-unused-links")
        .striped(true)
        .spacing([18.0, 3.0])
        .show(ui, |ui| {
            for id in &c.unused_links {
                let Some(link) = map.links.iter().find(|l| l.id == *id) else {
                    continue;
                };
                let name = |id| map.touchpoint(id).map_or("?", |t| t.name.as_str());
                let mut text = format!("{} › {}", name(link.from), name(link.to));
                if !link.label.is_empty() {
                    text.push_str(&format!(" ({})", link.label));
                }
                ui.label(text);
                if ui.button("Remove link").clicked() {
                    fixes.push(Fix::RemoveLink(*id));
                }
                if ui
                    .button("Keep (expected)")
                    .on_hover_text("Keep the link and stop listing it here: the map remembers it is expected")
                    .clicked()
                {
                    fixes.push(Fix::KeepLink(*id));
                }
                ui.end_row();
            }
        });
    let kept = c.expected_unused_links.len();
    if kept > 0 {
        ui.label(
            RichText::new(if kept == 1 {
                "1 link kept as expected was not followed.".to_owned()
            } else {
                format!("{kept} links kept as expected were not followed.")
            })
            .small()
            .color(theme::MUTED),
        );
    }

    sub_heading(
        ui,
        "Funnel order",
        "People whose first funnel stage was not the top one: they entered the funnel in the middle, \
         which the map's order does not expect.",
    );
    if c.people_out_of_order == 0 {
        ui.label("Everyone entered the funnel at the top.");
    } else {
        ui.label(format!(
            "{} people ({}) entered the funnel below the top.",
            count(c.people_out_of_order),
            percent((c.people > 0).then(|| c.people_out_of_order as f64 / c.people as f64))
        ));
        // The top stage's entrants are not "below the top".
        for fs in c.funnel_stages.iter().skip(1).filter(|f| f.entered_without_earlier > 0) {
            ui.label(format!("{}: {} people", fs.name, count(fs.entered_without_earlier)));
        }
    }

    sub_heading(
        ui,
        "Events no touchpoint matches",
        "The most common events that meet no touchpoint: journeys the map leaves out, or matchers to add.",
    );
    if c.unmatched_events.is_empty() {
        ui.label("None: every event meets a touchpoint.");
    }
    egui::Grid::new("data-unmatched")
        .striped(true)
        .spacing([18.0, 3.0])
        .show(ui, |ui| {
            for e in c.unmatched_events.iter().take(UNMATCHED_SHOWN) {
                ui.label(&e.event);
                ui.label(count(e.count));
                ui.push_id(&e.event, |ui| {
                    // Typing in the search field must not close the menu.
                    let config = egui::containers::menu::MenuConfig::new()
                        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
                    egui::containers::menu::MenuButton::new("Add as matcher to…")
                        .config(config)
                        .ui(ui, |ui| {
                            if let Some(touchpoint) = touchpoint_picker(ui, map) {
                                fixes.push(Fix::AddMatcher {
                                    touchpoint,
                                    event: e.event.clone(),
                                });
                                ui.close();
                            }
                        })
                        .0
                        .on_hover_text(format!("Make {} meet a touchpoint of the map", e.event));
                });
                if ui
                    .button("New touchpoint")
                    .on_hover_text(format!(
                        "A touchpoint met by {}, in the stage its people were in just before",
                        e.event
                    ))
                    .clicked()
                    && let Some(stage) = stage_for_event(map, log, &e.event)
                {
                    fixes.push(Fix::NewTouchpoint {
                        stage,
                        event: e.event.clone(),
                    });
                }
                ui.end_row();
            }
        });
    if c.unmatched_events.len() > UNMATCHED_SHOWN {
        ui.label(
            RichText::new(format!(
                "and {} more event names",
                c.unmatched_events.len() - UNMATCHED_SHOWN
            ))
            .color(theme::MUTED),
        );
    }

    measurable_metrics(ui, map, a, fixes);

    ui.add_space(10.0);
    egui::CollapsingHeader::new("Reach per touchpoint")
        .id_salt("data-reach")
        .show(ui, |ui| {
            egui::Grid::new("data-reach-grid")
                .striped(true)
                .spacing([18.0, 3.0])
                .show(ui, |ui| {
                    for h in [
                        "Touchpoint",
                        "People",
                        "Events",
                        "Converted",
                        "Conversion rate",
                        "Cost per conversion",
                    ] {
                        ui.label(RichText::new(h).strong().color(theme::MUTED));
                    }
                    ui.end_row();
                    for t in &c.touchpoints {
                        ui.label(&t.name);
                        ui.label(count(t.people_reached));
                        ui.label(count(t.events));
                        ui.label(count(t.conversions));
                        ui.label(percent(t.conversion_rate));
                        ui.label(
                            t.cost_per_conversion
                                .map_or("–".into(), |v| format!("{} {v:.2}", map.currency)),
                        );
                        ui.end_row();
                    }
                });
        });
}

/// Typed-in metrics the data could measure, each with its binding spelled
/// out ("people reached", not just "from data"), so a typed "Page views"
/// is never replaced by a count of people without the user saying so.
fn measurable_metrics(ui: &mut egui::Ui, map: &JourneyMap, a: &Analysis, fixes: &mut Vec<Fix>) {
    let found = bindings(map, &a.comparison);
    sub_heading(
        ui,
        "Metrics the data can measure",
        "Typed-in metrics of measured touchpoints whose unit fits a measure of the data. Binding one \
         shows the measured value in its place from then on.",
    );
    if found.is_empty() {
        ui.label("None: no typed-in count, percentage or amount on a measured touchpoint.");
    }
    egui::Grid::new("data-bindings")
        .striped(true)
        .spacing([18.0, 3.0])
        .show(ui, |ui| {
            for b in &found {
                let metric = map
                    .touchpoint(b.touchpoint)
                    .and_then(|t| t.metrics.iter().find(|m| m.id == b.metric));
                let typed = metric
                    .and_then(|m| m.value)
                    .map_or("no value".to_owned(), |v| format_number(v, b.unit));
                ui.label(format!("{}: {} (typed in: {typed})", b.touchpoint_name, b.metric_name));
                let value = match b.measure {
                    DataMeasure::PeopleReached => count(b.value as u64),
                    DataMeasure::ConversionRate => format_number((b.value * 10.0).round() / 10.0, Unit::Percent),
                    DataMeasure::CostPerConversion => format!("{} {:.2}", map.currency, b.value),
                };
                if ui
                    .button(format!(
                        "Bind “{}” to {} ({value})",
                        b.metric_name,
                        measure_name(b.measure)
                    ))
                    .clicked()
                {
                    fixes.push(Fix::Bind {
                        touchpoint: b.touchpoint,
                        metric: b.metric,
                        measure: b.measure,
                    });
                }
                ui.end_row();
            }
        });
}

/// A search field over the map's touchpoints; the one clicked.
fn touchpoint_picker(ui: &mut egui::Ui, map: &JourneyMap) -> Option<crate::model::TouchpointId> {
    let id = ui.scope_id().with("touchpoint-search");
    let mut query: String = ui.data_mut(|d| d.get_temp(id).unwrap_or_default());
    let label = ui.label("Search touchpoints");
    ui.add(
        egui::TextEdit::singleline(&mut query)
            .hint_text("part of a name")
            .desired_width(240.0),
    )
    .labelled_by(label.id);
    ui.data_mut(|d| d.insert_temp(id, query.clone()));
    let query = query.to_lowercase();
    let mut chosen = None;
    egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
        for tp in map
            .touchpoints
            .iter()
            .filter(|t| t.name.to_lowercase().contains(&query))
        {
            let stage = map.stage(tp.stage).map_or("", |s| s.name.as_str());
            if ui.button(&tp.name).on_hover_text(format!("In {stage}")).clicked() {
                chosen = Some(tp.id);
            }
        }
    });
    chosen
}
