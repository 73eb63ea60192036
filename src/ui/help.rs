//! The keyboard shortcut overlay (F1 or ?).

use eframe::egui::{self, RichText};

pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+N", "New map from a funnel template"),
    ("Ctrl+O", "Open a map"),
    ("Ctrl+S / Ctrl+Shift+S", "Save / Save as"),
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z, Ctrl+Y", "Redo"),
    ("S", "Add a stage after the selected one"),
    ("T", "Add a touchpoint to the selected stage"),
    ("N", "Add a sticky note to the selected stage"),
    ("F2, double click", "Rename the selection"),
    ("Delete, Backspace", "Delete the selection"),
    (
        "Ctrl+X / Ctrl+C / Ctrl+V",
        "Cut / copy / paste touchpoints; pasting lines of text adds a touchpoint per line",
    ),
    ("Ctrl+D", "Duplicate touchpoints"),
    ("Ctrl+A", "Select all touchpoints"),
    ("Alt+Left / Alt+Right", "Move the selected touchpoint or stage"),
    (
        "Shift+click, Shift+drag",
        "Add to the selection, select with a rubber band",
    ),
    ("Drag a card", "Move it, within or between stages"),
    ("Drag from a card's handle", "Link it to another touchpoint"),
    ("Drag, Space+drag, scroll", "Pan"),
    ("Ctrl+wheel, pinch, Ctrl+= / Ctrl+-", "Zoom"),
    ("Ctrl+0 / Ctrl+1", "Fit to window / actual size"),
    ("Esc", "Clear the selection"),
    (
        "F5",
        "Present: Left/Right step through stages, O overview, N speaker notes, hold L spotlight, Esc leave",
    ),
    ("F1, ?", "Show or hide this list"),
];

pub fn show(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .spacing([24.0, 6.0])
                .striped(true)
                .show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.label(RichText::new(*keys).strong().monospace());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
        });
}
