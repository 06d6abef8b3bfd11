//! The tick loop with a scripted metric source: ticks, commands between ticks, stopping.

use lookout_core::{Config, EventKind, MetricKey, MetricNeeds, Snapshot, Timestamp};
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
    run_loop(&mut monitor, &rx, stepping_clock(), |_, report| {
        ticks += 1;
        kinds.extend(report.events.iter().map(|e| (e.state, e.notify)));
        if ticks == 10 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
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
    let mut kinds = Vec::new();
    let mut ticks = 0;
    run_loop(&mut monitor, &rx, stepping_clock(), |_, r| {
        ticks += 1;
        kinds.extend(r.events.iter().map(|e| e.state));
        if ticks == 6 {
            tx.send(LoopInput::Command(MonitorCommand::Reconfigure(Box::new(
                config(95.0),
            ))))
            .expect("send");
        }
        if ticks == 9 {
            tx.send(LoopInput::Stop).expect("send");
        }
        ControlFlow::Continue(())
    });
    assert_eq!(ticks, 9, "Stop ends the loop before the next tick");
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
    run_loop(&mut monitor, &rx, stepping_clock(), |_, _| {
        ticks += 1;
        ControlFlow::Continue(())
    });
    assert_eq!(
        ticks, 0,
        "nobody can stop it any more, so it does not start"
    );
}
