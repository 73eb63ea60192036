//! Text in one Unicode form. The same word can arrive composed ("ờ", one
//! code point, as most keyboards type it) or decomposed ("o", "◌̛", "◌̀", as
//! some macOS apps and web pages paste it). Both look alike, but searches,
//! comparisons and sort order treat them as different words, so the map
//! keeps everything composed (NFC): a map is normalised when it is loaded,
//! and typed or pasted text on its way in.

use std::borrow::Cow;

use unicode_normalization::{UnicodeNormalization, is_nfc};

use super::map::{Channel, Interaction, JourneyMap};

/// `text` in Unicode Normalization Form C (composed); borrowed when it
/// already is, which is nearly always.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if is_nfc(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

fn normalise(text: &mut String) {
    if let Cow::Owned(composed) = nfc(text) {
        *text = composed;
    }
}

/// Puts every text the map shows into NFC. Event matchers are left as
/// written: they name events in imported data, which must match them
/// exactly.
pub fn normalise_map(map: &mut JourneyMap) {
    let JourneyMap {
        title,
        description,
        currency,
        personas,
        funnel,
        stages,
        touchpoints,
        links,
        ..
    } = map;
    for text in [title, description, currency] {
        normalise(text);
    }
    for persona in personas {
        normalise(&mut persona.name);
        normalise(&mut persona.description);
        persona.goals.iter_mut().for_each(normalise);
        persona.frustrations.iter_mut().for_each(normalise);
    }
    normalise(&mut funnel.name);
    for stage in &mut funnel.stages {
        normalise(&mut stage.name);
    }
    for stage in stages {
        normalise(&mut stage.name);
        normalise(&mut stage.description);
        for note in &mut stage.notes {
            normalise(&mut note.text);
        }
    }
    for tp in touchpoints {
        for text in [&mut tp.name, &mut tp.description, &mut tp.does, &mut tp.thinks] {
            normalise(text);
        }
        for idea in tp.pain_points.iter_mut().chain(&mut tp.opportunities) {
            normalise(&mut idea.text);
        }
        normalise_channel(&mut tp.channel);
        if let Interaction::Other(name) = &mut tp.interaction {
            normalise(name);
        }
        for effort in &mut tp.efforts {
            normalise(&mut effort.name);
            normalise(&mut effort.owner);
            normalise_channel(&mut effort.channel);
        }
        for metric in &mut tp.metrics {
            normalise(&mut metric.name);
        }
    }
    for link in links {
        normalise(&mut link.label);
    }
}

fn normalise_channel(channel: &mut Channel) {
    if let Channel::Other(name) = channel {
        normalise(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_text_is_composed_and_composed_text_is_borrowed() {
        let decomposed = "Ngu\u{31b}o\u{31b}\u{300}i mua ha\u{300}ng";
        let composed = nfc(decomposed);
        assert_eq!(composed, "Người mua hàng");
        assert!(matches!(composed, Cow::Owned(_)));
        assert!(matches!(nfc("Người mua hàng"), Cow::Borrowed(_)));
        assert!(matches!(nfc("plain ASCII"), Cow::Borrowed(_)));
        // Marks with no composed form stay as they are, in canonical order.
        assert_eq!(nfc("x\u{323}\u{301}"), "x\u{323}\u{301}");
        assert_eq!(nfc("x\u{301}\u{323}"), "x\u{323}\u{301}");
    }
}
