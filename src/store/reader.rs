//! The bytes under the CSV parser. `RawReader` sits between the file and
//! `csv::Reader` and, in one pass over the bytes:
//!
//! - drops a UTF-8 byte-order mark at the start (the csv crate keeps it, and
//!   it would end up in the first column's name);
//! - hashes every byte of the file (BOM included), to notice a file that
//!   changed after it was hashed;
//! - keeps the bytes from the start of the current record, so a rejected
//!   row can be stored exactly as written;
//! - stops with an error when one record grows past a limit (an unclosed
//!   quote would otherwise pull the whole rest of the file into memory).
//!
//! A file in another encoding than UTF-8 is decoded here, in pieces, so
//! the parser always sees UTF-8 and memory stays flat; the hash and the
//! file's byte count stay those of the bytes on disk.
//!
//! Offsets are in the stream the parser sees, i.e. after the BOM (and
//! after decoding).

use std::io::{self, Read};

use super::hash::Xxh64;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Bytes of consumed records kept before the window is compacted.
const SLACK: u64 = 256 * 1024;

pub(crate) struct RawReader<R> {
    inner: R,
    hasher: Xxh64,
    /// Bytes read ahead to look for a BOM, not yet handed on.
    pending: Vec<u8>,
    pending_at: usize,
    /// Bytes from stream offset `window_start` to `stream_pos`.
    window: Vec<u8>,
    window_start: u64,
    stream_pos: u64,
    /// Where the record being parsed starts.
    record_start: u64,
    file_bytes: u64,
    /// 3 when the file starts with a byte-order mark, else 0.
    bom: u64,
    limit: usize,
    too_large: bool,
    decode: Option<Decoding>,
}

/// The state of decoding a non-UTF-8 file.
struct Decoding {
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    out_at: usize,
    eof: bool,
    /// A file offset whose stream offset is wanted (an earlier import's
    /// size), and that stream offset once decoding has reached it.
    mark: Option<u64>,
    mark_at: Option<u64>,
}

/// Bytes of the file decoded at a time.
const DECODE_CHUNK: usize = 64 * 1024;

impl<R: Read> RawReader<R> {
    pub fn new(mut inner: R, record_limit: usize) -> io::Result<Self> {
        let mut head = Vec::with_capacity(3);
        (&mut inner).take(3).read_to_end(&mut head)?;
        let mut hasher = Xxh64::new(0);
        hasher.update(&head);
        let file_bytes = head.len() as u64;
        let bom = if head == BOM { BOM.len() as u64 } else { 0 };
        if bom > 0 {
            head.clear();
        }
        Ok(RawReader {
            inner,
            hasher,
            pending: head,
            pending_at: 0,
            window: Vec::new(),
            window_start: 0,
            stream_pos: 0,
            record_start: 0,
            file_bytes,
            bom,
            limit: record_limit,
            too_large: false,
            decode: None,
        })
    }

    /// A reader that decodes `inner` from `encoding` (its byte-order mark
    /// dropped). `mark`: a file offset `stream_offset` will be asked about.
    pub fn decoding(
        inner: R,
        record_limit: usize,
        encoding: &'static encoding_rs::Encoding,
        mark: Option<u64>,
    ) -> Self {
        RawReader {
            inner,
            hasher: Xxh64::new(0),
            pending: Vec::new(),
            pending_at: 0,
            window: Vec::new(),
            window_start: 0,
            stream_pos: 0,
            record_start: 0,
            file_bytes: 0,
            bom: 0,
            limit: record_limit,
            too_large: false,
            decode: Some(Decoding {
                decoder: encoding.new_decoder_with_bom_removal(),
                input: Vec::new(),
                output: Vec::new(),
                out_at: 0,
                eof: false,
                mark,
                mark_at: None,
            }),
        }
    }

    /// The parser is about to read the record that starts at `offset`:
    /// earlier bytes are no longer needed.
    pub fn start_record(&mut self, offset: u64) {
        self.record_start = offset;
        if offset >= self.window_start + SLACK {
            let drop = (offset - self.window_start).min(self.window.len() as u64);
            self.window.drain(..drop as usize);
            self.window_start += drop;
        }
    }

    /// The bytes of `start..end` (stream offsets), as far as still held.
    pub fn raw(&self, start: u64, end: u64) -> &[u8] {
        let from = start.saturating_sub(self.window_start).min(self.window.len() as u64) as usize;
        let to = end.saturating_sub(self.window_start).min(self.window.len() as u64) as usize;
        &self.window[from..to.max(from)]
    }

    /// Bytes of the file read so far (BOM included).
    pub fn file_bytes(&self) -> u64 {
        self.file_bytes
    }

    /// The stream offset of byte `at` of the file (the BOM is not streamed).
    /// When decoding, known only for the mark, once decoding has passed it;
    /// until then every byte streamed is before it (`u64::MAX`).
    pub fn stream_offset(&self, at: u64) -> u64 {
        match &self.decode {
            None => at.saturating_sub(self.bom),
            Some(d) if d.mark == Some(at) => d.mark_at.unwrap_or(u64::MAX),
            Some(_) => u64::MAX,
        }
    }

    /// Decodes the next piece of the file into `buf`.
    fn read_decoded(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let d = self.decode.as_mut().expect("decoding");
        loop {
            if d.out_at < d.output.len() {
                let n = (d.output.len() - d.out_at).min(buf.len());
                buf[..n].copy_from_slice(&d.output[d.out_at..d.out_at + n]);
                d.out_at += n;
                return Ok(n);
            }
            if d.eof {
                return Ok(0);
            }
            // Stop a piece at the mark, to know where the mark is decoded to.
            let mut cap = DECODE_CHUNK;
            if let Some(m) = d.mark
                && self.file_bytes < m
            {
                cap = cap.min((m - self.file_bytes) as usize);
            }
            d.input.resize(cap, 0);
            let got = loop {
                match self.inner.read(&mut d.input) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
            d.input.truncate(got);
            self.hasher.update(&d.input);
            self.file_bytes += got as u64;
            let last = got == 0;
            let need = d.decoder.max_utf8_buffer_length(got).unwrap_or(got * 3 + 16);
            d.output.resize(need, 0);
            let (_, _, written, _) = d.decoder.decode_to_utf8(&d.input, &mut d.output, last);
            d.output.truncate(written);
            d.out_at = 0;
            d.eof = last;
            if d.mark == Some(self.file_bytes) && d.mark_at.is_none() {
                d.mark_at = Some(self.stream_pos + written as u64);
            }
        }
    }

    /// The hash of the bytes read so far.
    pub fn hash(&self) -> &Xxh64 {
        &self.hasher
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Whether the last error was the record limit.
    pub fn too_large(&self) -> bool {
        self.too_large
    }
}

impl<R: Read> Read for RawReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = if self.decode.is_some() {
            self.read_decoded(buf)?
        } else if self.pending_at < self.pending.len() {
            let n = (self.pending.len() - self.pending_at).min(buf.len());
            buf[..n].copy_from_slice(&self.pending[self.pending_at..self.pending_at + n]);
            self.pending_at += n;
            n
        } else {
            let n = self.inner.read(buf)?;
            self.hasher.update(&buf[..n]);
            self.file_bytes += n as u64;
            n
        };
        if self.stream_pos + n as u64 - self.record_start > self.limit as u64 {
            self.too_large = true;
            return Err(io::Error::other("record too large"));
        }
        self.window.extend_from_slice(&buf[..n]);
        self.stream_pos += n as u64;
        Ok(n)
    }
}

/// Line numbers of records, counted from the raw bytes. (The csv crate's
/// own count drifts with CRLF line ends and blank lines.)
#[derive(Clone, Copy, Debug)]
pub(crate) struct LineCounter {
    /// The line at the current offset (1-based).
    next: u64,
}

impl Default for LineCounter {
    fn default() -> Self {
        LineCounter { next: 1 }
    }
}

impl LineCounter {
    /// The line a record starts on, given its raw bytes (which may begin
    /// with blank lines the parser skipped).
    pub fn start_of(&self, raw: &[u8]) -> u64 {
        let blank = raw
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|&&b| b == b'\n')
            .count();
        self.next + blank as u64
    }

    /// Moves past a record's raw bytes.
    pub fn advance(&mut self, raw: &[u8]) {
        self.next += raw.iter().filter(|&&b| b == b'\n').count() as u64;
    }
}

/// Hashes a whole stream, checking `keep_going` between chunks. Also gives
/// the hash of the first `cuts[i]` bytes for each cut within the stream
/// (`None` for cuts beyond its end), so a file can be recognised as an
/// earlier one with rows added, in the same single pass.
pub(crate) fn hash_stream(
    mut r: impl Read,
    cuts: &[u64],
    mut keep_going: impl FnMut() -> bool,
) -> io::Result<Option<(Xxh64, Vec<Option<u64>>)>> {
    let mut hasher = Xxh64::new(0);
    let mut at: u64 = 0;
    let mut prefixes = vec![None; cuts.len()];
    let mut buf = vec![0; 1 << 20];
    loop {
        if !keep_going() {
            return Ok(None);
        }
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(Some((hasher, prefixes))),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let end = at + n as u64;
        let mut inside: Vec<(usize, u64)> = cuts
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c > at && c <= end)
            .map(|(i, &c)| (i, c))
            .collect();
        inside.sort_by_key(|&(_, c)| c);
        let mut done = 0;
        for (i, cut) in inside {
            let upto = (cut - at) as usize;
            hasher.update(&buf[done..upto]);
            done = upto;
            prefixes[i] = Some(hasher.finish());
        }
        hasher.update(&buf[done..n]);
        at = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(r: &mut impl Read, chunk: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn drops_the_bom_but_hashes_it() {
        let data = b"\xEF\xBB\xBFa,b\n1,2\n";
        let mut r = RawReader::new(&data[..], 1000).unwrap();
        assert_eq!(read_all(&mut r, 2), b"a,b\n1,2\n");
        assert_eq!(r.file_bytes(), data.len() as u64);
        let mut h = Xxh64::new(0);
        h.update(data);
        assert_eq!(r.hash().finish(), h.finish());
    }

    #[test]
    fn short_files_and_no_bom() {
        for data in [&b""[..], b"a", b"ab", b"abc", b"\xEF\xBB"] {
            let mut r = RawReader::new(data, 1000).unwrap();
            assert_eq!(read_all(&mut r, 1), data);
        }
    }

    #[test]
    fn counts_lines_across_blank_lines_and_crlf() {
        let mut lines = LineCounter::default();
        assert_eq!(lines.start_of(b"h\r\n"), 1);
        lines.advance(b"h\r\n");
        assert_eq!(lines.start_of(b"\r\n\r\na,\"x\r\ny\"\r\n"), 4);
        lines.advance(b"\r\n\r\na,\"x\r\ny\"\r\n");
        assert_eq!(lines.start_of(b"b"), 6);
    }

    #[test]
    fn keeps_the_current_record_and_enforces_the_limit() {
        let data = [b'x'; 100];
        let mut r = RawReader::new(&data[..], 50).unwrap();
        let mut buf = [0; 30];
        r.read_exact(&mut buf).unwrap();
        r.start_record(20);
        assert_eq!(r.raw(20, 30).len(), 10);
        r.read_exact(&mut buf).unwrap();
        let err = r.read_exact(&mut buf).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::Other);
        assert!(r.too_large());
    }

    #[test]
    fn decodes_in_pieces_hashes_the_bytes_on_disk_and_finds_the_mark() {
        // Pieces of 7 bytes split UTF-16 code units and surrogate pairs.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(7);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let text = "a;b\nŁódź;🙂\nHà Nội;x\n".repeat(50);
        let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let first_line = 2 + "a;b\n".encode_utf16().count() as u64 * 2;
        let mut r = RawReader::decoding(Trickle(&utf16), 1 << 20, encoding_rs::UTF_16LE, Some(first_line));
        assert_eq!(r.stream_offset(first_line), u64::MAX, "not reached yet");
        assert_eq!(read_all(&mut r, 5), text.as_bytes());
        assert_eq!(r.stream_offset(first_line), "a;b\n".len() as u64);
        assert_eq!(r.file_bytes(), utf16.len() as u64);
        let mut h = Xxh64::new(0);
        h.update(&utf16);
        assert_eq!(r.hash().finish(), h.finish());

        let polish = "miasto\nŁódź\nŻółć\n";
        let (cp1250, _, _) = encoding_rs::WINDOWS_1250.encode(polish);
        let mut r = RawReader::decoding(Trickle(&cp1250), 1 << 20, encoding_rs::WINDOWS_1250, None);
        assert_eq!(read_all(&mut r, 3), polish.as_bytes());
    }

    #[test]
    fn hashes_prefixes_in_the_same_pass() {
        let data: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        let once = |bytes: &[u8]| {
            let mut h = Xxh64::new(0);
            h.update(bytes);
            h.finish()
        };
        // A reader handing out small pieces, so cuts fall inside and across chunks.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(7);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let pieces = Trickle(&data);
        let cuts = [1000, 1, 3000, 3001, 7, 0];
        let (whole, prefixes) = hash_stream(pieces, &cuts, || true).unwrap().unwrap();
        assert_eq!(whole.finish(), once(&data));
        assert_eq!(
            prefixes,
            [
                Some(once(&data[..1000])),
                Some(once(&data[..1])),
                Some(once(&data)),
                None,
                Some(once(&data[..7])),
                None
            ]
        );
    }
}
