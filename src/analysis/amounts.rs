//! A column of amounts that are mostly zero (events' cost or revenue): the
//! non-zero values, a bitmap of the events that have one, and a running
//! count per 64 events, so reading event i's amount is constant time and
//! the column takes a few bits per event plus 8 bytes per amount.

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Amounts {
    /// Bit `i % 64` of word `i / 64`: event i has an amount. Empty when none has.
    bits: Vec<u64>,
    /// The amounts before word w.
    rank: Vec<u32>,
    values: Vec<f64>,
}

impl Amounts {
    /// The amounts of `len` events from (event index, amount) pairs in
    /// increasing index order, each below `len`; zeros are left out.
    pub fn from_sorted(len: usize, pairs: impl IntoIterator<Item = (usize, f64)>) -> Amounts {
        let mut a = Amounts::default();
        for (i, v) in pairs {
            if v == 0.0 {
                continue;
            }
            if a.bits.is_empty() {
                a.bits = vec![0; len.div_ceil(64)];
            }
            a.bits[i / 64] |= 1 << (i % 64);
            a.values.push(v);
        }
        let mut before = 0u32;
        a.rank = a
            .bits
            .iter()
            .map(|w| {
                let r = before;
                before += w.count_ones();
                r
            })
            .collect();
        a
    }

    /// From one amount per event.
    pub fn from_dense(values: &[f64]) -> Amounts {
        Amounts::from_sorted(values.len(), values.iter().copied().enumerate())
    }

    /// Event `i`'s amount, 0 when it has none.
    #[inline]
    pub fn get(&self, i: usize) -> f64 {
        let Some(&word) = self.bits.get(i / 64) else {
            return 0.0;
        };
        let bit = 1u64 << (i % 64);
        if word & bit == 0 {
            return 0.0;
        }
        self.values[self.rank[i / 64] as usize + (word & (bit - 1)).count_ones() as usize]
    }

    /// True when every amount is 0.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// (event index, amount) of the non-zero amounts, in index order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let indices = self.bits.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let b = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    w * 64 + b
                })
            })
        });
        indices.zip(self.values.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_was_stored() {
        let mut dense = vec![0.0; 300];
        for (i, v) in [(0, 1.5), (63, -2.0), (64, 3.0), (130, 4.25), (299, 9.0)] {
            dense[i] = v;
        }
        let a = Amounts::from_dense(&dense);
        assert_eq!((0..300).map(|i| a.get(i)).collect::<Vec<_>>(), dense);
        assert_eq!(a.get(1000), 0.0);
        let pairs: Vec<_> = a.iter().collect();
        assert_eq!(pairs, [(0, 1.5), (63, -2.0), (64, 3.0), (130, 4.25), (299, 9.0)]);
        assert_eq!(Amounts::from_sorted(300, pairs), a);
        let none = Amounts::from_dense(&[0.0; 10]);
        assert!(none.is_empty());
        assert_eq!(none, Amounts::default());
    }
}
