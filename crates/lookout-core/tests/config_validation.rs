//! Config validation: the default config is valid, and every problem is reported at once.

use lookout_core::config::{Config, DEFAULT_CONFIG_TOML, DEFAULT_CONFIG_TOML_KO};

fn parse(text: &str) -> Config {
    toml::from_str(text).expect("test config parses")
}

fn errors(text: &str) -> Vec<String> {
    parse(text)
        .validate()
        .expect_err("config must be refused")
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn default_config_is_valid_and_has_the_seed_rules() {
    let valid = parse(DEFAULT_CONFIG_TOML)
        .validate()
        .expect("default config validates");
    let names: Vec<&str> = valid.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "CPU busy for an hour",
            "CPU saturated",
            "Memory almost full",
            "Root disk almost full"
        ],
        "the default rules"
    );
    assert_eq!(valid.interval, std::time::Duration::from_secs(1));
}

#[test]
fn the_korean_default_config_differs_only_in_its_words() {
    let en = parse(DEFAULT_CONFIG_TOML);
    let mut ko = parse(DEFAULT_CONFIG_TOML_KO);
    ko.clone().validate().expect("the Korean default validates");
    assert!(
        ko.rules
            .iter()
            .all(|r| r.name.chars().any(|c| ('가'..='힣').contains(&c))),
        "Korean rule names: {:?}",
        ko.rules.iter().map(|r| &r.name).collect::<Vec<_>>()
    );
    for (k, e) in ko.rules.iter_mut().zip(&en.rules) {
        k.name.clone_from(&e.name);
    }
    assert_eq!(ko, en, "every setting is the English default's");
}

#[test]
fn every_error_is_reported_with_its_path() {
    let errs = errors(
        r#"
version = 1
[sampling]
interval = "1s"
[[rules]]
name = ""
metric = "cpu.totl"
window = "500ms"
op = ">"
threshold = 80
[[rules]]
name = "dup"
metric = "cpu.total"
window = "1m"
op = "<"
threshold = 10
clear_threshold = 5
for = "-5m"
channels = ["sms"]
[[rules]]
name = "dup"
metric = "mem.used_pct"
window = "1m"
op = ">"
threshold = 90
min_coverage = 1.5
"#,
    );
    let expected = [
        "rules[0].name: a rule needs a name",
        "rules[0].metric: unknown metric 'cpu.totl'",
        "rules[0].window: '500ms' is shorter than the sampling interval '1s'",
        "rules[1].for: '-5m' is negative",
        "rules[1].clear_threshold: '5' is below the threshold '10'",
        "rules[1].channels[0]: unknown channel 'sms'",
        "rules[2].name: 'dup' is already the name of rules[1]",
        "rules[2].min_coverage: '1.5' is out of range",
    ];
    for want in expected {
        assert!(
            errs.iter().any(|e| e.starts_with(want)),
            "missing {want:?} in {errs:#?}"
        );
    }
    assert_eq!(errs.len(), expected.len(), "no extra errors: {errs:#?}");
}

#[test]
fn email_needs_a_host_sender_and_recipients_when_enabled() {
    let errs = errors(
        r#"
version = 1
[email]
enabled = true
host = ""
from = "not an address"
to = []
subject = "{rule} {vlaue}"
"#,
    );
    for want in [
        "email.host:",
        "email.from: 'not an address'",
        "email.to: at least one",
        "email.subject: unknown placeholder '{vlaue}'",
    ] {
        assert!(
            errs.iter().any(|e| e.starts_with(want)),
            "missing {want:?} in {errs:#?}"
        );
    }
}

#[test]
fn wrong_version_and_interval_are_refused() {
    let errs = errors("version = 2\n[sampling]\ninterval = \"10ms\"\n");
    assert!(
        errs.iter()
            .any(|e| e.starts_with("version: unsupported config version '2'")),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.starts_with("sampling.interval: '10ms' is out of range")),
        "{errs:?}"
    );
}

#[test]
fn settings_that_would_misbehave_at_run_time_are_refused() {
    let errs = errors(
        r#"
version = 1
[sampling]
interval = "10s"
[email]
enabled = true
host = "smtp.example.com:587"
from = "a@example.com"
to = ["b@example.com"]
timeout = "30"
[[rules]]
name = "cpu"
metric = "cpu.total"
window = "1m"
op = ">"
threshold = 80
repeat_every = "1s"
channels = []
"#,
    );
    for want in [
        "email.host: 'smtp.example.com:587' is not a bare host name",
        "email.timeout: '30' is not a duration",
        "rules[0].repeat_every: '1s' is shorter than the sampling interval '10s'",
        "rules[0].channels: an empty list would announce nothing",
    ] {
        assert!(
            errs.iter().any(|e| e.starts_with(want)),
            "missing {want:?} in {errs:#?}"
        );
    }
}

/// (path, code) of every problem in a config of one rule with these threshold lines.
fn threshold_problems(op: &str, lines: &str) -> Vec<(String, &'static str)> {
    let text = format!(
        "version = 1\n[[rules]]\nname = \"r\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \"{op}\"\n{lines}\n"
    );
    parse(&text)
        .validate()
        .expect_err("config must be refused")
        .iter()
        .map(|e| (e.path_text(), e.code.as_str()))
        .collect()
}

#[test]
fn a_threshold_that_is_not_finite_is_blamed_alone() {
    let threshold = |f: &str| vec![(format!("rules[0].{f}"), "rule.threshold.not_finite")];
    for (op, lines, want) in [
        // No clear threshold was written: only the threshold is wrong.
        (">", "threshold = nan", threshold("threshold")),
        ("<", "threshold = inf", threshold("threshold")),
        (">", "threshold = -inf", threshold("threshold")),
        // A sound clear threshold is not compared with a threshold that is not a number.
        (
            "<",
            "threshold = inf\nclear_threshold = 5",
            threshold("threshold"),
        ),
        (
            ">",
            "threshold = -inf\nclear_threshold = 5",
            threshold("threshold"),
        ),
        (
            ">",
            "threshold = nan\nclear_threshold = 5",
            threshold("threshold"),
        ),
        // A clear threshold that is not finite is blamed on its own line.
        (
            ">",
            "threshold = 80\nclear_threshold = nan",
            threshold("clear_threshold"),
        ),
        (
            ">",
            "threshold = 80\nclear_threshold = inf",
            threshold("clear_threshold"),
        ),
        (
            "<",
            "threshold = 8\nclear_threshold = -inf",
            threshold("clear_threshold"),
        ),
    ] {
        assert_eq!(threshold_problems(op, lines), want, "op {op}, {lines:?}");
    }
    let both = threshold_problems(">", "threshold = nan\nclear_threshold = inf");
    assert_eq!(
        both,
        [threshold("threshold"), threshold("clear_threshold")].concat(),
        "both written, both wrong"
    );
}

#[test]
fn repeat_max_needs_reminders_to_cap() {
    let code = |lines: &str| threshold_problems(">", &format!("threshold = 80\n{lines}"));
    let blamed = vec![(
        "rules[0].repeat_max".to_owned(),
        "rule.repeat_max.without_repeat_every",
    )];
    assert_eq!(code("repeat_max = 3"), blamed, "no repeat_every at all");
    assert_eq!(
        code("repeat_max = 3\nrepeat_every = \"0s\""),
        blamed,
        "reminders turned off"
    );
    // An unparsable period is blamed on its own line only.
    assert_eq!(
        code("repeat_max = 3\nrepeat_every = \"soon\""),
        vec![("rules[0].repeat_every".to_owned(), "duration.invalid")]
    );
    let text = "version = 1\n[[rules]]\nname = \"r\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 80\nrepeat_every = \"1h\"\nrepeat_max = 3\n";
    let valid = parse(text).validate().expect("a capped rule is valid");
    assert_eq!(valid.rules[0].repeat_max, Some(3));
}
