//! The catalogs are complete and consistent: both parse without an error, hold the same
//! messages with the same variables, cover every field error code, and hold nothing that no
//! code uses. A string missing in Korean fails here.
#![allow(clippy::expect_used)]

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use lookout_core::config::FieldCode;
use lookout_i18n::{field_message_id, Language, EN_FTL, KO_FTL};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every message id with the variables its text uses.
fn messages(name: &str, source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{name} does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(value) = &m.value {
                    pattern_vars(value, &mut vars);
                }
                assert!(
                    out.insert(m.id.name.to_owned(), vars).is_none(),
                    "{name}: '{}' is defined twice",
                    m.id.name
                );
            }
            Entry::Junk { content } => panic!("{name}: junk in the catalog: {content}"),
            _ => {}
        }
    }
    out
}

fn pattern_vars(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_vars(inline, vars),
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for variant in variants {
                pattern_vars(&variant.value, vars);
            }
        }
    }
}

fn inline_vars(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                inline_vars(arg, vars);
            }
            for named in &arguments.named {
                inline_vars(&named.value, vars);
            }
        }
        _ => {}
    }
}

#[test]
fn both_languages_have_the_same_messages_with_the_same_variables() {
    let en = messages("en.ftl", EN_FTL);
    let ko = messages("ko.ftl", KO_FTL);
    let en_ids: BTreeSet<&String> = en.keys().collect();
    let ko_ids: BTreeSet<&String> = ko.keys().collect();
    assert_eq!(
        en_ids.difference(&ko_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "missing in Korean"
    );
    assert_eq!(
        ko_ids.difference(&en_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "missing in English"
    );
    for (id, vars) in &en {
        assert_eq!(
            Some(vars),
            ko.get(id),
            "'{id}' uses other variables in Korean"
        );
    }
}

#[test]
fn every_message_is_loaded_by_the_runtime_catalog() {
    for id in messages("en.ftl", EN_FTL).keys() {
        for language in Language::ALL {
            assert!(
                language.catalog().has(id),
                "'{id}' did not load in {language:?}"
            );
        }
    }
}

#[test]
fn every_field_error_code_has_a_message_using_only_its_params() {
    let en = messages("en.ftl", EN_FTL);
    for code in FieldCode::ALL {
        let id = field_message_id(*code);
        assert!(
            en.contains_key(&id),
            "no message '{id}' for {}",
            code.as_str()
        );
        for language in Language::ALL {
            assert!(language.catalog().has(&id), "{id} in {language:?}");
        }
    }
}

/// The text of every Rust and UI source file, to look message ids up in.
fn sources() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut text = String::new();
    let mut dirs: Vec<_> = ["crates", "src-tauri/src", "ui/src"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_dir() {
                if !matches!(name, "target" | "node_modules" | "tests" | "bindings") {
                    dirs.push(path);
                }
            } else if [".rs", ".ts", ".svelte"]
                .iter()
                .any(|ext| name.ends_with(ext))
                && !path.ends_with("lookout-i18n/src/lib.rs")
            {
                text.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    text
}

#[test]
fn no_message_is_unused() {
    let fields: BTreeSet<String> = FieldCode::ALL
        .iter()
        .map(|c| field_message_id(*c))
        .collect();
    let sources = sources();
    for id in messages("en.ftl", EN_FTL).keys() {
        if fields.contains(id) {
            continue;
        }
        assert!(
            sources.contains(&format!("\"{id}\"")),
            "'{id}' is in the catalogs but no code uses it"
        );
    }
}

#[test]
fn korean_and_english_texts_differ_and_fill_in_their_values() {
    let args = [
        ("path", "/etc/lookout.toml"),
        ("rules", "4"),
        ("enabled", "1"),
    ];
    let en = Language::En.catalog().text("check-ok", &args);
    let ko = Language::Ko.catalog().text("check-ok", &args);
    assert!(en.contains("/etc/lookout.toml") && en.contains('4'), "{en}");
    assert!(ko.contains("/etc/lookout.toml") && ko.contains('4'), "{ko}");
    assert!(
        ko.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)),
        "Korean: {ko}"
    );
    assert!(
        !en.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)),
        "no Korean in English: {en}"
    );
}
