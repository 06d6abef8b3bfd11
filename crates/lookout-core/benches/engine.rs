//! Criterion bench: one engine tick with 1,000 rules over 1 h windows at a 1 s tick.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use lookout_core::rule::{Aggregate, Op, Rule, Severity};
use lookout_core::{Engine, MetricKey, Snapshot, Timestamp};
use std::hint::black_box;
use std::time::Duration;

const AGGREGATES: [Aggregate; 5] = [
    Aggregate::All,
    Aggregate::Avg,
    Aggregate::Min,
    Aggregate::Max,
    Aggregate::P95,
];

fn rules(n_rules: usize, n_metrics: usize) -> (Vec<Rule>, Vec<MetricKey>) {
    let metrics: Vec<MetricKey> = (0..n_metrics)
        .map(|i| MetricKey::parse(&format!("cpu.core.{i}")).expect("valid key"))
        .collect();
    let rules = (0..n_rules)
        .map(|i| Rule {
            name: format!("rule {i}"),
            metric: metrics[i % n_metrics].clone(),
            aggregate: AGGREGATES[i % AGGREGATES.len()],
            window: Duration::from_secs(3600),
            op: if i % 2 == 0 { Op::Gt } else { Op::Lt },
            threshold: 50.0,
            clear_threshold: 50.0,
            pending_for: Duration::from_secs(60),
            keep_firing_for: Duration::ZERO,
            repeat_every: Some(Duration::from_secs(600)),
            repeat_max: None,
            notify_resolved: true,
            severity: Severity::Warning,
            channels: vec![],
            enabled: true,
            min_coverage: 0.9,
            only_when: None,
        })
        .collect();
    (rules, metrics)
}

fn snapshot(metrics: &[MetricKey], t: i64) -> Snapshot {
    let mut s = Snapshot::new();
    for (i, m) in metrics.iter().enumerate() {
        s.insert(m.clone(), ((t * 7 + i as i64 * 13) % 100) as f64);
    }
    s
}

/// An engine whose windows already hold a full hour.
fn warm_engine(n_rules: usize, n_metrics: usize) -> (Engine, Vec<MetricKey>, i64) {
    let (rules, metrics) = rules(n_rules, n_metrics);
    let mut engine = Engine::new(Duration::from_secs(1), rules);
    let mut t = 0;
    for _ in 0..3600 {
        t += 1;
        engine.tick(Timestamp::from_millis(t * 1000), &snapshot(&metrics, t));
    }
    let (bytes, samples) = engine.window_footprint();
    eprintln!(
        "{n_rules} rules over {n_metrics} metrics: {bytes} window bytes for {samples} samples = {:.1} bytes/sample",
        bytes as f64 / samples as f64
    );
    (engine, metrics, t)
}

fn bench_tick(c: &mut Criterion) {
    for (n_rules, n_metrics) in [(1000, 50), (1000, 1000)] {
        let (mut engine, metrics, mut t) = warm_engine(n_rules, n_metrics);
        c.bench_function(
            &format!("tick {n_rules} rules, {n_metrics} metrics, 1h windows"),
            |b| {
                b.iter_batched(
                    || {
                        t += 1;
                        (t, snapshot(&metrics, t))
                    },
                    |(t, snap)| black_box(engine.tick(Timestamp::from_millis(t * 1000), &snap)),
                    BatchSize::SmallInput,
                )
            },
        );
    }
}

criterion_group!(benches, bench_tick);
criterion_main!(benches);
