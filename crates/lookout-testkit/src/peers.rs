//! Real peers for integration tests: aiosmtpd, a private D-Bus, Xvfb, dunst, gnome-keyring.
//!
//! Every peer listens on loopback or a private bus, and is killed (by its own PID) on drop.
//! Waits poll with a generous deadline so a slow machine is not a failure; nothing is timed.
// Test support: each binary uses part of it, and a peer that cannot start fails the test.

use lookout_core::alert::{AlertEvent, EventKind};
use lookout_core::metric::MetricKey;
use lookout_core::rule::{Aggregate, Op, Severity};
use lookout_core::Timestamp;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command};
use std::time::{Duration, Instant};

/// How long a peer may take to come up before the test gives up on it.
const STARTUP: Duration = Duration::from_secs(20);

pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Polls `ready` until it is true or `STARTUP` passes.
pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + STARTUP;
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {STARTUP:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A child process that is killed when dropped.
pub struct Peer {
    pub name: &'static str,
    pub child: Child,
}

impl Peer {
    pub fn spawn(name: &'static str, cmd: &mut Command) -> Self {
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        Self { name, child }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn stdout(&mut self) -> ChildStdout {
        self.child.stdout.take().expect("stdout is piped")
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn first_line(name: &str, out: ChildStdout) -> String {
    let mut line = String::new();
    BufReader::new(out)
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{name}: cannot read its stdout: {e}"));
    assert!(
        !line.trim().is_empty(),
        "{name} exited before printing its first line"
    );
    line.trim().to_owned()
}

/// A firing, critical CPU alert: 93.4 % average over 1h, since 65 minutes.
pub fn cpu_event(rule: &str, state: EventKind, severity: Severity) -> AlertEvent {
    let at = 1_717_250_585_000;
    AlertEvent {
        rule: rule.to_owned(),
        state,
        metric: MetricKey::parse("cpu.total").expect("valid key"),
        value: Some(93.44),
        threshold: 80.0,
        clear_threshold: 80.0,
        op: Op::Gt,
        aggregate: Aggregate::Avg,
        window: Duration::from_secs(3600),
        severity,
        at: Timestamp::from_millis(at),
        since: Timestamp::from_millis(at - 3_900_000),
        coverage: 1.0,
        channels: Vec::new(),
        notify: true,
        culprits: Vec::new(),
        gave_up: None,
    }
}
