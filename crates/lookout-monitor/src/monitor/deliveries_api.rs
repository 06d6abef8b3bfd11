//! What the window's delivery log and settings ask of a running monitor: the attempts and the
//! email still waiting, "send now" for a waiting message, and the disk the database uses.

use super::MonitorHandle;
use crate::api::{ApiError, ErrorCode};
use crate::store::{DeliveryOutcome, DiskUse, LoggedDelivery, OutboxEmail, OutboxStatus};
use lookout_core::rule::Channel;
use lookout_core::Timestamp;
use serde::Serialize;
use ts_rs::TS;

/// The most attempts one delivery log answer holds.
pub const MAX_DELIVERIES: usize = 1000;
/// The most waiting messages one answer lists (a working outbox holds a handful).
const MAX_WAITING: usize = 500;

/// One attempt to deliver something on a channel.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DeliveryAttempt {
    #[ts(type = "number")]
    pub id: i64,
    pub at: Timestamp,
    pub channel: Channel,
    /// The alert log entry delivered; null for a test message.
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    /// The outbox message, for email attempts.
    #[ts(type = "number | null")]
    pub outbox_id: Option<i64>,
    pub outcome: DeliveryOutcome,
    /// What happened, in words: the server's answer or the error.
    pub detail: String,
}

/// An email in the outbox, without its body.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OutboxMessage {
    #[ts(type = "number")]
    pub id: i64,
    pub created_at: Timestamp,
    /// The alert log entry it announces; null for a test email.
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    pub subject: String,
    pub recipients: Vec<String>,
    /// Attempts started so far.
    pub attempts: u32,
    pub next_attempt_at: Timestamp,
    pub status: OutboxStatus,
    pub last_error: Option<String>,
    pub sent_at: Option<Timestamp>,
}

/// The window's delivery log: recent attempts, and the email still waiting to go.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DeliveryLog {
    /// Every attempt on every channel, newest first.
    pub attempts: Vec<DeliveryAttempt>,
    /// Messages not delivered yet (pending or being sent), next attempt first.
    pub waiting: Vec<OutboxMessage>,
}

/// The disk Lookout's database uses now.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StorageUsage {
    /// The database file with its write-ahead log, in bytes.
    #[ts(type = "number")]
    pub database_bytes: u64,
    /// The part of it the history tiers hold, in bytes (their packed readings).
    #[ts(type = "number")]
    pub history_bytes: u64,
    /// The start of the oldest stored bucket of readings, in any tier (to the quarter hour).
    pub history_since: Option<Timestamp>,
}

impl From<LoggedDelivery> for DeliveryAttempt {
    fn from(d: LoggedDelivery) -> Self {
        Self {
            id: d.id,
            at: d.record.at,
            channel: d.record.channel,
            event_id: d.record.event_id,
            outbox_id: d.record.outbox_id,
            outcome: d.record.outcome,
            detail: d.record.detail,
        }
    }
}

impl From<OutboxEmail> for OutboxMessage {
    fn from(m: OutboxEmail) -> Self {
        Self {
            id: m.id,
            created_at: m.created_at,
            event_id: m.email.event_id,
            subject: m.email.subject,
            recipients: m.email.to,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            status: m.status,
            last_error: m.last_error,
            sent_at: m.sent_at,
        }
    }
}

impl From<DiskUse> for StorageUsage {
    fn from(u: DiskUse) -> Self {
        Self {
            database_bytes: u.database_bytes,
            history_bytes: u.history_bytes,
            history_since: u.history_since,
        }
    }
}

fn store_error(e: crate::store::StoreError) -> ApiError {
    ApiError::new(ErrorCode::Store, e.to_string())
}

impl MonitorHandle {
    /// The latest `limit` delivery attempts (1 to [`MAX_DELIVERIES`]) and the waiting email.
    pub async fn delivery_log(&self, limit: u32) -> Result<DeliveryLog, ApiError> {
        let limit = usize::try_from(limit)
            .unwrap_or(MAX_DELIVERIES)
            .clamp(1, MAX_DELIVERIES);
        self.inner
            .store
            .call(move |s| {
                let attempts = s.deliveries_since(Timestamp::from_millis(0), limit)?;
                let waiting = s.waiting_emails(MAX_WAITING)?;
                Ok(DeliveryLog {
                    attempts: attempts.into_iter().map(Into::into).collect(),
                    waiting: waiting.into_iter().map(Into::into).collect(),
                })
            })
            .await
            .map_err(store_error)
    }

    /// Makes a waiting email due now and wakes the sender. Refused when email is turned off or
    /// no message with that id is waiting.
    pub async fn send_now(&self, outbox_id: i64) -> Result<(), ApiError> {
        if !self.inner.config.borrow().config.email.enabled {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                "email is turned off: turn it on to send waiting messages",
            ));
        }
        let now = self.inner.clock.now();
        let waiting = self
            .inner
            .store
            .call(move |s| s.send_now(outbox_id, now))
            .await
            .map_err(store_error)?;
        if !waiting {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                format!(
                    "no email {outbox_id} is waiting: it was sent, given up, or is being sent now"
                ),
            ));
        }
        self.inner.email_wake.notify_one();
        Ok(())
    }

    /// The disk the database and its history use now.
    pub async fn storage_usage(&self) -> Result<StorageUsage, ApiError> {
        self.inner
            .store
            .call(|s| s.disk_use())
            .await
            .map(Into::into)
            .map_err(store_error)
    }
}
