//! Lookout's test support, for the tests of every crate (a dev-dependency only): store
//! fixtures, and the real peers tests start on loopback and a private session bus (D-Bus,
//! Xvfb, dunst, gnome-keyring, aiosmtpd, an HTTP(S) receiver, a StatusNotifierItem tray
//! host), stopped by PID.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test support fails loudly, like tests

mod fixtures;
mod http;
mod http_get;
mod peers;
mod session;
mod smtp;
mod tray_host;

pub use fixtures::*;
pub use http::{HttpRequest, HttpServer};
pub use http_get::{http_get, HttpAnswer};
pub use peers::*;
pub use session::{Dunst, GnomeKeyring, Notice, SessionBus, VirtualDisplay};
pub use smtp::{closed_port, test_cert, Received, SmtpMode, SmtpServer, TestCert};
pub use tray_host::{free_port, TrayHost};
