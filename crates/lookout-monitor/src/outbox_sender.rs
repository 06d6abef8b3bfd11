//! The email sender: takes due messages from the durable outbox, sends each with a bounded
//! timeout, and records the outcome; transient failures retry with capped exponential backoff.

use crate::clock::wall_now;
use crate::daemon::{lock, MonitorHandle};
use crate::delivery::email::EmailChannel;
use crate::delivery::message::RenderedEmail;
use crate::delivery::send_error::{FailureCause, SendError};
use crate::secrets::smtp_password;
use crate::store::{DeliveryOutcome, DeliveryRecord, NewEmail, OutboxEmail};
use lookout_core::rule::Channel;
use lookout_core::Timestamp;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

/// First retry delay; doubled per attempt up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::from_secs(5);
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// A message still undelivered after this long is given up (and shown as failed).
pub const MAX_AGE: Duration = Duration::from_secs(24 * 3600);
/// The longest the sender sleeps: it is woken when a message is queued and sleeps until the next
/// retry is due, so this is only a safety net (a wall clock that jumped, a machine that slept).
const IDLE_POLL: Duration = Duration::from_secs(60);
/// The shortest sleep: a message the sender could not claim (the database refused) stays due,
/// and must not turn the loop into a busy one.
const MIN_NAP: Duration = Duration::from_secs(1);

pub fn backoff(attempts: u32) -> Duration {
    let exp = attempts.saturating_sub(1).min(16);
    FIRST_BACKOFF.saturating_mul(1 << exp).min(MAX_BACKOFF)
}

pub fn to_new_email(email: RenderedEmail, event_id: Option<i64>) -> NewEmail {
    NewEmail {
        event_id,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: Some(email.html),
        from: email.from,
        message_id: email.message_id,
        date: email.date,
    }
}

fn to_rendered(email: &NewEmail) -> RenderedEmail {
    RenderedEmail {
        from: email.from.clone(),
        to: email.to.clone(),
        subject: email.subject.clone(),
        text: email.text.clone(),
        html: email.html.clone().unwrap_or_default(),
        message_id: email.message_id.clone(),
        date: email.date,
    }
}

/// Starts the sender task; notify the returned handle when a message was queued. The task
/// ends when `stop` turns true (a send in flight is abandoned: its row is sent again later).
pub(crate) fn start(
    handle: MonitorHandle,
    stop: watch::Receiver<bool>,
) -> (Arc<Notify>, JoinHandle<()>) {
    let wake = Arc::new(Notify::new());
    let task = tokio::spawn(run(handle, wake.clone(), stop));
    (wake, task)
}

async fn run(handle: MonitorHandle, wake: Arc<Notify>, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        let enabled = lock(&handle.inner.shared).config.email.enabled;
        let next = tokio::select! {
            next = async {
                if enabled {
                    send_due(&handle).await;
                    next_due(&handle).await
                } else {
                    None
                }
            } => next,
            _ = stop.changed() => break,
        };
        let nap = next.map_or(IDLE_POLL, |at| {
            let wait = at.as_millis().saturating_sub(wall_now().as_millis());
            Duration::from_millis(u64::try_from(wait).unwrap_or(0)).clamp(MIN_NAP, IDLE_POLL)
        });
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(nap) => {}
            _ = stop.changed() => break,
        }
    }
}

/// When the next pending message is due, if any.
async fn next_due(handle: &MonitorHandle) -> Option<Timestamp> {
    let store = handle.inner.store.clone();
    match tokio::task::spawn_blocking(move || lock(&store).next_pending_at()).await {
        Ok(Ok(next)) => next,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "cannot read the email outbox");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, "outbox task failed");
            None
        }
    }
}

async fn send_due(handle: &MonitorHandle) {
    let store = handle.inner.store.clone();
    let now = wall_now();
    let claimed = tokio::task::spawn_blocking(move || {
        lock(&store).batch(|b| {
            b.expire_older_than(MAX_AGE, now)?;
            b.claim_due(now, 20)
        })
    })
    .await;
    let due = match claimed {
        Ok(Ok(due)) => due,
        Ok(Err(e)) => return tracing::error!(error = %e, "cannot read the email outbox"),
        Err(e) => return tracing::error!(error = %e, "outbox task failed"),
    };
    if due.is_empty() {
        return;
    }
    let config = lock(&handle.inner.shared).config.email.clone();
    let channel = {
        let cfg = config.clone();
        match tokio::task::spawn_blocking(move || smtp_password(&cfg)).await {
            Ok(Ok(password)) => EmailChannel::new(&config, password)
                .map(|c| c.with_timeout(config.timeout_or_default())),
            Ok(Err(e)) => Err(SendError::transient(
                FailureCause::Config,
                format!("cannot read the SMTP password: {e}"),
            )),
            Err(e) => Err(SendError::transient(FailureCause::Config, e.to_string())),
        }
    };
    let was_failing = email_failing(handle);
    let mut unreachable: Option<String> = None;
    for email in due {
        let result = match (&channel, &unreachable) {
            // The server did not answer one message: do not wait on it for every other one.
            (_, Some(reason)) => Err(SendError::transient(
                FailureCause::Connect,
                format!("not tried: {reason}"),
            )),
            (Ok(channel), None) => channel
                .send(&to_rendered(&email.email))
                .await
                .map(|a| format!("{} {}", a.code, a.reply)),
            (Err(e), None) => Err(e.clone()),
        };
        if let Err(e) = &result {
            if matches!(e.cause(), FailureCause::Connect | FailureCause::Timeout)
                && unreachable.is_none()
            {
                unreachable = Some(e.message().to_owned());
            }
        }
        record(handle, &email, result).await;
    }
    handle.refresh_health().await;
    if !was_failing && email_failing(handle) {
        // A channel that cannot deliver must not fail silently: tell the user, once.
        let detail = lock(&handle.inner.shared)
            .health
            .iter()
            .find(|h| h.channel == Channel::Email)
            .and_then(|h| h.last_error.clone())
            .unwrap_or_default();
        let notice = format!("Lookout cannot send alert email: {detail}");
        if let Err(e) = crate::delivery::desktop::notify_channel_failure(&notice).await {
            tracing::warn!(error = %e, "cannot show the email failure on the desktop");
        }
    }
}

async fn record(handle: &MonitorHandle, email: &OutboxEmail, result: Result<String, SendError>) {
    let now = wall_now();
    let (outcome, detail) = match &result {
        Ok(reply) => (DeliveryOutcome::Ok, format!("accepted: {reply}")),
        // A settings problem (e.g. no password stored yet) is fixed by the user, not by time:
        // keep the message so it goes out once the settings are right.
        Err(e) if e.is_permanent() && e.cause() != FailureCause::Config => {
            (DeliveryOutcome::Failed, e.message().to_owned())
        }
        Err(e) => (DeliveryOutcome::Retry, e.message().to_owned()),
    };
    match &result {
        Ok(_) => tracing::info!(id = email.id, "email delivered"),
        Err(e) => tracing::warn!(
            id = email.id,
            attempt = email.attempts,
            permanent = e.is_permanent(),
            "email not delivered: {}",
            e.message()
        ),
    }
    let store = handle.inner.store.clone();
    let id = email.id;
    let event_id = email.email.event_id;
    let next = Timestamp::from_millis(
        now.as_millis() + lookout_core::time::duration_ms(backoff(email.attempts)),
    );
    let detail_for_log = detail.clone();
    let written = tokio::task::spawn_blocking(move || {
        lock(&store).batch(|b| {
            match outcome {
                DeliveryOutcome::Ok => b.mark_sent(id, now)?,
                DeliveryOutcome::Failed => b.mark_failed(id, &detail_for_log)?,
                DeliveryOutcome::Retry => b.mark_retry(id, next, &detail_for_log)?,
            }
            b.record_delivery(&DeliveryRecord {
                at: now,
                channel: Channel::Email,
                event_id,
                outbox_id: Some(id),
                outcome,
                detail: detail_for_log.clone(),
            })?;
            Ok(())
        })
    })
    .await;
    if let Ok(Err(e)) = written {
        tracing::error!(error = %e, "cannot record an email attempt");
    }
}

fn email_failing(handle: &MonitorHandle) -> bool {
    lock(&handle.inner.shared)
        .health
        .iter()
        .any(|h| h.channel == Channel::Email && h.is_failing())
}
