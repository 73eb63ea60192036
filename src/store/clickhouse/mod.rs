//! ClickHouse as an event source beside the SQLite file: the events stay on
//! the server, the server does the heavy work (filtering, ordering, counting
//! paths) and only results, or the few events a funnel needs, cross the
//! network. Works with ClickHouse 18.16 (Debian's) and current releases.
//!
//! - `url`: `clickhouse://[USER@]HOST[:PORT]/DATABASE.TABLE`, never a password.
//! - `client`: HTTP queries with timeouts, progress, cancel (`KILL QUERY`).
//! - `sql`: quoting and the query texts, kept apart so they can be read and tested.
//! - `source`: a table with its column mapping, and the analyses' inputs.

mod client;
mod source;
mod sql;
mod url;

use std::fmt;

pub use client::{Cancel, Client, DEFAULT_TIMEOUT, Progress, QueryControl, parse_progress_header};
pub use source::{ClickHouseSource, ColumnInfo, CompareEvents, FunnelEvents, PathCounts, TableInfo, TimeKind};
pub use sql::EventFilter;
pub use url::{ClickHouseUrl, HTTP_PORT, HTTPS_PORT};

/// The variable the password is read from (else the command line prompts).
pub const PASSWORD_VARIABLE: &str = "JOURNEYMAP_CLICKHOUSE_PASSWORD";

/// Everything that can go wrong talking to ClickHouse. Messages name the
/// server (as a URL without password) and say the problem plainly; none
/// ever contains the password.
#[derive(Debug, Clone, PartialEq)]
pub enum ClickHouseError {
    /// The URL or `--columns` could not be read.
    Usage(String),
    /// No connection: refused, unknown host, TLS failure.
    Unreachable { server: String, detail: String },
    /// No answer within the time allowed.
    Timeout { server: String, seconds: u64 },
    /// Unknown user or wrong password.
    BadCredentials { server: String, user: String },
    /// The database or table does not exist.
    NoTable { server: String, detail: String },
    /// A column the mapping names is not in the table.
    NoColumn {
        table: String,
        role: &'static str,
        column: String,
        found: Vec<String>,
    },
    /// The column is of a type that cannot play its part.
    BadType {
        table: String,
        role: &'static str,
        column: String,
        type_name: String,
        expected: &'static str,
    },
    /// Any other error the server reported, with its code.
    Server {
        server: String,
        code: Option<u32>,
        message: String,
    },
    /// The answer was not what was asked for.
    Protocol { server: String, detail: String },
    /// The cancel handle was tripped; the query was killed on the server.
    Cancelled,
}

impl fmt::Display for ClickHouseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ClickHouseError::*;
        match self {
            Usage(message) => f.write_str(message),
            Unreachable { server, detail } => write!(
                f,
                "{server}: cannot reach the ClickHouse server ({detail}); check the host and port, and that \
                 its HTTP interface is on (port 8123, or 8443 for clickhouses://)"
            ),
            Timeout { server, seconds } => write!(
                f,
                "{server}: no answer within {seconds} s; the server may be busy or the query too large \
                 (nothing was changed on the server)"
            ),
            BadCredentials { server, user } => write!(
                f,
                "{server}: the server refused user '{user}': unknown user or wrong password (set it in \
                 {PASSWORD_VARIABLE}, or leave that unset to be asked)"
            ),
            NoTable { server, detail } => write!(f, "{server}: {detail}"),
            NoColumn {
                table,
                role,
                column,
                found,
            } => write!(
                f,
                "{table}: no column '{column}' for the {role} (name it with --columns {}=COLUMN); the \
                 table's columns are: {}",
                role_key(role),
                found.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
            ),
            BadType {
                table,
                role,
                column,
                type_name,
                expected,
            } => write!(
                f,
                "{table}: column '{column}' is {type_name}, which cannot be the {role}; {expected}"
            ),
            Server { server, code, message } => match code {
                Some(code) => write!(f, "{server}: ClickHouse error {code}: {message}"),
                None => write!(f, "{server}: ClickHouse error: {message}"),
            },
            Protocol { server, detail } => write!(f, "{server}: unexpected answer from the server: {detail}"),
            Cancelled => f.write_str("cancelled; the query was stopped on the server"),
        }
    }
}

impl std::error::Error for ClickHouseError {}

/// The `--columns` key for a role described as in messages.
fn role_key(role: &str) -> &str {
    match role {
        "person id" => "person",
        "event name" => "event",
        "tie order" => "order",
        other => other,
    }
}
