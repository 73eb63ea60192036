//! Text from a map or from imported events stays text in every output: a
//! spreadsheet runs no formula from the CSV, a Markdown renderer (raw HTML on)
//! makes no tag, heading, list, link or code block from the report, the SVG
//! stays XML, and the terminal never receives an escape sequence.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::AtomicBool;

use journeymap::analysis::{self, Comparison};
use journeymap::export::{self, ExportOptions, Format};
use journeymap::model::{
    Channel, EffortId, EffortKind, EventMatcher, Idea, Interaction, Link, LinkId, MarketingEffort, Metric, MetricId,
    MetricSource, Note, NoteId, Persona, PersonaId, Stage, StageId, Touchpoint, TouchpointId, Unit, format, templates,
};
use journeymap::store::{self, Database, ImportOptions};
use pulldown_cmark::{Event, Parser};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-inert-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Where the texts of a map come from: the hostile text each field is given
/// here, or (for a map of the same shape to compare with) a plain one.
struct Texts {
    hostile: bool,
    plain: usize,
    /// Every text given out, as the map holds it.
    given: Vec<String>,
}

impl Texts {
    fn new(hostile: bool) -> Texts {
        Texts {
            hostile,
            plain: 0,
            given: Vec::new(),
        }
    }

    fn t(&mut self, hostile: &str) -> String {
        let text = if self.hostile {
            hostile.to_owned()
        } else {
            self.plain += 1;
            format!("Plain {}", self.plain)
        };
        self.given.push(text.clone());
        text
    }
}

/// Event names: three that touchpoints match, three that none does.
fn event_names(hostile: bool) -> [String; 6] {
    if hostile {
        [
            "<script>alert(1)</script>",
            "=cmd|' /C calc'!A0",
            "<img src=x onerror=alert(1)>",
            "\u{1b}[31mred\u{1b}[0m",
            "ev\n# H",
            "`tick` a|b",
        ]
        .map(str::to_owned)
    } else {
        ["ev0", "ev1", "ev2", "ev3", "ev4", "ev5"].map(str::to_owned)
    }
}

/// Two funnel stages, two stages with notes, a persona, four touchpoints
/// (with an emotion of -1, a budget of -5 and a metric of -1), three links
/// (one a loop back), every text from `texts`.
fn map(texts: &mut Texts) -> journeymap::model::JourneyMap {
    let events = event_names(texts.hostile);
    let mut map = templates::find("basic").unwrap().new_map("");
    map.title = texts.t("<script>alert(1)</script>");
    map.description = texts.t("# H\n<img src=x onerror=alert(1)>\n- item");
    map.currency = texts.t("<img src=x onerror=alert(1)>");
    map.funnel.name = texts.t("`code` and ``more``");
    map.funnel.stages.truncate(2);
    map.funnel.stages[0].name = texts.t("[link](http://x)");
    map.funnel.stages[1].name = texts.t("*em* and _em_ and ~~gone~~\u{1b}]0;title\u{7}");
    let (f1, f2) = (map.funnel.stages[0].id, map.funnel.stages[1].id);
    map.stages = vec![
        Stage {
            id: StageId(10),
            name: texts.t("# H"),
            description: texts.t("&lt;b&gt; &#60;i&#62; Q&A"),
            funnel_stage: Some(f1),
            notes: vec![
                Note::new(NoteId(11), texts.t("first\n===\n    indented\n---\n- item")),
                Note::new(NoteId(12), texts.t("> quote\n<script>alert(1)</script>\n```\n1. one")),
            ],
        },
        Stage {
            id: StageId(13),
            name: texts.t("1. one"),
            description: texts.t("![img](http://x/y.png) <http://x> [ref]: http://x"),
            funnel_stage: Some(f2),
            notes: Vec::new(),
        },
    ];
    map.personas = vec![Persona {
        id: PersonaId(14),
        name: texts.t("Step ##"),
        description: texts.t("\u{1b}[31mred\u{1b}[0m"),
        goals: vec![texts.t("+ plus")],
        frustrations: vec![texts.t("- item")],
    }];
    let matcher = |event: &str| EventMatcher {
        event: event.to_owned(),
        channel: None,
    };
    let mut first = Touchpoint::new(
        TouchpointId(20),
        StageId(10),
        &texts.t("=HYPERLINK(\"http://x\",\"y\")"),
    );
    first.channel = Channel::Other(texts.t("a|b"));
    first.interaction = Interaction::Other(texts.t("-cmd"));
    first.description = texts.t("two\nlines");
    first.does = texts.t("x;=1+1");
    first.thinks = texts.t("@SUM(A1)");
    first.emotion = -1;
    first.pain_points = vec![Idea::new(texts.t("\t=1"))];
    first.opportunities = vec![Idea::new(texts.t("<img src=x onerror=alert(1)>"))];
    first.efforts = vec![MarketingEffort {
        id: EffortId(21),
        name: texts.t("@SUM(A1)"),
        kind: EffortKind::Ad,
        channel: Channel::Other(texts.t("a|b\nc")),
        budget: Some(-5.0),
        owner: texts.t("# H"),
        start: None,
        end: None,
    }];
    first.metrics = vec![
        Metric {
            id: MetricId(22),
            name: texts.t("a|b"),
            value: Some(-1.0),
            unit: Unit::Currency,
            target: Some(3.0),
            source: MetricSource::Manual,
        },
        Metric {
            id: MetricId(23),
            name: texts.t("\u{1b}[31mred"),
            value: Some(2.0),
            unit: Unit::Count,
            target: None,
            source: MetricSource::Manual,
        },
    ];
    first.matchers = vec![matcher(&events[0])];
    let mut second = Touchpoint::new(TouchpointId(24), StageId(10), &texts.t("+1"));
    second.metrics = vec![Metric {
        id: MetricId(25),
        name: texts.t("-cmd|x"),
        value: Some(50.0),
        unit: Unit::Percent,
        target: None,
        source: MetricSource::Manual,
    }];
    second.matchers = vec![matcher(&events[1])];
    let mut third = Touchpoint::new(TouchpointId(26), StageId(13), &texts.t("a|b `c`\u{9b}31m"));
    third.matchers = vec![matcher(&events[2])];
    let fourth = Touchpoint::new(TouchpointId(27), StageId(13), &texts.t("*em*\n# H\u{1b}[2J"));
    map.touchpoints = vec![first, second, third, fourth];
    map.links = vec![
        Link {
            id: LinkId(30),
            from: TouchpointId(20),
            to: TouchpointId(24),
            label: texts.t("[link](http://x)"),
            expected: false,
        },
        Link {
            id: LinkId(31),
            from: TouchpointId(26),
            to: TouchpointId(20),
            label: texts.t("<script>x</script>"),
            expected: false,
        },
        Link {
            id: LinkId(32),
            from: TouchpointId(24),
            to: TouchpointId(27),
            label: String::new(),
            expected: false,
        },
    ];
    map
}

/// p1 meets the first three touchpoints in order, then two events no
/// touchpoint matches; p2 goes from the first touchpoint to the third, a path the map
/// lacks; p3 loops back. Channels and a `segment` column carry text too.
fn events_csv(hostile: bool) -> Vec<u8> {
    let ev = event_names(hostile);
    let (channel, seg1, seg2) = if hostile {
        ("\u{1b}[32mads", "\u{1b}]0;pwned\u{7}", "=cmd|' /C calc'!A0")
    } else {
        ("ads", "smb", "enterprise")
    };
    let rows = [
        ("p1", "2026-03-01T10:00:00Z", &ev[0], seg1),
        ("p1", "2026-03-01T10:05:00Z", &ev[1], seg1),
        ("p1", "2026-03-01T10:10:00Z", &ev[2], seg1),
        ("p1", "2026-03-01T10:15:00Z", &ev[3], seg1),
        ("p1", "2026-03-01T10:20:00Z", &ev[4], seg1),
        ("p2", "2026-03-02T10:00:00Z", &ev[0], seg2),
        ("p2", "2026-03-02T10:05:00Z", &ev[2], seg2),
        ("p2", "2026-03-02T10:10:00Z", &ev[4], seg2),
        ("p3", "2026-03-03T10:00:00Z", &ev[2], seg2),
        ("p3", "2026-03-03T10:05:00Z", &ev[0], seg2),
        ("p3", "2026-03-03T10:10:00Z", &ev[5], seg2),
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "person_id",
        "timestamp",
        "event",
        "channel",
        "cost",
        "revenue",
        "segment",
    ])
    .unwrap();
    for (person, time, event, segment) in rows {
        w.write_record([person, time, event.as_str(), channel, "1", "", segment])
            .unwrap();
    }
    w.into_inner().unwrap()
}

/// The events imported into a new database in `dir` through the store.
fn imported(dir: &Path, hostile: bool) -> PathBuf {
    let csv = dir.join("events.csv");
    std::fs::write(&csv, events_csv(hostile)).unwrap();
    let path = dir.join("data.sqlite");
    let mut db = Database::open(&path).unwrap();
    let summary = store::import_csv(
        &mut db,
        &csv,
        &ImportOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!((summary.imported, summary.rejected), (11, 0), "{summary:?}");
    path
}

/// The map with its data metrics filled and its comparison with the data,
/// as `journeymap export --db` makes them.
fn compared(map: &journeymap::model::JourneyMap, db: &Path) -> (journeymap::model::JourneyMap, Comparison) {
    let log = store::load_events(&Database::open(db).unwrap()).unwrap();
    let comparison = analysis::compare(map, &log, 0.05);
    (analysis::fill_data_metrics(map, &comparison), comparison)
}

// ---- CSV ----

fn starts_a_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn is_number(cell: &str) -> bool {
    cell.parse::<f64>().is_ok() && cell.chars().all(|c| c == '-' || c == '.' || c.is_ascii_digit())
}

#[test]
fn csv_cells_never_start_a_formula_but_numbers_stay_numbers() {
    let map = map(&mut Texts::new(true));
    let bytes = export::render(&map, Format::Csv, &ExportOptions::default(), None).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let body = text.strip_prefix(export::csv::BOM).expect("starts with a BOM");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), map.touchpoints.len());
    for cell in header.iter().chain(rows.iter().flat_map(|r| r.iter())) {
        assert!(
            !starts_a_formula(cell) || is_number(cell),
            "{cell:?} would run as a formula"
        );
    }
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
    };
    // The text is all there, behind a quote that makes it text.
    assert_eq!(&rows[0][col("Touchpoint")], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(&rows[1][col("Touchpoint")], "'+1");
    assert_eq!(&rows[0][col("Interaction")], "'-cmd");
    assert_eq!(&rows[0][col("Thinks")], "'@SUM(A1)");
    assert_eq!(&rows[0][col("Pain points")], "'\t=1");
    assert_eq!(
        &rows[0][col("Marketing efforts")],
        "'@SUM(A1): -5 <img src=x onerror=alert(1)>"
    );
    col("'-cmd|x (%)");
    // Numbers stay numbers, unquoted.
    assert_eq!(&rows[0][col("Emotion")], "-1");
    assert_eq!(&rows[0][col("a|b (<img src=x onerror=alert(1)>)")], "-1");
    assert_eq!(&rows[0][col("Total budget (<img src=x onerror=alert(1)>)")], "-5");
    assert!(body.contains(",-1,") && !body.contains("\"-1\""), "{body}");
    // A `;` inside a text cell cannot start a cell in a spreadsheet that
    // splits on `;`: the cell is quoted.
    assert_eq!(&rows[0][col("Does")], "x;=1+1");
    assert!(body.contains(",\"x;=1+1\","), "{body}");
}

// ---- Markdown ----

fn cmark_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS | Options::ENABLE_FOOTNOTES
}

/// The report of the map, with the comparison with its events, and the texts
/// the map was given.
fn report(hostile: bool) -> (String, Vec<String>) {
    let dir = scratch(if hostile { "md-hostile" } else { "md-plain" });
    let mut texts = Texts::new(hostile);
    let map = map(&mut texts);
    let db = imported(&dir, hostile);
    let (map, comparison) = compared(&map, &db);
    let bytes = export::render(&map, Format::Markdown, &ExportOptions::default(), Some(&comparison)).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (String::from_utf8(bytes).unwrap(), texts.given)
}

/// The blocks and inline markup a renderer makes of `md`, without the text.
fn structure(md: &str) -> Vec<String> {
    Parser::new_ext(md, cmark_options())
        .filter_map(|event| match event {
            Event::Start(tag) => Some(format!("{tag:?}")),
            Event::End(tag) => Some(format!("/{tag:?}")),
            Event::Text(_) | Event::SoftBreak => None,
            Event::Code(_) => Some("Code".to_owned()),
            other => Some(format!("{other:?}")),
        })
        .collect()
}

/// What a reader sees: the text of `md`, each piece of markup a `¶`.
fn seen(md: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(md, cmark_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => out.push('¶'),
        }
    }
    normalised(&out)
}

/// Runs of white space as one space, control characters as U+FFFD: how
/// the report is to show any text.
fn normalised(text: &str) -> String {
    let shown: String = text
        .chars()
        .map(|c| {
            if c.is_control() && !c.is_whitespace() {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    shown.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn markdown_shows_hostile_text_as_text() {
    let (md, given) = report(true);
    let (plain_md, _) = report(false);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&md, cmark_options()));

    assert!(!md.contains('\u{1b}'), "ESC would reach a terminal showing the file");
    for tag in [
        "<script", "<img", "<a ", "<pre", "<hr", "<del", "<em>", "<input", "<sup",
    ] {
        assert!(!html.contains(tag), "{tag} in\n{html}");
    }
    // Exactly the headings, lists, tables, quotes and code spans the report
    // has for plain text: none from the text itself.
    let heading_count = |html: &str| {
        (1..=6)
            .map(|n| html.matches(&format!("<h{n}>")).count())
            .collect::<Vec<_>>()
    };
    let mut plain_html = String::new();
    pulldown_cmark::html::push_html(&mut plain_html, Parser::new_ext(&plain_md, cmark_options()));
    assert_eq!(heading_count(&html), heading_count(&plain_html));
    let (hostile, plain) = (structure(&md), structure(&plain_md));
    let differ = hostile.iter().zip(&plain).position(|(a, b)| a != b);
    assert!(
        differ.is_none() && hostile.len() == plain.len(),
        "markup from text at {:?}:\n{md}",
        differ.map(|i| &hostile[i.saturating_sub(3)..(i + 3).min(hostile.len())])
    );

    // Every table row has as many cells as its header.
    let cells = |row: &str| row.matches("<td>").count() + row.matches("<td ").count();
    let mut tables = 0;
    for table in html.split("<table>").skip(1) {
        let table = &table[..table.find("</table>").unwrap()];
        let (head, body) = table.split_once("</thead>").unwrap();
        let columns = head.matches("<th>").count() + head.matches("<th ").count();
        for row in body.split("<tr>").skip(1) {
            assert_eq!(cells(row), columns, "{row}");
        }
        tables += 1;
    }
    assert_eq!(
        tables, 7,
        "metrics of two touchpoints, touchpoints reached, funnel order, money per channel, per touchpoint \
         and per stage reached"
    );

    // And the text reads as it was written.
    let seen = seen(&md);
    for text in given.iter().chain(&event_names(true)[3..]) {
        assert!(
            seen.contains(&normalised(text)),
            "{text:?} not shown as text in\n{seen}"
        );
    }
}

// ---- SVG ----

#[test]
fn svg_of_hostile_text_is_xml_with_the_text_as_text() {
    let map = map(&mut Texts::new(true));
    let options = ExportOptions {
        embed_fonts: false,
        ..ExportOptions::default()
    };
    let svg = String::from_utf8(export::render(&map, Format::Svg, &options, None).unwrap()).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
    let elements: Vec<&str> = doc.descendants().map(|n| n.tag_name().name()).collect();
    for tag in ["script", "img", "a", "foreignObject", "iframe"] {
        assert!(!elements.contains(&tag), "<{tag}> in the SVG");
    }
    let title = |id: &str| {
        let group = doc.descendants().find(|n| n.attribute("id") == Some(id)).unwrap();
        let title = group.children().find(|n| n.has_tag_name("title")).unwrap();
        title.text().unwrap_or_default().to_owned()
    };
    assert_eq!(title("touchpoint-20"), map.touchpoints[0].name);
    assert_eq!(title("stage-10"), "# H");
}

// ---- The terminal ----

fn journeymap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .unwrap()
}

/// `out` succeeded and sent the terminal no ESC; its standard output.
fn inert(out: &Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(!out.stdout.contains(&0x1b), "{what} printed ESC:\n{stdout:?}");
    assert!(!out.stderr.contains(&0x1b), "{what} printed ESC on stderr");
    stdout
}

#[test]
fn terminal_output_shows_control_characters_escaped() {
    let dir = scratch("terminal");
    let db = imported(&dir, true);
    let db = db.to_str().unwrap();
    let map_path = dir.join("map.ron");
    format::save(&map(&mut Texts::new(true)), &map_path).unwrap();
    let ev = event_names(true);

    let out = inert(&journeymap(&["paths", "--db", db]), "paths");
    assert!(out.contains("\\e[31mred\\e[0m"), "{out}");
    assert!(out.contains("\\e[31mred\\e[0m -> ev\\n# H"), "{out}");

    let steps = format!("{},{}", ev[0], ev[3]);
    let out = inert(&journeymap(&["funnel", "--db", db, "--steps", &steps]), "funnel");
    assert!(out.contains("\\e[31mred"), "{out}");
    let out = inert(
        &journeymap(&["funnel", "--db", db, "--steps", &steps, "--by", "segment"]),
        "funnel --by segment",
    );
    assert!(out.contains("\\e]0;pwned\\u{7}: "), "{out}");
    let out = inert(
        &journeymap(&["funnel", "--db", db, "--steps", &steps, "--by", "channel"]),
        "funnel --by channel",
    );
    assert!(out.contains("\\e[32mads: "), "{out}");

    let map_arg = map_path.to_str().unwrap();
    let out = inert(&journeymap(&["compare", "--map", map_arg, "--db", db]), "compare");
    assert!(out.contains("*em*\\n# H\\e[2J"), "a touchpoint nobody meets: {out}");
    assert!(out.contains("\\e]0;title\\u{7}"), "a funnel stage: {out}");
    assert!(
        out.contains("\\e[31mred\\e[0m"),
        "an event no touchpoint matches: {out}"
    );
    assert!(out.contains("-> a|b `c`\\u{9b}31m ("), "a path the map lacks: {out}");

    // A rejected row's reason quotes the value.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "person_id,timestamp,event,cost\np1,2026-03-01T10:00:00Z,visit,\u{1b}[2J\np1,2026-03-01T11:00:00Z,buy,\n",
    )
    .unwrap();
    let other = dir.join("other.sqlite");
    let out = inert(
        &journeymap(&["import", bad.to_str().unwrap(), "--db", other.to_str().unwrap()]),
        "import",
    );
    assert!(out.contains("line 2: ") && out.contains("\\e[2J"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_output_escapes_control_characters() {
    let dir = scratch("json");
    let db = imported(&dir, true);
    let db = db.to_str().unwrap();
    let map_path = dir.join("map.ron");
    format::save(&map(&mut Texts::new(true)), &map_path).unwrap();
    let ev = event_names(true);
    let json = |args: &[&str]| -> serde_json::Value {
        let out = journeymap(args);
        let stdout = inert(&out, args[0]);
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
    };

    let paths = json(&["paths", "--db", db, "--json"]);
    let names: Vec<&str> = paths
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| [p["from"].as_str().unwrap(), p["to"].as_str().unwrap()])
        .collect();
    assert!(
        names.contains(&ev[3].as_str()) && names.contains(&ev[4].as_str()),
        "{paths}"
    );

    let steps = format!("{},{}", ev[0], ev[3]);
    let funnel = json(&["funnel", "--db", db, "--steps", &steps, "--by", "segment", "--json"]);
    assert_eq!(funnel["steps"][1]["name"], ev[3].as_str(), "{funnel}");
    let keys: Vec<&str> = funnel["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"\u{1b}]0;pwned\u{7}"), "{funnel}");

    let compare = json(&["compare", "--map", map_path.to_str().unwrap(), "--db", db, "--json"]);
    let unmatched: Vec<&str> = compare["unmatched_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(unmatched.contains(&ev[3].as_str()), "{compare}");
    let _ = std::fs::remove_dir_all(&dir);
}
