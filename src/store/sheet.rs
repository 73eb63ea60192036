//! Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) as records for the
//! importer, one sheet at a time.
//!
//! Cells become the text a CSV export of the sheet would hold, so they go
//! through the same row parser: date cells become zone-less ISO times (read
//! in the import's `--tz`, as CSV times are), numbers their shortest exact
//! decimal form, text stays as written. A row's number is its row in the
//! sheet, as the spreadsheet program shows it.
//!
//! The content hash is of the file's bytes and the sheet's name, and the
//! path an import is known by includes the sheet: importing another sheet
//! of the same workbook is a new import, importing the same sheet again is
//! caught as for CSV files. Workbooks are zip archives rewritten whole on
//! save, so a longer workbook is never "the old one with rows added".

use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use calamine::{Data, Range, Reader, Sheets};
use csv::StringRecord;
use rusqlite::TransactionBehavior;

use super::StoreError;
use super::dialect::Dialect;
use super::hash::Xxh64;
use super::import::{
    ImportOptions, ImportSummary, PROGRESS_EVERY, Prior, Progress, Sink, Source, Started, begin_import, check_earlier,
    finish_import, with_fk_checks_off,
};
use super::preview::Preview;
use super::schema::Database;
use super::target::{Events, Target};

const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` names a spreadsheet (by its extension).
pub fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The first rows of one sheet, and the workbook's sheets, for the import dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetPreview {
    pub preview: Preview,
    /// All sheets, in workbook order.
    pub sheets: Vec<String>,
    /// The sheet shown.
    pub sheet: String,
}

/// A workbook read into memory with its sheets listed.
struct Workbook {
    bytes: Vec<u8>,
    sheets: Vec<String>,
}

impl Workbook {
    fn open(path: &Path) -> Result<Workbook, StoreError> {
        let bytes = std::fs::read(path).map_err(StoreError::io(path))?;
        let sheets = open(path, &bytes)?.sheet_names();
        Ok(Workbook { bytes, sheets })
    }

    /// `wanted`, or the first sheet.
    fn pick(&self, path: &Path, wanted: Option<&str>) -> Result<String, StoreError> {
        let problem = match wanted {
            None => match self.sheets.first() {
                Some(first) => return Ok(first.clone()),
                None => "the workbook has no sheets".to_owned(),
            },
            Some(name) => {
                if let Some(s) = self.sheets.iter().find(|s| *s == name) {
                    return Ok(s.clone());
                }
                if let Some(s) = self.sheets.iter().find(|s| s.eq_ignore_ascii_case(name)) {
                    return Ok(s.clone());
                }
                format!(
                    "no sheet '{name}'; the sheets are: {}",
                    self.sheets
                        .iter()
                        .map(|s| format!("'{s}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        };
        Err(StoreError::Sheet {
            file: path.to_path_buf(),
            problem,
        })
    }

    fn range(&self, path: &Path, sheet: &str) -> Result<Range<Data>, StoreError> {
        open(path, &self.bytes)?
            .worksheet_range(sheet)
            .map_err(|e| StoreError::Sheet {
                file: path.to_path_buf(),
                problem: format!("sheet '{sheet}' cannot be read: {e}"),
            })
    }
}

fn open<'b>(path: &Path, bytes: &'b [u8]) -> Result<Sheets<Cursor<&'b [u8]>>, StoreError> {
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| StoreError::Sheet {
        file: path.to_path_buf(),
        problem: format!("not a spreadsheet Journeymap can read (.xlsx, .xls, .ods): {e}"),
    })
}

/// The sheets of a workbook, in order.
pub fn sheet_names(path: &Path) -> Result<Vec<String>, StoreError> {
    Ok(Workbook::open(path)?.sheets)
}

/// The header and first `n` rows of `sheet` (the first when `None`), the
/// header found after `skip` rows, or where it looks to be.
pub fn preview_sheet(
    path: &Path,
    sheet: Option<&str>,
    n: usize,
    skip: Option<u64>,
) -> Result<SheetPreview, StoreError> {
    let book = Workbook::open(path)?;
    let name = book.pick(path, sheet)?;
    let range = book.range(path, &name)?;
    let mut rows = SheetRows::new(&range);
    let Some((header, header_row)) = rows.header(skip) else {
        return Err(StoreError::EmptyFile {
            file: path.to_path_buf(),
        });
    };
    let mut rec = StringRecord::new();
    let (mut texts, mut lines) = (Vec::new(), Vec::new());
    while texts.len() < n
        && let Some(line) = rows.next(&mut rec)
    {
        texts.push(rec.iter().map(|f| f.trim().to_owned()).collect());
        lines.push(line);
    }
    let guessed = super::columns::guess_mapping(&header);
    Ok(SheetPreview {
        preview: Preview {
            header,
            rows: texts,
            lines,
            guessed,
            total_bytes: book.bytes.len() as u64,
            warning: None,
            dialect: Dialect::default(),
            skipped_lines: header_row - 1,
        },
        sheets: book.sheets,
        sheet: name,
    })
}

/// Imports one sheet (`options.sheet`, else the first) of a workbook of events.
pub fn import_sheet(
    db: &mut Database,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    import_sheet_into(db, path, options, &mut Events::new(options), progress, cancel)
}

/// Imports one sheet of a workbook as `target`'s rows.
pub(crate) fn import_sheet_into(
    db: &mut Database,
    path: &Path,
    options: &ImportOptions,
    target: &mut dyn Target,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    let started = Instant::now();
    let book = Workbook::open(path)?;
    let sheet = book.pick(path, options.sheet.as_deref())?;
    let mut hash = Xxh64::new(0);
    hash.update(&book.bytes);
    hash.update(b"\0sheet\0");
    hash.update(sheet.as_bytes());
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let source = Source {
        path,
        path_key: format!("{}#{sheet}", key.to_string_lossy()),
        hash: hash.finish(),
        size: book.bytes.len() as u64,
        started,
        prefixes: Vec::new(),
        sheet: Some(sheet.clone()),
        // Cells are values; text cells holding money ("12,50 zł") are read
        // with the decimal mark asked for.
        dialect: Dialect {
            decimal_comma: options.dialect.decimal_comma.unwrap_or(false),
            ..Dialect::default()
        },
    };
    let range = book.range(path, &sheet)?;
    with_fk_checks_off(db, |db| {
        import_range(db, &source, &range, options, target, progress, cancel)
    })
}

fn import_range(
    db: &mut Database,
    source: &Source,
    range: &Range<Data>,
    options: &ImportOptions,
    target: &mut dyn Target,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportSummary, StoreError> {
    let db_path = db.path().to_path_buf();
    let sql = |what| StoreError::sqlite(&db_path, what);
    let file = source.path;
    let cancelled = || StoreError::Cancelled {
        file: file.to_path_buf(),
    };
    let tx = db
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql("starting the import"))?;
    let Prior { replaced, .. } = check_earlier(&tx, source, options, &db_path)?;
    let mut rows = SheetRows::new(range);
    let Some((header, header_row)) = rows.header(options.dialect.skip_lines) else {
        return Err(StoreError::EmptyFile {
            file: file.to_path_buf(),
        });
    };
    let Started {
        import_id,
        max_id_before,
        mut summary,
    } = begin_import(&tx, source, target, &header, None, replaced, &db_path)?;
    summary.skipped_lines = header_row - 1;
    let total_rows = range.height() as u64;
    {
        let mut sink = Sink::new(&tx, target, import_id, options.strict, file, &db_path)?;
        let mut rec = StringRecord::new();
        let mut records = 0u64;
        while let Some(line) = rows.next(&mut rec) {
            records += 1;
            sink.take(&rec, line, || raw_text(&rec), &mut summary)?;
            if records.is_multiple_of(PROGRESS_EVERY) {
                progress(Progress {
                    bytes_read: source.size * records / total_rows.max(1),
                    total_bytes: source.size,
                    rows: records,
                });
                if cancel.load(Ordering::Relaxed) {
                    return Err(cancelled());
                }
            }
        }
        sink.finish(&mut summary)?;
        progress(Progress {
            bytes_read: source.size,
            total_bytes: source.size,
            rows: records,
        });
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
    }
    finish_import(tx, source, options, summary, import_id, max_id_before, &db_path)
}

/// A rejected row as stored: its cells as one CSV line.
fn raw_text(rec: &StringRecord) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(rec);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).trim_end_matches('\n').to_owned()
}

/// The rows of a sheet's used range as records of text.
struct SheetRows<'r> {
    range: &'r Range<Data>,
    /// The sheet row (1-based) of the range's first row.
    first_row: u64,
    next: usize,
    width: usize,
}

impl<'r> SheetRows<'r> {
    fn new(range: &'r Range<Data>) -> Self {
        SheetRows {
            range,
            first_row: range.start().map_or(1, |(r, _)| u64::from(r) + 1),
            next: 0,
            width: range.width(),
        }
    }

    /// The header, trimmed, and its row: the first filled row after `skip`
    /// rows of the sheet, or where the header looks to be (after a title);
    /// `None` for an empty sheet.
    fn header(&mut self, skip: Option<u64>) -> Option<(Vec<String>, u64)> {
        let mut rec = StringRecord::new();
        let skip = match skip {
            Some(n) => n,
            None => {
                let mut probe = SheetRows::new(self.range);
                let mut rows: Vec<Vec<String>> = Vec::new();
                while rows.len() < 200
                    && let Some(_) = probe.next(&mut rec)
                {
                    rows.push(rec.iter().map(str::to_owned).collect());
                }
                self.first_row - 1 + super::header::rows_before_header(&rows) as u64
            }
        };
        loop {
            let row = self.next(&mut rec)?;
            if row > skip && rec.iter().any(|c| !c.trim().is_empty()) {
                return Some((rec.iter().map(|h| h.trim().to_owned()).collect(), row));
            }
        }
    }

    /// The next row into `rec`, and its row number in the sheet.
    fn next(&mut self, rec: &mut StringRecord) -> Option<u64> {
        let i = self.next;
        if i >= self.range.height() {
            return None;
        }
        self.next += 1;
        rec.clear();
        let mut text = String::new();
        for c in 0..self.width {
            text.clear();
            if let Some(cell) = self.range.get((i, c)) {
                cell_text(cell, &mut text);
            }
            rec.push_field(&text);
        }
        Some(self.first_row + i as u64)
    }
}

/// A cell as the text of a CSV field.
fn cell_text(cell: &Data, out: &mut String) {
    use std::fmt::Write;
    match cell {
        Data::Empty => {}
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        // Rust prints the shortest text that reads back as the same number.
        Data::Float(f) => {
            let _ = write!(out, "{f}");
        }
        Data::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) => match d.as_datetime().filter(|_| d.is_datetime()) {
            Some(t) => {
                let _ = write!(out, "{}", t.format("%Y-%m-%dT%H:%M:%S%.3f"));
            }
            None => {
                let _ = write!(out, "{}", d.as_f64());
            }
        },
        Data::Error(e) => {
            let _ = write!(out, "{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_csv_fields() {
        let text = |cell: Data| {
            let mut s = String::new();
            cell_text(&cell, &mut s);
            s
        };
        assert_eq!(text(Data::Float(12.5)), "12.5");
        assert_eq!(text(Data::Float(0.1 + 0.2)).parse::<f64>().unwrap(), 0.1 + 0.2);
        assert_eq!(text(Data::Float(1001.0)), "1001");
        assert_eq!(text(Data::Int(-3)), "-3");
        assert_eq!(text(Data::String(" Łódź ".into())), " Łódź ");
        assert_eq!(text(Data::Empty), "");
        // 45413.5 is 2024-05-01 12:00 in Excel's 1900 date system.
        let d = calamine::ExcelDateTime::new(45413.5, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(text(Data::DateTime(d)), "2024-05-01T12:00:00.000");
    }

    #[test]
    fn spreadsheets_are_told_by_extension() {
        assert!(is_spreadsheet(Path::new("a/Book1.XLSX")));
        assert!(is_spreadsheet(Path::new("b.ods")));
        assert!(!is_spreadsheet(Path::new("c.csv")));
        assert!(!is_spreadsheet(Path::new("xlsx")));
    }
}
