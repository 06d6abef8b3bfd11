//! Validation of a [`Config`] into a [`ValidConfig`]: every problem at once, each a
//! [`FieldError`] with its path, code, parameters and a message saying what is accepted.

use super::actions::validate_actions;
use super::apps::{validate_apps, validate_process_interval};
use super::channels::{check_rule_channels, validate_push_channels, ChannelConfig};
use super::durations::{self, DurationError};
use super::email::validate_email;
use super::error::{key, FieldCode, FieldError, PathSegment};
use super::limits::{check_name, too_many, MAX_RULES};
use super::model::{
    Config, EmailConfig, RuleConfig, StorageConfig, ValidConfig, CONFIG_VERSION,
    DEFAULT_MIN_COVERAGE,
};
use super::probes::validate_probes;
use crate::metric::MetricKey;
use crate::quiet::{parse_time_of_day, QuietHours, QuietHoursConfig};
use crate::rule::{Guard, Rule};
use crate::text::shown;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

const MIN_INTERVAL: Duration = Duration::from_millis(100);
const MAX_INTERVAL: Duration = Duration::from_secs(3600);
const MAX_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// The field error of a duration that does not parse.
pub(super) fn duration_error(path: &[PathSegment], text: &str, e: DurationError) -> FieldError {
    FieldError::new(path, e.code, e.message).with("value", text)
}

impl Config {
    /// Checks everything and returns every problem at once.
    pub fn validate(&self) -> Result<ValidConfig, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.version != CONFIG_VERSION {
            errors.push(
                FieldError::new(
                    &[key("version")],
                    FieldCode::VersionUnsupported,
                    format!(
                        "unsupported config version '{}'; this Lookout reads version {CONFIG_VERSION}",
                        self.version
                    ),
                )
                .with("value", self.version)
                .with("supported", CONFIG_VERSION),
            );
        }
        let interval_path = [key("sampling"), key("interval")];
        let text = &self.sampling.interval;
        let interval = match durations::parse(text) {
            Ok(d) if d < MIN_INTERVAL || d > MAX_INTERVAL => {
                errors.push(
                    FieldError::new(
                        &interval_path,
                        FieldCode::SamplingIntervalOutOfRange,
                        format!(
                            "'{}' is out of range; use a duration from 100ms to 1h",
                            shown(text)
                        ),
                    )
                    .with("value", text)
                    .with("min", "100ms")
                    .with("max", "1h"),
                );
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(duration_error(&interval_path, text, e));
                None
            }
        };
        let process_interval =
            validate_process_interval(self.sampling.process_interval.as_deref(), &mut errors);
        validate_email(&self.email, &mut errors);
        let quiet_hours = validate_quiet_hours(&self.quiet_hours, &mut errors);
        validate_storage(&self.storage, &mut errors);
        super::http::validate_http(&self.http, &mut errors);
        let rule_metrics: Vec<&str> = self.rules.iter().map(|r| r.metric.as_str()).collect();
        validate_apps(&self.apps, &rule_metrics, &mut errors);
        let probes = validate_probes(&self.probes, &rule_metrics, &mut errors);
        validate_push_channels(&self.channels, &mut errors);
        let mut rules = Vec::new();
        let mut actions = BTreeMap::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let too_many_rules = too_many(
            &[key("rules")],
            FieldCode::RulesTooMany,
            self.rules.len(),
            MAX_RULES,
            "rules",
        );
        // Past the limit the rules are not checked one by one: one error says it all.
        let checked = if too_many_rules.is_some() {
            0
        } else {
            self.rules.len()
        };
        errors.extend(too_many_rules);
        for (i, rc) in self.rules.iter().take(checked).enumerate() {
            let path = [key("rules"), PathSegment::Index(i)];
            let name = rc.name.trim();
            if let Some(first) = seen.get(name) {
                errors.push(
                    FieldError::new(
                        &[path.as_slice(), &[key("name")]].concat(),
                        FieldCode::RuleNameDuplicate,
                        format!(
                            "'{}' is already the name of rules[{first}]; rule names must be unique",
                            shown(&rc.name)
                        ),
                    )
                    .with("value", &rc.name)
                    .with("first", first),
                );
            } else if !name.is_empty() {
                seen.insert(name, i);
            }
            let rule = validate_rule(
                rc,
                &path,
                interval,
                &self.email,
                &self.channels,
                &mut errors,
            );
            if let Some(rule) = rule {
                rules.push(rule);
            }
            let checked = validate_actions(&rc.actions, &path, &mut errors);
            if !checked.is_empty() {
                actions.insert(rc.name.clone(), checked);
            }
        }
        match interval {
            Some(interval) if errors.is_empty() => Ok(ValidConfig {
                config: self.clone(),
                interval,
                rules,
                quiet_hours,
                process_interval,
                actions,
                probes,
            }),
            _ => Err(errors),
        }
    }
}

/// Each `[storage]` amount within a range that keeps the database useful and bounded.
fn validate_storage(storage: &StorageConfig, errors: &mut Vec<FieldError>) {
    let limits: [(&str, u64, u64, u64, &str); 6] = [
        ("log_days", u64::from(storage.log_days), 1, 3650, "days"),
        (
            "log_max_entries",
            storage.log_max_entries,
            100,
            10_000_000,
            "entries",
        ),
        (
            "outbox_days",
            u64::from(storage.outbox_days),
            1,
            3650,
            "days",
        ),
        (
            "raw_hours",
            u64::from(storage.raw_hours),
            1,
            24 * 31,
            "hours",
        ),
        (
            "minute_days",
            u64::from(storage.minute_days),
            1,
            3650,
            "days",
        ),
        (
            "quarter_hour_days",
            u64::from(storage.quarter_hour_days),
            1,
            36500,
            "days",
        ),
    ];
    for (field, value, min, max, unit) in limits {
        if !(min..=max).contains(&value) {
            errors.push(
                FieldError::new(
                    &[key("storage"), key(field)],
                    FieldCode::StorageOutOfRange,
                    format!("{value} is out of range; use {min} to {max} {unit}"),
                )
                .with("value", value)
                .with("min", min)
                .with("max", max),
            );
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
            .map_err(|e| {
                errors.push(
                    FieldError::new(
                        &[key("quiet_hours"), key(field)],
                        FieldCode::QuietHoursTimeInvalid,
                        e,
                    )
                    .with("value", text),
                )
            })
            .ok()
    };
    let (start, end) = (time("start", &quiet.start), time("end", &quiet.end));
    let (start, end) = (start?, end?);
    if start == end {
        errors.push(
            FieldError::new(
                &[key("quiet_hours"), key("end")],
                FieldCode::QuietHoursSpanEmpty,
                format!(
                    "'{}' is when quiet hours start; the end must differ, like '07:00' after '22:00'",
                    quiet.end
                ),
            )
            .with("value", &quiet.end),
        );
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
    declared: &[ChannelConfig],
    errors: &mut Vec<FieldError>,
) -> Option<Rule> {
    let before = errors.len();
    let at = |k: &str| [path, &[key(k)]].concat();
    if rc.name.trim().is_empty() {
        errors.push(FieldError::new(
            &at("name"),
            FieldCode::RuleNameMissing,
            "a rule needs a name; write a short phrase like 'CPU busy'",
        ));
    } else if let Some(e) = check_name(&at("name"), &rc.name, FieldCode::RuleNameControlChars) {
        errors.push(e);
    }
    let metric = match check_name(&at("metric"), &rc.metric, FieldCode::NameControlChars) {
        Some(e) => {
            errors.push(e);
            None
        }
        None => MetricKey::parse(&rc.metric)
            .map_err(|e| {
                errors.push(
                    FieldError::new(&at("metric"), FieldCode::RuleMetricUnknown, e)
                        .with("value", &rc.metric),
                )
            })
            .ok(),
    };
    let mut duration = |field: &str, text: Option<&str>| -> Option<Duration> {
        let text = text?;
        durations::parse(text)
            .map_err(|e| errors.push(duration_error(&at(field), text, e)))
            .ok()
    };
    let window = duration("window", Some(&rc.window));
    let pending_for = duration("for", rc.pending_for.as_deref());
    let keep_firing_for = duration("keep_firing_for", rc.keep_firing_for.as_deref());
    let repeat_every = duration("repeat_every", rc.repeat_every.as_deref());
    check_timings(rc, &at, window, repeat_every, interval, errors);
    // An unparsable `repeat_every` has its own error; an absent or zero one sends nothing.
    let no_reminders = rc.repeat_every.is_none() || repeat_every.is_some_and(|d| d.is_zero());
    if rc.repeat_max.is_some() && no_reminders {
        errors.push(FieldError::new(
            &at("repeat_max"),
            FieldCode::RuleRepeatMaxWithoutRepeatEvery,
            "repeat_max caps reminders, and this rule sends none; give repeat_every too, like repeat_every = \"1h\"",
        ));
    }
    if rc.channels.as_ref().is_some_and(Vec::is_empty) {
        errors.push(FieldError::new(
            &at("channels"),
            FieldCode::RuleChannelsEmpty,
            "an empty list would announce nothing; remove the line for every enabled channel, or set enabled = false",
        ));
    }
    check_thresholds(rc, &at, errors);
    let clear_threshold = rc.clear_threshold.unwrap_or(rc.threshold);
    let min_coverage = rc.min_coverage.unwrap_or(DEFAULT_MIN_COVERAGE);
    if !(min_coverage > 0.0 && min_coverage <= 1.0) {
        errors.push(
            FieldError::new(
                &at("min_coverage"),
                FieldCode::RuleMinCoverageOutOfRange,
                format!(
                    "'{min_coverage}' is out of range; use a fraction above 0 and at most 1, like 0.9"
                ),
            )
            .with("value", min_coverage),
        );
    }
    let listed = rc.channels.as_deref().unwrap_or_default();
    let channels = check_rule_channels(listed, path, email.enabled, declared, errors);
    let only_when = rc.only_when.as_deref().and_then(|text| {
        Guard::parse(text)
            .map_err(|why| {
                errors.push(
                    FieldError::new(
                        &at("only_when"),
                        FieldCode::RuleOnlyWhenInvalid,
                        format!("'{}' cannot be a condition: {why}", shown(text)),
                    )
                    .with("value", text),
                )
            })
            .ok()
    });
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
        repeat_max: rc.repeat_max,
        notify_resolved: rc.notify_resolved,
        severity: rc.severity,
        channels,
        enabled: rc.enabled,
        min_coverage,
        only_when,
    })
}

/// The window and the reminder period against the sampling interval.
fn check_timings(
    rc: &RuleConfig,
    at: &dyn Fn(&str) -> Vec<PathSegment>,
    window: Option<Duration>,
    repeat_every: Option<Duration>,
    interval: Option<Duration>,
    errors: &mut Vec<FieldError>,
) {
    if let (Some(w), Some(iv)) = (window, interval) {
        let interval_text = humantime::format_duration(iv).to_string();
        if w < iv {
            errors.push(
                FieldError::new(&at("window"), FieldCode::RuleWindowTooShort, format!(
                    "'{}' is shorter than the sampling interval '{interval_text}'; a window must span at least one sample",
                    shown(&rc.window),
                ))
                .with("value", &rc.window)
                .with("interval", &interval_text),
            );
        } else if w > MAX_WINDOW {
            errors.push(
                FieldError::new(
                    &at("window"),
                    FieldCode::RuleWindowTooLong,
                    format!(
                        "'{}' is longer than 24h, the longest window kept in memory",
                        shown(&rc.window)
                    ),
                )
                .with("value", &rc.window)
                .with("max", "24h"),
            );
        }
    }
    if let (Some(r), Some(iv), Some(text)) = (repeat_every, interval, &rc.repeat_every) {
        if !r.is_zero() && r < iv {
            let interval_text = humantime::format_duration(iv).to_string();
            errors.push(
                FieldError::new(
                    &at("repeat_every"),
                    FieldCode::RuleRepeatEveryTooShort,
                    format!(
                        "'{}' is shorter than the sampling interval '{interval_text}'; use a longer period like '1h', or '0s' for no reminders",
                        shown(text),
                    ),
                )
                .with("value", text)
                .with("interval", &interval_text),
            );
        }
    }
}

/// The threshold and the clear threshold: finite, and the clear one on the clearing side.
/// Each is blamed only for its own value: a clear threshold that was not written is not
/// checked, and one that was is compared only with a finite threshold.
fn check_thresholds(
    rc: &RuleConfig,
    at: &dyn Fn(&str) -> Vec<PathSegment>,
    errors: &mut Vec<FieldError>,
) {
    let not_finite = |field: &str, value: f64| {
        FieldError::new(
            &at(field),
            FieldCode::RuleThresholdNotFinite,
            format!("'{value}' is not a finite number; write a number like 80 or 0.5"),
        )
        .with("value", value)
    };
    if !rc.threshold.is_finite() {
        errors.push(not_finite("threshold", rc.threshold));
    }
    let Some(clear) = rc.clear_threshold else {
        return;
    };
    if !clear.is_finite() {
        errors.push(not_finite("clear_threshold", clear));
        return;
    }
    let threshold = rc.threshold;
    let (code, message) = if !threshold.is_finite() {
        return;
    } else if rc.op.is_upper() && clear > threshold {
        (FieldCode::RuleClearThresholdAbove, format!(
            "'{clear}' is above the threshold '{threshold}'; with '{}' the alert clears at or below the threshold",
            rc.op
        ))
    } else if !rc.op.is_upper() && clear < threshold {
        (FieldCode::RuleClearThresholdBelow, format!(
            "'{clear}' is below the threshold '{threshold}'; with '{}' the alert clears at or above the threshold",
            rc.op
        ))
    } else {
        return;
    };
    errors.push(
        FieldError::new(&at("clear_threshold"), code, message)
            .with("value", clear)
            .with("threshold", threshold)
            .with("op", rc.op),
    );
}
