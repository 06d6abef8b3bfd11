//! The SMTP password is write-only: after `set_smtp_password` (into a real gnome-keyring on a
//! private bus), no command's response, value or error, contains it.
//!
//! The keyring is found through DBUS_SESSION_BUS_ADDRESS, which is process-wide: this binary
//! holds one test, so nothing races on it.
#![allow(clippy::expect_used)]

mod common;

use common::{GnomeKeyring, SessionBus, TestApp};
use serde_json::{json, Value};

const PASSWORD: &str = "Zq7-write-only-pässword";
const USER: &str = "alerts@example.com";

fn text(response: &Result<Value, Value>) -> String {
    match response {
        Ok(v) | Err(v) => v.to_string(),
    }
}

#[test]
fn no_command_ever_returns_the_smtp_password() {
    let bus = SessionBus::start();
    let _keyring = GnomeKeyring::start(&bus);
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    std::env::remove_var("DISPLAY");

    let app = TestApp::start();
    // An email setup that really uses the password: a username, and a server that refuses.
    let mut config = app.invoke("get_config", json!({})).expect("get_config");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    config["email"]["enabled"] = json!(true);
    config["email"]["host"] = json!("127.0.0.1");
    config["email"]["port"] = json!(closed);
    config["email"]["tls"] = json!("none");
    config["email"]["username"] = json!(USER);
    // AUTH without TLS is accepted only to this machine, and only when allowed.
    config["email"]["allow_plaintext_auth"] = json!(true);
    app.invoke("set_config", json!({ "config": config.clone() }))
        .expect("a valid email config");

    let set = app.invoke("set_smtp_password", json!({ "password": PASSWORD }));
    assert_eq!(
        set,
        Ok(Value::Null),
        "the password is stored and nothing comes back"
    );
    assert!(
        GnomeKeyring::lookup(&bus, "lookout", "smtp").is_some_and(|p| p.trim() == PASSWORD),
        "the keyring really holds it (read with secret-tool)"
    );

    let until = lookout_monitor::clock::wall_now().as_millis() + 60_000;
    let calls: Vec<(&str, Value)> = vec![
        ("get_config", json!({})),
        ("validate_config", json!({ "config": config })),
        ("set_config", json!({ "config": config })),
        ("get_snapshot", json!({})),
        ("get_recent", json!({})),
        ("get_alerts", json!({ "since": null, "limit": 100 })),
        ("get_status", json!({})),
        ("test_email", json!({})),
        ("test_notification", json!({})),
        ("pause_alerts", json!({ "until": until })),
        ("pause_alerts", json!({ "until": null })),
        ("get_autostart", json!({})),
        ("set_smtp_password", json!({ "password": PASSWORD })),
    ];
    for (cmd, args) in calls {
        let response = app.invoke(cmd, args);
        let body = text(&response);
        assert!(
            !body.contains(PASSWORD) && !body.contains("Zq7"),
            "{cmd} leaked the password: {body}"
        );
        if cmd == "get_status" {
            assert_eq!(
                response.as_ref().map(|s| s["smtp_password_set"].clone()),
                Ok(json!(true)),
                "status says a password is set, without showing it"
            );
        }
        if cmd == "test_email" {
            let err = response.expect_err("the server is closed");
            assert_eq!(
                err["code"], "email",
                "the password was found and a connection tried: {err}"
            );
        }
    }

    let cleared = app.invoke("clear_smtp_password", json!({}));
    assert_eq!(cleared, Ok(Value::Null), "cleared");
    assert!(
        GnomeKeyring::lookup(&bus, "lookout", "smtp").is_none(),
        "the keyring no longer holds it"
    );
}
