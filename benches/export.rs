//! Export time of a large map per format.
//!
//! `cargo bench --bench export [-- TOUCHPOINTS LINKS]`
//! (default 2000 touchpoints over 20 stages, 3000 links). Writes into a
//! temporary directory and prints one line per format.

use std::path::Path;
use std::time::Instant;

use journeymap::export::{self, ExportOptions, Format, Page, bench_map::full_map};
use journeymap::layout::{self, Lane};

fn main() {
    // cargo bench passes --bench; the rest are ours.
    let mut args = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .map(|a| a.parse::<usize>().expect("a number"));
    let touchpoints = args.next().unwrap_or(2000);
    let links = args.next().unwrap_or(3000);
    let map = full_map(touchpoints, links, 42);
    let dir = std::env::temp_dir().join(format!("journeymap-export-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let all = layout::layout(&map, &layout::Options::default());
    println!(
        "map: {} touchpoints, {} stages, {} links; layout {:.0} × {:.0} units",
        map.touchpoints.len(),
        map.stages.len(),
        map.links.len(),
        all.bounds.width(),
        all.bounds.height()
    );
    let default = ExportOptions::default();
    let runs: Vec<(&str, Format, ExportOptions)> = vec![
        ("svg", Format::Svg, default.clone()),
        (
            "svg (fonts not embedded)",
            Format::Svg,
            ExportOptions {
                embed_fonts: false,
                ..default.clone()
            },
        ),
        ("png, scale 1", Format::Png, default.clone()),
        (
            "png, scale 1, lanes touchpoints,emotion",
            Format::Png,
            ExportOptions {
                lanes: vec![Lane::Touchpoints, Lane::Emotion],
                ..default.clone()
            },
        ),
        ("pdf, a4", Format::Pdf, default.clone()),
        (
            "pdf, fit",
            Format::Pdf,
            ExportOptions {
                page: Page::Fit,
                ..default.clone()
            },
        ),
        ("csv", Format::Csv, default.clone()),
        ("md", Format::Markdown, default.clone()),
    ];
    for (name, format, options) in runs {
        let out = dir.join(format!("map.{}", format.extension()));
        let start = Instant::now();
        let result = export::export(&map, &out, format, &options, None);
        let took = start.elapsed();
        match result {
            Ok(()) => println!(
                "{name:<40} {:>8.0} ms {:>12} bytes",
                took.as_secs_f64() * 1000.0,
                size(&out)
            ),
            Err(err) => println!("{name:<40} {:>8.0} ms  failed: {err}", took.as_secs_f64() * 1000.0),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}
