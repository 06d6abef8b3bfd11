//! The history recorder: takes each tick's readings from the tick thread over a bounded
//! queue, gathers a few ticks, and writes them in one transaction on the blocking pool. The
//! tick thread never waits for it: when the queue is full, a tick's readings are dropped and
//! counted.

use crate::store::StoreHandle;
use lookout_core::{Snapshot, Timestamp};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Readings are written once this many ticks are gathered...
pub const FLUSH_TICKS: usize = 10;
/// ... or once they span this long (slow sampling intervals), whichever comes first.
pub const FLUSH_EVERY: Duration = Duration::from_secs(10);
/// Ticks the tick thread may hand over before the recorder takes them.
const QUEUE: usize = 256;
/// Ticks kept in memory while the database refuses writes (a full disk): an hour at 1 s.
/// Beyond it the oldest are dropped, so memory stays bounded.
pub const MAX_PENDING_TICKS: usize = 3600;

/// The tick thread's end of the queue.
#[derive(Clone)]
pub struct HistoryTx {
    tx: mpsc::Sender<(Timestamp, Snapshot)>,
    dropped: Arc<AtomicU64>,
}

impl HistoryTx {
    /// Hands one tick's readings over without waiting; returns false when they were dropped.
    pub fn record(&self, at: Timestamp, snapshot: &Snapshot) -> bool {
        let sent = self.tx.try_send((at, snapshot.clone())).is_ok();
        if !sent && self.dropped.fetch_add(1, Ordering::Relaxed) == 0 {
            tracing::warn!("the history recorder is behind; readings are being dropped");
        }
        sent
    }

    /// Ticks dropped because the recorder was behind.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

/// The readings gathered since the last write, per metric.
#[derive(Debug, Default)]
pub struct Pending {
    by_metric: BTreeMap<String, Vec<(i64, f64)>>,
    ticks: usize,
    first: Option<i64>,
    last: Option<i64>,
}

impl Pending {
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
        self.ticks >= FLUSH_TICKS || span >= lookout_core::time::duration_ms(FLUSH_EVERY)
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
        *self = Self::default();
    }

    /// Keeps only readings from `from` on (memory stays bounded while writes fail).
    fn drop_before(&mut self, from: i64) {
        for readings in self.by_metric.values_mut() {
            readings.retain(|r| r.0 >= from);
        }
        self.by_metric.retain(|_, v| !v.is_empty());
        self.ticks /= 2;
        self.first = Some(from);
    }
}

/// Starts the recorder on the runtime: readings sent through the returned [`HistoryTx`] are
/// written until every sender is gone, then what remains is written and the task ends.
pub fn start(store: StoreHandle) -> (HistoryTx, tokio::task::JoinHandle<()>) {
    let (tx, rx) = mpsc::channel(QUEUE);
    let task = tokio::spawn(run(store, rx));
    let sender = HistoryTx {
        tx,
        dropped: Arc::new(AtomicU64::new(0)),
    };
    (sender, task)
}

async fn run(store: StoreHandle, mut rx: mpsc::Receiver<(Timestamp, Snapshot)>) {
    let mut pending = Pending::default();
    let mut failing = false;
    while let Some((at, snapshot)) = rx.recv().await {
        if pending.goes_back(at) {
            flush(&store, &mut pending, &mut failing).await;
        }
        pending.add(at, &snapshot);
        if pending.due() {
            flush(&store, &mut pending, &mut failing).await;
        }
    }
    flush(&store, &mut pending, &mut failing).await;
}

/// Writes what is gathered; on failure keeps it for the next try, within bounds.
async fn flush(store: &StoreHandle, pending: &mut Pending, failing: &mut bool) {
    if pending.is_empty() {
        return;
    }
    let batch = pending.batch();
    match store.call(move |s| s.write_history(&batch)).await {
        Ok(()) => {
            if std::mem::take(failing) {
                tracing::info!("the history is being written again");
            }
            pending.clear();
        }
        Err(e) => {
            if !std::mem::replace(failing, true) {
                tracing::error!(error = %e, "cannot write the history; readings are kept in memory for now");
            }
            if pending.ticks() > MAX_PENDING_TICKS {
                let (Some(first), Some(last)) = (pending.first, pending.last) else {
                    return;
                };
                pending.drop_before(first + (last - first) / 2);
                tracing::warn!("the history could not be written for long; its oldest unwritten readings were dropped");
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
    fn ticks_are_gathered_per_metric_and_due_after_ten() {
        let mut p = Pending::default();
        for i in 0..9 {
            p.add(
                Timestamp::from_millis(i * 1000),
                &snap(&[("cpu.total", i as f64), ("load.1", f64::NAN)]),
            );
            assert!(!p.due());
        }
        p.add(Timestamp::from_millis(9000), &snap(&[("cpu.total", 9.0)]));
        assert!(p.due());
        let batch = p.batch();
        assert_eq!(batch.len(), 1, "a NaN reading is absent: {batch:?}");
        assert_eq!(batch[0].1.len(), 10);
        assert!(p.goes_back(Timestamp::from_millis(9000)));
        assert!(!p.goes_back(Timestamp::from_millis(9001)));
    }

    #[test]
    fn a_slow_interval_is_due_after_ten_seconds() {
        let mut p = Pending::default();
        p.add(Timestamp::from_millis(0), &snap(&[("cpu.total", 1.0)]));
        p.add(Timestamp::from_millis(10_000), &snap(&[("cpu.total", 1.0)]));
        assert!(p.due());
    }

    #[test]
    fn dropping_the_oldest_keeps_the_newest() {
        let mut p = Pending::default();
        for i in 0..10 {
            p.add(Timestamp::from_millis(i), &snap(&[("cpu.total", i as f64)]));
        }
        p.drop_before(5);
        let kept: Vec<i64> = p.batch()[0].1.iter().map(|r| r.0).collect();
        assert_eq!(kept, vec![5, 6, 7, 8, 9]);
    }
}
