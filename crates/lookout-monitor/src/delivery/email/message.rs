//! Alert and test emails rendered from the `[email]` templates: what the outbox stores.

use crate::delivery::format::{self, html_escape, one_line, EventFields};
use jiff::tz::TimeZone;
use lookout_core::alert::{AlertEvent, EventKind};
use lookout_core::config::{EmailConfig, TlsMode};
use lookout_core::template::render;
use lookout_core::Timestamp;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};

/// One email, fully rendered: a sender task stores it, then hands it to
/// [`EmailChannel::send`](crate::delivery::email::channel::EmailChannel::send) until it is accepted.
///
/// Everything a retry needs is here, so a message queued before a restart or a config change
/// goes out as it was written. Serialises to JSON for the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedEmail {
    /// The sender mailbox, `Lookout <alerts@example.com>`.
    pub from: String,
    /// Recipient mailboxes; every one gets the same message.
    pub to: Vec<String>,
    /// One line; control characters were replaced.
    pub subject: String,
    /// The text/plain part.
    pub text: String,
    /// The text/html part (every templated value HTML-escaped).
    pub html: String,
    /// The `Message-ID` header, stable across retries: `<...@host>`.
    pub message_id: String,
    /// The `Date` header: when the alert happened (or the test was asked for).
    pub date: Timestamp,
}

/// The email for one alert event, from `cfg`'s templates or the defaults; times in local time.
pub fn render_alert_email(cfg: &EmailConfig, event: &AlertEvent, host: &str) -> RenderedEmail {
    render_alert_email_in(cfg, event, host, &TimeZone::system())
}

/// [`render_alert_email`] with times shown in `tz`.
pub fn render_alert_email_in(
    cfg: &EmailConfig,
    event: &AlertEvent,
    host: &str,
    tz: &TimeZone,
) -> RenderedEmail {
    let fields = EventFields::new(event, host, tz);
    let subject = match &cfg.subject {
        Some(template) => one_line(&render(template, |k| fields.lookup(k))),
        None => default_subject(event, &fields),
    };
    let (text, html) = match &cfg.body {
        Some(template) => {
            let text = render(template, |k| fields.lookup(k));
            let html = html_page(
                &subject,
                &format!(
                    "<pre style=\"font-family:inherit;white-space:pre-wrap\">{}</pre>",
                    html_escape(&text)
                ),
            );
            (text, html)
        }
        None => (
            default_text(event, &fields),
            default_html(event, &fields, &subject),
        ),
    };
    RenderedEmail {
        from: cfg.from.clone(),
        to: cfg.to.clone(),
        subject,
        text,
        html,
        message_id: message_id(
            &format!(
                "{}.{:016x}.{}",
                event.at.as_millis(),
                fnv1a(&event.rule),
                event.state.name()
            ),
            host,
        ),
        date: event.at,
    }
}

/// A test email that says which server and settings delivered it; times in local time.
pub fn render_test_email(cfg: &EmailConfig, host: &str, at: Timestamp) -> RenderedEmail {
    render_test_email_in(cfg, host, at, &TimeZone::system())
}

/// [`render_test_email`] with the time shown in `tz`.
pub fn render_test_email_in(
    cfg: &EmailConfig,
    host: &str,
    at: Timestamp,
    tz: &TimeZone,
) -> RenderedEmail {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let host = one_line(host);
    let when = format::rfc3339(at, tz);
    let tls = match cfg.tls {
        TlsMode::None => "no TLS",
        TlsMode::Starttls => "STARTTLS",
        TlsMode::Tls => "TLS",
    };
    let auth = match &cfg.username {
        Some(user) => format!("authenticated as '{}'", one_line(user)),
        None => "without authentication".to_owned(),
    };
    let server = format!("{}:{}", one_line(&cfg.host), cfg.port_or_default());
    let subject = format!("[Lookout] Test message from {host}");
    let text = format!(
        "This is a test message from Lookout on {host}, sent at {when}.\n\n\
         It went through {server} with {tls}, {auth}.\n\
         If you are reading it, alert emails will reach you.\n"
    );
    let body = format!(
        "<p>This is a test message from Lookout on <b>{}</b>, sent at {}.</p>\
         <p>It went through <code>{}</code> with {tls}, {}.<br>\
         If you are reading it, alert emails will reach you.</p>",
        html_escape(&host),
        html_escape(&when),
        html_escape(&server),
        html_escape(&auth)
    );
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    RenderedEmail {
        from: cfg.from.clone(),
        to: cfg.to.clone(),
        html: html_page(&subject, &body),
        subject,
        text,
        message_id: message_id(
            &format!("test.{}.{}.{seq}", at.as_millis(), std::process::id()),
            &host,
        ),
        date: at,
    }
}

fn default_subject(event: &AlertEvent, f: &EventFields) -> String {
    match event.state {
        EventKind::Resolved => format!("[Lookout] RESOLVED: {} on {}", f.rule, f.host),
        state => format!(
            "[Lookout] {}: {} {} on {}",
            format::label(event),
            f.rule,
            format::state_phrase(state),
            f.host
        ),
    }
}

/// "cpu.total, average over 1h: 93.4 % (threshold: above 80.0 %)"
fn evidence(event: &AlertEvent, f: &EventFields) -> String {
    let mut line = format!(
        "{}, {} over {}: {} (threshold: {} {}",
        f.metric,
        format::aggregate_phrase(event.aggregate),
        f.window,
        f.value,
        format::op_phrase(event.op),
        f.threshold
    );
    if event.clear_threshold != event.threshold {
        line.push_str(&format!(
            ", clears at {}",
            format::metric_value(&event.metric, event.clear_threshold)
        ));
    }
    line.push(')');
    line
}

fn since_line(event: &AlertEvent, f: &EventFields) -> (&'static str, String) {
    let lasted = format::duration(event.at.since(event.since));
    match event.state {
        EventKind::Resolved => ("Was firing since", format!("{} (for {lasted})", f.since)),
        EventKind::Pending => ("Pending since", f.since.clone()),
        _ => ("Firing since", format!("{} (for {lasted})", f.since)),
    }
}

fn default_text(event: &AlertEvent, f: &EventFields) -> String {
    let (since_label, since) = since_line(event, f);
    format!(
        "{rule} {phrase} on {host}.\n\n\
         {evidence}\n\
         Severity: {severity}\n\
         {since_label}: {since}\n\
         Reported at: {at}\n\n\
         -- \nLookout\n",
        rule = f.rule,
        phrase = format::state_phrase(event.state),
        host = f.host,
        evidence = evidence(event, f),
        severity = f.severity,
        at = f.at,
    )
}

fn default_html(event: &AlertEvent, f: &EventFields, subject: &str) -> String {
    let (since_label, since) = since_line(event, f);
    let colour = match format::label(event) {
        "CRITICAL" => "#b00020",
        "WARNING" => "#b26a00",
        _ => "#1b7f3b",
    };
    let row = |k: &str, v: &str| {
        format!(
            "<tr><th align=\"left\" style=\"padding-right:1em\">{}</th><td>{}</td></tr>\n",
            html_escape(k),
            html_escape(v)
        )
    };
    let rows = [
        row("Metric", &f.metric),
        row(
            "Value",
            &format!(
                "{} ({} over {})",
                f.value,
                format::aggregate_phrase(event.aggregate),
                f.window
            ),
        ),
        row(
            "Threshold",
            &format!("{} {}", format::op_phrase(event.op), f.threshold),
        ),
        row("Severity", &f.severity),
        row(since_label, &since),
        row("Reported at", &f.at),
        row("Host", &f.host),
    ]
    .concat();
    let body = format!(
        "<h2 style=\"color:{colour}\">{}: {} {} on {}</h2>\n<table>\n{rows}</table>\n\
         <p style=\"color:#666\">Sent by Lookout</p>",
        format::label(event),
        html_escape(&f.rule),
        format::state_phrase(event.state),
        html_escape(&f.host)
    );
    html_page(subject, &body)
}

fn html_page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body style=\"font-family:sans-serif\">{body}</body></html>\n",
        html_escape(title)
    )
}

/// `<lookout.{unique}@{host}>`, the host reduced to characters a message id may hold.
fn message_id(unique: &str, host: &str) -> String {
    let domain: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        .collect();
    let domain = domain.trim_matches('.');
    format!(
        "<lookout.{unique}@{}>",
        if domain.is_empty() {
            "localhost"
        } else {
            domain
        }
    )
}

/// A stable 64-bit FNV-1a hash (unlike `DefaultHasher`, the same in every Rust release).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
