//! Criterion bench: checking and filling email templates, ordinary ones and 2 MB bodies.

use criterion::{criterion_group, criterion_main, Criterion};
use lookout_core::template::{render, unknown_placeholders, PLACEHOLDERS};
use std::hint::black_box;

fn lookup(name: &str) -> Option<String> {
    PLACEHOLDERS.contains(&name).then(|| format!("<{name}>"))
}

fn bench_templates(c: &mut Criterion) {
    let subject = "[{severity}] {rule} is {state} on {host}";
    c.bench_function("render an ordinary subject", |b| {
        b.iter(|| black_box(render(black_box(subject), lookup)))
    });
    let two_mb = 2 * 1024 * 1024;
    // Unclosed braces: the shape that used to take time quadratic in the length.
    let unclosed = "{rule ".repeat(two_mb / 6);
    // Fields and text, each field a different unknown name.
    let fields: String = (0..two_mb / 17)
        .map(|i| format!("{{rule}} {{x{i:06}}} "))
        .collect();
    for (shape, body) in [("unclosed braces", &unclosed), ("fields", &fields)] {
        let mut group = c.benchmark_group(format!("2 MB body, {shape}"));
        group.sample_size(10);
        group.bench_function("unknown_placeholders", |b| {
            b.iter(|| black_box(unknown_placeholders(black_box(body))))
        });
        group.bench_function("render", |b| {
            b.iter(|| black_box(render(black_box(body), lookup)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_templates);
criterion_main!(benches);
