//! Push channels' messages in the shared outbox: each row names its channel and keeps the
//! alert it announces as JSON (`payload`). A channel's messages go out one at a time, oldest
//! first: a later message waits behind one that is being retried, so they arrive in order.

use super::{Batch, Result, Store};
use lookout_core::{AlertEvent, Timestamp};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// What a push message announces, kept as it was when queued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushPayload {
    /// The alert; `None` for a test message.
    pub event: Option<AlertEvent>,
    /// The language it is written in (`en`, `ko`), chosen when it was queued.
    pub lang: String,
    /// This machine's name.
    pub host: String,
}

/// A claimed push message.
#[derive(Debug, Clone, PartialEq)]
pub struct PushMessage {
    pub id: i64,
    pub channel: String,
    pub created_at: Timestamp,
    pub event_id: Option<i64>,
    pub payload: PushPayload,
    /// Attempts started, including the one the claim starts.
    pub attempts: u32,
}

impl PushMessage {
    /// A key that names this message on every attempt (`X-Lookout-Delivery`), so a receiver can
    /// drop a second copy.
    pub fn delivery_key(&self) -> String {
        format!("lookout-{}-{}", self.created_at.as_millis(), self.id)
    }
}

impl Store {
    /// When the first message of any of `channels` is due (already past when one is due now);
    /// `None` when none waits. Only each channel's oldest message counts: the others wait
    /// behind it.
    pub fn next_push_due(&self, channels: &[String]) -> Result<Option<Timestamp>> {
        let mut next: Option<i64> = None;
        for channel in channels {
            let head: Option<(String, i64)> = self
                .conn
                .query_row(
                    "SELECT status, next_attempt_at FROM outbox
                     WHERE channel = ?1 AND status IN ('pending', 'sending')
                     ORDER BY id LIMIT 1",
                    [channel],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()
                .map_err(|e| self.sql_err(e))?;
            if let Some(("pending", at)) = head.as_ref().map(|(s, at)| (s.as_str(), *at)) {
                next = Some(next.map_or(at, |n| n.min(at)));
            }
        }
        Ok(next.map(Timestamp::from_millis))
    }
}

impl Batch<'_> {
    /// Queues a message for `channel`, due at `now`; returns its id.
    pub fn enqueue_push(
        &self,
        channel: &str,
        event_id: Option<i64>,
        payload: &PushPayload,
        now: Timestamp,
    ) -> Result<i64> {
        let json = serde_json::to_string(payload)
            .map_err(|e| super::corrupt(self.path, "push message", e))?;
        let summary = payload.event.as_ref().map_or_else(
            || "test".to_owned(),
            |e| format!("{}: {}", e.rule, e.state.name()),
        );
        self.tx
            .execute(
                "INSERT INTO outbox (created_at, event_id, recipients, subject, text_body,
                                     attempts, next_attempt_at, status, channel, payload)
                 VALUES (?1, ?2, '[]', ?3, '', 0, ?1, 'pending', ?4, ?5)",
                params![now.as_millis(), event_id, summary, channel, json],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Claims the oldest undelivered message of `channel` when it is due at `now`: marks it
    /// `sending` and counts the attempt. `None` when none waits, or when the oldest is not due
    /// yet or is being sent (the later ones wait behind it). A row whose payload cannot be
    /// read is marked `failed` with the reason, and the next one is looked at.
    pub fn claim_push_head(&self, channel: &str, now: Timestamp) -> Result<Option<PushMessage>> {
        loop {
            let head: Option<(i64, String, i64)> = self
                .tx
                .query_row(
                    "SELECT id, status, next_attempt_at FROM outbox
                     WHERE channel = ?1 AND status IN ('pending', 'sending')
                     ORDER BY id LIMIT 1",
                    [channel],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()
                .map_err(|e| self.sql_err(e))?;
            let Some((id, status, due)) = head else {
                return Ok(None);
            };
            if status != "pending" || due > now.as_millis() {
                return Ok(None);
            }
            let (created_at, event_id, attempts, json): (i64, Option<i64>, u32, Option<String>) =
                self.tx
                    .query_row(
                        "UPDATE outbox SET status = 'sending', attempts = attempts + 1,
                                           claimed_at = ?2
                         WHERE id = ?1
                         RETURNING created_at, event_id, attempts, payload",
                        params![id, now.as_millis()],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                    )
                    .map_err(|e| self.sql_err(e))?;
            let parsed = json
                .ok_or_else(|| "it has no payload".to_owned())
                .and_then(|j| serde_json::from_str::<PushPayload>(&j).map_err(|e| e.to_string()));
            match parsed {
                Ok(payload) => {
                    return Ok(Some(PushMessage {
                        id,
                        channel: channel.to_owned(),
                        created_at: Timestamp::from_millis(created_at),
                        event_id,
                        payload,
                        attempts,
                    }))
                }
                Err(e) => {
                    tracing::error!(id, error = %e, "a push message cannot be read: marked failed");
                    self.tx
                        .execute(
                            "UPDATE outbox SET status = 'failed', last_error = ?2 WHERE id = ?1",
                            params![id, format!("the stored message cannot be read: {e}")],
                        )
                        .map_err(|e| self.sql_err(e))?;
                }
            }
        }
    }
}
