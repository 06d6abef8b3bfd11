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

/// A copy of `sleep` named `name` (no other process, and no other test, uses it), started
/// from `dir`.
fn distinct_sleeper(dir: &std::path::Path, name: &str) -> std::process::Child {
    let bin = dir.join(name);
    if !bin.exists() {
        std::fs::copy("/bin/sleep", &bin).expect("copy sleep");
    }
    Command::new(&bin)
        .arg("600")
        .spawn()
        .expect("start the sleeper")
}

#[test]
fn an_app_watch_follows_a_real_process_through_a_restart() {
    use lookout_core::config::{AppConfig, AppMatch};
    let dir = tempfile::tempdir().expect("temp dir");
    let watch = AppConfig {
        name: "sleeper".into(),
        matcher: AppMatch {
            process: Some("lk-watch-test".into()),
            ..AppMatch::default()
        },
        include_children: true,
    };
    let needs = MetricNeeds {
        apps: ["sleeper".to_owned()].into(),
        ..MetricNeeds::default()
    };
    let mut sampler = Sampler::new(&needs);
    // Every sample reads the process table.
    sampler.set_apps(&[watch], Duration::ZERO);
    let value = |snap: &Snapshot, field: &str| snap.get(&key(&format!("app.sleeper.{field}")));

    let before = sampler.sample();
    assert_eq!(value(&before, "running"), Some(0.0), "{:?}", keys(&before));
    assert_eq!(value(&before, "rss_bytes"), None, "nothing to measure yet");

    let mut child = distinct_sleeper(dir.path(), "lk-watch-test");
    let up = sampler.sample();
    assert_eq!(value(&up, "running"), Some(1.0), "{:?}", keys(&up));
    assert!(value(&up, "rss_bytes").is_some_and(|b| b > 0.0), "{up:?}");
    assert!(value(&up, "threads").is_some_and(|t| t >= 1.0), "{up:?}");
    assert!(
        value(&up, "fds").is_some_and(|n| n >= 1.0),
        "its own descriptors: {up:?}"
    );
    assert!(value(&up, "uptime_s").is_some(), "{up:?}");
    assert_eq!(value(&up, "restarts"), Some(0.0));
    assert_eq!(value(&up, "io_read_bps"), None, "a rate needs two readings");
    let later = sampler.sample();
    assert!(
        value(&later, "io_read_bps").is_some_and(|b| b >= 0.0)
            && value(&later, "io_write_bps").is_some_and(|b| b >= 0.0),
        "its own child's counters are readable: {later:?}"
    );
    assert_eq!(
        keys(&up).iter().filter(|k| !k.starts_with("app.")).count(),
        0,
        "only what was asked for"
    );

    child.kill().expect("kill");
    child.wait().expect("reap");
    let down = sampler.sample();
    assert_eq!(value(&down, "running"), Some(0.0), "{down:?}");

    let mut again = distinct_sleeper(dir.path(), "lk-watch-test");
    let back = sampler.sample();
    assert_eq!(value(&back, "running"), Some(1.0), "{back:?}");
    assert_eq!(
        value(&back, "restarts"),
        Some(1.0),
        "went away and came back: {back:?}"
    );
    again.kill().expect("kill");
    again.wait().expect("reap");
}

/// The real sampler, reading the process table on every tick (tests step time themselves).
struct EveryTick(Sampler);

impl lookout_monitor::MetricSource for EveryTick {
    fn set_needs(&mut self, needs: &MetricNeeds) {
        self.0.set_needs(needs);
    }

    fn read(&mut self) -> Snapshot {
        self.0.sample()
    }

    fn set_apps(&mut self, apps: &[lookout_core::config::AppConfig], _interval: Duration) {
        self.0.set_apps(apps, Duration::ZERO);
    }
}

#[test]
fn an_app_down_rule_fires_after_for_and_resolves_when_it_is_back() {
    use lookout_core::{EventKind, Timestamp};
    let dir = tempfile::tempdir().expect("temp dir");
    let config: lookout_core::Config = toml::from_str(
        r#"
[[apps]]
name = "sleeper"
match = { process = "lk-down-test" }

[[rules]]
name = "sleeper down"
metric = "app.sleeper.running"
aggregate = "max"
window = "1s"
op = "<"
threshold = 1
for = "2s"
severity = "critical"
"#,
    )
    .expect("parses");
    let valid = config.validate().expect("valid");
    let mut child = distinct_sleeper(dir.path(), "lk-down-test");
    let mut monitor =
        lookout_monitor::Monitor::new(&valid, EveryTick(Sampler::new(&MetricNeeds::default())));
    let at = |s: i64| Timestamp::from_millis(1_700_000_000_000 + 1000 * s);
    let quiet = monitor.tick(at(0));
    assert!(quiet.events.is_empty(), "running: {:?}", quiet.events);

    child.kill().expect("kill");
    child.wait().expect("reap");
    let mut fired = None;
    for s in 1..10 {
        let report = monitor.tick(at(s));
        if let Some(e) = report.events.iter().find(|e| e.state == EventKind::Firing) {
            fired = Some((s, e.value));
            break;
        }
    }
    let (second, value) = fired.expect("the rule fires once the app stays down");
    assert!(
        second >= 3,
        "not before `for` (2 s) has passed: fired at {second} s"
    );
    assert_eq!(value, Some(0.0), "no process running");

    let mut again = distinct_sleeper(dir.path(), "lk-down-test");
    let back = monitor.tick(at(second + 1));
    let resolved = back.events.iter().any(|e| e.state == EventKind::Resolved);
    assert!(resolved, "resolved when it is back: {:?}", back.events);
    assert_eq!(
        back.snapshot.get(&key("app.sleeper.restarts")),
        Some(1.0),
        "and the restart is counted"
    );
    again.kill().expect("kill");
    again.wait().expect("reap");
}

/// This process's resident memory, from /proc/self/status.
fn own_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .expect("status")
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

#[test]
fn ten_thousand_short_lived_processes_leave_nothing_behind() {
    use lookout_core::config::{AppConfig, AppMatch};
    use lookout_monitor::sampler::apps::AppSampler;
    let watch = AppConfig {
        name: "flash".into(),
        matcher: AppMatch {
            process: Some("true".into()),
            ..AppMatch::default()
        },
        include_children: true,
    };
    let open_fds = || std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count);
    let fds_before = open_fds();
    let mut scanner = AppSampler::new(&[watch], Duration::ZERO);
    let baseline = scanner.scan().len();
    let mut rss_after_warmup = 0;
    for batch in 0..20 {
        // 500 at once, the table read while they start and exit.
        let children: Vec<_> = (0..500)
            .map(|_| Command::new("/bin/true").spawn().expect("spawn"))
            .collect();
        let procs = scanner.scan();
        let seen = procs.len();
        assert!(
            seen <= baseline + 600,
            "at most the live ones: {seen} vs {baseline}"
        );
        let members = scanner.members(&procs);
        assert_eq!(members.len(), 1, "one watch");
        for mut child in children {
            child.wait().expect("reap");
        }
        if batch == 1 {
            rss_after_warmup = own_rss_kib();
        }
    }
    let after = scanner.scan().len();
    assert!(
        after <= baseline + 20,
        "exited processes are forgotten: {after} now, {baseline} before"
    );
    // At most one kept descriptor per live process (other tests of this binary open a few).
    let fds = open_fds();
    assert!(
        fds <= fds_before + after + 64,
        "descriptors of exited processes are closed: {fds} open, {fds_before} before"
    );
    let grown = own_rss_kib().saturating_sub(rss_after_warmup);
    assert!(
        grown < 4096,
        "memory stable over 10,000 spawns: grew {grown} KiB"
    );
}
