//! The events of the stored log to be, numbered as `EventLogBuilder`
//! numbers them (by first appearance) and sorted in bounded memory
//! (`sorter`). During an import this runs on a thread of its own
//! (`Numbering`), beside the ones parsing and storing rows: interning person
//! ids and sorting are a fifth of an import's work.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, SyncSender, sync_channel};
use std::thread::JoinHandle;

use rusqlite::Connection;

use super::event_batch::EventBatch;
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

    #[cfg(test)]
    pub fn len(&self) -> u64 {
        self.sorter.len()
    }

    #[cfg(test)]
    pub fn people(&self) -> usize {
        self.people.len()
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

/// Batches in flight: bounds the memory between the two threads.
const IN_FLIGHT: usize = 4;

/// `LogEvents` filled on a thread of its own, from the batches of events
/// the writer has stored (`writer::EventWriter`).
pub(crate) struct Numbering {
    send: Option<SyncSender<EventBatch>>,
    worker: Option<JoinHandle<io::Result<LogEvents>>>,
}

impl Numbering {
    /// Starts numbering and sorting events after those `all` holds; each
    /// batch, once numbered, goes `back` to be filled again.
    pub fn start(all: LogEvents, back: Sender<EventBatch>) -> io::Result<Numbering> {
        let (send, receive) = sync_channel(IN_FLIGHT);
        let worker = std::thread::Builder::new()
            .name("import-sort".into())
            .spawn(move || number(all, receive, back))?;
        Ok(Numbering {
            send: Some(send),
            worker: Some(worker),
        })
    }

    pub fn send(&mut self, batch: EventBatch) -> rusqlite::Result<()> {
        let sent = self.send.as_ref().is_some_and(|s| s.send(batch).is_ok());
        match sent {
            true => Ok(()),
            // The thread stopped: it says why.
            false => self.join().and(Err(sort_error(io::Error::other("the sort stopped")))),
        }
    }

    /// The events, all numbered and ready to be sorted out.
    pub fn finish(mut self) -> rusqlite::Result<LogEvents> {
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

fn number(mut all: LogEvents, batches: Receiver<EventBatch>, back: Sender<EventBatch>) -> io::Result<LogEvents> {
    for b in batches {
        for e in b.iter() {
            let money = |v: Option<f64>| v.unwrap_or(0.0);
            all.push(e.person, e.ts_ms, e.event, e.channel, money(e.cost), money(e.revenue))?;
        }
        // The writer may be gone (an import given up): the batch goes too.
        let _ = back.send(b);
    }
    Ok(all)
}
