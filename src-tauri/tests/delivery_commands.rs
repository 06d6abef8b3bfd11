//! The window's delivery log and settings commands through Tauri's mock runtime over a real
//! monitor and a real SMTP server: an email that cannot be delivered waits with its error, "send
//! now" delivers it long before its next attempt was due, and what a mistaken call gets back.
#![allow(clippy::expect_used)]

mod common;

use common::TestApp;
use lookout_testkit::{closed_port, SmtpMode, SmtpServer};
use serde_json::{json, Value};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(since.as_millis()).expect("fits")
}

fn config(port: u16) -> String {
    format!(
        r#"version = 1
[sampling]
interval = "1s"
[desktop]
enabled = false
[email]
enabled = true
host = "127.0.0.1"
port = {port}
tls = "none"
from = "Lookout <lookout@example.com>"
to = ["me@example.com"]
timeout = "3s"
[[rules]]
name = "Always"
metric = "cpu.total"
aggregate = "all"
window = "1s"
op = ">="
threshold = 0
channels = ["email"]
"#
    )
}

fn deliveries(app: &TestApp) -> Value {
    app.invoke("get_deliveries", json!({ "limit": 50 }))
        .expect("get_deliveries")
}

/// Polls the delivery log until `done` holds (a minute at most).
fn until(app: &TestApp, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let log = deliveries(app);
        if done(&log) {
            return log;
        }
        assert!(Instant::now() < deadline, "{what}: {log:#}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_waiting_email_is_listed_with_its_error_and_send_now_delivers_it() {
    std::env::set_var("LOOKOUT_HISTORY_FLUSH", "1s");
    let port = closed_port();
    let dir = tempfile::TempDir::new().expect("dir");
    let app = TestApp::start_with_config(dir, &config(port));

    // Nothing listens: the firing email fails twice and waits ten seconds for its third try.
    let log = until(&app, "the email is waiting after two attempts", |log| {
        log["waiting"][0]["attempts"].as_u64() >= Some(2)
            && log["waiting"][0]["status"] == "pending"
    });
    let waiting = &log["waiting"][0];
    let id = waiting["id"].as_i64().expect("an outbox id");
    assert_eq!(waiting["recipients"], json!(["me@example.com"]));
    assert!(
        waiting["subject"]
            .as_str()
            .is_some_and(|s| s.contains("Always")),
        "{waiting}"
    );
    assert!(
        waiting["last_error"]
            .as_str()
            .is_some_and(|e| !e.is_empty()),
        "the last error is shown: {waiting}"
    );
    assert!(waiting.get("text").is_none() && waiting.get("html").is_none());
    let due = waiting["next_attempt_at"].as_i64().expect("next attempt");
    let retries: Vec<&Value> = log["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .filter(|a| a["channel"] == "email" && a["outbox_id"] == id)
        .collect();
    assert!(retries.len() >= 2, "{log:#}");
    assert!(retries.iter().all(|a| a["outcome"] == "retry"), "{log:#}");

    // A server now listens; "send now" sends at once instead of at the next attempt.
    let server = SmtpServer::start_on(SmtpMode::Plain, None, "PLAIN,LOGIN", port);
    let asked = now_ms();
    app.invoke("send_now", json!({ "outboxId": id }))
        .expect("send_now");
    let log = until(&app, "the email is delivered", |log| {
        log["waiting"].as_array().is_some_and(Vec::is_empty)
    });
    let sent = log["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .find(|a| a["outbox_id"] == id && a["outcome"] == "ok")
        .expect("a delivered attempt");
    let at = sent["at"].as_i64().expect("at");
    assert!(
        at >= asked && at < due,
        "delivered at {at}, asked at {asked}, next attempt was due at {due}"
    );
    assert_eq!(server.received().len(), 1, "one message reached the server");

    // Nothing waits now, and nothing by a made-up id.
    for outbox_id in [id, 424_242, -1] {
        let err = app
            .invoke("send_now", json!({ "outboxId": outbox_id }))
            .expect_err("refused");
        assert_eq!(err["code"], "bad_request", "{outbox_id}: {err}");
    }
    let err = app
        .invoke("send_now", json!({ "outboxId": "1; DROP TABLE outbox" }))
        .expect_err("a string is not an id");
    assert!(err.to_string().contains("outboxId"), "{err}");

    let usage = app
        .invoke("get_storage_usage", json!({}))
        .expect("get_storage_usage");
    assert!(usage["database_bytes"].as_u64() > Some(0), "{usage}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let usage = loop {
        let usage = app
            .invoke("get_storage_usage", json!({}))
            .expect("get_storage_usage");
        if usage["history_bytes"].as_u64() > Some(0) {
            break usage;
        }
        assert!(Instant::now() < deadline, "no history on disk: {usage}");
        std::thread::sleep(Duration::from_millis(200));
    };
    let since = usage["history_since"].as_i64().expect("history since");
    // To the quarter hour: the 15-minute tier's first bucket holds this run's first readings.
    assert!(since <= now_ms() && since > asked - 16 * 60_000, "{usage}");
    assert!(
        usage["history_bytes"].as_u64() < usage["database_bytes"].as_u64(),
        "{usage}"
    );
}
