//! Export speed, measured on `bench_map::full_map` (every lane filled).
//!
//! `cargo bench --bench export` prints:
//! 1. every format at 2,000 touchpoints (20 stages, 3,000 links), made in
//!    memory (layout, scene, encoding), median of 5;
//! 2. the whole `journeymap export MAP.ron --to OUT` process on that map as a
//!    user runs it (start, read and check the map, export, write), median of
//!    5; `JOURNEYMAP_BIN=PATH` times another build of `journeymap` instead;
//! 3. SVG, PDF and PNG at 16k, 32k, 64k and 128k touchpoints (1.5 links
//!    each), with the time per touchpoint: about the same at every size when
//!    exporting is linear. PNG at scale 0.1: at scale 1, maps above about
//!    3,000 touchpoints pass the PNG pixel limit.
//!
//! Beside wall time, CPU time (user + system, all threads; from /proc, so
//! Linux only): on a machine shared with other work it varies much less.
//!
//! `-- TOUCHPOINTS [LINKS]` runs only step 1, at that size.
//! `-- --save MAP.ron [TOUCHPOINTS]` writes the map file and stops, to time
//! the CLI with other tools (`/usr/bin/time -v journeymap export ...`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use journeymap::export::{self, ExportOptions, Format, Page, bench_map::full_map};
use journeymap::layout::{self, Lane};
use journeymap::model::{JourneyMap, format};

const SEED: u64 = 42;
const RUNS: usize = 5;

fn main() {
    // cargo bench passes --bench; the rest are ours.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let number = |i: usize| args.get(i).map(|a| a.parse::<usize>().expect("a number"));
    if args.first().is_some_and(|a| a == "--save") {
        let path = args.get(1).expect("--save needs the map file to write");
        let touchpoints = number(2).unwrap_or(2000);
        let map = full_map(touchpoints, touchpoints * 3 / 2, SEED);
        format::save(&map, Path::new(path)).expect("the map file is written");
        println!("{path}: {touchpoints} touchpoints");
        return;
    }
    let touchpoints = number(0).unwrap_or(2000);
    let links = number(1).unwrap_or(touchpoints * 3 / 2);
    let map = full_map(touchpoints, links, SEED);
    describe(&map);
    formats(&map);
    if !args.is_empty() {
        return;
    }
    process(&map);
    scaling();
}

fn describe(map: &JourneyMap) {
    let all = layout::layout(map, &layout::Options::default());
    println!(
        "map: {} touchpoints, {} stages, {} links; layout {:.0} × {:.0} units",
        map.touchpoints.len(),
        map.stages.len(),
        map.links.len(),
        all.bounds.width(),
        all.bounds.height()
    );
}

fn formats(map: &JourneyMap) {
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
    println!("in memory, median of {RUNS}: wall (min wall), cpu");
    for (name, format, options) in runs {
        let mut samples = Vec::new();
        let mut result = Ok(0);
        for _ in 0..RUNS {
            let start = Sample::now();
            result = export::render(map, format, &options, None).map(|bytes| bytes.len());
            samples.push(start.elapsed());
            if result.is_err() {
                break;
            }
        }
        match result {
            Ok(bytes) => println!("  {name:<40} {} {bytes:>12} bytes", summary(&mut samples)),
            Err(err) => println!("  {name:<40} {}  failed: {err}", summary(&mut samples)),
        }
    }
}

/// The CLI as a user runs it, on the map saved to a file first.
fn process(map: &JourneyMap) {
    let dir = std::env::temp_dir().join(format!("journeymap-export-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let map_file = dir.join("map.ron");
    format::save(map, &map_file).expect("the map file is written");
    let bin = std::env::var_os("JOURNEYMAP_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_journeymap").into());
    println!(
        "whole process, `{} export map.ron --to OUT` ({} touchpoints), median of {RUNS}: wall (min wall), cpu",
        Path::new(&bin).display(),
        map.touchpoints.len()
    );
    for ext in ["png", "svg", "pdf"] {
        let out = dir.join(format!("map.{ext}"));
        let mut samples = Vec::new();
        for _ in 0..RUNS {
            let start = Sample::now();
            let status = Command::new(&bin)
                .arg("export")
                .arg(&map_file)
                .arg("--to")
                .arg(&out)
                .stdout(Stdio::null())
                .status()
                .expect("journeymap runs");
            samples.push(start.elapsed());
            assert!(status.success(), "journeymap export --to {} failed", out.display());
        }
        let bytes = std::fs::metadata(&out).map_or(0, |m| m.len());
        println!("  {ext:<40} {} {bytes:>12} bytes", summary(&mut samples));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// One run per size and format; what matters is the time per touchpoint.
fn scaling() {
    let runs = [
        ("svg", Format::Svg, ExportOptions::default()),
        ("pdf, a4", Format::Pdf, ExportOptions::default()),
        (
            "pdf, fit",
            Format::Pdf,
            ExportOptions {
                page: Page::Fit,
                ..ExportOptions::default()
            },
        ),
        (
            "png, scale 0.1",
            Format::Png,
            ExportOptions {
                scale: 0.1,
                ..ExportOptions::default()
            },
        ),
    ];
    println!("scaling, one run each: wall ms (µs of wall per touchpoint)");
    print!("  {:<12}", "touchpoints");
    for (name, ..) in &runs {
        print!("{name:>20}");
    }
    println!();
    for touchpoints in [16_000, 32_000, 64_000, 128_000] {
        let map = full_map(touchpoints, touchpoints * 3 / 2, SEED);
        print!("  {touchpoints:<12}");
        for (_, format, options) in &runs {
            let start = Instant::now();
            let result = export::render(&map, *format, options, None);
            let took = start.elapsed();
            let per = took.as_secs_f64() * 1e6 / touchpoints as f64;
            match result {
                Ok(_) => print!("{:>20}", format!("{} ({per:.1})", ms(took))),
                Err(err) => print!("  failed: {err}"),
            }
            let _ = std::io::stdout().flush();
        }
        println!();
    }
}

/// Wall time, and CPU time of this process and the children it waited for.
#[derive(Clone, Copy)]
struct Sample {
    wall: Instant,
    cpu: Option<Duration>,
}

struct Took {
    wall: Duration,
    cpu: Option<Duration>,
}

impl Sample {
    fn now() -> Sample {
        Sample {
            wall: Instant::now(),
            cpu: cpu_time(),
        }
    }

    fn elapsed(self) -> Took {
        Took {
            wall: self.wall.elapsed(),
            cpu: self.cpu.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a)),
        }
    }
}

/// User and system time of this process's threads and of its waited-for
/// children, from /proc/self/stat (in clock ticks, 100 a second on Linux).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which may hold spaces: state is
    // the first, utime the 12th, then stime, cutime, cstime.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let ticks: Vec<u64> = rest
        .split(' ')
        .skip(11)
        .take(4)
        .map(|v| v.parse().ok())
        .collect::<Option<_>>()?;
    Some(Duration::from_millis(ticks.iter().sum::<u64>() * 10))
}

fn summary(samples: &mut [Took]) -> String {
    samples.sort_by_key(|s| s.wall);
    let median = &samples[samples.len() / 2];
    let mut cpus: Vec<Duration> = samples.iter().filter_map(|s| s.cpu).collect();
    cpus.sort();
    let cpu = cpus
        .get(cpus.len() / 2)
        .map_or("-".to_owned(), |c| format!("{} ms", ms(*c)));
    format!("{:>7} ms ({:>5} ms) cpu {cpu:>9}", ms(median.wall), ms(samples[0].wall))
}

fn ms(d: Duration) -> String {
    let ms = d.as_millis();
    if ms >= 1000 {
        format!("{},{:03}", ms / 1000, ms % 1000)
    } else {
        ms.to_string()
    }
}
