//! `journeymap new`: a new map file from a funnel template.

use std::path::Path;
use std::process::ExitCode;

use crate::model::{format, templates};

pub fn run(template: &str, title: Option<&str>, out: &Path, force: bool) -> ExitCode {
    let Some(template) = templates::find(template) else {
        let keys: Vec<_> = templates::TEMPLATES.iter().map(|t| t.key).collect();
        eprintln!(
            "journeymap: no template {template:?}; choose one of: {}",
            keys.join(", ")
        );
        return ExitCode::from(2);
    };
    if out.exists() && !force {
        eprintln!(
            "journeymap: {} already exists; pass --force to replace it",
            out.display()
        );
        return ExitCode::FAILURE;
    }
    let map = template.new_map(title.unwrap_or("Untitled journey"));
    match format::save(&map, out) {
        Ok(()) => {
            println!("{}: new map on the {}", out.display(), template.name);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("journeymap: {err}");
            ExitCode::FAILURE
        }
    }
}
