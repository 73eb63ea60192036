//! Exporters: a map as PNG, SVG, PDF, CSV or Markdown, headless (no window,
//! no GPU), for slides, print, spreadsheets and wikis.
//!
//! The pictures (PNG, SVG, PDF) are drawn from `layout::layout`, the same
//! geometry the canvas paints, through one drawing: `scene` lists the shapes
//! the canvas paints (same boxes, colours, type sizes, text), wrapped into
//! lines once; `svg` writes them as SVG, `raster` as pixels for PNG, `pdf`
//! as PDF pages. Only the bundled fonts are used, never system ones. Writing is atomic, and never to
//! the map file: no export format ends in `.ron`.

pub mod bench_map;
pub mod compose;
pub mod csv;
mod fit;
pub mod frame;
mod ideas;
pub mod markdown;
pub mod overlay;
pub mod pdf;
pub mod persona;
pub mod place;
pub mod png;
mod raster;
pub mod scene;
mod subset;
pub mod svg;
pub mod text;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::analysis::Comparison;
use crate::layout::{self, Lane};
use crate::model::JourneyMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
    Pdf,
    Csv,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Png, Format::Svg, Format::Pdf, Format::Csv, Format::Markdown];

    /// The format an output file's extension asks for (any case).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            "pdf" => Some(Format::Pdf),
            "csv" => Some(Format::Csv),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
            Format::Csv => "csv",
            Format::Markdown => "md",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Png => "PNG image",
            Format::Svg => "SVG drawing",
            Format::Pdf => "PDF document",
            Format::Csv => "CSV table",
            Format::Markdown => "Markdown report",
        }
    }
}

/// How PDF pages are cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Page {
    /// A4 landscape, the map split across pages.
    #[default]
    A4,
    /// A3 landscape, the map split across pages.
    A3,
    /// One page the size of the map.
    Fit,
    /// One large page (up to A0) with the title block and legend: a poster.
    Poster,
}

impl Page {
    pub fn from_key(key: &str) -> Option<Page> {
        match key.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Page::A4),
            "a3" => Some(Page::A3),
            "fit" => Some(Page::Fit),
            "poster" => Some(Page::Poster),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    /// PNG pixels per map unit (2 = twice as many pixels each way).
    pub scale: f32,
    /// Lanes the pictures show (PNG, SVG, PDF), in any order.
    pub lanes: Vec<Lane>,
    pub page: Page,
    /// SVG only: carry the fonts inside the file.
    pub embed_fonts: bool,
    /// SVG only: text as text, or as the glyphs' outlines.
    pub svg_text: svg::SvgText,
    /// Where the data drawn on the map came from, for the title block.
    pub data: Option<frame::DataSource>,
    /// Markdown only: credit for conversions by channel, under each model.
    pub attribution: Option<crate::analysis::AttributionTable>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            scale: 1.0,
            lanes: Lane::ALL.to_vec(),
            page: Page::A4,
            embed_fonts: true,
            svg_text: svg::SvgText::Text,
            data: None,
            attribution: None,
        }
    }
}

/// Parses `--lanes does,thinks,...` (keys of `Lane::key`).
pub fn parse_lanes(list: &str) -> Result<Vec<Lane>, ExportError> {
    let mut lanes = Vec::new();
    for key in list.split(',').map(str::trim).filter(|k| !k.is_empty()) {
        match Lane::from_key(key) {
            Some(lane) if !lanes.contains(&lane) => lanes.push(lane),
            Some(_) => {}
            None => {
                let known: Vec<&str> = Lane::ALL.iter().map(|l| l.key()).collect();
                return Err(ExportError::Options(format!(
                    "unknown lane {key:?}; lanes are {}",
                    known.join(", ")
                )));
            }
        }
    }
    if lanes.is_empty() {
        return Err(ExportError::Options("--lanes needs at least one lane".into()));
    }
    Ok(lanes)
}

#[derive(Debug)]
pub enum ExportError {
    /// The output's extension names no format.
    UnknownFormat(PathBuf),
    /// Options that cannot be honoured (scale, lanes, a picture too large).
    Options(String),
    /// Drawing or encoding failed.
    Render(String),
    /// Writing the output failed.
    Write { path: PathBuf, source: std::io::Error },
    /// An error from making the output, for that output file.
    For { path: PathBuf, error: Box<ExportError> },
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::UnknownFormat(path) => write!(
                f,
                "{}: cannot tell the format from the extension; use .png, .svg, .pdf, .csv or .md",
                path.display()
            ),
            ExportError::Options(message) | ExportError::Render(message) => f.write_str(message),
            ExportError::Write { path, source } => write!(f, "{}: cannot write: {source}", path.display()),
            ExportError::For { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExportError::Write { source, .. } => Some(source),
            ExportError::For { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }
}

/// The bytes of `map` in `format`. `comparison` adds the data section to
/// Markdown; the other formats do not use it.
pub fn render(
    map: &JourneyMap,
    format: Format,
    options: &ExportOptions,
    comparison: Option<&Comparison>,
) -> Result<Vec<u8>, ExportError> {
    // Pictures are deliverables: cards and lanes grow so no text is cut,
    // and the map comes with its title block and legend.
    let layout = || {
        layout::layout(
            map,
            &layout::Options {
                lanes: options.lanes.clone(),
                fit: Some(fit::measure(map, &options.lanes)),
            },
        )
    };
    let data = options.data.as_ref();
    match format {
        Format::Svg => {
            let svg_options = svg::SvgOptions {
                embed_fonts: options.embed_fonts,
                text: options.svg_text,
            };
            let page = compose::compose(map, &layout(), comparison, data);
            Ok(svg::scene_svg(&page, &map.title, &svg_options).into_bytes())
        }
        Format::Png => png::scene_png(&compose::compose(map, &layout(), comparison, data), options.scale),
        Format::Pdf => {
            let layout = layout();
            match options.page {
                Page::A4 | Page::A3 => {
                    let body = compose::map_scene(map, &layout, comparison);
                    // A cover reads at a page's width, whatever the map's.
                    let cover = compose::cover(map, comparison, data, 1100.0);
                    pdf::pages(map, &layout, &body, Some(&cover), options.page)
                }
                Page::Fit | Page::Poster => {
                    pdf::single(map, &compose::compose(map, &layout, comparison, data), options.page)
                }
            }
        }
        Format::Csv => csv::to_csv(map),
        Format::Markdown => {
            let mut report = markdown::to_markdown(map, comparison);
            if let Some(table) = &options.attribution {
                markdown::attribution_section(&mut report, map, table);
            }
            Ok(report.into_bytes())
        }
    }
}

/// The size, in map units, of the picture `render` draws for PNG, SVG and
/// one-page PDF: the map grown to fit its text, with title block and legend.
pub fn picture_size(map: &JourneyMap, options: &ExportOptions, comparison: Option<&Comparison>) -> (f32, f32) {
    let layout = layout::layout(
        map,
        &layout::Options {
            lanes: options.lanes.clone(),
            fit: Some(fit::measure(map, &options.lanes)),
        },
    );
    compose::compose(map, &layout, comparison, options.data.as_ref()).size
}

/// Writes `map` to `out` in `format`, atomically: a reader of `out` sees the
/// old file or the whole new one.
pub fn export(
    map: &JourneyMap,
    out: &Path,
    format: Format,
    options: &ExportOptions,
    comparison: Option<&Comparison>,
) -> Result<(), ExportError> {
    let bytes = render(map, format, options, comparison).map_err(|error| ExportError::For {
        path: out.to_owned(),
        error: Box::new(error),
    })?;
    crate::atomic::write(out, &bytes, false).map_err(|err| ExportError::Write {
        path: out.to_owned(),
        source: err.source,
    })
}
