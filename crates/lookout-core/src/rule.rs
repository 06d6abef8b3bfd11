//! Validated alert rules: what to aggregate over which window, and when to fire and clear.

use crate::metric::MetricKey;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::time::Duration;
use ts_rs::TS;

/// How a window's samples are reduced to one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// Every sample satisfies the comparison ("above 80 % for the whole hour").
    All,
    #[default]
    Avg,
    Min,
    Max,
    P95,
}

impl fmt::Display for Aggregate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::All => "all",
            Self::Avg => "avg",
            Self::Min => "min",
            Self::Max => "max",
            Self::P95 => "p95",
        })
    }
}

/// The comparison of an aggregate against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Op {
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
}

impl Op {
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Self::Gt => value > threshold,
            Self::Ge => value >= threshold,
            Self::Lt => value < threshold,
            Self::Le => value <= threshold,
        }
    }

    /// True for `>` and `>=`: the alert is about a value being too high.
    pub fn is_upper(self) -> bool {
        matches!(self, Self::Gt | Self::Ge)
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Lt => "<",
            Self::Le => "<=",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Warning,
    Critical,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Warning => "warning",
            Self::Critical => "critical",
        })
    }
}

/// A delivery channel a rule's notifications go to: `desktop`, `email`, or the name of a
/// `[[channels]]` entry (a push channel: ntfy, a webhook, Telegram, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, TS)]
#[ts(export, type = "string")]
pub struct Channel(Cow<'static, str>);

impl Serialize for Channel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|name| Self::named(&name))
    }
}

impl Channel {
    pub const DESKTOP: Channel = Channel(Cow::Borrowed("desktop"));
    pub const EMAIL: Channel = Channel(Cow::Borrowed("email"));
    /// The channels every Lookout has, whatever the config declares.
    pub const BUILT_IN: [Channel; 2] = [Self::DESKTOP, Self::EMAIL];

    /// The channel of this name (built in or declared; validation says which exist).
    pub fn named(name: &str) -> Self {
        Self::BUILT_IN
            .into_iter()
            .find(|c| c.name() == name)
            .unwrap_or_else(|| Self(Cow::Owned(name.to_owned())))
    }

    pub fn name(&self) -> &str {
        &self.0
    }

    /// `desktop` or `email`.
    pub fn is_built_in(&self) -> bool {
        Self::BUILT_IN.contains(self)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A rule after validation: every duration parsed, every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub metric: MetricKey,
    pub aggregate: Aggregate,
    pub window: Duration,
    pub op: Op,
    pub threshold: f64,
    /// The value the aggregate must cross back past to resolve (hysteresis).
    pub clear_threshold: f64,
    /// How long the condition must hold before the alert fires.
    pub pending_for: Duration,
    /// How long the clear condition must hold before the alert resolves.
    pub keep_firing_for: Duration,
    /// Reminder period while firing; `None` means no reminders.
    pub repeat_every: Option<Duration>,
    /// At most this many reminders per firing period; `None` means no cap.
    pub repeat_max: Option<u32>,
    pub notify_resolved: bool,
    pub severity: Severity,
    /// Channels to notify; empty means every enabled channel.
    pub channels: Vec<Channel>,
    pub enabled: bool,
    /// Fraction of expected samples a window must hold before it is evaluated.
    pub min_coverage: f64,
    /// Fires only while this holds (`only_when`).
    pub only_when: Option<Guard>,
}

/// A condition on the latest reading of a metric (`battery.BAT0.charging < 1`).
#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    pub metric: MetricKey,
    pub op: Op,
    pub threshold: f64,
}

impl Guard {
    /// Parses `<metric> <op> <number>`; the error says what was wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let [metric, op, number] = parts.as_slice() else {
            return Err(
                "write it as <metric> <op> <number>, like \"battery.BAT0.charging < 1\"".into(),
            );
        };
        let op = match *op {
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "<" => Op::Lt,
            "<=" => Op::Le,
            other => {
                return Err(format!(
                    "'{}' is no comparison; use >, >=, < or <=",
                    crate::text::shown(other)
                ))
            }
        };
        let threshold: f64 = number
            .parse()
            .ok()
            .filter(|n: &f64| n.is_finite())
            .ok_or_else(|| format!("'{}' is not a number", crate::text::shown(number)))?;
        let metric = MetricKey::parse(metric)?;
        Ok(Self {
            metric,
            op,
            threshold,
        })
    }

    /// Whether it holds on `reading` (absent: it does not).
    pub fn holds(&self, reading: Option<f64>) -> bool {
        reading.is_some_and(|v| self.op.holds(v, self.threshold))
    }
}

impl fmt::Display for Guard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.metric, self.op, self.threshold)
    }
}

impl Rule {
    /// Whether the aggregate still counts as "firing" (the hysteresis side of the threshold).
    pub fn holds_firing(&self, value: f64) -> bool {
        self.op.holds(value, self.clear_threshold)
    }

    /// Whether the aggregate meets the firing condition.
    pub fn fires(&self, value: f64) -> bool {
        self.op.holds(value, self.threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_compare_as_written() {
        assert!(
            Op::Gt.holds(81.0, 80.0) && !Op::Gt.holds(80.0, 80.0),
            "> is strict"
        );
        assert!(
            Op::Ge.holds(80.0, 80.0) && !Op::Ge.holds(79.9, 80.0),
            ">= includes equality"
        );
        assert!(
            Op::Lt.holds(9.0, 10.0) && !Op::Lt.holds(10.0, 10.0),
            "< is strict"
        );
        assert!(
            Op::Le.holds(10.0, 10.0) && !Op::Le.holds(10.1, 10.0),
            "<= includes equality"
        );
    }

    #[test]
    fn channel_names_parse_back() {
        for c in Channel::BUILT_IN {
            assert_eq!(Channel::named(c.name()), c, "{c:?}");
            assert!(c.is_built_in());
        }
        let phone = Channel::named("phone");
        assert_eq!(phone.name(), "phone");
        assert!(!phone.is_built_in());
        let json = serde_json::to_string(&vec![Channel::EMAIL, phone.clone()]).expect("json");
        assert_eq!(json, r#"["email","phone"]"#, "a channel is its name");
        let back: Vec<Channel> = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, vec![Channel::EMAIL, phone]);
    }
}
