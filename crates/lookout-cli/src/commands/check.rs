//! `lookout check`: validate a config file and print every problem as `PATH:LINE:COL: message`.

use crate::{config_path, EXIT_INVALID};
use lookout_monitor::config::{load_config, ConfigFileError};
use std::path::PathBuf;
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
                eprintln!("{}", p.text_in(&path, language));
            }
            Ok(ExitCode::from(EXIT_INVALID))
        }
        // The read error names the path itself.
        Err(ConfigFileError::Read { source, .. }) => {
            let reason = source.words(language);
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
