//! One module per `lookout` subcommand (delivery tools share one).

pub mod check;
pub mod delivery;
pub mod ps;
pub mod replay;
pub mod run;
pub mod sample;
pub mod status;
