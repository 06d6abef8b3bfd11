//! The SMTP password: in the OS keyring (Secret Service), or a private file on headless servers.

use crate::sys::careful_file::{self, ReadRules, MAX_SECRET_BYTES};
use keyring_core::api::CredentialStoreApi;
use lookout_core::config::{ChannelConfig, EmailConfig};
use std::fmt;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;
use zeroize::Zeroizing;

/// The keyring service name Lookout's secrets live under.
pub const KEYRING_SERVICE: &str = "lookout";
/// The keyring user of the SMTP password.
pub const KEYRING_SMTP_USER: &str = "smtp";
/// How long a keyring call may take. A locked keyring can wait forever on an unlock prompt
/// nobody sees; after this the call is abandoned (its thread is left to finish on its own).
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(10);

/// A password. Its text never shows in `Debug` output, and its memory is wiped on drop.
/// There is deliberately no `Display`: use [`Secret::expose`] where the text is needed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(text: impl Into<String>) -> Self {
        Self(Zeroizing::new(text.into()))
    }

    /// The password itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Why the SMTP password could not be read, stored or removed. No message carries the password.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("no Secret Service keyring is running; start one (GNOME Keyring, KWallet) or use email.password_file ({0})")]
    NoKeyring(String),
    #[error("the keyring did not answer within {}: it may be locked and waiting for an unlock prompt; unlock it, or use email.password_file", humantime::format_duration(*.0))]
    Timeout(Duration),
    #[error("the keyring is locked or refused access ({0}); unlock it and try again")]
    Locked(String),
    #[error("no SMTP password is stored in the keyring; store one with `lookout secret set smtp`")]
    NotStored,
    #[error("the keyring failed: {0}")]
    Keyring(String),
    /// The password file was refused or could not be read (the message says why).
    #[error("email.password_file: {0}")]
    File(#[from] careful_file::CarefulReadError),
    #[error("the password file '{0}' is empty; put the SMTP password on its first line")]
    FileEmpty(String),
    #[error("the password file '{0}' is not UTF-8 text")]
    FileNotText(String),
    #[error("an empty password cannot be stored; to remove the stored one, use `lookout secret clear smtp`")]
    EmptyPassword,
}

/// Stores the SMTP password in the keyring, replacing any earlier one.
pub fn set_smtp_password(password: &str) -> Result<(), SecretError> {
    if password.is_empty() {
        return Err(SecretError::EmptyPassword);
    }
    let password = Zeroizing::new(password.to_owned());
    with_keyring(KEYRING_SMTP_USER, move |entry| {
        entry.set_password(&password)
    })
}

/// Removes the SMTP password from the keyring. `true` if there was one.
pub fn clear_smtp_password() -> Result<bool, SecretError> {
    match with_keyring(KEYRING_SMTP_USER, |entry| entry.delete_credential()) {
        Ok(()) => Ok(true),
        Err(SecretError::NotStored) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The SMTP password for `cfg`: `None` when `cfg` has no `username` (no AUTH, nothing to
/// read) or the keyring holds none. With `password_file` set, reads only that file.
///
/// Blocks for up to [`KEYRING_TIMEOUT`]: async callers use `tokio::task::spawn_blocking`.
pub fn smtp_password(cfg: &EmailConfig) -> Result<Option<Secret>, SecretError> {
    if cfg.login().is_none() {
        return Ok(None);
    }
    if let Some(path) = cfg.password_file.as_deref() {
        return read_password_file(path).map(Some);
    }
    match with_keyring(KEYRING_SMTP_USER, |entry| entry.get_password()) {
        Ok(text) => Ok(Some(Secret::new(text))),
        Err(SecretError::NotStored) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Reads the first line of a password file: a regular file, not a symlink, owned by this user,
/// readable by nobody else and at most [`MAX_SECRET_BYTES`] long (see [`careful_file`]).
/// Stores the secret of push channel `channel` (its token or webhook URL) in the keyring, as
/// `channel:<name>`.
pub fn set_channel_secret(channel: &str, secret: &str) -> Result<(), SecretError> {
    if secret.trim().is_empty() {
        return Err(SecretError::EmptyPassword);
    }
    let secret = Zeroizing::new(secret.trim().to_owned());
    with_keyring(&format!("channel:{channel}"), move |entry| {
        entry.set_password(&secret)
    })
}

/// Removes the stored secret of push channel `channel`; `false` when none was stored.
pub fn clear_channel_secret(channel: &str) -> Result<bool, SecretError> {
    match with_keyring(&format!("channel:{channel}"), |entry| {
        entry.delete_credential()
    }) {
        Ok(()) => Ok(true),
        Err(SecretError::NotStored) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The secret of a push channel: the first line of its `secret_file`, or its keyring entry;
/// `None` when neither holds one.
pub fn channel_secret(channel: &ChannelConfig) -> Result<Option<Secret>, SecretError> {
    if let Some(path) = channel.secret_file.as_deref() {
        return read_password_file(path).map(Some);
    }
    match with_keyring(&channel.secret_entry(), |entry| entry.get_password()) {
        Ok(text) => Ok(Some(Secret::new(text))),
        Err(SecretError::NotStored) => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn read_password_file(path: &str) -> Result<Secret, SecretError> {
    let bytes = careful_file::read(Path::new(path), ReadRules::secret(MAX_SECRET_BYTES))?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| SecretError::FileNotText(path.to_owned()))?;
    let line = text.split('\n').next().unwrap_or_default();
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Err(SecretError::FileEmpty(path.to_owned()));
    }
    Ok(Secret::new(line))
}

/// Runs `op` on Lookout's SMTP keyring entry in a thread of its own, waiting at most
/// [`KEYRING_TIMEOUT`]. The store is opened per call, so a keyring that starts after
/// Lookout (or restarts) is found on the next call.
fn with_keyring<T: Send + 'static>(
    user: &str,
    op: impl FnOnce(&keyring_core::Entry) -> keyring_core::Result<T> + Send + 'static,
) -> Result<T, SecretError> {
    let (tx, rx) = mpsc::sync_channel(1);
    let user = user.to_owned();
    std::thread::Builder::new()
        .name("lookout-keyring".into())
        .spawn(move || {
            let result = open_entry(&user).and_then(|entry| op(&entry).map_err(keyring_error));
            // The receiver is gone after a timeout; nothing is left to tell.
            let _ = tx.send(result);
        })
        .map_err(|e| {
            SecretError::Keyring(format!("cannot start a thread for the keyring call: {e}"))
        })?;
    match rx.recv_timeout(KEYRING_TIMEOUT) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(SecretError::Timeout(KEYRING_TIMEOUT)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(SecretError::Keyring(
            "the keyring call stopped unexpectedly".into(),
        )),
    }
}

fn open_entry(user: &str) -> Result<keyring_core::Entry, SecretError> {
    let store = zbus_secret_service_keyring_store::Store::new()
        .map_err(|e| SecretError::NoKeyring(detail(&e)))?;
    store
        .build(KEYRING_SERVICE, user, None)
        .map_err(keyring_error)
}

fn keyring_error(e: keyring_core::Error) -> SecretError {
    match e {
        keyring_core::Error::NoEntry => SecretError::NotStored,
        keyring_core::Error::NoStorageAccess(_) => SecretError::Locked(detail(&e)),
        keyring_core::Error::PlatformFailure(_) if is_no_service(&detail(&e)) => {
            SecretError::NoKeyring(detail(&e))
        }
        other => SecretError::Keyring(detail(&other)),
    }
}

fn is_no_service(text: &str) -> bool {
    text.contains("ServiceUnknown")
        || text.contains("NameHasNoOwner")
        || text.contains("not provided by any")
}

fn detail(e: &keyring_core::Error) -> String {
    crate::delivery::format::one_line(&e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_hides_the_text() {
        let s = Secret::new("hunter2");
        let shown = format!("{s:?} {:?}", Some(s.clone()));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(
            s.expose(),
            "hunter2",
            "the text is still there for the sender"
        );
    }

    #[test]
    fn no_username_means_no_password_and_no_keyring_call() {
        let cfg = EmailConfig {
            password_file: Some("/nonexistent".into()),
            ..EmailConfig::default()
        };
        assert!(
            smtp_password(&cfg).expect("nothing to read").is_none(),
            "no AUTH, no password"
        );
    }

    #[test]
    fn empty_passwords_are_refused_before_the_keyring() {
        assert!(matches!(
            set_smtp_password(""),
            Err(SecretError::EmptyPassword)
        ));
    }
}
