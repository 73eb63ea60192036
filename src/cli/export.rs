//! `journeymap export MAP.ron --to OUT.png|OUT.svg|OUT.pdf|OUT.csv|OUT.md
//! [--scale 2] [--lanes a,b,c] [--page a4|a3|fit|poster] [--db DATA.sqlite]
//! [--svg-text text|outlines]`: headless, the format from the output's
//! extension. With `--db`, metrics bound to data show the measured values,
//! and the Markdown report gains a section comparing the map with the data.

use std::path::Path;
use std::process::ExitCode;

use super::source::{open_source, watched};
use crate::analysis;
use crate::export::svg::SvgText;
use crate::export::{self, ExportOptions, Format, Page};
use crate::model::format;

/// Share of a touchpoint's moves an unlinked move must exceed to count as a
/// missing link, as `journeymap compare` uses.
const MISSING_LINK_SHARE: f64 = 0.05;

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("journeymap: {message}");
    ExitCode::FAILURE
}

pub fn run(
    map_path: &Path,
    out: &Path,
    scale: Option<f32>,
    lanes: Option<&str>,
    page: Option<&str>,
    // `--db` and, for a ClickHouse table, its `--columns`.
    db: Option<(&Path, Option<&str>)>,
    svg_text: Option<&str>,
) -> ExitCode {
    let Some(format) = Format::from_path(out) else {
        return fail(export::ExportError::UnknownFormat(out.to_owned()));
    };
    if same_file(map_path, out) {
        return fail(format!("{}: will not write over the map file", out.display()));
    }
    let mut options = ExportOptions::default();
    if let Some(scale) = scale {
        if !(scale.is_finite() && scale > 0.0 && scale <= 16.0) {
            return fail(format!("--scale must be above 0 and at most 16, not {scale}"));
        }
        options.scale = scale;
    }
    if let Some(list) = lanes {
        match export::parse_lanes(list) {
            Ok(lanes) => options.lanes = lanes,
            Err(err) => return fail(err),
        }
    }
    if let Some(key) = page {
        match Page::from_key(key) {
            Some(p) => options.page = p,
            None => return fail(format!("--page must be a4, a3, fit or poster, not {key:?}")),
        }
    }
    if let Some(key) = svg_text {
        match SvgText::from_key(key) {
            Some(text) => options.svg_text = text,
            None => return fail(format!("--svg-text must be text or outlines, not {key:?}")),
        }
    }
    let mut map = match format::load(map_path) {
        Ok(map) => map,
        Err(err) => return fail(err),
    };
    let comparison = match db {
        None => None,
        Some((db, columns)) => {
            let source = match open_source(db, columns) {
                Ok(source) => source,
                Err(err) => return fail(err),
            };
            let log = match watched(&source, |c| source.load_events(c)) {
                Ok(log) => log,
                Err(err) => return fail(err),
            };
            let name = source.short_name();
            options.data = Some(export::frame::DataSource::of(&name, &log));
            options.attribution = analysis::map_attribution(&map, &log);
            let comparison = analysis::compare(&map, &log, MISSING_LINK_SHARE);
            map = analysis::fill_data_metrics(&map, &comparison);
            Some(comparison)
        }
    };
    match export::export(&map, out, format, &options, comparison.as_ref()) {
        Ok(()) => {
            println!("{}: wrote {}", out.display(), format.label());
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

/// Whether `a` and `b` name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
