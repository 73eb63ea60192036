//! How tall cards and lanes must be in an export for every title and lane
//! text to show in full, measured with the fonts the exporters draw with.
//! The canvas cuts long text at its standard sizes; a deliverable never does.

use super::text::{Font, fonts};
use crate::layout::{self, CARD_WIDTH, CELL_PADDING, Fit, Lane, style};
use crate::model::JourneyMap;

/// The height `lines` lines of text take in a box, as `Font::lines_in`
/// counts them, plus a little so rounding never drops the last one.
fn text_height(font: &Font, size: f32, lines: usize) -> f32 {
    if lines == 0 {
        return 0.0;
    }
    (font.ascent + font.descent * 0.3) * size + (lines - 1) as f32 * font.line_height * size + 1.0
}

fn lines(font: &Font, text: &str, size: f32, width: f32) -> usize {
    if text.trim().is_empty() {
        0
    } else {
        font.wrap(text, size, width, usize::MAX).len()
    }
}

/// What the card title area and the lane cells need (see `scene::card` and
/// the cells in `scene::build` for the boxes measured against).
pub fn measure(map: &JourneyMap, lanes: &[Lane]) -> Fit {
    let regular = &fonts().regular;
    let bold = &fonts().bold;
    // A card: 8 units of padding, the channel line, the title, the key
    // metric, 8 of padding (see `scene::card`).
    let title_width = CARD_WIDTH - 24.0;
    let mut card_height: f32 = 0.0;
    // The tallest need per lane, kept as it is found.
    let mut lane_heights: Vec<(Lane, f32)> = lanes.iter().map(|&l| (l, 0.0)).collect();
    let mut need = |lane: Lane, height: f32| {
        if let Some(entry) = lane_heights.iter_mut().find(|(l, _)| *l == lane) {
            entry.1 = entry.1.max(height);
        }
    };
    let mut per_stage: std::collections::HashMap<crate::model::StageId, usize> = std::collections::HashMap::new();
    for tp in &map.touchpoints {
        *per_stage.entry(tp.stage).or_default() += 1;
    }
    for tp in &map.touchpoints {
        let title = lines(bold, &tp.name, style::CARD_TITLE_SIZE, title_width);
        let parts = super::scene::card_parts(tp, title_width);
        let metric = if parts.metric_height > 0.0 {
            parts.metric_height.max(14.0) + 2.0
        } else {
            16.0
        };
        let chrome = 16.0 + parts.meta_height.max(16.0) + metric;
        card_height = card_height.max(chrome + text_height(bold, style::CARD_TITLE_SIZE, title));
        for &lane in lanes {
            let n = match lane {
                Lane::PainPoints => super::ideas::cell_lines(&tp.pain_points, CARD_WIDTH),
                Lane::Opportunities => super::ideas::cell_lines(&tp.opportunities, CARD_WIDTH),
                _ => lines(
                    regular,
                    &style::cell_text(lane, tp, &map.currency),
                    style::CELL_SIZE,
                    CARD_WIDTH,
                ),
            };
            if n > 0 {
                need(lane, text_height(regular, style::CELL_SIZE, n) + 2.0 * CELL_PADDING);
            }
        }
    }
    if lanes.contains(&Lane::Notes) {
        for stage in &map.stages {
            let touchpoints = per_stage.get(&stage.id).copied().unwrap_or(0);
            let width = layout::stage_width(touchpoints) - 12.0;
            let (rows, note) = notes_rows(&stage.notes, width);
            if rows > 0 {
                let height = rows as f32 * note + (rows - 1) as f32 * style::NOTE_GAP + NOTES_CHROME;
                need(Lane::Notes, height + 2.0 * CELL_PADDING);
            }
        }
    }
    let mut header_height: f32 = 0.0;
    for stage in &map.stages {
        let touchpoints = per_stage.get(&stage.id).copied().unwrap_or(0);
        // The header's text box: 10 in from the left, 6 from the right.
        let parts = super::scene::header_parts(stage, layout::stage_width(touchpoints) - 16.0);
        let story = if parts.story_height > 0.0 {
            parts.story_height + 4.0
        } else {
            0.0
        };
        header_height = header_height.max(layout::FUNNEL_BAND_HEIGHT + 4.0 + parts.name_height + story + 8.0);
    }
    let persona_height = map
        .personas
        .iter()
        .map(|p| super::persona::height(p, layout::PERSONA_WIDTH))
        .fold(0.0, f32::max)
        // Whole units keep the picture's size whole, as readers round it.
        .ceil();
    Fit {
        card_height,
        header_height,
        persona_height,
        lane_heights,
    }
}

/// Room around the notes of a stage in its area (see `scene::notes`).
pub const NOTES_CHROME: f32 = 10.0;

/// How many rows the notes take in an area `width` wide, and the height of
/// the tallest note (its kind and dots row included).
pub fn notes_rows(notes: &[crate::model::Note], width: f32) -> (usize, f32) {
    let font = &fonts().regular;
    let per_row = (((width + style::NOTE_GAP) / (style::NOTE_WIDTH + style::NOTE_GAP)).floor() as usize).max(1);
    let mut tallest: f32 = 0.0;
    for note in notes {
        let n = lines(font, &note.text, style::NOTE_SIZE, style::NOTE_WIDTH - 16.0);
        let header = super::ideas::note_header_height(note);
        tallest = tallest.max(text_height(font, style::NOTE_SIZE, n) + 16.0 + header);
    }
    (notes.len().div_ceil(per_row), tallest)
}
