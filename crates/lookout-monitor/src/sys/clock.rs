//! The wall clock, read here (never in the core nor in a worker) and formatted for people and
//! JSON; workers are handed a [`Clock`], which tests make follow tokio's paused time.

use lookout_core::Timestamp;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where a worker reads the time. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Clock {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Wall,
    /// `origin` at `start`, then moving with tokio's clock, which a test pauses and advances.
    Tokio {
        origin: Timestamp,
        start: tokio::time::Instant,
    },
}

impl Clock {
    /// The machine's wall clock.
    pub fn wall() -> Self {
        Self { kind: Kind::Wall }
    }

    /// A clock that reads `origin` now and advances with tokio's time: under
    /// `tokio::time::pause()` it moves only when the test (or tokio's auto-advance) moves it,
    /// and a worker's `sleep` and its idea of "now" stay in step.
    pub fn following_tokio(origin: Timestamp) -> Self {
        Self {
            kind: Kind::Tokio {
                origin,
                start: tokio::time::Instant::now(),
            },
        }
    }

    pub fn now(&self) -> Timestamp {
        match &self.kind {
            Kind::Wall => wall_now(),
            Kind::Tokio { origin, start } => {
                let elapsed = i64::try_from(start.elapsed().as_millis()).unwrap_or(i64::MAX);
                Timestamp::from_millis(origin.as_millis().saturating_add(elapsed))
            }
        }
    }

    /// How long from now until `at` by this clock; zero when `at` has passed.
    pub fn until(&self, at: Timestamp) -> Duration {
        let wait = at.as_millis().saturating_sub(self.now().as_millis());
        Duration::from_millis(u64::try_from(wait).unwrap_or(0))
    }
}

/// Now, as the core's timestamp. Only the clock and the monitor's assembly call this; workers
/// use the [`Clock`] they are given.
pub fn wall_now() -> Timestamp {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp::from_millis(ms)
}

/// RFC 3339 in UTC with milliseconds, e.g. `2026-11-25T16:42:00.123Z`.
pub fn rfc3339(at: Timestamp) -> String {
    let ms = at.as_millis();
    let t = if ms >= 0 {
        UNIX_EPOCH + Duration::from_millis(ms.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_millis(ms.unsigned_abs())
    };
    humantime::format_rfc3339_millis(t).to_string()
}

/// This machine's name, as alerts name it.
pub fn host_name() -> String {
    let uname = rustix::system::uname();
    let name = uname.nodename().to_string_lossy().into_owned();
    if name.is_empty() {
        "this machine".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_tokio_clock_moves_with_tokio_time() {
        let clock = Clock::following_tokio(Timestamp::from_millis(1_000));
        assert_eq!(
            clock.now(),
            Timestamp::from_millis(1_000),
            "starts at its origin"
        );
        tokio::time::advance(Duration::from_secs(90)).await;
        assert_eq!(
            clock.now(),
            Timestamp::from_millis(91_000),
            "moved with tokio"
        );
        assert_eq!(
            clock.until(Timestamp::from_millis(100_000)),
            Duration::from_secs(9)
        );
        assert_eq!(
            clock.until(Timestamp::from_millis(0)),
            Duration::ZERO,
            "past"
        );
    }

    #[test]
    fn formats_rfc3339_utc() {
        assert_eq!(
            rfc3339(Timestamp::from_millis(1_764_088_920_123)),
            "2025-11-25T16:42:00.123Z"
        );
    }
}
