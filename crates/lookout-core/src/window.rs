//! Rolling time windows with O(1) amortised aggregates (sum, monotonic min/max deques) and
//! an order-statistics buffer for p95, plus coverage (samples present / samples expected).

use crate::rule::{Aggregate, Op};
use crate::time::{duration_ms, Timestamp};
use std::collections::VecDeque;
use std::time::Duration;

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

/// Samples within `(now - span, now]`, stored compactly: a 4-byte time offset and a 4-byte
/// value per sample, plus at most 4 bytes per sample for each monotonic deque in use.
///
/// Values are kept as `f32` (7 significant digits, plenty for percentages, rates and bytes).
#[derive(Debug, Clone)]
pub struct RollingWindow {
    span_ms: i64,
    expected: f64,
    base: i64,
    times: VecDeque<u32>,
    values: VecDeque<f32>,
    /// Sequence number of the oldest retained sample; deques hold sequence numbers.
    front_seq: u32,
    sum: f64,
    evicted_since_resum: usize,
    min_q: Option<VecDeque<u32>>,
    max_q: Option<VecDeque<u32>>,
    sorted: Option<Vec<f32>>,
}

impl RollingWindow {
    /// A window of `span` fed every `interval`; `needs` selects the order statistics kept.
    pub fn new(span: Duration, interval: Duration, needs: WindowNeeds) -> Self {
        let span_ms = duration_ms(span).max(1);
        let interval_ms = duration_ms(interval).max(1);
        let expected = (span_ms as f64 / interval_ms as f64).max(1.0);
        let cap = expected as usize + 2;
        Self {
            span_ms,
            expected,
            base: 0,
            times: VecDeque::with_capacity(cap),
            values: VecDeque::with_capacity(cap),
            front_seq: 0,
            sum: 0.0,
            evicted_since_resum: 0,
            min_q: needs.min.then(VecDeque::new),
            max_q: needs.max.then(VecDeque::new),
            sorted: needs.p95.then(|| Vec::with_capacity(cap)),
        }
    }

    /// Starts keeping the order statistics in `needs` as well (rebuilt from retained samples).
    pub fn ensure(&mut self, needs: WindowNeeds) {
        let rebuild = (needs.min && self.min_q.is_none())
            || (needs.max && self.max_q.is_none())
            || (needs.p95 && self.sorted.is_none());
        if !rebuild {
            return;
        }
        let current = WindowNeeds {
            min: self.min_q.is_some(),
            max: self.max_q.is_some(),
            p95: self.sorted.is_some(),
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
        if let Some(s) = &mut self.sorted {
            s.clear();
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
        } else if t - self.base > i64::from(u32::MAX / 2) {
            self.rebase();
        }
        let off = u32::try_from(t - self.base).unwrap_or(u32::MAX);
        let v = value as f32;
        let seq = self.front_seq.wrapping_add(self.values.len() as u32);
        self.times.push_back(off);
        self.values.push_back(v);
        self.sum += f64::from(v);
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
        if let Some(sorted) = &mut self.sorted {
            let at = sorted.partition_point(|&x| x < v);
            sorted.insert(at, v);
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
        self.sum -= f64::from(v);
        for q in [&mut self.min_q, &mut self.max_q].into_iter().flatten() {
            if q.front() == Some(&seq) {
                q.pop_front();
            }
        }
        if let Some(sorted) = &mut self.sorted {
            let at = sorted.partition_point(|&x| x < v);
            if at < sorted.len() {
                sorted.remove(at);
            }
        }
        // Re-add from scratch once per window turnover, so float drift cannot build up.
        self.evicted_since_resum += 1;
        if self.evicted_since_resum > self.values.len() {
            self.sum = self.values.iter().map(|&x| f64::from(x)).sum();
            self.evicted_since_resum = 0;
        }
    }

    pub fn avg(&self) -> Option<f64> {
        (!self.is_empty()).then(|| self.sum / self.len() as f64)
    }

    /// The smallest retained value; `None` when empty or when the window keeps no min.
    pub fn min(&self) -> Option<f64> {
        let s = *self.min_q.as_ref()?.front()?;
        Some(f64::from(value_at(&self.values, self.front_seq, s)))
    }

    pub fn max(&self) -> Option<f64> {
        let s = *self.max_q.as_ref()?.front()?;
        Some(f64::from(value_at(&self.values, self.front_seq, s)))
    }

    /// The 95th percentile by the nearest-rank method: the `ceil(0.95 n)`-th smallest value.
    pub fn p95(&self) -> Option<f64> {
        let sorted = self.sorted.as_ref()?;
        let rank = (95 * sorted.len()).div_ceil(100).max(1);
        sorted.get(rank - 1).map(|&v| f64::from(v))
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
        self.times.iter().zip(&self.values).map(|(&off, &v)| {
            (
                Timestamp::from_millis(self.base + i64::from(off)),
                f64::from(v),
            )
        })
    }

    /// Heap bytes held by this window (capacity, not just length).
    pub fn heap_bytes(&self) -> usize {
        let q = |q: &Option<VecDeque<u32>>| q.as_ref().map_or(0, |q| q.capacity() * 4);
        self.times.capacity() * 4
            + self.values.capacity() * 4
            + q(&self.min_q)
            + q(&self.max_q)
            + self.sorted.as_ref().map_or(0, |s| s.capacity() * 4)
    }
}

fn value_at(values: &VecDeque<f32>, front_seq: u32, seq: u32) -> f32 {
    values
        .get(seq.wrapping_sub(front_seq) as usize)
        .copied()
        .unwrap_or(f32::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: i64) -> Timestamp {
        Timestamp::from_millis(s * 1000)
    }

    fn all_needs() -> WindowNeeds {
        WindowNeeds {
            min: true,
            max: true,
            p95: true,
        }
    }

    #[test]
    fn keeps_only_samples_inside_the_span() {
        let mut w =
            RollingWindow::new(Duration::from_secs(10), Duration::from_secs(1), all_needs());
        for s in 1..=15 {
            w.push(ts(s), s as f64);
        }
        assert_eq!(w.len(), 10, "window (5, 15] holds 10 samples");
        assert_eq!(w.min(), Some(6.0));
        assert_eq!(w.max(), Some(15.0));
        assert_eq!(w.avg(), Some(10.5));
        assert_eq!(w.coverage(), 1.0);
    }

    #[test]
    fn a_gap_lowers_coverage() {
        let mut w =
            RollingWindow::new(Duration::from_secs(10), Duration::from_secs(1), all_needs());
        for s in 1..=10 {
            w.push(ts(s), 50.0);
        }
        w.push(ts(18), 50.0);
        assert_eq!(w.len(), 3, "samples at 9, 10 and 18 remain in (8, 18]");
        assert!(
            (w.coverage() - 0.3).abs() < 1e-9,
            "coverage {}",
            w.coverage()
        );
        w.advance(ts(40));
        assert!(w.is_empty(), "advancing past the span empties the window");
        assert_eq!(w.avg(), None, "an empty window has no aggregate");
    }

    #[test]
    fn clock_going_back_restarts_the_window() {
        let mut w =
            RollingWindow::new(Duration::from_secs(60), Duration::from_secs(1), all_needs());
        for s in 100..110 {
            w.push(ts(s), 1.0);
        }
        w.push(ts(50), 7.0);
        assert_eq!(
            w.len(),
            1,
            "older samples are dropped after a backwards jump"
        );
        assert_eq!(w.max(), Some(7.0));
    }

    #[test]
    fn all_is_min_for_upper_ops_and_max_for_lower_ops() {
        let mut w = RollingWindow::new(Duration::from_secs(5), Duration::from_secs(1), all_needs());
        for (s, v) in [(1, 85.0), (2, 90.0), (3, 81.0)] {
            w.push(ts(s), v);
        }
        assert_eq!(w.aggregate(Aggregate::All, Op::Gt), Some(81.0));
        assert_eq!(w.aggregate(Aggregate::All, Op::Le), Some(90.0));
    }

    #[test]
    fn p95_uses_nearest_rank() {
        let mut w = RollingWindow::new(
            Duration::from_secs(100),
            Duration::from_secs(1),
            all_needs(),
        );
        for s in 1..=20 {
            w.push(ts(s), s as f64);
        }
        assert_eq!(w.p95(), Some(19.0), "ceil(0.95 * 20) = 19th smallest");
    }

    #[test]
    fn ensure_adds_statistics_from_retained_samples() {
        let mut w = RollingWindow::new(
            Duration::from_secs(10),
            Duration::from_secs(1),
            WindowNeeds::default(),
        );
        for s in 1..=5 {
            w.push(ts(s), (10 - s) as f64);
        }
        assert_eq!(w.min(), None, "no min kept yet");
        w.ensure(WindowNeeds {
            min: true,
            ..WindowNeeds::default()
        });
        assert_eq!(w.min(), Some(5.0));
        assert_eq!(w.len(), 5);
    }

    #[test]
    fn non_finite_values_are_not_data() {
        let mut w =
            RollingWindow::new(Duration::from_secs(10), Duration::from_secs(1), all_needs());
        w.push(ts(1), f64::NAN);
        w.push(ts(2), f64::INFINITY);
        assert!(w.is_empty(), "NaN and infinity are absent readings");
    }

    #[test]
    fn long_runs_rebase_offsets_without_losing_samples() {
        let mut w = RollingWindow::new(
            Duration::from_secs(120),
            Duration::from_secs(60),
            all_needs(),
        );
        // 60 days at one sample a minute, never empty, crosses the u32 rebase point.
        let n = 60 * 24 * 60;
        for m in 0..n {
            w.push(ts(m * 60), (m % 7) as f64);
        }
        assert_eq!(w.len(), 2, "window (now-120s, now] holds two samples");
        let times: Vec<Timestamp> = w.iter().map(|(t, _)| t).collect();
        assert_eq!(
            times,
            vec![ts((n - 2) * 60), ts((n - 1) * 60)],
            "timestamps survive rebasing"
        );
    }
}
