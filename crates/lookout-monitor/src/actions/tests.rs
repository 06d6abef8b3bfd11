//! Unit tests of the run cap (time passed in) and of the environment actions get.

use super::*;
use lookout_core::rule::{Aggregate, Op};
use lookout_core::MetricKey;
use std::time::Duration;

fn action(max_runs: Option<u32>, within: Option<u64>) -> Action {
    Action {
        on: vec![EventKind::Firing, EventKind::Reminder],
        run: vec!["/bin/true".into()],
        timeout: Duration::from_secs(60),
        max_runs,
        within: within.map(Duration::from_secs),
    }
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_millis(secs * 1000)
}

#[test]
fn never_two_runs_at_once() {
    let mut slot = Slot::default();
    let a = action(None, None);
    assert_eq!(slot.decide(&a, at(0)), Decision::Run);
    assert_eq!(slot.decide(&a, at(1)), Decision::Busy);
    slot.finished();
    assert_eq!(slot.decide(&a, at(2)), Decision::Run);
}

#[test]
fn gives_up_once_after_max_runs_within_the_span_then_waits_for_resolved() {
    let mut slot = Slot::default();
    let a = action(Some(3), Some(900));
    for t in [0, 60, 120] {
        assert_eq!(slot.decide(&a, at(t)), Decision::Run, "run at {t}s");
        slot.finished();
    }
    assert_eq!(
        slot.decide(&a, at(180)),
        Decision::GiveUp,
        "the fourth gives up"
    );
    assert_eq!(
        slot.decide(&a, at(240)),
        Decision::Silenced,
        "and says so once"
    );
    assert_eq!(
        slot.decide(&a, at(5000)),
        Decision::Silenced,
        "even much later"
    );
    slot.resolved();
    assert_eq!(
        slot.decide(&a, at(5001)),
        Decision::Run,
        "again after resolving"
    );
}

#[test]
fn runs_older_than_within_do_not_count() {
    let mut slot = Slot::default();
    let a = action(Some(2), Some(600));
    for t in [0, 300, 700, 1000, 1400] {
        assert_eq!(slot.decide(&a, at(t)), Decision::Run, "run at {t}s");
        slot.finished();
    }
    assert_eq!(
        slot.decide(&a, at(1500)),
        Decision::GiveUp,
        "1000 and 1400 are within 600s"
    );
}

#[test]
fn resolving_without_a_give_up_keeps_the_count() {
    let mut slot = Slot::default();
    let a = action(Some(2), None);
    assert_eq!(slot.decide(&a, at(0)), Decision::Run);
    slot.finished();
    slot.resolved();
    assert_eq!(slot.decide(&a, at(10)), Decision::Run);
    slot.finished();
    slot.resolved();
    assert_eq!(
        slot.decide(&a, at(20)),
        Decision::GiveUp,
        "a flapping app still hits the cap"
    );
}

#[test]
fn the_environment_names_rule_state_value_metric_severity_and_app() {
    let event = AlertEvent {
        rule: "my-app down".into(),
        state: EventKind::Firing,
        metric: MetricKey::parse("app.my-app.running").expect("key"),
        value: Some(0.0),
        threshold: 1.0,
        clear_threshold: 1.0,
        op: Op::Lt,
        aggregate: Aggregate::Max,
        window: Duration::from_secs(10),
        severity: Severity::Critical,
        at: at(100),
        since: at(90),
        coverage: 1.0,
        channels: Vec::new(),
        notify: true,
        culprits: Vec::new(),
        gave_up: None,
    };
    let env: HashMap<String, String> = environment(&event).into_iter().collect();
    assert_eq!(env["LOOKOUT_RULE"], "my-app down");
    assert_eq!(env["LOOKOUT_STATE"], "firing");
    assert_eq!(env["LOOKOUT_VALUE"], "0");
    assert_eq!(env["LOOKOUT_METRIC"], "app.my-app.running");
    assert_eq!(env["LOOKOUT_SEVERITY"], "critical");
    assert_eq!(env["LOOKOUT_APP"], "my-app");
    let gave = give_up_event(&event, &action(Some(3), Some(900)), 3, at(200));
    assert_eq!(gave.state, EventKind::GaveUp);
    assert_eq!(gave.severity, Severity::Critical);
    let g = gave.gave_up.expect("details");
    assert_eq!((g.runs, g.within.as_deref()), (3, Some("15m")));
}
