//! The tray menu's words: the status line, recent alert entries, the pause note, pause times.

use jiff::tz::TimeZone;
use lookout_core::{AlertEvent, AlertPhase, EventKind, MetricKey, Timestamp};
use lookout_i18n::Language;
use lookout_monitor::api::{TickFailure, TickView};

/// When "until tomorrow" ends: 08:00 local time on the next day, the start of a working day.
pub const TOMORROW_HOUR: i8 = 8;

/// The menu's fixed labels in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuLabels {
    pub starting: String,
    pub open: String,
    pub recent: String,
    pub no_alerts_yet: String,
    pub pause: String,
    pub pause_15m: String,
    pub pause_1h: String,
    pub pause_tomorrow: String,
    pub resume: String,
    pub autostart: String,
    pub quit: String,
}

/// The fixed labels of the menu in `lang`.
pub fn labels(lang: Language) -> MenuLabels {
    let words = lang.catalog();
    let t = |id: &str| words.text(id, &[]);
    let hour = format!("{TOMORROW_HOUR:02}");
    MenuLabels {
        starting: t("tray-starting"),
        open: t("tray-open"),
        recent: t("tray-recent"),
        no_alerts_yet: t("tray-no-alerts-yet"),
        pause: t("tray-pause"),
        pause_15m: t("tray-pause-15m"),
        pause_1h: t("tray-pause-1h"),
        pause_tomorrow: words.text("tray-pause-tomorrow", &[("hour", &hour)]),
        resume: t("tray-resume"),
        autostart: t("tray-autostart"),
        quit: t("tray-quit"),
    }
}

/// "Resume alerts", with the pause note while paused.
pub fn resume_label(note: Option<&str>, lang: Language) -> String {
    match note {
        Some(note) => lang.catalog().text("tray-resume-note", &[("note", note)]),
        None => lang.catalog().text("tray-resume", &[]),
    }
}

/// `CPU 12 % · Mem 43 % · 1 alert`: Linux trays show no tooltip, so this disabled menu item
/// is where the numbers live; `pause_note` (see [`pause_note`]) is added while paused. A metric
/// that was not read shows as `–`, never as 0.
pub fn status_line(view: &TickView, pause_note: Option<&str>, lang: Language) -> String {
    let pct = |key: &str| {
        MetricKey::parse(key)
            .ok()
            .and_then(|k| view.values.get(&k))
            .map_or_else(|| "–".to_owned(), |v| format!("{v:.0} %"))
    };
    let count = firing_count(view).to_string();
    let mut line = lang.catalog().text(
        "tray-status",
        &[
            ("cpu", &pct("cpu.total")),
            ("mem", &pct("mem.used_pct")),
            ("count", &count),
        ],
    );
    if let Some(note) = pause_note {
        line.push_str(" · ");
        line.push_str(note);
    }
    line
}

/// What the status line adds once the tick loop has failed: restarted (alerts are checked
/// again) or not (too many failures: nothing is checked).
pub fn failure_note(failure: &TickFailure, lang: Language) -> String {
    let id = if failure.restarted {
        "tray-monitor-restarted"
    } else {
        "tray-monitor-stopped"
    };
    lang.catalog().text(id, &[])
}

/// An alert transition's name in `lang`.
fn state_word(state: EventKind, lang: Language) -> String {
    let id = match state {
        EventKind::Pending => "tray-state-pending",
        EventKind::Firing => "tray-state-firing",
        EventKind::Reminder => "tray-state-reminder",
        EventKind::Resolved => "tray-state-resolved",
        EventKind::GaveUp => "tray-state-gave-up",
    };
    lang.catalog().text(id, &[])
}

/// Rules firing at this tick.
pub fn firing_count(view: &TickView) -> usize {
    view.rules
        .iter()
        .filter(|r| matches!(r.phase, AlertPhase::Firing { .. }))
        .count()
}

/// Whether an event belongs in "Recent alerts": what the user was (or would have been) told,
/// not the pending phase before it.
pub fn is_notable(event: &AlertEvent) -> bool {
    event.state != EventKind::Pending
}

/// `14:02 · CPU saturated · firing (93.4)`; older than today: `Tue 25 Nov 14:02 · ...`
/// (in Korean `11월 25일 (화) 14:02 · ...`).
pub fn alert_label(event: &AlertEvent, now: Timestamp, tz: &TimeZone, lang: Language) -> String {
    let value = event
        .value
        .map(|v| format!(" ({})", trim_number(v)))
        .unwrap_or_default();
    format!(
        "{} · {} · {}{value}",
        local_time(event.at, now, tz, lang),
        event.rule,
        state_word(event.state, lang)
    )
}

/// Until when notifications are paused, as far as the tick shows: every rule's
/// `snoozed_until` is at least the app-wide pause, so the earliest one is the pause's end
/// (`None` when the tick has no rules to tell).
pub fn paused_until(view: &TickView) -> Option<Timestamp> {
    view.rules.iter().filter_map(|r| r.snoozed_until).min()
}

/// `paused until 17:57` (or `paused` when the end is not known), for the menu while paused.
pub fn pause_note(
    paused_until: Option<Timestamp>,
    now: Timestamp,
    tz: &TimeZone,
    lang: Language,
) -> String {
    let words = lang.catalog();
    match paused_until {
        Some(until) if until > now => {
            let time = local_time(until, now, tz, lang);
            words.text("tray-paused-until", &[("time", &time)])
        }
        _ => words.text("tray-paused", &[]),
    }
}

/// `now` plus `minutes`.
pub fn minutes_from(now: Timestamp, minutes: u64) -> Timestamp {
    now.plus(std::time::Duration::from_secs(minutes * 60))
}

/// 08:00 tomorrow in `tz` (on a day without 08:00, the time the clocks show instead).
pub fn tomorrow_morning(now: Timestamp, tz: &TimeZone) -> Option<Timestamp> {
    let today = jiff::Timestamp::from_millisecond(now.as_millis())
        .ok()?
        .to_zoned(tz.clone())
        .date();
    let morning = today
        .tomorrow()
        .ok()?
        .at(TOMORROW_HOUR, 0, 0, 0)
        .to_zoned(tz.clone())
        .ok()?;
    Some(Timestamp::from_millis(morning.timestamp().as_millisecond()))
}

/// Menu items read `&` as a mnemonic marker; `&&` shows one `&`.
pub fn menu_text(text: &str) -> String {
    text.replace('&', "&&")
}

/// `HH:MM` today; on another day `Tue 25 Nov HH:MM`, in Korean `11월 25일 (화) HH:MM`.
fn local_time(at: Timestamp, now: Timestamp, tz: &TimeZone, lang: Language) -> String {
    let zoned = |t: Timestamp| {
        jiff::Timestamp::from_millisecond(t.as_millis())
            .ok()
            .map(|t| t.to_zoned(tz.clone()))
    };
    match (zoned(at), zoned(now)) {
        (Some(at), Some(now)) if at.date() == now.date() => at.strftime("%H:%M").to_string(),
        (Some(at), _) => match lang {
            Language::En => at.strftime("%a %-d %b %H:%M").to_string(),
            Language::Ko => {
                const DAYS: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];
                let day = DAYS[usize::from(at.weekday().to_monday_zero_offset().unsigned_abs())];
                format!(
                    "{}월 {}일 ({day}) {}",
                    at.month(),
                    at.day(),
                    at.strftime("%H:%M")
                )
            }
        },
        (None, _) => "?".to_owned(),
    }
}

/// `93.4`, `90`, `1.2e9` (a menu line has no room for 93.4000001).
fn trim_number(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{v:.2e}")
    } else {
        let s = format!("{v:.1}");
        s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: Language = Language::En;
    const KO: Language = Language::Ko;
    use lookout_core::{Aggregate, Op, Severity, Snapshot};
    use lookout_monitor::api::RuleStatus;
    use std::time::Duration;

    /// 2025-11-25 16:42:00 UTC, a Tuesday.
    const NOW: Timestamp = Timestamp::from_millis(1_764_088_920_000);

    fn paris() -> TimeZone {
        TimeZone::fixed(jiff::tz::offset(1))
    }

    fn view(values: &[(&str, f64)], firing: usize) -> TickView {
        let mut snapshot = Snapshot::new();
        for (k, v) in values {
            snapshot.insert(MetricKey::parse(k).expect("metric key"), *v);
        }
        let rule = |i: usize, phase| RuleStatus {
            name: format!("rule {i}"),
            metric: "cpu.total".into(),
            severity: Severity::Warning,
            enabled: true,
            phase,
            value: Some(95.0),
            coverage: 1.0,
            snoozed_until: None,
        };
        let firing_phase = AlertPhase::Firing {
            since: NOW,
            last_notified: NOW,
            clearing_since: None,
            reminders: 0,
        };
        let mut rules: Vec<_> = (0..firing).map(|i| rule(i, firing_phase)).collect();
        rules.push(rule(99, AlertPhase::Pending { since: NOW }));
        TickView {
            at: NOW,
            values: snapshot,
            rules,
        }
    }

    fn event(rule: &str, state: EventKind, at: Timestamp, value: Option<f64>) -> AlertEvent {
        AlertEvent {
            rule: rule.into(),
            state,
            metric: MetricKey::parse("cpu.total").expect("key"),
            value,
            threshold: 90.0,
            clear_threshold: 80.0,
            op: Op::Gt,
            aggregate: Aggregate::Avg,
            window: Duration::from_secs(300),
            severity: Severity::Critical,
            at,
            since: at,
            coverage: 1.0,
            channels: Vec::new(),
            notify: true,
            culprits: Vec::new(),
            gave_up: None,
        }
    }

    #[test]
    fn status_line_rounds_and_counts_firing_rules_only() {
        let line = status_line(
            &view(&[("cpu.total", 12.4), ("mem.used_pct", 43.6)], 1),
            None,
            EN,
        );
        assert_eq!(
            line, "CPU 12 % · Mem 44 % · 1 alert",
            "pending rules do not count"
        );
        let line = status_line(
            &view(&[("cpu.total", 99.0), ("mem.used_pct", 50.0)], 3),
            Some("paused until 17:57"),
            EN,
        );
        assert_eq!(
            line, "CPU 99 % · Mem 50 % · 3 alerts · paused until 17:57",
            "plural, and the pause at the end"
        );
    }

    #[test]
    fn status_line_shows_a_dash_for_metrics_not_read() {
        let line = status_line(&view(&[("cpu.total", 5.0)], 0), None, EN);
        assert_eq!(
            line, "CPU 5 % · Mem – · no alerts",
            "memory was not sampled: a dash, not 0 %"
        );
    }

    #[test]
    fn alert_labels_show_local_time_rule_state_and_value() {
        let today = event("CPU saturated", EventKind::Firing, NOW, Some(93.4));
        assert_eq!(
            alert_label(&today, NOW, &paris(), EN),
            "17:42 · CPU saturated · firing (93.4)",
            "today: time only, in the local zone"
        );
        let earlier = event(
            "Disk",
            EventKind::Resolved,
            NOW.minus(Duration::from_secs(2 * 86_400)),
            Some(88.0),
        );
        assert_eq!(
            alert_label(&earlier, NOW, &paris(), EN),
            "Sun 23 Nov 17:42 · Disk · resolved (88)",
            "another day: the day too; whole numbers lose their .0"
        );
        let unknown = event("Mem", EventKind::Reminder, NOW, None);
        assert_eq!(
            alert_label(&unknown, NOW, &paris(), EN),
            "17:42 · Mem · reminder",
            "no value, no parentheses"
        );
    }

    #[test]
    fn the_menu_speaks_korean() {
        let line = status_line(
            &view(&[("cpu.total", 12.4), ("mem.used_pct", 43.6)], 2),
            Some(&pause_note(Some(minutes_from(NOW, 15)), NOW, &paris(), KO)),
            KO,
        );
        assert_eq!(
            line,
            "CPU 12 % · 메모리 44 % · 알림 2개 · 17:57까지 일시 중지"
        );
        assert_eq!(
            status_line(&view(&[("cpu.total", 5.0)], 0), None, KO),
            "CPU 5 % · 메모리 – · 알림 없음"
        );
        let earlier = event(
            "Disk",
            EventKind::Resolved,
            NOW.minus(Duration::from_secs(2 * 86_400)),
            Some(88.0),
        );
        assert_eq!(
            alert_label(&earlier, NOW, &paris(), KO),
            "11월 23일 (일) 17:42 · Disk · 해제 (88)",
            "the Korean date order, 24-hour time"
        );
        let words = labels(KO);
        assert_eq!(words.open, "Lookout 열기");
        assert_eq!(words.pause_tomorrow, "내일 08:00까지");
        assert_eq!(labels(EN).pause_tomorrow, "Until tomorrow 08:00");
    }

    #[test]
    fn pending_events_are_not_recent_alerts() {
        assert!(
            !is_notable(&event("x", EventKind::Pending, NOW, None)),
            "pending is not an alert"
        );
        assert!(
            is_notable(&event("x", EventKind::Firing, NOW, None)),
            "firing is"
        );
        assert!(
            is_notable(&event("x", EventKind::Resolved, NOW, None)),
            "resolved is"
        );
    }

    #[test]
    fn pause_note_says_until_when() {
        let until = minutes_from(NOW, 15);
        assert_eq!(
            pause_note(Some(until), NOW, &paris(), EN),
            "paused until 17:57",
            "paused, with its end in local time"
        );
        assert_eq!(
            pause_note(None, NOW, &paris(), EN),
            "paused",
            "paused with no end known"
        );
    }

    #[test]
    fn the_pause_ends_at_the_earliest_rule_snooze() {
        let mut v = view(&[], 1);
        assert_eq!(paused_until(&v), None, "nothing snoozed");
        let end = minutes_from(NOW, 60);
        for r in &mut v.rules {
            r.snoozed_until = Some(end);
        }
        v.rules[0].snoozed_until = Some(minutes_from(NOW, 600));
        assert_eq!(
            paused_until(&v),
            Some(end),
            "a longer snooze of one rule does not hide the app-wide end"
        );
    }

    #[test]
    fn tomorrow_means_eight_in_the_morning_local_time() {
        let until = tomorrow_morning(NOW, &paris()).expect("a valid date");
        // 2025-11-26 08:00 at UTC+1 is 07:00 UTC.
        assert_eq!(
            until,
            Timestamp::from_millis(1_764_140_400_000),
            "08:00 local on the next day"
        );
        let just_after_midnight = Timestamp::from_millis(1_764_111_600_000); // 26 Nov 00:00 +01
        assert_eq!(
            tomorrow_morning(just_after_midnight, &paris()),
            Some(Timestamp::from_millis(1_764_226_800_000)),
            "after midnight, tomorrow is the day after the new date (27 Nov 08:00)"
        );
    }

    #[test]
    fn ampersands_show_as_written() {
        assert_eq!(
            menu_text("R&D disk"),
            "R&&D disk",
            "doubled so it is not a mnemonic"
        );
    }
}
