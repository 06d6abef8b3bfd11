//! Shared test support: store fixtures and real peers (aiosmtpd, D-Bus, Xvfb, dunst, keyring).
#![allow(dead_code, unused_imports, clippy::expect_used)] // each test crate uses its own subset

mod fixtures;
mod peers;
mod session;
mod smtp;

pub use fixtures::*;
pub use peers::*;
pub use session::{Dunst, GnomeKeyring, Notice, SessionBus, VirtualDisplay};
pub use smtp::{closed_port, test_cert, Received, SmtpMode, SmtpServer, TestCert};
