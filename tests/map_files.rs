//! The map file format as a user meets it: samples load and round-trip,
//! broken files say where they are broken, nothing makes the loader panic.

use std::fs;
use std::path::{Path, PathBuf};

use journeymap::model::format::{self, LoadError};
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
