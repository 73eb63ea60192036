//! One row per person with one date column per stage (a CRM contacts
//! export), turned into one event per filled date cell.
//!
//! Each stage column gets its own `RowParser` over the header plus one
//! made-up event column, so a stage's events go through exactly the checks
//! and property handling of ordinary rows, and a bad date names its column.

use std::path::Path;

use csv::StringRecord;

use super::StoreError;
use super::columns::{ColumnMapping, Role};
use super::row::{Problem, Row, RowParser};
use super::timestamp::{Zone, parse_timestamp};

/// Which date column becomes which event, in the order given.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StageDates(pub Vec<(String, String)>);

impl StageDates {
    /// Reads `COLUMN=event,COLUMN=event,...`. Column names may not contain
    /// `,` or `=`.
    pub fn parse(spec: &str) -> Result<StageDates, StoreError> {
        let bad = |problem: String| StoreError::BadStageDates {
            spec: spec.to_owned(),
            problem,
        };
        let mut stages: Vec<(String, String)> = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((column, event)) = part.split_once('=') else {
                return Err(bad(format!("'{part}' is not COLUMN=event")));
            };
            let (column, event) = (column.trim(), event.trim());
            if column.is_empty() || event.is_empty() {
                return Err(bad(format!("'{part}' needs both a column and an event name")));
            }
            if stages.iter().any(|(c, _)| c == column) {
                return Err(bad(format!("column '{column}' is given twice")));
            }
            stages.push((column.to_owned(), event.to_owned()));
        }
        if stages.is_empty() {
            return Err(bad("no COLUMN=event pairs".into()));
        }
        Ok(StageDates(stages))
    }

    /// As written on the command line.
    pub fn to_spec(&self) -> String {
        self.0
            .iter()
            .map(|(c, e)| format!("{c}={e}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The event name a stage date column suggests: "Became a Lead Date" →
/// "lead", "Became a Marketing Qualified Lead Date" → "marketing_qualified_lead",
/// "date_became_customer" → "customer".
pub fn suggest_event_name(column: &str) -> String {
    const FILLER: [&str; 10] = [
        "became", "become", "a", "an", "the", "date", "at", "on", "entered", "time",
    ];
    let words: Vec<String> = column
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let kept: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !FILLER.contains(w))
        .collect();
    if kept.is_empty() {
        words.join("_")
    } else {
        kept.join("_")
    }
}

/// What the import dialog offers for a file that looks like one row per
/// person with a date per stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageGuess {
    pub person: String,
    pub stages: StageDates,
}

/// Recognises a contacts-like file: an id-like column and at least two
/// date-like columns (named like a date or a stage, and whose filled sample
/// cells all read as times). `rows` are sample records under `header`.
pub fn guess_stage_dates(header: &[String], rows: &[Vec<String>]) -> Option<StageGuess> {
    let norm: Vec<String> = header
        .iter()
        .map(|h| {
            h.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect();
    // An events file names its event column: then it is not one row per person.
    const EVENT_COLUMNS: [&str; 4] = ["event", "eventname", "eventtype", "action"];
    if norm.iter().any(|n| EVENT_COLUMNS.contains(&n.as_str())) {
        return None;
    }
    let datelike = |i: usize| {
        if !(norm[i].contains("date") || norm[i].contains("became")) {
            return false;
        }
        let mut filled = rows
            .iter()
            .filter_map(|r| r.get(i))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty());
        filled.all(|v| parse_timestamp(v, &Zone::Utc).is_ok())
    };
    // The contact's id as CRMs name it, else what the importer would guess
    // (unless that is a date column, as "Became a Customer Date" can be).
    const IDS: [&str; 7] = [
        "recordid",
        "contactid",
        "leadid",
        "personid",
        "customerid",
        "id",
        "email",
    ];
    let person = IDS
        .iter()
        .find_map(|id| norm.iter().position(|n| n == id))
        .or_else(|| {
            let guessed = super::columns::guess_mapping(header).person?;
            header.iter().position(|h| *h == guessed).filter(|&i| !datelike(i))
        })?;
    let stages: Vec<(String, String)> = (0..header.len())
        .filter(|&i| i != person && datelike(i))
        .map(|i| (header[i].clone(), suggest_event_name(&header[i])))
        .collect();
    (stages.len() >= 2).then(|| StageGuess {
        person: header[person].clone(),
        stages: StageDates(stages),
    })
}

/// A name no header uses, for the made-up event column.
const EVENT_COLUMN: &str = "\u{1}stage event";

struct Stage {
    column: usize,
    event: String,
    parser: RowParser,
}

/// Turns records of one header into events, one per filled stage cell.
pub(crate) struct Unpivot {
    width: usize,
    person: usize,
    person_name: String,
    stages: Vec<Stage>,
    /// One working record per stage: the record plus its event name.
    recs: Vec<StringRecord>,
    /// The mapping as stored with the import.
    pub mapping_json: String,
    pub properties: Vec<String>,
}

impl Unpivot {
    /// `columns` names the person (required) and optionally channel, cost,
    /// revenue; its time and event are ignored. Columns that are neither a
    /// role nor a stage become properties of every event.
    pub fn new(
        header: &[String],
        columns: &ColumnMapping,
        stages: &StageDates,
        zone: Zone,
        file: &Path,
    ) -> Result<Unpivot, StoreError> {
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(name)))
        };
        let mut stage_cols = Vec::new();
        for (column, event) in &stages.0 {
            let i = find(column).ok_or_else(|| StoreError::MissingStageColumn {
                file: file.to_path_buf(),
                column: column.clone(),
                found: header.to_vec(),
            })?;
            stage_cols.push((i, event.clone()));
        }
        let mut wide = header.to_vec();
        wide.push(EVENT_COLUMN.to_owned());
        let mut built = Vec::new();
        let mut first = None;
        for (i, event) in stage_cols {
            let mut m = columns.clone();
            m.time = Some(header[i].clone());
            m.event = Some(EVENT_COLUMN.to_owned());
            let mut resolved = m.resolve(&wide, file)?;
            resolved
                .extras
                .retain(|(j, _)| *j < header.len() && !stages.0.iter().any(|(c, _)| find(c) == Some(*j)));
            first.get_or_insert_with(|| resolved.clone());
            built.push(Stage {
                column: i,
                event,
                parser: RowParser::new(&wide, &resolved, zone),
            });
        }
        let resolved = first.expect("at least one stage");
        let person = resolved.column(Role::Person).expect("person is required");
        let mut json: serde_json::Value =
            serde_json::from_str(&resolved.to_json(&wide, &zone.to_string())).expect("the mapping is JSON");
        json["time"] = serde_json::Value::Null;
        json["event"] = serde_json::Value::Null;
        json["stage_dates"] = serde_json::to_value(&stages.0).expect("pairs serialise");
        Ok(Unpivot {
            width: header.len(),
            person,
            person_name: header[person].clone(),
            recs: vec![StringRecord::new(); built.len()],
            stages: built,
            mapping_json: json.to_string(),
            properties: resolved.extras.iter().map(|(_, k)| k.clone()).collect(),
        })
    }

    /// Reads cost and revenue written `12,50` or `1 234,50`.
    pub fn decimal_comma(mut self, on: bool) -> Unpivot {
        for stage in &mut self.stages {
            stage.parser.set_decimal_comma(on);
        }
        self
    }

    /// The events of one record, or why the whole record is rejected (a
    /// row with one bad date keeps none of its events).
    pub fn parse(&mut self, rec: &StringRecord) -> Result<Vec<Row<'_>>, Problem> {
        if rec.iter().all(|f| f.trim().is_empty()) {
            return Err(Problem::Blank);
        }
        if rec.len() != self.width {
            return Err(Problem::Reject(format!(
                "expected {} fields, found {}",
                self.width,
                rec.len()
            )));
        }
        if rec.get(self.person).unwrap_or_default().trim().is_empty() {
            return Err(Problem::Reject(format!(
                "person id (column '{}') is empty",
                self.person_name
            )));
        }
        let mut rows = Vec::new();
        for (stage, work) in self.stages.iter_mut().zip(self.recs.iter_mut()) {
            if rec.get(stage.column).unwrap_or_default().trim().is_empty() {
                continue;
            }
            work.clone_from(rec);
            work.push_field(&stage.event);
            rows.push(stage.parser.parse(work)?);
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn suggests_event_names_from_crm_columns() {
        assert_eq!(suggest_event_name("Became a Lead Date"), "lead");
        assert_eq!(suggest_event_name("Became a Customer Date"), "customer");
        assert_eq!(
            suggest_event_name("Became a Marketing Qualified Lead Date"),
            "marketing_qualified_lead"
        );
        assert_eq!(suggest_event_name("date_became_opportunity"), "opportunity");
        assert_eq!(suggest_event_name("MQL Date"), "mql");
        assert_eq!(suggest_event_name("Date"), "date");
    }

    #[test]
    fn parses_stage_specs() {
        let s = StageDates::parse("Became a Lead Date=lead, MQL Date = mql").unwrap();
        assert_eq!(
            s.0,
            [
                ("Became a Lead Date".to_string(), "lead".to_string()),
                ("MQL Date".to_string(), "mql".to_string())
            ]
        );
        assert_eq!(s.to_spec(), "Became a Lead Date=lead,MQL Date=mql");
        for bad in ["", "lead", "a=", "=x", "a=x,a=y"] {
            assert!(StageDates::parse(bad).is_err(), "{bad}");
        }
        let msg = StageDates::parse("a=x,a=y").unwrap_err().to_string();
        assert!(
            msg.contains("--stage-dates") && msg.contains("'a' is given twice"),
            "{msg}"
        );
    }

    #[test]
    fn recognises_a_contacts_file_and_not_an_events_file() {
        let h = header(&[
            "Contact ID",
            "Email",
            "Original Source",
            "Became a Lead Date",
            "Became a Customer Date",
            "Create Date",
        ]);
        let rows = vec![vec![
            "1".into(),
            "a@x.pl".into(),
            "ORGANIC_SEARCH".into(),
            "2024-03-01 10:00".into(),
            "".into(),
            "2024-02-01".into(),
        ]];
        let g = guess_stage_dates(&h, &rows).unwrap();
        assert_eq!(g.person, "Contact ID");
        assert_eq!(
            g.stages.0.iter().map(|(_, e)| e.as_str()).collect::<Vec<_>>(),
            ["lead", "customer", "create"]
        );
        let hubspot = header(&[
            "Record ID",
            "First Name",
            "Became a Lead Date",
            "Became a Customer Date",
            "Email",
        ]);
        let g = guess_stage_dates(&hubspot, &[]).unwrap();
        assert_eq!(g.person, "Record ID");
        assert_eq!(
            g.stages.to_spec(),
            "Became a Lead Date=lead,Became a Customer Date=customer"
        );
        let events = header(&["user_id", "timestamp", "event", "signup date", "order date"]);
        assert_eq!(guess_stage_dates(&events, &[]), None);
        let one_date = header(&["Contact ID", "Became a Lead Date", "City"]);
        assert_eq!(guess_stage_dates(&one_date, &[]), None);
        // A "date" column whose cells are not times is not a stage.
        let rows = vec![vec!["1".into(), "2024-03-01".into(), "soon".into()]];
        let h = header(&["Contact ID", "Became a Lead Date", "Close Date"]);
        assert_eq!(guess_stage_dates(&h, &rows), None);
    }

    #[test]
    fn one_record_becomes_one_event_per_filled_date() {
        let h = header(&["id", "source", "lead date", "customer date", "city"]);
        let stages = StageDates::parse("lead date=lead,customer date=customer").unwrap();
        let cols = ColumnMapping::parse("person=id,channel=source").unwrap();
        let mut u = Unpivot::new(&h, &cols, &stages, Zone::Utc, Path::new("c.csv")).unwrap();
        assert_eq!(u.properties, ["city"]);
        let rec = StringRecord::from(vec!["p1", "ads", "2024-05-01", "2024-05-03 12:00", "Łódź"]);
        let rows = u.parse(&rec).ok().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].person, rows[0].event, rows[0].channel),
            ("p1", "lead", Some("ads"))
        );
        assert_eq!(rows[1].event, "customer");
        assert_eq!(rows[1].ts_ms - rows[0].ts_ms, 2 * 86_400_000 + 12 * 3_600_000);
        assert_eq!(rows[1].properties, Some(r#"{"city":"Łódź"}"#));
        let rec = StringRecord::from(vec!["p2", "", "2024-05-01", "", ""]);
        assert_eq!(u.parse(&rec).ok().unwrap().len(), 1);
        let rec = StringRecord::from(vec!["p3", "", "2024-05-01", "next week", ""]);
        match u.parse(&rec) {
            Err(Problem::Reject(r)) => assert!(r.contains("(column 'customer date')"), "{r}"),
            _ => panic!("a bad date is a rejection"),
        }
        let rec = StringRecord::from(vec!["", "", "2024-05-01", "", ""]);
        assert!(matches!(u.parse(&rec), Err(Problem::Reject(r)) if r.contains("column 'id'")));
        let missing = StageDates::parse("won date=won").unwrap();
        let msg = Unpivot::new(&h, &cols, &missing, Zone::Utc, Path::new("c.csv"))
            .err()
            .unwrap()
            .to_string();
        assert!(msg.contains("'won date'"), "{msg}");
    }
}
