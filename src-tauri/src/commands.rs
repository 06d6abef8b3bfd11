//! The commands the window calls: each a thin call into the monitor, errors as `{code, message}`.

// Arguments arrive in camelCase from JavaScript (`invoke('stream_ticks', { onTick })`), as
// Tauri converts them. Every name here is also listed in `build.rs`, which generates the
// permissions `capabilities/main.json` grants; a command missing there cannot be called.

use crate::error;
use crate::state::AppState;
use crate::tray;
use lookout_core::config::RuleConfig;
use lookout_core::{Config, FieldError, Timestamp};
use lookout_monitor::api::{ApiError, ErrorCode, MetricSeries, ProcessEntry, Status, TickView};
use lookout_monitor::history::backtest::Backtest;
use lookout_monitor::history::query::HistorySeries;
use lookout_monitor::monitor::channels_api::ChannelSecretState;
use lookout_monitor::monitor::deliveries_api::{DeliveryLog, StorageUsage};
use lookout_monitor::monitor::MonitorHandle;
use lookout_monitor::store::LoggedAlert;
use tauri::ipc::{Channel, Invoke};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_autostart::AutoLaunchManager;
use tokio::sync::broadcast::error::RecvError;

/// The most alert log entries one call returns.
pub const MAX_ALERTS: u32 = 10_000;

/// Every command, for `Builder::invoke_handler` (the app, and tests on the mock runtime).
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        get_config,
        set_config,
        validate_config,
        get_snapshot,
        stream_ticks,
        get_recent,
        get_alerts,
        get_status,
        test_notification,
        test_email,
        set_smtp_password,
        clear_smtp_password,
        pause_alerts,
        get_autostart,
        set_autostart,
        list_processes,
        get_history,
        backtest_rule,
        get_deliveries,
        send_now,
        get_storage_usage,
        test_channel,
        set_channel_secret,
        clear_channel_secret,
        get_channel_secrets,
    ]
}

/// The config in force.
#[tauri::command]
pub async fn get_config(state: State<'_, AppState>) -> Result<Config, ApiError> {
    Ok(state.monitor().config())
}

/// Validates, saves (atomically) and applies `config`. An invalid config is refused with
/// every field error (`code: "invalid_config"`, `fields`) and the file is not touched.
#[tauri::command]
pub async fn set_config(state: State<'_, AppState>, config: Config) -> Result<Config, ApiError> {
    state.monitor().set_config(config).await
}

/// Every problem in `config`, each with its field path; empty when it is valid. Saves nothing.
#[tauri::command]
pub async fn validate_config(
    state: State<'_, AppState>,
    config: Config,
) -> Result<Vec<FieldError>, ApiError> {
    Ok(state.monitor().validate(&config))
}

/// The last tick's readings and rule states (`null` before the first tick).
#[tauri::command]
pub async fn get_snapshot(state: State<'_, AppState>) -> Result<Option<TickView>, ApiError> {
    Ok(state.monitor().latest().map(|v| (*v).clone()))
}

/// Sends the latest tick at once, then every tick, on `on_tick` until the window closes or
/// calls this again (one stream per window: a reloaded page replaces its old stream).
#[tauri::command]
pub async fn stream_ticks(
    state: State<'_, AppState>,
    on_tick: Channel<TickView>,
) -> Result<(), ApiError> {
    let task = tokio::spawn(forward_ticks(state.monitor().clone(), on_tick));
    state.replace_tick_stream(task.abort_handle());
    Ok(())
}

/// Forwards ticks to `channel` until a send fails (the page is gone) or the monitor stops.
/// A receiver that falls behind skips ticks rather than queueing them.
pub async fn forward_ticks(monitor: MonitorHandle, channel: Channel<TickView>) {
    let mut ticks = monitor.subscribe_ticks();
    if let Some(view) = monitor.latest() {
        if channel.send((*view).clone()).is_err() {
            return;
        }
    }
    loop {
        match ticks.recv().await {
            Ok(view) => {
                if let Err(e) = channel.send((*view).clone()) {
                    tracing::debug!(error = %e, "tick stream ended");
                    return;
                }
            }
            Err(RecvError::Lagged(skipped)) => tracing::debug!(skipped, "tick stream lagged"),
            Err(RecvError::Closed) => return,
        }
    }
}

/// Recent readings of every metric, from the in-memory windows (for the charts).
#[tauri::command]
pub async fn get_recent(state: State<'_, AppState>) -> Result<Vec<MetricSeries>, ApiError> {
    Ok(state.monitor().recent())
}

/// One metric's recorded history over `[from, to)` in at most `points` points (the charts).
#[tauri::command]
pub async fn get_history(
    state: State<'_, AppState>,
    metric: String,
    from: Timestamp,
    to: Timestamp,
    points: u32,
) -> Result<HistorySeries, ApiError> {
    state.monitor().history(metric, from, to, points).await
}

/// A rule from the editor, saved or not, replayed over `[from, to)` of the history.
#[tauri::command]
pub async fn backtest_rule(
    state: State<'_, AppState>,
    rule: RuleConfig,
    from: Timestamp,
    to: Timestamp,
) -> Result<Backtest, ApiError> {
    state.monitor().backtest(rule, from, to).await
}

/// The delivery log: the latest `limit` attempts, newest first, and the email still waiting.
#[tauri::command]
pub async fn get_deliveries(
    state: State<'_, AppState>,
    limit: u32,
) -> Result<DeliveryLog, ApiError> {
    state.monitor().delivery_log(limit).await
}

/// Sends a waiting email now instead of at its next attempt.
#[tauri::command]
pub async fn send_now(state: State<'_, AppState>, outbox_id: i64) -> Result<(), ApiError> {
    state.monitor().send_now(outbox_id).await
}

/// The disk the database and its history use now (the settings view).
#[tauri::command]
pub async fn get_storage_usage(state: State<'_, AppState>) -> Result<StorageUsage, ApiError> {
    state.monitor().storage_usage().await
}

/// The alert log since `since` (all of it when `null`), newest first, at most `limit`
/// (capped at [`MAX_ALERTS`]).
#[tauri::command]
pub async fn get_alerts(
    state: State<'_, AppState>,
    since: Option<Timestamp>,
    limit: u32,
) -> Result<Vec<LoggedAlert>, ApiError> {
    let limit = usize::try_from(limit.min(MAX_ALERTS)).unwrap_or(usize::MAX);
    state.monitor().alerts(since, limit).await
}

/// Overall state, channel health, outbox, Lookout's own CPU and memory.
#[tauri::command]
pub async fn get_status(state: State<'_, AppState>) -> Result<Status, ApiError> {
    Ok(state.monitor().status().await)
}

/// Shows a desktop notification now; the text says what happened.
#[tauri::command]
pub async fn test_notification(state: State<'_, AppState>) -> Result<String, ApiError> {
    state.monitor().test_notification().await
}

/// Sends a test email now with the saved settings; the text is the server's answer.
#[tauri::command]
pub async fn test_email(state: State<'_, AppState>) -> Result<String, ApiError> {
    state.monitor().test_email().await
}

/// Stores the SMTP password in the OS keyring. Write-only: no command returns it.
#[tauri::command]
pub async fn set_smtp_password(
    state: State<'_, AppState>,
    password: String,
) -> Result<(), ApiError> {
    state.monitor().set_smtp_password(password).await
}

/// Removes the SMTP password from the keyring.
#[tauri::command]
pub async fn clear_smtp_password(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.monitor().clear_smtp_password().await
}

/// Sends a test message on the saved push channel `name`; the text is the service's answer.
#[tauri::command]
pub async fn test_channel(state: State<'_, AppState>, name: String) -> Result<String, ApiError> {
    state.monitor().test_channel(&name).await
}

/// Stores a push channel's secret (token or webhook URL) in the keyring. Write-only.
#[tauri::command]
pub async fn set_channel_secret(
    state: State<'_, AppState>,
    name: String,
    secret: String,
) -> Result<(), ApiError> {
    state.monitor().set_channel_secret(&name, secret).await
}

/// Removes a push channel's secret from the keyring.
#[tauri::command]
pub async fn clear_channel_secret(
    state: State<'_, AppState>,
    name: String,
) -> Result<(), ApiError> {
    state.monitor().clear_channel_secret(&name).await
}

/// Which saved push channels have their secret (never the secrets).
#[tauri::command]
pub async fn get_channel_secrets(
    state: State<'_, AppState>,
) -> Result<Vec<ChannelSecretState>, ApiError> {
    Ok(state.monitor().channel_secrets().await)
}

/// Mutes notifications until `until`, or resumes them with `null`; returns the new status.
#[tauri::command]
pub async fn pause_alerts(
    state: State<'_, AppState>,
    until: Option<Timestamp>,
) -> Result<Status, ApiError> {
    state.monitor().pause(until).await?;
    Ok(state.monitor().status().await)
}

/// The running processes, busiest first, for picking what to watch, off the async threads.
/// CPU is measured since the previous list (the first waits a quarter of a second); a list
/// asked for again within a second is the same list.
#[tauri::command]
pub async fn list_processes(state: State<'_, AppState>) -> Result<Vec<ProcessEntry>, ApiError> {
    let lister = state.process_lister();
    tokio::task::spawn_blocking(move || {
        lister
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .list(std::time::Duration::from_millis(250))
    })
    .await
    .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the process list failed: {e}")))
}

/// Whether Lookout starts at login: whether its autostart entry exists now.
#[tauri::command]
pub async fn get_autostart<R: Runtime>(app: AppHandle<R>) -> Result<bool, ApiError> {
    autostart_manager(&app)?
        .is_enabled()
        .map_err(error::autostart)
}

/// Creates or removes the autostart entry; returns the state found afterwards.
#[tauri::command]
pub async fn set_autostart<R: Runtime>(app: AppHandle<R>, enabled: bool) -> Result<bool, ApiError> {
    let manager = autostart_manager(&app)?;
    if enabled {
        crate::autostart_entry::enable(&manager)
    } else {
        manager.disable()
    }
    .map_err(error::autostart)?;
    let now = manager.is_enabled().map_err(error::autostart)?;
    tray::show_autostart(&app);
    Ok(now)
}

fn autostart_manager<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<State<'_, AutoLaunchManager>, ApiError> {
    app.try_state::<AutoLaunchManager>().ok_or_else(|| {
        ApiError::new(
            ErrorCode::Autostart,
            "autostart is not available in this build (the autostart plugin is not loaded)",
        )
    })
}
