//! The `alertmanager` channel against Debian's real Alertmanager: a firing alert shows up in
//! its API and in `amtool alert query` with the labels the exported rules would give it, its
//! resolution ends it, and an Alertmanager outage plus kill -9 of Lookout still delivers it
//! exactly once.

mod support;

use lookout_testkit::{free_port, http_get, wait_until, Peer};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use support::Home;

/// A probe of a local port and a rule that fires while nothing listens there.
fn config(am_port: u16, probe_port: u16) -> String {
    format!(
        r#"version = 1
[sampling]
interval = "200ms"
[desktop]
enabled = false
[[probes]]
name = "svc"
tcp = "127.0.0.1:{probe_port}"
interval = "1s"
timeout = "1s"
[[channels]]
name = "am"
kind = "alertmanager"
url = "http://127.0.0.1:{am_port}"
[[rules]]
name = "service down"
metric = "probe.svc.up"
aggregate = "max"
window = "1s"
op = "<"
threshold = 1
min_coverage = 0.1
severity = "critical"
channels = ["am"]
"#
    )
}

/// A real Alertmanager on loopback, without clustering.
fn alertmanager(dir: &Path, port: u16) -> Peer {
    std::fs::write(
        dir.join("alertmanager.yml"),
        "route:\n  receiver: none\n  group_wait: 1s\nreceivers:\n  - name: none\n",
    )
    .expect("alertmanager.yml");
    let peer = Peer::spawn(
        "prometheus-alertmanager",
        Command::new("prometheus-alertmanager")
            .arg(format!(
                "--config.file={}",
                dir.join("alertmanager.yml").display()
            ))
            .arg(format!("--storage.path={}", dir.join("am-data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    let addr = format!("127.0.0.1:{port}");
    wait_until("Alertmanager is ready", || {
        std::net::TcpStream::connect(&addr).is_ok()
            && http_get(&addr, "/-/ready", &[("Host", &addr)]).status == 200
    });
    peer
}

/// The active alerts Alertmanager lists.
fn active_alerts(port: u16) -> Vec<serde_json::Value> {
    let addr = format!("127.0.0.1:{port}");
    let answer = http_get(&addr, "/api/v2/alerts", &[("Host", &addr)]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("JSON alerts")
}

/// How many alerts of `status` (firing, resolved) Alertmanager has received on its v2 API,
/// from its own metrics.
fn received(port: u16, status: &str) -> f64 {
    let addr = format!("127.0.0.1:{port}");
    let metrics = http_get(&addr, "/metrics", &[("Host", &addr)]).body;
    let series =
        format!("alertmanager_alerts_received_total{{status=\"{status}\",version=\"v2\"}} ");
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&series))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {series} in Alertmanager's metrics:\n{metrics}"))
}

#[test]
fn a_firing_alert_reaches_alertmanager_then_its_resolution_ends_it() {
    let probe_port = free_port();
    let am_port = free_port();
    let home = Home::new(&config(am_port, probe_port));
    let _am = alertmanager(home.dir.path(), am_port);
    let run = home.start();

    let mut alerts = Vec::new();
    wait_until("Alertmanager lists the alert", || {
        alerts = active_alerts(am_port);
        !alerts.is_empty()
    });
    let labels = &alerts[0]["labels"];
    assert_eq!(labels["alertname"], "ServiceDown", "{alerts:?}");
    assert_eq!(labels["rule"], "service down");
    assert_eq!(labels["severity"], "critical");
    assert_eq!(labels["probe"], "svc");
    assert!(labels["instance"].as_str().is_some_and(|i| !i.is_empty()));
    assert!(alerts[0]["annotations"]["summary"]
        .as_str()
        .is_some_and(|s| s.contains("service down")));
    assert_eq!(alerts[0]["status"]["state"], "active");
    let ends: String = alerts[0]["endsAt"].as_str().expect("endsAt").to_owned();
    let starts: String = alerts[0]["startsAt"].as_str().expect("startsAt").to_owned();
    assert!(
        ends > starts,
        "ends in the future while firing: {starts} .. {ends}"
    );

    let query = Command::new("amtool")
        .args([
            "alert",
            "query",
            "-o",
            "json",
            &format!("--alertmanager.url=http://127.0.0.1:{am_port}"),
            "alertname=ServiceDown",
        ])
        .output()
        .expect("amtool is not installed; `make test` installs prometheus-alertmanager");
    let listed = String::from_utf8_lossy(&query.stdout);
    assert!(
        query.status.success(),
        "{listed}{}",
        String::from_utf8_lossy(&query.stderr)
    );
    assert!(
        listed.contains("\"rule\":\"service down\""),
        "amtool: {listed}"
    );

    // The service comes up: the probe succeeds, the rule resolves, Alertmanager ends it.
    let _service = TcpListener::bind(("127.0.0.1", probe_port)).expect("service port");
    wait_until("the alert is resolved in Alertmanager", || {
        active_alerts(am_port).is_empty()
    });
    assert!(
        run.events().iter().any(|e| e["state"] == "resolved"),
        "Lookout resolved it"
    );
    assert_eq!(received(am_port, "firing"), 1.0, "one firing, not repeated");
    assert_eq!(received(am_port, "resolved"), 1.0, "one resolution");
    assert!(run.stop(), "clean stop");
}

#[test]
fn an_alertmanager_outage_and_kill_9_still_deliver_once() {
    let probe_port = free_port();
    let am_port = free_port();
    let home = Home::new(&config(am_port, probe_port));
    let monitor = home.start();
    monitor.wait_for("a failed first attempt", |m| {
        m.log().contains("push message not delivered")
    });
    assert_eq!(home.status()["outbox"]["pending"], 1, "kept for a retry");
    monitor.kill9();

    let _am = alertmanager(home.dir.path(), am_port);
    let restarted = home.start();
    wait_until("Alertmanager lists the alert", || {
        !active_alerts(am_port).is_empty()
    });
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(received(am_port, "firing"), 1.0, "delivered exactly once");
    assert_eq!(active_alerts(am_port).len(), 1);
    assert_eq!(home.status()["outbox"]["pending"], 0);
    assert!(
        restarted.events().iter().all(|e| e["state"] != "firing"),
        "the restart announces nothing again"
    );
    assert!(restarted.stop(), "clean stop");
}
