//! `lookout replay` through the real binary: a synthetic series gives exactly the engine's own
//! transitions in every file shape, bad series are refused with their line, and a piped
//! series is replayed as it arrives.

mod support;

use lookout_core::{Engine, MetricKey, Snapshot, Timestamp};
use lookout_monitor::clock::rfc3339;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::Duration;
use support::Home;

const CONFIG: &str = r#"version = 1
[sampling]
interval = "1s"
[[rules]]
name = "cpu all"
metric = "cpu.total"
aggregate = "all"
window = "20s"
op = ">="
threshold = 68.7
clear_threshold = 60
severity = "critical"
[[rules]]
name = "cpu avg"
metric = "cpu.total"
aggregate = "avg"
window = "30s"
for = "5s"
op = ">"
threshold = 60
keep_firing_for = "10s"
[[rules]]
name = "cpu p95"
metric = "cpu.total"
aggregate = "p95"
window = "1m"
op = ">"
threshold = 80
repeat_every = "1m"
[[rules]]
name = "memory low"
metric = "mem.used_bytes"
aggregate = "max"
window = "15s"
op = "<"
threshold = 9812345678
min_coverage = 0.5
"#;

const START: i64 = 1_796_083_200;
const SECONDS: i64 = 1_800;

/// The series: CPU wandering between 40 and 100 (exact decimals, ties at 68.7 included),
/// memory a few bytes either side of its threshold, each with gaps; `None` is a gap.
fn series() -> Vec<(i64, Option<f64>, Option<f64>)> {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut cpu = 60.0f64;
    (0..SECONDS)
        .map(|s| {
            let step = (next() % 41) as f64 / 10.0 - 2.0;
            cpu = (cpu + step).clamp(40.0, 100.0);
            let cpu_value = if s % 97 == 0 {
                68.7
            } else {
                (cpu * 10.0).round() / 10.0
            };
            let mem = 9_812_345_678.0 + (next() % 7) as f64 - 3.0;
            // A two-minute stretch with nothing, as when Lookout was not running.
            let down = (600..720).contains(&s);
            let cpu_value = (!down && s % 13 != 5).then_some(cpu_value);
            let mem = (!down && s % 29 != 3).then_some(mem);
            (START + s, cpu_value, mem)
        })
        .collect()
}

/// What the engine itself says about the series: (rule, state, time, value).
fn engine_transitions() -> Vec<(String, String, String, Option<f64>)> {
    let valid = lookout_monitor::config::parse_config(CONFIG).expect("valid config");
    let mut engine = Engine::new(valid.interval, valid.rules.clone());
    let cpu = MetricKey::parse("cpu.total").expect("key");
    let mem = MetricKey::parse("mem.used_bytes").expect("key");
    let mut out = Vec::new();
    for (t, c, m) in series() {
        if c.is_none() && m.is_none() {
            continue;
        }
        let mut snap = Snapshot::new();
        if let Some(c) = c {
            snap.insert(cpu.clone(), c);
        }
        if let Some(m) = m {
            snap.insert(mem.clone(), m);
        }
        for e in engine.tick(Timestamp::from_millis(t * 1000), &snap) {
            out.push((
                e.rule.clone(),
                e.state.name().to_owned(),
                rfc3339(e.at),
                e.value,
            ));
        }
    }
    out
}

fn long_csv() -> String {
    let mut text = String::from("time,metric,value\n");
    for (t, c, m) in series() {
        if let Some(c) = c {
            text.push_str(&format!("{t},cpu.total,{c}\n"));
        }
        if let Some(m) = m {
            text.push_str(&format!("{t},mem.used_bytes,{m}\n"));
        }
    }
    text
}

fn wide_csv() -> String {
    let mut text = String::from("time,cpu.total,mem.used_bytes\n");
    for (t, c, m) in series() {
        if c.is_none() && m.is_none() {
            continue;
        }
        let at = rfc3339(Timestamp::from_millis(t * 1000));
        let show = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        text.push_str(&format!("{at},{},{}\n", show(c), show(m)));
    }
    text
}

fn json_lines() -> String {
    let mut text = String::new();
    for (t, c, m) in series() {
        if c.is_none() && m.is_none() {
            continue;
        }
        let line = serde_json::json!({ "time": t, "cpu.total": c, "mem.used_bytes": m });
        text.push_str(&format!("{line}\n"));
    }
    text
}

fn replayed(home: &Home, name: &str, text: &str) -> Vec<(String, String, String, Option<f64>)> {
    let path = home.dir.path().join(name);
    std::fs::write(&path, text).expect("write series");
    let out = home.run(
        &[
            "replay",
            "--series",
            path.to_str().expect("utf-8"),
            "--json",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let e: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            (
                e["rule"].as_str().unwrap_or_default().to_owned(),
                e["state"].as_str().unwrap_or_default().to_owned(),
                e["at"].as_str().unwrap_or_default().to_owned(),
                e["value"].as_f64(),
            )
        })
        .collect()
}

#[test]
fn a_replay_gives_exactly_the_engines_transitions_in_every_shape() {
    let expected = engine_transitions();
    let states: std::collections::BTreeSet<&str> =
        expected.iter().map(|(_, s, _, _)| s.as_str()).collect();
    assert!(
        ["firing", "resolved", "pending"]
            .iter()
            .all(|s| states.contains(s)),
        "the series exercises the rules: {states:?}"
    );
    let home = Home::new(CONFIG);
    for (name, text) in [
        ("long.csv", long_csv()),
        ("wide.csv", wide_csv()),
        ("series.jsonl", json_lines()),
    ] {
        assert_eq!(replayed(&home, name, &text), expected, "{name}");
    }
    // The text form ends with what was found.
    let path = home.dir.path().join("long.csv");
    let out = home.run(&["replay", "--series", path.to_str().expect("utf-8")], None);
    let text = String::from_utf8_lossy(&out.stdout);
    let firing = expected.iter().filter(|e| e.1 == "firing").count();
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.contains(&format!("{firing} firing"))),
        "{text}"
    );
}

#[test]
fn bad_series_are_refused_with_their_line() {
    let home = Home::new(CONFIG);
    let cases = [
        ("", "", "holds no data"),
        ("time,metric,value\n", "", "holds no data"),
        (
            "time,metric,value\n5,cpu.total,1\n4,cpu.total,1\n",
            "line 3",
            "sorted by time",
        ),
        (
            "time,metric,value\n5,cpu.total,1\n5,cpu.total,2\n",
            "line 3",
            "given twice at time 5",
        ),
        ("time,cpu.total\n5,1\n5,2\n", "line 3", "given twice"),
        (
            "time,metric,value\n5,cpu.total,lots\n",
            "line 2",
            "not a number",
        ),
        (
            "time,metric,value\n5,cpu.totl,1\n",
            "line 2",
            "unknown metric",
        ),
        ("when,cpu.total\n", "line 1", "must be a header"),
        (
            "time,metric,value\nnoon,cpu.total,1\n",
            "line 2",
            "not a time",
        ),
    ];
    for (i, (text, line, words)) in cases.iter().enumerate() {
        let path = home.dir.path().join(format!("bad{i}.csv"));
        std::fs::write(&path, text).expect("write");
        let out = home.run(&["replay", "--series", path.to_str().expect("utf-8")], None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text:?}: {err}");
        assert!(
            err.contains(&if line.is_empty() {
                format!("bad{i}.csv: the series")
            } else {
                format!("bad{i}.csv, {line}:")
            }) && err.contains(words),
            "{text:?} gives {err}"
        );
    }
    // A gigabyte without a line break is refused at its first line, not read into memory.
    let huge = home.dir.path().join("huge.csv");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(1 << 30))
        .expect("a sparse 1 GB file");
    let out = home.run(&["replay", "--series", huge.to_str().expect("utf-8")], None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("line 1: the line is longer than"), "{err}");
    // A FIFO or a device is refused at once, not waited on or read without end.
    let fifo = home.dir.path().join("series.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for path in [fifo.as_path(), std::path::Path::new("/dev/zero")] {
        let out = home.run(&["replay", "--series", path.to_str().expect("utf-8")], None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("not a regular file"), "{path:?}: {err}");
    }
    // Korean, with the line.
    let mut ko = Home::new(CONFIG);
    ko.env.push(("LC_ALL".into(), "ko_KR.UTF-8".into()));
    let path = ko.dir.path().join("bad.csv");
    std::fs::write(&path, "time,metric,value\n5,cpu.total,lots\n").expect("write");
    let out = ko.run(&["replay", "--series", path.to_str().expect("utf-8")], None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2번째 줄") && err.contains("숫자가 아닙니다"),
        "{err}"
    );
}

#[test]
fn a_piped_series_is_replayed_as_it_arrives() {
    let home = Home::new(CONFIG);
    let mut child = home
        .command(&["replay", "--series", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lookout starts");
    let mut input = child.stdin.take().expect("stdin");
    let output = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    writeln!(input, "time,metric,value").expect("write");
    for s in 0..25 {
        writeln!(input, "{},cpu.total,99", START + s).expect("write");
    }
    input.flush().expect("flush");
    // "cpu all" fires within its first 20 seconds, while the input is still open.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = rx
            .recv_timeout(left)
            .expect("a firing transition before the input ends");
        if line.contains("\"firing\"") {
            break;
        }
    }
    drop(input);
    assert!(child.wait().expect("exits").success());
}
