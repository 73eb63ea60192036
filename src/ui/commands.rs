//! Every user command, declared once: its label, keys, menu place and help
//! text. Menus, toolbar tooltips, the shortcut list and key handling are all
//! read from this table, so they cannot drift apart; whether a command is
//! enabled and what it does live beside it.

use eframe::egui::{self, Event, Key, KeyboardShortcut, Modifiers};

use super::app::{JourneyApp, View};
use super::files::Then;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    New,
    Open,
    Save,
    SaveAs,
    ImportEvents,
    ConnectClickHouse,
    Quit,
    Undo,
    Redo,
    Cut,
    Copy,
    Paste,
    Duplicate,
    Delete,
    SelectAll,
    ClearSelection,
    Rename,
    MoveBack,
    MoveForward,
    AddStage,
    AddTouchpoint,
    AddNote,
    FitToWindow,
    ActualSize,
    ZoomIn,
    ZoomOut,
    ToggleInspector,
    TopVoted,
    ToggleView,
    Present,
    Shortcuts,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    Insert,
    View,
    Present,
    Help,
}

/// What the table says of one command.
pub struct Spec {
    /// As the menu shows it.
    pub label: &'static str,
    /// What it does, for the shortcut list and tooltips.
    pub help: &'static str,
    /// The first is the one menus show.
    pub keys: &'static [KeyboardShortcut],
    /// Other ways to reach it, for the shortcut list ("double click").
    pub also: &'static str,
    /// The menu and the group within it (groups are split by separators).
    pub menu: Option<(Menu, u8)>,
}

const fn key(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}
const fn cmd(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}
const fn cmd_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
}
const fn alt(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::ALT, key)
}

impl Command {
    pub const ALL: &[Command] = &[
        Command::New,
        Command::Open,
        Command::Save,
        Command::SaveAs,
        Command::ImportEvents,
        Command::ConnectClickHouse,
        Command::Quit,
        Command::Undo,
        Command::Redo,
        Command::Cut,
        Command::Copy,
        Command::Paste,
        Command::Duplicate,
        Command::Delete,
        Command::SelectAll,
        Command::ClearSelection,
        Command::Rename,
        Command::MoveBack,
        Command::MoveForward,
        Command::AddStage,
        Command::AddTouchpoint,
        Command::AddNote,
        Command::FitToWindow,
        Command::ActualSize,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::ToggleInspector,
        Command::TopVoted,
        Command::ToggleView,
        Command::Present,
        Command::Shortcuts,
    ];

    pub fn spec(self) -> Spec {
        use Command as C;
        use Menu as M;
        let (label, help, keys, also, menu): (_, _, &'static [KeyboardShortcut], _, _) = match self {
            C::New => (
                "New…",
                "New map from a funnel template",
                const { &[cmd(Key::N)] },
                "",
                Some((M::File, 0)),
            ),
            C::Open => (
                "Open…",
                "Open a map",
                const { &[cmd(Key::O)] },
                "drop a .ron file",
                Some((M::File, 0)),
            ),
            C::Save => ("Save", "Save the map", const { &[cmd(Key::S)] }, "", Some((M::File, 1))),
            C::SaveAs => (
                "Save as…",
                "Save the map under a new name",
                const { &[cmd_shift(Key::S)] },
                "",
                Some((M::File, 1)),
            ),
            C::ImportEvents => (
                "Import events…",
                "Import analytics or CRM events from a CSV file",
                &[],
                "drop a .csv file",
                Some((M::File, 2)),
            ),
            C::ConnectClickHouse => (
                "Connect to ClickHouse…",
                "Show the events of a ClickHouse table in the Data view, without importing them",
                &[],
                "",
                Some((M::File, 2)),
            ),
            C::Quit => (
                "Quit",
                "Quit Journeymap",
                const { &[cmd(Key::Q)] },
                "",
                Some((M::File, 3)),
            ),
            C::Undo => (
                "Undo",
                "Undo the last change",
                const { &[cmd(Key::Z)] },
                "",
                Some((M::Edit, 0)),
            ),
            C::Redo => (
                "Redo",
                "Redo what was undone",
                const { &[cmd_shift(Key::Z), cmd(Key::Y)] },
                "",
                Some((M::Edit, 0)),
            ),
            C::Cut => (
                "Cut",
                "Cut the selected touchpoints",
                const { &[cmd(Key::X)] },
                "",
                Some((M::Edit, 1)),
            ),
            C::Copy => (
                "Copy",
                "Copy the selected touchpoints (their names go to other apps as text)",
                const { &[cmd(Key::C)] },
                "",
                Some((M::Edit, 1)),
            ),
            C::Paste => (
                "Paste",
                "Paste touchpoints; pasted lines of text become one touchpoint each",
                const { &[cmd(Key::V)] },
                "",
                Some((M::Edit, 1)),
            ),
            C::Duplicate => (
                "Duplicate",
                "Duplicate the selected touchpoints",
                const { &[cmd(Key::D)] },
                "",
                Some((M::Edit, 1)),
            ),
            C::Delete => (
                "Delete",
                "Delete the selection (with the links of deleted touchpoints)",
                const { &[key(Key::Delete), key(Key::Backspace)] },
                "",
                Some((M::Edit, 1)),
            ),
            C::SelectAll => (
                "Select all",
                "Select all touchpoints",
                const { &[cmd(Key::A)] },
                "",
                Some((M::Edit, 2)),
            ),
            C::ClearSelection => (
                "Select none",
                "Clear the selection",
                const { &[key(Key::Escape)] },
                "",
                Some((M::Edit, 2)),
            ),
            C::Rename => (
                "Rename",
                "Rename the selected touchpoint or stage on the canvas",
                const { &[key(Key::F2), key(Key::Enter)] },
                "double click a card or header",
                Some((M::Edit, 3)),
            ),
            C::MoveBack => (
                "Move back",
                "Move the selected touchpoint or stage one place back",
                const { &[alt(Key::ArrowLeft)] },
                "",
                Some((M::Edit, 3)),
            ),
            C::MoveForward => (
                "Move forward",
                "Move the selected touchpoint or stage one place on",
                const { &[alt(Key::ArrowRight)] },
                "",
                Some((M::Edit, 3)),
            ),
            C::AddStage => (
                "Stage",
                "Add a stage after the selected one and name it",
                const { &[key(Key::S)] },
                "",
                Some((M::Insert, 0)),
            ),
            C::AddTouchpoint => (
                "Touchpoint",
                "Add a touchpoint to the selected stage and name it",
                const { &[key(Key::T)] },
                "double click an empty part of a stage",
                Some((M::Insert, 0)),
            ),
            C::AddNote => (
                "Sticky note",
                "Add a sticky note to the selected stage",
                const { &[key(Key::N)] },
                "",
                Some((M::Insert, 0)),
            ),
            C::FitToWindow => (
                "Fit to window",
                "Show the whole map",
                const { &[cmd(Key::Num0)] },
                "",
                Some((M::View, 0)),
            ),
            C::ActualSize => (
                "Actual size",
                "Zoom to 100%",
                const { &[cmd(Key::Num1)] },
                "",
                Some((M::View, 0)),
            ),
            C::ZoomIn => (
                "Zoom in",
                "Zoom in",
                const { &[cmd(Key::Plus), cmd(Key::Equals)] },
                "Ctrl+wheel, pinch",
                Some((M::View, 0)),
            ),
            C::ZoomOut => (
                "Zoom out",
                "Zoom out",
                const { &[cmd(Key::Minus)] },
                "",
                Some((M::View, 0)),
            ),
            C::ToggleInspector => (
                "Inspector",
                "Show or hide the inspector",
                const { &[cmd(Key::I)] },
                "",
                Some((M::View, 1)),
            ),
            C::TopVoted => (
                "Top voted",
                "Show or hide the ideas with the most dot votes",
                const { &[key(Key::V)] },
                "",
                Some((M::View, 1)),
            ),
            C::ToggleView => (
                "Map or data",
                "Switch between the map and the Data view",
                const { &[cmd_shift(Key::D)] },
                "",
                Some((M::View, 2)),
            ),
            C::Present => (
                "Start presentation",
                "Present: PageDown/PageUp step through the slides, P/I/K capture an idea, 1–9 and +/− vote, B black screen, N speaker notes, Esc leave",
                const { &[key(Key::F5)] },
                "",
                Some((M::Present, 0)),
            ),
            C::Shortcuts => (
                "Keyboard shortcuts",
                "Show or hide this list",
                const { &[key(Key::F1)] },
                "?",
                Some((M::Help, 0)),
            ),
        };
        Spec {
            label,
            help,
            keys,
            also,
            menu,
        }
    }

    /// Whether the command's keys work while a text field has the keyboard.
    /// Only Ctrl/⌘ shortcuts that a text field has no use for do: a plain
    /// key, an arrow or Delete is the field's, and so are copy, cut, paste,
    /// select all.
    pub fn works_while_typing(self) -> bool {
        !matches!(
            self,
            Command::Cut | Command::Copy | Command::Paste | Command::SelectAll | Command::Duplicate
        ) && self.spec().keys.iter().all(|k| k.modifiers.command && !k.modifiers.alt)
    }

    /// The first shortcut as this platform writes it ("Ctrl+S", "⌘S").
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.spec().keys.first().map(|k| ctx.format_shortcut(k))
    }

    /// Every key and gesture, for the shortcut list.
    pub fn all_keys_text(self, ctx: &egui::Context) -> String {
        let spec = self.spec();
        let mut parts: Vec<String> = spec.keys.iter().map(|k| ctx.format_shortcut(k)).collect();
        if !spec.also.is_empty() {
            parts.push(spec.also.to_owned());
        }
        parts.join(", ")
    }

    /// "Undo (Ctrl+Z)": a toolbar tooltip.
    pub fn tooltip(self, ctx: &egui::Context) -> String {
        match self.shortcut_text(ctx) {
            Some(keys) => format!("{} ({keys})", self.spec().help),
            None => self.spec().help.to_owned(),
        }
    }
}

/// The commands whose keys were pressed this frame, consumed from the input.
/// While a text field has the keyboard only `works_while_typing` commands
/// are looked for, so typing "Impressions" never adds a stage. A plain-key
/// command also swallows the text its key types, so the T that added a
/// touchpoint does not land in its name field.
pub fn pressed(ctx: &egui::Context) -> Vec<Command> {
    // A focused text field, not just any focused widget (a card reached
    // with Tab still takes T, Delete, F2).
    let typing = ctx.text_edit_focused();
    let mut candidates: Vec<(Command, KeyboardShortcut)> = Command::ALL
        .iter()
        .filter(|c| !typing || c.works_while_typing())
        .flat_map(|&c| c.spec().keys.iter().map(move |k| (c, *k)))
        .collect();
    // egui matches Shift and Alt loosely: look for Ctrl+Shift+Z before Ctrl+Z.
    candidates.sort_by_key(|(_, k)| std::cmp::Reverse(modifier_count(k.modifiers)));
    let echo_id = egui::Id::unique("command-key-echo");
    let expected_echo: Option<String> = ctx.data_mut(|d| d.remove_temp(echo_id));
    let mut out = Vec::new();
    let mut plain_key = None;
    let mut echo_next_frame = None;
    ctx.input_mut(|i| {
        if let Some(echo) = expected_echo
            && let Some(at) = i
                .events
                .iter()
                .position(|e| matches!(e, Event::Text(t) if t.eq_ignore_ascii_case(&echo)))
        {
            i.events.remove(at);
        }
        for (command, shortcut) in candidates {
            if i.consume_shortcut(&shortcut) && !out.contains(&command) {
                out.push(command);
                if !shortcut.modifiers.command && !shortcut.modifiers.alt {
                    plain_key = Some(shortcut.logical_key);
                }
            }
        }
        if !typing && i.events.iter().any(|e| matches!(e, Event::Text(t) if t == "?")) {
            out.push(Command::Shortcuts);
        }
        if let Some(key) = plain_key {
            let before = i.events.len();
            i.events.retain(|e| !matches!(e, Event::Text(_)));
            // The key's text usually comes in the same frame; when it comes
            // in the next, swallow it there.
            if i.events.len() == before && key.name().chars().count() == 1 {
                echo_next_frame = Some(key.name().to_owned());
            }
        }
    });
    if let Some(echo) = echo_next_frame {
        ctx.data_mut(|d| d.insert_temp(echo_id, echo));
    }
    out
}

fn modifier_count(m: Modifiers) -> u8 {
    u8::from(m.command || m.ctrl) + u8::from(m.shift) + u8::from(m.alt)
}

impl JourneyApp {
    /// Whether `command` can run now (menus grey it out otherwise).
    pub(super) fn can(&self, command: Command) -> bool {
        use Command as C;
        let has_doc = self.doc.is_some();
        let on_map = has_doc && self.view == View::Map;
        match command {
            C::New | C::Open | C::Quit | C::Shortcuts | C::ToggleInspector => true,
            C::Save | C::SaveAs | C::ImportEvents | C::ToggleView | C::Present | C::TopVoted => has_doc,
            C::ConnectClickHouse => has_doc && !self.data.import_running(),
            C::Undo => self.doc.as_ref().is_some_and(|d| d.edit.undo_label().is_some()),
            C::Redo => self.doc.as_ref().is_some_and(|d| d.edit.redo_label().is_some()),
            C::Cut | C::Copy | C::Duplicate => on_map && !self.selection.touchpoints.is_empty(),
            C::Paste | C::SelectAll | C::AddStage | C::AddTouchpoint => on_map,
            C::Delete | C::ClearSelection => on_map && !self.selection.is_empty(),
            C::Rename | C::MoveBack | C::MoveForward => on_map && self.selection.single().is_some(),
            C::AddNote => {
                on_map
                    && self
                        .doc
                        .as_ref()
                        .is_some_and(|d| self.selection.target_stage(d.map()).is_some())
            }
            C::FitToWindow | C::ActualSize | C::ZoomIn | C::ZoomOut => on_map,
        }
    }

    /// The menu label, with what undo and redo would change.
    pub(super) fn menu_label(&self, command: Command) -> String {
        let label = command.spec().label;
        let what = match command {
            Command::Undo => self.doc.as_ref().and_then(|d| d.edit.undo_label()),
            Command::Redo => self.doc.as_ref().and_then(|d| d.edit.redo_label()),
            _ => None,
        };
        match what {
            Some(what) => format!("{label} {}", what.to_lowercase()),
            None => label.to_owned(),
        }
    }

    /// Runs `command` if it can run now.
    pub(super) fn run(&mut self, ctx: &egui::Context, command: Command) {
        use Command as C;
        if !self.can(command) {
            return;
        }
        // A command acts on the map as the user sees it: a rename being typed counts.
        if !matches!(command, C::Shortcuts | C::ToggleInspector) {
            self.finish_rename();
        }
        match command {
            C::New => self.guarded(ctx, Then::New),
            C::Open => self.guarded(ctx, Then::Open(None)),
            C::Save => {
                self.save(false);
            }
            C::SaveAs => {
                self.save(true);
            }
            C::ImportEvents => self.choose_events_file(),
            C::ConnectClickHouse => {
                self.view = View::Data;
                self.data.open_connect();
            }
            C::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            C::Undo => self.undo(),
            C::Redo => self.redo(),
            C::Cut => self.cut(),
            C::Copy => self.copy(),
            C::Paste => self.paste(),
            C::Duplicate => self.duplicate_selection(),
            C::Delete => self.delete_selection(),
            C::SelectAll => self.select_all(),
            C::ClearSelection => self.selection.clear(),
            C::Rename => {
                if let Some(item) = self.selection.single() {
                    self.start_rename(item, None);
                }
            }
            C::MoveBack => self.nudge(-1),
            C::MoveForward => self.nudge(1),
            C::AddStage => self.add_stage(),
            C::AddTouchpoint => self.add_touchpoint(None),
            C::AddNote => self.add_note(),
            C::FitToWindow => self.fit_pending = true,
            C::ActualSize => self.canvas.zoom_centered(1.0),
            C::ZoomIn => self.canvas.zoom_centered(self.canvas.camera.zoom * 1.25),
            C::ZoomOut => self.canvas.zoom_centered(self.canvas.camera.zoom / 1.25),
            C::ToggleInspector => self.show_inspector = !self.show_inspector,
            C::TopVoted => self.show_votes = !self.show_votes,
            C::ToggleView => self.view = if self.view == View::Map { View::Data } else { View::Map },
            C::Present => self.start_presenting(ctx),
            C::Shortcuts => self.show_help = !self.show_help,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_key() {
        let mut seen = std::collections::HashMap::new();
        for &c in Command::ALL {
            for k in c.spec().keys {
                if let Some(other) = seen.insert((k.modifiers, k.logical_key), c) {
                    panic!("{c:?} and {other:?} both use {k:?}");
                }
            }
        }
    }

    #[test]
    fn typing_keys_are_never_commands_while_typing() {
        for &c in Command::ALL {
            if c.works_while_typing() {
                for k in c.spec().keys {
                    assert!(k.modifiers.command, "{c:?} would take a plain key from a text field");
                }
            }
        }
        for c in [
            Command::AddStage,
            Command::AddTouchpoint,
            Command::Delete,
            Command::Paste,
        ] {
            assert!(!c.works_while_typing(), "{c:?}");
        }
        assert!(Command::Save.works_while_typing());
    }

    #[test]
    fn every_command_has_a_menu_place_and_words() {
        for &c in Command::ALL {
            let spec = c.spec();
            assert!(spec.menu.is_some(), "{c:?} is reachable without keys");
            assert!(!spec.label.is_empty() && !spec.help.is_empty(), "{c:?}");
        }
    }
}
