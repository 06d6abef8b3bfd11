//! Quiet hours: a daily span of local time (say 22:00 to 07:00) when alerts are evaluated and
//! logged but not announced; critical alerts still come through unless the user mutes them too.
//! The core knows no clock and no time zone: the monitor works out the local minute of the day
//! and tells the engine, through [`QuietNow`], whether quiet hours hold at each tick.

use crate::rule::Severity;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `[quiet_hours]` in the config file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct QuietHoursConfig {
    #[serde(default)]
    pub enabled: bool,
    /// Local time the quiet starts, "HH:MM" (24-hour clock).
    #[serde(default = "default_start")]
    pub start: String,
    /// Local time it ends; before `start` means the next morning.
    #[serde(default = "default_end")]
    pub end: String,
    /// Mute critical alerts too (by default they still notify).
    #[serde(default)]
    pub mute_critical: bool,
}

fn default_start() -> String {
    "22:00".into()
}

fn default_end() -> String {
    "07:00".into()
}

impl Default for QuietHoursConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            start: default_start(),
            end: default_end(),
            mute_critical: false,
        }
    }
}

/// Validated quiet hours: minutes of the local day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: u16,
    pub end: u16,
    pub mute_critical: bool,
}

impl QuietHours {
    /// Whether `minute` of the local day (0 = midnight) is quiet; the span may cross midnight.
    pub fn contains(&self, minute: u16) -> bool {
        if self.start <= self.end {
            (self.start..self.end).contains(&minute)
        } else {
            minute >= self.start || minute < self.end
        }
    }

    /// What quiet hours mean at `minute` of the local day.
    pub fn at(&self, minute: u16) -> QuietNow {
        if self.contains(minute) {
            QuietNow::On {
                mute_critical: self.mute_critical,
            }
        } else {
            QuietNow::Off
        }
    }
}

/// Whether quiet hours hold at this tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QuietNow {
    #[default]
    Off,
    On {
        mute_critical: bool,
    },
}

impl QuietNow {
    /// Whether an alert of `severity` stays silent now.
    pub fn mutes(self, severity: Severity) -> bool {
        match self {
            Self::Off => false,
            Self::On { mute_critical } => mute_critical || severity != Severity::Critical,
        }
    }
}

/// Parses "HH:MM" (24-hour clock, two digits each) into minutes after midnight, explaining
/// what is accepted.
pub fn parse_time_of_day(text: &str) -> Result<u16, String> {
    let bad = || {
        format!(
            "'{}' is not a time of day; write hours and minutes, like '22:00' or '07:30'",
            crate::text::shown(text)
        )
    };
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let number = |s: &str, digits: std::ops::RangeInclusive<usize>, max: u16| {
        (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u16>().ok())
            .flatten()
            .filter(|v| *v <= max)
    };
    // Two digits each, as a time field in the window writes them ("07:05", not "7:05").
    match (number(h, 2..=2, 23), number(m, 2..=2, 59)) {
        (Some(h), Some(m)) => Ok(h * 60 + m),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(start: &str, end: &str, mute_critical: bool) -> QuietHours {
        QuietHours {
            start: parse_time_of_day(start).expect("start"),
            end: parse_time_of_day(end).expect("end"),
            mute_critical,
        }
    }

    #[test]
    fn times_of_day_parse_and_bad_ones_say_what_is_accepted() {
        assert_eq!(parse_time_of_day("00:00"), Ok(0));
        assert_eq!(parse_time_of_day("07:05"), Ok(7 * 60 + 5));
        assert_eq!(parse_time_of_day(" 23:59 "), Ok(23 * 60 + 59));
        for bad in [
            "7:05", "24:00", "12:60", "12", "12:5", "-1:00", "ab:cd", "", "12:00pm", "1:2:3",
        ] {
            let err = parse_time_of_day(bad).expect_err(bad);
            assert!(err.contains("like '22:00'"), "{bad}: {err}");
        }
    }

    #[test]
    fn a_span_across_midnight_covers_the_night_only() {
        let night = hours("22:00", "07:00", false);
        for (minute, quiet) in [
            (21 * 60 + 59, false),
            (22 * 60, true),
            (0, true),
            (6 * 60 + 59, true),
            (7 * 60, false),
            (12 * 60, false),
        ] {
            assert_eq!(night.contains(minute), quiet, "minute {minute}");
        }
        let lunch = hours("12:00", "13:30", false);
        for (minute, quiet) in [
            (11 * 60 + 59, false),
            (12 * 60, true),
            (13 * 60 + 29, true),
            (13 * 60 + 30, false),
            (0, false),
        ] {
            assert_eq!(lunch.contains(minute), quiet, "minute {minute}");
        }
    }

    #[test]
    fn critical_alerts_come_through_unless_muted_too() {
        let quiet = hours("22:00", "07:00", false).at(23 * 60);
        assert!(quiet.mutes(Severity::Warning));
        assert!(!quiet.mutes(Severity::Critical), "critical comes through");
        let silent = hours("22:00", "07:00", true).at(23 * 60);
        assert!(
            silent.mutes(Severity::Critical),
            "mute_critical silences it"
        );
        let day = hours("22:00", "07:00", true).at(12 * 60);
        assert_eq!(day, QuietNow::Off);
        assert!(!day.mutes(Severity::Warning));
    }
}
