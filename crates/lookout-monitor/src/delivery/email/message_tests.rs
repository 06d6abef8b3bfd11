//! Unit tests of email rendering: defaults, templates, escaping, header safety.

use super::*;
use lookout_core::metric::MetricKey;
use lookout_core::rule::{Aggregate, Op, Severity};
use std::time::Duration;

const AT: i64 = 1_717_250_585_000; // 2024-06-01T14:03:05Z

fn event(rule: &str, state: EventKind) -> AlertEvent {
    AlertEvent {
        rule: rule.to_owned(),
        state,
        metric: MetricKey::parse("cpu.total").expect("valid key"),
        value: Some(93.44),
        threshold: 80.0,
        clear_threshold: 75.0,
        op: Op::Gt,
        aggregate: Aggregate::Avg,
        window: Duration::from_secs(3600),
        severity: Severity::Critical,
        at: Timestamp::from_millis(AT),
        since: Timestamp::from_millis(AT - 3_900_000),
        coverage: 1.0,
        channels: Vec::new(),
        notify: true,
        culprits: Vec::new(),
        gave_up: None,
    }
}

fn config() -> EmailConfig {
    EmailConfig {
        enabled: true,
        host: "smtp.example.com".into(),
        from: "Lookout <alerts@example.com>".into(),
        to: vec!["me@example.com".into(), "oncall@example.com".into()],
        ..EmailConfig::default()
    }
}

#[test]
fn default_alert_email_names_what_how_much_and_since_when() {
    let mail = render_alert_email_in(
        &config(),
        &event("CPU saturated", EventKind::Firing),
        "box",
        &TimeZone::UTC,
        Language::En,
    );
    assert_eq!(
        mail.subject,
        "[Lookout] CRITICAL: CPU saturated is firing on box"
    );
    assert_eq!(
        mail.to,
        vec!["me@example.com", "oncall@example.com"],
        "every recipient"
    );
    assert_eq!(mail.from, "Lookout <alerts@example.com>");
    for part in [
        "cpu.total",
        "average over 1h",
        "93.4 %",
        "above 80.0 %",
        "clears at 75.0 %",
        "2024-06-01T12:58:05+00:00",
        "for 1h 5m",
    ] {
        assert!(
            mail.text.contains(part),
            "text part lacks {part:?}:\n{}",
            mail.text
        );
    }
    for part in [
        "93.4 %",
        "above 80.0 %",
        "CPU saturated",
        "2024-06-01T14:03:05+00:00",
    ] {
        assert!(
            mail.html.contains(part),
            "html part lacks {part:?}:\n{}",
            mail.html
        );
    }
    assert_eq!(mail.date, Timestamp::from_millis(AT), "dated at the alert");
    assert!(
        mail.message_id.starts_with("<lookout.") && mail.message_id.ends_with("@box>"),
        "{}",
        mail.message_id
    );
}

#[test]
fn reminders_and_resolutions_read_differently() {
    let cfg = config();
    let reminder = render_alert_email_in(
        &cfg,
        &event("CPU", EventKind::Reminder),
        "box",
        &TimeZone::UTC,
        Language::En,
    );
    assert_eq!(
        reminder.subject,
        "[Lookout] CRITICAL: CPU is still firing on box"
    );
    let resolved = render_alert_email_in(
        &cfg,
        &event("CPU", EventKind::Resolved),
        "box",
        &TimeZone::UTC,
        Language::En,
    );
    assert_eq!(resolved.subject, "[Lookout] RESOLVED: CPU on box");
    assert!(
        resolved.text.contains("Was firing since"),
        "{}",
        resolved.text
    );
    assert_ne!(
        reminder.message_id, resolved.message_id,
        "each event has its own message id"
    );
}

#[test]
fn the_same_event_renders_the_same_message_id() {
    let cfg = config();
    let ev = event("CPU", EventKind::Firing);
    let a = render_alert_email_in(&cfg, &ev, "box", &TimeZone::UTC, Language::En);
    let b = render_alert_email_in(&cfg, &ev, "box", &TimeZone::UTC, Language::En);
    assert_eq!(
        a.message_id, b.message_id,
        "a re-render (after a restart) keeps the id"
    );
}

#[test]
fn templates_fill_every_placeholder() {
    let cfg = EmailConfig {
        subject: Some("{severity}/{state}: {rule} {metric} {value} {op} {threshold} ({aggregate} {window}) on {host}".into()),
        body: Some("since {since}, at {at}\n<b>{rule}</b>".into()),
        ..config()
    };
    let mail = render_alert_email_in(
        &cfg,
        &event("Disk & <friends>", EventKind::Firing),
        "box",
        &TimeZone::UTC,
        Language::En,
    );
    assert_eq!(
        mail.subject,
        "critical/firing: Disk & <friends> cpu.total 93.4 % > 80.0 % (avg 1h) on box"
    );
    assert_eq!(
        mail.text,
        "since 2024-06-01T12:58:05+00:00, at 2024-06-01T14:03:05+00:00\n<b>Disk & <friends></b>"
    );
    assert!(
        mail.html
            .contains("&lt;b&gt;Disk &amp; &lt;friends&gt;&lt;/b&gt;"),
        "template text and values are escaped: {}",
        mail.html
    );
    assert!(
        !mail.html.contains("<b>Disk"),
        "no raw markup from a template or rule name: {}",
        mail.html
    );
}

#[test]
fn default_html_escapes_the_rule_name() {
    let mail = render_alert_email_in(
        &config(),
        &event("<script>alert(1)</script>", EventKind::Firing),
        "box",
        &TimeZone::UTC,
        Language::En,
    );
    assert!(!mail.html.contains("<script>"), "{}", mail.html);
    assert!(
        mail.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        mail.html
    );
}

#[test]
fn control_characters_never_reach_the_subject() {
    let evil = "CPU\r\nBcc: evil@example.com\r\nX-Injected: yes";
    for cfg in [
        config(),
        EmailConfig {
            subject: Some("{rule}!".into()),
            ..config()
        },
    ] {
        let mail = render_alert_email_in(
            &cfg,
            &event(evil, EventKind::Firing),
            "bad\nhost",
            &TimeZone::UTC,
            Language::En,
        );
        assert!(
            !mail.subject.chars().any(char::is_control),
            "subject {:?}",
            mail.subject
        );
        assert!(
            mail.subject
                .contains("CPU  Bcc: evil@example.com  X-Injected: yes"),
            "kept as text: {:?}",
            mail.subject
        );
        assert_eq!(mail.to, cfg.to, "recipients come from the config only");
        assert!(
            !mail.message_id.contains(['\r', '\n', ' ']),
            "{}",
            mail.message_id
        );
    }
}

#[test]
fn test_email_names_the_server_and_settings() {
    let cfg = EmailConfig {
        username: Some("alerts".into()),
        port: Some(2525),
        ..config()
    };
    let mail = render_test_email_in(
        &cfg,
        "box",
        Timestamp::from_millis(AT),
        &TimeZone::UTC,
        Language::En,
    );
    assert_eq!(mail.subject, "[Lookout] Test message from box");
    assert!(
        mail.text
            .contains("smtp.example.com:2525 with STARTTLS, authenticated as 'alerts'"),
        "{}",
        mail.text
    );
    assert!(
        mail.html.contains("authenticated as &#39;alerts&#39;"),
        "{}",
        mail.html
    );
    let again = render_test_email_in(
        &cfg,
        "box",
        Timestamp::from_millis(AT),
        &TimeZone::UTC,
        Language::En,
    );
    assert_ne!(
        mail.message_id, again.message_id,
        "each test email is a new message"
    );
}

#[test]
fn rendered_email_round_trips_through_json() {
    let mail = render_alert_email_in(
        &config(),
        &event("CPU", EventKind::Firing),
        "box",
        &TimeZone::UTC,
        Language::En,
    );
    let json = serde_json::to_string(&mail).expect("serialises");
    let back: RenderedEmail = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, mail, "the outbox stores and restores it unchanged");
}

#[test]
fn korean_defaults_are_whole_korean_sentences_with_the_same_facts() {
    let mut resolved = event("CPU <과부하>", EventKind::Resolved);
    resolved.aggregate = Aggregate::All;
    let firing = event("CPU <과부하>", EventKind::Firing);
    let cfg = config();
    let mail = render_alert_email_in(&cfg, &firing, "서버1", &TimeZone::UTC, Language::Ko);
    assert_eq!(mail.subject, "[Lookout] 심각: 서버1에서 CPU <과부하> 발생");
    for part in [
        "서버1에서 CPU <과부하> 알림이 발생했습니다.",
        "cpu.total, 1시간 평균: 93.4 % (임계값: 80.0 % 초과, 75.0 %에서 해제)",
        "심각도: 심각",
        "발생 시작: 2024-06-01T12:58:05+00:00 (1시간 5분 동안)",
        "보고 시각: 2024-06-01T14:03:05+00:00",
    ] {
        assert!(
            mail.text.contains(part),
            "text lacks {part:?}:\n{}",
            mail.text
        );
    }
    assert!(!mail.text.contains("firing"), "no English: {}", mail.text);
    assert!(mail.html.contains("<html lang=\"ko\">"), "{}", mail.html);
    assert!(
        mail.html
            .contains("서버1에서 CPU &lt;과부하&gt; 알림이 발생했습니다"),
        "the rule name is escaped in the HTML part: {}",
        mail.html
    );
    let back = render_alert_email_in(&cfg, &resolved, "서버1", &TimeZone::UTC, Language::Ko);
    assert_eq!(back.subject, "[Lookout] 해결됨: 서버1의 CPU <과부하>");
    assert!(back.text.contains("1시간 모든 표본"), "{}", back.text);
    assert!(back.text.contains("발생했던 시점: "), "{}", back.text);
}

#[test]
fn a_users_own_template_is_used_as_written_in_every_language() {
    let cfg = EmailConfig {
        subject: Some("{severity}: {rule} ({window})".into()),
        body: Some("{rule} {state}".into()),
        ..config()
    };
    let ev = event("CPU", EventKind::Firing);
    let en = render_alert_email_in(&cfg, &ev, "box", &TimeZone::UTC, Language::En);
    let ko = render_alert_email_in(&cfg, &ev, "box", &TimeZone::UTC, Language::Ko);
    assert_eq!(ko.subject, "critical: CPU (1h)");
    assert_eq!((ko.subject, ko.text), (en.subject, en.text));
}

#[test]
fn the_korean_test_email_names_the_server_and_settings() {
    let cfg = EmailConfig {
        username: Some("alerts".into()),
        tls: TlsMode::Tls,
        ..config()
    };
    let mail = render_test_email_in(
        &cfg,
        "서버1",
        Timestamp::from_millis(AT),
        &TimeZone::UTC,
        Language::Ko,
    );
    assert_eq!(mail.subject, "[Lookout] 서버1에서 보낸 테스트 메시지");
    assert!(
        mail.text
            .contains("경로: smtp.example.com:465, TLS, 'alerts'(으)로 인증."),
        "{}",
        mail.text
    );
    assert!(
        mail.html.contains("&#39;alerts&#39;(으)로 인증"),
        "{}",
        mail.html
    );
}

fn culprit(pid: u32, name: &str, cpu: f64) -> lookout_core::Culprit {
    lookout_core::Culprit {
        pid,
        name: name.into(),
        user: Some("alice".into()),
        command: format!("{name} --work"),
        cpu_pct: Some(cpu),
        rss_bytes: 1 << 20,
    }
}

#[test]
fn both_parts_name_the_culprits_in_order() {
    let mut e = event("CPU saturated", EventKind::Firing);
    e.culprits = vec![culprit(4242, "burner", 91.0), culprit(77, "<sh>", 2.5)];
    let mail = render_alert_email_in(&config(), &e, "box", &TimeZone::UTC, Language::En);
    let text_at = |s: &str| {
        mail.text
            .find(s)
            .unwrap_or_else(|| panic!("{s} in {}", mail.text))
    };
    assert!(text_at("Top processes") < text_at("burner --work"));
    assert!(text_at("4242") < text_at("77 "), "most responsible first");
    assert!(mail.text.contains("91.0 %"), "{}", mail.text);
    assert!(
        mail.html
            .contains("<td style=\"font-family:monospace\">burner --work</td>"),
        "{}",
        mail.html
    );
    assert!(
        mail.html.contains("&lt;sh&gt; --work"),
        "escaped: {}",
        mail.html
    );
    let without = render_alert_email_in(
        &config(),
        &event("CPU saturated", EventKind::Firing),
        "box",
        &TimeZone::UTC,
        Language::En,
    );
    let custom = EmailConfig {
        body: Some("{rule} on {host}\n{culprits}".into()),
        ..config()
    };
    let templated = render_alert_email_in(&custom, &e, "box", &TimeZone::UTC, Language::En);
    assert!(
        templated
            .text
            .starts_with("CPU saturated on box\nTop processes\n")
            && templated.text.contains("burner --work"),
        "{{culprits}} in a template of one's own: {}",
        templated.text
    );
    assert!(
        !without.text.contains("Top processes") && !without.html.contains("<h3>"),
        "no culprits, no table"
    );
}
