//! The SQLite store against real database files: schema, alert log, states, batches, readers.
#![allow(clippy::expect_used)] // test helpers fail loudly, like the tests they serve

use lookout_core::{AlertPhase, AlertState, EventKind, Snooze};
use lookout_monitor::store::{OutboxDepth, OutboxStatus, Store, StoreError, SCHEMA_VERSION};
use lookout_testkit::{at, db_in, email, event, set_user_version, status_of};
use tempfile::TempDir;

#[test]
fn the_database_and_its_directory_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().expect("temp dir");
    let path = db_in(&dir);
    let mut store = Store::open(&path).expect("create");
    store
        .record_event(&event("cpu", EventKind::Firing, at(1)))
        .expect("write (creates the WAL)");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    let data_dir = path.parent().expect("data dir");
    assert_eq!(
        mode(data_dir),
        0o700,
        "the data directory is the user's alone"
    );
    for name in ["lookout.db", "lookout.db-wal", "lookout.db-shm"] {
        let file = data_dir.join(name);
        assert_eq!(mode(&file), 0o600, "{name} holds alerts: the user's alone");
    }
}

#[test]
fn a_new_database_is_created_migrated_and_reopened() {
    let dir = TempDir::new().expect("temp dir");
    let path = db_in(&dir);
    let mut store = Store::open(&path).expect("create the database and its directory");
    assert_eq!(
        store.schema_version().expect("version"),
        SCHEMA_VERSION,
        "migrated to the latest"
    );
    let id = store
        .record_event(&event("cpu", EventKind::Firing, at(1)))
        .expect("write");
    drop(store);

    let journal: String = rusqlite::Connection::open(&path)
        .expect("raw open")
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .expect("journal mode");
    assert_eq!(journal, "wal", "the database is in WAL mode");

    let store = Store::open(&path).expect("reopen");
    assert_eq!(
        store.schema_version().expect("version"),
        SCHEMA_VERSION,
        "same version"
    );
    let alerts = store.alerts_since(at(0), 10).expect("read");
    assert_eq!(alerts.len(), 1, "the event survived reopening");
    assert_eq!(alerts[0].id, id, "with its id");
}

#[test]
fn an_empty_file_is_migrated() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("lookout.db");
    std::fs::write(&path, b"").expect("create an empty file");
    let store = Store::open(&path).expect("open the empty file");
    assert_eq!(
        store.schema_version().expect("version"),
        SCHEMA_VERSION,
        "migrated"
    );
    assert_eq!(
        store.outbox_depth().expect("depth"),
        OutboxDepth::default(),
        "tables exist"
    );
}

#[test]
fn a_database_from_a_newer_build_is_refused_naming_both_versions() {
    let dir = TempDir::new().expect("temp dir");
    let path = db_in(&dir);
    drop(Store::open(&path).expect("create"));
    let newer = SCHEMA_VERSION + 7;
    set_user_version(&path, newer);

    for (how, result) in [
        ("read-write", Store::open(&path)),
        ("read-only", Store::open_read_only(&path)),
    ] {
        let err = result
            .err()
            .unwrap_or_else(|| panic!("{how} open of a newer schema must fail"));
        assert!(
            matches!(err, StoreError::SchemaTooNew { found, supported, .. } if found == newer && supported == SCHEMA_VERSION),
            "{how}: SchemaTooNew with both versions, got {err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains(&format!("schema version {newer}"))
                && message.contains(&format!("at most version {SCHEMA_VERSION}"))
                && message.contains(&path.display().to_string()),
            "{how}: the message names both versions and the file: {message}"
        );
    }
}

#[test]
fn the_alert_log_round_trips_and_filters_by_time() {
    let dir = TempDir::new().expect("temp dir");
    let mut store = Store::open(&db_in(&dir)).expect("open");
    let firing = event("cpu", EventKind::Firing, at(1_000));
    let reminder = event("cpu", EventKind::Reminder, at(2_000));
    let mut resolved = event("cpu", EventKind::Resolved, at(3_000));
    resolved.value = None;
    resolved.notify = false;
    let ids: Vec<i64> = [&firing, &reminder, &resolved]
        .iter()
        .map(|e| store.record_event(e).expect("record"))
        .collect();

    let recent = store.alerts_since(at(2_000), 10).expect("read");
    assert_eq!(recent.len(), 2, "only events at or after `since`");
    assert_eq!(recent[0].id, ids[2], "newest first");
    assert_eq!(
        recent[0].event, resolved,
        "the resolved event round-trips, None value included"
    );
    assert_eq!(recent[1].event, reminder, "the reminder round-trips");

    let all = store.alerts_since(at(0), 10).expect("read");
    assert_eq!(
        all.last().map(|a| &a.event),
        Some(&firing),
        "the oldest comes last"
    );
    let newest = store.alerts_since(at(0), 1).expect("read");
    assert_eq!(newest.len(), 1, "limit applies");
    assert_eq!(newest[0].id, ids[2], "the limit keeps the newest");
}

#[test]
fn alert_states_and_snooze_survive_a_restart() {
    let dir = TempDir::new().expect("temp dir");
    let path = db_in(&dir);
    let firing = AlertState {
        phase: AlertPhase::Firing {
            since: at(0),
            last_notified: at(60_000),
            clearing_since: Some(at(90_000)),
            reminders: 2,
        },
        last_value: Some(91.0),
        last_coverage: 0.97,
    };
    let pending = AlertState {
        phase: AlertPhase::Pending { since: at(5) },
        last_value: Some(85.0),
        last_coverage: 1.0,
    };
    let mut snooze = Snooze::default();
    snooze.snooze_rule("disk", at(3_600_000));
    snooze.snooze_all(at(600_000));

    let mut store = Store::open(&path).expect("open");
    assert_eq!(
        store.load_snooze().expect("load"),
        Snooze::default(),
        "no snooze saved yet"
    );
    store
        .save_states(&[("cpu".to_owned(), firing), ("disk".to_owned(), pending)])
        .expect("save states");
    store.save_snooze(&snooze).expect("save snooze");
    drop(store);

    let mut store = Store::open(&path).expect("reopen after a restart");
    let states = store.load_states().expect("load");
    assert_eq!(
        states,
        vec![("cpu".to_owned(), firing), ("disk".to_owned(), pending)],
        "every state came back as saved"
    );
    assert!(states[0].1.is_firing(), "the firing alert is still firing");
    assert_eq!(
        store.load_snooze().expect("load"),
        snooze,
        "the snooze came back"
    );

    store
        .save_states(&[("cpu".to_owned(), AlertState::default())])
        .expect("save the full set without 'disk'");
    assert_eq!(
        store.load_states().expect("load"),
        vec![("cpu".to_owned(), AlertState::default())],
        "a rule left out of the full set is forgotten, and cpu was overwritten"
    );
}

#[test]
fn a_batch_commits_all_or_nothing() {
    let dir = TempDir::new().expect("temp dir");
    let mut store = Store::open(&db_in(&dir)).expect("open");
    let firing = AlertState {
        phase: AlertPhase::Firing {
            since: at(0),
            last_notified: at(0),
            clearing_since: None,
            reminders: 0,
        },
        last_value: Some(95.0),
        last_coverage: 1.0,
    };
    let result: Result<(), StoreError> = store.batch(|b| {
        let id = b.record_event(&event("cpu", EventKind::Firing, at(0)))?;
        b.enqueue(&email(Some(id), "cpu firing"), at(0))?;
        b.save_states(&[("cpu".to_owned(), firing)])?;
        b.mark_sent(9_999, at(0)) // fails: no such message
    });
    assert!(result.is_err(), "the failing write fails the batch");
    assert!(
        store.alerts_since(at(0), 10).expect("read").is_empty(),
        "event rolled back"
    );
    assert_eq!(
        store.outbox_depth().expect("depth").pending,
        0,
        "email rolled back"
    );
    assert!(
        store.load_states().expect("read").is_empty(),
        "states rolled back"
    );

    let email_id = store
        .batch(|b| {
            let id = b.record_event(&event("cpu", EventKind::Firing, at(0)))?;
            let email_id = b.enqueue(&email(Some(id), "cpu firing"), at(0))?;
            b.save_states(&[("cpu".to_owned(), firing)])?;
            Ok(email_id)
        })
        .expect("a good batch commits");
    assert_eq!(
        status_of(&store, email_id),
        OutboxStatus::Pending,
        "email committed"
    );
    assert_eq!(
        store.load_states().expect("read").len(),
        1,
        "state committed"
    );
}

#[test]
fn a_reader_sees_the_writers_data_and_cannot_write() {
    let dir = TempDir::new().expect("temp dir");
    let path = db_in(&dir);
    let missing = Store::open_read_only(&path).err().expect("no database yet");
    assert!(
        matches!(missing, StoreError::Missing { .. })
            && missing.to_string().contains(&path.display().to_string()),
        "a missing database is named: {missing}"
    );

    let mut writer = Store::open(&path).expect("writer");
    writer
        .record_event(&event("cpu", EventKind::Firing, at(0)))
        .expect("write");
    let mut reader = Store::open_read_only(&path).expect("reader alongside the writer");
    writer
        .record_event(&event("cpu", EventKind::Resolved, at(1)))
        .expect("write while a reader is open");
    assert_eq!(
        reader.alerts_since(at(0), 10).expect("read").len(),
        2,
        "the reader sees both"
    );

    let err = reader
        .record_event(&event("cpu", EventKind::Firing, at(2)))
        .expect_err("a read-only store refuses writes");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "the error names the file: {err}"
    );
}
