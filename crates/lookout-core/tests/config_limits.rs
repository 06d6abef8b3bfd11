//! Limits on how much a config may hold: each refused with its own code, its bounds as
//! params and one error for the whole list rather than one per entry.

use lookout_core::config::{
    Config, FieldError, MAX_APPS, MAX_CHANNELS, MAX_CONFIG_BYTES, MAX_NAME_CHARS, MAX_RECIPIENTS,
    MAX_RULES, MAX_TEMPLATE_BYTES,
};

const RULE: &str = r#"
[[rules]]
name = "r"
metric = "cpu.total"
window = "1m"
op = ">"
threshold = 80
"#;

fn config(text: &str) -> Config {
    toml::from_str(text).expect("test config parses")
}

/// (path, code) of every problem, or nothing when the config is valid.
fn problems(config: &Config) -> Vec<(String, &'static str)> {
    config
        .validate()
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| (e.path_text(), e.code.as_str()))
        .collect()
}

fn only_error(config: &Config) -> FieldError {
    let errs = config.validate().expect_err("config must be refused");
    assert_eq!(errs.len(), 1, "one error: {errs:#?}");
    errs.into_iter().next().expect("one error")
}

fn params(e: &FieldError) -> Vec<(&str, &str)> {
    e.params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// A config of `n` valid rules with distinct names.
fn rules(n: usize) -> Config {
    let mut c = config(&format!("version = 1\n{RULE}"));
    let rule = c.rules[0].clone();
    c.rules = (0..n)
        .map(|i| {
            let mut r = rule.clone();
            r.name = format!("rule {i}");
            r
        })
        .collect();
    c
}

#[test]
fn the_limits_are_the_documented_ones() {
    assert_eq!(
        MAX_CONFIG_BYTES,
        4 * 1024 * 1024,
        "a config file is at most 4 MiB"
    );
    assert_eq!(MAX_RULES, 1_000, "rules");
    assert_eq!(MAX_CHANNELS, 100, "channels per rule");
    assert_eq!(MAX_RECIPIENTS, 100, "email recipients");
    assert_eq!(MAX_APPS, 100, "app watches");
    assert_eq!(MAX_NAME_CHARS, 200, "name length");
    assert_eq!(MAX_TEMPLATE_BYTES, 16 * 1024, "template length");
}

#[test]
fn at_most_a_thousand_rules() {
    assert_eq!(problems(&rules(MAX_RULES)), [], "1,000 rules are accepted");
    let mut over = rules(MAX_RULES + 1);
    // Past the limit no rule is checked on its own: its problem is not reported.
    over.rules[5].metric = "cpu.totl".into();
    let e = only_error(&over);
    assert_eq!(
        (e.path_text().as_str(), e.code.as_str()),
        ("rules", "rules.too_many"),
        "{e}"
    );
    assert_eq!(params(&e), [("max", "1000"), ("value", "1001")], "{e}");
    assert!(
        e.message.contains("1001") && e.message.contains("at most 1000"),
        "says what was wrong and what is accepted: {e}"
    );
}

#[test]
fn at_most_a_hundred_channels_per_rule() {
    let mut c = rules(1);
    c.rules[0].channels = Some(vec!["desktop".to_owned(); MAX_CHANNELS]);
    assert!(
        !problems(&c)
            .iter()
            .any(|(_, code)| *code == "rule.channels.too_many"),
        "100 channels are not too many (only listed twice)"
    );
    c.rules[0].channels = Some(vec!["desktop".to_owned(); MAX_CHANNELS + 1]);
    let e = only_error(&c);
    assert_eq!(
        (e.path_text().as_str(), e.code.as_str()),
        ("rules[0].channels", "rule.channels.too_many"),
        "one error for the list, none per entry: {e}"
    );
    assert_eq!(params(&e), [("max", "100"), ("value", "101")], "{e}");
}

#[test]
fn at_most_a_hundred_recipients() {
    let email = |n: usize| {
        let to: Vec<String> = (0..n).map(|i| format!("\"u{i}@example.com\"")).collect();
        config(&format!(
            "version = 1\n[email]\nenabled = true\nhost = \"smtp.example.com\"\nfrom = \"a@example.com\"\nto = [{}]\n",
            to.join(", ")
        ))
    };
    assert_eq!(
        problems(&email(MAX_RECIPIENTS)),
        [],
        "100 recipients are accepted"
    );
    let mut over = email(MAX_RECIPIENTS + 1);
    over.email.to[3] = "not an address".into();
    let e = only_error(&over);
    assert_eq!(
        (e.path_text().as_str(), e.code.as_str()),
        ("email.to", "email.to.too_many"),
        "{e}"
    );
    assert_eq!(params(&e), [("max", "100"), ("value", "101")], "{e}");
}

#[test]
fn names_keys_and_channels_are_at_most_200_characters() {
    let mut c = rules(1);
    c.rules[0].name = "é".repeat(MAX_NAME_CHARS);
    assert_eq!(problems(&c), [], "200 characters (400 bytes) are accepted");
    c.rules[0].name = "n".repeat(MAX_NAME_CHARS + 1);
    c.rules[0].metric = format!("temp.{}", "s".repeat(MAX_NAME_CHARS));
    c.rules[0].channels = Some(vec!["c".repeat(5000)]);
    let errs = c.validate().expect_err("too long");
    let got: Vec<(String, &str)> = errs
        .iter()
        .map(|e| (e.path_text(), e.code.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("rules[0].name".to_owned(), "name.too_long"),
            ("rules[0].metric".to_owned(), "name.too_long"),
            ("rules[0].channels[0]".to_owned(), "name.too_long"),
        ],
        "each too long, and nothing else said about them"
    );
    assert_eq!(params(&errs[0]), [("length", "201"), ("max", "200")]);
    assert_eq!(params(&errs[2]), [("length", "5000"), ("max", "200")]);
    for e in &errs {
        assert!(
            e.message.chars().count() < 200 && e.message.contains("at most 200"),
            "short, and says what is accepted: {e}"
        );
    }
}

#[test]
fn templates_are_at_most_16_kib() {
    let mut c = config("version = 1\n");
    c.email.subject = Some("s".repeat(MAX_TEMPLATE_BYTES));
    c.email.body = Some("{rule} ".repeat(MAX_TEMPLATE_BYTES / 7));
    assert_eq!(problems(&c), [], "16 KiB templates are accepted");
    c.email.subject = Some(format!("{{nope}}{}", "s".repeat(MAX_TEMPLATE_BYTES)));
    c.email.body = Some("b".repeat(MAX_TEMPLATE_BYTES + 1));
    let errs = c.validate().expect_err("too long");
    let got: Vec<(String, &str)> = errs
        .iter()
        .map(|e| (e.path_text(), e.code.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("email.subject".to_owned(), "email.template.too_long"),
            ("email.body".to_owned(), "email.template.too_long"),
        ],
        "the length alone is reported"
    );
    assert_eq!(params(&errs[1]), [("length", "16385"), ("max", "16384")]);
}

#[test]
fn many_unknown_placeholders_are_named_briefly() {
    let mut c = config("version = 1\n");
    let body: String = (0..500).map(|i| format!("{{x{i}}}")).collect();
    c.email.body = Some(body);
    let e = only_error(&c);
    assert_eq!(e.code.as_str(), "email.template.unknown_placeholder", "{e}");
    assert!(
        e.message.contains("'{x4}' and 495 more") && !e.message.contains("x5}"),
        "five named, the rest counted: {e}"
    );
    assert_eq!(
        e.params["unknown"].split(',').count(),
        500,
        "the param has every name"
    );
}
