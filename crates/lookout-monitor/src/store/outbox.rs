//! The durable outbox of email (and, in `push_outbox`, of push channels): each message is
//! stored before any attempt and tracked to the end.
//!
//! Life of a message: `pending` → (claimed) `sending` → `sent`, or back to `pending` with a
//! later `next_attempt_at` (transient failure), or `failed` (permanent failure, or expired).

use super::alerts::limit_param;
use super::{corrupt, Batch, Result, Store, StoreError};
use lookout_core::Timestamp;
use rusqlite::{params, OptionalExtension, Row};
use std::path::Path;
use std::time::Duration;

/// A rendered email to queue: the email channel renders, the store only keeps the parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmail {
    /// The alert log entry it announces; `None` for a test email.
    pub event_id: Option<i64>,
    /// Recipient addresses, as the channel will put them in the envelope and `To:`.
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// The `From:` mailbox at the time it was queued.
    pub from: String,
    /// The `Message-ID`, kept so every retry is the same message.
    pub message_id: String,
    /// The `Date:` header.
    pub date: Timestamp,
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OutboxStatus {
    /// Waiting for `next_attempt_at`.
    Pending,
    /// Claimed by the sender; an SMTP attempt is under way.
    Sending,
    /// The server accepted it.
    Sent,
    /// Given up: a permanent error, or too old.
    Failed,
}

impl OutboxStatus {
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "sending" => Some(Self::Sending),
            "sent" => Some(Self::Sent),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// A stored message with its delivery bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEmail {
    pub id: i64,
    pub created_at: Timestamp,
    pub email: NewEmail,
    /// Attempts started, including the one a claim starts.
    pub attempts: u32,
    pub next_attempt_at: Timestamp,
    pub status: OutboxStatus,
    pub last_error: Option<String>,
    pub sent_at: Option<Timestamp>,
}

/// How many messages wait, and how many were given up, for `lookout status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxDepth {
    /// Not delivered yet: `pending` plus `sending`.
    pub pending: u64,
    pub failed: u64,
}

pub(super) const COLUMNS: &str =
    "id, created_at, event_id, recipients, subject, text_body, html_body, \
                       attempts, next_attempt_at, status, last_error, sent_at, sender, \
                       message_id, date";

const INTERRUPTED: &str = "interrupted: the monitor stopped during this attempt";

impl Store {
    /// Returns messages a killed process left in `sending` to `pending`, due at once; runs on
    /// every read-write open. Returns how many were requeued.
    ///
    /// Why resend them: a message is marked `sent` in the statement right after the SMTP
    /// server accepted it (its answer to the end of DATA), so a row still `sending` means the
    /// process stopped before that answer was recorded. Almost always the server had not
    /// accepted it (no connection, or the transaction was cut before the final dot, which the
    /// server discards), and resending is the only way the alert arrives. The exception is a
    /// death in the short window between reading the server's "250 OK" and committing `sent`
    /// (one SQLite commit): the recipient then gets the message twice. We accept that window
    /// because the opposite choice, treating `sending` as sent, would silently drop every
    /// message interrupted before acceptance. `sent` rows are never touched, so once a
    /// successful SMTP transaction is recorded the message is never sent again.
    pub fn requeue_interrupted(&mut self) -> Result<usize> {
        self.batch(|b| {
            b.tx.execute(
                "UPDATE outbox SET status = 'pending', last_error = ?1 WHERE status = 'sending'",
                [INTERRUPTED],
            )
            .map_err(|e| b.sql_err(e))
        })
    }

    /// Stores `email` as `pending`, due at `now`; returns its id.
    pub fn enqueue(&mut self, email: &NewEmail, now: Timestamp) -> Result<i64> {
        self.batch(|b| b.enqueue(email, now))
    }

    /// See [`Batch::claim_due`].
    pub fn claim_due(&mut self, now: Timestamp, limit: usize) -> Result<Vec<OutboxEmail>> {
        self.batch(|b| b.claim_due(now, limit))
    }

    /// See [`Batch::mark_sent`].
    pub fn mark_sent(&mut self, id: i64, now: Timestamp) -> Result<()> {
        self.batch(|b| b.mark_sent(id, now))
    }

    /// See [`Batch::mark_retry`].
    pub fn mark_retry(&mut self, id: i64, next_attempt_at: Timestamp, error: &str) -> Result<()> {
        self.batch(|b| b.mark_retry(id, next_attempt_at, error))
    }

    /// See [`Batch::mark_failed`].
    pub fn mark_failed(&mut self, id: i64, error: &str) -> Result<()> {
        self.batch(|b| b.mark_failed(id, error))
    }

    /// See [`Batch::expire_older_than`].
    pub fn expire_older_than(&mut self, max_age: Duration, now: Timestamp) -> Result<usize> {
        self.batch(|b| b.expire_older_than(max_age, now))
    }

    /// Messages waiting (pending or being sent) and messages given up.
    pub fn outbox_depth(&self) -> Result<OutboxDepth> {
        self.conn
            .query_row(
                "SELECT
                   count(*) FILTER (WHERE status IN ('pending', 'sending')),
                   count(*) FILTER (WHERE status = 'failed')
                 FROM outbox",
                [],
                |row| {
                    Ok(OutboxDepth {
                        pending: row.get::<_, i64>(0)?.unsigned_abs(),
                        failed: row.get::<_, i64>(1)?.unsigned_abs(),
                    })
                },
            )
            .map_err(|e| self.sql_err(e))
    }

    /// When the earliest pending message is due (already past when one is due now); `None`
    /// when nothing waits to be sent.
    pub fn next_pending_at(&self) -> Result<Option<Timestamp>> {
        self.conn
            .query_row(
                "SELECT min(next_attempt_at) FROM outbox
                 WHERE status = 'pending' AND channel = 'email'",
                [],
                |row| row.get::<_, Option<i64>>(0),
            )
            .map(|at| at.map(Timestamp::from_millis))
            .map_err(|e| self.sql_err(e))
    }

    /// One message by id, whatever its status.
    pub fn outbox_email(&self, id: i64) -> Result<Option<OutboxEmail>> {
        let raw = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
                [id],
                RawEmail::read,
            )
            .optional()
            .map_err(|e| self.sql_err(e))?;
        raw.map(|r| r.parse(&self.path)).transpose()
    }
}

impl Batch<'_> {
    /// See [`Store::enqueue`].
    pub fn enqueue(&self, email: &NewEmail, now: Timestamp) -> Result<i64> {
        let recipients = serde_json::to_string(&email.to)
            .map_err(|e| corrupt(self.path, "email recipients", e))?;
        self.tx
            .execute(
                "INSERT INTO outbox (created_at, event_id, recipients, subject, text_body,
                                     html_body, attempts, next_attempt_at, status, sender,
                                     message_id, date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?1, 'pending', ?7, ?8, ?9)",
                params![
                    now.as_millis(),
                    email.event_id,
                    recipients,
                    email.subject,
                    email.text,
                    email.html,
                    email.from,
                    email.message_id,
                    email.date.as_millis()
                ],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Takes up to `limit` pending messages due at `now` (oldest due first), marks them
    /// `sending` and counts the attempt, all in this transaction, so no message is handed out
    /// twice. Each must end with [`Batch::mark_sent`], [`Batch::mark_retry`] or
    /// [`Batch::mark_failed`]; a crash before that is handled by [`Store::requeue_interrupted`].
    ///
    /// A row that cannot be read (corrupt JSON, a value of the wrong type) is marked `failed`
    /// with the reason and skipped, so one bad row never stops the others.
    pub fn claim_due(&self, now: Timestamp, limit: usize) -> Result<Vec<OutboxEmail>> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .tx
                .prepare_cached(
                    "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1
                       AND channel = 'email'
                     ORDER BY next_attempt_at, id LIMIT ?2",
                )
                .map_err(|e| self.sql_err(e))?;
            let rows = stmt
                .query_map(params![now.as_millis(), limit_param(limit)], |row| {
                    row.get(0)
                })
                .map_err(|e| self.sql_err(e))?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(|e| self.sql_err(e))?
        };
        let mut claimed = Vec::with_capacity(ids.len());
        for id in ids {
            let row = self
                .tx
                .query_row(
                    &format!(
                        "UPDATE outbox SET status = 'sending', attempts = attempts + 1,
                                           claimed_at = ?2
                         WHERE id = ?1 RETURNING {COLUMNS}"
                    ),
                    params![id, now.as_millis()],
                    RawEmail::read,
                )
                .map_err(|e| self.sql_err(e))
                .and_then(|raw| raw.parse(self.path));
            match row {
                Ok(email) => claimed.push(email),
                // A full disk or an I/O error is no reason to give a message up.
                Err(e) if !is_unreadable_row(&e) => return Err(e),
                Err(e) => {
                    tracing::error!(id, error = %e, "an outbox row cannot be read: marked failed");
                    self.tx
                        .execute(
                            "UPDATE outbox SET status = 'failed', last_error = ?2 WHERE id = ?1",
                            params![id, format!("the stored message cannot be read: {e}")],
                        )
                        .map_err(|e| self.sql_err(e))?;
                }
            }
        }
        Ok(claimed)
    }

    /// Puts back messages claimed more than `timeout` before `now` and still `sending`: the
    /// result of their attempt could not be recorded (a full disk). Each is requeued once; a
    /// message stuck a second time is marked `failed` rather than risk sending it again and
    /// again. Returns (requeued, failed).
    ///
    /// A requeued message may have been accepted by the server already: it keeps its
    /// `Message-ID`, so the recipient's mail system can recognise the duplicate. The sender
    /// also remembers, while it runs, which messages it delivered but could not record, and
    /// marks those sent instead of sending them again.
    pub fn requeue_stuck(&self, now: Timestamp, timeout: Duration) -> Result<(usize, usize)> {
        self.requeue_stuck_of("email", now, timeout)
    }

    /// [`Batch::requeue_stuck`] for the messages of `channel`.
    pub fn requeue_stuck_of(
        &self,
        channel: &str,
        now: Timestamp,
        timeout: Duration,
    ) -> Result<(usize, usize)> {
        let before = now.minus(timeout).as_millis();
        let failed = self
            .tx
            .execute(
                "UPDATE outbox SET status = 'failed',
                        last_error = 'stuck twice while being sent; not sent again, so that it arrives at most once'
                 WHERE status = 'sending' AND claimed_at < ?1 AND requeued > 0 AND channel = ?2",
                params![before, channel],
            )
            .map_err(|e| self.sql_err(e))?;
        let requeued = self
            .tx
            .execute(
                "UPDATE outbox SET status = 'pending', requeued = requeued + 1,
                        next_attempt_at = ?2,
                        last_error = 'the result of an attempt could not be recorded; requeued once'
                 WHERE status = 'sending' AND claimed_at < ?1 AND channel = ?3",
                params![before, now.as_millis(), channel],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok((requeued, failed))
    }

    /// Records that the server accepted message `id`. Call it as soon as the SMTP transaction
    /// succeeds: the time until it commits is the only window in which a crash can cause a
    /// duplicate (see [`Store::requeue_interrupted`]).
    pub fn mark_sent(&self, id: i64, now: Timestamp) -> Result<()> {
        self.finish(
            id,
            "UPDATE outbox SET status = 'sent', sent_at = ?2, last_error = NULL
             WHERE id = ?1 AND status = 'sending'",
            params![id, now.as_millis()],
        )
    }

    /// Puts message `id` back to `pending` until `next_attempt_at` after a transient failure.
    pub fn mark_retry(&self, id: i64, next_attempt_at: Timestamp, error: &str) -> Result<()> {
        self.finish(
            id,
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?2, last_error = ?3
             WHERE id = ?1 AND status = 'sending'",
            params![id, next_attempt_at.as_millis(), error],
        )
    }

    /// Gives up on message `id` after a permanent failure (auth rejected, recipient refused,
    /// untrusted certificate); it is never attempted again.
    pub fn mark_failed(&self, id: i64, error: &str) -> Result<()> {
        self.finish(
            id,
            "UPDATE outbox SET status = 'failed', last_error = ?2
             WHERE id = ?1 AND status = 'sending'",
            params![id, error],
        )
    }

    /// Gives up on pending messages created more than `max_age` before `now`; the error reads
    /// "gave up after <max_age>" plus the last error. Returns how many. Messages being sent
    /// are left to finish their attempt.
    pub fn expire_older_than(&self, max_age: Duration, now: Timestamp) -> Result<usize> {
        let reason = format!("gave up after {}", humantime::format_duration(max_age));
        self.tx
            .execute(
                "UPDATE outbox SET status = 'failed',
                        last_error = ?1 || coalesce(': ' || last_error, '')
                 WHERE status = 'pending' AND created_at < ?2",
                params![reason, now.minus(max_age).as_millis()],
            )
            .map_err(|e| self.sql_err(e))
    }

    /// Runs a `sending` → next-status update, failing clearly if `id` was not being sent.
    pub(super) fn finish(&self, id: i64, sql: &str, params: impl rusqlite::Params) -> Result<()> {
        let changed = self.tx.execute(sql, params).map_err(|e| self.sql_err(e))?;
        if changed == 1 {
            return Ok(());
        }
        let found: Option<String> = self
            .tx
            .query_row("SELECT status FROM outbox WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.sql_err(e))?;
        Err(StoreError::NotSending {
            path: self.path.to_path_buf(),
            id,
            found: found.unwrap_or_else(|| "absent".to_owned()),
        })
    }
}

/// Whether `e` says a row's values cannot be read as a message (a value of the wrong type,
/// bad JSON, an unknown status), rather than that the database could not be used.
fn is_unreadable_row(e: &StoreError) -> bool {
    match e {
        StoreError::Corrupt { .. } => true,
        StoreError::Sql { source, .. } => matches!(
            source,
            rusqlite::Error::InvalidColumnType(..)
                | rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::IntegralValueOutOfRange(..)
                | rusqlite::Error::Utf8Error(..)
        ),
        _ => false,
    }
}

/// A row as SQLite holds it, before the JSON and status text are checked.
pub(super) struct RawEmail {
    id: i64,
    created_at: i64,
    event_id: Option<i64>,
    recipients: String,
    subject: String,
    text: String,
    html: Option<String>,
    attempts: u32,
    next_attempt_at: i64,
    status: String,
    last_error: Option<String>,
    sent_at: Option<i64>,
    from: String,
    message_id: String,
    date: i64,
}

impl RawEmail {
    /// Reads the columns in [`COLUMNS`] order.
    pub(super) fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            created_at: row.get(1)?,
            event_id: row.get(2)?,
            recipients: row.get(3)?,
            subject: row.get(4)?,
            text: row.get(5)?,
            html: row.get(6)?,
            attempts: row.get(7)?,
            next_attempt_at: row.get(8)?,
            status: row.get(9)?,
            last_error: row.get(10)?,
            sent_at: row.get(11)?,
            from: row.get(12)?,
            message_id: row.get(13)?,
            date: row.get(14)?,
        })
    }

    pub(super) fn parse(self, path: &Path) -> Result<OutboxEmail> {
        let id = self.id;
        let to = serde_json::from_str(&self.recipients)
            .map_err(|e| corrupt(path, "outbox recipients", format!("message {id}: {e}")))?;
        let status = OutboxStatus::parse(&self.status).ok_or_else(|| {
            corrupt(
                path,
                "outbox status",
                format!("message {id}: '{}'", self.status),
            )
        })?;
        Ok(OutboxEmail {
            id,
            created_at: Timestamp::from_millis(self.created_at),
            email: NewEmail {
                event_id: self.event_id,
                to,
                subject: self.subject,
                text: self.text,
                html: self.html,
                from: self.from,
                message_id: self.message_id,
                // Rows queued before the date was stored: the message is dated when it was queued.
                date: Timestamp::from_millis(if self.date > 0 {
                    self.date
                } else {
                    self.created_at
                }),
            },
            attempts: self.attempts,
            next_attempt_at: Timestamp::from_millis(self.next_attempt_at),
            status,
            last_error: self.last_error,
            sent_at: self.sent_at.map(Timestamp::from_millis),
        })
    }
}
