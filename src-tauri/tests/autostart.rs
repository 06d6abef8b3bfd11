//! "Start at login" is the autostart entry on disk: set_autostart creates and removes
//! `$HOME/.config/autostart/Lookout.desktop`, and get_autostart reports the file, not a flag.
//!
//! The plugin finds the entry through HOME (it ignores XDG_CONFIG_HOME), which is
//! process-wide: this binary holds one test, so nothing races on it.
#![allow(clippy::expect_used)]

mod common;

use common::TestApp;
use serde_json::{json, Value};

#[test]
fn autostart_follows_the_desktop_entry_in_home() {
    let home = tempfile::TempDir::new().expect("temp HOME");
    std::env::set_var("HOME", home.path());
    let entry = home.path().join(".config/autostart/Lookout.desktop");

    let app = TestApp::start();
    assert_eq!(
        app.invoke("get_autostart", json!({})),
        Ok(json!(false)),
        "off at first"
    );

    assert_eq!(
        app.invoke("set_autostart", json!({ "enabled": true })),
        Ok(json!(true)),
        "on after enabling"
    );
    let desktop = std::fs::read_to_string(&entry).expect("the entry was written");
    assert!(
        desktop.contains("[Desktop Entry]"),
        "a desktop entry:\n{desktop}"
    );
    // It starts this very executable (an installed Lookout: /usr/bin/lookout-tray), its
    // path quoted when it needs to be.
    let exe = std::env::current_exe().expect("exe");
    let exec = format!(
        "Exec={}\n",
        lookout_tray::autostart_entry::exec_argument(&exe.to_string_lossy())
    );
    assert!(desktop.contains(&exec), "{exec:?} in:\n{desktop}");

    std::fs::remove_file(&entry).expect("remove the entry by hand");
    assert_eq!(
        app.invoke("get_autostart", json!({})),
        Ok(json!(false)),
        "the state is read from disk, so removing the file turns it off"
    );

    app.invoke("set_autostart", json!({ "enabled": true }))
        .expect("enable again");
    assert_eq!(
        app.invoke("set_autostart", json!({ "enabled": false })),
        Ok(json!(false)),
        "off after disabling"
    );
    assert!(!entry.exists(), "disabling removed {}", entry.display());
    assert_eq!(
        app.invoke("set_autostart", json!({ "enabled": false })),
        Ok(Value::Bool(false)),
        "disabling twice is fine"
    );
}
