//! Criterion benches of the history on a real `lookout.db`: range queries of one metric at
//! 1,000 points (24 h, 7 days, a year), a backtest over 7 days of 1 s readings, and one write
//! of the recorder (ten ticks of a workstation's 49 metrics).

use criterion::{criterion_group, criterion_main, Criterion};
use lookout_core::rule::{Aggregate, Op, Rule, Severity};
use lookout_core::{MetricKey, Timestamp};
use lookout_monitor::history::backtest::backtest;
use lookout_monitor::history::query::{query, HistoryQuery};
use lookout_monitor::history::synthetic::{metric_keys, reading};
use lookout_monitor::history::HistoryPolicy;
use lookout_monitor::store::Store;
use std::hint::black_box;
use std::time::Duration;

const SEC: i64 = 1000;
const DAY: i64 = 86_400 * SEC;
const NOW: i64 = 1_800_000_000_000;

fn fill(store: &mut Store, key: &str, from: i64, to: i64, step: i64, batch: i64) {
    let mut t = from;
    while t < to {
        let readings: Vec<(i64, f64)> = (0..batch)
            .map(|k| t + k * step)
            .filter(|x| *x < to)
            .map(|x| (x, reading(key, x / SEC)))
            .collect();
        store
            .write_history(&[(key.to_owned(), readings)])
            .expect("written");
        t += batch * step;
    }
}

/// A year of `cpu.total`: 7 days at 1 s (raw kept for 7 days here), before that a reading a
/// minute. Another metric is interleaved so pages hold more than the one being read.
fn year_of_history(dir: &tempfile::TempDir) -> Store {
    let mut store = Store::open(&dir.path().join("lookout.db")).expect("store");
    for key in ["cpu.total", "mem.used_pct"] {
        fill(
            &mut store,
            key,
            NOW - 365 * DAY,
            NOW - 7 * DAY,
            60 * SEC,
            600,
        );
        fill(&mut store, key, NOW - 7 * DAY, NOW, SEC, 600);
    }
    store
}

fn policy() -> HistoryPolicy {
    HistoryPolicy {
        raw: Duration::from_secs(7 * 86_400 + 3600),
        ..HistoryPolicy::default()
    }
}

fn bench_history(c: &mut Criterion) {
    let dir = tempfile::TempDir::new().expect("dir");
    let store = year_of_history(&dir);
    let now = Timestamp::from_millis(NOW);
    for (name, days) in [("24h", 1), ("7d", 7), ("365d", 365)] {
        let q = HistoryQuery {
            metric: "cpu.total".into(),
            from: now.minus(Duration::from_secs(days * 86_400)),
            to: now,
            max_points: 1000,
        };
        c.bench_function(&format!("history query {name} at 1000 points"), |b| {
            b.iter(|| {
                let s = query(
                    &store,
                    &policy(),
                    Duration::from_secs(1),
                    now,
                    black_box(&q),
                )
                .expect("query");
                black_box(s.points.len())
            })
        });
    }
    let rule = Rule {
        name: "cpu busy".into(),
        metric: MetricKey::parse("cpu.total").expect("key"),
        aggregate: Aggregate::All,
        window: Duration::from_secs(3600),
        op: Op::Gt,
        threshold: 80.0,
        clear_threshold: 70.0,
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
    };
    let mut group = c.benchmark_group("history backtest");
    group.sample_size(10);
    group.bench_function("7 days of 1 s readings", |b| {
        b.iter(|| {
            let from = now.minus(Duration::from_secs(7 * 86_400 - 3600));
            let r = backtest(
                &store,
                &policy(),
                Duration::from_secs(1),
                now,
                &rule,
                from,
                now,
            )
            .expect("backtest");
            black_box(r.firings)
        })
    });
    group.finish();

    let keys = metric_keys(
        8,
        &["/", "/home", "/boot/efi"],
        &["wlan0", "eth0", "lo"],
        &["cpu", "nvme", "gpu", "acpitz", "wifi"],
        true,
    );
    let write_dir = tempfile::TempDir::new().expect("dir");
    let mut writer = Store::open(&write_dir.path().join("lookout.db")).expect("store");
    let mut tick: i64 = 0;
    c.bench_function("history write of 10 ticks x 49 metrics", |b| {
        b.iter(|| {
            let rows: Vec<(String, Vec<(i64, f64)>)> = keys
                .iter()
                .map(|k| {
                    let readings = (0..10)
                        .map(|i| (NOW + (tick + i) * SEC, reading(k, tick + i)))
                        .collect();
                    (k.clone(), readings)
                })
                .collect();
            tick += 10;
            writer.write_history(black_box(&rows)).expect("written");
        })
    });
}

criterion_group!(benches, bench_history);
criterion_main!(benches);
