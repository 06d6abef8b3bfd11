//! `lookout status` and `lookout alerts`: read the store without disturbing a running monitor.

use crate::{config_path, data_dir};
use lookout_core::rule::Channel;
use lookout_core::text::escaped;
use lookout_core::{AlertPhase, Timestamp};
use lookout_monitor::clock::{rfc3339, wall_now};
use lookout_monitor::config::load_config;
use lookout_monitor::store::{DataDirLock, Store, StoreError, DB_FILE};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// `Some(pid)` when a monitor holds the data directory (never takes the lock itself).
fn running_pid(dir: &Path) -> Option<Option<u32>> {
    DataDirLock::holder(dir)
}

fn open(dir: &Path) -> anyhow::Result<Option<Store>> {
    match Store::open_read_only(&dir.join(DB_FILE)) {
        Ok(store) => Ok(Some(store)),
        Err(StoreError::Missing { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The tray app's log file, when it has written one (`lookout run` logs to stderr).
fn tray_log() -> Option<PathBuf> {
    lookout_monitor::sys::log_file::default_log_path().filter(|p| p.is_file())
}

/// Which channels the config turns on; `None` when it cannot be read (then no channel is
/// called off).
fn enabled_channels(config: Option<PathBuf>) -> Option<(bool, bool)> {
    let path = config_path(config).ok()?;
    let valid = load_config(&path).ok()?;
    Some((valid.config.desktop.enabled, valid.config.email.enabled))
}

pub fn status(
    data: Option<PathBuf>,
    config: Option<PathBuf>,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let dir = data_dir(data)?;
    let enabled = enabled_channels(config);
    let is_on = |channel: Channel| match (enabled, channel) {
        (Some((desktop, _)), Channel::Desktop) => Some(desktop),
        (Some((_, email)), Channel::Email) => Some(email),
        (None, _) => None,
    };
    let running = running_pid(&dir);
    let Some(store) = open(&dir)? else {
        if as_json {
            println!(
                "{}",
                json!({ "running": running.is_some(), "data_dir": dir, "channels": [], "firing": [] })
            );
        } else {
            println!(
                "Lookout has no data in {} yet (it has not run with this data directory).",
                dir.display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    };
    let health = store.channel_health()?;
    let depth = store.outbox_depth()?;
    let firing: Vec<(String, Timestamp)> = store
        .load_states()?
        .into_iter()
        .filter_map(|(rule, state)| match state.phase {
            AlertPhase::Firing { since, .. } => Some((rule, since)),
            _ => None,
        })
        .collect();
    if as_json {
        let channels: Vec<_> = health
            .iter()
            .map(|h| {
                json!({
                    "channel": h.channel.name(),
                    "enabled": is_on(h.channel),
                    "healthy": !h.is_failing(),
                    "last_ok_at": h.last_ok_at.map(rfc3339),
                    "last_error_at": h.last_error_at.map(rfc3339),
                    "last_error": h.last_error,
                    "consecutive_failures": h.consecutive_failures,
                })
            })
            .collect();
        let firing: Vec<_> = firing
            .iter()
            .map(|(r, since)| json!({ "rule": r, "since": rfc3339(*since) }))
            .collect();
        println!(
            "{}",
            json!({
                "running": running.is_some(),
                "pid": running.flatten(),
                "data_dir": dir,
                "channels": channels,
                "outbox": { "pending": depth.pending, "failed": depth.failed },
                "firing": firing,
                "log_file": tray_log(),
            })
        );
        return Ok(ExitCode::SUCCESS);
    }
    match running {
        Some(Some(pid)) => println!("monitor   running (PID {pid}), data in {}", dir.display()),
        Some(None) => println!("monitor   running, data in {}", dir.display()),
        None => println!("monitor   not running, data in {}", dir.display()),
    }
    if let Some(log) = tray_log() {
        println!("log       {}", log.display());
    }
    for h in &health {
        let line = if is_on(h.channel) == Some(false) {
            format!("off ({}.enabled = false in the config)", h.channel.name())
        } else if h.is_failing() {
            format!(
                "FAILING ({} in a row): {}",
                h.consecutive_failures,
                h.last_error.as_deref().unwrap_or("unknown error")
            )
        } else if let Some(ok) = h.last_ok_at {
            format!("ok, last delivery {}", rfc3339(ok))
        } else {
            "ok, nothing delivered yet".to_owned()
        };
        println!("{:<9} {line}", h.channel.name());
    }
    println!(
        "outbox    {} waiting, {} failed",
        depth.pending, depth.failed
    );
    if firing.is_empty() {
        println!("firing    none");
    }
    for (rule, since) in &firing {
        println!("firing    {} (since {})", escaped(rule), rfc3339(*since));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn alerts(data: Option<PathBuf>, since: Duration, as_json: bool) -> anyhow::Result<ExitCode> {
    let dir = data_dir(data)?;
    let entries = match open(&dir)? {
        Some(store) => store.alerts_since(wall_now().minus(since), 10_000)?,
        None => Vec::new(),
    };
    if as_json {
        println!(
            "{}",
            serde_json::to_string(
                &entries
                    .iter()
                    .map(|e| crate::commands::run::event_json(&e.event))
                    .collect::<Vec<_>>()
            )?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if entries.is_empty() {
        println!(
            "no alerts in the last {}",
            humantime::format_duration(since)
        );
    }
    for entry in &entries {
        let e = &entry.event;
        let value = e.value.map_or_else(
            || "unknown".to_owned(),
            |v| lookout_monitor::delivery::format::metric_value(&e.metric, v),
        );
        println!(
            "{}  {:<8} {:<8} {}  {} {} = {value} ({} {})",
            rfc3339(e.at),
            e.state.name(),
            e.severity,
            escaped(&e.rule),
            e.aggregate,
            escaped(e.metric.as_str()),
            e.op,
            e.threshold
        );
    }
    Ok(ExitCode::SUCCESS)
}
