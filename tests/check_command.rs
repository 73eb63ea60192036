//! `journeymap check` and `journeymap new`, run as a user runs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn journeymap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .unwrap()
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
        .display()
        .to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn each_kind_of_problem_is_found_and_named() {
    let cases = [
        (
            "dangling_link.ron",
            "link 6 ends at touchpoint 40, which does not exist",
        ),
        ("duplicate_id.ron", "duplicate link id 6"),
        (
            "unknown_stage.ron",
            "touchpoint \"Pricing page\" is in stage 9, which does not exist",
        ),
        (
            "unknown_funnel_stage.ron",
            "stage \"Discover\" is mapped to funnel stage 7",
        ),
        ("emotion_out_of_range.ron", "touchpoint \"Blog post\" has emotion 5"),
        (
            "negative_budget.ron",
            "effort \"SEO push\" on touchpoint \"Blog post\" has a negative budget",
        ),
        (
            "nan_budget.ron",
            "effort \"SEO push\" on touchpoint \"Blog post\" has budget NaN, which is not an ordinary number",
        ),
        (
            "inf_target.ron",
            "metric \"Trials\" on touchpoint \"Pricing page\" has target inf, which is not an ordinary number",
        ),
    ];
    for (file, expected) in cases {
        let path = fixture(file);
        let out = journeymap(&["check", &path]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "{file}: exactly one problem expected, got {text}");
        assert!(lines[0].starts_with(&format!("{path}: ")), "{}", lines[0]);
        assert!(lines[0].contains(expected), "{file}: {}", lines[0]);
    }
}

#[test]
fn every_sample_and_the_valid_fixture_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| p.display().to_string())
        .collect();
    files.push(fixture("valid.ron"));
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let out = journeymap(&args);
    // Warnings do not fail a check; the SaaS sample shares one on purpose.
    let text = stdout(&out);
    assert!(text.lines().all(|l| l.contains(": warning: ")), "{text}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_matcher_shared_by_two_funnel_stages_is_a_warning() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_maps/b2b_saas_inbound.ron")
        .display()
        .to_string();
    let out = journeymap(&["check", &path]);
    assert_eq!(out.status.code(), Some(0), "a warning is not a failure");
    let text = stdout(&out);
    let warning = text
        .lines()
        .find(|l| l.contains("\"email_click\""))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(warning.starts_with(&format!("{path}: warning: ")), "{warning}");
    for part in [
        "\"Weekly Dispatch Desk emails\" (funnel stage \"Subscriber\")",
        "(funnel stage \"Lead\")",
    ] {
        assert!(warning.contains(part), "{part} in {warning}");
    }
}

#[test]
fn files_that_do_not_load_are_reported_in_plain_words() {
    let cases = [
        (
            "misspelt_field.ron",
            ":4:5: unknown field `titel` in the map; did you mean `title`?",
        ),
        (
            "newer_version.ron",
            ": made by a newer Journeymap (format version 99999999999;",
        ),
        (
            "not_a_map.csv",
            ": this is not a Journeymap map: it looks like a table of data (CSV)",
        ),
    ];
    for (file, expected) in cases {
        let path = fixture(file);
        let out = journeymap(&["check", &path]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let text = stdout(&out);
        assert!(text.starts_with(&format!("{path}{expected}")), "{file}: {text}");
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(!text.contains("out of bounds") && !text.contains("struct"), "{text}");
    }
}

#[test]
fn a_map_saved_with_a_byte_order_mark_checks_clean() {
    let out = journeymap(&["check", &fixture("bom.ron")]);
    assert_eq!(stdout(&out), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn check_reports_all_files_even_after_a_broken_one() {
    let out = journeymap(&[
        "check",
        &fixture("negative_budget.ron"),
        "/nonexistent/map.ron",
        &fixture("dangling_link.ron"),
    ]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("/nonexistent/map.ron: cannot read"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn new_writes_a_valid_map_from_each_template_and_never_overwrites() {
    let dir = std::env::temp_dir().join(format!("journeymap-new-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for template in [
        "basic",
        "tofu-mofu-bofu",
        "sales",
        "lead-lifecycle",
        "inbound",
        "aida",
        "digital-8",
    ] {
        let out: PathBuf = dir.join(format!("{template}.ron"));
        let _ = std::fs::remove_file(&out);
        let path = out.display().to_string();
        let made = journeymap(&["new", "--template", template, "--title", "Hành trình", &path]);
        assert!(
            made.status.success(),
            "{template}: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        let map = journeymap::model::format::load(&out).unwrap();
        assert_eq!(map.title, "Hành trình");
        assert!(journeymap(&["check", &path]).status.success());
        let again = journeymap(&["new", "--template", template, &path]);
        assert_eq!(again.status.code(), Some(1), "refuses to overwrite");
    }
    let unknown = journeymap(&["new", "--template", "nope", &dir.join("x.ron").display().to_string()]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("aida"));
}

#[test]
fn help_lists_the_subcommands() {
    let out = journeymap(&["--help"]);
    let text = stdout(&out);
    for sub in ["check", "new", "templates"] {
        assert!(text.contains(&format!("journeymap {sub}")), "{text}");
    }
}
