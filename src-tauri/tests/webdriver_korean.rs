//! The real `lookout-tray` and its real window (WebKitGTK) on a Korean desktop, driven by
//! tauri-driver under Xvfb with a private session bus, a tray host and gnome-keyring: window
//! and tray menu speak Korean until English is chosen in Settings, which is saved to the
//! config and followed by both at once.
#![allow(clippy::expect_used)]

mod common;

use common::driven::{drive, go, screenshot, text, until, AppDirs};
use common::tray::TrayItem;
use common::webdriver::Session;
use common::{GnomeKeyring, SessionBus, TrayHost, VirtualDisplay};
use serde_json::json;
use std::time::Duration;

/// A quiet config with one rule, which must survive the language change untouched.
const CONFIG: &str = r#"version = 1

[sampling]
interval = "1s"

[email]
enabled = false

[[rules]]
name = "Memory in use"
metric = "mem.used_pct"
aggregate = "all"
window = "3s"
op = ">="
threshold = 100
severity = "critical"
"#;

/// The page's `<html lang>` and the Overview link's text.
fn page_language(session: &Session) -> Result<Option<(String, String)>, String> {
    let lang = session
        .execute("return document.documentElement.lang")
        .map_err(|e| e.to_string())?;
    let nav = text(session, "nav-overview")?;
    Ok(lang.as_str().zip(nav).map(|(l, n)| (l.to_owned(), n)))
}

#[test]
fn on_a_korean_desktop_window_and_tray_speak_korean_until_english_is_chosen() {
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let _keyring = GnomeKeyring::start(&bus);
    let _tray_host = TrayHost::start(&bus, &display);
    let app = AppDirs::new("ko_KR.UTF-8", CONFIG);
    let (_driver, session) = drive(&app.env(&bus, &display), &app.log, &["--open"]);
    session
        .set_window_rect(0, 0, 1280, 760)
        .expect("resize the window");
    until("the window in Korean", || {
        page_language(&session).map(|p| p.filter(|(lang, nav)| lang == "ko" && nav == "개요"))
    });
    let item = TrayItem::wait_for(&bus);
    until("the tray menu in Korean", || {
        Ok(item.menu().contains_key("Lookout 열기").then_some(()))
    });
    assert!(
        !item.menu().contains_key("Open Lookout"),
        "no English label: {:?}",
        item.menu()
    );
    until("the live CPU value", || {
        text(&session, "live-cpu").map(|t| t.filter(|t| t.ends_with('%')))
    });
    until("the charts drawn", || {
        session
            .execute("return document.querySelectorAll('.spark canvas').length")
            .map(|n| (n.as_u64().unwrap_or(0) > 2).then_some(()))
            .map_err(|e| e.to_string())
    });
    // A few ticks on the charts before the picture.
    std::thread::sleep(Duration::from_secs(5));
    screenshot(&session, &display, "app-ko-overview");

    // Chosen in the window: saved at once, and window and tray follow.
    go(&session, "settings");
    until("English chosen in the language select", || {
        session
            .execute(
                "const s = document.querySelector('[data-testid=\"language-select\"]');
                 if (!s || s.disabled) return false;
                 s.value = 'en';
                 s.dispatchEvent(new Event('change', { bubbles: true }));
                 return true;",
            )
            .map(|done| (done == json!(true)).then_some(()))
            .map_err(|e| e.to_string())
    });
    until("the window in English", || {
        page_language(&session).map(|p| p.filter(|(lang, nav)| lang == "en" && nav == "Overview"))
    });
    until("language = \"en\" in config.toml", || {
        let text = std::fs::read_to_string(&app.config).map_err(|e| e.to_string())?;
        let doc: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
        Ok((doc.get("language").and_then(|v| v.as_str()) == Some("en")).then_some(()))
    });
    until("the tray menu in English", || {
        Ok(item.menu().contains_key("Open Lookout").then_some(()))
    });
    assert!(
        std::fs::read_to_string(&app.config)
            .expect("config")
            .contains("name = \"Memory in use\""),
        "only the language changed"
    );
    go(&session, "overview");
    screenshot(&session, &display, "app-en-overview");
}
