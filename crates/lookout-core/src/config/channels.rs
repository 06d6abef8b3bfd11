//! Push channels (`[[channels]]`): ntfy, Gotify, Telegram, Discord, Slack, a webhook or
//! Apprise, each declared by name and named in rules' `channels` beside `desktop` and `email`.
//! Tokens, and webhook URLs that hold one, are secrets kept outside the config.

use super::durations::parse;
use super::error::{key, FieldCode, FieldError, PathSegment};
use super::limits::{check_name, too_many, MAX_CHANNELS};
use super::probes::http_url_problem;
use crate::rule::Channel;
use crate::text::shown;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;
use ts_rs::TS;

/// The most `[[channels]]` a config may hold.
pub const MAX_PUSH_CHANNELS: usize = 50;
/// The most custom headers of a webhook.
pub const MAX_HEADERS: usize = 20;
/// How long one delivery may take unless the channel says otherwise.
pub const DEFAULT_CHANNEL_TIMEOUT: Duration = Duration::from_secs(10);
const MIN_CHANNEL_TIMEOUT: Duration = Duration::from_secs(1);
const MAX_CHANNEL_TIMEOUT: Duration = Duration::from_secs(60);

/// The service a push channel talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// A POST of Lookout's JSON (or Alertmanager's webhook payload) to `url`.
    Webhook,
    /// `url` is the server and topic; the secret, if stored, is an access token.
    Ntfy,
    /// `chat_id`, with the bot token as the secret; `url` overrides api.telegram.org.
    Telegram,
    /// The secret is the incoming-webhook URL.
    Discord,
    /// The secret is the incoming-webhook URL.
    Slack,
    /// `url` is the server; the secret is an application token.
    Gotify,
    /// The secret is one or more Apprise URLs, handed to the `apprise` command.
    Apprise,
    /// `url` is an Alertmanager (`http://am:9093`): alerts go to its v2 API and are sent
    /// again while they fire; the secret, if stored, is a bearer token.
    Alertmanager,
}

impl ChannelKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Ntfy => "ntfy",
            Self::Telegram => "telegram",
            Self::Discord => "discord",
            Self::Slack => "slack",
            Self::Gotify => "gotify",
            Self::Apprise => "apprise",
            Self::Alertmanager => "alertmanager",
        }
    }

    /// Whether the secret is the destination itself (a webhook URL with its token, Apprise
    /// URLs), so `url` may not be written in the config.
    pub fn url_is_secret(self) -> bool {
        matches!(self, Self::Discord | Self::Slack | Self::Apprise)
    }

    /// Whether nothing can be sent without a stored secret.
    pub fn needs_secret(self) -> bool {
        matches!(
            self,
            Self::Telegram | Self::Discord | Self::Slack | Self::Gotify | Self::Apprise
        )
    }
}

/// What a webhook posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    /// Lookout's own JSON body (see the README).
    #[default]
    Json,
    /// Alertmanager's webhook payload (version 4), for receivers written for Alertmanager.
    Alertmanager,
}

fn yes() -> bool {
    true
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One push channel as the config file writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    /// As rules name it in `channels`.
    pub name: String,
    pub kind: ChannelKind,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The endpoint: the webhook's URL, the ntfy server and topic, the Gotify server, or
    /// Telegram's API base (default `https://api.telegram.org`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Telegram: the chat to post to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<String>,
    /// Webhook: Lookout's JSON (default) or Alertmanager's payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<WebhookFormat>,
    /// Webhook: headers sent with every request.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(optional, as = "Option<BTreeMap<String, String>>")]
    pub headers: BTreeMap<String, String>,
    /// Webhook: sign each body with the stored secret (HMAC-SHA256, `X-Lookout-Signature`).
    #[serde(default, skip_serializing_if = "is_false")]
    #[ts(optional, as = "Option<bool>")]
    pub sign: bool,
    /// A mode-600 file holding the secret (headless servers); otherwise the OS keyring
    /// (`lookout secret set channel:<name>`). Only the file or the CLI set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_file: Option<String>,
    /// A PEM file of the CA that signs the server's certificate (a private server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// How long one delivery may take in all (default "10s", from 1s to 1m).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

impl ChannelConfig {
    /// The delivery timeout; the default when unset or unparsable (validation reports that).
    pub fn timeout_or_default(&self) -> Duration {
        self.timeout
            .as_deref()
            .and_then(|t| parse(t).ok())
            .filter(|d| (MIN_CHANNEL_TIMEOUT..=MAX_CHANNEL_TIMEOUT).contains(d))
            .unwrap_or(DEFAULT_CHANNEL_TIMEOUT)
    }

    /// The keyring entry of its secret: `channel:<name>`.
    pub fn secret_entry(&self) -> String {
        format!("channel:{}", self.name)
    }
}

/// Checks every push channel.
pub(super) fn validate_push_channels(channels: &[ChannelConfig], errors: &mut Vec<FieldError>) {
    if let Some(e) = too_many(
        &[key("channels")],
        FieldCode::ChannelsTooMany,
        channels.len(),
        MAX_PUSH_CHANNELS,
        "channels",
    ) {
        errors.push(e);
        return;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, channel) in channels.iter().enumerate() {
        let path = [key("channels"), PathSegment::Index(i)];
        let at = |k: &str| [path.as_slice(), &[key(k)]].concat();
        check_channel_name(&at("name"), &channel.name, errors);
        if let Some(first) = seen.get(channel.name.as_str()) {
            errors.push(
                FieldError::new(
                    &at("name"),
                    FieldCode::ChannelNameDuplicate,
                    format!(
                        "'{}' is already the name of channels[{first}]; channel names must be unique",
                        shown(&channel.name)
                    ),
                )
                .with("value", &channel.name)
                .with("first", first),
            );
        } else {
            seen.insert(&channel.name, i);
        }
        check_kind_fields(&path, channel, errors);
        check_timeout(&at("timeout"), channel.timeout.as_deref(), errors);
    }
}

fn check_channel_name(path: &[PathSegment], name: &str, errors: &mut Vec<FieldError>) {
    if name.trim().is_empty() {
        errors.push(FieldError::new(
            path,
            FieldCode::ChannelNameMissing,
            "a channel needs a name; rules list it in channels = [\"desktop\", \"<name>\"]",
        ));
    } else if let Some(e) = check_name(path, name, FieldCode::NameControlChars) {
        errors.push(e);
    } else if Channel::named(name).is_built_in() {
        errors.push(
            FieldError::new(
                path,
                FieldCode::ChannelNameReserved,
                format!(
                    "'{}' is a built-in channel; give this one another name, like 'phone'",
                    shown(name)
                ),
            )
            .with("value", name),
        );
    } else if name.contains([',', '"', '\'', '{', '}']) || name.chars().any(char::is_whitespace) {
        errors.push(
            FieldError::new(
                path,
                FieldCode::ChannelNameInvalid,
                format!(
                    "'{}' cannot name a channel: it may not hold spaces, commas, quotes or braces; write it like 'phone' or 'team-chat'",
                    shown(name)
                ),
            )
            .with("value", name),
        );
    }
}

/// The fields each kind needs, and none it does not use.
fn check_kind_fields(path: &[PathSegment], c: &ChannelConfig, errors: &mut Vec<FieldError>) {
    let at = |k: &str| [path, &[key(k)]].concat();
    let kind = c.kind;
    let not_for = |field: &str| {
        FieldError::new(
            &at(field),
            FieldCode::ChannelFieldNotForKind,
            format!(
                "{field} does not apply to a {} channel; remove it",
                kind.name()
            ),
        )
        .with("field", field)
        .with("kind", kind.name())
    };
    match (&c.url, kind) {
        (Some(_), k) if k.url_is_secret() => errors.push(
            FieldError::new(
                &at("url"),
                FieldCode::ChannelUrlIsSecret,
                format!(
                    "a {} URL holds its token, so it is a secret: store it with `lookout secret set channel:{}` (or in secret_file), not in the config",
                    kind.name(),
                    c.name
                ),
            )
            .with("kind", kind.name())
            .with("name", &c.name),
        ),
        (
            None,
            ChannelKind::Webhook
            | ChannelKind::Ntfy
            | ChannelKind::Gotify
            | ChannelKind::Alertmanager,
        ) => errors.push(
            FieldError::new(
                &at("url"),
                FieldCode::ChannelUrlMissing,
                format!("a {} channel needs url = \"https://...\"", kind.name()),
            )
            .with("kind", kind.name()),
        ),
        (Some(url), _) => {
            if let Some(why) = http_url_problem(url) {
                errors.push(
                    FieldError::new(
                        &at("url"),
                        FieldCode::ChannelUrlInvalid,
                        format!("'{}' cannot be used: {why}; use an http:// or https:// URL with a host, without spaces, user name or password", shown(url)),
                    )
                    .with("value", url),
                );
            }
        }
        (None, _) => {}
    }
    match (&c.chat_id, kind) {
        (None, ChannelKind::Telegram) => errors.push(FieldError::new(
            &at("chat_id"),
            FieldCode::ChannelChatIdMissing,
            "a telegram channel needs chat_id = \"...\", the chat the bot posts to",
        )),
        (Some(id), ChannelKind::Telegram) if id.trim().is_empty() || has_controls(id) => errors
            .push(FieldError::new(
                &at("chat_id"),
                FieldCode::ChannelChatIdMissing,
                "a telegram channel needs chat_id = \"...\", the chat the bot posts to",
            )),
        (Some(_), ChannelKind::Telegram) | (None, _) => {}
        (Some(_), _) => errors.push(not_for("chat_id")),
    }
    if kind != ChannelKind::Webhook {
        if c.format.is_some() {
            errors.push(not_for("format"));
        }
        // An Alertmanager behind a proxy may want its own headers.
        if !c.headers.is_empty() && kind != ChannelKind::Alertmanager {
            errors.push(not_for("headers"));
        }
        if c.sign {
            errors.push(not_for("sign"));
        }
    }
    if kind == ChannelKind::Apprise && c.ca_file.is_some() {
        errors.push(not_for("ca_file"));
    }
    check_headers(&at("headers"), &c.headers, errors);
    for (field, value) in [("secret_file", &c.secret_file), ("ca_file", &c.ca_file)] {
        if value.as_deref().is_some_and(|p| p.trim().is_empty()) {
            errors.push(
                FieldError::new(
                    &at(field),
                    FieldCode::ChannelFilePathEmpty,
                    format!("{field} is empty; give the path of a file, or remove the line"),
                )
                .with("field", field),
            );
        }
    }
}

fn has_controls(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Header names are HTTP tokens; values hold no line breaks or control characters.
fn check_headers(
    path: &[PathSegment],
    headers: &BTreeMap<String, String>,
    errors: &mut Vec<FieldError>,
) {
    if let Some(e) = too_many(
        path,
        FieldCode::ChannelHeaderInvalid,
        headers.len(),
        MAX_HEADERS,
        "headers",
    ) {
        errors.push(e);
        return;
    }
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    for (name, value) in headers {
        let reserved = [
            "host",
            "content-length",
            "content-type",
            "x-lookout-signature",
        ];
        let bad = name.is_empty()
            || !name.chars().all(token)
            || reserved.contains(&name.to_ascii_lowercase().as_str())
            || value.chars().any(|c| c.is_control() && c != '\t');
        if bad {
            errors.push(
                FieldError::new(
                    &[path, &[key(name)]].concat(),
                    FieldCode::ChannelHeaderInvalid,
                    format!(
                        "the header '{}' cannot be sent: a name is letters, digits and -, not Host, Content-Length, Content-Type or X-Lookout-Signature, and a value holds no line breaks",
                        shown(name)
                    ),
                )
                .with("value", name),
            );
        }
    }
}

fn check_timeout(path: &[PathSegment], text: Option<&str>, errors: &mut Vec<FieldError>) {
    let Some(text) = text else {
        return;
    };
    match parse(text) {
        Ok(d) if (MIN_CHANNEL_TIMEOUT..=MAX_CHANNEL_TIMEOUT).contains(&d) => {}
        Ok(_) => errors.push(
            FieldError::new(
                path,
                FieldCode::ChannelTimeoutOutOfRange,
                format!(
                    "'{}' is out of range; use a duration from 1s to 1m",
                    shown(text)
                ),
            )
            .with("value", text)
            .with("min", "1s")
            .with("max", "1m"),
        ),
        Err(e) => errors.push(FieldError::new(path, e.code, e.message).with("value", text)),
    }
}

/// A rule's `channels` (`listed`, at `path`): each built in or declared, none twice, email
/// only when enabled.
pub(super) fn check_rule_channels(
    listed: &[String],
    path: &[PathSegment],
    email_enabled: bool,
    declared: &[ChannelConfig],
    errors: &mut Vec<FieldError>,
) -> Vec<Channel> {
    let mut channels: Vec<Channel> = Vec::new();
    let too_many_channels = too_many(
        &[path, &[key("channels")]].concat(),
        FieldCode::RuleChannelsTooMany,
        listed.len(),
        MAX_CHANNELS,
        "channels",
    );
    if let Some(e) = too_many_channels {
        errors.push(e);
        return channels;
    }
    for (j, name) in listed.iter().enumerate() {
        let cpath = [path, &[key("channels"), PathSegment::Index(j)]].concat();
        if let Some(e) = check_name(&cpath, name, FieldCode::NameControlChars) {
            errors.push(e);
            continue;
        }
        let channel = Channel::named(name);
        let known = channel.is_built_in() || declared.iter().any(|c| &c.name == name);
        if !known {
            let mut names: Vec<&str> = Channel::BUILT_IN.iter().map(Channel::name).collect();
            names.extend(declared.iter().map(|c| c.name.as_str()));
            let names = names.join(", ");
            errors.push(
                FieldError::new(
                    &cpath,
                    FieldCode::RuleChannelUnknown,
                    format!("unknown channel '{}'; expected one of {names} (declare others in [[channels]])", shown(name)),
                )
                .with("value", name)
                .with("known", names),
            );
        } else if channel == Channel::EMAIL && !email_enabled {
            errors.push(FieldError::new(
                &cpath,
                FieldCode::RuleChannelEmailDisabled,
                "'email' is not enabled; set [email] enabled = true or remove it from channels",
            ));
        } else if channels.contains(&channel) {
            errors.push(
                FieldError::new(
                    &cpath,
                    FieldCode::RuleChannelDuplicate,
                    format!("'{}' is listed twice", shown(name)),
                )
                .with("value", name),
            );
        } else {
            channels.push(channel);
        }
    }
    channels
}
