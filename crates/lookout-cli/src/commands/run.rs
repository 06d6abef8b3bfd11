//! `lookout run`: the headless monitor, printing alert transitions as JSON lines on request.

use crate::{config_path, EventFormat, EXIT_INVALID};
use anyhow::Context;
use lookout_core::{AlertEvent, MetricNeeds};
use lookout_monitor::clock::rfc3339;
use lookout_monitor::config_file::{load_config, load_or_create, ConfigFileError};
use lookout_monitor::sampler::Sampler;
use lookout_monitor::{run_loop, Monitor};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(config: Option<PathBuf>, events: Option<EventFormat>) -> anyhow::Result<ExitCode> {
    init_logging();
    let explicit = config.is_some();
    let path = config_path(config)?;
    let loaded = if explicit {
        load_config(&path)
    } else {
        load_or_create(&path).map(|(config, created)| {
            if created {
                tracing::info!(path = %path.display(), "wrote the default config");
            }
            config
        })
    };
    let config = match loaded {
        Ok(c) => c,
        Err(ConfigFileError::Invalid { path, problems }) => {
            for p in &problems {
                eprintln!("{}", p.display_with(&path));
            }
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(
        path = %path.display(),
        rules = config.rules.len(),
        interval = %humantime::format_duration(config.interval),
        "monitor starting"
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let needs =
            MetricNeeds::for_keys(config.rules.iter().filter(|r| r.enabled).map(|r| &r.metric));
        let mut monitor = Monitor::new(&config, Sampler::new(&needs));
        let (_commands_tx, commands) = tokio::sync::mpsc::channel(8);
        let mut stdout = std::io::stdout().lock();
        let mut tick: u64 = 0;
        run_loop(
            &mut monitor,
            commands,
            |_, report| {
                tick += 1;
                for event in &report.events {
                    log_event(event, tick);
                    if events == Some(EventFormat::Jsonl) {
                        let _ = writeln!(stdout, "{}", event_json(event));
                        let _ = stdout.flush();
                    }
                }
            },
            shutdown_signal(),
        )
        .await;
    });
    tracing::info!("monitor stopped");
    Ok(ExitCode::SUCCESS)
}

/// The JSON line for one alert transition.
pub fn event_json(e: &AlertEvent) -> serde_json::Value {
    json!({
        "rule": e.rule,
        "state": e.state.name(),
        "metric": e.metric.as_str(),
        "value": e.value,
        "threshold": e.threshold,
        "clear_threshold": e.clear_threshold,
        "op": e.op.symbol(),
        "aggregate": e.aggregate.to_string(),
        "window": humantime::format_duration(e.window).to_string(),
        "severity": e.severity.to_string(),
        "at": rfc3339(e.at),
        "since": rfc3339(e.since),
        "coverage": e.coverage,
        "notify": e.notify,
    })
}

fn log_event(e: &AlertEvent, tick: u64) {
    let value = e
        .value
        .map_or_else(|| "unknown".to_owned(), |v| format!("{v:.2}"));
    tracing::info!(
        rule = %e.rule,
        state = e.state.name(),
        tick,
        "{} {} {} {} (threshold {})",
        e.aggregate,
        e.metric,
        value,
        e.op,
        e.threshold
    );
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LOOKOUT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
