//! Backtests: one rule (saved or not) over a stored range, on the engine the live monitor
//! runs, reporting every transition, the notifications it would have sent and the coverage.

use super::{Bucket, HistoryPolicy, Tier};
use crate::store::{Result, Store};
use lookout_core::time::duration_ms;
use lookout_core::{
    Aggregate, AlertEvent, Engine, EventKind, MetricKey, Op, Rule, Snapshot, Timestamp,
};
use serde::Serialize;
use std::time::Duration;
use ts_rs::TS;

/// Why a backtest over rollups is not exactly what the live rule would have done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Approximation {
    /// `all`, `min` or `max` over rollups use each bucket's min or max: every decision is the
    /// one the readings give, but times are to the bucket.
    BucketExtremes,
    /// `avg` over rollups averages the buckets' averages: exact when the buckets are full.
    BucketAverages,
    /// `p95` over rollups uses each bucket's max: it may fire where the readings would not.
    P95FromMax,
}

/// A period the rule was firing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FiringPeriod {
    pub from: Timestamp,
    /// `None`: still firing at the end of the range.
    pub to: Option<Timestamp>,
}

/// What a backtest found.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Backtest {
    pub rule: String,
    pub metric: String,
    pub from: Timestamp,
    pub to: Timestamp,
    pub tier: Tier,
    /// `None` when the raw readings were replayed: exactly what the live monitor would do.
    pub approximation: Option<Approximation>,
    pub events: Vec<AlertEvent>,
    pub periods: Vec<FiringPeriod>,
    #[ts(type = "number")]
    pub firings: u64,
    #[ts(type = "number")]
    pub notifications: u64,
    /// Time spent firing within the range, in milliseconds (a period still open at the end
    /// counts up to the last reading).
    #[ts(type = "number")]
    pub firing_ms: i64,
    /// The share of the range that has readings (0 to 1).
    pub coverage: f64,
}

/// The tier a backtest from `from` reads at `now`: raw readings when they reach back that far.
pub fn backtest_tier(policy: &HistoryPolicy, now: Timestamp, from: Timestamp) -> Tier {
    if from >= now.minus(policy.raw) {
        Tier::Raw
    } else if from >= now.minus(policy.minute) {
        Tier::Minute
    } else {
        Tier::QuarterHour
    }
}

/// Replays `rule` over `[from, to)` of `store`'s history. The window is filled from the
/// readings before `from`, as the live monitor's would be; events before `from` are not
/// reported. `interval` is the sampling interval (the raw tier's spacing).
pub fn backtest(
    store: &Store,
    policy: &HistoryPolicy,
    interval: Duration,
    now: Timestamp,
    rule: &Rule,
    from: Timestamp,
    to: Timestamp,
) -> Result<Backtest> {
    let tier = backtest_tier(policy, now, from.minus(rule.window));
    let warm = from.minus(rule.window).as_millis();
    let (step, feed): (Duration, Vec<(i64, f64)>) = match tier.bucket() {
        None => (
            interval,
            store.history_raw(rule.metric.as_str(), warm, to.as_millis())?,
        ),
        Some(width) => {
            let buckets =
                store.history_rollups(tier, rule.metric.as_str(), warm, to.as_millis())?;
            let pick = representative(rule.aggregate, rule.op);
            (width, buckets.iter().map(|b| (b.t, pick(b))).collect())
        }
    };
    Ok(run(rule, step, tier, from, to, &feed))
}

/// Runs `rule` on the engine over time-ordered `feed` readings spaced about `step` apart.
pub fn run(
    rule: &Rule,
    step: Duration,
    tier: Tier,
    from: Timestamp,
    to: Timestamp,
    feed: &[(i64, f64)],
) -> Backtest {
    let mut rule = rule.clone();
    rule.enabled = true;
    let mut engine = Engine::new(step, vec![rule.clone()]);
    let metric = MetricKey::clone(&rule.metric);
    let mut events = Vec::new();
    let mut in_range = 0u64;
    let mut last_reading = None;
    for &(t, value) in feed {
        let at = Timestamp::from_millis(t);
        let mut snapshot = Snapshot::new();
        snapshot.insert(metric.clone(), value);
        let stepped = engine.tick(at, &snapshot);
        if at >= from && at < to {
            in_range += 1;
            last_reading = Some(at);
            events.extend(
                stepped
                    .into_iter()
                    .filter(|e| e.state != EventKind::Pending),
            );
        }
    }
    let mut periods: Vec<FiringPeriod> = Vec::new();
    for e in &events {
        match e.state {
            EventKind::Firing => periods.push(FiringPeriod {
                from: e.at,
                to: None,
            }),
            EventKind::Resolved => match periods.last_mut() {
                Some(open) if open.to.is_none() => open.to = Some(e.at),
                // Firing already when the range began.
                _ => periods.push(FiringPeriod {
                    from,
                    to: Some(e.at),
                }),
            },
            _ => {}
        }
    }
    if periods.is_empty() && engine.states().any(|(_, s)| s.is_firing()) {
        periods.push(FiringPeriod { from, to: None });
    }
    // A period still open at the end counts up to the last reading, not over time nobody
    // measured.
    let measured_end = last_reading.map_or(from, |t| t.plus(step).min(to));
    let firing_ms = periods
        .iter()
        .map(|p| {
            let end = p.to.unwrap_or(measured_end).max(p.from);
            end.as_millis().saturating_sub(p.from.as_millis())
        })
        .fold(0i64, i64::saturating_add);
    let span = to.as_millis().saturating_sub(from.as_millis()).max(1);
    Backtest {
        rule: rule.name.clone(),
        metric: rule.metric.to_string(),
        from,
        to,
        tier,
        approximation: (tier != Tier::Raw).then(|| approximation(rule.aggregate)),
        firings: events
            .iter()
            .filter(|e| e.state == EventKind::Firing)
            .count() as u64,
        notifications: events.iter().filter(|e| e.notify).count() as u64,
        events,
        periods,
        firing_ms,
        coverage: ((in_range as f64) * duration_ms(step) as f64 / span as f64).min(1.0),
    }
}

/// Which figure of a rollup bucket stands for its readings under `aggregate` and `op`.
fn representative(aggregate: Aggregate, op: Op) -> fn(&Bucket) -> f64 {
    let above = matches!(op, Op::Gt | Op::Ge);
    match aggregate {
        // Every reading above the threshold iff the smallest is; below iff the largest is.
        Aggregate::All if above => |b| b.min,
        Aggregate::All => |b| b.max,
        Aggregate::Min => |b| b.min,
        Aggregate::Max | Aggregate::P95 => |b| b.max,
        Aggregate::Avg => Bucket::avg,
    }
}

fn approximation(aggregate: Aggregate) -> Approximation {
    match aggregate {
        Aggregate::All | Aggregate::Min | Aggregate::Max => Approximation::BucketExtremes,
        Aggregate::Avg => Approximation::BucketAverages,
        Aggregate::P95 => Approximation::P95FromMax,
    }
}
