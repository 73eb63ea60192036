//! The sections of the Data view: the funnel chart and its table, the
//! time-to-convert and journey-length distributions, the attribution table
//! and the comparison of the map with the data.

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Bar, BarChart, GridMark, Legend, Plot, PlotPoint, Text, VLine};

use super::super::theme;
use super::quantile_sorted as quantile_of;
use super::worker::Analysis;
use super::{AttributionBy, Credit, Settings, count, duration, percent, plural};
use crate::analysis::{AttributionReport, Credits};
use crate::model::{DataMeasure, JourneyMap, MetricSource};

/// Buckets of the histograms; what is beyond the last goes in it.
const MAX_BUCKETS: usize = 30;
/// Missing links listed (the commonest).
/// How many of the commonest paths the table lists.
const PATHS_SHOWN: usize = 15;
const MISSING_SHOWN: usize = 15;
/// Unmatched event names listed.
const UNMATCHED_SHOWN: usize = 20;

pub(super) fn section(ui: &mut egui::Ui, title: &str, explain: &str) {
    ui.add_space(18.0);
    ui.label(RichText::new(title).heading().strong());
    if !explain.is_empty() {
        ui.label(RichText::new(explain).color(theme::MUTED));
    }
    ui.add_space(4.0);
}

fn sub_heading(ui: &mut egui::Ui, title: &str, explain: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).strong());
    ui.label(RichText::new(explain).color(theme::MUTED));
    ui.add_space(2.0);
}

/// A plot that shows, without panning or zooming.
fn still_plot(id: &str, height: f32) -> Plot<'static> {
    Plot::new(id)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .allow_axis_zoom_drag(false)
        .show_grid([false, true])
        .sense(egui::Sense::hover())
}

/// What each funnel stage is made of, for the tooltip: the journey stages
/// mapped to it and their touchpoints' matchers.
fn stage_contents(map: &JourneyMap, funnel_stage: usize) -> String {
    let Some(fs) = map.funnel.stages.get(funnel_stage) else {
        return String::new();
    };
    let stages: Vec<_> = map.stages.iter().filter(|s| s.funnel_stage == Some(fs.id)).collect();
    if stages.is_empty() {
        return format!("{}: no journey stage is mapped to it, so nobody can reach it.", fs.name);
    }
    let mut events: Vec<String> = Vec::new();
    for stage in &stages {
        for tp in map.touchpoints_in(stage.id) {
            for m in &tp.matchers {
                let e = match &m.channel {
                    Some(c) => format!("{} (from {c})", m.event),
                    None => m.event.clone(),
                };
                if !events.contains(&e) {
                    events.push(e);
                }
            }
        }
    }
    let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    let events = if events.is_empty() {
        "none (its touchpoints have no event matchers)".to_owned()
    } else {
        events.join(", ")
    };
    format!("{}: journey stages {}.\nEvents: {events}", fs.name, names.join(", "))
}

/// Per funnel stage, the sum of the targets of its touchpoints' "people
/// reached" metrics; `None` where no such metric has a target.
pub(super) fn stage_targets(map: &JourneyMap) -> Vec<Option<f64>> {
    map.funnel
        .stages
        .iter()
        .map(|fs| {
            let targets: Vec<f64> = map
                .touchpoints
                .iter()
                .filter(|tp| map.stage(tp.stage).and_then(|s| s.funnel_stage) == Some(fs.id))
                .flat_map(|tp| &tp.metrics)
                .filter(|m| m.source == MetricSource::Data(DataMeasure::PeopleReached))
                .filter_map(|m| m.target)
                .collect();
            (!targets.is_empty()).then(|| targets.iter().sum())
        })
        .collect()
}

pub(super) fn funnel(ui: &mut egui::Ui, map: &JourneyMap, a: &Analysis, settings: &mut Settings) {
    section(
        ui,
        "Funnel",
        "People per funnel stage, in order, within the conversion window. A person is in a stage \
         when they meet a touchpoint of a journey stage mapped to it (hover a stage name in the table for the events it counts).",
    );
    ui.horizontal(|ui| {
        ui.label("Conversion window");
        for days in [7, 30, 90] {
            ui.selectable_value(&mut settings.window_days, days, format!("{days} days"))
                .on_hover_text(format!(
                    "A person counts at a stage when they got there at most {days} days after their first stage."
                ));
        }
    });
    let steps = &a.funnel.steps;
    if steps.is_empty() {
        ui.label("The map has no funnel stages.");
        return;
    }
    let targets = stage_targets(map);
    let has_targets = targets.iter().any(Option::is_some);
    let colors: Vec<Color32> = map.funnel.stages.iter().map(|s| theme::rgb(s.color)).collect();
    let names: Vec<String> = steps.iter().map(|s| s.name.clone()).collect();
    let top = steps
        .iter()
        .map(|s| s.reached as f64)
        .chain(targets.iter().flatten().copied())
        .fold(1.0, f64::max);
    let offset = if has_targets { 0.2 } else { 0.0 };
    let observed: Vec<Bar> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Bar::new(i as f64 - offset, s.reached as f64)
                .width(if has_targets { 0.38 } else { 0.6 })
                .fill(colors.get(i).copied().unwrap_or(theme::LINK))
                .name(format!("{}: {} people", s.name, count(s.reached)))
        })
        .collect();
    let target_bars: Vec<Bar> = targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let t = (*t)?;
            Some(
                Bar::new(i as f64 + offset, t)
                    .width(0.38)
                    .fill(Color32::from_gray(222))
                    .stroke(egui::Stroke::new(1.0, theme::MUTED))
                    .name(format!("{}: target {}", names[i], count(t as u64))),
            )
        })
        .collect();
    let labels: Vec<(f64, f64, String)> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let text = if i == 0 {
                count(s.reached)
            } else {
                format!("{}\n{} of previous", count(s.reached), percent(s.from_previous))
            };
            (i as f64 - offset, s.reached as f64, text)
        })
        .collect();
    let axis_names = names.clone();
    let k = steps.len();
    still_plot("data-funnel", 280.0)
        .include_y(0.0)
        .include_y(top * 1.22)
        .include_x(-0.6)
        .include_x(k as f64 - 0.4)
        .show_grid([false, true])
        .legend(Legend::default().position(egui_plot::Corner::RightTop))
        .x_grid_spacer(move |_| {
            (0..k)
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                axis_names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_axis_formatter(|mark, _| count(mark.value.max(0.0) as u64))
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new("Observed", observed)
                    .color(theme::ONLINE)
                    .element_formatter(Box::new(|bar, _| bar.name.clone())),
            );
            if has_targets {
                plot.bar_chart(
                    BarChart::new("Target (from the map)", target_bars)
                        .color(Color32::from_gray(200))
                        .element_formatter(Box::new(|bar, _| bar.name.clone())),
                );
            }
            for (x, y, text) in labels {
                plot.text(
                    Text::new("", PlotPoint::new(x, y), RichText::new(text).small().color(theme::INK))
                        .anchor(egui::Align2::CENTER_BOTTOM),
                );
            }
        });

    // The numbers, under the chart: drop-off, targets and timing.
    ui.add_space(6.0);
    egui::Grid::new("data-funnel-table")
        .striped(true)
        .spacing([18.0, 4.0])
        .show(ui, |ui| {
            for h in [
                "Stage",
                "People",
                "Target",
                "Of previous",
                "Of first",
                "Dropped",
                "Median time from previous",
                "90% within",
                "Entered here first",
            ] {
                ui.label(RichText::new(h).strong().color(theme::MUTED));
            }
            ui.end_row();
            for (i, s) in steps.iter().enumerate() {
                ui.label(&s.name).on_hover_text(stage_contents(map, i));
                ui.label(count(s.reached));
                ui.label(
                    targets
                        .get(i)
                        .copied()
                        .flatten()
                        .map_or("–".into(), |t| count(t as u64)),
                );
                ui.label(percent(s.from_previous));
                ui.label(percent(s.from_start));
                ui.label(count(s.drop_off));
                ui.label(s.median_seconds.map_or("–".into(), duration));
                ui.label(s.p90_seconds.map_or("–".into(), duration));
                let out_of_order = a
                    .comparison
                    .funnel_stages
                    .get(i)
                    .map_or(0, |f| f.entered_without_earlier);
                ui.label(if i == 0 { "–".into() } else { count(out_of_order) });
                ui.end_row();
            }
        });
    ui.label(
        RichText::new(format!(
            "Of {} people in the data. “Of previous” for the first stage is of everyone; \
             “Entered here first”: people whose first funnel stage was this one (at any time, \
             not only within the window).",
            count(a.funnel.people)
        ))
        .small()
        .color(theme::MUTED),
    );
}

/// Counts in buckets `0..n`, the last one holding everything beyond.
fn buckets(values: impl Iterator<Item = f64>, width: f64, n: usize) -> Vec<u64> {
    let mut out = vec![0u64; n.max(1)];
    let last = out.len() - 1;
    for v in values {
        let b = ((v / width).floor().max(0.0) as usize).min(last);
        out[b] += 1;
    }
    out
}

fn histogram(ui: &mut egui::Ui, id: &str, bars: Vec<Bar>, x_label: &str, median: Option<f64>) {
    still_plot(id, 200.0)
        .include_y(0.0)
        .include_x(0.0)
        .x_axis_label(x_label)
        .y_axis_label("people")
        .y_axis_formatter(|mark, _| count(mark.value.max(0.0) as u64))
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new("people", bars)
                    .color(theme::ONLINE)
                    .element_formatter(Box::new(|bar, _| bar.name.clone())),
            );
            if let Some(m) = median {
                plot.vline(
                    VLine::new("median", m)
                        .color(theme::PAIN)
                        .style(egui_plot::LineStyle::dashed_dense()),
                );
            }
        });
}

pub(super) fn timing(ui: &mut egui::Ui, a: &Analysis) {
    section(ui, "Time to convert", "");
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.label(RichText::new("From the first funnel stage to the last").strong());
        let times = &a.time_to_convert;
        if times.is_empty() {
            ui.label(RichText::new("Nobody went through the whole funnel within the window.").color(theme::MUTED));
        } else {
            let p95 = quantile_of(times, 0.95).unwrap_or(0.0);
            let (unit, unit_name) = if p95 <= 2.0 * 86_400.0 {
                (3600.0, "hours")
            } else {
                (86_400.0, "days")
            };
            let n = ((p95 / unit).ceil() as usize + 1).clamp(1, MAX_BUCKETS);
            let counts = buckets(times.iter().copied(), unit, n);
            let bars = counts
                .iter()
                .enumerate()
                .map(|(b, &c)| {
                    let what = if b + 1 == counts.len() && n > 1 {
                        format!("{b}+ {unit_name}")
                    } else {
                        format!("{b} to {} {unit_name}", b + 1)
                    };
                    Bar::new(b as f64 + 0.5, c as f64)
                        .width(0.9)
                        .name(format!("{what}: {} people", count(c)))
                })
                .collect();
            let median = quantile_of(times, 0.5);
            histogram(ui, "data-time-to-convert", bars, unit_name, median.map(|m| m / unit));
            ui.label(format!(
                "{} people went through every stage; median {}, 90% within {}.",
                count(times.len() as u64),
                median.map_or("–".into(), duration),
                quantile_of(times, 0.9).map_or("–".into(), duration)
            ));
        }

        let ui = &mut cols[1];
        ui.label(RichText::new("Events before converting").strong())
            .on_hover_text("Per person, the number of their events before their first event of the last funnel stage.");
        let l = &a.lengths;
        if l.converted == 0 {
            ui.label(RichText::new("Nobody reached the last funnel stage.").color(theme::MUTED));
        } else {
            let mut counts = vec![0u64; MAX_BUCKETS + 1];
            for h in &l.histogram {
                counts[(h.events_before as usize).min(MAX_BUCKETS)] += h.people;
            }
            while counts.len() > 1 && counts.last() == Some(&0) {
                counts.pop();
            }
            let last = counts.len() - 1;
            let bars = counts
                .iter()
                .enumerate()
                .map(|(b, &c)| {
                    let what = if b == MAX_BUCKETS && b == last {
                        format!("{b}+ events")
                    } else {
                        format!("{b} events")
                    };
                    Bar::new(b as f64, c as f64)
                        .width(0.9)
                        .name(format!("{what}: {} people", count(c)))
                })
                .collect();
            let mut half = l.converted.div_ceil(2);
            let median = l
                .histogram
                .iter()
                .find(|h| {
                    if h.people >= half {
                        true
                    } else {
                        half -= h.people;
                        false
                    }
                })
                .map(|h| h.events_before as f64);
            histogram(ui, "data-journey-lengths", bars, "events", median);
            ui.label(format!(
                "{} people converted ({} did not); median {} events before.",
                count(l.converted),
                count(l.never_converted),
                median.map_or("–".into(), |m| format!("{m:.0}"))
            ));
        }
    });
}

pub(super) fn attribution(ui: &mut egui::Ui, map: &JourneyMap, a: &Analysis, settings: &mut Settings) {
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
    let report: &AttributionReport = match settings.attribution_by {
        AttributionBy::Touchpoints => &a.by_touchpoint,
        AttributionBy::Channels => &a.by_channel,
    };
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

pub(super) fn comparison(ui: &mut egui::Ui, map: &JourneyMap, a: &Analysis, share_percent: &mut u32) {
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
        for fs in c.funnel_stages.iter().filter(|f| f.entered_without_earlier > 0) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_put_the_tail_in_the_last() {
        assert_eq!(buckets([0.0, 0.5, 1.0, 9.0].into_iter(), 1.0, 3), [2, 1, 1]);
        assert_eq!(buckets([5.0].into_iter(), 1.0, 0), [1]);
    }
}
