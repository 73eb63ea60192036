//! PNG: the scene rasterized (see `raster`) at a scale, opaque RGB, with the
//! bundled fonts only, so the same map gives the same pixels everywhere.
//! Rows are encoded as they are rendered, big pictures on every core.

use std::io::Write;

use miniz_oxide::deflate::core::{CompressorOxide, TDEFLFlush, compress_to_output, create_comp_flags_from_zip_params};

use super::ExportError;
use super::raster;
use super::scene::{self, Scene};
use crate::layout::style;

/// Pixel size of a `width` × `height` drawing at `scale`.
pub fn pixel_size(width: f32, height: f32, scale: f32) -> (u32, u32) {
    let px = |v: f32| (f64::from(v) * f64::from(scale)).ceil().max(1.0) as u32;
    (px(width), px(height))
}

/// Most pixels a PNG export makes (about 1.8 GB of memory at 3 bytes each).
pub const MAX_PIXELS: u64 = 600_000_000;

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
    // Big pictures favour speed, small ones a small file for chat.
    let big = u64::from(w) * u64::from(h) > 30_000_000;
    encode(scene, scale, (w, h), big, raster::band_rows(w))
}

fn encode(scene: &Scene, scale: f32, (w, h): (u32, u32), big: bool, band_h: u32) -> Result<Vec<u8>, ExportError> {
    let failed = |e: png::EncodingError| ExportError::Render(format!("PNG encoding failed: {e}"));
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    if big {
        // Each band is filtered and deflated on the core that rendered it;
        // this thread only joins the pieces.
        let mut writer = encoder.write_header().map_err(failed)?;
        let mut idat = Idat::new(&mut writer);
        let stride = w as usize * 3;
        let encode = |rows: &[u8]| encode_band(rows, stride);
        raster::render_bands(scene, scale, (w, h), style::CANVAS, band_h, encode, |piece| {
            idat.push(piece)
        })
        .map_err(failed)?;
        idat.finish().map_err(failed)?;
        writer.finish().map_err(failed)?;
    } else {
        encoder.set_compression(png::Compression::Balanced);
        encoder.set_filter(png::Filter::Adaptive);
        let mut writer = encoder.write_header().map_err(failed)?;
        let mut stream = writer.stream_writer().map_err(failed)?;
        let rows = |rows: &[u8]| rows.to_vec();
        raster::render_bands(scene, scale, (w, h), style::CANVAS, band_h, rows, |rows| {
            stream.write_all(&rows)
        })
        .map_err(|e| failed(e.into()))?;
        stream.finish().map_err(failed)?;
    }
    Ok(out)
}

/// Deflate level of big pictures: the fastest. A map is mostly flat colour,
/// which level 1 still squeezes some 60 times.
const BIG_LEVEL: i32 = 1;

/// One band of rows as a piece of the picture's zlib stream: `Sub`-filtered,
/// deflated on its own (no match reaches into the band above) and ended
/// with a sync flush, so pieces join end to end; the checksum of the
/// filtered bytes joins too (`adler32_combine`).
struct Piece {
    deflate: Vec<u8>,
    adler: u32,
    len: u64,
}

fn encode_band(rows: &[u8], stride: usize) -> Piece {
    let flags = create_comp_flags_from_zip_params(BIG_LEVEL, -15, 0);
    let mut compressor = CompressorOxide::new(flags);
    let mut deflate = Vec::with_capacity(rows.len() / 32);
    let mut feed = |data: &[u8], flush| {
        let (_, used) = compress_to_output(&mut compressor, data, flush, |out| {
            deflate.extend_from_slice(out);
            true
        });
        debug_assert_eq!(used, data.len());
    };
    let (mut adler, mut len) = (miniz_oxide::MZ_ADLER32_INIT, 0);
    let mut filtered = vec![0u8; stride + 1];
    for row in rows.chunks_exact(stride) {
        // Filter type 1, Sub: each byte less the one a pixel to its left.
        filtered[0] = 1;
        filtered[1..4].copy_from_slice(&row[..3]);
        for ((f, &b), &a) in filtered[4..].iter_mut().zip(&row[3..]).zip(row) {
            *f = b.wrapping_sub(a);
        }
        adler = miniz_oxide::mz_adler32_oxide(adler, &filtered);
        len += filtered.len() as u64;
        feed(&filtered, TDEFLFlush::None);
    }
    feed(&[], TDEFLFlush::Sync);
    Piece { deflate, adler, len }
}

/// The IDAT chunks of a big picture: the zlib header, the pieces in order,
/// then an empty final block and the checksum of all the pieces.
struct Idat<'a, W: Write> {
    writer: &'a mut png::Writer<W>,
    buffer: Vec<u8>,
    adler: u32,
}

impl<'a, W: Write> Idat<'a, W> {
    /// Bytes an IDAT chunk holds before it is written out.
    const CHUNK: usize = 1 << 20;

    fn new(writer: &'a mut png::Writer<W>) -> Self {
        // Deflate with a 32 KiB window, fastest level; 0x7801 is a multiple of 31.
        let buffer = vec![0x78, 0x01];
        Idat {
            writer,
            buffer,
            adler: miniz_oxide::MZ_ADLER32_INIT,
        }
    }

    fn push(&mut self, piece: Piece) -> Result<(), png::EncodingError> {
        self.adler = adler32_combine(self.adler, piece.adler, piece.len);
        self.buffer.extend_from_slice(&piece.deflate);
        if self.buffer.len() >= Self::CHUNK {
            self.writer.write_chunk(png::chunk::IDAT, &self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(), png::EncodingError> {
        // A stored block, final, empty: the last piece ended byte-aligned.
        self.buffer.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
        self.buffer.extend_from_slice(&self.adler.to_be_bytes());
        self.writer.write_chunk(png::chunk::IDAT, &self.buffer)
    }
}

/// The Adler-32 of bytes `a` then bytes `b`, from their checksums and the
/// length of `b` (zlib's `adler32_combine`).
fn adler32_combine(a: u32, b: u32, len_b: u64) -> u32 {
    const BASE: u64 = 65_521;
    let rem = len_b % BASE;
    let (a1, a2) = (u64::from(a & 0xffff), u64::from(a >> 16));
    let (b1, b2) = (u64::from(b & 0xffff), u64::from(b >> 16));
    let sum1 = (a1 + b1 + BASE - 1) % BASE;
    let sum2 = (rem * a1 + a2 + b2 + BASE - rem) % BASE;
    (sum2 << 16 | sum1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::bench_map::full_map;
    use crate::layout::{self, Lane};

    #[test]
    fn checksums_of_pieces_join_into_the_checksum_of_the_whole() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let whole = miniz_oxide::mz_adler32_oxide(1, &data);
        for cut in [0, 1, 65_520, 65_521, 65_522, 131_043, 199_999, 200_000] {
            let (a, b) = data.split_at(cut);
            let (a, b) = (miniz_oxide::mz_adler32_oxide(1, a), miniz_oxide::mz_adler32_oxide(1, b));
            assert_eq!(adler32_combine(a, b, (data.len() - cut) as u64), whole, "cut at {cut}");
        }
    }

    fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut options = png::DecodeOptions::default();
        options.set_ignore_adler32(false);
        let decoder = png::Decoder::new_with_options(std::io::Cursor::new(bytes), options);
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
        let info = reader
            .next_frame(&mut pixels)
            .expect("pixels that decode, checksum and all");
        (info.width, info.height, pixels)
    }

    #[test]
    fn a_big_picture_encoded_band_by_band_on_every_core_opens_with_the_same_pixels() {
        // Wider than a tile, in bands of 8 rows, the last one shorter.
        let map = full_map(24, 30, 3);
        let lanes = vec![Lane::Touchpoints, Lane::Emotion, Lane::Does];
        let layout = layout::layout(
            &map,
            &layout::Options {
                lanes,
                ..Default::default()
            },
        );
        let scene = scene::build(&map, &layout);
        let size = pixel_size(layout.bounds.width(), layout.bounds.height(), 1.0);
        assert!(size.0 > 4096 && !size.1.is_multiple_of(8), "{size:?}");
        let fast = encode(&scene, 1.0, size, true, 8).unwrap();
        let small = encode(&scene, 1.0, size, false, 8).unwrap();
        let (w, h, pixels) = decode(&fast);
        assert_eq!((w, h), size);
        assert_eq!(pixels, decode(&small).2);
        assert_eq!(&pixels[..3], [0xf6, 0xf5, 0xf1], "the canvas colour");
        assert!(pixels.chunks_exact(3).any(|p| p[0] < 0x60), "some dark text");
    }
}
