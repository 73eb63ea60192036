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
//! The window is 1600×1000 points. The test harness keeps the accessibility
//! tree on (a screen reader would too), so these figures include building it.

use std::time::{Duration, Instant};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use journeymap::layout::{self, Options};
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

        let doc = Document::new(map, None);
        let config = Config {
            picker: Box::new(()),
            state_dir: state.clone(),
            autosave_seconds: 3600.0,
        };
        let mut harness = Harness::builder()
            .with_size([1600.0, 1000.0])
            .build_eframe(move |cc| JourneyApp::with_config(&cc.egui_ctx, Ok(doc), config));
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
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
        let at = |d: Duration, (form, zoom): (layout::Form, f32)| format!("{} ({form:?} {:.0}%)", ms(d), zoom * 100.0);
        println!(
            "{touchpoints:>12} {links:>8} {:>10} {:>12} {:>12} {:>14} {:>14} {:>14} {:>14}",
            ms(layout_time),
            ms(scene_new),
            ms(scene_edit),
            ms(overview_time),
            at(fit, fit_view),
            at(between, between_view),
            at(actual, actual_view)
        );
    }
    let _ = std::fs::remove_dir_all(state);
    let _ = egui::Context::default();
}
