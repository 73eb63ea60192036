//! Pixels of a scene: the shapes the SVG writer writes, filled and stroked
//! with tiny-skia, and text from the bundled fonts' outlines, each glyph
//! rasterized once per size and subpixel offset and then copied. Rendering
//! goes in bands of rows across the whole picture, on every core, each band
//! tile by tile, each tile drawing only the groups it meets; the worker that
//! renders a band also encodes it, so a map of thousands of touchpoints
//! (400 megapixels) takes well under a second on two cores.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, Pixmap, Rect as SkRect, Stroke as SkStroke,
    StrokeDash, Transform,
};

use super::scene::{self, Anchor, Group, PathStep, Scene, Shape, Stroke, TextBlock};
use super::text::{self, fonts};
use crate::layout::{Pos, Rect};
use crate::model::Rgb;

const TILE_W: u32 = 4096;
/// About how many bytes of RGB a band holds: enough rows that shapes and
/// text cut by band edges are not drawn over and over, few enough that a
/// 400-megapixel picture takes some 32 MB a worker.
const BAND_BYTES: usize = 32 << 20;

/// Rows per band for a picture `w` pixels wide.
pub(crate) fn band_rows(w: u32) -> u32 {
    (BAND_BYTES / (w as usize * 3).max(1)).clamp(16, 256) as u32
}

/// Renders `scene` at `scale` into opaque RGB of `w` × `h` pixels, band by
/// band: a band is `band_h` rows of the whole width, rendered tile by tile
/// and then handed to `encode` on the same worker, so encoding runs on
/// every core too. `write` gets what `encode` made, band
/// by band, top to bottom. The whole picture is never in memory.
pub(crate) fn render_bands<T: Send, E>(
    scene: &Scene,
    scale: f32,
    (w, h): (u32, u32),
    background: Rgb,
    band_h: u32,
    encode: impl Fn(&[u8]) -> T + Sync,
    mut write: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let band_h = band_h.clamp(1, h);
    let bands = h.div_ceil(band_h) as usize;
    let columns = columns(scene, scale, w);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(bands);
    let next = AtomicUsize::new(0);
    let (send, receive) = mpsc::sync_channel::<(usize, T)>(workers);
    std::thread::scope(|s| {
        for _ in 0..workers {
            let send = send.clone();
            let (columns, next, encode) = (&columns, &next, &encode);
            s.spawn(move || {
                let mut glyphs = GlyphCache::default();
                let mut tile = Pixmap::new(TILE_W.min(w), band_h).expect("tile size is not zero");
                let mut rows = Vec::new();
                loop {
                    let band = next.fetch_add(1, Ordering::Relaxed);
                    if band >= bands {
                        return;
                    }
                    let ty = band as u32 * band_h;
                    let th = (h - ty).min(band_h);
                    rows.resize(w as usize * th as usize * 3, 0);
                    for (column, groups) in columns.iter().enumerate() {
                        let tx = column as u32 * TILE_W;
                        let tw = (w - tx).min(TILE_W);
                        if (tile.width(), tile.height()) != (tw, th) {
                            tile = Pixmap::new(tw, th).expect("tile size is not zero");
                        }
                        tile.fill(Color::from_rgba8(background.0, background.1, background.2, 255));
                        let mut painter = Painter {
                            pixmap: &mut tile,
                            scale,
                            origin: (tx as f32, ty as f32),
                            glyphs: &mut glyphs,
                        };
                        painter.groups(groups.iter().map(|&i| &scene.groups[i as usize]));
                        // Opaque, so premultiplied RGBA is plain RGBA: keep the RGB.
                        let stride = tw as usize * 4;
                        for (row, src) in tile.data().chunks_exact(stride).enumerate() {
                            let start = (row * w as usize + tx as usize) * 3;
                            let dst = &mut rows[start..start + tw as usize * 3];
                            for (d, s) in dst.chunks_exact_mut(3).zip(src.chunks_exact(4)) {
                                d.copy_from_slice(&s[..3]);
                            }
                        }
                    }
                    if send.send((band, encode(&rows))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(send);
        // Bands finished out of turn wait here for the ones above them.
        let mut pending = BTreeMap::new();
        let mut written = 0;
        for (band, done) in receive {
            pending.insert(band, done);
            while let Some(done) = pending.remove(&written) {
                write(done)?;
                written += 1;
            }
        }
        debug_assert_eq!(written, bands);
        Ok(())
    })
}

/// Per column of tiles, the groups it may show (those whose bounds come
/// within a few units of it), in drawing order: a tile looks only at its
/// own, so the time a tile takes follows what it shows, not the map's size.
fn columns(scene: &Scene, scale: f32, w: u32) -> Vec<Vec<u32>> {
    let count = w.div_ceil(TILE_W).max(1) as usize;
    let mut columns = vec![Vec::new(); count];
    let unit = f64::from(TILE_W) / f64::from(scale);
    for (i, group) in scene.groups.iter().enumerate() {
        // A tile's view reaches 4 units past it (`Painter::groups`); 8 and
        // a column more also cover rounding.
        let first = ((f64::from(group.bounds.min.x) - 8.0) / unit).floor() - 1.0;
        let last = ((f64::from(group.bounds.max.x) + 8.0) / unit).floor();
        let (first, last) = (first.max(0.0), last.min(count as f64 - 1.0));
        if first <= last {
            for column in &mut columns[first as usize..=last as usize] {
                column.push(i as u32);
            }
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::bench_map::full_map;
    use crate::layout::{self, pos};

    #[test]
    fn every_tile_is_offered_every_group_that_reaches_into_it() {
        let map = full_map(40, 60, 5);
        let layout = layout::layout(&map, &layout::Options::default());
        let scene = scene::build(&map, &layout);
        for scale in [0.37f32, 1.0, 2.5] {
            let w = (layout.bounds.width() * scale).ceil() as u32;
            let columns = columns(&scene, scale, w);
            assert_eq!(columns.len(), w.div_ceil(TILE_W) as usize);
            for (c, offered) in columns.iter().enumerate() {
                assert!(offered.windows(2).all(|p| p[0] < p[1]), "in drawing order");
                // What `Painter::groups` looks at for any tile of this column.
                let x0 = (c as u32 * TILE_W) as f32;
                let x1 = x0 + (w - c as u32 * TILE_W).min(TILE_W) as f32;
                let view = Rect {
                    min: pos(x0 / scale - 4.0, f32::MIN),
                    max: pos(x1 / scale + 4.0, f32::MAX),
                };
                for (i, group) in scene.groups.iter().enumerate() {
                    if group.bounds.intersects(&view) {
                        assert!(offered.contains(&(i as u32)), "scale {scale}, column {c}: {}", group.id);
                    }
                }
            }
            assert!(columns.iter().map(Vec::len).sum::<usize>() < scene.groups.len() * 3);
        }
    }
}

struct Painter<'a> {
    pixmap: &'a mut Pixmap,
    scale: f32,
    /// The tile's top left, in pixels of the whole picture.
    origin: (f32, f32),
    glyphs: &'a mut GlyphCache,
}

fn paint(color: Rgb, opacity: f32) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(
        color.0,
        color.1,
        color.2,
        (opacity.clamp(0.0, 1.0) * 255.0).round() as u8,
    );
    paint.anti_alias = true;
    paint
}

impl Painter<'_> {
    fn px(&self, p: Pos) -> (f32, f32) {
        (p.x * self.scale - self.origin.0, p.y * self.scale - self.origin.1)
    }

    fn groups<'g>(&mut self, groups: impl Iterator<Item = &'g Group>) {
        let s = self.scale;
        let view = Rect {
            min: crate::layout::pos(self.origin.0 / s, self.origin.1 / s),
            max: crate::layout::pos(
                (self.origin.0 + self.pixmap.width() as f32) / s,
                (self.origin.1 + self.pixmap.height() as f32) / s,
            ),
        }
        .shrink(-4.0);
        for group in groups {
            if !group.bounds.intersects(&view) {
                continue;
            }
            for shape in &group.shapes {
                self.shape(shape, &view);
            }
        }
    }

    fn stroke(&mut self, path: &Path, stroke: Stroke, dash: Option<[f32; 2]>) {
        let s = self.scale;
        let sk = SkStroke {
            width: stroke.width * s,
            line_cap: if dash.is_some() { LineCap::Butt } else { LineCap::Round },
            line_join: LineJoin::Round,
            dash: dash.and_then(|[on, off]| StrokeDash::new(vec![on * s, off * s], 0.0)),
            ..SkStroke::default()
        };
        self.pixmap
            .stroke_path(path, &paint(stroke.color, 1.0), &sk, Transform::identity(), None);
    }

    fn shape(&mut self, shape: &Shape, view: &Rect) {
        // Small rounded rectangles and dots (cards, their shadows, notes,
        // emotion points) repeat by the thousand: each look is rendered once
        // into a sprite and then copied.
        let sprite_box = match shape {
            Shape::Rect {
                rect, radii, stroke, ..
            } if radii.iter().any(|r| *r > 0.0) || stroke.is_some() => Some((*rect, stroke.map_or(0.0, |s| s.width))),
            Shape::Circle {
                center, radius, stroke, ..
            } => Some((
                Rect {
                    min: crate::layout::pos(center.x - radius, center.y - radius),
                    max: crate::layout::pos(center.x + radius, center.y + radius),
                },
                stroke.map_or(0.0, |s| s.width),
            )),
            _ => None,
        };
        if let Some((rect, stroke_w)) = sprite_box {
            if !rect.intersects(view) {
                return;
            }
            let (x0, y0) = self.px(rect.min);
            let (x1, y1) = self.px(rect.max);
            let pad = stroke_w * self.scale / 2.0 + 2.0;
            let (sx, sy) = ((x0 - pad).floor(), (y0 - pad).floor());
            let (sw, sh) = ((x1 + pad).ceil() - sx, (y1 + pad).ceil() - sy);
            if sw <= 512.0 && sh <= 512.0 && sw > 0.0 && sh > 0.0 {
                let key = sprite_key(shape, self.scale, x0 - sx, y0 - sy);
                let sprite = match self.glyphs.sprites.get(&key) {
                    Some(sprite) => sprite,
                    None => {
                        let Some(mut pixmap) = Pixmap::new(sw as u32, sh as u32) else {
                            return;
                        };
                        let mut painter = Painter {
                            pixmap: &mut pixmap,
                            scale: self.scale,
                            origin: (self.origin.0 + sx, self.origin.1 + sy),
                            glyphs: &mut GlyphCache::default(),
                        };
                        painter.draw(
                            shape,
                            &Rect {
                                min: crate::layout::pos(f32::MIN, f32::MIN),
                                max: crate::layout::pos(f32::MAX, f32::MAX),
                            },
                        );
                        self.glyphs.sprites.entry(key).or_insert(pixmap)
                    }
                };
                composite(self.pixmap, sprite, sx as i32, sy as i32);
                return;
            }
        }
        self.draw(shape, view);
    }

    fn draw(&mut self, shape: &Shape, view: &Rect) {
        match shape {
            Shape::Rect {
                rect,
                radii,
                fill,
                stroke,
            } => {
                if !rect.intersects(view) {
                    return;
                }
                if radii.iter().all(|r| *r == 0.0)
                    && stroke.is_none()
                    && let Some(fill) = fill
                {
                    // Plain bands (lanes, label strips): the fast, pixel-snapped fill.
                    let (x0, y0) = self.px(rect.min);
                    let (x1, y1) = self.px(rect.max);
                    let (x0, y0) = (x0.max(-1.0).round(), y0.max(-1.0).round());
                    let (w, h) = (self.pixmap.width() as f32 + 1.0, self.pixmap.height() as f32 + 1.0);
                    let (x1, y1) = (x1.min(w).round(), y1.min(h).round());
                    if fill.opacity >= 1.0 {
                        fill_opaque(self.pixmap, (x0, y0, x1, y1), fill.color);
                    } else if let Some(r) = SkRect::from_ltrb(x0, y0, x1, y1) {
                        let mut p = paint(fill.color, fill.opacity);
                        p.anti_alias = false;
                        self.pixmap.fill_rect(r, &p, Transform::identity(), None);
                    }
                    return;
                }
                let Some(path) = self.rounded_rect(*rect, *radii) else {
                    return;
                };
                if let Some(fill) = fill {
                    self.pixmap.fill_path(
                        &path,
                        &paint(fill.color, fill.opacity),
                        FillRule::Winding,
                        Transform::identity(),
                        None,
                    );
                }
                if let Some(stroke) = stroke {
                    self.stroke(&path, *stroke, None);
                }
            }
            Shape::Polyline { points, stroke, dash } => {
                let mut pb = PathBuilder::new();
                for (i, p) in points.iter().enumerate() {
                    let (x, y) = self.px(*p);
                    if i == 0 { pb.move_to(x, y) } else { pb.line_to(x, y) }
                }
                if let Some(path) = pb.finish() {
                    self.stroke(&path, *stroke, *dash);
                }
            }
            Shape::Circle {
                center,
                radius,
                fill,
                stroke,
            } => {
                let (x, y) = self.px(*center);
                if let Some(path) = PathBuilder::from_circle(x, y, radius * self.scale) {
                    self.pixmap.fill_path(
                        &path,
                        &paint(*fill, 1.0),
                        FillRule::Winding,
                        Transform::identity(),
                        None,
                    );
                    if let Some(stroke) = stroke {
                        self.stroke(&path, *stroke, None);
                    }
                }
            }
            Shape::Curve { curve, stroke } => {
                let [a, b, c, d] = curve.0.map(|p| self.px(p));
                let mut pb = PathBuilder::new();
                pb.move_to(a.0, a.1);
                pb.cubic_to(b.0, b.1, c.0, c.1, d.0, d.1);
                if let Some(path) = pb.finish() {
                    self.stroke(&path, *stroke, None);
                }
            }
            Shape::Polygon { points, fill } => {
                let mut pb = PathBuilder::new();
                for (i, p) in points.iter().enumerate() {
                    let (x, y) = self.px(*p);
                    if i == 0 { pb.move_to(x, y) } else { pb.line_to(x, y) }
                }
                pb.close();
                if let Some(path) = pb.finish() {
                    self.pixmap.fill_path(
                        &path,
                        &paint(*fill, 1.0),
                        FillRule::Winding,
                        Transform::identity(),
                        None,
                    );
                }
            }
            Shape::Text(block) => self.text(block),
        }
    }

    /// Corners nw, ne, se, sw; arcs as cubic Béziers.
    fn rounded_rect(&self, r: Rect, radii: [f32; 4]) -> Option<Path> {
        let s = self.scale;
        let (x0, y0) = self.px(r.min);
        let (x1, y1) = self.px(r.max);
        if x1 - x0 <= 0.0 || y1 - y0 <= 0.0 {
            return None;
        }
        let Some(steps) = scene::rounded_rect_path(x0, y0, x1, y1, radii.map(|v| v * s)) else {
            return SkRect::from_ltrb(x0, y0, x1, y1).map(PathBuilder::from_rect);
        };
        let mut pb = PathBuilder::new();
        for step in steps {
            match step {
                PathStep::Move(x, y) => pb.move_to(x, y),
                PathStep::Line(x, y) => pb.line_to(x, y),
                PathStep::Cubic([a, b, x, y, ex, ey]) => pb.cubic_to(a, b, x, y, ex, ey),
                PathStep::Close => pb.close(),
            }
        }
        pb.finish()
    }

    fn text(&mut self, block: &TextBlock) {
        let font = fonts().get(block.bold);
        let size = block.size * self.scale;
        let (tw, th) = (self.pixmap.width() as i32, self.pixmap.height() as i32);
        for (i, line) in block.lines.iter().enumerate() {
            let baseline = (block.baseline(i) * self.scale - self.origin.1).round() as i32;
            if baseline < -(size as i32) * 2 || baseline > th + size as i32 * 2 {
                continue;
            }
            let shaped = font.shape(line);
            let width = shaped.width * size;
            let mut left = block.x * self.scale - self.origin.0;
            if block.anchor == Anchor::Middle {
                left -= width / 2.0;
            }
            if left > tw as f32 || left + width < 0.0 {
                continue;
            }
            for placed in &shaped.glyphs {
                let x = left + placed.x * size;
                // Marks reach out of their zero advance: keep glyphs a size wide.
                if x + size.max(placed.advance * size) >= 0.0 && x < tw as f32 {
                    let sub = ((x - x.floor()) * 4.0) as u8 & 3;
                    let key = GlyphKey {
                        glyph: placed.glyph,
                        size: (size * 8.0).round() as u32,
                        sub,
                    };
                    if let Some(glyph) = self.glyphs.get(key) {
                        let y = baseline - (placed.y * size).round() as i32;
                        blit(self.pixmap, glyph, x.floor() as i32, y, block.color);
                    }
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct GlyphKey {
    glyph: text::Glyph,
    /// Size in eighths of a pixel.
    size: u32,
    /// Subpixel offset in quarters of a pixel.
    sub: u8,
}

/// A glyph's coverage, `left`/`top` from the pen position on the baseline.
struct Glyph {
    left: i32,
    top: i32,
    width: u32,
    height: u32,
    coverage: Vec<u8>,
}

/// Glyphs and sprites rendered so far, one cache per worker.
#[derive(Default)]
struct GlyphCache {
    glyphs: HashMap<GlyphKey, Option<Glyph>>,
    sprites: HashMap<Vec<u32>, Pixmap>,
}

impl GlyphCache {
    fn get(&mut self, key: GlyphKey) -> Option<&Glyph> {
        self.glyphs.entry(key).or_insert_with(|| rasterize(key)).as_ref()
    }
}

/// What makes a sprite look as it does: the shape's size and paint, the
/// scale, and where in its first pixel it starts (in 16ths).
fn sprite_key(shape: &Shape, scale: f32, fx: f32, fy: f32) -> Vec<u32> {
    let q = |v: f32| (v * 16.0).round() as i32 as u32;
    let rgb = |c: Rgb| u32::from(c.0) << 16 | u32::from(c.1) << 8 | u32::from(c.2);
    let mut key = vec![q(scale), q(fx), q(fy)];
    match shape {
        Shape::Rect {
            rect,
            radii,
            fill,
            stroke,
        } => {
            key.extend([0, q(rect.width()), q(rect.height())]);
            key.extend(radii.map(q));
            key.extend(fill.map_or([u32::MAX, 0], |f| [rgb(f.color), q(f.opacity)]));
            key.extend(stroke.map_or([u32::MAX, 0], |s| [rgb(s.color), q(s.width)]));
        }
        Shape::Circle {
            radius, fill, stroke, ..
        } => {
            key.extend([1, q(*radius), rgb(*fill)]);
            key.extend(stroke.map_or([u32::MAX, 0], |s| [rgb(s.color), q(s.width)]));
        }
        _ => {}
    }
    key
}

/// Draws premultiplied `sprite` over the opaque tile at `(x, y)`.
fn composite(pixmap: &mut Pixmap, sprite: &Pixmap, x: i32, y: i32) {
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    let (sw, sh) = (sprite.width() as i32, sprite.height() as i32);
    let (c0, c1) = (x.max(0), (x + sw).min(pw));
    if c0 >= c1 {
        return;
    }
    let src = sprite.data();
    let dst = pixmap.data_mut();
    for row in y.max(0)..(y + sh).min(ph) {
        let s_start = (((row - y) * sw + (c0 - x)) * 4) as usize;
        let d_start = ((row * pw + c0) * 4) as usize;
        let n = ((c1 - c0) * 4) as usize;
        for (d, s) in dst[d_start..d_start + n]
            .chunks_exact_mut(4)
            .zip(src[s_start..s_start + n].chunks_exact(4))
        {
            let a = u32::from(s[3]);
            if a == 0 {
                continue;
            }
            if a == 255 {
                d.copy_from_slice(s);
                continue;
            }
            for c in 0..3 {
                d[c] = (u32::from(s[c]) + (u32::from(d[c]) * (255 - a) + 127) / 255) as u8;
            }
        }
    }
}

struct Outline(PathBuilder, f32, f32, f32);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x * self.1 + self.2, -y * self.1 + self.3);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x * self.1 + self.2, -y * self.1 + self.3);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (k, dx, dy) = (self.1, self.2, self.3);
        self.0.quad_to(x1 * k + dx, -y1 * k + dy, x * k + dx, -y * k + dy);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (k, dx, dy) = (self.1, self.2, self.3);
        self.0.cubic_to(
            x1 * k + dx,
            -y1 * k + dy,
            x2 * k + dx,
            -y2 * k + dy,
            x * k + dx,
            -y * k + dy,
        );
    }
    fn close(&mut self) {
        self.0.close();
    }
}

fn rasterize(key: GlyphKey) -> Option<Glyph> {
    let face = &text::faces()[usize::from(key.glyph.face)].face;
    let id = ttf_parser::GlyphId(key.glyph.id);
    let bbox = face.glyph_bounding_box(id)?;
    let k = key.size as f32 / 8.0 / f32::from(face.units_per_em());
    let sub = f32::from(key.sub) / 4.0;
    let left = (f32::from(bbox.x_min) * k + sub).floor() as i32 - 1;
    let right = (f32::from(bbox.x_max) * k + sub).ceil() as i32 + 1;
    let top = (-f32::from(bbox.y_max) * k).floor() as i32 - 1;
    let bottom = (-f32::from(bbox.y_min) * k).ceil() as i32 + 1;
    let (width, height) = ((right - left).max(1) as u32, (bottom - top).max(1) as u32);
    let mut outline = Outline(PathBuilder::new(), k, sub - left as f32, -top as f32);
    face.outline_glyph(id, &mut outline)?;
    let path = outline.0.finish()?;
    let mut mask = tiny_skia::Mask::new(width, height)?;
    mask.fill_path(&path, FillRule::Winding, true, Transform::identity());
    Some(Glyph {
        left,
        top,
        width,
        height,
        coverage: mask.data().to_vec(),
    })
}

/// Fills pixels `x0..x1` × `y0..y1` (clipped to the pixmap) with an opaque colour.
fn fill_opaque(pixmap: &mut Pixmap, (x0, y0, x1, y1): (f32, f32, f32, f32), color: Rgb) {
    let (pw, ph) = (pixmap.width() as usize, pixmap.height() as usize);
    let clamp = |v: f32, max: usize| (v.max(0.0) as usize).min(max);
    let (x0, x1, y0, y1) = (clamp(x0, pw), clamp(x1, pw), clamp(y0, ph), clamp(y1, ph));
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let row: Vec<u8> = [color.0, color.1, color.2, 255].repeat(x1 - x0);
    let data = pixmap.data_mut();
    for y in y0..y1 {
        let start = (y * pw + x0) * 4;
        data[start..start + row.len()].copy_from_slice(&row);
    }
}

/// Draws `glyph` in `color` with its pen position at `(x, baseline)`, over
/// the opaque tile.
fn blit(pixmap: &mut Pixmap, glyph: &Glyph, x: i32, baseline: i32, color: Rgb) {
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    let (gx, gy) = (x + glyph.left, baseline + glyph.top);
    let rgb = [u32::from(color.0), u32::from(color.1), u32::from(color.2)];
    let data = pixmap.data_mut();
    for row in 0..glyph.height as i32 {
        let y = gy + row;
        if !(0..ph).contains(&y) {
            continue;
        }
        for col in 0..glyph.width as i32 {
            let x = gx + col;
            if !(0..pw).contains(&x) {
                continue;
            }
            let a = u32::from(glyph.coverage[(row as u32 * glyph.width + col as u32) as usize]);
            if a == 0 {
                continue;
            }
            let i = ((y * pw + x) * 4) as usize;
            for c in 0..3 {
                let d = u32::from(data[i + c]);
                data[i + c] = ((rgb[c] * a + d * (255 - a) + 127) / 255) as u8;
            }
        }
    }
}
