//! `--db` as the data commands take it: a Journeymap database file, or a
//! ClickHouse table (`clickhouse://[USER@]HOST[:PORT]/DATABASE.TABLE`, its
//! columns named with `--columns`). The password comes from
//! JOURNEYMAP_CLICKHOUSE_PASSWORD or, on a terminal, a prompt that does not
//! echo; it is never taken from the URL nor printed.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::layout::text::group_thousands;
use crate::store::EventSource;
use crate::store::clickhouse::{
    ClickHouseError, ClickHouseSource, ClickHouseUrl, DEFAULT_TIMEOUT, PASSWORD_VARIABLE, Progress, QueryControl,
};

/// Seconds a ClickHouse query may take, instead of the default ten minutes.
const TIMEOUT_VARIABLE: &str = "JOURNEYMAP_CLICKHOUSE_TIMEOUT";

/// Opens `--db`: connects to ClickHouse (asking for the password on a
/// terminal if the server refuses none), or checks that the file exists.
pub(super) fn open_source(db: &Path, columns: Option<&str>) -> Result<EventSource, String> {
    let text = db.to_string_lossy();
    if !ClickHouseUrl::is_clickhouse(&text) {
        if columns.is_some() {
            return Err(format!(
                "{}: --columns names a ClickHouse table's columns; a Journeymap database knows its own \
                 (they are set when importing)",
                db.display()
            ));
        }
        return EventSource::sqlite(db).map_err(|e| e.to_string());
    }
    let url = ClickHouseUrl::parse(&text)?;
    let timeout = match std::env::var(TIMEOUT_VARIABLE) {
        Err(_) => DEFAULT_TIMEOUT,
        Ok(s) => match s.trim().parse::<u64>() {
            Ok(n) if n > 0 => Duration::from_secs(n),
            _ => return Err(format!("{TIMEOUT_VARIABLE}={s:?}: expected a number of seconds")),
        },
    };
    let password = std::env::var(PASSWORD_VARIABLE).ok();
    let asked = password.is_none();
    match ClickHouseSource::connect(url.clone(), columns, password, timeout) {
        Err(ClickHouseError::BadCredentials { .. }) if asked && std::io::stdin().is_terminal() => {
            let password = prompt_password(&format!("Password for {}@{}: ", url.user(), url.host))
                .map_err(|e| format!("{url}: cannot read the password: {e}"))?;
            ClickHouseSource::connect(url, columns, Some(password), timeout)
        }
        other => other,
    }
    .map(|source| EventSource::ClickHouse(Box::new(source)))
    .map_err(|e| e.to_string())
}

/// Runs `f` with a progress line on a terminal while a ClickHouse query
/// reads, or while a database file from an older version has its stored
/// event log rebuilt from the rows (shown once that takes half a second).
pub(super) fn watched<T>(source: &EventSource, f: impl FnOnce(&QueryControl) -> T) -> T {
    let show = std::io::stderr().is_terminal();
    let clickhouse = matches!(source, EventSource::ClickHouse(_));
    let started = Instant::now();
    let shown = AtomicBool::new(false);
    let report = |p: Progress| {
        if !clickhouse && started.elapsed() < Duration::from_millis(500) {
            return;
        }
        shown.store(true, Ordering::Relaxed);
        let total = match p.total_rows {
            0 => String::new(),
            n => format!(" of {}", group_thousands(n as f64)),
        };
        let what = if clickhouse {
            "ClickHouse:"
        } else {
            "reading events from their rows (once):"
        };
        eprint!("\r{what} {}{total} rows read   ", group_thousands(p.read_rows as f64));
    };
    let control = QueryControl {
        cancel: None,
        progress: show.then_some(&report as &(dyn Fn(Progress) + Sync)),
    };
    let out = f(&control);
    if shown.load(Ordering::Relaxed) {
        eprint!("\r{:70}\r", "");
    }
    out
}

/// Reads a line from the terminal with echo off.
#[cfg(unix)]
fn prompt_password(prompt: &str) -> std::io::Result<String> {
    use std::io::{BufRead, Write};
    use std::os::fd::AsRawFd;
    let stdin = std::io::stdin();
    let fd = stdin.as_raw_fd();
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    // SAFETY: termios is plain data, filled by tcgetattr before use; fd is stdin's.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    let echo_off = unsafe { libc::tcgetattr(fd, &mut saved) } == 0 && {
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) == 0 }
    };
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if echo_off {
        // SAFETY: restores the settings read above.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &saved) };
    }
    read?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

#[cfg(not(unix))]
fn prompt_password(_prompt: &str) -> std::io::Result<String> {
    Err(std::io::Error::other(format!("set {PASSWORD_VARIABLE} instead")))
}
