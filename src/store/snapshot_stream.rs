//! The stored snapshot's events read back in order a chunk of each column
//! at a time, for an import adding to them: its memory does not grow with
//! the events already stored. Checked as loading checks it; a damaged one
//! is reported (the events given so far must then be dropped).

use rusqlite::{Connection, Statement};

use super::{
    CHANNEL, CHANNEL_NAMES, CHUNK, COST, EVENT, EVENT_NAMES, PEOPLE, PERSON_EVENTS, REVENUE, TIME, Varints,
    decode_fixed, decode_names, decode_sparse, unzigzag,
};
use crate::analysis::event_log::NO_CHANNEL;
use crate::store::hash::Xxh64;

/// Why the events stopped.
enum Stop {
    Sql(rusqlite::Error),
    Damaged(String),
}

impl From<rusqlite::Error> for Stop {
    fn from(e: rusqlite::Error) -> Stop {
        Stop::Sql(e)
    }
}

fn damaged<T>(what: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Damaged(what.into()))
}

/// The dictionaries: people, event names, channel names.
pub(crate) type Dictionaries = (Vec<String>, Vec<String>, Vec<String>);

/// Gives `names` the snapshot's dictionaries, then `each` its events in
/// order (person number, time, event, channel or `NO_CHANNEL`, cost,
/// revenue). The snapshot must be current (`is_current`). `Ok(Err(..))`
/// says what is wrong with a damaged one.
pub(crate) fn read_events(
    conn: &Connection,
    names: &mut dyn FnMut(Dictionaries),
    each: &mut dyn FnMut(u32, i64, u32, u32, f64, f64) -> rusqlite::Result<()>,
) -> rusqlite::Result<Result<(), String>> {
    match read(conn, names, each) {
        Ok(()) => Ok(Ok(())),
        Err(Stop::Sql(e)) => Err(e),
        Err(Stop::Damaged(what)) => Ok(Err(what)),
    }
}

fn read(
    conn: &Connection,
    names: &mut dyn FnMut(Dictionaries),
    each: &mut dyn FnMut(u32, i64, u32, u32, f64, f64) -> rusqlite::Result<()>,
) -> Result<(), Stop> {
    let (events, people): (i64, i64) = conn.query_row("SELECT events, people FROM snapshot_info", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    let (Ok(events), Ok(people)) = (usize::try_from(events), usize::try_from(people)) else {
        return damaged("negative counts");
    };
    let list = |stream, total: Option<usize>| -> Result<Vec<String>, Stop> {
        let mut c = Chunks::new(conn, stream, total, |data, items, _, out| {
            decode_names(data, items, out)
        })?;
        let mut all = Vec::new();
        while let Some(name) = c.next()? {
            all.push(name);
        }
        c.end()?;
        Ok(all)
    };
    let dictionaries = (
        list(PEOPLE, Some(people))?,
        list(EVENT_NAMES, None)?,
        list(CHANNEL_NAMES, None)?,
    );
    let (event_names, channel_names) = (dictionaries.1.len() as u32, dictionaries.2.len() as u32);
    names(dictionaries);

    let mut counts = Chunks::new(conn, PERSON_EVENTS, Some(people), |data, items, _, out| {
        decode_varints(data, items, out, |v| v)
    })?;
    let mut times = Chunks::new(conn, TIME, Some(events), |data, items, _, out| {
        let mut t = 0i64;
        decode_varints(data, items, out, |v| {
            t = t.wrapping_add(unzigzag(v));
            t
        })
    })?;
    let mut event = Chunks::new(conn, EVENT, Some(events), |data, items, _, out| {
        decode_fixed(data, items, out, |v| v)
    })?;
    let mut channel = Chunks::new(conn, CHANNEL, Some(events), |data, items, _, out| {
        decode_fixed(data, items, out, |v| v.wrapping_sub(1))
    })?;
    let mut cost = Amounts::new(conn, COST, events)?;
    let mut revenue = Amounts::new(conn, REVENUE, events)?;

    let short = || Stop::Damaged("a column is missing or short".into());
    let mut i = 0usize;
    for p in 0..people {
        let n = counts.next()?.ok_or_else(short)?;
        let mut last = i64::MIN;
        for _ in 0..n {
            let t = times.next()?.ok_or_else(short)?;
            let e = event.next()?.ok_or_else(short)?;
            let c = channel.next()?.ok_or_else(short)?;
            if t < last {
                return damaged("events out of time order");
            }
            if e >= event_names || (c >= channel_names && c != NO_CHANNEL) {
                return damaged("an event or channel number has no name");
            }
            each(p as u32, t, e, c, cost.at(i)?, revenue.at(i)?)?;
            last = t;
            i += 1;
        }
    }
    if i != events {
        return damaged("the events per person do not add up to the events");
    }
    counts.end()?;
    times.end()?;
    event.end()?;
    channel.end()?;
    cost.end()?;
    revenue.end()
}

fn decode_varints<T>(data: &[u8], items: usize, out: &mut Vec<T>, mut map: impl FnMut(u64) -> T) -> Result<(), String> {
    let mut v = Varints { data, at: 0 };
    for _ in 0..items {
        out.push(map(v.next().ok_or("cut short")?));
    }
    v.done().then_some(()).ok_or_else(|| "bytes left over".into())
}

/// Decodes one chunk's `items` (the stream's items before it: `done`) onto `out`.
type Decode<T> = fn(&[u8], usize, usize, &mut Vec<T>) -> Result<(), String>;

/// One stream's items, a chunk at a time.
struct Chunks<'c, T> {
    stmt: Statement<'c>,
    stream: i64,
    chunk: i64,
    /// Items the stream should still hold (`None`: any number), and items read.
    left: Option<usize>,
    done: usize,
    values: Vec<T>,
    at: usize,
    decode: Decode<T>,
}

impl<'c, T: Clone> Chunks<'c, T> {
    fn new(conn: &'c Connection, stream: i64, total: Option<usize>, decode: Decode<T>) -> rusqlite::Result<Self> {
        Ok(Chunks {
            stmt: conn.prepare("SELECT items, hash, data FROM snapshot WHERE stream = ?1 AND chunk = ?2")?,
            stream,
            chunk: 0,
            left: total,
            done: 0,
            values: Vec::new(),
            at: 0,
            decode,
        })
    }

    fn next(&mut self) -> Result<Option<T>, Stop> {
        while self.at == self.values.len() {
            if !self.load()? {
                return Ok(None);
            }
        }
        self.at += 1;
        Ok(Some(self.values[self.at - 1].clone()))
    }

    /// Reads the next chunk in place of the last; false when there is none.
    fn load(&mut self) -> Result<bool, Stop> {
        let mut rows = self.stmt.query((self.stream, self.chunk))?;
        let Some(r) = rows.next()? else {
            return Ok(false);
        };
        let (items, hash): (i64, i64) = (r.get(0)?, r.get(1)?);
        let rusqlite::types::ValueRef::Blob(data) = r.get_ref(2)? else {
            return damaged(format!("stream {} chunk {} is not a blob", self.stream, self.chunk));
        };
        let items = match usize::try_from(items) {
            Ok(n) if n <= CHUNK && self.left.is_none_or(|left| n <= left) => n,
            _ => return damaged(format!("stream {} chunk {}: too many items", self.stream, self.chunk)),
        };
        let mut h = Xxh64::new(0);
        h.update(data);
        if h.finish() as i64 != hash {
            return damaged(format!(
                "stream {} chunk {}: the data does not match its hash",
                self.stream, self.chunk
            ));
        }
        self.values.clear();
        self.at = 0;
        (self.decode)(data, items, self.done, &mut self.values)
            .map_err(|e| Stop::Damaged(format!("stream {} chunk {}: {e}", self.stream, self.chunk)))?;
        self.chunk += 1;
        self.left = self.left.map(|left| left - items);
        self.done += items;
        Ok(true)
    }

    /// Checks that the stream held all it should (dictionaries: whatever
    /// they held) and nothing after.
    fn end(&mut self) -> Result<(), Stop> {
        let whole = self.at == self.values.len() && self.left.is_none_or(|left| left == 0);
        if !whole || self.load()? {
            return damaged(format!("stream {} is not as long as the snapshot says", self.stream));
        }
        Ok(())
    }
}

/// A money column, absent when no event has any.
struct Amounts<'c> {
    chunks: Option<Chunks<'c, (usize, f64)>>,
}

impl<'c> Amounts<'c> {
    fn new(conn: &'c Connection, stream: i64, events: usize) -> rusqlite::Result<Self> {
        let present: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM snapshot WHERE stream = ?1)",
            [stream],
            |r| r.get(0),
        )?;
        Ok(Amounts {
            chunks: match present {
                true => Some(Chunks::new(conn, stream, Some(events), decode_sparse)?),
                false => None,
            },
        })
    }

    /// Event `i`'s amount; events are asked for in order.
    fn at(&mut self, i: usize) -> Result<f64, Stop> {
        let Some(c) = &mut self.chunks else {
            return Ok(0.0);
        };
        // Past the amounts read, and those of the chunks up to event i.
        while c.at == c.values.len() && c.done <= i {
            if !c.load()? {
                return damaged(format!("stream {} is short", c.stream));
            }
        }
        match c.values.get(c.at) {
            Some(&(at, v)) if at == i => {
                c.at += 1;
                Ok(v)
            }
            _ => Ok(0.0),
        }
    }

    fn end(&mut self) -> Result<(), Stop> {
        match &mut self.chunks {
            Some(c) => c.end(),
            None => Ok(()),
        }
    }
}
