//! An event log held in memory for analysis: columnar, strings interned to
//! integers, sorted by person and then time (ties keep their input order).
//!
//! `store` builds one from SQLite; tests build one directly. Analysis code
//! walks one person's events as a contiguous slice (`person_range`).

use std::collections::HashMap;
use std::ops::Range;

/// The `channel` value of an event that has no channel.
pub const NO_CHANNEL: u32 = u32::MAX;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventLog {
    /// Person ids as they appear in the data; index = person number.
    pub people: Vec<String>,
    /// Event names; index = event number.
    pub event_names: Vec<String>,
    /// Channel names; index = channel number.
    pub channel_names: Vec<String>,
    /// Per event, in sorted order: person number.
    pub person: Vec<u32>,
    /// Per event: milliseconds since the Unix epoch, UTC.
    pub time_ms: Vec<i64>,
    /// Per event: event number.
    pub event: Vec<u32>,
    /// Per event: channel number or `NO_CHANNEL`.
    pub channel: Vec<u32>,
    /// Per event: cost and revenue in the data's currency (0 when absent).
    pub cost: Vec<f64>,
    pub revenue: Vec<f64>,
    /// `person_start[p]..person_start[p + 1]` are person p's events.
    pub person_start: Vec<usize>,
    /// Ad spend imported beside the events, summed per day and channel
    /// (see `money` for how it joins the events' cost).
    pub spend: Vec<SpendDay>,
}

/// What one channel spent on one day, from an ad spend report.
#[derive(Clone, Debug, PartialEq)]
pub struct SpendDay {
    /// A UTC day, as events' days are.
    pub day: chrono::NaiveDate,
    pub channel: String,
    pub cost: f64,
}

impl EventLog {
    pub fn len(&self) -> usize {
        self.event.len()
    }

    pub fn is_empty(&self) -> bool {
        self.event.is_empty()
    }

    /// The first and last event's time, in ms since the epoch.
    pub fn time_span(&self) -> Option<(i64, i64)> {
        let first = *self.time_ms.iter().min()?;
        let last = *self.time_ms.iter().max()?;
        Some((first, last))
    }

    pub fn person_count(&self) -> usize {
        self.people.len()
    }

    pub fn person_range(&self, person: usize) -> Range<usize> {
        self.person_start[person]..self.person_start[person + 1]
    }

    pub fn event_id(&self, name: &str) -> Option<u32> {
        self.event_names.iter().position(|n| n == name).map(|i| i as u32)
    }

    pub fn channel_name(&self, channel: u32) -> Option<&str> {
        self.channel_names.get(channel as usize).map(String::as_str)
    }
}

/// Collects events in any order and sorts them into an `EventLog`.
#[derive(Default)]
pub struct EventLogBuilder {
    people: Interner,
    events: Interner,
    channels: Interner,
    rows: Vec<Row>,
}

struct Row {
    person: u32,
    time_ms: i64,
    event: u32,
    channel: u32,
    cost: f64,
    revenue: f64,
}

#[derive(Default)]
struct Interner {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), i);
        i
    }
}

impl EventLogBuilder {
    pub fn with_capacity(rows: usize) -> Self {
        EventLogBuilder {
            rows: Vec::with_capacity(rows),
            ..Default::default()
        }
    }

    pub fn push(&mut self, person: &str, time_ms: i64, event: &str, channel: Option<&str>, cost: f64, revenue: f64) {
        let row = Row {
            person: self.people.intern(person),
            time_ms,
            event: self.events.intern(event),
            channel: channel.map_or(NO_CHANNEL, |c| self.channels.intern(c)),
            cost,
            revenue,
        };
        self.rows.push(row);
    }

    pub fn build(mut self) -> EventLog {
        // Stable: events of one person at the same instant keep input order.
        self.rows.sort_by_key(|r| (r.person, r.time_ms));
        let n = self.rows.len();
        let mut log = EventLog {
            people: self.people.names,
            event_names: self.events.names,
            channel_names: self.channels.names,
            person: Vec::with_capacity(n),
            time_ms: Vec::with_capacity(n),
            event: Vec::with_capacity(n),
            channel: Vec::with_capacity(n),
            cost: Vec::with_capacity(n),
            revenue: Vec::with_capacity(n),
            person_start: Vec::new(),
            spend: Vec::new(),
        };
        for r in &self.rows {
            log.person.push(r.person);
            log.time_ms.push(r.time_ms);
            log.event.push(r.event);
            log.channel.push(r.channel);
            log.cost.push(r.cost);
            log.revenue.push(r.revenue);
        }
        log.person_start = Vec::with_capacity(log.people.len() + 1);
        let mut i = 0;
        for p in 0..log.people.len() as u32 {
            log.person_start.push(i);
            while i < n && log.person[i] == p {
                i += 1;
            }
        }
        log.person_start.push(n);
        log
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_person_then_time_keeping_ties_in_order() {
        let mut b = EventLogBuilder::default();
        b.push("bob", 20, "buy", None, 0.0, 9.5);
        b.push("ann", 10, "visit", Some("search"), 0.0, 0.0);
        b.push("bob", 5, "visit", Some("ads"), 1.0, 0.0);
        b.push("bob", 20, "review", None, 0.0, 0.0);
        let log = b.build();
        assert_eq!(log.people, ["bob", "ann"]);
        assert_eq!(log.person_range(0), 0..3);
        assert_eq!(log.person_range(1), 3..4);
        let names: Vec<_> = log
            .event
            .iter()
            .map(|&e| log.event_names[e as usize].as_str())
            .collect();
        assert_eq!(names, ["visit", "buy", "review", "visit"]);
        assert_eq!(log.time_ms, [5, 20, 20, 10]);
        assert_eq!(log.channel_name(log.channel[0]), Some("ads"));
        assert_eq!(log.channel[1], NO_CHANNEL);
    }
}
