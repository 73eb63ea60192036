use std::process::ExitCode;

use journeymap::cli::{self, Command};

fn main() -> ExitCode {
    let command = match cli::parse(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(err) => {
            eprintln!("journeymap: {}\nRun `journeymap --help` for usage.", err.0);
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Open(path) => match journeymap::ui::run(path) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("journeymap: cannot open a window: {err}");
                ExitCode::FAILURE
            }
        },
        other => cli::run(other),
    }
}
