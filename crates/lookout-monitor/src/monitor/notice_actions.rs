//! What a button pressed on an alert notification does: "Snooze 1 h" silences that rule for an
//! hour (kept across restarts, as a pause is), and "Open" asks the front end that listens (the
//! tray) to show that alert in its window.

use super::state::{lock, NoticeOpen};
use super::MonitorHandle;
use crate::api::{ApiError, ErrorCode};
use crate::delivery::notice_bus::NoticeAction;
use crate::sys::Shutdown;
use crate::tick::MonitorCommand;
use lookout_core::Timestamp;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// How long "Snooze" silences a rule.
pub const SNOOZE_FOR: Duration = Duration::from_secs(3600);

impl MonitorHandle {
    /// Silences one rule's notifications until `until` (its state is still tracked).
    pub async fn snooze_rule(&self, rule: String, until: Timestamp) -> Result<(), ApiError> {
        if !self.valid_config().rules.iter().any(|r| r.name == rule) {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                "no rule has that name",
            ));
        }
        self.command(MonitorCommand::Snooze {
            rule: Some(rule.clone()),
            until,
        })?;
        let snooze = {
            let mut snooze = lock(&self.inner.snooze);
            snooze.snooze_rule(&rule, until);
            snooze.clone()
        };
        self.inner
            .store
            .call(move |s| s.save_snooze(&snooze))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Store, e.to_string()))
    }

    /// "Open" presses on alert notifications. Subscribing offers the button from now on: a
    /// monitor without a window (`lookout run`) shows only "Snooze 1 h".
    pub fn subscribe_opens(&self) -> broadcast::Receiver<NoticeOpen> {
        self.inner.notices.offer_open();
        self.inner.opens.subscribe()
    }
}

/// Applies presses until shutdown, then waits for the bus's listeners.
pub(super) async fn run(
    handle: MonitorHandle,
    mut pressed: mpsc::UnboundedReceiver<NoticeAction>,
    shutdown: Shutdown,
) {
    loop {
        let action = tokio::select! {
            () = shutdown.triggered() => break,
            action = pressed.recv() => action,
        };
        match action {
            None => break,
            Some(NoticeAction::Snooze { rule }) => {
                let until = handle.inner.clock.now().plus(SNOOZE_FOR);
                match handle.snooze_rule(rule.clone(), until).await {
                    Ok(()) => tracing::info!(%rule, "snoozed for an hour from its notification"),
                    Err(e) => {
                        tracing::warn!(%rule, error = %e, "cannot snooze from the notification")
                    }
                }
            }
            Some(NoticeAction::Open { event_id, rule }) => {
                let _ = handle.inner.opens.send(NoticeOpen { event_id, rule });
            }
        }
    }
    handle.inner.notices.join().await;
}
