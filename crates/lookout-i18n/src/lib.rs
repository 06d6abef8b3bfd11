//! Lookout in Korean and English: which language to speak (the `language` setting, `auto`
//! following the locale as gettext does), and the Fluent catalogs in `locales/` (one file per
//! language, shared with the window) that turn a message id and its values into text.
//!
//! Module map: [`Language`] and [`resolve`] (the choice), [`Catalog`] (the text),
//! [`field_error`] (a config problem in words, from its stable code and params).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use lookout_core::config::{FieldCode, FieldError, LanguageSetting};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use ts_rs::TS;

/// The English catalog's source.
pub const EN_FTL: &str = include_str!("../../../locales/en.ftl");
/// The Korean catalog's source.
pub const KO_FTL: &str = include_str!("../../../locales/ko.ftl");

/// A language Lookout speaks; the window shows itself in the one the monitor resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Ko,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Ko];

    /// The BCP 47 code (`en`, `ko`), as the window's `lang` attribute and `Intl` take it.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ko => "ko",
        }
    }

    /// The language of a locale name such as `ko_KR.UTF-8`, `ko`, `en_US` or `C`; `None` for
    /// a language Lookout has no catalog for.
    pub fn from_locale(locale: &str) -> Option<Self> {
        let language = locale
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match language.as_str() {
            "ko" => Some(Self::Ko),
            "en" | "c" | "posix" => Some(Self::En),
            _ => None,
        }
    }

    /// This language's catalog (parsed once).
    pub fn catalog(self) -> &'static Catalog {
        static EN: OnceLock<Catalog> = OnceLock::new();
        static KO: OnceLock<Catalog> = OnceLock::new();
        match self {
            Self::En => EN.get_or_init(|| Catalog::parse(self, EN_FTL)),
            Self::Ko => KO.get_or_init(|| Catalog::parse(self, KO_FTL)),
        }
    }
}

/// The language for `setting`: a fixed one, or with `auto` the first of `LC_ALL`,
/// `LC_MESSAGES` and `LANG` that is set and not empty (as gettext reads them), read through
/// `env`. A locale in a language Lookout has no catalog for, or none at all, gives English.
pub fn resolve(setting: LanguageSetting, env: impl Fn(&str) -> Option<String>) -> Language {
    match setting {
        LanguageSetting::En => Language::En,
        LanguageSetting::Ko => Language::Ko,
        LanguageSetting::Auto => ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(|name| env(name).filter(|v| !v.is_empty()))
            .next()
            .and_then(|locale| Language::from_locale(&locale))
            .unwrap_or(Language::En),
    }
}

/// [`resolve`] against this process's environment. The locale is read once: it does not
/// change while Lookout runs, and front ends ask on every tick.
pub fn resolve_from_env(setting: LanguageSetting) -> Language {
    static LOCALE: OnceLock<Language> = OnceLock::new();
    match setting {
        LanguageSetting::Auto => {
            *LOCALE.get_or_init(|| resolve(LanguageSetting::Auto, |name| std::env::var(name).ok()))
        }
        fixed => resolve(fixed, |_| None),
    }
}

/// One language's messages.
pub struct Catalog {
    bundle: FluentBundle<FluentResource>,
}

impl Catalog {
    /// Parses a catalog shipped with Lookout. The catalog tests check that both parse cleanly;
    /// should a message still be broken, it is skipped and its id shows instead.
    fn parse(language: Language, source: &str) -> Self {
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
        let id = match language {
            Language::En => unic_langid::langid!("en"),
            Language::Ko => unic_langid::langid!("ko"),
        };
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around values: they would reach terminals and logs.
        bundle.set_use_isolating(false);
        // Duplicate ids are caught by the catalog tests; the first one wins.
        let _ = bundle.add_resource(resource);
        Self { bundle }
    }

    /// The text of message `id` with `args`, or `None` when the catalog has no such message.
    /// A whole number written in plain digits (a count) is passed as a number, so plurals
    /// select on it; anything else, "1.50" or "+5" included, is shown exactly as written.
    pub fn message(&self, id: &str, args: &[(&str, &str)]) -> Option<String> {
        let message = self.bundle.get_message(id)?;
        let pattern = message.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let count = (value.len() <= 15
                && !value.is_empty()
                && value.bytes().all(|b| b.is_ascii_digit())
                && (*value == "0" || !value.starts_with('0')))
            .then(|| value.parse::<u64>().ok())
            .flatten();
            let value = match count {
                Some(n) => FluentValue::from(n),
                None => FluentValue::from(*value),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        Some(text.into_owned())
    }

    /// Like [`Catalog::message`], falling back to English, then to the id itself.
    pub fn text(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.message(id, args)
            .or_else(|| Language::En.catalog().message(id, args))
            .unwrap_or_else(|| id.to_owned())
    }

    /// Whether the catalog has message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }
}

/// The catalog id of a field error code: `field-` and the code, `.` and `_` as `-`.
pub fn field_message_id(code: FieldCode) -> String {
    format!("field-{}", code.as_str().replace(['.', '_'], "-"))
}

/// A config problem in `language`, from its stable code and params (never from its English
/// message, which is only the fallback for a code a catalog lacks).
pub fn field_error(language: Language, error: &FieldError) -> String {
    let args: Vec<(&str, &str)> = error
        .params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    language
        .catalog()
        .message(&field_message_id(error.code), &args)
        .unwrap_or_else(|| error.message.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn auto_follows_lc_all_then_lc_messages_then_lang() {
        let auto = LanguageSetting::Auto;
        assert_eq!(resolve(auto, env(&[("LANG", "ko_KR.UTF-8")])), Language::Ko);
        assert_eq!(
            resolve(auto, env(&[("LANG", "ko_KR.UTF-8"), ("LC_MESSAGES", "C")])),
            Language::En,
            "LC_MESSAGES before LANG"
        );
        assert_eq!(
            resolve(
                auto,
                env(&[("LC_ALL", "ko_KR.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")])
            ),
            Language::Ko,
            "LC_ALL before everything"
        );
        assert_eq!(
            resolve(auto, env(&[("LC_ALL", ""), ("LANG", "ko")])),
            Language::Ko,
            "an empty variable is skipped"
        );
        assert_eq!(resolve(auto, env(&[("LANG", "de_DE.UTF-8")])), Language::En);
        assert_eq!(resolve(auto, env(&[])), Language::En, "no locale at all");
    }

    #[test]
    fn a_fixed_setting_ignores_the_locale() {
        let korean_desktop = env(&[("LANG", "ko_KR.UTF-8")]);
        assert_eq!(resolve(LanguageSetting::En, korean_desktop), Language::En);
        assert_eq!(
            resolve(LanguageSetting::Ko, env(&[("LANG", "C")])),
            Language::Ko
        );
    }

    #[test]
    fn only_plain_counts_become_numbers() {
        let shown = |v: &str| Language::En.catalog().text("parse-error", &[("detail", v)]);
        for value in ["1.50", "+5", "1e3", "007", "42", "-1"] {
            assert!(
                shown(value).contains(value),
                "{value} as written: {}",
                shown(value)
            );
        }
    }

    #[test]
    fn values_are_not_wrapped_in_isolation_marks() {
        let text = Language::En
            .catalog()
            .text("parse-error", &[("detail", "expected `=`")]);
        assert!(text.contains("expected `=`"), "{text}");
        assert!(
            !text.contains('\u{2068}') && !text.contains('\u{2069}'),
            "no FSI/PDI: {text:?}"
        );
    }
}
