//! Desktop notifications from the real `lookout run`: dunst on a private bus under Xvfb shows
//! them; with no session bus the monitor keeps running and reports the channel as failing.

mod support;

use lookout_testkit::{closed_port, Dunst, SessionBus, VirtualDisplay};
use std::time::Duration;
use support::{always_firing_config, Home};

fn desktop_only() -> String {
    always_firing_config(closed_port(), "", true)
        .replace("[email]\nenabled = true", "[email]\nenabled = false")
}

#[test]
fn a_firing_rule_is_shown_by_the_notification_daemon() {
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let dunst = Dunst::start(&bus, &display);
    let mut home = Home::new(&desktop_only());
    home.env
        .push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
    let monitor = home.start();
    monitor.wait_for("the firing event", |m| {
        m.events().iter().any(|e| e["state"] == "firing")
    });
    let mut notices = Vec::new();
    monitor.wait_for("the notification in dunst", |_| {
        notices = dunst.close_all_and_history();
        !notices.is_empty()
    });
    let notice = notices
        .iter()
        .find(|n| n.summary.contains("Memory watched"))
        .unwrap_or_else(|| panic!("{notices:?}"));
    assert_eq!(notice.appname, "Lookout");
    assert_eq!(
        notice.urgency, "CRITICAL",
        "critical rule, critical urgency"
    );
    assert_eq!(notice.timeout_us, 0, "critical stays until dismissed");
    let status = home.status();
    let desktop = status["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .find(|c| c["channel"] == "desktop")
        .expect("desktop")
        .clone();
    assert_eq!(desktop["healthy"], true, "{status}");
}

#[test]
fn under_a_korean_locale_the_notification_is_korean() {
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let dunst = Dunst::start(&bus, &display);
    let mut home = Home::new(&desktop_only());
    home.env
        .push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
    home.env.push(("LC_ALL".into(), "ko_KR.UTF-8".into()));
    let monitor = home.start();
    let mut notices = Vec::new();
    monitor.wait_for("the notification in dunst", |_| {
        notices = dunst.close_all_and_history();
        !notices.is_empty()
    });
    let notice = notices
        .iter()
        .find(|n| n.summary.contains("Memory watched"))
        .unwrap_or_else(|| panic!("{notices:?}"));
    assert_eq!(notice.summary, "심각: Memory watched", "a Korean title");
    assert!(
        notice.body.contains("평균") && notice.body.contains("발생 중입니다"),
        "a Korean body: {}",
        notice.body
    );
}

#[test]
fn without_a_session_bus_the_monitor_keeps_running_and_reports_the_failure() {
    let mut home = Home::new(&desktop_only());
    home.env.push((
        "DBUS_SESSION_BUS_ADDRESS".into(),
        "unix:path=/nonexistent/lookout-test-bus".into(),
    ));
    let mut monitor = home.start();
    monitor.wait_for("the failure to be logged", |m| {
        m.log().contains("desktop notification failed")
    });
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        monitor.is_alive(),
        "a missing bus never crashes the monitor:\n{}",
        monitor.log()
    );
    let status = home.status();
    let desktop = status["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .find(|c| c["channel"] == "desktop")
        .expect("desktop")
        .clone();
    assert_eq!(desktop["healthy"], false, "{status}");
    assert!(
        desktop["last_error"]
            .as_str()
            .is_some_and(|e| !e.is_empty()),
        "{status}"
    );
    assert!(monitor.stop(), "still stops cleanly");
}
