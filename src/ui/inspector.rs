//! The inspector panel: edits every field of the selection, or of the map
//! when nothing is selected. It works on a copy of the selected thing and
//! turns what changed into one `Edit`; typing in one field merges into one
//! undo step (keyed by the thing and the field).

use chrono::NaiveDate;
use eframe::egui::{self, RichText, TextEdit};

use super::selection::{Item, Selection};
use super::theme;
use crate::edit::{Edit, ops};
use crate::model::*;

/// One change the inspector asks for.
pub struct Change {
    pub label: &'static str,
    /// Edits with the same key merge into one undo step while the field has focus.
    pub merge: Option<String>,
    pub edit: Edit,
}

/// Things the inspector asks of the app besides edits.
pub enum Request {
    Change(Change),
    Select(Selection),
    AddTouchpoint(StageId),
    DeleteSelection,
    DuplicateSelection,
}

#[derive(Default)]
pub struct InspectorState {
    /// Put the keyboard in the name field on the next frame (after a double
    /// click on the canvas, or F2).
    pub focus_name: bool,
}

pub fn show(ui: &mut egui::Ui, map: &JourneyMap, selection: &Selection, state: &mut InspectorState) -> Vec<Request> {
    let mut out = Vec::new();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.spacing_mut().item_spacing.y = 6.0;
        match selection.single() {
            Some(Item::Touchpoint(id)) => {
                if let Some(tp) = map.touchpoint(id) {
                    touchpoint(ui, map, tp, state, &mut out);
                }
            }
            Some(Item::Stage(id)) => {
                if let Some(index) = map.stages.iter().position(|s| s.id == id) {
                    stage(ui, map, index, state, &mut out);
                }
            }
            Some(Item::Link(id)) => {
                if let Some(link) = map.links.iter().find(|l| l.id == id) {
                    link_panel(ui, map, link, &mut out);
                }
            }
            None if selection.is_empty() => map_panel(ui, map, state, &mut out),
            None => many(ui, selection, &mut out),
        }
    });
    out
}

fn heading(ui: &mut egui::Ui, text: &str) {
    ui.add_space(4.0);
    ui.label(RichText::new(text).heading().strong());
    ui.add_space(2.0);
}

fn section(ui: &mut egui::Ui, text: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(text).strong().color(theme::MUTED));
}

/// Adds a text field that has no visible label of its own, giving it an
/// accessible name (screen readers, UI tests) all the same.
fn named(ui: &mut egui::Ui, edit: TextEdit, name: &str) -> egui::Response {
    let response = ui.add(edit);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, name));
    response
}

/// A combo box with an accessible name.
fn named_combo(
    ui: &mut egui::Ui,
    combo: egui::ComboBox,
    name: &str,
    add: impl FnOnce(&mut egui::Ui),
) -> egui::Response {
    let response = combo.show_ui(ui, add).response;
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name));
    response
}

/// A labelled single-line text field. Returns true when the text changed.
fn text_line(ui: &mut egui::Ui, label: &str, value: &mut String, focus: bool) -> bool {
    let label = ui.label(label);
    let response = ui
        .add(TextEdit::singleline(value).desired_width(f32::INFINITY))
        .labelled_by(label.id);
    if focus {
        response.request_focus();
    }
    response.changed()
}

fn text_block(ui: &mut egui::Ui, label: &str, value: &mut String, rows: usize) -> bool {
    let label = ui.label(label);
    ui.add(
        TextEdit::multiline(value)
            .desired_rows(rows)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id)
    .changed()
}

/// A list of short texts edited as lines of one text box.
fn lines_block(ui: &mut egui::Ui, label: &str, items: &mut Vec<String>) -> bool {
    let id = ui.make_persistent_id(("lines", label));
    let joined = items.join("\n");
    // Keep what is being typed (blank lines included) while the box has
    // focus; the model only stores non-empty lines.
    let mut text = ui
        .data_mut(|d| d.get_temp::<(String, String)>(id))
        .filter(|(from, _)| *from == joined)
        .map_or(joined.clone(), |(_, t)| t);
    let label = ui.label(format!("{label} (one per line)"));
    let response = ui
        .add(
            TextEdit::multiline(&mut text)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if response.changed() {
        *items = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        ui.data_mut(|d| d.insert_temp(id, (items.join("\n"), text)));
        return true;
    }
    false
}

/// A text field for an optional parsed value (number, date). What is typed
/// stays as typed while it does not parse; the value changes when it does,
/// and an empty field means "none".
fn parsed_field<T: PartialEq + Clone + Send + Sync + 'static>(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    label: &str,
    value: &mut Option<T>,
    show: impl Fn(&T) -> String,
    parse: impl Fn(&str) -> Option<T>,
    width: f32,
) -> bool {
    let id = ui.make_persistent_id(id_salt);
    let shown = value.as_ref().map(&show).unwrap_or_default();
    let mut text = ui
        .data_mut(|d| d.get_temp::<(String, String)>(id))
        .filter(|(from, _)| *from == shown)
        .map_or(shown.clone(), |(_, t)| t);
    let valid = text.trim().is_empty() || parse(text.trim()).is_some();
    let mut edit = TextEdit::singleline(&mut text).desired_width(width).hint_text(label);
    if !valid {
        edit = edit.text_color(theme::PAIN);
    }
    let response = ui.add(edit);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, label));
    if response.changed() {
        let trimmed = text.trim();
        let new = if trimmed.is_empty() {
            Some(None)
        } else {
            parse(trimmed).map(Some)
        };
        if let Some(new) = new
            && new != *value
        {
            *value = new;
            let now = value.as_ref().map(&show).unwrap_or_default();
            ui.data_mut(|d| d.insert_temp(id, (now, text)));
            return true;
        }
        ui.data_mut(|d| d.insert_temp(id, (shown, text)));
    }
    false
}

fn number(v: &f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn parse_number(s: &str) -> Option<f64> {
    s.replace([' ', '_'], "")
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn channel_picker(ui: &mut egui::Ui, id_salt: impl std::hash::Hash + std::fmt::Debug, channel: &mut Channel) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        named_combo(
            ui,
            egui::ComboBox::from_id_salt(id_salt).selected_text(match &*channel {
                Channel::Other(_) => "Other".to_owned(),
                built_in => built_in.label().to_owned(),
            }),
            "Channel",
            |ui| {
                for c in Channel::BUILT_IN {
                    let label = c.label().to_owned();
                    changed |= ui.selectable_value(channel, c, label).changed();
                }
                if ui
                    .selectable_label(matches!(channel, Channel::Other(_)), "Other…")
                    .clicked()
                    && !matches!(channel, Channel::Other(_))
                {
                    *channel = Channel::Other(String::new());
                    changed = true;
                }
            },
        );
        if let Channel::Other(name) = channel {
            changed |= named(
                ui,
                TextEdit::singleline(name)
                    .hint_text("channel name")
                    .desired_width(110.0),
                "Channel name",
            )
            .changed();
        }
    });
    changed
}

fn touchpoint(
    ui: &mut egui::Ui,
    map: &JourneyMap,
    tp: &Touchpoint,
    state: &mut InspectorState,
    out: &mut Vec<Request>,
) {
    let mut t = tp.clone();
    // Which field changed decides the merge key, so typing in one field is
    // one undo step but switching fields starts a new one.
    let mut field: Option<&'static str> = None;
    let mut mark = |changed: bool, name: &'static str| {
        if changed {
            field = Some(name);
        }
    };
    heading(ui, "Touchpoint");
    mark(
        text_line(ui, "Name", &mut t.name, std::mem::take(&mut state.focus_name)),
        "name",
    );
    ui.horizontal(|ui| {
        ui.label("Channel");
        mark(channel_picker(ui, ("tp-channel", tp.id), &mut t.channel), "channel");
    });
    ui.horizontal(|ui| {
        mark(ui.radio_value(&mut t.mode, Mode::Online, "Online").changed(), "mode");
        mark(ui.radio_value(&mut t.mode, Mode::Offline, "Offline").changed(), "mode");
    });
    ui.horizontal(|ui| {
        ui.label("Interaction");
        named_combo(
            ui,
            egui::ComboBox::from_id_salt(("tp-interaction", tp.id)).selected_text(t.interaction.label().to_owned()),
            "Interaction",
            |ui| {
                for kind in [
                    Interaction::Inquiry,
                    Interaction::Comparison,
                    Interaction::Decision,
                    Interaction::Purchase,
                    Interaction::Support,
                ] {
                    let label = kind.label().to_owned();
                    mark(
                        ui.selectable_value(&mut t.interaction, kind, label).changed(),
                        "interaction",
                    );
                }
                if ui
                    .selectable_label(matches!(t.interaction, Interaction::Other(_)), "Other…")
                    .clicked()
                    && !matches!(t.interaction, Interaction::Other(_))
                {
                    t.interaction = Interaction::Other(String::new());
                    mark(true, "interaction");
                }
            },
        );
        if let Interaction::Other(name) = &mut t.interaction {
            mark(
                named(
                    ui,
                    TextEdit::singleline(name).hint_text("kind").desired_width(110.0),
                    "Interaction kind",
                )
                .changed(),
                "interaction",
            );
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Emotion");
        let mut e = t.emotion.clamp(-2, 2) as i32;
        let slider = egui::Slider::new(&mut e, -2..=2).custom_formatter(|v, _| {
            match v as i32 {
                -2 => "-2 very negative",
                -1 => "-1 negative",
                0 => "0 neutral",
                1 => "+1 positive",
                _ => "+2 very positive",
            }
            .to_owned()
        });
        let response = ui.add(slider).labelled_by(label.id);
        if response.changed() {
            t.emotion = e as i8;
            mark(true, "emotion");
        }
        let dot = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover()).0;
        ui.painter().circle_filled(dot.center(), 6.0, theme::emotion(t.emotion));
    });
    mark(text_block(ui, "Description", &mut t.description, 2), "description");
    mark(text_block(ui, "What the customer does", &mut t.does, 2), "does");
    mark(text_block(ui, "What the customer thinks", &mut t.thinks, 2), "thinks");
    mark(lines_block(ui, "Pain points", &mut t.pain_points), "pains");
    mark(lines_block(ui, "Opportunities", &mut t.opportunities), "opportunities");

    section(ui, "Metrics");
    let mut remove_metric = None;
    for (i, m) in t.metrics.iter_mut().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                let edit = TextEdit::singleline(&mut m.name)
                    .hint_text("metric")
                    .desired_width(ui.available_width() - 30.0);
                mark(named(ui, edit, "Metric name").changed(), "metric");
                if ui.small_button("×").on_hover_text("Remove metric").clicked() {
                    remove_metric = Some(i);
                }
            });
            ui.horizontal(|ui| {
                ui.label("Value");
                mark(
                    parsed_field(ui, ("m-value", m.id), "value", &mut m.value, number, parse_number, 80.0),
                    "metric",
                );
                named_combo(
                    ui,
                    egui::ComboBox::from_id_salt(("m-unit", m.id))
                        .width(70.0)
                        .selected_text(m.unit.label()),
                    "Unit",
                    |ui| {
                        for unit in Unit::ALL {
                            mark(ui.selectable_value(&mut m.unit, unit, unit.label()).changed(), "metric");
                        }
                    },
                );
                ui.label("Target");
                mark(
                    parsed_field(
                        ui,
                        ("m-target", m.id),
                        "target",
                        &mut m.target,
                        number,
                        parse_number,
                        80.0,
                    ),
                    "metric",
                );
            });
            let source_label = match &m.source {
                MetricSource::Manual => "typed in",
                MetricSource::Data(DataMeasure::PeopleReached) => "from data: people reached",
                MetricSource::Data(DataMeasure::ConversionRate) => "from data: conversion rate",
                MetricSource::Data(DataMeasure::CostPerConversion) => "from data: cost per conversion",
            };
            ui.horizontal(|ui| {
                ui.label("Source");
                named_combo(
                    ui,
                    egui::ComboBox::from_id_salt(("m-source", m.id)).selected_text(source_label),
                    "Metric source",
                    |ui| {
                        for (src, name) in [
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
                        ] {
                            mark(ui.selectable_value(&mut m.source, src, name).changed(), "metric");
                        }
                    },
                );
            });
        });
    }
    if let Some(i) = remove_metric {
        t.metrics.remove(i);
        mark(true, "metric-remove");
    }
    let mut next_id = map.next_id();
    if ui.button("Add metric").clicked() {
        t.metrics.push(Metric {
            id: MetricId(next_id),
            name: "Visits".into(),
            value: None,
            unit: Unit::Count,
            target: None,
            source: MetricSource::Manual,
        });
        next_id += 1;
        mark(true, "metric-add");
    }

    section(ui, "Marketing efforts");
    let mut remove_effort = None;
    for (i, e) in t.efforts.iter_mut().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                mark(
                    named(
                        ui,
                        TextEdit::singleline(&mut e.name)
                            .hint_text("effort")
                            .desired_width(150.0),
                        "Effort name",
                    )
                    .changed(),
                    "effort",
                );
                named_combo(
                    ui,
                    egui::ComboBox::from_id_salt(("e-kind", e.id)).selected_text(e.kind.label()),
                    "Effort kind",
                    |ui| {
                        for kind in EffortKind::ALL {
                            mark(ui.selectable_value(&mut e.kind, kind, kind.label()).changed(), "effort");
                        }
                    },
                );
                if ui.small_button("×").on_hover_text("Remove effort").clicked() {
                    remove_effort = Some(i);
                }
            });
            ui.horizontal(|ui| {
                mark(channel_picker(ui, ("e-channel", e.id), &mut e.channel), "effort");
                ui.label(format!("Budget ({})", map.currency));
                mark(
                    parsed_field(
                        ui,
                        ("e-budget", e.id),
                        "budget",
                        &mut e.budget,
                        number,
                        parse_number,
                        70.0,
                    ),
                    "effort",
                );
            });
            ui.horizontal(|ui| {
                mark(
                    named(
                        ui,
                        TextEdit::singleline(&mut e.owner)
                            .hint_text("owner")
                            .desired_width(90.0),
                        "Effort owner",
                    )
                    .changed(),
                    "effort",
                );
                let date = |d: &NaiveDate| d.format("%Y-%m-%d").to_string();
                mark(
                    parsed_field(
                        ui,
                        ("e-start", e.id),
                        "start YYYY-MM-DD",
                        &mut e.start,
                        date,
                        parse_date,
                        90.0,
                    ),
                    "effort",
                );
                mark(
                    parsed_field(
                        ui,
                        ("e-end", e.id),
                        "end YYYY-MM-DD",
                        &mut e.end,
                        date,
                        parse_date,
                        90.0,
                    ),
                    "effort",
                );
            });
        });
    }
    if let Some(i) = remove_effort {
        t.efforts.remove(i);
        mark(true, "effort-remove");
    }
    if ui.button("Add marketing effort").clicked() {
        t.efforts.push(MarketingEffort {
            id: EffortId(next_id),
            name: "New campaign".into(),
            kind: EffortKind::Campaign,
            channel: t.channel.clone(),
            budget: None,
            owner: String::new(),
            start: None,
            end: None,
        });
        mark(true, "effort-add");
    }

    section(ui, "Event matchers");
    ui.label(
        RichText::new("Imported events that count as meeting this touchpoint")
            .small()
            .color(theme::MUTED),
    );
    let mut remove_matcher = None;
    for (i, m) in t.matchers.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            mark(
                named(
                    ui,
                    TextEdit::singleline(&mut m.event)
                        .hint_text("event name")
                        .desired_width(130.0),
                    "Matcher event",
                )
                .changed(),
                "matcher",
            );
            let mut channel = m.channel.clone().unwrap_or_default();
            if named(
                ui,
                TextEdit::singleline(&mut channel)
                    .hint_text("any channel")
                    .desired_width(90.0),
                "Matcher channel",
            )
            .changed()
            {
                m.channel = (!channel.trim().is_empty()).then(|| channel.trim().to_owned());
                mark(true, "matcher");
            }
            if ui.small_button("×").on_hover_text("Remove matcher").clicked() {
                remove_matcher = Some(i);
            }
        });
    }
    if let Some(i) = remove_matcher {
        t.matchers.remove(i);
        mark(true, "matcher-remove");
    }
    if ui.button("Add event matcher").clicked() {
        t.matchers.push(EventMatcher {
            event: String::new(),
            channel: None,
        });
        mark(true, "matcher-add");
    }

    section(ui, "Links");
    for link in map.links.iter().filter(|l| l.from == tp.id || l.to == tp.id) {
        let (arrow, other) = if link.from == tp.id {
            ("to", link.to)
        } else {
            ("from", link.from)
        };
        let other_name = map.touchpoint(other).map_or("?", |t| t.name.as_str());
        ui.horizontal(|ui| {
            if ui.link(format!("Link {arrow} {other_name}")).clicked() {
                out.push(Request::Select(Selection::only(Item::Link(link.id))));
            }
        });
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

    if let Some(field) = field
        && let Some(edit) = ops::update_touchpoint(map, tp.id, |x| *x = t)
    {
        let merge = (!field.ends_with("-add") && !field.ends_with("-remove")).then(|| format!("tp{}:{field}", tp.id.0));
        out.push(Request::Change(Change {
            label: "Edit touchpoint",
            merge,
            edit,
        }));
    }
}

fn stage(ui: &mut egui::Ui, map: &JourneyMap, index: usize, state: &mut InspectorState, out: &mut Vec<Request>) {
    let original = &map.stages[index];
    let mut s = original.clone();
    let mut field: Option<&'static str> = None;
    heading(ui, "Stage");
    if text_line(ui, "Stage name", &mut s.name, std::mem::take(&mut state.focus_name)) {
        field = Some("name");
    }
    if text_block(ui, "Stage description", &mut s.description, 2) {
        field = Some("description");
    }
    ui.horizontal(|ui| {
        ui.label("Funnel stage");
        let current = s
            .funnel_stage
            .and_then(|id| map.funnel_stage(id))
            .map_or("none".to_owned(), |f| f.name.clone());
        named_combo(
            ui,
            egui::ComboBox::from_id_salt(("funnel-map", s.id)).selected_text(current),
            "Funnel stage",
            |ui| {
                if ui.selectable_value(&mut s.funnel_stage, None, "none").changed() {
                    field = Some("funnel");
                }
                for fs in &map.funnel.stages {
                    if ui
                        .selectable_value(&mut s.funnel_stage, Some(fs.id), &fs.name)
                        .changed()
                    {
                        field = Some("funnel");
                    }
                }
            },
        );
    });
    section(ui, "Sticky notes");
    let mut remove = None;
    for (i, note) in s.notes.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let width = ui.available_width() - 30.0;
            let edit = TextEdit::multiline(&mut note.text)
                .desired_rows(2)
                .desired_width(width)
                .background_color(theme::NOTE);
            let r = named(ui, edit, "Sticky note");
            if r.changed() {
                field = Some("note");
            }
            if ui.small_button("×").on_hover_text("Remove note").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        s.notes.remove(i);
        field = Some("note-remove");
    }
    if ui.button("Add sticky note").clicked() {
        s.notes.push(Note {
            id: NoteId(map.next_id()),
            text: String::new(),
        });
        field = Some("note-add");
    }
    ui.add_space(10.0);
    ui.horizontal(|ui| {
        if ui.button("Add touchpoint to this stage").clicked() {
            out.push(Request::AddTouchpoint(s.id));
        }
        if ui.button(RichText::new("Delete stage").color(theme::PAIN)).clicked() {
            out.push(Request::DeleteSelection);
        }
    });
    if let Some(field) = field
        && s != *original
    {
        let merge =
            (!field.ends_with("-add") && !field.ends_with("-remove")).then(|| format!("stage{}:{field}", s.id.0));
        out.push(Request::Change(Change {
            label: "Edit stage",
            merge,
            edit: Edit::ReplaceStage { index, stage: s },
        }));
    }
}

fn link_panel(ui: &mut egui::Ui, map: &JourneyMap, link: &Link, out: &mut Vec<Request>) {
    heading(ui, "Link");
    let name = |id| map.touchpoint(id).map_or("?".to_owned(), |t| t.name.clone());
    ui.label(format!("From {} to {}", name(link.from), name(link.to)));
    if map.is_loop_back(link) {
        ui.label(RichText::new("Loops back to an earlier touchpoint").color(theme::LOOP_BACK));
    }
    let mut label = link.label.clone();
    if text_line(ui, "Link label", &mut label, false)
        && let Some(edit) = ops::update_link(map, link.id, |l| l.label = label)
    {
        out.push(Request::Change(Change {
            label: "Edit link",
            merge: Some(format!("link{}", link.id.0)),
            edit,
        }));
    }
    ui.add_space(10.0);
    if ui.button(RichText::new("Delete link").color(theme::PAIN)).clicked() {
        out.push(Request::DeleteSelection);
    }
}

fn many(ui: &mut egui::Ui, selection: &Selection, out: &mut Vec<Request>) {
    heading(ui, "Selection");
    ui.label(format!(
        "{} stages, {} touchpoints, {} links",
        selection.stages.len(),
        selection.touchpoints.len(),
        selection.links.len()
    ));
    ui.horizontal(|ui| {
        if !selection.touchpoints.is_empty() && ui.button("Duplicate").clicked() {
            out.push(Request::DuplicateSelection);
        }
        if ui.button(RichText::new("Delete").color(theme::PAIN)).clicked() {
            out.push(Request::DeleteSelection);
        }
    });
}

fn map_panel(ui: &mut egui::Ui, map: &JourneyMap, state: &mut InspectorState, out: &mut Vec<Request>) {
    heading(ui, "Journey map");
    let mut title = map.title.clone();
    if text_line(ui, "Map title", &mut title, std::mem::take(&mut state.focus_name)) {
        out.push(Request::Change(Change {
            label: "Edit title",
            merge: Some("title".into()),
            edit: Edit::SetTitle(title),
        }));
    }
    let mut description = map.description.clone();
    if text_block(ui, "Map description", &mut description, 3) {
        out.push(Request::Change(Change {
            label: "Edit description",
            merge: Some("description".into()),
            edit: Edit::SetDescription(description),
        }));
    }
    let mut currency = map.currency.clone();
    ui.horizontal(|ui| {
        let label = ui.label("Currency");
        if ui
            .add(TextEdit::singleline(&mut currency).desired_width(60.0))
            .labelled_by(label.id)
            .changed()
        {
            out.push(Request::Change(Change {
                label: "Edit currency",
                merge: Some("currency".into()),
                edit: Edit::SetCurrency(currency.trim().to_uppercase()),
            }));
        }
    });

    section(ui, "Personas");
    let mut personas = map.personas.clone();
    let mut changed: Option<&'static str> = None;
    let mut remove = None;
    for (i, p) in personas.iter_mut().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                if named(
                    ui,
                    TextEdit::singleline(&mut p.name)
                        .hint_text("persona name")
                        .desired_width(180.0),
                    "Persona name",
                )
                .changed()
                {
                    changed = Some("persona");
                }
                if ui.small_button("×").on_hover_text("Remove persona").clicked() {
                    remove = Some(i);
                }
            });
            if named(
                ui,
                TextEdit::multiline(&mut p.description)
                    .hint_text("who they are")
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
                "Persona description",
            )
            .changed()
            {
                changed = Some("persona");
            }
            if lines_block(ui, &format!("Goals of {}", p.name), &mut p.goals) {
                changed = Some("persona");
            }
            if lines_block(ui, &format!("Frustrations of {}", p.name), &mut p.frustrations) {
                changed = Some("persona");
            }
        });
    }
    if let Some(i) = remove {
        personas.remove(i);
        changed = Some("persona-remove");
    }
    if ui.button("Add persona").clicked() {
        personas.push(Persona {
            id: PersonaId(map.next_id()),
            name: "New persona".into(),
            description: String::new(),
            goals: vec![],
            frustrations: vec![],
        });
        changed = Some("persona-add");
    }
    if let Some(kind) = changed {
        let merge = (kind == "persona").then(|| "personas".to_owned());
        out.push(Request::Change(Change {
            label: "Edit personas",
            merge,
            edit: Edit::SetPersonas(personas),
        }));
    }

    section(ui, "Funnel model");
    let mut funnel = map.funnel.clone();
    let mut funnel_changed: Option<&'static str> = None;
    let label = ui.label("Funnel name");
    if ui
        .add(TextEdit::singleline(&mut funnel.name).desired_width(f32::INFINITY))
        .labelled_by(label.id)
        .changed()
    {
        funnel_changed = Some("funnel");
    }
    let mut remove = None;
    for (i, fs) in funnel.stages.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let mut rgb = [fs.color.0, fs.color.1, fs.color.2];
            if ui.color_edit_button_srgb(&mut rgb).changed() {
                fs.color = Rgb(rgb[0], rgb[1], rgb[2]);
                funnel_changed = Some("funnel");
            }
            if named(
                ui,
                TextEdit::singleline(&mut fs.name).desired_width(180.0),
                "Funnel stage name",
            )
            .changed()
            {
                funnel_changed = Some("funnel");
            }
            if ui.small_button("×").on_hover_text("Remove funnel stage").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        funnel.stages.remove(i);
        funnel_changed = Some("funnel-remove");
    }
    if ui.button("Add funnel stage").clicked() {
        let id = FunnelStageId(map.next_id());
        funnel.stages.push(FunnelStage {
            id,
            name: "New funnel stage".into(),
            color: Rgb(0x88, 0x88, 0x88),
        });
        funnel_changed = Some("funnel-add");
    }
    let mut template = None;
    named_combo(
        ui,
        egui::ComboBox::from_id_salt("switch-template").selected_text("Switch to template…"),
        "Switch funnel template",
        |ui| {
            for t in templates::TEMPLATES {
                if ui.selectable_label(false, t.name).clicked() {
                    template = Some(t);
                }
            }
        },
    );
    if let Some(t) = template {
        // Template stages get fresh ids, so no journey stage silently maps
        // onto a different funnel stage that happens to share an id; stages
        // keep their mapping only by matching names.
        let mut next = map.next_id();
        let mut new = t.funnel();
        for fs in &mut new.stages {
            fs.id = match map.funnel.stages.iter().find(|old| old.name == fs.name) {
                Some(old) => old.id,
                None => {
                    next += 1;
                    FunnelStageId(next - 1)
                }
            };
        }
        out.push(Request::Change(Change {
            label: "Switch funnel template",
            merge: None,
            edit: ops::set_funnel(map, new),
        }));
    } else if let Some(kind) = funnel_changed {
        let merge = (kind == "funnel").then(|| "funnel".to_owned());
        out.push(Request::Change(Change {
            label: "Edit funnel",
            merge,
            edit: ops::set_funnel(map, funnel),
        }));
    }
}
