//! Timestamps as they appear in analytics and CRM exports, parsed to
//! milliseconds since the Unix epoch (UTC).
//!
//! Accepted forms (surrounding spaces ignored):
//!
//! - ISO 8601 / RFC 3339 date-times: `2024-05-01T10:00:00Z`,
//!   `2024-05-01 10:00:00.123+07:00`, offsets as `+07:00`, `+0700` or `+07`,
//!   `Z`, or a trailing ` UTC` / ` GMT` (as BigQuery prints them). Seconds
//!   are optional; a fraction (`.` or `,`, any number of digits) is cut to
//!   whole milliseconds.
//! - The same without a zone, and date-only values (`2024-05-01`, midnight):
//!   read as wall-clock time in the import's zone (`--tz`, default UTC).
//! - Day-first dotted dates, as Polish and German exports write them:
//!   `01.05.2024` or `01.05.2024 10:00[:00]`, also in the import's zone.
//!   (Slashed dates such as `05/01/2024` are refused: day-first and
//!   month-first cannot be told apart.)
//! - Eight digits that form a valid date from 1900 to 2199 (`20240501`, as in
//!   GA4's `event_date`) are a date.
//! - Other numbers are Unix time, told apart by magnitude. Absolute value
//!   below 10^11 → seconds (up to the year 5138; a fraction is allowed);
//!   below 10^14 → milliseconds (10^11 ms is 1973-03-03, so any real
//!   millisecond value of the last fifty years lands here); below 10^17 →
//!   microseconds (GA4's `event_timestamp`); otherwise nanoseconds.
//!
//! Wall-clock times in a named zone that fall in a daylight-saving gap are
//! read with the offset in force before the gap; times that occur twice (the
//! hour repeated in autumn) take the earlier instant.

use std::fmt;
use std::str::FromStr;

use chrono::{Offset, TimeZone};

const MS_PER_DAY: i64 = 86_400_000;

/// The zone in which timestamps without an offset are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Zone {
    #[default]
    Utc,
    /// Seconds east of UTC.
    Fixed(i32),
    Named(chrono_tz::Tz),
}

impl Zone {
    /// The UTC instant of a wall-clock time (milliseconds since the epoch as
    /// if the wall clock were UTC).
    pub fn local_to_utc_ms(&self, wall_ms: i64) -> i64 {
        match self {
            Zone::Utc => wall_ms,
            Zone::Fixed(secs) => wall_ms - i64::from(*secs) * 1000,
            Zone::Named(tz) => named_local_to_utc(tz, wall_ms),
        }
    }
}

fn named_local_to_utc(tz: &chrono_tz::Tz, wall_ms: i64) -> i64 {
    let Some(naive) = chrono::DateTime::from_timestamp_millis(wall_ms).map(|d| d.naive_utc()) else {
        return wall_ms;
    };
    let offset_secs = match tz.offset_from_local_datetime(&naive) {
        chrono::LocalResult::Single(o) => o.fix().local_minus_utc(),
        chrono::LocalResult::Ambiguous(earlier, later) => {
            // The earlier instant has the larger offset (summer time).
            earlier.fix().local_minus_utc().max(later.fix().local_minus_utc())
        }
        chrono::LocalResult::None => {
            // In a gap: use the offset from a day before, which is the one in
            // force before the clocks jumped.
            let before = naive - chrono::Duration::days(1);
            tz.offset_from_utc_datetime(&before).fix().local_minus_utc()
        }
    };
    wall_ms - i64::from(offset_secs) * 1000
}

impl FromStr for Zone {
    type Err = String;

    /// `UTC`, `Z`, `GMT`, a fixed offset (`+07:00`, `-0530`, `+07`, also
    /// after `UTC`: `UTC+7`), or an IANA name such as `Europe/Warsaw` or
    /// `Asia/Ho_Chi_Minh`.
    fn from_str(s: &str) -> Result<Zone, String> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("gmt") {
            return Ok(Zone::Utc);
        }
        let offset_part = t
            .strip_prefix("UTC")
            .or_else(|| t.strip_prefix("utc"))
            .or_else(|| t.strip_prefix("GMT"))
            .unwrap_or(t);
        if offset_part.starts_with(['+', '-']) {
            return parse_zone_offset(offset_part.as_bytes(), true)
                .map(|secs| if secs == 0 { Zone::Utc } else { Zone::Fixed(secs) })
                .ok_or_else(|| format!("'{s}' is not a valid UTC offset (expected e.g. +07:00 or -05:30)"));
        }
        t.parse::<chrono_tz::Tz>().map(Zone::Named).map_err(|_| {
            format!("unknown time zone '{s}' (expected UTC, an offset such as +07:00, or a name such as Europe/Warsaw)")
        })
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Utc => f.write_str("UTC"),
            Zone::Fixed(secs) => {
                let sign = if *secs < 0 { '-' } else { '+' };
                let a = secs.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", a / 3600, a % 3600 / 60)
            }
            Zone::Named(tz) => f.write_str(tz.name()),
        }
    }
}

/// Why a value is not a timestamp; the text completes "time 'X' ...".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampError {
    Empty,
    Unrecognised,
    AmbiguousSlashDate,
    OutOfRange(&'static str),
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimestampError::Empty => f.write_str("is empty"),
            TimestampError::Unrecognised => f.write_str(
                "is not a recognised timestamp (expected e.g. 2024-05-01T10:00:00Z, 2024-05-01, or Unix seconds/milliseconds)",
            ),
            TimestampError::AmbiguousSlashDate => {
                f.write_str("uses slashes, which could be day/month or month/day: write dates as YYYY-MM-DD")
            }
            TimestampError::OutOfRange(what) => write!(f, "has an invalid {what}"),
        }
    }
}

/// Parses one timestamp; wall-clock forms are read in `zone`.
pub fn parse_timestamp(s: &str, zone: &Zone) -> Result<i64, TimestampError> {
    let b = s.trim().as_bytes();
    if b.is_empty() {
        return Err(TimestampError::Empty);
    }
    let mut p = Cursor { b, i: 0 };
    let lead = p.digits();
    if lead.len == 4 && p.peek() == Some(b'-') {
        return parse_iso(&mut p, lead.value as i64, zone);
    }
    if (1..=2).contains(&lead.len) && p.peek() == Some(b'.') {
        return parse_dotted(&mut p, lead.value as u32, zone);
    }
    if (1..=4).contains(&lead.len) && p.peek() == Some(b'/') {
        return Err(TimestampError::AmbiguousSlashDate);
    }
    parse_number(b, zone)
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

#[derive(Clone, Copy)]
struct Digits {
    value: u64,
    len: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// Up to 18 digits (more are consumed but make the value saturate).
    fn digits(&mut self) -> Digits {
        let start = self.i;
        let mut value: u64 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            value = value.saturating_mul(10).saturating_add(u64::from(c - b'0'));
            self.i += 1;
        }
        Digits {
            value,
            len: self.i - start,
        }
    }

    fn fixed(&mut self, n: usize) -> Option<u32> {
        let d = self.digits();
        (d.len == n).then_some(d.value as u32)
    }

    fn at_end(&self) -> bool {
        self.i == self.b.len()
    }
}

fn parse_iso(p: &mut Cursor, year: i64, zone: &Zone) -> Result<i64, TimestampError> {
    p.eat(b'-');
    let month = p.fixed(2).ok_or(TimestampError::Unrecognised)?;
    if !p.eat(b'-') {
        return Err(TimestampError::Unrecognised);
    }
    let day = p.fixed(2).ok_or(TimestampError::Unrecognised)?;
    let days = civil_days(year, month, day)?;
    if p.at_end() {
        return Ok(zone.local_to_utc_ms(days * MS_PER_DAY));
    }
    if !(p.eat(b'T') || p.eat(b't') || p.eat(b' ')) {
        return Err(TimestampError::Unrecognised);
    }
    let wall = days * MS_PER_DAY + parse_clock(p)?;
    p.eat(b' ');
    if p.at_end() {
        return Ok(zone.local_to_utc_ms(wall));
    }
    let offset = parse_suffix_zone(&p.b[p.i..]).ok_or(TimestampError::Unrecognised)?;
    Ok(wall - i64::from(offset) * 1000)
}

fn parse_dotted(p: &mut Cursor, day: u32, zone: &Zone) -> Result<i64, TimestampError> {
    p.eat(b'.');
    let month = p.digits();
    if !(1..=2).contains(&month.len) || !p.eat(b'.') {
        return Err(TimestampError::Unrecognised);
    }
    let year = p.fixed(4).ok_or(TimestampError::Unrecognised)?;
    let days = civil_days(i64::from(year), month.value as u32, day)?;
    let mut wall = days * MS_PER_DAY;
    if p.eat(b' ') || p.eat(b'T') {
        wall += parse_clock(p)?;
    }
    if !p.at_end() {
        return Err(TimestampError::Unrecognised);
    }
    Ok(zone.local_to_utc_ms(wall))
}

/// `HH:MM[:SS[.fff]]` → milliseconds into the day.
fn parse_clock(p: &mut Cursor) -> Result<i64, TimestampError> {
    let hour = p.fixed(2).ok_or(TimestampError::Unrecognised)?;
    if !p.eat(b':') {
        return Err(TimestampError::Unrecognised);
    }
    let minute = p.fixed(2).ok_or(TimestampError::Unrecognised)?;
    let mut second = 0;
    let mut millis = 0;
    if p.eat(b':') {
        second = p.fixed(2).ok_or(TimestampError::Unrecognised)?;
        if p.eat(b'.') || p.eat(b',') {
            millis = fraction_millis(p)?;
        }
    }
    if hour > 23 {
        return Err(TimestampError::OutOfRange("hour"));
    }
    if minute > 59 {
        return Err(TimestampError::OutOfRange("minute"));
    }
    // 60 is a leap second; it rolls into the next minute.
    if second > 60 {
        return Err(TimestampError::OutOfRange("second"));
    }
    Ok(((i64::from(hour) * 60 + i64::from(minute)) * 60 + i64::from(second)) * 1000 + millis)
}

fn fraction_millis(p: &mut Cursor) -> Result<i64, TimestampError> {
    let start = p.i;
    let mut millis = 0;
    while let Some(c @ b'0'..=b'9') = p.peek() {
        if p.i - start < 3 {
            millis = millis * 10 + i64::from(c - b'0');
        }
        p.i += 1;
    }
    let n = p.i - start;
    if n == 0 {
        return Err(TimestampError::Unrecognised);
    }
    for _ in n..3 {
        millis *= 10;
    }
    Ok(millis)
}

/// `Z`, `UTC`, `GMT`, `+07:00`, `+0700`, `+07`, `UTC+07:00` → seconds east.
fn parse_suffix_zone(b: &[u8]) -> Option<i32> {
    if b.eq_ignore_ascii_case(b"z") {
        return Some(0);
    }
    let rest = if b.len() >= 3 && (b[..3].eq_ignore_ascii_case(b"utc") || b[..3].eq_ignore_ascii_case(b"gmt")) {
        if b.len() == 3 {
            return Some(0);
        }
        &b[3..]
    } else {
        b
    };
    parse_zone_offset(rest, false)
}

/// `+HH:MM`, `+HHMM`, `+HH` (and, when `loose`, `+H` as in `UTC+7`).
fn parse_zone_offset(b: &[u8], loose: bool) -> Option<i32> {
    let (&sign, rest) = b.split_first()?;
    let sign = match sign {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let mut p = Cursor { b: rest, i: 0 };
    let h = p.digits();
    let (hours, minutes) = match h.len {
        1 if loose => (h.value as i32, 0),
        2 => {
            let minutes = if p.eat(b':') {
                p.fixed(2)? as i32
            } else if p.at_end() {
                0
            } else {
                return None;
            };
            (h.value as i32, minutes)
        }
        4 => ((h.value / 100) as i32, (h.value % 100) as i32),
        _ => return None,
    };
    if !p.at_end() || hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

/// Unix time of some unit, or an eight-digit date.
fn parse_number(b: &[u8], zone: &Zone) -> Result<i64, TimestampError> {
    let mut p = Cursor { b, i: 0 };
    let negative = p.eat(b'-');
    let int = p.digits();
    if int.len == 0 || int.len > 19 {
        return Err(TimestampError::Unrecognised);
    }
    let mut frac_millis = 0;
    let has_fraction = p.eat(b'.');
    if has_fraction {
        frac_millis = fraction_millis(&mut p)?;
    }
    if !p.at_end() {
        return Err(TimestampError::Unrecognised);
    }
    if int.len == 8 && !negative && !has_fraction {
        let v = int.value;
        let (y, m, d) = ((v / 10_000) as i64, (v / 100 % 100) as u32, (v % 100) as u32);
        if (1900..2200).contains(&y)
            && let Ok(days) = civil_days(y, m, d)
        {
            return Ok(zone.local_to_utc_ms(days * MS_PER_DAY));
        }
    }
    let v = int.value as i128;
    let ms: i128 = if v < 100_000_000_000 {
        v * 1000 + i128::from(frac_millis)
    } else if v < 100_000_000_000_000 {
        v
    } else if v < 100_000_000_000_000_000 {
        v / 1000
    } else {
        v / 1_000_000
    };
    let ms = if negative { -ms } else { ms };
    i64::try_from(ms).map_err(|_| TimestampError::OutOfRange("number"))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn civil_days(year: i64, month: u32, day: u32) -> Result<i64, TimestampError> {
    if !(1..=12).contains(&month) {
        return Err(TimestampError::OutOfRange("month"));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(TimestampError::OutOfRange("day"));
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Ok(era * 146_097 + doe - 719_468)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `ms` as RFC 3339 UTC with milliseconds, for messages and tests.
pub fn format_utc_ms(ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(d) => d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => ms.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_to_wall_ms(n: &chrono::NaiveDateTime) -> i64 {
        n.and_utc().timestamp_millis()
    }

    fn utc(s: &str) -> Result<i64, TimestampError> {
        parse_timestamp(s, &Zone::Utc)
    }

    fn iso(ms: i64) -> String {
        format_utc_ms(ms)
    }

    fn ok(s: &str, zone: &Zone) -> String {
        iso(parse_timestamp(s, zone).unwrap_or_else(|e| panic!("{s}: {e}")))
    }

    #[test]
    fn rfc3339_with_z_and_offsets() {
        assert_eq!(ok("2024-05-01T10:00:00Z", &Zone::Utc), "2024-05-01T10:00:00.000Z");
        assert_eq!(ok("2024-05-01t10:00:00z", &Zone::Utc), "2024-05-01T10:00:00.000Z");
        assert_eq!(ok("2024-05-01T10:00:00+07:00", &Zone::Utc), "2024-05-01T03:00:00.000Z");
        assert_eq!(ok("2024-05-01T10:00:00-0530", &Zone::Utc), "2024-05-01T15:30:00.000Z");
        assert_eq!(ok("2024-05-01T10:00:00+02", &Zone::Utc), "2024-05-01T08:00:00.000Z");
        assert_eq!(ok("2024-05-01 10:00:00 +02:00", &Zone::Utc), "2024-05-01T08:00:00.000Z");
        // An explicit offset wins over --tz.
        let warsaw: Zone = "Europe/Warsaw".parse().unwrap();
        assert_eq!(ok("2024-05-01T10:00:00Z", &warsaw), "2024-05-01T10:00:00.000Z");
    }

    #[test]
    fn space_separator_fractions_and_utc_suffix() {
        assert_eq!(ok("2024-05-01 10:00:00Z", &Zone::Utc), "2024-05-01T10:00:00.000Z");
        assert_eq!(ok("2024-05-01T10:00:00.5Z", &Zone::Utc), "2024-05-01T10:00:00.500Z");
        assert_eq!(
            ok("2024-05-01T10:00:00.123456789Z", &Zone::Utc),
            "2024-05-01T10:00:00.123Z"
        );
        assert_eq!(ok("2024-05-01T10:00:00,25Z", &Zone::Utc), "2024-05-01T10:00:00.250Z");
        assert_eq!(ok("2024-05-01 10:00:00 UTC", &Zone::Utc), "2024-05-01T10:00:00.000Z");
        assert_eq!(
            ok("2024-05-01 10:00:00.250 UTC", &Zone::Utc),
            "2024-05-01T10:00:00.250Z"
        );
        assert_eq!(ok("  2024-05-01T10:00Z  ", &Zone::Utc), "2024-05-01T10:00:00.000Z");
    }

    #[test]
    fn zoneless_times_use_the_given_zone() {
        assert_eq!(ok("2024-05-01 10:00:00", &Zone::Utc), "2024-05-01T10:00:00.000Z");
        let hcm: Zone = "+07:00".parse().unwrap();
        assert_eq!(ok("2024-05-01 10:00:00", &hcm), "2024-05-01T03:00:00.000Z");
        let hcm_named: Zone = "Asia/Ho_Chi_Minh".parse().unwrap();
        assert_eq!(ok("2024-05-01T10:00", &hcm_named), "2024-05-01T03:00:00.000Z");
        let warsaw: Zone = "Europe/Warsaw".parse().unwrap();
        // Summer (+02:00) and winter (+01:00).
        assert_eq!(ok("2024-07-01 12:00:00", &warsaw), "2024-07-01T10:00:00.000Z");
        assert_eq!(ok("2024-01-15 12:00:00", &warsaw), "2024-01-15T11:00:00.000Z");
    }

    #[test]
    fn daylight_saving_gaps_and_repeats() {
        let warsaw: Zone = "Europe/Warsaw".parse().unwrap();
        // 2024-03-31 02:30 does not exist in Warsaw: read with the winter offset.
        assert_eq!(ok("2024-03-31 02:30:00", &warsaw), "2024-03-31T01:30:00.000Z");
        // 2024-10-27 02:30 happens twice: the earlier (summer) instant.
        assert_eq!(ok("2024-10-27 02:30:00", &warsaw), "2024-10-27T00:30:00.000Z");
    }

    #[test]
    fn date_only_is_midnight_in_the_zone() {
        assert_eq!(ok("2024-05-01", &Zone::Utc), "2024-05-01T00:00:00.000Z");
        assert_eq!(ok("2024-05-01", &Zone::Fixed(7 * 3600)), "2024-04-30T17:00:00.000Z");
        assert_eq!(ok("20240501", &Zone::Utc), "2024-05-01T00:00:00.000Z");
        assert_eq!(ok("1970-01-01", &Zone::Utc), "1970-01-01T00:00:00.000Z");
        assert_eq!(ok("1969-12-31", &Zone::Utc), "1969-12-31T00:00:00.000Z");
        assert_eq!(ok("2000-02-29", &Zone::Utc), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn dotted_day_first_dates() {
        assert_eq!(ok("01.05.2024", &Zone::Utc), "2024-05-01T00:00:00.000Z");
        assert_eq!(ok("1.5.2024 10:30", &Zone::Utc), "2024-05-01T10:30:00.000Z");
        assert_eq!(ok("31.12.2023 23:59:59", &Zone::Utc), "2023-12-31T23:59:59.000Z");
        assert!(utc("31.02.2023").is_err());
    }

    #[test]
    fn unix_seconds_and_milliseconds_by_magnitude() {
        assert_eq!(ok("1714557600", &Zone::Utc), "2024-05-01T10:00:00.000Z");
        assert_eq!(ok("1714557600.25", &Zone::Utc), "2024-05-01T10:00:00.250Z");
        assert_eq!(ok("1714557600123", &Zone::Utc), "2024-05-01T10:00:00.123Z");
        assert_eq!(ok("1714557600123456", &Zone::Utc), "2024-05-01T10:00:00.123Z");
        assert_eq!(ok("1714557600123456789", &Zone::Utc), "2024-05-01T10:00:00.123Z");
        assert_eq!(ok("0", &Zone::Utc), "1970-01-01T00:00:00.000Z");
        assert_eq!(ok("-86400", &Zone::Utc), "1969-12-31T00:00:00.000Z");
        // Just below and at the boundary.
        assert_eq!(utc("99999999999").unwrap(), 99_999_999_999_000);
        assert_eq!(utc("100000000000").unwrap(), 100_000_000_000);
        // Unix time is absolute: the zone does not apply.
        assert_eq!(
            parse_timestamp("1714557600", &Zone::Fixed(3600)).unwrap(),
            1_714_557_600_000
        );
        // Eight digits that are not a date are seconds.
        assert_eq!(utc("99999999").unwrap(), 99_999_999_000);
    }

    #[test]
    fn rejects_garbage_and_out_of_range_parts() {
        for bad in [
            "",
            "   ",
            "yesterday",
            "2024-05",
            "2024-5-1",
            "2024-05-01T",
            "2024-05-01T10",
            "2024-05-01X10:00",
            "2024-05-01T10:00:00+25:00",
            "2024-05-01T10:00:00 PST",
            "1.2.3",
            "12abc",
            "1e9",
            "--5",
            "2024-05-01T10:00:00.Z",
        ] {
            assert!(utc(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(utc("2024-13-01"), Err(TimestampError::OutOfRange("month")));
        assert_eq!(utc("2023-02-29"), Err(TimestampError::OutOfRange("day")));
        assert_eq!(utc("2024-05-01T24:00:00Z"), Err(TimestampError::OutOfRange("hour")));
        assert_eq!(utc("2024-05-01T10:60:00Z"), Err(TimestampError::OutOfRange("minute")));
        assert_eq!(utc("05/01/2024"), Err(TimestampError::AmbiguousSlashDate));
        assert_eq!(utc(""), Err(TimestampError::Empty));
        // Huge numbers do not overflow.
        assert!(utc("99999999999999999999999999").is_err());
    }

    #[test]
    fn leap_second_rolls_over() {
        assert_eq!(ok("2016-12-31T23:59:60Z", &Zone::Utc), "2017-01-01T00:00:00.000Z");
    }

    #[test]
    fn zone_parsing_and_display() {
        assert_eq!("UTC".parse::<Zone>(), Ok(Zone::Utc));
        assert_eq!("z".parse::<Zone>(), Ok(Zone::Utc));
        assert_eq!("+07:00".parse::<Zone>(), Ok(Zone::Fixed(25_200)));
        assert_eq!("-0530".parse::<Zone>(), Ok(Zone::Fixed(-19_800)));
        assert_eq!("UTC+7".parse::<Zone>(), Ok(Zone::Fixed(25_200)));
        assert_eq!("+00:00".parse::<Zone>(), Ok(Zone::Utc));
        assert_eq!("Europe/Warsaw".parse::<Zone>().unwrap().to_string(), "Europe/Warsaw");
        assert_eq!(Zone::Fixed(-19_800).to_string(), "-05:30");
        assert!("Mars/Olympus".parse::<Zone>().unwrap_err().contains("Mars/Olympus"));
        assert!("+99:00".parse::<Zone>().is_err());
    }

    #[test]
    fn agrees_with_chrono_over_many_dates() {
        let mut day = chrono::NaiveDate::from_ymd_opt(1899, 12, 25).unwrap();
        let end = chrono::NaiveDate::from_ymd_opt(2101, 3, 1).unwrap();
        while day < end {
            let s = day.format("%Y-%m-%d").to_string();
            let want = naive_to_wall_ms(&day.and_hms_opt(0, 0, 0).unwrap());
            assert_eq!(utc(&s), Ok(want), "{s}");
            day += chrono::Duration::days(13);
        }
    }
}
