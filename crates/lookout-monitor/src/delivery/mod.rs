//! Alert delivery channels: desktop notifications and SMTP email (render, then send once).
//!
//! A sender task drives each email through: [`render_alert_email`] → store the
//! [`RenderedEmail`] (outbox) → [`EmailChannel::send`] → on [`SendError`], retry if
//! [`SendError::is_permanent`] is false. Desktop notices go straight to [`desktop::notify`].

pub mod desktop;
pub mod email;
pub mod format;
pub mod message;
pub mod send_error;

pub use desktop::{notify, notify_test, DesktopError};
pub use email::{Accepted, EmailChannel, DEFAULT_SEND_TIMEOUT};
pub use message::{render_alert_email, render_test_email, RenderedEmail};
pub use send_error::{FailureCause, SendError};
