//! Recorded series for `lookout replay`, fed one line at a time and grouped into one
//! snapshot per time: CSV with a `time,metric,value` header (long) or a `time,<metric>,…`
//! header (wide), or JSON lines (`{"time":…,"metric":…,"value":…}` or
//! `{"time":…,"<metric>":…}`). Times are RFC 3339 or Unix seconds and must go forward; an
//! empty value, `null` or a missing row is a gap.

use crate::metric::{MetricKey, Snapshot};
use crate::time::Timestamp;
use std::collections::BTreeSet;

/// The longest line accepted, in bytes.
pub const MAX_LINE: usize = 1 << 20;

/// What is wrong with a series, and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesError {
    pub line: usize,
    pub kind: SeriesErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeriesErrorKind {
    /// No data at all.
    Empty,
    /// The first CSV line is not a header whose first column is `time`.
    BadHeader {
        found: String,
    },
    UnknownMetric {
        name: String,
    },
    BadTime {
        text: String,
    },
    NotANumber {
        text: String,
    },
    FieldCount {
        expected: usize,
        found: usize,
    },
    /// A time before one already seen.
    Backwards {
        time: String,
        previous: String,
    },
    /// The same metric twice at one time (or, in a wide file, the same time twice).
    Duplicate {
        what: String,
        time: String,
    },
    BadJson {
        detail: String,
    },
    LineTooLong {
        max: usize,
    },
}

impl SeriesErrorKind {
    /// A stable code for the kind.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::BadHeader { .. } => "bad-header",
            Self::UnknownMetric { .. } => "unknown-metric",
            Self::BadTime { .. } => "bad-time",
            Self::NotANumber { .. } => "not-a-number",
            Self::FieldCount { .. } => "field-count",
            Self::Backwards { .. } => "backwards",
            Self::Duplicate { .. } => "duplicate",
            Self::BadJson { .. } => "bad-json",
            Self::LineTooLong { .. } => "line-too-long",
        }
    }

    /// The values the message names, by catalog argument.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let short = |s: &str| crate::text::shown(s).to_string();
        match self {
            Self::Empty => vec![],
            Self::BadHeader { found } => vec![("found", short(found))],
            Self::UnknownMetric { name } => vec![("name", short(name))],
            Self::BadTime { text } | Self::NotANumber { text } => vec![("text", short(text))],
            Self::FieldCount { expected, found } => {
                vec![
                    ("expected", expected.to_string()),
                    ("found", found.to_string()),
                ]
            }
            Self::Backwards { time, previous } => {
                vec![("time", short(time)), ("previous", short(previous))]
            }
            Self::Duplicate { what, time } => vec![("what", short(what)), ("time", short(time))],
            Self::BadJson { detail } => vec![("detail", short(detail))],
            Self::LineTooLong { max } => vec![("max", max.to_string())],
        }
    }
}

impl std::fmt::Display for SeriesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind.code())?;
        for (name, value) in self.kind.args() {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SeriesError {}

#[derive(Debug)]
enum Shape {
    /// No header read yet.
    Start,
    Long,
    /// The metric of each column after `time`.
    Wide(Vec<MetricKey>),
    Json,
}

/// Reads a series line by line; see the module documentation for the formats.
#[derive(Debug)]
pub struct SeriesParser {
    shape: Shape,
    line: usize,
    /// The snapshot being gathered, its time and the text that time was written as.
    current: Option<(Timestamp, String, Snapshot)>,
    /// The metrics given at the current time, absent ones included.
    given: BTreeSet<MetricKey>,
    rows: usize,
}

impl Default for SeriesParser {
    fn default() -> Self {
        Self::new()
    }
}

type Step = Result<Option<(Timestamp, Snapshot)>, SeriesError>;

impl SeriesParser {
    pub fn new() -> Self {
        Self {
            shape: Shape::Start,
            line: 0,
            current: None,
            given: BTreeSet::new(),
            rows: 0,
        }
    }

    /// Takes the next line (without its line break). Returns a finished snapshot when this
    /// line starts a later time.
    pub fn push_line(&mut self, text: &str) -> Step {
        self.line += 1;
        let text = text.strip_suffix('\r').unwrap_or(text);
        let text = if self.line == 1 {
            text.trim_start_matches('\u{feff}')
        } else {
            text
        };
        if text.len() > MAX_LINE {
            return Err(self.error(SeriesErrorKind::LineTooLong { max: MAX_LINE }));
        }
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return Ok(None);
        }
        match &self.shape {
            Shape::Start if trimmed.starts_with('{') => {
                self.shape = Shape::Json;
                self.json_row(trimmed)
            }
            Shape::Start => self.header(trimmed).map(|()| None),
            Shape::Long => self.long_row(trimmed),
            Shape::Wide(_) => self.wide_row(trimmed),
            Shape::Json => self.json_row(trimmed),
        }
    }

    /// Ends the series: the last snapshot, or an error when there was no data at all.
    pub fn finish(&mut self) -> Step {
        if self.rows == 0 {
            return Err(SeriesError {
                line: self.line,
                kind: SeriesErrorKind::Empty,
            });
        }
        Ok(self.current.take().map(|(at, _, snap)| (at, snap)))
    }

    fn error(&self, kind: SeriesErrorKind) -> SeriesError {
        SeriesError {
            line: self.line,
            kind,
        }
    }

    fn header(&mut self, text: &str) -> Result<(), SeriesError> {
        let fields: Vec<&str> = fields(text).collect();
        if !fields
            .first()
            .is_some_and(|f| f.eq_ignore_ascii_case("time"))
            || fields.len() < 2
        {
            return Err(self.error(SeriesErrorKind::BadHeader {
                found: text.to_owned(),
            }));
        }
        let rest: Vec<String> = fields[1..].iter().map(|f| f.to_ascii_lowercase()).collect();
        if rest == ["metric", "value"] {
            self.shape = Shape::Long;
            return Ok(());
        }
        let mut metrics = Vec::with_capacity(rest.len());
        for name in &fields[1..] {
            let key = self.metric(name)?;
            if metrics.contains(&key) {
                return Err(self.error(SeriesErrorKind::Duplicate {
                    what: (*name).to_owned(),
                    time: "header".into(),
                }));
            }
            metrics.push(key);
        }
        self.shape = Shape::Wide(metrics);
        Ok(())
    }

    fn long_row(&mut self, text: &str) -> Step {
        let f: Vec<&str> = fields(text).collect();
        if f.len() != 3 {
            return Err(self.error(SeriesErrorKind::FieldCount {
                expected: 3,
                found: f.len(),
            }));
        }
        let metric = self.metric(f[1])?;
        let value = self.value(f[2])?;
        self.add(f[0], vec![(metric, value)], false)
    }

    fn wide_row(&mut self, text: &str) -> Step {
        let Shape::Wide(metrics) = &self.shape else {
            return Ok(None);
        };
        let f: Vec<&str> = fields(text).collect();
        if f.len() != metrics.len() + 1 {
            return Err(self.error(SeriesErrorKind::FieldCount {
                expected: metrics.len() + 1,
                found: f.len(),
            }));
        }
        let metrics = metrics.clone();
        let mut values = Vec::with_capacity(metrics.len());
        for (metric, text) in metrics.into_iter().zip(&f[1..]) {
            values.push((metric, self.value(text)?));
        }
        self.add(f[0], values, true)
    }

    fn json_row(&mut self, text: &str) -> Step {
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text)
            .map_err(|e| {
                self.error(SeriesErrorKind::BadJson {
                    detail: e.to_string(),
                })
            })?;
        let time = match object.get("time") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                return Err(self.error(SeriesErrorKind::BadTime {
                    text: object
                        .get("time")
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                }))
            }
        };
        let json_value = |this: &Self, v: &serde_json::Value| match v {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::Number(n) => Ok(n.as_f64()),
            serde_json::Value::String(s) => this.value(s),
            other => Err(this.error(SeriesErrorKind::NotANumber {
                text: other.to_string(),
            })),
        };
        if let Some(metric) = object.get("metric") {
            let name = metric.as_str().unwrap_or_default();
            let metric = self.metric(name)?;
            let value = json_value(
                self,
                object.get("value").unwrap_or(&serde_json::Value::Null),
            )?;
            return self.add(&time, vec![(metric, value)], false);
        }
        let mut values = Vec::new();
        for (name, v) in object.iter().filter(|(k, _)| k.as_str() != "time") {
            values.push((self.metric(name)?, json_value(self, v)?));
        }
        self.add(&time, values, true)
    }

    /// Adds values at `time` to the snapshot of that time, finishing the one before when
    /// `time` is later. A `whole` row (wide CSV, wide JSON) is a time of its own: it must be
    /// later than the last.
    fn add(&mut self, time: &str, values: Vec<(MetricKey, Option<f64>)>, whole: bool) -> Step {
        let at = self.time(time)?;
        self.rows += 1;
        let mut finished = None;
        match &self.current {
            Some((current, text, _)) if whole && at == *current => {
                return Err(self.error(SeriesErrorKind::Duplicate {
                    what: "time".into(),
                    time: text.clone(),
                }));
            }
            Some((current, text, _)) if at < *current => {
                return Err(self.error(SeriesErrorKind::Backwards {
                    time: time.to_owned(),
                    previous: text.clone(),
                }));
            }
            Some((current, _, _)) if at == *current => {}
            _ => {
                finished = self
                    .current
                    .replace((at, time.to_owned(), Snapshot::new()))
                    .map(|(at, _, snap)| (at, snap));
                self.given.clear();
            }
        }
        for (metric, value) in values {
            if !self.given.insert(metric.clone()) {
                return Err(self.error(SeriesErrorKind::Duplicate {
                    what: metric.as_str().to_owned(),
                    time: time.to_owned(),
                }));
            }
            if let (Some(v), Some((_, _, snap))) = (value, &mut self.current) {
                snap.insert(metric, v);
            }
        }
        Ok(finished)
    }

    fn metric(&self, name: &str) -> Result<MetricKey, SeriesError> {
        MetricKey::parse(name).map_err(|_| {
            self.error(SeriesErrorKind::UnknownMetric {
                name: name.to_owned(),
            })
        })
    }

    /// A number, or `None` for a gap (empty, `NaN`, `null`).
    fn value(&self, text: &str) -> Result<Option<f64>, SeriesError> {
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("nan") || text == "null" {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.error(SeriesErrorKind::NotANumber {
                text: text.to_owned(),
            })),
        }
    }

    fn time(&self, text: &str) -> Result<Timestamp, SeriesError> {
        parse_time(text.trim()).ok_or_else(|| {
            self.error(SeriesErrorKind::BadTime {
                text: text.to_owned(),
            })
        })
    }
}

/// RFC 3339 (any offset) or Unix seconds, to the millisecond.
pub fn parse_time(text: &str) -> Option<Timestamp> {
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !text.is_empty() {
        let secs: f64 = text.parse().ok()?;
        let ms = (secs * 1000.0).round();
        // Up to the year 9999.
        return (ms.is_finite() && ms <= 253_402_300_799_000.0)
            .then(|| Timestamp::from_millis(ms as i64));
    }
    let at: jiff::Timestamp = text.parse().ok()?;
    Some(Timestamp::from_millis(at.as_millisecond()))
}

/// The comma-separated fields of a CSV line, trimmed, with surrounding double quotes removed.
fn fields(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(|f| {
        let f = f.trim();
        f.strip_prefix('"')
            .and_then(|f| f.strip_suffix('"'))
            .unwrap_or(f)
    })
}

#[cfg(test)]
#[path = "series_tests.rs"]
mod tests;
