//! Which CSV column plays which part (person, time, event, ...): given with
//! `--columns`, defaulted, or guessed from the header for the import dialog.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StoreError;

/// A part a column can play.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Person,
    Time,
    Event,
    Channel,
    Cost,
    Revenue,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Person,
        Role::Time,
        Role::Event,
        Role::Channel,
        Role::Cost,
        Role::Revenue,
    ];

    /// The name used in `--columns`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Person => "person",
            Role::Time => "time",
            Role::Event => "event",
            Role::Channel => "channel",
            Role::Cost => "cost",
            Role::Revenue => "revenue",
        }
    }

    /// The column used when the mapping does not name one.
    pub fn default_column(self) -> &'static str {
        match self {
            Role::Person => "person_id",
            Role::Time => "timestamp",
            Role::Event => "event",
            Role::Channel => "channel",
            Role::Cost => "cost",
            Role::Revenue => "revenue",
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Role::Person | Role::Time | Role::Event)
    }

    /// For messages: "no column 'x' for the <describe>".
    pub fn describe(self) -> &'static str {
        match self {
            Role::Person => "person id",
            Role::Time => "time",
            Role::Event => "event name",
            Role::Channel => "channel",
            Role::Cost => "cost",
            Role::Revenue => "revenue",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The column for each role. `None`: the role's default column, used when
/// present (a missing default is an error only for the required roles).
/// `Some(name)`: that column, which must be present. `Some("")` for an
/// optional role: no column plays it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub person: Option<String>,
    pub time: Option<String>,
    pub event: Option<String>,
    pub channel: Option<String>,
    pub cost: Option<String>,
    pub revenue: Option<String>,
}

/// Reads a `ROLE=COLUMN,...` spec (any subset, any order) over the roles
/// `all`, calling `set` for each; shared by event and spend mappings.
/// `roles_are` introduces the list of roles in the message for an unknown one.
pub(crate) fn parse_roles<R: Copy + Eq + std::hash::Hash>(
    spec: &str,
    all: &[R],
    key: fn(R) -> &'static str,
    required: fn(R) -> bool,
    roles_are: &str,
    mut set: impl FnMut(R, String),
) -> Result<(), StoreError> {
    let bad = |problem: String| StoreError::BadColumnSpec {
        spec: spec.to_owned(),
        problem,
    };
    let mut seen = HashSet::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, column)) = part.split_once('=') else {
            return Err(bad(format!("'{part}' is not ROLE=COLUMN")));
        };
        let name = name.trim();
        let role = all
            .iter()
            .copied()
            .find(|&r| key(r).eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let roles: Vec<&str> = all.iter().map(|&r| key(r)).collect();
                bad(format!("unknown role '{name}' ({roles_are} {})", roles.join(", ")))
            })?;
        if !seen.insert(role) {
            return Err(bad(format!("'{}' is given twice", key(role))));
        }
        let column = column.trim();
        if column.is_empty() && required(role) {
            return Err(bad(format!("the {} column cannot be left out", key(role))));
        }
        set(role, column.to_owned());
    }
    Ok(())
}

impl ColumnMapping {
    /// Reads `person=COL,time=COL,...` (any subset, any order). Column names
    /// may not contain `,` or `=`; `channel=` (empty) means no channel.
    pub fn parse(spec: &str) -> Result<ColumnMapping, StoreError> {
        let mut mapping = ColumnMapping::default();
        parse_roles(
            spec,
            &Role::ALL,
            Role::key,
            Role::required,
            "the roles are",
            |role, column| mapping.set(role, Some(column)),
        )?;
        Ok(mapping)
    }

    pub fn get(&self, role: Role) -> Option<&str> {
        self.slot(role).as_deref()
    }

    pub fn set(&mut self, role: Role, column: Option<String>) {
        *self.slot_mut(role) = column;
    }

    fn slot(&self, role: Role) -> &Option<String> {
        match role {
            Role::Person => &self.person,
            Role::Time => &self.time,
            Role::Event => &self.event,
            Role::Channel => &self.channel,
            Role::Cost => &self.cost,
            Role::Revenue => &self.revenue,
        }
    }

    fn slot_mut(&mut self, role: Role) -> &mut Option<String> {
        match role {
            Role::Person => &mut self.person,
            Role::Time => &mut self.time,
            Role::Event => &mut self.event,
            Role::Channel => &mut self.channel,
            Role::Cost => &mut self.cost,
            Role::Revenue => &mut self.revenue,
        }
    }

    /// Finds each role's column in `header` (exact name first, then ignoring
    /// ASCII case); the remaining columns become properties.
    pub(crate) fn resolve(&self, header: &[String], file: &Path) -> Result<Resolved, StoreError> {
        let mut index = [None; 6];
        for role in Role::ALL {
            let (name, explicit) = match self.get(role) {
                Some("") => continue,
                Some(name) => (name, true),
                None => (role.default_column(), false),
            };
            let found = header
                .iter()
                .position(|h| h == name)
                .or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(name)));
            match found {
                Some(i) => index[role.index()] = Some(i),
                None if explicit || role.required() => {
                    return Err(StoreError::MissingColumn {
                        file: file.to_path_buf(),
                        role,
                        column: name.to_owned(),
                        found: header.to_vec(),
                    });
                }
                None => {}
            }
        }
        let used: HashSet<usize> = index.iter().flatten().copied().collect();
        let mut keys = HashSet::new();
        let mut extras = Vec::new();
        for (i, name) in header.iter().enumerate() {
            if used.contains(&i) {
                continue;
            }
            let base = if name.is_empty() {
                format!("column_{}", i + 1)
            } else {
                name.clone()
            };
            let mut key = base.clone();
            let mut n = 2;
            while !keys.insert(key.clone()) {
                key = format!("{base}_{n}");
                n += 1;
            }
            extras.push((i, key));
        }
        Ok(Resolved { index, extras })
    }
}

/// A mapping matched against one header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Resolved {
    index: [Option<usize>; 6],
    /// Columns kept as properties: (column index, property key).
    pub extras: Vec<(usize, String)>,
}

impl Resolved {
    pub fn column(&self, role: Role) -> Option<usize> {
        self.index[role.index()]
    }

    /// The mapping as stored with the import: role → column name (null when
    /// absent), plus the property keys.
    pub fn to_json(&self, header: &[String], zone: &str) -> String {
        let mut map = serde_json::Map::new();
        for role in Role::ALL {
            let v = self
                .column(role)
                .map_or(serde_json::Value::Null, |i| header[i].clone().into());
            map.insert(role.key().into(), v);
        }
        map.insert("zone".into(), zone.into());
        let props: Vec<serde_json::Value> = self.extras.iter().map(|(_, k)| k.clone().into()).collect();
        map.insert("properties".into(), props.into());
        serde_json::Value::Object(map).to_string()
    }
}

/// Header spellings for each role, best first, compared after lower-casing
/// and dropping everything but letters and digits (`userId`, `user_id` and
/// `User ID` are all `userid`).
const CANDIDATES: [(Role, &[&str]); 6] = [
    (
        Role::Person,
        &[
            "personid",
            "person",
            "userid",
            "user",
            "customerid",
            "customer",
            "clientid",
            "client",
            "contactid",
            "contact",
            "leadid",
            "visitorid",
            "distinctid",
            "userpseudoid",
            "anonymousid",
            "accountid",
            "email",
            "emailaddress",
            "useremail",
            "mail",
            // Polish and Vietnamese exports.
            "klient",
            "idklienta",
            "użytkownik",
            "uzytkownik",
            "kontakt",
            "kháchhàng",
            "makháchhàng",
            "mãkháchhàng",
            "khachhang",
            "ngườidùng",
        ],
    ),
    (
        Role::Time,
        &[
            "timestamp",
            "time",
            "eventtime",
            "eventtimestamp",
            "datetime",
            "occurredat",
            "createdat",
            "created",
            "eventdate",
            "date",
            "ts",
            "at",
            "when",
            "czas",
            "data",
            "datagodzina",
            "thờigian",
            "thoigian",
            "ngàygiờ",
            "ngày",
        ],
    ),
    (
        Role::Event,
        &[
            "event",
            "eventname",
            "eventtype",
            "action",
            "activity",
            "type",
            "name",
            "touchpoint",
            "step",
            "zdarzenie",
            "nazwazdarzenia",
            "akcja",
            "sựkiện",
            "sukien",
            "hànhđộng",
        ],
    ),
    (
        Role::Channel,
        &[
            "channel",
            "source",
            "utmsource",
            "medium",
            "utmmedium",
            "sourcemedium",
            "trafficsource",
            "referrer",
            "campaignsource",
            "channelgroup",
            "defaultchannelgroup",
            "kanał",
            "kanal",
            "źródło",
            "zrodlo",
            "kênh",
            "kenh",
            "nguồn",
        ],
    ),
    (
        Role::Cost,
        &[
            "cost",
            "spend",
            "adcost",
            "adspend",
            "amountspent",
            "cpc",
            "koszt",
            "chiphí",
            "chiphi",
        ],
    ),
    (
        Role::Revenue,
        &[
            "revenue",
            "purchaserevenue",
            "value",
            "ordervalue",
            "amount",
            "total",
            "price",
            "sales",
            "przychód",
            "przychod",
            "doanhthu",
        ],
    ),
];

pub(crate) fn normalize(name: &str) -> String {
    // Composed first: "Khách hàng" typed with combining marks is the same name.
    use unicode_normalization::UnicodeNormalization;
    name.nfc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Guesses a mapping from header names. Roles it cannot place stay `None`;
/// optional roles left unplaced are set to `Some("")` so that a default name
/// never sneaks in. Each column plays at most one role.
pub fn guess_mapping(header: &[String]) -> ColumnMapping {
    let norm: Vec<String> = header.iter().map(|h| normalize(h)).collect();
    let mut taken = vec![false; header.len()];
    let mut mapping = ColumnMapping::default();
    for (role, names) in CANDIDATES {
        let exact = names
            .iter()
            .find_map(|want| (0..header.len()).find(|&i| !taken[i] && norm[i] == *want));
        // Then looser: a column whose name contains a telling word.
        let loose = || {
            let words: &[&str] = match role {
                Role::Person => &["userid", "email", "customer", "client", "visitor"],
                Role::Time => &["timestamp", "time", "date"],
                Role::Event => &["event"],
                Role::Channel => &["source", "channel", "medium"],
                Role::Cost => &["cost", "spend"],
                Role::Revenue => &["revenue"],
            };
            words
                .iter()
                .find_map(|w| (0..header.len()).find(|&i| !taken[i] && norm[i].contains(w)))
        };
        match exact.or_else(loose) {
            Some(i) => {
                taken[i] = true;
                mapping.set(role, Some(header[i].clone()));
            }
            None if !role.required() => mapping.set(role, Some(String::new())),
            None => {}
        }
    }
    mapping
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_column_specs() {
        let m = ColumnMapping::parse("person=user id, time=ts,EVENT=action,channel=").unwrap();
        assert_eq!(m.person.as_deref(), Some("user id"));
        assert_eq!(m.time.as_deref(), Some("ts"));
        assert_eq!(m.event.as_deref(), Some("action"));
        assert_eq!(m.channel.as_deref(), Some(""));
        assert_eq!(m.cost, None);
        assert_eq!(ColumnMapping::parse("").unwrap(), ColumnMapping::default());
        for bad in ["person", "who=x", "person=a,person=b", "time="] {
            assert!(ColumnMapping::parse(bad).is_err(), "{bad}");
        }
        let msg = ColumnMapping::parse("who=x").unwrap_err().to_string();
        assert!(
            msg.contains("unknown role 'who'") && msg.contains("person, time, event"),
            "{msg}"
        );
    }

    #[test]
    fn resolves_defaults_and_extras() {
        let h = header(&["Person_ID", "timestamp", "event", "country", "", "country"]);
        let r = ColumnMapping::default().resolve(&h, Path::new("e.csv")).unwrap();
        assert_eq!(r.column(Role::Person), Some(0));
        assert_eq!(r.column(Role::Channel), None);
        assert_eq!(
            r.extras,
            [
                (3, "country".to_string()),
                (4, "column_5".to_string()),
                (5, "country_2".to_string())
            ]
        );
        let json = r.to_json(&h, "UTC");
        assert!(
            json.contains(r#""person":"Person_ID""#) && json.contains(r#""channel":null"#),
            "{json}"
        );
    }

    #[test]
    fn missing_required_or_named_column_is_an_error_naming_both() {
        let h = header(&["user", "timestamp", "event"]);
        let err = ColumnMapping::default().resolve(&h, Path::new("e.csv")).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("'person_id'") && msg.contains("'user', 'timestamp', 'event'"),
            "{msg}"
        );
        assert!(msg.contains("--columns person=NAME"), "{msg}");
        let m = ColumnMapping::parse("person=user,channel=src").unwrap();
        let msg = m.resolve(&h, Path::new("e.csv")).unwrap_err().to_string();
        assert!(msg.contains("'src'") && msg.contains("channel"), "{msg}");
        assert!(
            ColumnMapping::parse("person=user")
                .unwrap()
                .resolve(&h, Path::new("e.csv"))
                .is_ok()
        );
    }

    #[test]
    fn guesses_polish_and_vietnamese_headers() {
        let polish = guess_mapping(&header(&["Klient", "Czas", "Zdarzenie", "Kanał", "Koszt", "Przychód"]));
        let vietnamese = guess_mapping(&header(&[
            "Mã khách hàng",
            "Thời gian",
            "Sự kiện",
            "Kênh",
            "Chi phí",
            "Doanh thu",
        ]));
        // Spelt with combining marks, as some tools write them.
        let decomposed = guess_mapping(&header(&["Kha\u{0301}ch ha\u{0300}ng", "Ngày", "Sự kiện"]));
        for (m, want) in [
            (&polish, ["Klient", "Czas", "Zdarzenie", "Kanał", "Koszt", "Przychód"]),
            (
                &vietnamese,
                ["Mã khách hàng", "Thời gian", "Sự kiện", "Kênh", "Chi phí", "Doanh thu"],
            ),
        ] {
            let got = [
                m.person.as_deref(),
                m.time.as_deref(),
                m.event.as_deref(),
                m.channel.as_deref(),
                m.cost.as_deref(),
                m.revenue.as_deref(),
            ];
            assert_eq!(got, want.map(Some));
        }
        assert_eq!(decomposed.person.as_deref(), Some("Kha\u{0301}ch ha\u{0300}ng"));
        assert_eq!(decomposed.time.as_deref(), Some("Ngày"));
    }

    #[test]
    fn guesses_common_exports() {
        let m = guess_mapping(&header(&[
            "userId",
            "created_at",
            "event_name",
            "utm_source",
            "utm_medium",
            "value",
        ]));
        assert_eq!(m.person.as_deref(), Some("userId"));
        assert_eq!(m.time.as_deref(), Some("created_at"));
        assert_eq!(m.event.as_deref(), Some("event_name"));
        assert_eq!(m.channel.as_deref(), Some("utm_source"));
        assert_eq!(m.cost.as_deref(), Some(""));
        assert_eq!(m.revenue.as_deref(), Some("value"));

        let m = guess_mapping(&header(&["Email", "Date", "Action", "Source"]));
        assert_eq!(m.person.as_deref(), Some("Email"));
        assert_eq!(m.time.as_deref(), Some("Date"));
        assert_eq!(m.event.as_deref(), Some("Action"));
        assert_eq!(m.channel.as_deref(), Some("Source"));

        let m = guess_mapping(&header(&["client_id", "event_timestamp", "event_name", "medium"]));
        assert_eq!(m.person.as_deref(), Some("client_id"));
        assert_eq!(m.time.as_deref(), Some("event_timestamp"));
        assert_eq!(m.channel.as_deref(), Some("medium"));

        let m = guess_mapping(&header(&["a", "b"]));
        assert_eq!(m.person, None);
        assert_eq!(m.time, None);
    }
}
