//! Rolling time windows with O(1) amortised aggregates (sum, monotonic min/max deques) and
//! an O(log n) running percentile for p95, plus coverage (samples present / samples expected).
//!
//! A window's storage grows as samples arrive, up to what a full window holds; nothing is
//! reserved for the whole span up front.

mod percentile;

use crate::rule::{Aggregate, Op};
use crate::time::{duration_ms, Timestamp};
use percentile::Percentile;
use std::collections::VecDeque;
use std::time::Duration;

/// Samples a window's storage starts with once it holds any.
const MIN_CAPACITY: usize = 8;

/// Which order statistics a window keeps besides its running sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowNeeds {
    pub min: bool,
    pub max: bool,
    pub p95: bool,
}

impl WindowNeeds {
    /// What `aggregate` compared with `op` needs (`all` is the min for `>`, the max for `<`).
    pub fn for_rule(aggregate: Aggregate, op: Op) -> Self {
        let mut needs = Self::default();
        match aggregate {
            Aggregate::All if op.is_upper() => needs.min = true,
            Aggregate::All => needs.max = true,
            Aggregate::Min => needs.min = true,
            Aggregate::Max => needs.max = true,
            Aggregate::P95 => needs.p95 = true,
            Aggregate::Avg => {}
        }
        needs
    }

    pub fn union(self, other: Self) -> Self {
        Self {
            min: self.min || other.min,
            max: self.max || other.max,
            p95: self.p95 || other.p95,
        }
    }
}

/// Samples within `(now - span, now]`, stored compactly: a 4-byte time offset and an 8-byte
/// value per sample, plus at most 4 bytes per sample for each monotonic deque in use and
/// about 24 bytes per distinct value for p95.
///
/// Values are kept as read, in `f64`, so a reading compares with a threshold exactly as the
/// user wrote both (68.7 `>=` 68.7 holds; a byte count a few bytes over is over).
#[derive(Debug, Clone)]
pub struct RollingWindow {
    span_ms: i64,
    expected: f64,
    base: i64,
    times: VecDeque<u32>,
    values: VecDeque<f64>,
    /// Sequence number of the oldest retained sample; deques hold sequence numbers.
    front_seq: u32,
    /// The running sum is of each value's difference from `pivot`, a value the window holds
    /// (the sample numbered `pivot_seq`), so the average of equal readings is that reading
    /// exactly, not a rounded sum over n. When that sample leaves, the newest becomes the
    /// pivot and the sum is taken again (once per window turnover at most).
    pivot: f64,
    pivot_seq: u32,
    sum: f64,
    evicted_since_resum: usize,
    /// Samples a full window holds at the expected rate: storage grows up to this, then only
    /// when more samples than expected arrive.
    full_len: usize,
    min_q: Option<VecDeque<u32>>,
    max_q: Option<VecDeque<u32>>,
    p95: Option<Percentile>,
}

impl RollingWindow {
    /// A window of `span` fed every `interval`; `needs` selects the order statistics kept.
    pub fn new(span: Duration, interval: Duration, needs: WindowNeeds) -> Self {
        let span_ms = duration_ms(span).max(1);
        let interval_ms = duration_ms(interval).max(1);
        let expected = (span_ms as f64 / interval_ms as f64).max(1.0);
        Self {
            span_ms,
            expected,
            base: 0,
            times: VecDeque::new(),
            values: VecDeque::new(),
            front_seq: 0,
            pivot: 0.0,
            pivot_seq: 0,
            sum: 0.0,
            evicted_since_resum: 0,
            full_len: (expected as usize).saturating_add(2),
            min_q: needs.min.then(VecDeque::new),
            max_q: needs.max.then(VecDeque::new),
            p95: needs.p95.then(|| Percentile::new(95)),
        }
    }

    /// Starts keeping the order statistics in `needs` as well (rebuilt from retained samples).
    pub fn ensure(&mut self, needs: WindowNeeds) {
        let rebuild = (needs.min && self.min_q.is_none())
            || (needs.max && self.max_q.is_none())
            || (needs.p95 && self.p95.is_none());
        if !rebuild {
            return;
        }
        let current = WindowNeeds {
            min: self.min_q.is_some(),
            max: self.max_q.is_some(),
            p95: self.p95.is_some(),
        };
        let mut fresh = Self::new(
            Duration::from_millis(self.span_ms.unsigned_abs()),
            Duration::from_millis(((self.span_ms as f64) / self.expected) as u64),
            current.union(needs),
        );
        for (t, v) in self.iter() {
            fresh.push(t, v);
        }
        *self = fresh;
    }

    pub fn span(&self) -> Duration {
        Duration::from_millis(self.span_ms.unsigned_abs())
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Samples present over samples expected in a full window, capped at 1.
    pub fn coverage(&self) -> f64 {
        (self.len() as f64 / self.expected).min(1.0)
    }

    /// Drops everything (used when the clock went backwards).
    pub fn clear(&mut self) {
        self.times.clear();
        self.values.clear();
        self.sum = 0.0;
        self.evicted_since_resum = 0;
        self.front_seq = 0;
        for q in [&mut self.min_q, &mut self.max_q].into_iter().flatten() {
            q.clear();
        }
        if let Some(p) = &mut self.p95 {
            p.clear();
        }
    }

    fn last_time(&self) -> Option<i64> {
        self.times.back().map(|&off| self.base + i64::from(off))
    }

    /// Moves the window's end to `now`, dropping samples at or before `now - span`.
    /// A `now` earlier than the newest sample means the clock went back: the window empties.
    pub fn advance(&mut self, now: Timestamp) {
        let now = now.as_millis();
        if self.last_time().is_some_and(|last| now < last) {
            self.clear();
            return;
        }
        let cutoff = now.saturating_sub(self.span_ms);
        while let Some(&off) = self.times.front() {
            if self.base + i64::from(off) > cutoff {
                break;
            }
            self.pop_front();
        }
    }

    /// Adds a sample at `at`. Non-finite values are ignored (absent, not data); a sample not
    /// after the newest one means the clock went back, and the window restarts from it.
    pub fn push(&mut self, at: Timestamp, value: f64) {
        if !value.is_finite() {
            return;
        }
        if self.last_time().is_some_and(|last| at.as_millis() <= last) {
            self.clear();
        }
        self.advance(at);
        let t = at.as_millis();
        if self.times.is_empty() {
            self.base = t;
            self.pivot = value;
            self.pivot_seq = self.front_seq;
            self.sum = 0.0;
        } else if t - self.base > i64::from(u32::MAX / 2) {
            self.rebase();
        }
        let off = u32::try_from(t - self.base).unwrap_or(u32::MAX);
        let v = value;
        let seq = self.front_seq.wrapping_add(self.values.len() as u32);
        grow(&mut self.times, self.full_len);
        grow(&mut self.values, self.full_len);
        self.times.push_back(off);
        self.values.push_back(v);
        self.sum += v - self.pivot;
        if let Some(q) = &mut self.min_q {
            while q
                .back()
                .is_some_and(|&s| value_at(&self.values, self.front_seq, s) >= v)
            {
                q.pop_back();
            }
            q.push_back(seq);
        }
        if let Some(q) = &mut self.max_q {
            while q
                .back()
                .is_some_and(|&s| value_at(&self.values, self.front_seq, s) <= v)
            {
                q.pop_back();
            }
            q.push_back(seq);
        }
        if let Some(p) = &mut self.p95 {
            p.insert(v);
        }
    }

    fn rebase(&mut self) {
        let Some(&front) = self.times.front() else {
            return;
        };
        self.base += i64::from(front);
        for off in &mut self.times {
            *off -= front;
        }
    }

    fn pop_front(&mut self) {
        let (Some(_), Some(v)) = (self.times.pop_front(), self.values.pop_front()) else {
            return;
        };
        let seq = self.front_seq;
        self.front_seq = seq.wrapping_add(1);
        self.sum -= v - self.pivot;
        for q in [&mut self.min_q, &mut self.max_q].into_iter().flatten() {
            if q.front() == Some(&seq) {
                q.pop_front();
            }
        }
        if let Some(p) = &mut self.p95 {
            p.remove(v);
        }
        // Re-add from scratch when the pivot leaves, and at least once per window turnover,
        // so float drift cannot build up.
        self.evicted_since_resum += 1;
        if seq == self.pivot_seq || self.evicted_since_resum > self.values.len() {
            self.repivot();
        }
    }

    /// Makes the newest sample the pivot and sums again.
    fn repivot(&mut self) {
        let Some(&newest) = self.values.back() else {
            return;
        };
        self.pivot = newest;
        self.pivot_seq = self
            .front_seq
            .wrapping_add(self.values.len() as u32)
            .wrapping_sub(1);
        self.sum = self.values.iter().map(|v| v - newest).sum();
        self.evicted_since_resum = 0;
    }

    pub fn avg(&self) -> Option<f64> {
        (!self.is_empty()).then(|| self.pivot + self.sum / self.len() as f64)
    }

    /// The smallest retained value; `None` when empty or when the window keeps no min.
    pub fn min(&self) -> Option<f64> {
        let s = *self.min_q.as_ref()?.front()?;
        Some(value_at(&self.values, self.front_seq, s))
    }

    pub fn max(&self) -> Option<f64> {
        let s = *self.max_q.as_ref()?.front()?;
        Some(value_at(&self.values, self.front_seq, s))
    }

    /// The 95th percentile by the nearest-rank method: the `ceil(0.95 n)`-th smallest value.
    pub fn p95(&self) -> Option<f64> {
        self.p95.as_ref()?.value()
    }

    /// The aggregate a rule compares; `all` is the min for `>`/`>=` and the max for `<`/`<=`
    /// (every sample exceeds the threshold exactly when the smallest one does).
    pub fn aggregate(&self, aggregate: Aggregate, op: Op) -> Option<f64> {
        match aggregate {
            Aggregate::All if op.is_upper() => self.min(),
            Aggregate::All | Aggregate::Max => self.max(),
            Aggregate::Avg => self.avg(),
            Aggregate::Min => self.min(),
            Aggregate::P95 => self.p95(),
        }
    }

    /// Retained samples, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (Timestamp, f64)> + '_ {
        self.times
            .iter()
            .zip(&self.values)
            .map(|(&off, &v)| (Timestamp::from_millis(self.base + i64::from(off)), v))
    }

    /// Heap bytes held by this window (capacity, not just length; p95's tree estimated).
    pub fn heap_bytes(&self) -> usize {
        let q = |q: &Option<VecDeque<u32>>| q.as_ref().map_or(0, |q| q.capacity() * 4);
        self.times.capacity() * 4
            + self.values.capacity() * 8
            + q(&self.min_q)
            + q(&self.max_q)
            + self.p95.as_ref().map_or(0, Percentile::heap_bytes)
    }

    /// Samples the window can hold before its storage grows again.
    pub fn capacity(&self) -> usize {
        self.times.capacity().min(self.values.capacity())
    }
}

/// Makes room for one more item: doubling from [`MIN_CAPACITY`] but stopping at `full_len`
/// (what a full window holds); past that, the deque's own amortised growth.
fn grow<T>(deque: &mut VecDeque<T>, full_len: usize) {
    let len = deque.len();
    if len < deque.capacity() {
        return;
    }
    if len < full_len {
        let target = len.saturating_mul(2).max(MIN_CAPACITY).min(full_len);
        deque.reserve_exact(target.saturating_sub(len).max(1));
    } else {
        deque.reserve(1);
    }
}

fn value_at(values: &VecDeque<f64>, front_seq: u32, seq: u32) -> f64 {
    values
        .get(seq.wrapping_sub(front_seq) as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests;
