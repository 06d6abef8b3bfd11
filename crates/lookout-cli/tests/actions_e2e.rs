//! Rule actions through the real `lookout run`: a script sees the alert in its environment,
//! an action that keeps failing stops at its cap with one give-up alert (by email too), and
//! a restart action brings a killed app back and says so on the desktop (through dunst).

mod support;

use lookout_testkit::{Dunst, SessionBus, SmtpMode, SmtpServer, VirtualDisplay};
use std::path::Path;
use std::time::{Duration, Instant};
use support::{Home, PATIENCE};

fn count(events: &[serde_json::Value], state: &str) -> usize {
    events.iter().filter(|e| e["state"] == state).count()
}

#[test]
fn an_action_sees_the_alert_and_a_failing_one_gives_up_once_at_its_cap() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let env_file = dir.path().join("env.txt");
    let server = SmtpServer::start(SmtpMode::Plain);
    let config = format!(
        r#"version = 1
[sampling]
interval = "200ms"
[desktop]
enabled = false
[email]
enabled = true
host = "127.0.0.1"
port = {port}
tls = "none"
from = "Lookout <lookout@example.com>"
to = ["me@example.com"]
[[rules]]
name = "Memory watched"
metric = "mem.used_pct"
window = "200ms"
op = ">="
threshold = 0
repeat_every = "1s"
[[rules.actions]]
run = ["sh", "-c", "env | grep '^LOOKOUT_' > '{env}'"]
[[rules.actions]]
on = ["firing", "reminder"]
run = ["sh", "-c", "echo still broken; exit 1"]
max_runs = 2
within = "1h"
"#,
        port = server.port,
        env = env_file.display()
    );
    let mut home = Home::new(&config);
    home.env.push(("LC_ALL".into(), "C".into()));
    let monitor = home.start();
    monitor.wait_for("the give-up alert", |m| count(&m.events(), "gave_up") == 1);
    // Several more reminders: no more runs and no second give-up.
    monitor.wait_for("three more reminders", |m| {
        count(&m.events(), "reminder") >= 5
    });
    let events = monitor.events();
    assert_eq!(count(&events, "gave_up"), 1, "exactly once: {events:?}");
    let gave_up = events
        .iter()
        .find(|e| e["state"] == "gave_up")
        .expect("gave_up");
    assert_eq!(gave_up["severity"], "critical", "{gave_up}");
    assert_eq!(gave_up["gave_up"]["runs"], 2, "{gave_up}");
    assert_eq!(gave_up["gave_up"]["within"], "1h", "{gave_up}");

    let env = std::fs::read_to_string(&env_file).expect("the action wrote its environment");
    assert!(env.contains("LOOKOUT_RULE=Memory watched\n"), "{env}");
    assert!(env.contains("LOOKOUT_STATE=firing\n"), "{env}");
    assert!(env.contains("LOOKOUT_METRIC=mem.used_pct\n"), "{env}");
    assert!(env.contains("LOOKOUT_SEVERITY=warning\n"), "{env}");
    assert!(env.contains("LOOKOUT_APP=\n"), "{env}");
    let value: f64 = env
        .lines()
        .find_map(|l| l.strip_prefix("LOOKOUT_VALUE="))
        .and_then(|v| v.parse().ok())
        .expect("LOOKOUT_VALUE is a number");
    assert!((0.0..=100.0).contains(&value), "{env}");

    let alerts = home.alerts();
    let runs: Vec<&serde_json::Value> = alerts
        .iter()
        .flat_map(|a| a["actions"].as_array().into_iter().flatten())
        .filter(|r| r["command"][2] == "echo still broken; exit 1")
        .collect();
    assert_eq!(runs.len(), 2, "two runs logged: {alerts:?}");
    for run in &runs {
        assert_eq!(run["outcome"]["kind"], "exited", "{run}");
        assert_eq!(run["outcome"]["code"], 1, "{run}");
        assert_eq!(run["output"], "still broken\n", "{run}");
    }
    assert_eq!(
        alerts.iter().filter(|a| a["state"] == "gave_up").count(),
        1,
        "one give-up in the alert log"
    );
    let out = home.run(&["alerts", "--since", "1h"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ran sh -c echo still broken; exit 1: exited with status 1"),
        "{text}"
    );
    assert!(text.contains("      | still broken"), "{text}");
    assert!(
        text.contains("Gave up running sh -c echo still broken; exit 1 after 2 tries in 1h"),
        "{text}"
    );
    assert!(monitor.stop(), "clean stop");
}

#[test]
fn the_give_up_alert_is_emailed() {
    let server = SmtpServer::start(SmtpMode::Plain);
    let config = format!(
        r#"version = 1
[sampling]
interval = "200ms"
[desktop]
enabled = false
[email]
enabled = true
host = "127.0.0.1"
port = {port}
tls = "none"
from = "Lookout <lookout@example.com>"
to = ["me@example.com"]
[[rules]]
name = "Memory watched"
metric = "mem.used_pct"
window = "200ms"
op = ">="
threshold = 0
repeat_every = "1s"
notify_resolved = false
[[rules.actions]]
on = ["firing", "reminder"]
run = ["false"]
max_runs = 1
"#,
        port = server.port
    );
    let mut home = Home::new(&config);
    home.env.push(("LC_ALL".into(), "C".into()));
    let monitor = home.start();
    monitor.wait_for("the give-up alert", |m| count(&m.events(), "gave_up") == 1);
    let deadline = Instant::now() + PATIENCE;
    let subject = loop {
        let found = server.received().iter().find_map(|m| {
            let raw = String::from_utf8_lossy(&m.raw).into_owned();
            raw.lines()
                .find(|l| l.starts_with("Subject:") && l.contains("gave up"))
                .map(str::to_owned)
        });
        if let Some(subject) = found {
            break subject;
        }
        assert!(
            Instant::now() < deadline,
            "no give-up email; log:\n{}",
            monitor.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(subject.contains("CRITICAL"), "{subject}");
    assert!(subject.contains("Memory watched"), "{subject}");
}

/// A copy of `sleep` under a name no other process has.
fn app_binary(dir: &Path, name: &str) -> std::path::PathBuf {
    let bin = dir.join(name);
    std::fs::copy("/bin/sleep", &bin).expect("copy sleep");
    bin
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z')
    })
}

#[test]
fn a_restart_action_brings_a_killed_app_back_and_the_alert_resolves() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let dunst = Dunst::start(&bus, &display);
    let name = "lk-restart-me";
    let bin = app_binary(dir.path(), name);
    let pid_file = dir.path().join("app.pid");
    let mut app = std::process::Command::new(&bin)
        .arg("600")
        .spawn()
        .expect("start the app");
    let config = format!(
        r#"version = 1
[sampling]
interval = "200ms"
process_interval = "1s"
[[apps]]
name = "my-app"
match = {{ process = "{name}" }}
[[rules]]
name = "my-app down"
metric = "app.my-app.running"
aggregate = "max"
window = "1s"
for = "1s"
op = "<"
threshold = 1
severity = "critical"
[[rules.actions]]
run = ["sh", "-c", "'{bin}' 600 >/dev/null 2>&1 & echo $! > '{pid}'; echo restarted"]
timeout = "10s"
max_runs = 3
within = "15m"
"#,
        bin = bin.display(),
        pid = pid_file.display()
    );
    let mut home = Home::new(&config);
    home.env.push(("LC_ALL".into(), "C".into()));
    home.env
        .push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
    let monitor = home.start();
    // Running: no alert. Then the app is killed.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        count(&monitor.events(), "firing"),
        0,
        "{:?}",
        monitor.events()
    );
    app.kill().expect("kill the app");
    app.wait().expect("reap it");
    monitor.wait_for("the app-down alert to fire and then resolve", |m| {
        count(&m.events(), "resolved") >= 1
    });
    let events = monitor.events();
    let fired = events.iter().position(|e| e["state"] == "firing");
    let resolved = events.iter().position(|e| e["state"] == "resolved");
    assert!(fired < resolved, "firing, then resolved: {events:?}");
    let new_pid: u32 = std::fs::read_to_string(&pid_file)
        .expect("the action ran")
        .trim()
        .parse()
        .expect("a pid");
    assert!(alive(new_pid), "the restarted app runs");
    let comm = std::fs::read_to_string(format!("/proc/{new_pid}/comm")).unwrap_or_default();
    assert_eq!(comm.trim(), name);
    let alerts = home.alerts();
    let run = alerts
        .iter()
        .flat_map(|a| a["actions"].as_array().into_iter().flatten())
        .next()
        .unwrap_or_else(|| panic!("the run is in the alert log: {alerts:?}"));
    assert_eq!(
        run["outcome"],
        serde_json::json!({ "kind": "exited", "code": 0 })
    );
    assert_eq!(run["output"], "restarted\n");
    // The desktop hears the alert, that the restart was done, and that it resolved.
    let mut notices = Vec::new();
    monitor.wait_for("the action's notice in dunst", |_| {
        notices.extend(dunst.close_all_and_history());
        notices
            .iter()
            .any(|n| n.summary == "Action done: my-app down")
    });
    let done = notices
        .iter()
        .find(|n| n.summary == "Action done: my-app down")
        .expect("the notice");
    assert!(
        done.body.contains("ran sh:") && done.body.contains("exited with status 0"),
        "{}",
        done.body
    );
    monitor.wait_for("the resolved notice in dunst", |_| {
        notices.extend(dunst.close_all_and_history());
        notices.iter().any(|n| n.summary == "Resolved: my-app down")
    });
    assert!(
        notices.iter().any(|n| n.summary == "Critical: my-app down"),
        "{notices:?}"
    );
    assert!(monitor.stop(), "clean stop");
    let _ = std::process::Command::new("kill")
        .arg(new_pid.to_string())
        .status();
}
