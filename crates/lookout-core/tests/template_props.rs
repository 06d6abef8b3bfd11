//! Property tests: templates are split, checked and filled exactly as a plain reference model
//! (the straightforward parser that looks ahead for `}`) does, for any template.

use lookout_core::template::{render, unknown_placeholders, PLACEHOLDERS};
use proptest::prelude::*;

/// The reference model: from each `{`, look ahead for the next `}` and take a field when
/// everything in between is ASCII letters, digits or `_`; `{{` and `}}` are literal braces.
fn model_parts(template: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix("{{") {
            out.push((false, "{".to_owned()));
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix("}}") {
            out.push((false, "}".to_owned()));
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix('{') {
            match tail.find('}') {
                Some(end)
                    if tail[..end]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    out.push((true, tail[..end].to_owned()));
                    rest = &tail[end + 1..];
                }
                _ => {
                    out.push((false, "{".to_owned()));
                    rest = tail;
                }
            }
        } else {
            let end = rest.find(['{', '}']).unwrap_or(rest.len()).max(1);
            out.push((false, rest[..end].to_owned()));
            rest = &rest[end..];
        }
    }
    out
}

fn model_render(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    model_parts(template)
        .into_iter()
        .map(|(field, text)| match (field, lookup(&text)) {
            (true, Some(v)) => v,
            (true, None) => format!("{{{text}}}"),
            (false, _) => text,
        })
        .collect()
}

fn model_unknown(template: &str) -> Vec<String> {
    let mut unknown: Vec<String> = Vec::new();
    for (field, name) in model_parts(template) {
        if field && !PLACEHOLDERS.contains(&name.as_str()) && !unknown.contains(&name) {
            unknown.push(name);
        }
    }
    unknown
}

/// Known placeholders fill in as `<name>`; `odd` fills in as text with braces; the rest are
/// unknown.
fn lookup(name: &str) -> Option<String> {
    if PLACEHOLDERS.contains(&name) {
        Some(format!("<{name}>"))
    } else if name == "odd" {
        Some("{rule}}".to_owned())
    } else {
        None
    }
}

/// Templates made mostly of braces, name characters and a few others, so fields, escapes and
/// near misses are common; plus any text at all.
fn templates() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "{", "}", "{{", "}}", "rule", "odd", "x_1", " ", "é", "\n", "{rule}", "{vlaue}", "{}",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        4 => prop::collection::vec(piece, 0..40).prop_map(|p| p.concat()),
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn render_matches_the_reference_model(template in templates()) {
        prop_assert_eq!(render(&template, lookup), model_render(&template, lookup), "render of {:?}", template);
    }

    #[test]
    fn unknown_placeholders_match_the_reference_model(template in templates()) {
        prop_assert_eq!(unknown_placeholders(&template), model_unknown(&template), "unknown in {:?}", template);
    }

    #[test]
    fn a_template_without_fields_renders_as_itself_with_escapes_undone(text in "[^{}]{0,40}") {
        let template = format!("{{{{{text}}}}}");
        prop_assert_eq!(render(&template, lookup), format!("{{{text}}}"), "escaped braces around {:?}", text);
    }
}
