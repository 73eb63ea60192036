//! Queries over ClickHouse's HTTP interface, from a worker thread that may
//! block. Each query gets its own id, so a cancel can `KILL QUERY` it on the
//! server rather than leave it running there after the connection closes.
//!
//! Progress: while a query runs, a watcher thread asks `system.processes`
//! how many rows it has read (every server version has it). The
//! `X-ClickHouse-Progress` headers newer servers send (18.16 sends none)
//! arrive all at once with the answer, so they give the final figure.

use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use std::{fmt, thread};

use super::url::ClickHouseUrl;
use super::{ClickHouseError, sql};

/// Trips a running query: the reader stops and the server is told to kill
/// it. Clones share the flag, so the app can hold one and a worker another.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// How far a query has got, as the server counts it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub read_rows: u64,
    pub read_bytes: u64,
    /// The server's estimate of all rows to read; 0 when unknown.
    pub total_rows: u64,
}

/// What a caller can do to a running query: cancel it, watch its progress
/// (called from another thread, hence `Sync`).
#[derive(Clone, Copy, Default)]
pub struct QueryControl<'a> {
    pub cancel: Option<&'a Cancel>,
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
}

impl QueryControl<'_> {
    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(Cancel::is_cancelled)
    }
}

/// Reads the JSON of an `X-ClickHouse-Progress` (or `-Summary`) header:
/// `{"read_rows":"8192","read_bytes":"65536","total_rows_to_read":"100000"}`.
/// The numbers are strings on every version; plain numbers are taken too.
pub fn parse_progress_header(value: &str) -> Option<Progress> {
    let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(value).ok()?;
    let number = |key: &str| -> Option<u64> {
        match fields.get(key)? {
            serde_json::Value::String(s) => s.parse().ok(),
            serde_json::Value::Number(n) => n.as_u64(),
            _ => None,
        }
    };
    Some(Progress {
        read_rows: number("read_rows")?,
        read_bytes: number("read_bytes").unwrap_or(0),
        total_rows: number("total_rows_to_read").unwrap_or(0),
    })
}

/// A connection to one server as one user. The password stays inside: it is
/// sent in a header on each request and is never formatted (`Debug` leaves
/// it out).
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    endpoint: String,
    /// The URL as shown in messages.
    server: String,
    user: String,
    password: Option<String>,
    compress: bool,
    timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("server", &self.server)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "(set)"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// How long a query may run, server and client side, unless
/// `JOURNEYMAP_CLICKHOUSE_TIMEOUT` (seconds) says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the watcher looks at the running query.
const WATCH_EVERY: Duration = Duration::from_millis(250);

impl Client {
    pub fn new(url: &ClickHouseUrl, password: Option<String>, timeout: Duration) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            // The server works before it answers: headers may take the whole query.
            .timeout_recv_response(Some(timeout + Duration::from_secs(5)))
            .timeout_recv_body(Some(timeout + Duration::from_secs(5)))
            // Many progress headers on a long query on newer servers.
            .max_response_header_size(4 << 20)
            // Below 18.16's 3 s keep-alive, so a pooled connection is never stale.
            .max_idle_age(Duration::from_secs(2))
            .user_agent(concat!("journeymap/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
            endpoint: url.endpoint(),
            server: url.to_string(),
            user: url.user().to_owned(),
            password,
            compress: !url.is_local(),
            timeout,
        }
    }

    /// The server as messages name it.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Runs `sql` and returns its whole (small) answer as text.
    pub fn query_text(&self, sql: &str, control: &QueryControl) -> Result<String, ClickHouseError> {
        let mut out = String::new();
        self.query_rows(sql, control, None, |fields| {
            out.push_str(&fields.join("\t"));
            out.push('\n');
            Ok(())
        })?;
        Ok(out)
    }

    /// Runs `sql` (whose output must be TabSeparated) and hands each row's
    /// unescaped fields to `each`, checking that there are `columns` of them.
    /// Returns the server's final progress figure when it sent one.
    pub fn query_rows(
        &self,
        sql: &str,
        control: &QueryControl,
        columns: Option<usize>,
        mut each: impl FnMut(&[String]) -> Result<(), ClickHouseError>,
    ) -> Result<Option<Progress>, ClickHouseError> {
        if control.cancelled() {
            return Err(ClickHouseError::Cancelled);
        }
        let query_id = new_query_id();
        let done = AtomicBool::new(false);
        let watched = control.cancel.is_some() || control.progress.is_some();
        let result = thread::scope(|scope| {
            let watcher = watched.then(|| scope.spawn(|| self.watch(&query_id, control, &done)));
            let result = self.run(sql, &query_id, control, columns, &mut each);
            done.store(true, Ordering::Relaxed);
            if let Some(w) = &watcher {
                w.thread().unpark();
            }
            result
        });
        if control.cancelled() {
            // Also when the answer was complete: the caller asked to stop.
            self.kill(&query_id);
            return Err(ClickHouseError::Cancelled);
        }
        result
    }

    /// Asks the server to stop the query `query_id` (best effort).
    pub fn kill(&self, query_id: &str) {
        let sql = sql::kill_query(query_id);
        let _ = self.send(&sql, &new_query_id(), false).map(|mut r| {
            let _ = r.body_mut().read_to_string();
        });
    }

    fn send(
        &self,
        sql: &str,
        query_id: &str,
        progress: bool,
    ) -> Result<ureq::http::Response<ureq::Body>, ClickHouseError> {
        let mut request = self
            .agent
            .post(&self.endpoint)
            .query("query_id", query_id)
            .query("max_execution_time", self.timeout.as_secs().to_string())
            .header("X-ClickHouse-User", &self.user);
        if let Some(password) = &self.password {
            request = request.header("X-ClickHouse-Key", password);
        }
        if progress {
            request = request
                .query("send_progress_in_http_headers", "1")
                .query("http_headers_progress_interval_ms", "1000");
        }
        if self.compress {
            request = request.query("enable_http_compression", "1");
        }
        request.send(sql).map_err(|e| self.transport_error(e))
    }

    fn run(
        &self,
        sql: &str,
        query_id: &str,
        control: &QueryControl,
        columns: Option<usize>,
        each: &mut dyn FnMut(&[String]) -> Result<(), ClickHouseError>,
    ) -> Result<Option<Progress>, ClickHouseError> {
        let mut response = self.send(sql, query_id, control.progress.is_some())?;
        let status = response.status().as_u16();
        if status != 200 {
            let mut text = String::new();
            let _ = response.body_mut().as_reader().take(64 << 10).read_to_string(&mut text);
            return Err(self.server_error(status, &text));
        }
        let last = |name: &str| {
            let values = response.headers().get_all(name).iter();
            values
                .filter_map(|v| v.to_str().ok())
                .filter_map(parse_progress_header)
                .next_back()
        };
        let progress = last("X-ClickHouse-Summary").or_else(|| last("X-ClickHouse-Progress"));
        if let (Some(report), Some(p)) = (control.progress, progress) {
            report(p);
        }
        let mut reader = BufReader::with_capacity(1 << 16, response.body_mut().as_reader());
        let mut line = Vec::new();
        let mut fields: Vec<String> = Vec::new();
        loop {
            line.clear();
            let n = reader.read_until(b'\n', &mut line).map_err(|e| self.body_error(e))?;
            if n == 0 {
                break;
            }
            if control.cancelled() {
                return Err(ClickHouseError::Cancelled);
            }
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            sql::split_tsv(&line, &mut fields);
            if columns.is_some_and(|c| c != fields.len()) {
                return Err(self.broken_row(&line));
            }
            each(&fields)?;
        }
        Ok(progress)
    }

    /// Until `done`: kills the query once the caller cancels, and reports
    /// the rows read so far.
    fn watch(&self, query_id: &str, control: &QueryControl, done: &AtomicBool) {
        let sql = sql::progress_of(query_id);
        loop {
            thread::park_timeout(WATCH_EVERY);
            if done.load(Ordering::Relaxed) {
                return;
            }
            if control.cancelled() {
                self.kill(query_id);
                return;
            }
            let Some(report) = control.progress else {
                continue;
            };
            let Ok(mut response) = self.send(&sql, &new_query_id(), false) else {
                continue;
            };
            let text = response.body_mut().read_to_string().unwrap_or_default();
            let numbers: Vec<u64> = text.split_whitespace().filter_map(|n| n.parse().ok()).collect();
            if let [read_rows, read_bytes, total_rows] = numbers[..]
                && !done.load(Ordering::Relaxed)
            {
                report(Progress {
                    read_rows,
                    read_bytes,
                    total_rows,
                });
            }
        }
    }

    fn transport_error(&self, e: ureq::Error) -> ClickHouseError {
        let server = self.server.clone();
        match e {
            ureq::Error::Timeout(_) => ClickHouseError::Timeout {
                server,
                seconds: self.timeout.as_secs(),
            },
            ureq::Error::HostNotFound => ClickHouseError::Unreachable {
                server,
                detail: "no such host".into(),
            },
            ureq::Error::ConnectionFailed => ClickHouseError::Unreachable {
                server,
                detail: "connection failed".into(),
            },
            ureq::Error::Io(e) => ClickHouseError::Unreachable {
                server,
                detail: io_text(&e),
            },
            ureq::Error::Tls(detail) => ClickHouseError::Unreachable {
                server,
                detail: format!("TLS: {detail}"),
            },
            ureq::Error::Rustls(e) => ClickHouseError::Unreachable {
                server,
                detail: format!("TLS: {e}"),
            },
            other => ClickHouseError::Protocol {
                server,
                detail: other.to_string(),
            },
        }
    }

    fn body_error(&self, e: std::io::Error) -> ClickHouseError {
        if e.kind() == std::io::ErrorKind::TimedOut {
            return ClickHouseError::Timeout {
                server: self.server.clone(),
                seconds: self.timeout.as_secs(),
            };
        }
        ClickHouseError::Protocol {
            server: self.server.clone(),
            detail: format!("the answer broke off ({})", io_text(&e)),
        }
    }

    /// A row of the wrong width: an error the server wrote into the answer
    /// after it had begun, or something that is not ours.
    fn broken_row(&self, line: &[u8]) -> ClickHouseError {
        let text = String::from_utf8_lossy(line);
        match text.find("Code: ") {
            Some(at) => self.server_error(200, &text[at..]),
            None => ClickHouseError::Protocol {
                server: self.server.clone(),
                detail: format!("a row with an unexpected number of columns: {:.200}", text),
            },
        }
    }

    /// Maps an error answer to what the user should hear.
    pub(super) fn server_error(&self, status: u16, body: &str) -> ClickHouseError {
        let (code, message) = sql::parse_exception(body);
        let server = self.server.clone();
        match code {
            Some(192..=194 | 516) => ClickHouseError::BadCredentials {
                server,
                user: self.user.clone(),
            },
            None if status == 401 || status == 403 => ClickHouseError::BadCredentials {
                server,
                user: self.user.clone(),
            },
            Some(60 | 81) => ClickHouseError::NoTable {
                server,
                detail: message,
            },
            Some(159) => ClickHouseError::Timeout {
                server,
                seconds: self.timeout.as_secs(),
            },
            Some(394) => ClickHouseError::Cancelled,
            _ if message.is_empty() => ClickHouseError::Protocol {
                server,
                detail: format!("HTTP status {status} without an explanation"),
            },
            code => ClickHouseError::Server { server, code, message },
        }
    }
}

fn io_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
        std::io::ErrorKind::ConnectionReset => "connection reset".into(),
        _ => e.to_string(),
    }
}

/// A query id no other query of this or another process has.
fn new_query_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("journeymap-{}-{nanos:x}-{n}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        let url = ClickHouseUrl::parse("clickhouse://ana@db.example:8123/a.events").unwrap();
        Client::new(&url, Some("hunter2".into()), Duration::from_secs(5))
    }

    #[test]
    fn progress_headers_are_read_with_numbers_as_strings_or_not() {
        let p = parse_progress_header(
            r#"{"read_rows":"8192","read_bytes":"65536","written_rows":"0","total_rows_to_read":"100000"}"#,
        )
        .unwrap();
        assert_eq!((p.read_rows, p.read_bytes, p.total_rows), (8192, 65536, 100_000));
        let p = parse_progress_header(r#"{"read_rows":12,"read_bytes":3}"#).unwrap();
        assert_eq!((p.read_rows, p.total_rows), (12, 0));
        assert_eq!(parse_progress_header("not json"), None);
        assert_eq!(parse_progress_header(r#"{"read_bytes":"1"}"#), None);
    }

    #[test]
    fn server_errors_become_plain_messages_without_the_password() {
        let c = client();
        let old = "Code: 192, e.displayText() = DB::Exception: Unknown user bob, e.what() = DB::Exception\n";
        let new = "Code: 516. DB::Exception: ana: Authentication failed: password is incorrect, or there is no \
                   user with such name. (AUTHENTICATION_FAILED) (version 24.3.1.1)\n";
        for body in [old, new] {
            let err = c.server_error(401, body);
            assert!(matches!(err, ClickHouseError::BadCredentials { .. }), "{err:?}");
            let text = err.to_string();
            assert!(text.contains("user 'ana'") && !text.contains("hunter2"), "{text}");
        }
        let err = c.server_error(
            404,
            "Code: 60, e.displayText() = DB::Exception: Table a.events doesn't exist., e.what() = DB::Exception",
        );
        assert_eq!(
            err.to_string(),
            "clickhouse://ana@db.example:8123/a.events: Table a.events doesn't exist."
        );
        let err = c.server_error(500, "Code: 241, e.displayText() = DB::Exception: Memory limit exceeded");
        assert!(
            err.to_string().contains("ClickHouse error 241: Memory limit exceeded"),
            "{err}"
        );
        assert!(matches!(c.server_error(502, ""), ClickHouseError::Protocol { .. }));
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn an_error_written_into_a_started_answer_is_the_server_s() {
        let err = client().broken_row(b"Code: 241, e.displayText() = DB::Exception: Memory limit (total) exceeded");
        assert!(
            matches!(&err, ClickHouseError::Server { code: Some(241), .. }),
            "{err:?}"
        );
        let err = client().broken_row(b"just\ttwo");
        assert!(matches!(err, ClickHouseError::Protocol { .. }));
    }

    #[test]
    fn an_unreachable_server_is_named_and_the_query_fails_quickly() {
        // Port 9 on this machine: nothing listens there.
        let url = ClickHouseUrl::parse("clickhouse://127.0.0.1:9/a.b").unwrap();
        let c = Client::new(&url, None, Duration::from_secs(5));
        let err = c.query_text("SELECT 1", &QueryControl::default()).unwrap_err();
        assert!(matches!(err, ClickHouseError::Unreachable { .. }), "{err:?}");
        assert!(
            err.to_string()
                .starts_with("clickhouse://127.0.0.1:9/a.b: cannot reach"),
            "{err}"
        );
    }

    #[test]
    fn a_cancelled_handle_stops_a_query_before_it_is_sent() {
        let cancel = Cancel::new();
        cancel.clone().cancel();
        let control = QueryControl {
            cancel: Some(&cancel),
            progress: None,
        };
        assert_eq!(
            client().query_text("SELECT 1", &control),
            Err(ClickHouseError::Cancelled)
        );
    }

    #[test]
    fn query_ids_differ() {
        assert_ne!(new_query_id(), new_query_id());
    }
}
