//! `lookout run`: the headless monitor, printing alert transitions as JSON lines on request.

use crate::{config_path, data_dir, runtime, EventFormat, EXIT_INVALID};

/// How long stopping waits for the last events to be printed.
const PRINTER_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Exit code when the monitor failed internally (EX_SOFTWARE).
const EXIT_SOFTWARE: u8 = 70;
use lookout_core::AlertEvent;
use lookout_monitor::clock::rfc3339;
use lookout_monitor::config::{load_config, ConfigFileError};
use lookout_monitor::monitor::event_feed::EventReader;
use lookout_monitor::monitor::{Daemon, DaemonOptions, MonitorHandle, StartError};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(
    config: Option<PathBuf>,
    data: Option<PathBuf>,
    events: Option<EventFormat>,
    http: lookout_http::Overrides,
) -> anyhow::Result<ExitCode> {
    init_logging();
    let options = DaemonOptions {
        create_default_config: config.is_none(),
        config_path: config_path(config)?,
        data_dir: data_dir(data)?,
        // Reloaded on SIGHUP instead, as daemons are.
        follow_config_edits: false,
    };
    let created = options.create_default_config && !options.config_path.exists();
    runtime()?.block_on(async {
        // Registered before anything is logged, so a SIGHUP never meets the default action.
        let hangup = hangup_signal();
        let (handle, daemon) = match Daemon::start(options.clone()).await {
            Ok(started) => started,
            Err(StartError::Config(ConfigFileError::Invalid { path, problems })) => {
                let language = crate::words::language();
                for p in &problems {
                    eprintln!("{}", p.text_in(&path, language));
                }
                return Ok(ExitCode::from(EXIT_INVALID));
            }
            Err(StartError::Config(ConfigFileError::Read { source, .. })) => {
                let reason = source.words(crate::words::language());
                let text = crate::words::t("check-unreadable", &[("reason", &reason)]);
                eprintln!("lookout: {text}");
                return Ok(ExitCode::from(EXIT_INVALID));
            }
            Err(e) => return Err(e.into()),
        };
        if created {
            tracing::info!(path = %options.config_path.display(), "wrote the default config");
        }
        if http.dashboard && http.listen.is_none() && handle.config().http.address().is_none() {
            daemon.stop().await;
            eprintln!(
                "lookout: {}",
                crate::words::t("cli-dashboard-needs-listen", &[])
            );
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        let server = match lookout_http::HttpService::start(handle.clone(), http).await {
            Ok(server) => server,
            Err(e) => {
                daemon.stop().await;
                let text = crate::words::t("cli-http-failed", &[("reason", &e.to_string())]);
                eprintln!("lookout: {text}");
                return Ok(ExitCode::FAILURE);
            }
        };
        let config = handle.valid_config();
        tracing::info!(
            config = %options.config_path.display(),
            data = %options.data_dir.display(),
            rules = config.rules.len(),
            interval = %humantime::format_duration(config.interval),
            "monitor started"
        );
        // Every event, none dropped: a slow reader of stdout holds the monitor back instead.
        let printer = match events {
            Some(EventFormat::Jsonl) => {
                let reader = handle.event_feed();
                Some(
                    std::thread::Builder::new()
                        .name("lookout-events".into())
                        .spawn(move || print_events(reader))?,
                )
            }
            None => None,
        };
        let failed = tokio::select! {
            () = shutdown_signal() => None,
            () = reload_on_hangup(&handle, hangup) => None,
            failure = handle.tick_failed() => Some(failure),
        };
        server.stop().await;
        daemon.stop().await;
        if let Some(printer) = printer {
            // The feed ends once the monitor stopped: this prints the last events, then ends;
            // unless stdout's reader has stalled, which must not keep Lookout from exiting.
            let joined = tokio::task::spawn_blocking(move || printer.join());
            if tokio::time::timeout(PRINTER_GRACE, joined).await.is_err() {
                tracing::warn!("the reader of --events output has stalled; exiting without it");
            }
        }
        if let Some(failure) = failed {
            let text = crate::words::t("cli-monitor-failed", &[("reason", &failure.message)]);
            eprintln!("lookout: {text}");
            return Ok(ExitCode::from(EXIT_SOFTWARE));
        }
        tracing::info!("monitor stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Prints each event as a JSON line, flushing whenever no more are queued. Ends when the feed
/// ends or stdout is gone (the reader closed the pipe).
fn print_events(reader: EventReader) {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    while let Some(event) = reader.recv() {
        if writeln!(out, "{}", event_json(&event)).is_err() {
            return;
        }
        let mut more = reader.try_recv();
        while let Some(event) = more {
            if writeln!(out, "{}", event_json(&event)).is_err() {
                return;
            }
            more = reader.try_recv();
        }
        if out.flush().is_err() {
            return;
        }
    }
    let _ = out.flush();
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
        "culprits": e.culprits,
        "gave_up": e.gave_up,
    })
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LOOKOUT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

/// Re-reads the config file on SIGHUP. A broken file is reported with its positions and the
/// monitor keeps the config it has; the file is never rewritten.
#[cfg(unix)]
type Hangup = Option<tokio::signal::unix::Signal>;
#[cfg(not(unix))]
type Hangup = Option<()>;

fn hangup_signal() -> Hangup {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        signal(SignalKind::hangup()).ok()
    }
    #[cfg(not(unix))]
    None
}

async fn reload_on_hangup(handle: &MonitorHandle, hangup: Hangup) {
    #[cfg(unix)]
    {
        let Some(mut hangup) = hangup else {
            return std::future::pending().await;
        };
        while hangup.recv().await.is_some() {
            // Off the async thread: a slow disk must not hold up alerts or SIGTERM.
            let path = handle.config_path().to_path_buf();
            let loaded = match tokio::task::spawn_blocking(move || load_config(&path)).await {
                Ok(loaded) => loaded,
                Err(e) => {
                    tracing::error!(error = %e, "config not reloaded");
                    continue;
                }
            };
            match loaded {
                Ok(valid) => match handle.apply_config(valid).await {
                    Ok(()) => {
                        tracing::info!(path = %handle.config_path().display(), "config reloaded")
                    }
                    Err(e) => tracing::error!(error = %e, "cannot apply the reloaded config"),
                },
                Err(ConfigFileError::Invalid { path, problems }) => {
                    for p in &problems {
                        tracing::error!("{}", p.display_with(&path));
                    }
                    tracing::warn!("config not reloaded; still running on the last valid one");
                }
                Err(e) => tracing::error!(error = %e, "config not reloaded"),
            }
        }
    }
    std::future::pending().await
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
