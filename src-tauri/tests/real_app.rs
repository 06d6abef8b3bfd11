//! The real `lookout-tray` binary under Xvfb, a private session bus and a real tray host
//! (gtk-sni-tray-standalone, a StatusNotifierItem watcher), inspected and clicked over D-Bus
//! the way a desktop's panel does it.
#![allow(clippy::expect_used)]

mod common;

use common::tray::TrayItem;
use common::{wait_until, Peer, SessionBus, TrayHost, VirtualDisplay};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_lookout-tray");

/// The app's environment: its own HOME, runtime dir, config and data dir; the test's bus
/// and display.
fn app_command(bus: &SessionBus, display: &VirtualDisplay, dir: &Path) -> Command {
    let runtime = dir.join("runtime");
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    std::fs::set_permissions(
        &runtime,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .expect("chmod runtime dir");
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .env("DISPLAY", &display.display)
        .env("HOME", dir.join("home"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("NO_AT_BRIDGE", "1")
        .env("LOOKOUT_CONFIG", dir.join("config.toml"))
        .env("LOOKOUT_DATA_DIR", dir.join("data"))
        .stdin(Stdio::null());
    cmd
}

fn wait_for_exit(child: &mut Child, what: &str) -> ExitStatus {
    let mut status = None;
    wait_until(what, || {
        status = child.try_wait().expect("try_wait");
        status.is_some()
    });
    status.expect("exited")
}

#[test]
fn a_data_dir_held_by_another_lookout_is_a_clear_message_and_exit_code_3() {
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let dir = TempDir::new().expect("temp dir");
    let _held = lookout_monitor::store::DataDirLock::acquire(&dir.path().join("data"))
        .expect("the test holds the data dir");

    let out = app_command(&bus, &display, dir.path())
        .output()
        .expect("lookout-tray runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "exit code 3; stderr:\n{stderr}");
    assert!(
        stderr.contains("another Lookout")
            && stderr.contains(&format!("PID {}", std::process::id())),
        "the message says who holds the data dir:\n{stderr}"
    );
}

#[test]
fn the_tray_shows_status_and_menu_follows_pause_and_quits_cleanly() {
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let _host = TrayHost::start(&bus, &display);
    let dir = TempDir::new().expect("temp dir");
    let log = dir.path().join("lookout-tray.log");
    let _show_log = ShowLogOnFailure(log.clone());
    // A Peer: killed on drop if the test fails before Quit.
    let mut app = Peer::spawn(
        "lookout-tray",
        app_command(&bus, &display, dir.path())
            .env("LOOKOUT_LOG", "debug,tao=info,wry=info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file")),
    );

    let item = TrayItem::wait_for(&bus);
    assert!(
        item.property("Status").contains("Active"),
        "the item is shown: {}",
        item.property("Status")
    );
    let mut menu = HashMap::new();
    wait_until("the status line shows the first tick", || {
        menu = item.menu();
        menu.keys().any(|l| l.starts_with("CPU "))
    });
    for label in [
        "Open Lookout",
        "Recent alerts",
        "Pause alerts",
        "Start at login",
        "Quit",
    ] {
        assert!(menu.contains_key(label), "the menu has '{label}': {menu:?}");
    }

    let icon_before = item.property("IconName");
    item.click(menu["For 15 minutes"]);
    wait_until("the icon and the menu show the pause", || {
        item.property("IconName") != icon_before
            && item
                .menu()
                .keys()
                .any(|l| l.starts_with("Resume alerts (paused until"))
    });

    item.click(menu["Start at login"]);
    let entry = dir.path().join("home/.config/autostart/Lookout.desktop");
    wait_until("the autostart entry is written", || entry.exists());

    item.click(menu["Quit"]);
    let status = wait_for_exit(&mut app.child, "lookout-tray exits after Quit");
    assert_eq!(status.code(), Some(0), "Quit is a clean exit");
}

#[test]
fn under_a_korean_locale_the_tray_speaks_korean() {
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let _host = TrayHost::start(&bus, &display);
    let dir = TempDir::new().expect("temp dir");
    let log = dir.path().join("lookout-tray.log");
    let _show_log = ShowLogOnFailure(log.clone());
    let mut app = Peer::spawn(
        "lookout-tray",
        app_command(&bus, &display, dir.path())
            .env("LANG", "ko_KR.UTF-8")
            .env("LOOKOUT_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file")),
    );
    let item = TrayItem::wait_for(&bus);
    let mut menu = HashMap::new();
    wait_until("the Korean status line shows the first tick", || {
        menu = item.menu();
        menu.keys()
            .any(|l| l.starts_with("CPU ") && l.contains("메모리"))
    });
    for label in [
        "Lookout 열기",
        "최근 알림",
        "알림 일시 중지",
        "로그인 시 시작",
        "종료",
    ] {
        assert!(menu.contains_key(label), "the menu has '{label}': {menu:?}");
    }
    assert!(
        !menu.keys().any(|l| l == "Quit" || l == "Open Lookout"),
        "no English labels: {menu:?}"
    );
    item.click(menu["종료"]);
    let status = wait_for_exit(&mut app.child, "lookout-tray exits after 종료");
    assert_eq!(status.code(), Some(0), "a clean exit");
}

/// Prints the app's log when the test fails, so a CI failure says what the app saw.
struct ShowLogOnFailure(std::path::PathBuf);

impl Drop for ShowLogOnFailure {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.0).unwrap_or_default();
            eprintln!("--- lookout-tray log ---\n{log}--- end of log ---");
        }
    }
}
