//! Human-readable text for alert events: values with units, durations, times, safe strings.

use jiff::tz::TimeZone;
use lookout_core::alert::{AlertEvent, EventKind};
use lookout_core::config::parse_duration;
use lookout_core::metric::{
    AppField, BatteryField, DiskIoField, GpuField, MetricFamily, MetricKey, ProbeField,
};
use lookout_core::rule::{Aggregate, Op, Severity};
use lookout_core::Timestamp;
use lookout_i18n::Language;
use std::time::Duration;

/// A metric reading in the unit a person expects: `93.4 %`, `3.2 GiB`, `71.0 °C`.
pub fn metric_value(metric: &MetricKey, value: f64) -> String {
    match metric.family() {
        MetricFamily::CpuTotal
        | MetricFamily::CpuCore(_)
        | MetricFamily::MemUsedPct
        | MetricFamily::SwapUsedPct
        | MetricFamily::DiskUsedPct { .. } => format!("{value:.1} %"),
        MetricFamily::MemUsedBytes => bytes(value, ""),
        // The sampler reports network rates in bytes per second.
        MetricFamily::NetRxBps { .. } | MetricFamily::NetTxBps { .. } => bytes(value, "/s"),
        MetricFamily::Load1 | MetricFamily::Load5 | MetricFamily::Load15 => format!("{value:.2}"),
        MetricFamily::Temp { .. } => format!("{value:.1} °C"),
        MetricFamily::App { field, .. } => match field {
            AppField::CpuPct | AppField::MemPct => format!("{value:.1} %"),
            AppField::RssBytes => bytes(value, ""),
            AppField::IoReadBps | AppField::IoWriteBps => bytes(value, "/s"),
            AppField::UptimeS => duration(Duration::from_secs_f64(value.max(0.0))),
            AppField::Running | AppField::Threads | AppField::Fds | AppField::Restarts => {
                format!("{value:.0}")
            }
        },
        MetricFamily::Battery { field, .. } => match field {
            BatteryField::Pct => format!("{value:.0} %"),
            BatteryField::Charging => format!("{value:.0}"),
            BatteryField::TimeToEmptyS => duration(Duration::from_secs_f64(value.max(0.0))),
        },
        MetricFamily::PowerAc => format!("{value:.0}"),
        MetricFamily::DiskIo { field, .. } => match field {
            DiskIoField::ReadBps | DiskIoField::WriteBps => bytes(value, "/s"),
            DiskIoField::BusyPct => format!("{value:.1} %"),
        },
        MetricFamily::Gpu { field, .. } => match field {
            GpuField::BusyPct | GpuField::VramUsedPct => format!("{value:.1} %"),
            GpuField::Temp => format!("{value:.1} °C"),
        },
        MetricFamily::Probe { field, .. } => match field {
            ProbeField::Up => format!("{value:.0}"),
            ProbeField::LatencyMs => format!("{value:.0} ms"),
        },
    }
}

/// "Gave up running systemctl restart my-app after 3 tries in 15m; it runs again once the
/// rule resolves." (empty for other events).
pub fn gave_up_words(event: &AlertEvent, lang: Language) -> String {
    let Some(g) = &event.gave_up else {
        return String::new();
    };
    let command = one_line(&g.command.join(" "));
    let runs = g.runs.to_string();
    let words = lang.catalog();
    match &g.within {
        Some(within) => {
            let within = parse_duration(within)
                .map_or_else(|_| one_line(within), |d| duration_words(d, lang));
            words.text(
                "action-gave-up-within",
                &[("command", &command), ("runs", &runs), ("within", &within)],
            )
        }
        None => words.text("action-gave-up", &[("command", &command), ("runs", &runs)]),
    }
}

/// A byte count in binary units: `512 B`, `3.2 GiB`.
pub fn bytes_text(value: f64) -> String {
    bytes(value, "")
}

fn bytes(value: f64, suffix: &str) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = value;
    let mut unit = 0;
    while v.abs() >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{v:.0} B{suffix}")
    } else {
        format!("{v:.1} {}{suffix}", UNITS[unit])
    }
}

/// A duration as people write it, to whole seconds: `1h 5m`, `90s` becomes `1m 30s`.
pub fn duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        return humantime::format_duration(d).to_string();
    }
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

/// A duration as people write it, to whole seconds: `1h 5m` in English, `1시간 5분` in Korean.
pub fn duration_words(d: Duration, lang: Language) -> String {
    let text = duration(d);
    match lang {
        Language::En => text,
        Language::Ko => text
            .split_whitespace()
            .map(|part| {
                let split = part
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(part.len());
                let (n, unit) = part.split_at(split);
                let unit = match unit {
                    "y" | "year" | "years" => "년",
                    "M" | "month" | "months" => "개월",
                    "d" | "day" | "days" => "일",
                    "h" => "시간",
                    "m" => "분",
                    "s" => "초",
                    "ms" => "밀리초",
                    other => other,
                };
                format!("{n}{unit}")
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// RFC 3339 in the given zone, to the second: `2024-06-01T14:03:05+02:00`.
pub fn rfc3339(at: Timestamp, tz: &TimeZone) -> String {
    match jiff::Timestamp::from_millisecond(at.as_millis()) {
        Ok(ts) => ts
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        Err(_) => format!("{} ms after the Unix epoch", at.as_millis()),
    }
}

/// A short local time for a notification: `14:03`, with the date when it is not `today`'s.
pub fn short_time(at: Timestamp, today: Timestamp, tz: &TimeZone) -> String {
    let zoned = |t: Timestamp| {
        jiff::Timestamp::from_millisecond(t.as_millis())
            .ok()
            .map(|ts| ts.to_zoned(tz.clone()))
    };
    match (zoned(at), zoned(today)) {
        (Some(a), Some(t)) if a.date() == t.date() => a.strftime("%H:%M").to_string(),
        (Some(a), _) => a.strftime("%Y-%m-%d %H:%M").to_string(),
        (None, _) => rfc3339(at, tz),
    }
}

/// One line of text: every control character (CR, LF, tab, ...) and Unicode line or
/// paragraph separator becomes a space, so a value can never start a new header line.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// How an aggregate reads in a sentence, in `lang`: "average", "평균".
pub fn aggregate_words(aggregate: Aggregate, lang: Language) -> String {
    let id = match aggregate {
        Aggregate::All => "aggregate-all",
        Aggregate::Avg => "aggregate-avg",
        Aggregate::Min => "aggregate-min",
        Aggregate::Max => "aggregate-max",
        Aggregate::P95 => "aggregate-p95",
    };
    lang.catalog().text(id, &[])
}

/// How a comparison reads in a sentence, in `lang`: "above", "초과".
pub fn op_words(op: Op, lang: Language) -> String {
    let id = match op {
        Op::Gt => "op-gt",
        Op::Ge => "op-ge",
        Op::Lt => "op-lt",
        Op::Le => "op-le",
    };
    lang.catalog().text(id, &[])
}

/// A severity as a word, in `lang`: "critical", "심각".
pub fn severity_words(severity: Severity, lang: Language) -> String {
    let id = match severity {
        Severity::Critical => "severity-critical",
        Severity::Warning => "severity-warning",
    };
    lang.catalog().text(id, &[])
}

/// The headline label, in `lang`: `CRITICAL`, `WARNING`, or `RESOLVED` for a resolution.
pub fn label_words(event: &AlertEvent, lang: Language) -> String {
    let id = match (event.state, event.severity) {
        (EventKind::Resolved, _) => "email-label-resolved",
        (_, Severity::Critical) => "email-label-critical",
        (_, Severity::Warning) => "email-label-warning",
    };
    lang.catalog().text(id, &[])
}

/// Every template placeholder of one event, already formatted and made single-line.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFields {
    pub rule: String,
    pub state: String,
    pub metric: String,
    pub value: String,
    pub threshold: String,
    pub op: String,
    pub aggregate: String,
    pub window: String,
    pub severity: String,
    pub host: String,
    pub since: String,
    pub at: String,
    /// The culprits as aligned columns under a heading (empty when there are none); the
    /// email fills it in (`delivery::culprits::text_table`).
    pub culprits: String,
}

impl EventFields {
    pub fn new(event: &AlertEvent, host: &str, tz: &TimeZone) -> Self {
        Self {
            rule: one_line(&event.rule),
            state: event.state.name().to_owned(),
            metric: one_line(event.metric.as_str()),
            value: event
                .value
                .map_or_else(|| "unknown".to_owned(), |v| metric_value(&event.metric, v)),
            threshold: metric_value(&event.metric, event.threshold),
            op: event.op.symbol().to_owned(),
            aggregate: event.aggregate.to_string(),
            window: duration(event.window),
            severity: event.severity.to_string(),
            host: one_line(host),
            since: rfc3339(event.since, tz),
            at: rfc3339(event.at, tz),
            culprits: String::new(),
        }
    }

    /// The value of placeholder `name` (see `lookout_core::template::PLACEHOLDERS`).
    pub fn lookup(&self, name: &str) -> Option<String> {
        let v = match name {
            "rule" => &self.rule,
            "state" => &self.state,
            "metric" => &self.metric,
            "value" => &self.value,
            "threshold" => &self.threshold,
            "op" => &self.op,
            "aggregate" => &self.aggregate,
            "window" => &self.window,
            "severity" => &self.severity,
            "host" => &self.host,
            "since" => &self.since,
            "at" => &self.at,
            "culprits" => &self.culprits,
            _ => return None,
        };
        Some(v.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> MetricKey {
        MetricKey::parse(k).expect("valid key")
    }

    #[test]
    fn values_carry_their_units() {
        assert_eq!(metric_value(&key("cpu.total"), 93.44), "93.4 %");
        assert_eq!(metric_value(&key("disk./.used_pct"), 90.0), "90.0 %");
        assert_eq!(
            metric_value(&key("mem.used_bytes"), 3.5 * 1024.0 * 1024.0 * 1024.0),
            "3.5 GiB"
        );
        assert_eq!(metric_value(&key("net.eth0.rx_bps"), 512.0), "512 B/s");
        assert_eq!(metric_value(&key("net.eth0.tx_bps"), 1536.0), "1.5 KiB/s");
        assert_eq!(metric_value(&key("load.1"), 2.345), "2.35");
        assert_eq!(metric_value(&key("temp.cpu"), 71.04), "71.0 °C");
        assert_eq!(metric_value(&key("app.db.running"), 2.0), "2");
        assert_eq!(metric_value(&key("app.db.cpu_pct"), 12.34), "12.3 %");
        assert_eq!(
            metric_value(&key("app.db.rss_bytes"), 2.0 * 1024.0 * 1024.0 * 1024.0),
            "2.0 GiB"
        );
        assert_eq!(metric_value(&key("app.db.uptime_s"), 3725.0), "1h 2m 5s");
    }

    #[test]
    fn durations_drop_sub_second_noise() {
        assert_eq!(duration(Duration::from_millis(3_905_250)), "1h 5m 5s");
        assert_eq!(duration(Duration::from_secs(3600)), "1h");
        assert_eq!(duration(Duration::from_millis(500)), "500ms");
    }

    #[test]
    fn times_are_rfc3339_in_the_given_zone() {
        let at = Timestamp::from_millis(1_717_250_585_000); // 2024-06-01T14:03:05Z
        assert_eq!(rfc3339(at, &TimeZone::UTC), "2024-06-01T14:03:05+00:00");
        let paris = TimeZone::fixed(jiff::tz::offset(2));
        assert_eq!(rfc3339(at, &paris), "2024-06-01T16:03:05+02:00");
        assert_eq!(
            short_time(at, at, &TimeZone::UTC),
            "14:03",
            "same day: time only"
        );
        let next_day = Timestamp::from_millis(1_717_250_585_000 + 86_400_000);
        assert_eq!(
            short_time(at, next_day, &TimeZone::UTC),
            "2024-06-01 14:03",
            "other day: with date"
        );
    }

    #[test]
    fn one_line_removes_every_line_break_and_control() {
        let out = one_line("CPU\r\nBcc: evil@example.com\tx\u{2028}y\u{7f}");
        assert!(
            !out.chars().any(|c| c.is_control() || c == '\u{2028}'),
            "{out:?}"
        );
        assert_eq!(out, "CPU  Bcc: evil@example.com x y");
    }

    #[test]
    fn html_escape_covers_markup_and_quotes() {
        assert_eq!(
            html_escape(r#"<b>"A" & 'B'</b>"#),
            "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;"
        );
    }
}
