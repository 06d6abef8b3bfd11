//! The scripted machine whose readings the recorded views show: a scenario plus a little
//! deterministic noise.

use lookout_core::{MetricKey, Snapshot};

/// A deterministic machine: readings follow a scenario plus a little LCG noise.
pub struct Machine {
    pub seed: u64,
}

impl Machine {
    fn noise(&mut self, spread: f64) -> f64 {
        self.seed = self
            .seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let unit = (self.seed >> 33) as f64 / f64::from(u32::MAX >> 1);
        (unit - 0.5) * spread
    }

    /// Readings with CPU, memory and root disk given; the rest wander on their own.
    pub fn snapshot(&mut self, cpu: f64, mem: f64, disk: f64) -> Snapshot {
        let round = |v: f64| (v * 10.0).round() / 10.0;
        let cpu = (cpu + self.noise(6.0)).clamp(0.5, 100.0);
        let mem = mem + self.noise(1.0);
        let mut values = vec![
            ("cpu.total", round(cpu)),
            ("mem.used_pct", round(mem)),
            (
                "mem.used_bytes",
                (mem / 100.0 * 16.0 * 1024.0 * 1024.0 * 1024.0).round(),
            ),
            ("swap.used_pct", round(3.5 + self.noise(0.2))),
            ("load.1", round(cpu / 100.0 * 4.0 + self.noise(0.2))),
            ("load.5", round(cpu / 100.0 * 3.0 + 0.4)),
            ("load.15", round(cpu / 100.0 * 2.0 + 0.5)),
            ("disk./.used_pct", round(disk)),
            ("disk./home.used_pct", 78.1),
            (
                "net.enp3s0.rx_bps",
                (60_000.0 + cpu * 20_000.0 + self.noise(30_000.0)).round(),
            ),
            (
                "net.enp3s0.tx_bps",
                (12_000.0 + self.noise(8_000.0)).round(),
            ),
            (
                "temp.coretemp_package_id_0",
                round(42.0 + cpu * 0.35 + self.noise(1.5)),
            ),
        ];
        let cores: Vec<(String, f64)> = (0..4)
            .map(|i| {
                (
                    format!("cpu.core.{i}"),
                    round((cpu + self.noise(12.0)).clamp(0.5, 100.0)),
                )
            })
            .collect();
        values.extend(cores.iter().map(|(k, v)| (k.as_str(), *v)));
        let mut snapshot = Snapshot::new();
        for (key, value) in values {
            snapshot.insert(MetricKey::parse(key).expect("a known metric"), value);
        }
        snapshot
    }
}

/// The main scenario at tick `i` of the history (0 = HISTORY seconds before now): a CPU burst
/// that fires and resolves "CPU saturated", then the root disk filling up, firing at the end.
pub fn main_scenario(i: i64) -> (f64, f64, f64) {
    let cpu = if (120..480).contains(&i) { 96.0 } else { 18.0 };
    let disk = match i {
        ..400 => 62.4,
        400..570 => 62.4 + (i - 400) as f64 * (91.5 - 62.4) / 170.0,
        _ => 91.5,
    };
    (cpu, 54.0, disk)
}
