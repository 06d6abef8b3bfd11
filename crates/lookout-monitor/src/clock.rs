//! The wall clock, read here (never in the core) and formatted for people and JSON.

use lookout_core::Timestamp;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Now, as the core's timestamp.
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

    #[test]
    fn formats_rfc3339_utc() {
        assert_eq!(
            rfc3339(Timestamp::from_millis(1_764_088_920_123)),
            "2025-11-25T16:42:00.123Z"
        );
    }
}
