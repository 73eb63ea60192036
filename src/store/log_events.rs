//! The events of the stored log to be, numbered as `EventLogBuilder`
//! numbers them (by first appearance) and sorted in bounded memory
//! (`sorter`). During an import this runs on a thread of its own
//! (`Numbering`), beside the one parsing and storing rows: interning person
//! ids and sorting are a fifth of an import's work, and two cores are common.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use rusqlite::Connection;

use super::snapshot;
use super::sorter::Sorter;
use crate::analysis::event_log::{Interner, NO_CHANNEL};

/// Where an import's events are sorted once they outgrow memory: beside
/// the database (on the disk that holds its data), or for a database in
/// memory in the temporary directory.
pub(crate) fn spill_dir(conn: &Connection) -> PathBuf {
    let db = conn.path().filter(|p| !p.is_empty()).map(Path::new);
    match db.and_then(Path::parent) {
        Some(dir) if dir.as_os_str().is_empty() => PathBuf::from("."),
        Some(dir) => dir.to_path_buf(),
        None => std::env::temp_dir(),
    }
}

/// The events of the snapshot to be, numbered as `EventLogBuilder` numbers
/// them (by first appearance) and sorted in bounded memory.
pub(crate) struct LogEvents {
    people: Interner,
    names: Interner,
    channels: Interner,
    sorter: Sorter,
}

/// A sort file's error as the database's, for the import's message.
pub(crate) fn sort_error(e: io::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

impl LogEvents {
    pub fn new(dir: PathBuf, run_len: usize) -> LogEvents {
        LogEvents {
            people: Interner::default(),
            names: Interner::default(),
            channels: Interner::default(),
            sorter: Sorter::new(&dir, run_len),
        }
    }

    /// Takes the events already in the database: from the snapshot when it
    /// is current and whole (a chunk at a time), else from the rows in id order.
    pub fn take_stored(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let source = snapshot::source_of(conn)?;
        if snapshot::is_current(conn, &source)? {
            let LogEvents {
                people,
                names,
                channels,
                sorter,
            } = self;
            // The snapshot's numbering is the one these events would get.
            let read = snapshot::read_events(
                conn,
                &mut |(p, e, c)| {
                    *people = Interner::of(p);
                    *names = Interner::of(e);
                    *channels = Interner::of(c);
                },
                &mut |person, time, event, channel, cost, revenue| {
                    sorter
                        .push(person, time, event, channel, cost, revenue)
                        .map_err(sort_error)
                },
            )?;
            if read.is_ok() {
                return Ok(());
            }
            // Damaged: start again from the rows.
            *self = LogEvents::new(self.sorter.dir().to_path_buf(), self.sorter.run_len());
        }
        super::load::each_row(conn, &mut |person, time, event, channel, cost, revenue| {
            self.push(person, time, event, channel, cost, revenue)
                .map_err(sort_error)
        })
    }

    fn push(
        &mut self,
        person: &str,
        time_ms: i64,
        event: &str,
        channel: Option<&str>,
        cost: f64,
        revenue: f64,
    ) -> io::Result<()> {
        let channel = channel.map_or(NO_CHANNEL, |c| self.channels.intern(c));
        let (person, event) = (self.people.intern(person), self.names.intern(event));
        self.sorter.push(person, time_ms, event, channel, cost, revenue)
    }

    /// Replaces the snapshot by these events, this import's after the
    /// others', to be sealed with its source once the import is recorded.
    pub fn write(self, conn: &Connection) -> rusqlite::Result<()> {
        let events = self.sorter.len() as usize;
        let money = self.sorter.has_money();
        let mut sorted = self.sorter.finish().map_err(sort_error)?;
        let names = snapshot::Names {
            people: &self.people,
            events: &self.names,
            channels: &self.channels,
        };
        let mut w = snapshot::Writer::new(conn, snapshot::PENDING, events, names, money)?;
        while let Some(e) = sorted.next().map_err(sort_error)? {
            w.push(e.person, e.time_ms, e.event, e.channel, e.cost, e.revenue)?;
        }
        w.finish()
    }
}

/// Events sent to the numbering thread at a time.
const BATCH: usize = 4096;

/// Batches in flight: bounds the memory between the two threads.
const IN_FLIGHT: usize = 4;

/// Events with their names back to back in one buffer.
#[derive(Default)]
struct Batch {
    text: String,
    /// Where each event's person, event and channel end in `text` (a
    /// channel ending where the event does is none), its time and money.
    events: Vec<([u32; 3], bool, i64, f64, f64)>,
}

/// `LogEvents` filled on a thread of its own.
pub(crate) struct Numbering {
    batch: Batch,
    send: Option<SyncSender<Batch>>,
    worker: Option<JoinHandle<io::Result<LogEvents>>>,
}

impl Numbering {
    /// Starts numbering and sorting events after those `all` holds.
    pub fn start(all: LogEvents) -> io::Result<Numbering> {
        let (send, receive) = sync_channel(IN_FLIGHT);
        let worker = std::thread::Builder::new()
            .name("import-sort".into())
            .spawn(move || number(all, receive))?;
        Ok(Numbering {
            batch: Batch::default(),
            send: Some(send),
            worker: Some(worker),
        })
    }

    pub fn push(
        &mut self,
        person: &str,
        time_ms: i64,
        event: &str,
        channel: Option<&str>,
        cost: f64,
        revenue: f64,
    ) -> rusqlite::Result<()> {
        let b = &mut self.batch;
        let mut ends = [0u32; 3];
        for (k, part) in [person, event, channel.unwrap_or("")].into_iter().enumerate() {
            b.text.push_str(part);
            ends[k] = b.text.len() as u32;
        }
        b.events.push((ends, channel.is_some(), time_ms, cost, revenue));
        if b.events.len() == BATCH || b.text.len() > u32::MAX as usize / 2 {
            self.send_batch()?;
        }
        Ok(())
    }

    fn send_batch(&mut self) -> rusqlite::Result<()> {
        let batch = std::mem::take(&mut self.batch);
        let sent = self.send.as_ref().is_some_and(|s| s.send(batch).is_ok());
        match sent {
            true => Ok(()),
            // The thread stopped: it says why.
            false => self.join().map(|_| ()),
        }
    }

    /// The events, all numbered and ready to be sorted out.
    pub fn finish(mut self) -> rusqlite::Result<LogEvents> {
        if !self.batch.events.is_empty() {
            self.send_batch()?;
        }
        self.join()
    }

    fn join(&mut self) -> rusqlite::Result<LogEvents> {
        self.send = None;
        let worker = self
            .worker
            .take()
            .ok_or_else(|| sort_error(io::Error::other("the sort stopped")))?;
        match worker.join() {
            Ok(done) => done.map_err(sort_error),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

impl Drop for Numbering {
    /// An import given up (an error, a cancel) stops the thread, and with it
    /// goes its temporary file.
    fn drop(&mut self) {
        self.send = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn number(mut all: LogEvents, batches: Receiver<Batch>) -> io::Result<LogEvents> {
    for b in batches {
        let mut start = 0;
        for &(ends, has_channel, time_ms, cost, revenue) in &b.events {
            let [person, event, channel] = ends.map(|end| {
                let part = &b.text[start..end as usize];
                start = end as usize;
                part
            });
            all.push(person, time_ms, event, has_channel.then_some(channel), cost, revenue)?;
        }
    }
    Ok(all)
}
