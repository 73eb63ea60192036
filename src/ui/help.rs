//! The keyboard shortcut list (F1 or ?), made from the command table plus
//! the mouse gestures, which are not commands.

use eframe::egui::{self, RichText};

use super::commands::Command;

/// What the mouse does on the canvas.
const GESTURES: &[(&str, &str)] = &[
    (
        "Shift+click, Shift+drag",
        "Add to the selection, select with a rubber band",
    ),
    ("Drag a card", "Move it, within or between stages"),
    ("Drag from a card's handle", "Link it to another touchpoint"),
    ("Drag, Space+drag, scroll", "Pan"),
];

/// Every row of the list: keys, then what they do.
pub fn rows(ctx: &egui::Context) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = Command::ALL
        .iter()
        .filter(|c| !c.spec().keys.is_empty() || !c.spec().also.is_empty())
        .map(|c| (c.all_keys_text(ctx), c.spec().help.to_owned()))
        .collect();
    rows.extend(GESTURES.iter().map(|(k, w)| ((*k).to_owned(), (*w).to_owned())));
    rows
}

pub fn show(ctx: &egui::Context, open: &mut bool) {
    let rows = rows(ctx);
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.label(
                RichText::new("Single keys work when no text field is being edited.")
                    .small()
                    .color(super::theme::MUTED),
            );
            egui::ScrollArea::vertical().max_height(600.0).show(ui, |ui| {
                egui::Grid::new("shortcuts")
                    .num_columns(2)
                    .spacing([24.0, 6.0])
                    .striped(true)
                    .show(ui, |ui| {
                        for (keys, what) in &rows {
                            ui.label(RichText::new(keys).strong().monospace());
                            ui.label(what);
                            ui.end_row();
                        }
                    });
            });
        });
}
