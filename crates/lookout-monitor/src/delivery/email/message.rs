//! Alert and test emails rendered from the `[email]` templates: what the outbox stores.

use crate::delivery::culprits;
use crate::delivery::format::{self, html_escape, one_line, EventFields};
use jiff::tz::TimeZone;
use lookout_core::alert::{AlertEvent, EventKind};
use lookout_core::config::{EmailConfig, TlsMode};
use lookout_core::rule::Severity;
use lookout_core::template::render;
use lookout_core::Timestamp;
use lookout_i18n::Language;
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

/// The email for one alert event, from `cfg`'s templates or `lang`'s default ones; times in
/// local time.
pub fn render_alert_email(
    cfg: &EmailConfig,
    event: &AlertEvent,
    host: &str,
    lang: Language,
) -> RenderedEmail {
    render_alert_email_in(cfg, event, host, &TimeZone::system(), lang)
}

/// [`render_alert_email`] with times shown in `tz`.
pub fn render_alert_email_in(
    cfg: &EmailConfig,
    event: &AlertEvent,
    host: &str,
    tz: &TimeZone,
    lang: Language,
) -> RenderedEmail {
    let mut fields = EventFields::new(event, host, tz);
    fields.culprits = culprits::text_table(&event.culprits, lang);
    let words = Words::new(event, &fields, lang);
    let subject = match &cfg.subject {
        Some(template) => one_line(&render(template, |k| fields.lookup(k))),
        None => words.subject(),
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
                lang,
            );
            (text, html)
        }
        None => (words.text(), words.html(&subject)),
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

/// A test email in `lang` that says which server and settings delivered it; times in local
/// time.
pub fn render_test_email(
    cfg: &EmailConfig,
    host: &str,
    at: Timestamp,
    lang: Language,
) -> RenderedEmail {
    render_test_email_in(cfg, host, at, &TimeZone::system(), lang)
}

/// [`render_test_email`] with the time shown in `tz`.
pub fn render_test_email_in(
    cfg: &EmailConfig,
    host: &str,
    at: Timestamp,
    tz: &TimeZone,
    lang: Language,
) -> RenderedEmail {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let host = one_line(host);
    let when = format::rfc3339(at, tz);
    let words = lang.catalog();
    let tls = match cfg.tls {
        TlsMode::None => words.text("email-tls-none", &[]),
        TlsMode::Starttls => "STARTTLS".to_owned(),
        TlsMode::Tls => "TLS".to_owned(),
    };
    let auth = match &cfg.username {
        Some(user) => words.text("email-auth-user", &[("user", &one_line(user))]),
        None => words.text("email-auth-none", &[]),
    };
    let server = format!("{}:{}", one_line(&cfg.host), cfg.port_or_default());
    let subject = one_line(&words.text("email-test-subject", &[("host", &host)]));
    let sent = words.text("email-test-sent", &[("host", &host), ("when", &when)]);
    let route = words.text(
        "email-test-route",
        &[("server", &server), ("tls", &tls), ("auth", &auth)],
    );
    let reach = words.text("email-test-reach", &[]);
    let text = format!("{sent}\n\n{route}\n{reach}\n");
    let body = format!(
        "<p>{}</p><p>{}<br>{}</p>",
        html_escape(&sent),
        html_escape(&route),
        html_escape(&reach)
    );
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    RenderedEmail {
        from: cfg.from.clone(),
        to: cfg.to.clone(),
        html: html_page(&subject, &body, lang),
        subject,
        text,
        message_id: message_id(
            &format!("test.{}.{}.{seq}", at.as_millis(), std::process::id()),
            &host,
        ),
        date: at,
    }
}

/// The default alert email's words in one language, from the catalog.
struct Words<'a> {
    event: &'a AlertEvent,
    f: &'a EventFields,
    lang: Language,
    label: String,
    window: String,
    aggregate: String,
    op: String,
}

impl<'a> Words<'a> {
    fn new(event: &'a AlertEvent, f: &'a EventFields, lang: Language) -> Self {
        Self {
            event,
            f,
            lang,
            label: format::label_words(event, lang),
            window: format::duration_words(event.window, lang),
            aggregate: format::aggregate_words(event.aggregate, lang),
            op: format::op_words(event.op, lang),
        }
    }

    fn text_of(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.lang.catalog().text(id, args)
    }

    fn subject(&self) -> String {
        let id = match self.event.state {
            EventKind::Firing => "email-subject-firing",
            EventKind::Pending => "email-subject-pending",
            EventKind::Reminder => "email-subject-reminder",
            EventKind::Resolved => "email-subject-resolved",
            EventKind::GaveUp => "email-subject-gave-up",
        };
        let args = [
            ("label", self.label.as_str()),
            ("rule", self.f.rule.as_str()),
            ("host", self.f.host.as_str()),
        ];
        one_line(&self.text_of(id, &args))
    }

    /// "CPU saturated is firing on host1", without a full stop.
    fn headline(&self) -> String {
        let id = match self.event.state {
            EventKind::Firing => "email-headline-firing",
            EventKind::Pending => "email-headline-pending",
            EventKind::Reminder => "email-headline-reminder",
            EventKind::Resolved => "email-headline-resolved",
            EventKind::GaveUp => "email-headline-gave-up",
        };
        self.text_of(id, &[("rule", &self.f.rule), ("host", &self.f.host)])
    }

    /// "cpu.total, average over 1h: 93.4 % (threshold: above 80.0 %, clears at 70.0 %)"
    fn evidence(&self) -> String {
        let event = self.event;
        let clear = format::metric_value(&event.metric, event.clear_threshold);
        let args = [
            ("metric", self.f.metric.as_str()),
            ("aggregate", self.aggregate.as_str()),
            ("window", self.window.as_str()),
            ("value", self.f.value.as_str()),
            ("op", self.op.as_str()),
            ("threshold", self.f.threshold.as_str()),
            ("clear", clear.as_str()),
        ];
        if event.clear_threshold == event.threshold {
            self.text_of("email-evidence", &args[..6])
        } else {
            self.text_of("email-evidence-clear", &args)
        }
    }

    /// The "since" row: its label and its value.
    fn since(&self) -> (String, String) {
        let event = self.event;
        let lasted = format::duration_words(event.at.since(event.since), self.lang);
        let with_span = || {
            self.text_of(
                "email-since-for",
                &[("since", &self.f.since), ("lasted", &lasted)],
            )
        };
        match event.state {
            EventKind::Resolved => (self.text_of("email-was-firing-since", &[]), with_span()),
            EventKind::Pending => (
                self.text_of("email-pending-since", &[]),
                self.f.since.clone(),
            ),
            _ => (self.text_of("email-firing-since", &[]), with_span()),
        }
    }

    fn text(&self) -> String {
        let (since_label, since) = self.since();
        let gave_up = format::gave_up_words(self.event, self.lang);
        let gave_up = if gave_up.is_empty() {
            gave_up
        } else {
            format!("{gave_up}\n\n")
        };
        format!(
            "{headline}.\n\n{gave_up}\
             {evidence}\n\
             {severity_label}: {severity}\n\
             {since_label}: {since}\n\
             {at_label}: {at}\n\n\
             {culprits}\
             -- \nLookout\n",
            headline = self.headline(),
            evidence = self.evidence(),
            severity_label = self.text_of("email-severity", &[]),
            severity = format::severity_words(self.event.severity, self.lang),
            at_label = self.text_of("email-reported-at", &[]),
            at = self.f.at,
            culprits = culprit_text(&self.event.culprits, self.lang),
        )
    }

    fn html(&self, subject: &str) -> String {
        let (since_label, since) = self.since();
        let colour = match (self.event.state, self.event.severity) {
            (EventKind::Resolved, _) => "#1b7f3b",
            (_, Severity::Critical) => "#b00020",
            (_, Severity::Warning) => "#b26a00",
        };
        let row = |k: &str, v: &str| {
            format!(
                "<tr><th align=\"left\" style=\"padding-right:1em\">{}</th><td>{}</td></tr>\n",
                html_escape(k),
                html_escape(v)
            )
        };
        let value = self.text_of(
            "email-value-over",
            &[
                ("value", &self.f.value),
                ("aggregate", &self.aggregate),
                ("window", &self.window),
            ],
        );
        let threshold = self.text_of(
            "email-threshold-value",
            &[("op", &self.op), ("threshold", &self.f.threshold)],
        );
        let rows = [
            row(&self.text_of("email-metric", &[]), &self.f.metric),
            row(&self.text_of("email-value", &[]), &value),
            row(&self.text_of("email-threshold", &[]), &threshold),
            row(
                &self.text_of("email-severity", &[]),
                &format::severity_words(self.event.severity, self.lang),
            ),
            row(&since_label, &since),
            row(&self.text_of("email-reported-at", &[]), &self.f.at),
            row(&self.text_of("email-host", &[]), &self.f.host),
        ]
        .concat();
        let body = format!(
            "<h2 style=\"color:{colour}\">{}: {}</h2>\n{}<table>\n{rows}</table>\n{}\
             <p style=\"color:#666\">{}</p>",
            html_escape(&self.label),
            html_escape(&self.headline()),
            gave_up_html(self.event, self.lang),
            culprits::html_table(&self.event.culprits, self.lang),
            html_escape(&self.text_of("email-sent-by", &[]))
        );
        html_page(subject, &body, self.lang)
    }
}

/// The give-up sentence as a paragraph, or nothing.
fn gave_up_html(event: &AlertEvent, lang: Language) -> String {
    let words = format::gave_up_words(event, lang);
    if words.is_empty() {
        words
    } else {
        format!("<p><strong>{}</strong></p>\n", html_escape(&words))
    }
}

/// The culprits' text table followed by a blank line, or nothing.
fn culprit_text(list: &[lookout_core::Culprit], lang: Language) -> String {
    let table = culprits::text_table(list, lang);
    if table.is_empty() {
        table
    } else {
        format!("{table}\n")
    }
}

fn html_page(title: &str, body: &str, lang: Language) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body style=\"font-family:sans-serif\">{body}</body></html>\n",
        lang.code(),
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
