//! How a CSV file is written: its encoding, delimiter, quote character and
//! decimal mark, detected from its first bytes or forced by the user.
//!
//! Detection reads a head of the file (`HEAD_BYTES`):
//!
//! - Encoding: a byte-order mark decides (UTF-8, UTF-16 LE or BE). Without
//!   one, every other byte zero is UTF-16, and text that is valid UTF-8 is UTF-8. Anything else is one of the
//!   legacy single-byte code pages, and each candidate's decoding is scored
//!   by the letters it makes: a word counts for the candidate when its
//!   accented letters all belong to one language written in that code page
//!   (Polish, Czech, Slovak, Hungarian, Romanian, German for Windows-1250 and
//!   ISO-8859-2; Western European languages for Windows-1252; Vietnamese for
//!   Windows-1258), and against it when they mix alphabets or are odd
//!   symbols (`³`, `¹`, `¯`). A C1 control character rules a candidate out.
//!   Only letters that the candidates decode differently count. When the
//!   best candidate does not clearly beat another that reads differently,
//!   detection refuses and names the candidates: a file is never read with
//!   a guessed code page that might be wrong.
//! - Delimiter: comma, semicolon, tab or pipe, whichever splits the first
//!   lines (outside quotes) into the same number of fields, most often.
//! - Lines before the header (a report's title block): see `header`.
//! - Quote: `"`, or `'` when fields start with it and `"` is never used.
//! - Decimal comma: with a delimiter other than comma, when fields look like
//!   `12,50` or `1 234,50` and not fewer than fields like `12.50`.

use std::fmt;
use std::io::Read;

use serde::{Serialize, Serializer};

/// How much of a file detection reads.
pub const HEAD_BYTES: usize = 64 * 1024;

/// The encodings a file can be read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1250,
    Windows1252,
    Windows1258,
    Iso8859_2,
}

impl Encoding {
    pub const ALL: [Encoding; 7] = [
        Encoding::Utf8,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
        Encoding::Windows1250,
        Encoding::Windows1252,
        Encoding::Windows1258,
        Encoding::Iso8859_2,
    ];

    /// The legacy code pages detection chooses between, in order of preference
    /// when they read a file the same.
    const LEGACY: [Encoding; 4] = [
        Encoding::Windows1252,
        Encoding::Windows1250,
        Encoding::Windows1258,
        Encoding::Iso8859_2,
    ];

    /// The name used by `--encoding` and in summaries.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1250 => "windows-1250",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Windows1258 => "windows-1258",
            Encoding::Iso8859_2 => "iso-8859-2",
        }
    }

    /// Reads `utf-8`, `UTF8`, `cp1250`, `latin2`, ... (case and dashes ignored).
    pub fn parse(text: &str) -> Option<Encoding> {
        let key: String = text
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Some(match key.as_str() {
            "utf8" => Encoding::Utf8,
            "utf16le" | "utf16" | "unicode" => Encoding::Utf16Le,
            "utf16be" => Encoding::Utf16Be,
            "windows1250" | "cp1250" => Encoding::Windows1250,
            "windows1252" | "cp1252" => Encoding::Windows1252,
            "windows1258" | "cp1258" => Encoding::Windows1258,
            "iso88592" | "latin2" => Encoding::Iso8859_2,
            _ => return None,
        })
    }

    pub(crate) fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            Encoding::Windows1250 => encoding_rs::WINDOWS_1250,
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
            Encoding::Windows1258 => encoding_rs::WINDOWS_1258,
            Encoding::Iso8859_2 => encoding_rs::ISO_8859_2,
        }
    }

    /// Which language's letters make a plausible word in this code page.
    fn alphabets(self) -> &'static [&'static str] {
        match self {
            Encoding::Windows1250 | Encoding::Iso8859_2 => &[
                "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",
                "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ",
                "áäčďéíĺľňóôŕšťúýžÁÄČĎÉÍĹĽŇÓÔŔŠŤÚÝŽ",
                "áéíóöőúüűÁÉÍÓÖŐÚÜŰ",
                "ăâîşţșțĂÂÎŞŢȘȚ",
                "äöüßÄÖÜ",
            ],
            Encoding::Windows1252 => &[
                "àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ",
                "äöüßÄÖÜ",
                "áéíñóúüÁÉÍÑÓÚÜ",
                "àáâãçéêíóôõúÀÁÂÃÇÉÊÍÓÔÕÚ",
                "àèéìíòóùÀÈÉÌÍÒÓÙ",
                "åäöæøéÅÄÖÆØÉ",
                "áéíóúëïöüÁÉÍÓÚËÏÖÜ",
            ],
            // Windows-1258 writes most Vietnamese tones as combining marks.
            Encoding::Windows1258 => &["àáâãèéêìíòóôõùúýăđơư\u{300}\u{301}\u{303}\u{309}\u{323}ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐƠƯ"],
            _ => &[],
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Encoding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// How a file is written: what was detected, or forced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Dialect {
    pub encoding: Encoding,
    #[serde(serialize_with = "as_char")]
    pub delimiter: u8,
    #[serde(serialize_with = "as_char")]
    pub quote: u8,
    /// Cost and revenue are written `12,50` (with a space, `.` or no
    /// thousands separator).
    pub decimal_comma: bool,
    /// Lines before the header (a report's title), skipped.
    pub skip_lines: u64,
}

fn as_char<S: Serializer>(b: &u8, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_char(*b as char)
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            encoding: Encoding::Utf8,
            delimiter: b',',
            quote: b'"',
            decimal_comma: false,
            skip_lines: 0,
        }
    }
}

impl Dialect {
    /// Plain UTF-8 read without decoding (the fast path).
    pub fn is_utf8(&self) -> bool {
        self.encoding == Encoding::Utf8
    }

    /// For summaries: "windows-1250, semicolon-separated, decimal commas".
    pub fn describe(&self) -> String {
        let mut s = format!("{}, {}-separated", self.encoding, delimiter_name(self.delimiter));
        if self.quote != b'"' {
            s.push_str(&format!(", quoted with {}", self.quote as char));
        }
        if self.decimal_comma {
            s.push_str(", decimal commas");
        }
        s
    }

    pub(crate) fn csv_reader(&self) -> csv::ReaderBuilder {
        let mut b = csv::ReaderBuilder::new();
        b.has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .quote(self.quote);
        b
    }
}

/// The delimiters detection considers.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

pub fn delimiter_name(d: u8) -> String {
    match d {
        b',' => "comma".into(),
        b';' => "semicolon".into(),
        b'\t' => "tab".into(),
        b'|' => "pipe".into(),
        other => format!("'{}'", other as char),
    }
}

/// Reads `,` `;` `tab` `\t` `|` `comma` `semicolon` `pipe` (or any one ASCII character).
pub fn parse_delimiter(text: &str) -> Option<u8> {
    match text.to_ascii_lowercase().as_str() {
        "comma" => Some(b','),
        "semicolon" => Some(b';'),
        "tab" | "\\t" => Some(b'\t'),
        "pipe" => Some(b'|'),
        t if t.len() == 1 && t.is_ascii() && !matches!(t, "\r" | "\n" | "\"") => Some(t.as_bytes()[0]),
        _ => None,
    }
}

/// What the user forced; `None` parts are detected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DialectChoice {
    pub encoding: Option<Encoding>,
    pub delimiter: Option<u8>,
    pub decimal_comma: Option<bool>,
    /// Lines before the header.
    pub skip_lines: Option<u64>,
}

/// A legacy code page that reads the file plausibly, with how it reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub encoding: Encoding,
    /// The first words where the candidates differ, as this one reads them.
    pub sample: String,
}

/// Why detection gave up.
#[derive(Clone, Debug, PartialEq)]
pub enum DetectError {
    /// Several code pages read the file plausibly, with different letters.
    Ambiguous(Vec<Candidate>),
}

/// Detects what `choice` leaves open from the head of a file.
pub fn detect(head: &[u8], choice: &DialectChoice) -> Result<Dialect, DetectError> {
    let encoding = match choice.encoding {
        Some(e) => e,
        None => detect_encoding(head)?,
    };
    let text = decode_head(head, encoding);
    let lines: Vec<&str> = complete_lines(&text);
    let delimiter = choice.delimiter.unwrap_or_else(|| sniff_delimiter(&lines));
    let quote = sniff_quote(&lines, delimiter);
    let skip_lines = choice.skip_lines.unwrap_or_else(|| {
        let cells: Vec<Vec<String>> = lines.iter().map(|l| cells(l, delimiter, quote)).collect();
        super::header::rows_before_header(&cells) as u64
    });
    let after = &lines[(skip_lines as usize).min(lines.len())..];
    let decimal_comma = choice
        .decimal_comma
        .unwrap_or_else(|| delimiter != b',' && sniff_decimal_comma(after, delimiter, quote));
    Ok(Dialect {
        encoding,
        delimiter,
        quote,
        decimal_comma,
        skip_lines,
    })
}

/// Reads the head of a file for `detect`.
pub fn read_head(mut r: impl Read) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut r).take(HEAD_BYTES as u64).read_to_end(&mut head)?;
    Ok(head)
}

fn decode_head(head: &[u8], encoding: Encoding) -> String {
    encoding.codec().decode_with_bom_removal(head).0.into_owned()
}

/// The head's lines, without a last one that may be cut off (unless it is
/// the only one).
fn complete_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.len() > 1 && !text.ends_with('\n') {
        lines.pop();
    }
    lines.truncate(200);
    lines
}

fn detect_encoding(head: &[u8]) -> Result<Encoding, DetectError> {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok(Encoding::Utf8);
    }
    if head.starts_with(b"\xFF\xFE") {
        return Ok(Encoding::Utf16Le);
    }
    if head.starts_with(b"\xFE\xFF") {
        return Ok(Encoding::Utf16Be);
    }
    // UTF-16 without a byte-order mark: ASCII text leaves every other byte zero.
    let zeros = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let pairs = head.len() / 2;
    if pairs >= 2 && zeros(1) * 2 > pairs && zeros(0) == 0 {
        return Ok(Encoding::Utf16Le);
    }
    if pairs >= 2 && zeros(0) * 2 > pairs && zeros(1) == 0 {
        return Ok(Encoding::Utf16Be);
    }
    match std::str::from_utf8(head) {
        Ok(_) => return Ok(Encoding::Utf8),
        // Cut in the middle of a character at the end of the head.
        Err(e) if e.error_len().is_none() && head.len() >= HEAD_BYTES => return Ok(Encoding::Utf8),
        Err(_) => {}
    }
    // Bytes every legacy candidate reads the same (e.g. é) tell nothing apart.
    let differs = |b: u8| {
        let read = |e: Encoding| e.codec().decode_without_bom_handling(&[b]).0.into_owned();
        let first = read(Encoding::LEGACY[0]);
        Encoding::LEGACY[1..].iter().any(|&e| read(e) != first)
    };
    let distinctive: Vec<bool> = (0..=255u8).map(|b| b >= 0x80 && differs(b)).collect();
    let mut scored: Vec<(Encoding, f64, String)> = Vec::new();
    for e in Encoding::LEGACY {
        let text = decode_head(head, e);
        if let Some(score) = score(e, &text, &|c| {
            let mut buf = [0u8; 4];
            // The byte this candidate decoded to `c`, when it is one byte.
            let (bytes, _, unmappable) = e.codec().encode(c.encode_utf8(&mut buf));
            !unmappable && bytes.len() == 1 && distinctive[bytes[0] as usize]
        }) {
            scored.push((e, score, text));
        }
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let Some((best, best_score, best_text)) = scored.first().cloned() else {
        // Every candidate has control characters: not text in any of them.
        return Ok(Encoding::Utf8);
    };
    // A plausible reading with other letters, not clearly worse.
    let rivals: Vec<&(Encoding, f64, String)> = scored
        .iter()
        .skip(1)
        .filter(|(_, s, t)| *t != best_text && *s >= 0.0 && best_score < 1.5 * s + 2.0)
        .collect();
    if rivals.is_empty() && best_score >= 0.0 {
        return Ok(best);
    }
    let mut candidates: Vec<&(Encoding, f64, String)> = vec![&scored[0]];
    // No reading is plausible: perhaps another code page altogether; show all.
    let others = if best_score >= 0.0 {
        rivals
    } else {
        scored[1..].iter().collect()
    };
    for c in others {
        // Code pages that read the file alike are one candidate.
        if candidates.iter().all(|k| k.2 != c.2) {
            candidates.push(c);
        }
    }
    let texts: Vec<&str> = candidates.iter().map(|c| c.2.as_str()).collect();
    Err(DetectError::Ambiguous(
        candidates
            .iter()
            .map(|(e, _, text)| Candidate {
                encoding: *e,
                sample: differing_words(text, &texts),
            })
            .collect(),
    ))
}

/// Scores a candidate's reading (`None`: impossible). `distinctive` tells
/// whether a character is one the candidates read differently.
fn score(e: Encoding, text: &str, distinctive: &dyn Fn(char) -> bool) -> Option<f64> {
    if text
        .chars()
        .any(|c| ('\u{80}'..='\u{9F}').contains(&c) || c == '\u{FFFD}')
    {
        return None;
    }
    let alphabets = e.alphabets();
    let mut total = 0.0;
    let mut word = String::new();
    // Each distinct word and symbol counts once: a value repeated on every
    // row ("próbny_dostęp" as the event of 10,000 rows) is one piece of evidence.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut judge = |word: &str| {
        if word.is_empty() || !seen.insert(word.to_owned()) {
            return 0.0;
        }
        let accented: Vec<char> = word.chars().filter(|c| !c.is_ascii()).collect();
        let weight = accented.iter().filter(|&&c| distinctive(c)).count() as f64;
        if accented.is_empty() || weight == 0.0 {
            return 0.0;
        }
        let one_language = alphabets.iter().any(|a| accented.iter().all(|c| a.contains(*c)));
        let central = matches!(e, Encoding::Windows1250 | Encoding::Iso8859_2);
        let spelled = !central || central_european_spelling(word);
        // A capital inside a word ("NôÌi") is a misread letter.
        let odd_case = word
            .chars()
            .zip(word.chars().skip(1))
            .any(|(a, b)| a.is_lowercase() && b.is_uppercase() && !b.is_ascii());
        if one_language && !odd_case && spelled {
            weight
        } else {
            -2.0 * weight
        }
    };
    let mut symbols: std::collections::HashSet<String> = std::collections::HashSet::new();
    for c in text.chars() {
        if is_word_char(c) {
            word.push(c);
            continue;
        }
        if !c.is_ascii() && !c.is_whitespace() && distinctive(c) && !"€£°§«»©®±×·–—‘’‚“”„…•™".contains(c)
        {
            // Symbols such as ³ ¹ ¯ ¿ ˘: a letter of another code page, the
            // more surely when glued to a word ("Kana³").
            if symbols.insert(format!("{word}{c}")) {
                total -= if word.is_empty() { 2.0 } else { 4.0 };
            }
        }
        total += judge(&word);
        word.clear();
    }
    total += judge(&word);
    Some(total)
}

/// Two spelling rules of the Central European languages that tell their
/// letters from misread Western ones: Polish writes ń ć ś ź only where no
/// vowel follows ("Seńor" is "Señor"), and Slovak ŕ ĺ only after a consonant
/// ("ŕ la" is "à la").
fn central_european_spelling(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let vowel = |c: char| "aeiouyąęóAEIOUYĄĘÓ".contains(c);
    chars.iter().enumerate().all(|(i, &c)| {
        let next_vowel = chars.get(i + 1).is_some_and(|&n| vowel(n));
        let after_consonant = i > 0 && chars[i - 1].is_alphabetic() && !vowel(chars[i - 1]);
        match c {
            'ń' | 'ć' | 'ś' | 'ź' | 'Ń' | 'Ć' | 'Ś' | 'Ź' => !next_vowel,
            'ŕ' | 'ĺ' | 'Ŕ' | 'Ĺ' => after_consonant,
            _ => true,
        }
    })
}

/// A letter, or a combining mark (Windows-1258's tones).
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || ('\u{300}'..='\u{36F}').contains(&c)
}

/// Up to five words of `text` that differ from the other readings.
fn differing_words(text: &str, all: &[&str]) -> String {
    let words_of = |t: &str| -> Vec<String> {
        t.split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let others: Vec<Vec<String>> = all.iter().map(|t| words_of(t)).collect();
    let mut words: Vec<String> = Vec::new();
    for (i, w) in words_of(text).into_iter().enumerate() {
        if others.iter().any(|o| o.get(i).is_some_and(|x| x != &w)) && !words.contains(&w) {
            words.push(w);
            if words.len() == 5 {
                break;
            }
        }
    }
    words.join(" ")
}

/// Splits a line at `delimiter` outside `quote`s, giving the fields (with
/// their quotes).
fn fields(line: &str, delimiter: u8, quote: u8) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, b) in line.bytes().enumerate() {
        if b == quote {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            out.push(&line[start..i]);
            start = i + 1;
        }
    }
    out.push(&line[start..]);
    out
}

/// A line's fields, unquoted and trimmed; none for a blank line.
fn cells(line: &str, delimiter: u8, quote: u8) -> Vec<String> {
    if line.trim().is_empty() {
        return Vec::new();
    }
    let q = quote as char;
    fields(line, delimiter, quote)
        .into_iter()
        .map(|f| {
            let f = f.trim();
            match f.strip_prefix(q).and_then(|f| f.strip_suffix(q)) {
                Some(inner) => inner.replace(&format!("{q}{q}"), &q.to_string()),
                None => f.to_owned(),
            }
        })
        .collect()
}

fn sniff_delimiter(lines: &[&str]) -> u8 {
    let lines: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    let mut best = (b',', 0.0);
    for d in DELIMITERS {
        let counts: Vec<usize> = lines.iter().map(|l| fields(l, d, b'"').len()).collect();
        // The commonest count of fields (a title block before the header
        // splits differently), more than one.
        let Some(bulk) = (2..=counts.iter().copied().max().unwrap_or(0))
            .rev()
            .max_by_key(|&n| counts.iter().filter(|&&c| c == n).count())
            .filter(|&n| counts.contains(&n))
        else {
            continue;
        };
        // Lines splitting into that many fields, weighted a little by how
        // many fields that is.
        let same = counts.iter().filter(|&&c| c == bulk).count() as f64 / counts.len() as f64;
        let score = same * (1.0 + (bulk as f64).ln());
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn sniff_quote(lines: &[&str], delimiter: u8) -> u8 {
    if lines.iter().any(|l| l.contains('"')) {
        return b'"';
    }
    let single = lines
        .iter()
        .flat_map(|l| fields(l, delimiter, b'\''))
        .filter(|f| {
            let f = f.trim();
            f.len() >= 2 && f.starts_with('\'') && f.ends_with('\'')
        })
        .count();
    if single >= 2 { b'\'' } else { b'"' }
}

/// `12,50`, `-3,5`, `1 234,50`, `1.234,50`.
pub(crate) fn looks_decimal_comma(f: &str) -> bool {
    let f = f.strip_prefix('-').unwrap_or(f);
    let Some((int, frac)) = f.rsplit_once(',') else {
        return false;
    };
    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) || int.is_empty() {
        return false;
    }
    let groups: Vec<&str> = int.split([' ', '\u{a0}', '\u{202f}', '.']).collect();
    groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && (groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)))
}

fn sniff_decimal_comma(lines: &[&str], delimiter: u8, quote: u8) -> bool {
    let (mut comma, mut point) = (0, 0);
    for line in lines.iter().skip(1) {
        for f in fields(line, delimiter, quote) {
            let f = super::amount::number_part(f.trim().trim_matches(quote as char).trim());
            if looks_decimal_comma(f) {
                comma += 1;
            } else if f.split_once('.').is_some_and(|(a, b)| {
                !a.is_empty()
                    && a.trim_start_matches('-').bytes().all(|c| c.is_ascii_digit())
                    && !b.is_empty()
                    && b.bytes().all(|c| c.is_ascii_digit())
                    // "250.000" groups thousands as often as it has decimals.
                    && !(b.len() == 3 && a.trim_start_matches('-').len() <= 3)
            }) {
                point += 1;
            }
        }
    }
    comma > 0 && comma >= point
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(e: Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = e.codec().encode(text);
        assert!(!unmappable, "{text} in {e}");
        bytes.into_owned()
    }

    #[test]
    fn legacy_code_pages_are_told_apart_by_their_letters() {
        let polish = "id;miasto\n1;Łódź\n2;Kraków\n3;Gdańsk\n4;Świętokrzyskie\n5;Zażółć gęślą jaźń\n";
        let head = encode(Encoding::Windows1250, polish);
        assert_eq!(detect_encoding(&head), Ok(Encoding::Windows1250));
        let head = encode(Encoding::Iso8859_2, polish);
        assert_eq!(detect_encoding(&head), Ok(Encoding::Iso8859_2));
        let french = "id,ville\n1,Besançon\n2,Orléans à côté\n3,Crème brûlée\n4,Château\n5,Père Noël\n";
        assert_eq!(
            detect_encoding(&encode(Encoding::Windows1252, french)),
            Ok(Encoding::Windows1252)
        );
        // German umlauts and ß are the same bytes in both: either reading is right.
        let german = "id;stadt\n1;München\n2;Köln\n3;Düsseldorf\n4;Straße\n";
        let read = detect_encoding(&encode(Encoding::Windows1252, german)).unwrap();
        assert_eq!(read.codec().decode(&encode(Encoding::Windows1252, german)).0, german);
        let spanish = "id;ciudad\n1;Logroño\n2;Señor Muñoz\n3;Cádiz\n";
        assert_eq!(
            detect_encoding(&encode(Encoding::Windows1252, spanish)),
            Ok(Encoding::Windows1252)
        );
        let viet = "id,city\n1,H\u{E0} N\u{F4}\u{323}i\n2,\u{110}\u{E0} N\u{103}\u{303}ng\n3,H\u{F4}\u{300} Ch\u{ED} Minh\n4,C\u{1A1}\u{300}n Th\u{1A1}\n";
        assert_eq!(
            detect_encoding(&encode(Encoding::Windows1258, viet)),
            Ok(Encoding::Windows1258)
        );
    }

    #[test]
    fn a_value_repeated_on_every_row_is_one_piece_of_evidence() {
        // An Excel export from a Polish Windows: the header's "Kanał" reads
        // "Kana³" in Windows-1252, which no language writes; the event name
        // "dostęp" on every row reads as a plausible "dostêp" there, but many
        // rows of it must not outvote the header.
        let mut polish = String::from("Klient;Zdarzenie;Kanał\r\n");
        for i in 0..40 {
            polish.push_str(&format!("K-{i};próbny_dostęp;e-mail\r\n"));
        }
        let head = encode(Encoding::Windows1250, &polish);
        assert_eq!(detect_encoding(&head), Ok(Encoding::Windows1250));
    }

    #[test]
    fn a_file_that_reads_plausibly_two_ways_is_refused() {
        // 0xE8 is è in Windows-1252 and č in Windows-1250: "tr\xE8s" is
        // French "très" or a plausible Czech "trčs"; one word cannot tell.
        let Err(DetectError::Ambiguous(c)) = detect_encoding(b"id,name\n1,tr\xE8s\n") else {
            panic!("detected")
        };
        let names: Vec<Encoding> = c.iter().map(|c| c.encoding).collect();
        assert!(names.contains(&Encoding::Windows1252) && names.contains(&Encoding::Windows1250));
        assert!(c.iter().any(|c| c.sample.contains("très")) && c.iter().any(|c| c.sample.contains("trčs")));
    }

    #[test]
    fn delimiters_quotes_and_decimal_commas() {
        let d = detect(b"a;b;c\n1;\"x;y\";12,50\n2;z;1 234,50\n", &DialectChoice::default()).unwrap();
        assert_eq!((d.delimiter, d.quote, d.decimal_comma), (b';', b'"', true));
        let d = detect(b"a\tb\n1\t2.5\n", &DialectChoice::default()).unwrap();
        assert_eq!((d.delimiter, d.decimal_comma), (b'\t', false));
        let d = detect(b"a|b|c\n'x|y'|2|3\n'z'|4|5\n", &DialectChoice::default()).unwrap();
        assert_eq!((d.delimiter, d.quote), (b'|', b'\''));
        let d = detect(b"a,b\n\"1,5\",2\n", &DialectChoice::default()).unwrap();
        assert_eq!((d.delimiter, d.decimal_comma), (b',', false));
        let forced = DialectChoice {
            delimiter: Some(b','),
            decimal_comma: Some(false),
            encoding: Some(Encoding::Windows1250),
            skip_lines: None,
        };
        let d = detect(b"a;b\n1;2,5\n", &forced).unwrap();
        assert_eq!(
            (d.encoding, d.delimiter, d.decimal_comma),
            (Encoding::Windows1250, b',', false)
        );
        assert!(!looks_decimal_comma("12 34,5") && !looks_decimal_comma("1,2,3") && looks_decimal_comma("-0,5"));
    }

    #[test]
    fn boms_decide() {
        assert_eq!(detect_encoding(b"\xFF\xFEa\x00"), Ok(Encoding::Utf16Le));
        assert_eq!(detect_encoding(b"\xFE\xFF\x00a"), Ok(Encoding::Utf16Be));
        assert_eq!(detect_encoding("\u{FEFF}Łódź".as_bytes()), Ok(Encoding::Utf8));
        let le: Vec<u8> = "id,name\n1,Łódź\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = "id,name\n1,Łódź\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(detect_encoding(&le), Ok(Encoding::Utf16Le));
        assert_eq!(detect_encoding(&be), Ok(Encoding::Utf16Be));
        assert_eq!(Encoding::parse("CP1250"), Some(Encoding::Windows1250));
        assert_eq!(Encoding::parse("UTF-16"), Some(Encoding::Utf16Le));
    }
}
