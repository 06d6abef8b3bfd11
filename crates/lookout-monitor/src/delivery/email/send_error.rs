//! Email send failures: permanent (stop retrying, show the user) or transient (retry later).

use lettre::transport::smtp::Error as SmtpError;
use rustls::CertificateError;
use serde::{Deserialize, Serialize};
use std::error::Error as StdError;
use std::io;
use std::time::Duration;

/// What went wrong, for status displays and tests; the message says it in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureCause {
    /// The whole send did not finish within the channel's timeout.
    Timeout,
    /// No connection: refused, unreachable, name not resolved, dropped.
    Connect,
    /// The TLS handshake or STARTTLS negotiation failed.
    Tls,
    /// The server's certificate was refused (untrusted, wrong name, expired).
    Certificate,
    /// Authentication was rejected, required, or impossible.
    Auth,
    /// The server refused or deferred the message, sender or a recipient.
    Refused,
    /// A sender or recipient address is not a valid mailbox.
    Address,
    /// The `[email]` settings cannot work (unreadable `ca_file`, missing password, ...).
    Config,
    /// The server answered something unexpected.
    Protocol,
}

/// Why a send failed, and whether trying again later can help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SendError {
    /// Retrying will not help until the settings (or the server) change.
    #[error("{message}")]
    Permanent {
        cause: FailureCause,
        message: String,
    },
    /// Retrying later may succeed.
    #[error("{message}")]
    Transient {
        cause: FailureCause,
        message: String,
    },
}

/// The longest failure message kept (a server's reply is quoted in it).
const MAX_MESSAGE_CHARS: usize = 1_000;

/// A message as stored and shown: one line (a server's reply may hold CR, LF or escapes).
fn tidy(message: String) -> String {
    crate::delivery::format::one_line(&message)
}

/// At most [`MAX_MESSAGE_CHARS`] of `line`; cut only after redaction, so that no part of a
/// password straddling the cut survives it.
fn cut(line: String) -> String {
    match line.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

impl SendError {
    pub fn permanent(cause: FailureCause, message: impl Into<String>) -> Self {
        Self::Permanent {
            cause,
            message: tidy(message.into()),
        }
    }

    pub fn transient(cause: FailureCause, message: impl Into<String>) -> Self {
        Self::Transient {
            cause,
            message: tidy(message.into()),
        }
    }

    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent { .. })
    }

    pub fn cause(&self) -> FailureCause {
        match self {
            Self::Permanent { cause, .. } | Self::Transient { cause, .. } => *cause,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Self::Permanent { message, .. } | Self::Transient { message, .. } => message,
        }
    }

    /// The whole send exceeded `limit` (a server that accepts and never answers).
    pub(crate) fn timed_out(server: &str, limit: Duration) -> Self {
        Self::transient(
            FailureCause::Timeout,
            format!(
                "the SMTP server {server} did not finish the exchange within {}; it may be overloaded or stalled",
                humantime::format_duration(limit)
            ),
        )
    }

    /// Removes `secret` from the message in every form a server could echo it (see
    /// [`super::redact`]): lettre never puts credentials in errors, but a reply could.
    /// Also cuts the message to its bounded length (after redacting, never before).
    pub(crate) fn redact(self, secret: Option<&str>) -> Self {
        let clean = |message: String| match secret.filter(|s| !s.is_empty()) {
            Some(secret) => cut(super::redact::redact(&message, secret)),
            None => cut(message),
        };
        match self {
            Self::Permanent { cause, message } => Self::Permanent {
                cause,
                message: clean(message),
            },
            Self::Transient { cause, message } => Self::Transient {
                cause,
                message: clean(message),
            },
        }
    }
}

/// Where a classified error came from, for the message.
pub(crate) struct SendContext<'a> {
    /// `host:port`.
    pub server: &'a str,
    pub host: &'a str,
    pub ca_file: Option<&'a str>,
    pub tls_mode: &'a str,
    pub authenticating: bool,
}

/// Sorts one lettre error into permanent or transient, with a message that names the cause.
pub(crate) fn classify(err: &SmtpError, ctx: &SendContext<'_>) -> SendError {
    use FailureCause as C;
    if let Some(code) = err.status() {
        let detail = err.source().map(|s| s.to_string()).unwrap_or_default();
        let reply = format!("{code} {detail}").trim().to_owned();
        return match (err.is_permanent(), reply.get(..3).unwrap_or_default()) {
            (true, "535" | "534" | "538") => SendError::permanent(
                C::Auth,
                format!("authentication rejected ({reply}); check email.username and the stored password"),
            ),
            (true, "530") if !ctx.authenticating => SendError::permanent(
                C::Auth,
                format!("the server requires authentication ({reply}); set email.username and store its password"),
            ),
            (true, "530") => SendError::permanent(C::Auth, format!("authentication required ({reply})")),
            (true, _) => SendError::permanent(C::Refused, format!("the server refused the message ({reply})")),
            (false, _) => SendError::transient(C::Refused, format!("the server deferred the message ({reply})")),
        };
    }
    if let Some(tls) = find_rustls_error(err) {
        return classify_tls(tls, ctx);
    }
    let text = chain_text(err);
    if err.is_client() {
        if text.contains("STARTTLS is not supported") {
            return SendError::permanent(
                C::Tls,
                format!(
                    "the server {} does not offer STARTTLS, which email.tls = \"starttls\" requires; \
                     use tls = \"tls\" if the port speaks TLS directly",
                    ctx.server
                ),
            );
        }
        if text.contains("authentication mechanism") {
            return SendError::permanent(
                C::Auth,
                format!(
                    "the server {} offers no authentication Lookout can use (PLAIN or LOGIN) on this \
                     connection (tls = \"{}\"); servers usually offer it only over TLS",
                    ctx.server, ctx.tls_mode
                ),
            );
        }
        return SendError::permanent(C::Protocol, format!("the message cannot be sent: {text}"));
    }
    if err.is_tls() {
        return SendError::permanent(
            C::Config,
            format!("the TLS settings cannot be used: {text}"),
        );
    }
    if let Some(io) = find_io_error(err) {
        return match io.kind() {
            io::ErrorKind::ConnectionRefused => SendError::transient(
                C::Connect,
                format!("cannot connect to {}: connection refused (is the server running on that port?)", ctx.server),
            ),
            io::ErrorKind::TimedOut => {
                SendError::transient(C::Timeout, format!("connecting to {} timed out", ctx.server))
            }
            _ => SendError::transient(C::Connect, format!("cannot talk to {}: {io}", ctx.server)),
        };
    }
    if err.is_response() {
        return SendError::transient(
            C::Protocol,
            format!("unexpected answer from {}: {text}", ctx.server),
        );
    }
    // Connection-level failures without an I/O error (no address resolved, ...).
    SendError::transient(C::Connect, format!("cannot talk to {}: {text}", ctx.server))
}

fn classify_tls(err: &rustls::Error, ctx: &SendContext<'_>) -> SendError {
    use FailureCause as C;
    let rustls::Error::InvalidCertificate(cert) = err else {
        return SendError::permanent(
            C::Tls,
            format!(
                "the TLS handshake with {} failed ({err}); check that email.tls = \"{}\" matches the \
                 port (\"tls\" usually on 465, \"starttls\" on 587)",
                ctx.server, ctx.tls_mode
            ),
        );
    };
    let name = variant_name(cert);
    let message = match cert {
        // BadSignature: a trusted root has the issuer's name but not its key.
        CertificateError::UnknownIssuer | CertificateError::BadSignature => match ctx.ca_file {
            Some(ca) => format!("the server's certificate is not trusted ({name}): it is not signed by the CA in email.ca_file '{ca}'"),
            None => format!("the server's certificate is not trusted ({name}); set email.ca_file to its CA"),
        },
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => format!(
            "the server's certificate is not valid for '{}' ({name}); set email.host to a name the certificate lists",
            ctx.host
        ),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            format!("the server's certificate has expired ({name})")
        }
        _ => format!("the server's certificate was refused ({name})"),
    };
    SendError::permanent(C::Certificate, message)
}

/// `UnknownIssuer` from `UnknownIssuer`, `Expired` from `ExpiredContext { .. }`-style Debug text.
fn variant_name(cert: &CertificateError) -> String {
    let debug = format!("{cert:?}");
    let end = debug.find(['(', '{', ' ']).unwrap_or(debug.len());
    debug[..end].trim_end_matches("Context").to_owned()
}

fn chain(err: &SmtpError) -> impl Iterator<Item = &(dyn StdError + 'static)> {
    let first: &(dyn StdError + 'static) = err;
    std::iter::successors(Some(first), |e: &&(dyn StdError + 'static)| (*e).source())
}

fn find_io_error(err: &SmtpError) -> Option<&io::Error> {
    chain(err).find_map(|e| e.downcast_ref::<io::Error>())
}

/// rustls reports handshake failures inside an `io::Error` (whose `source()` skips it).
fn find_rustls_error(err: &SmtpError) -> Option<&rustls::Error> {
    chain(err).find_map(|e| {
        e.downcast_ref::<rustls::Error>().or_else(|| {
            e.downcast_ref::<io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        })
    })
}

/// The innermost messages joined: lettre's own Display is terse ("Connection error").
fn chain_text(err: &SmtpError) -> String {
    err.source()
        .map_or_else(|| err.to_string(), ToString::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_variant_names_are_short() {
        assert_eq!(
            variant_name(&CertificateError::UnknownIssuer),
            "UnknownIssuer"
        );
        assert_eq!(
            variant_name(&CertificateError::NotValidForName),
            "NotValidForName"
        );
    }

    #[test]
    fn a_password_at_the_cut_is_redacted_before_the_cut() {
        let long = format!(
            "{} hunter2hunter2 rejected",
            "x".repeat(MAX_MESSAGE_CHARS - 5)
        );
        let e = SendError::permanent(FailureCause::Auth, long).redact(Some("hunter2hunter2"));
        assert!(
            !e.message().contains("hunt"),
            "no part of it is left: {}",
            e.message()
        );
        assert!(e.message().chars().count() <= MAX_MESSAGE_CHARS + 1, "cut");
    }

    #[test]
    fn redact_removes_the_secret_from_the_message() {
        let e = SendError::permanent(FailureCause::Auth, "rejected hunter2 for user")
            .redact(Some("hunter2"));
        assert_eq!(e.message(), "rejected <redacted> for user");
        assert!(e.is_permanent(), "redaction keeps the classification");
    }

    #[test]
    fn send_errors_serialise_with_kind_and_cause() {
        let e = SendError::transient(FailureCause::Timeout, "slow");
        let json = serde_json::to_value(&e).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"kind": "transient", "cause": "timeout", "message": "slow"})
        );
    }
}
