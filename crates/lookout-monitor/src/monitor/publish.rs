//! The tick thread's hand-over of each tick: events to the dispatcher and subscribers, the
//! view to listeners and the window. Runs on every tick: keep it cheap.

use super::state::lock;
use super::MonitorHandle;
use crate::api::{RuleStatus, TickView};
use crate::delivery::dispatch::Dispatcher;
use crate::sampler::Sampler;
use crate::tick::{Monitor, TickReport};
use lookout_core::Engine;
use std::sync::Arc;
use std::time::Duration;

/// How stale [`MonitorHandle::latest`] may get when nobody listens to ticks.
const VIEW_REFRESH: Duration = Duration::from_secs(1);

pub(super) fn publish(
    handle: &MonitorHandle,
    dispatch: &Dispatcher,
    monitor: &mut Monitor<Sampler>,
    report: TickReport,
    tick: u64,
) {
    let inner = &handle.inner;
    let changed = monitor.engine_mut().take_states_changed();
    let engine = monitor.engine();
    if !report.events.is_empty() {
        for e in &report.events {
            let value = e
                .value
                .map_or_else(|| "unknown".to_owned(), |v| format!("{v:.2}"));
            tracing::info!(rule = %e.rule, state = e.state.name(), tick, notify = e.notify, "{} {} = {value} ({} {})", e.aggregate, e.metric, e.op, e.threshold);
        }
        dispatch.send(report.events.clone(), engine);
        for event in &report.events {
            let _ = inner.events.send(event.clone());
        }
        // May wait for a slow `--events` reader: that output must not drop events.
        inner.feeds.send(&report.events);
    } else if changed {
        dispatch.send(Vec::new(), engine);
    }
    // Building the view costs allocations: do it for listeners, on changes, or once a second.
    let mut hooks = lock(&inner.tick_hooks);
    let listening = inner.ticks.receiver_count() > 0 || !hooks.is_empty();
    let mut live = lock(&inner.live);
    live.recent.record(report.at, &report.snapshot);
    let stale = live
        .latest
        .as_ref()
        .is_none_or(|l| report.at.since(l.at) >= VIEW_REFRESH);
    if !(listening || changed || stale) {
        return;
    }
    let view = Arc::new(TickView {
        at: report.at,
        values: report.snapshot,
        rules: rule_statuses(engine),
    });
    live.latest = Some(view.clone());
    drop(live);
    // A listener that panics must not take the tick loop with it: it is dropped instead.
    hooks.retain_mut(|hook| {
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hook(handle, &view)));
        if ran.is_err() {
            tracing::error!("a tick listener panicked; it no longer gets ticks");
        }
        ran.is_ok()
    });
    if inner.ticks.receiver_count() > 0 {
        let _ = inner.ticks.send(view);
    }
}

/// What front ends show of each enabled rule of `engine`.
pub fn rule_statuses(engine: &Engine) -> Vec<RuleStatus> {
    let now_snooze = engine.snooze();
    engine
        .states()
        .filter(|(rule, _)| rule.enabled)
        .map(|(rule, state)| RuleStatus {
            name: rule.name.clone(),
            metric: rule.metric.to_string(),
            severity: rule.severity,
            enabled: rule.enabled,
            phase: state.phase,
            value: state.last_value,
            coverage: state.last_coverage,
            snoozed_until: now_snooze
                .rules
                .get(&rule.name)
                .copied()
                .max(now_snooze.all_until),
        })
        .collect()
}
