//! The request each kind of push channel sends, built from the message and the channel's
//! settings and secret, following each service's documented API. No I/O: the sender sends
//! what this builds.

use super::payload::{alertmanager_alerts, alertmanager_payload, lookout_payload, Words};
use crate::store::PushMessage;
use crate::sys::secrets::Secret;
use lookout_core::config::{ChannelConfig, ChannelKind, WebhookFormat};
use lookout_core::{EventKind, Severity, Timestamp};
use serde_json::json;

/// Telegram's API unless the channel names another.
pub const TELEGRAM_API: &str = "https://api.telegram.org";
/// The header holding a webhook body's HMAC-SHA256 signature, `sha256=<hex>`.
pub const SIGNATURE_HEADER: &str = "X-Lookout-Signature";
/// The header naming a message the same on every attempt, so a receiver can drop a second copy.
pub const DELIVERY_HEADER: &str = "X-Lookout-Delivery";

/// One HTTP request, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why no request can be made: a secret the kind needs is not stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no secret is stored for channel '{channel}' ({what}); store it with `lookout secret set channel:{channel}` or give secret_file")]
pub struct MissingSecret {
    pub channel: String,
    pub what: &'static str,
}

/// The POST for `message` on `channel` (all kinds but Apprise, which runs a command).
pub fn http_request(
    channel: &ChannelConfig,
    secret: Option<&Secret>,
    message: &PushMessage,
    words: &Words,
    now: Timestamp,
) -> Result<HttpRequest, MissingSecret> {
    let needs = |what: &'static str| {
        secret.map(Secret::expose).ok_or_else(|| MissingSecret {
            channel: channel.name.clone(),
            what,
        })
    };
    let event = message.payload.event.as_ref();
    let tone = Tone::of(event.map(|e| (e.state, e.severity)));
    let json_body = |value: serde_json::Value| value.to_string().into_bytes();
    let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    let url = channel.url.clone().unwrap_or_default();
    let (url, body) = match channel.kind {
        ChannelKind::Webhook => {
            let body = match channel.format.unwrap_or_default() {
                WebhookFormat::Json => lookout_payload(message, words),
                WebhookFormat::Alertmanager => alertmanager_payload(message, &channel.name, words),
            };
            let body = json_body(body);
            headers.extend(channel.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
            headers.push((DELIVERY_HEADER.to_owned(), message.delivery_key()));
            if channel.sign {
                let key = needs("the signing key")?;
                headers.push((SIGNATURE_HEADER.to_owned(), signature(key, &body)));
            }
            (url, body)
        }
        ChannelKind::Ntfy => {
            // JSON publishing (to the server, topic in the body) carries any language's title,
            // which a header would not.
            let (server, topic) = split_topic(&url);
            if let Some(token) = secret {
                headers.push(("Authorization".into(), format!("Bearer {}", token.expose())));
            }
            let body = json!({
                "topic": topic,
                "title": words.title,
                "message": words.body,
                "priority": tone.ntfy_priority(),
                "tags": [tone.ntfy_tag()],
            });
            (server, json_body(body))
        }
        ChannelKind::Gotify => {
            headers.push((
                "X-Gotify-Key".into(),
                needs("the application token")?.to_owned(),
            ));
            let body = json!({
                "title": words.title,
                "message": words.body,
                "priority": tone.gotify_priority(),
            });
            (
                format!("{}/message", url.trim_end_matches('/')),
                json_body(body),
            )
        }
        ChannelKind::Telegram => {
            let token = needs("the bot token")?;
            let base = channel
                .url
                .as_deref()
                .unwrap_or(TELEGRAM_API)
                .trim_end_matches('/');
            let body = json!({
                "chat_id": channel.chat_id.clone().unwrap_or_default(),
                "text": format!("{} {}\n\n{}", tone.emoji(), words.title, words.body),
                "disable_notification": tone == Tone::Resolved,
            });
            (format!("{base}/bot{token}/sendMessage"), json_body(body))
        }
        ChannelKind::Discord => {
            let body = json!({
                "username": "Lookout",
                "embeds": [{
                    "title": words.title,
                    "description": words.body,
                    "color": tone.color(),
                    "timestamp": event.map(|e| crate::sys::clock::rfc3339(e.at)),
                }],
                "allowed_mentions": { "parse": [] },
            });
            (needs("the webhook URL")?.to_owned(), json_body(body))
        }
        ChannelKind::Slack => {
            let body = json!({
                "text": format!("{} {}", tone.emoji(), slack_escape(&words.title)),
                "attachments": [{
                    "color": format!("#{:06x}", tone.color()),
                    "text": slack_escape(&words.body),
                }],
            });
            (needs("the webhook URL")?.to_owned(), json_body(body))
        }
        ChannelKind::Apprise => (needs("the Apprise URLs")?.to_owned(), Vec::new()),
        ChannelKind::Alertmanager => {
            headers.extend(channel.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
            if let Some(token) = secret {
                headers.push(("Authorization".into(), format!("Bearer {}", token.expose())));
            }
            let body = alertmanager_alerts(message, words, now);
            (
                format!("{}/api/v2/alerts", url.trim_end_matches('/')),
                json_body(body),
            )
        }
    };
    Ok(HttpRequest { url, headers, body })
}

/// How an alert should sound: drives priorities, tags, colours and emoji.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Critical,
    Warning,
    Resolved,
    /// A test message.
    Info,
}

impl Tone {
    pub fn of(event: Option<(EventKind, Severity)>) -> Self {
        match event {
            None => Self::Info,
            Some((EventKind::Resolved, _)) => Self::Resolved,
            Some((_, Severity::Critical)) => Self::Critical,
            Some((_, Severity::Warning)) => Self::Warning,
        }
    }

    /// ntfy's 1–5: urgent for critical, high for warning.
    fn ntfy_priority(self) -> u8 {
        match self {
            Self::Critical => 5,
            Self::Warning => 4,
            Self::Resolved | Self::Info => 3,
        }
    }

    /// ntfy turns these tags into emoji.
    fn ntfy_tag(self) -> &'static str {
        match self {
            Self::Critical => "rotating_light",
            Self::Warning => "warning",
            Self::Resolved => "white_check_mark",
            Self::Info => "information_source",
        }
    }

    /// Gotify's 0–10 (8 and up is shown as a high-priority notification).
    fn gotify_priority(self) -> u8 {
        match self {
            Self::Critical => 8,
            Self::Warning => 5,
            Self::Resolved | Self::Info => 2,
        }
    }

    /// Red, amber, green, blue.
    fn color(self) -> u32 {
        match self {
            Self::Critical => 0xD0_2020,
            Self::Warning => 0xE0_9000,
            Self::Resolved => 0x2E_9D44,
            Self::Info => 0x2F_6FD0,
        }
    }

    fn emoji(self) -> &'static str {
        match self {
            Self::Critical => "🚨",
            Self::Warning => "⚠️",
            Self::Resolved => "✅",
            Self::Info => "ℹ️",
        }
    }

    /// Apprise's `--notification-type`.
    pub fn apprise_type(self) -> &'static str {
        match self {
            Self::Critical => "failure",
            Self::Warning => "warning",
            Self::Resolved => "success",
            Self::Info => "info",
        }
    }
}

/// `https://ntfy.sh/my-topic` → (`https://ntfy.sh`, `my-topic`); a server behind a path
/// keeps it (`https://example.com/ntfy/alerts` → `https://example.com/ntfy`, `alerts`).
fn split_topic(url: &str) -> (String, String) {
    let url = url.trim_end_matches('/');
    match url.rsplit_once('/') {
        Some((server, topic)) if !server.ends_with('/') && server.contains("://") => {
            (server.to_owned(), topic.to_owned())
        }
        _ => (url.to_owned(), String::new()),
    }
}

/// Slack reads `&`, `<` and `>` as markup.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `sha256=<hex>` of `body` keyed with `key` (HMAC-SHA256), as GitHub signs its webhooks.
pub fn signature(key: &str, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key.as_bytes());
    let tag = ring::hmac::sign(&key, body);
    let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ntfy_urls_split_into_server_and_topic() {
        assert_eq!(
            split_topic("https://ntfy.sh/my-topic"),
            ("https://ntfy.sh".into(), "my-topic".into())
        );
        assert_eq!(
            split_topic("http://127.0.0.1:8080/ntfy/alerts/"),
            ("http://127.0.0.1:8080/ntfy".into(), "alerts".into())
        );
    }

    #[test]
    #[allow(clippy::expect_used)]
    fn alertmanager_gets_one_v2_alert_that_ends_four_periods_on_or_at_its_resolution() {
        use crate::delivery::push::payload::ALERTMANAGER_RESEND;
        use crate::store::PushPayload;
        let channel: ChannelConfig = toml::from_str(
            "name = \"am\"\nkind = \"alertmanager\"\nurl = \"http://am:9093/\"\n\
             headers = { X-Scope-OrgID = \"team\" }\n",
        )
        .expect("channel");
        let mut event = lookout_core::AlertEvent {
            metric: lookout_core::MetricKey::parse("disk./home.used_pct").expect("key"),
            ..disk_full_event()
        };
        let now = event.at.plus(std::time::Duration::from_secs(30));
        let message = |event: &lookout_core::AlertEvent| PushMessage {
            id: 7,
            channel: "am".into(),
            created_at: now,
            event_id: Some(3),
            payload: PushPayload {
                event: Some(event.clone()),
                lang: "en".into(),
                host: "ws1".into(),
                resend: false,
            },
            attempts: 1,
        };
        let words = Words {
            title: "t".into(),
            body: "b".into(),
        };
        let secret = Secret::new("tok");
        let req =
            http_request(&channel, Some(&secret), &message(&event), &words, now).expect("request");
        assert_eq!(req.url, "http://am:9093/api/v2/alerts");
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
        assert!(req
            .headers
            .contains(&("X-Scope-OrgID".into(), "team".into())));
        let body: serde_json::Value = serde_json::from_slice(&req.body).expect("JSON");
        let alert = &body[0];
        assert_eq!(body.as_array().map(Vec::len), Some(1));
        assert_eq!(alert["labels"]["alertname"], "DiskFull");
        assert_eq!(alert["labels"]["mount"], "/home");
        assert_eq!(alert["labels"]["instance"], "ws1");
        assert_eq!(alert["labels"]["severity"], "critical");
        assert_eq!(alert["annotations"]["summary"], "t");
        assert_eq!(alert["startsAt"], crate::sys::clock::rfc3339(event.since));
        assert_eq!(
            alert["endsAt"],
            crate::sys::clock::rfc3339(now.plus(ALERTMANAGER_RESEND * 4))
        );
        event.state = EventKind::Resolved;
        let req = http_request(&channel, None, &message(&event), &words, now).expect("request");
        let body: serde_json::Value = serde_json::from_slice(&req.body).expect("JSON");
        assert_eq!(body[0]["endsAt"], crate::sys::clock::rfc3339(event.at));
        assert!(!req.headers.iter().any(|(k, _)| k == "Authorization"));
    }

    /// A firing critical event of the rule "disk full".
    fn disk_full_event() -> lookout_core::AlertEvent {
        let at = lookout_core::Timestamp::from_millis(1_800_000_000_000);
        lookout_core::AlertEvent {
            rule: "disk full".into(),
            state: EventKind::Firing,
            metric: lookout_core::MetricKey::parse("cpu.total").expect("key"),
            value: Some(95.0),
            threshold: 90.0,
            clear_threshold: 90.0,
            op: lookout_core::Op::Gt,
            aggregate: lookout_core::Aggregate::Max,
            window: std::time::Duration::from_secs(60),
            severity: Severity::Critical,
            at,
            since: at.minus(std::time::Duration::from_secs(120)),
            coverage: 1.0,
            channels: Vec::new(),
            notify: true,
            culprits: Vec::new(),
            gave_up: None,
        }
    }

    #[test]
    fn signatures_match_the_published_hmac_sha256_vector() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
