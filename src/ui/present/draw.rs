//! Drawing in slide units: a slide is laid out for a 1440 × 900 screen and
//! scaled to the one it is shown on, so type stays big on any projector.
//! Every text is a label (readable by screen readers and tests), wrapped to
//! its box and cut with "…" rather than running off the slide.

use eframe::egui::{self, Color32, FontId, Pos2, Rect, Vec2, text::LayoutJob};

use super::super::fonts;

/// The size a slide is designed at.
pub const DESIGN: Vec2 = Vec2::new(1440.0, 900.0);

pub const BACKGROUND: Color32 = Color32::from_rgb(0x12, 0x15, 0x1c);
pub const PANEL: Color32 = Color32::from_rgb(0x1c, 0x21, 0x2b);
pub const CARD: Color32 = Color32::from_rgb(0x27, 0x2e, 0x3b);
pub const TEXT: Color32 = Color32::from_rgb(0xf4, 0xf5, 0xf7);
pub const MUTED: Color32 = Color32::from_rgb(0xae, 0xb6, 0xc4);
pub const PAIN: Color32 = Color32::from_rgb(0xff, 0x86, 0x86);
pub const OPPORTUNITY: Color32 = Color32::from_rgb(0x72, 0xe0, 0x9e);
pub const NOTE: Color32 = Color32::from_rgb(0xff, 0xd8, 0x66);
pub const DOT: Color32 = Color32::from_rgb(0xff, 0xc4, 0x3a);
pub const PICKED: Color32 = Color32::from_rgb(0x6c, 0xb4, 0xff);

/// The slide's area on screen and its scale.
#[derive(Clone, Copy)]
pub struct Frame {
    pub rect: Rect,
    pub scale: f32,
}

impl Frame {
    pub fn new(rect: Rect) -> Frame {
        let scale = (rect.width() / DESIGN.x).min(rect.height() / DESIGN.y).max(0.1);
        Frame { rect, scale }
    }

    /// Slide units to screen points.
    pub fn u(&self, units: f32) -> f32 {
        units * self.scale
    }

    /// The slide inside its margins.
    pub fn content(&self) -> Rect {
        // The foot is kept for the slide number and the keys.
        Rect::from_min_max(
            self.rect.min + Vec2::new(self.u(56.0), self.u(40.0)),
            self.rect.max - Vec2::new(self.u(56.0), self.u(72.0)),
        )
    }
}

/// How a text is set.
#[derive(Clone, Copy)]
pub struct Style {
    /// In slide units.
    pub size: f32,
    pub color: Color32,
    pub bold: bool,
    pub rows: usize,
}

impl Style {
    pub const fn new(size: f32, color: Color32) -> Style {
        Style {
            size,
            color,
            bold: false,
            rows: 1,
        }
    }

    pub const fn bold(self) -> Style {
        Style { bold: true, ..self }
    }

    pub const fn rows(self, rows: usize) -> Style {
        Style { rows, ..self }
    }
}

/// Lays out `text` no wider than `width` and in at most `style.rows` rows.
pub fn galley(ui: &egui::Ui, f: &Frame, text: &str, width: f32, style: Style) -> std::sync::Arc<egui::Galley> {
    let family = if style.bold {
        fonts::bold()
    } else {
        egui::FontFamily::Proportional
    };
    let mut job = LayoutJob::simple(
        text.to_owned(),
        FontId::new(f.u(style.size), family),
        style.color,
        width.max(1.0),
    );
    job.wrap.max_rows = style.rows.max(1);
    job.wrap.overflow_character = Some('…');
    ui.painter().layout_job(job)
}

/// Sets `text` at `pos` and returns the area it took.
pub fn text(ui: &mut egui::Ui, f: &Frame, pos: Pos2, width: f32, text: &str, style: Style) -> Rect {
    let galley = galley(ui, f, text, width, style);
    put(ui, pos, galley)
}

/// Paints a laid-out text at `pos`, named for screen readers. Not a
/// `Label`: that would pop up the whole of a cut text under the pointer,
/// over the slide.
pub fn put(ui: &mut egui::Ui, pos: Pos2, galley: std::sync::Arc<egui::Galley>) -> Rect {
    let rect = Rect::from_min_size(pos, galley.size());
    let response = ui.allocate_rect(rect, egui::Sense::hover());
    let text = galley.text().to_owned();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
    ui.painter().galley(pos, galley, TEXT);
    rect
}

/// A rounded coloured tag with `label` on it, its text dark or light
/// against the fill.
pub fn chip(ui: &mut egui::Ui, f: &Frame, pos: Pos2, label: &str, size: f32, fill: Color32) -> Rect {
    let ink = if luminance(fill) > 0.55 {
        Color32::from_rgb(0x14, 0x16, 0x1a)
    } else {
        Color32::WHITE
    };
    let pad = Vec2::new(f.u(size * 0.6), f.u(size * 0.22));
    let galley = galley(ui, f, label, f.u(520.0), Style::new(size, ink).bold());
    let rect = Rect::from_min_size(pos, galley.size() + pad * 2.0);
    ui.painter().rect_filled(rect, rect.height() / 2.0, fill);
    put(ui, pos + pad, galley);
    rect
}

fn luminance(c: Color32) -> f32 {
    (0.299 * c.r() as f32 + 0.587 * c.g() as f32 + 0.114 * c.b() as f32) / 255.0
}

/// A row of dot votes, as stickers on a wall, and their count; the area taken.
pub fn dots(ui: &mut egui::Ui, f: &Frame, pos: Pos2, votes: u32, size: f32) -> Rect {
    let r = f.u(size * 0.26);
    let step = r * 2.6;
    let shown = votes.min(10);
    let center_y = pos.y + f.u(size * 0.62);
    for i in 0..shown {
        let c = Pos2::new(pos.x + r + i as f32 * step, center_y);
        ui.painter().circle_filled(c, r, DOT);
    }
    let x = pos.x + shown as f32 * step + if shown > 0 { r * 0.6 } else { 0.0 };
    let count = if votes == 1 {
        "1 vote".to_owned()
    } else {
        format!("{votes} votes")
    };
    let style = Style::new(size, if votes > 0 { DOT } else { MUTED });
    let label = text(ui, f, Pos2::new(x, pos.y), f.u(200.0), &count, style);
    Rect::from_min_max(pos, label.max)
}
