//! The SQL Journeymap sends, built from the table's column mapping. Only
//! functions ClickHouse 18.16 already had are used, so one text serves old
//! and new servers. Names are quoted with backticks and strings with single
//! quotes, both backslash-escaped, so no name or value can end a literal.

/// `name` as a quoted identifier.
pub fn ident(name: &str) -> String {
    format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`"))
}

/// `text` as a string literal.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `(a, b, c)` of literals, for `IN`.
fn literal_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| literal(s)).collect();
    format!("({})", items.join(", "))
}

/// The expressions that read one event of the table, as the SQLite import
/// would store it: text ids, milliseconds since the epoch (UTC), an empty
/// channel for none, 0 for no cost or revenue.
#[derive(Clone, Debug, PartialEq)]
pub struct Exprs {
    /// `db`.`table`.
    pub table: String,
    pub person: String,
    pub time_ms: String,
    pub event: String,
    pub channel: String,
    pub cost: String,
    pub revenue: String,
    /// Rows the import would have taken: a person, a time and an event.
    pub valid: String,
    /// What orders events of one person at the same time.
    pub tie: Vec<String>,
}

impl Exprs {
    /// An extra column's value as text, empty for none.
    pub fn property(column: &str) -> String {
        format!("ifNull(toString({}), '')", ident(column))
    }
}

/// Which events to send: those named in `events` within the time range, and
/// those named in `always` at any time. `None`: every event. An analysis that
/// needs no channel, or no cost and revenue, says so, and they stay behind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventFilter {
    pub events: Option<Vec<String>>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub always: Vec<String>,
    pub skip_channel: bool,
    pub skip_money: bool,
}

fn filter_sql(x: &Exprs, filter: &EventFilter) -> String {
    let Some(events) = &filter.events else {
        return String::new();
    };
    let mut within = vec![match events.is_empty() {
        true => "0".to_owned(),
        false => format!("{} IN {}", x.event, literal_list(events)),
    }];
    if let Some(from) = filter.from_ms {
        within.push(format!("{} >= {from}", x.time_ms));
    }
    if let Some(to) = filter.to_ms {
        within.push(format!("{} <= {to}", x.time_ms));
    }
    let mut sql = format!(" AND (({})", within.join(" AND "));
    if !filter.always.is_empty() {
        sql.push_str(&format!(" OR {} IN {}", x.event, literal_list(&filter.always)));
    }
    sql.push(')');
    sql
}

/// Person, time (ms), event, channel, cost, revenue and then `properties`,
/// in the order the local engine walks them: by person, time and tie order.
/// With `file_order` (the tie order being the row number of the file the
/// table was loaded from) the rows come in that order instead, as from a
/// database file: the local engine then numbers people, events and channels
/// as it would the file's, so even sums over them add up in the same order.
pub fn events(x: &Exprs, filter: &EventFilter, properties: &[String], file_order: bool) -> String {
    let (channel, money) = (!filter.skip_channel, !filter.skip_money);
    let mut columns = vec![
        x.person.clone(),
        x.time_ms.clone(),
        x.event.clone(),
        if channel { x.channel.clone() } else { "''".into() },
        if money { x.cost.clone() } else { "0".into() },
        if money { x.revenue.clone() } else { "0".into() },
    ];
    columns.extend(properties.iter().map(|p| Exprs::property(p)));
    let select: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} AS c{i}"))
        .collect();
    let order = match (file_order, &x.tie[..]) {
        (true, [row]) => row.clone(),
        _ => {
            let mut order = vec!["c0".to_owned(), "c1".to_owned()];
            order.extend(x.tie.iter().cloned());
            order.join(", ")
        }
    };
    format!(
        "SELECT {} FROM {} WHERE {}{} ORDER BY {order} FORMAT TabSeparated",
        select.join(", "),
        x.table,
        x.valid,
        filter_sql(x, filter),
    )
}

/// How many people have any event.
pub fn people(x: &Exprs) -> String {
    format!(
        "SELECT uniqExact({}) FROM {} WHERE {} FORMAT TabSeparated",
        x.person, x.table, x.valid
    )
}

/// Up to `limit` event names, most frequent first (for messages).
pub fn event_names(x: &Exprs, limit: usize) -> String {
    format!(
        "SELECT {e} AS e FROM {} WHERE {} GROUP BY e ORDER BY count() DESC, e LIMIT {limit} FORMAT TabSeparated",
        x.table,
        x.valid,
        e = x.event
    )
}

/// The directly-follows graph counted on the server: per person the events
/// in walk order, then every neighbouring pair, the first event (after the
/// start) and the last (before the end), counted over everyone or only the
/// people who did `converted_by`. Rows: kind (0 inner, 1 start, 2 end),
/// from, to, count.
pub fn path_edges(x: &Exprs, converted_by: Option<&str>) -> String {
    // (time, tie..., event) tuples sort in walk order; tuple element
    // numbers then pick the event out.
    let mut key = vec![x.time_ms.clone()];
    key.extend(x.tie.iter().cloned());
    let n = key.len() + 1;
    key.push(x.event.clone());
    let who = match converted_by {
        Some(event) => format!(" WHERE has(seq, {})", literal(event)),
        None => String::new(),
    };
    format!(
        "SELECT edge.1 AS kind, edge.2 AS a, edge.3 AS b, count() AS n FROM (\
         SELECT arrayMap(x -> x.{n}, arraySort(groupArray(({key})))) AS seq \
         FROM {table} WHERE {valid} GROUP BY {person}) \
         ARRAY JOIN arrayConcat([(1, '', seq[1]), (2, seq[-1], '')], \
         arrayMap(i -> (0, seq[i], seq[i + 1]), arrayEnumerate(arrayPopBack(seq)))) AS edge{who} \
         GROUP BY kind, a, b FORMAT TabSeparated",
        key = key.join(", "),
        table = x.table,
        valid = x.valid,
        person = x.person
    )
}

/// Whether an event meets any of `matchers` (event name, and channel or
/// `None` for any), as `analysis::EventTouchpoints` matches them: names
/// exactly, and an empty channel never.
pub fn meets(x: &Exprs, matchers: &[(String, Option<String>)]) -> String {
    use std::collections::BTreeMap;
    let any: Vec<String> = {
        let mut any: Vec<String> = matchers.iter().filter(|m| m.1.is_none()).map(|m| m.0.clone()).collect();
        any.sort();
        any.dedup();
        any
    };
    let mut by_channel: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (event, channel) in matchers {
        if let Some(channel) = channel.as_deref().filter(|c| !c.is_empty())
            && any.binary_search(event).is_err()
        {
            by_channel.entry(event).or_default().push(channel.to_owned());
        }
    }
    let mut terms = Vec::new();
    if !any.is_empty() {
        terms.push(format!("{} IN {}", x.event, literal_list(&any)));
    }
    for (event, mut channels) in by_channel {
        channels.sort();
        channels.dedup();
        terms.push(format!(
            "({} = {} AND {} IN {})",
            x.event,
            literal(event),
            x.channel,
            literal_list(&channels)
        ));
    }
    match terms.is_empty() {
        true => "0".to_owned(),
        false => format!("({})", terms.join(" OR ")),
    }
}

/// The events a comparison walks, as `events` sends them: those that meet a
/// touchpoint (`meets`), have a cost or revenue, or are their person's
/// first of a channel; the rest only add to counts (`totals`,
/// `unmatched`). Each person's events are gathered, sorted for the walk and
/// kept by those rules (`arrayEnumerateUniq` marks a channel's first), so
/// people come in the order of the whole table: by name, or with
/// `file_order` by their first row, as `events` would number them.
pub fn compare_events(x: &Exprs, meets: &str, file_order: bool) -> String {
    let keep = format!("({meets} OR {c} != 0 OR {r} != 0)", c = x.cost, r = x.revenue);
    let mut tuple = vec![x.time_ms.clone()];
    tuple.extend(x.tie.iter().cloned());
    let k = tuple.len();
    tuple.extend([
        x.event.clone(),
        x.channel.clone(),
        x.cost.clone(),
        x.revenue.clone(),
        format!("toUInt8{keep}"),
    ]);
    let (event, channel, cost, revenue, kept) = (k + 1, k + 2, k + 3, k + 4, k + 5);
    let (first, by) = match (file_order, &x.tie[..]) {
        (true, [row]) => (format!(", min({row}) AS first"), "first".to_owned()),
        _ => (String::new(), "p".to_owned()),
    };
    let order: Vec<String> = std::iter::once(by).chain((1..=k).map(|i| format!("e.{i}"))).collect();
    format!(
        "SELECT p, e.1, e.{event}, e.{channel}, e.{cost}, e.{revenue} FROM (\
         SELECT {person} AS p{first}, arraySort(groupArrayIf(({tuple}), {keep} OR {ch} != '')) AS evs \
         FROM {table} WHERE {valid} GROUP BY p) \
         ARRAY JOIN arrayFilter((x, u) -> x.{kept} OR (x.{channel} != '' AND u = 1), evs, \
         arrayEnumerateUniq(arrayMap(y -> y.{channel}, evs))) AS e \
         ORDER BY {order} FORMAT TabSeparated",
        person = x.person,
        tuple = tuple.join(", "),
        ch = x.channel,
        table = x.table,
        valid = x.valid,
        order = order.join(", "),
    )
}

/// People, events, and the first and last times (ms) of the table.
pub fn totals(x: &Exprs) -> String {
    format!(
        "SELECT uniqExact({}), count(), min({t}), max({t}) FROM {} WHERE {} FORMAT TabSeparated",
        x.person,
        x.table,
        x.valid,
        t = x.time_ms
    )
}

/// Per event name, the events meeting no touchpoint.
pub fn unmatched(x: &Exprs, meets: &str) -> String {
    format!(
        "SELECT {} AS e, count() FROM {} WHERE {} AND NOT {meets} GROUP BY e FORMAT TabSeparated",
        x.event, x.table, x.valid
    )
}

/// The channel names in the order of their first rows, as `events` with
/// `file_order` meets them.
pub fn channels_in_file_order(x: &Exprs) -> String {
    let row = x.tie.first().map_or("0", String::as_str);
    format!(
        "SELECT {c} AS c, min({row}) AS first FROM {} WHERE {} AND c != '' GROUP BY c ORDER BY first \
         FORMAT TabSeparated",
        x.table,
        x.valid,
        c = x.channel
    )
}

/// The table's columns and their types, in table order.
pub fn columns_of(database: &str, table: &str) -> String {
    format!(
        "SELECT name, type FROM system.columns WHERE database = {} AND table = {} FORMAT TabSeparated",
        literal(database),
        literal(table)
    )
}

/// Whether the database and the table exist (two 0/1 numbers).
pub fn table_exists(database: &str, table: &str) -> String {
    format!(
        "SELECT (SELECT count() FROM system.databases WHERE name = {d}), \
         (SELECT count() FROM system.tables WHERE database = {d} AND name = {t}) FORMAT TabSeparated",
        d = literal(database),
        t = literal(table)
    )
}

pub fn kill_query(query_id: &str) -> String {
    format!(
        "KILL QUERY WHERE query_id = {} ASYNC FORMAT TabSeparated",
        literal(query_id)
    )
}

pub fn progress_of(query_id: &str) -> String {
    format!(
        "SELECT read_rows, read_bytes, total_rows_approx FROM system.processes WHERE query_id = {} \
         FORMAT TabSeparated",
        literal(query_id)
    )
}

/// Splits one TabSeparated line into `fields`, undoing ClickHouse's escapes
/// (`\t`, `\n`, `\\`, ...). Reuses the strings' memory across lines.
pub fn split_tsv(line: &[u8], fields: &mut Vec<String>) {
    let mut count = 0;
    let mut bytes: Vec<u8> = Vec::new();
    for raw in line.split(|&b| b == b'\t') {
        bytes.clear();
        let mut it = raw.iter();
        while let Some(&b) = it.next() {
            if b != b'\\' {
                bytes.push(b);
                continue;
            }
            match it.next() {
                Some(b'n') => bytes.push(b'\n'),
                Some(b't') => bytes.push(b'\t'),
                Some(b'r') => bytes.push(b'\r'),
                Some(b'b') => bytes.push(0x08),
                Some(b'f') => bytes.push(0x0c),
                Some(b'0') => bytes.push(0),
                Some(&other) => bytes.push(other),
                None => bytes.push(b'\\'),
            }
        }
        if count == fields.len() {
            fields.push(String::new());
        }
        let field = &mut fields[count];
        field.clear();
        field.push_str(&String::from_utf8_lossy(&bytes));
        count += 1;
    }
    fields.truncate(count);
}

/// The code and the plain message of a ClickHouse error text, old
/// (`Code: 60, e.displayText() = DB::Exception: ..., e.what() = ...`) or new
/// (`Code: 60. DB::Exception: ... (UNKNOWN_TABLE) (version 24.3.1)`).
pub fn parse_exception(body: &str) -> (Option<u32>, String) {
    let body = body.trim();
    let code = body.find("Code: ").and_then(|at| {
        let digits: String = body[at + 6..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    });
    let mut message = match body.find("DB::Exception: ") {
        Some(at) => &body[at + 15..],
        None => body.lines().next().unwrap_or(""),
    };
    for end in [", e.what() = ", " (version "] {
        if let Some(at) = message.find(end) {
            message = &message[..at];
        }
    }
    let mut message = message.trim();
    // The new servers' " (UNKNOWN_TABLE)" after the sentence.
    if let Some(open) = message.rfind(" (")
        && message.ends_with(')')
        && message[open + 2..message.len() - 1]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_')
    {
        message = &message[..open];
    }
    (code, message.chars().take(500).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exprs(tie: &[&str]) -> Exprs {
        Exprs {
            table: "`db`.`ev`".into(),
            person: "toString(`p`)".into(),
            time_ms: "(toInt64(toUInt32(`t`)) * 1000)".into(),
            event: "toString(`e`)".into(),
            channel: "''".into(),
            cost: "0".into(),
            revenue: "0".into(),
            valid: "1".into(),
            tie: tie.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn names_and_values_cannot_break_out_of_their_quotes() {
        assert_eq!(ident("we`ird\\"), "`we\\`ird\\\\`");
        assert_eq!(literal("it's \\ fine"), "'it\\'s \\\\ fine'");
    }

    #[test]
    fn funnel_events_are_filtered_by_name_and_day_and_sorted_for_the_walk() {
        let filter = EventFilter {
            events: Some(vec!["visit".into(), "buy".into()]),
            from_ms: Some(1000),
            to_ms: None,
            always: vec!["refund".into()],
            ..Default::default()
        };
        let sql = events(&exprs(&["`seq`"]), &filter, &["plan".into()], false);
        assert!(
            sql.contains(
                "WHERE 1 AND ((toString(`e`) IN ('visit', 'buy') AND (toInt64(toUInt32(`t`)) * 1000) >= 1000) \
                 OR toString(`e`) IN ('refund'))"
            ),
            "{sql}"
        );
        assert!(sql.contains("ifNull(toString(`plan`), '') AS c6"), "{sql}");
        assert!(sql.ends_with("ORDER BY c0, c1, `seq` FORMAT TabSeparated"), "{sql}");
        let none = events(&exprs(&[]), &EventFilter::default(), &[], false);
        assert!(none.contains("WHERE 1 ORDER BY c0, c1 FORMAT"), "{none}");
        let nothing = EventFilter {
            events: Some(vec![]),
            ..Default::default()
        };
        assert!(events(&exprs(&[]), &nothing, &[], false).contains("AND ((0))"));
        let lean = EventFilter {
            skip_channel: true,
            skip_money: true,
            ..Default::default()
        };
        let sql = events(&exprs(&[]), &lean, &[], false);
        assert!(
            sql.contains("toString(`e`) AS c2, '' AS c3, 0 AS c4, 0 AS c5 FROM"),
            "{sql}"
        );
    }

    #[test]
    fn in_file_order_rows_come_by_row_number_alone() {
        let sql = events(&exprs(&["`seq`"]), &EventFilter::default(), &[], true);
        assert!(sql.ends_with("WHERE 1 ORDER BY `seq` FORMAT TabSeparated"), "{sql}");
        // Without a row number there is no file order to follow.
        let sql = events(&exprs(&["a", "b"]), &EventFilter::default(), &[], true);
        assert!(sql.contains("ORDER BY c0, c1, a, b"), "{sql}");
    }

    #[test]
    fn path_edges_sort_by_time_then_tie_order_and_pick_the_event() {
        let sql = path_edges(&exprs(&["`seq`"]), Some("buy"));
        assert!(
            sql.contains("arrayMap(x -> x.3, arraySort(groupArray(((toInt64"),
            "{sql}"
        );
        assert!(sql.contains(", `seq`, toString(`e`))))"), "{sql}");
        assert!(sql.contains("WHERE has(seq, 'buy')"), "{sql}");
        let sql = path_edges(&exprs(&[]), None);
        assert!(sql.contains("x -> x.2,") && !sql.contains("has(seq"), "{sql}");
    }

    #[test]
    fn touchpoint_matchers_become_one_filter_as_the_local_engine_matches() {
        let m = |e: &str, c: Option<&str>| (e.to_owned(), c.map(str::to_owned));
        let x = exprs(&[]);
        let sql = meets(
            &x,
            &[
                m("visit", Some("ads")),
                m("visit", Some("seo")),
                m("buy", None),
                m("buy", Some("ads")), // any channel already
                m("open", Some("")),   // an empty channel meets nothing
                m("visit", Some("ads")),
            ],
        );
        assert_eq!(
            sql,
            "(toString(`e`) IN ('buy') OR (toString(`e`) = 'visit' AND '' IN ('ads', 'seo')))"
        );
        assert_eq!(meets(&x, &[]), "0");
        assert_eq!(meets(&x, &[m("open", Some(""))]), "0");
    }

    #[test]
    fn compare_events_keep_people_in_the_tables_order() {
        let by_row = compare_events(&exprs(&["`seq`"]), "0", true);
        assert!(by_row.contains("min(`seq`) AS first"), "{by_row}");
        assert!(
            by_row.ends_with("ORDER BY first, e.1, e.2 FORMAT TabSeparated"),
            "{by_row}"
        );
        let by_name = compare_events(&exprs(&["a", "b"]), "0", false);
        assert!(!by_name.contains("first"), "{by_name}");
        assert!(
            by_name.ends_with("ORDER BY p, e.1, e.2, e.3 FORMAT TabSeparated"),
            "{by_name}"
        );
        // The channel is the fifth element after time and two tie columns.
        assert!(by_name.contains("arrayMap(y -> y.5, evs)"), "{by_name}");
    }

    #[test]
    fn tab_separated_fields_are_unescaped() {
        let mut fields = vec!["old".to_owned(); 5];
        split_tsv(b"ann\t1000\tsign\\tup\\\\now\tline\\nbreak\t", &mut fields);
        assert_eq!(fields, ["ann", "1000", "sign\tup\\now", "line\nbreak", ""]);
        split_tsv("Đà Nẵng".as_bytes(), &mut fields);
        assert_eq!(fields, ["Đà Nẵng"]);
    }

    #[test]
    fn exceptions_of_old_and_new_servers_give_code_and_sentence() {
        let old = "Code: 47, e.displayText() = DB::Exception: Unknown identifier: nosuch, e.what() = DB::Exception\n";
        assert_eq!(parse_exception(old), (Some(47), "Unknown identifier: nosuch".into()));
        let new =
            "Code: 60. DB::Exception: Table db.x does not exist. (UNKNOWN_TABLE) (version 24.3.2.23 (official build))";
        assert_eq!(parse_exception(new), (Some(60), "Table db.x does not exist.".into()));
        assert_eq!(parse_exception("Bad Gateway"), (None, "Bad Gateway".into()));
    }
}
