//! From alert transitions to the user: every event is logged with the alert states, and its
//! emails queued, in one SQLite transaction; then the desktop is told and the sender woken.
//! Runs off the tick loop, so a slow disk or channel never delays sampling.

use crate::delivery::email::message::render_alert_email;
use crate::delivery::email::sender::to_new_email;
use crate::delivery::{desktop, DeliveryInputs};
use crate::store::{DeliveryOutcome, DeliveryRecord};
use lookout_core::rule::Channel;
use lookout_core::{AlertEvent, AlertState, Engine};
use std::sync::Arc;
use tokio::sync::{mpsc, Notify};
use tokio::task::JoinHandle;

/// One tick's events with the rule states they left behind.
struct Job {
    events: Vec<AlertEvent>,
    states: Vec<(String, AlertState)>,
}

/// The tick loop's side of the dispatch queue (unbounded: events are rare, and none may drop).
pub struct Dispatcher {
    tx: mpsc::UnboundedSender<Job>,
}

impl Dispatcher {
    /// Starts the dispatcher. It has no shutdown of its own: the tick loop, its only producer,
    /// stops on the monitor's shutdown signal and drops this queue, and the task then writes
    /// everything still queued, shows the notifications due, and ends. Nothing queued is lost.
    pub fn start(inputs: DeliveryInputs, email_wake: Arc<Notify>) -> (Self, JoinHandle<()>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(inputs, rx, email_wake));
        (Self { tx }, task)
    }

    /// Queues one tick's events with the states they left behind.
    pub fn send(&self, events: Vec<AlertEvent>, engine: &Engine) {
        let states = engine
            .states()
            .map(|(rule, state)| (rule.name.clone(), *state))
            .collect();
        let _ = self.tx.send(Job { events, states });
    }
}

/// Whether `event` goes to `channel` under the current settings.
fn wants(event: &AlertEvent, channel: Channel, enabled: bool) -> bool {
    enabled && event.notify && (event.channels.is_empty() || event.channels.contains(&channel))
}

async fn run(
    inputs: DeliveryInputs,
    mut rx: mpsc::UnboundedReceiver<Job>,
    email_wake: Arc<Notify>,
) {
    // Notifications are shown in order by a task of their own: a hung notification server
    // must not hold up the alert log. It ends after this task drops its queue.
    let (desktop_tx, desktop_rx) = mpsc::unbounded_channel();
    let shower = tokio::spawn(show_desktop(inputs.clone(), desktop_rx));
    while let Some(job) = rx.recv().await {
        let Job { events, states } = job;
        let config = inputs.config.borrow().config.clone();
        let emails: Vec<_> = events
            .iter()
            .map(|e| {
                wants(e, Channel::Email, config.email.enabled)
                    .then(|| render_alert_email(&config.email, e, &inputs.host))
            })
            .collect();
        let queued_email = emails.iter().any(Option::is_some);
        let to_log = events.clone();
        let now = inputs.clock.now();
        let written = inputs
            .store
            .call(move |store| {
                store.batch(|b| {
                    let mut ids = Vec::with_capacity(to_log.len());
                    for (event, email) in to_log.iter().zip(emails) {
                        let id = b.record_event(event)?;
                        if let Some(email) = email {
                            b.enqueue(&to_new_email(email, Some(id)), now)?;
                        }
                        ids.push(id);
                    }
                    b.save_states(&states)?;
                    Ok(ids)
                })
            })
            .await;
        let ids = written.unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot record alert events");
            vec![]
        });
        if queued_email {
            email_wake.notify_one();
        }
        let desktop: Vec<(Option<i64>, AlertEvent)> = events
            .into_iter()
            .enumerate()
            .filter(|(_, e)| wants(e, Channel::Desktop, config.desktop.enabled))
            .map(|(i, e)| (ids.get(i).copied(), e))
            .collect();
        if !desktop.is_empty() {
            let _ = desktop_tx.send(desktop);
        }
    }
    drop(desktop_tx);
    let _ = shower.await;
}

async fn show_desktop(
    inputs: DeliveryInputs,
    mut rx: mpsc::UnboundedReceiver<Vec<(Option<i64>, AlertEvent)>>,
) {
    while let Some(batch) = rx.recv().await {
        for (id, event) in batch {
            let result = desktop::notify(&event, &inputs.host).await;
            if let Err(e) = &result {
                tracing::warn!(rule = %event.rule, error = %e, "desktop notification failed");
            }
            record_desktop(&inputs, id, result.map_err(|e| e.to_string())).await;
        }
        inputs.health.refresh(&inputs.store).await;
    }
}

async fn record_desktop(
    inputs: &DeliveryInputs,
    event_id: Option<i64>,
    result: Result<(), String>,
) {
    let record = DeliveryRecord {
        at: inputs.clock.now(),
        channel: Channel::Desktop,
        event_id,
        outbox_id: None,
        outcome: if result.is_ok() {
            DeliveryOutcome::Ok
        } else {
            DeliveryOutcome::Failed
        },
        detail: result.err().unwrap_or_else(|| "shown".to_owned()),
    };
    if let Err(e) = inputs.store.call(move |s| s.record_delivery(&record)).await {
        tracing::error!(error = %e, "cannot record a desktop notification");
    }
}
