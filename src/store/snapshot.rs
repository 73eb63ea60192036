//! The event log stored in analysis-ready form beside the `events` rows:
//! sorted, interned, columnar, so loading reads a few blobs instead of
//! millions of rows (the rows stay the readable record).
//!
//! Every import writes it in its own transaction, as does removing an
//! import. `snapshot_info.source` names what it was built from (the
//! finished event imports and the last event id); a snapshot whose source
//! is not the database's present one is stale, and one that fails its
//! checks is damaged: either way it is rebuilt from the rows.
//!
//! Each column is a stream of items cut into blobs of `CHUNK` items, each
//! with its item count and XXH64 hash. Encodings, chosen to load fast:
//! names as length-prefixed UTF-8; events per person and times as varints
//! (times as zig-zag deltas, mostly 3 or 4 bytes); event and channel
//! numbers at a fixed width of 1, 2 or 4 bytes; cost and revenue, kept
//! only when some event has them, as (gap, f64) pairs of the events that do.
//!
//! It is written a chunk of each column at a time from events given in
//! sorted order (`Writer`; an import sorts its events with `sorter`), and an
//! import adding to it reads it back the same way (`snapshot_stream.rs`), so
//! neither holds the whole log.

use rusqlite::{Connection, params};

use super::hash::Xxh64;
use crate::analysis::event_log::{Amounts, EventLog, Interner, NO_CHANNEL};
pub(crate) use stream::read_events;

/// The encoding's version: a snapshot of another is rebuilt.
pub(crate) const FORMAT: i64 = 1;

/// The source of a snapshot written by an import not yet finished (see
/// `seal`).
pub(crate) const PENDING: &str = "pending";

/// Items per blob: a few MB, far below SQLite's 1 GB limit on a value.
/// (Tests cut small logs into many blobs.)
const CHUNK: usize = if cfg!(test) { 64 } else { 1 << 20 };

/// Capacity reserved up front at most, whatever a stored count says.
pub(crate) const MAX_RESERVE: usize = 64 << 20;

const PEOPLE: i64 = 1;
const EVENT_NAMES: i64 = 2;
const CHANNEL_NAMES: i64 = 3;
const PERSON_EVENTS: i64 = 4;
const TIME: i64 = 5;
const EVENT: i64 = 6;
const CHANNEL: i64 = 7;
const COST: i64 = 8;
const REVENUE: i64 = 9;

/// What a load needs beyond the events' order, times, names and channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// The person ids (`EventLog::people`): tens of MB for millions of people.
    pub people: bool,
    /// Cost and revenue.
    pub money: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        people: true,
        money: true,
    };
    /// Enough for funnels and paths.
    pub const SEQUENCES: Parts = Parts {
        people: false,
        money: false,
    };
}

/// What the snapshot's events are: the finished event imports (id, hash,
/// counts, event id range, time) and the last event id. Cheap: it reads the
/// imports table and one end of the events table.
pub(crate) fn source_of(conn: &Connection) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare(
        "SELECT id || '|' || content_hash || '|' || rows_imported || '|' || coalesce(first_event_id, '')
                || '|' || coalesce(last_event_id, '') || '|' || finished_at
         FROM imports WHERE kind = 'events' AND finished_at IS NOT NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut hash = Xxh64::new(0);
    let mut imports = 0;
    while let Some(r) = rows.next()? {
        hash.update(r.get_ref(0)?.as_bytes().unwrap_or_default());
        hash.update(b"\n");
        imports += 1;
    }
    let last: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))?;
    Ok(format!("{imports} imports {:016x}, last event {last}", hash.finish()))
}

/// Replaces the stored snapshot by `log` (which must hold people and money),
/// built from `source`.
pub(crate) fn write(conn: &Connection, log: &EventLog, source: &str) -> rusqlite::Result<()> {
    let (cost, revenue) = log.amounts();
    let names = Names {
        people: &log.people,
        events: &log.event_names,
        channels: &log.channel_names,
    };
    let mut w = Writer::new(conn, source, log.len(), names, (!cost.is_empty(), !revenue.is_empty()))?;
    for p in 0..log.person_count() {
        for i in log.person_range(p) {
            w.push(
                p as u32,
                log.time_ms[i],
                log.event[i],
                log.channel[i],
                cost.get(i),
                revenue.get(i),
            )?;
        }
    }
    w.finish()
}

/// The dictionaries of a snapshot: index = number.
pub(crate) struct Names<'a> {
    pub people: &'a dyn NameList,
    pub events: &'a dyn NameList,
    pub channels: &'a dyn NameList,
}

/// Names in number order.
pub(crate) trait NameList {
    fn count(&self) -> usize;
    fn each(&self) -> Box<dyn Iterator<Item = &str> + '_>;
}

impl NameList for Vec<String> {
    fn count(&self) -> usize {
        self.len()
    }

    fn each(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.iter().map(String::as_str))
    }
}

impl NameList for Interner {
    fn count(&self) -> usize {
        self.len()
    }

    fn each(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.names())
    }
}

/// Writes a snapshot from its events given one at a time in sorted order
/// (person, then time), a chunk of each column at a time: memory does not
/// grow with the number of events.
pub(crate) struct Writer<'c> {
    insert: rusqlite::Statement<'c>,
    events: usize,
    people: usize,
    written: usize,
    /// The person of the last event, and its events so far.
    person: u32,
    person_events: u64,
    counts: Column,
    time: Column,
    prev_time: i64,
    event: Column,
    event_width: usize,
    channel: Column,
    channel_width: usize,
    cost: Option<Column>,
    revenue: Option<Column>,
}

/// One column's chunk being filled.
struct Column {
    stream: i64,
    chunk: i64,
    items: usize,
    data: Vec<u8>,
    /// Sparse columns: the item after the last one with an amount.
    mark: usize,
}

impl Column {
    fn new(stream: i64) -> Column {
        Column {
            stream,
            chunk: 0,
            items: 0,
            data: Vec::new(),
            mark: 0,
        }
    }

    /// Stores the chunk (if it has items) and starts the next.
    fn flush(&mut self, insert: &mut rusqlite::Statement) -> rusqlite::Result<()> {
        if self.items == 0 {
            return Ok(());
        }
        let mut h = Xxh64::new(0);
        h.update(&self.data);
        insert.execute(params![
            self.stream,
            self.chunk,
            self.items as i64,
            h.finish() as i64,
            self.data
        ])?;
        self.chunk += 1;
        self.items = 0;
        self.mark = 0;
        self.data.clear();
        Ok(())
    }

    /// Counts one item; stores the chunk once full.
    fn count(&mut self, insert: &mut rusqlite::Statement) -> rusqlite::Result<()> {
        self.items += 1;
        match self.items == CHUNK {
            true => self.flush(insert),
            false => Ok(()),
        }
    }
}

/// The bytes an event or channel number takes for numbers up to `max`.
fn width_of(max: usize) -> usize {
    match max {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        _ => 4,
    }
}

impl<'c> Writer<'c> {
    /// Replaces the stored snapshot by one of `events` events with the
    /// dictionaries `names`, built from `source`; `money`: whether some
    /// event has a cost, and some a revenue.
    pub fn new(
        conn: &'c Connection,
        source: &str,
        events: usize,
        names: Names,
        money: (bool, bool),
    ) -> rusqlite::Result<Writer<'c>> {
        conn.execute_batch("DELETE FROM snapshot; DELETE FROM snapshot_info;")?;
        conn.execute(
            "INSERT INTO snapshot_info (format, source, events, people) VALUES (?1, ?2, ?3, ?4)",
            params![FORMAT, source, events as i64, names.people.count() as i64],
        )?;
        let mut insert =
            conn.prepare("INSERT INTO snapshot (stream, chunk, items, hash, data) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for (stream, list) in [
            (PEOPLE, names.people),
            (EVENT_NAMES, names.events),
            (CHANNEL_NAMES, names.channels),
        ] {
            let mut column = Column::new(stream);
            for name in list.each() {
                put_varint(&mut column.data, name.len() as u64);
                column.data.extend_from_slice(name.as_bytes());
                column.count(&mut insert)?;
            }
            column.flush(&mut insert)?;
        }
        Ok(Writer {
            insert,
            events,
            people: names.people.count(),
            written: 0,
            person: 0,
            person_events: 0,
            counts: Column::new(PERSON_EVENTS),
            time: Column::new(TIME),
            prev_time: 0,
            event: Column::new(EVENT),
            event_width: width_of(names.events.count().saturating_sub(1)),
            channel: Column::new(CHANNEL),
            // Channels are stored plus one: 0 is none.
            channel_width: width_of(names.channels.count()),
            cost: money.0.then(|| Column::new(COST)),
            revenue: money.1.then(|| Column::new(REVENUE)),
        })
    }

    /// The next event in sorted order; `person`, `event` and `channel` are
    /// numbers in the dictionaries given, `channel` may be `NO_CHANNEL`.
    pub fn push(
        &mut self,
        person: u32,
        time_ms: i64,
        event: u32,
        channel: u32,
        cost: f64,
        revenue: f64,
    ) -> rusqlite::Result<()> {
        let insert = &mut self.insert;
        if person < self.person || person as usize >= self.people || self.written == self.events {
            return Err(rusqlite::Error::ToSqlConversionFailure(
                "the events to store are out of order or more than announced".into(),
            ));
        }
        while self.person < person {
            put_varint(&mut self.counts.data, self.person_events);
            self.counts.count(insert)?;
            self.person += 1;
            self.person_events = 0;
        }
        self.person_events += 1;

        if self.time.items == 0 {
            self.prev_time = 0;
        }
        put_varint(&mut self.time.data, zigzag(time_ms.wrapping_sub(self.prev_time)));
        self.prev_time = time_ms;
        self.time.count(insert)?;

        for (column, width, v) in [
            (&mut self.event, self.event_width, event),
            (&mut self.channel, self.channel_width, channel.wrapping_add(1)),
        ] {
            if column.items == 0 {
                column.data.push(width as u8);
            }
            column.data.extend_from_slice(&v.to_le_bytes()[..width]);
            column.count(insert)?;
        }

        // The non-zero amounts, each as the gap from the previous one's
        // index (or from the chunk's start) and its bits.
        for (column, v) in [(&mut self.cost, cost), (&mut self.revenue, revenue)] {
            let Some(column) = column else { continue };
            if v != 0.0 {
                put_varint(&mut column.data, (column.items - column.mark) as u64);
                column.data.extend_from_slice(&v.to_le_bytes());
                column.mark = column.items + 1;
            }
            column.count(insert)?;
        }
        self.written += 1;
        Ok(())
    }

    /// Stores what is still held, once every event announced was given.
    pub fn finish(mut self) -> rusqlite::Result<()> {
        if self.written != self.events {
            return Err(rusqlite::Error::ToSqlConversionFailure(
                format!("{} events to store, {} given", self.events, self.written).into(),
            ));
        }
        let insert = &mut self.insert;
        while (self.person as usize) < self.people {
            put_varint(&mut self.counts.data, self.person_events);
            self.counts.count(insert)?;
            self.person += 1;
            self.person_events = 0;
        }
        for column in [&mut self.counts, &mut self.time, &mut self.event, &mut self.channel] {
            column.flush(insert)?;
        }
        for column in [&mut self.cost, &mut self.revenue].into_iter().flatten() {
            column.flush(insert)?;
        }
        Ok(())
    }
}

/// Gives a snapshot written during an import (source `PENDING`) the
/// source of the database as it is now, once the import is recorded.
pub(crate) fn seal(conn: &Connection) -> rusqlite::Result<()> {
    let source = source_of(conn)?;
    conn.execute(
        "UPDATE snapshot_info SET source = ?1 WHERE source = ?2",
        params![source, PENDING],
    )?;
    Ok(())
}

/// Whether the stored snapshot is of the events as they are (`source`).
pub(crate) fn is_current(conn: &Connection, source: &str) -> rusqlite::Result<bool> {
    let found: Option<(i64, String)> = conn
        .query_row("SELECT format, source FROM snapshot_info", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    Ok(found.is_some_and(|(format, s)| format == FORMAT && s == source))
}

/// The stored snapshot, if it is of `source` and whole; `Err` says what is
/// wrong with a damaged one.
pub(crate) fn read(
    conn: &Connection,
    source: &str,
    parts: Parts,
) -> rusqlite::Result<Option<Result<EventLog, String>>> {
    if !is_current(conn, source)? {
        return Ok(None);
    }
    let (events, people): (i64, i64) = conn.query_row("SELECT events, people FROM snapshot_info", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    let mut skip = Vec::new();
    if !parts.people {
        skip.push(PEOPLE);
    }
    if !parts.money {
        skip.extend([COST, REVENUE]);
    }
    let mut stmt = conn.prepare(
        "SELECT stream, chunk, items, hash, data FROM snapshot
         WHERE stream NOT IN (SELECT value FROM json_each(?1)) ORDER BY stream, chunk",
    )?;
    let mut rows = stmt.query([serde_json::to_string(&skip).expect("numbers serialise")])?;
    let mut decoder = Decoder::new(events, people, parts);
    while let Some(r) = rows.next()? {
        let (stream, chunk, items, hash): (i64, i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let data = match r.get_ref(4)? {
            rusqlite::types::ValueRef::Blob(b) => b,
            _ => return Ok(Some(Err(format!("stream {stream} chunk {chunk} is not a blob")))),
        };
        if let Err(e) = decoder.take(stream, chunk, items, hash, data) {
            return Ok(Some(Err(format!("stream {stream} chunk {chunk}: {e}"))));
        }
    }
    Ok(Some(decoder.finish()))
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

/// Reads varints off a slice; `None` once it runs out mid-number.
struct Varints<'a> {
    data: &'a [u8],
    at: usize,
}

impl Varints<'_> {
    #[inline]
    fn next(&mut self) -> Option<u64> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = *self.data.get(self.at)?;
            self.at += 1;
            if shift == 63 && b > 1 {
                return None;
            }
            v |= ((b & 0x7F) as u64) << shift;
            if b < 0x80 {
                return Some(v);
            }
            shift += 7;
            if shift > 63 {
                return None;
            }
        }
    }

    fn done(&self) -> bool {
        self.at == self.data.len()
    }
}

/// Builds the log from the streams' chunks, checking each as it comes.
struct Decoder {
    events: usize,
    people: usize,
    parts: Parts,
    log: EventLog,
    /// Per stream, the next chunk expected and the items read so far.
    next: [(i64, usize); 10],
    cost: Vec<(usize, f64)>,
    revenue: Vec<(usize, f64)>,
    /// The times are decoded, checked and spread into the person column on
    /// a thread of their own while the other columns are read.
    times: Option<TimeWorker>,
}

/// A chunk of the time column: its data, items and hash.
type TimeChunk = (Vec<u8>, usize, i64);

/// The time column and the person column spread from the events per person.
type TimesAndPeople = Result<(Vec<i64>, Vec<u32>), String>;

struct TimeWorker {
    chunks: std::sync::mpsc::SyncSender<TimeChunk>,
    done: std::thread::JoinHandle<TimesAndPeople>,
}

impl TimeWorker {
    /// Starts once the events per person are read (they come first).
    fn start(person_start: Vec<u32>, events: usize) -> TimeWorker {
        let (chunks, incoming) = std::sync::mpsc::sync_channel::<TimeChunk>(4);
        let done = std::thread::spawn(move || {
            let mut time_ms = Vec::with_capacity(events.min(MAX_RESERVE));
            for (data, items, hash) in incoming {
                // Each chunk's deltas start from zero.
                let mut t = 0i64;
                let mut h = Xxh64::new(0);
                h.update(&data);
                if h.finish() as i64 != hash {
                    return Err("the time data does not match its hash".to_string());
                }
                let mut v = Varints { data: &data, at: 0 };
                for _ in 0..items {
                    t = t.wrapping_add(unzigzag(v.next().ok_or("time cut short")?));
                    time_ms.push(t);
                }
                if !v.done() {
                    return Err("bytes left over in the times".into());
                }
            }
            // Checked by the caller: person_start ends at the number of times.
            if person_start.last().map_or(0, |&e| e as usize) != time_ms.len() {
                return Ok((time_ms, Vec::new()));
            }
            let mut person = Vec::with_capacity(time_ms.len());
            for (p, w) in person_start.windows(2).enumerate() {
                let r = w[0] as usize..w[1] as usize;
                if time_ms[r.clone()].windows(2).any(|w| w[0] > w[1]) {
                    return Err("events out of time order".into());
                }
                person.extend(std::iter::repeat_n(p as u32, r.len()));
            }
            Ok((time_ms, person))
        });
        TimeWorker { chunks, done }
    }
}

impl Decoder {
    fn new(events: i64, people: i64, parts: Parts) -> Decoder {
        let (events, people) = (events.max(0) as usize, people.max(0) as usize);
        let reserve = |n: usize| n.min(MAX_RESERVE);
        let log = EventLog {
            event: Vec::with_capacity(reserve(events)),
            channel: Vec::with_capacity(reserve(events)),
            person_start: Vec::with_capacity(reserve(people) + 1),
            ..Default::default()
        };
        Decoder {
            events,
            people,
            parts,
            log,
            next: [(0, 0); 10],
            cost: Vec::new(),
            revenue: Vec::new(),
            times: None,
        }
    }

    fn take(&mut self, stream: i64, chunk: i64, items: i64, hash: i64, data: &[u8]) -> Result<(), String> {
        let Some(slot) = usize::try_from(stream)
            .ok()
            .filter(|&s| (PEOPLE as usize..=REVENUE as usize).contains(&s))
        else {
            return Err("unknown stream".into());
        };
        let (want_chunk, done) = self.next[slot];
        if chunk != want_chunk {
            return Err(format!("expected chunk {want_chunk}"));
        }
        let items = usize::try_from(items).map_err(|_| "negative item count".to_string())?;
        let total = match stream {
            PEOPLE | PERSON_EVENTS => self.people,
            EVENT_NAMES | CHANNEL_NAMES => usize::MAX,
            _ => self.events,
        };
        if items > CHUNK || done + items > total {
            return Err(format!("{items} items is more than the snapshot holds"));
        }
        if stream == TIME {
            self.next[slot] = (want_chunk + 1, done + items);
            let log = &self.log;
            let events = self.events;
            let worker = self.times.get_or_insert_with(|| {
                let mut starts = log.person_start.clone();
                if starts.is_empty() {
                    starts.push(0);
                }
                TimeWorker::start(starts, events)
            });
            // A worker that stopped has said why; `finish` reports it.
            let _ = worker.chunks.send((data.to_vec(), items, hash));
            return Ok(());
        }
        let mut h = Xxh64::new(0);
        h.update(data);
        if h.finish() as i64 != hash {
            return Err("the data does not match its hash".into());
        }
        self.next[slot] = (want_chunk + 1, done + items);
        let log = &mut self.log;
        match stream {
            PEOPLE => decode_names(data, items, &mut log.people),
            EVENT_NAMES => decode_names(data, items, &mut log.event_names),
            CHANNEL_NAMES => decode_names(data, items, &mut log.channel_names),
            PERSON_EVENTS => {
                let mut v = Varints { data, at: 0 };
                if log.person_start.is_empty() {
                    log.person_start.push(0);
                }
                let mut at = *log.person_start.last().expect("starts with 0") as u64;
                for _ in 0..items {
                    at += v.next().ok_or("cut short")?;
                    if at > self.events as u64 {
                        return Err("more events per person than events".into());
                    }
                    log.person_start.push(at as u32);
                }
                v.done().then_some(()).ok_or_else(|| "bytes left over".into())
            }
            EVENT => decode_fixed(data, items, &mut log.event, |v| v),
            CHANNEL => decode_fixed(data, items, &mut log.channel, |v| v.wrapping_sub(1)),
            COST => decode_sparse(data, items, done, &mut self.cost),
            REVENUE => decode_sparse(data, items, done, &mut self.revenue),
            _ => unreachable!("checked above"),
        }
    }

    /// The log, once every stream is whole and consistent.
    fn finish(mut self) -> Result<EventLog, String> {
        let times = self.times.take().map(|w| {
            drop(w.chunks);
            w.done
                .join()
                .unwrap_or_else(|_| Err("decoding the times failed".into()))
        });
        let (time_ms, person) = match times {
            Some(result) => result?,
            None => (Vec::new(), Vec::new()),
        };
        self.log.time_ms = time_ms;
        let complete = |slot: i64, n: usize| self.next[slot as usize].1 == n;
        let people_ok = !self.parts.people || complete(PEOPLE, self.people);
        if !(people_ok
            && complete(PERSON_EVENTS, self.people)
            && complete(TIME, self.events)
            && complete(EVENT, self.events)
            && complete(CHANNEL, self.events))
        {
            return Err("a column is missing or short".into());
        }
        let mut log = self.log;
        if log.person_start.is_empty() {
            log.person_start.push(0);
        }
        if *log.person_start.last().expect("not empty") as usize != self.events {
            return Err("the events per person do not add up to the events".into());
        }
        let (names, channels) = (log.event_names.len() as u32, log.channel_names.len() as u32);
        if log.event.iter().any(|&e| e >= names) || log.channel.iter().any(|&c| c >= channels && c != NO_CHANNEL) {
            return Err("an event or channel number has no name".into());
        }
        // The time worker checked each person's order and spread their numbers.
        if log.time_ms.len() != self.events || person.len() != self.events {
            return Err("the times do not match the events per person".into());
        }
        log.person = person;
        for slot in [COST, REVENUE] {
            let got = self.next[slot as usize].1;
            if got != 0 && got != self.events {
                return Err("a money column is short".into());
            }
        }
        let n = self.events;
        log.set_money(
            Amounts::from_sorted(n, self.cost),
            Amounts::from_sorted(n, self.revenue),
        );
        Ok(log)
    }
}

fn decode_names(data: &[u8], items: usize, out: &mut Vec<String>) -> Result<(), String> {
    let mut v = Varints { data, at: 0 };
    for _ in 0..items {
        let len = v.next().ok_or("cut short")? as usize;
        let end = v.at.checked_add(len).filter(|&e| e <= data.len()).ok_or("cut short")?;
        let name = std::str::from_utf8(&data[v.at..end]).map_err(|_| "a name is not UTF-8")?;
        out.push(name.to_owned());
        v.at = end;
    }
    v.done().then_some(()).ok_or_else(|| "bytes left over".into())
}

fn decode_fixed(data: &[u8], items: usize, out: &mut Vec<u32>, map: impl Fn(u32) -> u32) -> Result<(), String> {
    let (&width, values) = data.split_first().ok_or("empty")?;
    let width = width as usize;
    if ![1, 2, 4].contains(&width) || values.len() != items * width {
        return Err("the width and length disagree".into());
    }
    match width {
        1 => out.extend(values.iter().map(|&b| map(b as u32))),
        2 => out.extend(
            values
                .chunks_exact(2)
                .map(|b| map(u16::from_le_bytes([b[0], b[1]]) as u32)),
        ),
        _ => out.extend(
            values
                .chunks_exact(4)
                .map(|b| map(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
        ),
    }
    Ok(())
}

/// Adds the (event index, amount) pairs of the `items` events from `done`.
fn decode_sparse(data: &[u8], items: usize, done: usize, out: &mut Vec<(usize, f64)>) -> Result<(), String> {
    let mut v = Varints { data, at: 0 };
    let mut i = 0usize;
    while !v.done() {
        i = i
            .checked_add(v.next().ok_or("cut short")? as usize)
            .ok_or("gap too long")?;
        let bits = data.get(v.at..v.at + 8).ok_or("cut short")?;
        v.at += 8;
        if i >= items {
            return Err("an index past the chunk".into());
        }
        out.push((done + i, f64::from_le_bytes(bits.try_into().expect("8 bytes"))));
        i += 1;
    }
    Ok(())
}

#[path = "snapshot_stream.rs"]
mod stream;

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
