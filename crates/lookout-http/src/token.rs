//! The access token: 32 random bytes as hex in `<data dir>/http-token` (mode 600), made on
//! first use, compared in constant time; and the one-time login links signed with it.

use lookout_monitor::sys::careful_file::{self, CarefulReadError, ReadRules};
use lookout_monitor::sys::private_fs::{ensure_private_dir, FILE_MODE};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The token's file in the data directory.
pub const TOKEN_FILE: &str = "http-token";
/// How long a login link works.
pub const LOGIN_LINK_SECS: u64 = 10 * 60;
const MAX_TOKEN_FILE_BYTES: u64 = 4096;
const MIN_TOKEN_CHARS: usize = 16;

/// Why the token could not be had.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(transparent)]
    Read(#[from] CarefulReadError),
    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} holds no usable token: write at least {MIN_TOKEN_CHARS} visible ASCII characters on its first line, or delete it to have one made")]
    Unusable { path: PathBuf },
    #[error("the system's random generator failed")]
    Random,
}

/// The token, and a key to compare candidates with in constant time.
pub struct AccessToken {
    text: Zeroizing<String>,
    /// A random key of this process: candidates are compared as HMAC tags under it.
    compare_key: hmac::Key,
    tag: hmac::Tag,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(…)")
    }
}

impl AccessToken {
    /// The token of `data_dir`, made (0600, never replacing one) when there is none.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, TokenError> {
        let path = data_dir.join(TOKEN_FILE);
        match careful_file::read_text(&path, ReadRules::secret(MAX_TOKEN_FILE_BYTES)) {
            Ok(text) => return Self::from_file_text(&text, &path),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
        let create = |source| TokenError::Create {
            path: path.clone(),
            source,
        };
        ensure_private_dir(data_dir).map_err(create)?;
        let mut bytes = [0u8; 32];
        SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| TokenError::Random)?;
        let text = Zeroizing::new(hex(&bytes));
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&path);
        match created {
            Ok(mut file) => {
                file.write_all(format!("{}\n", &*text).as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(create)?;
                Self::new(text)
            }
            // Another process made it first: use that one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = careful_file::read_text(&path, ReadRules::secret(MAX_TOKEN_FILE_BYTES))?;
                Self::from_file_text(&text, &path)
            }
            Err(e) => Err(create(e)),
        }
    }

    fn from_file_text(text: &str, path: &Path) -> Result<Self, TokenError> {
        let line = text.lines().next().unwrap_or("").trim();
        let usable = line.chars().count() >= MIN_TOKEN_CHARS
            && line
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b';' && b != b',');
        if !usable {
            return Err(TokenError::Unusable {
                path: path.to_owned(),
            });
        }
        Self::new(Zeroizing::new(line.to_owned()))
    }

    fn new(text: Zeroizing<String>) -> Result<Self, TokenError> {
        let compare_key = hmac::Key::generate(hmac::HMAC_SHA256, &SystemRandom::new())
            .map_err(|_| TokenError::Random)?;
        let tag = hmac::sign(&compare_key, text.as_bytes());
        Ok(Self {
            text,
            compare_key,
            tag,
        })
    }

    /// Whether `candidate` is the token, in time that does not depend on where they differ.
    pub fn matches(&self, candidate: &str) -> bool {
        hmac::verify(&self.compare_key, candidate.as_bytes(), self.tag.as_ref()).is_ok()
    }

    /// The token itself, for the cookie a login link sets and for `lookout dashboard-url`.
    pub fn expose(&self) -> &str {
        &self.text
    }

    fn link_key(&self) -> hmac::Key {
        hmac::Key::new(hmac::HMAC_SHA256, self.text.as_bytes())
    }

    /// A login code that works once until `now_secs + LOGIN_LINK_SECS`:
    /// `<expiry>.<nonce>.<signature>`.
    pub fn login_code(&self, now_secs: u64) -> Result<String, TokenError> {
        let mut nonce = [0u8; 16];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| TokenError::Random)?;
        let expiry = now_secs + LOGIN_LINK_SECS;
        let nonce = hex(&nonce);
        let signature = hmac::sign(&self.link_key(), signed_text(expiry, &nonce).as_bytes());
        Ok(format!("{expiry}.{nonce}.{}", hex(signature.as_ref())))
    }

    /// The code's expiry and nonce when this token signed it and it has not expired.
    pub fn check_login_code(&self, code: &str, now_secs: u64) -> Option<(u64, String)> {
        let mut parts = code.splitn(3, '.');
        let expiry: u64 = parts.next()?.parse().ok()?;
        let nonce = parts.next()?;
        let signature = unhex(parts.next()?)?;
        hmac::verify(
            &self.link_key(),
            signed_text(expiry, nonce).as_bytes(),
            &signature,
        )
        .ok()?;
        (now_secs < expiry).then(|| (expiry, nonce.to_owned()))
    }
}

fn signed_text(expiry: u64, nonce: &str) -> String {
    format!("lookout-login:{expiry}:{nonce}")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 128 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn made_once_private_and_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let first = AccessToken::load_or_create(dir.path()).expect("made");
        let mode = std::fs::metadata(dir.path().join(TOKEN_FILE))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(first.expose().len(), 64);
        let again = AccessToken::load_or_create(dir.path()).expect("read");
        assert_eq!(first.expose(), again.expose());
        assert!(again.matches(first.expose()));
        assert!(!again.matches(&first.expose()[..63]));
        assert!(!again.matches(""));
        let mut other = first.expose().to_owned();
        other.replace_range(0..1, if other.starts_with('0') { "1" } else { "0" });
        assert!(!again.matches(&other));
    }

    #[test]
    fn refuses_a_readable_or_short_token_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join(TOKEN_FILE);
        std::fs::write(&path, "short\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let err = AccessToken::load_or_create(dir.path()).expect_err("too short");
        assert!(matches!(err, TokenError::Unusable { .. }), "{err}");
        std::fs::write(&path, "a-long-enough-token-of-mine\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let err = AccessToken::load_or_create(dir.path()).expect_err("readable by others");
        assert!(matches!(err, TokenError::Read(_)), "{err}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let token = AccessToken::load_or_create(dir.path()).expect("own token");
        assert_eq!(token.expose(), "a-long-enough-token-of-mine");
    }

    #[test]
    fn login_codes_are_signed_and_expire() {
        let dir = tempfile::tempdir().expect("dir");
        let token = AccessToken::load_or_create(dir.path()).expect("made");
        let code = token.login_code(1000).expect("code");
        let (expiry, nonce) = token.check_login_code(&code, 1001).expect("valid");
        assert_eq!(expiry, 1000 + LOGIN_LINK_SECS);
        assert_eq!(nonce.len(), 32);
        assert!(token.check_login_code(&code, expiry).is_none(), "expired");
        let forged = code.replacen(&expiry.to_string(), &(expiry + 999).to_string(), 1);
        assert!(token.check_login_code(&forged, 1001).is_none(), "forged");
        let other_dir = tempfile::tempdir().expect("dir");
        let other = AccessToken::load_or_create(other_dir.path()).expect("made");
        assert!(other.check_login_code(&code, 1001).is_none(), "other token");
        assert!(token.check_login_code("x.y.zz", 1001).is_none());
    }
}
