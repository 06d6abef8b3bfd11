//! The `lookout` command line: the headless monitor and its tools.
//!
//! Module map: [`Cli`] (arguments), `commands::*` (one module per subcommand).

mod commands;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Lookout: watches this machine and tells you when something stays wrong.
#[derive(Debug, Parser)]
#[command(name = "lookout", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the monitor headless until Ctrl-C or SIGTERM.
    Run {
        /// Config file [default: ~/.config/lookout/config.toml, written on first run].
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
        /// Print every alert transition on stdout in this format.
        #[arg(long, value_name = "FORMAT")]
        events: Option<EventFormat>,
    },
    /// Validate a config file: exit 0 when valid, 2 with one line per problem otherwise.
    Check {
        /// Config file [default: ~/.config/lookout/config.toml].
        path: Option<PathBuf>,
    },
    /// Read every metric once and print it.
    Sample {
        /// Print one JSON object (metric key → number).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventFormat {
    /// One JSON object per line.
    Jsonl,
}

/// Exit code for bad input (invalid config, bad arguments).
pub const EXIT_INVALID: u8 = 2;

pub fn main(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Run { config, events } => commands::run::run(config, events),
        Command::Check { path } => commands::check::check(path),
        Command::Sample { json } => commands::sample::sample(json),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("lookout: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The config path given, or the default one.
pub(crate) fn config_path(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match given {
        Some(p) => Ok(p),
        None => lookout_monitor::config_file::default_config_path().ok_or_else(|| {
            anyhow::anyhow!("cannot find the config directory; set HOME or pass --config PATH")
        }),
    }
}
