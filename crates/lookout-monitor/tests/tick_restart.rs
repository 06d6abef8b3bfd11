//! In the tray (`Daemon::start_with_fallback`) a tick loop that dies of a bug is reported and
//! started again: ticks go on, and the status names the failure. The failure is injected by
//! the failpoint, an environment variable: this binary holds this one test.
#![allow(clippy::expect_used)]

use lookout_monitor::monitor::{Daemon, DaemonOptions, FAIL_AT_TICK_ENV};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tray_restarts_a_failed_tick_loop_and_says_so() {
    std::env::set_var(FAIL_AT_TICK_ENV, "2");
    let dir = tempfile::TempDir::new().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "version = 1\n[sampling]\ninterval = \"100ms\"\n[desktop]\nenabled = false\n",
    )
    .expect("config");
    let options = DaemonOptions {
        config_path: config,
        data_dir: dir.path().join("data"),
        create_default_config: false,
        follow_config_edits: false,
    };
    let (handle, daemon) = Daemon::start_with_fallback(options).await.expect("starts");
    // A generous bound only so a broken build cannot hang the suite.
    let mut waited = Duration::ZERO;
    while handle.tick_failure().is_none() && waited < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += Duration::from_millis(50);
    }
    let failure = handle.tick_failure().expect("the failure is reported");
    assert!(failure.restarted, "the tray starts the loop again");
    assert!(
        failure.message.contains("injected at tick 2"),
        "{failure:?}"
    );
    let before = handle.latest().map(|v| v.at);
    let mut ticks = handle.subscribe_ticks();
    let after = tokio::time::timeout(Duration::from_secs(30), ticks.recv())
        .await
        .expect("ticks go on after the restart")
        .expect("a tick");
    assert!(Some(after.at) > before, "a new tick after the failure");
    let status = handle.status().await;
    assert_eq!(
        status.tick_failure,
        Some(failure),
        "the status names the failure"
    );
    daemon.stop().await;
}
