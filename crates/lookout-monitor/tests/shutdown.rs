//! One shutdown signal stops everything: after `Daemon::stop` no thread or task of the monitor
//! is left, even with an email send hanging on a server that never answers.
#![cfg(target_os = "linux")]

use lookout_monitor::monitor::{Daemon, DaemonOptions};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const INTERVAL: Duration = Duration::from_millis(200);
const EMAIL_TIMEOUT: Duration = Duration::from_secs(2);

/// Names of this process's threads that belong to a monitor.
fn monitor_threads() -> Vec<String> {
    std::fs::read_dir("/proc/self/task")
        .expect("list threads")
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| name.starts_with("lookout-"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_joins_every_thread_and_task_with_a_send_in_flight() {
    // A server that accepts and never greets: the send hangs until the email timeout.
    let stalled = TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = stalled.local_addr().expect("addr").port();
    let dir = tempfile::tempdir().expect("temp dir");
    let options = DaemonOptions {
        config_path: dir.path().join("config.toml"),
        data_dir: dir.path().join("data"),
        create_default_config: false,
        follow_config_edits: true,
    };
    std::fs::write(
        &options.config_path,
        format!(
            "version = 1\n[sampling]\ninterval = \"200ms\"\n[desktop]\nenabled = false\n\
             [email]\nenabled = true\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\n\
             from = \"lookout@example.com\"\nto = [\"me@example.com\"]\ntimeout = \"2s\"\n\
             [[rules]]\nname = \"always\"\nmetric = \"mem.used_pct\"\naggregate = \"avg\"\n\
             window = \"200ms\"\nop = \">=\"\nthreshold = 0\n"
        ),
    )
    .expect("config");
    let tasks_before = tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks();
    let (handle, daemon) = Daemon::start(options).await.expect("start");
    // A thread takes its name once it first runs: wait for both.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !(monitor_threads().contains(&"lookout-tick".to_owned())
        && monitor_threads().contains(&"lookout-config".to_owned()))
    {
        assert!(
            Instant::now() < deadline,
            "the tick thread and the config watcher run: {:?}",
            monitor_threads()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Wait until the sender is inside a send: the server has a connection it never answers.
    stalled.set_nonblocking(false).expect("blocking accept");
    let accepted = tokio::task::spawn_blocking(move || stalled.accept().map(|c| (c, stalled)))
        .await
        .expect("accept task")
        .expect("the sender connected");

    let began = Instant::now();
    daemon.stop().await;
    let took = began.elapsed();
    // A liveness bound, not a speed figure: stop must not wait on anything unbounded.
    let bound = INTERVAL + EMAIL_TIMEOUT + Duration::from_secs(3);
    assert!(
        took < bound,
        "stop took {took:?}, more than a tick plus the email timeout ({bound:?})"
    );
    assert_eq!(
        monitor_threads(),
        Vec::<String>::new(),
        "no monitor thread left"
    );
    // Tasks a library spawned for a call that already returned (zbus's connection tasks for
    // the failure notification) end on their own within moments: wait for them, boundedly.
    let alive = || {
        tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks()
    };
    let settle = Instant::now() + Duration::from_secs(2);
    while alive() > tasks_before && Instant::now() < settle {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(alive(), tasks_before, "no monitor task left");
    assert!(
        handle.set_live_view(true).await.is_err(),
        "the handle reports that the monitor has stopped"
    );
    drop(accepted);
}
