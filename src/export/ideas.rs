//! How a workshop's ideas are drawn: pain points and opportunities in their
//! lanes one item at a time, each with its dot votes beside it, and a stage's
//! sticky notes with their kind and dots on a header row. `fit` measures with
//! the same functions, so a deliverable shows every item and every dot.

use super::scene::{Anchor, Shape, TextBlock, text_in};
use super::text::fonts;
use crate::layout::{Rect, pos, style};
use crate::model::{Idea, IdeaKind, Note, Rgb};

/// Votes past this many are written as "+N" after the dots.
const MAX_DOTS: u32 = style::MAX_VOTE_DOTS;
pub const DOT_RADIUS: f32 = 3.2;
const DOT_PITCH: f32 = 8.0;
/// Room between an item's text and its dots.
const GAP: f32 = 4.0;
/// A note's header row: its kind and its dots.
pub const NOTE_HEADER: f32 = 15.0;

fn extra(votes: u32) -> String {
    format!("+{}", votes - MAX_DOTS)
}

/// How wide the dots of `votes` votes are drawn (none for no votes).
pub fn dots_width(votes: u32) -> f32 {
    if votes == 0 {
        return 0.0;
    }
    let dots = votes.min(MAX_DOTS) as f32;
    let mut width = dots * DOT_PITCH - (DOT_PITCH - 2.0 * DOT_RADIUS);
    if votes > MAX_DOTS {
        width += 2.0 + fonts().bold.width(&extra(votes), style::IDEA_LABEL_SIZE);
    }
    width
}

/// The dots of `votes` votes, ending at `right`, centred on `y`.
pub fn dots(votes: u32, right: f32, y: f32) -> Vec<Shape> {
    let mut shapes = Vec::new();
    if votes == 0 {
        return shapes;
    }
    let mut x = right - dots_width(votes) + DOT_RADIUS;
    for _ in 0..votes.min(MAX_DOTS) {
        shapes.push(Shape::Circle {
            center: pos(x, y),
            radius: DOT_RADIUS,
            fill: style::VOTE,
            stroke: None,
        });
        x += DOT_PITCH;
    }
    if votes > MAX_DOTS {
        let font = &fonts().bold;
        shapes.push(Shape::Text(TextBlock {
            x: x - DOT_PITCH + DOT_RADIUS + 2.0,
            top: y - font.line_height * style::IDEA_LABEL_SIZE / 2.0,
            lines: vec![extra(votes)],
            size: style::IDEA_LABEL_SIZE,
            bold: true,
            color: style::VOTE,
            anchor: Anchor::Start,
        }));
    }
    shapes
}

/// An item as its lane writes it, and the width its text wraps to: the
/// cell's, less the room its dots take.
fn item(idea: &Idea, width: f32) -> (String, f32) {
    let reserve = if idea.votes > 0 {
        dots_width(idea.votes) + GAP
    } else {
        0.0
    };
    (format!("• {}", idea.text), width - reserve)
}

/// How many lines the items of a pain point or opportunity cell take in a
/// cell `width` wide, as `cell` draws them.
pub fn cell_lines(ideas: &[Idea], width: f32) -> usize {
    let font = &fonts().regular;
    ideas
        .iter()
        .map(|idea| {
            let (text, width) = item(idea, width);
            if idea.text.trim().is_empty() {
                0
            } else {
                font.wrap(&text, style::CELL_SIZE, width, usize::MAX).len()
            }
        })
        .sum()
}

/// Pain points or opportunities in `cell`, one below the other, each with
/// its dots at the right of its first line; only the lines that fit.
pub fn cell(cell: Rect, ideas: &[Idea], color: Rgb) -> Vec<Shape> {
    let font = &fonts().regular;
    let line = font.line_height * style::CELL_SIZE;
    let mut shapes = Vec::new();
    let mut top = cell.min.y;
    for idea in ideas {
        if idea.text.trim().is_empty() {
            continue;
        }
        let (text, width) = item(idea, cell.width());
        let rect = Rect {
            min: pos(cell.min.x, top),
            max: pos(cell.min.x + width, cell.max.y),
        };
        let Some(Shape::Text(block)) = text_in(rect, &text, style::CELL_SIZE, false, color, true) else {
            break;
        };
        let lines = block.lines.len();
        shapes.push(Shape::Text(block));
        shapes.extend(dots(idea.votes, cell.max.x, dot_line(top, style::CELL_SIZE)));
        top += lines as f32 * line;
    }
    shapes
}

/// Where dots sit beside a line of `size` whose top is `top`: level with
/// the middle of its small letters.
fn dot_line(top: f32, size: f32) -> f32 {
    let font = &fonts().regular;
    top + (font.ascent - 0.28) * size
}

/// Whether a note shows a header row: its kind, when it is not a plain
/// note, and its dots.
pub fn note_header(note: &Note) -> bool {
    !note.kind.is_note() || note.votes > 0
}

/// The height a note's header row takes (none when it has none).
pub fn note_header_height(note: &Note) -> f32 {
    if note_header(note) { NOTE_HEADER } else { 0.0 }
}

/// A note's header row at the top of `inner` (the note less its padding):
/// "Pain point" or "Opportunity" in its lane's colour at the left, the dots
/// at the right.
pub fn note_header_shapes(inner: Rect, note: &Note) -> Vec<Shape> {
    let mut shapes = Vec::new();
    if !note_header(note) || inner.height() < NOTE_HEADER {
        return shapes;
    }
    let dots_from = inner.max.x - dots_width(note.votes);
    if note.kind != IdeaKind::Note {
        let label = Rect {
            min: inner.min,
            max: pos(dots_from - GAP, inner.min.y + NOTE_HEADER),
        };
        shapes.extend(text_in(
            label,
            note.kind.label(),
            style::IDEA_LABEL_SIZE,
            true,
            style::idea_color(note.kind),
            false,
        ));
    }
    shapes.extend(dots(
        note.votes,
        inner.max.x,
        dot_line(inner.min.y, style::IDEA_LABEL_SIZE),
    ));
    shapes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn circles(shapes: &[Shape]) -> usize {
        shapes
            .iter()
            .filter(|s| matches!(s, Shape::Circle { fill, .. } if *fill == style::VOTE))
            .count()
    }

    fn texts(shapes: &[Shape]) -> Vec<String> {
        shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text(t) => Some(t.lines.join(" ")),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn votes_show_as_dots_up_to_five_then_a_count() {
        assert!(dots(0, 100.0, 10.0).is_empty());
        assert_eq!(circles(&dots(3, 100.0, 10.0)), 3);
        let many = dots(8, 100.0, 10.0);
        assert_eq!(circles(&many), 5);
        assert_eq!(texts(&many), ["+3"]);
        // The dots end at the right edge given, the count included.
        assert!(dots_width(8) > dots_width(5) && dots_width(5) > dots_width(1));
    }

    #[test]
    fn a_voted_item_wraps_short_of_its_dots_and_the_next_item_starts_below_it() {
        let ideas = vec![
            Idea {
                text: "Delivery slots are only shown after payment".into(),
                votes: 4,
            },
            Idea::new("No phone number"),
        ];
        let area = Rect::from_min_size(pos(0.0, 0.0), 184.0, 200.0);
        let shapes = cell(area, &ideas, style::PAIN);
        assert_eq!(circles(&shapes), 4);
        let blocks: Vec<&TextBlock> = shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(blocks.len(), 2);
        let font = &fonts().regular;
        for line in &blocks[0].lines {
            assert!(font.width(line, style::CELL_SIZE) <= 184.0 - dots_width(4), "{line}");
        }
        assert!(blocks[1].top >= blocks[0].baseline(blocks[0].lines.len() - 1));
        assert_eq!(cell_lines(&ideas, 184.0), blocks[0].lines.len() + blocks[1].lines.len());
    }

    #[test]
    fn a_pain_point_note_is_labelled_and_a_plain_unvoted_note_has_no_header() {
        let mut note = Note::new(crate::model::NoteId(1), "Queues at the till");
        assert!(!note_header(&note));
        note.kind = IdeaKind::PainPoint;
        note.votes = 2;
        let inner = Rect::from_min_size(pos(0.0, 0.0), 134.0, 60.0);
        let shapes = note_header_shapes(inner, &note);
        assert_eq!(texts(&shapes), ["Pain point"]);
        assert_eq!(circles(&shapes), 2);
    }
}
