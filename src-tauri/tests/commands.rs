//! The commands through Tauri's mock runtime, over a real monitor and real config file.
#![allow(clippy::expect_used)]

mod common;

use common::TestApp;
use serde_json::{json, Value};

fn paths(err: &Value) -> Vec<String> {
    err["fields"]
        .as_array()
        .expect("field errors are a list")
        .iter()
        .map(|f| {
            f["path"]
                .as_array()
                .expect("a path is a list")
                .iter()
                .map(|seg| match seg {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect()
}

#[test]
fn set_config_refuses_an_invalid_config_with_every_field_error_and_writes_nothing() {
    let app = TestApp::start();
    let before = std::fs::read(&app.config_path).expect("the default config was written");

    let mut config = app.invoke("get_config", json!({})).expect("get_config");
    config["sampling"]["interval"] = json!("soon");
    config["rules"][0]["window"] = json!("-5m");
    config["rules"][1]["metric"] = json!("cpu.bogus");

    let err = app
        .invoke("set_config", json!({ "config": config }))
        .expect_err("an invalid config is refused");
    assert_eq!(err["code"], "invalid_config", "error code: {err}");
    let fields = paths(&err);
    for expected in ["sampling.interval", "rules.0.window", "rules.1.metric"] {
        assert!(
            fields.iter().any(|f| f == expected),
            "'{expected}' is among the field errors {fields:?}"
        );
    }
    assert!(
        err["fields"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "each field error says what is wrong: {err}"
    );
    assert_eq!(
        std::fs::read(&app.config_path).expect("config still there"),
        before,
        "the config file is byte-for-byte untouched"
    );

    let checked = app
        .invoke("validate_config", json!({ "config": config }))
        .expect("validate_config answers with the list");
    assert_eq!(
        checked, err["fields"],
        "validate_config finds the same problems without saving"
    );
    assert_eq!(
        app.invoke("get_config", json!({})).expect("get_config")["sampling"]["interval"],
        "1s",
        "the config in force is still the old one"
    );
}

#[test]
fn set_config_saves_a_valid_config_to_the_file() {
    let app = TestApp::start();
    let mut config = app.invoke("get_config", json!({})).expect("get_config");
    config["sampling"]["interval"] = json!("2s");
    let saved = app
        .invoke("set_config", json!({ "config": config }))
        .expect("a valid config is saved");
    assert_eq!(
        saved["sampling"]["interval"], "2s",
        "the saved config comes back"
    );
    let text = std::fs::read_to_string(&app.config_path).expect("config file");
    assert!(
        text.contains("interval = \"2s\""),
        "the file holds the new interval:\n{text}"
    );
    assert!(
        app.invoke("validate_config", json!({ "config": config }))
            .expect("validate_config")
            .as_array()
            .is_some_and(Vec::is_empty),
        "a valid config has no field errors"
    );
}

#[test]
fn read_commands_answer_before_the_first_tick_and_after() {
    let app = TestApp::start();
    let status = app.invoke("get_status", json!({})).expect("get_status");
    assert!(
        status["overall"].is_string() && status["config_path"].is_string(),
        "status has its overall state and paths: {status}"
    );
    assert!(
        app.invoke("get_recent", json!({}))
            .expect("get_recent")
            .is_array(),
        "recent series are a list"
    );
    let alerts = app
        .invoke("get_alerts", json!({ "since": null, "limit": 10 }))
        .expect("get_alerts");
    assert_eq!(alerts, json!([]), "a new data dir has an empty alert log");
    let snapshot = app.invoke("get_snapshot", json!({})).expect("get_snapshot");
    assert!(
        snapshot.is_null() || snapshot["values"].is_object(),
        "no tick yet, or a tick with values: {snapshot}"
    );
}

#[test]
fn pause_and_resume_show_in_the_status() {
    let app = TestApp::start();
    let until = lookout_monitor::clock::wall_now().as_millis() + 15 * 60 * 1000;
    let status = app
        .invoke("pause_alerts", json!({ "until": until }))
        .expect("pause_alerts");
    assert_eq!(
        status["paused_until"],
        json!(until),
        "paused until then: {status}"
    );
    assert_eq!(status["overall"], "paused", "the overall state says paused");
    let status = app
        .invoke("pause_alerts", json!({ "until": null }))
        .expect("resume");
    assert_eq!(status["paused_until"], Value::Null, "resumed: {status}");
}

/// A loopback port nobody listens on (a connection is refused at once).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[test]
fn errors_cross_as_code_and_message() {
    let app = TestApp::start();
    let mut config = app.invoke("get_config", json!({})).expect("get_config");
    config["email"]["host"] = json!("127.0.0.1");
    config["email"]["port"] = json!(closed_port());
    config["email"]["tls"] = json!("none");
    app.invoke("set_config", json!({ "config": config }))
        .expect("a valid email config");
    let err = app
        .invoke("test_email", json!({}))
        .expect_err("nobody listens on the SMTP port");
    assert_eq!(err["code"], "email", "an email error: {err}");
    assert!(
        err["message"].as_str().is_some_and(|m| !m.is_empty()),
        "with a message for people: {err}"
    );
}
