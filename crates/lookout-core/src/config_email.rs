//! Validation of the `[email]` section: addresses, ports, files and templates.

use crate::config::{EmailConfig, FieldError, PathSegment};
use crate::template::{unknown_placeholders, PLACEHOLDERS};

fn at(field: &str) -> Vec<PathSegment> {
    vec![
        PathSegment::Key("email".into()),
        PathSegment::Key(field.into()),
    ]
}

/// A light syntax check of `addr` or `Name <addr>`; the SMTP library parses it again.
pub fn check_mailbox(text: &str) -> Result<(), String> {
    let addr = match (text.find('<'), text.rfind('>')) {
        (Some(open), Some(close)) if open < close && text[close + 1..].trim().is_empty() => {
            &text[open + 1..close]
        }
        (None, None) => text.trim(),
        _ => {
            return Err(format!(
                "'{text}' is not an email address; write 'me@example.com' or 'Me <me@example.com>'"
            ))
        }
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
        Err(format!(
            "'{text}' is not an email address; write 'me@example.com' or 'Me <me@example.com>'"
        ))
    }
}

pub(crate) fn validate_email(email: &EmailConfig, errors: &mut Vec<FieldError>) {
    let mut err = |field: &str, msg: String| {
        errors.push(FieldError {
            path: at(field),
            message: msg,
        })
    };
    if email.port == Some(0) {
        err("port", "'0' is not a port; use the SMTP server's port, usually 587 (starttls), 465 (tls) or 25".into());
    }
    for (field, template) in [("subject", &email.subject), ("body", &email.body)] {
        if let Some(t) = template {
            let unknown = unknown_placeholders(t);
            if !unknown.is_empty() {
                err(
                    field,
                    format!(
                        "unknown placeholder {}; accepted: {}",
                        unknown
                            .iter()
                            .map(|u| format!("'{{{u}}}'"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(" ")
                    ),
                );
            }
        }
    }
    if email
        .subject
        .as_deref()
        .is_some_and(|s| s.contains(['\r', '\n']))
    {
        err("subject", "a subject template must be one line".into());
    }
    if let Some(t) = &email.timeout {
        match crate::config::parse_duration(t) {
            Ok(d)
                if d < std::time::Duration::from_secs(1)
                    || d > std::time::Duration::from_secs(600) =>
            {
                err(
                    "timeout",
                    format!("'{t}' is out of range; use a duration from 1s to 10m, like '30s'"),
                )
            }
            Ok(_) => {}
            Err(e) => err("timeout", e),
        }
    }
    if email
        .username
        .as_deref()
        .is_some_and(|u| u.trim().is_empty())
    {
        err(
            "username",
            "an empty username; remove the line to send without AUTH".into(),
        );
    }
    for (field, path) in [
        ("ca_file", &email.ca_file),
        ("password_file", &email.password_file),
    ] {
        if path.as_deref().is_some_and(|p| p.trim().is_empty()) {
            err(
                field,
                "an empty path; give a file path or remove the line".into(),
            );
        }
    }
    if !email.enabled {
        return;
    }
    if email.host.contains([':', '/', '@']) && !email.host.contains(char::is_whitespace) {
        err(
            "host",
            format!(
                "'{}' is not a bare host name; write only the server, like 'smtp.example.com', and put the port in email.port",
                email.host
            ),
        );
    } else if email.host.trim().is_empty() || email.host.contains(char::is_whitespace) {
        err(
            "host",
            format!(
                "'{}' is not a host name; give the SMTP server, like 'smtp.example.com'",
                email.host
            ),
        );
    }
    if email.from.trim().is_empty() {
        err(
            "from",
            "a sender is needed, like 'Lookout <alerts@example.com>'".into(),
        );
    } else if let Err(e) = check_mailbox(&email.from) {
        err("from", e);
    }
    if email.to.is_empty() {
        err(
            "to",
            "at least one recipient is needed, like [\"me@example.com\"]".into(),
        );
    }
    for (i, rcpt) in email.to.iter().enumerate() {
        if let Err(e) = check_mailbox(rcpt) {
            errors.push(FieldError {
                path: vec![
                    PathSegment::Key("email".into()),
                    PathSegment::Key("to".into()),
                    PathSegment::Index(i),
                ],
                message: e,
            });
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
