//! Realistic synthetic readings for the history's benchmarks and its size measurement: the
//! metrics a workstation records by default plus two app watches, with values shaped like
//! real ones (fractional percentages and rates, whole bytes and counts).

use lookout_core::metric::AppField;

/// The metric keys of a machine with `cores` cores, the given disks, network interfaces and
/// temperature sensors, swap when `swap`, and two app watches.
pub fn metric_keys(
    cores: u32,
    disks: &[&str],
    ifaces: &[&str],
    temps: &[&str],
    swap: bool,
) -> Vec<String> {
    let mut keys = vec!["cpu.total".to_owned()];
    keys.extend((0..cores).map(|i| format!("cpu.core.{i}")));
    keys.extend(
        [
            "mem.used_pct",
            "mem.used_bytes",
            "load.1",
            "load.5",
            "load.15",
        ]
        .map(String::from),
    );
    if swap {
        keys.push("swap.used_pct".to_owned());
    }
    keys.extend(disks.iter().map(|d| format!("disk.{d}.used_pct")));
    for iface in ifaces {
        keys.push(format!("net.{iface}.rx_bps"));
        keys.push(format!("net.{iface}.tx_bps"));
    }
    keys.extend(temps.iter().map(|t| format!("temp.{t}")));
    for app in ["editor", "server"] {
        keys.extend(
            AppField::ALL
                .iter()
                .map(|f| format!("app.{app}.{}", f.as_str())),
        );
    }
    keys
}

/// A reading of `key` at step `i` (seconds), deterministic, shaped like the real metric.
pub fn reading(key: &str, i: i64) -> f64 {
    // A cheap hash of the step and the key: noise without a random number generator.
    let h = key
        .bytes()
        .fold(i.wrapping_mul(0x1E37_79B9_7F4A_7C15), |h, b| {
            (h ^ i64::from(b)).wrapping_mul(0x0100_0000_01B3)
        });
    let noise = (h.rem_euclid(1_000_000) as f64) / 1_000_000.0;
    let whole = |lo: i64, span: i64| (lo + (h.rem_euclid(span.max(1)))) as f64;
    if key.ends_with("_bytes") {
        whole(2_000_000_000, 50_000_000)
    } else if key.ends_with(".running") || key.ends_with(".restarts") {
        whole(1, 2)
    } else if key.ends_with(".threads") || key.ends_with(".fds") {
        whole(20, 30)
    } else if key.ends_with(".uptime_s") {
        (i + 1000) as f64
    } else if key.starts_with("temp.") {
        40.0 + (h.rem_euclid(200) as f64) / 8.0
    } else if key.ends_with("_bps") {
        // Rates: bytes over a measured interval, rarely a whole number; idle half the time.
        if noise < 0.5 {
            0.0
        } else {
            noise * 125_000.0 / 1.000_37
        }
    } else if key.starts_with("disk.") {
        61.234_567 + (i / 3600) as f64 * 1e-4
    } else {
        noise * 100.0
    }
}
