//! The command line: parse arguments into a `Command`, run it, map the
//! outcome to an exit code. `main` starts the app for `Command::Open`.

mod check;
mod new;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

pub const HELP: &str = "\
Journeymap: draw customer journey maps and check them against real data.

Usage:
  journeymap [FILE.ron]                 open the app on a map (a bundled sample if none)
  journeymap check FILE.ron...          list every problem in the maps; exit 1 if any
  journeymap new [--template NAME] [--title TEXT] [--force] OUT.ron
                                        write a new map from a funnel template
  journeymap templates                  list the funnel templates
  journeymap --help | --version

Exit codes: 0 success, 1 problems found or the command failed, 2 bad usage.
";

#[derive(Debug, PartialEq)]
pub enum Command {
    /// Start the app, optionally on a file.
    Open(Option<PathBuf>),
    Check(Vec<PathBuf>),
    New {
        template: String,
        title: Option<String>,
        out: PathBuf,
        force: bool,
    },
    Templates,
    Help,
    Version,
}

/// A usage mistake, shown with a pointer to `--help`.
#[derive(Debug, PartialEq)]
pub struct UsageError(pub String);

impl From<lexopt::Error> for UsageError {
    fn from(err: lexopt::Error) -> Self {
        UsageError(err.to_string())
    }
}

pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, UsageError> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let first = match parser.next()? {
        None => return Ok(Command::Open(None)),
        Some(Short('h') | Long("help")) => return Ok(Command::Help),
        Some(Short('V') | Long("version")) => return Ok(Command::Version),
        Some(Value(value)) => value,
        Some(other) => return Err(other.unexpected().into()),
    };
    let command = match first.to_str() {
        Some("check") => {
            let mut files = Vec::new();
            while let Some(arg) = parser.next()? {
                match arg {
                    Value(v) => files.push(PathBuf::from(v)),
                    Short('h') | Long("help") => return Ok(Command::Help),
                    other => return Err(other.unexpected().into()),
                }
            }
            if files.is_empty() {
                return Err(UsageError("check needs at least one map file".into()));
            }
            Command::Check(files)
        }
        Some("new") => {
            let (mut template, mut title, mut out, mut force) = (None, None, None, false);
            while let Some(arg) = parser.next()? {
                match arg {
                    Short('t') | Long("template") => template = Some(parser.value()?.string()?),
                    Long("title") => title = Some(parser.value()?.string()?),
                    Long("force") => force = true,
                    Short('h') | Long("help") => return Ok(Command::Help),
                    Value(v) if out.is_none() => out = Some(PathBuf::from(v)),
                    other => return Err(other.unexpected().into()),
                }
            }
            let out = out.ok_or_else(|| UsageError("new needs the file to write, e.g. `new map.ron`".into()))?;
            Command::New {
                template: template.unwrap_or_else(|| "basic".into()),
                title,
                out,
                force,
            }
        }
        Some("templates") => Command::Templates,
        _ => {
            if let Some(arg) = parser.next()? {
                return Err(arg.unexpected().into());
            }
            Command::Open(Some(PathBuf::from(first)))
        }
    };
    Ok(command)
}

/// Runs a command that needs no window. `Open` is `main`'s job.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Help => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Command::Version => {
            println!("journeymap {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::Templates => {
            for t in crate::model::templates::TEMPLATES {
                println!("{:<16} {} ({})", t.key, t.name, t.stages.join(" → "));
            }
            ExitCode::SUCCESS
        }
        Command::Check(files) => check::run(&files),
        Command::New {
            template,
            title,
            out,
            force,
        } => new::run(&template, title.as_deref(), &out, force),
        Command::Open(_) => unreachable!("main starts the app for Open"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn parses_subcommands_and_files() {
        assert_eq!(parse(args(&[])), Ok(Command::Open(None)));
        assert_eq!(parse(args(&["map.ron"])), Ok(Command::Open(Some("map.ron".into()))));
        assert_eq!(
            parse(args(&["check", "a.ron", "b.ron"])),
            Ok(Command::Check(vec!["a.ron".into(), "b.ron".into()]))
        );
        assert_eq!(
            parse(args(&["new", "--template", "aida", "out.ron"])),
            Ok(Command::New {
                template: "aida".into(),
                title: None,
                out: "out.ron".into(),
                force: false
            })
        );
        assert_eq!(parse(args(&["--help"])), Ok(Command::Help));
    }

    #[test]
    fn usage_mistakes_are_errors() {
        assert!(parse(args(&["check"])).is_err());
        assert!(parse(args(&["new"])).is_err());
        assert!(parse(args(&["a.ron", "b.ron"])).is_err());
        assert!(parse(args(&["--frobnicate"])).is_err());
    }
}
