//! App watches against real processes: a watch follows a process through a restart, an
//! "app down" rule fires and resolves, and thousands of short-lived processes leave nothing
//! behind.

// Helpers outside #[test] fns are not covered by clippy.toml's allow-expect-in-tests.
#![allow(clippy::expect_used)]

use lookout_core::{MetricKey, MetricNeeds, Snapshot};
use lookout_monitor::Sampler;
use std::process::Command;
use std::time::Duration;

fn key(k: &str) -> MetricKey {
    MetricKey::parse(k).expect("valid key")
}

fn keys(snap: &Snapshot) -> Vec<String> {
    snap.iter().map(|(k, _)| k.as_str().to_owned()).collect()
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
