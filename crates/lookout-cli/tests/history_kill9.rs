//! `kill -9` during heavy history writes, fifty times: each time the database opens cleanly,
//! passes SQLite's integrity check, and keeps every history chunk, alert and outbox message
//! that was committed before the kill.
#![allow(clippy::expect_used)]

mod support;

use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::{Duration, Instant};
use support::{always_firing_config, Home, PATIENCE};

const KILLS: usize = 50;

/// Committed rows: history chunks, alert log entries, outbox messages.
fn counts(db: &Path) -> (i64, i64, i64) {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("opens");
    conn.busy_timeout(Duration::from_secs(5)).expect("timeout");
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql);
    (
        count("SELECT count(*) FROM history_raw"),
        count("SELECT count(*) FROM alert_log"),
        count("SELECT count(*) FROM outbox"),
    )
}

/// [`counts`] once the monitor has created the file and its tables (it may be mid-start).
fn counts_when_ready(db: &Path) -> Option<(i64, i64, i64)> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    let ready: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('history_raw', 'alert_log', 'outbox')",
            [],
            |r| r.get(0),
        )
        .ok()?;
    (ready == 3).then(|| counts(db))
}

fn integrity(db: &Path) -> String {
    let conn = Connection::open(db).expect("opens after kill -9");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity check runs")
}

#[test]
fn kill_9_during_history_writes_loses_nothing_committed() {
    // Email to a closed port keeps messages queued in the outbox; ticks every 100 ms.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let config = always_firing_config(closed, "", false).replace("\"200ms\"", "\"100ms\"");
    let mut home = Home::new(&config);
    // Written every second rather than every ten, so fifty kills take a minute.
    home.env.push(("LOOKOUT_HISTORY_FLUSH".into(), "1s".into()));
    let db = home.data.join("lookout.db");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut committed = (0, 0, 0);
    for round in 0..KILLS {
        let running = home.start();
        // Wait for a history write of this run, then kill at a random point of the next.
        let deadline = Instant::now() + PATIENCE;
        while counts_when_ready(&db).is_none_or(|now| now.0 <= committed.0) {
            assert!(
                Instant::now() < deadline,
                "round {round}: no history written:\n{}",
                running.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        std::thread::sleep(Duration::from_millis((seed >> 33) % 1000));
        committed = counts(&db);
        running.kill9();
        assert_eq!(integrity(&db), "ok", "round {round}");
        let after = counts(&db);
        assert!(
            after.0 >= committed.0 && after.1 >= committed.1 && after.2 >= committed.2,
            "round {round}: committed {committed:?}, found {after:?}"
        );
        committed = after;
    }
    assert!(committed.0 >= KILLS as i64, "history chunks: {committed:?}");
    assert!(
        committed.1 >= 1 && committed.2 >= 1,
        "alert and email kept: {committed:?}"
    );
    // The last run's readings read back through the command line.
    let out = home.run(
        &["history", "mem.used_pct", "--since", "10m", "--json"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let series: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(!series["points"].as_array().expect("points").is_empty());
}
