//! Markdown: a readable report of a map for wikis and email: title and
//! description, personas, the funnel model, then stage by stage its
//! touchpoints (channel, mode, emotion, what people do and think, pains,
//! opportunities, metrics against targets, efforts and budgets) and notes,
//! the links (loops back called out), and, given a data comparison, what the
//! data says about the map and which channels get the credit for conversions.

use std::fmt::Write;

use crate::analysis::{AttributionTable, Comparison, Money, MoneyRow};
use crate::layout::style;
use crate::layout::text::{format_number, group_thousands};
use crate::model::{Idea, JourneyMap, LinkId, Mode, Touchpoint, TouchpointId, Unit};

pub fn to_markdown(map: &JourneyMap, comparison: Option<&Comparison>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", esc(&map.title));
    if !map.description.trim().is_empty() {
        let _ = writeln!(s, "{}\n", esc(&map.description));
    }
    let loops = map.links.iter().filter(|l| map.is_loop_back(l)).count();
    let _ = writeln!(
        s,
        "{} stages · {} touchpoints · {} links ({} loop{} back) · budgets in {}\n",
        map.stages.len(),
        map.touchpoints.len(),
        map.links.len(),
        loops,
        if loops == 1 { "" } else { "s" },
        esc(&map.currency)
    );

    if !map.personas.is_empty() {
        s.push_str("## Personas\n\n");
        for p in &map.personas {
            let _ = writeln!(s, "### {}\n", esc(&p.name));
            if !p.description.trim().is_empty() {
                let _ = writeln!(s, "{}\n", esc(&p.description));
            }
            list(&mut s, "Goals", p.goals.iter().map(|g| (g.as_str(), 0)));
            list(&mut s, "Frustrations", p.frustrations.iter().map(|f| (f.as_str(), 0)));
        }
    }

    let _ = writeln!(s, "## Funnel: {}\n", esc(&map.funnel.name));
    for (i, f) in map.funnel.stages.iter().enumerate() {
        let stages: Vec<String> = map
            .stages
            .iter()
            .filter(|st| st.funnel_stage == Some(f.id))
            .map(|st| esc(&st.name))
            .collect();
        let _ = write!(s, "{}. **{}**", i + 1, esc(&f.name));
        if !stages.is_empty() {
            let _ = write!(s, ": {}", stages.join(", "));
        }
        s.push('\n');
    }
    s.push('\n');

    s.push_str("## Journey\n\n");
    for (i, stage) in map.stages.iter().enumerate() {
        let funnel = stage.funnel_stage.and_then(|f| map.funnel_stage(f));
        let _ = write!(s, "### {}. {}", i + 1, esc(&stage.name));
        if let Some(f) = funnel {
            let _ = write!(s, " ({})", esc(&f.name));
        }
        s.push_str("\n\n");
        if !stage.description.trim().is_empty() {
            let _ = writeln!(s, "{}\n", esc(&stage.description));
        }
        let touchpoints: Vec<&Touchpoint> = map.touchpoints_in(stage.id).collect();
        if touchpoints.is_empty() {
            s.push_str("*No touchpoints yet.*\n\n");
        }
        for tp in touchpoints {
            touchpoint(&mut s, map, tp);
        }
        if !stage.notes.is_empty() {
            s.push_str("**Notes**\n\n");
            for note in &stage.notes {
                if !note.kind.is_note() || note.votes > 0 {
                    let _ = writeln!(s, "*{}*{}\n", note.kind.label(), votes(note.votes));
                }
                let _ = writeln!(s, "{}\n", quote(&note.text));
            }
        }
    }
    let orphans: Vec<&Touchpoint> = map
        .touchpoints
        .iter()
        .filter(|t| map.stage(t.stage).is_none())
        .collect();
    if !orphans.is_empty() {
        s.push_str("### Touchpoints without a stage\n\n");
        for tp in orphans {
            touchpoint(&mut s, map, tp);
        }
    }

    if !map.links.is_empty() {
        s.push_str("## Links\n\n");
        let name = |id: TouchpointId| map.touchpoint(id).map_or("(missing)".to_owned(), |t| esc(&t.name));
        for link in &map.links {
            let _ = write!(s, "- {} → {}", name(link.from), name(link.to));
            if !link.label.trim().is_empty() {
                let _ = write!(s, " ({})", esc(&link.label));
            }
            if map.is_loop_back(link) {
                s.push_str(" · **loop back**");
            }
            s.push('\n');
        }
        s.push('\n');
        if loops > 0 {
            s.push_str("### Loops back\n\n");
            for link in map.links.iter().filter(|l| map.is_loop_back(l)) {
                let _ = writeln!(s, "- {} back to {}", name(link.from), name(link.to));
            }
            s.push('\n');
        }
    }

    if let Some(c) = comparison {
        data_section(&mut s, map, c);
    }
    s
}

fn touchpoint(s: &mut String, map: &JourneyMap, tp: &Touchpoint) {
    let _ = writeln!(s, "#### {}\n", esc(&tp.name));
    let mode = if tp.mode == Mode::Online { "online" } else { "offline" };
    let _ = writeln!(
        s,
        "{} · {} · {} · emotion {}\n",
        esc(tp.channel.label()),
        mode,
        esc(tp.interaction.label()),
        style::emotion_label(tp.emotion)
    );
    if !tp.description.trim().is_empty() {
        let _ = writeln!(s, "{}\n", esc(&tp.description));
    }
    if !tp.does.trim().is_empty() {
        let _ = writeln!(s, "- **Does:** {}", esc(&tp.does));
    }
    if !tp.thinks.trim().is_empty() {
        let _ = writeln!(s, "- **Thinks:** “{}”", esc(&tp.thinks));
    }
    if !tp.does.trim().is_empty() || !tp.thinks.trim().is_empty() {
        s.push('\n');
    }
    list(s, "Pain points", ideas(&tp.pain_points));
    list(s, "Opportunities", ideas(&tp.opportunities));
    if !tp.metrics.is_empty() {
        s.push_str("| Metric | Value | Target |\n|---|---:|---:|\n");
        for m in &tp.metrics {
            let value = m.value.map_or("—".to_owned(), |v| format_number(v, m.unit));
            let target = m.target.map_or("—".to_owned(), |v| format_number(v, m.unit));
            let currency = if m.unit == Unit::Currency {
                format!(" {}", esc(&map.currency))
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "| {} | {value}{currency} | {target}{} |",
                esc(&m.name),
                if m.target.is_some() { currency.as_str() } else { "" }
            );
        }
        s.push('\n');
    }
    if !tp.efforts.is_empty() {
        s.push_str("**Marketing efforts**\n\n");
        for e in &tp.efforts {
            let _ = write!(s, "- {} ({}, {})", esc(&e.name), e.kind.label(), esc(e.channel.label()));
            if let Some(b) = e.budget {
                let _ = write!(s, ": {} {}", group_thousands(b), esc(&map.currency));
            }
            if !e.owner.trim().is_empty() {
                let _ = write!(s, " · {}", esc(&e.owner));
            }
            match (e.start, e.end) {
                (Some(a), Some(b)) => {
                    let _ = write!(s, " · {a} to {b}");
                }
                (Some(a), None) => {
                    let _ = write!(s, " · from {a}");
                }
                (None, Some(b)) => {
                    let _ = write!(s, " · until {b}");
                }
                (None, None) => {}
            }
            s.push('\n');
        }
        let total: f64 = tp.efforts.iter().filter_map(|e| e.budget).sum();
        if tp.efforts.iter().filter(|e| e.budget.is_some()).count() > 1 {
            let _ = writeln!(s, "- Total: {} {}", group_thousands(total), esc(&map.currency));
        }
        s.push('\n');
    }
}

fn data_section(s: &mut String, map: &JourneyMap, c: &Comparison) {
    s.push_str("## What the data says\n\n");
    let share = |a: u64, b: u64| {
        if b == 0 {
            "—".to_owned()
        } else {
            format!("{:.0}%", a as f64 * 100.0 / b as f64)
        }
    };
    let _ = writeln!(
        s,
        "{} people, {} events; {} events ({}) met a touchpoint of the map.\n",
        group_thousands(c.people as f64),
        group_thousands(c.events as f64),
        group_thousands(c.matched_events as f64),
        share(c.matched_events, c.events)
    );

    s.push_str("### Touchpoints reached\n\n");
    s.push_str("| Touchpoint | People reached | Events | Conversions | Conversion rate | Cost per conversion |\n");
    s.push_str("|---|---:|---:|---:|---:|---:|\n");
    for t in &c.touchpoints {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            esc(&t.name),
            group_thousands(t.people_reached as f64),
            group_thousands(t.events as f64),
            group_thousands(t.conversions as f64),
            t.conversion_rate
                .map_or("—".to_owned(), |r| format_number(r * 100.0, Unit::Percent)),
            t.cost_per_conversion.map_or("—".to_owned(), |v| format!(
                "{} {}",
                group_thousands(v),
                esc(&map.currency)
            ))
        );
    }
    s.push('\n');

    money_section(s, &c.money);

    let name = |id: TouchpointId| map.touchpoint(id).map_or("(missing)".to_owned(), |t| esc(&t.name));
    s.push_str("### Touchpoints no one reached\n\n");
    if c.unmet_touchpoints.is_empty() {
        s.push_str("None: every touchpoint was met.\n\n");
    } else {
        for id in &c.unmet_touchpoints {
            let _ = writeln!(s, "- {}", name(*id));
        }
        s.push('\n');
    }

    s.push_str("### Funnel order\n\n");
    s.push_str("| Funnel stage | People reached | Entered without an earlier stage |\n|---|---:|---:|\n");
    for f in &c.funnel_stages {
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            esc(&f.name),
            group_thousands(f.people_reached as f64),
            group_thousands(f.entered_without_earlier as f64)
        );
    }
    let _ = writeln!(
        s,
        "\n{} people ({}) reached a funnel stage before an earlier one, contradicting the funnel's order.\n",
        group_thousands(c.people_out_of_order as f64),
        share(c.people_out_of_order, c.people)
    );

    s.push_str("### Paths people take that the map lacks\n\n");
    if c.missing_links.is_empty() {
        s.push_str("None.\n\n");
    } else {
        for t in &c.missing_links {
            let _ = writeln!(
                s,
                "- {} → {}: {} moves ({:.0}% of moves out of {})",
                esc(&t.from_name),
                esc(&t.to_name),
                group_thousands(t.count as f64),
                t.share * 100.0,
                esc(&t.from_name)
            );
        }
        s.push('\n');
    }

    s.push_str("### Links no one followed\n\n");
    if c.unused_links.is_empty() {
        s.push_str("None.\n\n");
    } else {
        for id in &c.unused_links {
            let _ = writeln!(s, "- {}", link_name(map, *id));
        }
        s.push('\n');
    }
    if !c.expected_unused_links.is_empty() {
        let n = c.expected_unused_links.len();
        let _ = writeln!(
            s,
            "{n} link{} kept on the map as expected {} not followed.\n",
            if n == 1 { "" } else { "s" },
            if n == 1 { "was" } else { "were" }
        );
    }

    if !c.unmatched_events.is_empty() {
        s.push_str("### Events the map does not cover\n\n");
        for e in c.unmatched_events.iter().take(20) {
            let _ = writeln!(s, "- {}: {}", code(&e.event), group_thousands(e.count as f64));
        }
        if c.unmatched_events.len() > 20 {
            let _ = writeln!(s, "- … and {} more", c.unmatched_events.len() - 20);
        }
        s.push('\n');
    }
}

/// Credit for conversions by channel under each model, in conversions and,
/// when the data has any, in revenue.
/// Spend against the funnel per channel and per touchpoint with a cost;
/// a dash wherever a figure is unknown.
fn money_section(s: &mut String, m: &Money) {
    s.push_str("### Money\n\n");
    let days = m
        .range
        .map_or(String::new(), |r| format!(" from {} to {}", r.first, r.last));
    let last = m
        .funnel_stages
        .last()
        .map_or("the last funnel stage".to_owned(), |n| esc(n));
    let _ = writeln!(
        s,
        "Cost is the imported cost column plus the budgets on the map, each budget spread evenly over its \
         dates and counted only for the days{days}. A conversion is reaching {last} after meeting the channel or \
         touchpoint; revenue is what those people brought from then on. Amounts in {}.\n",
        esc(&m.currency)
    );
    if !m.has_cost() {
        s.push_str("No cost data: the imported events have no cost and the map has no budgets.\n\n");
        return;
    }
    let amount = |v: Option<f64>| v.map_or("—".to_owned(), |v| group_thousands(v.round()));
    let each = |v: Option<f64>| v.map_or("—".to_owned(), |v| group_thousands((v * 100.0).round() / 100.0));
    let ratio = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{v:.2}"));
    let table = |s: &mut String, head: &str, rows: &mut dyn Iterator<Item = &MoneyRow>| {
        let _ = writeln!(
            s,
            "| {head} | Cost | Source | People reached | Conversions | Cost per conversion | Revenue | ROAS |"
        );
        s.push_str("|---|---:|---|---:|---:|---:|---:|---:|\n");
        for r in rows {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                esc(&r.name),
                amount(r.cost),
                r.cost_source.map_or("—", |c| c.label()),
                group_thousands(r.people_reached as f64),
                group_thousands(r.conversions as f64),
                each(r.cost_per_conversion),
                amount(r.revenue),
                ratio(r.roas)
            );
        }
        s.push('\n');
    };
    table(s, "Channel", &mut m.channels.iter().chain([&m.total]));
    table(s, "Touchpoint", &mut m.touchpoints.iter().filter(|t| t.cost.is_some()));
    let stages: Vec<String> = m.funnel_stages.iter().map(|n| esc(n)).collect();
    let _ = writeln!(s, "Cost per stage reached, per touchpoint with a cost:\n");
    let _ = writeln!(s, "| Touchpoint | {} |", stages.join(" | "));
    let _ = writeln!(s, "|---|{}", "---:|".repeat(stages.len()));
    for r in m.touchpoints.iter().filter(|t| t.cost.is_some()) {
        let cells: Vec<String> = r.cost_per_stage.iter().map(|&v| each(v)).collect();
        let _ = writeln!(s, "| {} | {} |", esc(&r.name), cells.join(" | "));
    }
    s.push('\n');
}

pub fn attribution_section(s: &mut String, map: &JourneyMap, t: &AttributionTable) {
    s.push_str("## Attribution by channel\n\n");
    let _ = writeln!(
        s,
        "{} conversions (a person's first event of the last funnel stage), {} with a channel touch before \
         them; each model shares those out. Touches are earlier events with a channel; position-based is \
         40/20/40, time decay halves a touch's weight every 7 days, Markov shares by removal effect.\n",
        group_thousands(t.conversions as f64),
        group_thousands(t.attributed_conversions as f64),
    );
    let models = t.models.each();
    let keys = t.keys();
    let mut tables = vec![("Conversions", false)];
    if t.revenue > 0.0 {
        tables.push(("Revenue", true));
    }
    for (title, revenue) in tables {
        let _ = writeln!(s, "### {title} credited\n");
        s.push_str("| Channel |");
        for (_, heading, _) in &models {
            let _ = write!(s, " {heading} |");
        }
        s.push_str("\n|---|");
        s.push_str(&"---:|".repeat(models.len()));
        s.push('\n');
        for key in &keys {
            let _ = write!(s, "| {} |", esc(key));
            for (_, _, credits) in &models {
                let c = credits.get(*key).copied().unwrap_or_default();
                let cell = if revenue {
                    format!("{} {}", group_thousands(c.revenue.round()), esc(&map.currency))
                } else {
                    format!("{:.1}", c.conversions)
                };
                let _ = write!(s, " {cell} |");
            }
            s.push('\n');
        }
        s.push('\n');
    }
    if let Some(problem) = &t.markov_problem {
        let _ = writeln!(s, "No Markov model: {}.\n", esc(problem));
    }
}

fn link_name(map: &JourneyMap, id: LinkId) -> String {
    let Some(link) = map.links.iter().find(|l| l.id == id) else {
        return format!("link {}", id.0);
    };
    let name = |id: TouchpointId| map.touchpoint(id).map_or("(missing)".to_owned(), |t| esc(&t.name));
    let mut out = format!("{} → {}", name(link.from), name(link.to));
    if map.is_loop_back(link) {
        out.push_str(" (loop back)");
    }
    out
}

fn list<'a>(s: &mut String, title: &str, items: impl ExactSizeIterator<Item = (&'a str, u32)>) {
    if items.len() == 0 {
        return;
    }
    let _ = writeln!(s, "**{title}**\n");
    for (text, n) in items {
        let _ = writeln!(s, "- {}{}", esc(text), votes(n));
    }
    s.push('\n');
}

fn ideas(items: &[Idea]) -> impl ExactSizeIterator<Item = (&str, u32)> {
    items.iter().map(|i| (i.text.as_str(), i.votes))
}

/// " (3 votes)" after an idea the room voted for; nothing otherwise.
fn votes(n: u32) -> String {
    match n {
        0 => String::new(),
        1 => " (1 vote)".to_owned(),
        n => format!(" ({n} votes)"),
    }
}

/// Text from the map or the data as Markdown that shows it as it is, wherever
/// the report puts it: a heading, a paragraph, a list item, a table cell. Line
/// breaks and tabs become spaces (a line break would end the heading, item or
/// row); other control characters become U+FFFD.
fn esc(text: &str) -> String {
    esc_line(&one_line(text, ' '))
}

/// One line of text escaped for CommonMark (with the GitHub extensions:
/// tables, strikethrough), by the place in the line where markup can start:
/// - anywhere: `\` escapes, `` ` `` code, `*` `_` `~` emphasis, `[` `]` links
///   and images, `<` HTML and autolinks, `|` table cells, and `&` where it
///   starts an entity (`&lt;`, `&#60;`): always backslash-escaped;
/// - at the start of the line: `#` headings, `>` quotes, `-` `+` bullets,
///   `1.` `1)` numbered items, `---` and `===` rules and underlines: the
///   marker is escaped there only, so `a - b` and `-5%` elsewhere stay plain;
/// - a trailing run of `#`, which a heading would drop as its closing marks.
///
/// Backslash before ASCII punctuation always means the character itself, so
/// an escape never shows; leading and trailing spaces are dropped (four
/// leading spaces would start a code block).
fn esc_line(line: &str) -> String {
    let chars: Vec<char> = line.trim().chars().collect();
    let trailing_hashes = chars.iter().rev().take_while(|&&c| c == '#').count();
    let next = |i: usize| chars.get(i + 1).copied();
    let mut out = String::with_capacity(line.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '<' | '|' => true,
            '&' => starts_entity(&chars[i + 1..]),
            '#' => i == 0 || i == chars.len() - trailing_hashes,
            '>' => i == 0,
            '-' | '+' | '=' => i == 0 && next(i).is_none_or(|n| n == c || n.is_whitespace()),
            '.' | ')' => {
                (1..=9).contains(&i)
                    && chars[..i].iter().all(char::is_ascii_digit)
                    && next(i).is_none_or(char::is_whitespace)
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the text after an `&` makes it an entity: `name;`, `#123;`, `#x1F;`.
fn starts_entity(rest: &[char]) -> bool {
    let rest = rest.strip_prefix(&['#']).unwrap_or(rest);
    let name = rest.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    (1..=32).contains(&name) && rest.get(name) == Some(&';')
}

/// `text` without line breaks (each becomes `line_break`), tabs as spaces and
/// other control characters as U+FFFD, so none reaches the reader's terminal
/// or splits the line it sits in.
fn one_line(text: &str, line_break: char) -> String {
    text.trim()
        .replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\n' | '\r' => line_break,
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// A note as a block quote, its lines kept, each escaped as a line of its own
/// (so a line `===` or `# x` stays text rather than making a heading).
fn quote(text: &str) -> String {
    one_line(text, '\n')
        .split('\n')
        .map(|line| format!("> {}", esc_line(line)).trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` as an inline code span. Inside one, backslashes are literal, so
/// backticks in the text are kept by fencing it with one more backtick than
/// its longest run; a space pads a text that starts or ends with a backtick
/// or space (CommonMark drops one such space from each side).
fn code(text: &str) -> String {
    let text = one_line(text, ' ');
    if text.is_empty() {
        return "(empty)".to_owned();
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(esc("a|b *c* #1"), "a\\|b \\*c\\* #1");
        assert_eq!(esc("Đánh giá\nx"), "Đánh giá x");
        assert_eq!(esc("<b> & &amp; &#60; Q&A"), "\\<b> & \\&amp; \\&#60; Q&A");
        assert_eq!(esc("[x](y) `z` ~s~ a_b \\"), "\\[x\\](y) \\`z\\` \\~s\\~ a\\_b \\\\");
    }

    #[test]
    fn line_starts_are_escaped_only_at_the_start() {
        assert_eq!(esc("# H"), "\\# H");
        assert_eq!(esc("Step ##"), "Step \\##");
        assert_eq!(esc("> q"), "\\> q");
        assert_eq!(esc("- x - y"), "\\- x - y");
        assert_eq!(esc("+ x"), "\\+ x");
        assert_eq!(esc("---"), "\\---");
        assert_eq!(esc("-5% a -> b"), "-5% a -> b");
        assert_eq!(esc("2024. Plan"), "2024\\. Plan");
        assert_eq!(esc("1) x"), "1\\) x");
        assert_eq!(esc("1.5 rate"), "1.5 rate");
        assert_eq!(esc("\u{1b}[31m"), "\u{fffd}\\[31m");
    }

    #[test]
    fn notes_keep_their_lines_each_escaped() {
        assert_eq!(quote("a\r\n===\n\n# b\n    c"), "> a\n> \\===\n>\n> \\# b\n> c");
    }

    #[test]
    fn cost_per_conversion_without_cost_data_is_a_dash_not_zero() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/b2b_saas_inbound.ron");
        let mut map = crate::model::format::load(std::path::Path::new(path)).unwrap();
        let kept = map.links[0].id;
        map.links[0].expected = true;
        let mut b = crate::analysis::EventLogBuilder::default();
        // Two people buy; neither event carries a cost.
        for p in ["a", "b"] {
            b.push(p, 1, "demo_booked", None, 0.0, 0.0);
            b.push(p, 2, "subscription_started", None, 0.0, 900.0);
        }
        let c = crate::analysis::compare(&map, &b.build(), 0.05);
        let md = to_markdown(&map, Some(&c));
        let demo = map.touchpoints.iter().find(|t| t.name == "Book a demo").unwrap();
        let row = md
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", esc(&demo.name))))
            .unwrap();
        assert!(row.ends_with("| — |"), "{row}");
        assert!(!md.contains("| 0 USD |"), "no cost is not a cost of zero");
        assert!(c.expected_unused_links.contains(&kept));
        assert!(md.contains("kept on the map as expected"));
    }

    #[test]
    fn money_names_its_sources_and_leaves_unknowns_blank() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_maps/b2b_saas_inbound.ron");
        let map = crate::model::format::load(std::path::Path::new(path)).unwrap();
        let day = |d: i64| 1_775_000_000_000 + d * 86_400_000; // from 2026-03-31
        let mut b = crate::analysis::EventLogBuilder::default();
        b.push("a", day(0), "session_start", Some("google"), 40.0, 0.0);
        b.push("a", day(1), "subscription_started", Some("sales"), 0.0, 900.0);
        b.push("b", day(1), "ad_click", Some("linkedin"), 0.0, 0.0);
        let log = b.build();
        let md = to_markdown(&map, Some(&crate::analysis::compare(&map, &log, 0.05)));
        let row = |start: &str| {
            md.lines()
                .find(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("{start}\n{md}"))
        };
        assert!(md.contains("### Money"));
        assert!(md.contains("from 2026-03-31 to 2026-04-01"));
        // google: 40 imported plus two of the search budget's days.
        let google = row("| google |");
        assert!(google.contains("| imported cost and budgets on the map |"), "{google}");
        // linkedin: its budget only, reached but nobody converted: no CAC.
        let linkedin = row("| linkedin |");
        assert!(
            linkedin.contains("| budgets on the map | 1 | 0 | — | 0 | 0.00 |"),
            "{linkedin}"
        );
        // sales: no cost of any kind.
        assert!(row("| sales |").contains("| — | — | 1 | 1 | — | 900 | — |"));

        let mut free = map.clone();
        free.touchpoints.iter_mut().for_each(|t| t.efforts.clear());
        let mut b = crate::analysis::EventLogBuilder::default();
        b.push("a", day(0), "session_start", Some("google"), 0.0, 0.0);
        let md = to_markdown(&free, Some(&crate::analysis::compare(&free, &b.build(), 0.05)));
        assert!(md.contains("No cost data"), "{md}");
    }

    #[test]
    fn code_spans_fence_around_backticks() {
        assert_eq!(code("page_view"), "`page_view`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code("a\nb"), "`a b`");
    }
}
