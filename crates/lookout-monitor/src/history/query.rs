//! Range queries: one metric over a time range at most a given number of points, from the
//! tier that fits, as `(time, min, avg, max)` points with the gaps explicit.

use super::{bucket_start, Bucket, HistoryPolicy, Tier};
use crate::store::{Result, Store};
use lookout_core::engine::GAP_TICKS;
use lookout_core::time::duration_ms;
use lookout_core::Timestamp;
use serde::Serialize;
use std::time::Duration;
use ts_rs::TS;

/// A chart never needs more points than this; larger requests are capped.
pub const MAX_POINTS: usize = 20_000;

/// One point of a series: the readings of `[t, t + step)`. All three values are absent at a
/// gap (Lookout was not running, the machine slept): a chart breaks its line there.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HistoryPoint {
    pub t: Timestamp,
    pub min: Option<f64>,
    pub avg: Option<f64>,
    pub max: Option<f64>,
}

impl HistoryPoint {
    pub fn is_gap(&self) -> bool {
        self.avg.is_none()
    }
}

/// A metric over a range, as a query returns it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HistorySeries {
    pub metric: String,
    pub from: Timestamp,
    pub to: Timestamp,
    /// The tier the points come from.
    pub tier: Tier,
    /// Each point's width, in milliseconds.
    #[ts(type = "number")]
    pub step_ms: i64,
    pub points: Vec<HistoryPoint>,
}

/// What to ask the history.
#[derive(Debug, Clone)]
pub struct HistoryQuery {
    pub metric: String,
    pub from: Timestamp,
    pub to: Timestamp,
    pub max_points: usize,
}

/// The tier for a range at `now`: the finest whose points are not much finer than the
/// request needs and which still holds the range's start.
pub fn choose_tier(policy: &HistoryPolicy, now: Timestamp, q: &HistoryQuery) -> Tier {
    let span = q.to.as_millis().saturating_sub(q.from.as_millis()).max(1);
    let wanted = span / i64::try_from(q.max_points.clamp(1, MAX_POINTS)).unwrap_or(1);
    let holds = |tier: Tier| q.from >= now.minus(policy.keeps(tier));
    if wanted < 60_000 && holds(Tier::Raw) {
        Tier::Raw
    } else if wanted < 900_000 && holds(Tier::Minute) {
        Tier::Minute
    } else {
        Tier::QuarterHour
    }
}

/// Answers `q` from `store`. `interval` is the sampling interval (the raw tier's spacing).
pub fn query(
    store: &Store,
    policy: &HistoryPolicy,
    interval: Duration,
    now: Timestamp,
    q: &HistoryQuery,
) -> Result<HistorySeries> {
    let tier = choose_tier(policy, now, q);
    let (from, to) = (q.from.as_millis(), q.to.as_millis());
    let source_step = tier
        .bucket()
        .map_or(duration_ms(interval), duration_ms)
        .max(1);
    let buckets: Vec<Bucket> = match tier {
        Tier::Raw => store
            .history_raw(&q.metric, from, to)?
            .into_iter()
            .map(|(t, v)| Bucket::one(t, v))
            .collect(),
        _ => store.history_rollups(tier, &q.metric, bucket_start_of(tier, from), to)?,
    };
    let step = point_width(from, to, q.max_points, source_step);
    Ok(HistorySeries {
        metric: q.metric.clone(),
        from: q.from,
        to: q.to,
        tier,
        step_ms: step,
        points: downsample(&buckets, step, source_step),
    })
}

fn bucket_start_of(tier: Tier, t: i64) -> i64 {
    tier.bucket().map_or(t, |w| bucket_start(t, w))
}

/// Each point's width: the range over `max_points`, never finer than the source, and a whole
/// number of source steps so no source bucket is split.
pub fn point_width(from: i64, to: i64, max_points: usize, source_step: i64) -> i64 {
    let points = i64::try_from(max_points.clamp(1, MAX_POINTS)).unwrap_or(1);
    let span = to.saturating_sub(from).max(1);
    let wanted = span / points + i64::from(span % points != 0);
    let source_step = source_step.max(1);
    let steps = wanted / source_step + i64::from(wanted % source_step != 0);
    steps.max(1).saturating_mul(source_step)
}

/// Merges time-ordered `buckets` into points `width` wide (aligned to multiples of it), and
/// marks a gap where the data stops for longer than a point or than [`GAP_TICKS`] source steps.
pub fn downsample(buckets: &[Bucket], width: i64, source_step: i64) -> Vec<HistoryPoint> {
    let width = width.max(1);
    let gap_after = width
        .saturating_mul(2)
        .max(i64::from(GAP_TICKS).saturating_mul(source_step));
    let mut merged: Vec<Bucket> = Vec::new();
    for b in buckets {
        let start = b.t.saturating_sub(b.t.rem_euclid(width));
        match merged.last_mut() {
            Some(last) if last.t == start => last.merge(b),
            _ => merged.push(Bucket { t: start, ..*b }),
        }
    }
    let mut points = Vec::with_capacity(merged.len());
    let mut last_data: Option<i64> = None;
    let mut prev_end: Option<i64> = None;
    for b in &merged {
        // Where the readings themselves stopped: a raw bucket's own times.
        let first_t = b.t;
        if let (Some(end), Some(seen)) = (prev_end, last_data) {
            if first_t.saturating_sub(seen) > gap_after {
                points.push(HistoryPoint {
                    t: Timestamp::from_millis(end),
                    min: None,
                    avg: None,
                    max: None,
                });
            }
        }
        points.push(HistoryPoint {
            t: Timestamp::from_millis(b.t),
            min: Some(b.min),
            avg: Some(b.avg()),
            max: Some(b.max),
        });
        last_data = Some(b.t);
        prev_end = Some(b.t.saturating_add(width));
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(ts: &[i64]) -> Vec<Bucket> {
        ts.iter().map(|&t| Bucket::one(t, t as f64)).collect()
    }

    #[test]
    fn steady_readings_have_no_gap_and_a_pause_has_one() {
        let mut ts: Vec<i64> = (0..10).map(|i| i * 1000).collect();
        let points = downsample(&raw(&ts), 1000, 1000);
        assert_eq!(points.len(), 10);
        assert!(points.iter().all(|p| !p.is_gap()));
        ts.extend((20..25).map(|i| i * 1000));
        let points = downsample(&raw(&ts), 1000, 1000);
        let gaps: Vec<i64> = points
            .iter()
            .filter(|p| p.is_gap())
            .map(|p| p.t.as_millis())
            .collect();
        assert_eq!(gaps, vec![10_000], "{points:?}");
    }

    #[test]
    fn a_missed_tick_or_two_is_not_a_gap() {
        let points = downsample(&raw(&[0, 1000, 4000, 5000]), 1000, 1000);
        assert!(points.iter().all(|p| !p.is_gap()), "{points:?}");
    }

    #[test]
    fn points_merge_min_avg_max() {
        let buckets = vec![
            Bucket::one(0, 1.0),
            Bucket::one(1000, 3.0),
            Bucket::one(2000, 8.0),
        ];
        let points = downsample(&buckets, 2000, 1000);
        assert_eq!(points[0].min, Some(1.0));
        assert_eq!(points[0].avg, Some(2.0));
        assert_eq!(points[0].max, Some(3.0));
        assert_eq!(points[1].avg, Some(8.0));
    }

    #[test]
    fn the_width_is_a_whole_number_of_source_steps() {
        assert_eq!(point_width(0, 86_400_000, 1000, 60_000), 120_000);
        assert_eq!(point_width(0, 600_000, 1000, 1000), 1000);
        assert_eq!(point_width(0, 600_000, 0, 1000), 600_000);
    }

    #[test]
    fn extreme_ranges_do_not_overflow() {
        assert!(point_width(i64::MIN, i64::MAX, 1, 60_000) > 0);
        assert!(point_width(i64::MIN, i64::MAX, 20_000, 1) > 0);
        let points = downsample(
            &[Bucket::one(i64::MIN, 1.0), Bucket::one(i64::MAX - 1, 2.0)],
            i64::MAX,
            1,
        );
        assert_eq!(points.iter().filter(|p| !p.is_gap()).count(), 2);
    }

    #[test]
    fn the_tier_follows_the_range_and_what_is_kept() {
        let policy = HistoryPolicy::default();
        let now = Timestamp::from_millis(1_000_000_000_000);
        let ask = |back: u64, points| HistoryQuery {
            metric: "cpu.total".into(),
            from: now.minus(Duration::from_secs(back)),
            to: now,
            max_points: points,
        };
        assert_eq!(choose_tier(&policy, now, &ask(600, 1000)), Tier::Raw);
        assert_eq!(choose_tier(&policy, now, &ask(86_400, 1000)), Tier::Minute);
        assert_eq!(choose_tier(&policy, now, &ask(86_400, 100_000)), Tier::Raw);
        assert_eq!(
            choose_tier(&policy, now, &ask(7 * 86_400, 100_000)),
            Tier::Minute
        );
        assert_eq!(
            choose_tier(&policy, now, &ask(365 * 86_400, 1000)),
            Tier::QuarterHour
        );
        assert_eq!(
            choose_tier(&policy, now, &ask(60 * 86_400, 100_000)),
            Tier::QuarterHour
        );
    }
}
