//! Lookout's pure domain: everything that decides *what* is wrong, with no I/O and no clock.
//!
//! Module map:
//! - [`time`]: the [`Timestamp`] every function is handed (the core never reads a clock).
//! - [`metric`]: metric keys (`cpu.total`, `disk./.used_pct`, ...) and per-tick [`Snapshot`]s.
//! - [`window`]: [`RollingWindow`], rolling aggregates with coverage: O(1) amortised, p95
//!   O(log n); storage grows with the samples held.
//! - [`rule`]: validated alert rules (aggregate, comparison, thresholds, timings).
//! - [`alert`]: the per-rule alert state machine and the [`AlertEvent`]s it emits.
//! - [`mute`]: snoozes that silence notifications without stopping evaluation.
//! - [`quiet`]: quiet hours, a daily span of local time when alerts are not announced.
//! - [`culprit`]: the processes CPU and memory alerts name, and which rules ask for them.
//! - [`engine`]: [`Engine`], which feeds snapshots into windows and steps every rule.
//! - [`config`]: the config file model and its defaults, and its validation (every problem at
//!   once, as [`FieldError`]s with a field path, a stable [`FieldCode`] and named params).
//! - [`prometheus`]: metric names, the `/metrics` exposition and rules exported for
//!   Prometheus.
//! - [`template`]: the `{placeholder}` templates of email subjects and bodies.
//! - [`text`]: the characters names may not hold, and how config values appear in messages.

pub mod alert;
pub mod config;
pub mod culprit;
pub mod engine;
pub mod metric;
pub mod mute;
pub mod prometheus;
pub mod quiet;
pub mod rule;
pub mod series;
pub mod template;
pub mod text;
pub mod time;
pub mod window;

pub use alert::{AlertEvent, AlertPhase, AlertState, EventKind, GaveUp};
pub use config::{check_mailbox, Config, FieldCode, FieldError, ValidConfig};
pub use culprit::{Culprit, CulpritKind, CulpritRequest};
pub use engine::Engine;
pub use metric::{AppField, MetricKey, MetricNeeds, Snapshot};
pub use mute::Snooze;
pub use quiet::{QuietHours, QuietNow};
pub use rule::{Aggregate, Op, Rule, Severity};
pub use time::Timestamp;
pub use window::RollingWindow;
