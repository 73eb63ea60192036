//! One CSV record → one typed event, or the reason it cannot be one.

use csv::StringRecord;

use super::amount::{Currency, parse_amount};
use super::columns::{Resolved, Role};
use super::timestamp::{Zone, parse_timestamp};

/// A valid row, borrowing from the record; `properties` is JSON built into
/// the parser's reused buffer.
pub(crate) struct Row<'a> {
    pub person: &'a str,
    pub ts_ms: i64,
    pub event: &'a str,
    pub channel: Option<&'a str>,
    pub cost: Option<f64>,
    pub revenue: Option<f64>,
    pub properties: Option<&'a str>,
    /// The currencies cost and revenue were written in, if any.
    pub currencies: [Option<Currency>; 2],
}

/// What is wrong with a record.
pub(crate) enum Problem {
    /// The row is rejected for this reason.
    Reject(String),
    /// Every field is blank (Excel's trailing `,,,,` rows): skipped quietly.
    Blank,
}

/// What a good record made: how many rows, and the currencies its money
/// was written in (an import keeps to one).
pub(crate) struct Made {
    pub rows: u64,
    pub currencies: [Option<Currency>; 2],
}

pub(crate) struct RowParser {
    width: usize,
    header: Vec<String>,
    person: usize,
    time: usize,
    event: usize,
    channel: Option<usize>,
    cost: Option<usize>,
    revenue: Option<usize>,
    /// (column, property key already JSON-quoted with a trailing colon).
    extras: Vec<(usize, String)>,
    zone: Zone,
    json: String,
    decimal_comma: bool,
}

impl RowParser {
    pub fn new(header: &[String], resolved: &Resolved, zone: Zone) -> RowParser {
        let required = |role| resolved.column(role).expect("required roles are resolved");
        let extras = resolved
            .extras
            .iter()
            .map(|(i, key)| {
                let mut quoted = String::new();
                push_json_str(&mut quoted, key);
                quoted.push(':');
                (*i, quoted)
            })
            .collect();
        RowParser {
            width: header.len(),
            header: header.to_vec(),
            person: required(Role::Person),
            time: required(Role::Time),
            event: required(Role::Event),
            channel: resolved.column(Role::Channel),
            cost: resolved.column(Role::Cost),
            revenue: resolved.column(Role::Revenue),
            extras,
            zone,
            json: String::new(),
            decimal_comma: false,
        }
    }

    /// Reads cost and revenue written `12,50` or `1 234,50`.
    pub fn decimal_comma(mut self, on: bool) -> RowParser {
        self.set_decimal_comma(on);
        self
    }

    pub fn set_decimal_comma(&mut self, on: bool) {
        self.decimal_comma = on;
    }

    pub fn column_name(&self, i: usize) -> &str {
        self.header.get(i).map_or("(beyond the header)", String::as_str)
    }

    pub fn parse<'a>(&'a mut self, rec: &'a StringRecord) -> Result<Row<'a>, Problem> {
        let text = |i: usize| trim(rec.get(i).unwrap_or_default());
        if rec.iter().all(|f| trim(f).is_empty()) {
            return Err(Problem::Blank);
        }
        if rec.len() != self.width {
            return Err(Problem::Reject(format!(
                "expected {} fields, found {}",
                self.width,
                rec.len()
            )));
        }
        let person = text(self.person);
        if person.is_empty() {
            return Err(self.reject_empty(Role::Person, self.person));
        }
        let event = text(self.event);
        if event.is_empty() {
            return Err(self.reject_empty(Role::Event, self.event));
        }
        let time = text(self.time);
        let ts_ms = parse_timestamp(time, &self.zone).map_err(|e| {
            if time.is_empty() {
                self.reject_empty(Role::Time, self.time)
            } else {
                Problem::Reject(format!("time {} {e}", self.quote_value(self.time, time)))
            }
        })?;
        let channel = self.channel.map(text).filter(|c| !c.is_empty());
        let (cost, cost_currency) = self.number(Role::Cost, self.cost, rec)?;
        let (revenue, revenue_currency) = self.number(Role::Revenue, self.revenue, rec)?;

        self.json.clear();
        for (i, key) in &self.extras {
            let v = text(*i);
            if v.is_empty() {
                continue;
            }
            self.json.push(if self.json.is_empty() { '{' } else { ',' });
            self.json.push_str(key);
            push_json_str(&mut self.json, v);
        }
        let properties = if self.json.is_empty() {
            None
        } else {
            self.json.push('}');
            Some(self.json.as_str())
        };
        Ok(Row {
            person,
            ts_ms,
            event,
            channel,
            cost,
            revenue,
            properties,
            currencies: [cost_currency, revenue_currency],
        })
    }

    fn reject_empty(&self, role: Role, col: usize) -> Problem {
        Problem::Reject(format!(
            "{} (column '{}') is empty",
            role.describe(),
            self.column_name(col)
        ))
    }

    fn quote_value(&self, col: usize, v: &str) -> String {
        let shown: String = v.chars().take(60).collect();
        let more = if shown.len() < v.len() { "…" } else { "" };
        format!("'{shown}{more}' (column '{}')", self.column_name(col))
    }

    /// A money field: its value and the currency it was written in.
    fn number(
        &self,
        role: Role,
        col: Option<usize>,
        rec: &StringRecord,
    ) -> Result<(Option<f64>, Option<Currency>), Problem> {
        let Some(col) = col else { return Ok((None, None)) };
        let v = trim(rec.get(col).unwrap_or_default());
        if v.is_empty() {
            return Ok((None, None));
        }
        // Plain numbers, the most common by far, the quick way.
        if !self.decimal_comma
            && let Ok(x) = v.parse::<f64>()
            && x.is_finite()
        {
            return Ok((Some(x), None));
        }
        match parse_amount(v, self.decimal_comma) {
            Some(a) => Ok((Some(a.value), a.currency)),
            None => Err(Problem::Reject(format!(
                "{} {} is not a number",
                role.describe(),
                self.quote_value(col, v)
            ))),
        }
    }
}

/// `s.trim()`, quicker for the common field that starts and ends with a
/// visible ASCII character (a dozen fields a row add up).
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Appends `s` as a JSON string literal.
pub(crate) fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1F => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ColumnMapping;
    use std::path::Path;

    fn parser(cols: &[&str]) -> RowParser {
        let header: Vec<String> = cols.iter().map(|s| s.to_string()).collect();
        let resolved = ColumnMapping::default().resolve(&header, Path::new("t.csv")).unwrap();
        RowParser::new(&header, &resolved, Zone::Utc)
    }

    fn reason(p: &mut RowParser, fields: &[&str]) -> String {
        match p.parse(&StringRecord::from(fields.to_vec())) {
            Err(Problem::Reject(r)) => r,
            Ok(_) => panic!("{fields:?} accepted"),
            Err(_) => panic!("{fields:?}: not a rejection"),
        }
    }

    #[test]
    fn parses_a_full_row_with_properties() {
        let mut p = parser(&[
            "person_id",
            "timestamp",
            "event",
            "channel",
            "cost",
            "revenue",
            "city",
            "note",
        ]);
        let rec = StringRecord::from(vec![
            " p1 ",
            "2024-05-01T10:00:00Z",
            "purchase",
            "",
            "1.5",
            "",
            "Kraków",
            "say \"hi\"\n",
        ]);
        let row = p.parse(&rec).ok().unwrap();
        assert_eq!(row.person, "p1");
        assert_eq!(row.ts_ms, 1_714_557_600_000);
        assert_eq!(row.channel, None);
        assert_eq!(row.cost, Some(1.5));
        assert_eq!(row.revenue, None);
        let props: serde_json::Value = serde_json::from_str(row.properties.unwrap()).unwrap();
        assert_eq!(props["city"], "Kraków");
        assert_eq!(props["note"], "say \"hi\"");
    }

    #[test]
    fn reasons_name_the_column_and_value() {
        let mut p = parser(&["person_id", "timestamp", "event", "cost"]);
        assert_eq!(
            reason(&mut p, &["", "2024-05-01", "x", ""]),
            "person id (column 'person_id') is empty"
        );
        assert_eq!(
            reason(&mut p, &["a", "", "x", ""]),
            "time (column 'timestamp') is empty"
        );
        assert_eq!(
            reason(&mut p, &["a", "2024-05-01", " ", ""]),
            "event name (column 'event') is empty"
        );
        assert!(
            reason(&mut p, &["a", "soon", "x", ""]).starts_with("time 'soon' (column 'timestamp') is not a recognised")
        );
        assert_eq!(
            reason(&mut p, &["a", "2024-05-01", "x", "12,50"]),
            "cost '12,50' (column 'cost') is not a number"
        );
        assert_eq!(
            reason(&mut p, &["a", "2024-05-01", "x", "NaN"]),
            "cost 'NaN' (column 'cost') is not a number"
        );
        assert_eq!(reason(&mut p, &["a", "2024-05-01"]), "expected 4 fields, found 2");
        assert!(matches!(
            p.parse(&StringRecord::from(vec!["", " ", "", ""])),
            Err(Problem::Blank)
        ));
    }

    #[test]
    fn trimming_matches_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}a",
            "a\u{2003}",
            "ab",
            " ab\t",
            "é",
            "\u{feff}x",
            "x\n",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn json_escaping() {
        let mut s = String::new();
        push_json_str(&mut s, "a\"b\\c\u{1}\tđ");
        assert_eq!(s, r#""a\"b\\c\u0001\tđ""#);
        assert_eq!(serde_json::from_str::<String>(&s).unwrap(), "a\"b\\c\u{1}\tđ");
    }
}
