//! Alert notifications lead somewhere: against dunst (which shows buttons) on a private
//! session bus under Xvfb, "Snooze 1 h" snoozes that rule for an hour, kept in the database,
//! and a click on the notification asks the window to open that alert's log entry.
//!
//! The bus is found through DBUS_SESSION_BUS_ADDRESS, which is process-wide: this binary holds
//! one test.
#![allow(clippy::expect_used)]

use lookout_core::EventKind;
use lookout_monitor::monitor::{Daemon, DaemonOptions};
use lookout_monitor::store::Store;
use lookout_testkit::{Dunst, SessionBus, VirtualDisplay};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const CONFIG: &str = r#"version = 1
[sampling]
interval = "200ms"
[desktop]
enabled = true
[email]
enabled = false
[[rules]]
name = "Alpha"
metric = "cpu.total"
aggregate = "all"
window = "1s"
op = ">="
threshold = 0
[[rules]]
name = "Beta"
metric = "mem.used_pct"
aggregate = "all"
window = "1s"
op = ">="
threshold = 0
"#;

fn now_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(since.as_millis()).expect("fits")
}

fn wait(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snooze_and_open_from_the_notification() {
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let dunst = Dunst::start(&bus, &display);
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus.address);

    let dir = tempfile::tempdir().expect("temp dir");
    let options = DaemonOptions {
        config_path: dir.path().join("config.toml"),
        data_dir: dir.path().join("data"),
        create_default_config: false,
        follow_config_edits: false,
    };
    std::fs::write(&options.config_path, CONFIG).expect("config");
    let (handle, daemon) = Daemon::start(options.clone()).await.expect("start");
    // A window listens, so "Open" is offered.
    let mut opens = handle.subscribe_opens();

    wait("both alerts shown", || dunst.displayed() >= 2);
    let menu = tokio::task::block_in_place(|| dunst.press("Snooze 1 h (Warning: Beta)"));
    assert!(
        menu.contains("Snooze 1 h"),
        "the buttons are offered: {menu}"
    );
    assert!(menu.contains("Open"), "{menu}");
    let pressed = now_ms();
    wait("Beta snoozed", || {
        handle.latest().is_some_and(|tick| {
            tick.rules
                .iter()
                .any(|r| r.name == "Beta" && r.snoozed_until.is_some())
        })
    });
    let tick = handle.latest().expect("a tick");
    let beta = tick.rules.iter().find(|r| r.name == "Beta").expect("Beta");
    let alpha = tick
        .rules
        .iter()
        .find(|r| r.name == "Alpha")
        .expect("Alpha");
    let until = beta.snoozed_until.expect("snoozed").as_millis();
    assert!(
        (pressed + 3_590_000..=now_ms() + 3_600_000).contains(&until),
        "snoozed for an hour: until {until}, pressed at {pressed}"
    );
    assert_eq!(
        alpha.snoozed_until, None,
        "only the rule pressed is snoozed"
    );

    // A click on Alpha's notification asks the window to open its log entry.
    tokio::task::block_in_place(|| dunst.click());
    let open = tokio::time::timeout(Duration::from_secs(15), opens.recv())
        .await
        .expect("an open in time")
        .expect("an open");
    let alerts = handle.alerts(None, 10).await.expect("the alert log");
    let logged = alerts
        .iter()
        .find(|a| a.event.rule == open.rule && a.event.state == EventKind::Firing)
        .expect("the opened alert is in the log");
    assert_eq!(open.event_id, Some(logged.id), "{open:?}");

    daemon.stop().await;
    // The snooze outlives the monitor.
    let store = Store::open_read_only(&dir.path().join("data/lookout.db")).expect("open");
    let snooze = store.load_snooze().expect("snooze");
    assert_eq!(
        snooze.rules.get("Beta").map(|t| t.as_millis()),
        Some(until),
        "{snooze:?}"
    );
    drop(dunst);
}
