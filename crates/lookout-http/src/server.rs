//! The server's life: bound where the config's `[http]` (or `lookout run --listen`) says,
//! moved when that changes, stopped with the monitor.

use crate::access::{Access, COOKIE};
use crate::state::AppState;
use crate::token::{AccessToken, TokenError};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use lookout_core::config::HttpConfig;
use lookout_core::ValidConfig;
use lookout_monitor::monitor::MonitorHandle;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

/// What `lookout run --listen ADDR [--dashboard]` sets over the config.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    pub listen: Option<SocketAddr>,
    pub dashboard: bool,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the access token: {0}")]
    Token(#[from] TokenError),
}

/// Where to serve, and what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Wanted {
    listen: SocketAddr,
    dashboard: bool,
}

fn wanted(config: &HttpConfig, overrides: &Overrides) -> Option<Wanted> {
    match overrides.listen {
        Some(listen) => Some(Wanted {
            listen,
            dashboard: overrides.dashboard || config.dashboard,
        }),
        None => config.address().map(|listen| Wanted {
            listen,
            dashboard: overrides.dashboard || config.dashboard,
        }),
    }
}

/// One bound server.
struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    stopping: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Running {
    async fn start(handle: &MonitorHandle, wanted: Wanted) -> Result<Self, HttpError> {
        let token = AccessToken::load_or_create(handle.data_dir())?;
        let listener = tokio::net::TcpListener::bind(wanted.listen)
            .await
            .map_err(|source| HttpError::Bind {
                addr: wanted.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| HttpError::Bind {
            addr: wanted.listen,
            source,
        })?;
        let (stopping, stopping_rx) = watch::channel(false);
        let state = Arc::new(AppState {
            handle: handle.clone(),
            access: Access::new(addr, token),
            dashboard: wanted.dashboard,
            processes: Arc::default(),
            stopping: stopping_rx,
        });
        let app = router(state);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
            if let Err(e) = served {
                tracing::warn!(error = %e, "the HTTP server stopped");
            }
        });
        tracing::info!(%addr, dashboard = wanted.dashboard, "serving HTTP");
        Ok(Self {
            addr,
            stop,
            stopping,
            task,
        })
    }

    async fn stop(self) {
        let _ = self.stopping.send(true);
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

fn router(state: Arc<AppState>) -> Router {
    let mut app = Router::new().route("/metrics", get(crate::metrics::metrics));
    if state.dashboard {
        app = app
            .route("/login", get(login))
            .merge(crate::dashboard::routes());
    }
    app.fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// The Host check, then the token where it is needed.
async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if !state.access.host_allowed(host) {
        return (StatusCode::FORBIDDEN, state.text("http-wrong-host")).into_response();
    }
    let path = request.uri().path();
    // /metrics on loopback is open, as exporters are; the login link carries its own proof.
    let needs_token = match path {
        "/metrics" => state.access.open_to_network(),
        "/login" => false,
        _ => state.dashboard || state.access.open_to_network(),
    };
    let dashboard_page = state.dashboard && path != "/metrics";
    if needs_token && !state.access.authorized(request.headers()) {
        let mut response =
            (StatusCode::UNAUTHORIZED, state.text("http-unauthorized")).into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"lookout\""),
        );
        return response;
    }
    let response = next.run(request).await;
    if dashboard_page {
        crate::dashboard::guarded(response)
    } else {
        response
    }
}

#[derive(serde::Deserialize)]
struct LoginQuery {
    code: String,
}

/// A one-time link from `lookout dashboard-url`: sets the token cookie, then opens the
/// dashboard without the code in the address bar.
async fn login(
    State(state): State<Arc<AppState>>,
    query: Result<Query<LoginQuery>, QueryRejection>,
) -> Response {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let redeemed = query.is_ok_and(|Query(q)| state.access.redeem(&q.code, now));
    if !redeemed {
        return (StatusCode::UNAUTHORIZED, state.text("http-login-invalid")).into_response();
    }
    let cookie = format!(
        "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
        state.access.token.expose()
    );
    let mut response = Redirect::to("/").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn not_found(State(state): State<Arc<AppState>>) -> Response {
    (StatusCode::NOT_FOUND, state.text("http-not-found")).into_response()
}

/// The HTTP endpoint of a running monitor, following its config.
pub struct HttpService {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    bound: watch::Receiver<Option<SocketAddr>>,
}

impl HttpService {
    /// Serves as the config's `[http]` says, or at `overrides.listen` when given: then a
    /// failure to listen is returned rather than logged.
    pub async fn start(handle: MonitorHandle, overrides: Overrides) -> Result<Self, HttpError> {
        let configs = handle.watch_config();
        let first = wanted(&configs.borrow().config.http, &overrides);
        let current = match (overrides.listen, first) {
            (Some(_), Some(w)) => Some(Running::start(&handle, w).await?),
            (None, Some(w)) => start_logged(&handle, w).await,
            (_, None) => None,
        };
        let (bound_tx, bound) = watch::channel(current.as_ref().map(|r| r.addr));
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(follow(
            handle, overrides, configs, first, current, stopped, bound_tx,
        ));
        Ok(Self { stop, task, bound })
    }

    /// Where it listens now (the port the system chose for port 0).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        *self.bound.borrow()
    }

    /// Stops serving; open connections are let finish.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

async fn start_logged(handle: &MonitorHandle, wanted: Wanted) -> Option<Running> {
    match Running::start(handle, wanted).await {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::warn!(error = %e, "not serving HTTP");
            None
        }
    }
}

async fn follow(
    handle: MonitorHandle,
    overrides: Overrides,
    mut configs: watch::Receiver<Arc<ValidConfig>>,
    mut serving: Option<Wanted>,
    mut current: Option<Running>,
    mut stopped: watch::Receiver<bool>,
    bound: watch::Sender<Option<SocketAddr>>,
) {
    loop {
        tokio::select! {
            changed = configs.changed() => {
                if changed.is_err() {
                    break;
                }
                let now = wanted(&configs.borrow_and_update().config.http, &overrides);
                if now == serving {
                    continue;
                }
                if let Some(r) = current.take() {
                    r.stop().await;
                }
                current = match now {
                    Some(w) => start_logged(&handle, w).await,
                    None => None,
                };
                serving = now;
                let _ = bound.send(current.as_ref().map(|r| r.addr));
            }
            _ = stopped.changed() => break,
        }
    }
    if let Some(r) = current {
        r.stop().await;
    }
}
