//! The rule engine: feeds each tick's snapshot into shared rolling windows and steps every
//! rule's alert state machine, returning the transitions as events.

use crate::alert::{AlertEvent, AlertPhase, AlertState, EventKind, Observation};
use crate::metric::{MetricKey, MetricNeeds, Snapshot};
use crate::mute::Snooze;
use crate::quiet::QuietNow;
use crate::rule::Rule;
use crate::time::Timestamp;
use crate::window::{RollingWindow, WindowNeeds};
use std::collections::HashMap;
use std::time::Duration;

/// Ticks later than this many intervals mean the loop lost continuity (suspend, clock jump)...
pub const GAP_TICKS: u32 = 3;
/// ... but never less than this, so a short stall of a fast tick is not a "gap".
pub const MIN_GAP: Duration = Duration::from_secs(2);

struct RuleSlot {
    rule: Rule,
    /// The window it reads; `None` for a disabled rule (nothing is kept for it).
    window: Option<usize>,
    state: AlertState,
    /// A firing or reminder happened while muted: announce it once the snooze ends.
    unannounced: bool,
}

/// Windows are shared by every rule on the same metric and span, so a hundred rules on
/// `cpu.total` over one hour keep one copy of that hour.
pub struct Engine {
    interval: Duration,
    windows: Vec<RollingWindow>,
    window_keys: Vec<(MetricKey, Duration)>,
    by_metric: Vec<(MetricKey, Vec<usize>)>,
    rules: Vec<RuleSlot>,
    last_tick: Option<Timestamp>,
    snooze: Snooze,
    /// Whether quiet hours hold, as the caller (who knows the local time) last said.
    quiet: QuietNow,
    /// Some rule's phase changed since [`Engine::take_states_changed`] was last called.
    states_changed: bool,
}

impl Engine {
    /// An engine for `rules` fed every `interval`. Disabled rules are kept but not evaluated.
    pub fn new(interval: Duration, rules: Vec<Rule>) -> Self {
        let mut engine = Self {
            interval,
            windows: Vec::new(),
            window_keys: Vec::new(),
            by_metric: Vec::new(),
            rules: Vec::new(),
            last_tick: None,
            snooze: Snooze::default(),
            quiet: QuietNow::Off,
            states_changed: false,
        };
        let mut index: HashMap<(MetricKey, Duration), usize> = HashMap::new();
        for rule in rules {
            let window = rule.enabled.then(|| {
                let key = (rule.metric.clone(), rule.window);
                let needs = WindowNeeds::for_rule(rule.aggregate, rule.op);
                let id = *index.entry(key.clone()).or_insert_with(|| {
                    engine
                        .windows
                        .push(RollingWindow::new(rule.window, interval, needs));
                    engine.window_keys.push(key);
                    engine.windows.len() - 1
                });
                engine.windows[id].ensure(needs);
                id
            });
            engine.rules.push(RuleSlot {
                rule,
                window,
                state: AlertState::default(),
                unannounced: false,
            });
        }
        for (id, (metric, _)) in engine.window_keys.iter().enumerate() {
            match engine.by_metric.iter_mut().find(|(m, _)| m == metric) {
                Some((_, ids)) => ids.push(id),
                None => engine.by_metric.push((metric.clone(), vec![id])),
            }
        }
        engine
    }

    /// Replaces the rules, keeping the windows (and their history) and the alert states of
    /// enabled rules whose name and metric did not change, so a config edit announces nothing
    /// twice. A disabled rule starts over as inactive.
    pub fn reconfigure(&mut self, interval: Duration, rules: Vec<Rule>) {
        let mut next = Self::new(interval, rules);
        for (id, key) in next.window_keys.iter().enumerate() {
            if let Some(old) = self.window_keys.iter().position(|k| k == key) {
                if interval == self.interval {
                    let mut kept = self.windows[old].clone();
                    kept.ensure(needs_of(&next, id));
                    next.windows[id] = kept;
                }
            }
        }
        for slot in next.rules.iter_mut().filter(|s| s.rule.enabled) {
            if let Some(old) = self.rules.iter().find(|o| o.rule.name == slot.rule.name) {
                if old.rule.metric == slot.rule.metric {
                    slot.state = old.state;
                    slot.unannounced = old.unannounced;
                }
            }
        }
        next.last_tick = self.last_tick;
        next.snooze = std::mem::take(&mut self.snooze);
        next.quiet = self.quiet;
        next.states_changed = true;
        *self = next;
    }

    /// What the sampler must read for the enabled rules (their `only_when` metrics too).
    pub fn needs(&self) -> MetricNeeds {
        MetricNeeds::for_keys(self.rules.iter().filter(|s| s.rule.enabled).flat_map(|s| {
            std::iter::once(&s.rule.metric).chain(s.rule.only_when.as_ref().map(|g| &g.metric))
        }))
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Feeds one tick's snapshot taken at `now` and evaluates every enabled rule.
    pub fn tick(&mut self, now: Timestamp, snapshot: &Snapshot) -> Vec<AlertEvent> {
        let gap_after = self.interval.saturating_mul(GAP_TICKS).max(MIN_GAP);
        let now = match self.last_tick {
            // A small step back (an NTP correction) is not worth losing every window over.
            Some(last) if now <= last && last.since(now) < gap_after => {
                last.plus(Duration::from_millis(1))
            }
            _ => now,
        };
        let gap = self
            .last_tick
            .is_some_and(|last| now <= last || now.since(last) > gap_after);
        self.last_tick = Some(now);
        self.snooze.expire(now);
        for w in &mut self.windows {
            w.advance(now);
        }
        for (metric, ids) in &self.by_metric {
            if let Some(value) = snapshot.get(metric) {
                for &id in ids {
                    self.windows[id].push(now, value);
                }
            }
        }
        let mut events = Vec::new();
        for slot in &mut self.rules {
            let Some(window) = slot.window.map(|id| &self.windows[id]) else {
                continue;
            };
            let coverage = window.coverage();
            let value = (coverage + 1e-9 >= slot.rule.min_coverage)
                .then(|| window.aggregate(slot.rule.aggregate, slot.rule.op))
                .flatten();
            let before = slot.state.phase;
            // Outside its `only_when`, the condition counts as not holding (a firing alert
            // clears as it would on a value past the clear threshold).
            let outside = slot
                .rule
                .only_when
                .as_ref()
                .is_some_and(|g| !g.holds(snapshot.get(&g.metric)));
            let judged = match value {
                Some(_) if outside => Some(if slot.rule.op.is_upper() {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }),
                v => v,
            };
            let stepped = slot.state.step(
                &slot.rule,
                now,
                Observation {
                    value: judged,
                    coverage,
                },
                gap,
            );
            slot.state.last_value = value;
            if std::mem::discriminant(&before) != std::mem::discriminant(&slot.state.phase) {
                self.states_changed = true;
            }
            let muted =
                self.snooze.is_muted(&slot.rule.name, now) || self.quiet.mutes(slot.rule.severity);
            let kind = match stepped {
                Some(kind) => kind,
                // Firing while snoozed (or in quiet hours) was never announced: say it once
                // the snooze ends.
                None if slot.unannounced && !muted && slot.state.is_firing() => EventKind::Reminder,
                None => continue,
            };
            let since = match (kind, before, slot.state.phase) {
                (EventKind::Resolved, AlertPhase::Firing { since, .. }, _) => since,
                (_, _, AlertPhase::Pending { since } | AlertPhase::Firing { since, .. }) => since,
                _ => now,
            };
            let rule = &slot.rule;
            let wants = match kind {
                EventKind::Pending => false,
                EventKind::Resolved => rule.notify_resolved,
                EventKind::Firing | EventKind::Reminder | EventKind::GaveUp => true,
            };
            slot.unannounced = match kind {
                EventKind::Firing | EventKind::Reminder | EventKind::GaveUp => muted,
                EventKind::Resolved => false,
                EventKind::Pending => slot.unannounced,
            };
            events.push(AlertEvent {
                rule: rule.name.clone(),
                state: kind,
                metric: rule.metric.clone(),
                value,
                threshold: rule.threshold,
                clear_threshold: rule.clear_threshold,
                op: rule.op,
                aggregate: rule.aggregate,
                window: rule.window,
                severity: rule.severity,
                at: now,
                since,
                coverage,
                channels: rule.channels.clone(),
                notify: wants && !muted,
                culprits: Vec::new(),
                gave_up: None,
            });
        }
        events
    }

    /// Feeds a reading from before a restart (kept in the history) into the windows without
    /// evaluating any rule, so a window continues where it stopped. Call in time order before
    /// the first [`Engine::tick`]; a reading not after the last one fed is ignored. The time
    /// between the last reading and the next tick is a gap like any other: it is missing
    /// samples, and the windows' coverage says so.
    pub fn prime(&mut self, at: Timestamp, snapshot: &Snapshot) {
        if self.last_tick.is_some_and(|last| at <= last) {
            return;
        }
        self.last_tick = Some(at);
        for w in &mut self.windows {
            w.advance(at);
        }
        for (metric, ids) in &self.by_metric {
            if let Some(value) = snapshot.get(metric) {
                for &id in ids {
                    self.windows[id].push(at, value);
                }
            }
        }
    }

    /// The metrics the enabled rules read, each with its longest window: what a restart
    /// refills from the history.
    pub fn window_spans(&self) -> Vec<(MetricKey, Duration)> {
        self.by_metric
            .iter()
            .filter_map(|(metric, ids)| {
                let span = ids.iter().map(|&id| self.windows[id].span()).max()?;
                Some((metric.clone(), span))
            })
            .collect()
    }

    /// Quiet hours from the next tick on: the caller works them out from the local time.
    pub fn set_quiet(&mut self, quiet: QuietNow) {
        self.quiet = quiet;
    }

    /// Whether any rule's phase changed since the last call (the caller saves the states).
    pub fn take_states_changed(&mut self) -> bool {
        std::mem::take(&mut self.states_changed)
    }

    /// Every rule with its current state, in config order.
    pub fn states(&self) -> impl Iterator<Item = (&Rule, &AlertState)> {
        self.rules.iter().map(|s| (&s.rule, &s.state))
    }

    /// Restores a persisted state after a restart, so a firing alert stays firing and is not
    /// announced again. Only firing survives: a pending period or a clearing period was
    /// interrupted by the restart and starts over. Unknown or disabled rules are ignored.
    pub fn restore_state(&mut self, rule: &str, state: AlertState) {
        let Some(slot) = self
            .rules
            .iter_mut()
            .find(|s| s.rule.name == rule && s.rule.enabled)
        else {
            return;
        };
        slot.state = match state.phase {
            AlertPhase::Firing {
                since,
                last_notified,
                reminders,
                ..
            } => AlertState {
                phase: AlertPhase::Firing {
                    since,
                    last_notified,
                    clearing_since: None,
                    reminders,
                },
                ..state
            },
            AlertPhase::Pending { .. } | AlertPhase::Inactive => AlertState::default(),
        };
    }

    pub fn snooze(&self) -> &Snooze {
        &self.snooze
    }

    pub fn snooze_mut(&mut self) -> &mut Snooze {
        &mut self.snooze
    }

    /// The longest window kept for `metric`, if any rule watches it.
    pub fn window_for(&self, metric: &MetricKey) -> Option<&RollingWindow> {
        let (_, ids) = self.by_metric.iter().find(|(m, _)| m == metric)?;
        ids.iter()
            .map(|&id| &self.windows[id])
            .max_by_key(|w| w.span())
    }

    /// Heap bytes and samples held by every window, for memory accounting.
    pub fn window_footprint(&self) -> (usize, usize) {
        self.windows
            .iter()
            .fold((0, 0), |(b, n), w| (b + w.heap_bytes(), n + w.len()))
    }
}

fn needs_of(engine: &Engine, window: usize) -> WindowNeeds {
    engine
        .rules
        .iter()
        .filter(|s| s.window == Some(window))
        .fold(WindowNeeds::default(), |acc, s| {
            acc.union(WindowNeeds::for_rule(s.rule.aggregate, s.rule.op))
        })
}
