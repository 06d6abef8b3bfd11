//! The sampler against the real machine: ranges, counts and agreement with /proc, statvfs and df.

// Helpers outside #[test] fns are not covered by clippy.toml's allow-expect-in-tests.
#![allow(clippy::expect_used)]

use lookout_core::{MetricKey, MetricNeeds, Snapshot};
use lookout_monitor::Sampler;
use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;

/// Long enough for every CPU's jiffy counters (100 Hz) to move between two reads.
const BETWEEN_READS: Duration = Duration::from_millis(250);

fn key(k: &str) -> MetricKey {
    MetricKey::parse(k).expect("valid key")
}

fn keys(snap: &Snapshot) -> Vec<String> {
    snap.iter().map(|(k, _)| k.as_str().to_owned()).collect()
}

/// A sampler for everything, sampled twice so that the rates are there too.
fn everything() -> Snapshot {
    let mut sampler = Sampler::new(&MetricNeeds::everything());
    sampler.sample();
    std::thread::sleep(BETWEEN_READS);
    sampler.sample()
}

fn meminfo_kib(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").expect("/proc/meminfo readable");
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/meminfo"))
}

fn command_number(cmd: &str, args: &[&str]) -> Option<usize> {
    let out = Command::new(cmd).args(args).output().ok()?;
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

#[test]
fn everything_is_present_and_in_range() {
    let snap = everything();
    for k in [
        "cpu.total",
        "mem.used_pct",
        "mem.used_bytes",
        "load.1",
        "load.5",
        "load.15",
        "disk./.used_pct",
    ] {
        assert!(
            snap.get(&key(k)).is_some(),
            "{k} missing from {:?}",
            keys(&snap)
        );
    }
    for (k, v) in snap.iter() {
        let k = k.as_str();
        if k.ends_with("_pct") || k.starts_with("cpu.") {
            assert!((0.0..=100.0).contains(&v), "{k} = {v} is not a percentage");
        } else if k.starts_with("load.") || k.ends_with("_bps") {
            assert!(v >= 0.0, "{k} = {v} is negative");
        } else if k == "mem.used_bytes" {
            assert!(v > 0.0, "{k} = {v}: some memory is always in use");
        } else if k.starts_with("temp.") {
            assert!(
                (-60.0..=200.0).contains(&v),
                "{k} = {v} °C is no temperature"
            );
        } else {
            panic!("unexpected key {k} = {v}");
        }
    }
}

#[test]
fn one_cpu_core_key_per_online_cpu() {
    let stat = std::fs::read_to_string("/proc/stat").expect("/proc/stat readable");
    let online = stat
        .lines()
        .filter(|l| l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit))
        .count();
    let snap = everything();
    let cores = keys(&snap)
        .iter()
        .filter(|k| k.starts_with("cpu.core."))
        .count();
    assert_eq!(
        cores,
        online,
        "one cpu.core.N per cpuN line of /proc/stat: {:?}",
        keys(&snap)
    );
    // `nproc` counts the CPUs this process may run on; when that is all of them (no affinity
    // mask, no offline CPU: `nproc` == `nproc --all`), it must agree too.
    if let (Some(usable), Some(all)) = (
        command_number("nproc", &[]),
        command_number("nproc", &["--all"]),
    ) {
        if usable == all {
            assert_eq!(cores, usable, "cpu.core.N count against nproc");
        }
    }
}

#[test]
fn used_memory_matches_proc_meminfo() {
    let needs = MetricNeeds {
        memory: true,
        ..MetricNeeds::default()
    };
    let snap = Sampler::new(&needs).sample();
    let ours = snap
        .get(&key("mem.used_bytes"))
        .expect("mem.used_bytes read");
    let total = meminfo_kib("MemTotal") * 1024;
    let theirs = (total - meminfo_kib("MemAvailable") * 1024) as f64;
    let off = (ours - theirs).abs() / theirs;
    assert!(
        off < 0.01,
        "mem.used_bytes {ours} vs MemTotal - MemAvailable {theirs}: {off:.4} apart"
    );
    let pct = snap.get(&key("mem.used_pct")).expect("mem.used_pct read");
    let expected = ours * 100.0 / total as f64;
    assert!(
        (pct - expected).abs() < 1e-6,
        "mem.used_pct {pct} vs used / MemTotal {expected}"
    );
}

#[test]
fn swap_is_absent_exactly_when_there_is_no_swap() {
    let needs = MetricNeeds {
        swap: true,
        ..MetricNeeds::default()
    };
    let snap = Sampler::new(&needs).sample();
    let has_swap = meminfo_kib("SwapTotal") > 0;
    assert_eq!(
        snap.get(&key("swap.used_pct")).is_some(),
        has_swap,
        "SwapTotal > 0 is {has_swap}; snapshot {:?}",
        keys(&snap)
    );
}

#[test]
fn root_disk_matches_statvfs_and_df() {
    let needs = MetricNeeds {
        disks: BTreeSet::from(["/".to_owned()]),
        ..MetricNeeds::default()
    };
    let snap = Sampler::new(&needs).sample();
    let ours = snap
        .get(&key("disk./.used_pct"))
        .expect("disk./.used_pct read");

    let s = rustix::fs::statvfs("/").expect("statvfs /");
    let used = (s.f_blocks - s.f_bfree) as f64;
    let statvfs_pct = used * 100.0 / (used + s.f_bavail as f64);
    assert!(
        (ours - statvfs_pct).abs() < 1.0,
        "disk./.used_pct {ours} vs statvfs {statvfs_pct}"
    );

    // df prints Use% rounded up to a whole percent.
    let out = Command::new("df")
        .args(["-P", "/"])
        .output()
        .expect("df runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let df_pct: f64 = text
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().nth(4))
        .and_then(|p| p.trim_end_matches('%').parse().ok())
        .unwrap_or_else(|| panic!("Use% in df output:\n{text}"));
    assert!(
        (ours - df_pct).abs() <= 1.0,
        "disk./.used_pct {ours} vs df / {df_pct}%"
    );
}

#[test]
fn everything_lists_real_filesystems_only() {
    let snap = everything();
    let disks: Vec<String> = keys(&snap)
        .into_iter()
        .filter(|k| k.starts_with("disk."))
        .collect();
    for pseudo in [
        "disk./proc.used_pct",
        "disk./sys.used_pct",
        "disk./dev/shm.used_pct",
        "disk./dev.used_pct",
    ] {
        assert!(
            !disks.iter().any(|k| k == pseudo),
            "{pseudo} is not a real filesystem: {disks:?}"
        );
    }
}

#[test]
fn needing_only_cpu_total_reads_only_cpu_total() {
    let needs = MetricNeeds {
        cpu_total: true,
        ..MetricNeeds::default()
    };
    let mut sampler = Sampler::new(&needs);
    std::thread::sleep(BETWEEN_READS);
    let snap = sampler.sample();
    assert_eq!(keys(&snap), vec!["cpu.total"], "nothing else is read");
}

#[test]
fn new_needs_change_what_is_read() {
    let mut sampler = Sampler::new(&MetricNeeds {
        cpu_total: true,
        ..MetricNeeds::default()
    });
    sampler.set_needs(&MetricNeeds {
        load: true,
        cpu_cores: true,
        ..MetricNeeds::default()
    });
    std::thread::sleep(BETWEEN_READS);
    let snap = sampler.sample();
    let got = keys(&snap);
    assert!(
        !got.contains(&"cpu.total".to_owned()),
        "cpu.total no longer needed: {got:?}"
    );
    assert!(
        got.contains(&"load.1".to_owned()),
        "load now needed: {got:?}"
    );
    assert!(
        got.contains(&"cpu.core.0".to_owned()),
        "cores primed when needed: {got:?}"
    );
}

#[test]
fn net_rates_need_two_reads() {
    let needs = MetricNeeds {
        net_ifaces: BTreeSet::from(["lo".to_owned()]),
        ..MetricNeeds::default()
    };
    let mut sampler = Sampler::new(&needs);
    let first = sampler.sample();
    assert!(
        first.is_empty(),
        "no rate without an earlier read: {:?}",
        keys(&first)
    );

    // Some loopback traffic between the reads, so the rate cannot be 0.
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind loopback");
    let me = socket.local_addr().expect("local address");
    for _ in 0..20 {
        socket.send_to(&[7u8; 1000], me).expect("send on loopback");
    }
    std::thread::sleep(BETWEEN_READS);
    let second = sampler.sample();
    assert_eq!(
        keys(&second),
        vec!["net.lo.rx_bps", "net.lo.tx_bps"],
        "only lo, both ways"
    );
    let rx = second.get(&key("net.lo.rx_bps")).expect("rx rate");
    assert!(rx > 0.0, "20 kB went over lo, rx_bps = {rx}");
}

#[test]
fn an_unknown_interface_or_mount_is_absent() {
    let needs = MetricNeeds {
        net_ifaces: BTreeSet::from(["nosuchif0".to_owned()]),
        disks: BTreeSet::from(["/no/such/mount".to_owned()]),
        ..MetricNeeds::default()
    };
    let mut sampler = Sampler::new(&needs);
    sampler.sample();
    let snap = sampler.sample();
    assert!(
        snap.is_empty(),
        "nothing to read is no reading, never 0: {:?}",
        keys(&snap)
    );
}
