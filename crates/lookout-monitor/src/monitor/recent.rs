//! Recent readings of every sampled metric, for the window's charts (bounded per metric).

use crate::api::MetricSeries;
use lookout_core::{MetricKey, Snapshot, Timestamp};
use std::collections::{BTreeMap, VecDeque};

/// The last `capacity` readings of each metric seen, oldest first.
#[derive(Debug)]
pub struct RecentHistory {
    capacity: usize,
    series: BTreeMap<MetricKey, VecDeque<(Timestamp, f32)>>,
}

impl RecentHistory {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            series: BTreeMap::new(),
        }
    }

    pub fn record(&mut self, at: Timestamp, snapshot: &Snapshot) {
        for (key, value) in snapshot.iter() {
            let ring = self
                .series
                .entry(key.clone())
                .or_insert_with(|| VecDeque::with_capacity(self.capacity));
            if ring.len() == self.capacity {
                ring.pop_front();
            }
            ring.push_back((at, value as f32));
        }
        // Metrics no longer read (a rule removed, a disk unmounted) age out after an hour.
        if self.series.len() > snapshot.len() {
            self.series.retain(|_, ring| {
                ring.back()
                    .is_some_and(|(t, _)| at.as_millis() - t.as_millis() < 3_600_000)
            });
        }
    }

    pub fn series(&self) -> Vec<MetricSeries> {
        self.series
            .iter()
            .map(|(key, ring)| MetricSeries {
                metric: key.to_string(),
                times: ring.iter().map(|(t, _)| *t).collect(),
                values: ring.iter().map(|(_, v)| f64::from(*v)).collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_readings_of_each_metric() {
        let mut h = RecentHistory::new(3);
        let key = MetricKey::parse("cpu.total").expect("key");
        for i in 0..5 {
            let mut s = Snapshot::new();
            s.insert(key.clone(), f64::from(i));
            h.record(Timestamp::from_millis(i64::from(i) * 1000), &s);
        }
        let series = h.series();
        assert_eq!(series.len(), 1);
        assert_eq!(
            series[0].values,
            vec![2.0, 3.0, 4.0],
            "oldest dropped first"
        );
        assert_eq!(series[0].times[0], Timestamp::from_millis(2000));
    }
}
