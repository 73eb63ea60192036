//! How a map looks and reads, free of any UI library: the palette, the type
//! sizes, and the text each part of a touchpoint shows. The canvas
//! (`ui::theme`, `ui::canvas`) and every exporter draw with these, so a map
//! reads the same on screen, on paper and in a slide.

use super::text::{channel_icon, format_number};
use crate::model::{Idea, IdeaKind, Mode, Rgb, Touchpoint, Unit};

pub const CANVAS: Rgb = Rgb(0xf6, 0xf5, 0xf1);
pub const LANE_A: Rgb = Rgb(0xfb, 0xfa, 0xf7);
pub const LANE_B: Rgb = Rgb(0xf1, 0xef, 0xea);
pub const LANE_LABEL: Rgb = Rgb(0x6b, 0x66, 0x5e);
pub const INK: Rgb = Rgb(0x24, 0x22, 0x1f);
pub const MUTED: Rgb = Rgb(0x6e, 0x6a, 0x63);
pub const CARD: Rgb = Rgb(0xff, 0xff, 0xff);
pub const CARD_BORDER: Rgb = Rgb(0xd6, 0xd2, 0xca);
pub const HEADER: Rgb = Rgb(0xff, 0xff, 0xff);
pub const LINK: Rgb = Rgb(0x5a, 0x6f, 0x8f);
pub const LOOP_BACK: Rgb = Rgb(0xc2, 0x5b, 0x9b);
pub const PAIN: Rgb = Rgb(0xc8, 0x3e, 0x3e);
pub const OPPORTUNITY: Rgb = Rgb(0x2f, 0x8f, 0x5b);
pub const NOTE: Rgb = Rgb(0xff, 0xef, 0x9e);
/// A sticky note that is a pain point or an opportunity: the lanes' red and
/// green, pale enough to write on.
pub const NOTE_PAIN: Rgb = Rgb(0xfb, 0xd8, 0xd3);
pub const NOTE_OPPORTUNITY: Rgb = Rgb(0xcf, 0xee, 0xd9);
/// Dot votes, like the stickers a workshop hands out: a deep indigo that
/// stands out on every lane and note.
pub const VOTE: Rgb = Rgb(0x3d, 0x35, 0xb0);
/// Votes past this many dots are counted in figures.
pub const MAX_VOTE_DOTS: u32 = 5;
pub const OFFLINE: Rgb = Rgb(0x8a, 0x6d, 0x3b);
pub const SELECTION: Rgb = Rgb(0x2b, 0x6c, 0xe0);
pub const ONLINE: Rgb = Rgb(0x2e, 0x7d, 0xb8);
pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);

/// The data on a map: how far a touchpoint's reach goes (`share` of the best
/// reached one), pale to deep teal.
pub fn reach(share: f32) -> Rgb {
    let t = share.clamp(0.0, 1.0);
    let lerp = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * t).round() as u8;
    Rgb(lerp(0x8f, 0x0f), lerp(0xc9, 0x76), lerp(0xc3, 0x6e))
}
/// Paths people take that the map has no link for.
pub const MISSING: Rgb = Rgb(0xe0, 0x7a, 0x1f);
/// A touchpoint without event matchers: the data cannot speak of it.
pub const NOT_MEASURED: Rgb = Rgb(0x9a, 0x95, 0x8c);
/// A measured metric at or above its target, and below it.
pub const ON_TARGET: Rgb = Rgb(0x2e, 0x9e, 0x5b);
pub const BELOW_TARGET: Rgb = PAIN;

/// Red for -2 through grey to green for +2.
pub fn emotion(score: i8) -> Rgb {
    match score.clamp(-2, 2) {
        -2 => Rgb(0xd1, 0x3c, 0x3c),
        -1 => Rgb(0xe8, 0x8a, 0x4a),
        0 => Rgb(0x9a, 0x95, 0x8c),
        1 => Rgb(0x7c, 0xb3, 0x4f),
        _ => Rgb(0x2e, 0x9e, 0x5b),
    }
}

/// The colour that marks an idea of `kind`, as its lane writes it.
pub fn idea_color(kind: IdeaKind) -> Rgb {
    match kind {
        IdeaKind::PainPoint => PAIN,
        IdeaKind::Opportunity => OPPORTUNITY,
        IdeaKind::Note => INK,
    }
}

/// The paper of a sticky note of `kind`.
pub fn note_fill(kind: IdeaKind) -> Rgb {
    match kind {
        IdeaKind::PainPoint => NOTE_PAIN,
        IdeaKind::Opportunity => NOTE_OPPORTUNITY,
        IdeaKind::Note => NOTE,
    }
}

/// The colour of a touchpoint's mode strip and channel line.
pub fn mode(mode: Mode) -> Rgb {
    match mode {
        Mode::Online => ONLINE,
        Mode::Offline => OFFLINE,
    }
}

// Type sizes in map units (points at 100%).
pub const STAGE_TITLE_SIZE: f32 = 16.0;
pub const FUNNEL_LABEL_SIZE: f32 = 11.0;
pub const LANE_LABEL_SIZE: f32 = 13.0;
pub const CARD_META_SIZE: f32 = 11.0;
pub const CARD_TITLE_SIZE: f32 = 14.0;
pub const CARD_METRIC_SIZE: f32 = 11.0;
pub const CELL_SIZE: f32 = 12.0;
pub const NOTE_SIZE: f32 = 12.0;
pub const EMOTION_LABEL_SIZE: f32 = 11.0;
pub const LINK_LABEL_SIZE: f32 = 11.0;
/// A sticky note's kind ("Pain point") and a vote count past the dots.
pub const IDEA_LABEL_SIZE: f32 = 10.0;

/// Sticky notes: width and the gap between them.
pub const NOTE_WIDTH: f32 = 150.0;
pub const NOTE_GAP: f32 = 8.0;
pub const CARD_RADIUS: f32 = 8.0;
pub const HEADER_RADIUS: f32 = 6.0;
pub const MODE_STRIP_WIDTH: f32 = 5.0;
pub const LINK_WIDTH: f32 = 1.8;
pub const ARROW_SIZE: f32 = 8.0;
pub const EMOTION_DOT_RADIUS: f32 = 7.0;

/// A card's first line: `◎ Website · online`.
pub fn card_meta(tp: &Touchpoint) -> String {
    let mode = if tp.mode == Mode::Online { "online" } else { "offline" };
    format!("{} {} · {}", channel_icon(&tp.channel), tp.channel.label(), mode)
}

/// A card's bottom line, its key metric (the first one): `Visits: 12 000`.
pub fn key_metric(tp: &Touchpoint) -> Option<String> {
    let metric = tp.metrics.first()?;
    let value = metric.value.map_or("—".to_owned(), |v| format_number(v, metric.unit));
    Some(format!("{}: {}", metric.name, value))
}

/// The emotion score as it is written beside its dot: `-1`, `0`, `+2`.
pub fn emotion_label(score: i8) -> String {
    if score == 0 {
        "0".to_owned()
    } else {
        format!("{score:+}")
    }
}

/// The text of a touchpoint's cell in a lane, lines separated by `\n`; empty
/// for the lanes drawn otherwise (touchpoints, emotion, notes).
pub fn cell_text(lane: super::Lane, tp: &Touchpoint, currency: &str) -> String {
    use super::Lane;
    match lane {
        Lane::Does => tp.does.clone(),
        Lane::Thinks if tp.thinks.is_empty() => String::new(),
        Lane::Thinks => format!("“{}”", tp.thinks),
        Lane::PainPoints => bullets(&tp.pain_points),
        Lane::Opportunities => bullets(&tp.opportunities),
        Lane::Efforts => tp
            .efforts
            .iter()
            .map(|e| match e.budget {
                Some(b) => format!("{} · {} {}", e.name, format_number(b, Unit::Count), currency),
                None => e.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Lane::Metrics => metric_lines(tp).join("\n"),
        Lane::Touchpoints | Lane::Emotion | Lane::Notes => String::new(),
    }
}

/// Each metric as the metrics lane writes it: `Visits: 4 200 (target 5 000)`.
pub fn metric_lines(tp: &Touchpoint) -> Vec<String> {
    tp.metrics
        .iter()
        .map(|m| {
            let value = m.value.map_or("—".to_owned(), |v| format_number(v, m.unit));
            match m.target {
                Some(t) => format!("{}: {} (target {})", m.name, value, format_number(t, m.unit)),
                None => format!("{}: {}", m.name, value),
            }
        })
        .collect()
}

/// The colour of a lane's cell text.
pub fn cell_color(lane: super::Lane) -> Rgb {
    use super::Lane;
    match lane {
        Lane::PainPoints => PAIN,
        Lane::Opportunities => OPPORTUNITY,
        Lane::Thinks => MUTED,
        _ => INK,
    }
}

fn bullets(items: &[Idea]) -> String {
    items
        .iter()
        .map(|i| format!("• {}", i.text))
        .collect::<Vec<_>>()
        .join("\n")
}
