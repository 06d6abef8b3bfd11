//! The config: its file model and defaults ([`model`]), the field errors validation reports
//! ([`error`]), duration text ([`durations`]), and validation itself ([`validate`], with the
//! `[email]` section in [`email`]). Every problem is reported at once, each with a field path,
//! a stable code and what is accepted.
//!
//! The submodules depend one way: `durations` and `error` on nothing here, `model` on
//! `durations`, `email` on those, `validate` on all of them; this file only re-exports.

mod durations;
mod email;
mod error;
mod model;
mod validate;

pub use durations::parse_duration;
pub use email::check_mailbox;
pub use error::{FieldCode, FieldError, PathSegment};
pub use model::{
    Config, DesktopConfig, EmailConfig, RuleConfig, SamplingConfig, StorageConfig, TlsMode,
    ValidConfig, CONFIG_VERSION, DEFAULT_CONFIG_TOML,
};
