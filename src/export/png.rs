//! PNG: the scene rasterized (see `raster`) at a scale, opaque RGB, with the
//! bundled fonts only, so the same map gives the same pixels everywhere.
//! Rows are encoded as they are rendered.

use std::io::Write;

use super::ExportError;
use super::raster;
use super::scene;
use crate::layout::{Layout, style};
use crate::model::JourneyMap;

/// Pixel size of a `width` × `height` drawing at `scale`.
pub fn pixel_size(width: f32, height: f32, scale: f32) -> (u32, u32) {
    let px = |v: f32| (f64::from(v) * f64::from(scale)).ceil().max(1.0) as u32;
    (px(width), px(height))
}

/// Most pixels a PNG export makes (about 1.8 GB of memory at 3 bytes each).
pub const MAX_PIXELS: u64 = 600_000_000;

/// The map alone as a PNG of exactly `pixel_size(layout width, layout height, scale)`.
pub fn to_png(map: &JourneyMap, layout: &Layout, scale: f32) -> Result<Vec<u8>, ExportError> {
    scene_png(&scene::build(map, layout), scale)
}

/// `scene` as a PNG of exactly `pixel_size(scene width, scene height, scale)`.
pub(crate) fn scene_png(scene: &scene::Scene, scale: f32) -> Result<Vec<u8>, ExportError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(ExportError::Options(format!(
            "the scale must be a positive number, not {scale}"
        )));
    }
    let (w, h) = pixel_size(scene.size.0, scene.size.1, scale);
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ExportError::Options(format!(
            "a PNG of {w} × {h} pixels is too large; use a smaller --scale, fewer --lanes, or SVG or PDF"
        )));
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Big pictures favour speed; small ones, a small file for chat.
    let big = u64::from(w) * u64::from(h) > 30_000_000;
    if big {
        encoder.set_deflate_compression(png::DeflateCompression::Level(1));
        encoder.set_filter(png::Filter::Sub);
    } else {
        encoder.set_compression(png::Compression::Balanced);
        encoder.set_filter(png::Filter::Adaptive);
    }
    let err = |e: std::io::Error| ExportError::Render(format!("PNG encoding failed: {e}"));
    let mut writer = encoder
        .write_header()
        .map_err(|e| ExportError::Render(format!("PNG encoding failed: {e}")))?;
    let mut stream = writer.stream_writer().map_err(|e| err(e.into()))?;
    raster::render_rows(scene, scale, (w, h), style::CANVAS, |rows| stream.write_all(rows)).map_err(err)?;
    stream.finish().map_err(|e| err(e.into()))?;
    drop(writer);
    Ok(out)
}
