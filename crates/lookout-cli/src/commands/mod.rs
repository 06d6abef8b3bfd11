//! One module per `lookout` subcommand.

pub mod check;
pub mod run;
pub mod sample;
