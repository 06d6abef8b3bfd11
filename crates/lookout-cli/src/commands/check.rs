//! `lookout check`: validate a config file and print every problem as `PATH:LINE:COL: message`.

use crate::{config_path, EXIT_INVALID};
use lookout_core::config::LanguageSetting;
use lookout_i18n::{field_error, resolve_from_env, Language};
use lookout_monitor::config::{load_config, read_config_text, ConfigFileError, ConfigProblem};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn check(path: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let path = config_path(path)?;
    let language = language_of(&path);
    let words = language.catalog();
    match load_config(&path) {
        Ok(config) => {
            let enabled = config
                .rules
                .iter()
                .filter(|r| r.enabled)
                .count()
                .to_string();
            let rules = config.rules.len().to_string();
            let shown = path.display().to_string();
            println!(
                "{}",
                words.text(
                    "check-ok",
                    &[("path", &shown), ("rules", &rules), ("enabled", &enabled)]
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(ConfigFileError::Invalid { path, problems }) => {
            for p in &problems {
                eprintln!("{}", problem_text(&path, p, language));
            }
            Ok(ExitCode::from(EXIT_INVALID))
        }
        // The read error names the path itself.
        Err(ConfigFileError::Read { source, .. }) => {
            let reason = source.to_string();
            eprintln!(
                "lookout: {}",
                words.text("check-unreadable", &[("reason", &reason)])
            );
            Ok(ExitCode::from(EXIT_INVALID))
        }
        Err(other) => {
            eprintln!("lookout: {other}");
            Ok(ExitCode::from(EXIT_INVALID))
        }
    }
}

/// The language to speak about the config at `path`: its own `language` setting when the
/// file can be read that far, else the locale's.
pub(crate) fn language_of(path: &Path) -> Language {
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

/// `PATH:LINE:COL: field: message` in `language`: the position and field path as they are,
/// the words from the catalog (English keeps the checked-in wording of each message).
pub(crate) fn problem_text(path: &Path, problem: &ConfigProblem, language: Language) -> String {
    let message = match (language, &problem.error) {
        (Language::En, _) => problem.message.clone(),
        (_, Some(error)) => field_error(language, error),
        (_, None) => language
            .catalog()
            .text("parse-error", &[("detail", &problem.message)]),
    };
    problem.display_as(path, &message)
}
