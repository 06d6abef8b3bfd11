//! The metric history on a real SQLite file: rollups equal a naive computation over the raw
//! readings, retention on simulated time keeps exactly what each tier keeps, queries mark
//! gaps, a backtest gives the live engine's transitions, and a restart refills the windows.

use lookout_core::rule::{Aggregate, Op, Rule, Severity};
use lookout_core::{Engine, EventKind, MetricKey, Snapshot, Timestamp};
use lookout_monitor::history::backtest::backtest;
use lookout_monitor::history::query::{query, HistoryQuery};
use lookout_monitor::history::{refill::refill, HistoryPolicy, Tier};
use lookout_monitor::store::Store;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;
use tempfile::TempDir;

const START: i64 = 1_700_000_000_000;
const SEC: i64 = 1000;
const MIN: i64 = 60 * SEC;
const DAY: i64 = 86_400 * SEC;

fn open() -> (TempDir, Store) {
    let dir = TempDir::new().expect("temp dir");
    let store = Store::open(&dir.path().join("lookout.db")).expect("store");
    (dir, store)
}

fn rule(aggregate: Aggregate, window_s: u64, op: Op, threshold: f64, clear: f64) -> Rule {
    Rule {
        name: "cpu busy".into(),
        metric: MetricKey::parse("cpu.total").expect("key"),
        aggregate,
        window: Duration::from_secs(window_s),
        op,
        threshold,
        clear_threshold: clear,
        pending_for: Duration::ZERO,
        keep_firing_for: Duration::ZERO,
        repeat_every: Some(Duration::from_secs(600)),
        repeat_max: None,
        notify_resolved: true,
        severity: Severity::Warning,
        channels: vec![],
        enabled: true,
        min_coverage: 0.9,
        only_when: None,
    }
}

/// Writes `readings` of one metric in batches of `batch` readings, as the recorder does.
fn write(store: &mut Store, metric: &str, readings: &[(i64, f64)], batch: usize) {
    for part in readings.chunks(batch.max(1)) {
        store
            .write_history(&[(metric.to_owned(), part.to_vec())])
            .expect("history written");
    }
}

/// Naive rollups: (min, max, sum, count) per bucket start.
fn naive(readings: &[(i64, f64)], width: i64) -> BTreeMap<i64, (f64, f64, f64, u64)> {
    let mut out: BTreeMap<i64, (f64, f64, f64, u64)> = BTreeMap::new();
    for &(t, v) in readings {
        let e = out.entry(t.div_euclid(width) * width).or_insert((
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            0,
        ));
        e.0 = e.0.min(v);
        e.1 = e.1.max(v);
        e.2 += v;
        e.3 += 1;
    }
    out
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1e6f64..1e6),
        (0u64..20_000_000_000).prop_map(|n| n as f64),
        Just(68.7),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn rollups_equal_a_naive_computation_and_raw_readings_come_back_exactly(
        steps in proptest::collection::vec((1i64..400_000, value()), 1..400),
        batch in 1usize..40,
    ) {
        let (_dir, mut store) = open();
        let mut t = START;
        let readings: Vec<(i64, f64)> = steps.iter().map(|&(dt, v)| { t += dt; (t, v) }).collect();
        write(&mut store, "cpu.total", &readings, batch);
        let end = t + 1;
        let raw = store.history_raw("cpu.total", START, end).expect("raw");
        prop_assert_eq!(raw.len(), readings.len());
        for (a, b) in readings.iter().zip(&raw) {
            prop_assert_eq!(a.0, b.0);
            prop_assert_eq!(a.1.to_bits(), b.1.to_bits());
        }
        for (tier, width) in [(Tier::Minute, MIN), (Tier::QuarterHour, 15 * MIN)] {
            let stored = store.history_rollups(tier, "cpu.total", 0, end).expect("rollups");
            let expected = naive(&readings, width);
            prop_assert_eq!(stored.len(), expected.len());
            for b in &stored {
                let (min, max, sum, count) = expected[&b.t];
                prop_assert_eq!(b.min.to_bits(), min.to_bits());
                prop_assert_eq!(b.max.to_bits(), max.to_bits());
                prop_assert_eq!(b.count, count);
                let scale = readings.iter().map(|r| r.1.abs()).fold(1.0, f64::max) * count as f64;
                prop_assert!((b.sum - sum).abs() <= scale * 1e-12, "sum {} vs {}", b.sum, sum);
            }
        }
    }
}

#[test]
fn writing_the_same_readings_twice_counts_them_once() {
    let (_dir, mut store) = open();
    let readings: Vec<(i64, f64)> = (0..10).map(|i| (START + i * SEC, 5.0)).collect();
    write(&mut store, "cpu.total", &readings, 10);
    write(&mut store, "cpu.total", &readings, 10);
    let minute = store
        .history_rollups(Tier::Minute, "cpu.total", 0, i64::MAX)
        .expect("rollups");
    assert_eq!(minute.iter().map(|b| b.count).sum::<u64>(), 10);
    assert_eq!(
        store
            .history_raw("cpu.total", 0, i64::MAX)
            .expect("raw")
            .len(),
        10
    );
}

#[test]
fn retention_keeps_each_tier_for_its_time_and_nothing_newer_is_touched() {
    let (_dir, mut store) = open();
    // 800 days, one reading every 10 minutes.
    let readings: Vec<(i64, f64)> = (0..800 * 144)
        .map(|i| (START + i * 10 * MIN, (i % 100) as f64))
        .collect();
    write(&mut store, "cpu.total", &readings, 144);
    let now = Timestamp::from_millis(START + 800 * DAY);
    let policy = HistoryPolicy::default();
    let removed = store.prune_history(&policy, now).expect("pruned");
    assert!(removed > 0);
    let raw = store.history_raw("cpu.total", 0, i64::MAX).expect("raw");
    let raw_from = now.as_millis() - 48 * 3600 * SEC;
    assert!(
        raw.iter().all(|r| r.0 >= raw_from - 60 * SEC),
        "old raw readings left"
    );
    let kept_raw = readings.iter().filter(|r| r.0 >= raw_from).count();
    assert!(
        raw.len() >= kept_raw,
        "{} raw readings kept of {kept_raw}",
        raw.len()
    );
    for (tier, days, width) in [(Tier::Minute, 30, MIN), (Tier::QuarterHour, 730, 15 * MIN)] {
        let rows = store
            .history_rollups(tier, "cpu.total", 0, i64::MAX)
            .expect("rollups");
        let from = now.as_millis() - days * DAY;
        // Rows of buckets go whole: at most one row's span older than the limit stays.
        let row = tier.packing().expect("a rollup tier").row_ms();
        assert!(
            rows.iter().all(|b| b.t >= from - row),
            "{tier:?} keeps older rows"
        );
        let newer: Vec<i64> = rows.iter().map(|b| b.t).filter(|t| *t >= from).collect();
        let expected: Vec<i64> = naive(&readings, width)
            .into_keys()
            .filter(|t| *t >= from)
            .collect();
        let ends = |v: &[i64]| (v.len(), v.first().copied(), v.last().copied());
        assert_eq!(ends(&newer), ends(&expected), "{tier:?} lost newer rows");
        assert!(newer == expected, "{tier:?}: the kept buckets differ");
    }
    // A second prune at the same time removes nothing more.
    assert_eq!(store.prune_history(&policy, now).expect("pruned again"), 0);
}

/// Three hours at 1 s with Lookout stopped for 20 minutes in the middle.
fn three_hours_with_a_stop() -> Vec<(i64, f64)> {
    (0..3 * 3600)
        .filter(|s| !(3600..4800).contains(s))
        .map(|s| (START + s * SEC, (s % 60) as f64))
        .collect()
}

#[test]
fn a_query_marks_the_stop_as_a_gap_in_every_tier_it_reads() {
    let (_dir, mut store) = open();
    let readings = three_hours_with_a_stop();
    write(&mut store, "cpu.total", &readings, 10);
    let now = Timestamp::from_millis(START + 3 * 3600 * SEC);
    for (points, tier) in [(1000, Tier::Raw), (100, Tier::Minute)] {
        let q = HistoryQuery {
            metric: "cpu.total".into(),
            from: Timestamp::from_millis(START),
            to: now,
            max_points: points,
        };
        let series = query(
            &store,
            &HistoryPolicy::default(),
            Duration::from_secs(1),
            now,
            &q,
        )
        .expect("query");
        assert_eq!(series.tier, tier);
        assert!(
            series.points.len() <= points + 1,
            "{} points",
            series.points.len()
        );
        let gaps: Vec<i64> = series
            .points
            .iter()
            .filter(|p| p.is_gap())
            .map(|p| p.t.as_millis() - START)
            .collect();
        assert_eq!(gaps.len(), 1, "{tier:?}: gaps at {gaps:?}");
        assert!(
            (3600 * SEC..=3700 * SEC).contains(&gaps[0]),
            "{tier:?}: gap at {}",
            gaps[0]
        );
        // Every point holds exactly the readings of its span.
        for p in series.points.iter().filter(|p| !p.is_gap()) {
            let t = p.t.as_millis();
            let inside: Vec<f64> = readings
                .iter()
                .filter(|r| (t..t + series.step_ms).contains(&r.0))
                .map(|r| r.1)
                .collect();
            let min = inside.iter().copied().fold(f64::INFINITY, f64::min);
            let max = inside.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let avg = inside.iter().sum::<f64>() / inside.len() as f64;
            assert_eq!((p.min, p.max), (Some(min), Some(max)), "{tier:?} at {t}");
            assert!(
                (p.avg.unwrap_or(f64::NAN) - avg).abs() < 1e-9,
                "{tier:?} at {t}"
            );
        }
    }
}

/// The live engine fed `readings` directly: (time, kind, value) of each transition.
fn live(rule: &Rule, readings: &[(i64, f64)], from: i64) -> Vec<(i64, EventKind, Option<f64>)> {
    let mut engine = Engine::new(Duration::from_secs(1), vec![rule.clone()]);
    let mut out = Vec::new();
    for &(t, v) in readings {
        let mut snap = Snapshot::new();
        snap.insert(rule.metric.clone(), v);
        for e in engine.tick(Timestamp::from_millis(t), &snap) {
            if t >= from && e.state != EventKind::Pending {
                out.push((t, e.state, e.value));
            }
        }
    }
    out
}

#[test]
fn a_backtest_over_raw_readings_gives_the_live_engines_transitions() {
    let (_dir, mut store) = open();
    // Busy spells of varying length, decimal values at the threshold, and the stop.
    let readings: Vec<(i64, f64)> = three_hours_with_a_stop()
        .into_iter()
        .map(|(t, _)| {
            let s = (t - START) / SEC;
            let v = if (s / 700) % 2 == 1 {
                90.5
            } else if s % 97 == 0 {
                68.7
            } else {
                40.25
            };
            (t, v)
        })
        .collect();
    write(&mut store, "cpu.total", &readings, 10);
    let now = Timestamp::from_millis(START + 3 * 3600 * SEC);
    let from = Timestamp::from_millis(START + 600 * SEC);
    for r in [
        rule(Aggregate::All, 300, Op::Gt, 80.0, 70.0),
        rule(Aggregate::Avg, 120, Op::Ge, 68.7, 60.0),
        rule(Aggregate::Max, 60, Op::Ge, 68.7, 68.7),
        rule(Aggregate::P95, 600, Op::Gt, 50.0, 45.0),
    ] {
        let result = backtest(
            &store,
            &HistoryPolicy::default(),
            Duration::from_secs(1),
            now,
            &r,
            from,
            now,
        )
        .expect("backtest");
        assert_eq!(result.tier, Tier::Raw);
        assert!(result.approximation.is_none());
        let got: Vec<_> = result
            .events
            .iter()
            .map(|e| (e.at.as_millis(), e.state, e.value))
            .collect();
        let want = live(&r, &readings, from.as_millis());
        assert!(
            !want.is_empty(),
            "{:?} never fires: the test proves nothing",
            r.aggregate
        );
        assert_eq!(got, want, "{:?}", r.aggregate);
        let firings = want.iter().filter(|e| e.1 == EventKind::Firing).count() as u64;
        assert_eq!(result.firings, firings);
        assert!(
            result.coverage > 0.85 && result.coverage < 0.95,
            "coverage {}",
            result.coverage
        );
    }
}

#[test]
fn a_backtest_over_minute_rollups_uses_each_minutes_extreme_for_an_all_rule() {
    let (_dir, mut store) = open();
    // Ten days at 1 s would be slow to write; readings every 5 s are enough here.
    let readings: Vec<(i64, f64)> = (0..(4 * 86_400 / 5))
        .map(|i| {
            let s = i * 5;
            // Busy from hour 30 to hour 33, with one dip below the clear threshold at hour 31.
            let busy = (30 * 3600..33 * 3600).contains(&s);
            let v = if s == 31 * 3600 {
                60.0
            } else if busy {
                95.0
            } else {
                20.0
            };
            (START + s * SEC, v)
        })
        .collect();
    write(&mut store, "cpu.total", &readings, 60);
    let now = Timestamp::from_millis(START + 4 * DAY);
    // Raw readings are kept for 48 h, so a range from hour 0 reads the minute rollups.
    let r = rule(Aggregate::All, 1800, Op::Gt, 80.0, 70.0);
    let result = backtest(
        &store,
        &HistoryPolicy::default(),
        Duration::from_secs(5),
        now,
        &r,
        Timestamp::from_millis(START + 3600 * SEC),
        Timestamp::from_millis(START + 40 * 3600 * SEC),
    )
    .expect("backtest");
    assert_eq!(result.tier, Tier::Minute);
    assert!(result.approximation.is_some());
    // The dip breaks the busy spell: two firings, the first after 30 min of busy readings.
    assert_eq!(result.firings, 2, "{:?}", result.periods);
    let first = result.periods[0].from.as_millis() - START;
    let expected = (30 * 3600 + 1800) * SEC;
    assert!(
        (expected - MIN..=expected + MIN).contains(&first),
        "first firing at {first}"
    );
}

#[test]
fn a_restart_refills_each_window_and_the_stop_counts_as_missing_samples() {
    let (_dir, mut store) = open();
    // 50 minutes of busy readings, then Lookout stopped for 5 minutes.
    let readings: Vec<(i64, f64)> = (0..3000).map(|s| (START + s * SEC, 95.0)).collect();
    write(&mut store, "cpu.total", &readings, 10);
    let restart = START + 3300 * SEC;
    let r = rule(Aggregate::All, 3600, Op::Gt, 80.0, 70.0);
    let mut engine = Engine::new(Duration::from_secs(1), vec![r]);
    let fed = refill(&mut engine, &store, Timestamp::from_millis(restart)).expect("refill");
    assert_eq!(fed, 3000);
    let window = engine
        .window_for(&MetricKey::parse("cpu.total").expect("key"))
        .expect("window");
    assert_eq!(window.len(), 3000);
    // 50 + 5 minutes of the hour are accounted for only by the readings: the rule fires once
    // 90 % of the hour has readings (3240 of 3600), i.e. after 240 more seconds, not at once
    // and not an hour later.
    let mut fired_at = None;
    for s in 0..400 {
        let mut snap = Snapshot::new();
        snap.insert(MetricKey::parse("cpu.total").expect("key"), 95.0);
        let t = restart + s * SEC;
        let events = engine.tick(Timestamp::from_millis(t), &snap);
        if fired_at.is_none() && events.iter().any(|e| e.state == EventKind::Firing) {
            fired_at = Some(s);
        }
    }
    assert_eq!(fired_at, Some(239));
}
