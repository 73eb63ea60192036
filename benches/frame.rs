//! One frame of the editor on a large generated map: the app's own drawing
//! (canvas, panels) plus tessellation into triangles, as the GPU would get
//! them. Reports the median CPU time per frame at fit to window (on these
//! maps the overview form), zoomed in from there (still the overview, a zoom
//! in between) and at 100% (the full form), for maps of growing size, and
//! what an edit costs before the next frame: the layout of the map and its
//! scene (the shapes the canvas paints), built afresh the first time and
//! again with every text already shaped, and the overview's scene.
//!
//!   cargo bench --bench frame
//!
//! Then the same frames with the data overlay on: a database beside the map
//! with two people per touchpoint, each meeting four touchpoints in a row
//! (every touchpoint met by its own event), analysed before timing.
//!
//! The window is 1600×1000 points. The test harness keeps the accessibility
//! tree on (a screen reader would too), so these figures include building it.

use std::path::Path;
use std::time::{Duration, Instant};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use journeymap::layout::{self, Options};
use journeymap::model::JourneyMap;
use journeymap::model::generate::generated_map;
use journeymap::ui::{Config, Document, JourneyApp};

const FRAMES: usize = 40;

fn median_frame(harness: &mut Harness<'_, JourneyApp>) -> Duration {
    let mut times = Vec::with_capacity(FRAMES);
    for _ in 0..FRAMES {
        let start = Instant::now();
        harness.step();
        let output = harness.output();
        let primitives = harness.ctx.tessellate(output.shapes.clone(), output.pixels_per_point);
        std::hint::black_box(primitives);
        times.push(start.elapsed());
    }
    times.sort();
    times[FRAMES / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// The median frame at fit to window, two steps closer, and at 100%, each
/// with the form and zoom it showed.
fn three_views(mut harness: Harness<'_, JourneyApp>) -> [String; 3] {
    let at = |d: Duration, (form, zoom): (layout::Form, f32)| format!("{} ({form:?} {:.0}%)", ms(d), zoom * 100.0);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    harness.run();
    let fit_view = harness.state().canvas_view();
    let fit = median_frame(&mut harness);
    // Twice 25% closer: a zoom between the overview's fit and 100%.
    for _ in 0..2 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
        harness.run();
    }
    let between_view = harness.state().canvas_view();
    let between = median_frame(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    harness.run();
    let actual_view = harness.state().canvas_view();
    let actual = median_frame(&mut harness);
    [at(fit, fit_view), at(between, between_view), at(actual, actual_view)]
}

/// Gives every touchpoint of `map` its own event and writes `db`: two people
/// per touchpoint, each meeting it and the three after it. Returns the
/// number of events.
fn write_events(map: &mut JourneyMap, db: &Path) -> usize {
    for (i, tp) in map.touchpoints.iter_mut().enumerate() {
        tp.matchers[0].event = format!("tp_{i}");
    }
    let n = map.touchpoints.len();
    let csv = db.with_extension("csv");
    let mut out = String::from("person_id,timestamp,event\n");
    let mut events = 0;
    for p in 0..2 * n {
        for k in 0..4 {
            let minute = k + p % 50;
            out += &format!("p{p},2026-03-02T10:{minute:02}:00Z,tp_{}\n", (p / 2 + k) % n);
            events += 1;
        }
    }
    std::fs::write(&csv, out).unwrap();
    let mut database = journeymap::store::Database::open(db).unwrap();
    let never = std::sync::atomic::AtomicBool::new(false);
    journeymap::store::import_csv(&mut database, &csv, &Default::default(), &mut |_| {}, &never).unwrap();
    events
}

fn main() {
    let state = std::env::temp_dir().join(format!("journeymap-bench-frame-{}", std::process::id()));
    println!(
        "{:>12} {:>8} {:>10} {:>12} {:>12} {:>14} {:>14} {:>14} {:>14}",
        "touchpoints",
        "links",
        "layout",
        "scene, new",
        "scene, edit",
        "overview scene",
        "frame at fit",
        "fit, zoomed in",
        "frame at 100%"
    );
    let mut overlaid = Vec::new();
    for (touchpoints, links) in [(500, 750), (2000, 3000), (8000, 12000)] {
        let map = generated_map(touchpoints, links, 1);
        let start = Instant::now();
        let lay = std::hint::black_box(layout::layout(&map, &Options::default()));
        let layout_time = start.elapsed();
        // The first scene shapes every text; after an edit only the changed
        // ones are shaped again (the rest come from the shaping cache).
        let start = Instant::now();
        std::hint::black_box(journeymap::export::compose::map_scene(&map, &lay, None));
        let scene_new = start.elapsed();
        let start = Instant::now();
        std::hint::black_box(journeymap::export::compose::map_scene(&map, &lay, None));
        let scene_edit = start.elapsed();
        drop(lay);
        let start = Instant::now();
        let overview = layout::compact::layout(&map, &Options::default());
        std::hint::black_box(journeymap::export::scene::compact::build(&map, &overview));
        let overview_time = start.elapsed();

        let doc = Document::new(map.clone(), None);
        let config = Config {
            picker: Box::new(()),
            state_dir: state.clone(),
            autosave_seconds: 3600.0,
        };
        let harness = Harness::builder()
            .with_size([1600.0, 1000.0])
            .build_eframe(move |cc| JourneyApp::with_config(&cc.egui_ctx, Ok(doc), config));
        let [fit, between, actual] = three_views(harness);
        println!(
            "{touchpoints:>12} {links:>8} {:>10} {:>12} {:>12} {:>14} {:>14} {:>14} {:>14}",
            ms(layout_time),
            ms(scene_new),
            ms(scene_edit),
            ms(overview_time),
            fit,
            between,
            actual
        );
        overlaid.push((touchpoints, links, map));
    }
    println!("\nWith the data overlay on:");
    println!(
        "{:>12} {:>8} {:>8} {:>12} {:>14} {:>14} {:>14}",
        "touchpoints", "events", "analysis", "scene", "frame at fit", "fit, zoomed in", "frame at 100%"
    );
    for (touchpoints, _, mut map) in overlaid {
        let dir = state.join(format!("data-{touchpoints}"));
        std::fs::create_dir_all(&dir).unwrap();
        let events = write_events(&mut map, &dir.join("map.sqlite"));
        let lay = layout::layout(&map, &Options::default());
        let log = journeymap::store::load_events(&journeymap::store::Database::open(&dir.join("map.sqlite")).unwrap())
            .unwrap();
        let start = Instant::now();
        let comparison = journeymap::analysis::compare(&map, &log, 0.05);
        let analysis = start.elapsed();
        let start = Instant::now();
        std::hint::black_box(journeymap::export::compose::map_scene(&map, &lay, Some(&comparison)));
        let scene = start.elapsed();
        let doc = Document::new(map, Some(dir.join("map.ron")));
        let config = Config {
            picker: Box::new(()),
            state_dir: state.clone(),
            autosave_seconds: 3600.0,
        };
        let mut harness = Harness::builder()
            .with_size([1600.0, 1000.0])
            .build_eframe(move |cc| JourneyApp::with_config(&cc.egui_ctx, Ok(doc), config));
        let deadline = Instant::now() + Duration::from_secs(600);
        while harness.state().data().comparison().is_none() || harness.state().data().busy() {
            assert!(Instant::now() < deadline, "the data was never analysed");
            std::thread::sleep(Duration::from_millis(10));
            harness.step();
        }
        let [fit, between, actual] = three_views(harness);
        println!(
            "{touchpoints:>12} {events:>8} {:>8} {:>12} {:>14} {:>14} {:>14}",
            ms(analysis),
            ms(scene),
            fit,
            between,
            actual
        );
    }
    let _ = std::fs::remove_dir_all(state);
    let _ = egui::Context::default();
}
