//! The delivery log (every attempt on every channel) and the per-channel health it implies.

use super::alerts::limit_param;
use super::{corrupt, Batch, Result, Store};
use lookout_core::rule::Channel;
use lookout_core::Timestamp;
use rusqlite::{params, OptionalExtension};

/// How one delivery attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DeliveryOutcome {
    /// Delivered (the notification server or the SMTP server accepted it).
    Ok,
    /// Failed for now; it will be tried again.
    Retry,
    /// Failed for good.
    Failed,
}

impl DeliveryOutcome {
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Retry => "retry",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ok" => Some(Self::Ok),
            "retry" => Some(Self::Retry),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// One attempt to deliver something on a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub at: Timestamp,
    pub channel: Channel,
    /// The alert log entry delivered; `None` for a test message.
    pub event_id: Option<i64>,
    /// The outbox message, for email attempts.
    pub outbox_id: Option<i64>,
    pub outcome: DeliveryOutcome,
    /// What happened, in words: the server's answer or the error.
    pub detail: String,
}

/// A delivery log entry with its row id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedDelivery {
    pub id: i64,
    pub record: DeliveryRecord,
}

/// How a channel is doing, from its delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelHealth {
    pub channel: Channel,
    pub last_ok_at: Option<Timestamp>,
    pub last_error_at: Option<Timestamp>,
    pub last_error: Option<String>,
    /// Failed attempts (retry or failed) since the last success.
    pub consecutive_failures: u32,
}

impl ChannelHealth {
    /// Whether the latest attempt failed.
    pub fn is_failing(&self) -> bool {
        self.consecutive_failures > 0
    }
}

impl Store {
    /// Appends one attempt to the delivery log; returns its id.
    pub fn record_delivery(&mut self, record: &DeliveryRecord) -> Result<i64> {
        self.batch(|b| b.record_delivery(record))
    }

    /// Delivery log entries at or after `since`, newest first, at most `limit`.
    pub fn deliveries_since(&self, since: Timestamp, limit: usize) -> Result<Vec<LoggedDelivery>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, at, channel, event_id, outbox_id, outcome, detail FROM delivery_log
                 WHERE at >= ?1 ORDER BY at DESC, id DESC LIMIT ?2",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map(params![since.as_millis(), limit_param(limit)], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<i64>>(3)?,
                    row.get::<_, Option<i64>>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, String>(6)?,
                ))
            })
            .map_err(|e| self.sql_err(e))?;
        let mut deliveries = Vec::new();
        for row in rows {
            let (id, at, channel, event_id, outbox_id, outcome, detail) =
                row.map_err(|e| self.sql_err(e))?;
            let bad = |what| corrupt(&self.path, what, format!("delivery {id}"));
            deliveries.push(LoggedDelivery {
                id,
                record: DeliveryRecord {
                    at: Timestamp::from_millis(at),
                    channel: Channel::named(&channel),
                    event_id,
                    outbox_id,
                    outcome: DeliveryOutcome::parse(&outcome)
                        .ok_or_else(|| bad("delivery outcome"))?,
                    detail,
                },
            });
        }
        Ok(deliveries)
    }

    /// The health of desktop, email and each of `push` (the config's push channels), whether
    /// or not it was ever used.
    pub fn channel_health(&self, push: &[Channel]) -> Result<Vec<ChannelHealth>> {
        Channel::BUILT_IN
            .iter()
            .chain(push)
            .map(|channel| self.health_of(channel.clone()))
            .collect()
    }

    fn health_of(&self, channel: Channel) -> Result<ChannelHealth> {
        let name = channel.name();
        let last_ok: Option<(i64, i64)> = self
            .conn
            .query_row(
                "SELECT id, at FROM delivery_log WHERE channel = ?1 AND outcome = 'ok'
                 ORDER BY id DESC LIMIT 1",
                [name],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_err(e))?;
        let last_error: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT at, detail FROM delivery_log
                 WHERE channel = ?1 AND outcome IN ('retry', 'failed')
                 ORDER BY id DESC LIMIT 1",
                [name],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_err(e))?;
        let since_id = last_ok.map_or(0, |(id, _)| id);
        let consecutive_failures: u32 = self
            .conn
            .query_row(
                "SELECT count(*) FROM delivery_log
                 WHERE channel = ?1 AND outcome IN ('retry', 'failed') AND id > ?2",
                params![name, since_id],
                |row| row.get(0),
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(ChannelHealth {
            channel,
            last_ok_at: last_ok.map(|(_, at)| Timestamp::from_millis(at)),
            last_error_at: last_error
                .as_ref()
                .map(|(at, _)| Timestamp::from_millis(*at)),
            last_error: last_error.map(|(_, detail)| detail),
            consecutive_failures,
        })
    }
}

impl Batch<'_> {
    /// Ends the attempt at outbox message `outbox_id` as `record` says (sent, failed, or due
    /// again at `next_attempt_at`) and logs it, in this transaction.
    pub fn finish_attempt(
        &self,
        outbox_id: i64,
        record: &DeliveryRecord,
        next_attempt_at: Timestamp,
    ) -> Result<()> {
        match record.outcome {
            DeliveryOutcome::Ok => self.mark_sent(outbox_id, record.at)?,
            DeliveryOutcome::Failed => self.mark_failed(outbox_id, &record.detail)?,
            DeliveryOutcome::Retry => {
                self.mark_retry(outbox_id, next_attempt_at, &record.detail)?
            }
        }
        self.record_delivery(record).map(drop)
    }

    /// See [`Store::record_delivery`].
    pub fn record_delivery(&self, record: &DeliveryRecord) -> Result<i64> {
        self.tx
            .execute(
                "INSERT INTO delivery_log (at, channel, event_id, outbox_id, outcome, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    record.at.as_millis(),
                    record.channel.name(),
                    record.event_id,
                    record.outbox_id,
                    record.outcome.name(),
                    record.detail
                ],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(self.tx.last_insert_rowid())
    }
}
