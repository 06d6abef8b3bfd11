//! `lookout export-rules --format prometheus`: the config's rules as a Prometheus rules file,
//! with a comment wherever Prometheus cannot mean what Lookout means.

use crate::config_path;
use lookout_core::prometheus::rules::prom_duration;
use lookout_core::prometheus::{self, Caveat, PromRule, RuleWords};
use lookout_i18n::Language;
use lookout_monitor::delivery::format::{aggregate_words, duration_words, metric_value, op_words};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The formats rules can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    /// A Prometheus rules file (`rule_files:`), one group named `lookout`.
    Prometheus,
}

pub fn export_rules(
    config: Option<PathBuf>,
    format: RulesFormat,
    scrape_interval: Duration,
) -> anyhow::Result<ExitCode> {
    let RulesFormat::Prometheus = format;
    let path = config_path(config)?;
    let lang = crate::words::language();
    let valid = match super::valid_or_report(&path)? {
        Ok(valid) => valid,
        Err(code) => return Ok(code),
    };
    let export = prometheus::export(&valid, scrape_interval);
    let words = lang.catalog();
    let shown = path.display().to_string();
    let every = prom_duration(scrape_interval);
    let mut header = vec![
        words.text("export-rules-header", &[("path", &shown)]),
        words.text("export-rules-scrape", &[("interval", &every)]),
    ];
    let quiet = &valid.config.quiet_hours;
    if quiet.enabled {
        header.push(words.text(
            "export-rules-quiet-hours",
            &[("from", &quiet.start), ("to", &quiet.end)],
        ));
    }
    if !export.skipped.is_empty() {
        let names = export.skipped.join(", ");
        header.push(words.text("export-rules-skipped", &[("rules", &names)]));
    }
    let caveat = |rule: &PromRule, caveat: &Caveat| caveat_text(rule, caveat, lang);
    let annotations = |rule: &PromRule| annotations(rule, lang);
    let rule_words = RuleWords {
        header,
        caveat: &caveat,
        annotations: &annotations,
    };
    print!("{}", prometheus::to_yaml(&export, &rule_words));
    Ok(ExitCode::SUCCESS)
}

fn caveat_text(rule: &PromRule, caveat: &Caveat, lang: Language) -> String {
    let words = lang.catalog();
    let name = rule.rule.name.as_str();
    match caveat {
        Caveat::Hysteresis { clear } => {
            let clear = metric_value(&rule.rule.metric, *clear);
            words.text(
                "export-rules-hysteresis",
                &[("rule", name), ("clear", &clear)],
            )
        }
        Caveat::ApproximateP95 => words.text("export-rules-p95", &[("rule", name)]),
        Caveat::Reminders { every } => {
            let every = prom_duration(*every);
            words.text(
                "export-rules-reminders",
                &[("rule", name), ("every", &every)],
            )
        }
        Caveat::Actions => words.text("export-rules-actions", &[("rule", name)]),
    }
}

/// `summary` and `description`, with Prometheus' own template for the instance and value.
fn annotations(rule: &PromRule, lang: Language) -> (String, String) {
    let words = lang.catalog();
    let r = &rule.rule;
    let summary = words.text(
        "export-rules-summary",
        &[("rule", &r.name), ("instance", "{{ $labels.instance }}")],
    );
    let metric = r.metric.to_string();
    let aggregate = aggregate_words(r.aggregate, lang);
    let window = duration_words(r.window, lang);
    let op = op_words(r.op, lang);
    let threshold = metric_value(&r.metric, r.threshold);
    let description = words.text(
        "email-evidence",
        &[
            ("metric", &metric),
            ("aggregate", &aggregate),
            ("window", &window),
            ("value", "{{ $value }}"),
            ("op", &op),
            ("threshold", &threshold),
        ],
    );
    (summary, description)
}
