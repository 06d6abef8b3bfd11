//! The config file model (TOML / JSON via serde) with its defaults, and [`ValidConfig`], what
//! validation turns it into.

use super::actions::{Action, ActionConfig};
use super::apps::AppConfig;
use super::channels::ChannelConfig;
use super::durations::parse_duration;
use super::http::HttpConfig;
use super::probes::{Probe, ProbeConfig};
use crate::quiet::{QuietHours, QuietHoursConfig};
use crate::rule::{Aggregate, Op, Rule, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;
use ts_rs::TS;

/// The config version this build reads and writes.
pub const CONFIG_VERSION: u32 = 1;
/// The commented config written on first run.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("../../default-config.toml");
/// The same config in Korean (comments and rule names), written on first run on a Korean
/// desktop. Its settings are the English one's.
pub const DEFAULT_CONFIG_TOML_KO: &str = include_str!("../../default-config.ko.toml");

/// The share of a window's samples a rule needs before it judges, unless it sets its own.
pub(super) const DEFAULT_MIN_COVERAGE: f64 = 0.9;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default = "default_version")]
    pub version: u32,
    /// The language of the tray, the window, notifications, email and the CLI.
    #[serde(default, skip_serializing_if = "LanguageSetting::is_auto")]
    pub language: LanguageSetting,
    #[serde(default)]
    pub sampling: SamplingConfig,
    #[serde(default)]
    pub desktop: DesktopConfig,
    #[serde(default)]
    pub email: EmailConfig,
    #[serde(default)]
    pub quiet_hours: QuietHoursConfig,
    #[serde(default)]
    pub storage: StorageConfig,
    /// Prometheus' `/metrics` and the web dashboard; off until `listen` is set.
    #[serde(default)]
    pub http: HttpConfig,
    /// Watched apps; rules read them as `app.<name>.<field>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<AppConfig>,
    /// Reachability probes; rules read them as `probe.<name>.up` and `.latency_ms`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<ProbeConfig>>")]
    pub probes: Vec<ProbeConfig>,
    /// Push channels (ntfy, webhooks, Telegram, ...) that rules name in `channels`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<ChannelConfig>>")]
    pub channels: Vec<ChannelConfig>,
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
}

/// Which language Lookout speaks: `auto` follows the locale (`LC_ALL`, `LC_MESSAGES`,
/// `LANG`), or a fixed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum LanguageSetting {
    #[default]
    Auto,
    En,
    Ko,
}

impl LanguageSetting {
    pub fn is_auto(&self) -> bool {
        *self == Self::Auto
    }
}

/// How much the database keeps (`[storage]`); older entries are pruned hourly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// Days of alert log and delivery log kept.
    pub log_days: u32,
    /// At most this many entries in each of those logs (the newest are kept).
    #[ts(type = "number")]
    pub log_max_entries: u64,
    /// Days that sent, expired and failed emails stay in the outbox.
    pub outbox_days: u32,
    /// Record every reading in the metric history (charts, backtests, windows that survive a
    /// restart).
    pub history: bool,
    /// Hours of raw readings (one per tick) kept.
    pub raw_hours: u32,
    /// Days of 1-minute rollups (min, average, max, count) kept.
    pub minute_days: u32,
    /// Days of 15-minute rollups kept.
    pub quarter_hour_days: u32,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            log_days: 90,
            log_max_entries: 100_000,
            outbox_days: 30,
            history: true,
            raw_hours: 48,
            minute_days: 30,
            quarter_hour_days: 730,
        }
    }
}

impl Default for Config {
    /// Every section at its default, and no rules.
    fn default() -> Self {
        Self {
            version: CONFIG_VERSION,
            language: LanguageSetting::default(),
            sampling: SamplingConfig::default(),
            desktop: DesktopConfig::default(),
            email: EmailConfig::default(),
            quiet_hours: QuietHoursConfig::default(),
            storage: StorageConfig::default(),
            http: HttpConfig::default(),
            apps: Vec::new(),
            probes: Vec::new(),
            channels: Vec::new(),
            rules: Vec::new(),
        }
    }
}

fn default_version() -> u32 {
    CONFIG_VERSION
}

fn yes() -> bool {
    true
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct SamplingConfig {
    /// How often metrics are read, e.g. "1s".
    #[serde(default = "default_interval")]
    pub interval: String,
    /// How often the process table is read for app watches (default "5s").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_interval: Option<String>,
}

fn default_interval() -> String {
    "1s".into()
}

impl Default for SamplingConfig {
    fn default() -> Self {
        Self {
            interval: default_interval(),
            process_interval: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct DesktopConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for DesktopConfig {
    fn default() -> Self {
        Self { enabled: true }
    }
}

/// How the SMTP connection is secured; chosen explicitly, never guessed from the port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    None,
    #[default]
    Starttls,
    Tls,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub host: String,
    /// Defaults to 587 for starttls, 465 for tls and 25 for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default)]
    pub tls: TlsMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Allows AUTH with `tls = "none"`, which sends the password in clear text: only to a
    /// server on this machine (`localhost`, 127.0.0.0/8, `::1`), such as a local relay.
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_plaintext_auth: bool,
    /// A file holding the SMTP password (headless servers); otherwise the OS keyring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_file: Option<String>,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// How long one send may take in all (connect, TLS, AUTH, DATA); default "30s".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

impl EmailConfig {
    /// The user name to log in with: `None` when unset or blank (a blank one means no login,
    /// as validation reads it).
    pub fn login(&self) -> Option<&str> {
        self.username.as_deref().filter(|u| !u.trim().is_empty())
    }

    /// The send timeout; the default when unset or unparsable (validation reports that).
    pub fn timeout_or_default(&self) -> Duration {
        self.timeout
            .as_deref()
            .and_then(|t| parse_duration(t).ok())
            .filter(|d| !d.is_zero())
            .unwrap_or(Duration::from_secs(30))
    }

    pub fn port_or_default(&self) -> u16 {
        self.port.unwrap_or(match self.tls {
            TlsMode::None => 25,
            TlsMode::Starttls => 587,
            TlsMode::Tls => 465,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    pub name: String,
    pub metric: String,
    #[serde(default)]
    pub aggregate: Aggregate,
    pub window: String,
    pub op: Op,
    pub threshold: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear_threshold: Option<f64>,
    #[serde(rename = "for", default, skip_serializing_if = "Option::is_none")]
    pub pending_for: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_firing_for: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_every: Option<String>,
    /// At most this many reminders per firing period, then silence until it resolves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_max: Option<u32>,
    #[serde(default = "yes")]
    pub notify_resolved: bool,
    #[serde(default)]
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_coverage: Option<f64>,
    /// A condition on another metric's latest reading, like `"battery.BAT0.charging < 1"`:
    /// the rule fires only while it holds, and resolves when it stops holding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_when: Option<String>,
    /// Commands to run on its transitions. Only the config file sets them: saves from the
    /// window keep the file's actions of each rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<ActionConfig>>")]
    pub actions: Vec<ActionConfig>,
}

/// A config that passed validation, with its rules parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidConfig {
    pub config: Config,
    pub interval: Duration,
    pub rules: Vec<Rule>,
    /// `None` when quiet hours are off.
    pub quiet_hours: Option<QuietHours>,
    /// How often app watches read the process table.
    pub process_interval: Duration,
    /// The actions of each rule that has any, by rule name.
    pub actions: BTreeMap<String, Vec<Action>>,
    pub probes: Vec<Probe>,
}
