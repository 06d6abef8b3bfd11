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

#[test]
fn sighup_reloads_a_valid_config_and_keeps_the_last_good_one_otherwise() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let rule = |threshold: &str| {
        format!(
            "version = 1\n[sampling]\ninterval = \"200ms\"\n[desktop]\nenabled = false\n[[rules]]\nname = \"mem\"\nmetric = \"mem.used_pct\"\nwindow = \"200ms\"\nop = \">=\"\nthreshold = {threshold}\n"
        )
    };
    std::fs::write(&config, rule("1000")).expect("write config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args(["run", "--events", "jsonl", "--config"])
        .arg(&config)
        .env("LOOKOUT_DATA_DIR", dir.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lookout starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = log.clone();
    let stderr = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let mut l = sink.lock().expect("lock");
            l.push_str(&line);
            l.push('\n');
        }
    });
    let wait_log = |what: &str| {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while !log.lock().expect("lock").contains(what) {
            assert!(
                std::time::Instant::now() < deadline,
                "no {what:?} in:\n{}",
                log.lock().expect("lock")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let hup = |pid: u32| {
        Command::new("kill")
            .args(["-HUP", &pid.to_string()])
            .status()
            .expect("kill -HUP");
    };
    wait_log("monitor started");
    // A broken file first: nothing changes, the file is left as the user wrote it.
    let broken = "version = 1\n[[rules]\n";
    std::fs::write(&config, broken).expect("write broken config");
    hup(child.id());
    wait_log("config not reloaded; still running on the last valid one");
    assert!(rx.try_recv().is_err(), "no event from the broken config");
    assert_eq!(
        std::fs::read_to_string(&config).expect("read"),
        broken,
        "never overwritten"
    );
    assert!(
        log.lock().expect("lock").contains(":2:"),
        "the broken line is named"
    );
    // Then a valid one with a threshold the machine meets: it fires.
    std::fs::write(&config, rule("0")).expect("write config");
    hup(child.id());
    let line = rx.recv_timeout(Duration::from_secs(60));
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let status = child.wait().expect("exits");
    let log = log.lock().expect("lock").clone();
    let line = line.unwrap_or_else(|_| panic!("no event after the reload; stderr:\n{log}"));
    assert!(line.contains("\"state\":\"firing\""), "{line}");
    assert!(log.contains("config reloaded"), "{log}");
    assert!(status.success(), "{log}");
}

/// A burst larger than any buffer, read by a reader that stalls: every event still arrives.
#[test]
fn a_slow_reader_gets_every_event_of_a_burst() {
    const RULES: usize = 1000;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let mut text =
        String::from("version = 1\n[sampling]\ninterval = \"100ms\"\n[desktop]\nenabled = false\n");
    for i in 0..RULES {
        // Each rule goes pending, then firing: two events per rule in the first ticks.
        text.push_str(&format!(
            "[[rules]]\nname = \"r{i}\"\nmetric = \"mem.used_pct\"\nwindow = \"100ms\"\nop = \">=\"\nthreshold = 0\nfor = \"200ms\"\n"
        ));
    }
    std::fs::write(&config, text).expect("write config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args(["run", "--events", "jsonl", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .env("LOOKOUT_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("lookout starts");
    let stdout = child.stdout.take().expect("stdout");
    // Nobody reads for a while: the pipe fills and the monitor must wait, not drop.
    std::thread::sleep(Duration::from_secs(3));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut firing = std::collections::BTreeSet::new();
    let mut lines = 0usize;
    while firing.len() < RULES {
        // A generous bound only so a broken build cannot hang the suite.
        let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) else {
            break;
        };
        lines += 1;
        let event: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        if event["state"] == "firing" {
            let rule = event["rule"].as_str().unwrap_or_default().to_owned();
            assert!(firing.insert(rule.clone()), "{rule} fired twice");
        }
    }
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let _ = child.wait();
    assert!(
        lines > 1024,
        "the burst outgrew the old buffer: {lines} lines"
    );
    assert_eq!(firing.len(), RULES, "every rule's firing event was printed");
}
