//! The email outbox and the delivery log against real database files, crashes included.
#![allow(clippy::expect_used)] // test helpers fail loudly, like the tests they serve

use lookout_core::rule::Channel;
use lookout_core::EventKind;
use lookout_monitor::store::{DeliveryOutcome, DeliveryRecord, OutboxDepth, OutboxStatus, Store};
use lookout_testkit::{at, db_in, email, event, status_of};
use std::time::Duration;
use tempfile::TempDir;

#[test]
fn outbox_messages_move_through_claim_sent_retry_and_failed() {
    let dir = TempDir::new().expect("temp dir");
    let mut store = Store::open(&db_in(&dir)).expect("open");
    let event_id = store
        .record_event(&event("cpu", EventKind::Firing, at(0)))
        .expect("record");
    let a = store
        .enqueue(&email(Some(event_id), "a"), at(0))
        .expect("enqueue a");
    let b = store.enqueue(&email(None, "b"), at(1)).expect("enqueue b");
    assert_eq!(
        status_of(&store, a),
        OutboxStatus::Pending,
        "stored before any attempt"
    );
    assert_eq!(
        store.outbox_depth().expect("depth").pending,
        2,
        "two waiting"
    );

    assert_eq!(
        store.next_pending_at().expect("next"),
        Some(at(0)),
        "the sender wakes for the oldest message"
    );
    assert!(
        store.claim_due(at(-1), 10).expect("claim").is_empty(),
        "nothing is due before it was queued"
    );
    let claimed = store.claim_due(at(1), 10).expect("claim");
    assert_eq!(
        claimed.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![a, b],
        "oldest due first"
    );
    assert!(
        claimed
            .iter()
            .all(|m| m.status == OutboxStatus::Sending && m.attempts == 1),
        "claiming marks them sending and counts the attempt: {claimed:?}"
    );
    assert_eq!(
        claimed[0].email,
        email(Some(event_id), "a"),
        "the message parts round-trip"
    );
    assert!(
        store.claim_due(at(1), 10).expect("claim").is_empty(),
        "a claimed message is not handed out twice"
    );

    store.mark_sent(a, at(2)).expect("mark a sent");
    let sent = store.outbox_email(a).expect("read").expect("exists");
    assert_eq!(
        (sent.status, sent.sent_at),
        (OutboxStatus::Sent, Some(at(2))),
        "a is sent, with its time"
    );

    store
        .mark_retry(b, at(60_000), "connection refused")
        .expect("retry b later");
    assert!(
        store.claim_due(at(59_999), 10).expect("claim").is_empty(),
        "b waits for its backoff"
    );
    assert_eq!(
        store.next_pending_at().expect("next"),
        Some(at(60_000)),
        "the sender sleeps until the retry is due"
    );
    let again = store.claim_due(at(60_000), 10).expect("claim");
    assert_eq!(again.len(), 1, "b is due again after the backoff");
    assert_eq!(again[0].attempts, 2, "second attempt counted");
    assert_eq!(
        again[0].last_error.as_deref(),
        Some("connection refused"),
        "last error kept"
    );

    store
        .mark_failed(b, "535 authentication failed")
        .expect("fail b permanently");
    assert_eq!(
        status_of(&store, b),
        OutboxStatus::Failed,
        "b failed for good"
    );
    assert!(
        store
            .claim_due(at(999_999_999), 10)
            .expect("claim")
            .is_empty(),
        "failed and sent messages are never claimed"
    );
    assert_eq!(
        store.next_pending_at().expect("next"),
        None,
        "nothing left to wake for"
    );
    assert_eq!(
        store.outbox_depth().expect("depth"),
        OutboxDepth {
            pending: 0,
            failed: 1
        },
        "depth counts the failure"
    );

    let err = store
        .mark_sent(b, at(3))
        .expect_err("a failed message cannot become sent");
    assert!(
        err.to_string().contains(&format!("outbox message {b}"))
            && err.to_string().contains("'failed'"),
        "the error names the message and its status: {err}"
    );
}

#[test]
fn old_pending_messages_expire_with_the_reason() {
    let dir = TempDir::new().expect("temp dir");
    let mut store = Store::open(&db_in(&dir)).expect("open");
    let old = store.enqueue(&email(None, "old"), at(0)).expect("enqueue");
    let young = store
        .enqueue(&email(None, "young"), at(3_000_000))
        .expect("enqueue");
    store.claim_due(at(0), 1).expect("claim old");
    store
        .mark_retry(old, at(10), "connection refused")
        .expect("retry");

    let expired = store
        .expire_older_than(Duration::from_secs(3600), at(3_600_001))
        .expect("expire");
    assert_eq!(expired, 1, "only the message older than an hour expires");
    let message = store.outbox_email(old).expect("read").expect("exists");
    assert_eq!(message.status, OutboxStatus::Failed, "expired means failed");
    assert_eq!(
        message.last_error.as_deref(),
        Some("gave up after 1h: connection refused"),
        "the reason says how long and the last error"
    );
    assert_eq!(
        status_of(&store, young),
        OutboxStatus::Pending,
        "a younger message keeps waiting"
    );
}

#[test]
fn a_message_left_sending_by_a_crash_is_sent_again_but_a_sent_one_never() {
    let dir = TempDir::new().expect("temp dir");
    let path = db_in(&dir);
    let mut store = Store::open(&path).expect("open");
    let delivered = store
        .enqueue(&email(None, "delivered"), at(0))
        .expect("enqueue");
    let interrupted = store
        .enqueue(&email(None, "interrupted"), at(0))
        .expect("enqueue");
    assert_eq!(
        store.claim_due(at(0), 10).expect("claim").len(),
        2,
        "both claimed"
    );
    store
        .mark_sent(delivered, at(1))
        .expect("the server accepted the first");
    drop(store); // the process dies mid-attempt on the second

    let reader = Store::open_read_only(&path).expect("read-only open");
    assert_eq!(
        status_of(&reader, interrupted),
        OutboxStatus::Sending,
        "a reader does not requeue"
    );
    drop(reader);

    let mut store = Store::open(&path).expect("restart");
    let resumed = store.claim_due(at(2), 10).expect("claim after restart");
    assert_eq!(
        resumed.len(),
        1,
        "exactly one message is sent again: {resumed:?}"
    );
    assert_eq!(resumed[0].id, interrupted, "the interrupted one");
    assert_eq!(
        resumed[0].attempts, 2,
        "the interrupted attempt still counts"
    );
    assert!(
        resumed[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("interrupted")),
        "the interruption is recorded: {:?}",
        resumed[0].last_error
    );
    assert_eq!(
        status_of(&store, delivered),
        OutboxStatus::Sent,
        "the sent one stays sent"
    );
}

#[test]
fn deliveries_are_logged_and_summarised_per_channel() {
    let dir = TempDir::new().expect("temp dir");
    let mut store = Store::open(&db_in(&dir)).expect("open");
    let event_id = store
        .record_event(&event("cpu", EventKind::Firing, at(0)))
        .expect("record");
    let outbox_id = store
        .enqueue(&email(Some(event_id), "x"), at(0))
        .expect("enqueue");
    let record = |offset, channel: Channel, outcome, detail: &str| DeliveryRecord {
        at: at(offset),
        outbox_id: (channel == Channel::EMAIL).then_some(outbox_id),
        channel,
        event_id: Some(event_id),
        outcome,
        detail: detail.to_owned(),
    };
    let log = [
        record(1, Channel::DESKTOP, DeliveryOutcome::Ok, "shown"),
        record(2, Channel::EMAIL, DeliveryOutcome::Ok, "250 queued"),
        record(
            3,
            Channel::EMAIL,
            DeliveryOutcome::Retry,
            "connection refused",
        ),
        record(
            4,
            Channel::EMAIL,
            DeliveryOutcome::Failed,
            "535 authentication failed",
        ),
    ];
    for r in &log {
        store.record_delivery(r).expect("record delivery");
    }

    let since = store.deliveries_since(at(2), 10).expect("read");
    assert_eq!(
        since.iter().map(|d| d.record.clone()).collect::<Vec<_>>(),
        vec![log[3].clone(), log[2].clone(), log[1].clone()],
        "entries at or after `since`, newest first, round-trip"
    );

    let health = store.channel_health(&[]).expect("health");
    let desktop = health
        .iter()
        .find(|h| h.channel == Channel::DESKTOP)
        .expect("desktop listed");
    let email = health
        .iter()
        .find(|h| h.channel == Channel::EMAIL)
        .expect("email listed");
    assert!(!desktop.is_failing(), "desktop is healthy: {desktop:?}");
    assert_eq!(desktop.last_ok_at, Some(at(1)), "desktop's last success");
    assert_eq!(
        email.consecutive_failures, 2,
        "two email failures since the last success"
    );
    assert_eq!(email.last_ok_at, Some(at(2)), "email's last success");
    assert_eq!(email.last_error_at, Some(at(4)), "email's last error time");
    assert_eq!(
        email.last_error.as_deref(),
        Some("535 authentication failed"),
        "and text"
    );

    store
        .record_delivery(&record(
            5,
            Channel::EMAIL,
            DeliveryOutcome::Ok,
            "250 queued",
        ))
        .expect("record");
    let email = store.channel_health(&[]).expect("health").remove(1);
    assert_eq!(
        email.consecutive_failures, 0,
        "a success resets the failure count"
    );
    assert_eq!(
        email.last_error_at,
        Some(at(4)),
        "the last error is still shown"
    );
}

fn raw_status(path: &std::path::Path, id: i64) -> (String, Option<String>) {
    rusqlite::Connection::open(path)
        .expect("raw open")
        .query_row(
            "SELECT status, last_error FROM outbox WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("row")
}

#[test]
fn a_corrupt_row_is_marked_failed_and_the_others_still_go() {
    let dir = TempDir::new().expect("temp dir");
    let path = db_in(&dir);
    let mut store = Store::open(&path).expect("open");
    let good = store.enqueue(&email(None, "good"), at(0)).expect("enqueue");
    let bad_json = store
        .enqueue(&email(None, "bad json"), at(0))
        .expect("enqueue");
    let bad_type = store
        .enqueue(&email(None, "bad type"), at(0))
        .expect("enqueue");
    let raw = rusqlite::Connection::open(&path).expect("raw open");
    raw.execute(
        "UPDATE outbox SET recipients = 'not json' WHERE id = ?1",
        [bad_json],
    )
    .expect("corrupt the recipients");
    raw.execute(
        "UPDATE outbox SET date = 'yesterday' WHERE id = ?1",
        [bad_type],
    )
    .expect("text where a time was");
    drop(raw);

    let claimed = store
        .claim_due(at(1), 10)
        .expect("one bad row does not fail the claim");
    let ids: Vec<i64> = claimed.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![good], "the readable message is handed out");
    for id in [bad_json, bad_type] {
        let (status, error) = raw_status(&path, id);
        assert_eq!(status, "failed", "message {id}");
        assert!(
            error.is_some_and(|e| e.contains("cannot be read")),
            "message {id} says why"
        );
    }
    assert!(
        store
            .claim_due(at(2), 10)
            .expect("the next claim works too")
            .is_empty(),
        "nothing else is due"
    );
}

#[test]
fn a_message_stuck_in_sending_is_requeued_once_then_given_up() {
    let dir = TempDir::new().expect("temp dir");
    let path = db_in(&dir);
    let mut store = Store::open(&path).expect("open");
    let id = store
        .enqueue(&email(None, "stuck"), at(0))
        .expect("enqueue");
    let timeout = Duration::from_secs(90);
    let claimed = store.claim_due(at(0), 10).expect("claim");
    let message_id = claimed[0].email.message_id.clone();
    // The attempt's result is never recorded (the disk was full).
    let requeue = |store: &mut Store, now| {
        store
            .batch(|b| b.requeue_stuck(now, timeout))
            .expect("requeue")
    };
    assert_eq!(
        requeue(&mut store, at(60_000)),
        (0, 0),
        "within the timeout it may still be sending"
    );
    assert_eq!(
        requeue(&mut store, at(100_000)),
        (1, 0),
        "past the timeout: requeued"
    );
    assert_eq!(status_of(&store, id), OutboxStatus::Pending);
    let again = store.claim_due(at(100_000), 10).expect("claim again");
    assert_eq!(
        again[0].email.message_id, message_id,
        "the same Message-ID, so a duplicate is recognisable"
    );
    assert_eq!(
        requeue(&mut store, at(300_000)),
        (0, 1),
        "stuck twice: given up"
    );
    let (status, error) = raw_status(&path, id);
    assert_eq!(status, "failed");
    assert!(
        error.is_some_and(|e| e.contains("at most once")),
        "says why"
    );
}
