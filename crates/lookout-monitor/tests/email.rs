//! The email channel against a real SMTP server (aiosmtpd): TLS modes, AUTH, faults, headers.

// Test code throughout: helpers panic on a broken rig just as the tests do.
#![allow(clippy::expect_used)]

use lookout_core::alert::EventKind;
use lookout_core::config::{EmailConfig, TlsMode};
use lookout_core::rule::Severity;
use lookout_i18n::Language;
use lookout_monitor::delivery::{
    render_alert_email, EmailChannel, FailureCause, RenderedEmail, SendError,
};
use lookout_monitor::sys::secrets::Secret;
use lookout_testkit::{closed_port, cpu_event, test_cert, Received, SmtpMode, SmtpServer};
use mail_parser::{MessageParser, MimeHeaders};
use std::time::Duration;

const USER: &str = "alerts@example.com";
const PASSWORD: &str = "correct horse battery staple";

fn config(port: u16, tls: TlsMode) -> EmailConfig {
    EmailConfig {
        enabled: true,
        host: "localhost".into(),
        port: Some(port),
        tls,
        from: "Lookout <alerts@example.com>".into(),
        to: vec![
            "me@example.com".into(),
            "On Call <oncall@example.com>".into(),
        ],
        ..EmailConfig::default()
    }
}

fn with_ca(cfg: EmailConfig) -> EmailConfig {
    EmailConfig {
        ca_file: Some(test_cert().cert.display().to_string()),
        ..cfg
    }
}

fn with_auth(cfg: EmailConfig) -> EmailConfig {
    EmailConfig {
        username: Some(USER.into()),
        ..cfg
    }
}

fn alert(cfg: &EmailConfig) -> RenderedEmail {
    render_alert_email(
        cfg,
        &cpu_event("CPU saturated", EventKind::Firing, Severity::Critical),
        "testhost",
        Language::En,
    )
}

async fn send(
    cfg: &EmailConfig,
    password: Option<&str>,
    email: &RenderedEmail,
) -> Result<(), SendError> {
    let channel =
        EmailChannel::new(cfg, password.map(Secret::new))?.with_timeout(Duration::from_secs(10));
    channel
        .send(email)
        .await
        .map(|accepted| assert_eq!(accepted.code, 250, "accepted with 250"))
}

fn only_message(server: &SmtpServer) -> Received {
    let mut got = server.received();
    assert_eq!(got.len(), 1, "exactly one message stored");
    got.remove(0)
}

/// Checks recipients, subject and both MIME parts of a stored alert email.
fn assert_alert_message(msg: &Received) {
    assert_eq!(msg.mail_from, "alerts@example.com", "envelope sender");
    assert_eq!(
        msg.rcpt_tos,
        vec!["me@example.com", "oncall@example.com"],
        "envelope recipients"
    );
    let parsed = MessageParser::default()
        .parse(&msg.raw)
        .expect("a parsable message");
    assert_eq!(
        parsed.subject(),
        Some("[Lookout] CRITICAL: CPU saturated is firing on testhost"),
        "subject"
    );
    assert!(
        parsed
            .content_type()
            .is_some_and(|ct| ct.ctype() == "multipart" && ct.subtype() == Some("alternative")),
        "multipart/alternative"
    );
    let part = |subtype: &str| {
        parsed
            .parts
            .iter()
            .find(|p| {
                p.content_type()
                    .is_some_and(|ct| ct.ctype() == "text" && ct.subtype() == Some(subtype))
            })
            .and_then(|p| p.text_contents())
            .unwrap_or_else(|| panic!("no text/{subtype} part"))
            .to_owned()
    };
    let text = part("plain");
    assert!(
        text.contains("average over 1h: 93.4 %") && text.contains("above 80.0 %"),
        "text part:\n{text}"
    );
    let html = part("html");
    assert!(
        html.contains("<table>") && html.contains("93.4 %"),
        "html part:\n{html}"
    );
}

#[tokio::test]
async fn plain_smtp_delivers_to_every_recipient_with_text_and_html() {
    let server = SmtpServer::start(SmtpMode::Plain);
    let cfg = config(server.port, TlsMode::None);
    send(&cfg, None, &alert(&cfg)).await.expect("delivered");
    assert_alert_message(&only_message(&server));
}

/// Every secured way to reach a server: TLS mode, the AUTH mechanisms the server offers, and
/// the one Lookout must have used.
const SECURED: &[(SmtpMode, TlsMode, &str, &str)] = &[
    (SmtpMode::Starttls, TlsMode::Starttls, "LOGIN", "LOGIN"),
    (SmtpMode::Starttls, TlsMode::Starttls, "PLAIN", "PLAIN"),
    (SmtpMode::Tls, TlsMode::Tls, "PLAIN", "PLAIN"),
    (SmtpMode::Tls, TlsMode::Tls, "LOGIN", "LOGIN"),
];

#[tokio::test]
async fn tls_modes_with_auth_and_the_ca_file_deliver() {
    for &(mode, tls, offered, expected) in SECURED {
        let case = format!("{tls:?} offering {offered}");
        let server = SmtpServer::start_with(mode, Some((USER, PASSWORD)), offered);
        let cfg = with_auth(with_ca(config(server.port, tls)));
        send(&cfg, Some(PASSWORD), &alert(&cfg))
            .await
            .unwrap_or_else(|e| panic!("{case}: not delivered: {e}"));
        let msg = only_message(&server);
        assert_eq!(
            msg.auth_mechanism.as_deref(),
            Some(expected),
            "{case}: authenticated with {expected}"
        );
        assert_eq!(
            msg.auth_login.as_deref(),
            Some(USER),
            "{case}: as the configured user"
        );
        assert_alert_message(&msg);
    }
}

#[tokio::test]
async fn a_certificate_not_signed_by_a_trusted_ca_is_a_permanent_certificate_error() {
    for (mode, tls) in [
        (SmtpMode::Starttls, TlsMode::Starttls),
        (SmtpMode::Tls, TlsMode::Tls),
    ] {
        let server = SmtpServer::start(mode);
        let cfg = config(server.port, tls); // no ca_file: the system roots do not know it
        let err = send(&cfg, None, &alert(&cfg))
            .await
            .expect_err("the self-signed certificate is refused");
        assert!(err.is_permanent(), "{tls:?}: not worth retrying: {err:?}");
        assert_eq!(err.cause(), FailureCause::Certificate, "{tls:?}: {err}");
        assert!(
            err.message()
                .contains("certificate is not trusted (UnknownIssuer)")
                && err.message().contains("email.ca_file"),
            "{tls:?}: names the problem and the fix: {err}"
        );
        assert!(server.received().is_empty(), "{tls:?}: nothing delivered");
    }
}

#[tokio::test]
async fn a_wrong_password_is_a_permanent_auth_error_that_never_shows_the_password() {
    let server = SmtpServer::start_with(SmtpMode::Starttls, Some((USER, PASSWORD)), "PLAIN,LOGIN");
    let cfg = with_auth(with_ca(config(server.port, TlsMode::Starttls)));
    let wrong = "wrong-password-123";
    let err = send(&cfg, Some(wrong), &alert(&cfg))
        .await
        .expect_err("refused");
    assert!(err.is_permanent(), "{err:?}");
    assert_eq!(err.cause(), FailureCause::Auth);
    assert!(
        err.message().contains("authentication rejected (535"),
        "{err}"
    );
    assert!(
        !format!("{err} {err:?}").contains(wrong),
        "the password never appears: {err:?}"
    );
    assert!(server.received().is_empty(), "nothing delivered");
}

#[tokio::test]
async fn starttls_required_but_not_offered_is_permanent() {
    let server = SmtpServer::start(SmtpMode::Plain);
    let cfg = with_ca(config(server.port, TlsMode::Starttls));
    let err = send(&cfg, None, &alert(&cfg))
        .await
        .expect_err("no STARTTLS, no delivery");
    assert!(err.is_permanent(), "{err:?}");
    assert_eq!(err.cause(), FailureCause::Tls);
    assert!(err.message().contains("does not offer STARTTLS"), "{err}");
    assert!(server.received().is_empty(), "nothing sent in clear text");
}

#[tokio::test]
async fn a_server_that_is_down_is_a_transient_connect_error() {
    let cfg = config(closed_port(), TlsMode::None);
    let err = send(&cfg, None, &alert(&cfg))
        .await
        .expect_err("nobody listens");
    assert!(!err.is_permanent(), "worth retrying: {err:?}");
    assert_eq!(err.cause(), FailureCause::Connect);
    assert!(err.message().contains("connection refused"), "{err}");
}

#[tokio::test]
async fn a_stalled_server_times_out_as_a_transient_error() {
    let server = SmtpServer::start(SmtpMode::Stall);
    let cfg = config(server.port, TlsMode::None);
    let channel = EmailChannel::new(&cfg, None)
        .expect("channel")
        .with_timeout(Duration::from_secs(2));
    let err = channel
        .send(&alert(&cfg))
        .await
        .expect_err("no greeting ever comes");
    assert!(!err.is_permanent(), "{err:?}");
    assert_eq!(err.cause(), FailureCause::Timeout, "{err}");
    assert!(
        err.message()
            .contains("did not finish the exchange within 2s"),
        "{err}"
    );
}

#[tokio::test]
async fn a_rule_name_cannot_inject_headers_or_recipients() {
    let server = SmtpServer::start(SmtpMode::Plain);
    let evil = "CPU\r\nBcc: evil@example.com\r\nX-Injected: yes\r\n\r\nfake body";
    for subject in [None, Some("{rule} on {host}".to_owned())] {
        let cfg = EmailConfig {
            subject,
            ..config(server.port, TlsMode::None)
        };
        let email = render_alert_email(
            &cfg,
            &cpu_event(evil, EventKind::Firing, Severity::Critical),
            "host\r\nX-Host: 1",
            Language::En,
        );
        send(&cfg, None, &email).await.expect("delivered");
    }
    let got = server.received();
    assert_eq!(got.len(), 2, "both messages arrived");
    for msg in got {
        assert_eq!(
            msg.rcpt_tos,
            vec!["me@example.com", "oncall@example.com"],
            "only the configured recipients"
        );
        let parsed = MessageParser::default().parse(&msg.raw).expect("parsable");
        let names: Vec<String> = parsed
            .headers()
            .iter()
            .map(|h| h.name().to_ascii_lowercase())
            .collect();
        for injected in ["bcc", "x-injected", "x-host"] {
            assert!(
                !names.iter().any(|n| n == injected),
                "no {injected} header in {names:?}"
            );
        }
        let subject = parsed.subject().expect("a subject");
        assert!(
            subject.contains("CPU  Bcc: evil@example.com  X-Injected: yes"),
            "kept as text on one line: {subject:?}"
        );
    }
}

#[tokio::test]
async fn non_ascii_rule_names_arrive_intact() {
    let server = SmtpServer::start(SmtpMode::Plain);
    let cfg = config(server.port, TlsMode::None);
    let rule = "Température élevée 🔥";
    let email = render_alert_email(
        &cfg,
        &cpu_event(rule, EventKind::Firing, Severity::Warning),
        "hôte",
        Language::En,
    );
    send(&cfg, None, &email).await.expect("delivered");
    let msg = only_message(&server);
    assert!(
        msg.raw.is_ascii(),
        "encoded for any server (no 8BITMIME needed)"
    );
    let parsed = MessageParser::default().parse(&msg.raw).expect("parsable");
    assert_eq!(
        parsed.subject(),
        Some("[Lookout] WARNING: Température élevée 🔥 is firing on hôte"),
        "subject decodes back"
    );
    assert!(
        parsed.body_text(0).is_some_and(|t| t.contains(rule)),
        "text part decodes back"
    );
}

/// Each RFC 2047 encoded word of a raw header on its own, decoded: a word that split a
/// character decodes to U+FFFD.
fn encoded_words(raw_header: &str) -> Vec<String> {
    raw_header
        .split_whitespace()
        .filter(|w| w.starts_with("=?"))
        .map(|word| {
            let alone = format!("Subject: {word}\r\n\r\n");
            MessageParser::default()
                .parse(alone.as_bytes())
                .and_then(|m| m.subject().map(str::to_owned))
                .expect("an encoded word decodes")
        })
        .collect()
}

/// The raw (unfolded) value of header `name`.
fn raw_header(raw: &[u8], name: &str) -> String {
    let text = String::from_utf8_lossy(raw)
        .replace("\r\n ", " ")
        .replace("\r\n\t", " ");
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_owned))
        .unwrap_or_else(|| panic!("no {name} header in {text}"))
}

#[tokio::test]
async fn a_korean_alert_is_correct_email() {
    let server = SmtpServer::start(SmtpMode::Plain);
    let cfg = EmailConfig {
        from: "룩아웃 알림 <alerts@example.com>".into(),
        ..config(server.port, TlsMode::None)
    };
    // A long name: its subject folds over several encoded words and its lines are long.
    let rule = format!("<디스크> 가득 참 & {}", "서버실온도경고".repeat(25));
    let event = cpu_event(&rule, EventKind::Firing, Severity::Critical);
    let email = render_alert_email(&cfg, &event, "서버1", Language::Ko);
    send(&cfg, None, &email).await.expect("delivered");
    let msg = only_message(&server);
    assert!(msg.raw.is_ascii(), "encoded for any server");
    let parsed = MessageParser::default().parse(&msg.raw).expect("parsable");
    let expected = format!("[Lookout] 심각: 서버1에서 {rule} 발생");
    assert_eq!(
        parsed.subject(),
        Some(expected.as_str()),
        "the subject decodes"
    );
    let words = encoded_words(&raw_header(&msg.raw, "Subject"));
    assert!(words.len() > 1, "a long subject folds into several words");
    for word in &words {
        assert!(
            !word.contains('\u{fffd}'),
            "no word splits a character: {words:?}"
        );
    }
    let from = raw_header(&msg.raw, "From");
    assert!(
        from.starts_with("=?utf-8?"),
        "the Korean name is encoded: {from}"
    );
    let sender = parsed
        .from()
        .and_then(|a| a.first())
        .expect("a From address");
    assert_eq!(sender.name(), Some("룩아웃 알림"));
    assert_eq!(sender.address(), Some("alerts@example.com"));
    let texts: Vec<(String, Option<String>)> = parsed
        .parts
        .iter()
        .filter_map(|p| p.content_type())
        .filter(|ct| ct.ctype() == "text")
        .map(|ct| {
            let charset = ct.attribute("charset").map(str::to_ascii_lowercase);
            (ct.subtype().unwrap_or_default().to_owned(), charset)
        })
        .collect();
    let utf8 = Some("utf-8".to_owned());
    assert_eq!(
        texts,
        [
            ("plain".to_owned(), utf8.clone()),
            ("html".to_owned(), utf8)
        ],
        "both parts are UTF-8"
    );
    let text = parsed.body_text(0).expect("a text part");
    assert!(
        text.contains(&format!("서버1에서 {rule} 알림이 발생했습니다.")),
        "{text}"
    );
    assert!(
        text.contains("1시간 평균: 93.4 % (임계값: 80.0 % 초과)"),
        "{text}"
    );
    assert!(
        !text.contains('\u{fffd}'),
        "no character broken across lines: {text}"
    );
    let html = parsed.body_html(0).expect("an HTML part");
    assert!(
        html.contains("&lt;디스크&gt; 가득 참 &amp; 서버실"),
        "escaped: {html}"
    );
    assert!(
        !html.contains("<디스크>"),
        "no raw markup from the rule name: {html}"
    );
}
