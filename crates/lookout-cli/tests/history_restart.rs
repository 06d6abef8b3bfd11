//! The history across a restart of the real `lookout run`: readings of both runs with the gap
//! between them, a window that continues where it stopped, and a rule that cannot fire from
//! readings on both sides of the gap unless its coverage allows it.
#![allow(clippy::expect_used)]

mod support;

use serde_json::Value;
use std::process::Child;
use std::time::Duration;
use support::Home;

const PROBE: &str = "lk-hist-probe";

fn config() -> String {
    format!(
        r#"version = 1
[sampling]
interval = "1s"
process_interval = "1s"
[desktop]
enabled = false

[[apps]]
name = "w"
match = {{ process = "{PROBE}" }}

# Fires once half of its 20 s window has readings: readings from before the stop count.
[[rules]]
name = "continues"
metric = "app.w.running"
aggregate = "avg"
window = "20s"
op = ">="
threshold = 0
min_coverage = 0.5

# Needs 18 of its 20 s: a stop of 3 s or more leaves at most 17 while any reading from
# before it is in the window, so it fires on readings after the restart alone.
[[rules]]
name = "needs the gap filled"
metric = "app.w.running"
aggregate = "avg"
window = "20s"
op = ">="
threshold = 0
min_coverage = 0.9
"#
    )
}

fn probes(home: &Home, n: usize) -> Vec<Child> {
    let bin = home.dir.path().join(PROBE);
    if !bin.exists() {
        std::fs::copy("/bin/sleep", &bin).expect("copy sleep");
    }
    (0..n)
        .map(|_| {
            std::process::Command::new(&bin)
                .arg("600")
                .spawn()
                .expect("probe starts")
        })
        .collect()
}

fn firing(events: &[Value], rule: &str) -> Option<Value> {
    events
        .iter()
        .find(|e| e["rule"] == rule && e["state"] == "firing")
        .cloned()
}

#[test]
fn history_and_windows_survive_a_restart_and_the_stop_is_a_gap() {
    let home = Home::new(&config());
    let mut running = probes(&home, 3);

    let first = home.start();
    std::thread::sleep(Duration::from_secs(5));
    let before = first.events();
    let log = first.log();
    assert!(first.stop(), "the first run stops cleanly:\n{log}");
    assert!(
        firing(&before, "continues").is_none(),
        "the first run was too short to fire: {before:?}"
    );

    // Two of the three processes go away while Lookout is stopped.
    for mut child in running.drain(1..) {
        let _ = child.kill();
        let _ = child.wait();
    }
    std::thread::sleep(Duration::from_secs(3));

    let second = home.start();
    second.wait_for("both rules firing", |r| {
        let events = r.events();
        firing(&events, "continues").is_some() && firing(&events, "needs the gap filled").is_some()
    });
    let events = second.events();
    // The history reads while the monitor writes it.
    let live = home.run(
        &["history", "app.w.running", "--since", "10m", "--json"],
        None,
    );
    assert!(
        live.status.success(),
        "{}",
        String::from_utf8_lossy(&live.stderr)
    );
    let live: Value = serde_json::from_slice(&live.stdout).expect("JSON");
    assert!(
        !live["points"].as_array().expect("points").is_empty(),
        "{live}"
    );
    assert!(second.stop());

    // The window continued: its average still holds the readings of 3 from before the stop.
    let continues = firing(&events, "continues").expect("fired");
    let value = continues["value"].as_f64().expect("a value");
    assert!(value > 1.0 && value < 3.0, "{continues}");
    // The other rule fired only on readings after the restart: all of them are 1.
    let gap_rule = firing(&events, "needs the gap filled").expect("fired");
    assert_eq!(gap_rule["value"].as_f64(), Some(1.0), "{gap_rule}");

    // The history spans both runs, with the stop as a gap between them.
    let out = home.run(
        &[
            "history",
            "app.w.running",
            "--since",
            "10m",
            "--points",
            "20000",
            "--json",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let series: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(series["tier"], "raw");
    let points = series["points"].as_array().expect("points");
    let gap = points
        .iter()
        .position(|p| p["avg"].is_null())
        .expect("a gap between the runs");
    assert_eq!(
        points.iter().filter(|p| p["avg"].is_null()).count(),
        1,
        "{points:?}"
    );
    assert!(gap >= 3, "readings before the gap: {points:?}");
    assert!(points[..gap].iter().all(|p| p["avg"] == 3.0), "{points:?}");
    assert!(points[gap + 1..].len() >= 18, "{points:?}");
    assert!(
        points[gap + 1..].iter().all(|p| p["avg"] == 1.0),
        "{points:?}"
    );

    // Everything read is recorded, not only what rules use.
    let cpu = home.run(
        &[
            "history",
            "cpu.total",
            "--since",
            "10m",
            "--points",
            "20000",
            "--csv",
        ],
        None,
    );
    assert!(
        cpu.status.success(),
        "{}",
        String::from_utf8_lossy(&cpu.stderr)
    );
    let csv = String::from_utf8_lossy(&cpu.stdout).into_owned();
    assert!(
        csv.starts_with("time,min,avg,max\n") && csv.lines().count() > 10,
        "{csv}"
    );

    // A backtest of the saved rule on the same readings finds the same firing.
    let bt = home.run(
        &[
            "backtest",
            "--rule",
            "needs the gap filled",
            "--since",
            "10m",
            "--json",
        ],
        None,
    );
    assert!(
        bt.status.success(),
        "{}",
        String::from_utf8_lossy(&bt.stderr)
    );
    let result: Value = serde_json::from_slice(&bt.stdout).expect("JSON");
    assert_eq!(result["tier"], "raw");
    assert!(result["approximation"].is_null());
    assert_eq!(result["firings"], 1, "{result}");
    for mut child in running {
        let _ = child.kill();
        let _ = child.wait();
    }
}
