//! What the UI tests share: a stand-in for the native dialogs, scratch
//! folders, the app in a headless window, and typing as a keyboard types.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use journeymap::model::JourneyMap;
use journeymap::ui::{Config, Document, FilePicker, JourneyApp};

/// Stands in for the native dialogs: answers with whatever the test put in,
/// or, with `no_dialog`, says no dialog could be shown (no portal, no zenity).
#[derive(Clone, Default)]
pub struct Picker {
    pub save: Arc<Mutex<Option<PathBuf>>>,
    pub open: Arc<Mutex<Option<PathBuf>>>,
    pub csv: Arc<Mutex<Option<PathBuf>>>,
    pub export: Arc<Mutex<Option<PathBuf>>>,
    pub no_dialog: bool,
}

impl FilePicker for Picker {
    fn open_map(&mut self) -> Option<PathBuf> {
        self.open.lock().unwrap().clone()
    }
    fn save_map(&mut self, _: &str) -> Option<PathBuf> {
        self.save.lock().unwrap().clone()
    }
    fn open_csv(&mut self) -> Option<PathBuf> {
        self.csv.lock().unwrap().clone()
    }
    fn save_export(&mut self, _: &str, _: &str) -> Option<PathBuf> {
        self.export.lock().unwrap().clone()
    }
    fn unavailable(&mut self) -> Option<String> {
        self.no_dialog
            .then(|| "No file dialog could be opened: no portal and no zenity.".to_owned())
    }
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-ui-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn app(doc: Document, picker: Picker, state_dir: PathBuf, autosave_seconds: f64) -> Harness<'static, JourneyApp> {
    let config = Config {
        picker: Box::new(picker),
        state_dir,
        autosave_seconds,
    };
    // Frames a sixtieth of a second apart, as on screen: a double click is
    // two clicks within 0.3 s.
    let mut harness = Harness::builder()
        .with_size([1600.0, 1000.0])
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |cc| JourneyApp::with_config(&cc.egui_ctx, Ok(doc), config));
    harness.run();
    harness
}

pub fn map(harness: &Harness<'static, JourneyApp>) -> JourneyMap {
    harness.state().document().unwrap().map().clone()
}

/// A map from a funnel template, not saved anywhere.
pub fn template(name: &str, title: &str) -> Document {
    let map = journeymap::model::templates::find(name).unwrap().new_map(title);
    Document::new(map, None)
}

fn key_for(c: char) -> Option<Key> {
    let c = c.to_ascii_uppercase();
    match c {
        'A'..='Z' | '0'..='9' => Key::from_name(&c.to_string()),
        ' ' => Some(Key::Space),
        _ => None,
    }
}

/// Types `text` as a real keyboard does: for each character a key press and
/// the typed text, one frame each. (kittest's `type_text` sends the text
/// alone, which would never trigger a single-key shortcut by mistake.)
pub fn type_keys(harness: &mut Harness<'static, JourneyApp>, text: &str) {
    for c in text.chars() {
        let key = key_for(c);
        let modifiers = if c.is_ascii_uppercase() {
            Modifiers::SHIFT
        } else {
            Modifiers::NONE
        };
        if let Some(key) = key {
            harness.event(egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                repeat: false,
                physical_key: None,
            });
        }
        harness.event(egui::Event::Text(c.to_string()));
        if let Some(key) = key {
            harness.event(egui::Event::Key {
                key,
                pressed: false,
                modifiers,
                repeat: false,
                physical_key: None,
            });
        }
        harness.step();
    }
    harness.run();
}

/// Presses a key the way a keyboard does: a key press, and for a letter its
/// text too (pressing T in the real window sends both).
pub fn press(harness: &mut Harness<'static, JourneyApp>, key: Key) {
    harness.key_down(key);
    let name = key.name();
    if name.len() == 1 {
        harness.event(egui::Event::Text(name.to_lowercase()));
    }
    harness.key_up(key);
    harness.run();
}

/// Steps the app until the export it is writing on its worker is done.
pub fn wait_for_export(harness: &mut Harness<'static, JourneyApp>) {
    // Generous: a debug build on a busy two-core machine is slow.
    for _ in 0..6000 {
        if !harness.state().exporting() {
            harness.run();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    panic!("the export did not finish in 60 s");
}
