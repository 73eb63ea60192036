//! A TrueType font cut down for embedding in a PDF: glyph ids unchanged,
//! outlines kept only for the glyphs a document uses (and the parts of
//! composite glyphs), the shaping and naming tables PDF does not read left
//! out. The PDF addresses glyphs by id (Identity-H, CIDToGIDMap Identity),
//! so nothing needs renumbering; the ToUnicode map gives the text back. For
//! SVG, which browsers lay out themselves, a small `kern` table carries the
//! kerning of the pairs the document uses.

use std::collections::{BTreeMap, BTreeSet};

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Tables kept as they are (besides glyf, loca, head and post, rewritten).
const KEEP: [&[u8; 4]; 10] = [
    b"OS/2", b"cmap", b"cvt ", b"fpgm", b"gasp", b"hhea", b"hmtx", b"maxp", b"name", b"prep",
];

/// The font with only `used` glyphs' outlines (glyph 0 always stays).
/// `None` if the font is not a TrueType font this understands.
pub fn subset(font: &[u8], used: &BTreeSet<u16>) -> Option<Vec<u8>> {
    cut(font, used, None)
}

/// `subset` with a `kern` table of `kerning`: (left glyph, right glyph) to
/// the change of the left glyph's advance, in font units. A browser laying
/// text out in the subset kerns as the export measured, without the whole
/// font's positioning tables (three times the size of the rest).
pub fn subset_with_kerning(font: &[u8], used: &BTreeSet<u16>, kerning: &BTreeMap<(u16, u16), i16>) -> Option<Vec<u8>> {
    cut(font, used, kern_table(kerning))
}

/// A version 0 `kern` table with one format 0 subtable; `None` for no pairs.
fn kern_table(kerning: &BTreeMap<(u16, u16), i16>) -> Option<Vec<u8>> {
    // The subtable's length is 16 bits: as many pairs as it can hold.
    let pairs: Vec<_> = kerning.iter().take((0xffff - 14) / 6).collect();
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 6;
    let mut out = Vec::with_capacity(18 + 6 * pairs.len());
    for v in [
        0,
        1,
        0,
        14 + 6 * n,
        0x0001,
        n,
        search_range,
        entry_selector,
        6 * n - search_range,
    ] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    for (&(left, right), &value) in pairs {
        out.extend_from_slice(&left.to_be_bytes());
        out.extend_from_slice(&right.to_be_bytes());
        out.extend_from_slice(&value.to_be_bytes());
    }
    Some(out)
}

fn cut(font: &[u8], used: &BTreeSet<u16>, kern: Option<Vec<u8>>) -> Option<Vec<u8>> {
    let count = usize::from(u16_at(font, 4)?);
    let mut tables: Vec<([u8; 4], &[u8])> = Vec::with_capacity(count);
    for i in 0..count {
        let record = 12 + 16 * i;
        let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
        let offset = u32_at(font, record + 8)? as usize;
        let length = u32_at(font, record + 12)? as usize;
        tables.push((tag, font.get(offset..offset + length)?));
    }
    let table = |tag: &[u8; 4]| tables.iter().find(|(t, _)| t == tag).map(|(_, d)| *d);
    let head = table(b"head")?;
    let glyf = table(b"glyf")?;
    let loca = table(b"loca")?;
    let glyphs = usize::from(u16_at(table(b"maxp")?, 4)?);
    let long = u16_at(head, 50)? == 1;
    let offsets: Vec<usize> = (0..=glyphs)
        .map(|i| {
            if long {
                u32_at(loca, i * 4).map(|o| o as usize)
            } else {
                u16_at(loca, i * 2).map(|o| usize::from(o) * 2)
            }
        })
        .collect::<Option<_>>()?;
    let outline = |g: usize| glyf.get(offsets[g]..offsets[g + 1].max(offsets[g]));

    // The glyphs to keep: those used, .notdef, and composites' components.
    let mut keep = vec![false; glyphs];
    let mut todo: Vec<usize> = used.iter().map(|&g| usize::from(g)).filter(|&g| g < glyphs).collect();
    todo.push(0);
    while let Some(g) = todo.pop() {
        if std::mem::replace(&mut keep[g], true) {
            continue;
        }
        let data = outline(g)?;
        if data.len() < 10 || (u16_at(data, 0)? as i16) >= 0 {
            continue;
        }
        let mut at = 10;
        loop {
            let flags = u16_at(data, at)?;
            let component = usize::from(u16_at(data, at + 2)?);
            if component < glyphs && !keep[component] {
                todo.push(component);
            }
            at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
            at += match flags {
                f if f & 0x0008 != 0 => 2,
                f if f & 0x0040 != 0 => 4,
                f if f & 0x0080 != 0 => 8,
                _ => 0,
            };
            if flags & 0x0020 == 0 {
                break;
            }
        }
    }

    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity((glyphs + 1) * 4);
    for (g, &kept) in keep.iter().enumerate() {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if kept {
            new_glyf.extend_from_slice(outline(g)?);
            new_glyf.resize(new_glyf.len().next_multiple_of(4), 0);
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    let mut new_head = head.to_vec();
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    new_head.get_mut(50..52)?.copy_from_slice(&1u16.to_be_bytes());
    // Version 3 `post`: no glyph names.
    let mut post = table(b"post")?.get(..32)?.to_vec();
    post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = KEEP
        .iter()
        .filter_map(|tag| table(tag).map(|d| (**tag, d.to_vec())))
        .collect();
    out_tables.extend(kern.map(|k| (*b"kern", k)));
    out_tables.push((*b"glyf", new_glyf));
    out_tables.push((*b"loca", new_loca));
    out_tables.push((*b"head", new_head));
    out_tables.push((*b"post", post));
    out_tables.sort_by_key(|(tag, _)| *tag);

    let n = out_tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * out_tables.len();
    for (tag, data) in &out_tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    let mut head_at = 0;
    for (tag, data) in &out_tables {
        if tag == b"head" {
            head_at = out.len();
        }
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out.get_mut(head_at + 8..head_at + 12)?
        .copy_from_slice(&adjustment.to_be_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text;

    #[test]
    fn a_subset_keeps_the_used_outlines_and_parses() {
        let face = ttf_parser::Face::parse(text::REGULAR, 0).unwrap();
        let used: BTreeSet<u16> = "Đánh giá ậ ś"
            .chars()
            .filter_map(|c| face.glyph_index(c))
            .map(|g| g.0)
            .collect();
        let small = subset(text::REGULAR, &used).unwrap();
        assert!(small.len() < text::REGULAR.len() / 4, "{} bytes", small.len());
        let cut = ttf_parser::Face::parse(&small, 0).unwrap();
        assert_eq!(cut.number_of_glyphs(), face.number_of_glyphs());
        for &g in &used {
            let id = ttf_parser::GlyphId(g);
            assert_eq!(cut.glyph_bounding_box(id), face.glyph_bounding_box(id), "glyph {g}");
            assert_eq!(cut.glyph_hor_advance(id), face.glyph_hor_advance(id));
        }
        let unused = face.glyph_index('Q').unwrap();
        assert!(cut.glyph_bounding_box(unused).is_none());
        assert_eq!(checksum(&small), 0xB1B0_AFBA, "whole-font checksum");
    }

    #[test]
    fn a_subset_with_kerning_kerns_those_pairs_and_no_others() {
        let face = ttf_parser::Face::parse(text::REGULAR, 0).unwrap();
        let glyph = |c| face.glyph_index(c).unwrap();
        let used: BTreeSet<u16> = "AVTo".chars().map(|c| glyph(c).0).collect();
        let kerning = BTreeMap::from([((glyph('A').0, glyph('V').0), -40), ((glyph('T').0, glyph('o').0), -70)]);
        let small = subset_with_kerning(text::REGULAR, &used, &kerning).unwrap();
        let cut = ttf_parser::Face::parse(&small, 0).unwrap();
        let kern = cut.tables().kern.expect("a kern table");
        let pair = |a, b| {
            kern.subtables
                .into_iter()
                .find_map(|t| t.glyphs_kerning(glyph(a), glyph(b)))
        };
        assert_eq!(pair('A', 'V'), Some(-40));
        assert_eq!(pair('T', 'o'), Some(-70));
        assert_eq!(pair('V', 'A'), None);
        assert_eq!(checksum(&small), 0xB1B0_AFBA, "whole-font checksum");
        assert!(
            ttf_parser::Face::parse(&subset(text::REGULAR, &used).unwrap(), 0)
                .unwrap()
                .tables()
                .kern
                .is_none()
        );
    }
}
