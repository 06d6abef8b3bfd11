//! What the store keeps, and the job that prunes the rest: without it the alert log, the
//! delivery log, the outbox and the metric history would grow for as long as the machine runs.

use super::{Result, Store, StoreHandle};
use crate::history::HistoryPolicy;
use crate::sys::{Clock, Shutdown};
use lookout_core::config::StorageConfig;
use lookout_core::time::duration_ms;
use lookout_core::{Timestamp, ValidConfig};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often the job prunes (and once at start).
pub const EVERY: Duration = Duration::from_secs(3600);
/// Freed pages handed back to the file system per run, at most (4 KiB each: 16 MiB).
const VACUUM_PAGES: u32 = 4096;

/// How much history the store keeps (`[storage]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Alert log and delivery log entries older than this go.
    pub log_max_age: Duration,
    /// And each log keeps at most this many entries (the newest).
    pub log_max_entries: u64,
    /// Delivered, expired and permanently failed outbox messages older than this go.
    pub outbox_max_age: Duration,
    /// How long each tier of the metric history is kept.
    pub history: HistoryPolicy,
}

impl Default for Retention {
    fn default() -> Self {
        Self::from_storage(&StorageConfig::default())
    }
}

impl Retention {
    /// The policy `[storage]` asks for.
    pub fn of(config: &ValidConfig) -> Self {
        Self::from_storage(&config.config.storage)
    }

    fn from_storage(storage: &StorageConfig) -> Self {
        let days = |n: u32| Duration::from_secs(u64::from(n) * 86_400);
        Self {
            log_max_age: days(storage.log_days),
            log_max_entries: storage.log_max_entries,
            outbox_max_age: days(storage.outbox_days),
            history: HistoryPolicy::from_storage(storage),
        }
    }
}

/// How many rows one prune removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub alerts: usize,
    pub deliveries: usize,
    pub outbox: usize,
    /// History rows (raw chunks and rollups).
    pub history: usize,
}

impl Pruned {
    pub fn total(&self) -> usize {
        self.alerts + self.deliveries + self.outbox + self.history
    }
}

fn before(now: Timestamp, age: Duration) -> i64 {
    now.as_millis().saturating_sub(duration_ms(age))
}

impl Store {
    /// Deletes what `policy` no longer keeps at `now`, then returns freed pages to the file
    /// system. Messages still to be sent (pending or sending) are never pruned.
    pub fn prune(&mut self, policy: &Retention, now: Timestamp) -> Result<Pruned> {
        let keep = i64::try_from(policy.log_max_entries).unwrap_or(i64::MAX);
        let history = self.prune_history(&policy.history, now)?;
        let pruned = self.batch(|b| {
            let run = |sql: &str, arg: i64| b.tx.execute(sql, [arg]).map_err(|e| b.sql_err(e));
            let outbox = run(
                "DELETE FROM outbox WHERE status IN ('sent', 'failed') AND created_at < ?1",
                before(now, policy.outbox_max_age),
            )?;
            let log_before = before(now, policy.log_max_age);
            let mut deliveries = run("DELETE FROM delivery_log WHERE at < ?1", log_before)?;
            deliveries += run(
                "DELETE FROM delivery_log WHERE id <= \
                 (SELECT id FROM delivery_log ORDER BY id DESC LIMIT 1 OFFSET ?1)",
                keep,
            )?;
            // Action runs go with their alert event (ON DELETE CASCADE), and by age.
            run("DELETE FROM action_runs WHERE at < ?1", log_before)?;
            let mut alerts = run("DELETE FROM alert_log WHERE at < ?1", log_before)?;
            alerts += run(
                "DELETE FROM alert_log WHERE id <= \
                 (SELECT id FROM alert_log ORDER BY id DESC LIMIT 1 OFFSET ?1)",
                keep,
            )?;
            Ok(Pruned {
                alerts,
                deliveries,
                outbox,
                history,
            })
        })?;
        if pruned.total() > 0 {
            self.conn
                .execute_batch(&format!("PRAGMA incremental_vacuum({VACUUM_PAGES})"))
                .map_err(|e| self.sql_err(e))?;
        }
        Ok(pruned)
    }

    /// Pages in the database file and how many of them are free.
    pub fn page_counts(&self) -> Result<(u64, u64)> {
        let read = |pragma: &str| -> Result<u64> {
            self.conn
                .pragma_query_value(None, pragma, |row| row.get::<_, i64>(0))
                .map(|n| u64::try_from(n).unwrap_or(0))
                .map_err(|e| self.sql_err(e))
        };
        Ok((read("page_count")?, read("freelist_count")?))
    }
}

/// Prunes at start and then every [`EVERY`], with the policy of the config in force, until
/// `shutdown`.
pub async fn run(
    store: StoreHandle,
    config: watch::Receiver<Arc<ValidConfig>>,
    clock: Clock,
    shutdown: Shutdown,
) {
    loop {
        let policy = Retention::of(&config.borrow());
        let now = clock.now();
        match store.call(move |s| s.prune(&policy, now)).await {
            Ok(pruned) if pruned.total() > 0 => tracing::info!(
                alerts = pruned.alerts,
                deliveries = pruned.deliveries,
                outbox = pruned.outbox,
                history = pruned.history,
                "pruned old entries"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "cannot prune old entries"),
        }
        tokio::select! {
            () = tokio::time::sleep(EVERY) => {}
            () = shutdown.triggered() => return,
        }
    }
}
