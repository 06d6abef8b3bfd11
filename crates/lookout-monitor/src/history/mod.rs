//! The metric history: every reading kept for a while, then as rollups, so charts reach back a
//! year, rules can be tried on the past and windows survive a restart.
//!
//! Three tiers in `lookout.db`, each with its own retention (`[storage]`):
//! - raw readings at the sampling interval, packed per metric in chunks of a few ticks
//!   ([`codec`]), for `raw_hours`;
//! - 1-minute rollups (min, max, sum, count) for `minute_days`, fifteen to a row;
//! - 15-minute rollups for `quarter_hour_days`, twenty-four to a row ([`packed`]).
//!
//! Files: [`codec`] (the raw chunks), [`packed`] (the rollup rows), [`recorder`] (the worker that batches readings and
//! writes them, never on the tick thread), [`query`] (a metric over a range, from the tier
//! that fits, with gaps explicit), [`backtest`] (a rule replayed over the stored history on
//! the live engine), [`refill`] (the windows' samples from before a restart). The SQL is in
//! `store/history.rs`.

pub mod backtest;
pub mod codec;
pub mod packed;
pub mod query;
pub mod recorder;
pub mod refill;
pub mod synthetic;

use lookout_core::config::StorageConfig;
use serde::Serialize;
use std::time::Duration;
use ts_rs::TS;

/// A tier of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Every reading, at the sampling interval.
    Raw,
    /// 1-minute rollups.
    Minute,
    /// 15-minute rollups.
    QuarterHour,
}

impl Tier {
    /// The rollup bucket's length; `None` for raw readings.
    pub fn bucket(self) -> Option<Duration> {
        match self {
            Self::Raw => None,
            Self::Minute => Some(Duration::from_secs(60)),
            Self::QuarterHour => Some(Duration::from_secs(900)),
        }
    }

    /// How a rollup tier packs its buckets into rows; `None` for raw readings.
    pub fn packing(self) -> Option<packed::Packing> {
        match self {
            Self::Raw => None,
            Self::Minute => Some(packed::Packing {
                bucket_ms: 60_000,
                per_row: 15,
            }),
            Self::QuarterHour => Some(packed::Packing {
                bucket_ms: 900_000,
                per_row: 24,
            }),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Raw => "raw",
            Self::Minute => "1m",
            Self::QuarterHour => "15m",
        }
    }
}

/// Readings within one bucket: what a rollup row holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// The bucket's start (a raw reading's own time), Unix milliseconds.
    pub t: i64,
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    pub count: u64,
}

impl Bucket {
    /// One reading as a bucket of one.
    pub fn one(t: i64, value: f64) -> Self {
        Self {
            t,
            min: value,
            max: value,
            sum: value,
            count: 1,
        }
    }

    pub fn avg(&self) -> f64 {
        self.sum / self.count.max(1) as f64
    }

    /// Takes in `other`'s readings as well.
    pub fn merge(&mut self, other: &Bucket) {
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.sum += other.sum;
        self.count += other.count;
    }
}

/// How long each tier is kept (`[storage]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryPolicy {
    /// Whether readings are recorded at all.
    pub enabled: bool,
    pub raw: Duration,
    pub minute: Duration,
    pub quarter_hour: Duration,
}

impl HistoryPolicy {
    pub fn from_storage(storage: &StorageConfig) -> Self {
        let hours = |n: u32| Duration::from_secs(u64::from(n) * 3600);
        Self {
            enabled: storage.history,
            raw: hours(storage.raw_hours),
            minute: hours(storage.minute_days.saturating_mul(24)),
            quarter_hour: hours(storage.quarter_hour_days.saturating_mul(24)),
        }
    }

    /// How long `tier` is kept.
    pub fn keeps(&self, tier: Tier) -> Duration {
        match tier {
            Tier::Raw => self.raw,
            Tier::Minute => self.minute,
            Tier::QuarterHour => self.quarter_hour,
        }
    }
}

impl Default for HistoryPolicy {
    fn default() -> Self {
        Self::from_storage(&StorageConfig::default())
    }
}

/// The bucket of `tier` that holds time `t` (its start), for rollup tiers.
pub fn bucket_start(t: i64, bucket: Duration) -> i64 {
    let width = i64::try_from(bucket.as_millis()).unwrap_or(i64::MAX).max(1);
    t.saturating_sub(t.rem_euclid(width))
}
