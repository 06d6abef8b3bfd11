//! The tick loop with a scripted metric source: ticks, commands between ticks, stopping.

use lookout_core::{Config, EventKind, MetricKey, MetricNeeds, Snapshot, Timestamp};
use lookout_monitor::sys::Shutdown;
use lookout_monitor::tick::wake_on;
use lookout_monitor::{run_loop, LoopInput, MetricSource, Monitor, MonitorCommand};
use std::ops::ControlFlow;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// Reads a fixed value; records the needs it was given.
struct Scripted {
    value: f64,
    needs: Arc<Mutex<Vec<MetricNeeds>>>,
}

impl MetricSource for Scripted {
    fn set_needs(&mut self, needs: &MetricNeeds) {
        self.needs.lock().expect("lock").push(needs.clone());
    }

    fn read(&mut self) -> Snapshot {
        let mut s = Snapshot::new();
        s.insert(MetricKey::parse("cpu.total").expect("key"), self.value);
        s
    }
}

/// A clock that moves one interval per reading, whatever the real time.
fn stepping_clock() -> impl Fn() -> Timestamp {
    let n = std::sync::atomic::AtomicI64::new(0);
    move || {
        Timestamp::from_millis(
            1_700_000_000_000 + 100 * n.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        )
    }
}

fn config(threshold: f64) -> lookout_core::ValidConfig {
    let text = format!(
        "version = 1\n[sampling]\ninterval = \"100ms\"\n[[rules]]\nname = \"cpu\"\nmetric = \"cpu.total\"\nwindow = \"500ms\"\nop = \">\"\nthreshold = {threshold}\n"
    );
    let config: Config = toml::from_str(&text).expect("parses");
    config.validate().expect("valid")
}

#[test]
fn ticks_until_told_and_applies_commands_first() {
    let needs = Arc::new(Mutex::new(Vec::new()));
    let mut monitor = Monitor::new(
        &config(50.0),
        Scripted {
            value: 90.0,
            needs: needs.clone(),
        },
    );
    let (tx, rx) = mpsc::channel();
    tx.send(LoopInput::Command(MonitorCommand::Snooze {
        rule: None,
        until: Timestamp::from_millis(i64::MAX),
    }))
    .expect("send");
    let mut ticks = 0u32;
    let mut kinds = Vec::new();
    run_loop(
        &mut monitor,
        &rx,
        stepping_clock(),
        &Shutdown::new(),
        |_, report| {
            ticks += 1;
            kinds.extend(report.events.iter().map(|e| (e.state, e.notify)));
            if ticks == 10 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    );
    assert_eq!(ticks, 10, "stopped when told");
    assert_eq!(
        kinds,
        vec![(EventKind::Firing, false)],
        "fired once, muted by the snooze sent before"
    );
    let needs = needs.lock().expect("lock");
    assert!(
        needs[0].cpu_total && !needs[0].memory,
        "only cpu is read: {:?}",
        needs[0]
    );
}

#[test]
fn reconfigure_between_ticks_changes_rules_without_reannouncing() {
    let needs = Arc::new(Mutex::new(Vec::new()));
    let mut monitor = Monitor::new(
        &config(50.0),
        Scripted {
            value: 90.0,
            needs: needs.clone(),
        },
    );
    let (tx, rx) = mpsc::channel();
    let shutdown = Shutdown::new();
    wake_on(&shutdown, tx.clone());
    let mut kinds = Vec::new();
    let mut ticks = 0;
    run_loop(&mut monitor, &rx, stepping_clock(), &shutdown, |_, r| {
        ticks += 1;
        kinds.extend(r.events.iter().map(|e| e.state));
        if ticks == 6 {
            tx.send(LoopInput::Command(MonitorCommand::Reconfigure(Box::new(
                config(95.0),
            ))))
            .expect("send");
        }
        if ticks == 9 {
            shutdown.trigger();
        }
        ControlFlow::Continue(())
    });
    assert_eq!(
        ticks, 9,
        "the shutdown signal ends the loop before the next tick"
    );
    assert_eq!(
        kinds,
        vec![EventKind::Firing, EventKind::Resolved],
        "the raised threshold resolves it"
    );
    assert_eq!(
        needs.lock().expect("lock").len(),
        2,
        "needs were re-sent after the change"
    );
}

#[test]
fn a_dropped_sender_ends_the_loop() {
    let mut monitor = Monitor::new(
        &config(50.0),
        Scripted {
            value: 1.0,
            needs: Arc::default(),
        },
    );
    let (tx, rx) = mpsc::channel::<LoopInput>();
    drop(tx);
    let mut ticks = 0;
    run_loop(
        &mut monitor,
        &rx,
        stepping_clock(),
        &Shutdown::new(),
        |_, _| {
            ticks += 1;
            ControlFlow::Continue(())
        },
    );
    assert_eq!(
        ticks, 0,
        "nobody can stop it any more, so it does not start"
    );
}

#[test]
fn quiet_hours_follow_the_local_clock() {
    // 22:00 to 07:00 local time, an hour ahead of UTC: quiet from 21:00 to 06:00 UTC.
    let text = "version = 1\n[sampling]\ninterval = \"100ms\"\n\
        [quiet_hours]\nenabled = true\nstart = \"22:00\"\nend = \"07:00\"\n\
        [[rules]]\nname = \"cpu\"\nmetric = \"cpu.total\"\nwindow = \"500ms\"\nop = \">\"\nthreshold = 50\n";
    let config: Config = toml::from_str(text).expect("parses");
    let utc_plus_one = jiff::tz::TimeZone::fixed(jiff::tz::offset(1));
    let mut monitor = Monitor::new(
        &config.validate().expect("valid"),
        Scripted {
            value: 90.0,
            needs: Arc::new(Mutex::new(Vec::new())),
        },
    )
    .with_time_zone(utc_plus_one.clone());
    // 2026-01-15 06:00 UTC, 07:00 local: ticks every 100 ms over the last second before it.
    let quiet_end: i64 = 1_768_456_800_000;
    let mut events = Vec::new();
    for ms in (quiet_end - 1_000..=quiet_end).step_by(100) {
        let report = monitor.tick(Timestamp::from_millis(ms));
        events.extend(report.events.iter().map(|e| (ms, e.state, e.notify)));
    }
    assert_eq!(
        lookout_monitor::tick::local_minute(Timestamp::from_millis(quiet_end), &utc_plus_one),
        7 * 60,
        "07:00 local"
    );
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events[0].0 < quiet_end && events[0].1 == EventKind::Firing && !events[0].2,
        "fired silently before 07:00: {events:?}"
    );
    assert_eq!(
        events[1],
        (quiet_end, EventKind::Reminder, true),
        "announced at 07:00"
    );
}
