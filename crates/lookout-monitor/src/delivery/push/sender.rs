//! The push sender: delivers each push channel's messages from the outbox, oldest first and
//! one at a time per channel (channels side by side), with capped exponential backoff, the
//! service's `Retry-After` honoured, and the same expiry as email.

use super::payload::{Words, ALERTMANAGER_RESEND};
use super::send::{deliver, PushError};
use crate::delivery::desktop::{alert_words, test_words};
use crate::delivery::email::sender::{backoff, MAX_AGE};
use crate::delivery::DeliveryInputs;
use crate::store::{DeliveryOutcome, DeliveryRecord, PushMessage, PushPayload};
use crate::sys::secrets::{channel_secret, Secret, SecretError};
use crate::sys::{http, Shutdown};
use jiff::tz::TimeZone;
use lookout_core::config::{ChannelConfig, ChannelKind};
use lookout_core::rule::Channel;
use lookout_core::Timestamp;
use lookout_i18n::Language;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The longest the sender sleeps when nothing is due (a safety net: it is woken on queueing).
const IDLE_POLL: Duration = Duration::from_secs(60);
/// The shortest sleep, so a message that cannot be claimed never makes a busy loop.
const MIN_NAP: Duration = Duration::from_secs(1);
/// How long past its timeout a message may stay `sending` before it counts as stuck.
const STUCK_SLACK: Duration = Duration::from_secs(60);

/// Clients by (CA file, timeout): reading the system's roots once, not per message.
type Clients = HashMap<(Option<PathBuf>, Duration), reqwest::Client>;

/// Starts the sender; notify `wake` when a push message was queued or made due. It ends on
/// `shutdown`, after the sends in flight (each bounded by its channel's timeout).
pub fn start(inputs: DeliveryInputs, wake: Arc<Notify>, shutdown: Shutdown) -> JoinHandle<()> {
    tokio::spawn(run(inputs, wake, shutdown))
}

async fn run(inputs: DeliveryInputs, wake: Arc<Notify>, shutdown: Shutdown) {
    let mut clients = Clients::new();
    while !shutdown.is_triggered() {
        let channels: Vec<ChannelConfig> = inputs
            .config
            .borrow()
            .config
            .channels
            .iter()
            .filter(|c| c.enabled)
            .cloned()
            .collect();
        if channels.is_empty() {
            // Nothing to deliver until a channel is configured: no polling at all.
            let mut config = inputs.config.clone();
            config.borrow_and_update();
            tokio::select! {
                () = wake.notified() => {}
                changed = config.changed() => if changed.is_err() {
                    shutdown.triggered().await;
                    break;
                },
                () = shutdown.triggered() => break,
            }
            continue;
        }
        // Channels side by side; each one's messages in order.
        let sends: Vec<_> = channels
            .iter()
            .map(|channel| {
                let client = client_for(&mut clients, channel);
                drain(&inputs, channel, client, &shutdown)
            })
            .collect();
        futures_util::future::join_all(sends).await;
        inputs.refresh_health().await;
        let names: Vec<String> = channels.iter().map(|c| c.name.clone()).collect();
        let next = match inputs.store.call(move |s| s.next_push_due(&names)).await {
            Ok(next) => next,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the push outbox");
                None
            }
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

fn client_for(clients: &mut Clients, channel: &ChannelConfig) -> Result<reqwest::Client, String> {
    let key = (
        channel.ca_file.as_deref().map(PathBuf::from),
        channel.timeout_or_default(),
    );
    if let Some(client) = clients.get(&key) {
        return Ok(client.clone());
    }
    let client = http::client(key.0.as_deref(), key.1).map_err(|e| e.to_string())?;
    clients.insert(key, client.clone());
    Ok(client)
}

/// Sends `channel`'s due messages in order until one is not delivered (it waits, and the
/// later ones behind it) or none is due.
async fn drain(
    inputs: &DeliveryInputs,
    channel: &ChannelConfig,
    client: Result<reqwest::Client, String>,
    shutdown: &Shutdown,
) {
    while !shutdown.is_triggered() {
        let now = inputs.clock.now();
        let name = channel.name.clone();
        let stuck_after = channel.timeout_or_default() + STUCK_SLACK;
        let resends = channel.kind == ChannelKind::Alertmanager;
        let claimed = inputs
            .store
            .call(move |s| {
                s.batch(|b| {
                    if resends {
                        b.resend_firing(&name, now.minus(ALERTMANAGER_RESEND), now)?;
                    }
                    b.requeue_stuck_of(&name, now, stuck_after)?;
                    b.expire_older_than(MAX_AGE, now)?;
                    b.claim_push_head(&name, now)
                })
            })
            .await;
        let message = match claimed {
            Ok(Some(message)) => message,
            Ok(None) => return,
            Err(e) => return tracing::error!(error = %e, "cannot read the push outbox"),
        };
        let result = match &client {
            Ok(client) => send_one(channel, &message, client, now).await,
            Err(e) => Err(PushError {
                permanent: false,
                retry_after: None,
                message: format!("ca_file: {e}"),
            }),
        };
        let delivered = result.is_ok();
        record(inputs, &message, result).await;
        if !delivered {
            return;
        }
    }
}

/// One attempt at `message`, with the channel's secret read now (it may have been stored
/// since the message was queued).
pub async fn send_one(
    channel: &ChannelConfig,
    message: &PushMessage,
    client: &reqwest::Client,
    now: Timestamp,
) -> Result<String, PushError> {
    let for_secret = channel.clone();
    let optional = matches!(channel.kind, ChannelKind::Ntfy | ChannelKind::Alertmanager);
    let uses_secret = channel.kind.needs_secret() || channel.sign || optional;
    let lookup = move || {
        if !uses_secret {
            return Ok(None);
        }
        match channel_secret(&for_secret) {
            // An ntfy topic without a token is the common case: no keyring, no token.
            Err(SecretError::NoKeyring(_)) if optional => Ok(None),
            other => other,
        }
    };
    let secret: Option<Secret> = match tokio::task::spawn_blocking(lookup).await {
        Ok(Ok(secret)) => secret,
        Ok(Err(e)) => {
            return Err(PushError {
                permanent: false,
                retry_after: None,
                message: format!("cannot read the secret of channel '{}': {e}", channel.name),
            })
        }
        Err(e) => {
            return Err(PushError {
                permanent: false,
                retry_after: None,
                message: e.to_string(),
            })
        }
    };
    let words = words_of(&message.payload);
    deliver(channel, secret.as_ref(), message, &words, client, now).await
}

/// What a queued message says, in the language it was queued in.
fn words_of(payload: &PushPayload) -> Words {
    let lang = Language::from_locale(&payload.lang).unwrap_or(Language::En);
    let (title, body) = match &payload.event {
        Some(event) => alert_words(event, &payload.host, &TimeZone::system(), lang),
        None => test_words(&payload.host, lang),
    };
    Words { title, body }
}

/// A test message to `channel`, sent at once (not through the outbox): the service's answer,
/// or the exact error.
pub async fn send_test(
    channel: &ChannelConfig,
    host: &str,
    lang: Language,
    now: Timestamp,
) -> Result<String, PushError> {
    let client = http::client(
        channel.ca_file.as_deref().map(std::path::Path::new),
        channel.timeout_or_default(),
    )
    .map_err(|e| PushError {
        permanent: true,
        retry_after: None,
        message: format!("ca_file: {e}"),
    })?;
    let message = PushMessage {
        id: 0,
        channel: channel.name.clone(),
        created_at: now,
        event_id: None,
        payload: PushPayload {
            event: None,
            lang: lang.code().to_owned(),
            host: host.to_owned(),
            resend: false,
        },
        attempts: 1,
    };
    send_one(channel, &message, &client, now).await
}

/// Records an attempt's outcome in the outbox and the delivery log.
async fn record(inputs: &DeliveryInputs, message: &PushMessage, result: Result<String, PushError>) {
    let now = inputs.clock.now();
    let (outcome, detail, wait) = match &result {
        Ok(answer) => (DeliveryOutcome::Ok, answer.clone(), Duration::ZERO),
        Err(e) if e.permanent => (DeliveryOutcome::Failed, e.message.clone(), Duration::ZERO),
        Err(e) => {
            // The service's own word on when to come back wins over our backoff.
            let wait = e.retry_after.unwrap_or_else(|| backoff(message.attempts));
            (DeliveryOutcome::Retry, e.message.clone(), wait)
        }
    };
    match &result {
        Ok(_) => {
            tracing::info!(channel = %message.channel, id = message.id, "push message delivered")
        }
        Err(e) => tracing::warn!(
            channel = %message.channel,
            id = message.id,
            attempt = message.attempts,
            permanent = e.permanent,
            "push message not delivered: {}",
            e.message
        ),
    }
    let (id, event_id) = (message.id, message.event_id);
    let channel = Channel::named(&message.channel);
    let next = Timestamp::from_millis(now.as_millis() + lookout_core::time::duration_ms(wait));
    let record = DeliveryRecord {
        at: now,
        channel,
        event_id,
        outbox_id: Some(id),
        outcome,
        detail,
    };
    let written = inputs
        .store
        .call(move |s| s.batch(|b| b.finish_attempt(id, &record, next)))
        .await;
    if let Err(e) = written {
        tracing::error!(error = %e, "cannot record a push attempt");
    }
}
