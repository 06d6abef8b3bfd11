//! Names and keys that reach terminals and logs raw (`lookout alerts`, the log file) may not
//! hold control characters or bidirectional-text controls, and messages never echo them raw.

use lookout_core::config::{Config, FieldError};
use lookout_core::text::{has_forbidden, BIDI_CONTROLS};

fn rule(name: &str, metric: &str, channel: &str) -> Config {
    let mut c: Config = toml::from_str(
        "version = 1\n[[rules]]\nname = \"r\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 80\n",
    )
    .expect("test config parses");
    c.rules[0].name = name.to_owned();
    c.rules[0].metric = metric.to_owned();
    c.rules[0].channels = Some(vec![channel.to_owned()]);
    c
}

fn errors(c: &Config) -> Vec<FieldError> {
    c.validate().err().unwrap_or_default()
}

/// Every character refused: C0 (with CR, LF, tab, ESC), DEL, C1 and the bidi controls.
fn forbidden() -> Vec<char> {
    [
        '\0', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{80}', '\u{85}', '\u{9b}', '\u{9f}',
    ]
    .into_iter()
    .chain(BIDI_CONTROLS)
    .collect()
}

#[test]
fn forbidden_characters_are_refused_in_names_metric_keys_and_channels() {
    for c in forbidden() {
        let config = rule(
            &format!("CPU {c}busy"),
            &format!("temp.cpu{c}0"),
            &format!("desktop{c}"),
        );
        let got: Vec<(String, &str)> = errors(&config)
            .iter()
            .map(|e| (e.path_text(), e.code.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("rules[0].name".to_owned(), "rule.name.control_chars"),
                ("rules[0].metric".to_owned(), "name.control_chars"),
                ("rules[0].channels[0]".to_owned(), "name.control_chars"),
            ],
            "U+{:04X} in each",
            u32::from(c)
        );
    }
}

#[test]
fn the_refusal_shows_the_character_escaped() {
    let config = rule("a\u{1b}[2J\u{202E}b", "temp.x\ny", "email\u{200F}");
    let errs = errors(&config);
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert!(
        errs[0].message.contains("'a\\u{1b}[2J\\u{202e}b'"),
        "escaped in the message: {}",
        errs[0].message
    );
    assert_eq!(
        errs[1].params["value"], "temp.x\\ny",
        "escaped in the params"
    );
    for e in &errs {
        assert!(
            !has_forbidden(&e.message),
            "no raw control in {:?}",
            e.message
        );
        assert!(
            e.message.contains("printable text only"),
            "says what is accepted: {e}"
        );
    }
}

#[test]
fn printable_unicode_is_accepted() {
    let config = rule(
        "Disque « / » presque plein — 日本",
        "temp.coretemp_0",
        "desktop",
    );
    assert_eq!(errors(&config), [], "ordinary names in any script");
}

#[test]
fn no_message_echoes_a_control_character_from_any_field() {
    let mut config: Config = toml::from_str(
        r#"
version = 1
[sampling]
interval = "1s\u001b[2J"
[email]
enabled = true
host = "smtp.example.com:25\u001b"
from = "x\u202e <a@b\u001b>"
to = ["y\u0085"]
timeout = "3\u0007s"
subject = "{x\u001b}"
[quiet_hours]
start = "2\u001b2:00"
end = "07:00"
[[rules]]
name = "dup"
metric = "cpu.total"
window = "1m\u009b"
op = ">"
threshold = 80
repeat_every = "-1s\u001b"
[[rules]]
name = "dup"
metric = "cpu.total"
window = "1m"
op = ">"
threshold = 80
"#,
    )
    .expect("test config parses");
    config.rules[1].name = "dup".to_owned();
    let errs = errors(&config);
    assert_eq!(errs.len(), 9, "every bad field is reported: {errs:#?}");
    for e in &errs {
        assert!(!has_forbidden(&e.message), "raw control in {e:?}");
    }
}
