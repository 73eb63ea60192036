//! The desktop app (egui). Everything below this module is UI-free.

mod app;
mod autosave;
mod canvas;
mod clipboard;
mod commands;
pub mod data;
mod dialogs;
mod document;
mod editing;
mod export_job;
mod files;
mod fonts;
mod help;
mod inspector;
mod menus;
mod picker;
mod present;
mod rename;
mod selection;
mod theme;
mod votes;

pub use app::{Config, JourneyApp};
pub use document::{BUNDLED_SAMPLE_NAME, Document};
/// The app's bundled fonts, for headless tests that draw as the app does.
pub use fonts::install as install_fonts;
pub use picker::FilePicker;
pub use present::{Presentation, Slide};
pub use selection::{Item, Selection};

/// Opens the main window on `path`, or on the bundled sample.
pub fn run(path: Option<std::path::PathBuf>) -> eframe::Result {
    let doc = match &path {
        None => Ok(Document::bundled_sample()),
        Some(path) => Document::open(path).map_err(|err| {
            eprintln!("journeymap: {err}");
            (path.clone(), err)
        }),
    };
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("Journeymap")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([640.0, 400.0])
            .with_app_id("journeymap")
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Journeymap",
        options,
        Box::new(move |cc| Ok(Box::new(JourneyApp::new(&cc.egui_ctx, doc)))),
    )
}
