//! The real `lookout-tray` and its real window, driven by tauri-driver under Xvfb: the user
//! adds an ntfy channel in Notifications, saves it with its token (into a real gnome-keyring),
//! presses Test, and the message reaches a real HTTP receiver standing in for ntfy.sh; the
//! answer shows in the window, and the token never does.
#![allow(clippy::expect_used)]

mod common;

use common::driven::{drive, go, screenshot, text, until, ShowLogOnFailure};
use common::webdriver::Session;
use common::{GnomeKeyring, SessionBus, VirtualDisplay};
use lookout_testkit::HttpServer;
use serde_json::json;
use std::ffi::OsString;

const TOKEN: &str = "tk_real-window-token-77";

/// Fills the input with `testid` after clearing it.
fn fill(session: &Session, testid: &str, value: &str) {
    let input = until(testid, || {
        Ok(session.find(&format!("[data-testid=\"{testid}\"]")).ok())
    });
    session.clear(&input).expect("clear");
    session.send_keys(&input, value).expect("type");
}

fn click(session: &Session, testid: &str) {
    let element = until(testid, || {
        Ok(session.find(&format!("[data-testid=\"{testid}\"]")).ok())
    });
    session.click(&element).expect("click");
}

#[test]
fn an_ntfy_channel_added_in_the_real_window_delivers_its_test() {
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let _keyring = GnomeKeyring::start(&bus);
    let server = HttpServer::start();
    let dir = tempfile::TempDir::new().expect("temp dir");
    let (home, runtime) = (dir.path().join("home"), dir.path().join("runtime"));
    std::fs::create_dir_all(&home).expect("home");
    std::fs::create_dir_all(&runtime).expect("runtime");
    std::fs::set_permissions(
        &runtime,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .expect("chmod");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "version = 1\n[desktop]\nenabled = false\n").expect("config");
    let log = dir.path().join("driver-and-app.log");
    let _show_log = ShowLogOnFailure(log.clone());
    let env: Vec<(&str, OsString)> = vec![
        ("PATH", std::env::var_os("PATH").unwrap_or_default()),
        ("DBUS_SESSION_BUS_ADDRESS", bus.address.clone().into()),
        ("DISPLAY", display.display.clone().into()),
        ("HOME", home.into()),
        ("XDG_RUNTIME_DIR", runtime.into()),
        ("NO_AT_BRIDGE", "1".into()),
        ("LANG", "C.UTF-8".into()),
        ("LOOKOUT_CONFIG", config.clone().into()),
        ("LOOKOUT_DATA_DIR", dir.path().join("data").into()),
        ("LOOKOUT_LOG", "info,tao=warn,wry=warn".into()),
    ];
    let (_driver, session) = drive(&env, &log, &["--open"]);
    session.set_window_rect(0, 0, 1280, 900).expect("resize");

    go(&session, "notifications");
    let picker = until("the channel kind picker", || {
        Ok(session.find("[data-testid=\"channel-kind\"]").ok())
    });
    // A <select>: chosen as the browser does, with its change event.
    session
        .execute("const s = document.querySelector('[data-testid=\"channel-kind\"]'); s.value = 'ntfy'; s.dispatchEvent(new Event('change', { bubbles: true })); return s.value;")
        .expect("choose ntfy");
    drop(picker);
    click(&session, "add-channel");
    fill(&session, "channel-name", "phone");
    fill(
        &session,
        "channel-url",
        &format!("{}/my-alerts", server.base_url()),
    );
    click(&session, "save");
    until("the channel saved in the file", || {
        let text = std::fs::read_to_string(&config).map_err(|e| e.to_string())?;
        Ok((text.contains("[[channels]]") && text.contains("my-alerts")).then_some(()))
    });
    fill(&session, "channel-secret", TOKEN);
    click(&session, "save");
    until("the token stored", || {
        text(&session, "channel-secret-state").map(|t| t.filter(|t| t.contains("Secret stored")))
    });
    assert!(
        GnomeKeyring::lookup(&bus, "lookout", "channel:phone").is_some_and(|t| t.trim() == TOKEN),
        "the keyring holds the token"
    );

    click(&session, "test-channel");
    let answer = until("the service's answer", || {
        text(&session, "test-channel-outcome").map(|t| t.filter(|t| t.contains("HTTP")))
    });
    assert!(answer.contains("HTTP 200"), "{answer}");
    let got = server.requests();
    assert_eq!(got.len(), 1, "one test message");
    assert_eq!(
        got[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(got[0].json()["topic"], "my-alerts");
    let page = session
        .execute("return document.documentElement.outerHTML")
        .expect("page");
    assert!(
        !page.to_string().contains(TOKEN),
        "the token is nowhere in the window"
    );
    assert!(
        !std::fs::read_to_string(&config)
            .expect("config")
            .contains(TOKEN),
        "nor in the config"
    );
    assert_eq!(json!(got[0].method), json!("POST"));
    screenshot(&session, &display, "notifications-channel");
}
