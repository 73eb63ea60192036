//! `journeymap check`: every problem of every file, one per line, as
//! `FILE: problem` (load errors as `FILE:LINE:COLUMN: problem`), then its
//! warnings as `FILE: warning: …`, which do not fail the check.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::model::{format, validate};

pub fn run(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for path in files {
        match format::load(path) {
            Err(err) => {
                failed = true;
                println!("{err}");
            }
            Ok(map) => {
                for problem in validate::check(&map) {
                    failed = true;
                    println!("{}: {problem}", path.display());
                }
                for warning in validate::warnings(&map) {
                    println!("{}: warning: {warning}", path.display());
                }
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
