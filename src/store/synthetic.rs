//! A realistic, deterministic event file for tests, demos and benchmarks.
//!
//! About ten events per person; journeys start on a channel and move on
//! through page views, pricing, signup, trial, demo and purchase, each
//! reached by fewer people. Ads cost money per visit; purchases bring
//! revenue. A `country` column rides along as a property. Rows of about a
//! thousand people at a time are interleaved, as in a real export, and each
//! person's timestamps increase. Memory stays flat however many rows.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The header `write_synthetic_csv` writes.
pub const SYNTHETIC_HEADER: &str = "person_id,timestamp,event,channel,cost,revenue,country";

const CHANNELS: [(&str, u32); 5] = [
    ("search", 35),
    ("ads", 25),
    ("email", 15),
    ("social", 15),
    ("direct", 10),
];
const COUNTRIES: [(&str, u32); 8] = [
    ("PL", 25),
    ("VN", 25),
    ("US", 20),
    ("DE", 10),
    ("GB", 8),
    ("FR", 5),
    ("CZ", 4),
    ("TH", 3),
];
const PRICES: [f64; 4] = [19.0, 49.0, 99.0, 249.0];
const ACTIVE: usize = 1000;
/// 2024-01-01T00:00:00Z.
const START_MS: i64 = 1_704_067_200_000;

/// SplitMix64: tiny, fast and good enough for fake data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|i| i.1).sum();
        let mut r = self.below(u64::from(total)) as u32;
        for &(item, w) in items {
            if r < w {
                return item;
            }
            r -= w;
        }
        items[0].0
    }
}

/// One person part-way through their journey.
struct Person {
    id: u64,
    country: &'static str,
    channel: &'static str,
    time_ms: i64,
    /// Events left to write.
    left: u32,
    /// How far along: 0 browsing, 1 saw pricing, 2 signed up, 3 trial,
    /// 4 demo booked, 5 bought.
    stage: u8,
}

struct Generator {
    rng: Rng,
    next_id: u64,
}

impl Generator {
    fn person(&mut self) -> Person {
        let id = self.next_id;
        self.next_id += 1;
        let rng = &mut self.rng;
        Person {
            id,
            country: rng.weighted(&COUNTRIES),
            channel: rng.weighted(&CHANNELS),
            time_ms: START_MS + rng.below(365 * 86_400_000) as i64,
            left: 3 + rng.below(15) as u32,
            stage: 0,
        }
    }

    /// The next event of `p`: (name, channel, cost, revenue).
    fn step(&mut self, p: &mut Person) -> (&'static str, &'static str, Option<f64>, Option<f64>) {
        let rng = &mut self.rng;
        // Minutes to days between events.
        p.time_ms += 30_000 + rng.below(3 * 86_400_000) as i64 / (1 + rng.below(20) as i64);
        if rng.chance(20) {
            p.channel = rng.weighted(&CHANNELS);
        }
        let advance = match p.stage {
            0 => rng.chance(30),
            1 => rng.chance(35),
            2 => rng.chance(60),
            3 => rng.chance(30),
            4 => rng.chance(45),
            _ => false,
        };
        if advance {
            p.stage += 1;
        }
        let event = match (advance, p.stage) {
            (true, 1) => "pricing_view",
            (true, 2) => "signup",
            (true, 3) => "trial_start",
            (true, 4) => "demo_booked",
            (true, 5) => "purchase",
            (false, s) if s >= 1 && rng.chance(25) => "pricing_view",
            _ => "page_view",
        };
        let cost = (p.channel == "ads" && event == "page_view").then(|| (20 + rng.below(280)) as f64 / 100.0);
        let revenue = (event == "purchase").then(|| PRICES[rng.below(PRICES.len() as u64) as usize]);
        (event, p.channel, cost, revenue)
    }
}

/// Writes `rows` events (plus a header) to `path`; the same `seed` gives
/// the same file.
pub fn write_synthetic_csv(path: &Path, rows: usize, seed: u64) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    write_synthetic(&mut out, rows, seed)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()
}

/// `write_synthetic_csv` into any writer.
pub fn write_synthetic(out: &mut impl Write, rows: usize, seed: u64) -> io::Result<()> {
    writeln!(out, "{SYNTHETIC_HEADER}")?;
    let mut g = Generator {
        rng: Rng(seed ^ 0x4A4D_4150),
        next_id: 1,
    };
    let mut active: Vec<Person> = (0..ACTIVE.min(rows)).map(|_| g.person()).collect();
    let mut line = String::with_capacity(128);
    for _ in 0..rows {
        let slot = g.rng.below(active.len() as u64) as usize;
        let mut p = std::mem::replace(
            &mut active[slot],
            Person {
                id: 0,
                country: "",
                channel: "",
                time_ms: 0,
                left: 0,
                stage: 0,
            },
        );
        let (event, channel, cost, revenue) = g.step(&mut p);
        line.clear();
        use std::fmt::Write as _;
        let when = chrono::DateTime::from_timestamp_millis(p.time_ms).unwrap_or_default();
        let _ = write!(
            line,
            "u{:07},{},{event},{channel},",
            p.id,
            when.format("%Y-%m-%dT%H:%M:%SZ")
        );
        if let Some(c) = cost {
            let _ = write!(line, "{c:.2}");
        }
        line.push(',');
        if let Some(r) = revenue {
            let _ = write!(line, "{r:.2}");
        }
        let _ = writeln!(line, ",{}", p.country);
        out.write_all(line.as_bytes())?;
        p.left -= 1;
        active[slot] = if p.left == 0 || p.stage == 5 && g.rng.chance(50) {
            g.person()
        } else {
            p
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(rows: usize, seed: u64) -> String {
        let mut out = Vec::new();
        write_synthetic(&mut out, rows, seed).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn deterministic_and_the_requested_size() {
        let a = generate(5000, 7);
        assert_eq!(a, generate(5000, 7));
        assert_ne!(a, generate(5000, 8));
        assert_eq!(a.lines().count(), 5001);
        assert_eq!(a.lines().next(), Some(SYNTHETIC_HEADER));
        assert_eq!(generate(0, 1).lines().count(), 1);
    }

    #[test]
    fn looks_like_a_funnel() {
        let text = generate(20_000, 1);
        let count = |name: &str| text.lines().filter(|l| l.split(',').nth(2) == Some(name)).count();
        let (views, pricing, signups, purchases) = (
            count("page_view"),
            count("pricing_view"),
            count("signup"),
            count("purchase"),
        );
        assert!(views > pricing && pricing > signups && signups > purchases && purchases > 0);
        let people: std::collections::HashSet<&str> = text.lines().skip(1).map(|l| &l[..8]).collect();
        let per_person = 20_000.0 / people.len() as f64;
        assert!((5.0..15.0).contains(&per_person), "{per_person} events per person");
        assert!(text.lines().any(|l| l.contains(",ads,") && !l.contains(",ads,,")));
    }
}
