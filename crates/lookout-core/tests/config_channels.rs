//! `[[channels]]`: each kind with the fields it needs, secrets kept out of the config, and
//! rules naming declared channels only.

use lookout_core::config::{ChannelKind, Config};
use lookout_core::rule::Channel;

const RULE: &str = "[[rules]]\nname = \"cpu\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 80\n";

fn config(channels: &str, rule_channels: &str) -> Config {
    let text = format!("version = 1\n{channels}\n{RULE}channels = {rule_channels}\n");
    toml::from_str(&text).expect("test config parses")
}

/// (path, code) of every problem.
fn problems(channels: &str, rule_channels: &str) -> Vec<(String, String)> {
    config(channels, rule_channels)
        .validate()
        .expect_err("config must be refused")
        .iter()
        .map(|e| (e.path_text(), e.code.as_str().to_owned()))
        .collect()
}

fn one(path: &str, code: &str) -> Vec<(String, String)> {
    vec![(path.to_owned(), code.to_owned())]
}

#[test]
fn every_kind_with_what_it_needs_is_valid_and_rules_name_them() {
    let channels = r#"
[[channels]]
name = "phone"
kind = "ntfy"
url = "https://ntfy.sh/my-topic"

[[channels]]
name = "hook"
kind = "webhook"
url = "https://example.com/hook"
format = "alertmanager"
sign = true
headers = { "X-Team" = "ops" }
timeout = "5s"

[[channels]]
name = "bot"
kind = "telegram"
chat_id = "-100123"

[[channels]]
name = "chat"
kind = "discord"

[[channels]]
name = "team"
kind = "slack"
enabled = false

[[channels]]
name = "gotify"
kind = "gotify"
url = "https://push.example.com"
secret_file = "/etc/lookout/gotify-token"

[[channels]]
name = "everything"
kind = "apprise"
"#;
    let valid = config(channels, r#"["desktop", "phone", "bot", "team"]"#)
        .validate()
        .expect("valid");
    assert_eq!(
        valid.rules[0].channels,
        vec![
            Channel::DESKTOP,
            Channel::named("phone"),
            Channel::named("bot"),
            Channel::named("team")
        ]
    );
    let kinds: Vec<ChannelKind> = valid.config.channels.iter().map(|c| c.kind).collect();
    assert_eq!(kinds.len(), 7);
    assert_eq!(valid.config.channels[1].timeout_or_default().as_secs(), 5);
    assert_eq!(valid.config.channels[0].secret_entry(), "channel:phone");
}

#[test]
fn a_url_that_holds_a_token_is_refused_in_the_config() {
    for kind in ["discord", "slack", "apprise"] {
        let channels = format!(
            "[[channels]]\nname = \"x\"\nkind = \"{kind}\"\nurl = \"https://hooks.example.com/T0/B0/secret\"\n"
        );
        assert_eq!(
            problems(&channels, "[\"x\"]"),
            one("channels[0].url", "channel.url.secret"),
            "{kind}"
        );
    }
}

#[test]
fn each_kind_needs_its_fields_and_no_others() {
    let c = |body: &str| format!("[[channels]]\nname = \"x\"\n{body}\n");
    assert_eq!(
        problems(&c("kind = \"ntfy\""), "[\"x\"]"),
        one("channels[0].url", "channel.url.missing")
    );
    assert_eq!(
        problems(&c("kind = \"telegram\""), "[\"x\"]"),
        one("channels[0].chat_id", "channel.chat_id.missing")
    );
    assert_eq!(
        problems(
            &c("kind = \"ntfy\"\nurl = \"https://ntfy.sh/t\"\nchat_id = \"1\""),
            "[\"x\"]"
        ),
        one("channels[0].chat_id", "channel.field.not_for_kind")
    );
    assert_eq!(
        problems(
            &c("kind = \"gotify\"\nurl = \"https://g\"\nsign = true"),
            "[\"x\"]"
        ),
        one("channels[0].sign", "channel.field.not_for_kind")
    );
    assert_eq!(
        problems(&c("kind = \"webhook\"\nurl = \"ftp://h/\""), "[\"x\"]"),
        one("channels[0].url", "channel.url.invalid")
    );
    assert_eq!(
        problems(
            &c("kind = \"webhook\"\nurl = \"https://h/\"\ntimeout = \"5m\""),
            "[\"x\"]"
        ),
        one("channels[0].timeout", "channel.timeout.out_of_range")
    );
    assert_eq!(
        problems(
            &c("kind = \"webhook\"\nurl = \"https://h/\"\nheaders = { \"X-A\" = \"1\\r\\nEvil: 2\" }"),
            "[\"x\"]"
        ),
        one("channels[0].headers.X-A", "channel.header.invalid"),
        "no header injection"
    );
    assert_eq!(
        problems(
            &c("kind = \"webhook\"\nurl = \"https://h/\"\nheaders = { \"Host\" = \"a\" }"),
            "[\"x\"]"
        ),
        one("channels[0].headers.Host", "channel.header.invalid")
    );
}

#[test]
fn names_are_unique_and_not_the_built_in_ones() {
    let twice = "[[channels]]\nname = \"x\"\nkind = \"discord\"\n[[channels]]\nname = \"x\"\nkind = \"slack\"\n";
    assert_eq!(
        problems(twice, "[\"x\"]"),
        one("channels[1].name", "channel.name.duplicate")
    );
    let reserved = "[[channels]]\nname = \"email\"\nkind = \"discord\"\n";
    assert_eq!(
        problems(reserved, "[\"desktop\"]"),
        one("channels[0].name", "channel.name.reserved")
    );
    let spaced = "[[channels]]\nname = \"my phone\"\nkind = \"discord\"\n";
    assert_eq!(
        problems(spaced, "[\"desktop\"]"),
        one("channels[0].name", "channel.name.invalid")
    );
}

#[test]
fn a_rule_may_name_only_declared_channels_and_is_told_which_exist() {
    let channels = "[[channels]]\nname = \"phone\"\nkind = \"ntfy\"\nurl = \"https://ntfy.sh/t\"\n";
    let errors = config(channels, "[\"desktop\", \"pager\"]")
        .validate()
        .expect_err("refused");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path_text(), "rules[0].channels[1]");
    assert_eq!(errors[0].code.as_str(), "rule.channel.unknown");
    assert_eq!(errors[0].params["known"], "desktop, email, phone");
    assert_eq!(
        problems(channels, "[\"phone\", \"phone\"]"),
        one("rules[0].channels[1]", "rule.channel.duplicate")
    );
}
