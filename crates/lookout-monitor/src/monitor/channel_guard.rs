//! What the window may not do with push channels: set where a secret or a CA is read from, or
//! aim a stored secret at a new server (a channel it points elsewhere loses its secret); and
//! a channel it removes or renames takes its secret with it.

use crate::api::{ApiError, ErrorCode};
use crate::sys::secrets;
use lookout_core::config::Config;

/// The window's channels against the saved ones: it may not set or change a channel's
/// `secret_file` or `ca_file` (the file or the CLI do). Returns the channels whose stored
/// secret must be forgotten because the window sent them somewhere else (another kind, URL or
/// chat): a compromised window cannot aim a stored token at a server of its own.
pub(super) fn window_channels(current: &Config, wanted: &Config) -> Result<Vec<String>, ApiError> {
    let mut forget = Vec::new();
    for channel in &wanted.channels {
        let saved = current.channels.iter().find(|c| c.name == channel.name);
        for (field, now, asked) in [
            (
                "secret_file",
                saved.and_then(|c| c.secret_file.as_ref()),
                channel.secret_file.as_ref(),
            ),
            (
                "ca_file",
                saved.and_then(|c| c.ca_file.as_ref()),
                channel.ca_file.as_ref(),
            ),
        ] {
            if now != asked {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    format!("channels '{}' {field} can only be changed in the config file or with the command line, not from the window; the config was not saved", channel.name),
                ));
            }
        }
        let moved = saved.is_some_and(|s| {
            s.kind != channel.kind || s.url != channel.url || s.chat_id != channel.chat_id
        });
        if moved && channel.secret_file.is_none() {
            forget.push(channel.name.clone());
        }
    }
    // A channel the window removed (or renamed) leaves no secret behind under its old name.
    forget.extend(
        current
            .channels
            .iter()
            .filter(|c| c.secret_file.is_none())
            .filter(|c| !wanted.channels.iter().any(|w| w.name == c.name))
            .map(|c| c.name.clone()),
    );
    Ok(forget)
}

/// Forgets the keyring secrets of `channels` (after the window moved them); a channel with
/// none stored is fine.
pub(super) async fn forget_secrets(channels: Vec<String>) {
    if channels.is_empty() {
        return;
    }
    let _ = tokio::task::spawn_blocking(move || {
        for name in channels {
            match secrets::clear_channel_secret(&name) {
                Ok(true) => tracing::warn!(channel = %name, "the window changed where this channel sends: its stored secret was removed; enter it again"),
                Ok(false) => {}
                Err(e) => tracing::error!(channel = %name, error = %e, "cannot remove the secret of a channel the window changed"),
            }
        }
    })
    .await;
}
