//! An editable list: its rows, each with a × that removes it, then an Add
//! button. Metrics, marketing efforts, event matchers, sticky notes,
//! personas and funnel stages are all edited this way.

use eframe::egui::{self, Align, Layout, Ui};

/// What a list holds, as its buttons (and undo steps) name it.
pub struct Noun {
    /// "Add metric"
    pub add: &'static str,
    /// "Remove metric"
    pub remove: &'static str,
}

/// What the user did to a list this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListChange {
    Unchanged,
    /// A row's fields changed.
    Edited,
    Added,
    Removed,
}

/// How to draw one row this frame.
#[derive(Clone, Copy)]
pub struct Row {
    /// The row was just added: its name field should take the keyboard, so
    /// the user can type the name straight away.
    pub focus: bool,
}

/// Shows `items` as rows drawn by `row` (which returns true when it changed
/// its item), each with a remove button to its right, then an add button
/// that appends `new()`.
pub fn editable_list<T>(
    ui: &mut Ui,
    items: &mut Vec<T>,
    noun: &Noun,
    new: impl FnOnce() -> T,
    mut row: impl FnMut(&mut Ui, &mut T, Row) -> bool,
) -> ListChange {
    // The new row appears once the app has applied the addition, so its
    // focus waits for the next frame.
    let focus_id = ui.make_persistent_id(("new-row", noun.add));
    let focus_row: Option<usize> = ui.data_mut(|d| d.remove_temp(focus_id));
    let mut change = ListChange::Unchanged;
    let mut remove = None;
    for (i, item) in items.iter_mut().enumerate() {
        ui.push_id(i, |ui| {
            // Right to left: the button takes its room first and the row
            // fills what is left, so a row never pushes the panel wider.
            ui.with_layout(Layout::right_to_left(Align::Min), |ui| {
                let button = ui.small_button("×").on_hover_text(noun.remove);
                button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, noun.remove));
                if button.clicked() {
                    remove = Some(i);
                }
                ui.with_layout(Layout::top_down(Align::Min), |ui| {
                    let focus = focus_row == Some(i);
                    if row(ui, item, Row { focus }) {
                        change = ListChange::Edited;
                    }
                });
            });
        });
    }
    if let Some(i) = remove {
        items.remove(i);
        change = ListChange::Removed;
    }
    if ui.button(noun.add).clicked() {
        items.push(new());
        ui.data_mut(|d| d.insert_temp(focus_id, items.len() - 1));
        // Now, not at the next input: the first key typed goes to the name.
        ui.ctx().request_repaint();
        change = ListChange::Added;
    }
    change
}
