//! Where the small labels on a map go (link labels, data badges) so that
//! none covers another or hides behind a card: each takes the first free
//! spot among its candidates, tested against the cards, headers and
//! personas and the labels already placed; a label with no free spot is
//! left out (its group's title still names it).

use std::collections::HashMap;

use super::text::fonts;
use crate::layout::{Lane, Layout, Pos, Rect, pos, style};
use crate::model::JourneyMap;

/// The grid the taken rectangles are filed in, so a test looks only at
/// its neighbours: placing stays linear in the size of the map.
const CELL: f32 = 256.0;
/// Room kept clear around each label.
const MARGIN: f32 = 2.0;
/// The band above every card where its data badge goes (see `overlay`).
pub const BADGE_BAND: f32 = 10.0;
/// A data badge's text size and padding (see `overlay::pill`).
pub const BADGE_SIZE: f32 = 11.0;

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y
}

#[derive(Default)]
pub struct Placer {
    taken: Vec<Rect>,
    grid: HashMap<(i32, i32), Vec<usize>>,
    /// Labels stay inside this, when set.
    within: Option<Rect>,
}

impl Placer {
    fn cells(r: &Rect) -> impl Iterator<Item = (i32, i32)> {
        let (x0, x1) = ((r.min.x / CELL).floor() as i32, (r.max.x / CELL).floor() as i32);
        let (y0, y1) = ((r.min.y / CELL).floor() as i32, (r.max.y / CELL).floor() as i32);
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    /// Marks `r` as taken, whether or not it was free.
    pub fn take(&mut self, r: Rect) {
        let i = self.taken.len();
        self.taken.push(r);
        for cell in Self::cells(&r) {
            self.grid.entry(cell).or_default().push(i);
        }
    }

    /// Whether `r` (with a little room around it) is clear of everything
    /// taken and inside the area labels go in.
    pub fn is_free(&self, r: &Rect) -> bool {
        if let Some(area) = &self.within
            && !(area.contains(r.min) && area.contains(r.max))
        {
            return false;
        }
        let padded = r.shrink(-MARGIN);
        Self::cells(&padded).all(|cell| {
            self.grid
                .get(&cell)
                .is_none_or(|list| list.iter().all(|&i| !overlaps(&self.taken[i], &padded)))
        })
    }

    /// The first free candidate, now taken.
    pub fn first_free(&mut self, candidates: impl IntoIterator<Item = Rect>) -> Option<Rect> {
        let found = candidates.into_iter().find(|r| self.is_free(r))?;
        self.take(found);
        Some(found)
    }

    /// Everything a label must keep clear of on `layout`: the cards with the
    /// band above them where a data badge goes, the stage headers with the
    /// spot under a funnel stage's first one where its drop-off badge goes,
    /// and the persona cards. Labels stay in the touchpoints lane.
    pub fn for_layout(map: &JourneyMap, layout: &Layout) -> Placer {
        let mut placer = Placer {
            within: layout.lane(Lane::Touchpoints).map(|l| l.rect),
            ..Placer::default()
        };
        for t in &layout.touchpoints {
            let mut card = t.card;
            card.min.y -= BADGE_BAND;
            placer.take(card);
        }
        for s in &layout.stages {
            placer.take(s.header);
        }
        for spot in drop_off_spots(map, layout) {
            placer.take(spot.1);
        }
        for p in &layout.personas {
            placer.take(p.rect);
        }
        placer
    }
}

/// Where each funnel stage's drop-off badge goes: under the header of its
/// first journey stage, no wider than that header. Indexed by the stage's
/// place in `layout.stages`.
pub fn drop_off_spots(map: &JourneyMap, layout: &Layout) -> Vec<(usize, Rect)> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    let h = badge_height();
    for (i, b) in layout.stages.iter().enumerate() {
        let Some(funnel) = map.stages.get(b.index).and_then(|s| s.funnel_stage) else {
            continue;
        };
        if seen.contains(&funnel) {
            continue;
        }
        seen.push(funnel);
        let name = map.funnel_stage(funnel).map_or("", |f| f.name.as_str());
        // As wide as the badge's longest text, within the header.
        let widest = fonts()
            .bold
            .width(&format!("{name}: 000 000 000 reached (−100%)"), BADGE_SIZE)
            + 10.0;
        let w = widest.min(b.header.width());
        out.push((i, Rect::from_min_size(pos(b.header.min.x, b.header.max.y + 3.0), w, h)));
    }
    out
}

/// A data badge's height (see `overlay::pill`).
pub fn badge_height() -> f32 {
    fonts().bold.line_height * BADGE_SIZE + 4.0
}

/// A label of `w` by `h` at each point along `curve` worth trying, nearest
/// the middle first: on the curve, just above it, just below it.
pub fn along(curve: &crate::layout::Cubic, w: f32, h: f32) -> impl Iterator<Item = Rect> + '_ {
    const TS: [f32; 11] = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.1, 0.9];
    TS.into_iter().flat_map(move |t| {
        let p = curve.point(t);
        [
            Rect::from_min_size(pos(p.x - w / 2.0, p.y - h / 2.0), w, h),
            Rect::from_min_size(pos(p.x - w / 2.0, p.y - h - 2.0), w, h),
            Rect::from_min_size(pos(p.x - w / 2.0, p.y + 2.0), w, h),
        ]
    })
}

/// A link label's box and text: one line, padded.
pub fn link_label_size(label: &str) -> (f32, f32) {
    let font = &fonts().regular;
    (
        font.width(label, style::LINK_LABEL_SIZE) + 6.0,
        font.line_height * style::LINK_LABEL_SIZE + 6.0,
    )
}

/// Per link of `layout.links`, where its label goes: `None` when it has no
/// label or no free spot. Each is tried along its curve, then (for a link
/// between neighbouring cards, whose curve runs in the gap between them)
/// in rows above the cards it joins.
pub fn link_labels(map: &JourneyMap, layout: &Layout, placer: &mut Placer) -> Vec<Option<Rect>> {
    let links_by_id: HashMap<_, _> = map.links.iter().map(|l| (l.id, l)).collect();
    layout
        .links
        .iter()
        .map(|path| {
            let link = map
                .links
                .get(path.index)
                .filter(|l| l.id == path.id)
                .or_else(|| links_by_id.get(&path.id).copied())?;
            let label = link.label.lines().next().unwrap_or_default();
            if label.trim().is_empty() {
                return None;
            }
            let (w, h) = link_label_size(label);
            let [a, _, _, d] = path.curve.0;
            let mid = path.curve.point(0.5);
            let top = a.y.min(d.y);
            let above = (1..=3).map(move |row| {
                let bottom = top - BADGE_BAND - 24.0 - (row - 1) as f32 * (h + MARGIN * 2.0);
                Rect::from_min_size(
                    Pos {
                        x: mid.x - w / 2.0,
                        y: bottom - h,
                    },
                    w,
                    h,
                )
            });
            placer.first_free(along(&path.curve, w, h).chain(above))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout;
    use crate::model::generate::generated_map;

    fn vietnamese() -> JourneyMap {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/vi_dien_may_8_buoc.ron");
        crate::model::format::load(std::path::Path::new(path)).unwrap()
    }

    /// Labels placed on `map`: none overlaps another, a card, a header or a
    /// persona; each stays in the touchpoints lane. Returns how many.
    fn check(map: &JourneyMap, layout: &Layout) -> usize {
        let mut placer = Placer::for_layout(map, layout);
        let placed: Vec<Rect> = link_labels(map, layout, &mut placer).into_iter().flatten().collect();
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!overlaps(a, b), "labels {a:?} and {b:?} overlap");
            }
            for t in &layout.touchpoints {
                assert!(!overlaps(a, &t.card), "label {a:?} covers a card {:?}", t.card);
            }
            for s in &layout.stages {
                assert!(!overlaps(a, &s.header), "label {a:?} covers a header");
            }
            let lane = layout.lane(Lane::Touchpoints).unwrap().rect;
            assert!(lane.contains(a.min) && lane.contains(a.max));
        }
        placed.len()
    }

    #[test]
    fn link_labels_on_the_vietnamese_sample_cover_no_card_and_no_other_label() {
        let map = vietnamese();
        let labelled = map.links.iter().filter(|l| !l.label.trim().is_empty()).count();
        assert!(labelled >= 10);
        let canvas = layout::layout(&map, &layout::Options::default());
        let placed = check(&map, &canvas);
        // Most find a spot.
        assert!(placed * 4 >= labelled * 3, "{placed} of {labelled} placed");
        let lanes = Lane::ALL.to_vec();
        let export = layout::layout(
            &map,
            &layout::Options {
                fit: Some(super::super::fit::measure(&map, &lanes)),
                lanes,
            },
        );
        check(&map, &export);
    }

    #[test]
    fn link_labels_on_a_large_map_cover_no_card_and_no_other_label() {
        let mut map = generated_map(400, 600, 3);
        for (i, link) in map.links.iter_mut().enumerate() {
            link.label = format!("step {i} of the way, in words");
        }
        let l = layout::layout(&map, &layout::Options::default());
        let placed = check(&map, &l);
        assert!(placed > 0);
    }

    #[test]
    fn a_label_with_no_free_spot_is_left_out() {
        let map = vietnamese();
        let l = layout::layout(&map, &layout::Options::default());
        let mut placer = Placer::for_layout(&map, &l);
        // Everything in the lane is taken already.
        placer.take(l.lane(Lane::Touchpoints).unwrap().rect);
        assert!(link_labels(&map, &l, &mut placer).iter().all(Option::is_none));
    }
}
