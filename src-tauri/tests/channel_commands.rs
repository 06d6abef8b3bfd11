//! Push channels from the window, through Tauri's mock runtime over a real monitor: a channel
//! added and tested against a real HTTP receiver, its token stored write-only in a real
//! gnome-keyring (on a private bus), never returned, and forgotten when the window points the
//! channel somewhere else; `secret_file` and `ca_file` stay the file's.
//!
//! The keyring is found through DBUS_SESSION_BUS_ADDRESS, which is process-wide: this binary
//! holds one test, so nothing races on it.
#![allow(clippy::expect_used)]

mod common;

use common::{GnomeKeyring, SessionBus, TestApp};
use lookout_testkit::HttpServer;
use serde_json::{json, Value};

const TOKEN: &str = "tk_write-only-ntfy-token-42";

fn text(response: &Result<Value, Value>) -> String {
    match response {
        Ok(v) | Err(v) => v.to_string(),
    }
}

#[test]
fn a_channel_added_in_the_window_is_tested_and_keeps_its_token_to_itself() {
    let bus = SessionBus::start();
    let _keyring = GnomeKeyring::start(&bus);
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    std::env::remove_var("DISPLAY");
    let server = HttpServer::start();
    let app = TestApp::start();

    // The user adds an ntfy channel in the window and saves.
    let mut config = app.invoke("get_config", json!({})).expect("get_config");
    config["channels"] = json!([{
        "name": "phone",
        "kind": "ntfy",
        "enabled": true,
        "url": format!("{}/my-alerts", server.base_url()),
    }]);
    app.invoke("set_config", json!({ "config": config.clone() }))
        .expect("a valid channel is saved");

    // The token goes to the keyring; nothing gives it back.
    let set = app.invoke(
        "set_channel_secret",
        json!({ "name": "phone", "secret": TOKEN }),
    );
    assert_eq!(set, Ok(Value::Null));
    assert!(
        GnomeKeyring::lookup(&bus, "lookout", "channel:phone").is_some_and(|t| t.trim() == TOKEN),
        "the keyring holds it (read with secret-tool)"
    );
    let secrets = app
        .invoke("get_channel_secrets", json!({}))
        .expect("secrets");
    assert_eq!(secrets[0]["channel"], "phone");
    assert_eq!(secrets[0]["stored"], true);
    assert!(!secrets.to_string().contains(TOKEN));

    // Test: the service's answer comes back, and the receiver got the message with the token.
    let answer = app
        .invoke("test_channel", json!({ "name": "phone" }))
        .expect("the test is delivered");
    assert!(
        answer.as_str().expect("text").starts_with("HTTP 200"),
        "{answer}"
    );
    let got = server.requests();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let body = got[0].json();
    assert_eq!(body["topic"], "my-alerts");
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));

    // A refusal is shown as the service said it.
    server.answer(&[(403, &[], "{\"error\":\"forbidden\"}")]);
    let refused = app.invoke("test_channel", json!({ "name": "phone" }));
    let said = text(&refused);
    assert!(refused.is_err() && said.contains("HTTP 403"), "{said}");
    assert!(!said.contains(TOKEN), "{said}");

    for (cmd, args) in [
        ("get_config", json!({})),
        ("get_status", json!({})),
        ("get_deliveries", json!({ "limit": 50 })),
        ("test_channel", json!({ "name": "phone" })),
        ("test_channel", json!({ "name": "nope" })),
    ] {
        let body = text(&app.invoke(cmd, args));
        assert!(
            !body.contains(TOKEN) && !body.contains("tk_write"),
            "{cmd} leaked the token: {body}"
        );
    }

    // The window may not choose where the secret or the CA is read from.
    for (field, value) in [
        ("secret_file", "/home/user/.ssh/id_ed25519"),
        ("ca_file", "/tmp/evil.pem"),
    ] {
        let mut sneaky = config.clone();
        sneaky["channels"][0][field] = json!(value);
        let refused = app.invoke("set_config", json!({ "config": sneaky }));
        let error = refused.expect_err(field);
        assert_eq!(error["code"], "forbidden", "{error}");
    }

    // The window points the channel at another server: the stored token is forgotten, so it
    // cannot follow the channel there.
    let other = HttpServer::start();
    let mut moved = config.clone();
    moved["channels"][0]["url"] = json!(format!("{}/stolen", other.base_url()));
    app.invoke("set_config", json!({ "config": moved }))
        .expect("saved");
    assert!(
        GnomeKeyring::lookup(&bus, "lookout", "channel:phone").is_none(),
        "the token left the keyring"
    );
    app.invoke("test_channel", json!({ "name": "phone" }))
        .expect("delivered without a token");
    let stolen = other.requests();
    assert_eq!(stolen.len(), 1);
    assert_eq!(
        stolen[0].header("authorization"),
        None,
        "no token went there"
    );
    assert!(!String::from_utf8_lossy(&stolen[0].body).contains(TOKEN));

    let cleared = app.invoke("clear_channel_secret", json!({ "name": "phone" }));
    assert_eq!(
        cleared,
        Ok(Value::Null),
        "clearing what is not there is fine"
    );

    // An alert the service refuses: the channel shows failing in the status (the tray icon's
    // state), with the service's answer.
    other.answer(&[(403, &[], "{\"error\":\"forbidden\"}")]);
    let mut firing = app.invoke("get_config", json!({})).expect("get_config");
    firing["rules"] = json!([{
        "name": "Always", "metric": "mem.used_pct", "aggregate": "avg", "window": "1s",
        "op": ">=", "threshold": 0.0, "channels": ["phone"],
    }]);
    app.invoke("set_config", json!({ "config": firing }))
        .expect("saved");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        let status = app.invoke("get_status", json!({})).expect("status");
        let phone = status["channels"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["channel"] == "phone").cloned());
        if phone.as_ref().is_some_and(|p| p["last_error"].is_string()) {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no failure shown: {status}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(status["overall"], "channel_failing", "{status}");
    assert!(status.to_string().contains("HTTP 403"), "{status}");

    // Removing the channel in the window takes its stored secret with it.
    app.invoke(
        "set_channel_secret",
        json!({ "name": "phone", "secret": TOKEN }),
    )
    .expect("stored again");
    let mut removed = app.invoke("get_config", json!({})).expect("get_config");
    removed["channels"] = json!([]);
    removed["rules"] = json!([]);
    app.invoke("set_config", json!({ "config": removed }))
        .expect("saved");
    assert!(
        GnomeKeyring::lookup(&bus, "lookout", "channel:phone").is_none(),
        "no secret is left behind"
    );
}
