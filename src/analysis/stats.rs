//! Small numeric helpers shared by the analyses.

/// `num / den`, or `None` when there is nothing to divide by: a rate over
/// nobody is unknown, not zero.
pub(crate) fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// The `q`-quantile (0..=1) of `values`, interpolated linearly between the
/// two nearest ranks (the "type 7" definition used by DuckDB's
/// `quantile_cont`, numpy and R), so figures can be checked against SQL.
/// Reorders `values`; `None` when empty.
pub(crate) fn quantile(values: &mut [i64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let pos = q.clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let lo = pos.floor() as usize;
    // Selection, not a sort: a million durations take a few milliseconds.
    let (_, &mut low, rest) = values.select_nth_unstable(lo);
    let low = low as f64;
    let frac = pos - lo as f64;
    if frac == 0.0 || rest.is_empty() {
        return Some(low);
    }
    let high = *rest.iter().min().expect("rest is not empty") as f64;
    Some(low + (high - low) * frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_ranks() {
        let mut v = vec![40, 10, 30, 20];
        assert_eq!(quantile(&mut v, 0.5), Some(25.0));
        assert_eq!(quantile(&mut v, 0.9), Some(37.0));
        assert_eq!(quantile(&mut v, 0.0), Some(10.0));
        assert_eq!(quantile(&mut v, 1.0), Some(40.0));
        assert_eq!(quantile(&mut [7], 0.9), Some(7.0));
        assert_eq!(quantile(&mut [], 0.5), None);
    }

    #[test]
    fn ratio_over_nobody_is_unknown() {
        assert_eq!(ratio(1, 4), Some(0.25));
        assert_eq!(ratio(0, 0), None);
    }
}
