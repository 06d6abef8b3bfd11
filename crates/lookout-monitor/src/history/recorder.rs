//! The history recorder. The tick thread gathers each tick's readings itself ([`HistoryTx`])
//! and hands over ten seconds of them at a time, so recording never wakes the async runtime
//! on a tick; a task writes each batch in one transaction on the blocking pool. The tick
//! thread never waits on the database: when the recorder falls behind, batches are dropped
//! and counted.

use crate::store::StoreHandle;
use lookout_core::{Snapshot, Timestamp};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Readings are written once they span this long, whatever the tick: the cost of recording
/// follows time, not the sampling rate. A crash loses at most this much of the history.
pub const FLUSH_EVERY: Duration = Duration::from_secs(10);
/// ... or once this many ticks are gathered (a very fast tick).
pub const MAX_BATCH_TICKS: usize = 1000;
/// Overrides [`FLUSH_EVERY`] (a duration such as "1s"), for tests that kill the monitor
/// mid-write.
pub const FLUSH_ENV: &str = "LOOKOUT_HISTORY_FLUSH";
/// Batches handed over and not yet written.
const QUEUE: usize = 8;
/// Ticks kept in memory while the database refuses writes (a full disk): an hour at 1 s.
/// Beyond it the oldest are dropped, so memory stays bounded.
pub const MAX_PENDING_TICKS: usize = 3600;

/// A batch of readings to write: each metric with its readings, and how many ticks it holds.
type Batch = (Vec<(String, Vec<(i64, f64)>)>, usize);

/// The tick thread's end: gathers readings and hands them over when due. Dropping it hands
/// over what is gathered (waiting for room if need be), which ends the recorder once written.
pub struct HistoryTx {
    tx: mpsc::Sender<Batch>,
    pending: Pending,
    dropped: Arc<AtomicU64>,
}

impl HistoryTx {
    /// Gathers one tick's readings; hands the batch over, without waiting, once it is due.
    pub fn record(&mut self, at: Timestamp, snapshot: &Snapshot) {
        if self.pending.goes_back(at) {
            self.hand_over();
        }
        self.pending.add(at, snapshot);
        if self.pending.due() {
            self.hand_over();
        }
    }

    fn hand_over(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let batch = (self.pending.batch(), self.pending.ticks());
        match self.tx.try_send(batch) {
            Ok(()) => self.pending.clear(),
            // The recorder is behind (a slow disk): keep gathering, within bounds.
            Err(_) if self.pending.ticks() < MAX_PENDING_TICKS => {}
            Err(_) => {
                let ticks = self.pending.ticks() as u64;
                if self.dropped.fetch_add(ticks, Ordering::Relaxed) == 0 {
                    tracing::warn!("the history recorder is behind; readings are being dropped");
                }
                self.pending.clear();
            }
        }
    }

    /// Ticks dropped because the recorder was behind.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl Drop for HistoryTx {
    fn drop(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let batch = (self.pending.batch(), self.pending.ticks());
        // Called on the tick thread as it ends, never on an async one: waiting is allowed,
        // and the recorder runs until this sender is gone.
        if tokio::runtime::Handle::try_current().is_err() {
            let _ = self.tx.blocking_send(batch);
        } else {
            let _ = self.tx.try_send(batch);
        }
    }
}

/// The readings gathered since the last write, per metric.
#[derive(Debug)]
pub struct Pending {
    by_metric: BTreeMap<String, Vec<(i64, f64)>>,
    ticks: usize,
    first: Option<i64>,
    last: Option<i64>,
    flush_every_ms: i64,
}

impl Default for Pending {
    fn default() -> Self {
        Self::new(FLUSH_EVERY)
    }
}

impl Pending {
    /// Gathers readings until they span `flush_every`.
    pub fn new(flush_every: Duration) -> Self {
        Self {
            by_metric: BTreeMap::new(),
            ticks: 0,
            first: None,
            last: None,
            flush_every_ms: lookout_core::time::duration_ms(flush_every),
        }
    }

    /// Whether a tick at `at` is not after the last one gathered (the clock went back): the
    /// gathered readings must be written first, since a chunk's times only increase.
    pub fn goes_back(&self, at: Timestamp) -> bool {
        self.last.is_some_and(|last| at.as_millis() <= last)
    }

    /// Gathers one tick. Values that are not finite are absent, as in the windows.
    pub fn add(&mut self, at: Timestamp, snapshot: &Snapshot) {
        let t = at.as_millis();
        for (key, value) in snapshot.iter().filter(|(_, v)| v.is_finite()) {
            match self.by_metric.get_mut(key.as_str()) {
                Some(readings) => readings.push((t, value)),
                None => {
                    self.by_metric.insert(key.to_string(), vec![(t, value)]);
                }
            }
        }
        self.ticks += 1;
        self.first.get_or_insert(t);
        self.last = Some(t);
    }

    /// Whether enough is gathered to write.
    pub fn due(&self) -> bool {
        let span = Option::zip(self.first, self.last).map_or(0, |(a, b)| b - a);
        self.ticks >= MAX_BATCH_TICKS || span >= self.flush_every_ms
    }

    pub fn is_empty(&self) -> bool {
        self.ticks == 0
    }

    pub fn ticks(&self) -> usize {
        self.ticks
    }

    /// What to write: each metric with its readings.
    pub fn batch(&self) -> Vec<(String, Vec<(i64, f64)>)> {
        self.by_metric
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub fn clear(&mut self) {
        *self = Self::new(Duration::from_millis(self.flush_every_ms.unsigned_abs()));
    }
}

/// Starts the recorder on the runtime: batches handed over through the returned
/// [`HistoryTx`] are written until it is dropped, then the task ends.
pub fn start(store: StoreHandle) -> (HistoryTx, tokio::task::JoinHandle<()>) {
    let flush_every = std::env::var(FLUSH_ENV)
        .ok()
        .and_then(|v| lookout_core::config::parse_duration(&v).ok())
        .unwrap_or(FLUSH_EVERY);
    let (tx, rx) = mpsc::channel(QUEUE);
    let task = tokio::spawn(run(store, rx));
    let sender = HistoryTx {
        tx,
        pending: Pending::new(flush_every),
        dropped: Arc::new(AtomicU64::new(0)),
    };
    (sender, task)
}

async fn run(store: StoreHandle, mut rx: mpsc::Receiver<Batch>) {
    // Batches the database refused (a full disk), written with the next one.
    let mut backlog: Vec<Batch> = Vec::new();
    let mut failing = false;
    while let Some(batch) = rx.recv().await {
        backlog.push(batch);
        let rows: Vec<(String, Vec<(i64, f64)>)> = backlog
            .iter()
            .flat_map(|(rows, _)| rows.iter().cloned())
            .collect();
        match store.call(move |s| s.write_history(&rows)).await {
            Ok(()) => {
                if std::mem::take(&mut failing) {
                    tracing::info!("the history is being written again");
                }
                backlog.clear();
            }
            Err(e) => {
                if !std::mem::replace(&mut failing, true) {
                    tracing::error!(error = %e, "cannot write the history; readings are kept in memory for now");
                }
                // Bounded: the oldest batches go first.
                while backlog.iter().map(|(_, ticks)| ticks).sum::<usize>() > MAX_PENDING_TICKS {
                    backlog.remove(0);
                    tracing::warn!("the history could not be written for long; its oldest unwritten readings were dropped");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lookout_core::MetricKey;

    fn snap(pairs: &[(&str, f64)]) -> Snapshot {
        let mut s = Snapshot::new();
        for (k, v) in pairs {
            s.insert(MetricKey::parse(k).expect("key"), *v);
        }
        s
    }

    #[test]
    fn ticks_are_gathered_per_metric_and_due_after_ten_seconds() {
        let mut p = Pending::default();
        for i in 0..10 {
            p.add(
                Timestamp::from_millis(i * 1000),
                &snap(&[("cpu.total", i as f64), ("load.1", f64::NAN)]),
            );
            assert!(!p.due());
        }
        p.add(
            Timestamp::from_millis(10_000),
            &snap(&[("cpu.total", 10.0)]),
        );
        assert!(p.due());
        let batch = p.batch();
        assert_eq!(batch.len(), 1, "a NaN reading is absent: {batch:?}");
        assert_eq!(batch[0].1.len(), 11);
        assert!(p.goes_back(Timestamp::from_millis(10_000)));
        assert!(!p.goes_back(Timestamp::from_millis(10_001)));
    }

    #[test]
    fn a_fast_tick_is_due_by_time_not_by_ticks() {
        let mut p = Pending::default();
        for i in 0..100 {
            p.add(
                Timestamp::from_millis(i * 100),
                &snap(&[("cpu.total", 1.0)]),
            );
        }
        assert!(!p.due(), "100 ticks at 100 ms span 9.9 s");
        p.add(Timestamp::from_millis(10_000), &snap(&[("cpu.total", 1.0)]));
        assert!(p.due());
        let mut quick = Pending::new(Duration::from_secs(1));
        quick.add(Timestamp::from_millis(0), &snap(&[("cpu.total", 1.0)]));
        quick.add(Timestamp::from_millis(1000), &snap(&[("cpu.total", 1.0)]));
        assert!(quick.due());
    }
}
