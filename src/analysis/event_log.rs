//! An event log held in memory for analysis: columnar, strings interned to
//! integers, sorted by person and then time (ties keep their input order).
//!
//! `store` builds one from its snapshot or from SQLite rows; tests build one
//! directly. Analysis code walks one person's events as a contiguous slice
//! (`person_range`). About 20 bytes per event: cost and revenue take room
//! only when some event has them.

use std::hash::Hasher;
use std::ops::Range;

pub use super::amounts::Amounts;

/// The `channel` value of an event that has no channel.
pub const NO_CHANNEL: u32 = u32::MAX;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventLog {
    /// Person ids as they appear in the data; index = person number. Empty
    /// when the log was loaded without them (`store::Parts`): analysis
    /// counts people with `person_count`, never by this.
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
    /// Per event: cost and revenue in the data's currency, 0 when absent
    /// (read them with `cost(i)` and `revenue(i)`).
    pub(crate) cost: Amounts,
    pub(crate) revenue: Amounts,
    /// `person_start[p]..person_start[p + 1]` are person p's events.
    pub person_start: Vec<u32>,
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
        self.person_start.len().saturating_sub(1)
    }

    pub fn person_range(&self, person: usize) -> Range<usize> {
        self.person_start[person] as usize..self.person_start[person + 1] as usize
    }

    /// Event `i`'s cost (0 when it has none).
    pub fn cost(&self, i: usize) -> f64 {
        self.cost.get(i)
    }

    /// Event `i`'s revenue (0 when it has none).
    pub fn revenue(&self, i: usize) -> f64 {
        self.revenue.get(i)
    }

    /// Whether any event has a cost.
    pub fn has_cost(&self) -> bool {
        !self.cost.is_empty()
    }

    /// Whether any event has revenue.
    pub fn has_revenue(&self) -> bool {
        !self.revenue.is_empty()
    }

    /// The events' costs and revenues.
    pub fn amounts(&self) -> (&Amounts, &Amounts) {
        (&self.cost, &self.revenue)
    }

    pub(crate) fn set_money(&mut self, cost: Amounts, revenue: Amounts) {
        self.cost = cost;
        self.revenue = revenue;
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
    person: Vec<u32>,
    time_ms: Vec<i64>,
    event: Vec<u32>,
    channel: Vec<u32>,
    /// (event index, cost, revenue) of the events that have either: most
    /// have neither.
    money: Vec<(u32, f64, f64)>,
}

/// Names to numbers, in order of first appearance. An open-addressing
/// table into one buffer of names rather than a map of strings: millions of
/// person ids make this most of the memory of a load or an import, and most
/// of their time goes to cache misses, which this keeps to two a lookup
/// (the slot, then the name with its number beside it).
#[derive(Default)]
pub(crate) struct Interner {
    /// Per name, in number order: its number (u32), its length (u32) and
    /// its bytes.
    buf: Vec<u8>,
    len: usize,
    /// 0 for a free slot, else the top `TAG_BITS` of the name's hash over
    /// its offset in `buf` plus one; a power of two long, at most half full.
    slots: Vec<u64>,
}

const TAG_BITS: u32 = 24;
const OFFSET_MASK: u64 = (1 << (64 - TAG_BITS)) - 1;

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let h = hash(name);
        let tag = h >> (64 - TAG_BITS) << (64 - TAG_BITS);
        let mask = self.slots.len() - 1;
        let mut at = h as usize & mask;
        loop {
            match self.slots[at] {
                0 => break,
                slot if slot & !OFFSET_MASK == tag => {
                    let (number, found) = self.entry((slot & OFFSET_MASK) as usize - 1);
                    if found == name.as_bytes() {
                        return number;
                    }
                    at = (at + 1) & mask;
                }
                _ => at = (at + 1) & mask,
            }
        }
        let offset = self.buf.len() as u64;
        assert!(offset < OFFSET_MASK, "names beyond a terabyte");
        self.slots[at] = tag | (offset + 1);
        self.push(name);
        self.len as u32 - 1
    }

    /// Appends `name` with the next number, not looking for it.
    fn push(&mut self, name: &str) {
        self.buf.extend_from_slice(&(self.len as u32).to_le_bytes());
        self.buf.extend_from_slice(&(name.len() as u32).to_le_bytes());
        self.buf.extend_from_slice(name.as_bytes());
        self.len += 1;
    }

    /// The number and bytes of the name stored at `offset`.
    #[inline]
    fn entry(&self, offset: usize) -> (u32, &[u8]) {
        let word = |at: usize| u32::from_le_bytes(self.buf[at..at + 4].try_into().expect("4 bytes"));
        let start = offset + 8;
        (word(offset), &self.buf[start..start + word(offset + 4) as usize])
    }

    fn grow(&mut self) {
        let mut len = self.slots.len().max(32);
        while (self.len + 1) * 2 > len {
            len *= 2;
        }
        let mut slots = vec![0u64; len];
        let mut offset = 0;
        while offset < self.buf.len() {
            let (_, name) = self.entry(offset);
            let h = hash_bytes(name);
            let mut at = h as usize & (len - 1);
            while slots[at] != 0 {
                at = (at + 1) & (len - 1);
            }
            slots[at] = h >> (64 - TAG_BITS) << (64 - TAG_BITS) | (offset as u64 + 1);
            offset += 8 + name.len();
        }
        self.slots = slots;
    }

    /// An interner numbering distinct `names` in order.
    pub fn of(names: Vec<String>) -> Interner {
        let mut i = Interner::default();
        for name in &names {
            i.push(name);
        }
        i.grow();
        i
    }

    /// How many names there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The names in number order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let mut offset = 0;
        std::iter::from_fn(move || {
            (offset < self.buf.len()).then(|| {
                let (_, name) = self.entry(offset);
                offset += 8 + name.len();
                std::str::from_utf8(name).expect("stored from a str")
            })
        })
    }

    pub fn into_names(self) -> Vec<String> {
        let mut names = Vec::with_capacity(self.len);
        names.extend(self.names().map(str::to_owned));
        names
    }
}

fn hash(name: &str) -> u64 {
    hash_bytes(name.as_bytes())
}

fn hash_bytes(name: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(name);
    h.finish()
}

/// The multiply-rotate hash of rustc ("Fx"), mixed at the end: interning millions of short
/// ids is most of a load from rows, and SipHash doubled it. The input is the
/// user's own data, so flooding attacks are not a concern.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (the table's bucket) depending on
        // the low input bytes only, alike in ids like "u0000746": mix.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

impl EventLogBuilder {
    /// Room for `rows` events; callers cap what they got from elsewhere.
    pub fn with_capacity(rows: usize) -> Self {
        EventLogBuilder {
            person: Vec::with_capacity(rows),
            time_ms: Vec::with_capacity(rows),
            event: Vec::with_capacity(rows),
            channel: Vec::with_capacity(rows),
            ..Default::default()
        }
    }

    pub fn len(&self) -> usize {
        self.person.len()
    }

    pub fn is_empty(&self) -> bool {
        self.person.is_empty()
    }

    /// Numbers `names` as channels first, in their order, before any event
    /// names them: a source that sends part of its events numbers channels
    /// as the whole would.
    pub fn number_channels(&mut self, names: impl IntoIterator<Item = String>) {
        for name in names {
            self.channels.intern(&name);
        }
    }

    pub fn push(&mut self, person: &str, time_ms: i64, event: &str, channel: Option<&str>, cost: f64, revenue: f64) {
        if cost != 0.0 || revenue != 0.0 {
            self.money.push((self.person.len() as u32, cost, revenue));
        }
        self.person.push(self.people.intern(person));
        self.time_ms.push(time_ms);
        self.event.push(self.events.intern(event));
        self.channel
            .push(channel.map_or(NO_CHANNEL, |c| self.channels.intern(c)));
    }

    pub fn build(self) -> EventLog {
        let n = self.person.len();
        let Sorted { order, person_start } = sort_order(&self.person, &self.time_ms, self.people.len());
        // Sorted, the person column follows from `person_start`; dropping it
        // first, and permuting one column at a time, keeps memory down.
        drop(self.person);
        let time_ms = permute_or(self.time_ms, order.as_deref());
        let event = permute_or(self.event, order.as_deref());
        let channel = permute_or(self.channel, order.as_deref());
        // Where each event with money went.
        let mut money = self.money;
        if let Some(order) = &order
            && !money.is_empty()
        {
            let mut at = vec![0u32; n];
            for (k, &i) in order.iter().enumerate() {
                at[i as usize] = k as u32;
            }
            money.iter_mut().for_each(|m| m.0 = at[m.0 as usize]);
            money.sort_by_key(|m| m.0);
        }
        drop(order);
        let amounts =
            |pick: fn(&(u32, f64, f64)) -> f64| Amounts::from_sorted(n, money.iter().map(|m| (m.0 as usize, pick(m))));
        let (cost, revenue) = (amounts(|m| m.1), amounts(|m| m.2));
        let mut person = Vec::with_capacity(n);
        for (p, w) in person_start.windows(2).enumerate() {
            person.extend(std::iter::repeat_n(p as u32, (w[1] - w[0]) as usize));
        }
        EventLog {
            people: self.people.into_names(),
            event_names: self.events.into_names(),
            channel_names: self.channels.into_names(),
            person,
            time_ms,
            event,
            channel,
            cost,
            revenue,
            person_start,
            spend: Vec::new(),
        }
    }
}

fn permute<T: Copy>(column: &[T], order: &[u32]) -> Vec<T> {
    order.iter().map(|&i| column[i as usize]).collect()
}

fn permute_or<T: Copy>(column: Vec<T>, order: Option<&[u32]>) -> Vec<T> {
    match order {
        Some(order) if !column.is_empty() => permute(&column, order),
        _ => column,
    }
}

/// How to sort events by (person, time), keeping ties in input order.
pub(crate) struct Sorted {
    /// The input index of each event in sorted order; `None` when the input
    /// is sorted already.
    pub order: Option<Vec<u32>>,
    pub person_start: Vec<u32>,
}

/// Sorts by person with a counting sort (person numbers are dense), then
/// each person's few events by time: linear, and much faster than a
/// general sort over (person, time) for millions of events.
pub(crate) fn sort_order(person: &[u32], time: &[i64], people: usize) -> Sorted {
    let mut start = vec![0u32; people + 1];
    for &p in person {
        start[p as usize + 1] += 1;
    }
    for p in 0..people {
        start[p + 1] += start[p];
    }
    let in_order = person
        .windows(2)
        .zip(time.windows(2))
        .all(|(p, t)| p[0] < p[1] || (p[0] == p[1] && t[0] <= t[1]));
    if in_order {
        return Sorted {
            order: None,
            person_start: start,
        };
    }
    let mut next = start.clone();
    let mut order = vec![0u32; person.len()];
    for (i, &p) in person.iter().enumerate() {
        let at = &mut next[p as usize];
        order[*at as usize] = i as u32;
        *at += 1;
    }
    let mut keyed: Vec<(i64, u32)> = Vec::new();
    for p in 0..people {
        let events = &mut order[start[p] as usize..start[p + 1] as usize];
        if events.windows(2).all(|w| time[w[0] as usize] <= time[w[1] as usize]) {
            continue;
        }
        keyed.clear();
        keyed.extend(events.iter().map(|&i| (time[i as usize], i)));
        // Stable: equal times keep input order.
        keyed.sort_by_key(|&(t, _)| t);
        for (o, &(_, i)) in events.iter_mut().zip(&keyed) {
            *o = i;
        }
    }
    Sorted {
        order: Some(order),
        person_start: start,
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
        assert_eq!((0..4).map(|i| log.cost(i)).collect::<Vec<_>>(), [1.0, 0.0, 0.0, 0.0]);
        assert_eq!((0..4).map(|i| log.revenue(i)).collect::<Vec<_>>(), [0.0, 9.5, 0.0, 0.0]);
    }

    #[test]
    fn interning_numbers_names_by_first_appearance() {
        let mut names = Interner::default();
        // Enough to grow the table several times; ids alike but for their
        // last bytes, as exported ids are.
        let ids: Vec<String> = (0..5000).map(|i| format!("u{:07}", i * 7919 % 5000)).collect();
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(names.intern(id), k as u32);
        }
        for (k, id) in ids.iter().enumerate().rev() {
            assert_eq!(names.intern(id), k as u32, "{id} found again");
        }
        assert_eq!(names.intern(""), 5000);
        assert_eq!(names.intern("ü"), 5001);
        assert_eq!(names.len(), 5002);
        let listed: Vec<&str> = names.names().collect();
        assert_eq!(&listed[..5000], ids);
        assert_eq!(&listed[5000..], ["", "ü"]);
        let mut again = Interner::of(names.into_names());
        assert_eq!(again.intern("ü"), 5001);
        assert_eq!(again.intern(&ids[4321]), 4321);
        assert_eq!(again.intern("new"), 5002);
    }

    #[test]
    fn money_takes_no_room_when_absent() {
        let mut b = EventLogBuilder::default();
        b.push("ann", 1, "visit", None, 0.0, 0.0);
        b.push("ann", 2, "buy", None, 0.0, 5.0);
        let log = b.build();
        assert!(!log.has_cost() && log.cost == Amounts::default());
        assert!(log.has_revenue());
        assert_eq!(log.revenue(1), 5.0);
    }
}
