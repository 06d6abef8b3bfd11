//! `GET /metrics`: the latest tick in Prometheus' text format, with every rule's alert state
//! and Lookout's own CPU time and memory.

use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lookout_core::prometheus::{self, AlertLine, OwnUsage};
use lookout_core::Snapshot;
use lookout_monitor::sys::self_usage;
use std::sync::Arc;

pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let view = state.handle.latest();
    let empty = Snapshot::new();
    let (values, rules) = match &view {
        Some(v) => (&v.values, v.rules.as_slice()),
        None => (&empty, &[][..]),
    };
    let alerts: Vec<AlertLine<'_>> = rules
        .iter()
        .map(|r| AlertLine {
            rule: &r.name,
            severity: r.severity,
            phase: &r.phase,
        })
        .collect();
    let own = OwnUsage {
        cpu_seconds_total: self_usage::cpu_seconds(),
        resident_memory_bytes: self_usage::rss_bytes(),
        start_time_seconds: None,
        last_sample_seconds: view.as_ref().map(|v| v.at.as_millis() as f64 / 1000.0),
    };
    let body = prometheus::render(values, &alerts, &own);
    ([(header::CONTENT_TYPE, prometheus::CONTENT_TYPE)], body).into_response()
}
