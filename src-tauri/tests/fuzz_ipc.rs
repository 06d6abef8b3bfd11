//! Fuzzing on stable Rust, with proptest: what a compromised window could send. Every command,
//! and names that are none, with any JSON arguments (and valid configs with one field
//! changed), over the real monitor on Tauri's mock runtime. Nothing may panic or hang; every
//! refusal is a Tauri argument error or a `{code, message}` with a known code; the files the
//! window may not touch (the password file, the CA file) never change.
//!
//! `LOOKOUT_FUZZ_CASES` sets the cases (2,000 by default); `make test` runs 100,000 and
//! `make fuzz` ten million.
#![allow(clippy::expect_used)]

mod common;

use common::TestApp;
use lookout_core::config::DEFAULT_CONFIG_TOML;
use lookout_monitor::api::ErrorCode;
use lookout_tray::command_names::COMMANDS;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use serde_json::{json, Map, Value};

fn cases() -> u32 {
    std::env::var("LOOKOUT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// Any JSON, with keys drawn mostly from the commands' own argument names.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::String),
        Just(json!("/home/user/.ssh/id_ed25519")),
    ];
    let key = prop_oneof![
        4 => prop::sample::select(vec![
            "config", "since", "limit", "until", "password", "enabled", "onTick", "email",
            "rules", "password_file", "ca_file", "host", "version", "__proto__", "name",
            "secret", "channels", "secret_file",
        ])
        .prop_map(str::to_owned),
        1 => ".{0,12}",
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A valid config with one field at `path` replaced by `value`.
fn mutated(base: &Value, path: &[&str], value: Value) -> Value {
    let mut config = base.clone();
    let mut at = &mut config;
    for key in &path[..path.len() - 1] {
        at = &mut at[*key];
    }
    at[path[path.len() - 1]] = value;
    config
}

#[derive(Debug, Clone)]
enum Call {
    Any(String, Value),
    /// `set_config` or `validate_config` with one field of the config in force changed.
    Config(bool, usize, Value),
}

const FIELDS: [&[&str]; 10] = [
    &["email", "password_file"],
    &["email", "ca_file"],
    &["email", "host"],
    &["email", "port"],
    &["email", "username"],
    &["email", "body"],
    &["sampling", "interval"],
    &["rules"],
    &["storage", "log_days"],
    &["version"],
];

fn call() -> impl Strategy<Value = Call> {
    let name = prop_oneof![
        8 => prop::sample::select(COMMANDS.to_vec()).prop_map(str::to_owned),
        1 => ".{0,20}",
    ];
    prop_oneof![
        2 => (name, json_value()).prop_map(|(n, v)| Call::Any(n, v)),
        1 => (any::<bool>(), 0..FIELDS.len(), json_value()).prop_map(|(s, f, v)| Call::Config(s, f, v)),
    ]
}

#[test]
fn no_payload_breaks_a_command_or_reaches_the_secrets() {
    // No session bus: keyring and notification calls fail at once instead of waiting.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    std::env::remove_var("DISPLAY");
    // Names the cases make up are looked up for real: a resolver that never answers must not
    // hold a case for ten seconds (glibc reads RES_OPTIONS when it first resolves).
    std::env::set_var("RES_OPTIONS", "timeout:1 attempts:1");
    let home = tempfile::TempDir::new().expect("home");
    std::env::set_var("HOME", home.path());
    std::env::set_var("XDG_CONFIG_HOME", home.path().join(".config"));
    // The default config, with its mail server on this machine where nothing listens: a test
    // email the cases send is refused at once instead of waiting on DNS for smtp.example.com.
    assert!(DEFAULT_CONFIG_TOML.contains("host = \"smtp.example.com\""));
    let config = DEFAULT_CONFIG_TOML.replace("host = \"smtp.example.com\"", "host = \"127.0.0.1\"");
    let app = TestApp::start_with_config(tempfile::TempDir::new().expect("dir"), &config);
    let base = app.invoke("get_config", json!({})).expect("get_config");
    let mut runner = TestRunner::new(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&call(), |call| {
            let (command, args) = match &call {
                Call::Any(name, args) => (name.clone(), args.clone()),
                Call::Config(save, field, value) => {
                    let command = if *save {
                        "set_config"
                    } else {
                        "validate_config"
                    };
                    let config = mutated(&base, FIELDS[*field], value.clone());
                    (command.to_owned(), json!({ "config": config }))
                }
            };
            let response = app.invoke(&command, args.clone());
            if let Err(error) = &response {
                match error {
                    Value::String(text) => prop_assert!(!text.is_empty(), "{command}"),
                    Value::Object(o) => {
                        let code = o.get("code").cloned().unwrap_or_default();
                        prop_assert!(
                            serde_json::from_value::<ErrorCode>(code).is_ok(),
                            "{command}: an unknown code in {error}"
                        );
                        prop_assert!(
                            o.get("message").is_some_and(Value::is_string),
                            "{command}: {error}"
                        );
                    }
                    other => prop_assert!(false, "{command}: an error of no known shape: {other}"),
                }
            }
            let now = app.invoke("get_config", json!({})).expect("get_config");
            prop_assert_eq!(
                &now["email"]["password_file"],
                &base["email"]["password_file"],
                "the password file is not the window's to change ({} {})",
                command,
                args
            );
            prop_assert_eq!(&now["email"]["ca_file"], &base["email"]["ca_file"]);
            Ok(())
        })
        .expect("no payload breaks a command");
}
