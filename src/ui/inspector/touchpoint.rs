//! The touchpoint panel, section by section. Each section edits the working
//! copy and records what it changed in `Edits`; the panel turns that into
//! one edit at the end.

use eframe::egui::{self, Align, Layout, RichText, TextEdit};

use super::fields::*;
use super::list::{Noun, Row, editable_list};
use super::{Change, DataMark, Edits, InspectorState, Request, heading, section, theme, votes};
use crate::edit::ops;
use crate::model::*;
use crate::ui::selection::{Item, Selection};

const METRICS: Noun = Noun {
    add: "Add metric",
    remove: "Remove metric",
};
const EFFORTS: Noun = Noun {
    add: "Add marketing effort",
    remove: "Remove marketing effort",
};
const MATCHERS: Noun = Noun {
    add: "Add event matcher",
    remove: "Remove event matcher",
};

pub fn show(ui: &mut egui::Ui, map: &JourneyMap, tp: &Touchpoint, state: &mut InspectorState, out: &mut Vec<Request>) {
    let mut t = tp.clone();
    let mut edits = Edits::default();
    heading(ui, "Touchpoint");
    identity(ui, &mut t, std::mem::take(&mut state.focus_name), &mut edits);
    story(ui, &mut t, &mut edits);
    section(ui, "Metrics");
    metrics(ui, map, &mut t, state.data.as_ref(), &mut edits);
    section(ui, "Marketing efforts");
    efforts(ui, map, &mut t, &mut edits);
    section(ui, "Event matchers");
    matchers(ui, &mut t, &mut edits);
    section(ui, "Links");
    links(ui, map, tp, out);
    // Votes are a workshop's, after the fields that describe the touchpoint.
    dot_votes(ui, map, tp, out);
    actions(ui, out);
    out.extend(edits.change(&format!("tp{}", tp.id.0), || {
        ops::update_touchpoint(map, tp.id, |x| *x = t)
    }));
}

/// Name, channel, online or offline, kind of interaction, emotion.
fn identity(ui: &mut egui::Ui, t: &mut Touchpoint, focus_name: bool, edits: &mut Edits) {
    let changed = text_line(ui, "Name", &mut t.name, focus_name);
    edits.field(changed, "Rename touchpoint", "name");
    ui.horizontal(|ui| {
        ui.label("Channel");
        let changed = channel_picker(ui, ("tp-channel", t.id), &mut t.channel);
        edits.field(changed, "Set channel", "channel");
    });
    ui.horizontal(|ui| {
        let online = ui.radio_value(&mut t.mode, Mode::Online, "Online").changed();
        let offline = ui.radio_value(&mut t.mode, Mode::Offline, "Offline").changed();
        edits.field(online || offline, "Set online or offline", "mode");
    });
    ui.horizontal(|ui| {
        ui.label("Interaction");
        let changed = interaction_picker(ui, ("tp-interaction", t.id), &mut t.interaction);
        edits.field(changed, "Set interaction", "interaction");
    });
    ui.horizontal(|ui| {
        let label = ui.label("Emotion");
        let changed = emotion_slider(ui, &label, &mut t.emotion);
        edits.field(changed, "Set emotion", "emotion");
        let dot = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover()).0;
        ui.painter().circle_filled(dot.center(), 6.0, theme::emotion(t.emotion));
    });
}

/// What happens at the touchpoint, in words.
fn story(ui: &mut egui::Ui, t: &mut Touchpoint, edits: &mut Edits) {
    let changed = text_block(ui, "Description", &mut t.description, 2);
    edits.field(changed, "Edit description", "description");
    let changed = text_block(ui, "What the customer does", &mut t.does, 2);
    edits.field(changed, "Edit what the customer does", "does");
    let changed = text_block(ui, "What the customer thinks", &mut t.thinks, 2);
    edits.field(changed, "Edit what the customer thinks", "thinks");
    let changed = ideas_block(ui, "Pain points", &mut t.pain_points);
    edits.field(changed, "Edit pain points", "pains");
    let changed = ideas_block(ui, "Opportunities", &mut t.opportunities);
    edits.field(changed, "Edit opportunities", "opportunities");
}

/// A vote control per pain point and opportunity, as the map has them.
fn dot_votes(ui: &mut egui::Ui, map: &JourneyMap, tp: &Touchpoint, out: &mut Vec<Request>) {
    if tp.pain_points.is_empty() && tp.opportunities.is_empty() {
        return;
    }
    section(ui, "Dot votes");
    for (index, idea) in tp.pain_points.iter().enumerate() {
        let target = IdeaRef::PainPoint {
            touchpoint: tp.id,
            index,
        };
        ui.push_id(("pain-vote", index), |ui| {
            votes(ui, map, target, &idea.text, idea.votes, out)
        });
    }
    for (index, idea) in tp.opportunities.iter().enumerate() {
        let target = IdeaRef::Opportunity {
            touchpoint: tp.id,
            index,
        };
        ui.push_id(("opportunity-vote", index), |ui| {
            votes(ui, map, target, &idea.text, idea.votes, out)
        });
    }
}

fn metrics(ui: &mut egui::Ui, map: &JourneyMap, t: &mut Touchpoint, data: Option<&DataMark>, edits: &mut Edits) {
    let new = || Metric {
        id: MetricId(map.next_id()),
        name: String::new(),
        value: None,
        unit: Unit::Count,
        target: None,
        source: MetricSource::Manual,
    };
    let change = editable_list(ui, &mut t.metrics, &METRICS, new, |ui, m, row| {
        egui::Frame::group(ui.style())
            .show(ui, |ui| metric(ui, m, row, data, edits))
            .inner
    });
    edits.list(change, &METRICS);
}

const SOURCES: [(MetricSource, &str); 4] = [
    (MetricSource::Manual, "typed in"),
    (
        MetricSource::Data(DataMeasure::PeopleReached),
        "from data: people reached",
    ),
    (
        MetricSource::Data(DataMeasure::ConversionRate),
        "from data: conversion rate",
    ),
    (
        MetricSource::Data(DataMeasure::CostPerConversion),
        "from data: cost per conversion",
    ),
];

fn metric(ui: &mut egui::Ui, m: &mut Metric, row: Row, data: Option<&DataMark>, edits: &mut Edits) -> bool {
    let id = m.id.0;
    let changed = name_field(ui, &mut m.name, "Metric name", "metric name", row.focus);
    let mut any = edits.field(changed, "Rename metric", format_args!("metric{id}:name"));
    ui.horizontal_wrapped(|ui| {
        ui.label("Value");
        let changed = parsed_field(ui, ("m-value", id), "value", &mut m.value, number, parse_number, 80.0);
        any |= edits.field(changed, "Set metric value", format_args!("metric{id}:value"));
        let mut changed = false;
        named_combo(
            ui,
            egui::ComboBox::from_id_salt(("m-unit", id))
                .width(70.0)
                .selected_text(m.unit.label()),
            "Unit",
            |ui| {
                for unit in Unit::ALL {
                    changed |= ui.selectable_value(&mut m.unit, unit, unit.label()).changed();
                }
            },
        );
        any |= edits.field(changed, "Set metric unit", format_args!("metric{id}:unit"));
        ui.label("Target");
        let changed = parsed_field(
            ui,
            ("m-target", id),
            "target",
            &mut m.target,
            number,
            parse_number,
            80.0,
        );
        any |= edits.field(changed, "Set metric target", format_args!("metric{id}:target"));
    });
    ui.horizontal(|ui| {
        ui.label("Source");
        let current = SOURCES.iter().find(|(s, _)| *s == m.source).map_or("", |(_, n)| n);
        let mut changed = false;
        named_combo(
            ui,
            egui::ComboBox::from_id_salt(("m-source", id)).selected_text(current),
            "Metric source",
            |ui| {
                for (source, name) in SOURCES {
                    changed |= ui.selectable_value(&mut m.source, source, name).changed();
                }
            },
        );
        any |= edits.field(changed, "Set metric source", format_args!("metric{id}:source"));
    });
    if let MetricSource::Data(_) = m.source {
        // The typed value above is not what the map shows: say what is.
        let text = match data {
            Some(d) => {
                let value = d
                    .measured
                    .iter()
                    .find(|(metric, _)| *metric == m.id)
                    .and_then(|(_, v)| *v)
                    .map_or("–".to_owned(), |v| crate::layout::text::format_number(v, m.unit));
                format!("• Data: {value}, from {}", d.source)
            }
            None => "• Data: measured once events are imported".to_owned(),
        };
        ui.label(RichText::new(text).small().color(theme::MUTED));
    }
    any
}

fn efforts(ui: &mut egui::Ui, map: &JourneyMap, t: &mut Touchpoint, edits: &mut Edits) {
    let new = || MarketingEffort {
        id: EffortId(map.next_id()),
        name: String::new(),
        kind: EffortKind::Campaign,
        channel: t.channel.clone(),
        budget: None,
        owner: String::new(),
        start: None,
        end: None,
    };
    let change = editable_list(ui, &mut t.efforts, &EFFORTS, new, |ui, e, row| {
        egui::Frame::group(ui.style())
            .show(ui, |ui| effort(ui, map, e, row, edits))
            .inner
    });
    edits.list(change, &EFFORTS);
}

fn effort(ui: &mut egui::Ui, map: &JourneyMap, e: &mut MarketingEffort, row: Row, edits: &mut Edits) -> bool {
    let id = e.id.0;
    let mut any = false;
    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
        let mut changed = false;
        named_combo(
            ui,
            egui::ComboBox::from_id_salt(("e-kind", id)).selected_text(e.kind.label()),
            "Effort kind",
            |ui| {
                for kind in EffortKind::ALL {
                    changed |= ui.selectable_value(&mut e.kind, kind, kind.label()).changed();
                }
            },
        );
        any |= edits.field(changed, "Set effort kind", format_args!("effort{id}:kind"));
        let changed = name_field(ui, &mut e.name, "Effort name", "effort name", row.focus);
        any |= edits.field(changed, "Rename marketing effort", format_args!("effort{id}:name"));
    });
    ui.horizontal_wrapped(|ui| {
        let changed = channel_picker(ui, ("e-channel", id), &mut e.channel);
        any |= edits.field(changed, "Set effort channel", format_args!("effort{id}:channel"));
        ui.label(format!("Budget ({})", map.currency));
        let changed = parsed_field(
            ui,
            ("e-budget", id),
            "budget",
            &mut e.budget,
            number,
            parse_number,
            70.0,
        );
        any |= edits.field(changed, "Set effort budget", format_args!("effort{id}:budget"));
    });
    ui.horizontal_wrapped(|ui| {
        let owner = TextEdit::singleline(&mut e.owner)
            .hint_text("owner")
            .desired_width(90.0);
        let changed = named(ui, owner, "Effort owner").changed();
        any |= edits.field(changed, "Set effort owner", format_args!("effort{id}:owner"));
        let changed = parsed_field(
            ui,
            ("e-start", id),
            "start YYYY-MM-DD",
            &mut e.start,
            date,
            parse_date,
            90.0,
        );
        any |= edits.field(changed, "Set effort start", format_args!("effort{id}:start"));
        let changed = parsed_field(ui, ("e-end", id), "end YYYY-MM-DD", &mut e.end, date, parse_date, 90.0);
        any |= edits.field(changed, "Set effort end", format_args!("effort{id}:end"));
    });
    any
}

fn matchers(ui: &mut egui::Ui, t: &mut Touchpoint, edits: &mut Edits) {
    ui.label(
        RichText::new("Imported events that count as meeting this touchpoint")
            .small()
            .color(theme::MUTED),
    );
    let new = || EventMatcher {
        event: String::new(),
        channel: None,
    };
    // Matchers have no ids; a row's place in the list names it.
    let mut index = 0;
    let change = editable_list(ui, &mut t.matchers, &MATCHERS, new, |ui, m, row| {
        let i = index;
        index += 1;
        let mut any = false;
        ui.columns(2, |columns| {
            let changed = name_field(&mut columns[0], &mut m.event, "Matcher event", "event name", row.focus);
            any |= edits.field(changed, "Edit event matcher", format_args!("matcher{i}:event"));
            let mut channel = m.channel.clone().unwrap_or_default();
            let edit = TextEdit::singleline(&mut channel)
                .hint_text("any channel")
                .desired_width(f32::INFINITY);
            if named(&mut columns[1], edit, "Matcher channel").changed() {
                m.channel = (!channel.trim().is_empty()).then(|| channel.trim().to_owned());
                any |= edits.field(true, "Set matcher channel", format_args!("matcher{i}:channel"));
            }
        });
        any
    });
    edits.list(change, &MATCHERS);
}

/// The touchpoint's links, each selectable, and a picker to add one.
fn links(ui: &mut egui::Ui, map: &JourneyMap, tp: &Touchpoint, out: &mut Vec<Request>) {
    for link in map.links.iter().filter(|l| l.from == tp.id || l.to == tp.id) {
        let (arrow, other) = if link.from == tp.id {
            ("to", link.to)
        } else {
            ("from", link.from)
        };
        let other_name = map.touchpoint(other).map_or("?", |t| t.name.as_str());
        if ui.link(format!("Link {arrow} {other_name}")).clicked() {
            out.push(Request::Select(Selection::only(Item::Link(link.id))));
        }
    }
    let mut link_to = None;
    named_combo(
        ui,
        egui::ComboBox::from_id_salt(("link-to", tp.id)).selected_text("Link to…"),
        "Link to",
        |ui| {
            for stage in &map.stages {
                for other in map.touchpoints_in(stage.id).filter(|o| o.id != tp.id) {
                    if ui
                        .selectable_label(false, format!("{} · {}", stage.name, other.name))
                        .clicked()
                    {
                        link_to = Some(other.id);
                    }
                }
            }
        },
    );
    if let Some(to) = link_to
        && let Some(edit) = ops::connect(map, tp.id, to)
    {
        out.push(Request::Change(Change {
            label: "Link touchpoints",
            merge: None,
            edit,
        }));
    }
}

fn actions(ui: &mut egui::Ui, out: &mut Vec<Request>) {
    ui.add_space(10.0);
    ui.horizontal(|ui| {
        if ui.button("Duplicate").clicked() {
            out.push(Request::DuplicateSelection);
        }
        if ui
            .button(RichText::new("Delete touchpoint").color(theme::PAIN))
            .clicked()
        {
            out.push(Request::DeleteSelection);
        }
    });
}
