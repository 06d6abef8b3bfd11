//! Push channels' messages in the shared outbox: each row names its channel and keeps the
//! alert it announces as JSON (`payload`). A channel's messages go out one at a time, oldest
//! first: a later message waits behind one that is being retried, so they arrive in order.

use super::{Batch, Result, Store};
use lookout_core::{AlertEvent, AlertState, EventKind, Timestamp};
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
    /// A firing alert sent again so that Alertmanager keeps it (see
    /// [`Batch::resend_firing`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resend: bool,
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

/// A channel's last message of one rule: id, created_at, status, event_id, payload.
type LastSent = (i64, i64, String, Option<i64>, Option<String>);

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

    /// Queues again the last message of each firing rule on `channel` that was queued at or
    /// before `older_than` and still announces the firing (not its resolution), when nothing of
    /// that rule waits: Alertmanager ends an alert that is not sent again. The previous
    /// re-sends of that rule that went out are dropped, so a long firing keeps two rows.
    /// Returns how many were queued.
    pub fn resend_firing(
        &self,
        channel: &str,
        older_than: Timestamp,
        now: Timestamp,
    ) -> Result<usize> {
        let firing: Vec<String> = {
            let mut stmt = self
                .tx
                .prepare_cached("SELECT rule, state FROM alert_state")
                .map_err(|e| self.sql_err(e))?;
            let rows = stmt
                .query_map([], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })
                .map_err(|e| self.sql_err(e))?;
            let mut firing = Vec::new();
            for row in rows {
                let (rule, state) = row.map_err(|e| self.sql_err(e))?;
                let state: Option<AlertState> = serde_json::from_str(&state).ok();
                if state.is_some_and(|s| s.is_firing()) {
                    firing.push(rule);
                }
            }
            firing
        };
        let mut queued = 0;
        for rule in firing {
            let last: Option<LastSent> = self
                .tx
                .query_row(
                    "SELECT id, created_at, status, event_id, payload FROM outbox
                     WHERE channel = ?1 AND json_extract(payload, '$.event.rule') = ?2
                     ORDER BY id DESC LIMIT 1",
                    params![channel, rule],
                    |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            row.get(3)?,
                            row.get(4)?,
                        ))
                    },
                )
                .optional()
                .map_err(|e| self.sql_err(e))?;
            let Some((id, created_at, status, event_id, Some(json))) = last else {
                continue;
            };
            if matches!(status.as_str(), "pending" | "sending")
                || created_at > older_than.as_millis()
            {
                continue;
            }
            let Ok(mut payload) = serde_json::from_str::<PushPayload>(&json) else {
                continue;
            };
            let still_firing = payload
                .event
                .as_ref()
                .is_some_and(|e| matches!(e.state, EventKind::Firing | EventKind::Reminder));
            if !still_firing {
                continue;
            }
            self.tx
                .execute(
                    "DELETE FROM outbox WHERE channel = ?1 AND id < ?2 AND status = 'sent'
                       AND json_extract(payload, '$.event.rule') = ?3
                       AND json_extract(payload, '$.resend') = 1",
                    params![channel, id, rule],
                )
                .map_err(|e| self.sql_err(e))?;
            payload.resend = true;
            self.enqueue_push(channel, event_id, &payload, now)?;
            queued += 1;
        }
        Ok(queued)
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
