//! Alert delivery: the dispatcher that logs each alert transition and hands it to channels,
//! the desktop channel, and email (render, queue in the outbox, send with retries).
//!
//! The flow: the tick loop → [`dispatch`] (alert log + outbox in one transaction) →
//! [`desktop`] at once, and [`email::sender`] from the outbox, each attempt in the delivery
//! log, from which [`health`] says whether a channel is failing. Push channels will sit beside
//! `desktop` and `email`, sharing the outbox and its backoff.

pub mod culprits;
pub mod desktop;
pub mod dispatch;
pub mod email;
pub mod format;
pub mod health;
pub mod notice_bus;
pub mod push;

pub use desktop::{notify, notify_test, DesktopError};
pub use email::channel::{Accepted, EmailChannel, DEFAULT_SEND_TIMEOUT};
pub use email::message::{render_alert_email, render_test_email, RenderedEmail};
pub use email::send_error::{FailureCause, SendError};
pub use health::Health;

use crate::store::StoreHandle;
use crate::sys::Clock;
use lookout_core::rule::Channel;
use lookout_core::ValidConfig;
use std::sync::Arc;
use tokio::sync::watch;

/// What a delivery worker is handed (never the whole monitor): the store, the config in force,
/// the clock, where channel health is published, and this machine's name for the messages.
#[derive(Clone)]
pub struct DeliveryInputs {
    pub store: StoreHandle,
    pub config: watch::Receiver<Arc<ValidConfig>>,
    pub clock: Clock,
    pub health: Arc<Health>,
    pub host: String,
}

impl DeliveryInputs {
    /// Reads every channel's health again (after deliveries).
    pub async fn refresh_health(&self) {
        let push = push_channels(&self.config.borrow());
        self.health.refresh(&self.store, push).await;
    }
}

/// The push channels the config declares, for their health.
pub fn push_channels(config: &ValidConfig) -> Vec<Channel> {
    config
        .config
        .channels
        .iter()
        .map(|c| Channel::named(&c.name))
        .collect()
}
