//! Speaker notes in a window of their own, for the presenter's laptop
//! screen: never on the slide the room sees. Where the system cannot open a
//! second window, egui would draw it inside the first, over the slide, so
//! then it is not opened at all.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use eframe::egui::{self, RichText, ViewportBuilder, ViewportClass, ViewportId};

use super::keys::{self, Action};

pub const TITLE: &str = "Journeymap — speaker notes";

/// What the notes window shows.
#[derive(Clone, Default)]
pub struct Content {
    pub title: String,
    pub notes: Vec<String>,
    pub next: Option<String>,
    /// "3 / 12".
    pub position: String,
}

#[derive(Default)]
struct Shared {
    content: Content,
    /// Keys pressed in the notes window, for the slides.
    actions: Vec<Action>,
    closed: bool,
}

pub struct SpeakerNotes {
    pub open: bool,
    shared: Arc<Mutex<Shared>>,
    started: Instant,
}

impl SpeakerNotes {
    pub fn new() -> SpeakerNotes {
        SpeakerNotes {
            open: false,
            shared: Arc::default(),
            started: Instant::now(),
        }
    }

    pub fn id() -> ViewportId {
        ViewportId::from_hash_of("journeymap-speaker-notes")
    }

    /// Opens or closes the window; an error in words when it cannot open.
    pub fn toggle(&mut self, ctx: &egui::Context) -> Result<(), String> {
        if self.open {
            self.open = false;
            return Ok(());
        }
        if ctx.embed_viewports() {
            return Err("Speaker notes need a second window, which this display cannot open".to_owned());
        }
        self.open = true;
        self.shared.lock().unwrap().closed = false;
        Ok(())
    }

    /// Shows the window with `content` while open; returns the keys pressed
    /// in it, which step the slides as if pressed on them.
    pub fn show(&mut self, ctx: &egui::Context, content: Content) -> Vec<Action> {
        if !self.open {
            return Vec::new();
        }
        let actions = {
            let mut shared = self.shared.lock().unwrap();
            if shared.closed {
                self.open = false;
                return Vec::new();
            }
            shared.content = content;
            std::mem::take(&mut shared.actions)
        };
        let shared = self.shared.clone();
        let started = self.started;
        ctx.show_viewport_deferred(
            Self::id(),
            ViewportBuilder::default()
                .with_title(TITLE)
                .with_inner_size([760.0, 560.0]),
            move |ui, class| window(ui, class, &shared, started),
        );
        ctx.request_repaint_of(Self::id());
        actions
    }
}

fn window(ui: &mut egui::Ui, class: ViewportClass, shared: &Mutex<Shared>, started: Instant) {
    let ctx = ui.ctx().clone();
    if class == ViewportClass::EmbeddedWindow {
        // Never reached: `toggle` refuses to open without a second window.
        return;
    }
    if ctx.input(|i| i.viewport().close_requested()) {
        shared.lock().unwrap().closed = true;
        ctx.request_repaint_of(ViewportId::ROOT);
        return;
    }
    let pressed = if ctx.text_edit_focused() {
        Vec::new()
    } else {
        keys::pressed(&ctx)
    };
    let content = {
        let mut shared = shared.lock().unwrap();
        if !pressed.is_empty() {
            shared.actions.extend(pressed);
            ctx.request_repaint_of(ViewportId::ROOT);
        }
        shared.content.clone()
    };
    let elapsed = started.elapsed().as_secs();
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&content.position).size(20.0).color(egui::Color32::GRAY));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let clock = format!("{:02}:{:02}", elapsed / 60, elapsed % 60);
                ui.label(RichText::new(clock).size(32.0).strong().monospace());
            });
        });
        ui.label(RichText::new(&content.title).size(30.0).strong());
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height(ui.available_height() - 110.0)
            .show(ui, |ui| {
                if content.notes.is_empty() {
                    ui.label(
                        RichText::new("No notes on this slide.")
                            .size(24.0)
                            .color(egui::Color32::GRAY),
                    );
                }
                for note in &content.notes {
                    ui.label(RichText::new(format!("• {note}")).size(26.0));
                    ui.add_space(6.0);
                }
            });
        ui.separator();
        if let Some(next) = &content.next {
            ui.label(RichText::new(format!("Next: {next}")).size(22.0));
        }
        ui.label(RichText::new(keys::HELP).size(15.0).color(egui::Color32::GRAY));
    });
    // The clock ticks.
    ctx.request_repaint_after(std::time::Duration::from_secs(1));
}
