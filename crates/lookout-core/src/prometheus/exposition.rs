//! The Prometheus text exposition format (version 0.0.4) of one tick: every reading, every
//! rule's alert state and Lookout's own CPU time and memory.

use super::names::{series_of, PromSeries, PromType};
use crate::alert::AlertPhase;
use crate::metric::Snapshot;
use crate::rule::Severity;
use std::fmt::Write;

/// The content type of [`render`]'s output.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// One rule's state, as `lookout_alert_state{rule,severity}` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertLine<'a> {
    pub rule: &'a str,
    pub severity: Severity,
    pub phase: &'a AlertPhase,
}

/// Lookout's own process, in the names every Prometheus client library uses.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OwnUsage {
    pub cpu_seconds_total: Option<f64>,
    pub resident_memory_bytes: Option<u64>,
    pub start_time_seconds: Option<f64>,
    /// When the readings were taken (Unix seconds): a scrape can tell a stalled monitor.
    pub last_sample_seconds: Option<f64>,
}

/// The whole scrape: readings sorted into families, each with its HELP and TYPE lines.
pub fn render(values: &Snapshot, alerts: &[AlertLine<'_>], own: &OwnUsage) -> String {
    let mut samples: Vec<(PromSeries, f64)> = values
        .iter()
        .map(|(key, value)| {
            let series = series_of(&key.family());
            let scaled = value * series.scale;
            (series, scaled)
        })
        .collect();
    for alert in alerts {
        samples.push((
            PromSeries {
                name: "lookout_alert_state",
                help: "State of each Lookout rule: 0 inactive, 1 pending, 2 firing.",
                kind: PromType::Gauge,
                labels: vec![
                    ("rule", alert.rule.to_owned()),
                    ("severity", alert.severity.to_string()),
                ],
                scale: 1.0,
            },
            state_value(alert.phase),
        ));
    }
    let own_series = [
        (
            "process_cpu_seconds_total",
            "Total user and system CPU time spent by Lookout, in seconds.",
            PromType::Counter,
            own.cpu_seconds_total,
        ),
        (
            "process_resident_memory_bytes",
            "Resident memory of Lookout, in bytes.",
            PromType::Gauge,
            own.resident_memory_bytes.map(|b| b as f64),
        ),
        (
            "lookout_last_sample_timestamp_seconds",
            "When Lookout last read the metrics, since the Unix epoch, in seconds.",
            PromType::Gauge,
            own.last_sample_seconds,
        ),
        (
            "process_start_time_seconds",
            "Start time of Lookout since the Unix epoch, in seconds.",
            PromType::Gauge,
            own.start_time_seconds,
        ),
    ];
    for (name, help, kind, value) in own_series {
        if let Some(value) = value {
            let series = PromSeries {
                name,
                help,
                kind,
                labels: Vec::new(),
                scale: 1.0,
            };
            samples.push((series, value));
        }
    }
    samples.sort_by(|(a, _), (b, _)| (a.name, &a.labels).cmp(&(b.name, &b.labels)));

    let mut out = String::new();
    let mut family = "";
    for (series, value) in &samples {
        if series.name != family {
            family = series.name;
            let _ = writeln!(out, "# HELP {} {}", series.name, escape_help(series.help));
            let _ = writeln!(out, "# TYPE {} {}", series.name, series.kind.as_str());
        }
        let _ = writeln!(out, "{} {}", series.selector(), number(*value));
    }
    out
}

/// 0 inactive, 1 pending, 2 firing.
pub fn state_value(phase: &AlertPhase) -> f64 {
    match phase {
        AlertPhase::Inactive => 0.0,
        AlertPhase::Pending { .. } => 1.0,
        AlertPhase::Firing { .. } => 2.0,
    }
}

fn escape_help(help: &str) -> String {
    help.replace('\\', "\\\\").replace('\n', "\\n")
}

/// A sample value as Go's strconv would print it for Prometheus.
pub fn number(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        format!("{value}")
    }
}
