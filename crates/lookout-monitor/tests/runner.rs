//! The tick loop with paused tokio time and a scripted metric source: ticks, commands, shutdown.

use lookout_core::{Config, EventKind, MetricKey, MetricNeeds, Snapshot, Timestamp};
use lookout_monitor::{run_loop, MetricSource, Monitor, MonitorCommand};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

/// Wall time that follows tokio's paused clock.
fn test_clock() -> impl Fn() -> Timestamp {
    let start = tokio::time::Instant::now();
    move || Timestamp::from_millis(1_700_000_000_000 + start.elapsed().as_millis() as i64)
}

fn config(threshold: f64) -> lookout_core::ValidConfig {
    let text = format!(
        "version = 1\n[sampling]\ninterval = \"1s\"\n[[rules]]\nname = \"cpu\"\nmetric = \"cpu.total\"\nwindow = \"5s\"\nop = \">\"\nthreshold = {threshold}\n"
    );
    let config: Config = toml::from_str(&text).expect("parses");
    config.validate().expect("valid")
}

#[tokio::test(start_paused = true)]
async fn ticks_until_shutdown_and_applies_commands() {
    let needs = Arc::new(Mutex::new(Vec::new()));
    let mut monitor = Monitor::new(
        &config(50.0),
        Scripted {
            value: 90.0,
            needs: needs.clone(),
        },
    );
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let mut ticks = 0u32;
    let mut kinds = Vec::new();
    let shutdown = async {
        tokio::time::sleep(Duration::from_millis(10_500)).await;
    };
    tx.send(MonitorCommand::Snooze {
        rule: None,
        until: Timestamp::from_millis(i64::MAX),
    })
    .await
    .expect("send");
    run_loop(
        &mut monitor,
        rx,
        test_clock(),
        |_, report| {
            ticks += 1;
            kinds.extend(report.events.iter().map(|e| (e.state, e.notify)));
        },
        shutdown,
    )
    .await;
    assert_eq!(ticks, 10, "one tick per second for 10.5 s");
    assert_eq!(
        kinds,
        vec![(EventKind::Firing, false)],
        "fired once, muted by the snooze"
    );
    let needs = needs.lock().expect("lock");
    assert!(
        needs[0].cpu_total && !needs[0].memory,
        "only cpu is read: {:?}",
        needs[0]
    );
}

#[tokio::test(start_paused = true)]
async fn reconfigure_changes_rules_without_reannouncing() {
    let needs = Arc::new(Mutex::new(Vec::new()));
    let mut monitor = Monitor::new(
        &config(50.0),
        Scripted {
            value: 90.0,
            needs: needs.clone(),
        },
    );
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let mut kinds = Vec::new();
    let shutdown = async move {
        tokio::time::sleep(Duration::from_millis(6_500)).await;
        tx.send(MonitorCommand::Reconfigure(Box::new(config(95.0))))
            .await
            .expect("send");
        tokio::time::sleep(Duration::from_millis(3_000)).await;
    };
    run_loop(
        &mut monitor,
        rx,
        test_clock(),
        |_, r| kinds.extend(r.events.iter().map(|e| e.state)),
        shutdown,
    )
    .await;
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
