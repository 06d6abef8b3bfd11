//! Lossless feeds of alert events for readers that must see every one (`lookout run
//! --events`): each feed is bounded, and when its reader falls behind the tick thread waits
//! for it instead of dropping events. Shutdown ends the wait; the reader then drains what is
//! queued and sees the end.

use crate::sys::Shutdown;
use lookout_core::AlertEvent;
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Events a feed holds before the tick thread waits for its reader.
pub const FEED_CAPACITY: usize = 4096;
/// How often a waiting tick thread looks for room or for shutdown.
const WAIT_STEP: Duration = Duration::from_millis(5);

/// The monitor's side: every feed opened, until shutdown closes them.
pub struct EventFeeds {
    senders: Mutex<Vec<SyncSender<AlertEvent>>>,
    shutdown: Shutdown,
}

/// A reader's side: every event from when it was opened, in order, none dropped. Iterating
/// ends after the monitor stops and every queued event was read.
#[derive(Debug)]
pub struct EventReader {
    rx: Receiver<AlertEvent>,
}

impl EventFeeds {
    pub fn new(shutdown: Shutdown) -> Self {
        Self {
            senders: Mutex::new(Vec::new()),
            shutdown,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<SyncSender<AlertEvent>>> {
        self.senders.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens a feed holding up to `capacity` events ahead of its reader.
    pub fn open(&self, capacity: usize) -> EventReader {
        let (tx, rx) = mpsc::sync_channel(capacity.max(1));
        if !self.shutdown.is_triggered() {
            self.lock().push(tx);
        }
        EventReader { rx }
    }

    /// Hands `events` to every feed, waiting while a feed is full (back-pressure) until its
    /// reader makes room, goes away, or the monitor shuts down.
    pub fn send(&self, events: &[AlertEvent]) {
        let mut senders = self.lock();
        if senders.is_empty() {
            return;
        }
        senders.retain(|tx| {
            events
                .iter()
                .all(|event| send_waiting(tx, event.clone(), &self.shutdown))
        });
    }

    /// Ends every feed: readers drain what is queued, then see the end.
    pub fn close(&self) {
        self.lock().clear();
    }
}

/// `false` when the reader is gone (the feed is then dropped).
fn send_waiting(tx: &SyncSender<AlertEvent>, mut event: AlertEvent, shutdown: &Shutdown) -> bool {
    loop {
        match tx.try_send(event) {
            Ok(()) => return true,
            Err(TrySendError::Disconnected(_)) => return false,
            Err(TrySendError::Full(back)) => {
                if shutdown.is_triggered() {
                    tracing::warn!(rule = %back.rule, "the event reader is stuck and Lookout is stopping: this event is not printed");
                    return true;
                }
                event = back;
                std::thread::sleep(WAIT_STEP);
            }
        }
    }
}

impl EventReader {
    /// The next event, waiting for one; `None` once the monitor stopped and all were read.
    pub fn recv(&self) -> Option<AlertEvent> {
        self.rx.recv().ok()
    }

    /// The next event if one is queued now.
    pub fn try_recv(&self) -> Option<AlertEvent> {
        self.rx.try_recv().ok()
    }
}

impl Iterator for EventReader {
    type Item = AlertEvent;

    fn next(&mut self) -> Option<AlertEvent> {
        self.recv()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lookout_core::alert::EventKind;
    use lookout_core::rule::{Aggregate, Op, Severity};
    use lookout_core::{MetricKey, Timestamp};

    fn event(n: usize) -> AlertEvent {
        AlertEvent {
            rule: format!("rule {n}"),
            state: EventKind::Firing,
            metric: MetricKey::parse("cpu.total").expect("key"),
            value: Some(1.0),
            threshold: 0.0,
            clear_threshold: 0.0,
            op: Op::Gt,
            aggregate: Aggregate::All,
            window: Duration::from_secs(1),
            severity: Severity::Warning,
            at: Timestamp::from_millis(0),
            since: Timestamp::from_millis(0),
            coverage: 1.0,
            channels: vec![],
            notify: true,
            culprits: Vec::new(),
            gave_up: None,
        }
    }

    #[test]
    fn a_slow_reader_gets_every_event_of_a_burst_in_order() {
        let feeds = EventFeeds::new(Shutdown::new());
        let reader = feeds.open(64);
        let burst: Vec<AlertEvent> = (0..100_000).map(event).collect();
        let got = std::thread::scope(|s| {
            let consumer = s.spawn(move || {
                let mut got = Vec::new();
                while let Some(e) = reader.recv() {
                    got.push(e.rule);
                    if got.len() % 10_000 == 0 {
                        // A reader that stalls now and then (a slow pipe).
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
                got
            });
            for chunk in burst.chunks(1000) {
                feeds.send(chunk);
            }
            feeds.close();
            consumer.join().expect("consumer")
        });
        let expected: Vec<String> = (0..100_000).map(|n| format!("rule {n}")).collect();
        assert_eq!(got.len(), expected.len(), "no event dropped");
        assert!(got == expected, "in order");
    }

    #[test]
    fn shutdown_ends_the_wait_for_a_stuck_reader() {
        let shutdown = Shutdown::new();
        let feeds = EventFeeds::new(shutdown.clone());
        let reader = feeds.open(1);
        std::thread::scope(|s| {
            let stopper = s.spawn(|| {
                std::thread::sleep(Duration::from_millis(50));
                shutdown.trigger();
            });
            // The reader never reads: this returns only because of the shutdown.
            feeds.send(&[event(1), event(2), event(3)]);
            stopper.join().expect("stopper");
        });
        assert_eq!(reader.try_recv().map(|e| e.rule), Some("rule 1".into()));
    }

    #[test]
    fn a_reader_that_went_away_is_forgotten() {
        let feeds = EventFeeds::new(Shutdown::new());
        drop(feeds.open(1));
        feeds.send(&[event(1), event(2)]);
        assert!(
            feeds.lock().is_empty(),
            "the feed was dropped, not waited on"
        );
    }
}
