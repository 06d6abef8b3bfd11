//! Property tests: every rolling aggregate equals a naive recomputation over random streams.

use lookout_core::rule::{Aggregate, Op};
use lookout_core::window::{RollingWindow, WindowNeeds};
use lookout_core::Timestamp;
use proptest::prelude::*;
use std::time::Duration;

/// One step of a stream: how far time moves (in ticks, 0 = a clock going back) and the value,
/// if one was read (None is a missing sample).
#[derive(Debug, Clone)]
struct Step {
    ticks: i64,
    value: Option<f64>,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let step = (
        prop_oneof![8 => Just(1i64), 1 => 2..6i64, 1 => 10..40i64, 1 => Just(-3i64)],
        prop_oneof![6 => (-1000.0..1000.0f64).prop_map(Some), 1 => Just(None)],
    )
        .prop_map(|(ticks, value)| Step { ticks, value });
    prop::collection::vec(step, 1..400)
}

fn naive_p95(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let rank = (95 * v.len()).div_ceil(100).max(1);
    Some(v[rank - 1])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn aggregates_match_naive_recomputation(steps in steps(), span_ticks in 1i64..50) {
        let interval_ms = 1000;
        let span = Duration::from_millis((span_ticks * interval_ms) as u64);
        let needs = WindowNeeds { min: true, max: true, p95: true };
        let mut window = RollingWindow::new(span, Duration::from_millis(interval_ms as u64), needs);
        let mut kept: Vec<(i64, f64)> = Vec::new();
        let mut now = 1_000_000i64;
        for step in steps {
            now += step.ticks * interval_ms;
            // The model: a clock going back empties the window, then (t - span, t] is kept.
            if kept.last().is_some_and(|&(t, _)| now < t || (now == t && step.value.is_some())) {
                kept.clear();
            }
            match step.value {
                Some(v) => window.push(Timestamp::from_millis(now), v),
                None => window.advance(Timestamp::from_millis(now)),
            }
            if let Some(v) = step.value {
                kept.push((now, v));
            }
            kept.retain(|&(t, _)| t > now - span_ticks * interval_ms);
            let values: Vec<f64> = kept.iter().map(|&(_, v)| v).collect();

            prop_assert_eq!(window.len(), values.len(), "sample count");
            let expected_cov = (values.len() as f64 / span_ticks as f64).min(1.0);
            prop_assert!((window.coverage() - expected_cov).abs() < 1e-9, "coverage {} vs {}", window.coverage(), expected_cov);
            let min = values.iter().copied().reduce(f64::min);
            let max = values.iter().copied().reduce(f64::max);
            prop_assert_eq!(window.min(), min, "min");
            prop_assert_eq!(window.max(), max, "max");
            prop_assert_eq!(window.p95(), naive_p95(values.clone()), "p95");
            prop_assert_eq!(window.aggregate(Aggregate::All, Op::Gt), min, "all for > is the min");
            prop_assert_eq!(window.aggregate(Aggregate::All, Op::Le), max, "all for <= is the max");
            match (window.avg(), values.is_empty()) {
                (None, true) => {}
                (Some(avg), false) => {
                    let naive = values.iter().sum::<f64>() / values.len() as f64;
                    prop_assert!((avg - naive).abs() <= 1e-6 * (1.0 + naive.abs()), "avg {} vs {}", avg, naive);
                }
                (avg, empty) => prop_assert!(false, "avg {:?} for empty={}", avg, empty),
            }
            // `all` really means every sample satisfies the comparison.
            let threshold = 0.0;
            let all_naive = !values.is_empty() && values.iter().all(|&v| v > threshold);
            let all_window = window.aggregate(Aggregate::All, Op::Gt).is_some_and(|m| m > threshold);
            prop_assert_eq!(all_window, all_naive, "all > 0");
        }
    }

    /// p95 through evictions of any size: values with many repeats (and signed zeros), time
    /// moving by random amounts so that anything from none to all of the window goes at once,
    /// and a window that adds p95 while it holds samples.
    #[test]
    fn p95_matches_naive_through_random_evictions(
        steps in prop::collection::vec(
            (0i64..60, prop_oneof![3 => (0u8..6).prop_map(f64::from), 1 => Just(-0.0), 2 => -50.0..50.0f64]),
            1..500,
        ),
        span_ticks in 1i64..60,
        late_p95 in any::<bool>(),
    ) {
        let interval_ms = 1000;
        let span_ms = span_ticks * interval_ms;
        let needs = WindowNeeds { min: false, max: false, p95: !late_p95 };
        let mut window = RollingWindow::new(Duration::from_millis(span_ms as u64), Duration::from_millis(interval_ms as u64), needs);
        let mut kept: Vec<(i64, f64)> = Vec::new();
        let mut now = 0i64;
        for (i, (ticks, v)) in steps.into_iter().enumerate() {
            // Never a step back here: 0 ticks moves time by one millisecond.
            now += (ticks * interval_ms).max(1);
            window.push(Timestamp::from_millis(now), v);
            kept.push((now, v));
            kept.retain(|&(t, _)| t > now - span_ms);
            if late_p95 && i == 10 {
                window.ensure(WindowNeeds { p95: true, ..WindowNeeds::default() });
            }
            let values: Vec<f64> = kept.iter().map(|&(_, v)| v).collect();
            prop_assert_eq!(window.len(), values.len(), "sample count");
            let want = if late_p95 && i < 10 { None } else { naive_p95(values.clone()) };
            prop_assert_eq!(window.p95().map(f64::to_bits), want.map(f64::to_bits), "p95 of {:?}", values);
        }
    }

    #[test]
    fn memory_stays_within_16_bytes_per_sample_without_p95(values in prop::collection::vec(-100.0..100.0f64, 3600..4000)) {
        let needs = WindowNeeds { min: true, max: true, p95: false };
        let mut window = RollingWindow::new(Duration::from_secs(3600), Duration::from_secs(1), needs);
        for (i, v) in values.iter().enumerate() {
            window.push(Timestamp::from_millis(i as i64 * 1000), *v);
        }
        prop_assert!(window.heap_bytes() <= 16 * window.len() + 64, "{} bytes for {} samples", window.heap_bytes(), window.len());
    }
}
