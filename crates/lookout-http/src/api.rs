//! The window's backend over HTTP: `POST /api/<command>` with the same command names and
//! JSON arguments as the tray's Tauri commands, answering the result or an `ApiError` as JSON.
//! Secrets cannot be stored or cleared here, and autostart is the tray's alone.

use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use lookout_core::config::RuleConfig;
use lookout_core::{Config, Timestamp};
use lookout_monitor::api::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The most alert log entries one call returns (as the tray's command).
const MAX_ALERTS: u32 = 10_000;

/// The largest request body: a config of the largest size the file may have, as JSON.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

#[derive(Deserialize)]
struct ConfigArg {
    config: Config,
}

#[derive(Deserialize)]
struct AlertsArg {
    since: Option<Timestamp>,
    limit: u32,
}

#[derive(Deserialize)]
struct HistoryArg {
    metric: String,
    from: Timestamp,
    to: Timestamp,
    points: u32,
}

#[derive(Deserialize)]
struct BacktestArg {
    rule: RuleConfig,
    from: Timestamp,
    to: Timestamp,
}

#[derive(Deserialize)]
struct LimitArg {
    limit: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutboxArg {
    outbox_id: i64,
}

#[derive(Deserialize)]
struct NameArg {
    name: String,
}

#[derive(Deserialize)]
struct UntilArg {
    until: Option<Timestamp>,
}

fn error(code: ErrorCode, message: impl Into<String>) -> ApiError {
    ApiError::new(code, message)
}

fn args<T: DeserializeOwned>(body: &serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(body.clone())
        .map_err(|e| error(ErrorCode::BadRequest, format!("bad arguments: {e}")))
}

fn reply<T: Serialize>(result: Result<T, ApiError>) -> Response {
    match result {
        Ok(value) => axum::Json(value).into_response(),
        Err(e) => {
            let status = match e.code {
                ErrorCode::InvalidConfig | ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
                ErrorCode::Forbidden => StatusCode::FORBIDDEN,
                ErrorCode::Stopped => StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Email | ErrorCode::Channel | ErrorCode::Desktop => {
                    StatusCode::BAD_GATEWAY
                }
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            (status, axum::Json(e)).into_response()
        }
    }
}

/// One command. Only JSON bodies are taken, so a cross-site form cannot post here.
pub async fn command(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        let e = error(
            ErrorCode::BadRequest,
            "send the arguments as JSON (Content-Type: application/json)",
        );
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, axum::Json(e)).into_response();
    }
    let body: serde_json::Value = if body.is_empty() {
        serde_json::Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return reply::<()>(Err(error(
                    ErrorCode::BadRequest,
                    format!("the body is not JSON: {e}"),
                )))
            }
        }
    };
    run(&state, &name, &body).await
}

async fn run(state: &AppState, name: &str, body: &serde_json::Value) -> Response {
    let m = &state.handle;
    match name {
        "get_config" => reply(Ok(m.config())),
        "set_config" => match args::<ConfigArg>(body) {
            Ok(a) => reply(m.set_config(a.config).await),
            Err(e) => reply::<()>(Err(e)),
        },
        "validate_config" => reply(args::<ConfigArg>(body).map(|a| m.validate(&a.config))),
        "get_snapshot" => reply(Ok(m.latest().map(|v| (*v).clone()))),
        "get_recent" => reply(Ok(m.recent())),
        "get_history" => match args::<HistoryArg>(body) {
            Ok(a) => reply(m.history(a.metric, a.from, a.to, a.points).await),
            Err(e) => reply::<()>(Err(e)),
        },
        "backtest_rule" => match args::<BacktestArg>(body) {
            Ok(a) => reply(m.backtest(a.rule, a.from, a.to).await),
            Err(e) => reply::<()>(Err(e)),
        },
        "get_alerts" => match args::<AlertsArg>(body) {
            Ok(a) => {
                let limit = usize::try_from(a.limit.min(MAX_ALERTS)).unwrap_or(usize::MAX);
                reply(m.alerts(a.since, limit).await)
            }
            Err(e) => reply::<()>(Err(e)),
        },
        "get_status" => reply(Ok(m.status().await)),
        "get_deliveries" => match args::<LimitArg>(body) {
            Ok(a) => reply(m.delivery_log(a.limit).await),
            Err(e) => reply::<()>(Err(e)),
        },
        "send_now" => match args::<OutboxArg>(body) {
            Ok(a) => reply(m.send_now(a.outbox_id).await),
            Err(e) => reply::<()>(Err(e)),
        },
        "get_storage_usage" => reply(m.storage_usage().await),
        "test_notification" => reply(m.test_notification().await),
        "test_email" => reply(m.test_email().await),
        "test_channel" => match args::<NameArg>(body) {
            Ok(a) => reply(m.test_channel(&a.name).await),
            Err(e) => reply::<()>(Err(e)),
        },
        "get_channel_secrets" => reply(Ok(m.channel_secrets().await)),
        "pause_alerts" => match args::<UntilArg>(body) {
            Ok(a) => match m.pause(a.until).await {
                Ok(()) => reply(Ok(m.status().await)),
                Err(e) => reply::<()>(Err(e)),
            },
            Err(e) => reply::<()>(Err(e)),
        },
        "list_processes" => reply(list_processes(state).await),
        "get_autostart" => reply(Ok(false)),
        "set_smtp_password"
        | "clear_smtp_password"
        | "set_channel_secret"
        | "clear_channel_secret" => reply::<()>(Err(error(
            ErrorCode::Forbidden,
            "secrets cannot be changed over HTTP; use `lookout secret set` on the machine",
        ))),
        "set_autostart" => reply::<()>(Err(error(
            ErrorCode::Autostart,
            "starting at login is set in the tray app, not in the web dashboard",
        ))),
        other => {
            let e = error(
                ErrorCode::BadRequest,
                format!("there is no command '{}'", lookout_core::text::shown(other)),
            );
            (StatusCode::NOT_FOUND, axum::Json(e)).into_response()
        }
    }
}

async fn list_processes(
    state: &AppState,
) -> Result<Vec<lookout_monitor::api::ProcessEntry>, ApiError> {
    let lister = state.processes.clone();
    tokio::task::spawn_blocking(move || {
        lister
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .list(std::time::Duration::from_millis(250))
    })
    .await
    .map_err(|e| error(ErrorCode::Internal, format!("the process list failed: {e}")))
}
