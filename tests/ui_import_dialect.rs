//! The import dialog on a file saved by a Polish Excel: it shows how the
//! file was read (Windows-1250, semicolons, decimal commas), the preview
//! shows the Polish letters, and changing the delimiter reads it again.
//! A known export's header suggests its preset, which maps the columns.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{Picker, scratch};
use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use journeymap::model::{JourneyMap, format};
use journeymap::ui::data::DataPanel;

struct State {
    panel: DataPanel,
    picker: Picker,
    map: JourneyMap,
}

fn shows(harness: &Harness<'static, State>, text: &str) -> bool {
    harness.query_by_label_contains(text).is_some()
}

fn wait_for(harness: &mut Harness<'static, State>, what: &str, done: impl Fn(&Harness<'static, State>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(harness) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
}

/// What the picker named `name` shows.
fn picked(harness: &Harness<'static, State>, name: &str) -> String {
    let node = harness.get_by_role_and_label(Role::ComboBox, name);
    node.accesskit_node().value().unwrap_or_default().to_owned()
}

/// The Data view of a new map with `csv` chosen in the import dialog.
fn dialog(dir: &Path, csv: &Path) -> Harness<'static, State> {
    dialog_sized(dir, csv, [1400.0, 2400.0])
}

fn dialog_sized(dir: &Path, csv: &Path, size: [f32; 2]) -> Harness<'static, State> {
    let picker = Picker::default();
    *picker.csv.lock().unwrap() = Some(csv.to_path_buf());
    let mut panel = DataPanel::new();
    panel.set_database(Some(dir.join("data.sqlite")));
    let map = format::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps/b2b_saas_inbound.ron")).unwrap();
    let mut harness = Harness::builder()
        .with_size(size)
        .with_theme(egui::Theme::Light)
        .with_context_setup(journeymap::ui::install_fonts)
        .build_ui_state(
            |ui, s: &mut State| {
                s.panel.show(ui, &s.map, 1, &mut s.picker);
            },
            State { panel, picker, map },
        );
    wait_for(&mut harness, "the empty state", |h| shows(h, "Import events…"));
    harness.get_by_label("Import events…").click();
    harness.run();
    harness
}

const POLISH: &str = "Klient;Data;Zdarzenie;Kanał;Koszt\r\n\
                      anna.wiśniewska;2024-05-01 09:15;wizyta;wyszukiwarka;12,50\r\n\
                      józef.żółć;2024-05-01 12:00;zakup;reklama;1 234,50\r\n";

#[test]
fn the_dialog_shows_the_detected_dialect_and_reads_again_when_it_changes() {
    let dir = scratch("dialect-dialog");
    let csv = dir.join("eksport.csv");
    let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(POLISH);
    std::fs::write(&csv, &bytes).unwrap();
    let mut harness = dialog(&dir, &csv);
    // What was detected, in the pickers and in words.
    harness.get_by_label_contains("Read as windows-1250, semicolon-separated, decimal commas");
    assert_eq!(picked(&harness, "Encoding"), "windows-1250 (detected)");
    assert_eq!(picked(&harness, "Delimiter"), "semicolon (detected)");
    assert_eq!(picked(&harness, "Decimal mark"), "comma (12,50) (detected)");
    // The preview: the header split at semicolons, Polish letters right.
    for text in ["Kanał", "anna.wiśniewska", "józef.żółć", "1 234,50"] {
        harness.get_by_label(text);
    }
    assert!(!shows(&harness, "\u{FFFD}"), "no replacement characters");

    // Split at commas instead: the header is one column, read again at once.
    harness.get_by_role_and_label(Role::ComboBox, "Delimiter").click();
    harness.run();
    harness.get_by_label("comma").click();
    harness.run();
    harness.get_by_label("Klient;Data;Zdarzenie;Kanał;Koszt");
    assert!(harness.query_by_label("Kanał").is_none());
    harness.get_by_label_contains("Read as windows-1250, comma-separated");
    assert_eq!(picked(&harness, "Delimiter"), "comma");

    // Back to detection: five columns again.
    harness.get_by_role_and_label(Role::ComboBox, "Delimiter").click();
    harness.run();
    harness.get_by_label("detect").click();
    harness.run();
    harness.get_by_label("Kanał");
    assert_eq!(picked(&harness, "Delimiter"), "semicolon (detected)");
}

#[test]
fn an_ambiguous_encoding_lists_the_readings_until_one_is_chosen() {
    let dir = scratch("dialect-ambiguous");
    let csv = dir.join("e.csv");
    // "très" in Windows-1252, which Windows-1250 reads as "trčs".
    std::fs::write(&csv, b"person_id,timestamp,event\ntr\xE8s,2024-05-01,visit\n").unwrap();
    let mut harness = dialog(&dir, &csv);
    harness.get_by_label_contains("which encoding it is cannot be told for sure");
    harness.get_by_label_contains("windows-1252: très");
    harness.get_by_label_contains("windows-1250: trčs");
    assert!(harness.query_by_label("Import").is_none(), "nothing to import yet");

    harness.get_by_role_and_label(Role::ComboBox, "Encoding").click();
    harness.run();
    harness.get_by_label("windows-1252").click();
    harness.run();
    harness.get_by_label("très");
    assert_eq!(picked(&harness, "Encoding"), "windows-1252");
    harness.get_by_label("Import");
}

#[test]
fn a_ga4_export_is_suggested_its_preset_and_imports() {
    let dir = scratch("dialect-ga4");
    let csv = dir.join("ga4.csv");
    std::fs::write(
        &csv,
        "event_date,event_timestamp,event_name,user_pseudo_id,traffic_source.source\n\
         20240501,1714554900000000,page_view,111.222,google\n\
         20240501,1714558500000000,purchase,111.222,google\n",
    )
    .unwrap();
    let mut harness = dialog(&dir, &csv);
    assert_eq!(picked(&harness, "Preset"), "ga4");
    harness.get_by_label("(suggested)");
    assert_eq!(picked(&harness, "Person column"), "user_pseudo_id");
    assert_eq!(picked(&harness, "Time column"), "event_timestamp");
    assert_eq!(picked(&harness, "Channel column"), "traffic_source.source");

    // Without the preset the columns are guessed, and the choice is the user's.
    harness.get_by_role_and_label(Role::ComboBox, "Preset").click();
    harness.run();
    harness.get_by_label("(none)").click();
    harness.run();
    assert_eq!(picked(&harness, "Preset"), "(none)");
    assert!(!shows(&harness, "(suggested)"));
    harness.get_by_role_and_label(Role::ComboBox, "Preset").click();
    harness.run();
    harness.get_by_label("ga4").click();
    harness.run();
    assert_eq!(picked(&harness, "Person column"), "user_pseudo_id");

    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the summary", |h| shows(h, "Imported 2 events"));
}

#[test]
fn on_a_short_screen_the_form_scrolls_and_its_buttons_stay_in_view() {
    let dir = scratch("dialog-short");
    let csv = dir.join("e.csv");
    let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(POLISH);
    std::fs::write(&csv, &bytes).unwrap();
    // A small laptop's screen, less the window's title and the menu.
    let height = 560.0;
    let mut harness = dialog_sized(&dir, &csv, [1200.0, height]);
    // The form is taller than the window: its options lie below the fold...
    let strict = harness.get_by_label("Strict: import nothing if any row is bad").rect();
    assert!(
        strict.bottom() > height,
        "the form fits, so nothing is tested: {strict:?}"
    );
    // ...while the buttons are on screen, below the form's visible part.
    for button in ["Import", "Choose another file…", "Cancel"] {
        let rect = harness.get_by_label(button).rect();
        assert!(
            rect.top() >= 0.0 && rect.bottom() <= height,
            "{button} is off screen: {rect:?}"
        );
    }
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the summary", |h| shows(h, "Imported 2 events"));
}
