//! From alert transitions to the user: every event is logged with the alert states in one
//! SQLite transaction, emails are queued in the same transaction, then channels are told.
//! Runs off the tick loop, so a slow disk or channel never delays sampling.

use crate::daemon::{lock, MonitorHandle};
use lookout_core::{AlertEvent, AlertState, Engine};
use tokio::sync::{mpsc, oneshot};

enum Job {
    Events { events: Vec<AlertEvent>, states: Vec<(String, AlertState)> },
    Flush(oneshot::Sender<()>),
}

/// The tick loop's side of the dispatch queue (unbounded: events are rare, and none may drop).
pub(crate) struct Dispatcher {
    tx: mpsc::UnboundedSender<Job>,
}

impl Dispatcher {
    pub(crate) fn start(handle: MonitorHandle) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(handle, rx));
        Self { tx }
    }

    /// Queues one tick's events with the states they left behind.
    pub(crate) fn send(&self, events: Vec<AlertEvent>, engine: &Engine) {
        let states = engine.states().map(|(rule, state)| (rule.name.clone(), *state)).collect();
        let _ = self.tx.send(Job::Events { events, states });
    }

    /// Waits until everything queued so far is written.
    pub(crate) async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Job::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

async fn run(handle: MonitorHandle, mut rx: mpsc::UnboundedReceiver<Job>) {
    while let Some(job) = rx.recv().await {
        match job {
            Job::Flush(done) => {
                let _ = done.send(());
            }
            Job::Events { events, states } => {
                let store = handle.inner.store.clone();
                let to_log = events.clone();
                let written = tokio::task::spawn_blocking(move || {
                    lock(&store).batch(|b| {
                        let mut ids = Vec::with_capacity(to_log.len());
                        for event in &to_log {
                            ids.push(b.record_event(event)?);
                        }
                        b.save_states(&states)?;
                        Ok(ids)
                    })
                })
                .await;
                match written {
                    Ok(Ok(_ids)) => {}
                    Ok(Err(e)) => tracing::error!(error = %e, "cannot record alert events"),
                    Err(e) => tracing::error!(error = %e, "alert recording task failed"),
                }
            }
        }
    }
}
