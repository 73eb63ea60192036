//! The first rows of a CSV file, how it is written (detected or forced) and a
//! guessed column mapping, for the import dialog. Reads only as far as it needs.

use std::fs::File;
use std::path::Path;

use csv::ByteRecord;
use serde::Serialize;

use super::StoreError;
use super::columns::{ColumnMapping, guess_mapping};
use super::dialect::{Dialect, DialectChoice};
use super::import::detect_file;
use super::reader::{LineCounter, RawReader};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preview {
    pub header: Vec<String>,
    /// Up to `n` records after the header, as written (trimmed); text that is
    /// not UTF-8 is shown with replacement characters.
    pub rows: Vec<Vec<String>>,
    /// The line each row starts on (the header is line 1).
    pub lines: Vec<u64>,
    pub guessed: ColumnMapping,
    pub total_bytes: u64,
    /// Something the import will stumble on, seen already (bad encoding).
    pub warning: Option<String>,
    /// How the file is read: detected, except what `choice` forced.
    pub dialect: Dialect,
    /// Lines (sheet rows) before the header: a report's title.
    pub skipped_lines: u64,
}

/// Reads the header and the first `n` records of `path`, as `choice` says
/// or as detected.
pub fn preview(path: &Path, n: usize, choice: &DialectChoice) -> Result<Preview, StoreError> {
    let io = StoreError::io;
    let dialect = detect_file(path, choice)?;
    let file = File::open(path).map_err(io(path))?;
    let total_bytes = file.metadata().map_err(io(path))?.len();
    let raw = if dialect.is_utf8() {
        RawReader::new(file, 16 << 20).map_err(io(path))?
    } else {
        RawReader::decoding(file, 16 << 20, dialect.encoding.codec(), None)
    };
    let mut rdr = dialect.csv_reader().from_reader(raw);
    let mut rec = ByteRecord::new();
    let mut warning = None;
    let mut text = |rec: &ByteRecord, line: u64| -> Vec<String> {
        rec.iter()
            .map(|f| match std::str::from_utf8(f) {
                Ok(s) => s.trim().to_owned(),
                Err(_) => {
                    warning.get_or_insert_with(|| {
                        format!(
                            "line {line} is not valid UTF-8: choose the file's encoding above, \
                             or save the file as UTF-8 before importing"
                        )
                    });
                    String::from_utf8_lossy(f).trim().to_owned()
                }
            })
            .collect()
    };
    let read = |rdr: &mut csv::Reader<RawReader<File>>, rec: &mut ByteRecord| {
        rdr.read_byte_record(rec).map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(source) => StoreError::Io {
                path: path.to_path_buf(),
                source,
            },
            other => StoreError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other(format!("{other:?}")),
            },
        })
    };
    let mut counter = LineCounter::default();
    let mut next_line = |rdr: &mut csv::Reader<RawReader<File>>, start: u64| {
        let raw = rdr.get_ref().raw(start, rdr.position().byte());
        let line = counter.start_of(raw);
        counter.advance(raw);
        line
    };
    // The header is the first record after the lines skipped (a title).
    let header_line = loop {
        let start = rdr.position().byte();
        if !read(&mut rdr, &mut rec)? {
            return Err(StoreError::EmptyFile {
                file: path.to_path_buf(),
            });
        }
        let line = next_line(&mut rdr, start);
        if line > dialect.skip_lines {
            break line;
        }
    };
    let header = text(&rec, header_line);
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    loop {
        let start = rdr.position().byte();
        rdr.get_mut().start_record(start);
        if rows.len() >= n || !read(&mut rdr, &mut rec)? {
            break;
        }
        let line = next_line(&mut rdr, start);
        rows.push(text(&rec, line));
        lines.push(line);
    }
    let guessed = guess_mapping(&header);
    Ok(Preview {
        header,
        rows,
        lines,
        guessed,
        total_bytes,
        warning,
        dialect,
        skipped_lines: header_line - 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_util::temp_dir;

    #[test]
    fn shows_the_first_rows_and_guesses() {
        let dir = temp_dir("preview");
        let path = dir.join("ga.csv");
        let csv = "\u{FEFF}user_pseudo_id,event_timestamp,event_name,utm_source,city\r\n\
                   a1,1714557600123456,page_view,google,Hà Nội\r\n\
                   \r\n\
                   a2,1714557600123457,\"sign\r\nup\",,Łódź\r\n\
                   a3,1714557600123458,purchase,email,Wrocław\r\n";
        std::fs::write(&path, csv).unwrap();
        let p = preview(&path, 2, &DialectChoice::default()).unwrap();
        assert_eq!(
            p.header,
            ["user_pseudo_id", "event_timestamp", "event_name", "utm_source", "city"]
        );
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0][4], "Hà Nội");
        assert_eq!(p.rows[1][2], "sign\r\nup");
        assert_eq!(p.lines, [2, 4]);
        assert_eq!(p.guessed.person.as_deref(), Some("user_pseudo_id"));
        assert_eq!(p.guessed.time.as_deref(), Some("event_timestamp"));
        assert_eq!(p.guessed.event.as_deref(), Some("event_name"));
        assert_eq!(p.guessed.channel.as_deref(), Some("utm_source"));
        assert_eq!(p.total_bytes, csv.len() as u64);
        assert_eq!(p.warning, None);

        // 0xB3 is ł in the Central European code pages and ³ in the others.
        std::fs::write(&path, b"id,when,what\nx,2024-05-01,\xB3\n").unwrap();
        let p = preview(&path, 10, &DialectChoice::default()).unwrap();
        assert_eq!(p.rows[0][2], "ł");
        assert_eq!(p.dialect.encoding, crate::store::Encoding::Windows1250);
        let utf8 = DialectChoice {
            encoding: Some(crate::store::Encoding::Utf8),
            ..DialectChoice::default()
        };
        let p = preview(&path, 10, &utf8).unwrap();
        assert_eq!(p.rows[0][2], "\u{FFFD}");
        assert!(p.warning.unwrap().contains("line 2 is not valid UTF-8"));
        std::fs::write(&path, b"").unwrap();
        assert!(matches!(
            preview(&path, 10, &DialectChoice::default()),
            Err(StoreError::EmptyFile { .. })
        ));
    }
}
