//! A private session bus, a virtual X display, dunst and gnome-keyring.

use super::{first_line, wait_until, Peer};
use std::io::Write;
use std::process::{Command, Stdio};
use tempfile::TempDir;

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
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
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
        let address = first_line("dbus-daemon", peer.stdout());
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

/// An X server in memory (for dunst, the tray host and the app's window).
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
        let number = first_line("Xvfb", peer.stdout());
        Self {
            display: format!(":{number}"),
            _peer: peer,
        }
    }
}

/// dunst, the notification server, on a private bus and display.
pub struct Dunst {
    bus: String,
    _config: TempDir,
    _peer: Peer,
}

impl Dunst {
    pub fn start(bus: &SessionBus, display: &VirtualDisplay) -> Self {
        // Its own config, never the user's. This dunst (1.9) keeps no urgency in its
        // history, so each urgency's format writes it in front of the summary.
        let config = TempDir::new().expect("temp dir");
        std::fs::create_dir(config.path().join("dunst")).expect("mkdir");
        // The context menu's "dmenu" picks the line holding the text in `pick` (see
        // [`Dunst::press`]), and keeps the menu it was shown in `menu`.
        let dir = config.path();
        let pick = dir.join("pick.sh");
        std::fs::write(
            &pick,
            format!(
                "tee '{menu}' | grep -m1 -F -- \"$(cat '{choice}')\"\n",
                menu = dir.join("menu").display(),
                choice = dir.join("pick").display()
            ),
        )
        .expect("write the menu picker");
        std::fs::write(
            dir.join("dunst/dunstrc"),
            format!(
                "[global]\n    dmenu = /bin/sh {pick}\n\
                 [urgency_low]\n    format = \"LOW|%s\"\n\
                 [urgency_normal]\n    format = \"NORMAL|%s\"\n\
                 [urgency_critical]\n    format = \"CRITICAL|%s\"\n",
                pick = pick.display()
            ),
        )
        .expect("write dunstrc");
        let peer = Peer::spawn(
            "dunst",
            Command::new("dunst")
                .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
                .env("DISPLAY", &display.display)
                .env("XDG_CONFIG_HOME", config.path())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        let dunst = Self {
            bus: bus.address.clone(),
            _config: config,
            _peer: peer,
        };
        wait_until("dunst answering on the bus", || {
            dunst.ctl(&["is-paused"]).is_some()
        });
        dunst
    }

    /// `dunstctl ARGS` on this bus; its output when it succeeded.
    pub fn ctl(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("dunstctl")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Presses the button whose label contains `label` on a shown notification, through
    /// dunst's context menu (what a user does with the mouse or its shortcut); returns the menu
    /// dunst offered.
    pub fn press(&self, label: &str) -> String {
        let dir = self._config.path();
        let menu = dir.join("menu");
        let _ = std::fs::remove_file(&menu);
        std::fs::write(dir.join("pick"), label).expect("write the choice");
        self.ctl(&["context"]).expect("dunstctl context");
        wait_until("dunst's context menu", || menu.exists());
        std::fs::read_to_string(menu).unwrap_or_default()
    }

    /// Clicks the first shown notification (its default action).
    pub fn click(&self) {
        self.ctl(&["action", "0"]).expect("dunstctl action");
    }

    /// How many notifications are on screen.
    pub fn displayed(&self) -> usize {
        self.ctl(&["count", "displayed"])
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Closes every open notification, then returns dunst's history (closed ones only).
    pub fn close_all_and_history(&self) -> Vec<Notice> {
        self.ctl(&["close-all"]).expect("dunstctl close-all");
        let json = self.ctl(&["history"]).expect("dunstctl history");
        let v: serde_json::Value = serde_json::from_str(&json).expect("history is JSON");
        let field =
            |n: &serde_json::Value, k: &str| n[k]["data"].as_str().unwrap_or_default().to_owned();
        v["data"][0]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|n| Notice {
                        appname: field(n, "appname"),
                        summary: field(n, "summary"),
                        body: field(n, "body"),
                        urgency: field(n, "message")
                            .split('|')
                            .next()
                            .unwrap_or_default()
                            .to_owned(),
                        timeout_us: n["timeout"]["data"].as_i64().unwrap_or(-1),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One notification as dunst recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub appname: String,
    pub summary: String,
    pub body: String,
    /// `LOW`, `NORMAL` or `CRITICAL`, as dunst classified it.
    pub urgency: String,
    /// Microseconds until it closes by itself; 0 = stays until dismissed.
    pub timeout_us: i64,
}

// ---------------------------------------------------------------- gnome-keyring

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
