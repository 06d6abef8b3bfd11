//! Rule actions (`[[rules.actions]]`): commands a rule runs when it fires, reminds or
//! resolves, and the checks on them that need no file system (the program is looked up on
//! `PATH` by the monitor).

use super::durations::parse;
use super::error::{key, FieldCode, FieldError, PathSegment};
use crate::alert::EventKind;
use crate::text::shown;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use ts_rs::TS;

/// The most actions one rule may have.
pub const MAX_ACTIONS: usize = 10;
/// The most arguments one command may have.
pub const MAX_ARGS: usize = 256;
/// How long a command may run unless `timeout` says.
pub const DEFAULT_ACTION_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest `timeout` accepted.
pub const MAX_ACTION_TIMEOUT: Duration = Duration::from_secs(3600);

/// One command a rule runs. Only the config file can set it: the window shows actions but
/// cannot create or change them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ActionConfig {
    /// The transitions that run it: `firing`, `reminder`, `resolved` (default `["firing"]`).
    #[serde(default = "firing_only")]
    pub on: Vec<EventKind>,
    /// The program and its arguments; no shell is involved.
    pub run: Vec<String>,
    /// How long it may run before it is killed with its process group (default 60s, at most 1h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// At most this many runs (within `within`, or until the rule resolves); then Lookout
    /// gives up and says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_runs: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
}

fn firing_only() -> Vec<EventKind> {
    vec![EventKind::Firing]
}

/// An action after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub on: Vec<EventKind>,
    pub run: Vec<String>,
    pub timeout: Duration,
    pub max_runs: Option<u32>,
    /// `None` with `max_runs`: the cap holds until the rule resolves.
    pub within: Option<Duration>,
}

/// Checks a rule's actions (at `rules[i]`); every problem goes to `errors`.
pub(super) fn validate_actions(
    actions: &[ActionConfig],
    rule_path: &[PathSegment],
    errors: &mut Vec<FieldError>,
) -> Vec<Action> {
    let list_path = [rule_path, &[key("actions")]].concat();
    if actions.len() > MAX_ACTIONS {
        errors.push(
            FieldError::new(
                &list_path,
                FieldCode::ActionsTooMany,
                format!(
                    "{} actions; a rule may have at most {MAX_ACTIONS}",
                    actions.len()
                ),
            )
            .with("value", actions.len())
            .with("max", MAX_ACTIONS),
        );
        return Vec::new();
    }
    actions
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let path = [list_path.as_slice(), &[PathSegment::Index(i)]].concat();
            validate_action(a, &path, errors)
        })
        .collect()
}

fn validate_action(
    a: &ActionConfig,
    path: &[PathSegment],
    errors: &mut Vec<FieldError>,
) -> Option<Action> {
    let before = errors.len();
    let at = |k: &str| [path, &[key(k)]].concat();
    let runnable = |k: &EventKind| {
        matches!(
            k,
            EventKind::Firing | EventKind::Reminder | EventKind::Resolved
        )
    };
    if a.on.is_empty() || !a.on.iter().all(runnable) {
        errors.push(FieldError::new(
            &at("on"),
            FieldCode::ActionOnInvalid,
            "say when to run it: any of \"firing\", \"reminder\" and \"resolved\"",
        ));
    }
    match a.run.first() {
        None => errors.push(FieldError::new(
            &at("run"),
            FieldCode::ActionRunEmpty,
            "run needs a program and its arguments, like run = [\"systemctl\", \"--user\", \"restart\", \"my-app.service\"]",
        )),
        Some(program) if program.trim().is_empty() => errors.push(FieldError::new(
            &at("run"),
            FieldCode::ActionRunEmpty,
            "the program (the first item of run) is empty; name a program on PATH or give its absolute path",
        )),
        Some(_) if a.run.len() > MAX_ARGS => errors.push(
            FieldError::new(
                &at("run"),
                FieldCode::ActionRunTooLong,
                format!("{} arguments; a command may have at most {MAX_ARGS}", a.run.len()),
            )
            .with("value", a.run.len())
            .with("max", MAX_ARGS),
        ),
        Some(_) => {
            if let Some(bad) = a.run.iter().find(|arg| arg.contains('\0')) {
                errors.push(
                    FieldError::new(
                        &at("run"),
                        FieldCode::ActionRunNul,
                        format!("'{}' holds a NUL character, which no command line can carry", shown(bad)),
                    )
                    .with("value", shown(bad)),
                );
            }
        }
    }
    let timeout = match a.timeout.as_deref() {
        None => DEFAULT_ACTION_TIMEOUT,
        Some(text) => match parse(text) {
            Ok(d) if !d.is_zero() && d <= MAX_ACTION_TIMEOUT => d,
            Ok(_) => {
                errors.push(
                    FieldError::new(
                        &at("timeout"),
                        FieldCode::ActionTimeoutOutOfRange,
                        format!(
                            "'{}' is out of range; use a duration from 1s to 1h",
                            shown(text)
                        ),
                    )
                    .with("value", text)
                    .with("max", "1h"),
                );
                DEFAULT_ACTION_TIMEOUT
            }
            Err(e) => {
                errors.push(FieldError::new(&at("timeout"), e.code, e.message).with("value", text));
                DEFAULT_ACTION_TIMEOUT
            }
        },
    };
    if a.max_runs == Some(0) {
        errors.push(FieldError::new(
            &at("max_runs"),
            FieldCode::ActionMaxRunsZero,
            "max_runs must be at least 1; leave it out for no cap",
        ));
    }
    let within = match (a.within.as_deref(), a.max_runs) {
        (None, _) => None,
        (Some(_), None) => {
            errors.push(FieldError::new(
                &at("within"),
                FieldCode::ActionWithinWithoutMaxRuns,
                "within says how long max_runs counts; give max_runs too, like max_runs = 3",
            ));
            None
        }
        (Some(text), Some(_)) => match parse(text) {
            Ok(d) if !d.is_zero() => Some(d),
            Ok(_) => {
                errors.push(
                    FieldError::new(
                        &at("within"),
                        FieldCode::ActionWithinZero,
                        "within must be longer than 0s, like within = \"15m\"",
                    )
                    .with("value", text),
                );
                None
            }
            Err(e) => {
                errors.push(FieldError::new(&at("within"), e.code, e.message).with("value", text));
                None
            }
        },
    };
    (errors.len() == before).then(|| Action {
        on: a.on.clone(),
        run: a.run.clone(),
        timeout,
        max_runs: a.max_runs,
        within,
    })
}
