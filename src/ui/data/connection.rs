//! A ClickHouse table as the Data view's source: the column mapping the
//! Connect dialog fills (guessed from the table's columns and types), what
//! is remembered of a connection (URL and mapping, never the password),
//! and how its errors and its name read in the app.

use crate::store::clickhouse::{ClickHouseError, ClickHouseUrl, ColumnInfo};
use crate::store::{Role, guess_mapping};

/// The parts a column can play, as `--columns` names them, in the
/// dialog's order; the first three are required.
pub(super) const PARTS: [(&str, &str); 7] = [
    ("person", "Person"),
    ("time", "Time"),
    ("event", "Event"),
    ("channel", "Channel"),
    ("cost", "Cost"),
    ("revenue", "Revenue"),
    ("order", "Tie order"),
];

pub(super) fn required(part: usize) -> bool {
    part < 3
}

/// The column chosen for each of `PARTS`; empty: none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Mapping(pub [String; 7]);

/// Names of a column holding the order of a file's rows (`order=COL`).
const ORDER_NAMES: [&str; 6] = ["seq", "sequence", "rowno", "rownumber", "rownum", "eventorder"];

impl Mapping {
    /// The import's guess from the names, then the types: the time must be
    /// a date or time column (else the first such column), cost, revenue
    /// and tie order numbers (else none).
    pub fn guess(columns: &[ColumnInfo]) -> Mapping {
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        let guessed = guess_mapping(&names);
        let column = |name: &str| columns.iter().find(|c| c.name == name);
        let mut parts: [String; 7] = Default::default();
        for (i, role) in Role::ALL.into_iter().enumerate() {
            parts[i] = guessed.get(role).unwrap_or_default().to_owned();
        }
        if !column(&parts[1]).is_some_and(ColumnInfo::is_time) {
            let taken = [&parts[0], &parts[2]];
            parts[1] = columns
                .iter()
                .find(|c| c.is_time() && !taken.contains(&&c.name))
                .map_or_else(String::new, |c| c.name.clone());
        }
        for money in [4, 5] {
            if !column(&parts[money]).is_some_and(ColumnInfo::is_number) {
                parts[money].clear();
            }
        }
        let normalized = |c: &ColumnInfo| c.name.to_lowercase().replace(['_', ' ', '-'], "");
        parts[6] = columns
            .iter()
            .find(|c| c.is_number() && ORDER_NAMES.contains(&normalized(c).as_str()))
            .map_or_else(String::new, |c| c.name.clone());
        Mapping(parts)
    }

    /// The first required part without a column, in the dialog's words.
    pub fn missing(&self) -> Option<&'static str> {
        (0..3).find(|&i| self.0[i].is_empty()).map(|i| PARTS[i].1)
    }

    /// `(key, column)` pairs for `ClickHouseSource::connect_mapped`.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        PARTS
            .iter()
            .zip(&self.0)
            .map(|((key, _), c)| (*key, c.as_str()))
            .collect()
    }

    /// Keeps only the columns `columns` has (after a table changed).
    pub fn keep_existing(&mut self, columns: &[ColumnInfo]) {
        for c in &mut self.0 {
            if !columns.iter().any(|info| info.name == *c) {
                c.clear();
            }
        }
    }
}

/// What the app remembers of a map's connection: the URL (which never
/// holds a password) and the mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Remembered {
    pub url: String,
    pub mapping: Mapping,
}

/// How the Data view's header names a connected table:
/// "ClickHouse 18.16.1 · 127.0.0.1:8123/analytics.events".
pub(super) fn source_label(version: &str, url: &ClickHouseUrl) -> String {
    format!("ClickHouse {version} · {}", short_name(url))
}

/// `HOST:PORT/DATABASE.TABLE`.
pub(super) fn short_name(url: &ClickHouseUrl) -> String {
    format!("{}:{}/{}.{}", url.host, url.port, url.database, url.table)
}

/// An error in the dialog's words: the command line's advice (variables,
/// `--columns`) becomes the dialog's fields. None holds the password: the
/// errors never carry it.
pub(super) fn describe_error(e: &ClickHouseError) -> String {
    match e {
        ClickHouseError::BadCredentials { server, user } => format!(
            "{server}: the server refused user '{user}': unknown user or wrong password. Check the user in \
             the URL and the password."
        ),
        ClickHouseError::NoColumn {
            table, role, column, ..
        } => format!("{table}: no column '{column}' for the {role}; test the connection again to list the columns"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(list: &[(&str, &str)]) -> Vec<ColumnInfo> {
        list.iter()
            .map(|(name, type_name)| ColumnInfo {
                name: (*name).into(),
                type_name: (*type_name).into(),
            })
            .collect()
    }

    #[test]
    fn guesses_by_name_then_checks_the_types() {
        let table = columns(&[
            ("user_id", "String"),
            ("ts", "DateTime('UTC')"),
            ("event", "LowCardinality(String)"),
            ("source", "Nullable(String)"),
            ("cost", "String"),
            ("revenue", "Nullable(Float64)"),
            ("seq", "UInt32"),
        ]);
        let m = Mapping::guess(&table);
        assert_eq!(m.0, ["user_id", "ts", "event", "source", "", "revenue", "seq"]);
        assert_eq!(m.missing(), None);
        assert_eq!(m.pairs()[4], ("cost", ""), "a text cost is left out, not refused later");
    }

    #[test]
    fn a_time_named_column_of_text_gives_way_to_a_real_time_column() {
        let table = columns(&[
            ("person_id", "String"),
            ("timestamp", "String"),
            ("event_name", "String"),
            ("created_at", "DateTime64(3)"),
        ]);
        let m = Mapping::guess(&table);
        assert_eq!(m.0[1], "created_at");
        assert_eq!(m.0[2], "event_name");
        let without = columns(&[("who", "String"), ("what", "String")]);
        let m = Mapping::guess(&without);
        assert_eq!(m.missing(), Some("Person"));
        assert_eq!(m.0[1], "", "no time column to offer");
    }

    #[test]
    fn a_changed_table_drops_the_columns_it_lost() {
        let mut m = Mapping::guess(&columns(&[
            ("person_id", "String"),
            ("timestamp", "DateTime"),
            ("event", "String"),
        ]));
        m.keep_existing(&columns(&[("person_id", "String"), ("event", "String")]));
        assert_eq!(m.missing(), Some("Time"));
        assert_eq!(m.0[0], "person_id");
    }

    #[test]
    fn errors_speak_of_the_dialog_not_the_command_line() {
        let e = ClickHouseError::BadCredentials {
            server: "clickhouse://ana@db.example:8123/a.events".into(),
            user: "ana".into(),
        };
        let text = describe_error(&e);
        assert!(
            text.contains("refused user 'ana'") && text.contains("db.example"),
            "{text}"
        );
        assert!(!text.contains("JOURNEYMAP_CLICKHOUSE_PASSWORD"), "{text}");
        let e = ClickHouseError::NoColumn {
            table: "a.events".into(),
            role: "time",
            column: "ts".into(),
            found: vec![],
        };
        assert!(!describe_error(&e).contains("--columns"));
    }

    #[test]
    fn the_header_names_version_server_and_table() {
        let url = ClickHouseUrl::parse("clickhouse://ana@127.0.0.1/analytics.events").unwrap();
        assert_eq!(
            source_label("18.16.1", &url),
            "ClickHouse 18.16.1 · 127.0.0.1:8123/analytics.events"
        );
    }
}
