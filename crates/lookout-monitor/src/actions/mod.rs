//! Rule actions: the commands a rule runs when it fires, reminds or resolves.
//!
//! The dispatcher hands each logged event to the [`ActionRunner`], a task of its own, so an
//! action never delays sampling or the alert log. Per rule and command: never two runs at
//! once; at most `max_runs` within `within`, after which Lookout gives up, raises one
//! critical `gave_up` alert and runs the command again only after the rule has resolved.
//! Every run goes to the alert log with its exit status and first 4 KiB of output.

mod checks;
pub mod command;
pub mod words;

pub use checks::{keep_file_actions, program_errors};

use crate::delivery::desktop;
use crate::store::{ActionRun, StoreHandle};
use crate::sys::Clock;
use lookout_core::config::Action;
use lookout_core::metric::MetricFamily;
use lookout_core::{AlertEvent, EventKind, GaveUp, Severity, Timestamp, ValidConfig};
use lookout_i18n::Language;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, watch};

/// Where `gave_up` alerts go: back into the dispatcher, like any alert.
pub trait AlertSink: Send + 'static {
    /// Queues `events`; false when the dispatcher has stopped.
    fn raise(&self, events: Vec<AlertEvent>) -> bool;
}

/// What the runner is handed.
pub struct ActionInputs {
    pub store: StoreHandle,
    pub config: watch::Receiver<Arc<ValidConfig>>,
    pub clock: Clock,
}

/// One logged event handed to the runner.
struct Trigger {
    /// Its row in the alert log, when it could be written.
    event_id: Option<i64>,
    event: AlertEvent,
    /// Whether the event went to the desktop, so that how its actions went goes there too.
    tell_desktop: bool,
}

/// The dispatcher's side of the runner's queue.
pub struct ActionRunner {
    tx: mpsc::UnboundedSender<Trigger>,
}

impl ActionRunner {
    /// Starts the runner; it ends when this handle is dropped (runs in progress finish on
    /// their own and are still logged while the runtime lives).
    pub fn start(inputs: ActionInputs, sink: impl AlertSink) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(inputs, rx, sink));
        Self { tx }
    }

    /// Hands over an event written to the alert log as `event_id` (`None` when it could not
    /// be written yet). With `tell_desktop`, each run of its actions is announced on the
    /// desktop when it ends.
    pub fn send(&self, event_id: Option<i64>, event: AlertEvent, tell_desktop: bool) {
        let _ = self.tx.send(Trigger {
            event_id,
            event,
            tell_desktop,
        });
    }
}

/// What one rule's command has done lately.
#[derive(Debug, Default)]
pub struct Slot {
    running: bool,
    /// When each counted run started, oldest first.
    runs: VecDeque<Timestamp>,
    gave_up: bool,
}

/// What to do about one trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Run,
    /// The previous run is still going: this trigger is skipped.
    Busy,
    /// The cap is reached now: raise the give-up alert (once).
    GiveUp,
    /// Given up earlier: nothing until the rule resolves.
    Silenced,
}

impl Slot {
    /// Decides about a trigger at `now` and, for [`Decision::Run`], counts the run.
    pub fn decide(&mut self, action: &Action, now: Timestamp) -> Decision {
        if self.gave_up {
            return Decision::Silenced;
        }
        if self.running {
            return Decision::Busy;
        }
        if let Some(within) = action.within {
            while self.runs.front().is_some_and(|at| now.since(*at) > within) {
                self.runs.pop_front();
            }
        }
        if let Some(max) = action.max_runs {
            if self.runs.len() >= max as usize {
                self.gave_up = true;
                return Decision::GiveUp;
            }
        }
        self.running = true;
        self.runs.push_back(now);
        Decision::Run
    }

    /// The rule resolved: after a give-up, the count starts over.
    pub fn resolved(&mut self) {
        if self.gave_up {
            self.gave_up = false;
            self.runs.clear();
        }
    }

    pub fn finished(&mut self) {
        self.running = false;
    }

    pub fn runs(&self) -> usize {
        self.runs.len()
    }
}

type Slots = Arc<Mutex<HashMap<(String, Vec<String>), Slot>>>;

fn lock(slots: &Slots) -> std::sync::MutexGuard<'_, HashMap<(String, Vec<String>), Slot>> {
    slots
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn run(inputs: ActionInputs, mut rx: mpsc::UnboundedReceiver<Trigger>, sink: impl AlertSink) {
    let slots: Slots = Arc::default();
    while let Some(Trigger {
        event_id,
        event,
        tell_desktop,
    }) = rx.recv().await
    {
        let config = inputs.config.borrow().clone();
        let Some(actions) = config.actions.get(&event.rule) else {
            continue;
        };
        let now = inputs.clock.now();
        let tell = tell_desktop.then(|| lookout_i18n::resolve_from_env(config.config.language));
        let mut give_ups = Vec::new();
        for (index, action) in actions.iter().enumerate() {
            let key = (event.rule.clone(), action.run.clone());
            let decision = {
                let mut slots = lock(&slots);
                let slot = slots.entry(key.clone()).or_default();
                if event.state == EventKind::Resolved {
                    slot.resolved();
                }
                if !action.on.contains(&event.state) {
                    continue;
                }
                let decision = slot.decide(action, now);
                (decision, slot.runs())
            };
            match decision {
                (Decision::Run, _) => {
                    let (inputs, slots) = (run_inputs(&inputs, tell), slots.clone());
                    let (event, action) = (event.clone(), action.clone());
                    tokio::spawn(async move {
                        run_one(&inputs, event_id, &event, index, &action).await;
                        if let Some(slot) = lock(&slots).get_mut(&key) {
                            slot.finished();
                        }
                    });
                }
                (Decision::Busy, _) => {
                    tracing::info!(rule = %event.rule, command = ?action.run, "the action is still running from before; not started again");
                }
                (Decision::GiveUp, runs) => {
                    tracing::warn!(rule = %event.rule, command = ?action.run, runs, "gave up running the action until the rule resolves");
                    give_ups.push(give_up_event(&event, action, runs, now));
                }
                (Decision::Silenced, _) => {}
            }
        }
        if !give_ups.is_empty() && !sink.raise(give_ups) {
            tracing::error!(rule = %event.rule, "cannot raise the give-up alert: Lookout is stopping");
        }
    }
}

/// What a run task needs: the store, the clock, and the language to announce the run in on
/// the desktop (`None`: not announced).
struct RunInputs {
    store: StoreHandle,
    clock: Clock,
    tell: Option<Language>,
}

fn run_inputs(inputs: &ActionInputs, tell: Option<Language>) -> RunInputs {
    RunInputs {
        store: inputs.store.clone(),
        clock: inputs.clock.clone(),
        tell,
    }
}

async fn run_one(
    inputs: &RunInputs,
    event_id: Option<i64>,
    event: &AlertEvent,
    index: usize,
    action: &Action,
) {
    let started = inputs.clock.now();
    let done = command::run(&action.run, &environment(event), action.timeout).await;
    let run = ActionRun {
        rule: event.rule.clone(),
        action: u32::try_from(index).unwrap_or(u32::MAX),
        command: action.run.clone(),
        trigger: event.state,
        started,
        finished: inputs.clock.now(),
        outcome: done.outcome,
        output: done.output,
        truncated: done.truncated,
    };
    tracing::info!(rule = %run.rule, command = ?run.command, outcome = ?run.outcome, "an action ran");
    let notice = inputs.tell.map(|lang| words::run_notice(&run, lang));
    if let Err(e) = inputs
        .store
        .call(move |s| s.record_action_run(event_id, &run))
        .await
    {
        tracing::error!(error = %e, "cannot record an action run");
    }
    // Shown on its own: a hung notification server must not hold the command's slot.
    if let Some(notice) = notice {
        tokio::spawn(async move {
            if let Err(e) = desktop::show(&notice).await {
                tracing::warn!(error = %e, "cannot announce an action run on the desktop");
            }
        });
    }
}

/// The variables an action finds describing its alert.
pub fn environment(event: &AlertEvent) -> Vec<(String, String)> {
    let app = match event.metric.family() {
        MetricFamily::App { app, .. } => app,
        _ => String::new(),
    };
    [
        ("LOOKOUT_RULE", event.rule.clone()),
        ("LOOKOUT_STATE", event.state.name().to_owned()),
        (
            "LOOKOUT_VALUE",
            event.value.map_or_else(String::new, |v| v.to_string()),
        ),
        ("LOOKOUT_METRIC", event.metric.as_str().to_owned()),
        ("LOOKOUT_SEVERITY", event.severity.to_string()),
        ("LOOKOUT_APP", app),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The critical alert that says Lookout stopped running `action` after `runs` runs.
fn give_up_event(event: &AlertEvent, action: &Action, runs: usize, now: Timestamp) -> AlertEvent {
    AlertEvent {
        state: EventKind::GaveUp,
        severity: Severity::Critical,
        at: now,
        notify: true,
        culprits: Vec::new(),
        gave_up: Some(GaveUp {
            command: action.run.clone(),
            runs: u32::try_from(runs).unwrap_or(u32::MAX),
            within: action
                .within
                .map(|d| humantime::format_duration(d).to_string()),
        }),
        ..event.clone()
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
