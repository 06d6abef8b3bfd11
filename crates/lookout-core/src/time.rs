//! Wall-clock instants handed to the core by its caller: milliseconds since the Unix epoch.

use serde::{Deserialize, Serialize};
use std::time::Duration;
use ts_rs::TS;

/// A wall-clock instant in milliseconds since the Unix epoch.
///
/// Wall time (not a monotonic clock) on purpose: a machine that was suspended for an hour
/// must see an hour without samples, so the gap lowers window coverage instead of vanishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export, type = "number")]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_millis(ms: i64) -> Self {
        Self(ms)
    }

    pub const fn as_millis(self) -> i64 {
        self.0
    }

    pub fn plus(self, d: Duration) -> Self {
        Self(self.0.saturating_add(duration_ms(d)))
    }

    pub fn minus(self, d: Duration) -> Self {
        Self(self.0.saturating_sub(duration_ms(d)))
    }

    /// Time elapsed from `earlier` to `self`; zero when `earlier` is later.
    pub fn since(self, earlier: Timestamp) -> Duration {
        Duration::from_millis(u64::try_from(self.0.saturating_sub(earlier.0)).unwrap_or(0))
    }
}

/// A duration in whole milliseconds, saturating at `i64::MAX`.
pub fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_is_zero_when_time_went_backwards() {
        let a = Timestamp::from_millis(5_000);
        let b = Timestamp::from_millis(2_000);
        assert_eq!(a.since(b), Duration::from_secs(3), "forward difference");
        assert_eq!(
            b.since(a),
            Duration::ZERO,
            "backwards difference saturates to zero"
        );
    }

    #[test]
    fn plus_and_minus_round_trip() {
        let t = Timestamp::from_millis(1_700_000_000_000);
        let d = Duration::from_millis(1_500);
        assert_eq!(
            t.plus(d).minus(d),
            t,
            "plus then minus returns the same instant"
        );
    }
}
