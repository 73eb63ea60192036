//! What makes an exported map a deliverable that explains itself to someone
//! who has never seen the app: a title block above the map (title,
//! description, funnel model, date, data source) and a legend
//! below it (channels, the emotion scale, colours, the data badges).
//!
//! Both are scene groups laid out from (0, 0) at a given width; `compose`
//! stacks them around the map. Text is wrapped, never cut.

use chrono::NaiveDate;

use super::scene::{Anchor, Group, Kind, Paint, Shape, Stroke, TextBlock};
use super::text::fonts;
use crate::layout::{Pos, Rect, pos, style, text::channel_icon};
use crate::model::{Channel, IdeaKind, JourneyMap};

/// Where the data drawn on an export came from, for its title block.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DataSource {
    /// The database's file name.
    pub name: String,
    pub events: u64,
    pub people: u64,
    /// The first and last day of the events.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DataSource {
    /// What a title block says of `log`, read from the database `name`.
    pub fn of(name: &str, log: &crate::analysis::EventLog) -> DataSource {
        let day = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map(|t| t.date_naive());
        let span = log.time_span();
        DataSource {
            name: name.to_owned(),
            events: log.len() as u64,
            people: log.person_count() as u64,
            from: span.and_then(|(a, _)| day(a)),
            to: span.and_then(|(_, b)| day(b)),
        }
    }
}

const MARGIN: f32 = 16.0;
const TITLE_SIZE: f32 = 26.0;
const BODY_SIZE: f32 = 13.0;
const SMALL_SIZE: f32 = 11.0;
const HEADING_SIZE: f32 = 14.0;
/// The description reads best at a paragraph's width, not the map's.
const TEXT_WIDTH: f32 = 860.0;

/// Stacks wrapped text downwards from a point.
struct Column {
    x: f32,
    y: f32,
    width: f32,
    shapes: Vec<Shape>,
}

impl Column {
    fn new(x: f32, y: f32, width: f32) -> Column {
        Column {
            x,
            y,
            width,
            shapes: Vec::new(),
        }
    }

    /// All of `text`, wrapped to the column; returns the lines' height.
    fn text(&mut self, text: &str, size: f32, bold: bool, color: crate::model::Rgb) -> f32 {
        if text.trim().is_empty() {
            return 0.0;
        }
        let font = fonts().get(bold);
        let lines = font.wrap(text, size, self.width, usize::MAX);
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
        height
    }

    fn gap(&mut self, by: f32) {
        self.y += by;
    }
}

/// The title block: title, description, funnel model and date, the data
/// source. Returns its groups and height.
pub fn title_block(map: &JourneyMap, data: Option<&DataSource>, width: f32) -> (Vec<Group>, f32) {
    let text_width = (width - 2.0 * MARGIN).clamp(200.0, TEXT_WIDTH);
    let mut column = Column::new(MARGIN, MARGIN, text_width);
    column.text(&map.title, TITLE_SIZE, true, style::INK);
    column.gap(6.0);
    column.text(&map.description, BODY_SIZE, false, style::INK);
    column.gap(8.0);
    let stages: Vec<&str> = map.funnel.stages.iter().map(|s| s.name.as_str()).collect();
    let funnel = format!("Funnel model: {} — {}", map.funnel.name, stages.join(" › "));
    column.text(&funnel, SMALL_SIZE, false, style::MUTED);
    column.text(
        &format!("Updated {}", map.modified.format("%Y-%m-%d")),
        SMALL_SIZE,
        false,
        style::MUTED,
    );
    if let Some(data) = data {
        column.text(&data_line(data), SMALL_SIZE, false, style::MUTED);
    }
    column.gap(12.0);
    let groups = vec![Group {
        id: "title-block".into(),
        title: Some(map.title.clone()),
        kind: Kind::Frame,
        bounds: Rect {
            min: pos(0.0, 0.0),
            max: pos(width, column.y),
        },
        shapes: column.shapes,
    }];

    // The personas are on the map itself, above the spine (`persona`).
    let height = column.y;
    (groups, height)
}

/// "Data: saas.sqlite — 12 400 events, 2 100 people, 2026-01-04 to 2026-03-30"
fn data_line(data: &DataSource) -> String {
    let mut line = format!(
        "Data: {} — {} events, {} people",
        data.name,
        crate::layout::text::group_thousands(data.events as f64),
        crate::layout::text::group_thousands(data.people as f64)
    );
    if let (Some(from), Some(to)) = (data.from, data.to) {
        line.push_str(&format!(", {} to {}", from.format("%Y-%m-%d"), to.format("%Y-%m-%d")));
    }
    line
}

/// One entry of the legend: a small picture and what it means.
enum Swatch {
    Fill(crate::model::Rgb),
    Dot(crate::model::Rgb),
    Line(crate::model::Rgb),
    Dashed(crate::model::Rgb),
    Icon(String),
    Pill(crate::model::Rgb),
}

/// The legend: what every colour, icon and badge on the map means. `data`
/// adds the badges of the data overlay. Returns its groups and height.
pub fn legend(map: &JourneyMap, data: bool, width: f32) -> (Vec<Group>, f32) {
    let mut sections: Vec<(&str, Vec<(Swatch, String)>)> = Vec::new();

    let mut channels: Vec<&Channel> = Vec::new();
    for tp in &map.touchpoints {
        if !channels.contains(&&tp.channel) {
            channels.push(&tp.channel);
        }
    }
    sections.push((
        "Channels",
        channels
            .into_iter()
            .map(|c| (Swatch::Icon(channel_icon(c).to_owned()), c.label().to_owned()))
            .collect(),
    ));
    sections.push((
        "Cards",
        vec![
            (Swatch::Fill(style::ONLINE), "online touchpoint".into()),
            (Swatch::Fill(style::OFFLINE), "offline touchpoint".into()),
            (Swatch::Line(style::LINK), "next step".into()),
            (Swatch::Line(style::LOOP_BACK), "loops back".into()),
            (Swatch::Fill(style::PAIN), "pain point".into()),
            (Swatch::Fill(style::OPPORTUNITY), "opportunity".into()),
            (Swatch::Fill(style::NOTE), "sticky note".into()),
        ],
    ));
    // What a workshop added, when it did.
    let cards = &mut sections.last_mut().expect("just pushed").1;
    let notes = || map.stages.iter().flat_map(|s| &s.notes);
    for (kind, fill, what) in [
        (IdeaKind::PainPoint, style::NOTE_PAIN, "pain point note"),
        (IdeaKind::Opportunity, style::NOTE_OPPORTUNITY, "opportunity note"),
    ] {
        if notes().any(|n| n.kind == kind) {
            cards.push((Swatch::Fill(fill), what.into()));
        }
    }
    if crate::model::idea::all(map).iter().any(|i| i.votes > 0) {
        cards.push((Swatch::Dot(style::VOTE), "dot vote".into()));
    }
    sections.push((
        "Feels",
        [
            (-2, "very negative"),
            (-1, "negative"),
            (0, "neutral"),
            (1, "positive"),
            (2, "very positive"),
        ]
        .into_iter()
        .map(|(score, word)| {
            (
                Swatch::Dot(style::emotion(score)),
                format!("{} {word}", style::emotion_label(score)),
            )
        })
        .collect(),
    ));
    sections.push((
        "Funnel",
        map.funnel
            .stages
            .iter()
            .map(|s| (Swatch::Fill(s.color), s.name.clone()))
            .collect(),
    ));
    if data {
        sections.push((
            "Data",
            vec![
                (Swatch::Pill(style::reach(0.7)), "people who met the touchpoint".into()),
                (
                    Swatch::Pill(style::NOT_MEASURED),
                    "not measured: no event matchers".into(),
                ),
                (Swatch::Dashed(style::PAIN), "nobody meets this".into()),
                (
                    Swatch::Dashed(style::MISSING),
                    "a path people take that the map lacks".into(),
                ),
                (Swatch::Fill(style::ON_TARGET), "metric on target".into()),
                (Swatch::Fill(style::BELOW_TARGET), "metric below target".into()),
            ],
        ));
    }

    let font = &fonts().regular;
    let bold = &fonts().bold;
    let line = font.line_height * SMALL_SIZE;
    let mut shapes = Vec::new();
    let mut y = MARGIN;
    let right = width - MARGIN;
    shapes.push(Shape::Text(TextBlock {
        x: MARGIN,
        top: y,
        lines: vec!["Legend".to_owned()],
        size: HEADING_SIZE,
        bold: true,
        color: style::INK,
        anchor: Anchor::Start,
    }));
    y += bold.line_height * HEADING_SIZE + 6.0;
    for (title, entries) in sections {
        if entries.is_empty() {
            continue;
        }
        // Each section starts on its own line, its title first.
        let mut x = MARGIN;
        let title_width = bold.width(title, SMALL_SIZE) + 12.0;
        shapes.push(text_at(pos(x, y), title, true, style::MUTED));
        x += title_width.max(80.0);
        for (swatch, label) in entries {
            let w = 22.0 + font.width(&label, SMALL_SIZE) + 18.0;
            if x + w > right && x > MARGIN + 80.0 {
                x = MARGIN + 80.0;
                y += line + 6.0;
            }
            shapes.extend(swatch_shapes(
                &swatch,
                Rect::from_min_size(pos(x, y + 1.0), 16.0, line - 2.0),
            ));
            shapes.push(text_at(pos(x + 22.0, y), &label, false, style::INK));
            x += w;
        }
        y += line + 10.0;
    }
    let height = y + MARGIN - 10.0;
    let group = Group {
        id: "legend".into(),
        title: Some("Legend".into()),
        kind: Kind::Frame,
        bounds: Rect {
            min: pos(0.0, 0.0),
            max: pos(width, height),
        },
        shapes,
    };
    (vec![group], height)
}

fn text_at(at: Pos, text: &str, bold: bool, color: crate::model::Rgb) -> Shape {
    Shape::Text(TextBlock {
        x: at.x,
        top: at.y,
        lines: vec![text.to_owned()],
        size: SMALL_SIZE,
        bold,
        color,
        anchor: Anchor::Start,
    })
}

fn swatch_shapes(swatch: &Swatch, r: Rect) -> Vec<Shape> {
    let mid = r.center();
    match swatch {
        Swatch::Fill(color) => vec![Shape::Rect {
            rect: r,
            radii: [2.0; 4],
            fill: Some((*color).into()),
            stroke: None,
        }],
        Swatch::Pill(color) => vec![Shape::Rect {
            rect: r,
            radii: [r.height() / 2.0; 4],
            fill: Some(Paint {
                color: *color,
                opacity: 1.0,
            }),
            stroke: None,
        }],
        Swatch::Dot(color) => vec![Shape::Circle {
            center: mid,
            radius: 5.0,
            fill: *color,
            stroke: None,
        }],
        Swatch::Line(color) | Swatch::Dashed(color) => vec![Shape::Polyline {
            points: vec![pos(r.min.x, mid.y), pos(r.max.x, mid.y)],
            stroke: Stroke {
                width: 2.0,
                color: *color,
            },
            dash: matches!(swatch, Swatch::Dashed(_)).then_some([4.0, 3.0]),
        }],
        Swatch::Icon(icon) => vec![Shape::Text(TextBlock {
            x: r.min.x,
            top: r.min.y - 1.0,
            lines: vec![icon.clone()],
            size: SMALL_SIZE,
            bold: false,
            color: style::ONLINE,
            anchor: Anchor::Start,
        })],
    }
}
