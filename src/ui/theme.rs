//! Colours of the canvas, in one place so the map reads the same everywhere.

use eframe::egui::Color32;

use crate::model::Rgb;

pub const CANVAS: Color32 = Color32::from_rgb(0xf6, 0xf5, 0xf1);
pub const LANE_A: Color32 = Color32::from_rgb(0xfb, 0xfa, 0xf7);
pub const LANE_B: Color32 = Color32::from_rgb(0xf1, 0xef, 0xea);
pub const LANE_LABEL: Color32 = Color32::from_rgb(0x6b, 0x66, 0x5e);
pub const INK: Color32 = Color32::from_rgb(0x24, 0x22, 0x1f);
pub const MUTED: Color32 = Color32::from_rgb(0x6e, 0x6a, 0x63);
pub const CARD: Color32 = Color32::WHITE;
pub const CARD_BORDER: Color32 = Color32::from_rgb(0xd6, 0xd2, 0xca);
pub const HEADER: Color32 = Color32::from_rgb(0xff, 0xff, 0xff);
pub const LINK: Color32 = Color32::from_rgb(0x5a, 0x6f, 0x8f);
pub const LOOP_BACK: Color32 = Color32::from_rgb(0xc2, 0x5b, 0x9b);
pub const PAIN: Color32 = Color32::from_rgb(0xc8, 0x3e, 0x3e);
pub const OPPORTUNITY: Color32 = Color32::from_rgb(0x2f, 0x8f, 0x5b);
pub const NOTE: Color32 = Color32::from_rgb(0xff, 0xef, 0x9e);
pub const OFFLINE: Color32 = Color32::from_rgb(0x8a, 0x6d, 0x3b);
pub const SELECTION: Color32 = Color32::from_rgb(0x2b, 0x6c, 0xe0);
pub const ONLINE: Color32 = Color32::from_rgb(0x2e, 0x7d, 0xb8);

/// Paths the data shows and the map lacks.
pub const MISSING: Color32 = Color32::from_rgb(0xe0, 0x7a, 0x1f);

/// Reach of a touchpoint as a share of the best-reached one: pale teal to
/// deep teal.
pub fn reach(share: f32) -> Color32 {
    let t = share.clamp(0.0, 1.0);
    let lerp = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * t).round() as u8;
    Color32::from_rgb(lerp(0x8f, 0x0f), lerp(0xc9, 0x76), lerp(0xc3, 0x6e))
}

pub fn rgb(c: Rgb) -> Color32 {
    Color32::from_rgb(c.0, c.1, c.2)
}

/// Red for -2 through grey to green for +2.
pub fn emotion(score: i8) -> Color32 {
    match score.clamp(-2, 2) {
        -2 => Color32::from_rgb(0xd1, 0x3c, 0x3c),
        -1 => Color32::from_rgb(0xe8, 0x8a, 0x4a),
        0 => Color32::from_rgb(0x9a, 0x95, 0x8c),
        1 => Color32::from_rgb(0x7c, 0xb3, 0x4f),
        _ => Color32::from_rgb(0x2e, 0x9e, 0x5b),
    }
}
