//! What front ends do with push channels: send a test and show the service's answer, store or
//! remove a channel's secret (write-only), and say which secrets are stored.

use super::handle::MonitorHandle;
use crate::api::{ApiError, ErrorCode};
use crate::delivery::push::sender::send_test;
use crate::sys::secrets::{self, SecretError};
use lookout_core::config::ChannelConfig;
use serde::Serialize;
use ts_rs::TS;

/// Whether a channel's secret is there, never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ChannelSecretState {
    pub channel: String,
    /// A secret is stored (keyring) or readable (`secret_file`).
    pub stored: bool,
    /// It comes from `secret_file`, which only the config file sets.
    pub from_file: bool,
    /// Why it could not be looked at (no keyring, locked), if so.
    pub problem: Option<String>,
}

impl MonitorHandle {
    fn channel(&self, name: &str) -> Result<ChannelConfig, ApiError> {
        self.config()
            .channels
            .into_iter()
            .find(|c| c.name == name)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::BadRequest,
                    format!("there is no channel '{name}' in the saved config; save it first"),
                )
            })
    }

    /// Sends a test message on the saved channel `name` now: the service's answer, or the
    /// exact error.
    pub async fn test_channel(&self, name: &str) -> Result<String, ApiError> {
        let channel = self.channel(name)?;
        let lang = lookout_i18n::resolve_from_env(self.language_setting());
        send_test(
            &channel,
            &crate::sys::clock::host_name(),
            lang,
            self.inner.clock.now(),
        )
        .await
        .map_err(|e| ApiError::new(ErrorCode::Channel, e.message))
    }

    /// Stores the secret of channel `name` in the keyring. Nothing reads it back to a front end.
    pub async fn set_channel_secret(&self, name: &str, secret: String) -> Result<(), ApiError> {
        let channel = self.channel(name)?;
        if let Some(path) = &channel.secret_file {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                format!("channel '{name}' reads its secret from secret_file '{path}'; change that file instead"),
            ));
        }
        let name = channel.name.clone();
        tokio::task::spawn_blocking(move || secrets::set_channel_secret(&name, &secret))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
            .map_err(|e| ApiError::new(ErrorCode::Keyring, e.to_string()))
    }

    /// Removes the stored secret of channel `name`.
    pub async fn clear_channel_secret(&self, name: &str) -> Result<(), ApiError> {
        let name = self.channel(name)?.name;
        tokio::task::spawn_blocking(move || secrets::clear_channel_secret(&name))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
            .map(|_| ())
            .map_err(|e| ApiError::new(ErrorCode::Keyring, e.to_string()))
    }

    /// Which saved channels have their secret.
    pub async fn channel_secrets(&self) -> Vec<ChannelSecretState> {
        let channels = self.config().channels;
        tokio::task::spawn_blocking(move || {
            channels
                .iter()
                .map(|c| {
                    let (stored, problem) = match secrets::channel_secret(c) {
                        Ok(found) => (found.is_some(), None),
                        Err(SecretError::NotStored) => (false, None),
                        Err(e) => (false, Some(e.to_string())),
                    };
                    ChannelSecretState {
                        channel: c.name.clone(),
                        stored,
                        from_file: c.secret_file.is_some(),
                        problem,
                    }
                })
                .collect()
        })
        .await
        .unwrap_or_default()
    }
}
