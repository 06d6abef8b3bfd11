//! From alert transitions to the user: every event is logged with the alert states, and its
//! emails queued, in one SQLite transaction; then the desktop is told and the sender woken.
//! Runs off the tick loop, so a slow disk or channel never delays sampling.

use crate::clock::{host_name, wall_now};
use crate::daemon::{lock, MonitorHandle};
use crate::delivery::{desktop, message::render_alert_email};
use crate::outbox_sender::to_new_email;
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
pub(crate) struct Dispatcher {
    tx: mpsc::UnboundedSender<Job>,
}

impl Dispatcher {
    /// Starts the dispatcher; it ends once this queue is dropped and everything queued is written.
    pub(crate) fn start(handle: MonitorHandle, email_wake: Arc<Notify>) -> (Self, JoinHandle<()>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(handle, rx, email_wake));
        (Self { tx }, task)
    }

    /// Queues one tick's events with the states they left behind.
    pub(crate) fn send(&self, events: Vec<AlertEvent>, engine: &Engine) {
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

async fn run(handle: MonitorHandle, mut rx: mpsc::UnboundedReceiver<Job>, email_wake: Arc<Notify>) {
    let host = host_name();
    while let Some(job) = rx.recv().await {
        let Job { events, states } = job;
        let config = lock(&handle.inner.shared).config.clone();
        let emails: Vec<_> = events
            .iter()
            .map(|e| {
                wants(e, Channel::Email, config.email.enabled)
                    .then(|| render_alert_email(&config.email, e, &host))
            })
            .collect();
        let queued_email = emails.iter().any(Option::is_some);
        let store = handle.inner.store.clone();
        let to_log = events.clone();
        let written = tokio::task::spawn_blocking(move || {
            let now = wall_now();
            lock(&store).batch(|b| {
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
        let ids = match written {
            Ok(Ok(ids)) => ids,
            Ok(Err(e)) => {
                tracing::error!(error = %e, "cannot record alert events");
                vec![]
            }
            Err(e) => {
                tracing::error!(error = %e, "alert recording task failed");
                vec![]
            }
        };
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
            // Its own task: a hung notification server must not hold up the alert log.
            let handle = handle.clone();
            let host = host.clone();
            tokio::spawn(async move {
                for (id, event) in desktop {
                    let result = desktop::notify(&event, &host).await;
                    if let Err(e) = &result {
                        tracing::warn!(rule = %event.rule, error = %e, "desktop notification failed");
                    }
                    record_desktop(&handle, id, result.map_err(|e| e.to_string())).await;
                }
                handle.refresh_health().await;
            });
        }
    }
}

async fn record_desktop(handle: &MonitorHandle, event_id: Option<i64>, result: Result<(), String>) {
    let record = DeliveryRecord {
        at: wall_now(),
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
    let store = handle.inner.store.clone();
    let written = tokio::task::spawn_blocking(move || lock(&store).record_delivery(&record)).await;
    if let Ok(Err(e)) = written {
        tracing::error!(error = %e, "cannot record a desktop notification");
    }
}
