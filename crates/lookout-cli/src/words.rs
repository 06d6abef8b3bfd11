//! The language the command line speaks, chosen once per run, and its catalog's text.
//!
//! The config's own `language` decides when the config file can be read that far, else the
//! locale does (`LC_ALL`, `LC_MESSAGES`, `LANG`), as for the tray.

use lookout_core::config::LanguageSetting;
use lookout_i18n::{resolve_from_env, Language};
use lookout_monitor::config::read_config_text;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

static LANGUAGE: OnceLock<Language> = OnceLock::new();

/// Fixes the language for the rest of the run; the first call wins.
pub fn init(language: Language) -> Language {
    *LANGUAGE.get_or_init(|| language)
}

/// The language of this run: the one [`init`] fixed, or the locale's.
pub fn language() -> Language {
    *LANGUAGE.get_or_init(|| resolve_from_env(LanguageSetting::Auto))
}

/// The catalog text of `id` in this run's language.
pub fn t(id: &str, args: &[(&str, &str)]) -> String {
    language().catalog().text(id, args)
}

/// The language to speak about the config at `path`: its own `language` setting when the
/// file can be read that far, else the locale's.
pub fn language_of(path: &Path) -> Language {
    let setting = read_config_text(path)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|table| {
            table
                .get("language")
                .and_then(|v| v.clone().try_into::<LanguageSetting>().ok())
        })
        .unwrap_or_default();
    resolve_from_env(setting)
}

/// The config a run would read before its arguments are known: `LOOKOUT_CONFIG`, else the
/// default path.
pub fn startup_config() -> Option<PathBuf> {
    std::env::var_os("LOOKOUT_CONFIG")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(lookout_monitor::config::default_config_path)
}

/// The language for the arguments in `args`: an explicit config path among them (`check
/// PATH`, `--config PATH`) decides, else [`startup_config`], else the locale.
pub fn startup_language(args: &[std::ffi::OsString]) -> Language {
    let given = args.windows(2).find_map(|pair| {
        (pair[0] == "--config" || pair[0] == "check").then(|| PathBuf::from(&pair[1]))
    });
    let given = given.or_else(|| {
        args.iter()
            .find_map(|a| a.to_str()?.strip_prefix("--config=").map(PathBuf::from))
    });
    match given.or_else(startup_config) {
        Some(path) => language_of(&path),
        None => resolve_from_env(LanguageSetting::Auto),
    }
}
