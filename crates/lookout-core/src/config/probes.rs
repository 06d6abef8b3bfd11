//! Reachability probes (`[[probes]]`): a TCP connect or an HTTP request on their own schedule,
//! read by rules as `probe.<name>.up` and `probe.<name>.latency_ms`.

use super::durations::parse;
use super::error::{key, FieldCode, FieldError, PathSegment};
use super::limits::{check_name, too_many};
use crate::metric::MetricFamily;
use crate::text::shown;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;
use ts_rs::TS;

/// The most probes a config may hold.
pub const MAX_PROBES: usize = 100;
/// How often a probe runs unless it says otherwise.
pub const DEFAULT_PROBE_INTERVAL: Duration = Duration::from_secs(30);
/// How long a check may take unless the probe says otherwise (never more than its interval).
pub const DEFAULT_PROBE_TIMEOUT: Duration = Duration::from_secs(5);
const MIN_PROBE_INTERVAL: Duration = Duration::from_secs(1);
const MAX_PROBE_INTERVAL: Duration = Duration::from_secs(3600);
const MIN_PROBE_TIMEOUT: Duration = Duration::from_millis(100);
const MAX_PROBE_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest probe URL, in bytes.
const MAX_URL_BYTES: usize = 2048;

/// One probe as the config file writes it: exactly one of `tcp` and `http`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ProbeConfig {
    /// As rules name it: `probe.<name>.up`.
    pub name: String,
    /// `host:port` to connect to (`[::1]:22` for an IPv6 address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<String>,
    /// An `http://` or `https://` URL to GET (redirects are not followed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    /// The status an HTTP probe expects; default any 2xx or 3xx.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_status: Option<u16>,
    /// How often it runs (default "30s", from 1s to 1h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// How long one check may take (default "5s", at most 60s and the interval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// A probe after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub name: String,
    pub target: ProbeTarget,
    pub interval: Duration,
    pub timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeTarget {
    Tcp {
        host: String,
        port: u16,
    },
    /// `expect_status` `None` accepts any 2xx or 3xx.
    Http {
        url: String,
        expect_status: Option<u16>,
    },
}

/// Checks every probe, and every rule's `probe.<name>` against them (`rule_metrics[i]` is
/// `rules[i].metric`); the valid probes.
pub(super) fn validate_probes(
    probes: &[ProbeConfig],
    rule_metrics: &[&str],
    errors: &mut Vec<FieldError>,
) -> Vec<Probe> {
    if let Some(e) = too_many(
        &[key("probes")],
        FieldCode::ProbesTooMany,
        probes.len(),
        MAX_PROBES,
        "probes",
    ) {
        errors.push(e);
        return Vec::new();
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut valid = Vec::new();
    for (i, probe) in probes.iter().enumerate() {
        let path = [key("probes"), PathSegment::Index(i)];
        let at = |k: &str| [path.as_slice(), &[key(k)]].concat();
        let before = errors.len();
        check_probe_name(&at("name"), &probe.name, errors);
        if let Some(first) = seen.get(probe.name.as_str()) {
            errors.push(
                FieldError::new(
                    &at("name"),
                    FieldCode::ProbeNameDuplicate,
                    format!(
                        "'{}' is already the name of probes[{first}]; probe names must be unique",
                        shown(&probe.name)
                    ),
                )
                .with("value", &probe.name)
                .with("first", first),
            );
        } else {
            seen.insert(&probe.name, i);
        }
        let target = check_target(&path, probe, errors);
        let interval = bounded(
            &at("interval"),
            probe.interval.as_deref(),
            DEFAULT_PROBE_INTERVAL,
            (MIN_PROBE_INTERVAL, MAX_PROBE_INTERVAL),
            FieldCode::ProbeIntervalOutOfRange,
            errors,
        );
        let timeout = bounded(
            &at("timeout"),
            probe.timeout.as_deref(),
            DEFAULT_PROBE_TIMEOUT,
            (MIN_PROBE_TIMEOUT, MAX_PROBE_TIMEOUT),
            FieldCode::ProbeTimeoutOutOfRange,
            errors,
        );
        let (Some(target), Some(interval), Some(timeout)) = (target, interval, timeout) else {
            continue;
        };
        if errors.len() == before {
            valid.push(Probe {
                name: probe.name.clone(),
                target,
                interval,
                // A check never outlasts its interval: the next one would start before it ends.
                timeout: timeout.min(interval),
            });
        }
    }
    for (i, metric) in rule_metrics.iter().enumerate() {
        let Some(MetricFamily::Probe { name, .. }) = MetricFamily::parse(metric) else {
            continue;
        };
        if !seen.contains_key(name.as_str()) {
            let known: Vec<&str> = probes.iter().map(|p| p.name.as_str()).collect();
            let known = if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            };
            errors.push(
                FieldError::new(
                    &[key("rules"), PathSegment::Index(i), key("metric")],
                    FieldCode::RuleMetricUnknownProbe,
                    format!(
                        "'{}' names the probe '{}', which is not in [[probes]] (probes: {known}); add it there or fix the name",
                        shown(metric),
                        shown(&name)
                    ),
                )
                .with("value", *metric)
                .with("probe", &name)
                .with("known", known),
            );
        }
    }
    valid
}

fn check_probe_name(path: &[PathSegment], name: &str, errors: &mut Vec<FieldError>) {
    if name.trim().is_empty() {
        errors.push(FieldError::new(
            path,
            FieldCode::ProbeNameMissing,
            "a probe needs a name; rules use it as probe.<name>.up",
        ));
    } else if let Some(e) = check_name(path, name, FieldCode::NameControlChars) {
        errors.push(e);
    } else if name.contains(['.', '{', '}']) || name.chars().any(char::is_whitespace) {
        errors.push(
            FieldError::new(
                path,
                FieldCode::ProbeNameInvalid,
                format!(
                    "'{}' cannot name a probe: metric keys hold it (probe.<name>.up), so it may not hold dots, braces or spaces; write it like 'nas' or 'my-site'",
                    shown(name)
                ),
            )
            .with("value", name),
        );
    }
}

/// Exactly one of `tcp` and `http`, each well formed.
fn check_target(
    path: &[PathSegment],
    probe: &ProbeConfig,
    errors: &mut Vec<FieldError>,
) -> Option<ProbeTarget> {
    let at = |k: &str| [path, &[key(k)]].concat();
    if probe.expect_status.is_some() && probe.http.is_none() {
        errors.push(FieldError::new(
            &at("expect_status"),
            FieldCode::ProbeExpectStatusWithoutHttp,
            "expect_status applies to http probes only; remove it, or probe a URL with http = \"https://...\"",
        ));
    }
    if let Some(status) = probe.expect_status.filter(|s| !(100..=599).contains(s)) {
        errors.push(
            FieldError::new(
                &at("expect_status"),
                FieldCode::ProbeExpectStatusInvalid,
                format!("{status} is not an HTTP status; use one from 100 to 599, like 200"),
            )
            .with("value", status),
        );
    }
    match (&probe.tcp, &probe.http) {
        (Some(_), Some(_)) | (None, None) => {
            errors.push(FieldError::new(
                path,
                FieldCode::ProbeTargetCount,
                "a probe checks one thing: give either tcp = \"host:port\" or http = \"https://...\"",
            ));
            None
        }
        (Some(text), None) => match tcp_target(text) {
            Some((host, port)) => Some(ProbeTarget::Tcp { host, port }),
            None => {
                errors.push(
                    FieldError::new(
                        &at("tcp"),
                        FieldCode::ProbeTcpInvalid,
                        format!(
                            "'{}' is not host:port; write it like \"nas.local:445\", \"192.168.1.2:22\" or \"[::1]:8080\"",
                            shown(text)
                        ),
                    )
                    .with("value", text),
                );
                None
            }
        },
        (None, Some(url)) => match http_url_problem(url) {
            None => Some(ProbeTarget::Http {
                url: url.clone(),
                expect_status: probe.expect_status,
            }),
            Some(why) => {
                errors.push(
                    FieldError::new(
                        &at("http"),
                        FieldCode::ProbeHttpInvalid,
                        format!("'{}' cannot be probed: {why}; use an http:// or https:// URL with a host, without spaces, user name or password", shown(url)),
                    )
                    .with("value", url),
                );
                None
            }
        },
    }
}

/// `host:port` (a bracketed IPv6 address as host) split, for a non-zero port.
fn tcp_target(text: &str) -> Option<(String, u16)> {
    let (host, port) = text.rsplit_once(':')?;
    let port: u16 = port.parse().ok().filter(|p| *p != 0)?;
    let host = match host.strip_prefix('[') {
        Some(inner) => inner.strip_suffix(']')?,
        None if host.contains(':') => return None,
        None => host,
    };
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':');
    (!host.is_empty() && host.chars().all(plain)).then(|| (host.to_owned(), port))
}

/// Why `url` is no URL Lookout can request (probes, channels), if it is not.
pub(super) fn http_url_problem(url: &str) -> Option<&'static str> {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return Some("it must start with http:// or https://");
    };
    if url.len() > MAX_URL_BYTES {
        return Some("it is longer than 2048 bytes");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it holds spaces or control characters");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() {
        return Some("it names no host");
    }
    if authority.contains('@') {
        return Some("it holds a user name or password, which Lookout would show in the window and logs; probe a URL without them");
    }
    None
}

/// A duration within `range`, `default` when absent; `None` (with an error) when wrong.
fn bounded(
    path: &[PathSegment],
    text: Option<&str>,
    default: Duration,
    (min, max): (Duration, Duration),
    code: FieldCode,
    errors: &mut Vec<FieldError>,
) -> Option<Duration> {
    let Some(text) = text else {
        return Some(default);
    };
    match parse(text) {
        Ok(d) if (min..=max).contains(&d) => Some(d),
        Ok(_) => {
            let (min, max) = (
                humantime::format_duration(min).to_string(),
                humantime::format_duration(max).to_string(),
            );
            errors.push(
                FieldError::new(
                    path,
                    code,
                    format!(
                        "'{}' is out of range; use a duration from {min} to {max}",
                        shown(text)
                    ),
                )
                .with("value", text)
                .with("min", min)
                .with("max", max),
            );
            None
        }
        Err(e) => {
            errors.push(FieldError::new(path, e.code, e.message).with("value", text));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_targets_need_a_host_and_a_port() {
        assert_eq!(tcp_target("nas.local:445"), Some(("nas.local".into(), 445)));
        assert_eq!(tcp_target("[::1]:8080"), Some(("::1".into(), 8080)));
        for bad in [
            "nas.local",
            ":22",
            "nas:0",
            "nas:99999",
            "::1:22",
            "a b:22",
            "[::1:22",
        ] {
            assert_eq!(tcp_target(bad), None, "{bad}");
        }
    }

    #[test]
    fn probe_urls_are_plain_http_without_credentials() {
        assert_eq!(http_url_problem("https://nas.local/health"), None);
        assert_eq!(http_url_problem("http://127.0.0.1:8080"), None);
        for bad in [
            "ftp://nas",
            "https://",
            "https:///path",
            "https://user:secret@nas/",
            "https://nas/a b",
        ] {
            assert!(http_url_problem(bad).is_some(), "{bad}");
        }
    }
}
