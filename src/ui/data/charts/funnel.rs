//! The funnel section: people per funnel stage against the map's targets,
//! as a chart and a table.

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Bar, BarChart, GridMark, Legend, PlotPoint, Text};

use super::{section, stage_contents, stage_targets, still_plot};
use crate::model::JourneyMap;
use crate::ui::data::worker::Analysis;
use crate::ui::data::{FunnelScale, Settings, count, duration, percent};
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
    scale_choice(ui, &mut settings.funnel_scale, has_targets);
    let scale = settings.funnel_scale;
    let colors: Vec<Color32> = map.funnel.stages.iter().map(|s| theme::rgb(s.color)).collect();
    let names: Vec<String> = steps.iter().map(|s| s.name.clone()).collect();
    // Every bar's height on the chosen scale; a stage without a target has
    // no bar in percent of target.
    let height = |people: f64, target: Option<f64>| -> Option<f64> {
        match scale {
            FunnelScale::People => Some(people),
            FunnelScale::PercentOfTarget => target.filter(|t| *t > 0.0).map(|t| 100.0 * people / t),
            FunnelScale::Log => Some(log_height(people)),
        }
    };
    let observed_heights: Vec<Option<f64>> = steps
        .iter()
        .zip(targets.iter().chain(std::iter::repeat(&None)))
        .map(|(s, t)| height(s.reached as f64, *t))
        .collect();
    let target_heights: Vec<Option<f64>> = targets.iter().map(|t| t.and_then(|t| height(t, Some(t)))).collect();
    let top = observed_heights.iter().chain(&target_heights).flatten().copied().fold(
        if scale == FunnelScale::PercentOfTarget {
            100.0
        } else {
            1.0
        },
        f64::max,
    );
    let offset = if has_targets { 0.2 } else { 0.0 };
    let bar_width = if has_targets { 0.38 } else { 0.6 };
    let observed: Vec<Bar> = steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let h = observed_heights[i]?;
            Some(
                Bar::new(i as f64 - offset, h)
                    .width(bar_width)
                    .fill(colors.get(i).copied().unwrap_or(theme::LINK))
                    .name(format!("{}: {} people", s.name, count(s.reached))),
            )
        })
        .collect();
    let target_bars: Vec<Bar> = targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let (t, h) = ((*t)?, target_heights[i]?);
            Some(
                Bar::new(i as f64 + offset, h)
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
            let people = match (scale, observed_heights[i]) {
                (FunnelScale::PercentOfTarget, Some(h)) => format!("{} ({:.0}% of target)", count(s.reached), h),
                (FunnelScale::PercentOfTarget, None) => format!("{} (no target)", count(s.reached)),
                _ => count(s.reached),
            };
            let text = if i == 0 {
                people
            } else {
                format!("{people}\n{} of previous", percent(s.from_previous))
            };
            (i as f64 - offset, observed_heights[i].unwrap_or(0.0), text)
        })
        .collect();
    let k = steps.len();
    let y_title = match scale {
        FunnelScale::People => "People",
        FunnelScale::PercentOfTarget => "% of the stage's target",
        FunnelScale::Log => "People (log scale)",
    };
    let mut plot = still_plot("data-funnel", 300.0)
        .include_y(0.0)
        .include_y(if scale == FunnelScale::Log {
            top + 0.3
        } else {
            top * 1.22
        })
        .include_x(-0.6)
        .include_x(k as f64 - 0.4)
        .show_grid([false, true])
        .show_axes([false, true])
        .y_axis_label(y_title)
        .legend(Legend::default().position(egui_plot::Corner::RightTop))
        .y_axis_formatter(move |mark, _| match scale {
            FunnelScale::People => count(mark.value.max(0.0) as u64),
            FunnelScale::PercentOfTarget => format!("{:.0}%", mark.value),
            FunnelScale::Log => count(10f64.powf(mark.value).round() as u64),
        });
    if scale == FunnelScale::Log {
        // Powers of ten only: 1, 10, 100, 1,000…
        plot = plot.y_grid_spacer(|input| {
            let (lo, hi) = input.bounds;
            (lo.ceil().max(0.0) as i32..=hi.floor() as i32)
                .map(|e| GridMark {
                    value: f64::from(e),
                    step_size: 1.0,
                })
                .collect()
        });
    }
    let shown = plot.show(ui, |plot| {
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
                Text::new(
                    "",
                    PlotPoint::new(x, y),
                    RichText::new(text).size(12.0).color(theme::INK),
                )
                .anchor(egui::Align2::CENTER_BOTTOM),
            );
        }
    });
    let transform = shown.transform;
    // Each observed bar as the screen shows it, for assistive technology
    // (and tests): its stage, people and height in points.
    for (i, s) in steps.iter().enumerate() {
        let Some(h) = observed_heights[i] else { continue };
        let x = i as f64 - offset;
        let a = transform.position_from_point(&PlotPoint::new(x - bar_width / 2.0, h));
        let b = transform.position_from_point(&PlotPoint::new(x + bar_width / 2.0, 0.0));
        let rect = egui::Rect::from_two_pos(a, b);
        let label = format!(
            "Bar {}: {} people, {:.0} points high",
            s.name,
            count(s.reached),
            rect.height()
        );
        let response = ui.interact(rect, ui.scope_id().with(("funnel-bar", i)), egui::Sense::hover());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
    }
    // The stage names under their bars, whole (wrapped when long).
    let strip_top = ui.cursor().top() + 2.0;
    let slot = (transform.position_from_point_x(1.0) - transform.position_from_point_x(0.0)).abs() - 8.0;
    let mut bottom = strip_top;
    for (i, name) in names.iter().enumerate() {
        let x = transform.position_from_point_x(i as f64);
        let rect = egui::Rect::from_min_size(egui::pos2(x - slot / 2.0, strip_top), egui::vec2(slot, 40.0));
        let label = egui::Label::new(RichText::new(name).strong())
            .wrap()
            .halign(egui::Align::Center);
        let mut child = ui.new_child(
            egui::UiBuilder::new()
                .max_rect(rect)
                .layout(egui::Layout::top_down(egui::Align::Center)),
        );
        child.add(label);
        bottom = bottom.max(child.min_rect().bottom());
    }
    ui.advance_cursor_after_rect(egui::Rect::from_min_max(
        egui::pos2(ui.min_rect().left(), strip_top),
        egui::pos2(ui.min_rect().left() + 1.0, bottom),
    ));

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

/// `people` as a bar on a log scale: log10, one person (and none) at 0.
fn log_height(people: f64) -> f64 {
    people.max(1.0).log10()
}

fn scale_choice(ui: &mut egui::Ui, scale: &mut FunnelScale, has_targets: bool) {
    ui.horizontal(|ui| {
        ui.label("Scale");
        ui.selectable_value(scale, FunnelScale::People, "People")
            .on_hover_text("Bars as tall as the number of people.");
        ui.add_enabled_ui(has_targets, |ui| {
            ui.selectable_value(scale, FunnelScale::PercentOfTarget, "% of target")
                .on_hover_text("Each stage's people as a share of its target from the map (100%: on target).")
                .on_disabled_hover_text(
                    "No stage has a target: give a touchpoint a \"people reached\" metric with a target.",
                );
        });
        ui.selectable_value(scale, FunnelScale::Log, "Log").on_hover_text(
            "A logarithmic scale: each grid line ten times the one below, so 12 people stay visible beside 9,000.",
        );
    });
    if !has_targets && *scale == FunnelScale::PercentOfTarget {
        *scale = FunnelScale::People;
    }
}
