//! What the window's delivery log and settings read of the database: the email still waiting,
//! a "send now" for one of them, and the disk the database and its history use.

use super::outbox::{RawEmail, COLUMNS};
use super::{alerts::limit_param, Result, Store};
use crate::history::packed::{self, Packing};
use crate::history::Tier;
use lookout_core::Timestamp;
use rusqlite::params;

use super::OutboxEmail;

/// The disk the database uses, as the settings view shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DiskUse {
    /// The database file with its write-ahead log.
    pub database_bytes: u64,
    /// The packed readings of the three history tiers.
    pub history_bytes: u64,
    /// The oldest reading any tier holds.
    pub history_since: Option<Timestamp>,
}

/// The history tables, the column each row's start time is in, and how rollup rows pack
/// their buckets.
const HISTORY_TABLES: [(&str, &str, Tier); 3] = [
    ("history_raw", "t0", Tier::Raw),
    ("history_1m", "t", Tier::Minute),
    ("history_15m", "t", Tier::QuarterHour),
];

impl Store {
    /// Messages not delivered yet (pending or being sent), next attempt first, at most `limit`.
    pub fn waiting_emails(&self, limit: usize) -> Result<Vec<OutboxEmail>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM outbox WHERE status IN ('pending', 'sending')
                   AND channel = 'email'
                 ORDER BY next_attempt_at, id LIMIT ?1"
            ))
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map(params![limit_param(limit)], RawEmail::read)
            .map_err(|e| self.sql_err(e))?;
        let mut emails = Vec::new();
        for row in rows {
            emails.push(row.map_err(|e| self.sql_err(e))?.parse(&self.path)?);
        }
        Ok(emails)
    }

    /// Makes a pending message due at `now`. Returns false when no message with that id is
    /// pending (it was sent, given up, is being sent, or never existed).
    pub fn send_now(&mut self, id: i64, now: Timestamp) -> Result<bool> {
        self.batch(|b| {
            let changed =
                b.tx.execute(
                    "UPDATE outbox SET next_attempt_at = min(next_attempt_at, ?2)
                     WHERE id = ?1 AND status = 'pending'",
                    params![id, now.as_millis()],
                )
                .map_err(|e| b.sql_err(e))?;
            Ok(changed == 1)
        })
    }

    /// The disk the database uses now. Reads every history row's length (not its content):
    /// for a year of history, a fraction of a second.
    pub fn disk_use(&self) -> Result<DiskUse> {
        let file_len = |suffix: &str| {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            std::fs::metadata(name).map_or(0, |m| m.len())
        };
        let mut usage = DiskUse {
            database_bytes: file_len("") + file_len("-wal"),
            ..DiskUse::default()
        };
        for (table, start, tier) in HISTORY_TABLES {
            let (bytes, oldest): (Option<i64>, Option<i64>) = self
                .conn
                .query_row(
                    &format!("SELECT sum(length(data)), min({start}) FROM {table}"),
                    [],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .map_err(|e| self.sql_err(e))?;
            usage.history_bytes += bytes.map_or(0, |b| u64::try_from(b).unwrap_or(0));
            let oldest = match (oldest, tier.packing()) {
                (Some(row), Some(packing)) => self.first_bucket(table, row, packing)?,
                (oldest, _) => oldest,
            };
            if let Some(oldest) = oldest.map(Timestamp::from_millis) {
                usage.history_since = Some(usage.history_since.map_or(oldest, |o| o.min(oldest)));
            }
        }
        Ok(usage)
    }

    /// The start of the first bucket with readings among the rollup rows that start at `row`
    /// (a row spans up to six hours; its first buckets may be empty).
    fn first_bucket(&self, table: &str, row: i64, packing: Packing) -> Result<Option<i64>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT data FROM {table} WHERE metric IN (SELECT id FROM metric_ids) AND t = ?1"
            ))
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([row], |r| r.get::<_, Vec<u8>>(0))
            .map_err(|e| self.sql_err(e))?;
        let mut first = None::<i64>;
        let mut buckets = Vec::new();
        for data in rows {
            buckets.clear();
            // A damaged row says nothing about the oldest reading; the row start stands in.
            let t = match packed::decode(
                row,
                packing,
                &data.map_err(|e| self.sql_err(e))?,
                &mut buckets,
            ) {
                Ok(()) => buckets.first().map_or(row, |b| b.t),
                Err(_) => row,
            };
            first = Some(first.map_or(t, |f| f.min(t)));
        }
        Ok(first.or(Some(row)))
    }
}
