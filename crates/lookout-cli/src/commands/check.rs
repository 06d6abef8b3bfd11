//! `lookout check`: validate a config file and print every problem as `PATH:LINE:COL: message`.

use crate::{config_path, EXIT_INVALID};
use lookout_i18n::{field_error, Language};
use lookout_monitor::config::{load_config, ConfigFileError, ConfigProblem};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn check(path: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let path = config_path(path)?;
    let language = crate::words::language();
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
