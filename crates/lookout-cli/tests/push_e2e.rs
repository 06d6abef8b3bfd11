//! Push channels through the real `lookout` binary against a real HTTP receiver: a crash
//! before delivery loses nothing and repeats nothing, a refused token shows in `lookout
//! status` and never in the logs or events, and Apprise (Debian's package) delivers.

mod support;

use lookout_testkit::{closed_port, HttpServer};
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};
use support::{Home, PATIENCE};

/// One always-true rule on memory, announced on `channel` only (declared in `channels`).
fn config(channels: &str, channel: &str) -> String {
    format!(
        r#"version = 1
[sampling]
interval = "200ms"
[desktop]
enabled = false
{channels}
[[rules]]
name = "Memory watched"
metric = "mem.used_pct"
aggregate = "avg"
window = "200ms"
op = ">="
threshold = 0
severity = "critical"
channels = ["{channel}"]
"#
    )
}

fn wait_for_requests(server: &HttpServer, n: usize) {
    let deadline = Instant::now() + PATIENCE;
    while server.requests().len() < n {
        assert!(Instant::now() < deadline, "no request within {PATIENCE:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn secret_file(home: &Home, secret: &str) -> String {
    let path = home.dir.path().join("channel-secret");
    std::fs::write(&path, format!("{secret}\n")).expect("write secret");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    path.display().to_string()
}

#[test]
fn kill_9_before_delivery_then_restart_delivers_once() {
    let port = closed_port();
    let home = Home::new(&config(
        &format!("[[channels]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:{port}/alerts\"\n"),
        "hook",
    ));
    let monitor = home.start();
    monitor.wait_for("a failed first attempt", |m| {
        m.log().contains("push message not delivered")
    });
    assert_eq!(home.status()["outbox"]["pending"], 1, "kept for a retry");
    monitor.kill9();

    let server = HttpServer::start_on(false, port);
    let restarted = home.start();
    wait_for_requests(&server, 1);
    std::thread::sleep(Duration::from_secs(2));
    let got = server.requests();
    assert_eq!(got.len(), 1, "delivered exactly once: {got:?}");
    let body = got[0].json();
    assert_eq!(
        (body["rule"].as_str(), body["state"].as_str()),
        (Some("Memory watched"), Some("firing"))
    );
    assert!(
        restarted.events().iter().all(|e| e["state"] != "firing"),
        "the restart announces nothing again"
    );
    assert_eq!(home.status()["outbox"]["pending"], 0);
    assert!(restarted.stop(), "clean stop");
}

#[test]
fn a_refused_token_shows_in_status_and_never_in_logs_or_events() {
    let token = "987654:Zx-never-print-this-token";
    let server = HttpServer::start();
    // The service refuses, and repeats the token it was given, as some do.
    server.answer(&[(
        401,
        &[],
        &format!("{{\"ok\":false,\"description\":\"bad token {token}\"}}"),
    )]);
    let home = Home::new("");
    let file = secret_file(&home, token);
    std::fs::write(
        &home.config,
        config(
            &format!(
                "[[channels]]\nname = \"bot\"\nkind = \"telegram\"\nchat_id = \"7\"\nurl = \"{}\"\nsecret_file = \"{file}\"\n",
                server.base_url()
            ),
            "bot",
        ),
    )
    .expect("config");
    let monitor = home.start();
    wait_for_requests(&server, 1);
    monitor.wait_for("the refusal recorded", |m| {
        m.log().contains("push message not delivered")
    });
    let status = home.status();
    let bot = status["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .find(|c| c["channel"] == "bot")
        .unwrap_or_else(|| panic!("bot in {status}"))
        .clone();
    assert_eq!(bot["healthy"], false, "{status}");
    assert!(
        bot["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("HTTP 401")),
        "{bot}"
    );
    assert_eq!(
        status["outbox"]["failed"], 1,
        "a 401 is not retried: {status}"
    );
    let text = home.run(&["status"], None);
    let shown = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        shown.contains("bot") && shown.contains("HTTP 401"),
        "{shown}"
    );
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(server.requests().len(), 1, "not tried again");
    let events = serde_json::to_string(&monitor.events()).expect("json");
    let log = monitor.log();
    assert!(monitor.stop(), "clean stop");
    for (what, text) in [
        ("log", &log),
        ("events", &events),
        ("status", &shown),
        ("status --json", &status.to_string()),
    ] {
        assert!(
            !text.contains(token) && !text.contains("never-print"),
            "the token is in the {what}:\n{text}"
        );
    }
    assert!(
        log.contains("<redacted>"),
        "the echo was caught, not missed:\n{log}"
    );
}

#[test]
fn apprise_hands_the_message_to_its_json_service() {
    assert!(
        std::process::Command::new("apprise")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success()),
        "the apprise command is not installed; `make test` installs Debian's apprise package"
    );
    let server = HttpServer::start();
    let home = Home::new("");
    let urls = format!("json://127.0.0.1:{}/apprise", server.port);
    let file = secret_file(&home, &urls);
    std::fs::write(
        &home.config,
        config(
            &format!(
                "[[channels]]\nname = \"many\"\nkind = \"apprise\"\nsecret_file = \"{file}\"\n"
            ),
            "many",
        ),
    )
    .expect("config");
    let monitor = home.start();
    wait_for_requests(&server, 1);
    let got = server.requests();
    assert_eq!(
        (got[0].method.as_str(), got[0].path.as_str()),
        ("POST", "/apprise")
    );
    let body = got[0].json();
    assert!(
        body["title"]
            .as_str()
            .is_some_and(|t| t.contains("Memory watched")),
        "{body}"
    );
    assert_eq!(
        body["type"], "failure",
        "critical is apprise's failure type"
    );
    assert!(monitor.stop());
}

#[test]
fn without_apprise_the_channel_says_so_and_keeps_the_message() {
    let home = Home::new("");
    let file = secret_file(&home, "json://127.0.0.1:9/x");
    std::fs::write(
        &home.config,
        config(
            &format!(
                "[[channels]]\nname = \"many\"\nkind = \"apprise\"\nsecret_file = \"{file}\"\n"
            ),
            "many",
        ),
    )
    .expect("config");
    let mut home = home;
    home.env
        .push(("PATH".into(), home.dir.path().display().to_string()));
    let monitor = home.start();
    monitor.wait_for("the attempt", |m| {
        m.log().contains("push message not delivered")
    });
    let status = home.status();
    let many = status["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .find(|c| c["channel"] == "many")
        .cloned()
        .expect("many");
    assert!(
        many["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("apprise command is not installed")),
        "{many}"
    );
    assert_eq!(
        status["outbox"]["pending"], 1,
        "kept until apprise is there"
    );
    assert!(monitor.stop());
}
