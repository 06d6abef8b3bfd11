//! Each channel's health (last success, last failure, failures in a row), read again from the
//! delivery log after deliveries and published for the status and the tray icon.

use crate::store::{ChannelHealth, StoreHandle};
use lookout_core::rule::Channel;
use std::sync::{Mutex, MutexGuard, PoisonError};

#[derive(Debug, Default)]
pub struct Health {
    channels: Mutex<Vec<ChannelHealth>>,
}

impl Health {
    pub fn new(channels: Vec<ChannelHealth>) -> Self {
        Self {
            channels: Mutex::new(channels),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<ChannelHealth>> {
        self.channels.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn channels(&self) -> Vec<ChannelHealth> {
        self.lock().clone()
    }

    /// Whether `channel` is failing now (its last attempts failed).
    pub fn is_failing(&self, channel: Channel) -> bool {
        self.lock()
            .iter()
            .any(|h| h.channel == channel && h.is_failing())
    }

    /// The last error `channel` reported, if any.
    pub fn last_error(&self, channel: Channel) -> Option<String> {
        self.lock()
            .iter()
            .find(|h| h.channel == channel)
            .and_then(|h| h.last_error.clone())
    }

    /// Reads every channel's health from the delivery log again (after deliveries).
    pub async fn refresh(&self, store: &StoreHandle) {
        match store.call(|s| s.channel_health()).await {
            Ok(health) => *self.lock() = health,
            Err(e) => tracing::error!(error = %e, "cannot read channel health"),
        }
    }
}
