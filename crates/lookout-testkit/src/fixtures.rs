//! Shared fixtures for the store tests: timestamps, alert events, emails.

use lookout_core::rule::Channel;
use lookout_core::{Aggregate, AlertEvent, EventKind, MetricKey, Op, Severity, Timestamp};
use lookout_monitor::store::{NewEmail, OutboxStatus, Store};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

pub const T0: i64 = 1_700_000_000_000;

pub fn at(offset_ms: i64) -> Timestamp {
    Timestamp::from_millis(T0 + offset_ms)
}

pub fn db_in(dir: &TempDir) -> PathBuf {
    dir.path().join("data").join("lookout.db")
}

pub fn event(rule: &str, state: EventKind, when: Timestamp) -> AlertEvent {
    AlertEvent {
        rule: rule.to_owned(),
        state,
        metric: MetricKey::parse("cpu.total").expect("valid metric"),
        value: Some(93.5),
        threshold: 80.0,
        clear_threshold: 75.0,
        op: Op::Gt,
        aggregate: Aggregate::All,
        window: Duration::from_secs(3600),
        severity: Severity::Critical,
        at: when,
        since: at(0),
        coverage: 0.98,
        channels: vec![Channel::EMAIL],
        notify: true,
        culprits: Vec::new(),
        gave_up: None,
    }
}

pub fn email(event_id: Option<i64>, subject: &str) -> NewEmail {
    NewEmail {
        event_id,
        to: vec!["me@example.com".to_owned(), "oncall@example.com".to_owned()],
        subject: subject.to_owned(),
        text: "CPU above 80 % for 1h".to_owned(),
        html: Some("<p>CPU above 80 % for 1h</p>".to_owned()),
        from: "Lookout <alerts@example.com>".to_owned(),
        message_id: "<1@test>".to_owned(),
        date: at(0),
    }
}

pub fn status_of(store: &Store, id: i64) -> OutboxStatus {
    store
        .outbox_email(id)
        .expect("read outbox")
        .expect("message exists")
        .status
}

pub fn set_user_version(path: &Path, version: u32) {
    let conn = rusqlite::Connection::open(path).expect("open raw connection");
    conn.pragma_update(None, "user_version", version)
        .expect("set user_version");
}
