//! The map file format as a user meets it: samples load and round-trip,
//! broken files say where they are broken, nothing makes the loader panic.

use std::fs;
use std::path::{Path, PathBuf};

use journeymap::model::format::{self, LoadError};
use journeymap::model::validate::{self, Problem};
use proptest::prelude::*;

fn samples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

fn valid_text() -> String {
    fs::read_to_string(fixture("valid.ron")).unwrap()
}

/// Loads map text that must fail, as a user would: from a file.
fn parse_err(text: &str) -> LoadError {
    format::parse_str(text, Path::new("m.ron")).expect_err("should not load")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-test-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_sample_round_trips_through_save_and_load() {
    let samples = samples();
    assert!(
        samples.len() >= 6,
        "expected at least six samples, found {}",
        samples.len()
    );
    let dir = scratch("roundtrip");
    for path in samples {
        let map = format::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let copy = dir.join(path.file_name().unwrap());
        format::save(&map, &copy).unwrap();
        let again = format::load(&copy).unwrap();
        assert_eq!(again, map, "{} changed after save and load", path.display());
    }
}

#[test]
fn broken_file_error_names_file_line_and_column() {
    let text = "(\n    format_version: 1,\n    title: \"Broken\",\n    created: \"2026-01-01T00:00:00Z\",\n    modified: 42,\n)";
    let err = format::parse_str(text, Path::new("broken.ron")).unwrap_err();
    let LoadError::Syntax { line, column, .. } = &err else {
        panic!("not a syntax error: {err}")
    };
    assert_eq!(*line, 5);
    assert!(*column > 4, "column {column}");
    let message = err.to_string();
    assert!(message.starts_with(&format!("broken.ron:5:{column}: ")), "{message}");
    assert!(message.contains("string"), "says what was expected: {message}");
}

#[test]
fn missing_field_is_named() {
    let text =
        "(format_version: 1, title: \"x\", created: \"2026-01-01T00:00:00Z\", modified: \"2026-01-01T00:00:00Z\")";
    let err = format::parse_str(text, Path::new("m.ron")).unwrap_err().to_string();
    assert!(err.contains("`funnel`"), "{err}");
}

#[test]
fn unknown_enum_value_lists_the_choices() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/valid.ron");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("channel: Blog", "channel: Blogg");
    let err = format::parse_str(&text, Path::new("valid.ron"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("Blogg") && err.contains("Website"), "{err}");
}

#[test]
fn file_from_a_newer_version_is_refused_and_left_alone() {
    let dir = scratch("newer");
    let path = dir.join("future.ron");
    let text = "(format_version: 99, title: \"From the future\", hologram: true)";
    fs::write(&path, text).unwrap();
    let err = format::load(&path).unwrap_err();
    assert!(matches!(err, LoadError::Newer { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("newer Journeymap"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn non_utf8_file_reports_the_line() {
    let err = format::parse_bytes(b"(\n format_version: 1,\n title: \"\xff\"", Path::new("bin.ron")).unwrap_err();
    assert_eq!(err.to_string(), "bin.ron:3: the file is not UTF-8 text");
}

#[test]
fn saving_over_a_map_keeps_the_previous_version_as_bak() {
    let dir = scratch("bak");
    let path = dir.join("map.ron");
    let mut map = format::load(&samples()[0]).unwrap();
    format::save(&map, &path).unwrap();
    let first = fs::read_to_string(&path).unwrap();
    map.title = "Renamed".into();
    format::save(&map, &path).unwrap();
    assert_eq!(fs::read_to_string(dir.join("map.ron.bak")).unwrap(), first);
    assert_eq!(format::load(&path).unwrap().title, "Renamed");
}

#[test]
fn truncated_samples_give_errors_not_panics() {
    for path in samples() {
        let bytes = fs::read(&path).unwrap();
        // Cutting off only trailing white space leaves a whole file.
        let content = bytes.trim_ascii_end().len();
        // Every cut point would be slow on large samples; 400 spread cuts
        // still hit every kind of token boundary.
        let step = (content / 400).max(1);
        for cut in (0..content).step_by(step) {
            assert!(
                format::parse_bytes(&bytes[..cut], &path).is_err(),
                "{} cut at {cut}",
                path.display()
            );
        }
    }
}

#[test]
fn every_sample_loads_and_checks_clean() {
    for path in samples() {
        let map = format::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(validate::check(&map), vec![], "{}", path.display());
    }
}

#[test]
fn a_map_with_a_byte_order_mark_opens() {
    let plain = format::load(&fixture("valid.ron")).unwrap();
    assert_eq!(format::load(&fixture("bom.ron")).unwrap(), plain);
    let text = valid_text();
    let with_bom = format!("\u{feff}{text}");
    assert_eq!(
        format::parse_bytes(with_bom.as_bytes(), Path::new("m.ron")).unwrap(),
        plain
    );
    assert_eq!(format::parse_str(&with_bom, Path::new("m.ron")).unwrap(), plain);
}

#[test]
fn a_misspelt_field_is_refused_with_its_place_and_a_suggestion() {
    let err = format::load(&fixture("misspelt_field.ron")).unwrap_err();
    let LoadError::Syntax { line, column, .. } = &err else {
        panic!("not a syntax error: {err}")
    };
    assert_eq!((*line, *column), (4, 5));
    assert!(
        err.to_string()
            .ends_with("misspelt_field.ron:4:5: unknown field `titel` in the map; did you mean `title`?"),
        "{err}"
    );
    assert_eq!(err.headline(), "This map has a mistake on line 4");
    assert!(!err.is_not_a_map());

    // Deep inside a touchpoint, the touchpoint's own fields are suggested.
    let err = parse_err(&valid_text().replace("emotion: 1", "emotoin: 1")).to_string();
    assert!(
        err.starts_with("m.ron:10:")
            && err.contains("unknown field `emotoin` in a touchpoint; did you mean `emotion`?"),
        "{err}"
    );
    let err = parse_err(&valid_text().replace("budget: Some(1200.0)", "budjet: Some(1200.0)")).to_string();
    assert!(
        err.contains("`budjet` in a marketing effort; did you mean `budget`?"),
        "{err}"
    );
}

#[test]
fn a_misspelt_choice_gets_a_suggestion_and_the_way_to_name_your_own() {
    let err = parse_err(&valid_text().replace("channel: Blog", "channel: Blogg")).to_string();
    assert!(err.starts_with("m.ron:10:"), "{err}");
    assert!(err.contains("unknown value `Blogg` for a channel"), "{err}");
    assert!(
        err.contains("Other(\"…\")") && err.ends_with("did you mean `Blog`?"),
        "{err}"
    );
    let err = parse_err(&valid_text().replace("channel: Blog", "channel: Podcast")).to_string();
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn an_unknown_field_far_from_any_known_one_lists_the_fields_instead() {
    let text = valid_text().replace(
        "    title: \"Fixture\",",
        "    title: \"Fixture\",\n    hologram: true,",
    );
    let err = parse_err(&text).to_string();
    assert!(
        err.starts_with("m.ron:5:5: unknown field `hologram` in the map"),
        "{err}"
    );
    assert!(!err.contains("did you mean"), "{err}");
    assert!(err.contains("touchpoints") && err.contains("format_version"), "{err}");
}

#[test]
fn a_version_too_large_for_any_number_type_is_from_a_newer_journeymap() {
    for (version, found) in [
        ("3", 3),
        ("99999999999", 99_999_999_999),
        ("99999999999999999999999", u64::MAX),
    ] {
        let text = valid_text().replace("format_version: 1,", &format!("format_version: {version},"));
        let err = parse_err(&text);
        assert!(
            matches!(err, LoadError::Newer { found: f, .. } if f == found),
            "{version}: {err}"
        );
        assert!(err.to_string().contains("made by a newer Journeymap"), "{err}");
        assert!(!err.to_string().contains("out of bounds"), "{err}");
        assert_eq!(err.headline(), "This map was made by a newer Journeymap");
    }
}

#[test]
fn a_version_that_is_not_a_whole_number_gets_a_plain_message() {
    for version in ["-1", "1.5", "\"1\"", "one", "true"] {
        let text = valid_text().replace("format_version: 1,", &format!("format_version: {version},"));
        let err = parse_err(&text);
        let message = err.to_string();
        assert!(
            message.starts_with("m.ron:3:") && message.contains("`format_version` must be a whole number such as 2"),
            "{version}: {message}"
        );
        assert!(!message.contains("out of bounds"), "{message}");
        assert_eq!(err.headline(), "This map has a mistake on line 3");
    }
}

#[test]
fn ron_reads_nan_and_infinity_and_check_reports_them() {
    let map = format::load(&fixture("nan_budget.ron")).unwrap();
    assert!(map.touchpoints[0].efforts[0].budget.unwrap().is_nan());
    assert_eq!(
        validate::check(&map)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["effort \"SEO push\" on touchpoint \"Blog post\" has budget NaN, which is not an ordinary number"]
    );

    let map = format::load(&fixture("inf_target.ron")).unwrap();
    assert_eq!(map.touchpoints[1].metrics[0].target, Some(f64::INFINITY));
    let problems = validate::check(&map);
    assert!(
        matches!(&problems[..], [Problem::NotANumber { touchpoint, kind: "metric", field: "target", .. }] if touchpoint == "Pricing page"),
        "{problems:?}"
    );

    // A metric value, and a budget of minus infinity: reported once each, as
    // not a number rather than also as negative.
    let text = fs::read_to_string(fixture("inf_target.ron"))
        .unwrap()
        .replace("value: Some(40.0)", "value: Some(NaN)")
        .replace("budget: Some(1200.0)", "budget: Some(-inf)");
    let map = format::parse_str(&text, Path::new("m.ron")).unwrap();
    let problems: Vec<String> = validate::check(&map).iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("effort \"SEO push\"") && problems[0].contains("budget -inf"));
    assert!(problems[1].contains("metric \"Trials\"") && problems[1].contains("value NaN"));
    assert!(problems[2].contains("target inf"));
}

#[test]
fn files_that_are_not_maps_say_so_plainly() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";
    let csv = fs::read(fixture("not_a_map.csv")).unwrap();
    let cases: [(&str, &[u8], &str); 6] = [
        ("a CSV table", &csv, "it looks like a table of data (CSV)"),
        ("a PNG image", png, "it is a binary file"),
        ("an empty file", b"\n  \n", "the file is empty"),
        (
            "plain text",
            b"Shopping list\nmilk\n",
            "a map starts with `(`, but this file starts with `Shopping list`",
        ),
        ("a braced file", b"{\"format_version\": 1}", "a map starts with `(`"),
        (
            "a struct without a version",
            b"(title: \"x\")",
            "it has no `format_version`",
        ),
    ];
    for (what, bytes, reason) in cases {
        let err = format::parse_bytes(bytes, Path::new("thing.ron")).unwrap_err();
        assert!(err.is_not_a_map(), "{what}: {err}");
        assert_eq!(err.headline(), "This file is not a Journeymap map", "{what}");
        assert!(
            err.to_string()
                .starts_with(&format!("thing.ron: this is not a Journeymap map: {reason}")),
            "{what}: {err}"
        );
    }

    // A real map with a mistake in it is not "not a map".
    let broken = valid_text().replace("(id: 6, from: 3", "(id: 6 from: 3");
    let err = parse_err(&broken);
    assert!(!err.is_not_a_map(), "{err}");
    assert_eq!(err.headline(), "This map has a mistake on line 14");
    let mut latin1 = valid_text().into_bytes();
    let at = latin1.windows(7).position(|w| w == b"Fixture").unwrap();
    latin1[at + 1] = 0xe9;
    let err = format::parse_bytes(&latin1, Path::new("m.ron")).unwrap_err();
    assert!(!err.is_not_a_map(), "{err}");
    assert_eq!(err.headline(), "This map has unreadable characters on line 4");

    let err = format::load(Path::new("/nonexistent/map.ron")).unwrap_err();
    assert!(!err.is_not_a_map());
    assert_eq!(err.headline(), "This file could not be found");
}

#[test]
fn messages_speak_of_the_map_not_of_the_program() {
    let text = valid_text();
    let broken = [
        text.replacen("(\n", "Journey(\n", 1),
        text.replace("funnel: (name", "funnel: Funnel(name"),
        text.replace("funnel: (name", "funnel: name"),
        text.replace("stages: [(id: 2", "stages: [id: 2"),
        text.replace("emotion: 1", "emotion: 300"),
        text.replace("funnel_stage: Some(1)", "funnel_stage: 1"),
        text.replace("title: \"Fixture\",", "title: \"Fixture\", title: \"Again\","),
        text.replace("modified: \"2026-01-01T00:00:00Z\"", "modified: \"last tuesday\""),
        format!("{text}\n)"),
    ];
    for text in broken {
        let err = parse_err(&text);
        let message = err.to_string();
        assert!(
            matches!(err, LoadError::Syntax { .. } | LoadError::NotAMap { .. }),
            "{message}"
        );
        for jargon in [
            "struct",
            "JourneyMap",
            "FunnelModel",
            "Expected",
            "out of bounds",
            "RON",
            "serde",
            "Option",
        ] {
            assert!(!message.contains(jargon), "{jargon:?} in: {message}");
        }
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = format::parse_bytes(&bytes, Path::new("random.ron"));
    }

    #[test]
    fn corrupted_sample_never_panics(index in 0usize..6, position in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let samples = samples();
        let path = &samples[index % samples.len()];
        let mut bytes = fs::read(path).unwrap();
        let at = position.index(bytes.len());
        bytes[at] = byte;
        let _ = format::parse_bytes(&bytes, path);
    }
}

/// Version 1 wrote every map as the samples are written now when nobody has
/// voted, only with `format_version: 1`: so each sample, marked version 1, is
/// the file an older Journeymap saved.
fn as_version_1(text: &str) -> String {
    let marked = text.replacen("format_version: 2,", "format_version: 1,", 1);
    assert_ne!(marked, text, "the sample should be a version 2 file");
    marked
}

#[test]
fn a_version_1_file_opens_whole_and_saves_as_the_current_version() {
    let dir = scratch("v1");
    for sample in samples() {
        let text = fs::read_to_string(&sample).unwrap();
        let current = format::parse_str(&text, &sample).unwrap();
        let old = dir.join(sample.file_name().unwrap());
        fs::write(&old, as_version_1(&text)).unwrap();

        let migrated = format::load(&old).unwrap();
        assert_eq!(
            migrated,
            current,
            "{} read as version 1 lost something",
            sample.display()
        );
        assert_eq!(migrated.format_version, format::FORMAT_VERSION);

        format::save(&migrated, &old).unwrap();
        let saved = fs::read_to_string(&old).unwrap();
        assert!(saved.contains(&format!("format_version: {},", format::FORMAT_VERSION)));
        assert_eq!(format::load(&old).unwrap(), current);
    }
}

#[test]
fn votes_and_captured_ideas_survive_save_and_load() {
    use journeymap::edit::ops;
    use journeymap::model::{IdeaKind, IdeaRef};

    let sample = &samples()[0];
    let mut map = format::load(sample).unwrap();
    let stage = map.stages[1].id;
    let tp = map.touchpoints.iter().find(|t| !t.pain_points.is_empty()).unwrap().id;
    for edit in [
        ops::capture(&map, stage, IdeaKind::Opportunity, "Gọi lại trong 5 phút"),
        ops::vote(
            &map,
            IdeaRef::PainPoint {
                touchpoint: tp,
                index: 0,
            },
            3,
        ),
    ] {
        edit.unwrap().apply(&mut map).unwrap();
    }
    let note = map.stages[1].notes.last().unwrap().id;
    ops::vote(&map, IdeaRef::Note { stage, note }, 2)
        .unwrap()
        .apply(&mut map)
        .unwrap();

    let path = scratch("votes").join("voted.ron");
    format::save(&map, &path).unwrap();
    let back = format::load(&path).unwrap();
    assert_eq!(back, map);
    let captured = back.stages[1].notes.last().unwrap();
    assert_eq!(
        (captured.kind, captured.text.as_str(), captured.votes),
        (IdeaKind::Opportunity, "Gọi lại trong 5 phút", 2)
    );
    assert_eq!(back.touchpoint(tp).unwrap().pain_points[0].votes, 3);
}
