//! Running the built `journeymap` binary as a user runs it, for the tests of
//! its commands.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

pub fn journeymap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .unwrap()
}

/// A fresh, empty folder of this test process, named after the test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The command's `--json` output; it must have succeeded.
pub fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}
