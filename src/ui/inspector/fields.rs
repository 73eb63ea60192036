//! The inspector's field widgets. Each returns true when the user changed
//! the value; every field has an accessible name (screen readers, UI tests)
//! even where no label is shown.

use chrono::NaiveDate;
use eframe::egui::{self, TextEdit};

use super::theme;
use crate::model::*;

/// Adds a text field that has no visible label of its own, giving it an
/// accessible name all the same.
pub fn named(ui: &mut egui::Ui, edit: TextEdit, name: &str) -> egui::Response {
    let response = ui.add(edit);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, name));
    response
}

/// The name field of a list row: fills the row, shows `hint` while empty,
/// and takes the keyboard when `focus` (the row was just added).
pub fn name_field(ui: &mut egui::Ui, value: &mut String, name: &str, hint: &str, focus: bool) -> bool {
    let edit = TextEdit::singleline(value).hint_text(hint).desired_width(f32::INFINITY);
    let response = named(ui, edit, name);
    if focus {
        response.request_focus();
    }
    response.changed()
}

/// A combo box with an accessible name.
pub fn named_combo(
    ui: &mut egui::Ui,
    combo: egui::ComboBox,
    name: &str,
    add: impl FnOnce(&mut egui::Ui),
) -> egui::Response {
    let response = combo.show_ui(ui, add).response;
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name));
    response
}

/// A labelled single-line text field.
pub fn text_line(ui: &mut egui::Ui, label: &str, value: &mut String, focus: bool) -> bool {
    let label = ui.label(label);
    let response = ui
        .add(TextEdit::singleline(value).desired_width(f32::INFINITY))
        .labelled_by(label.id);
    if focus {
        response.request_focus();
    }
    response.changed()
}

pub fn text_block(ui: &mut egui::Ui, label: &str, value: &mut String, rows: usize) -> bool {
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
pub fn lines_block(ui: &mut egui::Ui, label: &str, items: &mut Vec<String>) -> bool {
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

/// `lines_block` for pain points or opportunities: an idea keeps its votes
/// while its text is unchanged, wherever its line moves to.
pub fn ideas_block(ui: &mut egui::Ui, label: &str, ideas: &mut Vec<Idea>) -> bool {
    let mut lines: Vec<String> = ideas.iter().map(|i| i.text.clone()).collect();
    if !lines_block(ui, label, &mut lines) {
        return false;
    }
    let mut old = std::mem::take(ideas);
    *ideas = lines
        .into_iter()
        .map(|text| match old.iter().position(|i| i.text == text) {
            Some(at) => old.remove(at),
            None => Idea::new(text),
        })
        .collect();
    true
}

/// A text field for an optional parsed value (number, date). What is typed
/// stays as typed while it does not parse; the value changes when it does,
/// and an empty field means "none".
pub fn parsed_field<T: PartialEq + Clone + Send + Sync + 'static>(
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

pub fn number(v: &f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

pub fn parse_number(s: &str) -> Option<f64> {
    s.replace([' ', '_'], "")
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

pub fn date(d: &NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub fn channel_picker(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    channel: &mut Channel,
) -> bool {
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

pub fn interaction_picker(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    interaction: &mut Interaction,
) -> bool {
    let mut changed = false;
    named_combo(
        ui,
        egui::ComboBox::from_id_salt(id_salt).selected_text(interaction.label().to_owned()),
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
                changed |= ui.selectable_value(interaction, kind, label).changed();
            }
            if ui
                .selectable_label(matches!(interaction, Interaction::Other(_)), "Other…")
                .clicked()
                && !matches!(interaction, Interaction::Other(_))
            {
                *interaction = Interaction::Other(String::new());
                changed = true;
            }
        },
    );
    if let Interaction::Other(name) = interaction {
        changed |= named(
            ui,
            TextEdit::singleline(name).hint_text("kind").desired_width(110.0),
            "Interaction kind",
        )
        .changed();
    }
    changed
}

/// The emotion slider, -2 to +2, named by `label`. A click anywhere on the
/// track moves the handle there, as does dragging.
pub fn emotion_slider(ui: &mut egui::Ui, label: &egui::Response, emotion: &mut i8) -> bool {
    let mut e = i32::from((*emotion).clamp(-2, 2));
    let slider = egui::Slider::new(&mut e, -2..=2).custom_formatter(|v, _| {
        match v.round() as i32 {
            -2 => "-2 very negative",
            -1 => "-1 negative",
            0 => "0 neutral",
            1 => "+1 positive",
            _ => "+2 very positive",
        }
        .to_owned()
    });
    let changed = ui.add(slider).labelled_by(label.id).changed();
    if changed {
        *emotion = e as i8;
    }
    changed
}
