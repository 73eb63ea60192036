//! Bundled fonts. egui's defaults have no Vietnamese diacritics (ậ ế ụ ể ổ),
//! so Noto Sans goes first in every family; the defaults stay as fallbacks
//! for symbols and emoji.

use std::sync::Arc;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};

pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// The family for headings and card titles.
pub fn bold() -> FontFamily {
    FontFamily::Name("bold".into())
}

pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts
        .font_data
        .insert("noto-sans".into(), Arc::new(FontData::from_static(REGULAR)));
    fonts
        .font_data
        .insert("noto-sans-bold".into(), Arc::new(FontData::from_static(BOLD)));
    let fallbacks = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts.families.entry(family).or_default().insert(0, "noto-sans".into());
    }
    let mut bold_chain = vec!["noto-sans-bold".to_owned(), "noto-sans".to_owned()];
    bold_chain.extend(fallbacks);
    fonts.families.insert(bold(), bold_chain);
    ctx.set_fonts(fonts);
}
