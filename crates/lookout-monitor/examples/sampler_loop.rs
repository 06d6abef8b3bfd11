//! The sampler alone on a fixed tick, to measure its share of the monitor's overhead with
//! ../shared/bench/overhead.py next to floor_daemon: `sampler_loop 100` samples cpu.total,
//! mem.used_pct and disk./.used_pct every 100 ms.

use lookout_core::MetricNeeds;
use lookout_monitor::Sampler;
use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::Duration;

fn main() {
    let ms = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let mut sampler = Sampler::new(&MetricNeeds {
        cpu_total: true,
        memory: true,
        disks: BTreeSet::from(["/".to_owned()]),
        ..MetricNeeds::default()
    });
    loop {
        black_box(sampler.sample());
        std::thread::sleep(Duration::from_millis(ms));
    }
}
