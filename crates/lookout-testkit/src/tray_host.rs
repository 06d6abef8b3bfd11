//! A real tray host (StatusNotifierItem watcher) for the tray's tests, and free ports.

use super::{Peer, SessionBus, VirtualDisplay};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A TCP port nobody listens on now (the OS picks it; it is free again once this returns).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on loopback")
}

/// A real tray host: gtk-sni-tray-standalone owns `org.kde.StatusNotifierWatcher` on the bus
/// and shows the items in a bar at the bottom of the display.
pub struct TrayHost {
    _peer: Peer,
    _log: TempDir,
}

impl TrayHost {
    pub const WATCHER: &'static str = "org.kde.StatusNotifierWatcher";
    /// How long one start may take to own the watcher name.
    const STARTUP: Duration = Duration::from_secs(20);

    /// Starts the host; a start that does not reach the bus in time is killed and tried once
    /// more, and a second failure fails the test with what the host printed.
    pub fn start(bus: &SessionBus, display: &VirtualDisplay) -> Self {
        let mut failures = Vec::new();
        for attempt in 1..=2 {
            let log = TempDir::new().expect("temp dir");
            let stderr = std::fs::File::create(log.path().join("stderr")).expect("log file");
            let mut peer = Peer::spawn(
                "gtk-sni-tray-standalone",
                Command::new("gtk-sni-tray-standalone")
                    .args(["--watcher", "--bottom", "--size", "40"])
                    .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
                    .env("DISPLAY", &display.display)
                    // No accessibility bus on the private bus: GTK must not look for one.
                    .env("NO_AT_BRIDGE", "1")
                    .stdout(Stdio::null())
                    .stderr(stderr),
            );
            let deadline = Instant::now() + Self::STARTUP;
            let exited = loop {
                if bus.has_owner(Self::WATCHER) {
                    return Self {
                        _peer: peer,
                        _log: log,
                    };
                }
                if let Some(status) = peer.child.try_wait().expect("try_wait") {
                    break Some(status);
                }
                if Instant::now() > deadline {
                    break None;
                }
                std::thread::sleep(Duration::from_millis(50));
            };
            drop(peer);
            let printed = std::fs::read_to_string(log.path().join("stderr")).unwrap_or_default();
            failures.push(format!(
                "attempt {attempt}: {}; it printed:\n{printed}",
                exited.map_or_else(
                    || format!("not on the bus after {:?}", Self::STARTUP),
                    |s| format!("exited with {s}")
                )
            ));
        }
        panic!("the tray host did not start:\n{}", failures.join("\n"));
    }
}
