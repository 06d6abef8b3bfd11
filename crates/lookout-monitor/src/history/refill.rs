//! Refilling the rolling windows after a restart: each enabled rule's metric over its longest
//! window, read back from the raw tier, so the seed's hour-long CPU rule is not blind for an
//! hour after each login.

use crate::store::{Result, Store};
use lookout_core::{Engine, MetricKey, Snapshot, Timestamp};
use std::collections::BTreeMap;

/// Feeds `engine` the readings its windows would hold at `now`, from `store`'s raw tier.
/// Returns how many ticks were fed. Readings later than `now` (the clock went back) are left.
pub fn refill(engine: &mut Engine, store: &Store, now: Timestamp) -> Result<usize> {
    let mut ticks: BTreeMap<i64, Snapshot> = BTreeMap::new();
    for (metric, span) in engine.window_spans() {
        let from = now.minus(span).as_millis();
        let readings =
            store.history_raw(metric.as_str(), from, now.as_millis().saturating_add(1))?;
        for (t, value) in readings {
            ticks
                .entry(t)
                .or_default()
                .insert(MetricKey::clone(&metric), value);
        }
    }
    let fed = ticks.len();
    for (t, snapshot) in ticks {
        engine.prime(Timestamp::from_millis(t), &snapshot);
    }
    Ok(fed)
}
