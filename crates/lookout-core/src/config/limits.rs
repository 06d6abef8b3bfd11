//! How much a config may hold: file size, counts of rules, channels and recipients, and the
//! length of names and templates. Each limit is far above any real setup and keeps checking,
//! storing and showing a config cheap.

use super::error::{FieldCode, FieldError, PathSegment};
use crate::text::{has_forbidden, shown};

/// The largest config file read, in bytes (4 MiB).
pub const MAX_CONFIG_BYTES: usize = 4 * 1024 * 1024;
/// The most rules a config may hold.
pub const MAX_RULES: usize = 1_000;
/// The most channels one rule may list.
pub const MAX_CHANNELS: usize = 100;
/// The most email recipients (`email.to`).
pub const MAX_RECIPIENTS: usize = 100;
/// The most app watches a config may hold.
pub const MAX_APPS: usize = 100;
/// The longest name or key (rule names, metric keys, channels), in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest email subject or body template, in bytes (16 KiB).
pub const MAX_TEMPLATE_BYTES: usize = 16 * 1024;

/// The error of a list with more than `max` entries (`what` names them: "rules").
pub(super) fn too_many(
    path: &[PathSegment],
    code: FieldCode,
    len: usize,
    max: usize,
    what: &str,
) -> Option<FieldError> {
    (len > max).then(|| {
        FieldError::new(
            path,
            code,
            format!("there are {len} {what}; at most {max} are accepted"),
        )
        .with("value", len)
        .with("max", max)
    })
}

/// The error of a name or key that is too long or holds control or bidi characters, if any.
/// `code` is the control-character code of this field.
pub(super) fn check_name(path: &[PathSegment], text: &str, code: FieldCode) -> Option<FieldError> {
    let length = text.chars().count();
    if length > MAX_NAME_CHARS {
        Some(
            FieldError::new(
                path,
                FieldCode::NameTooLong,
                format!(
                    "'{}' is {length} characters long; at most {MAX_NAME_CHARS} are accepted",
                    shown(text)
                ),
            )
            .with("length", length)
            .with("max", MAX_NAME_CHARS),
        )
    } else if has_forbidden(text) {
        Some(
            FieldError::new(
                path,
                code,
                format!(
                    "'{}' holds control characters (line breaks, tabs, escapes) or bidirectional-text controls; use printable text only",
                    shown(text)
                ),
            )
            .with("value", shown(text)),
        )
    } else {
        None
    }
}
