//! The endpoint follows the config as the window's Settings save it: off, then serving at the
//! address set, moved when it changes, and stopped when it is cleared; the dashboard routes
//! exist only while the dashboard is on.
#![cfg(target_os = "linux")]

use lookout_http::{HttpService, Overrides};
use lookout_monitor::monitor::{Daemon, DaemonOptions};
use lookout_testkit::{free_port, http_get};
use std::time::{Duration, Instant};

const CONFIG: &str = "version = 1\n[desktop]\nenabled = false\n[sampling]\ninterval = \"1s\"\n\
    [[rules]]\nname = \"mine\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 99\n";

async fn until(what: &str, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `GET path` on a blocking thread (the test client is synchronous).
async fn get(addr: String, path: &'static str) -> (u16, String) {
    tokio::task::spawn_blocking(move || {
        let a = http_get(&addr, path, &[("Host", addr.as_str())]);
        (a.status, a.body)
    })
    .await
    .expect("client thread")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_turn_the_endpoint_on_move_it_and_turn_it_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = DaemonOptions {
        config_path: dir.path().join("config.toml"),
        data_dir: dir.path().join("data"),
        create_default_config: false,
        follow_config_edits: false,
    };
    std::fs::write(&options.config_path, CONFIG).expect("write");
    let (handle, daemon) = Daemon::start(options).await.expect("start");
    let http = HttpService::start(handle.clone(), Overrides::default())
        .await
        .expect("service");
    assert_eq!(http.local_addr(), None, "off while listen is empty");

    let first = format!("127.0.0.1:{}", free_port());
    let mut config = handle.config();
    config.http.listen = first.clone();
    handle.set_config(config.clone()).await.expect("save");
    until("serving at the first address", || {
        http.local_addr().map(|a| a.to_string()) == Some(first.clone())
    })
    .await;
    // The first tick may not have come yet: until then /metrics has only Lookout's own figures.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, body) = get(first.clone(), "/metrics").await;
        assert_eq!(status, 200, "{body}");
        if body.contains("lookout_alert_state{rule=\"mine\"") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no rule state in /metrics: {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, _) = get(first.clone(), "/login").await;
    assert_eq!(
        status, 404,
        "no dashboard routes while the dashboard is off"
    );

    let second = format!("127.0.0.1:{}", free_port());
    config.http.listen = second.clone();
    config.http.dashboard = true;
    handle.set_config(config.clone()).await.expect("save");
    until("moved to the second address", || {
        http.local_addr().map(|a| a.to_string()) == Some(second.clone())
    })
    .await;
    assert!(
        std::net::TcpStream::connect(&first).is_err(),
        "the first address is closed"
    );
    let (status, _) = get(second.clone(), "/login").await;
    assert_eq!(status, 401, "the login route exists and wants a code");

    config.http.listen = String::new();
    config.http.dashboard = false;
    handle.set_config(config).await.expect("save");
    until("stopped", || http.local_addr().is_none()).await;
    until("the port closed", || {
        std::net::TcpStream::connect(&second).is_err()
    })
    .await;

    http.stop().await;
    daemon.stop().await;
}
