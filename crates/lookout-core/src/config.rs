//! The config file model (TOML / JSON via serde) and its validation into typed rules.
//! Validation reports every problem at once, each with a field path and what is accepted.

use crate::metric::MetricKey;
use crate::quiet::{parse_time_of_day, QuietHours, QuietHoursConfig};
use crate::rule::{Aggregate, Channel, Op, Rule, Severity};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;
use ts_rs::TS;

/// The config version this build reads and writes.
pub const CONFIG_VERSION: u32 = 1;
/// The commented config written on first run.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("../default-config.toml");

const MIN_INTERVAL: Duration = Duration::from_millis(100);
const MAX_INTERVAL: Duration = Duration::from_secs(3600);
const MAX_WINDOW: Duration = Duration::from_secs(24 * 3600);
const DEFAULT_MIN_COVERAGE: f64 = 0.9;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default = "default_version")]
    pub version: u32,
    #[serde(default)]
    pub sampling: SamplingConfig,
    #[serde(default)]
    pub desktop: DesktopConfig,
    #[serde(default)]
    pub email: EmailConfig,
    #[serde(default)]
    pub quiet_hours: QuietHoursConfig,
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
}

fn default_version() -> u32 {
    CONFIG_VERSION
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct SamplingConfig {
    /// How often metrics are read, e.g. "1s".
    #[serde(default = "default_interval")]
    pub interval: String,
}

fn default_interval() -> String {
    "1s".into()
}

impl Default for SamplingConfig {
    fn default() -> Self {
        Self {
            interval: default_interval(),
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
}

/// One step of a path into the config: a key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(untagged)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// A problem with one field: where (`rules[2].window`) and what is wrong and accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub path: Vec<PathSegment>,
    pub message: String,
}

impl FieldError {
    fn new(path: &[PathSegment], message: impl Into<String>) -> Self {
        Self {
            path: path.to_vec(),
            message: message.into(),
        }
    }

    /// The path as text: `rules[2].window`.
    pub fn path_text(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                PathSegment::Key(k) if out.is_empty() => out.push_str(k),
                PathSegment::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                PathSegment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path_text(), self.message)
    }
}

/// A config that passed validation, with its rules parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidConfig {
    pub config: Config,
    pub interval: Duration,
    pub rules: Vec<Rule>,
    /// `None` when quiet hours are off.
    pub quiet_hours: Option<QuietHours>,
}

fn key(k: &str) -> PathSegment {
    PathSegment::Key(k.to_owned())
}

/// Parses a humantime duration ("500ms", "5m", "1h 30m"), explaining what is accepted.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(format!(
            "'{text}' is negative; durations must be zero or positive, like '90s', '5m' or '1h'"
        ));
    }
    humantime::parse_duration(trimmed).map_err(|_| {
        format!("'{text}' is not a duration; write a number and a unit, like '500ms', '90s', '5m' or '1h'")
    })
}

impl Config {
    /// Checks everything and returns every problem at once.
    pub fn validate(&self) -> Result<ValidConfig, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.version != CONFIG_VERSION {
            errors.push(FieldError::new(
                &[key("version")],
                format!(
                    "unsupported config version '{}'; this Lookout reads version {CONFIG_VERSION}",
                    self.version
                ),
            ));
        }
        let interval_path = [key("sampling"), key("interval")];
        let interval = match parse_duration(&self.sampling.interval) {
            Ok(d) if d < MIN_INTERVAL || d > MAX_INTERVAL => {
                errors.push(FieldError::new(
                    &interval_path,
                    format!(
                        "'{}' is out of range; use a duration from 100ms to 1h",
                        self.sampling.interval
                    ),
                ));
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(FieldError::new(&interval_path, e));
                None
            }
        };
        crate::config_email::validate_email(&self.email, &mut errors);
        let quiet_hours = validate_quiet_hours(&self.quiet_hours, &mut errors);
        let mut rules = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, rc) in self.rules.iter().enumerate() {
            let path = [key("rules"), PathSegment::Index(i)];
            let name = rc.name.trim();
            if let Some(first) = seen.get(name) {
                errors.push(FieldError::new(
                    &[path.as_slice(), &[key("name")]].concat(),
                    format!(
                        "'{}' is already the name of rules[{first}]; rule names must be unique",
                        rc.name
                    ),
                ));
            } else if !name.is_empty() {
                seen.insert(name, i);
            }
            if let Some(rule) = validate_rule(rc, &path, interval, &self.email, &mut errors) {
                rules.push(rule);
            }
        }
        match interval {
            Some(interval) if errors.is_empty() => Ok(ValidConfig {
                config: self.clone(),
                interval,
                rules,
                quiet_hours,
            }),
            _ => Err(errors),
        }
    }
}

/// Quiet hours' times are checked even while they are off, so turning them on cannot fail.
fn validate_quiet_hours(
    quiet: &QuietHoursConfig,
    errors: &mut Vec<FieldError>,
) -> Option<QuietHours> {
    let mut time = |field: &str, text: &str| {
        parse_time_of_day(text)
            .map_err(|e| errors.push(FieldError::new(&[key("quiet_hours"), key(field)], e)))
            .ok()
    };
    let (start, end) = (time("start", &quiet.start), time("end", &quiet.end));
    let (start, end) = (start?, end?);
    if start == end {
        errors.push(FieldError::new(
            &[key("quiet_hours"), key("end")],
            format!(
                "'{}' is when quiet hours start; the end must differ, like '07:00' after '22:00'",
                quiet.end
            ),
        ));
        return None;
    }
    quiet.enabled.then_some(QuietHours {
        start,
        end,
        mute_critical: quiet.mute_critical,
    })
}

fn validate_rule(
    rc: &RuleConfig,
    path: &[PathSegment],
    interval: Option<Duration>,
    email: &EmailConfig,
    errors: &mut Vec<FieldError>,
) -> Option<Rule> {
    let before = errors.len();
    let at = |k: &str| [path, &[key(k)]].concat();
    if rc.name.trim().is_empty() {
        errors.push(FieldError::new(
            &at("name"),
            "a rule needs a name; write a short phrase like 'CPU busy'",
        ));
    } else if rc.name.chars().any(char::is_control) {
        errors.push(FieldError::new(
            &at("name"),
            "rule names cannot contain control characters (line breaks, tabs)",
        ));
    }
    let metric = MetricKey::parse(&rc.metric)
        .map_err(|e| errors.push(FieldError::new(&at("metric"), e)))
        .ok();
    let mut duration = |field: &str, text: Option<&str>| -> Option<Duration> {
        let text = text?;
        parse_duration(text)
            .map_err(|e| errors.push(FieldError::new(&at(field), e)))
            .ok()
    };
    let window = duration("window", Some(&rc.window));
    let pending_for = duration("for", rc.pending_for.as_deref());
    let keep_firing_for = duration("keep_firing_for", rc.keep_firing_for.as_deref());
    let repeat_every = duration("repeat_every", rc.repeat_every.as_deref());
    if let (Some(w), Some(iv)) = (window, interval) {
        if w < iv {
            errors.push(FieldError::new(&at("window"), format!(
                "'{}' is shorter than the sampling interval '{}'; a window must span at least one sample",
                rc.window,
                humantime::format_duration(iv)
            )));
        } else if w > MAX_WINDOW {
            errors.push(FieldError::new(
                &at("window"),
                format!(
                    "'{}' is longer than 24h, the longest window kept in memory",
                    rc.window
                ),
            ));
        }
    }
    if let (Some(r), Some(iv), Some(text)) = (repeat_every, interval, &rc.repeat_every) {
        if !r.is_zero() && r < iv {
            errors.push(FieldError::new(
                &at("repeat_every"),
                format!(
                    "'{text}' is shorter than the sampling interval '{}'; use a longer period like '1h', or '0s' for no reminders",
                    humantime::format_duration(iv)
                ),
            ));
        }
    }
    if rc.channels.as_ref().is_some_and(Vec::is_empty) {
        errors.push(FieldError::new(
            &at("channels"),
            "an empty list would announce nothing; remove the line for every enabled channel, or set enabled = false",
        ));
    }
    if !rc.threshold.is_finite() {
        errors.push(FieldError::new(
            &at("threshold"),
            format!("'{}' is not a finite number", rc.threshold),
        ));
    }
    let clear_threshold = rc.clear_threshold.unwrap_or(rc.threshold);
    if !clear_threshold.is_finite() {
        errors.push(FieldError::new(
            &at("clear_threshold"),
            format!("'{clear_threshold}' is not a finite number"),
        ));
    } else if rc.op.is_upper() && clear_threshold > rc.threshold {
        errors.push(FieldError::new(&at("clear_threshold"), format!(
            "'{clear_threshold}' is above the threshold '{}'; with '{}' the alert clears at or below the threshold",
            rc.threshold, rc.op
        )));
    } else if !rc.op.is_upper() && clear_threshold < rc.threshold {
        errors.push(FieldError::new(&at("clear_threshold"), format!(
            "'{clear_threshold}' is below the threshold '{}'; with '{}' the alert clears at or above the threshold",
            rc.threshold, rc.op
        )));
    }
    let min_coverage = rc.min_coverage.unwrap_or(DEFAULT_MIN_COVERAGE);
    if !(min_coverage > 0.0 && min_coverage <= 1.0) {
        errors.push(FieldError::new(
            &at("min_coverage"),
            format!(
                "'{min_coverage}' is out of range; use a fraction above 0 and at most 1, like 0.9"
            ),
        ));
    }
    let mut channels = Vec::new();
    for (j, name) in rc.channels.iter().flatten().enumerate() {
        let cpath = [path, &[key("channels"), PathSegment::Index(j)]].concat();
        match Channel::parse(name) {
            Some(Channel::Email) if !email.enabled => errors.push(FieldError::new(
                &cpath,
                "'email' is not enabled; set [email] enabled = true or remove it from channels",
            )),
            Some(c) if channels.contains(&c) => {
                errors.push(FieldError::new(&cpath, format!("'{name}' is listed twice")))
            }
            Some(c) => channels.push(c),
            None => errors.push(FieldError::new(
                &cpath,
                format!("unknown channel '{name}'; expected 'desktop' or 'email'"),
            )),
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(Rule {
        name: rc.name.trim().to_owned(),
        metric: metric?,
        aggregate: rc.aggregate,
        window: window?,
        op: rc.op,
        threshold: rc.threshold,
        clear_threshold,
        pending_for: pending_for.unwrap_or_default(),
        keep_firing_for: keep_firing_for.unwrap_or_default(),
        repeat_every: repeat_every.filter(|d| !d.is_zero()),
        notify_resolved: rc.notify_resolved,
        severity: rc.severity,
        channels,
        enabled: rc.enabled,
        min_coverage,
    })
}
