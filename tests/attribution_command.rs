//! `journeymap attribution` as a user runs it, checked against a separate
//! implementation of its stated definitions over a generated log with many
//! channels, ties, repeat buyers, buyers without touches and non-buyers.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

mod cli;

use cli::{journeymap, json};

fn scratch(name: &str) -> PathBuf {
    cli::scratch(&format!("attribution-{name}"))
}

/// One row of the generated file: (person, unix seconds, event, channel, revenue).
type Row = (String, i64, &'static str, &'static str, f64);

/// 600 people over six channels. Many events share a second, so file order
/// decides; some purchases carry a channel of their own (never a touch).
fn generated() -> Vec<Row> {
    let mut s: u64 = 7;
    let mut next = move |n: u64| {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 33) % n
    };
    const CHANNELS: [&str; 7] = ["search", "ads", "email", "social", "partner", "direct", ""];
    let mut rows = Vec::new();
    for p in 0..600 {
        let person = format!("p{p:04}");
        let mut t = 1_767_225_600 + next(30 * 86_400) as i64;
        let events = 1 + next(9);
        // People who met the partner channel buy more often.
        let mut partner = false;
        for _ in 0..events {
            t += [0, 0, 60, 3_600, 86_400, 5 * 86_400][next(6) as usize] as i64;
            let channel = CHANNELS[next(7) as usize];
            partner |= channel == "partner";
            let odds = if partner { 30 } else { 12 };
            if next(100) < odds {
                let revenue = [49.0, 99.0, 249.5][next(3) as usize];
                let own = if next(4) == 0 { "direct" } else { "" };
                rows.push((person.clone(), t, "purchase", own, revenue));
            } else {
                let event = ["visit", "open", "signup"][next(3) as usize];
                rows.push((person.clone(), t, event, channel, 0.0));
            }
        }
    }
    // Interleave people as a real export does; each person's rows keep order.
    let mut shuffled = Vec::with_capacity(rows.len());
    let mut by_person: Vec<std::collections::VecDeque<Row>> = Vec::new();
    for r in rows {
        match by_person.last_mut() {
            Some(q) if q[0].0 == r.0 => q.push_back(r),
            _ => by_person.push([r].into()),
        }
    }
    while by_person.iter().any(|q| !q.is_empty()) {
        let i = next(by_person.len() as u64) as usize;
        if let Some(r) = by_person[i].pop_front() {
            shuffled.push(r);
        }
    }
    shuffled
}

fn import(dir: &Path, rows: &[Row]) -> PathBuf {
    let mut csv = String::from("person_id,timestamp,event,channel,cost,revenue\n");
    for (p, t, e, c, r) in rows {
        let revenue = if *r > 0.0 { r.to_string() } else { String::new() };
        csv.push_str(&format!("{p},{t},{e},{c},,{revenue}\n"));
    }
    let path = dir.join("events.csv");
    std::fs::write(&path, csv).unwrap();
    let db = dir.join("data.sqlite");
    let summary = json(&journeymap(&[
        "import",
        path.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(summary["imported"].as_u64(), Some(rows.len() as u64));
    db
}

/// The definitions of `journeymap --help`, written out plainly.
struct Expected {
    conversions: u64,
    attributed: u64,
    revenue: f64,
    models: BTreeMap<&'static str, HashMap<String, (f64, f64)>>,
}

fn expected(rows: &[Row], repeat: bool, lookback_s: Option<i64>, half_life_s: i64) -> Expected {
    // Each person's rows in (time, file order).
    let mut people: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        people.entry(&r.0).or_default().push(r);
    }
    let mut e = Expected {
        conversions: 0,
        attributed: 0,
        revenue: 0.0,
        models: BTreeMap::new(),
    };
    let mut paths: Vec<(Vec<String>, bool)> = Vec::new();
    let mut markov_revenue = 0.0;
    for list in people.values_mut() {
        list.sort_by_key(|r| r.1); // stable: ties keep file order
        let mut since = 0; // index after the previous counted conversion
        let mut converted = false;
        for (i, r) in list.iter().enumerate() {
            if r.2 != "purchase" || (converted && !repeat) {
                continue;
            }
            e.conversions += 1;
            e.revenue += r.4;
            let touches: Vec<&&Row> = list[since..i]
                .iter()
                .filter(|t| t.2 != "purchase" && !t.3.is_empty())
                .filter(|t| lookback_s.is_none_or(|l| r.1 - t.1 <= l))
                .collect();
            converted = true;
            since = i + 1;
            if touches.is_empty() {
                continue;
            }
            e.attributed += 1;
            let n = touches.len();
            let decay: Vec<f64> = touches
                .iter()
                .map(|t| 2f64.powf(-((r.1 - t.1) as f64) / half_life_s as f64))
                .collect();
            let decay_sum: f64 = decay.iter().sum();
            for (j, t) in touches.iter().enumerate() {
                let position = match n {
                    1 => 1.0,
                    2 => 0.5,
                    _ if j == 0 || j == n - 1 => 0.4,
                    _ => 0.2 / (n - 2) as f64,
                };
                let shares = [
                    ("first_touch", if j == 0 { 1.0 } else { 0.0 }),
                    ("last_touch", if j == n - 1 { 1.0 } else { 0.0 }),
                    ("linear", 1.0 / n as f64),
                    ("position_based", position),
                    ("time_decay", decay[j] / decay_sum),
                ];
                for (model, w) in shares {
                    if w > 0.0 {
                        let c = e.models.entry(model).or_default().entry(t.3.to_owned()).or_default();
                        c.0 += w;
                        c.1 += w * r.4;
                    }
                }
            }
            paths.push((touches.iter().map(|t| t.3.to_owned()).collect(), true));
            markov_revenue += r.4;
        }
        if !converted {
            let all: Vec<String> = list
                .iter()
                .filter(|t| !t.3.is_empty())
                .map(|t| t.3.to_owned())
                .collect();
            if !all.is_empty() {
                paths.push((all, false));
            }
        }
    }
    // Markov: transition counts, then P(conversion) by value iteration with
    // each channel in turn removed.
    let mut moves: HashMap<(String, String), f64> = HashMap::new();
    let mut out: HashMap<String, f64> = HashMap::new();
    for (path, converted) in &paths {
        let mut from = "(start)".to_owned();
        for c in path
            .iter()
            .chain([&(if *converted { "(conversion)" } else { "(null)" }).to_owned()])
        {
            *moves.entry((from.clone(), c.clone())).or_default() += 1.0;
            *out.entry(from.clone()).or_default() += 1.0;
            from = c.clone();
        }
    }
    let probability = |removed: &str| {
        let mut p: HashMap<String, f64> = HashMap::new();
        for _ in 0..20_000 {
            let mut next: HashMap<String, f64> = HashMap::new();
            for ((from, to), n) in &moves {
                if from == removed {
                    continue;
                }
                let value = match to.as_str() {
                    "(conversion)" => 1.0,
                    "(null)" => 0.0,
                    to if to == removed => 0.0,
                    to => p.get(to).copied().unwrap_or(0.0),
                };
                *next.entry(from.clone()).or_default() += n / out[from] * value;
            }
            p = next;
        }
        p.get("(start)").copied().unwrap_or(0.0)
    };
    let total = probability("");
    let channels: Vec<String> = out.keys().filter(|k| *k != "(start)").cloned().collect();
    let effects: Vec<f64> = channels.iter().map(|c| 1.0 - probability(c) / total).collect();
    let sum: f64 = effects.iter().sum();
    let markov = e.models.entry("markov").or_default();
    for (c, effect) in channels.iter().zip(&effects) {
        if *effect > 0.0 {
            markov.insert(
                c.clone(),
                (e.attributed as f64 * effect / sum, markov_revenue * effect / sum),
            );
        }
    }
    e
}

fn assert_matches(got: &Value, want: &Expected, what: &str) {
    assert_eq!(got["conversions"].as_u64(), Some(want.conversions), "{what}");
    assert_eq!(got["attributed_conversions"].as_u64(), Some(want.attributed), "{what}");
    assert!((got["revenue"].as_f64().unwrap() - want.revenue).abs() < 1e-6, "{what}");
    let models = got["models"].as_object().unwrap();
    assert_eq!(models.len(), 6, "{what}: {:?}", models.keys());
    for (model, credits) in &want.models {
        let got = models[*model].as_object().unwrap();
        let keys: Vec<&String> = got.keys().collect();
        let mut want_keys: Vec<&String> = credits.keys().collect();
        want_keys.sort();
        assert_eq!(keys, want_keys, "{what}: {model}");
        for (key, &(conversions, revenue)) in credits {
            let (c, r) = (
                got[key]["conversions"].as_f64().unwrap(),
                got[key]["revenue"].as_f64().unwrap(),
            );
            if *model == "markov" {
                // To 0.5% of the attributed totals.
                assert!(
                    (c - conversions).abs() <= 0.005 * want.attributed as f64,
                    "{what}: {model} {key}"
                );
                assert!((r - revenue).abs() <= 0.005 * want.revenue, "{what}: {model} {key}");
            } else {
                assert!(
                    (c - conversions).abs() < 1e-6,
                    "{what}: {model} {key}: {c} vs {conversions}"
                );
                assert!((r - revenue).abs() < 1e-6, "{what}: {model} {key}: {r} vs {revenue}");
            }
        }
    }
}

#[test]
fn attribution_equals_the_definitions_on_a_generated_log() {
    let dir = scratch("generated");
    let rows = generated();
    let db = import(&dir, &rows);
    let db = db.to_str().unwrap();

    let got = json(&journeymap(&[
        "attribution",
        "--db",
        db,
        "--conversion",
        "purchase",
        "--json",
    ]));
    let want = expected(&rows, false, None, 7 * 86_400);
    assert!(
        want.conversions > 100 && want.attributed < want.conversions,
        "a telling log"
    );
    assert_matches(&got, &want, "defaults");

    let got = json(&journeymap(&[
        "attribution",
        "--db",
        db,
        "--conversion",
        "purchase",
        "--repeat",
        "--lookback",
        "3d",
        "--half-life",
        "12h",
        "--json",
    ]));
    let want_repeat = expected(&rows, true, Some(3 * 86_400), 12 * 3_600);
    assert!(want_repeat.conversions > want.conversions);
    assert_matches(&got, &want_repeat, "--repeat --lookback 3d --half-life 12h");

    // The table a person reads carries the same numbers.
    let text = journeymap(&["attribution", "--db", db, "--conversion", "purchase"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains(&format!(
        "{} conversions, {} with a touch",
        want.conversions, want.attributed
    )));
    for heading in [
        "First touch",
        "Last touch",
        "Linear",
        "Position-based",
        "Time decay",
        "Markov",
    ] {
        assert!(text.contains(&format!("\n{heading} (")), "{heading} in\n{text}");
    }
    let (partner, _) = want.models["linear"]["partner"];
    assert!(text.contains(&format!("{partner:.2}")), "{text}");
}

#[test]
fn attribution_by_the_maps_touchpoints_on_the_sample() {
    let dir = scratch("sample");
    let db = dir.join("a.sqlite");
    let root = env!("CARGO_MANIFEST_DIR");
    let csv = format!("{root}/sample_maps/b2b_saas_inbound_events.csv");
    let map = format!("{root}/sample_maps/b2b_saas_inbound.ron");
    json(&journeymap(&["import", &csv, "--db", db.to_str().unwrap(), "--json"]));
    for by in ["channel", "touchpoint"] {
        let got = json(&journeymap(&[
            "attribution",
            "--db",
            db.to_str().unwrap(),
            "--map",
            &map,
            "--by",
            by,
            "--json",
        ]));
        let attributed = got["attributed_conversions"].as_f64().unwrap();
        assert!(attributed > 0.0);
        // Every model shares out exactly the attributed conversions and revenue.
        for (model, credits) in got["models"].as_object().unwrap() {
            let sum: f64 = credits
                .as_object()
                .unwrap()
                .values()
                .map(|c| c["conversions"].as_f64().unwrap())
                .sum();
            assert!((sum - attributed).abs() < 1e-9, "{by} {model}: {sum} vs {attributed}");
        }
        if by == "touchpoint" {
            // Keys are touchpoint names of the map, not channels.
            assert!(
                got["models"]["linear"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .all(|k| !k.contains("google"))
            );
            let names: Vec<String> = journeymap::model::format::load(Path::new(&map))
                .unwrap()
                .touchpoints
                .iter()
                .map(|t| t.name.clone())
                .collect();
            for (model, credits) in got["models"].as_object().unwrap() {
                assert!(
                    credits.as_object().unwrap().keys().all(|k| names.contains(k)),
                    "{model}"
                );
            }
        }
    }
}

#[test]
fn the_markdown_report_carries_the_six_models_by_channel() {
    let dir = scratch("report");
    let db = dir.join("a.sqlite");
    let root = env!("CARGO_MANIFEST_DIR");
    let csv = format!("{root}/sample_maps/b2b_saas_inbound_events.csv");
    let map = format!("{root}/sample_maps/b2b_saas_inbound.ron");
    let db = db.to_str().unwrap();
    json(&journeymap(&["import", &csv, "--db", db, "--json"]));
    let out = dir.join("report.md");
    let export = journeymap(&["export", &map, "--to", out.to_str().unwrap(), "--db", db]);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let report = std::fs::read_to_string(&out).unwrap();
    let section = &report[report
        .find("## Attribution by channel")
        .expect("an attribution section")..];
    assert!(section.contains("| Channel | First touch | Last touch | Linear | Position-based | Time decay | Markov |"));
    // The same numbers as the command line gives for the map's conversion.
    let got = json(&journeymap(&["attribution", "--db", db, "--map", &map, "--json"]));
    for (key, credit) in got["models"]["markov"].as_object().unwrap() {
        let linear = got["models"]["linear"][key]["conversions"].as_f64().unwrap_or(0.0);
        let markov = credit["conversions"].as_f64().unwrap();
        let row = format!("| {key} | ");
        let line = section
            .lines()
            .find(|l| l.starts_with(&row))
            .unwrap_or_else(|| panic!("{key} in {section}"));
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        assert_eq!(cells[4], format!("{linear:.1}"), "{line}");
        assert_eq!(cells[7], format!("{markov:.1}"), "{line}");
    }
}

#[test]
fn attribution_mistakes_are_named() {
    let dir = scratch("mistakes");
    let rows = generated();
    let db = import(&dir, &rows[..200]);
    let db = db.to_str().unwrap();
    let err = |args: &[&str]| {
        let out = journeymap(args);
        assert!(!out.status.success(), "{args:?} should fail");
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, msg) = err(&["attribution", "--db", db, "--conversion", "refund"]);
    assert_eq!(code, Some(1));
    assert!(msg.contains("\"refund\"") && msg.contains("\"purchase\""), "{msg}");
    let (_, msg) = err(&[
        "attribution",
        "--db",
        db,
        "--conversion",
        "purchase",
        "--lookback",
        "3 days",
    ]);
    assert!(msg.contains("--lookback \"3 days\""), "{msg}");
    let (_, msg) = err(&[
        "attribution",
        "--db",
        db,
        "--conversion",
        "purchase",
        "--half-life",
        "0d",
    ]);
    assert!(msg.contains("--half-life"), "{msg}");
    let (code, msg) = err(&[
        "attribution",
        "--db",
        db,
        "--conversion",
        "purchase",
        "--by",
        "touchpoint",
    ]);
    assert_eq!(code, Some(2));
    assert!(msg.contains("--map"), "{msg}");
    let (code, _) = err(&["attribution", "--db", db]);
    assert_eq!(code, Some(2));
    // A map whose last funnel stage no event reaches: no conversions.
    let map = format!("{}/sample_maps/b2b_saas_inbound.ron", env!("CARGO_MANIFEST_DIR"));
    let (code, msg) = err(&["attribution", "--db", db, "--map", &map]);
    assert_eq!(code, Some(1));
    assert!(msg.contains("no conversions") && msg.contains("\"Customer\""), "{msg}");
}

#[test]
fn help_states_the_definitions() {
    let out = journeymap(&["attribution", "--help"]);
    // Lines are wrapped; the definitions are read as running text.
    let help = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for phrase in [
        "--repeat",
        "strictly before the conversion in (time, file order)",
        "40% to the first",
        "2^(-age / half-life)",
        "removal effect",
        "No lookback unless",
    ] {
        assert!(help.contains(phrase), "{phrase}");
    }
}
