//! One value out of an event's `properties`, the JSON object of its extra
//! columns. SQLite's `properties ->> 'key'` parses the whole object again
//! for every row, most of a breakdown's time at millions of events; the
//! import writes a flat object of strings (`{"country":"VN","plan":"pro"}`),
//! which this walks in place, borrowing the value unless it has escapes.
//! Anything else (numbers, nesting, spaces: a file written by another tool)
//! goes to serde_json, with `->>`'s answers.

use std::borrow::Cow;

/// The value of `key` in the object `json`: a string as its text, a number
/// or boolean as written (`->>` gives 1 for true), `null` or a missing key
/// as `None`, an object or array as its JSON. `None` too when `json` is
/// not an object.
pub(crate) fn value<'a>(json: &'a str, key: &str) -> Option<Cow<'a, str>> {
    match flat(json, key) {
        Some(found) => found,
        None => general(json, key),
    }
}

/// The lookup in a flat object of strings, written without spaces; the
/// outer `None` when `json` is not one (up to the key: the rest of the
/// object is not read).
fn flat<'a>(json: &'a str, key: &str) -> Option<Option<Cow<'a, str>>> {
    let s = json.as_bytes();
    let mut at = 1;
    if s.first() != Some(&b'{') {
        return None;
    }
    if s.get(1) == Some(&b'}') {
        return (s.len() == 2).then_some(None);
    }
    loop {
        let (k, after_key) = string(json, at)?;
        if s.get(after_key) != Some(&b':') {
            return None;
        }
        let (v, after_value) = string(json, after_key + 1)?;
        if k == key {
            return Some(Some(v));
        }
        match s.get(after_value) {
            Some(b',') => at = after_value + 1,
            Some(b'}') if after_value + 1 == s.len() => return Some(None),
            _ => return None,
        }
    }
}

/// The JSON string starting at byte `at` of `json`, unescaped, and where
/// it ends; `None` when there is none there.
fn string(json: &str, at: usize) -> Option<(Cow<'_, str>, usize)> {
    let s = json.as_bytes();
    if s.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    let mut escaped = false;
    loop {
        match *s.get(i)? {
            b'"' => break,
            b'\\' => {
                escaped = true;
                i += 2;
            }
            _ => i += 1,
        }
    }
    let text = if escaped {
        Cow::Owned(serde_json::from_str::<String>(json.get(at..=i)?).ok()?)
    } else {
        Cow::Borrowed(json.get(at + 1..i)?)
    };
    Some((text, i + 1))
}

/// Any JSON, the slow way.
fn general<'a>(json: &str, key: &str) -> Option<Cow<'a, str>> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).ok()?;
    match object.get(key)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(Cow::Owned(s.clone())),
        other => Some(Cow::Owned(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::row::push_json_str;

    /// What SQLite's `->>` answers, to hold this module to it.
    fn sqlite(json: &str, key: &str) -> Option<String> {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.query_row("SELECT CAST(?1 ->> ?2 AS TEXT)", [json, key], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn values_are_those_sqlite_gives() {
        let cases = [
            (r#"{"country":"VN","plan":"pro"}"#, "plan"),
            (r#"{"country":"VN","plan":"pro"}"#, "country"),
            (r#"{"country":"VN"}"#, "plan"),
            (r#"{}"#, "plan"),
            (r#"{"tên":"Nguyễn Văn Ánh","miasto":"Łódź"}"#, "tên"),
            (r#"{"utm.source x":"a\"b\\c\n","k":"v"}"#, "utm.source x"),
            (r#"{"note":"x\",\"country\":\"US","country":"PL"}"#, "country"),
            (r#"{"note":"a,","country":"PL"}"#, "country"),
            (r#"{"e":"\u00e9\ud83d\ude00"}"#, "e"),
            (r#"{"n":12.5,"b":true,"z":null}"#, "n"),
            (r#"{"n":12.5,"b":true,"z":null}"#, "z"),
            (r#"{ "spaced" : "yes" }"#, "spaced"),
            (r#"{"nested":{"a":1}}"#, "nested"),
        ];
        for (json, key) in cases {
            let ours = value(json, key).map(Cow::into_owned);
            assert_eq!(ours, sqlite(json, key), "{json} ->> {key}");
        }
        // SQLite answers 1 for true; a breakdown reads better with the word.
        assert_eq!(value(r#"{"b":true}"#, "b").as_deref(), Some("true"));
        // A column named with a quote: `->>` finds nothing (the label is
        // quoted into a path), while the import did keep its values.
        assert_eq!(sqlite(r#"{"a\"b":"v"}"#, "a\"b"), None);
        assert_eq!(value(r#"{"a\"b":"v"}"#, "a\"b").as_deref(), Some("v"));
    }

    #[test]
    fn what_the_import_writes_is_read_back_in_place() {
        let pairs = [
            ("country", "VN"),
            ("zwrot", "\"tak\" \\ nie"),
            ("ghi chú", "dòng 1\ndòng 2\t✓"),
        ];
        let mut json = String::from("{");
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            push_json_str(&mut json, k);
            json.push(':');
            push_json_str(&mut json, v);
        }
        json.push('}');
        for (k, v) in pairs {
            assert_eq!(flat(&json, k), Some(Some(Cow::Borrowed(v))), "{json}");
        }
        assert!(matches!(flat(&json, "country"), Some(Some(Cow::Borrowed("VN")))));
        assert_eq!(value(&json, "missing"), None);
    }

    #[test]
    fn broken_json_has_no_values() {
        // (The walk stops at the key: what comes after it is not checked.)
        for json in ["", "{", r#"{"x":"b""#, r#"{"x":"b"} x"#, "[1,2]", r#"{"a":"\"#, "null"] {
            assert_eq!(value(json, "a"), None, "{json}");
        }
    }
}
