//! A persona's card above the spine: name and description across the top,
//! goals and frustrations side by side below. One drawing for the canvas
//! (a standard size, the text cut with "…" where it runs out) and the
//! exports (grown by `fit` to show every word).

use super::scene::{Anchor, Group, Kind, Shape, Stroke, TextBlock};
use super::text::fonts;
use crate::layout::{PersonaBox, Rect, pos, style};
use crate::model::{Persona, Rgb};

const PAD: f32 = 12.0;
const NAME_SIZE: f32 = 14.0;
const BODY_SIZE: f32 = 11.0;
const COLUMN_GAP: f32 = 14.0;

/// Stacks wrapped text downwards, stopping at `bottom`: the last line that
/// fits ends in "…" when text is left over, and nothing follows it.
struct Flow {
    x: f32,
    y: f32,
    width: f32,
    bottom: f32,
    cut: bool,
    shapes: Vec<Shape>,
}

impl Flow {
    fn new(x: f32, y: f32, width: f32, bottom: f32) -> Flow {
        Flow {
            x,
            y,
            width,
            bottom,
            cut: false,
            shapes: Vec::new(),
        }
    }

    fn text(&mut self, text: &str, size: f32, bold: bool, color: Rgb) {
        if self.cut || text.trim().is_empty() {
            return;
        }
        let font = fonts().get(bold);
        let room = if self.bottom.is_finite() {
            font.lines_in(self.bottom - self.y, size)
        } else {
            usize::MAX
        };
        let lines = font.wrap(text, size, self.width, room);
        if lines.is_empty() {
            self.cut = true;
            return;
        }
        if room != usize::MAX && font.wrap(text, size, self.width, room + 1).len() > lines.len() {
            self.cut = true;
        }
        let height = font.line_height * size * lines.len() as f32;
        self.shapes.push(Shape::Text(TextBlock {
            x: self.x,
            top: self.y,
            lines,
            size,
            bold,
            color,
            anchor: Anchor::Start,
        }));
        self.y += height;
    }

    fn gap(&mut self, by: f32) {
        self.y += by;
    }
}

/// The card's text laid out in `rect` (cut at its bottom unless `bottom` is
/// infinite), and where the text ends.
fn contents(persona: &Persona, rect: Rect, bottom: f32) -> (Vec<Shape>, f32) {
    let inner_width = rect.width() - 2.0 * PAD;
    let mut top = Flow::new(rect.min.x + PAD, rect.min.y + PAD, inner_width, bottom);
    top.text(&persona.name, NAME_SIZE, true, style::INK);
    top.gap(2.0);
    top.text(&persona.description, BODY_SIZE, false, style::INK);
    top.gap(6.0);
    let mut shapes = top.shapes;
    let mut end = top.y;
    let lists: Vec<_> = [
        ("Goals", &persona.goals, style::OPPORTUNITY),
        ("Frustrations", &persona.frustrations, style::PAIN),
    ]
    .into_iter()
    .filter(|(_, items, _)| !items.is_empty())
    .collect();
    if !top.cut && !lists.is_empty() {
        let width = (inner_width - COLUMN_GAP * (lists.len() - 1) as f32) / lists.len() as f32;
        for (i, (title, items, color)) in lists.into_iter().enumerate() {
            let x = rect.min.x + PAD + i as f32 * (width + COLUMN_GAP);
            let mut column = Flow::new(x, top.y, width, bottom);
            column.text(title, BODY_SIZE, true, style::MUTED);
            for item in items {
                column.text(&format!("• {item}"), BODY_SIZE, false, color);
            }
            end = end.max(column.y);
            shapes.extend(column.shapes);
        }
    }
    (shapes, end)
}

/// The height a card `width` wide needs to show all of `persona`.
pub fn height(persona: &Persona, width: f32) -> f32 {
    let rect = Rect::from_min_size(pos(0.0, 0.0), width, 0.0);
    let (_, end) = contents(persona, rect, f32::INFINITY);
    end + PAD
}

/// The persona's card in its box, its text cut where the box ends.
pub fn group(persona: &Persona, b: &PersonaBox) -> Group {
    let rect = b.rect;
    let mut shapes = vec![
        Shape::Rect {
            rect,
            radii: [style::CARD_RADIUS; 4],
            fill: Some(style::CARD.into()),
            stroke: Some(Stroke {
                width: 1.0,
                color: style::CARD_BORDER,
            }),
        },
        // A persona reads apart from the touchpoints: a band of the
        // selection blue down its left edge.
        Shape::Rect {
            rect: Rect::from_min_size(rect.min, style::MODE_STRIP_WIDTH, rect.height()),
            radii: [style::CARD_RADIUS, 0.0, 0.0, style::CARD_RADIUS],
            fill: Some(style::SELECTION.into()),
            stroke: None,
        },
    ];
    shapes.extend(contents(persona, rect, rect.max.y - PAD / 2.0).0);
    Group {
        id: format!("persona-{}", persona.id.0),
        title: Some(persona.name.clone()),
        kind: Kind::Frame,
        bounds: rect,
        shapes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PersonaId;

    fn persona() -> Persona {
        Persona {
            id: PersonaId(7),
            name: "Chị Minh Hương".into(),
            description: "34 tuổi, kế toán, sống ở căn hộ 70 m² tại Hà Đông cùng chồng và hai con nhỏ. ".repeat(3),
            goals: vec!["Tiết kiệm điện".into(), "Lắp đặt trong 48 giờ".into()],
            frustrations: vec!["Giá không giống nhau".into(), "Phí phát sinh khi lắp".into()],
        }
    }

    fn words(group: &Group) -> String {
        let mut all = String::new();
        for shape in &group.shapes {
            if let Shape::Text(t) = shape {
                all.push_str(&t.lines.join(" "));
                all.push(' ');
            }
        }
        all
    }

    #[test]
    fn a_card_of_the_measured_height_shows_everything_and_a_short_one_cuts_with_an_ellipsis() {
        let p = persona();
        let tall = height(&p, 420.0);
        let full = group(
            &p,
            &PersonaBox {
                id: p.id,
                index: 0,
                rect: Rect::from_min_size(pos(10.0, 20.0), 420.0, tall),
            },
        );
        let text = words(&full);
        assert!(!text.contains('…'), "{text}");
        for needle in [
            "Chị Minh Hương",
            "Goals",
            "Frustrations",
            "• Lắp đặt trong 48 giờ",
            "• Phí phát sinh khi lắp",
        ] {
            assert!(text.contains(needle), "{needle} in {text}");
        }
        let short = group(
            &p,
            &PersonaBox {
                id: p.id,
                index: 0,
                rect: Rect::from_min_size(pos(10.0, 20.0), 420.0, 70.0),
            },
        );
        let text = words(&short);
        assert!(text.contains("Chị Minh Hương") && text.contains('…'), "{text}");
        // Every line stays inside the card.
        for shape in &short.shapes {
            if let Shape::Text(t) = shape {
                assert!(t.baseline(t.lines.len() - 1) <= 90.0);
            }
        }
    }
}
