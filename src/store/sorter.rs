//! Sorting an import's events by person and time in bounded memory. Events
//! are held as compact records, a run at a time; each full run is sorted and
//! written to a temporary file beside the database, and a k-way merge reads
//! the runs back in order (the last run never leaves memory). Ties keep
//! input order, as `EventLogBuilder` keeps them: a stable sort within a run,
//! the earlier run first across runs. Memory is one run plus the merge's
//! read buffers, whatever the number of events.
//!
//! The file is unlinked as soon as it is created (on Unix; elsewhere it is
//! deleted on close), so no exit path, a killed process included, leaves it
//! behind.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Events per run: 12 MiB of records, and as much again to sort them.
pub(crate) const RUN_LEN: usize = 1 << 19;

/// Events per run for an import: `RUN_LEN`, or in tests what the test set
/// (`set_run_len`) to make small imports spill.
pub(crate) fn run_len() -> usize {
    #[cfg(test)]
    if let Some(n) = TEST_RUN_LEN.get() {
        return n;
    }
    RUN_LEN
}

#[cfg(test)]
thread_local! {
    static TEST_RUN_LEN: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// Makes this thread's imports hold `n` events per run (`None`: the default).
#[cfg(test)]
pub(crate) fn set_run_len(n: Option<usize>) {
    TEST_RUN_LEN.set(n);
}

/// The merge's read buffers, shared out between the spilled runs.
const MERGE_BUFFERS: usize = 8 << 20;

/// Bytes of a record in the file without money: person, time, event,
/// channel, and which amounts follow.
const RECORD: usize = 4 + 8 + 4 + 4 + 1;
const HAS_COST: u8 = 1;
const HAS_REVENUE: u8 = 2;

/// One event, as the merge gives them: in (person, time) order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Sorted {
    pub person: u32,
    pub time_ms: i64,
    pub event: u32,
    pub channel: u32,
    pub cost: f64,
    pub revenue: f64,
}

/// An event held in memory; its money apart, since few events have any.
#[derive(Clone, Copy)]
struct Held {
    time_ms: i64,
    person: u32,
    event: u32,
    channel: u32,
    /// Its place in the run's input, with `HAS_MONEY` set when it has money.
    seq: u32,
}

const HAS_MONEY: u32 = 1 << 31;

impl Held {
    fn money(&self, money: &[(u32, f64, f64)]) -> (f64, f64) {
        if self.seq & HAS_MONEY == 0 {
            return (0.0, 0.0);
        }
        let at = money
            .binary_search_by_key(&(self.seq & !HAS_MONEY), |m| m.0)
            .expect("money kept for each event flagged");
        (money[at].1, money[at].2)
    }
}

/// Takes events in input order, gives them back sorted (`finish`).
pub(crate) struct Sorter {
    run_len: usize,
    held: Vec<Held>,
    /// Where a run is sorted into, pass by pass.
    scratch: Vec<Held>,
    /// (place in the run, cost, revenue) of the events with money.
    money: Vec<(u32, f64, f64)>,
    /// Where the file of spilled runs goes, once there is more than one run.
    dir: PathBuf,
    spill: Option<Spill>,
    len: u64,
    has_cost: bool,
    has_revenue: bool,
}

/// The file of sorted runs, each a byte range of it.
struct Spill {
    file: File,
    path: PathBuf,
    runs: Vec<(u64, u64)>,
    end: u64,
}

impl Sorter {
    /// A sorter holding `run_len` events at a time, spilling the rest into a
    /// file in `dir`.
    pub fn new(dir: &Path, run_len: usize) -> Sorter {
        let run_len = run_len.clamp(1, HAS_MONEY as usize - 1);
        Sorter {
            run_len,
            held: Vec::new(),
            scratch: Vec::new(),
            money: Vec::new(),
            dir: dir.to_path_buf(),
            spill: None,
            len: 0,
            has_cost: false,
            has_revenue: false,
        }
    }

    /// Where runs are spilled.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Events held per run.
    pub fn run_len(&self) -> usize {
        self.run_len
    }

    /// Events taken so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether some event has a cost (other than 0), and some a revenue.
    pub fn has_money(&self) -> (bool, bool) {
        (self.has_cost, self.has_revenue)
    }

    pub fn push(
        &mut self,
        person: u32,
        time_ms: i64,
        event: u32,
        channel: u32,
        cost: f64,
        revenue: f64,
    ) -> io::Result<()> {
        if self.held.len() == self.run_len {
            self.spill_run()?;
        }
        let mut seq = self.held.len() as u32;
        if cost != 0.0 || revenue != 0.0 {
            self.has_cost |= cost != 0.0;
            self.has_revenue |= revenue != 0.0;
            self.money.push((seq, cost, revenue));
            seq |= HAS_MONEY;
        }
        if self.held.capacity() == 0 {
            self.held.reserve_exact(self.run_len.min(1 << 16));
        }
        self.held.push(Held {
            time_ms,
            person,
            event,
            channel,
            seq,
        });
        self.len += 1;
        Ok(())
    }

    /// Sorts the run held and appends it to the file.
    fn spill_run(&mut self) -> io::Result<()> {
        sort_run(&mut self.held, &mut self.scratch);
        if self.spill.is_none() {
            self.spill = Some(Spill::create(&self.dir)?);
        }
        let spill = self.spill.as_mut().expect("just made");
        let named = |e: io::Error| named(&spill.path, e);
        let start = spill.end;
        let mut out = BufWriter::with_capacity(1 << 20, &spill.file);
        for h in &self.held {
            let mut rec = [0u8; RECORD + 16];
            rec[0..4].copy_from_slice(&h.person.to_le_bytes());
            rec[4..12].copy_from_slice(&h.time_ms.to_le_bytes());
            rec[12..16].copy_from_slice(&h.event.to_le_bytes());
            rec[16..20].copy_from_slice(&h.channel.to_le_bytes());
            let mut len = RECORD;
            if h.seq & HAS_MONEY != 0 {
                let (cost, revenue) = h.money(&self.money);
                for (flag, v) in [(HAS_COST, cost), (HAS_REVENUE, revenue)] {
                    if v != 0.0 {
                        rec[20] |= flag;
                        rec[len..len + 8].copy_from_slice(&v.to_le_bytes());
                        len += 8;
                    }
                }
            }
            out.write_all(&rec[..len]).map_err(named)?;
            spill.end += len as u64;
        }
        out.flush().map_err(named)?;
        spill.runs.push((start, spill.end));
        self.held.clear();
        self.money.clear();
        Ok(())
    }

    /// The events in (person, time) order.
    pub fn finish(mut self) -> io::Result<Merge> {
        sort_run(&mut self.held, &mut self.scratch);
        self.scratch = Vec::new();
        let mut merge = Merge {
            spill: None,
            readers: Vec::new(),
            held: std::mem::take(&mut self.held),
            money: std::mem::take(&mut self.money),
            at: 0,
            heads: Vec::new(),
            heap: BinaryHeap::new(),
        };
        let Some(spill) = self.spill.take() else {
            return Ok(merge);
        };
        let buffer = (MERGE_BUFFERS / (spill.runs.len() + 1)).clamp(64 << 10, 1 << 20);
        merge.readers = spill
            .runs
            .iter()
            .map(|&(start, end)| RunReader {
                next: start,
                end,
                buf: vec![0; buffer],
                at: 0,
                filled: 0,
            })
            .collect();
        merge.spill = Some(spill);
        // Sources: the spilled runs in order, then the run held.
        for k in 0..=merge.readers.len() {
            let head = merge.read(k)?;
            merge.heads.push(head.unwrap_or(EMPTY));
            if let Some(s) = head {
                merge.heap.push(Reverse((s.person, s.time_ms, k as u32)));
            }
        }
        Ok(merge)
    }
}

/// Sorts by person and time, stably: events of one person at one time keep
/// their input order. A radix sort on the person (numbers below a few
/// million take two passes), then each person's few events by time: several
/// times faster than a comparison sort of the run.
fn sort_run(held: &mut Vec<Held>, scratch: &mut Vec<Held>) {
    const DIGIT: u32 = 11;
    let Some(max) = held.iter().map(|h| h.person).max() else {
        return;
    };
    scratch.resize(held.len(), held[0]);
    let mut shift = 0;
    while shift < u32::BITS - max.leading_zeros() {
        let digit = |h: &Held| (h.person >> shift) as usize & ((1 << DIGIT) - 1);
        let mut starts = [0usize; 1 << DIGIT];
        held.iter().for_each(|h| starts[digit(h)] += 1);
        let mut at = 0;
        for s in starts.iter_mut() {
            (*s, at) = (at, at + *s);
        }
        for h in held.iter() {
            let d = digit(h);
            scratch[starts[d]] = *h;
            starts[d] += 1;
        }
        std::mem::swap(held, scratch);
        shift += DIGIT;
    }
    for same_person in held.chunk_by_mut(|a, b| a.person == b.person) {
        if same_person.len() > 1 {
            same_person.sort_by_key(|h| h.time_ms);
        }
    }
}

fn named(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("sorting events in the temporary file {}: {e}", path.display()),
    )
}

impl Spill {
    fn create(dir: &Path) -> io::Result<Spill> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".journeymap-sort-{}-{n}.tmp", std::process::id()));
        let mut options = OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(windows)]
        {
            use std::os::windows::fs::OpenOptionsExt;
            // FILE_FLAG_DELETE_ON_CLOSE: gone when the handle closes, however.
            options.custom_flags(0x0400_0000);
        }
        let file = options.open(&path).map_err(|e| named(&path, e))?;
        #[cfg(unix)]
        std::fs::remove_file(&path).map_err(|e| named(&path, e))?;
        Ok(Spill {
            file,
            path,
            runs: Vec::new(),
            end: 0,
        })
    }
}

/// Reads one spilled run through its own buffer.
struct RunReader {
    /// The file offset of the next bytes to read, and the run's end.
    next: u64,
    end: u64,
    buf: Vec<u8>,
    at: usize,
    filled: usize,
}

impl RunReader {
    fn read(&mut self, file: &File) -> io::Result<Option<Sorted>> {
        if self.filled - self.at < RECORD + 16 && self.next < self.end {
            self.buf.copy_within(self.at..self.filled, 0);
            self.filled -= self.at;
            self.at = 0;
            let want = (self.buf.len() - self.filled).min((self.end - self.next) as usize);
            read_exact_at(file, &mut self.buf[self.filled..self.filled + want], self.next)?;
            self.next += want as u64;
            self.filled += want;
        }
        let rest = &self.buf[self.at..self.filled];
        if rest.is_empty() {
            return Ok(None);
        }
        let short = || io::Error::new(io::ErrorKind::UnexpectedEof, "a record is cut short");
        let head = rest.get(..RECORD).ok_or_else(short)?;
        let word = |at: usize| u32::from_le_bytes(head[at..at + 4].try_into().expect("4 bytes"));
        let mut s = Sorted {
            person: word(0),
            time_ms: i64::from_le_bytes(head[4..12].try_into().expect("8 bytes")),
            event: word(12),
            channel: word(16),
            cost: 0.0,
            revenue: 0.0,
        };
        let flags = head[20];
        let mut len = RECORD;
        for (flag, v) in [(HAS_COST, &mut s.cost), (HAS_REVENUE, &mut s.revenue)] {
            if flags & flag != 0 {
                let bits = rest.get(len..len + 8).ok_or_else(short)?;
                *v = f64::from_le_bytes(bits.try_into().expect("8 bytes"));
                len += 8;
            }
        }
        self.at += len;
        Ok(Some(s))
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

const EMPTY: Sorted = Sorted {
    person: 0,
    time_ms: 0,
    event: 0,
    channel: 0,
    cost: 0.0,
    revenue: 0.0,
};

/// The sorted events, one at a time (`next`).
pub(crate) struct Merge {
    spill: Option<Spill>,
    readers: Vec<RunReader>,
    /// The last run, sorted in memory: the source after the spilled ones.
    held: Vec<Held>,
    money: Vec<(u32, f64, f64)>,
    at: usize,
    /// Each source's next event, and the sources by it (ties: the earlier source).
    heads: Vec<Sorted>,
    heap: BinaryHeap<Reverse<(u32, i64, u32)>>,
}

impl Merge {
    pub fn next(&mut self) -> io::Result<Option<Sorted>> {
        if self.readers.is_empty() {
            return Ok(self.next_held());
        }
        let Some(mut top) = self.heap.peek_mut() else {
            return Ok(None);
        };
        let k = top.0.2 as usize;
        let out = self.heads[k];
        match Self::read_from(&mut self.readers, &self.spill, &self.held, &self.money, &mut self.at, k)? {
            Some(s) => {
                self.heads[k] = s;
                *top = Reverse((s.person, s.time_ms, k as u32));
            }
            None => {
                std::collections::binary_heap::PeekMut::pop(top);
            }
        }
        Ok(Some(out))
    }

    fn read(&mut self, k: usize) -> io::Result<Option<Sorted>> {
        Self::read_from(&mut self.readers, &self.spill, &self.held, &self.money, &mut self.at, k)
    }

    /// Source `k`'s next event.
    fn read_from(
        readers: &mut [RunReader],
        spill: &Option<Spill>,
        held: &[Held],
        money: &[(u32, f64, f64)],
        at: &mut usize,
        k: usize,
    ) -> io::Result<Option<Sorted>> {
        match readers.get_mut(k) {
            Some(r) => {
                let spill = spill.as_ref().expect("spilled runs have a file");
                r.read(&spill.file).map_err(|e| named(&spill.path, e))
            }
            None => Ok(take_held(held, money, at)),
        }
    }

    fn next_held(&mut self) -> Option<Sorted> {
        take_held(&self.held, &self.money, &mut self.at)
    }
}

fn take_held(held: &[Held], money: &[(u32, f64, f64)], at: &mut usize) -> Option<Sorted> {
    let h = held.get(*at)?;
    *at += 1;
    let (cost, revenue) = h.money(money);
    Some(Sorted {
        person: h.person,
        time_ms: h.time_ms,
        event: h.event,
        channel: h.channel,
        cost,
        revenue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_util::temp_dir;

    /// Events with many ties of person and time, money on some.
    fn events(n: usize, seed: u64) -> Vec<Sorted> {
        let mut s = seed;
        (0..n)
            .map(|i| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let r = s >> 24;
                Sorted {
                    person: (r % 53) as u32,
                    time_ms: ((r >> 8) % 30) as i64 - 10,
                    event: i as u32,
                    channel: (r >> 20) as u32 % 5,
                    cost: if r.is_multiple_of(7) { 1.5 } else { 0.0 },
                    revenue: if r.is_multiple_of(5) { -2.25 } else { 0.0 },
                }
            })
            .collect()
    }

    fn sorted(dir: &Path, input: &[Sorted], run_len: usize) -> Vec<Sorted> {
        let mut sorter = Sorter::new(dir, run_len);
        for e in input {
            sorter
                .push(e.person, e.time_ms, e.event, e.channel, e.cost, e.revenue)
                .unwrap();
        }
        assert_eq!(sorter.len(), input.len() as u64);
        let mut merge = sorter.finish().unwrap();
        let mut out = Vec::new();
        while let Some(e) = merge.next().unwrap() {
            out.push(e);
        }
        out
    }

    #[test]
    fn runs_merge_into_one_stable_order() {
        let dir = temp_dir("sorter-merge");
        // Person numbers of one radix digit, and of three.
        for spread in [1, 100_003] {
            let mut input = events(5000, 3);
            input.iter_mut().for_each(|e| e.person *= spread);
            let mut want = input.clone();
            want.sort_by_key(|e| (e.person, e.time_ms));
            // Event numbers are input positions: equal keys must keep them rising.
            for run_len in [1, 7, 64, 999, 5000, 100_000] {
                assert_eq!(
                    sorted(&dir, &input, run_len),
                    want,
                    "runs of {run_len}, spread {spread}"
                );
            }
        }
        assert!(sorted(&dir, &[], 4).is_empty());
    }

    #[test]
    fn the_spill_file_is_gone_while_in_use_and_after() {
        let dir = temp_dir("sorter-file");
        let mut sorter = Sorter::new(&dir, 10);
        for e in events(100, 4) {
            sorter
                .push(e.person, e.time_ms, e.event, e.channel, e.cost, e.revenue)
                .unwrap();
        }
        let listed = || std::fs::read_dir(&dir).unwrap().count();
        assert!(sorter.spill.as_ref().is_some_and(|s| s.end > 0), "runs were spilled");
        if cfg!(unix) {
            assert_eq!(listed(), 0, "unlinked while open");
        }
        drop(sorter);
        assert_eq!(listed(), 0);
    }

    #[test]
    fn an_unwritable_directory_is_named_in_the_error() {
        let dir = temp_dir("sorter-missing").join("gone");
        let mut sorter = Sorter::new(&dir, 2);
        let mut result = Ok(());
        for e in events(3, 5) {
            result = result.and(sorter.push(e.person, e.time_ms, e.event, e.channel, e.cost, e.revenue));
        }
        let message = result.unwrap_err().to_string();
        assert!(
            message.contains("temporary file") && message.contains("gone"),
            "{message}"
        );
    }
}
