//! Drives the real `lookout` binary: a running monitor with its own config and data dir,
//! its JSON event lines collected, and one-shot commands against the same data dir.
#![allow(dead_code, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A generous bound so a broken build cannot hang the suite; assertions never depend on it.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A config file and data dir for one test.
pub struct Home {
    pub dir: TempDir,
    pub config: PathBuf,
    pub data: PathBuf,
    /// Extra environment for every `lookout` started from here (a private bus, ...).
    pub env: Vec<(String, String)>,
}

impl Home {
    pub fn new(config_text: &str) -> Self {
        let dir = TempDir::new().expect("temp dir");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, config_text).expect("write config");
        let data = dir.path().join("data");
        Self {
            dir,
            config,
            data,
            env: Vec::new(),
        }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lookout"));
        cmd.args(args)
            .env("LOOKOUT_DATA_DIR", &self.data)
            .env("LOOKOUT_CONFIG", &self.config)
            .env("HOME", self.dir.path())
            .env("LOOKOUT_LOG", "info");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs a one-shot command to completion.
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("lookout starts");
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write stdin");
        }
        drop(input);
        child.wait_with_output().expect("lookout exits")
    }

    /// `lookout status --json`.
    pub fn status(&self) -> serde_json::Value {
        let out = self.run(&["status", "--json"], None);
        assert!(
            out.status.success(),
            "status failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("status is JSON")
    }

    /// `lookout alerts --json` over the last day.
    pub fn alerts(&self) -> Vec<serde_json::Value> {
        let out = self.run(&["alerts", "--json", "--since", "1d"], None);
        assert!(
            out.status.success(),
            "alerts failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("alerts is JSON")
    }

    pub fn start(&self) -> Running {
        self.start_with(&[])
    }

    /// `lookout run --events jsonl` and these arguments.
    pub fn start_with(&self, extra: &[&str]) -> Running {
        let mut args = vec!["run", "--events", "jsonl"];
        args.extend_from_slice(extra);
        let mut child = self
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("lookout run starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().expect("stdout");
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let event: serde_json::Value = serde_json::from_str(&line).expect("JSON line");
                sink.lock().expect("lock").push(event);
            }
        });
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("stderr");
        let log_sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut l = log_sink.lock().expect("lock");
                l.push_str(&line);
                l.push('\n');
            }
        });
        Running {
            child: Some(child),
            events: lines,
            log,
        }
    }
}

/// A `lookout run` child; killed on drop.
pub struct Running {
    child: Option<Child>,
    pub events: Arc<Mutex<Vec<serde_json::Value>>>,
    pub log: Arc<Mutex<String>>,
}

impl Running {
    pub fn events(&self) -> Vec<serde_json::Value> {
        self.events.lock().expect("lock").clone()
    }

    pub fn log(&self) -> String {
        self.log.lock().expect("lock").clone()
    }

    /// Waits until `ready` holds, failing with the monitor's log otherwise.
    pub fn wait_for(&self, what: &str, mut ready: impl FnMut(&Self) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !ready(self) {
            if let Some(child) = &self.child {
                let pid = child.id();
                assert!(
                    Path::new(&format!("/proc/{pid}")).exists(),
                    "lookout exited while waiting for {what}:\n{}",
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "{what} did not happen; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn is_alive(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().expect("try_wait").is_none())
    }

    /// SIGKILL: no clean shutdown, like a crash or power loss.
    pub fn kill9(mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().expect("kill -9");
            c.wait().expect("reap");
        }
    }

    /// SIGTERM and wait; returns whether it exited cleanly.
    pub fn stop(mut self) -> bool {
        let Some(mut c) = self.child.take() else {
            return false;
        };
        let _ = Command::new("kill").arg(c.id().to_string()).status();
        c.wait().expect("reap").success()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(c) = &mut self.child {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A config with one always-true rule on memory, email to `port` and the desktop as given.
pub fn always_firing_config(port: u16, extra_email: &str, desktop: bool) -> String {
    format!(
        r#"version = 1
[sampling]
interval = "200ms"
[desktop]
enabled = {desktop}
[email]
enabled = true
host = "127.0.0.1"
port = {port}
tls = "none"
from = "Lookout <lookout@example.com>"
to = ["ops@example.com", "me@example.com"]
timeout = "3s"
{extra_email}
[[rules]]
name = "Memory watched"
metric = "mem.used_pct"
aggregate = "avg"
window = "200ms"
op = ">="
threshold = 0
severity = "critical"
"#
    )
}

/// [`always_firing_config`] over STARTTLS, trusting only `ca_file` (servers offer AUTH only
/// over TLS).
pub fn starttls_config(port: u16, extra_email: &str, ca_file: &Path) -> String {
    let extra = format!("{extra_email}\nca_file = \"{}\"", ca_file.display());
    always_firing_config(port, &extra, false).replace("tls = \"none\"", "tls = \"starttls\"")
}
