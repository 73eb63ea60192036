//! The sections of the Data view: the funnel chart and its table, the
//! time-to-convert and journey-length distributions, the attribution table
//! and the comparison of the map with the data. Here, what they share.

use eframe::egui::{self, RichText};
use egui_plot::Plot;

use super::super::theme;
use crate::model::{DataMeasure, JourneyMap, MetricSource};

mod attribution;
mod comparison;
mod funnel;
mod money;
mod paths;
mod timing;

pub(super) use attribution::attribution;
pub(super) use comparison::comparison;
pub(super) use funnel::funnel;
pub(super) use money::money;
pub(super) use paths::paths;
pub(super) use timing::timing;

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
