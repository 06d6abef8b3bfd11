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
    /// The server the password may go to: the last one the user named in the file or
    /// confirmed. Nothing else gets it (an allowlist of one).
    confirmed: Option<SmtpServer>,
    /// The server the window last saved while it differed from `confirmed`: a file naming it
    /// is the window's doing, not the user's.
    #[serde(alias = "unconfirmed")]
    window: Option<SmtpServer>,
}

/// The password was held back: the window changed the server and nobody confirmed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the SMTP server was changed in the window to {server}; the password is not sent there until you confirm it: enter the SMTP password again in the window's email settings")]
pub struct Unconfirmed {
    pub server: SmtpServer,
}

/// The trust record, kept in the data directory (mode 600) so a restart does not forget a
/// pending confirmation. It is written before the config file it vouches for.
#[derive(Debug)]
pub struct ServerTrust {
    path: Option<PathBuf>,
    record: Mutex<Record>,
    /// One write of the record at a time (outside `record`'s lock: a write fsyncs).
    saving: Mutex<()>,
}

impl ServerTrust {
    /// Loads the record in `data_dir`. The server in `current` (the config file just loaded)
    /// is the user's choice unless the window named it.
    pub fn load(data_dir: &Path, current: &EmailConfig) -> Self {
        let path = data_dir.join(TRUST_FILE);
        let record = Self::read(&path);
        let trust = Self {
            path: Some(path),
            record: Mutex::new(record),
            saving: Mutex::new(()),
        };
        trust.file_edited(current);
        trust
    }

    /// The record in `data_dir` as it is, for a one-off check (`lookout test-email`).
    pub fn peek(data_dir: &Path, current: &EmailConfig) -> Self {
        let mut record = Self::read(&data_dir.join(TRUST_FILE));
        Self::follow_file(&mut record, current);
        Self {
            path: None,
            record: Mutex::new(record),
            saving: Mutex::new(()),
        }
    }

    fn read(path: &Path) -> Record {
        match careful_file::read(path, ReadRules::plain(64 * 1024)) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                // Only a hand (or a local attacker, who has lost us anyway) can damage it.
                tracing::warn!(error = %e, path = %path.display(), "the SMTP server trust record is damaged; starting a new one");
                Record::default()
            }),
            Err(_) => Record::default(),
        }
    }

    /// A record that is not kept on disk (tests, one-off commands), trusting `current`.
    pub fn in_memory(current: &EmailConfig) -> Self {
        Self {
            path: None,
            record: Mutex::new(Record {
                confirmed: Some(SmtpServer::of(current)),
                window: None,
            }),
            saving: Mutex::new(()),
        }
    }

    fn follow_file(record: &mut Record, after: &EmailConfig) -> bool {
        let server = SmtpServer::of(after);
        if record.window.as_ref() == Some(&server) || record.confirmed.as_ref() == Some(&server) {
            return false;
        }
        *record = Record {
            confirmed: Some(server),
            window: None,
        };
        true
    }

    /// The window is about to save `after`: a server other than the confirmed one is noted as
    /// the window's, before the file names it. Fails (and the save must not happen) when the
    /// note cannot be kept.
    pub fn window_saving(&self, after: &EmailConfig) -> std::io::Result<()> {
        let server = SmtpServer::of(after);
        let snapshot = {
            let mut record = self.lock();
            let window = (record.confirmed.as_ref() != Some(&server)).then_some(server);
            if record.window == window {
                // Already noted (most saves do not touch the server): nothing to write.
                return Ok(());
            }
            record.window = window;
            record.clone()
        };
        self.save(&snapshot)
    }

    /// The user edited the config file to `after` (not Lookout's own save): its server is
    /// theirs, unless it is the one the window named.
    pub fn file_edited(&self, after: &EmailConfig) {
        let snapshot = {
            let mut record = self.lock();
            if !Self::follow_file(&mut record, after) {
                return;
            }
            record.clone()
        };
        if let Err(e) = self.save(&snapshot) {
            tracing::warn!(error = %e, "cannot keep the SMTP server trust record");
        }
    }

    /// The user confirmed the server in `current` (by entering the password again).
    pub fn confirm(&self, current: &EmailConfig) {
        let snapshot = {
            let mut record = self.lock();
            *record = Record {
                confirmed: Some(SmtpServer::of(current)),
                window: None,
            };
            record.clone()
        };
        if let Err(e) = self.save(&snapshot) {
            tracing::warn!(error = %e, "cannot keep the SMTP server trust record");
        }
    }

    /// Whether the password may be sent to the server in `cfg`: only to the confirmed one.
    pub fn check(&self, cfg: &EmailConfig) -> Result<(), Unconfirmed> {
        let server = SmtpServer::of(cfg);
        if self.lock().confirmed.as_ref() == Some(&server) {
            Ok(())
        } else {
            Err(Unconfirmed { server })
        }
    }

    /// The server in `cfg` when it waits for confirmation.
    pub fn unconfirmed(&self, cfg: &EmailConfig) -> Option<SmtpServer> {
        self.check(cfg).err().map(|e| e.server)
    }

    fn lock(&self) -> MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn save(&self, record: &Record) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let _one_at_a_time = self.saving.lock().unwrap_or_else(PoisonError::into_inner);
        let bytes = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        write_atomic(path, &bytes)
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
        trust
            .window_saving(&email("evil.example.net"))
            .expect("noted");
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
        trust
            .window_saving(&email("other.example.com"))
            .expect("noted");
        trust
            .window_saving(&email("mail.example.com"))
            .expect("noted");
        assert_eq!(
            trust.unconfirmed(&email("mail.example.com")),
            None,
            "back to the user's own server"
        );
    }

    #[test]
    fn a_port_or_tls_change_also_needs_confirming() {
        let trust = ServerTrust::in_memory(&email("mail.example.com"));
        let mut other_port = email("mail.example.com");
        other_port.port = Some(2525);
        trust.window_saving(&other_port).expect("noted");
        assert!(trust.check(&other_port).is_err(), "another port");
        let mut plain = email("mail.example.com");
        plain.tls = TlsMode::Tls;
        trust.window_saving(&plain).expect("noted");
        assert!(trust.check(&plain).is_err(), "another TLS mode");
    }

    #[test]
    fn a_hand_edit_naming_another_server_is_the_users_choice() {
        let trust = ServerTrust::in_memory(&email("mail.example.com"));
        trust
            .window_saving(&email("evil.example.net"))
            .expect("noted");
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
    fn only_the_confirmed_server_gets_the_password_whatever_the_order_of_saves() {
        let trust = ServerTrust::in_memory(&email("mail.example.com"));
        // Two window saves racing: the second's note replaces the first's, and the first's
        // server may end up in force. It still gets nothing: only the confirmed one does.
        trust
            .window_saving(&email("evil.example.net"))
            .expect("noted");
        trust
            .window_saving(&email("mail.example.com"))
            .expect("noted");
        assert!(
            trust.check(&email("evil.example.net")).is_err(),
            "not confirmed"
        );
        assert!(
            trust.check(&email("mail.example.com")).is_ok(),
            "the user's own"
        );
    }

    #[test]
    fn a_pending_confirmation_survives_a_restart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let trust = ServerTrust::load(dir.path(), &email("mail.example.com"));
        trust
            .window_saving(&email("evil.example.net"))
            .expect("noted");
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
