//! The `lookout` binary: parse arguments in the run's language, run the command, exit with
//! its code.

use clap::{CommandFactory, FromArgMatches};
use lookout_cli::{help, words, Cli};

fn main() -> std::process::ExitCode {
    let args = help::help_command_as_flag(std::env::args_os().collect());
    words::init(words::startup_language(&args));
    let parsed = help::localized(Cli::command())
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    match parsed {
        Ok(cli) => lookout_cli::main(cli),
        Err(err) => help::report_error(&err),
    }
}
