//! The web dashboard: the window's UI and its backend over HTTP (not served yet).

use crate::server::AppState;
use axum::Router;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
}
