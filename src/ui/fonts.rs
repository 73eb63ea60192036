//! Bundled fonts. egui's defaults have no Vietnamese diacritics (ậ ế ụ ể ổ),
//! so Noto Sans goes first in every family. Noto Sans lacks arrows and many
//! symbols people type into notes (→ ✓ ★ ⚠), so DejaVu Sans follows it; the
//! egui defaults stay last, for emoji.

use std::sync::Arc;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};

pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
pub const SYMBOLS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The family for headings and card titles.
pub fn bold() -> FontFamily {
    FontFamily::Name("bold".into())
}

pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    for (name, bytes) in [
        ("noto-sans", REGULAR),
        ("noto-sans-bold", BOLD),
        ("dejavu-sans", SYMBOLS),
    ] {
        fonts
            .font_data
            .insert(name.into(), Arc::new(FontData::from_static(bytes)));
    }
    let fallbacks = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let chain = fonts.families.entry(family).or_default();
        chain.insert(0, "noto-sans".into());
        chain.insert(1, "dejavu-sans".into());
    }
    let mut bold_chain = vec![
        "noto-sans-bold".to_owned(),
        "noto-sans".to_owned(),
        "dejavu-sans".to_owned(),
    ];
    bold_chain.extend(fallbacks);
    fonts.families.insert(bold(), bold_chain);
    ctx.set_fonts(fonts);
}
