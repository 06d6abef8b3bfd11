//! Hand edits of config.toml reach the running monitor: rewritten in place or replaced by a
//! rename, a valid file is applied; a broken one is reported and the monitor keeps its rules.
#![cfg(target_os = "linux")]

use lookout_monitor::monitor::{Daemon, DaemonOptions, MonitorHandle};
use std::time::{Duration, Instant};

fn config(threshold: u32) -> String {
    format!(
        "version = 1\n[desktop]\nenabled = false\n[[rules]]\nname = \"mine\"\n\
         metric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\nthreshold = {threshold}\n"
    )
}

const BROKEN: &str = "version = 1\n[[rules]]\nname = \"mine\"\nmetric = \"cpu.totl\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 99\n";

/// Polls `ready` until it is true, for at most 20 s.
async fn until(what: &str, handle: &MonitorHandle, ready: impl Fn(&MonitorHandle) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready(handle) {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn threshold(handle: &MonitorHandle) -> f64 {
    handle.config().rules[0].threshold
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_of_the_file_are_applied_and_broken_ones_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = DaemonOptions {
        config_path: dir.path().join("config.toml"),
        data_dir: dir.path().join("data"),
        create_default_config: false,
        follow_config_edits: true,
    };
    std::fs::write(&options.config_path, config(90)).expect("write");
    let (handle, daemon) = Daemon::start(options.clone()).await.expect("start");

    // Written in place, as `echo > config.toml` does.
    std::fs::write(&options.config_path, config(70)).expect("write in place");
    until("the in-place edit to apply", &handle, |h| {
        threshold(h) == 70.0
    })
    .await;

    // Replaced by a rename, as most editors (and Lookout itself) save.
    let staged = dir.path().join(".config.toml.new");
    std::fs::write(&staged, config(60)).expect("write staged");
    std::fs::rename(&staged, &options.config_path).expect("rename");
    until("the renamed file to apply", &handle, |h| {
        threshold(h) == 60.0
    })
    .await;

    std::fs::write(&options.config_path, BROKEN).expect("break it");
    let mut problem = None;
    let deadline = Instant::now() + Duration::from_secs(20);
    while problem.is_none() {
        assert!(
            Instant::now() < deadline,
            "the broken file was not reported"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        problem = handle.status().await.config_error;
    }
    let problem = problem.expect("reported");
    assert!(
        problem.contains("rules[0].metric: unknown metric 'cpu.totl'"),
        "{problem}"
    );
    assert_eq!(
        threshold(&handle),
        60.0,
        "still running on the last valid rules"
    );
    assert_eq!(
        std::fs::read_to_string(&options.config_path).expect("read"),
        BROKEN,
        "the user's file is left as written"
    );

    // Fixed again: applied, and the problem is gone.
    std::fs::write(&options.config_path, config(50)).expect("fix it");
    until("the fixed file to apply", &handle, |h| threshold(h) == 50.0).await;
    assert_eq!(handle.status().await.config_error, None, "problem cleared");
    daemon.stop().await;
}
