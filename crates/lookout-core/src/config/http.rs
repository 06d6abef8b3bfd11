//! The `[http]` section: where Lookout serves Prometheus' `/metrics` and the web dashboard.

use super::error::{FieldCode, FieldError, PathSegment};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use ts_rs::TS;

/// The port Lookout's `/metrics` is known by (registered with Prometheus' exporter list
/// range; `lookout run --listen` documents it).
pub const DEFAULT_HTTP_PORT: u16 = 9464;

/// The HTTP endpoint. Off until `listen` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// `address:port` to serve on, like "127.0.0.1:9464"; empty serves nothing. An address
    /// that is not loopback requires the access token for every request.
    pub listen: String,
    /// Serve the window as a web dashboard too (always behind the access token).
    pub dashboard: bool,
}

impl HttpConfig {
    /// The address to listen on, when one is set and valid.
    pub fn address(&self) -> Option<SocketAddr> {
        self.listen.trim().parse().ok()
    }
}

pub(super) fn validate_http(http: &HttpConfig, errors: &mut Vec<FieldError>) {
    let path = |field: &str| {
        [
            PathSegment::Key("http".into()),
            PathSegment::Key(field.into()),
        ]
    };
    let listen = http.listen.trim();
    if listen.is_empty() {
        if http.dashboard {
            errors.push(FieldError::new(
                &path("dashboard"),
                FieldCode::HttpDashboardWithoutListen,
                "the dashboard needs an address to serve on; set http.listen, like \
                 \"127.0.0.1:9464\"",
            ));
        }
        return;
    }
    if listen.parse::<SocketAddr>().is_err() {
        errors.push(
            FieldError::new(
                &path("listen"),
                FieldCode::HttpListenInvalid,
                format!(
                    "'{}' is not an address and port; use one like \"127.0.0.1:{DEFAULT_HTTP_PORT}\", \
                     \"[::1]:{DEFAULT_HTTP_PORT}\" or \"0.0.0.0:{DEFAULT_HTTP_PORT}\"",
                    crate::text::shown(listen)
                ),
            )
            .with("value", listen),
        );
    }
}
