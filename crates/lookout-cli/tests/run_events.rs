//! `lookout run --events jsonl` against the real machine: an always-true rule fires at once.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn always_true_rule_emits_a_firing_line_within_two_ticks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        r#"version = 1
[sampling]
interval = "200ms"
[desktop]
enabled = false
[[rules]]
name = "always"
metric = "mem.used_pct"
aggregate = "avg"
window = "200ms"
op = ">="
threshold = 0
"#,
    )
    .expect("write config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args(["run", "--events", "jsonl", "--config"])
        .arg(&config)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("LOOKOUT_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lookout starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // A generous bound only so a broken build cannot hang the suite; the assertion is on ticks.
    let line = rx.recv_timeout(Duration::from_secs(60));
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let status = child.wait().expect("exits");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    let line = line.unwrap_or_else(|_| panic!("no event line; stderr:\n{stderr}"));
    let event: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
    assert_eq!(event["rule"], "always", "{line}");
    assert_eq!(event["state"], "firing", "{line}");
    assert_eq!(event["metric"], "mem.used_pct", "{line}");
    assert_eq!(event["threshold"], 0.0, "{line}");
    assert!(
        event["value"]
            .as_f64()
            .is_some_and(|v| (0.0..=100.0).contains(&v)),
        "{line}"
    );
    assert!(
        event["at"]
            .as_str()
            .is_some_and(|a| a.ends_with('Z') && a.len() == 24),
        "RFC 3339: {line}"
    );
    let tick = stderr
        .lines()
        .find(|l| l.contains("state=\"firing\"") || l.contains("state=firing"))
        .and_then(|l| l.split("tick=").nth(1))
        .and_then(|t| t.split_whitespace().next())
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("firing log line with tick=N on stderr:\n{stderr}"));
    assert!(tick <= 2, "fired on tick {tick}");
    assert!(
        status.success(),
        "SIGTERM stops it cleanly: {status:?}\n{stderr}"
    );
    assert!(
        stderr.contains("monitor stopped"),
        "clean shutdown logged:\n{stderr}"
    );
}
