//! Which SMTP server the stored password may go to. A server named in the config file (or by
//! the CLI) is the user's choice; a server the window named is held back until the user
//! confirms it by entering the password again, so script in a compromised window cannot aim
//! the password at a server of its own.

use crate::sys::careful_file::{self, ReadRules};
use crate::sys::private_fs::write_atomic;
use lookout_core::config::{EmailConfig, TlsMode};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The record's file name in the data directory.
pub const TRUST_FILE: &str = "smtp-server-trust.json";

/// Where the password would go: the host, the port and how the connection is secured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
}

impl SmtpServer {
    pub fn of(cfg: &EmailConfig) -> Self {
        Self {
            host: cfg.host.trim().to_ascii_lowercase(),
            port: cfg.port_or_default(),
            tls: cfg.tls,
        }
    }
}

impl fmt::Display for SmtpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    /// The last server the user named in the file or confirmed.
    confirmed: Option<SmtpServer>,
    /// A server the window named that the user has not confirmed yet.
    unconfirmed: Option<SmtpServer>,
}

/// The password was held back: the window changed the server and nobody confirmed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the SMTP server was changed in the window to {server}; the password is not sent there until you confirm it: enter the SMTP password again in the window's email settings")]
pub struct Unconfirmed {
    pub server: SmtpServer,
}

/// The trust record, kept in the data directory (mode 600) so a restart does not forget a
/// pending confirmation.
#[derive(Debug)]
pub struct ServerTrust {
    path: Option<PathBuf>,
    record: Mutex<Record>,
}

impl ServerTrust {
    /// Loads the record in `data_dir`; the server in `current` (the config file just loaded)
    /// is the user's choice unless it is the one waiting for confirmation.
    pub fn load(data_dir: &Path, current: &EmailConfig) -> Self {
        let path = data_dir.join(TRUST_FILE);
        let mut record: Record = careful_file::read(&path, ReadRules::plain(64 * 1024))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let server = SmtpServer::of(current);
        if record.unconfirmed.as_ref() != Some(&server) {
            record = Record {
                confirmed: Some(server),
                unconfirmed: None,
            };
        }
        let trust = Self {
            path: Some(path),
            record: Mutex::new(record),
        };
        trust.save(&trust.lock());
        trust
    }

    /// A record that is not kept on disk (tests, one-off commands), trusting `current`.
    pub fn in_memory(current: &EmailConfig) -> Self {
        Self {
            path: None,
            record: Mutex::new(Record {
                confirmed: Some(SmtpServer::of(current)),
                unconfirmed: None,
            }),
        }
    }

    /// The window saved `after`: a server other than the confirmed one waits for confirmation.
    pub fn window_saved(&self, after: &EmailConfig) {
        let server = SmtpServer::of(after);
        let mut record = self.lock();
        record.unconfirmed = (record.confirmed.as_ref() != Some(&server)).then_some(server);
        self.save(&record);
    }

    /// The user edited the config file to `after`: its server is theirs, unless it is still
    /// the one the window named.
    pub fn file_edited(&self, after: &EmailConfig) {
        let server = SmtpServer::of(after);
        let mut record = self.lock();
        if record.unconfirmed.as_ref() != Some(&server) {
            *record = Record {
                confirmed: Some(server),
                unconfirmed: None,
            };
            self.save(&record);
        }
    }

    /// The user confirmed the server in `current` (by entering the password again).
    pub fn confirm(&self, current: &EmailConfig) {
        let mut record = self.lock();
        *record = Record {
            confirmed: Some(SmtpServer::of(current)),
            unconfirmed: None,
        };
        self.save(&record);
    }

    /// Whether the password may be sent to the server in `cfg`.
    pub fn check(&self, cfg: &EmailConfig) -> Result<(), Unconfirmed> {
        let server = SmtpServer::of(cfg);
        match &self.lock().unconfirmed {
            Some(waiting) if *waiting == server => Err(Unconfirmed { server }),
            _ => Ok(()),
        }
    }

    /// The server waiting for confirmation, if any.
    pub fn unconfirmed(&self) -> Option<SmtpServer> {
        self.lock().unconfirmed.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn save(&self, record: &Record) {
        let Some(path) = &self.path else { return };
        let written = serde_json::to_vec(record)
            .map_err(std::io::Error::other)
            .and_then(|bytes| write_atomic(path, &bytes));
        if let Err(e) = written {
            // The record in memory still holds the password back until a restart.
            tracing::warn!(error = %e, path = %path.display(), "cannot keep the SMTP server trust record");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(host: &str) -> EmailConfig {
        EmailConfig {
            host: host.into(),
            username: Some("me".into()),
            ..EmailConfig::default()
        }
    }

    #[test]
    fn a_server_the_window_names_waits_until_confirmed() {
        let trust = ServerTrust::in_memory(&email("mail.example.com"));
        assert!(
            trust.check(&email("mail.example.com")).is_ok(),
            "the file's server"
        );
        trust.window_saved(&email("evil.example.net"));
        let err = trust
            .check(&email("evil.example.net"))
            .expect_err("held back");
        assert_eq!(err.server.host, "evil.example.net");
        trust.confirm(&email("evil.example.net"));
        assert!(trust.check(&email("evil.example.net")).is_ok(), "confirmed");
    }

    #[test]
    fn the_window_going_back_to_the_confirmed_server_needs_nothing() {
        let trust = ServerTrust::in_memory(&email("mail.example.com"));
        trust.window_saved(&email("other.example.com"));
        trust.window_saved(&email("mail.example.com"));
        assert_eq!(trust.unconfirmed(), None, "back to the user's own server");
    }

    #[test]
    fn a_port_or_tls_change_also_needs_confirming() {
        let trust = ServerTrust::in_memory(&email("mail.example.com"));
        let mut other_port = email("mail.example.com");
        other_port.port = Some(2525);
        trust.window_saved(&other_port);
        assert!(trust.check(&other_port).is_err(), "another port");
        let mut plain = email("mail.example.com");
        plain.tls = TlsMode::Tls;
        trust.window_saved(&plain);
        assert!(trust.check(&plain).is_err(), "another TLS mode");
    }

    #[test]
    fn a_hand_edit_naming_another_server_is_the_users_choice() {
        let trust = ServerTrust::in_memory(&email("mail.example.com"));
        trust.window_saved(&email("evil.example.net"));
        trust.file_edited(&email("evil.example.net"));
        assert!(
            trust.check(&email("evil.example.net")).is_err(),
            "the window's own save echoing back is no confirmation"
        );
        trust.file_edited(&email("relay.example.org"));
        assert!(
            trust.check(&email("relay.example.org")).is_ok(),
            "the user's edit"
        );
    }

    #[test]
    fn a_pending_confirmation_survives_a_restart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let trust = ServerTrust::load(dir.path(), &email("mail.example.com"));
        trust.window_saved(&email("evil.example.net"));
        drop(trust);
        let again = ServerTrust::load(dir.path(), &email("evil.example.net"));
        assert!(
            again.check(&email("evil.example.net")).is_err(),
            "still waiting after a restart"
        );
        let other = ServerTrust::load(dir.path(), &email("relay.example.org"));
        assert!(
            other.check(&email("relay.example.org")).is_ok(),
            "a file naming another server is the user's"
        );
    }
}
