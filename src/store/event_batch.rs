//! Parsed events on their way from the parsing thread to the `events` table
//! (`writer`) and on to the stored log's numbering (`log_events`): a few
//! thousand at a time, their text back to back in one buffer that goes
//! round the three threads and is reused, so an import allocates nothing
//! per row.

use super::row::Row;

/// Events (and rejected rows) a batch holds before it is sent on.
pub(crate) const EVENTS: usize = 4096;

/// Text a batch holds before it is sent on, however few its rows: wide
/// rows (big property columns) or rejected rows' raw text (up to 64 KiB
/// each) would otherwise make a batch hundreds of MiB, and about a dozen
/// batches are alive at once. Also keeps offsets well within `u32`.
const BYTES: usize = 8 << 20;

/// One event of a batch; its text is in the batch's buffer.
#[derive(Clone, Copy, Debug)]
struct Held {
    /// Where person, event, channel and properties end in the text.
    ends: [u32; 4],
    has_channel: bool,
    has_properties: bool,
    ts_ms: i64,
    cost: Option<f64>,
    revenue: Option<f64>,
    line: u64,
}

/// An event as a batch gives it back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Event<'a> {
    pub person: &'a str,
    pub event: &'a str,
    pub channel: Option<&'a str>,
    /// The extra columns as a JSON object.
    pub properties: Option<&'a str>,
    pub ts_ms: i64,
    pub cost: Option<f64>,
    pub revenue: Option<f64>,
    /// Where the record starts in the file.
    pub line: u64,
}

/// A row that was not imported, stored in `rejected_rows`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rejected {
    pub line: u64,
    pub reason: String,
    pub raw: String,
}

#[derive(Default)]
pub(crate) struct EventBatch {
    text: String,
    events: Vec<Held>,
    /// In file order; their place among the events does not matter (they
    /// go to another table).
    rejected: Vec<Rejected>,
    /// The text of `rejected`.
    rejected_bytes: usize,
}

impl EventBatch {
    pub fn push(&mut self, row: &Row, line: u64) {
        let mut ends = [0u32; 4];
        let parts = [
            row.person,
            row.event,
            row.channel.unwrap_or(""),
            row.properties.unwrap_or(""),
        ];
        for (end, part) in ends.iter_mut().zip(parts) {
            self.text.push_str(part);
            *end = self.text.len() as u32;
        }
        self.events.push(Held {
            ends,
            has_channel: row.channel.is_some(),
            has_properties: row.properties.is_some(),
            ts_ms: row.ts_ms,
            cost: row.cost,
            revenue: row.revenue,
            line,
        });
    }

    /// Adds a row that was not imported, to be stored in `rejected_rows`.
    pub fn reject(&mut self, line: u64, reason: &str, raw: String) {
        self.rejected_bytes += reason.len() + raw.len();
        self.rejected.push(Rejected {
            line,
            reason: reason.to_owned(),
            raw,
        });
    }

    pub fn rejected(&self) -> &[Rejected] {
        &self.rejected
    }

    /// Lets go of the rejected rows (stored: the numbering has no use for them).
    pub fn clear_rejected(&mut self) {
        self.rejected.clear();
        self.rejected_bytes = 0;
    }

    /// Time to send it on: enough rows, or enough text.
    pub fn is_full(&self) -> bool {
        self.events.len() + self.rejected.len() >= EVENTS || self.text.len() + self.rejected_bytes >= BYTES
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.rejected.is_empty()
    }

    /// Empty, keeping the memory for the next events.
    pub fn clear(&mut self) {
        self.text.clear();
        self.events.clear();
        self.clear_rejected();
    }

    /// The events in order.
    pub fn iter(&self) -> BatchIter<'_> {
        BatchIter {
            batch: self,
            next: 0,
            from: 0,
        }
    }
}

/// The events of a batch, in order.
pub(crate) struct BatchIter<'a> {
    batch: &'a EventBatch,
    next: usize,
    /// Where the next event's text starts.
    from: usize,
}

impl<'a> Iterator for BatchIter<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let h = *self.batch.events.get(self.next)?;
        self.next += 1;
        let text = self.batch.text.as_str();
        let mut part = |end: u32| {
            let p = &text[self.from..end as usize];
            self.from = end as usize;
            p
        };
        let (person, event, channel, properties) = (part(h.ends[0]), part(h.ends[1]), part(h.ends[2]), part(h.ends[3]));
        Some(Event {
            person,
            event,
            channel: h.has_channel.then_some(channel),
            properties: h.has_properties.then_some(properties),
            ts_ms: h.ts_ms,
            cost: h.cost,
            revenue: h.revenue,
            line: h.line,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.batch.events.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for BatchIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(person: &'a str, channel: Option<&'a str>, properties: Option<&'a str>, i: i64) -> Row<'a> {
        Row {
            person,
            ts_ms: i,
            event: "wizyta",
            channel,
            cost: (i % 2 == 0).then_some(1.5),
            revenue: None,
            properties,
            currencies: [None, None],
        }
    }

    #[test]
    fn events_come_back_as_pushed_and_a_cleared_batch_is_reused_empty() {
        let mut b = EventBatch::default();
        let rows = [
            row("Łucja", Some("e-mail"), None, 0),
            row("", None, Some("{\"kraj\":\"VN\"}"), 1),
            row("Nguyễn", Some(""), Some(""), 2),
        ];
        for (i, r) in rows.iter().enumerate() {
            b.push(r, i as u64 + 2);
        }
        let back: Vec<Event> = b.iter().collect();
        assert_eq!(back.len(), 3);
        for (i, (e, r)) in back.iter().zip(&rows).enumerate() {
            let want = Event {
                person: r.person,
                event: r.event,
                channel: r.channel,
                properties: r.properties,
                ts_ms: r.ts_ms,
                cost: r.cost,
                revenue: r.revenue,
                line: i as u64 + 2,
            };
            assert_eq!(*e, want);
        }
        b.reject(9, "no time", "a,,b".into());
        assert!(!b.is_empty());
        assert_eq!(b.rejected().len(), 1);
        b.clear();
        assert!(b.is_empty() && b.iter().len() == 0);
        b.push(&rows[1], 7);
        let again: Vec<Event> = b.iter().collect();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].properties, rows[1].properties);
        assert_eq!(again[0].person, "");
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn a_batch_is_full_at_its_count_or_its_bytes_whichever_first() {
        let mut b = EventBatch::default();
        let row = |person| Row {
            person,
            ts_ms: 0,
            event: "e",
            channel: None,
            cost: None,
            revenue: None,
            properties: None,
            currencies: [None, None],
        };
        for _ in 0..EVENTS - 1 {
            b.push(&row("p"), 2);
        }
        assert!(!b.is_full());
        b.reject(3, "bad", "x".into());
        assert!(b.is_full(), "rejected rows count as rows");
        b.clear();
        // A few wide rejected rows fill it by their text.
        let wide = "x".repeat(64 << 10);
        let mut n = 0;
        while !b.is_full() {
            b.reject(n, "bad", wide.clone());
            n += 1;
        }
        assert!(n * (64 << 10) >= BYTES as u64 && n < 200, "{n}");
        b.clear_rejected();
        assert!(b.is_empty() && !b.is_full());
    }
}
