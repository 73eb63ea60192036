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
        other => {
            // The window's own sockets keep Rust's default; only printing ends early.
            quiet_on_closed_pipe();
            cli::run(other)
        }
    }
}

/// `journeymap paths --db D | head` closes the pipe early; like other
/// command-line tools, end quietly then instead of panicking on the next
/// line printed. (Rust ignores SIGPIPE unless told otherwise.)
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restores the default action for one signal at start-up, before
    // any thread is spawned.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
