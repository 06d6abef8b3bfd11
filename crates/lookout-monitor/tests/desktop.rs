//! The desktop channel against dunst on a private session bus under Xvfb, and with no server.
//!
//! notify-rust finds the bus through DBUS_SESSION_BUS_ADDRESS, which is process-wide: this
//! binary holds one test that sets it step by step, so nothing else races on it.

// Test code throughout: helpers panic on a broken rig just as the tests do.
#![allow(clippy::expect_used)]

use lookout_core::alert::EventKind;
use lookout_core::rule::Severity;
use lookout_i18n::Language;
use lookout_monitor::delivery::desktop::{notify, notify_test, DesktopError, APP_NAME};
use lookout_testkit::{cpu_event, Dunst, SessionBus, VirtualDisplay};

fn use_bus(address: &str) {
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address);
}

#[tokio::test]
async fn notifications_reach_dunst_and_a_missing_server_or_bus_is_an_error() {
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let dunst = Dunst::start(&bus, &display);
    use_bus(&bus.address);

    notify(
        &cpu_event("CPU saturated", EventKind::Firing, Severity::Critical),
        "testhost",
        Language::En,
    )
    .await
    .expect("critical shown");
    notify(
        &cpu_event("CPU busy", EventKind::Firing, Severity::Warning),
        "testhost",
        Language::En,
    )
    .await
    .expect("warning shown");
    notify(
        &cpu_event("CPU saturated", EventKind::Resolved, Severity::Critical),
        "testhost",
        Language::En,
    )
    .await
    .expect("resolution shown");
    notify_test("testhost", Language::En)
        .await
        .expect("test notification shown");

    let history = dunst.close_all_and_history();
    let find = |summary: &str| {
        history
            .iter()
            .find(|n| n.summary == summary)
            .unwrap_or_else(|| {
                panic!("no notification {summary:?} in dunst's history: {history:#?}")
            })
    };
    let critical = find("Critical: CPU saturated");
    assert_eq!(
        critical.urgency, "CRITICAL",
        "critical severity, critical urgency"
    );
    assert_eq!(
        critical.timeout_us, 0,
        "a critical alert stays until dismissed"
    );
    assert_eq!(critical.appname, APP_NAME, "shown as Lookout");
    assert!(
        critical
            .body
            .contains("average of cpu.total over 1h is 93.4 %"),
        "what, how much, which window: {critical:?}"
    );
    assert!(
        critical.body.contains("Firing since") && critical.body.contains("(1h 5m)"),
        "since when: {critical:?}"
    );
    let warning = find("Warning: CPU busy");
    assert_eq!(warning.urgency, "NORMAL", "warnings are normal urgency");
    assert_ne!(warning.timeout_us, 0, "a warning closes by itself");
    let resolved = find("Resolved: CPU saturated");
    assert_eq!(resolved.urgency, "LOW", "resolutions are low urgency");
    assert!(resolved.body.contains("is back to 93.4 %"), "{resolved:?}");
    assert_eq!(find("Lookout test notification").appname, APP_NAME);

    // A bus with no notification server on it.
    let empty_bus = SessionBus::start();
    use_bus(&empty_bus.address);
    let err = notify_test("testhost", Language::En)
        .await
        .expect_err("nobody to show it");
    assert!(matches!(err, DesktopError::NoServer(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("no notification server is running"),
        "{err}"
    );
    let korean = err.words(Language::Ko);
    assert!(
        korean.starts_with("세션 버스에 알림 서버가 실행 중이지 않습니다"),
        "{korean}"
    );

    // No bus at all.
    let nowhere = tempfile::TempDir::new().expect("temp dir");
    use_bus(&format!(
        "unix:path={}",
        nowhere.path().join("no-bus").display()
    ));
    let event = cpu_event("CPU saturated", EventKind::Firing, Severity::Critical);
    let err = notify(&event, "testhost", Language::En)
        .await
        .expect_err("no bus, no notification");
    assert!(matches!(err, DesktopError::NoBus(_)), "{err:?}");
    assert!(
        err.to_string().contains("cannot reach the session bus"),
        "{err}"
    );
}
