//! The database schema as forward-only migrations, tracked in `PRAGMA user_version`.

use super::{corrupt, sql_error, Result, StoreError};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// Marks the file as Lookout's (`PRAGMA application_id`): ASCII "LKOT".
pub const APPLICATION_ID: i32 = 0x4C4B_4F54;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Migration `i` upgrades a database from version `i` to `i + 1`. Append only: never edit a
/// released step, since databases in the field have already run it.
pub(super) const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5];

/// Push channels share the outbox: each row names its channel (`email` for every row before
/// this step), and a push message keeps the alert it announces as JSON in `payload`.
const V5: &str = "
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
ALTER TABLE outbox ADD COLUMN payload TEXT;
CREATE INDEX outbox_channel ON outbox(channel, status, id);
";

/// The metric history (see `crate::history`): metric names once, raw readings in chunks, and
/// two rollup tiers, a block of buckets to a row. Every table is keyed by metric first, so one metric's range is one scan.
const V4: &str = "
CREATE TABLE metric_ids (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE
);
CREATE TABLE history_raw (
    metric INTEGER NOT NULL,
    t0     INTEGER NOT NULL,
    t1     INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (metric, t0)
) WITHOUT ROWID;
CREATE TABLE history_1m (
    metric INTEGER NOT NULL,
    t      INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (metric, t)
) WITHOUT ROWID;
CREATE TABLE history_15m (
    metric INTEGER NOT NULL,
    t      INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (metric, t)
) WITHOUT ROWID;
";

/// The runs of rule actions, each with the alert event that started it.
const V3: &str = "
CREATE TABLE action_runs (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    rule     TEXT NOT NULL,
    event_id INTEGER REFERENCES alert_log(id) ON DELETE CASCADE,
    run      TEXT NOT NULL
);
CREATE INDEX action_runs_event ON action_runs(event_id);
CREATE INDEX action_runs_at ON action_runs(at);
";

/// When a message was claimed for sending, and whether it was already requeued once after
/// being stuck in `sending` (see `Store::requeue_stuck`).
const V2: &str = "
ALTER TABLE outbox ADD COLUMN claimed_at INTEGER;
ALTER TABLE outbox ADD COLUMN requeued INTEGER NOT NULL DEFAULT 0;
";

const V1: &str = "
PRAGMA application_id = 1280003924;

CREATE TABLE alert_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    rule     TEXT NOT NULL,
    state    TEXT NOT NULL,
    severity TEXT NOT NULL,
    value    REAL,
    event    TEXT NOT NULL
);
CREATE INDEX alert_log_at ON alert_log(at);
CREATE INDEX alert_log_rule_at ON alert_log(rule, at);

CREATE TABLE alert_state (
    rule  TEXT PRIMARY KEY,
    state TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    created_at      INTEGER NOT NULL,
    event_id        INTEGER REFERENCES alert_log(id) ON DELETE SET NULL,
    recipients      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    last_error      TEXT,
    sent_at         INTEGER,
    sender          TEXT NOT NULL DEFAULT '',
    message_id      TEXT NOT NULL DEFAULT '',
    date            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_event ON outbox(event_id);

CREATE TABLE delivery_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    channel   TEXT NOT NULL,
    event_id  INTEGER REFERENCES alert_log(id) ON DELETE SET NULL,
    outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL,
    outcome   TEXT NOT NULL CHECK (outcome IN ('ok', 'retry', 'failed')),
    detail    TEXT NOT NULL
);
CREATE INDEX delivery_log_at ON delivery_log(at);
CREATE INDEX delivery_log_channel ON delivery_log(channel, outcome, id);
CREATE INDEX delivery_log_event ON delivery_log(event_id);
CREATE INDEX delivery_log_outbox ON delivery_log(outbox_id);
";

/// Turns on incremental auto-vacuum, so pages freed by pruning can be handed back to the file
/// system ([`super::Store::prune`]). A new file takes the setting at once; an older file
/// (created before retention existed) is rewritten once with `VACUUM`.
pub(super) fn incremental_vacuum(conn: &Connection, path: &Path) -> Result<()> {
    const INCREMENTAL: i64 = 2;
    let mode: i64 = conn
        .pragma_query_value(None, "auto_vacuum", |row| row.get(0))
        .map_err(|e| sql_error(path, e))?;
    if mode == INCREMENTAL {
        return Ok(());
    }
    conn.pragma_update(None, "auto_vacuum", INCREMENTAL)
        .map_err(|e| sql_error(path, e))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
        .map_err(|e| sql_error(path, e))?;
    if tables > 0 {
        tracing::info!(path = %path.display(), "converting the database to incremental vacuum (once)");
        conn.execute_batch("VACUUM")
            .map_err(|e| sql_error(path, e))?;
    }
    Ok(())
}

/// The version recorded in the file; 0 for a new, empty file.
pub(super) fn user_version(conn: &Connection, path: &Path) -> Result<u32> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| sql_error(path, e))?;
    u32::try_from(version).map_err(|_| corrupt(path, "schema version", version))
}

/// Brings the database up to `steps.len()`, one transaction per step; refuses a newer file.
pub(super) fn migrate(conn: &mut Connection, path: &Path, steps: &[&str]) -> Result<()> {
    check_is_lookout(conn, path)?;
    let latest = steps.len() as u32;
    let found = user_version(conn, path)?;
    if found > latest {
        return Err(too_new(path, found, latest));
    }
    for (index, sql) in steps.iter().enumerate().skip(found as usize) {
        let version = index as u32 + 1;
        let failed = |source| StoreError::Migration {
            path: path.to_path_buf(),
            version,
            source,
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed)?;
        // Another process may have migrated between our read and taking the write lock.
        if user_version(&tx, path)? >= version {
            continue;
        }
        tx.execute_batch(sql).map_err(failed)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(failed)?;
        tx.commit().map_err(failed)?;
    }
    Ok(())
}

/// For read-only opens: the file must be Lookout's and at exactly this build's version.
pub(super) fn check_current(conn: &Connection, path: &Path) -> Result<()> {
    check_is_lookout(conn, path)?;
    let found = user_version(conn, path)?;
    match found.cmp(&SCHEMA_VERSION) {
        std::cmp::Ordering::Greater => Err(too_new(path, found, SCHEMA_VERSION)),
        std::cmp::Ordering::Less => Err(StoreError::SchemaTooOld {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        }),
        std::cmp::Ordering::Equal => Ok(()),
    }
}

/// Refuses another program's SQLite file rather than adding tables to it.
fn check_is_lookout(conn: &Connection, path: &Path) -> Result<()> {
    let application_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(|e| sql_error(path, e))?;
    let foreign = match application_id {
        APPLICATION_ID => false,
        0 => {
            let objects: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
                .map_err(|e| sql_error(path, e))?;
            objects > 0
        }
        _ => true,
    };
    if foreign {
        return Err(StoreError::NotLookout {
            path: path.to_path_buf(),
            application_id,
        });
    }
    Ok(())
}

fn too_new(path: &Path, found: u32, supported: u32) -> StoreError {
    StoreError::SchemaTooNew {
        path: path.to_path_buf(),
        found,
        supported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |row| row.get(0))
            .expect("count query runs")
    }

    #[test]
    fn an_older_database_is_upgraded_and_keeps_its_rows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("lookout.db");
        let v2 = "ALTER TABLE settings ADD COLUMN note TEXT;";

        let mut conn = Connection::open(&path).expect("open");
        migrate(&mut conn, &path, &[V1]).expect("migrate to version 1");
        conn.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')", [])
            .expect("insert a row at version 1");
        drop(conn);

        let mut conn = Connection::open(&path).expect("reopen");
        migrate(&mut conn, &path, &[V1, v2]).expect("migrate to version 2");
        assert_eq!(
            user_version(&conn, &path).expect("version"),
            2,
            "upgraded to version 2"
        );
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM settings WHERE key = 'k' AND note IS NULL"
            ),
            1,
            "the version-1 row survived and gained the new column"
        );
        migrate(&mut conn, &path, &[V1, v2]).expect("migrating again is a no-op");
        assert_eq!(
            user_version(&conn, &path).expect("version"),
            2,
            "still version 2"
        );
    }

    #[test]
    fn a_failing_step_leaves_the_previous_version_intact() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("lookout.db");
        let mut conn = Connection::open(&path).expect("open");
        let err = migrate(&mut conn, &path, &[V1, "CREATE TABLE alert_log (x);"])
            .expect_err("a step that cannot run fails");
        assert!(
            matches!(err, StoreError::Migration { version: 2, .. }),
            "the error names the failing version: {err}"
        );
        assert_eq!(
            user_version(&conn, &path).expect("version"),
            1,
            "version 1 was kept"
        );
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("other.db");
        let mut conn = Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE photos (id INTEGER);")
            .expect("create a foreign table");
        let err = migrate(&mut conn, &path, MIGRATIONS).expect_err("foreign file refused");
        assert!(
            err.to_string().contains("is not a Lookout database"),
            "clear message: {err}"
        );
    }

    #[test]
    fn application_id_constant_matches_the_migration() {
        assert!(
            V1.contains(&format!("application_id = {APPLICATION_ID};")),
            "V1 sets APPLICATION_ID"
        );
    }
}
