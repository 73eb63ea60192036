//! Copy, cut and paste of touchpoints. Copying also puts the names on the
//! system clipboard as text (for chat, documents, spreadsheets); pasting
//! that text back pastes the touchpoints, and any other text becomes one
//! touchpoint per line.

use eframe::egui;

use super::app::JourneyApp;
use super::editing::{EditStep, plural};
use super::selection::Selection;
use crate::edit::ops;
use crate::model::JourneyMap;

#[derive(Default)]
pub struct Clipboard {
    clip: ops::Clip,
    /// The text copied alongside `clip`: pasting it back means "paste those
    /// touchpoints".
    text: String,
    /// Text to hand to the system clipboard at the end of the frame.
    outgoing: Option<String>,
}

impl Clipboard {
    /// Hands copied text to the system clipboard.
    pub fn flush(&mut self, ctx: &egui::Context) {
        if let Some(text) = self.outgoing.take() {
            ctx.copy_text(text);
        }
    }
}

impl JourneyApp {
    /// The desktop integration turns Ctrl+C, Ctrl+X and Ctrl+V into clipboard
    /// events rather than key presses; they are the canvas's only when no
    /// text field has the keyboard.
    pub(super) fn clipboard_events(&mut self, ctx: &egui::Context) {
        // Only on the map, and never while a text field has the keyboard.
        if ctx.text_edit_focused() || self.view != super::app::View::Map {
            return;
        }
        let events: Vec<egui::Event> = ctx.input(|i| {
            i.events
                .iter()
                .filter(|e| matches!(e, egui::Event::Copy | egui::Event::Cut | egui::Event::Paste(_)))
                .cloned()
                .collect()
        });
        for event in events {
            match event {
                egui::Event::Copy => self.copy(),
                egui::Event::Cut => self.cut(),
                egui::Event::Paste(text) => self.paste_text(&text),
                _ => {}
            }
        }
    }

    pub(super) fn copy(&mut self) {
        let Some(doc) = &self.doc else { return };
        let ids: Vec<_> = self.selection.touchpoints.iter().copied().collect();
        if ids.is_empty() {
            return;
        }
        let clip = ops::copy(doc.map(), &ids);
        let text = clip
            .touchpoints
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        self.clipboard = Clipboard {
            clip,
            outgoing: Some(text.clone()),
            text,
        };
        self.say(format!("Copied {}", plural(ids.len(), "touchpoint")));
    }

    /// Copies the selected touchpoints and deletes them (with their links);
    /// selected stages and links stay, as they were not copied.
    pub(super) fn cut(&mut self) {
        let ids: Vec<_> = self.selection.touchpoints.iter().copied().collect();
        if ids.is_empty() {
            return;
        }
        self.copy();
        let edit = self.doc.as_ref().and_then(|d| ops::delete_touchpoints(d.map(), &ids));
        if let Some(edit) = edit {
            self.apply(&format!("Cut {}", plural(ids.len(), "touchpoint")), None, edit);
        }
        self.selection.touchpoints.clear();
    }

    /// Pastes text from the system clipboard.
    pub(super) fn paste_text(&mut self, text: &str) {
        if !self.clipboard.clip.touchpoints.is_empty() && text.trim() == self.clipboard.text.trim() {
            self.paste();
            return;
        }
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        let Some(stage) = self.insertion_stage(map) else { return };
        let names: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(200)
            .map(str::to_owned)
            .collect();
        let count = names.len();
        let steps = names
            .into_iter()
            .map(|name| Box::new(move |m: &JourneyMap| ops::add_touchpoint(m, stage, &name)) as EditStep)
            .collect();
        let before: std::collections::HashSet<_> = map.touchpoints.iter().map(|t| t.id).collect();
        self.apply_chain(&format!("Paste {}", plural(count, "touchpoint")), steps);
        if let Some(doc) = &self.doc {
            let added = doc
                .map()
                .touchpoints
                .iter()
                .map(|t| t.id)
                .filter(|id| !before.contains(id))
                .collect();
            self.selection = Selection {
                touchpoints: added,
                ..Default::default()
            };
        }
        self.say(format!("Pasted {} from text", plural(count, "touchpoint")));
    }

    /// Pastes the copied touchpoints into the selected (or last) stage.
    pub(super) fn paste(&mut self) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        let Some(stage) = self.insertion_stage(map) else { return };
        if let Some((edit, new)) = ops::paste(map, &self.clipboard.clip, stage) {
            let label = format!("Paste {}", plural(new.len(), "touchpoint"));
            self.apply(&label, None, edit);
            self.say(format!("Pasted {}", plural(new.len(), "touchpoint")));
            self.selection = Selection {
                touchpoints: new.into_iter().collect(),
                ..Default::default()
            };
        }
    }
}
