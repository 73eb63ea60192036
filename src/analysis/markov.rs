//! Data-driven attribution: the removal effect of a first-order Markov chain.
//!
//! Every journey is a path of touches (channels or touchpoints) from a start
//! state to one of two absorbing states, conversion or null. Counting the
//! moves between states gives a chain; P(conversion) is the probability of
//! being absorbed in conversion from the start. A key's removal effect is
//! `1 - P(conversion with the key removed) / P(conversion)`, removing a key
//! sending every move into it to null. Conversions and revenue are shared in
//! proportion to the removal effects.
//!
//! The chain is solved exactly, not simulated, so results are reproducible:
//! with `G = (I - Q)^-1` over the transient states (start and keys), the
//! absorption probabilities are `p = G b` (`b` the one-step conversion
//! probabilities), and since removing `c` loses exactly the conversions of
//! paths that visit `c`, `P - P_without_c = h_c p_c`, where `h_c = G[start][c]
//! / G[c][c]` is the probability of ever visiting `c`.

use serde::Serialize;

use super::attribution::{AttributionSpec, TouchMap};
use super::event_log::EventLog;

/// Above this many states the dense solve (cubic in the states) would take
/// more than a few seconds.
pub const MAX_MARKOV_STATES: usize = 1000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarkovRow {
    pub key: String,
    /// `1 - P(conversion without this key) / P(conversion)`, in 0..=1.
    pub removal_effect: f64,
    /// Share of the attributed conversions and of their revenue.
    pub conversions: f64,
    pub revenue: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarkovReport {
    /// P(conversion) from the start state over the journeys with a touch.
    pub conversion_probability: f64,
    /// Converting journeys with at least one touch, and their revenue: what
    /// the rows share.
    pub attributed_conversions: u64,
    pub attributed_revenue: f64,
    /// Keys with a removal effect above zero, largest first, then by name.
    pub rows: Vec<MarkovRow>,
}

/// Why the chain was not solved.
#[derive(Debug, Clone, PartialEq)]
pub struct TooManyStates {
    pub states: usize,
}

impl std::fmt::Display for TooManyStates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the Markov model has {} states, more than the {} it solves exactly; attribute by channel or \
             group the touchpoints",
            self.states, MAX_MARKOV_STATES
        )
    }
}

/// The removal effect of each key `0..keys` over `journeys` (touch keys in
/// order, converted or not). Keys no journey visits get 0.
pub fn removal_effects<'a>(
    keys: usize,
    journeys: impl IntoIterator<Item = (&'a [u32], bool)>,
) -> Result<(f64, Vec<f64>), TooManyStates> {
    // Dense state numbers: 0 is the start, then keys in order of appearance.
    let mut state_of: Vec<Option<usize>> = vec![None; keys];
    let mut key_of: Vec<usize> = Vec::new();
    let mut moves: Vec<(usize, Option<usize>, bool)> = Vec::new(); // (from, to or absorbed, converted)
    for (touches, converted) in journeys {
        if touches.is_empty() {
            continue;
        }
        let mut from = 0;
        for &k in touches {
            let s = *state_of[k as usize].get_or_insert_with(|| {
                key_of.push(k as usize);
                key_of.len()
            });
            moves.push((from, Some(s), false));
            from = s;
        }
        moves.push((from, None, converted));
    }
    let n = key_of.len() + 1;
    if n > MAX_MARKOV_STATES {
        return Err(TooManyStates { states: n });
    }
    let mut q = vec![0.0; n * n];
    let mut b = vec![0.0; n];
    let mut out = vec![0.0_f64; n];
    for &(from, to, converted) in &moves {
        out[from] += 1.0;
        match to {
            Some(to) => q[from * n + to] += 1.0,
            None if converted => b[from] += 1.0,
            None => {}
        }
    }
    // A = I - Q, rows normalised by each state's moves out.
    let mut a = vec![0.0; n * n];
    for i in 0..n {
        let total = out[i].max(1.0);
        for j in 0..n {
            a[i * n + j] = f64::from(u8::from(i == j)) - q[i * n + j] / total;
        }
        b[i] /= total;
    }
    let g = invert(a, n);
    let p: Vec<f64> = (0..n).map(|i| (0..n).map(|j| g[i * n + j] * b[j]).sum()).collect();
    let total = p[0];
    let mut effects = vec![0.0; keys];
    if total > 0.0 {
        for (s, &k) in key_of.iter().enumerate().map(|(i, k)| (i + 1, k)) {
            let visit = g[s] / g[s * n + s];
            effects[k] = (visit * p[s] / total).clamp(0.0, 1.0);
        }
    }
    Ok((total, effects))
}

/// Gauss-Jordan with partial pivoting. `a` is `I - Q` of an absorbing chain,
/// so it is non-singular and diagonally dominant.
fn invert(mut a: Vec<f64>, n: usize) -> Vec<f64> {
    let mut inv = vec![0.0; n * n];
    for i in 0..n {
        inv[i * n + i] = 1.0;
    }
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&x, &y| a[x * n + col].abs().total_cmp(&a[y * n + col].abs()))
            .expect("a column below the diagonal");
        if pivot != col {
            for j in 0..n {
                a.swap(pivot * n + j, col * n + j);
                inv.swap(pivot * n + j, col * n + j);
            }
        }
        // Left of `col` the pivot row is already zero.
        let d = a[col * n + col];
        for j in col..n {
            a[col * n + j] /= d;
        }
        for j in 0..n {
            inv[col * n + j] /= d;
        }
        for r in 0..n {
            let f = a[r * n + col];
            if r == col || f == 0.0 {
                continue;
            }
            for j in col..n {
                a[r * n + j] -= f * a[col * n + j];
            }
            for j in 0..n {
                inv[r * n + j] -= f * inv[col * n + j];
            }
        }
    }
    inv
}

/// Markov attribution of the conversions in `log`, with the touches and
/// conventions of `attribute`: a conversion's journey is its touches in
/// range (since the previous conversion when the spec says so, within the
/// lookback), ending in conversion; a person who never converts gives one
/// journey of all their touches, ending in null. Touches after a person's
/// last conversion are not a journey. Conversions without touches are left
/// out (they are the heuristic models' unattributed part).
pub fn markov_attribution(
    log: &EventLog,
    spec: &AttributionSpec,
    touches: TouchMap,
    key_names: &[String],
) -> Result<MarkovReport, TooManyStates> {
    let mut is_conversion = vec![false; log.event_names.len()];
    for &e in &spec.conversion_events {
        if let Some(slot) = is_conversion.get_mut(e as usize) {
            *slot = true;
        }
    }
    let mut paths: Vec<Vec<u32>> = Vec::new();
    let mut converted: Vec<Option<f64>> = Vec::new(); // revenue if converted
    let mut keys = key_names.len();
    for p in 0..log.person_count() {
        let mut open: Vec<(i64, u32)> = Vec::new();
        let mut any_conversion = false;
        for i in log.person_range(p) {
            let t = log.time_ms[i];
            if !is_conversion[log.event[i] as usize] {
                if let Some(key) = touches.key(log, i) {
                    keys = keys.max(key as usize + 1);
                    open.push((t, key));
                }
                continue;
            }
            any_conversion = true;
            let in_range = open
                .iter()
                .filter(|&&(tt, _)| spec.lookback_ms.is_none_or(|l| t - tt <= l))
                .map(|&(_, k)| k);
            let path: Vec<u32> = in_range.collect();
            if !path.is_empty() {
                paths.push(path);
                converted.push(Some(log.revenue(i)));
            }
            if spec.since_previous_conversion {
                open.clear();
            }
        }
        if !any_conversion && !open.is_empty() {
            paths.push(open.iter().map(|&(_, k)| k).collect());
            converted.push(None);
        }
    }
    let journeys = paths.iter().zip(&converted).map(|(p, c)| (p.as_slice(), c.is_some()));
    let (probability, effects) = removal_effects(keys, journeys)?;
    let attributed_conversions = converted.iter().flatten().count() as u64;
    let attributed_revenue: f64 = converted.iter().flatten().sum();
    let sum: f64 = effects.iter().sum();
    let mut rows: Vec<MarkovRow> = effects
        .iter()
        .enumerate()
        .filter(|&(_, &e)| e > 0.0)
        .map(|(k, &e)| MarkovRow {
            key: key_names.get(k).cloned().unwrap_or_else(|| format!("#{k}")),
            removal_effect: e,
            conversions: attributed_conversions as f64 * e / sum,
            revenue: attributed_revenue * e / sum,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.removal_effect
            .total_cmp(&a.removal_effect)
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(MarkovReport {
        conversion_probability: probability,
        attributed_conversions,
        attributed_revenue,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::EventLogBuilder;

    const A: u32 = 0;
    const B: u32 = 1;
    const C: u32 = 2;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    /// The same quantities by value iteration, one chain per removal: an
    /// independent check of the closed form.
    fn iterated(keys: usize, journeys: &[(Vec<u32>, bool)]) -> (f64, Vec<f64>) {
        // States: 0 start, 1 + key; counts of moves to states or absorption.
        let n = keys + 1;
        let mut to = vec![vec![0.0; n]; n];
        let mut conv = vec![0.0; n];
        let mut out = vec![0.0; n];
        for (path, converted) in journeys.iter().filter(|(p, _)| !p.is_empty()) {
            let mut from = 0;
            for &k in path {
                to[from][k as usize + 1] += 1.0;
                out[from] += 1.0;
                from = k as usize + 1;
            }
            out[from] += 1.0;
            if *converted {
                conv[from] += 1.0;
            }
        }
        let solve = |removed: Option<usize>| {
            let mut p = vec![0.0; n];
            for _ in 0..100_000 {
                let mut next = vec![0.0; n];
                let mut change: f64 = 0.0;
                for i in 0..n {
                    if Some(i) == removed || out[i] == 0.0 {
                        continue;
                    }
                    let v = (conv[i] + (0..n).map(|j| to[i][j] * p[j]).sum::<f64>()) / out[i];
                    change = change.max((v - p[i]).abs());
                    next[i] = v;
                }
                p = next;
                if change < 1e-15 {
                    break;
                }
            }
            p[0]
        };
        let total = solve(None);
        let effects = (0..keys)
            .map(|k| {
                if total > 0.0 {
                    1.0 - solve(Some(k + 1)) / total
                } else {
                    0.0
                }
            })
            .collect();
        (total, effects)
    }

    fn solved(keys: usize, journeys: &[(Vec<u32>, bool)]) -> (f64, Vec<f64>) {
        removal_effects(keys, journeys.iter().map(|(p, c)| (p.as_slice(), *c))).unwrap()
    }

    #[test]
    fn hand_solved_chain_with_a_loop() {
        // Journeys: A B -> conversion, A -> null, B A -> conversion.
        // Moves: start: A 2, B 1. A: B 1, null 1, conversion 1. B: conversion 1, A 1.
        // p_A = 1/3 + p_B / 3 and p_B = 1/2 + p_A / 2, so p_A = 3/5, p_B = 4/5;
        // P = 2/3 * 3/5 + 1/3 * 4/5 = 2/3.
        // Without A: p_B = 1/2, P = 1/3 * 1/2 = 1/6, effect 1 - (1/6)/(2/3) = 3/4.
        // Without B: p_A = 1/3, P = 2/3 * 1/3 = 2/9, effect 1 - (2/9)/(2/3) = 2/3.
        // Shares: A 9/17, B 8/17 of 2 conversions and of 100 + 70 revenue.
        let journeys = [(vec![A, B], true), (vec![A], false), (vec![B, A], true)];
        let (p, effects) = solved(2, &journeys);
        assert!(close(p, 2.0 / 3.0, 1e-12));
        assert!(close(effects[0], 0.75, 1e-12), "{effects:?}");
        assert!(close(effects[1], 2.0 / 3.0, 1e-12), "{effects:?}");

        let mut b = EventLogBuilder::default();
        for (person, touches, revenue) in [
            ("ann", "ab", Some(100.0)),
            ("bob", "a", None),
            ("cid", "ba", Some(70.0)),
        ] {
            for (t, c) in touches.chars().enumerate() {
                b.push(person, t as i64, "visit", Some(&c.to_string()), 0.0, 0.0);
            }
            if let Some(r) = revenue {
                b.push(person, 10, "buy", None, 0.0, r);
            }
        }
        let log = b.build();
        let spec = AttributionSpec::new(vec![log.event_id("buy").unwrap()]);
        let r = markov_attribution(&log, &spec, TouchMap::Channel, &log.channel_names).unwrap();
        assert_eq!(r.attributed_conversions, 2);
        let row = |k: &str| r.rows.iter().find(|row| row.key == k).unwrap();
        assert!(close(row("a").conversions, 18.0 / 17.0, 1e-12));
        assert!(close(row("b").conversions, 16.0 / 17.0, 1e-12));
        assert!(close(row("a").revenue, 90.0, 1e-9));
        assert!(close(row("b").revenue, 80.0, 1e-9));
        assert_eq!(r.rows[0].key, "a");
    }

    /// A small deterministic generator of journeys over `keys` keys.
    fn journeys(seed: u64, keys: u32, count: usize) -> Vec<(Vec<u32>, bool)> {
        let mut s = seed;
        let mut next = move |n: u64| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (s >> 33) % n
        };
        (0..count)
            .map(|_| {
                let len = 1 + next(6) as usize;
                let path: Vec<u32> = (0..len).map(|_| next(u64::from(keys)) as u32).collect();
                // Key 0 helps, the last key hurts.
                let odds = 20 + 25 * u64::from(path.contains(&0)) - 15 * u64::from(path.contains(&(keys - 1)));
                (path, next(100) < odds)
            })
            .collect()
    }

    #[test]
    fn exact_solution_equals_value_iteration() {
        for seed in 1..8 {
            let keys = 2 + seed as u32;
            let js = journeys(seed, keys, 300);
            let (p, effects) = solved(keys as usize, &js);
            let (p2, effects2) = iterated(keys as usize, &js);
            assert!(close(p, p2, 1e-9), "seed {seed}: {p} vs {p2}");
            for (e, e2) in effects.iter().zip(&effects2) {
                assert!(close(*e, *e2, 1e-9), "seed {seed}: {effects:?} vs {effects2:?}");
            }
        }
    }

    #[test]
    fn a_key_nobody_converts_through_has_no_effect() {
        for seed in 1..6 {
            let js = journeys(seed, 2, 200);
            let (p, effects) = solved(3, &js);
            // C only ever ends journeys that do not convert.
            let with_c: Vec<_> = js
                .iter()
                .map(|(path, converted)| {
                    let mut path = path.clone();
                    if !converted {
                        path.push(C);
                    }
                    (path, *converted)
                })
                .collect();
            let (p_c, effects_c) = solved(3, &with_c);
            assert_eq!(effects_c[C as usize], 0.0);
            assert!(close(p, p_c, 1e-12));
            assert!(close(effects[0], effects_c[0], 1e-12) && close(effects[1], effects_c[1], 1e-12));
        }
    }

    #[test]
    fn no_conversions_no_effects_and_a_size_guard() {
        let (p, effects) = solved(2, &[(vec![A, B], false)]);
        assert_eq!((p, effects), (0.0, vec![0.0, 0.0]));
        let wide: Vec<u32> = (0..MAX_MARKOV_STATES as u32).collect();
        let err = removal_effects(wide.len(), [(wide.as_slice(), true)]).unwrap_err();
        assert_eq!(err.states, MAX_MARKOV_STATES + 1);
        assert!(err.to_string().contains("more than the 1000"));
    }
}
