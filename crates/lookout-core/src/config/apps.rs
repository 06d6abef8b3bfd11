//! App watches (`[[apps]]`): which processes make up an app, and the checks on them and on
//! the rules that name them.

use super::durations::parse;
use super::error::{key, FieldCode, FieldError, PathSegment};
use super::limits::{check_name, too_many, MAX_APPS};
use crate::metric::MetricFamily;
use crate::text::shown;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;
use ts_rs::TS;

/// The largest compiled size of a `cmdline` pattern: far above any real one, and a bound on
/// what a hostile config can make Lookout build.
pub const MAX_REGEX_BYTES: usize = 1 << 20;

/// One watched app: every process its match selects (and, by default, their children)
/// counts as the app, and its figures are summed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    /// The watch's name, as rules name it: `app.<name>.running`.
    pub name: String,
    /// Which processes are the app; every criterion given must hold.
    #[serde(rename = "match")]
    pub matcher: AppMatch,
    /// Whether the children of matching processes count too (default true).
    #[serde(default = "yes")]
    pub include_children: bool,
}

fn yes() -> bool {
    true
}

/// How processes are picked. Every criterion given must hold; at least one must be given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct AppMatch {
    /// The process name as `ps` shows it (`comm`), exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// The executable's absolute path, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exe: Option<String>,
    /// A regular expression found anywhere in the command line (arguments joined by spaces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmdline: Option<String>,
    /// A systemd unit (`postgresql.service`), as /proc/PID/cgroup names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Only processes of this user (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

impl AppMatch {
    /// Each criterion given, by its key.
    pub fn criteria(&self) -> Vec<(&'static str, &str)> {
        [
            ("process", &self.process),
            ("exe", &self.exe),
            ("cmdline", &self.cmdline),
            ("unit", &self.unit),
            ("user", &self.user),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

/// Compiles a `cmdline` pattern with Lookout's bounds.
pub fn compile_cmdline(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(MAX_REGEX_BYTES)
        .dfa_size_limit(MAX_REGEX_BYTES)
        .build()
}

/// How often watches read the process table unless `[sampling] process_interval` says.
pub const DEFAULT_PROCESS_INTERVAL: Duration = Duration::from_secs(5);
const MIN_PROCESS_INTERVAL: Duration = Duration::from_secs(1);
const MAX_PROCESS_INTERVAL: Duration = Duration::from_secs(3600);

/// `[sampling] process_interval` (`setting`), checked; the default when it is not set or is
/// wrong (the error is reported either way).
pub(super) fn validate_process_interval(
    setting: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Duration {
    let Some(text) = setting else {
        return DEFAULT_PROCESS_INTERVAL;
    };
    let path = [key("sampling"), key("process_interval")];
    match parse(text) {
        Ok(d) if (MIN_PROCESS_INTERVAL..=MAX_PROCESS_INTERVAL).contains(&d) => d,
        Ok(_) => {
            errors.push(
                FieldError::new(
                    &path,
                    FieldCode::SamplingIntervalOutOfRange,
                    format!(
                        "'{}' is out of range; use a duration from 1s to 1h",
                        shown(text)
                    ),
                )
                .with("value", text)
                .with("min", "1s")
                .with("max", "1h"),
            );
            DEFAULT_PROCESS_INTERVAL
        }
        Err(e) => {
            errors.push(FieldError::new(&path, e.code, e.message).with("value", text));
            DEFAULT_PROCESS_INTERVAL
        }
    }
}

/// Checks every watch, and every rule's `app.<name>` against them (`rule_metrics[i]` is
/// `rules[i].metric`).
pub(super) fn validate_apps(
    apps: &[AppConfig],
    rule_metrics: &[&str],
    errors: &mut Vec<FieldError>,
) {
    if let Some(e) = too_many(
        &[key("apps")],
        FieldCode::AppsTooMany,
        apps.len(),
        MAX_APPS,
        "app watches",
    ) {
        errors.push(e);
        return;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, app) in apps.iter().enumerate() {
        let path = [key("apps"), PathSegment::Index(i)];
        let at = |k: &str| [path.as_slice(), &[key(k)]].concat();
        check_app_name(&at("name"), &app.name, errors);
        if let Some(first) = seen.get(app.name.as_str()) {
            errors.push(
                FieldError::new(
                    &at("name"),
                    FieldCode::AppNameDuplicate,
                    format!(
                        "'{}' is already the name of apps[{first}]; watch names must be unique",
                        shown(&app.name)
                    ),
                )
                .with("value", &app.name)
                .with("first", first),
            );
        } else {
            seen.insert(&app.name, i);
        }
        check_match(&at("match"), &app.matcher, errors);
    }
    for (i, metric) in rule_metrics.iter().enumerate() {
        let Some(MetricFamily::App { app, .. }) = MetricFamily::parse(metric) else {
            continue;
        };
        if !seen.contains_key(app.as_str()) {
            let known = if apps.is_empty() {
                "none".to_owned()
            } else {
                let mut names: Vec<&str> = Vec::new();
                for app in apps {
                    if !app.name.trim().is_empty() && !names.contains(&app.name.as_str()) {
                        names.push(&app.name);
                    }
                }
                names.join(", ")
            };
            errors.push(
                FieldError::new(
                    &[key("rules"), PathSegment::Index(i), key("metric")],
                    FieldCode::RuleMetricUnknownApp,
                    format!(
                        "'{}' names the app watch '{}', which is not in [[apps]] (watches: {known}); add it there or fix the name",
                        shown(metric),
                        shown(&app)
                    ),
                )
                .with("value", *metric)
                .with("app", &app)
                .with("known", known),
            );
        }
    }
}

fn check_app_name(path: &[PathSegment], name: &str, errors: &mut Vec<FieldError>) {
    if name.trim().is_empty() {
        errors.push(FieldError::new(
            path,
            FieldCode::AppNameMissing,
            "a watch needs a name; rules use it as app.<name>.running",
        ));
    } else if let Some(e) = check_name(path, name, FieldCode::NameControlChars) {
        errors.push(e);
    } else if name.contains(['.', '{', '}']) || name.chars().any(char::is_whitespace) {
        errors.push(
            FieldError::new(
                path,
                FieldCode::AppNameInvalid,
                format!(
                    "'{}' cannot name a watch: metric keys hold it (app.<name>.running), so it may not hold dots, braces or spaces; write it like 'postgres' or 'my-app'",
                    shown(name)
                ),
            )
            .with("value", name),
        );
    }
}

fn check_match(path: &[PathSegment], m: &AppMatch, errors: &mut Vec<FieldError>) {
    let criteria = m.criteria();
    if criteria.is_empty() {
        errors.push(FieldError::new(
            path,
            FieldCode::AppMatchEmpty,
            "a match needs at least one of process, exe, cmdline, unit or user, like match = { process = \"postgres\" }",
        ));
    }
    for (field, value) in criteria {
        let at = [path, &[key(field)]].concat();
        if value.trim().is_empty() {
            errors.push(
                FieldError::new(
                    &at,
                    FieldCode::AppMatchFieldEmpty,
                    format!("match.{field} is empty; give a value or leave the key out"),
                )
                .with("field", field),
            );
        } else if let Some(e) = check_name(&at, value, FieldCode::NameControlChars) {
            errors.push(e);
        } else if field == "exe" && !value.starts_with('/') {
            errors.push(
                FieldError::new(
                    &at,
                    FieldCode::AppMatchExeNotAbsolute,
                    format!(
                        "'{}' is not an absolute path; exe is the program's full path, like '/usr/bin/python3' (match a name with process = ...)",
                        shown(value)
                    ),
                )
                .with("value", value),
            );
        } else if field == "cmdline" {
            if let Err(e) = compile_cmdline(value) {
                let text = e.to_string();
                let last = text.lines().last().unwrap_or_default().trim();
                let reason = last.strip_prefix("error: ").unwrap_or(last).to_owned();
                errors.push(
                    FieldError::new(
                        &at,
                        FieldCode::AppMatchRegexInvalid,
                        format!(
                            "'{}' is not a valid regular expression ({reason}); write one like 'my-app( |$)' or escape special characters with \\\\",
                            shown(value)
                        ),
                    )
                    .with("value", value)
                    .with("reason", reason),
                );
            }
        }
    }
}
