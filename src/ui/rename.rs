//! Renaming on the canvas: a text field over the card's title or the stage's
//! header, with the whole name selected so typing replaces it. Enter (or
//! clicking elsewhere) keeps what was typed, Esc goes back to the name from
//! before (both keys are handled in `app`, before the field sees them). Naming a thing just added is part of adding it: one undo step.

use eframe::egui::{self, FontId, TextEdit, Vec2};
use egui::text::{CCursor, CCursorRange};

use super::app::JourneyApp;
use super::canvas::Camera;
use super::selection::Item;
use crate::edit::ops;
use crate::layout::Layout;

pub struct Rename {
    pub item: Item,
    pub text: String,
    /// The name before renaming began: Esc goes back to it.
    original: String,
    /// Edits with this key merge into one undo step (the add step, for a
    /// thing just added).
    key: String,
    /// Focus the field and select all of it on the next frame.
    fresh: bool,
}

/// The accessible name of the rename field.
pub fn field_name(item: Item) -> &'static str {
    match item {
        Item::Stage(_) => "Rename stage",
        _ => "Rename touchpoint",
    }
}

impl JourneyApp {
    /// Starts renaming `item` on the canvas. `added` is the merge key of the
    /// step that just added it, if it is new.
    pub(super) fn start_rename(&mut self, item: Item, added: Option<String>) {
        self.finish_rename();
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        let name = match item {
            Item::Touchpoint(id) => map.touchpoint(id).map(|t| t.name.clone()),
            Item::Stage(id) => map.stage(id).map(|s| s.name.clone()),
            Item::Link(_) => None,
        };
        let Some(name) = name else { return };
        self.selection = super::selection::Selection::only(item);
        self.reveal = Some(item);
        let key = added.unwrap_or_else(|| format!("rename:{item:?}"));
        self.rename = Some(Rename {
            item,
            text: name.clone(),
            original: name,
            key,
            fresh: true,
        });
    }

    /// Keeps what was typed and ends the rename.
    pub(super) fn finish_rename(&mut self) {
        if self.rename.take().is_some()
            && let Some(doc) = &mut self.doc
        {
            doc.edit.seal();
        }
    }

    /// Puts the name from before back and ends the rename.
    pub(super) fn cancel_rename(&mut self) {
        if let Some(rename) = &self.rename {
            let original = rename.original.clone();
            self.set_name(&original);
        }
        self.finish_rename();
    }

    /// Sets the name of the thing being renamed, merged into the rename's step.
    fn set_name(&mut self, name: &str) {
        let (Some(doc), Some(rename)) = (&self.doc, &self.rename) else {
            return;
        };
        let map = doc.map();
        let (label, edit) = match rename.item {
            Item::Touchpoint(id) => (
                "Rename touchpoint",
                ops::update_touchpoint(map, id, |t| t.name = name.to_owned()),
            ),
            Item::Stage(id) => ("Rename stage", ops::update_stage(map, id, |s| s.name = name.to_owned())),
            Item::Link(_) => return,
        };
        let key = rename.key.clone();
        if let Some(edit) = edit {
            self.apply(label, Some(key), edit);
        }
    }

    /// Draws the rename field over the canvas, if a rename is on.
    pub(super) fn rename_field(&mut self, ui: &mut egui::Ui, canvas: egui::Rect) {
        let Some(item) = self.rename.as_ref().map(|r| r.item) else {
            return;
        };
        let Some(rect) = title_rect(self.shown_layout(), &self.canvas.camera, canvas, item) else {
            // The thing is gone (undone, deleted): nothing left to rename.
            self.rename = None;
            return;
        };
        let Some(rename) = &mut self.rename else { return };
        let z = self.canvas.camera.zoom;
        let font = FontId::new((14.0 * z).max(13.0), super::fonts::bold());
        // Long names (Vietnamese ones often are) wrap over the title's lines.
        let min_height = 2.0 * font.size * 1.3 + 8.0;
        let rect = egui::Rect::from_min_size(
            rect.min,
            Vec2::new(rect.width().max(80.0), rect.height().max(min_height)),
        );
        let id = ui.make_persistent_id("canvas-rename");
        // A text field drops its focus on a click elsewhere: wait for the
        // click that added or chose the thing (toolbar, double click) to end.
        let clicking = ui.input(|i| i.pointer.any_pressed() || i.pointer.any_released() || i.pointer.any_down());
        if rename.fresh && clicking {
            ui.ctx().request_repaint();
        } else if rename.fresh {
            rename.fresh = false;
            ui.memory_mut(|m| m.request_focus(id));
            let mut state = TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
            let end = rename.text.chars().count();
            state
                .cursor
                .set_char_range(Some(CCursorRange::two(CCursor::new(0), CCursor::new(end))));
            TextEdit::store_state(ui.ctx(), id, state);
        }
        let before = rename.text.clone();
        // Multiline only to wrap: Enter ends the rename (see `app`), it
        // never adds a line to a name.
        let response = ui.put(
            rect,
            TextEdit::multiline(&mut rename.text)
                .id(id)
                .font(font)
                .return_key(None)
                .desired_rows(1)
                .margin(Vec2::new(6.0, 4.0)),
        );
        if rename.text.contains(['\n', '\r']) {
            // Pasted lines join into one name.
            rename.text = rename
                .text
                .split(['\n', '\r'])
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
        }
        let name = field_name(rename.item);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, name));
        let changed = rename.text != before;
        let text = rename.text.clone();
        // Tab, a click elsewhere or another field taking the keyboard.
        let done = response.lost_focus() || (!rename.fresh && !response.has_focus());
        if changed {
            self.set_name(&text);
        }
        if done {
            self.finish_rename();
        }
    }
}

/// Where a thing's name is drawn on screen.
fn title_rect(layout: &Layout, camera: &Camera, canvas: egui::Rect, item: Item) -> Option<egui::Rect> {
    let z = camera.zoom;
    match item {
        Item::Touchpoint(id) => {
            let card = layout.touchpoints.iter().find(|t| t.id == id)?.card;
            let card = camera.rect_to_screen(canvas, card);
            // The overview's cards have their title on top.
            let above = if layout.form == crate::layout::Form::Compact {
                4.0
            } else {
                20.0
            };
            Some(egui::Rect::from_min_max(
                card.min + Vec2::new(8.0 * z, above * z),
                egui::pos2(card.max.x - 8.0 * z, card.max.y),
            ))
        }
        Item::Stage(id) => {
            let header = layout.stages.iter().find(|s| s.id == id)?.header;
            let header = camera.rect_to_screen(canvas, header);
            Some(egui::Rect::from_min_max(
                header.min + Vec2::new(6.0 * z, crate::layout::FUNNEL_BAND_HEIGHT * z + 2.0 * z),
                header.max,
            ))
        }
        Item::Link(_) => None,
    }
}
