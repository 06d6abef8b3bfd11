//! The `lookout` command line: the headless monitor and its tools.
//!
//! Module map: [`Cli`] (arguments), [`help`] (help and argument errors in the run's
//! language), [`words`] (that language and its catalog), `commands::*` (one module per
//! subcommand).

mod commands;
pub mod help;
pub mod words;

use words::t;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Lookout: watches this machine and tells you when something stays wrong.
#[derive(Debug, Parser)]
#[command(name = "lookout", version, about, propagate_version = true)]
pub struct Cli {
    /// Before the command, as older scripts write it (`lookout --data-dir DIR run`): taken by
    /// the commands that use a data directory, refused by the others.
    #[arg(long = "data-dir", value_name = "DIR", global = false, hide = true)]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the monitor headless until Ctrl-C or SIGTERM.
    Run {
        /// Config file [default: ~/.config/lookout/config.toml, written on first run].
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
        /// Print every alert transition on stdout in this format.
        #[arg(long, value_name = "FORMAT")]
        events: Option<EventFormat>,
        /// Serve Prometheus' /metrics at this address and port, like 127.0.0.1:9464
        /// [default: the config's http.listen].
        #[arg(long, value_name = "ADDR", value_parser = parse_listen)]
        listen: Option<std::net::SocketAddr>,
        /// Serve the web dashboard too, behind the access token.
        #[arg(long)]
        dashboard: bool,
        #[command(flatten)]
        data: DataDirArg,
    },
    /// Validate a config file: exit 0 when valid, 2 with one line per problem otherwise.
    Check {
        /// Config file [default: ~/.config/lookout/config.toml].
        #[arg(env = "LOOKOUT_CONFIG")]
        path: Option<PathBuf>,
    },
    /// Read every metric once and print it.
    Sample {
        /// Print one JSON object (metric key → number).
        #[arg(long)]
        json: bool,
    },
    /// Show whether the monitor runs, each channel's health, the outbox and firing alerts.
    Status {
        #[arg(long)]
        json: bool,
        /// Config file, to tell which channels are on [default: ~/.config/lookout/config.toml].
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
        #[command(flatten)]
        data: DataDirArg,
    },
    /// Show the processes each app watch matches right now.
    Ps {
        #[arg(long)]
        json: bool,
        /// Config file [default: ~/.config/lookout/config.toml].
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Run a recorded series through the config's rules and print every transition.
    Replay {
        /// Config file [default: ~/.config/lookout/config.toml].
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
        /// The series file (CSV or JSON lines); "-" reads standard input.
        #[arg(long, value_name = "FILE")]
        series: PathBuf,
        #[arg(long)]
        json: bool,
        /// The series' sampling interval [default: the config's].
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        interval: Option<std::time::Duration>,
    },
    /// Show one metric's recorded history over a range.
    History {
        /// The metric, e.g. "cpu.total" or "app.my-app.rss_bytes".
        metric: String,
        /// Where the range starts: a duration ago ("1h", "7d") or a time (RFC 3339 or Unix
        /// seconds).
        #[arg(long, default_value = "1h", value_parser = parse_when)]
        since: commands::history::When,
        /// Where the range ends [default: now].
        #[arg(long, value_name = "T", value_parser = parse_when)]
        until: Option<commands::history::When>,
        /// At most this many points.
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=20_000))]
        points: u32,
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        #[arg(long)]
        csv: bool,
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
        #[command(flatten)]
        data: DataDirArg,
    },
    /// Replay a rule over the recorded history: would it have fired?
    Backtest {
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
        /// A rule of the config, by name.
        #[arg(
            long,
            value_name = "NAME",
            required_unless_present = "rule_file",
            conflicts_with = "rule_file"
        )]
        rule: Option<String>,
        /// A file of rules not yet saved: [[rules]] tables, or one rule's fields.
        #[arg(long = "rule-file", value_name = "PATH")]
        rule_file: Option<PathBuf>,
        #[arg(long, default_value = "24h", value_parser = parse_when)]
        since: commands::history::When,
        #[arg(long, value_name = "T", value_parser = parse_when)]
        until: Option<commands::history::When>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        data: DataDirArg,
    },
    /// Show the alert log.
    Alerts {
        /// How far back, e.g. "1h", "24h", "7d".
        #[arg(long, default_value = "24h", value_parser = parse_duration)]
        since: std::time::Duration,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        data: DataDirArg,
    },
    /// Send one test email now with the configured settings and print the server's answer.
    TestEmail {
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
        /// Where the monitor keeps which SMTP server you confirmed.
        #[command(flatten)]
        data: DataDirArg,
    },
    /// Show one test desktop notification now.
    TestNotify,
    /// Send one test message on a push channel now and print the service's answer.
    TestChannel {
        /// The channel's name, as in [[channels]].
        name: String,
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Print a one-time link that opens the web dashboard in a browser.
    DashboardUrl {
        /// The address the dashboard is served on [default: the config's http.listen].
        #[arg(long, value_name = "ADDR", value_parser = parse_listen)]
        listen: Option<std::net::SocketAddr>,
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
        #[command(flatten)]
        data: DataDirArg,
    },
    /// Write the config's rules as Prometheus alerting rules on standard output.
    ExportRules {
        /// The rules file format.
        #[arg(long, value_name = "FORMAT")]
        format: commands::export_rules::RulesFormat,
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
        /// How often Prometheus scrapes Lookout: the coverage guards count samples at this rate.
        #[arg(long = "scrape-interval", value_name = "DURATION", default_value = "15s", value_parser = parse_duration)]
        scrape_interval: std::time::Duration,
    },
    /// Store or remove a secret in the OS keyring.
    Secret {
        #[command(subcommand)]
        action: SecretAction,
    },
}

/// `--data-dir`, on the commands that use the data directory.
#[derive(Debug, clap::Args)]
pub struct DataDirArg {
    /// Data directory (alert log, outbox, state) [default: ~/.local/share/lookout].
    #[arg(long = "data-dir", value_name = "DIR", env = "LOOKOUT_DATA_DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SecretAction {
    /// Store a secret, read from standard input (or a hidden prompt on a terminal).
    Set {
        /// `smtp` (the SMTP password) or `channel:<name>` (a push channel's token or webhook URL).
        #[arg(value_parser = parse_secret_name)]
        name: SecretName,
        #[arg(long, value_name = "PATH", env = "LOOKOUT_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Remove a stored secret.
    Clear {
        /// `smtp` or `channel:<name>`.
        #[arg(value_parser = parse_secret_name)]
        name: SecretName,
    },
}

/// Which secret: the SMTP password, or a push channel's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretName {
    Smtp,
    Channel(String),
}

fn parse_secret_name(s: &str) -> Result<SecretName, String> {
    match s.strip_prefix("channel:") {
        _ if s == "smtp" => Ok(SecretName::Smtp),
        Some(name) if !name.trim().is_empty() => Ok(SecretName::Channel(name.to_owned())),
        _ => Err(format!(
            "'{}' names no secret; use smtp (the SMTP password) or channel:<name> (a push channel's secret)",
            lookout_core::text::shown(s)
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventFormat {
    /// One JSON object per line.
    Jsonl,
}

/// Exit code for bad input (invalid config, bad arguments).
pub const EXIT_INVALID: u8 = 2;

fn parse_when(s: &str) -> Result<commands::history::When, String> {
    commands::history::parse_when(s)
}

fn parse_listen(s: &str) -> Result<std::net::SocketAddr, String> {
    s.trim().parse().map_err(|_| {
        t(
            "cli-listen-invalid",
            &[("value", &lookout_core::text::shown(s))],
        )
    })
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    lookout_core::config::parse_duration(s)
}

pub fn main(cli: Cli) -> ExitCode {
    let early = cli.data_dir;
    let uses_data_dir = matches!(
        cli.command,
        Command::Run { .. }
            | Command::Status { .. }
            | Command::Alerts { .. }
            | Command::History { .. }
            | Command::Backtest { .. }
            | Command::TestEmail { .. }
            | Command::DashboardUrl { .. }
    );
    if early.is_some() && !uses_data_dir {
        eprintln!("lookout: {}", t("cli-data-dir-misplaced", &[]));
        return ExitCode::from(EXIT_INVALID);
    }
    // Given on the command line, it beats LOOKOUT_DATA_DIR (which fills the command's own).
    let pick = |own: Option<PathBuf>| early.clone().or(own);
    let result = match cli.command {
        Command::Run {
            config,
            events,
            listen,
            dashboard,
            data,
        } => {
            let http = lookout_http::Overrides { listen, dashboard };
            commands::run::run(config, pick(data.dir), events, http)
        }
        Command::DashboardUrl {
            listen,
            config,
            data,
        } => commands::dashboard_url::dashboard_url(listen, config, pick(data.dir)),
        Command::Check { path } => commands::check::check(path),
        Command::Sample { json } => commands::sample::sample(json),
        Command::Ps { json, config } => commands::ps::ps(config, json),
        Command::Replay {
            config,
            series,
            json,
            interval,
        } => commands::replay::replay(config, &series, json, interval),
        Command::Status { json, config, data } => {
            commands::status::status(pick(data.dir), config, json)
        }
        Command::History {
            metric,
            since,
            until,
            points,
            json,
            csv,
            config,
            data,
        } => {
            let output = match (json, csv) {
                (true, _) => commands::history::Output::Json,
                (_, true) => commands::history::Output::Csv,
                _ => commands::history::Output::Table,
            };
            commands::history::history(
                &metric,
                since,
                until,
                points as usize,
                output,
                config,
                pick(data.dir),
            )
        }
        Command::Backtest {
            config,
            rule,
            rule_file,
            since,
            until,
            json,
            data,
        } => match commands::backtest::RuleSource::of(rule, rule_file) {
            Some(source) => {
                commands::backtest::backtest(config, source, since, until, json, pick(data.dir))
            }
            None => {
                eprintln!("lookout: {}", t("cli-backtest-which-rule", &[]));
                Ok(ExitCode::from(EXIT_INVALID))
            }
        },
        Command::Alerts { since, json, data } => {
            commands::status::alerts(pick(data.dir), since, json)
        }
        Command::TestEmail { config, data } => {
            commands::delivery::test_email(config, pick(data.dir))
        }
        Command::TestNotify => commands::delivery::test_notify(),
        Command::Secret { action } => commands::delivery::secret(action),
        Command::TestChannel { name, config } => commands::delivery::test_channel(&name, config),
        Command::ExportRules {
            format,
            config,
            scrape_interval,
        } => commands::export_rules::export_rules(config, format, scrape_interval),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("lookout: {}", report(&err));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes on one line, each cause once: a cause whose text the message
/// before it already includes (as `thiserror` messages often do) is not repeated.
pub fn report(err: &anyhow::Error) -> String {
    let mut out = err.to_string();
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
    }
    out
}

/// The config path given, or the default one.
pub(crate) fn config_path(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match given {
        Some(p) => Ok(p),
        None => lookout_monitor::config::default_config_path()
            .ok_or_else(|| anyhow::anyhow!(t("cli-no-config-dir", &[]))),
    }
}

/// The data directory given, or the default one.
pub(crate) fn data_dir(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match given {
        Some(p) => Ok(p),
        None => lookout_monitor::store::default_data_dir()
            .ok_or_else(|| anyhow::anyhow!(t("cli-no-data-dir", &[]))),
    }
}

/// A small current-thread runtime for one-shot async work.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context;
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context(t("cli-no-runtime", &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_is_printed_once() {
        // A thiserror message that includes its source's text, as most here do.
        let read = lookout_monitor::config::load_config(std::path::Path::new("/nonexistent/x"))
            .expect_err("missing");
        let err = anyhow::Error::new(read).context("cannot start");
        let text = report(&err);
        assert_eq!(
            text.matches("No such file").count(),
            1,
            "the cause is printed once: {text}"
        );
        assert!(
            text.starts_with("cannot start: config file: cannot open '/nonexistent/x'"),
            "{text}"
        );
        let plain = anyhow::anyhow!("top").context("outer");
        assert_eq!(report(&plain), "outer: top", "distinct causes are all kept");
    }
}
