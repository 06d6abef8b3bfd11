//! Fuzzing on stable Rust, with proptest: config text, arbitrary or made by mutating valid
//! configs, goes through `toml::from_str::<Config>` and `validate()`. Nothing may panic, every
//! error has a message that is not empty and is bounded, and a config that validates saves
//! and reads back as itself.
//!
//! `LOOKOUT_FUZZ_CASES` sets the cases per target (2,000 by default, so `cargo test` stays
//! fast); for a long run: `LOOKOUT_FUZZ_CASES=100000 cargo test --release -p lookout-core
//! --test fuzz_config`.

use lookout_core::config::{Config, DEFAULT_CONFIG_TOML};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use toml::{Table, Value};

/// The longest message a field error may have, in characters.
const MAX_MESSAGE_CHARS: usize = 1024;

fn cases() -> u32 {
    std::env::var("LOOKOUT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// A config with every section and field set, next to the default one.
const FULL: &str = r#"
version = 1
[sampling]
interval = "500ms"
[desktop]
enabled = false
[email]
enabled = true
host = "localhost"
port = 25
tls = "none"
ca_file = "/etc/ssl/my-ca.pem"
username = "alerts"
allow_plaintext_auth = true
password_file = "/etc/lookout/smtp"
from = "Lookout <alerts@example.com>"
to = ["me@example.com", "On Call <oncall@example.com>"]
subject = "[{severity}] {rule} is {state} on {host}"
body = "{metric} {aggregate} over {window} was {value} ({op} {threshold}) since {since}"
timeout = "20s"
[quiet_hours]
enabled = true
start = "22:00"
end = "07:00"
mute_critical = true
[storage]
log_days = 30
log_max_entries = 5000
outbox_days = 7
[[rules]]
name = "Load high"
metric = "load.5"
aggregate = "p95"
window = "15m"
op = ">="
threshold = 8
clear_threshold = 6
for = "2m"
keep_firing_for = "1m"
repeat_every = "2h"
notify_resolved = false
severity = "critical"
channels = ["desktop", "email"]
min_coverage = 0.8
[[rules]]
name = "Home disk"
metric = "disk./home.used_pct"
window = "1m"
op = "<"
threshold = 5
"#;

/// Checks one config text: parse, validate, and the properties every outcome must have.
fn check(text: &str) -> Result<(), TestCaseError> {
    let config = match toml::from_str::<Config>(text) {
        Ok(config) => config,
        Err(e) => {
            // TOML's own messages quote, sometimes escaped (up to 10 characters for one),
            // the text they stumbled on, so their bound scales with the input's length.
            let message = e.message().trim();
            let chars = message.chars().count();
            prop_assert!(!message.is_empty(), "empty parse error for {:?}", text);
            prop_assert!(
                chars <= 10 * text.chars().count() + MAX_MESSAGE_CHARS,
                "a parse error of {} characters for {} bytes of text",
                chars,
                text.len()
            );
            return Ok(());
        }
    };
    match config.validate() {
        Ok(valid) => {
            let saved = toml::to_string(&valid.config);
            prop_assert!(saved.is_ok(), "a valid config saves: {:?}", saved);
            let saved = saved.unwrap_or_default();
            let back = toml::from_str::<Config>(&saved);
            prop_assert!(
                back.is_ok(),
                "a saved config reads back: {:?}\n{}",
                back,
                saved
            );
            prop_assert_eq!(back.ok(), Some(config), "saved and read back as itself");
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "refused without a reason");
            for e in &errors {
                let chars = e.message.chars().count();
                prop_assert!(chars > 0, "empty message at {}", e.path_text());
                prop_assert!(
                    chars <= MAX_MESSAGE_CHARS,
                    "a message of {} characters at {}: {:.200}",
                    chars,
                    e.path_text(),
                    e.message
                );
                prop_assert!(!e.path.is_empty(), "an error without a path: {}", e);
            }
        }
    }
    Ok(())
}

/// Strings that mean something somewhere in a config, and some that mean trouble.
fn string() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "",
        " ",
        "1s",
        "100ms",
        "0s",
        "-1s",
        "25h",
        "1h 30m",
        "soon",
        "cpu.total",
        "cpu.core.3",
        "disk./.used_pct",
        "temp.cpu",
        "net.eth0.rx_bps",
        "desktop",
        "email",
        "sms",
        "none",
        "starttls",
        "tls",
        "all",
        "avg",
        "p95",
        ">",
        "<=",
        "warning",
        "critical",
        "22:00",
        "07:00",
        "24:00",
        "localhost",
        "127.0.0.1",
        "::1",
        "[::1]",
        "smtp.example.com:25",
        "me@example.com",
        "Me <me@example.com>",
        "a@b@c",
        "{rule}",
        "{vlaue}",
        "{{",
        "}",
        "CPU\u{202E}busy",
        "x\u{1b}[2J",
        "line\nbreak",
        "\r",
        "\u{85}",
        "日本",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        6 => known,
        2 => any::<String>(),
        1 => (prop::sample::select(vec!["x", "é", "{x}", "\u{202E}", "{rule} "]), 150usize..6000)
            .prop_map(|(unit, n)| unit.repeat(n)),
    ]
}

/// Any TOML value, leaning towards the kinds and edges a config has.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        4 => string().prop_map(Value::String),
        2 => integer().prop_map(Value::Integer),
        2 => float().prop_map(Value::Float),
        1 => any::<bool>().prop_map(Value::Boolean),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,12}", inner), 0..3)
                .prop_map(|kv| Value::Table(kv.into_iter().collect())),
        ]
    })
}

/// One change to a parsed config, at the place `picks` lead to.
#[derive(Debug, Clone)]
enum Mutation {
    /// A new value of the same kind (string, integer, float or bool), so the config still
    /// parses and validation gets to look at it.
    Same(Leaves),
    Replace(Value),
    Remove,
    /// A key that may or may not exist (unknown keys are errors).
    Insert(String, Value),
    /// Repeats an array's element, like a rule or a recipient, this many times.
    Repeat(usize),
}

/// One new value of each kind; [`Mutation::Same`] takes the kind it replaces.
#[derive(Debug, Clone)]
struct Leaves {
    string: String,
    integer: i64,
    float: f64,
    boolean: bool,
    /// A float where an integer was (thresholds are written either way).
    float_for_integer: bool,
}

impl Leaves {
    /// The value of `old`'s kind; for an array, `old` with each element so replaced.
    fn like(&self, old: &Value) -> Value {
        match old {
            Value::String(_) => Value::String(self.string.clone()),
            Value::Integer(_) if self.float_for_integer => Value::Float(self.float),
            Value::Integer(_) => Value::Integer(self.integer),
            Value::Float(_) => Value::Float(self.float),
            Value::Boolean(_) => Value::Boolean(self.boolean),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.like(v)).collect()),
            other => other.clone(),
        }
    }
}

fn integer() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0i64),
        Just(1),
        Just(-1),
        Just(25),
        Just(65_535),
        Just(65_536),
        Just(4_294_967_296),
        Just(i64::MAX),
        Just(i64::MIN),
        any::<i64>(),
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(0.9),
        Just(1.5),
        Just(1e308),
        any::<f64>(),
    ]
}

fn leaves() -> impl Strategy<Value = Leaves> {
    (
        string(),
        integer(),
        float(),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(string, integer, float, boolean, float_for_integer)| Leaves {
                string,
                integer,
                float,
                boolean,
                float_for_integer,
            },
        )
}

fn mutation() -> impl Strategy<Value = (Vec<usize>, Mutation)> {
    let keys = prop_oneof![
        prop::sample::select(vec![
            "name",
            "metric",
            "window",
            "threshold",
            "clear_threshold",
            "channels",
            "to",
            "subject",
            "body",
            "username",
            "tls",
            "host",
            "allow_plaintext_auth",
            "for",
            "min_coverage",
            "interval",
            "version",
            "log_days",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{1,10}",
    ];
    let m = prop_oneof![
        8 => leaves().prop_map(Mutation::Same),
        2 => value().prop_map(Mutation::Replace),
        2 => Just(Mutation::Remove),
        1 => (keys, value()).prop_map(|(k, v)| Mutation::Insert(k, v)),
        1 => prop_oneof![1usize..4, 95usize..110].prop_map(Mutation::Repeat),
    ];
    (prop::collection::vec(any::<usize>(), 1..5), m)
}

/// Applies `m` inside `table`: each pick chooses a key (or an element) one level down, and
/// the change is made where the picks run out or no deeper level exists.
fn apply(table: &mut Table, picks: &[usize], m: &Mutation) {
    let Some((&pick, rest)) = picks.split_first() else {
        return;
    };
    if let Mutation::Insert(k, v) = m {
        if rest.is_empty() || table.is_empty() {
            table.insert(k.clone(), v.clone());
            return;
        }
    }
    let Some(key) = table.keys().nth(pick % table.len().max(1)).cloned() else {
        return;
    };
    let Some(child) = table.get_mut(&key) else {
        return;
    };
    match child {
        Value::Table(t) if !rest.is_empty() => return apply(t, rest, m),
        Value::Array(items) if !rest.is_empty() && !items.is_empty() => {
            let i = rest[0] % items.len();
            if rest.len() > 1 {
                if let Value::Table(t) = &mut items[i] {
                    return apply(t, &rest[1..], m);
                }
            }
            match m {
                Mutation::Repeat(n) => {
                    let item = items[i].clone();
                    items.extend(vec![item; *n]);
                }
                Mutation::Remove => {
                    items.remove(i);
                }
                Mutation::Same(leaves) => items[i] = leaves.like(&items[i]),
                Mutation::Replace(v) => items[i] = v.clone(),
                Mutation::Insert(_, v) => items.push(v.clone()),
            }
            return;
        }
        _ => {}
    }
    match m {
        Mutation::Same(leaves) => *child = leaves.like(child),
        Mutation::Replace(v) => *child = v.clone(),
        Mutation::Remove => {
            table.remove(&key);
        }
        Mutation::Repeat(n) => {
            if let Value::Array(items) = child {
                if let Some(first) = items.first().cloned() {
                    items.extend(vec![first; *n]);
                }
            }
        }
        Mutation::Insert(k, v) => {
            table.insert(k.clone(), v.clone());
        }
    }
}

/// A valid config, changed by a few mutations, as text; sometimes with a byte edit on top.
fn mutated_config() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![DEFAULT_CONFIG_TOML, FULL]),
        prop::collection::vec(mutation(), 1..5),
        prop::option::weighted(0.2, (any::<usize>(), string())),
    )
        .prop_map(|(seed, mutations, splice)| {
            let mut table: Table = toml::from_str(seed).unwrap_or_default();
            for (picks, m) in &mutations {
                apply(&mut table, picks, m);
            }
            let mut text = toml::to_string(&table).unwrap_or_default();
            if let Some((at, insert)) = splice {
                let mut at = at % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, &insert);
            }
            text
        })
}

/// Text shaped like TOML: keys, brackets, quotes, numbers and line breaks in any order.
fn toml_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "version", "rules", "email", "name", "to", "[", "[[", "]", "]]", " = ", "=", "\"",
            "'", "\"\"\"", "{", "}", ",", ".", "#", "1", "80", "-0.5", "nan", "inf", "true",
            "1979-05-27", " ", "\n", "\r\n", "\\", "\\u", "\u{0}", "\u{202E}", "é",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_text(text in prop_oneof![any::<String>(), toml_like()]) {
        check(&text)?;
    }

    #[test]
    fn mutated_valid_configs(text in mutated_config()) {
        check(&text)?;
    }
}

#[test]
fn the_seeds_are_valid_configs() {
    for seed in [DEFAULT_CONFIG_TOML, FULL] {
        let config: Config = toml::from_str(seed).expect("a seed parses");
        assert!(config.validate().is_ok(), "a seed validates: {seed}");
    }
}
