//! Real peers, each killed by its own PID on drop: a private session bus, Xvfb, gnome-keyring.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// How long a peer may take to come up before the test gives up on it.
const STARTUP: Duration = Duration::from_secs(20);

/// Polls `ready` until it is true, failing the test after [`STARTUP`].
pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + STARTUP;
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {STARTUP:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A child process, killed when dropped.
pub struct Peer {
    name: &'static str,
    pub child: Child,
}

impl Peer {
    pub fn spawn(name: &'static str, cmd: &mut Command) -> Self {
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        Self { name, child }
    }

    /// The first line the peer prints on stdout (its address, its display number).
    fn first_line(&mut self) -> String {
        let out = self.child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(out)
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("{}: cannot read its stdout: {e}", self.name));
        assert!(
            !line.trim().is_empty(),
            "{} exited before printing",
            self.name
        );
        line.trim().to_owned()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A private session bus with no service activation: only what a test starts is on it.
pub struct SessionBus {
    pub address: String,
    _dir: TempDir,
    _peer: Peer,
}

impl SessionBus {
    pub fn start() -> Self {
        let dir = TempDir::new().expect("temp dir");
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \
                 \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
                 <busconfig><type>session</type><listen>unix:dir={}</listen><auth>EXTERNAL</auth>\
                 <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
                 <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
                dir.path().display()
            ),
        )
        .expect("write bus config");
        let mut peer = Peer::spawn(
            "dbus-daemon",
            Command::new("dbus-daemon")
                .arg(format!("--config-file={}", config.display()))
                .args(["--nofork", "--print-address=1"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        );
        let address = peer.first_line();
        Self {
            address,
            _dir: dir,
            _peer: peer,
        }
    }

    /// `dbus-send --print-reply` on this bus; the reply's text, or `None` on failure.
    pub fn send(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("dbus-send")
            .arg("--print-reply")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Whether `name` has an owner on this bus.
    pub fn has_owner(&self, name: &str) -> bool {
        self.send(&[
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            &format!("string:{name}"),
        ])
        .is_some_and(|reply| reply.contains("boolean true"))
    }
}

/// An X server in memory.
pub struct VirtualDisplay {
    pub display: String,
    _peer: Peer,
}

impl VirtualDisplay {
    pub fn start() -> Self {
        let mut peer = Peer::spawn(
            "Xvfb",
            Command::new("Xvfb")
                .args([
                    "-displayfd",
                    "1",
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        );
        let number = peer.first_line();
        Self {
            display: format!(":{number}"),
            _peer: peer,
        }
    }
}

/// gnome-keyring's Secret Service, unlocked, with its own HOME and runtime dir.
pub struct GnomeKeyring {
    _home: TempDir,
    _runtime: TempDir,
    _peer: Peer,
}

impl GnomeKeyring {
    pub fn start(bus: &SessionBus) -> Self {
        let home = TempDir::new().expect("temp dir");
        let runtime = TempDir::new().expect("temp dir");
        let mut peer = Peer::spawn(
            "gnome-keyring-daemon",
            Command::new("gnome-keyring-daemon")
                .args(["--foreground", "--unlock", "--components=secrets"])
                .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
                .env("HOME", home.path())
                .env("XDG_RUNTIME_DIR", runtime.path())
                .env("XDG_DATA_HOME", home.path().join(".local/share"))
                .env_remove("DISPLAY")
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        // The login keyring's password comes on stdin, up to EOF.
        let mut stdin = peer.child.stdin.take().expect("stdin is piped");
        stdin
            .write_all(b"test-login-password")
            .expect("write the unlock password");
        drop(stdin);
        wait_until("gnome-keyring on the bus", || {
            bus.has_owner("org.freedesktop.secrets")
        });
        Self {
            _home: home,
            _runtime: runtime,
            _peer: peer,
        }
    }

    /// The secret stored under `service` / `username`, read with libsecret's `secret-tool`:
    /// proof, independent of Lookout's code, of what the keyring holds.
    pub fn lookup(bus: &SessionBus, service: &str, username: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", service, "username", username])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .env_remove("DISPLAY")
            .output()
            .expect("secret-tool runs");
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

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

/// dunst, the notification daemon, on the test's bus and display, with its own empty HOME
/// (so no user dunstrc is read).
pub struct Dunst {
    address: String,
    _home: TempDir,
    _peer: Peer,
}

impl Dunst {
    pub fn start(bus: &SessionBus, display: &VirtualDisplay) -> Self {
        let home = TempDir::new().expect("temp dir");
        let peer = Peer::spawn(
            "dunst",
            Command::new("dunst")
                .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
                .env("DISPLAY", &display.display)
                .env("HOME", home.path())
                .env("XDG_CONFIG_HOME", home.path().join(".config"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        let dunst = Self {
            address: bus.address.clone(),
            _home: home,
            _peer: peer,
        };
        wait_until("dunst answers dunstctl", || {
            dunst.ctl(&["is-paused"]).is_some()
        });
        dunst
    }

    /// `dunstctl ARGS` on this bus; its output when it succeeded.
    pub fn ctl(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("dunstctl")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Every notification shown so far, as `dunstctl history` JSON text: closes the open ones
    /// first, since the history lists only closed notifications.
    pub fn history(&self) -> String {
        let _ = self.ctl(&["close-all"]);
        self.ctl(&["history"]).unwrap_or_default()
    }
}
