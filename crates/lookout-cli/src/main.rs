//! The `lookout` binary: parse arguments, run the command, exit with its code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = lookout_cli::Cli::parse();
    lookout_cli::main(cli)
}
