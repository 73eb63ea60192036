//! How numbers read on a map, the same on the canvas and in every export.

use crate::model::{Channel, Unit};

pub fn format_number(value: f64, unit: crate::model::Unit) -> String {
    let plain = group_thousands(value);
    match unit {
        Unit::Percent => format!("{plain}%"),
        Unit::Seconds => format!("{plain} s"),
        Unit::Count | Unit::Currency => plain,
    }
}

/// `1850000` as `1 850 000` and `1.3` as `1.3`: a thin space between
/// thousands reads in every language the app is used in.
/// A value that is not a number (NaN, infinite: `check` reports those)
/// reads as a dash, never as "NaN".
pub fn group_thousands(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let text = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    };
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    let (sign, rest) = text.strip_prefix('-').map_or(("", text.as_str()), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A one-glyph icon for a channel, drawn before its name on cards. All come
/// from the bundled DejaVu Sans, so they render everywhere the text does.
pub fn channel_icon(channel: &Channel) -> &'static str {
    match channel {
        Channel::Website => "◎",
        Channel::Blog => "✎",
        Channel::Search => "⚲",
        Channel::Social => "♥",
        Channel::Ads => "✦",
        Channel::Email => "✉",
        Channel::LiveChat => "❝",
        Channel::Webinar => "▶",
        Channel::Phone => "☎",
        Channel::SalesMeeting => "☺",
        Channel::Store => "⌂",
        Channel::Event => "★",
        Channel::Other(_) => "◈",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_trimmed() {
        assert_eq!(group_thousands(450_000_000.0), "450\u{202f}000\u{202f}000");
        assert_eq!(group_thousands(-1234.5), "-1\u{202f}234.5");
        assert_eq!(group_thousands(999.0), "999");
        assert_eq!(group_thousands(1.30), "1.3");
        assert_eq!(format_number(42.0, Unit::Percent), "42%");
        assert_eq!(format_number(95.0, Unit::Seconds), "95 s");
        assert_eq!(format_number(f64::NAN, Unit::Currency), "–");
        assert_eq!(group_thousands(f64::NEG_INFINITY), "–");
    }
}
