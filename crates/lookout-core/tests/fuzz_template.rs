//! Fuzzing on stable Rust, with proptest: any template goes through `unknown_placeholders`
//! and `render`. Nothing may panic, and what comes out is bounded by what went in.
//!
//! `LOOKOUT_FUZZ_CASES` sets the cases per target (2,000 by default, so `cargo test` stays
//! fast); for a long run: `LOOKOUT_FUZZ_CASES=100000 cargo test --release -p lookout-core
//! --test fuzz_template`.

use lookout_core::template::{render, unknown_placeholders, PLACEHOLDERS};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

/// The longest value a placeholder fills in, in bytes.
const MAX_VALUE: usize = 64;
/// The shortest field that is filled in: `{op}` or `{at}`.
const MIN_FIELD: usize = 4;

fn cases() -> u32 {
    std::env::var("LOOKOUT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// Known placeholders fill in as text of up to [`MAX_VALUE`] bytes, holding braces too.
fn lookup(name: &str) -> Option<String> {
    PLACEHOLDERS.contains(&name).then(|| {
        let value = format!("{{{name}}} {name}}}{{");
        value.repeat(MAX_VALUE / value.len())
    })
}

/// Any text; text made of braces, names and escapes; and long runs of one piece.
fn template() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "{", "}", "{{", "}}", "{rule}", "{op}", "{at}", "{vlaue}", "{}", "{ rule}", "rule",
            "_", "9", " ", "\n", "é", "\u{202E}", "\u{0}",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        3 => any::<String>(),
        4 => prop::collection::vec(piece, 0..200).prop_map(|p| p.concat()),
        1 => (prop::sample::select(vec!["{", "{op}", "{x", "{{", "}", "{rule "]), 1usize..5000)
            .prop_map(|(unit, n)| unit.repeat(n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_template_renders_within_bounds(template in template()) {
        let filled = render(&template, lookup);
        // Each filled-in field is at least MIN_FIELD bytes and becomes at most MAX_VALUE.
        let bound = template.len() + template.len() / MIN_FIELD * MAX_VALUE;
        prop_assert!(
            filled.len() <= bound,
            "{} bytes rendered from {} bytes (bound {})",
            filled.len(),
            template.len(),
            bound
        );
        // With nothing to fill in, only escapes change: the text can only shrink.
        let kept = render(&template, |_| None);
        prop_assert!(kept.len() <= template.len(), "{} bytes kept from {}", kept.len(), template.len());
    }

    #[test]
    fn unknown_placeholders_are_few_and_from_the_template(template in template()) {
        let unknown = unknown_placeholders(&template);
        let total: usize = unknown.iter().map(|u| u.len() + 2).sum();
        prop_assert!(total <= template.len(), "{} bytes of names from {} bytes", total, template.len());
        for name in &unknown {
            prop_assert!(
                !PLACEHOLDERS.contains(&name.as_str()),
                "{:?} is a known placeholder",
                name
            );
            prop_assert!(
                template.contains(&format!("{{{name}}}")),
                "{:?} is written in the template",
                name
            );
            prop_assert!(
                name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                "{:?} is a field name",
                name
            );
        }
        let mut sorted = unknown.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(sorted.len(), unknown.len(), "each named once");
    }
}
