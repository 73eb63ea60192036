//! The map panel, shown when nothing is selected: title, description,
//! currency, personas and the funnel model.

use eframe::egui::{self, TextEdit};

use super::fields::*;
use super::list::{Noun, editable_list};
use super::{Change, Edits, InspectorState, Request, heading, section};
use crate::edit::{Edit, ops};
use crate::model::*;

const PERSONAS: Noun = Noun {
    add: "Add persona",
    remove: "Remove persona",
};
const FUNNEL_STAGES: Noun = Noun {
    add: "Add funnel stage",
    remove: "Remove funnel stage",
};

pub fn show(ui: &mut egui::Ui, map: &JourneyMap, state: &mut InspectorState, out: &mut Vec<Request>) {
    heading(ui, "Journey map");
    basics(ui, map, std::mem::take(&mut state.focus_name), out);
    section(ui, "Personas");
    personas(ui, map, out);
    section(ui, "Funnel model");
    funnel(ui, map, out);
}

fn basics(ui: &mut egui::Ui, map: &JourneyMap, focus_title: bool, out: &mut Vec<Request>) {
    let mut edits = Edits::default();
    let mut changes = Vec::new();
    let mut title = map.title.clone();
    if edits.field(
        text_line(ui, "Map title", &mut title, focus_title),
        "Rename map",
        "title",
    ) {
        changes.push(Edit::SetTitle(title));
    }
    let mut description = map.description.clone();
    let changed = text_block(ui, "Map description", &mut description, 3);
    if edits.field(changed, "Edit map description", "description") {
        changes.push(Edit::SetDescription(description));
    }
    let mut currency = map.currency.clone();
    ui.horizontal(|ui| {
        let label = ui.label("Currency");
        let changed = ui
            .add(TextEdit::singleline(&mut currency).desired_width(60.0))
            .labelled_by(label.id)
            .changed();
        if edits.field(changed, "Set currency", "currency") {
            changes.push(Edit::SetCurrency(currency.trim().to_uppercase()));
        }
    });
    out.extend(edits.change("map", || match changes.len() {
        0 => None,
        1 => changes.pop(),
        _ => Some(Edit::Batch(changes)),
    }));
}

fn personas(ui: &mut egui::Ui, map: &JourneyMap, out: &mut Vec<Request>) {
    let mut personas = map.personas.clone();
    let mut edits = Edits::default();
    let new = || Persona {
        id: PersonaId(map.next_id()),
        name: String::new(),
        description: String::new(),
        goals: vec![],
        frustrations: vec![],
    };
    let change = editable_list(ui, &mut personas, &PERSONAS, new, |ui, p, row| {
        let id = p.id.0;
        egui::Frame::group(ui.style())
            .show(ui, |ui| {
                let changed = name_field(ui, &mut p.name, "Persona name", "persona name", row.focus);
                let mut any = edits.field(changed, "Rename persona", format_args!("persona{id}:name"));
                let about = TextEdit::multiline(&mut p.description)
                    .hint_text("who they are")
                    .desired_rows(2)
                    .desired_width(f32::INFINITY);
                let changed = named(ui, about, "Persona description").changed();
                any |= edits.field(changed, "Edit persona description", format_args!("persona{id}:about"));
                let changed = lines_block(ui, &format!("Goals of {}", p.name), &mut p.goals);
                any |= edits.field(changed, "Edit persona goals", format_args!("persona{id}:goals"));
                let changed = lines_block(ui, &format!("Frustrations of {}", p.name), &mut p.frustrations);
                any |= edits.field(
                    changed,
                    "Edit persona frustrations",
                    format_args!("persona{id}:frustrations"),
                );
                any
            })
            .inner
    });
    edits.list(change, &PERSONAS);
    out.extend(edits.change("map", || Some(Edit::SetPersonas(personas))));
}

fn funnel(ui: &mut egui::Ui, map: &JourneyMap, out: &mut Vec<Request>) {
    let mut funnel = map.funnel.clone();
    let mut edits = Edits::default();
    let changed = text_line(ui, "Funnel name", &mut funnel.name, false);
    edits.field(changed, "Rename funnel", "funnel");
    let new = || FunnelStage {
        id: FunnelStageId(map.next_id()),
        name: String::new(),
        color: Rgb(0x88, 0x88, 0x88),
    };
    let change = editable_list(ui, &mut funnel.stages, &FUNNEL_STAGES, new, |ui, fs, row| {
        let id = fs.id.0;
        ui.horizontal(|ui| {
            let mut rgb = [fs.color.0, fs.color.1, fs.color.2];
            let recolored = ui.color_edit_button_srgb(&mut rgb).changed();
            if recolored {
                fs.color = Rgb(rgb[0], rgb[1], rgb[2]);
            }
            let mut any = edits.field(recolored, "Set funnel stage color", format_args!("funnel{id}:color"));
            let changed = name_field(ui, &mut fs.name, "Funnel stage name", "funnel stage name", row.focus);
            any |= edits.field(changed, "Rename funnel stage", format_args!("funnel{id}:name"));
            any
        })
        .inner
    });
    edits.list(change, &FUNNEL_STAGES);
    if let Some(edit) = template_switch(ui, map) {
        out.push(Request::Change(Change {
            label: "Switch funnel template",
            merge: None,
            edit,
        }));
    } else {
        out.extend(edits.change("map", || Some(ops::set_funnel(map, funnel))));
    }
}

/// Offers the built-in funnel templates; returns the edit that switches to
/// the one picked.
fn template_switch(ui: &mut egui::Ui, map: &JourneyMap) -> Option<Edit> {
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
    let t = template?;
    // Template stages get fresh ids, so no journey stage silently maps onto a
    // different funnel stage that happens to share an id; stages keep their
    // mapping only by matching names.
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
    Some(ops::set_funnel(map, new))
}
