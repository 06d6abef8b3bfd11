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
