//! Lookout's rules as Prometheus alerting rules, and where the two cannot mean the same.
//!
//! A rule's condition `aggregate(samples in (t−W, t]) op threshold` becomes a range function
//! over `[W − 1ms]` (Prometheus 2 ranges are closed, `[t−W, t]`; its samples carry
//! millisecond timestamps, so one millisecond less gives Lookout's left-open window).
//! `all` over a window is `min_over_time` (for `>`, `>=`) or `max_over_time` (for `<`, `<=`);
//! the coverage guard counts samples against the scrape interval; `only_when` joins as
//! `and on()`.

use super::names::series_of;
use crate::config::ValidConfig;
use crate::metric::MetricKey;
use crate::rule::{Aggregate, Op, Rule, Severity};
use std::time::Duration;

/// One Lookout rule as a Prometheus alerting rule.
#[derive(Debug, Clone, PartialEq)]
pub struct PromRule {
    /// The `alert:` name, a valid Prometheus metric name (see [`alert_name`]).
    pub alert: String,
    pub rule: Rule,
    pub expr: String,
    /// What Prometheus cannot express of this rule.
    pub caveats: Vec<Caveat>,
}

/// What an exported rule cannot carry over.
#[derive(Debug, Clone, PartialEq)]
pub enum Caveat {
    /// `clear_threshold` differs from `threshold`: Prometheus resolves as soon as the
    /// condition stops holding.
    Hysteresis { clear: f64 },
    /// Lookout's p95 is the nearest-rank one; `quantile_over_time` interpolates.
    ApproximateP95,
    /// Reminders are Alertmanager's `repeat_interval`.
    Reminders { every: Duration },
    /// The rule's actions run only in Lookout.
    Actions,
}

/// The rules of a config, and the names of the disabled ones left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub rules: Vec<PromRule>,
    pub skipped: Vec<String>,
}

/// Every enabled rule of `config`, for Prometheus scraping Lookout every `scrape_interval`.
pub fn export(config: &ValidConfig, scrape_interval: Duration) -> Export {
    let mut rules: Vec<PromRule> = Vec::new();
    let mut skipped = Vec::new();
    for rule in &config.rules {
        if !rule.enabled {
            skipped.push(rule.name.clone());
            continue;
        }
        let mut alert = alert_name(rule);
        let base = alert.clone();
        let mut n = 2;
        while rules.iter().any(|r| r.alert == alert) {
            alert = format!("{base}_{n}");
            n += 1;
        }
        let mut caveats = Vec::new();
        if rule.clear_threshold != rule.threshold {
            caveats.push(Caveat::Hysteresis {
                clear: rule.clear_threshold,
            });
        }
        if rule.aggregate == Aggregate::P95 {
            caveats.push(Caveat::ApproximateP95);
        }
        if let Some(every) = rule.repeat_every {
            caveats.push(Caveat::Reminders { every });
        }
        if config
            .actions
            .get(&rule.name)
            .is_some_and(|a| !a.is_empty())
        {
            caveats.push(Caveat::Actions);
        }
        rules.push(PromRule {
            alert,
            rule: rule.clone(),
            expr: expression(rule, scrape_interval),
            caveats,
        });
    }
    Export { rules, skipped }
}

/// The PromQL condition of one rule.
pub fn expression(rule: &Rule, scrape_interval: Duration) -> String {
    let series = series_of(&rule.metric.family());
    let selector = series.selector();
    let range = prom_duration(rule.window.saturating_sub(Duration::from_millis(1)));
    let function = match (rule.aggregate, rule.op) {
        (Aggregate::All, Op::Gt | Op::Ge) | (Aggregate::Min, _) => "min_over_time(",
        (Aggregate::All, Op::Lt | Op::Le) | (Aggregate::Max, _) => "max_over_time(",
        (Aggregate::Avg, _) => "avg_over_time(",
        (Aggregate::P95, _) => "quantile_over_time(0.95, ",
    };
    let threshold = number(rule.threshold * series.scale);
    let mut expr = format!("{function}{selector}[{range}]) {} {threshold}", rule.op);
    let needed = samples_needed(rule, scrape_interval);
    if needed > 0 {
        expr.push_str(&format!(
            " and count_over_time({selector}[{range}]) >= {needed}"
        ));
    }
    if let Some(guard) = &rule.only_when {
        let guard_series = series_of(&guard.metric.family());
        expr.push_str(&format!(
            " and on() ({} {} {})",
            guard_series.selector(),
            guard.op,
            number(guard.threshold * guard_series.scale)
        ));
    }
    expr
}

/// Samples the window must hold: `min_coverage` of those a scrape every `scrape_interval`
/// gives.
fn samples_needed(rule: &Rule, scrape_interval: Duration) -> u64 {
    let scrape = scrape_interval.as_secs_f64();
    if scrape <= 0.0 || rule.min_coverage <= 0.0 {
        return 0;
    }
    let expected = (rule.window.as_secs_f64() / scrape).floor();
    let needed = (rule.min_coverage * expected - 1e-9).ceil();
    needed.max(1.0) as u64
}

/// A Prometheus alert name for a rule: the words of an ASCII name in CamelCase (`cpu-high` →
/// `CpuHigh`); for a name in another script, its condition (`LookoutCpuTotalAbove80`).
pub fn alert_name(rule: &Rule) -> String {
    alert_name_of(&rule.name, &rule.metric, rule.op, rule.threshold)
}

/// [`alert_name`] from a rule's parts, as an alert event carries them.
pub fn alert_name_of(name: &str, metric: &MetricKey, op: Op, threshold: f64) -> String {
    if name.is_ascii() {
        let name = camel(name);
        if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return name;
        }
        if !name.is_empty() {
            return format!("Lookout{name}");
        }
    }
    let side = match op {
        Op::Gt | Op::Ge => "Above",
        Op::Lt | Op::Le => "Below",
    };
    let threshold = number(threshold).replace('.', "_").replace('-', "Minus");
    format!("Lookout{}{side}{threshold}", camel(metric.as_str()))
}

/// ASCII words in CamelCase; everything else separates words.
fn camel(text: &str) -> String {
    let mut name = String::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.extend(chars);
        }
    }
    name
}

/// A duration in Prometheus syntax: `1h`, `59m59s999ms`, `0s`.
pub fn prom_duration(d: Duration) -> String {
    let mut ms = d.as_millis();
    if ms == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
    ] {
        if ms >= size {
            out.push_str(&format!("{}{unit}", ms / size));
            ms %= size;
        }
    }
    if ms > 0 {
        out.push_str(&format!("{ms}ms"));
    }
    out
}

fn number(value: f64) -> String {
    super::exposition::number(value)
}

/// The words the YAML carries, in the reader's language (the core has no catalog).
pub struct RuleWords<'a> {
    /// Comment lines at the top of the file.
    pub header: Vec<String>,
    /// A comment line for one caveat of a rule.
    pub caveat: &'a dyn Fn(&PromRule, &Caveat) -> String,
    /// The `summary` and `description` annotations of a rule.
    pub annotations: &'a dyn Fn(&PromRule) -> (String, String),
}

/// The rules file Prometheus loads (`rule_files:`): one group, `lookout`.
pub fn to_yaml(export: &Export, words: &RuleWords<'_>) -> String {
    let mut out = String::new();
    for line in &words.header {
        push_comment(&mut out, "", line);
    }
    out.push_str("groups:\n  - name: lookout\n    rules:");
    if export.rules.is_empty() {
        out.push_str(" []\n");
        return out;
    }
    out.push('\n');
    for rule in &export.rules {
        for caveat in &rule.caveats {
            push_comment(&mut out, "      ", &(words.caveat)(rule, caveat));
        }
        let r = &rule.rule;
        out.push_str(&format!("      - alert: {}\n", quoted(&rule.alert)));
        out.push_str(&format!("        expr: {}\n", quoted(&rule.expr)));
        if !r.pending_for.is_zero() {
            out.push_str(&format!("        for: {}\n", prom_duration(r.pending_for)));
        }
        if !r.keep_firing_for.is_zero() {
            out.push_str(&format!(
                "        keep_firing_for: {}\n",
                prom_duration(r.keep_firing_for)
            ));
        }
        let (summary, description) = (words.annotations)(rule);
        out.push_str("        labels:\n");
        out.push_str(&format!(
            "          severity: {}\n",
            quoted(severity(r.severity))
        ));
        out.push_str(&format!("          rule: {}\n", quoted(&r.name)));
        out.push_str("        annotations:\n");
        out.push_str(&format!("          summary: {}\n", quoted(&summary)));
        out.push_str(&format!(
            "          description: {}\n",
            quoted(&description)
        ));
    }
    out
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Warning => "warning",
        Severity::Critical => "critical",
    }
}

/// A YAML double-quoted scalar (JSON strings are valid ones).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn push_comment(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        out.push_str(indent);
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
}
