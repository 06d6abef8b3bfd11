//! The email sender's retry policy on paused time, with a scripted mail server: transient
//! failures back off (5 s, 10 s, 20 s, ... capped), a permanent one is never retried, and a
//! message undelivered for a day is given up. No test here waits for real.

use lookout_core::{Timestamp, ValidConfig};
use lookout_monitor::delivery::email::sender::{self, Transport};
use lookout_monitor::delivery::{DeliveryInputs, FailureCause, Health, RenderedEmail, SendError};
use lookout_monitor::store::{OutboxStatus, Store, StoreHandle};
use lookout_monitor::sys::{Clock, Shutdown};
use lookout_testkit::email;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

const ORIGIN: i64 = 1_700_000_000_000;

/// Answers each send with the next scripted result (the last one repeats) and notes when.
#[derive(Clone)]
struct Scripted {
    answers: Arc<Mutex<VecDeque<Result<String, SendError>>>>,
    attempts: Arc<Mutex<Vec<i64>>>,
    clock: Clock,
}

impl Transport for Scripted {
    async fn send(
        &self,
        _cfg: &lookout_core::config::EmailConfig,
        _email: &RenderedEmail,
    ) -> Result<String, SendError> {
        let seconds = (self.clock.now().as_millis() - ORIGIN) / 1000;
        self.attempts.lock().expect("lock").push(seconds);
        let mut answers = self.answers.lock().expect("lock");
        if answers.len() > 1 {
            answers.pop_front().expect("an answer")
        } else {
            answers.front().cloned().expect("an answer")
        }
    }
}

fn config() -> ValidConfig {
    let text = "version = 1\n[email]\nenabled = true\nhost = \"127.0.0.1\"\nport = 2525\n\
                tls = \"none\"\nfrom = \"lookout@example.com\"\nto = [\"me@example.com\"]\n";
    let config: lookout_core::Config = toml::from_str(text).expect("parses");
    config.validate().expect("valid")
}

struct Run {
    attempts: Arc<Mutex<Vec<i64>>>,
    store: StoreHandle,
    id: i64,
    shutdown: Shutdown,
    task: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

/// Queues one message at the origin and starts the sender with `answers`.
async fn run(answers: Vec<Result<String, SendError>>) -> Run {
    run_with(answers, false).await
}

/// Like [`run`]; with `stuck`, the message was claimed at the origin and the result of that
/// attempt never recorded (as when the disk was full).
async fn run_with(answers: Vec<Result<String, SendError>>, stuck: bool) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("lookout.db")).expect("open");
    let id = store
        .enqueue(&email(None, "CPU high"), Timestamp::from_millis(ORIGIN))
        .expect("enqueue");
    if stuck {
        let claimed = store
            .claim_due(Timestamp::from_millis(ORIGIN), 10)
            .expect("claim");
        assert_eq!(claimed.len(), 1, "claimed, then its result lost");
    }
    let store = StoreHandle::new(store);
    let clock = Clock::following_tokio(Timestamp::from_millis(ORIGIN));
    let transport = Scripted {
        answers: Arc::new(Mutex::new(answers.into())),
        attempts: Arc::default(),
        clock: clock.clone(),
    };
    let attempts = transport.attempts.clone();
    let (_tx, config) = tokio::sync::watch::channel(Arc::new(config()));
    let shutdown = Shutdown::new();
    let inputs = DeliveryInputs {
        store: store.clone(),
        config,
        clock,
        health: Arc::new(Health::default()),
        host: "test".to_owned(),
    };
    let wake = Arc::new(Notify::new());
    let task = sender::start(inputs, transport, wake.clone(), shutdown.clone());
    wake.notify_one();
    Run {
        attempts,
        store,
        id,
        shutdown,
        task,
        _dir: dir,
    }
}

impl Run {
    fn attempts(&self) -> Vec<i64> {
        self.attempts.lock().expect("lock").clone()
    }

    fn status(&self) -> OutboxStatus {
        let id = self.id;
        self.store
            .blocking(|s| s.outbox_email(id))
            .expect("read")
            .expect("exists")
            .status
    }

    async fn stop(self) {
        self.shutdown.trigger();
        self.task.await.expect("the sender ends on shutdown");
    }
}

fn refused() -> Result<String, SendError> {
    Err(SendError::transient(
        FailureCause::Connect,
        "connection refused",
    ))
}

#[tokio::test(start_paused = true)]
async fn a_message_whose_result_was_lost_is_sent_again_once_after_the_timeout() {
    let run = run_with(vec![Ok("250 ok".to_owned())], true).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    let attempts = run.attempts();
    assert_eq!(attempts.len(), 1, "sent once: {attempts:?}");
    assert!(
        attempts[0] >= 90,
        "not before the send timeout (30 s) and its slack (60 s): {attempts:?}"
    );
    assert_eq!(run.status(), OutboxStatus::Sent, "not left in sending");
    run.stop().await;
}

#[tokio::test(start_paused = true)]
async fn transient_failures_back_off_then_the_message_goes_out_once() {
    let run = run(vec![
        refused(),
        refused(),
        refused(),
        Ok("250 ok".to_owned()),
    ])
    .await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(
        run.attempts(),
        vec![0, 5, 15, 35],
        "retried after 5 s, 10 s and 20 s, then delivered and never sent again"
    );
    assert_eq!(run.status(), OutboxStatus::Sent);
    run.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_permanent_failure_is_never_retried() {
    let run = run(vec![Err(SendError::permanent(
        FailureCause::Auth,
        "535 authentication failed",
    ))])
    .await;
    tokio::time::sleep(Duration::from_secs(6 * 3600)).await;
    assert_eq!(run.attempts(), vec![0], "one attempt in six hours");
    assert_eq!(run.status(), OutboxStatus::Failed);
    run.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_message_undelivered_for_a_day_is_given_up() {
    let run = run(vec![refused()]).await;
    tokio::time::sleep(Duration::from_secs(30 * 3600)).await;
    let attempts = run.attempts();
    let last = *attempts.last().expect("attempts");
    assert!(
        last <= 24 * 3600,
        "no attempt after the message expired: last at {last} s"
    );
    let gaps: Vec<i64> = attempts.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        gaps.iter().all(|&g| g <= 15 * 60),
        "backoff is capped at 15 minutes: {gaps:?}"
    );
    assert_eq!(run.status(), OutboxStatus::Failed, "given up");
    run.stop().await;
}
