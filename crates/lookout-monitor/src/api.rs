//! The views the monitor offers its front ends (tray, window, `lookout status`), shared with
//! the UI as generated TypeScript types, and the `{code, message}` error they receive.

use lookout_core::config::FieldError;
use lookout_core::{AlertPhase, Severity, Snapshot, Timestamp};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One rule as the user sees it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleStatus {
    pub name: String,
    pub metric: String,
    pub severity: Severity,
    pub enabled: bool,
    pub phase: AlertPhase,
    /// The aggregate at the last tick, when the window had enough data.
    pub value: Option<f64>,
    pub coverage: f64,
    pub snoozed_until: Option<Timestamp>,
}

/// What one tick shows the window: every reading and every rule's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TickView {
    pub at: Timestamp,
    pub values: Snapshot,
    pub rules: Vec<RuleStatus>,
}

/// One running process, as the window's "add a watch" picker lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProcessEntry {
    pub pid: u32,
    /// `comm`, what `match.process` compares.
    pub name: String,
    /// The executable's path, when readable (what `match.exe` compares).
    pub exe: Option<String>,
    /// The command line, shortened.
    pub cmdline: String,
    pub user: Option<String>,
    /// CPU since the previous list (at least a quarter of a second), on the scale of `cpu.total`.
    pub cpu_pct: f64,
    #[ts(type = "number")]
    pub rss_bytes: u64,
}

/// Recent readings of one metric, oldest first, as parallel arrays (what uPlot draws).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MetricSeries {
    pub metric: String,
    pub times: Vec<Timestamp>,
    pub values: Vec<f64>,
}

/// The overall state the tray icon shows, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum OverallState {
    /// A delivery channel keeps failing: alerts may not reach the user.
    ChannelFailing,
    Critical,
    Warning,
    Paused,
    Ok,
}

/// The health of one delivery channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChannelStatus {
    /// "desktop", "email", or a push channel's name.
    pub channel: String,
    pub enabled: bool,
    pub last_ok_at: Option<Timestamp>,
    pub last_error_at: Option<Timestamp>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
}

/// Everything `lookout status` and the window's status bar show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Status {
    pub overall: OverallState,
    /// The language Lookout speaks: the `language` setting, with `auto` resolved against the
    /// monitor's locale. The window shows itself in it, so window and tray never disagree.
    pub language: lookout_i18n::Language,
    pub paused_until: Option<Timestamp>,
    pub firing: Vec<String>,
    pub channels: Vec<ChannelStatus>,
    pub outbox_pending: u32,
    pub outbox_failed: u32,
    /// Lookout's own CPU use (% of one core) and resident memory.
    pub self_cpu_pct: Option<f64>,
    #[ts(type = "number | null")]
    pub self_rss_bytes: Option<u64>,
    pub smtp_password_set: bool,
    /// An SMTP server (`host:port`) the window named that gets no password until the user
    /// confirms it by entering the password again.
    pub smtp_server_unconfirmed: Option<String>,
    /// Problems of a config file Lookout could not use; it runs on the last valid config.
    pub config_error: Option<String>,
    /// The last failure of the tick loop since start, if any.
    pub tick_failure: Option<TickFailure>,
    pub config_path: String,
    pub data_dir: String,
    /// The tray app's log file, when it has one.
    pub log_path: Option<String>,
}

/// The tick loop failed (a bug): alerts were not checked from `at` until it was restarted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TickFailure {
    pub at: Timestamp,
    /// What the failure said.
    pub message: String,
    /// Whether the loop was started again (the tray does; `lookout run` exits).
    pub restarted: bool,
}

/// Errors crossing to a front end: a stable code to match on, a message for people, and the
/// field errors of an invalid config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, thiserror::Error)]
#[ts(export)]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidConfig,
    ConfigIo,
    Store,
    Email,
    Desktop,
    Keyring,
    Autostart,
    /// A push channel's test (or its client) failed; the message says how.
    Channel,
    /// The window asked for something only the config file or the CLI may do.
    Forbidden,
    Stopped,
    /// The window asked for something that does not exist or makes no sense (an unknown
    /// metric, an empty range).
    BadRequest,
    Internal,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn invalid_config(fields: Vec<FieldError>) -> Self {
        let message = match fields.len() {
            1 => "the config has 1 problem".to_owned(),
            n => format!("the config has {n} problems"),
        };
        Self {
            code: ErrorCode::InvalidConfig,
            message,
            fields,
        }
    }
}
