//! Peers only the tray's tests need: a StatusNotifierItem host and free ports. The session
//! bus, Xvfb, dunst and gnome-keyring come from the monitor's shared test support.

use super::{wait_until, Peer, SessionBus, VirtualDisplay};
use std::process::{Command, Stdio};

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
}

impl TrayHost {
    pub const WATCHER: &'static str = "org.kde.StatusNotifierWatcher";

    pub fn start(bus: &SessionBus, display: &VirtualDisplay) -> Self {
        let peer = Peer::spawn(
            "gtk-sni-tray-standalone",
            Command::new("gtk-sni-tray-standalone")
                .args(["--watcher", "--bottom", "--size", "40"])
                .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
                .env("DISPLAY", &display.display)
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        wait_until("the tray host on the bus", || bus.has_owner(Self::WATCHER));
        Self { _peer: peer }
    }
}
