//! Criterion bench: `lookout replay`'s work per sample, parsing a series file and running the
//! engine over it: 10,000 rows of a wide CSV with 10 metrics (100,000 samples) through ten
//! rules, the series parser and the engine exactly as the command uses them.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lookout_core::rule::{Aggregate, Op, Rule, Severity};
use lookout_core::series::SeriesParser;
use lookout_core::{Engine, MetricKey};
use std::hint::black_box;
use std::time::Duration;

const ROWS: usize = 10_000;
const METRICS: usize = 10;

fn series() -> String {
    let mut text = String::from("time");
    for m in 0..METRICS {
        text.push_str(&format!(",cpu.core.{m}"));
    }
    text.push('\n');
    for r in 0..ROWS {
        text.push_str(&(1_700_000_000 + r).to_string());
        for m in 0..METRICS {
            text.push_str(&format!(",{}.{}", (r * 7 + m * 13) % 100, (r + m) % 10));
        }
        text.push('\n');
    }
    text
}

fn rules() -> Vec<Rule> {
    (0..METRICS)
        .map(|m| Rule {
            name: format!("core {m} busy"),
            metric: MetricKey::parse(&format!("cpu.core.{m}")).expect("key"),
            aggregate: if m % 2 == 0 {
                Aggregate::All
            } else {
                Aggregate::Avg
            },
            window: Duration::from_secs(300),
            op: Op::Gt,
            threshold: 50.0,
            clear_threshold: 40.0,
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
        })
        .collect()
}

fn bench_replay(c: &mut Criterion) {
    let text = series();
    let mut group = c.benchmark_group("replay");
    group.throughput(Throughput::Elements((ROWS * METRICS) as u64));
    group.bench_function("wide CSV through 10 rules", |b| {
        b.iter(|| {
            let mut engine = Engine::new(Duration::from_secs(1), rules());
            let mut parser = SeriesParser::new();
            let mut events = 0;
            for line in text.lines() {
                if let Some((at, snap)) = parser.push_line(line).expect("valid series") {
                    events += engine.tick(at, &snap).len();
                }
            }
            if let Some((at, snap)) = parser.finish().expect("not empty") {
                events += engine.tick(at, &snap).len();
            }
            black_box(events)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_replay);
criterion_main!(benches);
