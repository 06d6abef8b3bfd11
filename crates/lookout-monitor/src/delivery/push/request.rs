//! The request each kind of push channel sends, built from the message and the channel's
//! settings and secret, following each service's documented API. No I/O: the sender sends
//! what this builds.

use super::payload::{alertmanager_payload, lookout_payload, Words};
use crate::store::PushMessage;
use crate::sys::secrets::Secret;
use lookout_core::config::{ChannelConfig, ChannelKind, WebhookFormat};
use lookout_core::{EventKind, Severity};
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
    fn signatures_match_the_published_hmac_sha256_vector() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
