//! The per-rule alert state machine (inactive → pending → firing → resolved) and its events.

use crate::culprit::Culprit;
use crate::metric::MetricKey;
use crate::rule::{Aggregate, Channel, Op, Rule, Severity};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use ts_rs::TS;

/// One evaluation of a rule's window at a tick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// The aggregate, when the window had enough coverage to be judged.
    pub value: Option<f64>,
    pub coverage: f64,
}

/// Where a rule's alert stands. Persisted so a restart neither forgets nor re-announces it.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "phase", rename_all = "lowercase")]
pub enum AlertPhase {
    #[default]
    Inactive,
    Pending {
        since: Timestamp,
    },
    Firing {
        since: Timestamp,
        /// When the last firing or reminder event was emitted.
        last_notified: Timestamp,
        /// Since when the aggregate has been past the clear threshold, if it is.
        clearing_since: Option<Timestamp>,
        /// Reminders sent in this firing period (for `repeat_max`).
        #[serde(default)]
        reminders: u32,
    },
}

/// The kind of transition an event reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Pending,
    Firing,
    Reminder,
    Resolved,
    /// A rule's action reached its `max_runs`: Lookout stopped running it until the rule
    /// resolves (never from the engine; raised by the action runner, always critical).
    #[serde(rename = "gave_up")]
    GaveUp,
}

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Firing => "firing",
            Self::Reminder => "reminder",
            Self::Resolved => "resolved",
            Self::GaveUp => "gave_up",
        }
    }
}

/// A rule's state plus the last value it saw (for status displays).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AlertState {
    pub phase: AlertPhase,
    pub last_value: Option<f64>,
    pub last_coverage: f64,
}

impl AlertState {
    pub fn is_firing(&self) -> bool {
        matches!(self.phase, AlertPhase::Firing { .. })
    }

    /// Advances the state machine by one evaluation at `now`.
    ///
    /// `gap` says the tick loop lost continuity (suspend, clock jump): time that passed without
    /// samples must not count toward `for` or `keep_firing_for`. Returns the transition, if any.
    pub fn step(
        &mut self,
        rule: &Rule,
        now: Timestamp,
        obs: Observation,
        gap: bool,
    ) -> Option<EventKind> {
        self.last_value = obs.value;
        self.last_coverage = obs.coverage;
        if gap {
            match &mut self.phase {
                AlertPhase::Pending { .. } => self.phase = AlertPhase::Inactive,
                AlertPhase::Firing { clearing_since, .. } => *clearing_since = None,
                AlertPhase::Inactive => {}
            }
        }
        match self.phase {
            AlertPhase::Inactive => {
                if !obs.value.is_some_and(|v| rule.fires(v)) {
                    return None;
                }
                if rule.pending_for.is_zero() {
                    self.phase = firing(now);
                    Some(EventKind::Firing)
                } else {
                    self.phase = AlertPhase::Pending { since: now };
                    Some(EventKind::Pending)
                }
            }
            AlertPhase::Pending { since } => {
                if !obs.value.is_some_and(|v| rule.fires(v)) {
                    self.phase = AlertPhase::Inactive;
                    return None;
                }
                if now.since(since) >= rule.pending_for {
                    self.phase = firing(now);
                    return Some(EventKind::Firing);
                }
                None
            }
            AlertPhase::Firing {
                since,
                last_notified,
                clearing_since,
                reminders,
            } => {
                // After the clock went back, a reminder time in the future would never come.
                let last_notified = last_notified.min(now);
                let Some(value) = obs.value else {
                    // Unknown is not "cleared": hold the alert, restart any clearing period.
                    self.phase = AlertPhase::Firing {
                        since,
                        last_notified,
                        clearing_since: None,
                        reminders,
                    };
                    return None;
                };
                if rule.holds_firing(value) {
                    let remind = rule
                        .repeat_every
                        .is_some_and(|every| now.since(last_notified) >= every)
                        && rule.repeat_max.is_none_or(|max| reminders < max);
                    self.phase = AlertPhase::Firing {
                        since,
                        last_notified: if remind { now } else { last_notified },
                        clearing_since: None,
                        reminders: reminders + u32::from(remind),
                    };
                    return remind.then_some(EventKind::Reminder);
                }
                let clearing = clearing_since.unwrap_or(now);
                if now.since(clearing) >= rule.keep_firing_for {
                    self.phase = AlertPhase::Inactive;
                    return Some(EventKind::Resolved);
                }
                self.phase = AlertPhase::Firing {
                    since,
                    last_notified,
                    clearing_since: Some(clearing),
                    reminders,
                };
                None
            }
        }
    }
}

fn firing(now: Timestamp) -> AlertPhase {
    AlertPhase::Firing {
        since: now,
        last_notified: now,
        clearing_since: None,
        reminders: 0,
    }
}

/// One alert transition with its evidence; the only thing channels ever deliver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AlertEvent {
    pub rule: String,
    pub state: EventKind,
    #[ts(type = "string")]
    pub metric: MetricKey,
    /// The aggregate at the transition (`None` only if it was not known).
    pub value: Option<f64>,
    pub threshold: f64,
    pub clear_threshold: f64,
    pub op: Op,
    pub aggregate: Aggregate,
    #[serde(with = "humantime_serde_compat")]
    #[ts(type = "string")]
    pub window: Duration,
    pub severity: Severity,
    pub at: Timestamp,
    /// When the pending or firing period began.
    pub since: Timestamp,
    pub coverage: f64,
    /// Channels to use; empty means every enabled channel.
    pub channels: Vec<Channel>,
    /// Whether channels should announce it (false while snoozed, for pending, or for a
    /// resolution of a rule with `notify_resolved = false`). The alert log records it anyway.
    pub notify: bool,
    /// The processes responsible, for firings and reminders of CPU and memory rules (filled
    /// in by the monitor, which reads the process table), most responsible first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<Culprit>>")]
    pub culprits: Vec<Culprit>,
    /// For a `gave_up` event: the action Lookout stopped running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub gave_up: Option<GaveUp>,
}

/// The action a `gave_up` event is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GaveUp {
    /// The command as configured (program and arguments).
    pub command: Vec<String>,
    /// How many runs were made.
    pub runs: u32,
    /// The span they were counted in (`within`), as written in the config; `None` means
    /// since the rule fired.
    pub within: Option<String>,
}

/// Serialises durations as humantime text ("1h 30m"), the format users write.
mod humantime_serde_compat {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&humantime::format_duration(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_duration(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Op;

    fn rule(repeat_max: Option<u32>) -> Rule {
        Rule {
            name: "hot".into(),
            metric: MetricKey::parse("cpu.total").expect("valid key"),
            aggregate: Aggregate::Avg,
            window: Duration::from_secs(60),
            op: Op::Gt,
            threshold: 80.0,
            clear_threshold: 80.0,
            pending_for: Duration::ZERO,
            keep_firing_for: Duration::ZERO,
            repeat_every: Some(Duration::from_secs(600)),
            repeat_max,
            notify_resolved: true,
            severity: Severity::Warning,
            channels: vec![],
            enabled: true,
            min_coverage: 0.9,
            only_when: None,
        }
    }

    /// Steps once a second from `from` for `seconds` at `value`; the events, in order.
    fn hold(
        state: &mut AlertState,
        rule: &Rule,
        from: i64,
        seconds: i64,
        value: f64,
    ) -> Vec<EventKind> {
        (from..from + seconds)
            .filter_map(|s| {
                let obs = Observation {
                    value: Some(value),
                    coverage: 1.0,
                };
                state.step(rule, Timestamp::from_millis(s * 1000), obs, false)
            })
            .collect()
    }

    fn count(events: &[EventKind], kind: EventKind) -> usize {
        events.iter().filter(|e| **e == kind).count()
    }

    #[test]
    fn repeat_max_caps_reminders_per_firing_period() {
        let capped = rule(Some(2));
        let mut state = AlertState::default();
        // Held for ten repeat intervals and a bit: uncapped, that is ten reminders.
        let events = hold(&mut state, &capped, 0, 10 * 600 + 5, 90.0);
        assert_eq!(count(&events, EventKind::Firing), 1, "{events:?}");
        assert_eq!(count(&events, EventKind::Reminder), 2, "{events:?}");

        let uncapped = rule(None);
        let mut free = AlertState::default();
        let events = hold(&mut free, &uncapped, 0, 10 * 600 + 5, 90.0);
        assert_eq!(count(&events, EventKind::Reminder), 10, "{events:?}");

        // Resolving starts a new period with its own allowance.
        let events = hold(&mut state, &capped, 7000, 1, 10.0);
        assert_eq!(events, vec![EventKind::Resolved]);
        let events = hold(&mut state, &capped, 8000, 3 * 600 + 5, 90.0);
        assert_eq!(count(&events, EventKind::Reminder), 2, "{events:?}");
    }

    #[test]
    fn a_state_saved_before_the_cap_existed_reads_as_no_reminders_yet() {
        let old = r#"{"phase":"firing","since":1000,"last_notified":1000,"clearing_since":null}"#;
        let phase: AlertPhase = serde_json::from_str(old).expect("old state parses");
        assert!(
            matches!(phase, AlertPhase::Firing { reminders: 0, .. }),
            "{phase:?}"
        );
    }
}
