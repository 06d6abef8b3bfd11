//! The tick thread: runs the tick loop, and when the loop dies of a bug (a panic) never goes
//! quiet about it: the failure is published ([`MonitorHandle::tick_failure`]) and, for the
//! tray, the loop starts again on a fresh monitor; `lookout run` exits instead.

use super::publish;
use super::state::lock;
use super::MonitorHandle;
use crate::api::TickFailure;
use crate::delivery::dispatch::Dispatcher;
use crate::history::recorder::HistoryTx;
use crate::sampler::Sampler;
use crate::sys::{Clock, Shutdown};
use crate::tick::{run_loop, LoopInput, Monitor};
use std::any::Any;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// A failure injected on purpose at this tick (for the tests of this very path).
pub const FAIL_AT_TICK_ENV: &str = "LOOKOUT_FAIL_AT_TICK";
/// More restarts than this within [`RESTART_WINDOW`] and the loop stays down: a bug that
/// strikes every tick must not spin.
const MAX_RESTARTS: usize = 5;
const RESTART_WINDOW: Duration = Duration::from_secs(600);

/// What the tick thread owns.
pub(super) struct TickThread {
    pub monitor: Monitor<Sampler>,
    pub commands: Receiver<LoopInput>,
    pub handle: MonitorHandle,
    pub dispatch: Dispatcher,
    /// Where each tick's readings go to be recorded; dropped with the thread, which ends the
    /// recorder once it has written them.
    pub history: HistoryTx,
    pub clock: Clock,
    pub shutdown: Shutdown,
    /// Start the loop again after a failure (the tray), or stay down (`lookout run`).
    pub restart: bool,
}

impl TickThread {
    pub fn run(mut self) {
        let fail_at = std::env::var(FAIL_AT_TICK_ENV)
            .ok()
            .and_then(|v| v.parse::<u64>().ok());
        let mut tick: u64 = 0;
        let mut restarts: Vec<Instant> = Vec::new();
        loop {
            let (handle, dispatch, clock) = (&self.handle, &self.dispatch, &self.clock);
            let history = &mut self.history;
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                run_loop(
                    &mut self.monitor,
                    &self.commands,
                    || clock.now(),
                    &self.shutdown,
                    |monitor, report| {
                        tick += 1;
                        if fail_at == Some(tick) {
                            panic!("a failure injected at tick {tick} by {FAIL_AT_TICK_ENV}");
                        }
                        if monitor.records_history() {
                            history.record(report.at, &report.snapshot);
                        }
                        publish::publish(handle, dispatch, monitor, report, tick);
                        ControlFlow::Continue(())
                    },
                );
            }));
            let Err(payload) = outcome else { break };
            let message = panic_message(payload.as_ref());
            restarts.retain(|at| at.elapsed() < RESTART_WINDOW);
            let restart =
                self.restart && !self.shutdown.is_triggered() && restarts.len() < MAX_RESTARTS;
            tracing::error!(%message, restart, "the tick loop failed");
            self.handle
                .inner
                .tick_failure
                .send_replace(Some(TickFailure {
                    at: self.clock.now(),
                    message,
                    restarted: restart,
                }));
            if !restart {
                break;
            }
            restarts.push(Instant::now());
            self.monitor = self.fresh_monitor();
        }
        // The dispatcher and the recorder write what is queued, then end.
        drop(self.dispatch);
        drop(self.history);
        let inner = &self.handle.inner;
        // Listeners may hold handles to the monitor (a GUI's state does): let them go.
        inner.clear_tick_hooks();
        // Event readers drain what is queued, then see the end.
        inner.feeds.close();
    }

    /// A monitor rebuilt from the config in force, the rule states the failed one held (the
    /// newest: the store may not have them yet, e.g. on a full disk) and the snooze.
    fn fresh_monitor(&self) -> Monitor<Sampler> {
        let valid = self.handle.valid_config();
        let mut monitor = Monitor::new(&valid, Sampler::new(&super::rule_needs(&valid)));
        let states: Vec<_> = self
            .monitor
            .engine()
            .states()
            .map(|(rule, state)| (rule.name.clone(), *state))
            .collect();
        for (rule, state) in states {
            monitor.engine_mut().restore_state(&rule, state);
        }
        *monitor.engine_mut().snooze_mut() = lock(&self.handle.inner.snooze).clone();
        monitor
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an unknown panic".to_owned())
}
