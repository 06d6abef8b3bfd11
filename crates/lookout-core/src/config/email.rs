//! Validation of the `[email]` section: addresses, ports, files and templates.

use super::durations;
use super::error::{key, FieldCode, FieldError, PathSegment};
use super::limits::{too_many, MAX_RECIPIENTS, MAX_TEMPLATE_BYTES};
use super::model::{EmailConfig, TlsMode};
use crate::template::{unknown_placeholders, PLACEHOLDERS};
use crate::text::shown;
use std::net::Ipv4Addr;
use std::time::Duration;

/// The most unknown placeholders a message names; the `unknown` param has them all.
const LISTED_UNKNOWN: usize = 5;

fn at(field: &str) -> Vec<PathSegment> {
    vec![key("email"), key(field)]
}

/// A light syntax check of `addr` or `Name <addr>`; the SMTP library parses it again.
pub fn check_mailbox(text: &str) -> Result<(), String> {
    let refused = || {
        format!(
            "'{}' is not an email address; write 'me@example.com' or 'Me <me@example.com>'",
            shown(text)
        )
    };
    let addr = match (text.find('<'), text.rfind('>')) {
        (Some(open), Some(close)) if open < close && text[close + 1..].trim().is_empty() => {
            &text[open + 1..close]
        }
        (None, None) => text.trim(),
        _ => return Err(refused()),
    };
    let ok = match addr.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !addr
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == ',')
        }
        None => false,
    };
    if ok && !text.chars().any(char::is_control) {
        Ok(())
    } else {
        Err(refused())
    }
}

/// Whether `host` is this machine: `localhost`, an address in 127.0.0.0/8, or `::1`
/// (bare or in brackets). Only the text is looked at; nothing is resolved.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim();
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host == "[::1]"
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

pub(super) fn validate_email(email: &EmailConfig, errors: &mut Vec<FieldError>) {
    let err = |field: &str, code: FieldCode, msg: String| FieldError::new(&at(field), code, msg);
    if email.port == Some(0) {
        errors.push(err("port", FieldCode::EmailPortZero, "'0' is not a port; use the SMTP server's port, usually 587 (starttls), 465 (tls) or 25".into()));
    }
    for (field, template) in [("subject", &email.subject), ("body", &email.body)] {
        let Some(template) = template.as_deref() else {
            continue;
        };
        if template.len() > MAX_TEMPLATE_BYTES {
            errors.push(
                err(
                    field,
                    FieldCode::EmailTemplateTooLong,
                    format!(
                        "{} bytes is too long for a template; at most {MAX_TEMPLATE_BYTES} (16 KiB) are accepted",
                        template.len()
                    ),
                )
                .with("length", template.len())
                .with("max", MAX_TEMPLATE_BYTES),
            );
            continue;
        }
        let unknown = unknown_placeholders(template);
        if !unknown.is_empty() {
            let mut listed = unknown
                .iter()
                .take(LISTED_UNKNOWN)
                .map(|u| format!("'{{{}}}'", shown(u)))
                .collect::<Vec<_>>()
                .join(", ");
            if unknown.len() > LISTED_UNKNOWN {
                listed.push_str(&format!(" and {} more", unknown.len() - LISTED_UNKNOWN));
            }
            let accepted = PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(" ");
            errors.push(
                err(
                    field,
                    FieldCode::EmailTemplateUnknownPlaceholder,
                    format!("unknown placeholder {listed}; accepted: {accepted}"),
                )
                .with("unknown", unknown.join(","))
                .with("accepted", PLACEHOLDERS.join(" ")),
            );
        }
    }
    if email
        .subject
        .as_deref()
        .is_some_and(|s| s.len() <= MAX_TEMPLATE_BYTES && s.contains(['\r', '\n']))
    {
        errors.push(err(
            "subject",
            FieldCode::EmailSubjectMultiline,
            "a subject template must be one line".into(),
        ));
    }
    if let Some(t) = &email.timeout {
        match durations::parse(t) {
            Ok(d) if d < Duration::from_secs(1) || d > Duration::from_secs(600) => errors.push(
                err(
                    "timeout",
                    FieldCode::EmailTimeoutOutOfRange,
                    format!(
                        "'{}' is out of range; use a duration from 1s to 10m, like '30s'",
                        shown(t)
                    ),
                )
                .with("value", t)
                .with("min", "1s")
                .with("max", "10m"),
            ),
            Ok(_) => {}
            Err(e) => errors.push(err("timeout", e.code, e.message).with("value", t)),
        }
    }
    if email
        .username
        .as_deref()
        .is_some_and(|u| u.trim().is_empty())
    {
        errors.push(err(
            "username",
            FieldCode::EmailUsernameEmpty,
            "an empty username; remove the line to send without AUTH".into(),
        ));
    }
    for (field, path) in [
        ("ca_file", &email.ca_file),
        ("password_file", &email.password_file),
    ] {
        if path.as_deref().is_some_and(|p| p.trim().is_empty()) {
            errors.push(err(
                field,
                FieldCode::EmailFilePathEmpty,
                "an empty path; give a file path or remove the line".into(),
            ));
        }
    }
    check_plaintext_auth(email, errors);
    errors.extend(too_many(
        &at("to"),
        FieldCode::EmailToTooMany,
        email.to.len(),
        MAX_RECIPIENTS,
        "recipients",
    ));
    if email.enabled {
        validate_enabled_email(email, errors);
    }
}

/// No AUTH in clear text: a username needs TLS, unless `allow_plaintext_auth` is set for a
/// server on this machine.
fn check_plaintext_auth(email: &EmailConfig, errors: &mut Vec<FieldError>) {
    let loopback = is_loopback_host(&email.host);
    if email.allow_plaintext_auth && !loopback {
        errors.push(
            FieldError::new(
                &at("allow_plaintext_auth"),
                FieldCode::EmailPlaintextAuthNotLoopback,
                format!(
                    "'{}' is not this machine; clear-text AUTH is allowed only to localhost, 127.0.0.1 or ::1, so use tls = \"starttls\" or \"tls\" and remove allow_plaintext_auth",
                    shown(&email.host)
                ),
            )
            .with("value", &email.host),
        );
    }
    let authenticates = email
        .username
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty());
    if authenticates && email.tls == TlsMode::None && !email.allow_plaintext_auth {
        errors.push(
            FieldError::new(
                &at("username"),
                FieldCode::EmailAuthPlaintext,
                "with tls = \"none\" the password would cross the network in clear text; use tls = \"starttls\" or \"tls\" (for a relay on this machine, set allow_plaintext_auth = true)",
            )
            .with("host", &email.host),
        );
    }
}

/// What sending needs: a server, a sender and recipients.
fn validate_enabled_email(email: &EmailConfig, errors: &mut Vec<FieldError>) {
    let err = |field: &str, code: FieldCode, msg: String| FieldError::new(&at(field), code, msg);
    let host = &email.host;
    if host.contains([':', '/', '@']) && !host.contains(char::is_whitespace) {
        errors.push(
            err(
                "host",
                FieldCode::EmailHostNotBare,
                format!(
                    "'{}' is not a bare host name; write only the server, like 'smtp.example.com', and put the port in email.port",
                    shown(host)
                ),
            )
            .with("value", host),
        );
    } else if host.trim().is_empty() || host.contains(char::is_whitespace) {
        errors.push(
            err(
                "host",
                FieldCode::EmailHostInvalid,
                format!(
                    "'{}' is not a host name; give the SMTP server, like 'smtp.example.com'",
                    shown(host)
                ),
            )
            .with("value", host),
        );
    }
    if email.from.trim().is_empty() {
        errors.push(err(
            "from",
            FieldCode::EmailFromMissing,
            "a sender is needed, like 'Lookout <alerts@example.com>'".into(),
        ));
    } else if let Err(e) = check_mailbox(&email.from) {
        errors.push(err("from", FieldCode::EmailMailboxInvalid, e).with("value", &email.from));
    }
    if email.to.is_empty() {
        errors.push(err(
            "to",
            FieldCode::EmailToMissing,
            "at least one recipient is needed, like [\"me@example.com\"]".into(),
        ));
    }
    let checked = if email.to.len() > MAX_RECIPIENTS {
        0
    } else {
        email.to.len()
    };
    for (i, rcpt) in email.to.iter().take(checked).enumerate() {
        if let Err(e) = check_mailbox(rcpt) {
            errors.push(
                FieldError::new(
                    &[key("email"), key("to"), PathSegment::Index(i)],
                    FieldCode::EmailMailboxInvalid,
                    e,
                )
                .with("value", rcpt),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes_accept_plain_and_named_forms() {
        assert!(check_mailbox("me@example.com").is_ok());
        assert!(check_mailbox("Lookout <alerts@example.com>").is_ok());
        for bad in [
            "me",
            "me@",
            "@x",
            "a@b@c",
            "x <me@example.com",
            "me@example.com\r\nBcc: x@y",
            "a@b, c@d",
        ] {
            assert!(check_mailbox(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
