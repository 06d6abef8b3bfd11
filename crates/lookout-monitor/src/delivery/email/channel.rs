//! The SMTP email channel (lettre on tokio, rustls): one bounded attempt per call.

use crate::delivery::email::message::RenderedEmail;
use crate::delivery::email::send_error::{classify, FailureCause, SendContext, SendError};
use crate::sys::careful_file::{self, ReadRules, MAX_CA_BYTES};
use crate::sys::secrets::Secret;
use lettre::message::{header::ContentType, Mailbox, Mailboxes, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use lookout_core::config::{EmailConfig, TlsMode};
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};
use zeroize::Zeroizing;

/// How long one whole send (connect, TLS, AUTH, every command, the data) may take.
pub const DEFAULT_SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// What the server said when it accepted a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The SMTP reply code, normally 250.
    pub code: u16,
    /// The server's reply text, often naming its queue id.
    pub reply: String,
}

/// Sends rendered emails through the configured SMTP server.
///
/// Built once from `[email]` (and the password from [`crate::sys::secrets`]); cheap to keep.
/// Each [`send`](Self::send) opens a fresh connection and is one attempt: the caller (the
/// outbox sender) decides from the [`SendError`] whether to retry.
pub struct EmailChannel {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    timeout: Duration,
    server: String,
    host: String,
    ca_file: Option<String>,
    tls_mode: &'static str,
    authenticating: bool,
    /// Kept only to scrub it from error messages.
    password: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for EmailChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailChannel")
            .field("server", &self.server)
            .field("tls", &self.tls_mode)
            .field("authenticating", &self.authenticating)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl EmailChannel {
    /// A channel for `cfg`, with `password` for AUTH when `cfg.username` is set.
    ///
    /// Fails (permanently) when the settings cannot work: an unreadable or invalid `ca_file`,
    /// a username without a password, a host name TLS cannot use.
    pub fn new(cfg: &EmailConfig, password: Option<Secret>) -> Result<Self, SendError> {
        let host = cfg.host.trim().to_owned();
        let port = cfg.port_or_default();
        let server = format!("{host}:{port}");
        let tls_mode = match cfg.tls {
            TlsMode::None => "none",
            TlsMode::Starttls => "starttls",
            TlsMode::Tls => "tls",
        };
        let tls = match cfg.tls {
            TlsMode::None => Tls::None,
            TlsMode::Starttls => Tls::Required(tls_parameters(&host, cfg.ca_file.as_deref())?),
            TlsMode::Tls => Tls::Wrapper(tls_parameters(&host, cfg.ca_file.as_deref())?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
            .port(port)
            .tls(tls)
            .timeout(Some(DEFAULT_SEND_TIMEOUT));
        let mut kept_password = None;
        if let Some(user) = cfg.login() {
            // Validation refuses this too; the channel is the last place to stop it.
            let local_relay =
                cfg.allow_plaintext_auth && lookout_core::config::is_loopback_host(&cfg.host);
            if cfg.tls == TlsMode::None && !local_relay {
                return Err(SendError::permanent(
                    FailureCause::Config,
                    "email.username with tls = \"none\" would send the password in clear text; use \"starttls\" or \"tls\" (allow_plaintext_auth = true is only for a relay on this machine)",
                ));
            }
            let Some(password) = password else {
                return Err(SendError::permanent(
                    FailureCause::Config,
                    format!(
                        "email.username '{user}' is set but no SMTP password was found; store it with \
                         `lookout secret set smtp` or set email.password_file"
                    ),
                ));
            };
            builder = builder.credentials(Credentials::new(
                user.to_owned(),
                password.expose().to_owned(),
            ));
            kept_password = Some(Zeroizing::new(password.expose().to_owned()));
        }
        Ok(Self {
            transport: builder.build(),
            timeout: DEFAULT_SEND_TIMEOUT,
            server,
            host,
            ca_file: cfg.ca_file.clone(),
            tls_mode,
            authenticating: cfg.login().is_some(),
            password: kept_password,
        })
    }

    /// Bounds every send to `timeout` in total (default [`DEFAULT_SEND_TIMEOUT`]).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `host:port` of the server, for status lines.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// One attempt to deliver `email`, bounded by the channel's timeout.
    ///
    /// lettre's own timeout bounds only the TCP connect; a server that accepts and never
    /// greets would hang here for minutes, so the whole exchange runs under
    /// `tokio::time::timeout`. A timeout after the message data was sent cannot tell whether
    /// the server kept it: the outbox should treat it like any transient failure.
    pub async fn send(&self, email: &RenderedEmail) -> Result<Accepted, SendError> {
        let message = build_message(email)?;
        let ctx = SendContext {
            server: &self.server,
            host: &self.host,
            ca_file: self.ca_file.as_deref(),
            tls_mode: self.tls_mode,
            authenticating: self.authenticating,
        };
        let password = self.password.as_deref().map(String::as_str);
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Err(_) => Err(SendError::timed_out(&self.server, self.timeout)),
            Ok(Err(e)) => Err(classify(&e, &ctx).redact(password)),
            Ok(Ok(response)) => {
                // The server's text reaches the delivery log, the window and a terminal: one
                // line, without the password, cut short, like an error's.
                let reply = response.message().collect::<Vec<_>>().join(" ");
                let reply = SendError::transient(FailureCause::Protocol, reply).redact(password);
                Ok(Accepted {
                    code: u16::from(response.code()),
                    reply: reply.message().to_owned(),
                })
            }
        }
    }
}

fn tls_parameters(host: &str, ca_file: Option<&str>) -> Result<TlsParameters, SendError> {
    let mut builder = TlsParameters::builder(host.to_owned());
    if let Some(path) = ca_file {
        let rules = ReadRules::plain(MAX_CA_BYTES);
        let pem = careful_file::read(Path::new(path), rules).map_err(|e| {
            SendError::permanent(FailureCause::Config, format!("email.ca_file: {e}"))
        })?;
        let cert = Certificate::from_pem(&pem).map_err(|e| {
            SendError::permanent(
                FailureCause::Config,
                format!("email.ca_file '{path}' holds no usable PEM certificate ({e}); give the CA certificate in PEM form"),
            )
        })?;
        // Only the given CA: a private server's certificate must chain to it, nothing else.
        builder = builder
            .certificate_store(CertificateStore::None)
            .add_root_certificate(cert);
    }
    builder.build_rustls().map_err(|e| {
        SendError::permanent(
            FailureCause::Config,
            format!("the TLS settings for '{host}' cannot be used: {e}"),
        )
    })
}

fn mailbox(field: &str, text: &str) -> Result<Mailbox, SendError> {
    text.parse::<Mailbox>().map_err(|e| {
        SendError::permanent(
            FailureCause::Address,
            format!("{field} '{text}' is not an email address ({e}); write 'me@example.com' or 'Me <me@example.com>'"),
        )
    })
}

/// The MIME message: multipart/alternative with the text part first, the HTML part last.
fn build_message(email: &RenderedEmail) -> Result<Message, SendError> {
    if email.to.is_empty() {
        return Err(SendError::permanent(
            FailureCause::Address,
            "the message has no recipients; set email.to",
        ));
    }
    let mut to = Mailboxes::new();
    for rcpt in &email.to {
        to.push(mailbox("email.to", rcpt)?);
    }
    let date =
        UNIX_EPOCH + Duration::from_millis(u64::try_from(email.date.as_millis()).unwrap_or(0));
    let mut builder = Message::builder()
        .from(mailbox("email.from", &email.from)?)
        .subject(crate::delivery::format::one_line(&email.subject))
        .message_id(Some(email.message_id.clone()))
        .date(date)
        .user_agent("Lookout".to_owned());
    for rcpt in to {
        builder = builder.to(rcpt);
    }
    builder
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(email.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(email.html.clone()),
                ),
        )
        .map_err(|e| {
            SendError::permanent(
                FailureCause::Address,
                format!("the message cannot be built: {e}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lookout_core::Timestamp;

    fn email(to: Vec<&str>, subject: &str) -> RenderedEmail {
        RenderedEmail {
            from: "Lookout <alerts@example.com>".into(),
            to: to.into_iter().map(String::from).collect(),
            subject: subject.into(),
            text: "text part".into(),
            html: "<p>html part</p>".into(),
            message_id: "<lookout.1@box>".into(),
            date: Timestamp::from_millis(1_717_250_585_000),
        }
    }

    #[test]
    fn a_bad_recipient_is_a_permanent_address_error() {
        let err = build_message(&email(vec!["me@example.com", "not an address"], "s"))
            .expect_err("refused");
        assert!(err.is_permanent(), "{err:?}");
        assert_eq!(err.cause(), FailureCause::Address);
        assert!(err.message().contains("'not an address'"), "{err}");
    }

    #[test]
    fn a_subject_with_line_breaks_stays_one_header() {
        let msg = build_message(&email(
            vec!["me@example.com"],
            "CPU\r\nBcc: evil@example.com",
        ))
        .expect("builds");
        let raw = String::from_utf8(msg.formatted()).expect("ascii");
        let headers = raw.split("\r\n\r\n").next().unwrap_or_default();
        assert!(
            !headers.lines().any(|l| l.starts_with("Bcc:")),
            "no injected header:\n{headers}"
        );
        assert_eq!(msg.envelope().to().len(), 1, "no injected recipient");
    }

    #[test]
    fn username_without_password_is_a_config_error() {
        let cfg = EmailConfig {
            host: "localhost".into(),
            tls: TlsMode::None,
            username: Some("u".into()),
            allow_plaintext_auth: true,
            ..EmailConfig::default()
        };
        let err = EmailChannel::new(&cfg, None).expect_err("needs a password");
        assert_eq!(err.cause(), FailureCause::Config);
        assert!(err.message().contains("lookout secret set smtp"), "{err}");
    }

    #[test]
    fn no_login_in_clear_text_to_another_machine_even_past_validation() {
        let cfg = EmailConfig {
            host: "mail.example.com".into(),
            tls: TlsMode::None,
            username: Some("u".into()),
            allow_plaintext_auth: true,
            ..EmailConfig::default()
        };
        let err = EmailChannel::new(&cfg, Some(crate::sys::secrets::Secret::new("pw")))
            .expect_err("clear text AUTH off this machine");
        assert!(
            err.is_permanent() && err.message().contains("clear text"),
            "{err}"
        );
        let blank = EmailConfig {
            username: Some("  ".into()),
            tls: TlsMode::None,
            host: "mail.example.com".into(),
            ..EmailConfig::default()
        };
        assert!(
            EmailChannel::new(&blank, None).is_ok(),
            "a blank username means no login, so no password is needed or sent"
        );
    }

    #[test]
    fn a_missing_ca_file_is_named() {
        let cfg = EmailConfig {
            host: "localhost".into(),
            tls: TlsMode::Tls,
            ca_file: Some("/nonexistent/ca.pem".into()),
            ..EmailConfig::default()
        };
        let err = EmailChannel::new(&cfg, None).expect_err("unreadable CA");
        assert!(
            err.is_permanent() && err.message().contains("'/nonexistent/ca.pem'"),
            "{err}"
        );
    }

    #[test]
    fn a_ca_file_that_is_a_device_is_refused_not_read() {
        let cfg = EmailConfig {
            host: "localhost".into(),
            tls: TlsMode::Tls,
            ca_file: Some("/dev/zero".into()),
            ..EmailConfig::default()
        };
        let err = EmailChannel::new(&cfg, None).expect_err("a device is no CA file");
        assert!(
            err.is_permanent() && err.message().contains("not a regular file"),
            "{err}"
        );
    }
}
