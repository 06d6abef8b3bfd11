//! `lookout status` and `lookout alerts`: read the store without disturbing a running monitor.

use crate::words::t;
use crate::{config_path, data_dir};
use lookout_core::rule::Channel;
use lookout_core::text::escaped;
use lookout_core::{AlertPhase, EventKind, Timestamp};
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

/// Each channel the config has (desktop, email, then its push channels) with whether it is
/// on; `None` when the config cannot be read (then no channel is called off).
fn configured_channels(config: Option<PathBuf>) -> Option<Vec<(Channel, bool)>> {
    let path = config_path(config).ok()?;
    let config = load_config(&path).ok()?.config;
    let mut channels = vec![
        (Channel::DESKTOP, config.desktop.enabled),
        (Channel::EMAIL, config.email.enabled),
    ];
    channels.extend(
        config
            .channels
            .iter()
            .map(|c| (Channel::named(&c.name), c.enabled)),
    );
    Some(channels)
}

pub fn status(
    data: Option<PathBuf>,
    config: Option<PathBuf>,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let dir = data_dir(data)?;
    let configured = configured_channels(config);
    let is_on = |channel: &Channel| {
        let configured = configured.as_ref()?;
        Some(configured.iter().any(|(c, on)| c == channel && *on))
    };
    let push: Vec<Channel> = configured
        .iter()
        .flatten()
        .map(|(c, _)| c.clone())
        .filter(|c| !c.is_built_in())
        .collect();
    let running = running_pid(&dir);
    let Some(store) = open(&dir)? else {
        if as_json {
            println!(
                "{}",
                json!({ "running": running.is_some(), "data_dir": dir, "channels": [], "firing": [] })
            );
        } else {
            let shown = dir.display().to_string();
            println!("{}", t("cli-status-no-data", &[("dir", &shown)]));
        }
        return Ok(ExitCode::SUCCESS);
    };
    let health = store.channel_health(&push)?;
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
                    "enabled": is_on(&h.channel),
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
    let shown = dir.display().to_string();
    println!(
        "{}",
        match running {
            Some(Some(pid)) => t(
                "cli-status-running-pid",
                &[("pid", &pid.to_string()), ("dir", &shown)]
            ),
            Some(None) => t("cli-status-running", &[("dir", &shown)]),
            None => t("cli-status-stopped", &[("dir", &shown)]),
        }
    );
    if let Some(log) = tray_log() {
        println!(
            "{}",
            t("cli-status-log", &[("path", &log.display().to_string())])
        );
    }
    for h in &health {
        let channel = h.channel.name();
        let state = if is_on(&h.channel) == Some(false) {
            t("cli-status-off", &[("channel", channel)])
        } else if h.is_failing() {
            let reason = h
                .last_error
                .clone()
                .unwrap_or_else(|| t("cli-status-unknown-error", &[]));
            let count = h.consecutive_failures.to_string();
            t(
                "cli-status-failing",
                &[("count", &count), ("reason", &reason)],
            )
        } else if let Some(ok) = h.last_ok_at {
            t("cli-status-ok-since", &[("at", &rfc3339(ok))])
        } else {
            t("cli-status-ok", &[])
        };
        let pad = " ".repeat(9usize.saturating_sub(channel.len()));
        let args = [
            ("channel", channel),
            ("pad", pad.as_str()),
            ("state", &state),
        ];
        println!("{}", t("cli-status-channel", &args));
    }
    let (pending, failed) = (depth.pending.to_string(), depth.failed.to_string());
    println!(
        "{}",
        t(
            "cli-status-outbox",
            &[("pending", &pending), ("failed", &failed)]
        )
    );
    if firing.is_empty() {
        println!("{}", t("cli-status-firing-none", &[]));
    }
    for (rule, since) in &firing {
        let (rule, since) = (escaped(rule), rfc3339(*since));
        println!(
            "{}",
            t("cli-status-firing", &[("rule", &rule), ("since", &since)])
        );
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
                    .map(|e| {
                        let mut json = crate::commands::run::event_json(&e.event);
                        json["actions"] = serde_json::json!(e.actions);
                        json
                    })
                    .collect::<Vec<_>>()
            )?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if entries.is_empty() {
        let span =
            lookout_monitor::delivery::format::duration_words(since, crate::words::language());
        println!("{}", t("cli-alerts-none", &[("span", &span)]));
    }
    for entry in &entries {
        let e = &entry.event;
        let lang = crate::words::language();
        println!("{}", event_line(e));
        for c in &e.culprits {
            println!(
                "    {}",
                escaped(&lookout_monitor::delivery::culprits::line(c, lang))
            );
        }
        if let Some(words) = Some(lookout_monitor::delivery::format::gave_up_words(e, lang))
            .filter(|w| !w.is_empty())
        {
            println!("    {}", escaped(&words));
        }
        for run in &entry.actions {
            println!(
                "    {}",
                escaped(&lookout_monitor::actions::words::run_line(run, lang))
            );
            for line in run.output.lines() {
                println!("      | {}", escaped(line));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One alert transition on one line: time, state, severity, rule, measure, value and
/// threshold.
pub fn event_line(e: &lookout_core::AlertEvent) -> String {
    let lang = crate::words::language();
    let value = e.value.map_or_else(
        || t("cli-value-unknown", &[]),
        |v| lookout_monitor::delivery::format::metric_value(&e.metric, v),
    );
    let state = t(
        match e.state {
            EventKind::Pending => "tray-state-pending",
            EventKind::Firing => "tray-state-firing",
            EventKind::Reminder => "tray-state-reminder",
            EventKind::Resolved => "tray-state-resolved",
            EventKind::GaveUp => "tray-state-gave-up",
        },
        &[],
    );
    format!(
        "{}  {:<8} {:<8} {}  {} {} = {value} ({} {})",
        rfc3339(e.at),
        state,
        lookout_monitor::delivery::format::severity_words(e.severity, lang),
        escaped(&e.rule),
        e.aggregate,
        escaped(e.metric.as_str()),
        e.op,
        e.threshold
    )
}
