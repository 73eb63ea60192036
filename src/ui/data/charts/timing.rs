//! The time-to-convert section: how long people take through the funnel and
//! how many events they have before converting, as histograms.

use eframe::egui::{self, RichText};
use egui_plot::{Bar, BarChart, VLine};

use super::{section, still_plot};
use crate::analysis::median_events_before;
use crate::layout::text::group_thousands;
use crate::ui::data::worker::Analysis;
use crate::ui::data::{count, duration};
use crate::ui::theme;

/// Buckets of the histograms; what is beyond the last goes in it.
const MAX_BUCKETS: usize = 30;

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

pub(in crate::ui::data) fn timing(ui: &mut egui::Ui, a: &Analysis) {
    section(ui, "Time to convert", "");
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.label(RichText::new("From the first funnel stage to the last").strong());
        let t = &a.time_to_convert;
        let times = &t.seconds;
        if times.is_empty() {
            ui.label(RichText::new("Nobody went through the whole funnel within the window.").color(theme::MUTED));
        } else {
            let p95 = t.p95.unwrap_or(0.0);
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
            let median = t.median;
            histogram(ui, "data-time-to-convert", bars, unit_name, median.map(|m| m / unit));
            ui.label(format!(
                "{} people went through every stage; median {}, 90% within {}.",
                count(times.len() as u64),
                median.map_or("–".into(), duration),
                t.p90.map_or("–".into(), duration)
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
            let median = median_events_before(l);
            histogram(ui, "data-journey-lengths", bars, "events", median);
            ui.label(format!(
                "{} people converted ({} did not); median {} events before.",
                count(l.converted),
                count(l.never_converted),
                median.map_or("–".into(), group_thousands)
            ));
        }
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
