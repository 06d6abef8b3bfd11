//! Lookout's running monitor: everything between the pure core and the user's machine.
//!
//! Module map:
//! - [`runner`]: the tick loop ([`Monitor`], [`run_loop`]) with injected shutdown and commands.
//! - [`sampler`]: reads only the metrics in use (sysinfo, /proc, statvfs).
//! - [`config_file`]: the config file (XDG path, first-run default, positioned errors, atomic writes).
//! - [`config_watch`]: hand edits of the config file applied while Lookout runs.
//! - [`store`]: the SQLite store (alert log, alert states, outbox, delivery log) and the data-dir lock.
//! - [`delivery`]: desktop notifications and email; [`secrets`]: the SMTP password.
//! - [`daemon`]: the assembled monitor ([`daemon::Daemon`]) and its [`daemon::MonitorHandle`].
//! - [`api`]: the views front ends receive, shared with the UI as TypeScript types.
//! - [`recent`]: recent readings for charts; [`self_usage`]: Lookout's own footprint.
//! - [`clock`]: the wall clock and RFC 3339 formatting.

pub mod api;
pub mod clock;
pub mod config_file;
mod config_merge;
pub mod config_watch;
pub mod daemon;
pub mod delivery;
mod dispatch;
mod last_good;
mod outbox_sender;
pub mod recent;
pub mod runner;
pub mod sampler;
pub mod secrets;
pub mod self_usage;
pub mod status;
pub mod store;

pub use runner::{run_loop, LoopInput, MetricSource, Monitor, MonitorCommand, TickReport};
pub use sampler::Sampler;
