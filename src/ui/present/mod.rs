//! Presentation mode for workshops: slides drawn for the screen (a title,
//! one per stage, an overview, what the room decided), speaker notes in a
//! window of their own, and ideas and dot votes captured on the slide
//! straight into the map.

mod decided;
mod deck;
mod draw;
mod ideas;
mod keys;
mod notes;
mod overview;
mod stage;
mod title;

use eframe::egui::{self, Color32, Key, Pos2, Rect, Vec2};

pub use deck::Slide;

use self::draw::{Frame, Style};
use self::keys::Action;
use self::notes::SpeakerNotes;
use super::selection::{Item, Selection};
use crate::edit::{Edit, ops};
use crate::model::idea::{IdeaKind, IdeaRef};
use crate::model::{JourneyMap, StageId};

pub struct Presentation {
    /// Position in `deck::slides`.
    slide: usize,
    black: bool,
    notes: SpeakerNotes,
    /// Keys pressed in the notes window, for the next frame.
    from_notes: Vec<Action>,
    capture: Option<Capture>,
    /// The idea + and − vote on.
    picked: Option<IdeaRef>,
    /// The ideas numbered 1–9 on the slide last drawn, and its position.
    numbered: (usize, Vec<IdeaRef>),
    /// Ideas typed in during this presentation, for the last slide.
    captured: Vec<IdeaRef>,
    /// The stage slide shown last, selected on leaving.
    last_stage: Option<usize>,
    /// A word to the presenter at the foot of the slide.
    message: Option<String>,
}

/// An idea being typed on a stage slide.
struct Capture {
    stage: StageId,
    kind: IdeaKind,
    text: String,
    fresh: bool,
    focus: bool,
}

/// What the presenter's keys ask of the app.
enum Request {
    Leave,
    Edit(&'static str, Edit),
    Captured(StageId),
    Undo,
    Redo,
}

impl Presentation {
    pub fn start() -> Presentation {
        Presentation {
            slide: 0,
            black: false,
            notes: SpeakerNotes::new(),
            from_notes: Vec::new(),
            capture: None,
            picked: None,
            numbered: (0, Vec::new()),
            captured: Vec::new(),
            last_stage: None,
            message: None,
        }
    }

    /// The slide on show.
    pub fn slide(&self, map: &JourneyMap) -> Slide {
        let slides = deck::slides(map);
        slides[self.slide.min(slides.len() - 1)]
    }

    pub fn is_black(&self) -> bool {
        self.black
    }

    pub fn notes_open(&self) -> bool {
        self.notes.open
    }

    fn go(&mut self, map: &JourneyMap, to: usize) {
        let to = to.min(deck::slides(map).len() - 1);
        if to != self.slide {
            self.picked = None;
        }
        self.slide = to;
        self.black = false;
    }

    /// Enter adds the idea being typed, Esc drops it; taken before the
    /// field sees them.
    fn capture_keys(&mut self, ctx: &egui::Context, map: &JourneyMap, requests: &mut Vec<Request>) {
        let Some(capture) = &self.capture else { return };
        let key = |k| ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, k));
        let done = key(Key::Escape)
            || key(Key::Enter) && {
                if let Some(edit) = ops::capture(map, capture.stage, capture.kind, &capture.text) {
                    requests.push(Request::Edit(label(capture.kind), edit));
                    requests.push(Request::Captured(capture.stage));
                }
                true
            };
        if done {
            // The slide's keys work again at once.
            ctx.memory_mut(|m| m.surrender_focus(capture_id()));
            self.capture = None;
        }
    }

    fn act(&mut self, ctx: &egui::Context, map: &JourneyMap, action: Action, requests: &mut Vec<Request>) {
        let slide = self.slide(map);
        let last = deck::slides(map).len() - 1;
        self.message = None;
        match action {
            Action::Next => self.go(map, self.slide + 1),
            Action::Previous => self.go(map, self.slide.saturating_sub(1)),
            Action::First => self.go(map, 0),
            Action::Last => self.go(map, last),
            Action::Overview => self.go(map, last - 1),
            Action::Black => self.black = !self.black,
            Action::Notes => {
                if let Err(why) = self.notes.toggle(ctx) {
                    self.message = Some(why);
                }
            }
            Action::Leave => requests.push(Request::Leave),
            Action::Capture(kind) => match slide {
                Slide::Stage(i) => {
                    self.black = false;
                    self.capture = Some(Capture {
                        stage: map.stages[i].id,
                        kind,
                        text: String::new(),
                        fresh: true,
                        focus: true,
                    });
                }
                _ => self.message = Some("Ideas are added on a stage's slide".to_owned()),
            },
            Action::Pick(n) => match self.numbered.1.get(n - 1).filter(|_| self.numbered.0 == self.slide) {
                Some(target) => self.picked = Some(*target),
                None => self.message = Some(format!("There is no idea {n} on this slide")),
            },
            Action::Vote(delta) => match self.picked.and_then(|t| ops::vote(map, t, delta)) {
                Some(edit) => requests.push(Request::Edit(if delta > 0 { "Vote" } else { "Take back a vote" }, edit)),
                None if self.picked.is_none() => {
                    self.message = Some("Pick an idea first: press its number, 1–9".to_owned());
                }
                None => {}
            },
            Action::Undo => requests.push(Request::Undo),
            Action::Redo => requests.push(Request::Redo),
        }
    }

    /// What the speaker notes say for the slide on show.
    fn notes_content(&self, map: &JourneyMap) -> notes::Content {
        let slides = deck::slides(map);
        let slide = self.slide(map);
        let notes = match slide {
            Slide::Stage(i) => map.stages[i]
                .notes
                .iter()
                .filter(|n| n.kind == IdeaKind::Note)
                .map(|n| n.text.clone())
                .collect(),
            Slide::Title => map
                .personas
                .iter()
                .map(|p| format!("{}: {}", p.name, p.description))
                .collect(),
            Slide::Overview | Slide::Decided => Vec::new(),
        };
        notes::Content {
            title: slide.title(map),
            notes,
            next: slides.get(self.slide + 1).map(|s| s.title(map)),
            position: format!("{} / {}", self.slide.min(slides.len() - 1) + 1, slides.len()),
        }
    }
}

fn label(kind: IdeaKind) -> &'static str {
    match kind {
        IdeaKind::PainPoint => "Capture pain point",
        IdeaKind::Opportunity => "Capture opportunity",
        IdeaKind::Note => "Capture note",
    }
}

/// Darkens everything but a circle around the pointer.
pub fn spotlight(painter: &egui::Painter, canvas: Rect, center: Pos2) {
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

/// The slide number and the keys, or a word to the presenter, at the foot.
fn footer(ui: &mut egui::Ui, f: &Frame, p: &Presentation, count: usize) {
    let y = f.rect.bottom() - f.u(44.0);
    let left = f.rect.left() + f.u(56.0);
    let right = f.rect.right() - f.u(56.0);
    let number = format!("{} / {}", p.slide.min(count - 1) + 1, count);
    let g = draw::galley(ui, f, &number, f.u(200.0), Style::new(20.0, draw::MUTED));
    let r = draw::put(ui, Pos2::new(right - g.size().x, y), g);
    let (text, color) = match &p.message {
        Some(m) => (m.as_str(), draw::NOTE),
        None => (keys::HELP, draw::MUTED.gamma_multiply(0.8)),
    };
    draw::text(
        ui,
        f,
        Pos2::new(left, y),
        r.left() - left - f.u(24.0),
        text,
        Style::new(18.0, color),
    );
}

fn capture_id() -> egui::Id {
    egui::Id::unique("present-capture")
}

/// The field the room's idea is typed into, at the foot of the slide.
fn capture_field(ui: &mut egui::Ui, f: &Frame, capture: &mut Capture, stage: &str) {
    let content = f.content();
    let rect = Rect::from_min_max(Pos2::new(content.left(), content.bottom() - f.u(120.0)), content.max);
    let color = ideas::color(capture.kind);
    ui.painter().rect_filled(rect, f.u(14.0), draw::PANEL);
    ui.painter().rect_stroke(
        rect,
        f.u(14.0),
        egui::Stroke::new(f.u(3.0), color),
        egui::StrokeKind::Inside,
    );
    let inner = rect.shrink2(Vec2::new(f.u(24.0), f.u(14.0)));
    let heading = format!(
        "New {} for “{}” — Enter adds it, Esc cancels",
        capture.kind.label().to_lowercase(),
        stage
    );
    let r = draw::text(ui, f, inner.min, inner.width(), &heading, Style::new(26.0, color));
    let field = Rect::from_min_max(Pos2::new(inner.left(), r.bottom() + f.u(6.0)), inner.max);
    let id = capture_id();
    let edit = egui::TextEdit::singleline(&mut capture.text)
        .id(id)
        .font(egui::FontId::proportional(f.u(30.0)))
        .text_color(draw::TEXT)
        .background_color(draw::CARD)
        .hint_text(capture.kind.label())
        .desired_width(field.width());
    // Not on the frame the key that opened it came in: its letter would
    // be the idea's first.
    if capture.fresh {
        capture.fresh = false;
        return;
    }
    ui.put(field, edit);
    if capture.focus {
        ui.memory_mut(|m| m.request_focus(id));
        capture.focus = false;
    }
}

impl super::app::JourneyApp {
    /// The presentation on, if any.
    pub fn presentation(&self) -> Option<&Presentation> {
        self.present.as_ref()
    }

    pub(super) fn start_presenting(&mut self, ctx: &egui::Context) {
        self.finish_rename();
        self.present = Some(Presentation::start());
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    /// Back to the editor with the stage shown last selected and in view.
    fn stop_presenting(&mut self, ctx: &egui::Context) {
        let shown = self.present.take().and_then(|p| p.last_stage);
        if let Some(stage) = shown.and_then(|i| self.doc.as_ref()?.map().stages.get(i).map(|s| s.id)) {
            self.selection = Selection::only(Item::Stage(stage));
            self.reveal = Some(Item::Stage(stage));
        }
        self.canvas.focus_stage = None;
        self.canvas.spotlight = false;
        self.fit_pending = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
    }

    /// The presenter's frame: keys, then the edits they ask for, then the
    /// slide, then the speaker notes window.
    pub(super) fn present(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        let mut requests = Vec::new();
        {
            let (Some(doc), Some(p)) = (&self.doc, &mut self.present) else {
                return;
            };
            let map = doc.map();
            p.capture_keys(ctx, map, &mut requests);
            let mut actions = std::mem::take(&mut p.from_notes);
            if p.capture.is_none() && !ctx.text_edit_focused() {
                actions.extend(keys::pressed(ctx));
            }
            for action in actions {
                p.act(ctx, map, action, &mut requests);
            }
        }
        for request in requests {
            match request {
                Request::Leave => {
                    self.stop_presenting(ctx);
                    return;
                }
                Request::Edit(label, edit) => self.apply(label, None, edit),
                Request::Captured(stage) => {
                    let note = self
                        .doc
                        .as_ref()
                        .and_then(|d| d.map().stage(stage)?.notes.last().map(|n| n.id));
                    // What the room just raised is picked, ready for its votes.
                    if let (Some(note), Some(p)) = (note, &mut self.present) {
                        let target = IdeaRef::Note { stage, note };
                        p.captured.push(target);
                        p.picked = Some(target);
                    }
                }
                Request::Undo => self.undo(),
                Request::Redo => self.redo(),
            }
        }
        let (Some(doc), Some(p)) = (&self.doc, &mut self.present) else {
            return;
        };
        let map = doc.map();
        let slide = p.slide(map);
        if let Slide::Stage(i) = slide {
            p.last_stage = Some(i);
        }
        let measured = match &self.measured {
            Some((_, Some(m))) => Some(m),
            _ => None,
        };
        let data = stage::Data {
            comparison: self.data.comparison(),
            measured,
        };
        let count = deck::slides(map).len();
        let background = if p.black { Color32::BLACK } else { draw::BACKGROUND };
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE.fill(background))
            .show(ui, |ui| {
                if p.black {
                    return;
                }
                let f = Frame::new(ui.max_rect());
                let (numbered, clicked) = match slide {
                    Slide::Title => {
                        title::show(ui, &f, map);
                        (Vec::new(), None)
                    }
                    Slide::Stage(i) => stage::show(ui, &f, map, i, &data, p.picked, &p.captured),
                    Slide::Overview => {
                        overview::show(ui, &f, map);
                        (Vec::new(), None)
                    }
                    Slide::Decided => decided::show(ui, &f, map, &p.captured, p.picked),
                };
                p.numbered = (p.slide, numbered);
                if clicked.is_some() {
                    p.picked = clicked;
                }
                footer(ui, &f, p, count);
                if let (Some(capture), Slide::Stage(i)) = (&mut p.capture, slide) {
                    capture_field(ui, &f, capture, &map.stages[i].name);
                }
                let spot = p.capture.is_none() && ui.input(|i| i.key_down(Key::L));
                if let Some(pointer) = ui.input(|i| i.pointer.hover_pos()).filter(|_| spot) {
                    spotlight(ui.painter(), f.rect, pointer);
                    ui.ctx().request_repaint();
                }
            });
        let content = p.notes_content(map);
        p.from_notes = p.notes.show(ctx, content);
    }
}
