//! Duration text ("500ms", "5m", "1h 30m") as the config writes it, and what is wrong with it.

use super::error::FieldCode;
use crate::text::shown;
use std::time::Duration;

/// Why a text is not a duration: its code and the message saying what is accepted.
pub(super) struct DurationError {
    pub code: FieldCode,
    pub message: String,
}

/// Parses a humantime duration, with the kind of problem when it is not one.
pub(super) fn parse(text: &str) -> Result<Duration, DurationError> {
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(DurationError {
            code: FieldCode::DurationNegative,
            message: format!(
                "'{}' is negative; durations must be zero or positive, like '90s', '5m' or '1h'",
                shown(text)
            ),
        });
    }
    humantime::parse_duration(trimmed).map_err(|_| DurationError {
        code: FieldCode::DurationInvalid,
        message: format!(
            "'{}' is not a duration; write a number and a unit, like '500ms', '90s', '5m' or '1h'",
            shown(text)
        ),
    })
}

/// Parses a humantime duration ("500ms", "5m", "1h 30m"), explaining what is accepted.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    parse(text).map_err(|e| e.message)
}
