//! The embedded SQLite store: alert log, alert states, email outbox, delivery log, settings.
//!
//! One file (`lookout.db`, WAL mode) in the data directory. The monitor that holds the
//! [`DataDirLock`] opens it read-write ([`Store::open_locked`]); CLI readers open it with
//! [`Store::open_read_only`] while the monitor runs. Writes that must stand or fall together
//! (an alert event, its emails and the new alert states) go through one [`Store::batch`].
//!
//! Files: [`schema`] (migrations), `alerts` (alert log, states, snooze), `actions` (runs of
//! rule actions), `outbox` (durable
//! email queue), `deliveries` (attempt log and channel health), [`lock`] (data-dir lock),
//! [`handle`] (the store shared by the monitor's workers), [`retention`] (what is kept, and
//! the job that prunes the rest), `history` (the metric history's tiers: see [`crate::history`]).

mod actions;
mod alerts;
mod deliveries;
pub mod handle;
mod history;
pub mod lock;
mod outbox;
mod outbox_view;
mod push_outbox;
pub mod retention;
pub mod schema;

pub use actions::{ActionOutcome, ActionRun, MAX_ACTION_OUTPUT};
pub use alerts::LoggedAlert;
pub use deliveries::{ChannelHealth, DeliveryOutcome, DeliveryRecord, LoggedDelivery};
pub use handle::StoreHandle;
pub use history::MAX_CHUNK_SPAN_MS;
pub use lock::{DataDirLock, LockError};
pub use outbox::{NewEmail, OutboxDepth, OutboxEmail, OutboxStatus};
pub use outbox_view::DiskUse;
pub use push_outbox::{PushMessage, PushPayload};
pub use retention::{Pruned, Retention};
pub use schema::SCHEMA_VERSION;

use crate::sys::private_fs;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database's file name inside the data directory.
pub const DB_FILE: &str = "lookout.db";

/// How long a statement waits for another connection's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Lookout's data directory: `$XDG_DATA_HOME/lookout` (usually `~/.local/share/lookout`).
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("lookout"))
}

/// What went wrong in the store; every message names the database file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data directory '{path}': {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the Lookout database '{path}' readable by you alone: {source}")]
    CreateFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the Lookout database '{path}': {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("no Lookout database at '{path}'; it is created when the monitor first runs")]
    Missing { path: PathBuf },
    #[error("'{path}' is not a Lookout database (application id {application_id}); move it aside or choose another path")]
    NotLookout { path: PathBuf, application_id: i32 },
    #[error("the Lookout database '{path}' has schema version {found}, but this build supports at most version {supported}; run a newer Lookout")]
    SchemaTooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("the Lookout database '{path}' has schema version {found}, but this build reads version {supported}; start the monitor once to upgrade it")]
    SchemaTooOld {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("cannot upgrade the Lookout database '{path}' to schema version {version}: {source}")]
    Migration {
        path: PathBuf,
        version: u32,
        source: rusqlite::Error,
    },
    #[error("database error in '{path}': {source}")]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("unreadable {what} in '{path}': {detail}")]
    Corrupt {
        path: PathBuf,
        what: &'static str,
        detail: String,
    },
    #[error("a database task stopped before it finished: {0}")]
    Task(String),
    #[error("outbox message {id} in '{path}' is '{found}'; only a message being sent ('sending') can be marked")]
    NotSending {
        path: PathBuf,
        id: i64,
        found: String,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open Lookout database. `Send` (not `Sync`): share it behind a `Mutex` or move it into
/// `spawn_blocking`. Every method is a short synchronous statement or transaction.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The history's metric ids, looked up once per name.
    metric_ids: HashMap<String, i64>,
}

// The monitor moves the store into `spawn_blocking` or a `Mutex`: it must stay `Send`.
const _: () = {
    const fn assert_send<T: Send>() {}
    assert_send::<Store>();
};

/// Writes committed together: all of them or none. Obtained from [`Store::batch`].
pub struct Batch<'a> {
    tx: rusqlite::Transaction<'a>,
    path: &'a Path,
}

impl Store {
    /// Opens (creating it and its directory if needed) and upgrades the database at `path`.
    ///
    /// Only the process holding the [`DataDirLock`] may open the database read-write: opening
    /// requeues outbox messages a killed process left in `sending` (see
    /// [`Store::requeue_interrupted`]), which would resend a message another live process is
    /// sending. Prefer [`Store::open_locked`]; readers use [`Store::open_read_only`].
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            private_fs::ensure_private_dir(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        // Only the user may read the alert log and outbox (SQLite gives `-wal` and `-shm`
        // the database file's mode).
        private_fs::ensure_private_file(path).map_err(|source| StoreError::CreateFile {
            path: path.to_path_buf(),
            source,
        })?;
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(path = %path.display(), %mode, "SQLite refused WAL mode; readers may wait for the monitor");
        }
        // FULL: a committed outbox row or `sent` mark survives a power cut, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_err)?;
        schema::incremental_vacuum(&conn, path)?;
        schema::migrate(&mut conn, path, schema::MIGRATIONS)?;
        let mut store = Self {
            conn,
            path: path.to_path_buf(),
            metric_ids: HashMap::new(),
        };
        let requeued = store.requeue_interrupted()?;
        if requeued > 0 {
            tracing::info!(requeued, path = %path.display(), "requeued emails interrupted mid-send");
        }
        Ok(store)
    }

    /// Opens `<lock dir>/lookout.db` read-write; holding the lock proves no other monitor writes.
    pub fn open_locked(lock: &DataDirLock) -> Result<Self> {
        Self::open(&lock.dir().join(DB_FILE))
    }

    /// Opens an existing database for reading while a monitor may be writing it (WAL lets
    /// readers and the writer proceed together). Writes through it fail.
    pub fn open_read_only(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        schema::check_current(&conn, path)?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            metric_ids: HashMap::new(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<u32> {
        schema::user_version(&self.conn, &self.path)
    }

    /// Runs `writes` in one immediate transaction, committed only if it returns `Ok`.
    ///
    /// Use it where a crash between two writes would lose or repeat an announcement, e.g.
    /// record an event, enqueue its email and save the new alert states together.
    pub fn batch<T>(&mut self, writes: impl FnOnce(&Batch<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.as_path();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|source| sql_error(path, source))?;
        let batch = Batch { tx, path };
        let value = writes(&batch)?;
        batch
            .tx
            .commit()
            .map_err(|source| sql_error(path, source))?;
        Ok(value)
    }

    fn sql_err(&self, source: rusqlite::Error) -> StoreError {
        sql_error(&self.path, source)
    }
}

impl Batch<'_> {
    fn sql_err(&self, source: rusqlite::Error) -> StoreError {
        sql_error(self.path, source)
    }
}

fn sql_error(path: &Path, source: rusqlite::Error) -> StoreError {
    StoreError::Sql {
        path: path.to_path_buf(),
        source,
    }
}

fn corrupt(path: &Path, what: &'static str, detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        what,
        detail: detail.to_string(),
    }
}
