//! Where the header is. Reports downloaded from ad platforms start with a
//! title block before the header (Google Ads: the report's name, then its
//! date range); such lines are skipped, and rows keep their line numbers.
//!
//! The header is the first row that has as many fields as most rows have,
//! mostly filled, with names rather than numbers or dates in its cells (the
//! first row need not have names: it is the header when it fits the
//! bulk), or the first row with the columns of a known export (a preset).

use super::presets::suggest_preset;

/// Rows looked at for the header.
const SEARCHED: usize = 30;

/// How many rows come before the header, given the first rows of a file
/// split into cells (blank rows included, as empty rows).
pub(crate) fn rows_before_header(rows: &[Vec<String>]) -> usize {
    let rows = &rows[..rows.len().min(200)];
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count();
    // A preset's header is known by name.
    let known = rows.iter().take(SEARCHED).position(|r| {
        filled(r) >= 2 && suggest_preset(&r.iter().map(|c| c.trim().to_owned()).collect::<Vec<_>>()).is_some()
    });
    if let Some(i) = known {
        return i;
    }
    let Some(bulk) = modal_width(rows) else { return 0 };
    let fits = |r: &Vec<String>| r.len() == bulk && filled(r) >= 2 && filled(r) * 2 > r.len();
    if rows.iter().find(|r| filled(r) > 0).is_none_or(fits) {
        return rows.iter().position(|r| filled(r) > 0).unwrap_or(0);
    }
    rows.iter()
        .take(SEARCHED)
        .position(|r| fits(r) && r.iter().all(|c| looks_like_name(c.trim())))
        .unwrap_or(0)
}

/// The commonest number of fields among rows with more than one.
fn modal_width(rows: &[Vec<String>]) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for r in rows.iter().filter(|r| r.len() > 1) {
        match counts.iter_mut().find(|(w, _)| *w == r.len()) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.len(), 1)),
        }
    }
    // Ties go to the wider: a title line padded short is rarer than data.
    counts.into_iter().max_by_key(|&(w, n)| (n, w)).map(|(w, _)| w)
}

/// A column name: empty, or text with letters that is not a date.
fn looks_like_name(cell: &str) -> bool {
    if cell.is_empty() {
        return true;
    }
    let letters = cell.chars().filter(|c| c.is_alphabetic()).count();
    let digits = cell.chars().filter(|c| c.is_ascii_digit()).count();
    letters > 0 && digits < 4 && super::timestamp::parse_timestamp(cell, &super::timestamp::Zone::Utc).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| {
                if l.is_empty() {
                    Vec::new()
                } else {
                    l.split(',').map(str::to_owned).collect()
                }
            })
            .collect()
    }

    #[test]
    fn a_plain_file_starts_with_its_header() {
        assert_eq!(rows_before_header(&rows("a,b,c\n1,2,3\n4,5,6\n")), 0);
        // Numbers as names, and a header alone, are still the header.
        assert_eq!(rows_before_header(&rows("id,2023,2024\nx,1,2\n")), 0);
        assert_eq!(rows_before_header(&rows("person_id,timestamp,event\n")), 0);
        assert_eq!(rows_before_header(&[]), 0);
        // Blank lines before the header are before it.
        assert_eq!(rows_before_header(&rows("\n\na,b\n1,2\n")), 2);
    }

    #[test]
    fn a_title_block_is_skipped() {
        // Google Ads: the report's name and its date range, then the header.
        let ads = "Campaign performance\nMay 1 2024 - May 31 2024\nDay,Campaign,Cost,Impressions,Clicks\n\
                   2024-05-01,Brand,12.50,1000,10\n2024-05-02,Brand,13.50,1100,11\n";
        assert_eq!(rows_before_header(&rows(ads)), 2);
        // Padded to the full width by a spreadsheet program, and with blank lines.
        let padded = "Report,,,\nMay 2024,,,\n\nday,channel,cost,clicks\n2024-05-01,x,1,2\n2024-05-02,y,1,2\n";
        assert_eq!(rows_before_header(&rows(padded)), 3);
        // A preset's header is recognised even with one row under it.
        let short = "All campaigns\nDay,Campaign,Cost\n2024-05-01,Brand,12.50\nTotal,,1\n";
        assert_eq!(rows_before_header(&rows(short)), 1);
    }

    #[test]
    fn a_file_without_a_header_like_row_is_left_alone() {
        assert_eq!(rows_before_header(&rows("Export\n1,2,3\n4,5,6\n")), 0);
    }
}
