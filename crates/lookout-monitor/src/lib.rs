//! Lookout's running monitor: everything between the pure core and the user's machine.
//!
//! Folders by capability:
//! - [`monitor`]: the assembled monitor ([`Daemon`], [`MonitorHandle`]): starts the tick
//!   thread and every worker with narrow inputs, publishes state, stops them all.
//! - [`tick`]: the tick loop on its own thread ([`Monitor`], [`run_loop`]).
//! - [`sampler`]: reads only the metrics in use (/proc, statvfs, sysfs for batteries, disk
//!   I/O and GPUs, NVML, sysinfo elsewhere), the process table for app watches and culprits.
//! - [`probes`]: reachability probes (TCP, HTTP) on their own schedules; the sampler copies
//!   their last results.
//! - [`config`]: the config file (XDG path, first-run default, positioned errors, atomic
//!   writes, the last valid copy, hand edits followed while running).
//! - [`store`]: SQLite (alert log, alert states, outbox, delivery log, the history's tables),
//!   the data-dir lock and retention.
//! - [`history`]: the metric history: the recorder, its tiers and rollups, range queries,
//!   backtests, and the windows' refill after a restart.
//! - [`actions`]: rule actions (commands run on firing, reminder or resolved), their cap and
//!   give-up alert, and the checks on them only the monitor can make.
//! - [`delivery`]: the dispatcher, desktop notifications, email (message, sender, errors) and
//!   channel health; push channels will be modules beside `desktop` and `email`.
//! - [`api`]: the views front ends receive, shared with the UI as TypeScript types; an HTTP
//!   endpoint will serve the same views.
//! - [`sys`]: the clock, the shutdown signal, the SMTP password, Lookout's own footprint, its
//!   log files and the HTTP client.
//!
//! Workers are handed a store handle, the config in force (a watch channel), a clock and the
//! shutdown signal, never the monitor's handle, so no module imports one that imports it back.

pub mod actions;
pub mod api;
pub mod config;
pub mod delivery;
pub mod history;
pub mod monitor;
pub mod probes;
pub mod sampler;
pub mod store;
pub mod sys;
pub mod tick;

pub use monitor::{Daemon, DaemonOptions, MonitorHandle, StartError};
pub use sampler::Sampler;
pub use sys::clock;
pub use tick::{run_loop, LoopInput, MetricSource, Monitor, MonitorCommand, TickReport};
