//! `lookout backtest`: would this rule have fired? A saved rule, or rules from a file not yet
//! saved, replayed over the stored history on the engine the live monitor runs.

use super::history::{open_history, range, settings, tier_words, When};
use crate::commands::status::event_line;
use crate::words::{language, t};
use crate::{config_path, EXIT_INVALID};
use lookout_core::config::{Config, RuleConfig};
use lookout_core::text::escaped;
use lookout_core::Rule;
use lookout_monitor::clock::wall_now;
use lookout_monitor::config::{read_config_text, validate_config};
use lookout_monitor::delivery::format::duration_words;
use lookout_monitor::history::backtest::{backtest as run_backtest, Approximation, Backtest};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Which rules to try.
#[derive(Debug, Clone)]
pub enum RuleSource {
    /// A rule of the config, by name.
    Saved(String),
    /// Rules in a file: `[[rules]]` tables as in the config, or one rule's fields at the top.
    File(PathBuf),
}

impl RuleSource {
    /// `--rule` or `--rule-file`, whichever was given.
    pub fn of(rule: Option<String>, file: Option<PathBuf>) -> Option<Self> {
        rule.map(Self::Saved).or(file.map(Self::File))
    }
}

pub fn backtest(
    config: Option<PathBuf>,
    source: RuleSource,
    since: When,
    until: Option<When>,
    as_json: bool,
    data: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let now = wall_now();
    let Some((from, to)) = range(now, since, until) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let config_file = config_path(config.clone())?;
    let (policy, interval, valid) = settings(config);
    let rules = match &source {
        RuleSource::Saved(name) => {
            let Some(valid) = &valid else {
                let path = config_file.display().to_string();
                eprintln!(
                    "lookout: {}",
                    t("cli-backtest-no-config", &[("path", &path)])
                );
                return Ok(ExitCode::from(EXIT_INVALID));
            };
            match valid.rules.iter().find(|r| &r.name == name) {
                Some(rule) => vec![rule.clone()],
                None => {
                    let names: Vec<&str> = valid.rules.iter().map(|r| r.name.as_str()).collect();
                    let (name, names) = (escaped(name), escaped(&names.join(", ")).into_owned());
                    eprintln!(
                        "lookout: {}",
                        t(
                            "cli-backtest-no-rule",
                            &[("rule", &name), ("rules", &names)]
                        )
                    );
                    return Ok(ExitCode::from(EXIT_INVALID));
                }
            }
        }
        RuleSource::File(path) => {
            let base = valid.map(|v| v.config).unwrap_or_default();
            match rules_from_file(path, base) {
                Ok(rules) => rules,
                Err(problems) => {
                    for p in problems {
                        eprintln!("{p}");
                    }
                    return Ok(ExitCode::from(EXIT_INVALID));
                }
            }
        }
    };
    let store = match open_history(data)? {
        Ok(store) => store,
        Err(why) => {
            eprintln!("lookout: {why}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for rule in &rules {
        let result = run_backtest(&store, &policy, interval, now, rule, from, to)?;
        let written = if as_json {
            writeln!(out, "{}", serde_json::to_string(&result)?)
        } else {
            report(&mut out, rule, &result)
        };
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(e.into());
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The rules of a rule file, validated as part of `base` (the config they would join), or
/// each problem as a line that names the file and the field.
fn rules_from_file(path: &Path, mut base: Config) -> Result<Vec<Rule>, Vec<String>> {
    let shown = path.display().to_string();
    let text = read_config_text(path)
        .map_err(|e| vec![format!("lookout: {}", crate::report(&e.into()))])?;
    let bad = |detail: String| {
        vec![format!(
            "{shown}: {}",
            t("cli-backtest-bad-rule-file", &[("detail", &detail)])
        )]
    };
    // `[[rules]]` tables as in the config, or one rule's fields at the top.
    let mut table: toml::Table = toml::from_str(&text).map_err(|e| bad(e.message().to_owned()))?;
    base.rules = match table.remove("rules") {
        Some(rules) if table.is_empty() => rules
            .try_into::<Vec<RuleConfig>>()
            .map_err(|e| bad(e.message().to_owned()))?,
        Some(_) => return Err(bad(t("cli-backtest-only-rules", &[]))),
        None => vec![toml::Value::Table(table)
            .try_into::<RuleConfig>()
            .map_err(|e| bad(e.message().to_owned()))?],
    };
    if base.rules.is_empty() {
        return Err(vec![format!(
            "{shown}: {}",
            t("cli-backtest-empty-rule-file", &[])
        )]);
    }
    match validate_config(&base) {
        Ok(valid) => Ok(valid.rules),
        Err(errors) => Err(errors
            .iter()
            .map(|e| {
                let message = lookout_i18n::field_error(language(), e);
                format!("{shown}: {}: {message}", e.path_text())
            })
            .collect()),
    }
}

fn report(out: &mut impl Write, rule: &Rule, r: &Backtest) -> std::io::Result<()> {
    let lang = language();
    let span = duration_words(
        Duration::from_millis((r.to.as_millis() - r.from.as_millis()).unsigned_abs()),
        lang,
    );
    let firing = duration_words(Duration::from_millis(r.firing_ms.unsigned_abs()), lang);
    let percent = r.coverage * 100.0;
    let coverage = if percent < 10.0 {
        format!("{percent:.1}")
    } else {
        format!("{percent:.0}")
    };
    let summary = t(
        "cli-backtest-summary",
        &[
            ("rule", &escaped(&rule.name)),
            ("span", &span),
            ("firings", &r.firings.to_string()),
            ("firing", &firing),
            ("notifications", &r.notifications.to_string()),
            ("coverage", &coverage),
            ("tier", &tier_words(r.tier)),
        ],
    );
    writeln!(out, "{summary}")?;
    for event in &r.events {
        writeln!(out, "  {}", event_line(event))?;
    }
    if let Some(approximation) = r.approximation {
        let id = match approximation {
            Approximation::BucketExtremes => "cli-backtest-approx-extremes",
            Approximation::BucketAverages => "cli-backtest-approx-averages",
            Approximation::P95FromMax => "cli-backtest-approx-p95",
        };
        writeln!(out, "  {}", t(id, &[("tier", &tier_words(r.tier))]))?;
    }
    Ok(())
}
