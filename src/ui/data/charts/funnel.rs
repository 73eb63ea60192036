//! The funnel section: people per funnel stage against the map's targets,
//! as a chart and a table.

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Bar, BarChart, GridMark, Legend, PlotPoint, Text};

use super::{section, stage_contents, stage_targets, still_plot};
use crate::model::JourneyMap;
use crate::ui::data::worker::Analysis;
use crate::ui::data::{Settings, count, duration, percent};
use crate::ui::theme;

/// `choices`: the data's event names and property columns, for the
/// funnel's options.
pub(in crate::ui::data) fn funnel(
    ui: &mut egui::Ui,
    map: &JourneyMap,
    a: &Analysis,
    settings: &mut Settings,
    choices: (&[String], &[String]),
) {
    section(
        ui,
        "Funnel",
        "People per funnel stage, in order, within the conversion window. A person is in a stage \
         when they meet a touchpoint of a journey stage mapped to it (hover a stage name in the table for the events it counts); \
         an event of touchpoints of several stages counts for one of them.",
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
    options(ui, settings, choices);
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

/// The funnel's options: a date range, an event people drop out at, a
/// property held constant. Each change is a new analysis key, so the funnel
/// is recomputed (on the worker when the data is big).
fn options(ui: &mut egui::Ui, settings: &mut Settings, (events, properties): (&[String], &[String])) {
    ui.horizontal_wrapped(|ui| {
        for (label, text, end) in [
            ("From", &mut settings.from_day, false),
            ("To", &mut settings.to_day, true),
        ] {
            let id = ui.label(label).id;
            let valid = text.trim().is_empty() || crate::analysis::day_ms(text, end).is_some();
            let edit = egui::TextEdit::singleline(text)
                .hint_text("YYYY-MM-DD")
                .desired_width(92.0)
                .text_color_opt((!valid).then_some(theme::PAIN));
            ui.add(edit).labelled_by(id).on_hover_text(if valid {
                "Only events of these days (UTC, both included) count; blank for no limit."
            } else {
                "Not a day: write it as YYYY-MM-DD. Ignored meanwhile."
            });
        }
        ui.add_space(8.0);
        let none = |v: &Option<String>| v.as_deref().unwrap_or("nothing").to_owned();
        egui::ComboBox::from_label("Drop out at")
            .selected_text(none(&settings.exclude))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut settings.exclude, None, "nothing");
                for e in events {
                    ui.selectable_value(&mut settings.exclude, Some(e.clone()), e);
                }
            })
            .response
            .on_hover_text(
                "People who do this event between two stages drop out at the stage they reached \
                 (they may start again from the first).",
            );
        ui.add_space(8.0);
        let any = |v: &Option<String>| v.as_deref().unwrap_or("any").to_owned();
        egui::ComboBox::from_label("Same at every stage")
            .selected_text(any(&settings.same))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut settings.same, None, "any");
                for p in properties {
                    ui.selectable_value(&mut settings.same, Some(p.clone()), p);
                }
            })
            .response
            .on_hover_text(
                "Every stage of a person's way through the funnel carries the same value of this \
                 column (the same product, device…); events without a value count for no stage.",
            );
    });
}
