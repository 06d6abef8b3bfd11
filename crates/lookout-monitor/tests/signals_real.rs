//! Battery, disk I/O and GPU signals against the real machine: a real write seen by
//! `diskio`, and nothing read (not even zeros) for what the machine does not have.

// Helpers outside #[test] fns are not covered by clippy.toml's allow-expect-in-tests.
#![allow(clippy::expect_used)]

use lookout_core::{MetricNeeds, Snapshot};
use lookout_monitor::Sampler;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn sum(snap: &Snapshot, suffix: &str) -> f64 {
    snap.iter()
        .filter(|(k, _)| k.as_str().starts_with("diskio.") && k.as_str().ends_with(suffix))
        .map(|(_, v)| v)
        .sum()
}

/// Whole disks with hardware behind them, as /sys/block lists them.
fn physical_disks() -> usize {
    std::fs::read_dir("/sys/block")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with("loop") && e.path().join("device").exists()
        })
        .count()
}

#[test]
fn diskio_sees_a_real_write_with_dd() {
    let mut sampler = Sampler::new(&MetricNeeds {
        diskio: true,
        ..MetricNeeds::default()
    });
    let before = Instant::now();
    let idle = sampler.sample();
    if physical_disks() == 0 {
        assert!(idle.is_empty(), "no disk, no reading: {idle:?}");
        eprintln!("this machine lists no physical disk in /sys/block: nothing to measure");
        return;
    }
    assert!(
        idle.iter().all(|(k, _)| k.as_str().starts_with("diskio.")),
        "only what was asked for is read: {idle:?}"
    );
    assert!(sum(&idle, ".busy_pct") >= 0.0);

    // 32 MiB, flushed to the disk before dd exits; in the target dir, not a tmpfs /tmp.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let file = dir.path().join("written");
    let status = Command::new("dd")
        .args([
            "if=/dev/zero",
            "bs=1M",
            "count=32",
            "conv=fsync",
            "status=none",
        ])
        .arg(format!("of={}", file.display()))
        .status()
        .expect("run dd");
    assert!(status.success(), "dd failed: {status}");
    let seconds = before.elapsed().as_secs_f64();
    let snap = sampler.sample();
    let written = sum(&snap, ".write_bps") * seconds;
    assert!(
        written >= 30.0 * 1024.0 * 1024.0,
        "dd wrote 32 MiB, the disks' counters moved by {:.1} MiB: {snap:?}",
        written / 1024.0 / 1024.0
    );
    let busy = snap
        .iter()
        .filter(|(k, _)| k.as_str().ends_with(".busy_pct"))
        .map(|(_, v)| v)
        .fold(0.0, f64::max);
    assert!(busy > 0.0 && busy <= 100.0, "a disk was busy: {busy}");
}

#[test]
fn absent_hardware_reads_as_absent_never_zero() {
    let mut sampler = Sampler::new(&MetricNeeds {
        power: true,
        gpu: true,
        ..MetricNeeds::default()
    });
    let snap = sampler.sample();
    let supplies = std::fs::read_dir("/sys/class/power_supply")
        .map(|d| d.count())
        .unwrap_or(0);
    if supplies == 0 {
        assert!(
            !snap
                .iter()
                .any(|(k, _)| k.as_str().starts_with("battery.") || k.as_str() == "power.ac"),
            "no supply, no battery or AC reading: {snap:?}"
        );
    }
    if !Path::new("/sys/class/drm").exists() {
        assert!(
            !snap.iter().any(|(k, _)| k.as_str().starts_with("gpu.")),
            "no DRM, no GPU reading: {snap:?}"
        );
    }
    for (key, value) in snap.iter() {
        assert!(value.is_finite() && value >= 0.0, "{key} = {value}");
    }
}
