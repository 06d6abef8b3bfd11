//! Field error codes: one per kind of problem, dotted lowercase, and stable (front ends match
//! and translate on them), with the values the message mentions as named params.

use lookout_core::config::{Config, FieldCode, FieldError};
use std::collections::BTreeSet;

fn problems(text: &str) -> Vec<FieldError> {
    toml::from_str::<Config>(text)
        .expect("test config parses")
        .validate()
        .expect_err("config must be refused")
}

#[test]
fn every_code_is_unique_dotted_lowercase_and_unchanged() {
    let codes: Vec<&str> = FieldCode::ALL.iter().map(|c| c.as_str()).collect();
    let unique: BTreeSet<&str> = codes.iter().copied().collect();
    assert_eq!(unique.len(), codes.len(), "a code used twice: {codes:?}");
    for code in &codes {
        let well_formed = code.split('.').count() >= 2
            && code.split('.').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            });
        assert!(well_formed, "{code:?} is not dotted lowercase");
    }
    // Renaming a code breaks every front end that matches on it: this list changes only
    // when a code is added.
    assert_eq!(
        codes,
        [
            "version.unsupported",
            "duration.negative",
            "duration.invalid",
            "sampling.interval.out_of_range",
            "email.port.zero",
            "email.template.unknown_placeholder",
            "email.subject.multiline",
            "email.timeout.out_of_range",
            "email.username.empty",
            "email.file_path.empty",
            "email.host.not_bare",
            "email.host.invalid",
            "email.from.missing",
            "email.to.missing",
            "email.mailbox.invalid",
            "email.mailbox.rejected",
            "quiet_hours.time.invalid",
            "quiet_hours.span.empty",
            "storage.out_of_range",
            "http.listen.invalid",
            "http.dashboard.no_listen",
            "rule.name.missing",
            "rule.name.control_chars",
            "rule.name.duplicate",
            "rule.metric.unknown",
            "rule.window.too_short",
            "rule.window.too_long",
            "rule.repeat_every.too_short",
            "rule.threshold.not_finite",
            "rule.threshold.missing",
            "rule.clear_threshold.above",
            "rule.clear_threshold.below",
            "rule.min_coverage.out_of_range",
            "rule.channels.empty",
            "rule.channel.unknown",
            "rule.channel.duplicate",
            "rule.channel.email_disabled",
            "name.control_chars",
            "rules.too_many",
            "rule.channels.too_many",
            "email.to.too_many",
            "name.too_long",
            "email.template.too_long",
            "email.auth.plaintext",
            "email.allow_plaintext_auth.not_loopback",
            "apps.too_many",
            "app.name.missing",
            "app.name.invalid",
            "app.name.duplicate",
            "app.match.empty",
            "app.match.field_empty",
            "app.match.exe_not_absolute",
            "app.match.regex_invalid",
            "rule.metric.unknown_app",
            "actions.too_many",
            "action.on.invalid",
            "action.run.empty",
            "action.run.too_long",
            "action.run.nul",
            "action.program.not_found",
            "action.timeout.out_of_range",
            "action.max_runs.zero",
            "action.within.without_max_runs",
            "action.within.zero",
            "rule.repeat_max.without_repeat_every",
            "probes.too_many",
            "probe.name.missing",
            "probe.name.invalid",
            "probe.name.duplicate",
            "probe.target.count",
            "probe.tcp.invalid",
            "probe.http.invalid",
            "probe.expect_status.invalid",
            "probe.expect_status.without_http",
            "probe.interval.out_of_range",
            "probe.timeout.out_of_range",
            "rule.metric.unknown_probe",
            "channels.too_many",
            "channel.name.missing",
            "channel.name.invalid",
            "channel.name.reserved",
            "channel.name.duplicate",
            "channel.url.missing",
            "channel.url.invalid",
            "channel.url.secret",
            "channel.field.not_for_kind",
            "channel.chat_id.missing",
            "channel.header.invalid",
            "channel.timeout.out_of_range",
            "channel.file_path.empty",
            "rule.only_when.invalid",
        ]
    );
}

#[test]
fn a_config_with_many_problems_reports_these_codes_and_params() {
    let errs = problems(
        r#"
version = 2
[sampling]
interval = "often"
[email]
enabled = true
port = 0
host = "smtp.example.com:25"
from = ""
to = ["not an address"]
subject = "{rule}\n{vlaue}"
timeout = "-1s"
username = " "
ca_file = ""
[quiet_hours]
start = "7:00"
end = "07:00"
[[rules]]
name = ""
metric = "cpu.totl"
window = "25h"
op = ">"
threshold = 80
clear_threshold = 90
min_coverage = 0
channels = ["sms", "desktop", "desktop"]
[[rules]]
name = "Dup"
metric = "cpu.total"
window = "soon"
op = "<"
threshold = 10
clear_threshold = 5
repeat_every = "1s"
channels = []
[[rules]]
name = "Dup"
metric = "cpu.total"
window = "1m"
op = ">"
threshold = 10
for = "later"
"#,
    );
    let got: Vec<(String, &str)> = errs
        .iter()
        .map(|e| (e.path_text(), e.code.as_str()))
        .collect();
    let want = [
        ("version", "version.unsupported"),
        ("sampling.interval", "duration.invalid"),
        ("email.port", "email.port.zero"),
        ("email.subject", "email.template.unknown_placeholder"),
        ("email.subject", "email.subject.multiline"),
        ("email.timeout", "duration.negative"),
        ("email.username", "email.username.empty"),
        ("email.ca_file", "email.file_path.empty"),
        ("email.host", "email.host.not_bare"),
        ("email.from", "email.from.missing"),
        ("email.to[0]", "email.mailbox.invalid"),
        ("quiet_hours.start", "quiet_hours.time.invalid"),
        ("rules[0].name", "rule.name.missing"),
        ("rules[0].metric", "rule.metric.unknown"),
        ("rules[0].clear_threshold", "rule.clear_threshold.above"),
        ("rules[0].min_coverage", "rule.min_coverage.out_of_range"),
        ("rules[0].channels[0]", "rule.channel.unknown"),
        ("rules[0].channels[2]", "rule.channel.duplicate"),
        ("rules[1].window", "duration.invalid"),
        ("rules[1].channels", "rule.channels.empty"),
        ("rules[1].clear_threshold", "rule.clear_threshold.below"),
        ("rules[2].name", "rule.name.duplicate"),
        ("rules[2].for", "duration.invalid"),
    ];
    let want: Vec<(String, &str)> = want.iter().map(|(p, c)| (p.to_string(), *c)).collect();
    assert_eq!(got, want);
    let by_path = |path: &str| {
        errs.iter()
            .find(|e| e.path_text() == path)
            .unwrap_or_else(|| panic!("no error at {path}"))
    };
    assert_eq!(
        by_path("rules[2].name").params,
        [("first", "1"), ("value", "Dup")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        "the duplicate names its first rule"
    );
    assert_eq!(by_path("email.to[0]").params["value"], "not an address");
    assert_eq!(
        by_path("rules[0].clear_threshold").params["threshold"],
        "80"
    );
    assert_eq!(by_path("email.subject").params["unknown"], "vlaue");
}

#[test]
fn range_problems_name_their_bounds() {
    let errs = problems(
        r#"
version = 1
[sampling]
interval = "2h"
[email]
timeout = "11m"
[quiet_hours]
start = "22:00"
end = "22:00"
[[rules]]
name = "a"
metric = "cpu.total"
window = "25h"
op = ">"
threshold = 1
channels = ["email"]
"#,
    );
    let summary: Vec<(&str, Vec<(&str, &str)>)> = errs
        .iter()
        .map(|e| {
            (
                e.code.as_str(),
                e.params
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "sampling.interval.out_of_range",
                vec![("max", "1h"), ("min", "100ms"), ("value", "2h")]
            ),
            (
                "email.timeout.out_of_range",
                vec![("max", "10m"), ("min", "1s"), ("value", "11m")]
            ),
            ("quiet_hours.span.empty", vec![("value", "22:00")]),
            ("rule.channel.email_disabled", vec![]),
        ],
        "the window is not checked against an interval that is out of range"
    );
}

/// A problem as reported: path, code and params.
type Reported<'a> = (String, &'a str, Vec<(&'a str, String)>);

#[test]
fn app_watch_problems_carry_their_codes_and_params() {
    let errs = problems(
        r#"
[[apps]]
name = ""
match = { process = "x" }
[[apps]]
name = "a b"
match = { cmdline = "[" }
[[apps]]
name = "db"
match = {}
[[apps]]
name = "db"
match = { exe = "db", user = " " }
[[rules]]
name = "r"
metric = "app.web.cpu_pct"
window = "1m"
op = ">"
threshold = 50
"#,
    );
    let got: Vec<Reported> = errs
        .iter()
        .map(|e| {
            let params = e
                .params
                .iter()
                .map(|(k, v)| (k.as_str(), v.to_string()))
                .collect();
            (e.path_text(), e.code.as_str(), params)
        })
        .collect();
    let p = |k: &'static str, v: &str| (k, v.to_owned());
    assert_eq!(
        got,
        [
            ("apps[0].name".into(), "app.name.missing", vec![]),
            (
                "apps[1].name".into(),
                "app.name.invalid",
                vec![p("value", "a b")]
            ),
            (
                "apps[1].match.cmdline".into(),
                "app.match.regex_invalid",
                vec![p("reason", "unclosed character class"), p("value", "[")]
            ),
            ("apps[2].match".into(), "app.match.empty", vec![]),
            (
                "apps[3].name".into(),
                "app.name.duplicate",
                vec![p("first", "2"), p("value", "db")]
            ),
            (
                "apps[3].match.exe".into(),
                "app.match.exe_not_absolute",
                vec![p("value", "db")]
            ),
            (
                "apps[3].match.user".into(),
                "app.match.field_empty",
                vec![p("field", "user")]
            ),
            (
                "rules[0].metric".into(),
                "rule.metric.unknown_app",
                vec![
                    p("app", "web"),
                    p("known", "a b, db"),
                    p("value", "app.web.cpu_pct")
                ]
            ),
        ]
    );
}

#[test]
fn a_hostile_pattern_is_refused_not_built() {
    // Valid syntax, but far beyond the compiled-size bound.
    let errs = problems(
        r#"
[[apps]]
name = "big"
match = { cmdline = "(\\w{1000}){1000}" }
"#,
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].code, FieldCode::AppMatchRegexInvalid);
}

#[test]
fn action_problems_carry_their_codes_and_params() {
    let errs = problems(
        r#"
[[rules]]
name = "r"
metric = "cpu.total"
window = "1m"
op = ">"
threshold = 50
[[rules.actions]]
run = []
[[rules.actions]]
on = ["pending"]
run = ["true"]
timeout = "2h"
max_runs = 0
[[rules.actions]]
run = [""]
within = "5m"
timeout = "soon"
[[rules.actions]]
run = ["restart.sh", "a\u0000b"]
max_runs = 3
within = "0s"
"#,
    );
    let got: Vec<Reported> = errs
        .iter()
        .map(|e| {
            let params = e
                .params
                .iter()
                .map(|(k, v)| (k.as_str(), v.to_string()))
                .collect();
            (e.path_text(), e.code.as_str(), params)
        })
        .collect();
    let p = |k: &'static str, v: &str| (k, v.to_owned());
    assert_eq!(
        got,
        [
            ("rules[0].actions[0].run".into(), "action.run.empty", vec![]),
            ("rules[0].actions[1].on".into(), "action.on.invalid", vec![]),
            (
                "rules[0].actions[1].timeout".into(),
                "action.timeout.out_of_range",
                vec![p("max", "1h"), p("value", "2h")]
            ),
            (
                "rules[0].actions[1].max_runs".into(),
                "action.max_runs.zero",
                vec![]
            ),
            ("rules[0].actions[2].run".into(), "action.run.empty", vec![]),
            (
                "rules[0].actions[2].timeout".into(),
                "duration.invalid",
                vec![p("value", "soon")]
            ),
            (
                "rules[0].actions[2].within".into(),
                "action.within.without_max_runs",
                vec![]
            ),
            (
                "rules[0].actions[3].run".into(),
                "action.run.nul",
                vec![p("value", "a\\u{0}b")]
            ),
            (
                "rules[0].actions[3].within".into(),
                "action.within.zero",
                vec![p("value", "0s")]
            ),
        ]
    );
}

#[test]
fn a_valid_action_gets_its_defaults() {
    let config: lookout_core::Config = toml::from_str(
        r#"
[[rules]]
name = "app down"
metric = "cpu.total"
window = "1m"
op = ">"
threshold = 50
[[rules.actions]]
run = ["systemctl", "--user", "restart", "my-app.service"]
max_runs = 3
within = "15m"
"#,
    )
    .expect("parses");
    let valid = config.validate().expect("valid");
    let actions = &valid.actions["app down"];
    assert_eq!(actions.len(), 1);
    assert_eq!(
        actions[0].on,
        [lookout_core::EventKind::Firing],
        "firing by default"
    );
    assert_eq!(
        actions[0].timeout,
        lookout_core::config::DEFAULT_ACTION_TIMEOUT
    );
    assert_eq!(actions[0].max_runs, Some(3));
    assert_eq!(actions[0].within, Some(std::time::Duration::from_secs(900)));
}
