//! The presenter's keys, as clickers and a laptop keyboard send them.

use eframe::egui::{self, Key, Modifiers};

use crate::model::idea::IdeaKind;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    Next,
    Previous,
    First,
    Last,
    Overview,
    Black,
    Notes,
    Leave,
    /// Start typing a new idea of this kind on the stage on show.
    Capture(IdeaKind),
    /// Pick the idea numbered this (from 1) on the slide.
    Pick(usize),
    Vote(i32),
    Undo,
    Redo,
}

/// One line for the key help, on the slide and in the speaker notes.
pub const HELP: &str = "PgDn/PgUp, Space, arrows: slides · Home/End · O overview · P pain point · I idea · K note · \
                        1–9 pick · +/− vote · B black · N notes · Esc leave";

/// The actions the keys pressed this frame ask for, in a fixed order.
/// Call it only when no text field has the keyboard: typed letters are
/// text then, not commands.
pub fn pressed(ctx: &egui::Context) -> Vec<Action> {
    let mut out = Vec::new();
    ctx.input_mut(|i| {
        let mut key = |m: Modifiers, k: Key| i.consume_key(m, k);
        // Most specific first: extra Shift is ignored when matching.
        if key(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z) || key(Modifiers::COMMAND, Key::Y) {
            out.push(Action::Redo);
        }
        if key(Modifiers::COMMAND, Key::Z) {
            out.push(Action::Undo);
        }
        if key(Modifiers::SHIFT, Key::Space) {
            out.push(Action::Previous);
        }
        let none = Modifiers::NONE;
        for k in [Key::PageDown, Key::ArrowRight, Key::ArrowDown, Key::Space] {
            if key(none, k) {
                out.push(Action::Next);
            }
        }
        for k in [Key::PageUp, Key::ArrowLeft, Key::ArrowUp] {
            if key(none, k) {
                out.push(Action::Previous);
            }
        }
        let simple = [
            (Key::Home, Action::First),
            (Key::End, Action::Last),
            (Key::O, Action::Overview),
            (Key::B, Action::Black),
            (Key::Period, Action::Black),
            (Key::N, Action::Notes),
            (Key::Escape, Action::Leave),
            (Key::F5, Action::Leave),
            (Key::P, Action::Capture(IdeaKind::PainPoint)),
            (Key::I, Action::Capture(IdeaKind::Opportunity)),
            (Key::K, Action::Capture(IdeaKind::Note)),
            (Key::Plus, Action::Vote(1)),
            (Key::Equals, Action::Vote(1)),
            (Key::Minus, Action::Vote(-1)),
        ];
        for (k, action) in simple {
            if key(none, k) {
                out.push(action);
            }
        }
        let numbers = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        for (n, k) in numbers.into_iter().enumerate() {
            if key(none, k) {
                out.push(Action::Pick(n + 1));
            }
        }
    });
    out
}
