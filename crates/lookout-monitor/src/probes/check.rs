//! One check of a probe: a TCP connect or an HTTP GET, bounded by the probe's timeout.

use crate::delivery::format::duration_words;
use crate::sys::http::error_chain;
use lookout_core::config::ProbeTarget;
use lookout_i18n::Language;
use std::time::{Duration, Instant};

/// What one check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub up: bool,
    /// Milliseconds to connect (TCP) or to the answer's status line (HTTP), when up.
    pub latency_ms: Option<f64>,
    pub finding: Finding,
}

/// What happened, in words by [`Finding::words`].
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    Connected,
    Http {
        status: u16,
        expected: Option<u16>,
    },
    TimedOut(Duration),
    /// The system's or the HTTP client's own words: "Connection refused (os error 111)".
    Failed(String),
}

impl Finding {
    /// "HTTP 200", "no answer within 5 seconds", "failed: Connection refused".
    pub fn words(&self, lang: Language) -> String {
        let words = lang.catalog();
        match self {
            Self::Connected => words.text("probe-connected", &[]),
            Self::Http {
                status,
                expected: Some(want),
            } if status != want => words.text(
                "probe-http-unexpected",
                &[
                    ("status", &status.to_string()),
                    ("expected", &want.to_string()),
                ],
            ),
            Self::Http { status, .. } => {
                words.text("probe-http", &[("status", &status.to_string())])
            }
            Self::TimedOut(limit) => words.text(
                "probe-timed-out",
                &[("timeout", &duration_words(*limit, lang))],
            ),
            Self::Failed(error) => words.text("probe-failed", &[("error", error)]),
        }
    }
}

impl Outcome {
    fn down(finding: Finding) -> Self {
        Self {
            up: false,
            latency_ms: None,
            finding,
        }
    }
}

/// Runs one check of `target`; never takes much longer than `timeout`.
pub async fn check(target: &ProbeTarget, timeout: Duration, http: &reqwest::Client) -> Outcome {
    let started = Instant::now();
    match target {
        ProbeTarget::Tcp { host, port } => {
            let connect = tokio::net::TcpStream::connect((host.as_str(), *port));
            match tokio::time::timeout(timeout, connect).await {
                Ok(Ok(_stream)) => Outcome {
                    up: true,
                    latency_ms: Some(millis(started)),
                    finding: Finding::Connected,
                },
                Ok(Err(e)) => Outcome::down(Finding::Failed(e.to_string())),
                Err(_) => Outcome::down(Finding::TimedOut(timeout)),
            }
        }
        ProbeTarget::Http { url, expect_status } => {
            // The client's own timeout covers the request; this one also bounds a DNS lookup
            // that hangs.
            match tokio::time::timeout(timeout, http.get(url).send()).await {
                Ok(Ok(answer)) => {
                    let status = answer.status().as_u16();
                    let up = match expect_status {
                        Some(want) => status == *want,
                        None => (200..400).contains(&status),
                    };
                    Outcome {
                        up,
                        latency_ms: up.then(|| millis(started)),
                        finding: Finding::Http {
                            status,
                            expected: *expect_status,
                        },
                    }
                }
                Ok(Err(e)) if e.is_timeout() => Outcome::down(Finding::TimedOut(timeout)),
                Ok(Err(e)) => Outcome::down(Finding::Failed(error_chain(&e))),
                Err(_) => Outcome::down(Finding::TimedOut(timeout)),
            }
        }
    }
}

fn millis(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
