//! `only_when`: "battery below 15 % and not charging" — a rule fires only while its condition
//! on another metric holds, and resolves when it stops holding.

use lookout_core::config::Config;
use lookout_core::{Engine, EventKind, MetricKey, Snapshot, Timestamp};

fn engine(only_when: &str) -> Engine {
    let text = format!(
        "version = 1\n[[rules]]\nname = \"battery low\"\nmetric = \"battery.BAT0.pct\"\naggregate = \"max\"\nwindow = \"5s\"\nop = \"<\"\nthreshold = 15\n{only_when}\n"
    );
    let config: Config = toml::from_str(&text).expect("parses");
    let valid = config.validate().expect("valid");
    Engine::new(valid.interval, valid.rules)
}

fn key(k: &str) -> MetricKey {
    MetricKey::parse(k).expect("key")
}

/// Runs `seconds` ticks of (charge, charging); the events' kinds with their second.
fn run(
    engine: &mut Engine,
    from: i64,
    seconds: i64,
    pct: f64,
    charging: f64,
) -> Vec<(i64, EventKind)> {
    let mut out = Vec::new();
    for s in from..from + seconds {
        let mut snap = Snapshot::new();
        snap.insert(key("battery.BAT0.pct"), pct);
        snap.insert(key("battery.BAT0.charging"), charging);
        for e in engine.tick(Timestamp::from_millis(s * 1000), &snap) {
            out.push((s, e.state));
        }
    }
    out
}

#[test]
fn a_low_battery_fires_only_while_it_is_not_charging() {
    let mut e = engine("only_when = \"battery.BAT0.charging < 1\"");
    assert!(e.needs().power, "the condition's metric is read too");
    // Low and on battery: fires once the window is full.
    let events = run(&mut e, 1, 10, 10.0, 0.0);
    assert_eq!(
        events.iter().map(|e| e.1).collect::<Vec<_>>(),
        [EventKind::Firing]
    );
    // Plugged in, still at 10 %: resolves at once.
    let events = run(&mut e, 11, 5, 10.0, 1.0);
    assert_eq!(events, [(11, EventKind::Resolved)]);
    // Charging for a while: nothing.
    assert!(run(&mut e, 16, 20, 12.0, 1.0).is_empty());
    // Unplugged again below 15 %: fires again.
    let events = run(&mut e, 36, 3, 14.0, 0.0);
    assert_eq!(events, [(36, EventKind::Firing)]);
}

#[test]
fn without_the_condition_the_same_readings_fire_while_charging_too() {
    let mut e = engine("");
    let events = run(&mut e, 1, 30, 10.0, 1.0);
    assert_eq!(
        events.iter().map(|e| e.1).collect::<Vec<_>>(),
        [EventKind::Firing]
    );
}

#[test]
fn a_condition_that_cannot_be_read_does_not_hold() {
    let mut e = engine("only_when = \"battery.BAT0.charging < 1\"");
    let mut events = Vec::new();
    for s in 1..20 {
        let mut snap = Snapshot::new();
        snap.insert(key("battery.BAT0.pct"), 5.0);
        events.extend(e.tick(Timestamp::from_millis(s * 1000), &snap));
    }
    assert!(
        events.is_empty(),
        "no charging reading, no alert: {events:?}"
    );
}

#[test]
fn a_condition_that_is_not_metric_op_number_is_refused_with_the_form() {
    for (text, says) in [
        ("battery.BAT0.charging", "<metric> <op> <number>"),
        ("battery.BAT0.charging == 0", "use >, >=, < or <="),
        ("battery.BAT0.charging < soon", "not a number"),
        ("battery.BAT0 < 1", "unknown metric"),
    ] {
        let config: Config = toml::from_str(&format!(
            "version = 1\n[[rules]]\nname = \"r\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 1\nonly_when = \"{text}\"\n"
        ))
        .expect("parses");
        let errors = config.validate().expect_err("refused");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].path_text(), "rules[0].only_when");
        assert_eq!(errors[0].code.as_str(), "rule.only_when.invalid");
        assert!(
            errors[0].message.contains(says),
            "{text}: {}",
            errors[0].message
        );
    }
}
