//! The battery, disk I/O and GPU readers on fixture trees laid out as real machines have them
//! (`tests/fixtures/signals`): what each reads, and what it leaves absent.

use super::diskio::{parse_diskstats, physical_devices, DiskIo};
use super::gpu::Gpus;
use super::power::Power;
use lookout_core::Snapshot;
use std::path::{Path, PathBuf};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/signals")
        .join(path)
}

/// Every reading as `(key, value)`, in key order.
fn readings(snap: &Snapshot) -> Vec<(String, f64)> {
    snap.iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn pairs(expected: &[(&str, f64)]) -> Vec<(String, f64)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), *v))
        .collect()
}

/// A copy of a fixture tree that a test may change.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("make dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy fixture file");
        }
    }
}

#[test]
fn a_laptop_on_battery_reads_charge_state_and_time_left() {
    let mut snap = Snapshot::new();
    Power::scan(&fixture("laptop-one-battery/power_supply")).sample(&mut snap);
    assert_eq!(
        readings(&snap),
        pairs(&[
            ("battery.BAT0.charging", 0.0),
            ("battery.BAT0.pct", 57.0),
            // 28.5 Wh left at 9.5 W: three hours.
            ("battery.BAT0.time_to_empty_s", 10_800.0),
            ("power.ac", 0.0),
        ])
    );
}

#[test]
fn two_batteries_on_ac_with_a_mouse_and_an_empty_slot() {
    let mut snap = Snapshot::new();
    Power::scan(&fixture("laptop-two-batteries/power_supply")).sample(&mut snap);
    assert_eq!(
        readings(&snap),
        pairs(&[
            // Charge-reporting: 3.1 of 4.0 Ah. Charging, so no time to empty.
            ("battery.BAT0.charging", 1.0),
            ("battery.BAT0.pct", 77.5),
            ("battery.BAT1.charging", 0.0),
            ("battery.BAT1.pct", 100.0),
            // The mouse reports a status but no percentage: its charge is absent, not 0.
            ("battery.hidpp_battery_0.charging", 0.0),
            // The mains adapter is online; the USB-C port is not, and one is enough.
            ("power.ac", 1.0),
        ]),
        "BAT2's slot is empty (present = 0): nothing is read for it"
    );
}

#[test]
fn a_machine_without_supplies_has_no_battery_and_no_ac_reading() {
    let mut snap = Snapshot::new();
    Power::scan(&fixture("desktop/power_supply")).sample(&mut snap);
    Power::scan(&fixture("no-such-dir")).sample(&mut snap);
    assert!(snap.is_empty(), "{:?}", readings(&snap));
}

#[test]
fn amdgpu_reads_busy_vram_and_edge_temperature() {
    let mut snap = Snapshot::new();
    Gpus::scan(&fixture("amdgpu/drm")).sample(&mut snap);
    let got = readings(&snap);
    assert_eq!(
        got.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        ["gpu.0.busy_pct", "gpu.0.temp", "gpu.0.vram_used_pct"],
        "connectors and render nodes are no GPUs"
    );
    assert_eq!(got[0].1, 37.0);
    assert_eq!(got[1].1, 52.0, "temp1 (edge), in °C");
    assert!(
        (got[2].1 - 25.048).abs() < 0.01,
        "2 GiB of 7.98 GiB: {}",
        got[2].1
    );
}

#[test]
fn intel_busy_is_the_time_out_of_rc6_between_two_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixture("i915/drm"), dir.path());
    let mut gpus = Gpus::scan(dir.path());
    let mut first = Snapshot::new();
    gpus.sample(&mut first);
    assert!(
        first.is_empty(),
        "one read is no share yet, and card0 (simple-framebuffer) is not read: {:?}",
        readings(&first)
    );

    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut busy = Snapshot::new();
    gpus.sample(&mut busy);
    assert_eq!(
        readings(&busy),
        pairs(&[("gpu.1.busy_pct", 100.0)]),
        "no idle time counted between the reads: busy all along; no sensor, no temp"
    );

    let counter = dir.path().join("card1/gt/gt0/rc6_residency_ms");
    std::fs::write(&counter, "9821330\n").expect("advance the idle counter");
    let mut idle = Snapshot::new();
    gpus.sample(&mut idle);
    assert_eq!(
        readings(&idle),
        pairs(&[("gpu.1.busy_pct", 0.0)]),
        "idle for longer than the wall time passed (counter granularity): 0, never negative"
    );
}

#[test]
fn only_whole_physical_disks_are_read() {
    let root = fixture("diskstats");
    let mut physical: Vec<String> = physical_devices(&root.join("sys/block"))
        .into_iter()
        .collect();
    physical.sort();
    assert_eq!(
        physical,
        ["nvme0n1", "sda"],
        "no loop, dm, zram or partition"
    );

    let text = std::fs::read_to_string(root.join("proc/diskstats")).expect("fixture");
    let mut lines = Vec::new();
    parse_diskstats(&text, |name, c| lines.push((name.to_owned(), c)));
    assert_eq!(lines.len(), 9, "every line parses");
    let sda = lines.iter().find(|(n, _)| n == "sda").expect("sda").1;
    assert_eq!(
        (sda.sectors_read, sda.sectors_written, sda.busy_ms),
        (2_302_574, 118_496, 23_488)
    );
}

#[test]
fn disk_rates_come_from_the_counters_between_two_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixture("diskstats"), dir.path());
    let mut diskio = DiskIo::new(&dir.path().join("proc"), &dir.path().join("sys/block"));
    let mut first = Snapshot::new();
    diskio.sample(&mut first);
    assert!(first.is_empty(), "no rate from one read");

    // sda reads 2048 sectors (1 MiB) and writes 4096 (2 MiB); nvme0n1 does nothing.
    let stats = dir.path().join("proc/diskstats");
    let text = std::fs::read_to_string(&stats).expect("read copy");
    let text = text.replace(
        "sda 24170 3221 2302574 19033 1150 1066 118496 4422 0 23488",
        "sda 24200 3221 2304622 19040 1180 1066 122592 4430 0 23498",
    );
    std::fs::write(&stats, text).expect("write copy");
    std::thread::sleep(std::time::Duration::from_millis(50));
    let mut snap = Snapshot::new();
    diskio.sample(&mut snap);
    let got = readings(&snap);
    let keys: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "diskio.nvme0n1.busy_pct",
            "diskio.nvme0n1.read_bps",
            "diskio.nvme0n1.write_bps",
            "diskio.sda.busy_pct",
            "diskio.sda.read_bps",
            "diskio.sda.write_bps",
        ]
    );
    let value = |k: &str| got.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
    assert_eq!(value("diskio.nvme0n1.write_bps"), Some(0.0));
    let (read, write) = (
        value("diskio.sda.read_bps").expect("read"),
        value("diskio.sda.write_bps").expect("write"),
    );
    assert!(
        read > 0.0 && (write / read - 2.0).abs() < 1e-9,
        "{read} {write}"
    );
    let busy = value("diskio.sda.busy_pct").expect("busy");
    assert!(
        busy > 0.0 && busy <= 100.0,
        "10 ms busy in the time passed: {busy}"
    );
}
