//! `lookout check`: validate a config file and print every problem as `PATH:LINE:COL: message`.

use crate::{config_path, EXIT_INVALID};
use lookout_monitor::config::{load_config, ConfigFileError};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn check(path: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let path = config_path(path)?;
    match load_config(&path) {
        Ok(config) => {
            let enabled = config.rules.iter().filter(|r| r.enabled).count();
            println!(
                "{}: ok ({} rules, {enabled} enabled)",
                path.display(),
                config.rules.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(ConfigFileError::Invalid { path, problems }) => {
            for p in &problems {
                eprintln!("{}", p.display_with(&path));
            }
            Ok(ExitCode::from(EXIT_INVALID))
        }
        // The read error names the path itself.
        Err(ConfigFileError::Read { source, .. }) => {
            eprintln!("lookout: {source}");
            Ok(ExitCode::from(EXIT_INVALID))
        }
        Err(other) => {
            eprintln!("lookout: {other}");
            Ok(ExitCode::from(EXIT_INVALID))
        }
    }
}
