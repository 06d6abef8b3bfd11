//! Culprits: the processes an alert about CPU or memory names as responsible, and which rules
//! ask for them.

use crate::metric::{AppField, MetricFamily};
use crate::rule::Rule;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use ts_rs::TS;

/// How many processes an alert names.
pub const MAX_CULPRITS: usize = 5;
/// How many of them a desktop notification shows.
pub const NOTIFIED_CULPRITS: usize = 3;
/// The longest command line kept, in characters; longer ones end in "…".
pub const COMMAND_CHARS: usize = 120;

/// One process an alert names, with what it used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Culprit {
    pub pid: u32,
    pub name: String,
    /// The owner's user name, when known.
    pub user: Option<String>,
    /// The command line, shortened to [`COMMAND_CHARS`].
    pub command: String,
    /// Average CPU over the span the alert looked at, on the scale of `cpu.total` (100 is
    /// every core busy); absent for memory alerts when not measured.
    pub cpu_pct: Option<f64>,
    #[ts(type = "number")]
    pub rss_bytes: u64,
}

/// What a rule's culprits are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CulpritKind {
    /// Average CPU over the rule's window.
    Cpu,
    /// Resident memory now.
    Memory,
}

/// What the sampler is asked for when a rule fires or reminds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CulpritRequest {
    pub kind: CulpritKind,
    /// The span CPU is averaged over.
    pub window: Duration,
    /// Only this watch's processes (a rule on `app.<name>.*`); `None` means all of them.
    pub app: Option<String>,
}

impl CulpritRequest {
    /// The request of `rule`, if it is about CPU (or load) or memory.
    pub fn for_rule(rule: &Rule) -> Option<Self> {
        let (kind, app) = match rule.metric.family() {
            MetricFamily::CpuTotal
            | MetricFamily::CpuCore(_)
            | MetricFamily::Load1
            | MetricFamily::Load5
            | MetricFamily::Load15 => (CulpritKind::Cpu, None),
            MetricFamily::MemUsedPct | MetricFamily::MemUsedBytes | MetricFamily::SwapUsedPct => {
                (CulpritKind::Memory, None)
            }
            MetricFamily::App { app, field } => match field {
                AppField::CpuPct => (CulpritKind::Cpu, Some(app)),
                AppField::RssBytes | AppField::MemPct => (CulpritKind::Memory, Some(app)),
                _ => return None,
            },
            _ => return None,
        };
        Some(Self {
            kind,
            window: rule.window,
            app,
        })
    }
}

/// `command` cut to [`COMMAND_CHARS`] characters, ending in "…" when cut.
pub fn shorten_command(command: &str) -> String {
    let mut chars = command.char_indices();
    match chars.nth(COMMAND_CHARS) {
        None => command.to_owned(),
        Some(_) => {
            let end = command
                .char_indices()
                .nth(COMMAND_CHARS - 1)
                .map_or(command.len(), |(i, _)| i);
            format!("{}…", &command[..end])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::MetricKey;
    use crate::rule::{Aggregate, Op, Severity};

    fn rule(metric: &str) -> Rule {
        Rule {
            name: "r".into(),
            metric: MetricKey::parse(metric).expect("valid key"),
            aggregate: Aggregate::Avg,
            window: Duration::from_secs(300),
            op: Op::Gt,
            threshold: 1.0,
            clear_threshold: 1.0,
            pending_for: Duration::ZERO,
            keep_firing_for: Duration::ZERO,
            repeat_every: None,
            repeat_max: None,
            notify_resolved: true,
            severity: Severity::Warning,
            channels: Vec::new(),
            enabled: true,
            min_coverage: 0.0,
            only_when: None,
        }
    }

    #[test]
    fn cpu_and_memory_rules_ask_for_culprits_others_do_not() {
        let kind = |m: &str| CulpritRequest::for_rule(&rule(m)).map(|r| (r.kind, r.app));
        assert_eq!(kind("cpu.total"), Some((CulpritKind::Cpu, None)));
        assert_eq!(kind("load.5"), Some((CulpritKind::Cpu, None)));
        assert_eq!(kind("mem.used_pct"), Some((CulpritKind::Memory, None)));
        assert_eq!(
            kind("app.db.cpu_pct"),
            Some((CulpritKind::Cpu, Some("db".into())))
        );
        assert_eq!(
            kind("app.db.rss_bytes"),
            Some((CulpritKind::Memory, Some("db".into())))
        );
        assert_eq!(kind("app.db.running"), None);
        assert_eq!(kind("disk./.used_pct"), None);
        assert_eq!(kind("net.eth0.rx_bps"), None);
    }

    #[test]
    fn long_commands_are_cut_on_a_character_boundary() {
        assert_eq!(shorten_command("sleep 5"), "sleep 5");
        let exact = "x".repeat(COMMAND_CHARS);
        assert_eq!(shorten_command(&exact), exact);
        let long = "가".repeat(COMMAND_CHARS + 7);
        let short = shorten_command(&long);
        assert_eq!(short.chars().count(), COMMAND_CHARS);
        assert!(short.ends_with('…'), "{short}");
    }
}
