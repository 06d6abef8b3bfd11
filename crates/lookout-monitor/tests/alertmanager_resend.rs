//! Alertmanager ends an alert that is not sent again, so a firing alert's last message on an
//! Alertmanager channel is queued again every re-send period, in simulated time: never while
//! one waits, never after the resolution, never for a rule no longer firing, and a firing
//! that lasts a day keeps a bounded outbox.

use lookout_core::alert::{AlertPhase, AlertState};
use lookout_core::rule::Channel;
use lookout_core::{EventKind, Severity, Timestamp};
use lookout_monitor::delivery::push::payload::ALERTMANAGER_RESEND;
use lookout_monitor::store::{DeliveryOutcome, DeliveryRecord, PushPayload, Store};
use lookout_testkit::cpu_event;

const AM: &str = "am";

fn firing_state(firing: bool) -> AlertState {
    AlertState {
        phase: if firing {
            AlertPhase::Firing {
                since: Timestamp::from_millis(0),
                last_notified: Timestamp::from_millis(0),
                clearing_since: None,
                reminders: 0,
            }
        } else {
            AlertPhase::Inactive
        },
        last_value: None,
        last_coverage: 1.0,
    }
}

fn payload(state: EventKind) -> PushPayload {
    PushPayload {
        event: Some(cpu_event("cpu high", state, Severity::Critical)),
        lang: "en".into(),
        host: "ws".into(),
        resend: false,
    }
}

/// Sends every due message of the channel (marks it sent); returns how many, and whether the
/// last was a re-send.
fn send_all(store: &mut Store, now: Timestamp) -> Vec<bool> {
    let mut sent = Vec::new();
    while let Some(m) = store.batch(|b| b.claim_push_head(AM, now)).expect("claim") {
        let record = DeliveryRecord {
            at: now,
            channel: Channel::named(AM),
            event_id: m.event_id,
            outbox_id: Some(m.id),
            outcome: DeliveryOutcome::Ok,
            detail: "HTTP 200".into(),
        };
        store
            .batch(|b| b.finish_attempt(m.id, &record, now))
            .expect("finish");
        sent.push(m.payload.resend);
    }
    sent
}

fn resend(store: &mut Store, now: Timestamp) -> usize {
    store
        .batch(|b| b.resend_firing(AM, now.minus(ALERTMANAGER_RESEND), now))
        .expect("resend")
}

/// Rows in the outbox, counted through a second connection to the same file.
fn rows(path: &std::path::Path) -> usize {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))
        .expect("count") as usize
}

#[test]
fn a_firing_alert_is_sent_again_each_period_until_it_resolves() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("lookout.db");
    let mut store = Store::open(&db).expect("store");
    let t0 = Timestamp::from_millis(1_800_000_000_000);
    store
        .batch(|b| {
            b.save_states(&[("cpu high".into(), firing_state(true))])?;
            b.enqueue_push(AM, None, &payload(EventKind::Firing), t0)
        })
        .expect("queue");
    assert_eq!(
        resend(&mut store, t0.plus(ALERTMANAGER_RESEND * 2)),
        0,
        "one waits"
    );
    assert_eq!(send_all(&mut store, t0), [false]);
    let just_before = t0
        .plus(ALERTMANAGER_RESEND)
        .minus(std::time::Duration::from_millis(1));
    assert_eq!(resend(&mut store, just_before), 0, "not yet a period old");

    // A day of firing, checked every minute as the sender does.
    let mut resent = 0;
    let mut now = t0;
    for _ in 0..24 * 60 {
        now = now.plus(std::time::Duration::from_secs(60));
        resend(&mut store, now);
        resent += send_all(&mut store, now).iter().filter(|r| **r).count();
        assert!(rows(&db) <= 3, "the outbox stays small: {}", rows(&db));
    }
    assert_eq!(resent, 24 * 60 / 5, "once every five minutes");

    // Resolved: the resolution goes out and nothing is sent again.
    store
        .batch(|b| {
            b.save_states(&[("cpu high".into(), firing_state(false))])?;
            b.enqueue_push(AM, None, &payload(EventKind::Resolved), now)
        })
        .expect("resolve");
    assert_eq!(send_all(&mut store, now), [false]);
    let later = now.plus(ALERTMANAGER_RESEND * 3);
    assert_eq!(
        resend(&mut store, later),
        0,
        "a resolved alert is not sent again"
    );
}

#[test]
fn a_rule_no_longer_firing_or_never_sent_here_is_not_sent_again() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(&dir.path().join("lookout.db")).expect("store");
    let t0 = Timestamp::from_millis(1_800_000_000_000);
    store
        .batch(|b| {
            b.save_states(&[("cpu high".into(), firing_state(true))])?;
            b.enqueue_push("other", None, &payload(EventKind::Firing), t0)
        })
        .expect("queue");
    let later = t0.plus(ALERTMANAGER_RESEND * 2);
    assert_eq!(resend(&mut store, later), 0, "never sent on this channel");
    store
        .batch(|b| b.enqueue_push(AM, None, &payload(EventKind::Firing), t0))
        .expect("queue");
    send_all(&mut store, t0);
    // The rule went away (removed from the config, or resolved without notify_resolved).
    store.batch(|b| b.save_states(&[])).expect("states");
    assert_eq!(resend(&mut store, later), 0, "no longer firing");
    store
        .batch(|b| b.save_states(&[("cpu high".into(), firing_state(true))]))
        .expect("states");
    assert_eq!(resend(&mut store, later), 1, "firing again: sent again");
}
