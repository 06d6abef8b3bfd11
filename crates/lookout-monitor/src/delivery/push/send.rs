//! Sends one push message and says what the answer means: delivered, worth retrying (and
//! when), or never going to work. Secrets never appear in what it reports.

use super::payload::Words;
use super::request::{http_request, HttpRequest, Tone};
use crate::delivery::email::redact::redact;
use crate::store::PushMessage;
use crate::sys::http::error_chain;
use crate::sys::secrets::Secret;
use lookout_core::config::{ChannelConfig, ChannelKind};
use lookout_core::Timestamp;
use std::path::Path;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// The most of an answer's body kept for the delivery log.
const ANSWER_CHARS: usize = 200;
/// The longest `Retry-After` honoured; a longer one waits this long (and the message may
/// expire first).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Why a message was not delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushError {
    /// Never going to work as it is (401, 403, 404, a bad request): not retried.
    pub permanent: bool,
    /// When the service asked to be tried again (429 or 503 with `Retry-After`).
    pub retry_after: Option<Duration>,
    pub message: String,
}

impl PushError {
    fn transient(message: String) -> Self {
        Self {
            permanent: false,
            retry_after: None,
            message,
        }
    }
}

/// Delivers `message` on `channel`; the service's answer ("HTTP 200 …") or why not.
pub async fn deliver(
    channel: &ChannelConfig,
    secret: Option<&Secret>,
    message: &PushMessage,
    words: &Words,
    client: &reqwest::Client,
    now: Timestamp,
) -> Result<String, PushError> {
    let hide = |text: &str| match secret {
        Some(s) => redact(text, s.expose()),
        None => text.to_owned(),
    };
    let request = http_request(channel, secret, message, words, now)
        .map_err(|e| PushError::transient(e.to_string()))?;
    if channel.kind == ChannelKind::Apprise {
        let tone = Tone::of(
            message
                .payload
                .event
                .as_ref()
                .map(|e| (e.state, e.severity)),
        );
        return apprise(&request.url, words, tone, channel.timeout_or_default())
            .await
            .map_err(|mut e| {
                e.message = hide(&e.message);
                e
            });
    }
    post(client, request).await.map_err(|mut e| {
        e.message = hide(&e.message);
        e
    })
}

async fn post(client: &reqwest::Client, request: HttpRequest) -> Result<String, PushError> {
    let mut builder = client.post(&request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let answer = match builder.body(request.body).send().await {
        Ok(answer) => answer,
        // The URL can hold a token (Telegram, Discord, Slack): never in the message.
        Err(e) => {
            let e = e.without_url();
            let words = if e.is_timeout() {
                "no answer within the channel's timeout".to_owned()
            } else {
                error_chain(&e)
            };
            let certificate = words.to_lowercase().contains("certificate");
            let hint = if certificate {
                "; if the server uses a private CA, set ca_file to it"
            } else {
                ""
            };
            return Err(PushError::transient(format!("{words}{hint}")));
        }
    };
    let status = answer.status();
    let retry_after = answer
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let location = answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = answer.text().await.unwrap_or_default();
    let snippet: String = crate::delivery::format::one_line(&text)
        .chars()
        .take(ANSWER_CHARS)
        .collect();
    let said = if snippet.is_empty() {
        format!("HTTP {}", status.as_u16())
    } else {
        format!("HTTP {}: {snippet}", status.as_u16())
    };
    match status.as_u16() {
        200..=299 => Ok(said),
        300..=399 => Err(PushError {
            permanent: true,
            retry_after: None,
            message: format!(
                "{said}; the server redirects to {}: use that URL",
                location.unwrap_or_else(|| "another address".into())
            ),
        }),
        429 | 500..=599 => Err(PushError {
            permanent: false,
            retry_after: retry_after.map(|d| d.min(MAX_RETRY_AFTER)),
            message: said,
        }),
        401 | 403 => Err(PushError {
            permanent: true,
            retry_after: None,
            message: format!("{said}; the token or webhook URL was refused: store the right one with `lookout secret set`"),
        }),
        _ => Err(PushError {
            permanent: true,
            retry_after: None,
            message: said,
        }),
    }
}

/// `Retry-After` as seconds or as an HTTP date (relative to now).
fn parse_retry_after(value: &str) -> Option<Duration> {
    if let Ok(seconds) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::rfc2822::parse(value.trim()).ok()?;
    let left = at.timestamp().duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(left).unwrap_or(Duration::ZERO))
}

/// Hands the message to the `apprise` command, the URLs in a private file (never on the
/// command line, where any local user could read them).
async fn apprise(
    urls: &str,
    words: &Words,
    tone: Tone,
    timeout: Duration,
) -> Result<String, PushError> {
    let Some(program) = find_program("apprise") else {
        return Err(PushError::transient(
            "the apprise command is not installed (Debian: apt install apprise); the message waits until it is".into(),
        ));
    };
    let dir = tempfile::tempdir().map_err(|e| PushError::transient(e.to_string()))?;
    let list = dir.path().join("urls.txt");
    write_private(&list, urls)
        .await
        .map_err(|e| PushError::transient(format!("cannot hand the URLs to apprise: {e}")))?;
    let mut command = tokio::process::Command::new(program);
    command
        .arg("--config")
        .arg(&list)
        .args(["--notification-type", tone.apprise_type()])
        .args(["--title", &words.title])
        .args(["--body", &words.body])
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let output = match tokio::time::timeout(timeout, command.output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Err(PushError::transient(format!("cannot run apprise: {e}"))),
        Err(_) => {
            return Err(PushError::transient(format!(
                "apprise did not finish within {}",
                humantime::format_duration(timeout)
            )))
        }
    };
    let said = crate::delivery::format::one_line(&String::from_utf8_lossy(&output.stderr));
    let said: String = said.chars().take(ANSWER_CHARS).collect();
    if output.status.success() {
        Ok("apprise: sent".to_owned())
    } else {
        Err(PushError::transient(format!(
            "apprise failed ({}): {said}",
            output.status
        )))
    }
}

async fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .await?;
    file.write_all(text.as_bytes()).await?;
    file.write_all(b"\n").await
}

/// `name` on the PATH, if there.
fn find_program(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_string_lossy()
        .split(':')
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a date in the past: at once"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
