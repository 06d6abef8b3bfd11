//! One module per `lookout` subcommand (delivery tools share one).

pub mod backtest;
pub mod check;
pub mod dashboard_url;
pub mod delivery;
pub mod export_rules;
pub mod history;
pub mod ps;
pub mod replay;
pub mod run;
pub mod sample;
pub mod status;

use lookout_core::ValidConfig;
use lookout_monitor::config::{load_config, ConfigFileError};
use std::path::Path;
use std::process::ExitCode;

/// The config at `path`, or, when it is invalid, every problem printed (one line each) and
/// the exit code to end with. Other failures (an unreadable file) are errors.
pub fn valid_or_report(path: &Path) -> anyhow::Result<Result<ValidConfig, ExitCode>> {
    match load_config(path) {
        Ok(valid) => Ok(Ok(valid)),
        Err(ConfigFileError::Invalid { path, problems }) => {
            let language = crate::words::language();
            for p in &problems {
                eprintln!("{}", p.text_in(&path, language));
            }
            Ok(Err(ExitCode::from(crate::EXIT_INVALID)))
        }
        Err(e) => Err(e.into()),
    }
}
