//! Unit tests of the rolling window: span, coverage, clock jumps, statistics and storage.

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
    let mut w = RollingWindow::new(Duration::from_secs(10), Duration::from_secs(1), all_needs());
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
    let mut w = RollingWindow::new(Duration::from_secs(10), Duration::from_secs(1), all_needs());
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
    let mut w = RollingWindow::new(Duration::from_secs(60), Duration::from_secs(1), all_needs());
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
fn a_fresh_window_for_a_long_span_holds_a_small_allocation() {
    // A day at 100 ms is 864,000 samples; the old window reserved them all up front.
    let mut w = RollingWindow::new(
        Duration::from_secs(24 * 3600),
        Duration::from_millis(100),
        all_needs(),
    );
    for s in 1..=5 {
        w.push(ts(s), s as f64);
    }
    assert!(w.capacity() <= MIN_CAPACITY, "capacity {}", w.capacity());
    assert!(
        w.heap_bytes() < 1024,
        "{} heap bytes for 5 samples",
        w.heap_bytes()
    );
}

#[test]
fn storage_grows_to_a_full_window_and_past_it_only_when_needed() {
    let mut w = RollingWindow::new(
        Duration::from_secs(100),
        Duration::from_secs(1),
        all_needs(),
    );
    for s in 1..=300 {
        w.push(ts(s), (s % 13) as f64);
    }
    assert_eq!(w.len(), 100, "a full window");
    assert!(
        (100..=102).contains(&w.capacity()),
        "a full window's storage is its size, not the next doubling: {}",
        w.capacity()
    );
    // Samples ten times as often as expected: the window holds them all.
    for tenth in 3001..=4000 {
        w.push(Timestamp::from_millis(tenth * 100), 1.0);
    }
    assert_eq!(w.len(), 1000, "(300, 400] s holds a sample every 100 ms");
    assert!(w.capacity() >= 1000, "capacity {}", w.capacity());
}

#[test]
fn non_finite_values_are_not_data() {
    let mut w = RollingWindow::new(Duration::from_secs(10), Duration::from_secs(1), all_needs());
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
