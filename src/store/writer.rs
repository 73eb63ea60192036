//! Appending events to the `events` table fast: rows are copied into reused
//! slots and written `BATCH` at a time by one multi-row `INSERT`, which
//! saves SQLite a statement run per row.

use rusqlite::{Connection, Statement};

use super::row::Row;

/// Rows per `INSERT` (9 parameters each, well under SQLite's limit).
const BATCH: usize = 64;
const COLUMNS: usize = 9;
const INSERT: &str =
    "INSERT OR FAIL INTO events (import_id, person, ts_ms, event, channel, cost, revenue, properties, line) VALUES ";

#[derive(Default)]
struct Slot {
    /// person, event, channel and properties, back to back.
    text: String,
    ends: [usize; 4],
    has_channel: bool,
    has_properties: bool,
    ts_ms: i64,
    cost: Option<f64>,
    revenue: Option<f64>,
    line: i64,
}

impl Slot {
    fn part(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.text[start..self.ends[k]]
    }
}

pub(crate) struct EventWriter<'c> {
    many: Statement<'c>,
    one: Statement<'c>,
    import_id: i64,
    slots: Vec<Slot>,
    len: usize,
}

impl<'c> EventWriter<'c> {
    pub fn new(conn: &'c Connection, import_id: i64) -> rusqlite::Result<Self> {
        let values = |rows: usize| {
            let one = format!("({})", ["?"; COLUMNS].join(","));
            format!("{INSERT}{}", vec![one; rows].join(","))
        };
        Ok(EventWriter {
            many: conn.prepare(&values(BATCH))?,
            one: conn.prepare(&values(1))?,
            import_id,
            slots: (0..BATCH).map(|_| Slot::default()).collect(),
            len: 0,
        })
    }

    pub fn push(&mut self, row: &Row, line: u64) -> rusqlite::Result<()> {
        let s = &mut self.slots[self.len];
        s.text.clear();
        for (k, part) in [
            row.person,
            row.event,
            row.channel.unwrap_or(""),
            row.properties.unwrap_or(""),
        ]
        .into_iter()
        .enumerate()
        {
            s.text.push_str(part);
            s.ends[k] = s.text.len();
        }
        s.has_channel = row.channel.is_some();
        s.has_properties = row.properties.is_some();
        s.ts_ms = row.ts_ms;
        s.cost = row.cost;
        s.revenue = row.revenue;
        s.line = line as i64;
        self.len += 1;
        if self.len == BATCH {
            bind_all(&mut self.many, self.import_id, &self.slots)?;
            self.many.raw_execute()?;
            self.len = 0;
        }
        Ok(())
    }

    /// Writes the rows still held.
    pub fn finish(&mut self) -> rusqlite::Result<()> {
        for i in 0..self.len {
            bind_all(&mut self.one, self.import_id, &self.slots[i..=i])?;
            self.one.raw_execute()?;
        }
        self.len = 0;
        Ok(())
    }
}

fn bind_all(stmt: &mut Statement, import_id: i64, slots: &[Slot]) -> rusqlite::Result<()> {
    for (r, s) in slots.iter().enumerate() {
        let at = r * COLUMNS;
        stmt.raw_bind_parameter(at + 1, import_id)?;
        stmt.raw_bind_parameter(at + 2, s.part(0))?;
        stmt.raw_bind_parameter(at + 3, s.ts_ms)?;
        stmt.raw_bind_parameter(at + 4, s.part(1))?;
        stmt.raw_bind_parameter(at + 5, s.has_channel.then(|| s.part(2)))?;
        stmt.raw_bind_parameter(at + 6, s.cost)?;
        stmt.raw_bind_parameter(at + 7, s.revenue)?;
        stmt.raw_bind_parameter(at + 8, s.has_properties.then(|| s.part(3)))?;
        stmt.raw_bind_parameter(at + 9, s.line)?;
    }
    Ok(())
}
