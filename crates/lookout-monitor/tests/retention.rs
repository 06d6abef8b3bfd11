//! Retention keeps the database bounded: a year of alerts, delivery attempts and emails on
//! simulated time, pruned as the monitor's job prunes, leaves what `[storage]` keeps and a file
//! that stops growing; the job itself runs at start and hourly on paused time.

use lookout_core::rule::Channel;
use lookout_core::{EventKind, Timestamp};
use lookout_monitor::store::{
    retention, DeliveryOutcome, DeliveryRecord, Retention, Store, StoreHandle,
};
use lookout_monitor::sys::{Clock, Shutdown};
use lookout_testkit::{email, event};
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

const DAY: i64 = 86_400_000;
const START: i64 = 1_700_000_000_000;

/// One simulated day: `alerts` firing events spread over the day, each with a delivery
/// attempt and an email sent at once.
fn live_a_day(store: &mut Store, day: i64, alerts: i64) {
    store
        .batch(|b| {
            for i in 0..alerts {
                let at = Timestamp::from_millis(START + day * DAY + i * (DAY / alerts));
                let id = b.record_event(&event("cpu", EventKind::Firing, at))?;
                let mail = b.enqueue(&email(Some(id), "CPU high"), at)?;
                b.record_delivery(&DeliveryRecord {
                    at,
                    channel: Channel::EMAIL,
                    event_id: Some(id),
                    outbox_id: Some(mail),
                    outcome: DeliveryOutcome::Ok,
                    detail: "accepted: 250 ok".to_owned(),
                })?;
            }
            Ok(())
        })
        .expect("a day of entries");
    let claimed = store
        .claim_due(Timestamp::from_millis(START + (day + 1) * DAY), 10_000)
        .expect("claim");
    for mail in claimed {
        store.mark_sent(mail.id, mail.created_at).expect("sent");
    }
}

fn count(path: &std::path::Path, table: &str) -> (i64, i64) {
    let conn = rusqlite::Connection::open(path).expect("raw open");
    conn.query_row(
        &format!("SELECT count(*), coalesce(min(at), 0) FROM {table}"),
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .expect("count")
}

fn outbox_oldest(path: &std::path::Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(path).expect("raw open");
    conn.query_row(
        "SELECT count(*), coalesce(min(created_at), 0) FROM outbox",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .expect("count")
}

#[test]
fn a_year_of_entries_leaves_90_days_of_logs_30_of_email_and_a_bounded_file() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("lookout.db");
    let mut store = Store::open(&path).expect("open");
    let policy = Retention::default();
    let mut pages_by_day = Vec::new();
    for day in 0..365 {
        live_a_day(&mut store, day, 48);
        let now = Timestamp::from_millis(START + (day + 1) * DAY);
        store.prune(&policy, now).expect("prune");
        pages_by_day.push(store.page_counts().expect("pages").0);
    }
    let now = START + 365 * DAY;
    let (alerts, oldest_alert) = count(&path, "alert_log");
    assert_eq!(alerts, 90 * 48, "90 days of alerts at 48 a day remain");
    assert!(oldest_alert >= now - 90 * DAY, "nothing older than 90 days");
    let (deliveries, oldest_delivery) = count(&path, "delivery_log");
    assert_eq!(deliveries, 90 * 48, "90 days of delivery attempts remain");
    assert!(oldest_delivery >= now - 90 * DAY);
    let (emails, oldest_email) = outbox_oldest(&path);
    assert_eq!(emails, 30 * 48, "30 days of sent emails remain");
    assert!(oldest_email >= now - 30 * DAY);
    // From the fourth month on, pruning frees as much as a day adds: the file stops growing.
    let at_100_days = pages_by_day[100];
    let at_year = pages_by_day[364];
    assert!(
        at_year <= at_100_days + at_100_days / 10,
        "the file kept growing: {at_100_days} pages after 100 days, {at_year} after a year"
    );
    let (_, free) = store.page_counts().expect("pages");
    assert!(
        free < at_year / 4,
        "freed pages are handed back (incremental vacuum): {free} free of {at_year}"
    );
}

#[test]
fn each_log_keeps_at_most_the_newest_entries_and_unsent_email_is_never_pruned() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("lookout.db");
    let mut store = Store::open(&path).expect("open");
    live_a_day(&mut store, 0, 300);
    let waiting = store
        .enqueue(&email(None, "still to send"), Timestamp::from_millis(START))
        .expect("enqueue");
    let policy = Retention {
        log_max_entries: 100,
        ..Retention::default()
    };
    let pruned = store
        .prune(&policy, Timestamp::from_millis(START + 400 * DAY))
        .expect("prune");
    assert_eq!(pruned.alerts, 300, "every alert is past 90 days");
    assert_eq!(
        store.outbox_email(waiting).expect("read").map(|m| m.id),
        Some(waiting),
        "a message still to be sent stays, however old"
    );

    live_a_day(&mut store, 500, 300);
    let pruned = store
        .prune(&policy, Timestamp::from_millis(START + 501 * DAY))
        .expect("prune");
    assert_eq!(pruned.alerts, 200, "only the newest 100 alerts stay");
    assert_eq!(pruned.deliveries, 200, "only the newest 100 attempts stay");
    let newest = store
        .alerts_since(Timestamp::from_millis(0), 1)
        .expect("read")[0]
        .id;
    let (alerts, _) = count(&path, "alert_log");
    assert_eq!(alerts, 100);
    let kept = store
        .alerts_since(Timestamp::from_millis(0), 1000)
        .expect("read");
    assert_eq!(
        kept.last().map(|a| a.id),
        Some(newest - 99),
        "the newest ones"
    );
}

#[tokio::test(start_paused = true)]
async fn the_job_prunes_at_start_and_then_every_hour() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("lookout.db");
    let mut store = Store::open(&path).expect("open");
    // The clock starts 91 days after day 0's entries.
    let origin = START + 91 * DAY;
    live_a_day(&mut store, 0, 24);
    let store = StoreHandle::new(store);
    let config: lookout_core::Config = toml::from_str("version = 1").expect("config");
    let (_config_tx, config_rx) =
        tokio::sync::watch::channel(Arc::new(config.validate().expect("valid")));
    let shutdown = Shutdown::new();
    let job = tokio::spawn(retention::run(
        store.clone(),
        config_rx,
        Clock::following_tokio(Timestamp::from_millis(origin)),
        shutdown.clone(),
    ));
    let alerts = |store: &StoreHandle| {
        store
            .blocking(|s| s.alerts_since(Timestamp::from_millis(0), 1000))
            .expect("read")
            .len()
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(alerts(&store), 0, "day 0 is pruned at start");

    // Day 1's entries, one an hour: by the job's clock each turns 90 days old an hour after
    // the one before it.
    store
        .blocking(|s| {
            live_a_day(s, 1, 24);
            Ok(())
        })
        .expect("day 1");
    tokio::time::sleep(Duration::from_secs(1800)).await;
    assert_eq!(alerts(&store), 24, "no run between the hours");
    tokio::time::sleep(Duration::from_secs(1860)).await;
    assert_eq!(
        alerts(&store),
        23,
        "the hourly run pruned the entry that turned 90 days old"
    );
    tokio::time::sleep(Duration::from_secs(23 * 3600)).await;
    assert_eq!(alerts(&store), 0, "and every hour after that");

    shutdown.trigger();
    job.await.expect("the job ends on shutdown");
}
