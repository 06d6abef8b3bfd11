//! A running nearest-rank percentile over a multiset of values, O(log n) to insert or remove.
//!
//! The values are split in two ordered multisets at the percentile's rank: `low` holds the
//! `rank(n)` smallest, `high` the rest, so the percentile is the largest value in `low`. An
//! insert or a removal changes the rank by at most one, so at most one value moves across.

use std::collections::BTreeMap;

/// An `f64` as a `u64` whose order is the IEEE total order (`f64::total_cmp`): -NaN, -inf,
/// negative values, -0, +0, positive values, +inf, NaN. Any bit pattern has a place, so a NaN
/// cannot break the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key(u64);

const SIGN: u64 = 1 << 63;

impl Key {
    fn of(v: f64) -> Self {
        let bits = v.to_bits();
        Self(if bits & SIGN != 0 { !bits } else { bits | SIGN })
    }

    fn value(self) -> f64 {
        let bits = if self.0 & SIGN != 0 {
            self.0 & !SIGN
        } else {
            !self.0
        };
        f64::from_bits(bits)
    }
}

/// Values with their counts, and how many there are in all.
#[derive(Debug, Clone, Default)]
struct Multiset {
    counts: BTreeMap<Key, u32>,
    len: usize,
}

impl Multiset {
    fn insert(&mut self, k: Key) {
        *self.counts.entry(k).or_insert(0) += 1;
        self.len += 1;
    }

    /// Removes one `k`; false when there is none.
    fn remove(&mut self, k: Key) -> bool {
        let Some(count) = self.counts.get_mut(&k) else {
            return false;
        };
        *count -= 1;
        if *count == 0 {
            self.counts.remove(&k);
        }
        self.len -= 1;
        true
    }

    fn first(&self) -> Option<Key> {
        self.counts.keys().next().copied()
    }

    fn last(&self) -> Option<Key> {
        self.counts.keys().next_back().copied()
    }
}

/// The `pct`-th percentile, by the nearest-rank method, of the values inserted and not yet
/// removed.
#[derive(Debug, Clone)]
pub(crate) struct Percentile {
    pct: usize,
    low: Multiset,
    high: Multiset,
}

/// Estimated heap bytes per distinct value: a B-tree leaf of 11 `(u64, u32)` entries is
/// about 144 bytes, and leaves are between half and fully used.
const BYTES_PER_DISTINCT_VALUE: usize = 24;

impl Percentile {
    /// `pct` is in 1..=100.
    pub(crate) fn new(pct: usize) -> Self {
        Self {
            pct: pct.clamp(1, 100),
            low: Multiset::default(),
            high: Multiset::default(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.low.len + self.high.len
    }

    /// The rank (1-based) of the percentile among `n` values: `ceil(pct * n / 100)`.
    fn rank(&self, n: usize) -> usize {
        (self.pct * n).div_ceil(100)
    }

    pub(crate) fn insert(&mut self, v: f64) {
        let k = Key::of(v);
        if self.low.last().is_some_and(|top| k <= top) {
            self.low.insert(k);
        } else {
            self.high.insert(k);
        }
        self.rebalance();
    }

    /// Removes one value equal to `v` (bit for bit); false when there is none.
    pub(crate) fn remove(&mut self, v: f64) -> bool {
        let k = Key::of(v);
        let removed = self.low.remove(k) || self.high.remove(k);
        self.rebalance();
        removed
    }

    pub(crate) fn clear(&mut self) {
        self.low = Multiset::default();
        self.high = Multiset::default();
    }

    /// The percentile; `None` when empty.
    pub(crate) fn value(&self) -> Option<f64> {
        self.low.last().map(Key::value)
    }

    /// Moves values across until `low` holds exactly `rank(n)` of them.
    fn rebalance(&mut self) {
        let target = self.rank(self.len());
        while self.low.len > target {
            let Some(k) = self.low.last() else { break };
            self.low.remove(k);
            self.high.insert(k);
        }
        while self.low.len < target {
            let Some(k) = self.high.first() else { break };
            self.high.remove(k);
            self.low.insert(k);
        }
    }

    /// Estimated heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        (self.low.counts.len() + self.high.counts.len()) * BYTES_PER_DISTINCT_VALUE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn naive(values: &[f64], pct: usize) -> Option<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let rank = (pct * sorted.len()).div_ceil(100);
        rank.checked_sub(1).and_then(|i| sorted.get(i).copied())
    }

    #[test]
    fn keys_order_every_value_like_total_cmp() {
        let values = [
            -f64::NAN,
            f64::NEG_INFINITY,
            -1e30,
            -1.0,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            1.0,
            1e30,
            f64::INFINITY,
            f64::NAN,
        ];
        for pair in values.windows(2) {
            assert!(
                Key::of(pair[0]) < Key::of(pair[1]),
                "{:?} sorts before {:?}",
                pair[0],
                pair[1]
            );
        }
        for v in values {
            assert_eq!(
                Key::of(v).value().to_bits(),
                v.to_bits(),
                "{v:?} comes back"
            );
        }
    }

    #[test]
    fn nan_takes_its_place_without_disturbing_the_rest() {
        let mut p = Percentile::new(50);
        for v in [3.0, f64::NAN, 1.0, 2.0] {
            p.insert(v);
        }
        assert_eq!(p.value(), Some(2.0), "the 2nd of 1, 2, 3, NaN");
        assert!(p.remove(f64::NAN), "NaN is found again");
        assert_eq!(p.value(), Some(2.0), "the 2nd of 1, 2, 3");
        assert!(!p.remove(7.0), "a value never inserted is not removed");
        assert_eq!(p.len(), 3, "nothing else went");
    }

    /// An operation on the multiset: insert a value, or remove the one at this position
    /// among those present (any of them, not only the oldest).
    #[derive(Debug, Clone)]
    enum Step {
        Insert(f64),
        Remove(usize),
    }

    fn steps() -> impl Strategy<Value = Vec<Step>> {
        let value = prop_oneof![
            3 => (0u8..8).prop_map(f64::from),
            2 => -1e6f64..1e6,
            1 => prop::sample::select(vec![0.0, -0.0, f64::INFINITY, f64::NAN]),
        ];
        let step = prop_oneof![
            3 => value.prop_map(Step::Insert),
            2 => any::<usize>().prop_map(Step::Remove),
        ];
        prop::collection::vec(step, 1..300)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn matches_a_sorted_copy_through_random_removals(steps in steps(), pct in 1usize..=100) {
            let mut p = Percentile::new(pct);
            let mut model: Vec<f64> = Vec::new();
            for step in steps {
                match step {
                    Step::Insert(v) => {
                        p.insert(v);
                        model.push(v);
                    }
                    Step::Remove(i) if !model.is_empty() => {
                        let v = model.swap_remove(i % model.len());
                        prop_assert!(p.remove(v), "{:?} was present", v);
                    }
                    Step::Remove(_) => prop_assert!(!p.remove(1.0), "nothing to remove"),
                }
                prop_assert_eq!(p.len(), model.len(), "count");
                prop_assert_eq!(
                    p.value().map(f64::to_bits),
                    naive(&model, pct).map(f64::to_bits),
                    "p{} of {:?}", pct, model
                );
                prop_assert_eq!(p.low.len, p.rank(p.len()), "low holds exactly the rank's values");
            }
        }
    }
}
