//! The web dashboard: the window's own files (embedded at build time), its backend over HTTP
//! ([`crate::api`]) and its live ticks as server-sent events, every answer with headers that
//! keep other sites out (CSP, no framing, no referrer).

use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/assets.rs"));
}

/// What tells the window it runs in a browser against this server (read by chooseBackend).
const BACKEND_META: &str = r#"<meta name="lookout-backend" content="http">"#;

/// The same policy as the tray's webview, with connections only back to this server.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                   connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .route("/api/ticks", get(ticks))
        .route(
            "/api/{command}",
            post(crate::api::command).layer(DefaultBodyLimit::max(crate::api::MAX_BODY_BYTES)),
        )
        .route("/assets/{*file}", get(asset))
        .route("/favicon.svg", get(asset))
}

fn find(path: &str) -> Option<(&'static str, &'static [u8])> {
    embedded::ASSETS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, kind, bytes)| (*kind, *bytes))
}

/// Headers every dashboard answer carries.
pub fn guarded(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

async fn index(State(state): State<Arc<AppState>>) -> Response {
    let Some((kind, bytes)) = find("/index.html") else {
        let text = state.text("http-ui-missing");
        return guarded((StatusCode::SERVICE_UNAVAILABLE, text).into_response());
    };
    let html = String::from_utf8_lossy(bytes);
    let charset = r#"<meta charset="UTF-8" />"#;
    let html = if html.contains(charset) {
        html.replacen(charset, &format!("{charset}\n    {BACKEND_META}"), 1)
    } else {
        html.replacen("<head>", &format!("<head>\n    {BACKEND_META}"), 1)
    };
    guarded(
        (
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "no-store"),
            ],
            html,
        )
            .into_response(),
    )
}

async fn asset(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
    match find(uri.path()) {
        Some((kind, bytes)) => guarded(
            (
                [
                    (header::CONTENT_TYPE, kind),
                    // Vite names each build's files by their hash.
                    (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                ],
                bytes,
            )
                .into_response(),
        ),
        None => (StatusCode::NOT_FOUND, state.text("http-not-found")).into_response(),
    }
}

/// `GET /api/ticks`: the latest tick at once, then every tick, until the page goes or the
/// server stops. A client that falls behind skips ticks.
async fn ticks(
    State(state): State<Arc<AppState>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let ticks = state.handle.subscribe_ticks();
    let first = state.handle.latest();
    let stopping = state.stopping.clone();
    // Every metric is read while the page streams (the charts show them all).
    let viewer = state.handle.live_viewer();
    let stream = futures_util::stream::unfold(
        (ticks, stopping, first, viewer),
        |(mut ticks, mut stopping, first, viewer)| async move {
            if let Some(view) = first {
                return Some((Ok(tick_event(&view)), (ticks, stopping, None, viewer)));
            }
            loop {
                let received = tokio::select! {
                    received = ticks.recv() => received,
                    _ = stopping.wait_for(|stop| *stop) => return None,
                };
                match received {
                    Ok(view) => {
                        return Some((Ok(tick_event(&view)), (ticks, stopping, None, viewer)))
                    }
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn tick_event(view: &lookout_monitor::api::TickView) -> Event {
    Event::default()
        .event("tick")
        .data(serde_json::to_string(view).unwrap_or_default())
}
