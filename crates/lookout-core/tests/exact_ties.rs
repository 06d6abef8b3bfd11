//! Readings compare with thresholds exactly as written: 68.7 `>=` 68.7 holds for every
//! aggregate, and a byte count a few bytes over a threshold of gigabytes is over.

use lookout_core::rule::{Aggregate, Op, Rule, Severity};
use lookout_core::{Engine, EventKind, MetricKey, Snapshot, Timestamp};
use std::time::Duration;

fn rule(metric: &str, aggregate: Aggregate, op: Op, threshold: f64) -> Rule {
    Rule {
        name: format!("{metric} {aggregate:?} {op:?} {threshold}"),
        metric: MetricKey::parse(metric).expect("valid key"),
        aggregate,
        window: Duration::from_secs(10),
        op,
        threshold,
        clear_threshold: threshold,
        pending_for: Duration::ZERO,
        keep_firing_for: Duration::ZERO,
        repeat_every: None,
        repeat_max: None,
        notify_resolved: true,
        severity: Severity::Warning,
        channels: vec![],
        enabled: true,
        min_coverage: 0.9,
        only_when: None,
    }
}

/// Whether `rule` fires over 30 s of 1 s readings, the reading at second `s` being `value(s)`.
fn fires(rule: Rule, value: impl Fn(i64) -> f64) -> bool {
    first_firing(rule, value).is_some()
}

const AGGREGATES: [Aggregate; 5] = [
    Aggregate::All,
    Aggregate::Avg,
    Aggregate::Min,
    Aggregate::Max,
    Aggregate::P95,
];

#[test]
fn a_decimal_reading_equal_to_the_threshold_is_a_tie_for_every_aggregate() {
    for threshold in [68.7, 0.1, 33.3, 99.99] {
        for aggregate in AGGREGATES {
            for (op, tie_fires) in [
                (Op::Ge, true),
                (Op::Le, true),
                (Op::Gt, false),
                (Op::Lt, false),
            ] {
                assert_eq!(
                    fires(rule("cpu.total", aggregate, op, threshold), |_| threshold),
                    tie_fires,
                    "{threshold} {op:?} {threshold} by {aggregate:?}"
                );
            }
        }
    }
}

#[test]
fn a_byte_count_a_few_bytes_off_a_threshold_is_judged_by_those_bytes() {
    let threshold = 9_812_345_678.0;
    for aggregate in AGGREGATES {
        for (delta, over) in [
            (100.0, true),
            (3.0, true),
            (1.0, true),
            (-1.0, false),
            (-100.0, false),
        ] {
            assert_eq!(
                fires(
                    rule("mem.used_bytes", aggregate, Op::Gt, threshold),
                    |_| threshold + delta
                ),
                over,
                "{delta:+} bytes by {aggregate:?}"
            );
        }
    }
}

#[test]
fn equal_readings_average_exactly_once_different_ones_have_left_the_window() {
    // The 10 s window first holds other readings (seconds 1-3), then only the tie: from
    // second 13 it holds nothing else, and the average is the tie exactly from then on.
    for tie in [68.7, 0.1, 33.3, 9_812_345_678.1] {
        for (op, first) in [(Op::Ge, tie - 10.0), (Op::Le, tie + 10.0)] {
            let reading = |s: i64| if s <= 3 { first } else { tie };
            assert_eq!(
                first_firing(rule("cpu.total", Aggregate::Avg, op, tie), reading),
                Some(13),
                "avg {op:?} {tie} after {first}"
            );
        }
    }
}

/// The second at which `rule` first fires over 30 s of 1 s readings.
fn first_firing(rule: Rule, value: impl Fn(i64) -> f64) -> Option<i64> {
    let metric = rule.metric.clone();
    let mut engine = Engine::new(Duration::from_secs(1), vec![rule]);
    (1..=30).find(|&s| {
        let mut snap = Snapshot::new();
        snap.insert(metric.clone(), value(s));
        engine
            .tick(Timestamp::from_millis(s * 1000), &snap)
            .iter()
            .any(|e| e.state == EventKind::Firing)
    })
}
