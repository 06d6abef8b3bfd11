//! The real `lookout-tray` and its real window, driven by tauri-driver under Xvfb: the user
//! adds an ntfy channel in Notifications, saves it with its token (into a real gnome-keyring),
//! presses Test, and the message reaches a real HTTP receiver standing in for ntfy.sh; the
//! answer shows in the window, and the token never does.
#![allow(clippy::expect_used)]

mod common;

use common::driven::{drive, go, screenshot, text, until, AppDirs};
use common::webdriver::Session;
use common::{GnomeKeyring, SessionBus, VirtualDisplay};
use lookout_testkit::HttpServer;
use serde_json::json;

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
    let app = AppDirs::new("C.UTF-8", "version = 1\n[desktop]\nenabled = false\n");
    let config = app.config.clone();
    let (_driver, session) = drive(&app.env(&bus, &display), &app.log, &["--open"]);
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
