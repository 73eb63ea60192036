//! `clickhouse://[USER@]HOST[:PORT]/DATABASE.TABLE` (HTTP) and
//! `clickhouses://...` (HTTPS): where the events live. A URL ends up in maps,
//! recent-file lists and logs, so it never carries a password; one written
//! into it is refused without being shown again.

use std::fmt;

/// A parsed ClickHouse source URL. `Display` gives it back without secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClickHouseUrl {
    /// `clickhouses://`: HTTPS.
    pub tls: bool,
    /// The user, when the URL names one (the server's `default` otherwise).
    pub user: Option<String>,
    /// As written; an IPv6 address keeps its brackets.
    pub host: String,
    pub port: u16,
    pub database: String,
    pub table: String,
}

/// ClickHouse's HTTP and HTTPS ports.
pub const HTTP_PORT: u16 = 8123;
pub const HTTPS_PORT: u16 = 8443;

impl ClickHouseUrl {
    /// Whether `text` is meant as a ClickHouse URL rather than a file.
    pub fn is_clickhouse(text: &str) -> bool {
        scheme(text).is_some()
    }

    /// Reads a URL; the message says what is wrong in plain words and never
    /// repeats a password found in it.
    pub fn parse(text: &str) -> Result<ClickHouseUrl, String> {
        let text = text.trim();
        let Some((tls, rest)) = scheme(text) else {
            return Err(format!(
                "{text}: not a ClickHouse URL; expected clickhouse://[USER@]HOST[:PORT]/DATABASE.TABLE"
            ));
        };
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (user, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                if let Some((user, _)) = userinfo.split_once(':') {
                    let shown = format!("clickhouse{}://{user}@{host}/{path}", if tls { "s" } else { "" });
                    return Err(format!(
                        "{shown}: the URL holds a password (not shown here); a URL is kept in maps, recent \
                         files and logs, so leave the password out and set JOURNEYMAP_CLICKHOUSE_PASSWORD \
                         or answer the prompt instead"
                    ));
                }
                if userinfo.is_empty() {
                    return Err(format!("{text}: the user before '@' is empty"));
                }
                (Some(userinfo.to_owned()), host)
            }
            None => (None, authority),
        };
        let (host, port) = split_port(host_port).map_err(|problem| format!("{text}: {problem}"))?;
        if host.is_empty() {
            return Err(format!("{text}: no server named after clickhouse://"));
        }
        let port = port.unwrap_or(if tls { HTTPS_PORT } else { HTTP_PORT });
        if path.contains(['?', '#', '/']) {
            return Err(format!(
                "{text}: expected only /DATABASE.TABLE after the server, with no query or further path"
            ));
        }
        let Some((database, table)) = path.split_once('.') else {
            return Err(format!(
                "{text}: name the table as /DATABASE.TABLE after the server (e.g. /analytics.events)"
            ));
        };
        if database.is_empty() || table.is_empty() {
            return Err(format!("{text}: the database or table name is empty"));
        }
        Ok(ClickHouseUrl {
            tls,
            user,
            host: host.to_owned(),
            port,
            database: database.to_owned(),
            table: table.to_owned(),
        })
    }

    /// The user to log in as.
    pub fn user(&self) -> &str {
        self.user.as_deref().unwrap_or("default")
    }

    /// `http://HOST:PORT/` or `https://...`, where queries are posted.
    pub fn endpoint(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}:{}/", self.host, self.port)
    }

    /// Whether the server is this machine (no compression is worth it there).
    pub fn is_local(&self) -> bool {
        matches!(self.host.as_str(), "localhost" | "127.0.0.1" | "[::1]")
    }
}

impl fmt::Display for ClickHouseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = if self.tls { "s" } else { "" };
        let user = self.user.as_deref().map_or(String::new(), |u| format!("{u}@"));
        write!(
            f,
            "clickhouse{s}://{user}{}:{}/{}.{}",
            self.host, self.port, self.database, self.table
        )
    }
}

/// `(https, rest)` after a `clickhouse://` or `clickhouses://` scheme.
fn scheme(text: &str) -> Option<(bool, &str)> {
    let (scheme, rest) = text.split_once("://")?;
    match scheme.to_ascii_lowercase().as_str() {
        "clickhouse" => Some((false, rest)),
        "clickhouses" => Some((true, rest)),
        _ => None,
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_port(text: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = if text.starts_with('[') {
        match text.find(']') {
            Some(end) => match &text[end + 1..] {
                "" => (&text[..=end], None),
                rest => match rest.strip_prefix(':') {
                    Some(port) => (&text[..=end], Some(port)),
                    None => return Err(format!("'{rest}' after the IPv6 address is not :PORT")),
                },
            },
            None => return Err("the IPv6 address has no closing ']'".into()),
        }
    } else {
        match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => Some(n),
            _ => return Err(format!("the port '{p}' is not a number from 1 to 65535")),
        },
    };
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_user_host_port_database_and_table() {
        let url = ClickHouseUrl::parse("clickhouse://ana@ch.example.com:9000/analytics.events").unwrap();
        assert_eq!(url.user(), "ana");
        assert_eq!((url.host.as_str(), url.port, url.tls), ("ch.example.com", 9000, false));
        assert_eq!((url.database.as_str(), url.table.as_str()), ("analytics", "events"));
        assert_eq!(url.endpoint(), "http://ch.example.com:9000/");
        assert_eq!(url.to_string(), "clickhouse://ana@ch.example.com:9000/analytics.events");
    }

    #[test]
    fn defaults_to_the_default_user_and_the_scheme_s_port() {
        let url = ClickHouseUrl::parse("clickhouse://127.0.0.1/db.t").unwrap();
        assert_eq!((url.user(), url.port), ("default", 8123));
        assert!(url.is_local());
        let url = ClickHouseUrl::parse("ClickHouses://[::1]/db.t.with.dots").unwrap();
        assert_eq!((url.host.as_str(), url.port, url.tls), ("[::1]", 8443, true));
        assert_eq!(url.table, "t.with.dots");
        assert_eq!(url.endpoint(), "https://[::1]:8443/");
        let url = ClickHouseUrl::parse("clickhouse://[::1]:18123/db.t").unwrap();
        assert_eq!(url.port, 18123);
    }

    #[test]
    fn a_password_in_the_url_is_refused_without_being_repeated() {
        let err = ClickHouseUrl::parse("clickhouse://ana:s3cret@host/db.events").unwrap_err();
        assert!(!err.contains("s3cret"), "{err}");
        assert!(err.contains("clickhouse://ana@host/db.events"), "{err}");
        assert!(err.contains("JOURNEYMAP_CLICKHOUSE_PASSWORD"), "{err}");
    }

    #[test]
    fn incomplete_urls_say_what_is_missing() {
        let cases = [
            ("clickhouse://host/events", "/DATABASE.TABLE"),
            ("clickhouse://host", "/DATABASE.TABLE"),
            ("clickhouse://host:http/db.t", "port 'http'"),
            ("clickhouse://host:0/db.t", "port '0'"),
            ("clickhouse:///db.t", "no server"),
            ("clickhouse://host/db.", "empty"),
            ("clickhouse://host/db.t?user=x", "no query"),
            ("clickhouse://@host/db.t", "user"),
            ("postgres://host/db.t", "not a ClickHouse URL"),
        ];
        for (url, expected) in cases {
            let err = ClickHouseUrl::parse(url).unwrap_err();
            assert!(err.contains(expected), "{url}: {err}");
        }
    }

    #[test]
    fn only_clickhouse_schemes_are_taken_for_urls() {
        assert!(ClickHouseUrl::is_clickhouse("clickhouse://h/d.t"));
        assert!(ClickHouseUrl::is_clickhouse("CLICKHOUSES://h/d.t"));
        assert!(!ClickHouseUrl::is_clickhouse("data.sqlite"));
        assert!(!ClickHouseUrl::is_clickhouse("/tmp/clickhouse/data.sqlite"));
    }
}
