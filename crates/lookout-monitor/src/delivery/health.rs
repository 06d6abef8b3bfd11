//! Each channel's health (last success, last failure, failures in a row), read again from the
//! delivery log after deliveries and published for the status and the tray icon.

use crate::store::{ChannelHealth, StoreHandle};
use lookout_core::rule::Channel;
use lookout_core::Timestamp;
use std::sync::{Mutex, MutexGuard, PoisonError};

#[derive(Debug, Default)]
pub struct Health {
    channels: Mutex<Vec<ChannelHealth>>,
    /// Alert events that could not be written (a full disk, a locked database): their emails
    /// wait in memory, so every channel shows this until they are written.
    unrecorded: Mutex<Option<Unrecorded>>,
}

#[derive(Debug, Clone)]
struct Unrecorded {
    since: Timestamp,
    last_at: Timestamp,
    error: String,
    attempts: u32,
    waiting: usize,
}

impl Health {
    pub fn new(channels: Vec<ChannelHealth>) -> Self {
        Self {
            channels: Mutex::new(channels),
            unrecorded: Mutex::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<ChannelHealth>> {
        self.channels.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn unrecorded(&self) -> MutexGuard<'_, Option<Unrecorded>> {
        self.unrecorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Writing alert events failed at `at`; `waiting` events are held in memory.
    pub fn recording_failed(&self, at: Timestamp, error: &str, waiting: usize) {
        let mut slot = self.unrecorded();
        let (since, attempts) = slot.as_ref().map_or((at, 0), |u| (u.since, u.attempts));
        *slot = Some(Unrecorded {
            since,
            last_at: at,
            error: error.to_owned(),
            attempts: attempts.saturating_add(1),
            waiting,
        });
    }

    /// Every held event was written.
    pub fn recording_recovered(&self) {
        *self.unrecorded() = None;
    }

    /// Each channel's health from the delivery log; while alert events cannot be written, every
    /// channel shows why (their messages wait for the disk).
    pub fn channels(&self) -> Vec<ChannelHealth> {
        let mut channels = self.lock().clone();
        if let Some(u) = self.unrecorded().clone() {
            let message = format!(
                "{} alert events since {} could not be written to the alert log ({}); they are kept in memory and retried, and their emails follow once they are written",
                u.waiting,
                super::format::rfc3339(u.since, &jiff::tz::TimeZone::system()),
                u.error
            );
            // Every channel shows it: with email off, the desktop must still turn red.
            for channel in Channel::BUILT_IN {
                let health = match channels.iter().position(|h| h.channel == channel) {
                    Some(i) => &mut channels[i],
                    None => {
                        channels.push(ChannelHealth {
                            channel,
                            last_ok_at: None,
                            last_error_at: None,
                            last_error: None,
                            consecutive_failures: 0,
                        });
                        let last = channels.len() - 1;
                        &mut channels[last]
                    }
                };
                health.last_error_at = Some(u.last_at);
                health.last_error = Some(message.clone());
                health.consecutive_failures =
                    health.consecutive_failures.saturating_add(u.attempts);
            }
        }
        channels
    }

    /// Whether `channel` is failing now (its last attempts failed).
    pub fn is_failing(&self, channel: &Channel) -> bool {
        self.channels()
            .iter()
            .any(|h| &h.channel == channel && h.is_failing())
    }

    /// The last error `channel` reported, if any.
    pub fn last_error(&self, channel: &Channel) -> Option<String> {
        self.channels()
            .iter()
            .find(|h| &h.channel == channel)
            .and_then(|h| h.last_error.clone())
    }

    /// Reads the health of every channel (the built-in ones and `push`) from the delivery log
    /// again (after deliveries).
    pub async fn refresh(&self, store: &StoreHandle, push: Vec<Channel>) {
        match store.call(move |s| s.channel_health(&push)).await {
            Ok(health) => *self.lock() = health,
            Err(e) => tracing::error!(error = %e, "cannot read channel health"),
        }
    }
}
