//! A full disk loses no alert: events that cannot be written wait in memory, in order, the
//! email channel says why, and once there is room every event is in the alert log with its
//! email queued. On a real 64 MiB tmpfs, which only root can mount (CI runs as root).
#![allow(clippy::expect_used)]

use lookout_core::rule::Channel;
use lookout_core::EventKind;
use lookout_monitor::config::parse_config;
use lookout_monitor::delivery::dispatch::{Dispatcher, Wakers};
use lookout_monitor::delivery::notice_bus::NoticeBus;
use lookout_monitor::delivery::{DeliveryInputs, Health};
use lookout_monitor::store::{Store, StoreHandle};
use lookout_monitor::sys::{Clock, Shutdown};
use lookout_testkit::{at, event};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};

const TICKS: usize = 200;
const PER_TICK: usize = 10;

/// A tmpfs mounted for the test, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Self {
        std::fs::create_dir_all(at).expect("mount point");
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(at)
            .status()
            .expect("mount runs");
        assert!(ok.success(), "mount a tmpfs at {}", at.display());
        Self(at.to_path_buf())
    }

    /// Fills the disk with one file until it is full; returns the file.
    fn fill(&self) -> PathBuf {
        let path = self.0.join("filler");
        let mut file = std::fs::File::create(&path).expect("filler");
        let chunk = vec![0u8; 16 * 1024];
        while file.write_all(&chunk).is_ok() {}
        let small = [0u8; 512];
        while file.write_all(&small).is_ok() {}
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

async fn eventually<F: std::future::Future<Output = bool>>(
    what: &str,
    limit: Duration,
    mut ready: impl FnMut() -> F,
) {
    let deadline = Instant::now() + limit;
    while !ready().await {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_delays_alerts_but_loses_none() {
    if !rustix::process::geteuid().is_root() {
        eprintln!("skipped: mounting a tmpfs needs root (CI runs the tests as root)");
        return;
    }
    let dir = tempfile::TempDir::new().expect("temp dir");
    let disk = SmallDisk::mount(&dir.path().join("small"), "64m");
    let store = StoreHandle::new(Store::open(&disk.0.join("lookout.db")).expect("open"));
    let config = parse_config(
        "version = 1\n[desktop]\nenabled = false\n[email]\nenabled = true\nhost = \"localhost\"\nfrom = \"alerts@example.com\"\nto = [\"me@example.com\"]\n",
    )
    .expect("valid config");
    let engine = lookout_core::Engine::new(config.interval, config.rules.clone());
    let health = Arc::new(Health::default());
    let inputs = DeliveryInputs {
        store: store.clone(),
        config: watch::channel(Arc::new(config)).1,
        clock: Clock::wall(),
        health: health.clone(),
        host: "testhost".into(),
    };
    let (dispatch, task) = Dispatcher::start(
        inputs,
        Wakers {
            email: Arc::new(Notify::new()),
            push: Arc::new(Notify::new()),
        },
        NoticeBus::new(Shutdown::new()).0,
        Arc::new(|_| {}),
    );

    let filler = disk.fill();
    let mut sent = Vec::new();
    for tick in 0..TICKS {
        let events: Vec<_> = (0..PER_TICK)
            .map(|i| {
                let name = format!("rule {tick:03}-{i}");
                sent.push(name.clone());
                event(&name, EventKind::Firing, at(1 + tick as i64))
            })
            .collect();
        dispatch.send(events, &engine);
    }

    // Every tick has reached the dispatcher and is held: only its retries can write them now.
    let all_held = format!("{} alert events", TICKS * PER_TICK);
    let failing = || {
        std::future::ready(
            health.is_failing(&Channel::EMAIL)
                && health
                    .last_error(&Channel::EMAIL)
                    .is_some_and(|e| e.starts_with(&all_held)),
        )
    };
    eventually(
        "the email channel reports the failure",
        Duration::from_secs(30),
        failing,
    )
    .await;
    let reported = health.last_error(&Channel::EMAIL).unwrap_or_default();
    assert!(
        reported.contains("could not be written") && reported.contains("retried"),
        "{reported}"
    );
    let logged = store
        .call(|s| s.alerts_since(at(0), 10_000))
        .await
        .expect("reads work on a full disk");
    assert!(
        logged.is_empty(),
        "the disk really was full: {} written",
        logged.len()
    );

    std::fs::remove_file(&filler).expect("make room");
    let expected = sent.len();
    let all_written = || {
        let store = store.clone();
        async move {
            store
                .call(|s| s.alerts_since(at(0), 10_000))
                .await
                .is_ok_and(|a| a.len() == expected)
        }
    };
    eventually("every event written", Duration::from_secs(90), all_written).await;
    let mut logged = store
        .call(|s| s.alerts_since(at(0), 10_000))
        .await
        .expect("read");
    logged.sort_by_key(|a| a.id);
    let order: Vec<&str> = logged.iter().map(|a| a.event.rule.as_str()).collect();
    assert_eq!(order, sent, "written once each, in the order they happened");
    let queued = store.call(|s| s.outbox_depth()).await.expect("depth");
    assert_eq!(queued.pending, expected as u64, "every email queued once");
    assert!(!health.is_failing(&Channel::EMAIL), "the failure cleared");

    drop(dispatch);
    task.await.expect("the dispatcher ends");
}
