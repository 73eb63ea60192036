//! A deterministic, realistic-looking event log of any size, for benchmarks,
//! demos and tests that need volume without shipping data.
//!
//! Each person has 3 to 17 events (10 on average) spread over days, moving
//! through signup -> trial_start -> demo_booked -> purchase with falling
//! odds, between page views, blog reads, ad clicks and email opens that
//! carry channels, costs and revenue. A few events share a timestamp, as
//! real trackers produce, so tie handling is exercised too.

use super::event_log::{Amounts, EventLog, NO_CHANNEL};

/// The vocabulary, in event-number order.
pub const EVENT_NAMES: [&str; 12] = [
    "page_view",
    "blog_read",
    "ad_click",
    "email_open",
    "pricing_view",
    "signup",
    "trial_start",
    "demo_booked",
    "purchase",
    "webinar_attended",
    "newsletter_signup",
    "support_ticket",
];

/// The channels, in channel-number order.
pub const CHANNEL_NAMES: [&str; 7] = ["search", "ads", "social", "email", "referral", "direct", "blog"];

const PAGE_VIEW: u32 = 0;
const BLOG_READ: u32 = 1;
const AD_CLICK: u32 = 2;
const EMAIL_OPEN: u32 = 3;
const PRICING_VIEW: u32 = 4;
/// signup, trial_start, demo_booked, purchase: the milestones, in order.
const MILESTONES: [u32; 4] = [5, 6, 7, 8];
const PURCHASE: u32 = 8;
const WEBINAR: u32 = 9;
const NEWSLETTER: u32 = 10;
const SUPPORT: u32 = 11;

const ADS: u32 = 1;
const EMAIL: u32 = 3;
const BLOG: u32 = 6;

/// 2025-01-01T00:00:00Z.
const EPOCH_2025_MS: i64 = 1_735_689_600_000;
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// `people` people with about ten events each; the same `seed` gives the
/// same log. Person ids are `u0000000`, `u0000001`, ...
pub fn synthetic_log(people: usize, seed: u64) -> EventLog {
    let mut rng = SplitMix64(seed);
    let capacity = people * 10;
    let (mut costs, mut revenues) = (Vec::with_capacity(capacity), Vec::with_capacity(capacity));
    let mut log = EventLog {
        people: Vec::with_capacity(people),
        event_names: EVENT_NAMES.iter().map(|s| s.to_string()).collect(),
        channel_names: CHANNEL_NAMES.iter().map(|s| s.to_string()).collect(),
        person: Vec::with_capacity(capacity),
        time_ms: Vec::with_capacity(capacity),
        event: Vec::with_capacity(capacity),
        channel: Vec::with_capacity(capacity),
        cost: Default::default(),
        revenue: Default::default(),
        person_start: Vec::with_capacity(people + 1),
        spend: Vec::new(),
    };
    for p in 0..people {
        log.people.push(format!("u{p:07}"));
        log.person_start.push(log.event.len() as u32);
        let n = 3 + rng.below(15);
        let mut t = EPOCH_2025_MS + rng.below(90 * DAY as u64) as i64;
        let mut session = first_channel(&mut rng);
        // How far along the milestones this person is (4 = customer).
        let mut stage = 0;
        for k in 0..n {
            if k > 0 {
                let r = rng.unit();
                t += if r < 0.03 {
                    0 // same instant as the previous event
                } else if r < 0.70 {
                    5_000 + rng.below(15 * MINUTE as u64) as i64
                } else {
                    // A new visit, maybe from another channel.
                    session = first_channel(&mut rng);
                    HOUR + rng.below(10 * DAY as u64) as i64
                };
            }
            // Odds of taking the next milestone at this event.
            const ADVANCE: [f64; 4] = [0.06, 0.35, 0.22, 0.30];
            let (event, channel) = if stage < 4 && k > 0 && rng.unit() < ADVANCE[stage] {
                stage += 1;
                (MILESTONES[stage - 1], NO_CHANNEL)
            } else {
                noise(&mut rng, stage, session)
            };
            let cost = if event == AD_CLICK {
                (20 + rng.below(280)) as f64 / 100.0
            } else {
                0.0
            };
            let revenue = if event == PURCHASE {
                [49.0, 99.0, 199.0, 499.0][rng.below(4) as usize]
            } else {
                0.0
            };
            log.person.push(p as u32);
            log.time_ms.push(t);
            log.event.push(event);
            log.channel.push(channel);
            costs.push(cost);
            revenues.push(revenue);
        }
    }
    log.person_start.push(log.event.len() as u32);
    log.set_money(Amounts::from_dense(&costs), Amounts::from_dense(&revenues));
    log
}

/// How a visit started: search and ads bring most people.
fn first_channel(rng: &mut SplitMix64) -> u32 {
    const WEIGHTS: [u64; 7] = [30, 22, 15, 10, 8, 10, 5];
    let mut r = rng.below(WEIGHTS.iter().sum());
    for (c, &w) in WEIGHTS.iter().enumerate() {
        if r < w {
            return c as u32;
        }
        r -= w;
    }
    unreachable!("weights cover the range")
}

/// An event that is not a milestone; what is likely depends on the stage.
fn noise(rng: &mut SplitMix64, stage: usize, session: u32) -> (u32, u32) {
    let r = rng.below(100);
    match r {
        0..=44 => (PAGE_VIEW, session),
        45..=56 => (BLOG_READ, BLOG),
        57..=66 => (AD_CLICK, ADS),
        67..=76 if stage > 0 => (EMAIL_OPEN, EMAIL),
        67..=86 => (PRICING_VIEW, session),
        87..=90 => (WEBINAR, NO_CHANNEL),
        91..=94 => (NEWSLETTER, NO_CHANNEL),
        _ if stage == 4 && r >= 98 => (PURCHASE, NO_CHANNEL), // a repeat order
        _ if stage == 4 => (SUPPORT, NO_CHANNEL),
        _ => (PAGE_VIEW, session),
    }
}

/// Small, fast and reproducible everywhere; quality is ample for test data.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (the tiny modulo bias does not matter here).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::event_log::EventLogBuilder;

    #[test]
    fn is_deterministic_sorted_and_well_formed() {
        let log = synthetic_log(2000, 7);
        assert_eq!(log, synthetic_log(2000, 7));
        assert_ne!(log, synthetic_log(2000, 8));
        assert_eq!(log.person_count(), 2000);
        assert_eq!(log.person_start.len(), 2001);
        let per_person = log.len() as f64 / 2000.0;
        assert!((9.0..11.0).contains(&per_person), "{per_person} events per person");
        // Rebuilding through the builder (which sorts) changes nothing.
        let mut b = EventLogBuilder::default();
        for i in 0..log.len() {
            let c = log.channel[i];
            let channel = (c != NO_CHANNEL).then(|| CHANNEL_NAMES[c as usize]);
            let p = &log.people[log.person[i] as usize];
            let e = EVENT_NAMES[log.event[i] as usize];
            b.push(p, log.time_ms[i], e, channel, log.cost(i), log.revenue(i));
        }
        let rebuilt = b.build();
        assert_eq!(rebuilt.people, log.people);
        assert_eq!(rebuilt.time_ms, log.time_ms);
        assert_eq!(rebuilt.person_start, log.person_start);
        let names =
            |l: &EventLog| -> Vec<String> { l.event.iter().map(|&e| l.event_names[e as usize].clone()).collect() };
        assert_eq!(names(&rebuilt), names(&log));
        // Some ties, some buyers.
        assert!(
            log.time_ms
                .windows(2)
                .zip(log.person.windows(2))
                .any(|(t, p)| p[0] == p[1] && t[0] == t[1])
        );
        assert!(log.event.contains(&PURCHASE));
    }
}
