//! The config: its file model and defaults ([`model`]), the field errors validation reports
//! ([`error`]), duration text ([`durations`]), how much a config may hold ([`limits`]), and
//! validation itself ([`validate`], with the `[email]` section in [`email`] and the app
//! watches in [`apps`], rule actions in [`actions`], probes in [`probes`], push channels in
//! [`channels`], the HTTP endpoint in [`http`]). Every problem
//! is reported at once, each with a field path, a stable code and what is accepted.
//!
//! The submodules depend one way: `durations` and `error` on nothing here, `limits` on
//! `error`, `apps` and `actions` on those two, `model` on `durations` and `apps`, `email` on those,
//! `validate` on all of them; this file
//! only re-exports.

mod actions;
mod apps;
mod channels;
mod durations;
mod email;
mod error;
mod http;
mod limits;
mod model;
mod probes;
mod validate;

pub use actions::{
    Action, ActionConfig, DEFAULT_ACTION_TIMEOUT, MAX_ACTIONS, MAX_ACTION_TIMEOUT, MAX_ARGS,
};
pub use apps::{compile_cmdline, AppConfig, AppMatch, DEFAULT_PROCESS_INTERVAL, MAX_REGEX_BYTES};
pub use channels::{
    ChannelConfig, ChannelKind, WebhookFormat, DEFAULT_CHANNEL_TIMEOUT, MAX_HEADERS,
    MAX_PUSH_CHANNELS,
};
pub use durations::parse_duration;
pub use email::{check_mailbox, is_loopback_host};
pub use error::{FieldCode, FieldError, PathSegment};
pub use http::{HttpConfig, DEFAULT_HTTP_PORT};
pub use limits::{
    MAX_APPS, MAX_CHANNELS, MAX_CONFIG_BYTES, MAX_NAME_CHARS, MAX_RECIPIENTS, MAX_RULES,
    MAX_TEMPLATE_BYTES,
};
pub use model::{
    Config, DesktopConfig, EmailConfig, LanguageSetting, RuleConfig, SamplingConfig, StorageConfig,
    TlsMode, ValidConfig, CONFIG_VERSION, DEFAULT_CONFIG_TOML, DEFAULT_CONFIG_TOML_KO,
};
pub use probes::{
    Probe, ProbeConfig, ProbeTarget, DEFAULT_PROBE_INTERVAL, DEFAULT_PROBE_TIMEOUT, MAX_PROBES,
};
