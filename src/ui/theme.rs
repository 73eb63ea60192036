//! The canvas's colours as egui colours. The palette itself lives in
//! `layout::style`, shared with the exporters, so a map reads the same on
//! screen and on paper.

use eframe::egui::Color32;

use crate::layout::style;
use crate::model::Rgb;

const fn c(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb.0, rgb.1, rgb.2)
}

pub const CANVAS: Color32 = c(style::CANVAS);
pub const LANE_LABEL: Color32 = c(style::LANE_LABEL);
pub const INK: Color32 = c(style::INK);
pub const MUTED: Color32 = c(style::MUTED);
pub const CARD: Color32 = c(style::CARD);
pub const LINK: Color32 = c(style::LINK);
pub const LOOP_BACK: Color32 = c(style::LOOP_BACK);
pub const PAIN: Color32 = c(style::PAIN);
pub const OPPORTUNITY: Color32 = c(style::OPPORTUNITY);
pub const SELECTION: Color32 = c(style::SELECTION);
pub const ONLINE: Color32 = c(style::ONLINE);

/// Paths the data shows and the map lacks.
pub const MISSING: Color32 = c(style::MISSING);

pub fn rgb(c: Rgb) -> Color32 {
    Color32::from_rgb(c.0, c.1, c.2)
}

/// Red for -2 through grey to green for +2.
pub fn emotion(score: i8) -> Color32 {
    c(style::emotion(score))
}
