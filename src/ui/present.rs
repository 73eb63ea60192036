//! Presentation mode for workshops: full screen, no editing chrome, one
//! stage at a time with the others dimmed, speaker notes on demand, and a
//! spotlight that follows the pointer for projectors.

use eframe::egui::{self, Align2, Color32, Key, RichText, Vec2};

use super::canvas::Camera;
use super::theme;
use crate::layout::{self, Layout};
use crate::model::JourneyMap;

pub struct Presentation {
    /// The stage on show, by position on the spine; `None` is the overview.
    pub stage: Option<usize>,
    pub notes: bool,
    /// Where the camera is heading; the camera eases towards it.
    target: Option<Camera>,
}

/// What a key press in presentation mode asks for.
#[derive(PartialEq)]
pub enum Step {
    Stay,
    Leave,
}

impl Presentation {
    pub fn start() -> Presentation {
        Presentation {
            stage: Some(0),
            notes: false,
            target: None,
        }
    }

    pub fn title(&self, map: &JourneyMap) -> String {
        match self.stage.and_then(|i| map.stages.get(i).map(|s| (i, s))) {
            Some((i, stage)) => format!("Stage {} of {}: {}", i + 1, map.stages.len(), stage.name),
            None => format!("{} — overview", map.title),
        }
    }

    pub fn keys(&mut self, ctx: &egui::Context, map: &JourneyMap) -> Step {
        let last = map.stages.len().saturating_sub(1);
        let pressed = |k: Key| ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, k));
        if pressed(Key::Escape) || pressed(Key::F5) {
            return Step::Leave;
        }
        if pressed(Key::ArrowRight) || pressed(Key::ArrowDown) || pressed(Key::PageDown) || pressed(Key::Space) {
            self.stage = Some(self.stage.map_or(0, |i| (i + 1).min(last)));
            self.target = None;
        }
        if pressed(Key::ArrowLeft) || pressed(Key::ArrowUp) || pressed(Key::PageUp) {
            self.stage = Some(self.stage.map_or(last, |i| i.saturating_sub(1)));
            self.target = None;
        }
        if pressed(Key::Home) {
            self.stage = Some(0);
            self.target = None;
        }
        if pressed(Key::End) {
            self.stage = Some(last);
            self.target = None;
        }
        if pressed(Key::O) {
            self.stage = None;
            self.target = None;
        }
        if pressed(Key::N) {
            self.notes = !self.notes;
        }
        Step::Stay
    }

    /// The area to show: the current stage's column, or the whole map.
    pub fn focus(&self, layout: &Layout) -> layout::Rect {
        match self.stage.and_then(|i| layout.stages.get(i)) {
            Some(stage) => {
                let r = stage.column;
                // Room for the lane labels on the left and a little air.
                layout::Rect {
                    min: layout::pos(r.min.x - layout::LANE_LABEL_WIDTH - 24.0, r.min.y - 24.0),
                    max: layout::pos(r.max.x + 24.0, r.max.y + 24.0),
                }
            }
            None => layout.bounds,
        }
    }

    /// Eases `camera` towards the current stage; true while still moving.
    pub fn glide(&mut self, camera: &mut Camera, canvas: egui::Rect, layout: &Layout) -> bool {
        let focus = self.focus(layout);
        let target = *self.target.get_or_insert_with(|| {
            let mut c = *camera;
            c.fit(canvas, focus);
            c
        });
        let t = 0.25;
        camera.zoom += (target.zoom - camera.zoom) * t;
        camera.offset += (target.offset - camera.offset) * t;
        let done = (target.zoom - camera.zoom).abs() < 0.002 && (target.offset - camera.offset).length() < 0.5;
        if done {
            *camera = target;
        }
        !done
    }

    /// The title bar above the canvas and the key help below it; the canvas
    /// fits the stage into what is left, so nothing covers the map.
    pub fn bars(&self, ui: &mut egui::Ui, map: &JourneyMap) {
        let dark = egui::Frame::new()
            .fill(theme::INK)
            .inner_margin(egui::Margin::symmetric(20, 10));
        egui::Panel::top("present-title").frame(dark).show(ui, |ui| {
            ui.add(
                egui::Label::new(RichText::new(self.title(map)).size(28.0).color(Color32::WHITE).strong()).truncate(),
            );
        });
        let light = egui::Frame::new()
            .fill(theme::CANVAS)
            .inner_margin(egui::Margin::symmetric(20, 6));
        egui::Panel::bottom("present-help").frame(light).show(ui, |ui| {
            ui.label(
                RichText::new("Left, Right: stages · O: overview · N: speaker notes · hold L: spotlight · Esc: leave")
                    .size(14.0)
                    .color(theme::MUTED),
            );
        });
    }

    /// The speaker notes, on demand, over the foot of the canvas.
    pub fn notes(&self, ctx: &egui::Context, map: &JourneyMap) {
        if !self.notes {
            return;
        }
        let notes: Vec<&str> = match self.stage.and_then(|i| map.stages.get(i)) {
            Some(stage) => stage.notes.iter().map(|n| n.text.as_str()).collect(),
            None => map
                .stages
                .iter()
                .flat_map(|s| &s.notes)
                .map(|n| n.text.as_str())
                .collect(),
        };
        egui::Area::new(egui::Id::unique("present-notes"))
            .anchor(Align2::CENTER_BOTTOM, Vec2::new(0.0, -40.0))
            .show(ctx, |ui| {
                egui::Frame::new()
                    .fill(theme::NOTE)
                    .corner_radius(8.0)
                    .inner_margin(16.0)
                    .show(ui, |ui| {
                        ui.set_max_width(ctx.content_rect().width() * 0.7);
                        ui.label(RichText::new("Speaker notes").size(16.0).strong().color(theme::INK));
                        if notes.is_empty() {
                            ui.label(RichText::new("No notes on this stage.").size(22.0).color(theme::MUTED));
                        }
                        for note in notes {
                            ui.label(RichText::new(note).size(22.0).color(theme::INK));
                        }
                    });
            });
    }
}

/// Darkens everything but a circle around the pointer.
pub fn spotlight(painter: &egui::Painter, canvas: egui::Rect, center: egui::Pos2) {
    let radius = canvas.height().min(canvas.width()) * 0.16;
    let dark = Color32::from_black_alpha(150);
    // A ring of quads from the circle out past the corners.
    let far = canvas.size().length();
    let segments = 64;
    for i in 0..segments {
        let a0 = i as f32 / segments as f32 * std::f32::consts::TAU;
        let a1 = (i + 1) as f32 / segments as f32 * std::f32::consts::TAU;
        let dir = |a: f32| Vec2::new(a.cos(), a.sin());
        let points = vec![
            center + dir(a0) * radius,
            center + dir(a0) * far,
            center + dir(a1) * far,
            center + dir(a1) * radius,
        ];
        painter.add(egui::Shape::convex_polygon(points, dark, egui::Stroke::NONE));
    }
    painter.circle_stroke(
        center,
        radius,
        egui::Stroke::new(3.0, Color32::from_rgb(0xff, 0xd5, 0x4f)),
    );
}

impl super::app::JourneyApp {
    pub(super) fn start_presenting(&mut self, ctx: &egui::Context) {
        self.finish_rename();
        self.present = Some(Presentation::start());
        self.selection.clear();
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    fn stop_presenting(&mut self, ctx: &egui::Context) {
        self.present = None;
        self.canvas.focus_stage = None;
        self.canvas.spotlight = false;
        self.fit_pending = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
    }

    /// Presentation mode: the canvas alone, read-only, stepping by stage.
    pub(super) fn present(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        let (Some(doc), Some(present)) = (&self.doc, &mut self.present) else {
            return;
        };
        if present.keys(ctx, doc.map()) == Step::Leave {
            self.stop_presenting(ctx);
            return;
        }
        self.canvas.focus_stage = present.stage.and_then(|i| doc.map().stages.get(i)).map(|s| s.id);
        self.canvas.spotlight = ctx.input(|i| i.key_down(Key::L));
        let mut ignored = Vec::new();
        let no_selection = super::selection::Selection::default();
        present.bars(ui, doc.map());
        egui::CentralPanel::default().frame(egui::Frame::NONE).show(ui, |ui| {
            let canvas = super::canvas::show(
                ui,
                doc.map(),
                &self.layout,
                &self.scene,
                &mut self.canvas,
                &no_selection,
                &mut ignored,
            );
            if present.glide(&mut self.canvas.camera, canvas, &self.layout) {
                ctx.request_repaint();
            }
        });
        present.notes(ctx, doc.map());
        if self.canvas.spotlight {
            ctx.request_repaint();
        }
    }
}
