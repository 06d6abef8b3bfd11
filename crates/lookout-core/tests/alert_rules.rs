//! The alert state machine driven through the engine with time passed in.

use lookout_core::rule::{Aggregate, Op, Rule, Severity};
use lookout_core::{Engine, EventKind, MetricKey, QuietNow, Snapshot, Timestamp};
use std::time::Duration;

const SEC: i64 = 1000;

fn cpu() -> MetricKey {
    MetricKey::parse("cpu.total").expect("valid key")
}

fn rule(aggregate: Aggregate, window_s: u64, threshold: f64) -> Rule {
    Rule {
        name: "cpu".into(),
        metric: cpu(),
        aggregate,
        window: Duration::from_secs(window_s),
        op: Op::Gt,
        threshold,
        clear_threshold: threshold,
        pending_for: Duration::ZERO,
        keep_firing_for: Duration::ZERO,
        repeat_every: None,
        repeat_max: None,
        notify_resolved: true,
        severity: Severity::Warning,
        channels: vec![],
        enabled: true,
        min_coverage: 0.9,
        only_when: None,
    }
}

/// Drives an engine at a 1 s tick; `value(second)` gives the reading (None = missing).
struct Sim {
    engine: Engine,
    now: i64,
    events: Vec<(i64, EventKind, bool)>,
}

impl Sim {
    fn new(rules: Vec<Rule>) -> Self {
        Self {
            engine: Engine::new(Duration::from_secs(1), rules),
            now: 0,
            events: vec![],
        }
    }

    fn run(&mut self, seconds: i64, value: impl Fn(i64) -> Option<f64>) {
        for _ in 0..seconds {
            self.now += SEC;
            let mut snap = Snapshot::new();
            if let Some(v) = value(self.now / SEC) {
                snap.insert(cpu(), v);
            }
            for e in self.engine.tick(Timestamp::from_millis(self.now), &snap) {
                self.events.push((self.now / SEC, e.state, e.notify));
            }
        }
    }

    fn jump(&mut self, seconds: i64) {
        self.now += seconds * SEC;
    }

    fn kinds(&self) -> Vec<EventKind> {
        self.events.iter().map(|e| e.1).collect()
    }

    fn notifications(&self) -> usize {
        self.events.iter().filter(|e| e.2).count()
    }
}

#[test]
fn pending_then_firing_after_for() {
    let mut r = rule(Aggregate::Avg, 10, 80.0);
    r.pending_for = Duration::from_secs(30);
    let mut sim = Sim::new(vec![r]);
    sim.run(100, |_| Some(95.0));
    assert_eq!(
        sim.kinds(),
        vec![EventKind::Pending, EventKind::Firing],
        "events {:?}",
        sim.events
    );
    let (pending_at, firing_at) = (sim.events[0].0, sim.events[1].0);
    assert_eq!(
        firing_at - pending_at,
        30,
        "fires exactly `for` after pending began"
    );
    assert!(!sim.events[0].2, "pending never notifies");
    assert!(sim.events[1].2, "firing notifies");
}

#[test]
fn pending_that_stops_holding_never_fires() {
    let mut r = rule(Aggregate::Max, 1, 80.0);
    r.pending_for = Duration::from_secs(30);
    let mut sim = Sim::new(vec![r]);
    sim.run(100, |s| Some(if s % 20 < 10 { 95.0 } else { 10.0 }));
    assert!(
        !sim.kinds().contains(&EventKind::Firing),
        "never held for 30 s: {:?}",
        sim.events
    );
    assert!(
        sim.kinds().contains(&EventKind::Pending),
        "but it did go pending"
    );
}

#[test]
fn no_firing_on_too_little_data() {
    let mut sim = Sim::new(vec![rule(Aggregate::All, 60, 80.0)]);
    // Half the samples are missing: coverage 0.5 < 0.9, so the rule is unknown, not true.
    sim.run(600, |s| (s % 2 == 0).then_some(99.0));
    assert!(
        sim.events.is_empty(),
        "unknown must never fire: {:?}",
        sim.events
    );
    let (_, state) = sim.engine.states().next().expect("one rule");
    assert!(
        state.last_coverage < 0.9,
        "coverage {}",
        state.last_coverage
    );
}

#[test]
fn all_needs_every_sample_over_the_whole_window() {
    let mut sim = Sim::new(vec![rule(Aggregate::All, 3600, 80.0)]);
    sim.run(3000, |_| Some(90.0));
    sim.run(1, |_| Some(50.0));
    sim.run(3598, |_| Some(90.0));
    assert!(
        sim.events.is_empty(),
        "one low sample within the hour blocks firing: {:?}",
        sim.events
    );
    sim.run(2, |_| Some(90.0));
    assert_eq!(
        sim.kinds(),
        vec![EventKind::Firing],
        "fires once the low sample left the hour"
    );
}

#[test]
fn hysteresis_holds_until_clear_threshold_is_crossed() {
    let mut r = rule(Aggregate::Avg, 1, 80.0);
    r.clear_threshold = 70.0;
    let mut sim = Sim::new(vec![r]);
    sim.run(5, |_| Some(85.0));
    sim.run(5, |_| Some(75.0));
    assert_eq!(
        sim.kinds(),
        vec![EventKind::Firing],
        "75 is above the clear threshold: still firing"
    );
    sim.run(1, |_| Some(70.0));
    assert_eq!(
        sim.kinds(),
        vec![EventKind::Firing, EventKind::Resolved],
        "70 crosses back past 70"
    );
}

#[test]
fn keep_firing_for_delays_resolution() {
    let mut r = rule(Aggregate::Avg, 1, 80.0);
    r.keep_firing_for = Duration::from_secs(60);
    let mut sim = Sim::new(vec![r]);
    sim.run(5, |_| Some(90.0));
    sim.run(30, |_| Some(10.0));
    sim.run(5, |_| Some(90.0));
    sim.run(59, |_| Some(10.0));
    assert_eq!(
        sim.kinds(),
        vec![EventKind::Firing],
        "short dips do not resolve: {:?}",
        sim.events
    );
    sim.run(2, |_| Some(10.0));
    assert_eq!(sim.kinds(), vec![EventKind::Firing, EventKind::Resolved]);
    let resolved_at = sim.events[1].0;
    assert_eq!(
        resolved_at,
        41 + 60,
        "resolves 60 s after the clear condition was first seen at 41 s"
    );
}

#[test]
fn reminders_follow_repeat_every() {
    let mut r = rule(Aggregate::Avg, 1, 80.0);
    r.repeat_every = Some(Duration::from_secs(600));
    let mut sim = Sim::new(vec![r]);
    sim.run(3600, |_| Some(99.0));
    let kinds = sim.kinds();
    assert_eq!(kinds[0], EventKind::Firing);
    assert_eq!(
        kinds.iter().filter(|k| **k == EventKind::Reminder).count(),
        5,
        "{kinds:?}"
    );
    let reminder_times: Vec<i64> = sim.events.iter().skip(1).map(|e| e.0).collect();
    assert_eq!(
        reminder_times,
        vec![601, 1201, 1801, 2401, 3001],
        "every 600 s after firing at 1 s"
    );
}

#[test]
fn resolved_notice_respects_notify_resolved() {
    for notify_resolved in [true, false] {
        let mut r = rule(Aggregate::Avg, 1, 80.0);
        r.notify_resolved = notify_resolved;
        let mut sim = Sim::new(vec![r]);
        sim.run(3, |_| Some(90.0));
        sim.run(3, |_| Some(10.0));
        assert_eq!(
            sim.kinds(),
            vec![EventKind::Firing, EventKind::Resolved],
            "resolved is always logged"
        );
        assert_eq!(
            sim.events[1].2, notify_resolved,
            "resolved notifies only when asked"
        );
    }
}

#[test]
fn suspend_like_clock_jump_does_not_fire_a_sustained_rule() {
    let mut sim = Sim::new(vec![rule(Aggregate::All, 3600, 80.0)]);
    sim.run(1800, |_| Some(95.0));
    sim.jump(2 * 3600);
    sim.run(1800, |_| Some(95.0));
    assert!(
        sim.events.is_empty(),
        "the suspended hours are no data: {:?}",
        sim.events
    );
    sim.run(1600, |_| Some(95.0));
    assert_eq!(
        sim.kinds(),
        vec![EventKind::Firing],
        "fires once the hour is 90 % covered again"
    );
}

#[test]
fn clock_jump_restarts_pending() {
    let mut r = rule(Aggregate::Max, 5, 80.0);
    r.pending_for = Duration::from_secs(120);
    let mut sim = Sim::new(vec![r]);
    sim.run(100, |_| Some(95.0));
    sim.jump(600);
    sim.run(60, |_| Some(95.0));
    assert!(
        !sim.kinds().contains(&EventKind::Firing),
        "the jump does not count toward `for`"
    );
    sim.run(70, |_| Some(95.0));
    assert!(
        sim.kinds().contains(&EventKind::Firing),
        "fires `for` after data resumed"
    );
}

#[test]
fn oscillation_around_threshold_notifies_at_most_once_per_repeat() {
    let mut r = rule(Aggregate::Avg, 1, 80.0);
    r.clear_threshold = 75.0;
    r.repeat_every = Some(Duration::from_secs(1800));
    let mut sim = Sim::new(vec![r]);
    sim.run(3600, |s| Some(if s % 2 == 0 { 81.0 } else { 79.0 }));
    assert_eq!(
        sim.notifications(),
        2,
        "one firing and one reminder in an hour: {:?}",
        sim.events
    );

    // Without hysteresis, keep_firing_for bridges the dips instead.
    let mut r = rule(Aggregate::Avg, 1, 80.0);
    r.keep_firing_for = Duration::from_secs(10);
    r.repeat_every = Some(Duration::from_secs(1800));
    let mut sim = Sim::new(vec![r]);
    sim.run(3600, |s| Some(if s % 7 < 3 { 81.0 } else { 79.0 }));
    assert!(
        sim.notifications() <= 2,
        "at most one per repeat_every: {:?}",
        sim.events
    );
    assert!(sim.notifications() >= 1, "but it did fire");
}

#[test]
fn snooze_mutes_notifications_but_not_evaluation() {
    let mut sim = Sim::new(vec![rule(Aggregate::Avg, 1, 80.0)]);
    sim.engine
        .snooze_mut()
        .snooze_all(Timestamp::from_millis(100 * SEC));
    sim.run(10, |_| Some(90.0));
    sim.run(10, |_| Some(10.0));
    assert_eq!(
        sim.kinds(),
        vec![EventKind::Firing, EventKind::Resolved],
        "still evaluated and logged"
    );
    assert_eq!(
        sim.notifications(),
        0,
        "but nothing is announced while snoozed"
    );
    sim.engine
        .snooze_mut()
        .snooze_rule("other", Timestamp::from_millis(1000 * SEC));
    sim.run(80, |_| Some(10.0));
    sim.run(10, |_| Some(90.0));
    assert_eq!(
        sim.notifications(),
        1,
        "after the snooze ends, firing is announced"
    );
}

#[test]
fn restored_firing_state_is_not_announced_again() {
    let mut sim = Sim::new(vec![rule(Aggregate::Avg, 1, 80.0)]);
    sim.run(5, |_| Some(90.0));
    let (_, state) = sim.engine.states().next().expect("one rule");
    let saved = *state;
    assert!(saved.is_firing());
    let mut restarted = Sim::new(vec![rule(Aggregate::Avg, 1, 80.0)]);
    restarted.engine.restore_state("cpu", saved);
    restarted.now = sim.now + 5 * SEC;
    restarted.run(10, |_| Some(90.0));
    assert!(
        restarted.events.is_empty(),
        "still firing, no second announcement: {:?}",
        restarted.events
    );
}

#[test]
fn reconfigure_keeps_history_and_state() {
    let mut sim = Sim::new(vec![rule(Aggregate::Avg, 60, 80.0)]);
    sim.run(120, |_| Some(90.0));
    let mut changed = rule(Aggregate::Avg, 60, 85.0);
    changed.repeat_every = Some(Duration::from_secs(3600));
    sim.engine
        .reconfigure(Duration::from_secs(1), vec![changed]);
    sim.run(5, |_| Some(90.0));
    assert_eq!(
        sim.kinds(),
        vec![EventKind::Firing],
        "no second firing after a config edit"
    );
    let window = sim.engine.window_for(&cpu()).expect("window kept");
    assert_eq!(window.len(), 60, "history survived the edit");
}

#[test]
fn restored_pending_starts_over() {
    let mut r = rule(Aggregate::Max, 1, 80.0);
    r.pending_for = Duration::from_secs(600);
    let mut sim = Sim::new(vec![r.clone()]);
    sim.run(5, |_| Some(90.0));
    let (_, state) = sim.engine.states().next().expect("one rule");
    assert!(
        matches!(state.phase, lookout_core::AlertPhase::Pending { .. }),
        "pending before the restart"
    );
    let saved = *state;
    let mut restarted = Sim::new(vec![r]);
    restarted.engine.restore_state("cpu", saved);
    restarted.now = sim.now + 3600 * SEC;
    restarted.run(5, |_| Some(90.0));
    assert_eq!(
        restarted.kinds(),
        vec![EventKind::Pending],
        "`for` is not skipped after a restart"
    );
}

#[test]
fn a_disabled_rule_is_not_evaluated_and_loses_its_state() {
    let mut sim = Sim::new(vec![rule(Aggregate::Avg, 1, 80.0)]);
    sim.run(5, |_| Some(90.0));
    let mut disabled = rule(Aggregate::Avg, 1, 80.0);
    disabled.enabled = false;
    sim.engine
        .reconfigure(Duration::from_secs(1), vec![disabled]);
    sim.run(5, |_| Some(90.0));
    let (_, state) = sim.engine.states().next().expect("one rule");
    assert!(!state.is_firing(), "a disabled rule does not stay firing");
    assert_eq!(sim.kinds(), vec![EventKind::Firing], "and emits nothing");
    assert_eq!(
        sim.engine.window_footprint().1,
        0,
        "no samples are kept for it"
    );
}

#[test]
fn a_small_clock_step_back_keeps_the_windows() {
    let mut sim = Sim::new(vec![rule(Aggregate::All, 60, 80.0)]);
    sim.run(55, |_| Some(90.0));
    sim.now -= 500; // an NTP correction of half a second
    sim.run(10, |_| Some(90.0));
    assert_eq!(
        sim.kinds(),
        vec![EventKind::Firing],
        "history survived the step: {:?}",
        sim.events
    );
}

#[test]
fn a_firing_during_a_snooze_is_announced_when_it_ends() {
    let mut sim = Sim::new(vec![rule(Aggregate::Avg, 1, 80.0)]);
    sim.engine
        .snooze_mut()
        .snooze_all(Timestamp::from_millis(30 * SEC));
    sim.run(60, |_| Some(90.0));
    let announced: Vec<_> = sim.events.iter().filter(|e| e.2).collect();
    assert_eq!(announced.len(), 1, "one announcement: {:?}", sim.events);
    assert_eq!(announced[0].0, 30, "at the end of the snooze");
    assert_eq!(announced[0].1, EventKind::Reminder);
}

#[test]
fn phase_changes_are_flagged_for_saving() {
    let mut r = rule(Aggregate::Max, 1, 80.0);
    r.pending_for = Duration::from_secs(60);
    let mut sim = Sim::new(vec![r]);
    sim.run(2, |_| Some(10.0));
    assert!(!sim.engine.take_states_changed(), "nothing changed");
    sim.run(1, |_| Some(90.0));
    assert!(sim.engine.take_states_changed(), "inactive → pending");
    sim.run(1, |_| Some(10.0));
    assert!(
        sim.engine.take_states_changed(),
        "pending → inactive emits no event but must be saved"
    );
}

#[test]
fn quiet_hours_mute_warnings_and_announce_them_when_they_end() {
    let quiet = QuietNow::On {
        mute_critical: false,
    };
    let mut critical = rule(Aggregate::Avg, 1, 80.0);
    critical.name = "hot".into();
    critical.severity = Severity::Critical;
    let mut sim = Sim::new(vec![rule(Aggregate::Avg, 1, 80.0), critical]);
    sim.engine.set_quiet(quiet);
    sim.run(20, |_| Some(90.0));
    assert_eq!(
        sim.events,
        vec![(1, EventKind::Firing, false), (1, EventKind::Firing, true)],
        "both fire and are logged; only the critical one notifies in quiet hours"
    );
    sim.engine.set_quiet(QuietNow::Off);
    sim.run(1, |_| Some(90.0));
    assert_eq!(
        sim.events[2..],
        [(21, EventKind::Reminder, true)],
        "the muted warning is announced once quiet hours end"
    );
    sim.engine.set_quiet(QuietNow::On {
        mute_critical: true,
    });
    sim.run(5, |s| Some(if s > 22 { 10.0 } else { 90.0 }));
    assert_eq!(
        sim.events[3..],
        [
            (23, EventKind::Resolved, false),
            (23, EventKind::Resolved, false)
        ],
        "with mute_critical even the critical one stays silent"
    );
}
