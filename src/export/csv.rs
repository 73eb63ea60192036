//! CSV for spreadsheets: one row per touchpoint in spine order (stage by
//! stage, then any touchpoint whose stage is missing), with its stage,
//! funnel stage, channel, mode, interaction, emotion, texts, then one column
//! per metric name used anywhere in the map (and its target), then the
//! marketing efforts with their budgets and the total budget.
//!
//! The file is UTF-8 and starts with a byte order mark, which is what makes
//! Excel read Vietnamese and Polish right; other readers skip it. Numbers are
//! plain (`1850000`, `0.35`), no grouping, so spreadsheets take them as numbers.
//!
//! Text is inert: a spreadsheet never runs a name or a note as a formula
//! (see `inert`), and every text cell is quoted, so a `;` or tab inside it
//! cannot start a new cell in a spreadsheet that splits on those instead.

use crate::model::{Idea, JourneyMap, Mode, Touchpoint, Unit};

use super::ExportError;

/// The byte order mark the file starts with.
pub const BOM: &str = "\u{feff}";

pub fn to_csv(map: &JourneyMap) -> Result<Vec<u8>, ExportError> {
    // Metric columns, in order of first use, each with the unit all its
    // metrics share (if they do).
    let mut metrics: Vec<(String, Option<Unit>)> = Vec::new();
    for tp in &map.touchpoints {
        for m in &tp.metrics {
            match metrics.iter_mut().find(|(name, _)| *name == m.name) {
                Some((_, unit)) => {
                    if *unit != Some(m.unit) {
                        *unit = None;
                    }
                }
                None => metrics.push((m.name.clone(), Some(m.unit))),
            }
        }
    }

    let mut out = Vec::from(BOM.as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::NonNumeric)
            .from_writer(&mut out);
        let err = |e: csv::Error| ExportError::Render(format!("CSV writing failed: {e}"));
        let mut header: Vec<String> = [
            "Stage",
            "Funnel stage",
            "Touchpoint",
            "Channel",
            "Online/offline",
            "Interaction",
            "Emotion",
            "Does",
            "Thinks",
            "Pain points",
            "Opportunities",
        ]
        .map(str::to_owned)
        .to_vec();
        for (name, unit) in &metrics {
            let suffix = match unit {
                Some(Unit::Percent) => " (%)".to_owned(),
                Some(Unit::Seconds) => " (s)".to_owned(),
                Some(Unit::Currency) => format!(" ({})", map.currency),
                Some(Unit::Count) | None => String::new(),
            };
            header.push(format!("{name}{suffix}"));
            header.push(format!("{name} target"));
        }
        header.push("Marketing efforts".into());
        header.push(format!("Total budget ({})", map.currency));
        w.write_record(header.into_iter().map(inert)).map_err(err)?;

        for tp in in_spine_order(map) {
            let stage = map.stage(tp.stage);
            let funnel = stage.and_then(|s| s.funnel_stage).and_then(|f| map.funnel_stage(f));
            let mut row = vec![
                stage.map_or(String::new(), |s| s.name.clone()),
                funnel.map_or(String::new(), |f| f.name.clone()),
                tp.name.clone(),
                tp.channel.label().to_owned(),
                if tp.mode == Mode::Online { "online" } else { "offline" }.to_owned(),
                tp.interaction.label().to_owned(),
                tp.emotion.to_string(),
                tp.does.clone(),
                tp.thinks.clone(),
                ideas(&tp.pain_points),
                ideas(&tp.opportunities),
            ];
            for (name, _) in &metrics {
                let m = tp.metrics.iter().find(|m| m.name == *name);
                row.push(cell(m.and_then(|m| m.value)));
                row.push(cell(m.and_then(|m| m.target)));
            }
            row.push(
                tp.efforts
                    .iter()
                    .map(|e| match e.budget {
                        Some(b) if b.is_finite() => format!("{}: {} {}", e.name, b, map.currency),
                        Some(_) => format!("{}: – {}", e.name, map.currency),
                        None => e.name.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            let budgets: Vec<f64> = tp.efforts.iter().filter_map(|e| e.budget).collect();
            row.push(if budgets.is_empty() {
                String::new()
            } else {
                cell(Some(budgets.iter().sum::<f64>()))
            });
            w.write_record(row.into_iter().map(inert)).map_err(err)?;
        }
        w.flush()
            .map_err(|e| ExportError::Render(format!("CSV writing failed: {e}")))?;
    }
    Ok(out)
}

/// Touchpoints stage by stage, then those whose stage does not exist.
pub(crate) fn in_spine_order(map: &JourneyMap) -> impl Iterator<Item = &Touchpoint> {
    let staged = map.stages.iter().flat_map(|s| map.touchpoints_in(s.id));
    let orphans = map.touchpoints.iter().filter(|t| map.stage(t.stage).is_none());
    staged.chain(orphans)
}

/// A cell a spreadsheet shows as it is. Excel, LibreOffice and Google Sheets
/// read a cell starting with `=`, `+`, `-` or `@` as a formula, and a leading
/// tab, carriage return or NUL can hide one; a formula can fetch URLs or run
/// commands when the file is opened, so a touchpoint named
/// `=HYPERLINK("http://x","y")` must not become one. As OWASP advises, such a
/// cell gets a leading `'`, which spreadsheets take as "this is text". The
/// numbers this file writes (an emotion of `-1`, a budget of `-5`) are left
/// alone: a plain number is no formula.
fn inert(cell: String) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\0']);
    if risky && !is_plain_number(&cell) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// `-12`, `0.35`, `-1850000.5`: the numbers `cell` and the emotion write.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

/// A number as a spreadsheet reads it; one that is not a number (NaN,
/// infinite: `check` reports those) is left empty rather than written "NaN".
fn cell(value: Option<f64>) -> String {
    value.filter(|v| v.is_finite()).map_or(String::new(), |v| v.to_string())
}

/// A touchpoint's pain points or opportunities in one cell, each with its
/// dot votes when it has any.
fn ideas(items: &[Idea]) -> String {
    items
        .iter()
        .map(|i| match i.votes {
            0 => i.text.clone(),
            n => format!("{} ({n} {})", i.text, if n == 1 { "vote" } else { "votes" }),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        assert_eq!(inert("=1+1".into()), "'=1+1");
        assert_eq!(inert("+1".into()), "'+1");
        assert_eq!(inert("-cmd".into()), "'-cmd");
        assert_eq!(inert("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(inert("\t=1".into()), "'\t=1");
        assert_eq!(inert("\r=1".into()), "'\r=1");
        assert_eq!(inert("-".into()), "'-");
        assert_eq!(inert("-1.".into()), "'-1.");
        for plain in ["-1", "-5", "0.35", "-1850000.5", "Awareness", "a=b", "", "1e5"] {
            assert_eq!(inert(plain.into()), plain);
        }
    }
}
