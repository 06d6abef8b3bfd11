//! The desktop channel: native notifications over D-Bus (notify-rust, pure-Rust zbus).

use crate::delivery::culprits;
use crate::delivery::format::{self, one_line};
use jiff::tz::TimeZone;
use lookout_core::alert::{AlertEvent, EventKind};
use lookout_core::culprit::NOTIFIED_CULPRITS;
use lookout_core::rule::Severity;
use lookout_i18n::Language;
use notify_rust::{Notification, Timeout, Urgency};
use std::time::Duration;

/// The application name notification servers show and group by.
pub const APP_NAME: &str = "Lookout";
/// How long a notification server may take to answer.
pub const NOTIFY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a desktop notification could not be shown. Never fatal: the monitor reports it as a
/// failing channel and carries on. Said in any language by [`DesktopError::words`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DesktopError {
    NoServer(String),
    NoBus(String),
    Timeout(Duration),
    Failed(String),
}

impl std::fmt::Display for DesktopError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(Language::En))
    }
}

impl std::error::Error for DesktopError {}

impl DesktopError {
    /// The problem in `lang` (the bus's own detail stays as the bus said it).
    pub fn words(&self, lang: Language) -> String {
        let words = lang.catalog();
        match self {
            Self::NoServer(detail) => words.text("desktop-no-server", &[("detail", detail)]),
            Self::NoBus(detail) => words.text("desktop-no-bus", &[("detail", detail)]),
            Self::Timeout(after) => {
                let after = format::duration_words(*after, lang);
                words.text("desktop-timeout", &[("after", &after)])
            }
            Self::Failed(detail) => words.text("desktop-failed", &[("detail", detail)]),
        }
    }
}

/// What a notification says, before it goes on the bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesktopNotice {
    pub summary: String,
    /// Plain text with `&`, `<` and `>` escaped (servers may read the body as markup).
    pub body: String,
    pub urgency: NoticeUrgency,
    /// A freedesktop icon name.
    pub icon: &'static str,
}

impl DesktopNotice {
    /// A notice from plain text: the summary is kept to one line and the body escaped.
    pub fn plain(summary: &str, body: &str, urgency: NoticeUrgency, icon: &'static str) -> Self {
        Self {
            summary: one_line(summary),
            body: escape_markup(body),
            urgency,
            icon,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeUrgency {
    Low,
    Normal,
    /// Stays on screen until dismissed.
    Critical,
}

/// Shows the notification for `event`, in `lang`: what, how much, over which window, since
/// when.
///
/// Callers decide whether an event is to be announced (`event.notify`); this always shows it.
pub async fn notify(event: &AlertEvent, host: &str, lang: Language) -> Result<(), DesktopError> {
    show(&alert_notice(event, host, &TimeZone::system(), lang)).await
}

/// Shows a test notification, for `lookout test-notify`.
pub async fn notify_test(host: &str, lang: Language) -> Result<(), DesktopError> {
    show(&test_notice(host, lang)).await
}

/// Tells the user a delivery channel is failing (alerts may not reach them).
pub async fn notify_channel_failure(text: &str, lang: Language) -> Result<(), DesktopError> {
    show(&DesktopNotice::plain(
        &lang.catalog().text("notify-channel-failing", &[]),
        &one_line(text),
        NoticeUrgency::Critical,
        "dialog-error",
    ))
    .await
}

/// The notice for `event`, in `lang`, with times shown in `tz`.
pub fn alert_notice(
    event: &AlertEvent,
    host: &str,
    tz: &TimeZone,
    lang: Language,
) -> DesktopNotice {
    let (summary, body) = alert_words(event, host, tz, lang);
    let (urgency, icon) = match (event.state, event.severity) {
        (EventKind::Resolved, _) => (NoticeUrgency::Low, "dialog-information"),
        (_, Severity::Critical) => (NoticeUrgency::Critical, "dialog-error"),
        (_, Severity::Warning) => (NoticeUrgency::Normal, "dialog-warning"),
    };
    DesktopNotice::plain(&summary, &body, urgency, icon)
}

/// What an alert says, as plain text (title, body), in `lang` with times shown in `tz`: the
/// notification's words, which push channels send too.
pub fn alert_words(
    event: &AlertEvent,
    host: &str,
    tz: &TimeZone,
    lang: Language,
) -> (String, String) {
    let words = lang.catalog();
    let f = format::EventFields::new(event, host, tz);
    let since = format::short_time(event.since, event.at, tz);
    let lasted = format::duration_words(event.at.since(event.since), lang);
    let window = format::duration_words(event.window, lang);
    let aggregate = format::aggregate_words(event.aggregate, lang);
    let measure = words.text(
        "notify-measure",
        &[
            ("aggregate", &aggregate),
            ("metric", &f.metric),
            ("window", &window),
        ],
    );
    let rule = [("rule", f.rule.as_str())];
    let critical = event.severity == Severity::Critical;
    let summary = match (event.state, critical) {
        (EventKind::Resolved, _) => words.text("notify-resolved", &rule),
        (EventKind::GaveUp, _) => words.text("notify-gave-up", &rule),
        (EventKind::Reminder, true) => words.text("notify-critical-reminder", &rule),
        (EventKind::Reminder, false) => words.text("notify-warning-reminder", &rule),
        (_, true) => words.text("notify-critical", &rule),
        (_, false) => words.text("notify-warning", &rule),
    };
    let op = format::op_words(event.op, lang);
    let facts = [
        ("measure", measure.as_str()),
        ("value", f.value.as_str()),
        ("op", op.as_str()),
        ("threshold", f.threshold.as_str()),
        ("since", since.as_str()),
        ("lasted", lasted.as_str()),
        ("host", f.host.as_str()),
    ];
    let mut body = match event.state {
        EventKind::Resolved => words.text("notify-body-resolved", &facts),
        EventKind::Pending => words.text("notify-body-pending", &facts),
        EventKind::Firing | EventKind::Reminder => words.text("notify-body-firing", &facts),
        EventKind::GaveUp => format::gave_up_words(event, lang),
    };
    if !event.culprits.is_empty() {
        body.push_str(&format!("\n{}:", words.text("culprit-heading", &[])));
        for c in event.culprits.iter().take(NOTIFIED_CULPRITS) {
            body.push_str(&format!("\n• {}", culprits::line(c, lang)));
        }
    }
    (summary, body)
}

/// A test message's title and body, for `lookout test-notify` and push channels' tests.
pub fn test_words(host: &str, lang: Language) -> (String, String) {
    let words = lang.catalog();
    (
        words.text("notify-test", &[]),
        words.text("notify-test-body", &[("host", &one_line(host))]),
    )
}

fn test_notice(host: &str, lang: Language) -> DesktopNotice {
    let (summary, body) = test_words(host, lang);
    DesktopNotice::plain(&summary, &body, NoticeUrgency::Normal, "dialog-information")
}

/// Sends `notice` to the session bus's notification server.
pub async fn show(notice: &DesktopNotice) -> Result<(), DesktopError> {
    let mut n = Notification::new();
    n.appname(APP_NAME)
        .summary(&notice.summary)
        .body(&notice.body)
        .icon(notice.icon);
    match notice.urgency {
        NoticeUrgency::Low => n.urgency(Urgency::Low),
        NoticeUrgency::Normal => n.urgency(Urgency::Normal),
        // Critical alerts stay until the user dismisses them.
        NoticeUrgency::Critical => n.urgency(Urgency::Critical).timeout(Timeout::Never),
    };
    match tokio::time::timeout(NOTIFY_TIMEOUT, n.show_async()).await {
        Err(_) => Err(DesktopError::Timeout(NOTIFY_TIMEOUT)),
        Ok(Err(e)) => Err(classify(&e.to_string())),
        Ok(Ok(_handle)) => Ok(()),
    }
}

/// notify-rust hides zbus's error kinds, so its message is all there is to go on.
pub(super) fn classify(message: &str) -> DesktopError {
    let message = one_line(message);
    if message.contains("ServiceUnknown") || message.contains("NameHasNoOwner") {
        DesktopError::NoServer(message)
    } else if [
        "I/O error",
        "Address",
        "address",
        "Handshake",
        "No such file",
        "refused",
        "DBUS_SESSION_BUS_ADDRESS",
    ]
    .iter()
    .any(|hint| message.contains(hint))
    {
        DesktopError::NoBus(message)
    } else {
        DesktopError::Failed(message)
    }
}

fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use lookout_core::metric::MetricKey;
    use lookout_core::rule::{Aggregate, Op};
    use lookout_core::Timestamp;

    fn event(state: EventKind, severity: Severity) -> AlertEvent {
        let at = 1_717_250_585_000; // 2024-06-01T14:03:05Z
        AlertEvent {
            rule: "Disk <root> full".into(),
            state,
            metric: MetricKey::parse("disk./.used_pct").expect("valid key"),
            value: Some(91.25),
            threshold: 90.0,
            clear_threshold: 90.0,
            op: Op::Ge,
            aggregate: Aggregate::Max,
            window: Duration::from_secs(300),
            severity,
            at: Timestamp::from_millis(at),
            since: Timestamp::from_millis(at - 600_000),
            coverage: 1.0,
            channels: Vec::new(),
            notify: true,
            culprits: Vec::new(),
            gave_up: None,
        }
    }

    #[test]
    fn a_notice_names_the_top_three_culprits() {
        let mut e = event(EventKind::Firing, Severity::Warning);
        e.culprits = (1..=5)
            .map(|i| lookout_core::Culprit {
                pid: 100 + i,
                name: format!("p{i}"),
                user: None,
                command: format!("p{i}"),
                cpu_pct: Some(f64::from(50 - i)),
                rss_bytes: 0,
            })
            .collect();
        let n = alert_notice(&e, "box", &TimeZone::UTC, Language::En);
        assert!(
            n.body
                .contains("\nTop processes:\n• p1 (pid 101): 49.0 % CPU, 0 B\n• p2"),
            "{}",
            n.body
        );
        assert!(
            n.body.contains("p3 (pid 103)") && !n.body.contains("p4"),
            "three only: {}",
            n.body
        );
    }

    #[test]
    fn critical_firing_says_what_how_much_window_and_since() {
        let n = alert_notice(
            &event(EventKind::Firing, Severity::Critical),
            "box",
            &TimeZone::UTC,
            Language::En,
        );
        assert_eq!(
            n.summary, "Critical: Disk <root> full",
            "summary is plain text"
        );
        assert_eq!(n.body, "maximum of disk./.used_pct over 5m is 91.2 % (at or above 90.0 %).\nFiring since 13:53 (10m) on box.");
        assert_eq!(n.urgency, NoticeUrgency::Critical);
        assert_eq!(n.icon, "dialog-error");
    }

    #[test]
    fn warnings_reminders_and_resolutions_differ() {
        let w = alert_notice(
            &event(EventKind::Reminder, Severity::Warning),
            "box",
            &TimeZone::UTC,
            Language::En,
        );
        assert_eq!(w.summary, "Warning: Disk <root> full (still firing)");
        assert_eq!(w.urgency, NoticeUrgency::Normal);
        let r = alert_notice(
            &event(EventKind::Resolved, Severity::Critical),
            "box",
            &TimeZone::UTC,
            Language::En,
        );
        assert_eq!(r.summary, "Resolved: Disk <root> full");
        assert!(
            r.body.contains("is back to 91.2 %") && r.body.contains("since 13:53 (10m)"),
            "{}",
            r.body
        );
        assert_eq!(
            r.urgency,
            NoticeUrgency::Low,
            "a resolution does not demand attention"
        );
    }

    #[test]
    fn a_korean_notice_is_korean_throughout() {
        let n = alert_notice(
            &event(EventKind::Firing, Severity::Critical),
            "box",
            &TimeZone::UTC,
            Language::Ko,
        );
        assert_eq!(n.summary, "심각: Disk <root> full", "summary in Korean");
        assert_eq!(
            n.body,
            "5분 동안 disk./.used_pct의 최댓값: 91.2 % (90.0 % 이상).\nbox에서 13:53부터 발생 중입니다 (10분)."
        );
        let r = alert_notice(
            &event(EventKind::Resolved, Severity::Critical),
            "box",
            &TimeZone::UTC,
            Language::Ko,
        );
        assert!(r.summary.starts_with("해제: "), "{}", r.summary);
    }

    #[test]
    fn body_markup_is_escaped() {
        let mut ev = event(EventKind::Firing, Severity::Warning);
        ev.metric = MetricKey::parse("temp.a<b>&c").expect("valid key");
        let n = alert_notice(&ev, "box", &TimeZone::UTC, Language::En);
        assert!(n.body.contains("temp.a&lt;b&gt;&amp;c"), "{}", n.body);
    }

    #[test]
    fn bus_errors_are_told_apart() {
        let no_server =
            classify("org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable");
        assert!(
            matches!(no_server, DesktopError::NoServer(_)),
            "{no_server:?}"
        );
        let no_bus = classify("I/O error: No such file or directory (os error 2)");
        assert!(matches!(no_bus, DesktopError::NoBus(_)), "{no_bus:?}");
    }
}
