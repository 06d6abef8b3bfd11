//! The email sender: takes due messages from the durable outbox, sends each with a bounded
//! timeout, and records the outcome; transient failures retry with capped exponential backoff.

use crate::delivery::email::channel::EmailChannel;
use crate::delivery::email::message::RenderedEmail;
use crate::delivery::email::send_error::{FailureCause, SendError};
use crate::delivery::DeliveryInputs;
use crate::store::{DeliveryOutcome, DeliveryRecord, NewEmail, OutboxEmail};
use crate::sys::secrets::smtp_password;
use crate::sys::server_trust::ServerTrust;
use crate::sys::Shutdown;
use lookout_core::config::EmailConfig;
use lookout_core::rule::Channel;
use lookout_core::Timestamp;
use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
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
/// How long past the send timeout a claimed message may stay `sending` before it counts as
/// stuck (its result was lost) and is requeued.
const STUCK_SLACK: Duration = Duration::from_secs(60);

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

/// How the sender reaches the mail server: SMTP ([`Smtp`]) in Lookout, a script in the tests
/// of retry and expiry, which run on paused time.
pub trait Transport: Send + Sync + 'static {
    /// One attempt to send `email` with the settings `cfg`; resolves with the server's answer.
    fn send(
        &self,
        cfg: &EmailConfig,
        email: &RenderedEmail,
    ) -> impl Future<Output = Result<String, SendError>> + Send;
}

/// Sends over SMTP with the password from the keyring or the password file, to a server the
/// user chose (see [`ServerTrust`]).
pub struct Smtp {
    trust: Arc<ServerTrust>,
}

impl Smtp {
    pub fn new(trust: Arc<ServerTrust>) -> Self {
        Self { trust }
    }
}

impl Transport for Smtp {
    async fn send(&self, cfg: &EmailConfig, email: &RenderedEmail) -> Result<String, SendError> {
        if cfg.login().is_some() {
            // Waits in the outbox (retried with backoff) until the user confirms the server.
            self.trust
                .check(cfg)
                .map_err(|e| SendError::transient(FailureCause::Config, e.to_string()))?;
        }
        let for_secret = cfg.clone();
        let password = match tokio::task::spawn_blocking(move || smtp_password(&for_secret)).await {
            Ok(Ok(password)) => password,
            Ok(Err(e)) => {
                return Err(SendError::transient(
                    FailureCause::Config,
                    format!("cannot read the SMTP password: {e}"),
                ))
            }
            Err(e) => return Err(SendError::transient(FailureCause::Config, e.to_string())),
        };
        let channel = EmailChannel::new(cfg, password)?.with_timeout(cfg.timeout_or_default());
        let accepted = channel.send(email).await?;
        Ok(format!("{} {}", accepted.code, accepted.reply))
    }
}

/// Starts the sender task; notify `wake` when a message was queued or made due. The task
/// ends on `shutdown`, after the send in flight (bounded by the email timeout): messages it had
/// claimed but not tried are put back, due at once.
pub fn start<T: Transport>(
    inputs: DeliveryInputs,
    transport: T,
    wake: Arc<Notify>,
    shutdown: Shutdown,
) -> JoinHandle<()> {
    tokio::spawn(run(inputs, transport, wake, shutdown))
}

async fn run<T: Transport>(
    inputs: DeliveryInputs,
    transport: T,
    wake: Arc<Notify>,
    shutdown: Shutdown,
) {
    // Messages the server accepted whose `sent` mark could not be written (a full disk): they
    // are never sent again while Lookout runs, only marked once the store takes writes.
    let mut delivered = HashSet::new();
    while !shutdown.is_triggered() {
        let enabled = inputs.config.borrow().config.email.enabled;
        let next = if enabled {
            send_due(&inputs, &transport, &shutdown, &mut delivered).await;
            next_due(&inputs).await
        } else {
            None
        };
        let nap = next.map_or(IDLE_POLL, |at| {
            inputs.clock.until(at).clamp(MIN_NAP, IDLE_POLL)
        });
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(nap) => {}
            () = shutdown.triggered() => break,
        }
    }
}

/// When the next pending message is due, if any.
async fn next_due(inputs: &DeliveryInputs) -> Option<Timestamp> {
    inputs
        .store
        .call(|s| s.next_pending_at())
        .await
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot read the email outbox");
            None
        })
}

async fn send_due<T: Transport>(
    inputs: &DeliveryInputs,
    transport: &T,
    shutdown: &Shutdown,
    delivered: &mut HashSet<i64>,
) {
    let now = inputs.clock.now();
    // A message still `sending` this long after its claim had its result lost.
    let stuck_after = inputs.config.borrow().config.email.timeout_or_default() + STUCK_SLACK;
    let claimed = inputs
        .store
        .call(move |s| {
            s.batch(|b| {
                let (requeued, failed) = b.requeue_stuck(now, stuck_after)?;
                if requeued + failed > 0 {
                    tracing::warn!(requeued, failed, "emails stuck while being sent");
                }
                b.expire_older_than(MAX_AGE, now)?;
                b.claim_due(now, 20)
            })
        })
        .await;
    let due = match claimed {
        Ok(due) => due,
        Err(e) => return tracing::error!(error = %e, "cannot read the email outbox"),
    };
    if due.is_empty() {
        return;
    }
    let config = inputs.config.borrow().config.email.clone();
    let was_failing = inputs.health.is_failing(&Channel::EMAIL);
    let mut unreachable: Option<String> = None;
    for email in due {
        let result = if delivered.contains(&email.id) {
            Ok("accepted earlier; recorded now".to_owned())
        } else if shutdown.is_triggered() {
            Err(SendError::transient(
                FailureCause::Connect,
                "not tried: Lookout was stopping".to_owned(),
            ))
        } else if let Some(reason) = &unreachable {
            // The server did not answer one message: do not wait on it for every other one.
            Err(SendError::transient(
                FailureCause::Connect,
                format!("not tried: {reason}"),
            ))
        } else {
            transport.send(&config, &to_rendered(&email.email)).await
        };
        if let Err(e) = &result {
            if matches!(e.cause(), FailureCause::Connect | FailureCause::Timeout)
                && unreachable.is_none()
            {
                unreachable = Some(e.message().to_owned());
            }
        }
        let accepted = result.is_ok();
        if record(inputs, &email, result).await {
            delivered.remove(&email.id);
        } else if accepted {
            delivered.insert(email.id);
        }
    }
    inputs.refresh_health().await;
    if !was_failing && inputs.health.is_failing(&Channel::EMAIL) {
        // A channel that cannot deliver must not fail silently: tell the user, once.
        let detail = inputs
            .health
            .last_error(&Channel::EMAIL)
            .unwrap_or_default();
        let notice = format!("Lookout cannot send alert email: {detail}");
        let lang = lookout_i18n::resolve_from_env(inputs.config.borrow().config.language);
        if let Err(e) = crate::delivery::desktop::notify_channel_failure(&notice, lang).await {
            tracing::warn!(error = %e, "cannot show the email failure on the desktop");
        }
    }
}

/// Records an attempt's outcome; `false` when it could not be written.
async fn record(
    inputs: &DeliveryInputs,
    email: &OutboxEmail,
    result: Result<String, SendError>,
) -> bool {
    let now = inputs.clock.now();
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
    let id = email.id;
    let event_id = email.email.event_id;
    let next = Timestamp::from_millis(
        now.as_millis() + lookout_core::time::duration_ms(backoff(email.attempts)),
    );
    let record = DeliveryRecord {
        at: now,
        channel: Channel::EMAIL,
        event_id,
        outbox_id: Some(id),
        outcome,
        detail,
    };
    let written = inputs
        .store
        .call(move |s| s.batch(|b| b.finish_attempt(id, &record, next)))
        .await;
    match written {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, "cannot record an email attempt");
            false
        }
    }
}
