//! Small numeric helpers shared by the analyses, and the one quantile
//! definition every figure uses (the funnel's medians, time to convert, the
//! events before converting), so the same data never gives two medians.

/// `num / den`, or `None` when there is nothing to divide by: a rate over
/// nobody is unknown, not zero.
pub(crate) fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// Where the `q`-quantile falls among `n` sorted values: the rank below and
/// how far towards the next. This is the "type 7" definition (DuckDB's
/// `quantile_cont`, numpy's default, R's default): position q·(n−1),
/// interpolated linearly between the two nearest ranks, so figures can be
/// checked against SQL.
fn position(n: usize, q: f64) -> Option<(usize, f64)> {
    if n == 0 {
        return None;
    }
    let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
    let lo = pos.floor() as usize;
    Some((lo, pos - lo as f64))
}

fn between(low: f64, high: f64, frac: f64) -> f64 {
    if frac == 0.0 { low } else { low + (high - low) * frac }
}

/// The `q`-quantile (0..=1) of values sorted ascending; `None` when empty.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let (lo, frac) = position(sorted.len(), q)?;
    let high = sorted.get(lo + 1).copied().unwrap_or(sorted[lo]);
    Some(between(sorted[lo], high, frac))
}

/// The `q`-quantile of `values` in any order (reordered; selection, not a
/// sort: a million durations take a few milliseconds); `None` when empty.
pub(crate) fn quantile(values: &mut [i64], q: f64) -> Option<f64> {
    let (lo, frac) = position(values.len(), q)?;
    let (_, &mut low, rest) = values.select_nth_unstable(lo);
    let high = rest.iter().min().copied().unwrap_or(low);
    Some(between(low as f64, high as f64, frac))
}

/// The `q`-quantile of a histogram: `(value, how many)` pairs sorted by
/// value, as if each value were repeated that many times.
pub fn quantile_of_counts(counts: &[(f64, u64)], q: f64) -> Option<f64> {
    let n: u64 = counts.iter().map(|&(_, c)| c).sum();
    let (lo, frac) = position(n as usize, q)?;
    let at = |rank: usize| {
        let mut seen = 0u64;
        counts.iter().find_map(|&(v, c)| {
            seen += c;
            (seen > rank as u64).then_some(v)
        })
    };
    let low = at(lo)?;
    Some(between(low, at(lo + 1).unwrap_or(low), frac))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantiles_interpolate_between_ranks() {
        let mut v = vec![40, 10, 30, 20];
        assert_eq!(quantile(&mut v, 0.5), Some(25.0));
        assert_eq!(quantile(&mut v, 0.9), Some(37.0));
        assert_eq!(quantile(&mut v, 0.0), Some(10.0));
        assert_eq!(quantile(&mut v, 1.0), Some(40.0));
        assert_eq!(quantile(&mut [7], 0.9), Some(7.0));
        assert_eq!(quantile(&mut [], 0.5), None);
        // numpy.quantile([1, 2, 3, 4, 10], [0.5, 0.9, 0.95]) = 3, 7.6, 8.8
        let sorted = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&sorted, 0.5), Some(3.0));
        assert!((quantile_sorted(&sorted, 0.9).unwrap() - 7.6).abs() < 1e-12);
        assert!((quantile_sorted(&sorted, 0.95).unwrap() - 8.8).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[], 0.5), None);
        // An even count's median is the mean of the middle two, not one of them.
        assert_eq!(quantile_sorted(&[1.0, 2.0], 0.5), Some(1.5));
        assert_eq!(quantile_of_counts(&[(1.0, 1), (2.0, 1)], 0.5), Some(1.5));
        assert_eq!(quantile_of_counts(&[(0.0, 0), (3.0, 2), (9.0, 1)], 0.5), Some(3.0));
        assert_eq!(quantile_of_counts(&[], 0.5), None);
    }

    proptest! {
        /// The three ways in (unsorted, sorted, histogram) are one definition.
        #[test]
        fn every_form_gives_the_same_quantile(values in prop::collection::vec(0i64..50, 1..40), q in 0.0f64..=1.0) {
            let mut unsorted = values.clone();
            let mut sorted: Vec<f64> = values.iter().map(|&v| v as f64).collect();
            sorted.sort_by(f64::total_cmp);
            let mut counts: Vec<(f64, u64)> = Vec::new();
            for &v in &sorted {
                match counts.last_mut() {
                    Some((last, c)) if *last == v => *c += 1,
                    _ => counts.push((v, 1)),
                }
            }
            let a = quantile(&mut unsorted, q).unwrap();
            let b = quantile_sorted(&sorted, q).unwrap();
            let c = quantile_of_counts(&counts, q).unwrap();
            prop_assert!((a - b).abs() < 1e-9 && (b - c).abs() < 1e-9, "{a} {b} {c}");
        }
    }

    #[test]
    fn ratio_over_nobody_is_unknown() {
        assert_eq!(ratio(1, 4), Some(0.25));
        assert_eq!(ratio(0, 0), None);
    }
}
