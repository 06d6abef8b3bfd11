//! `lookout history`: one metric's stored readings over a range, as a table, CSV or JSON,
//! read while a monitor runs.

use crate::words::t;
use crate::{config_path, data_dir, EXIT_INVALID};
use lookout_core::metric::ACCEPTED_METRICS;
use lookout_core::series::parse_time;
use lookout_core::{MetricKey, Timestamp, ValidConfig};
use lookout_monitor::clock::{rfc3339, wall_now};
use lookout_monitor::config::load_config;
use lookout_monitor::delivery::format::metric_value;
use lookout_monitor::history::query::{query, HistoryQuery, HistorySeries};
use lookout_monitor::history::{HistoryPolicy, Tier};
use lookout_monitor::store::{Store, StoreError, DB_FILE};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// A point in time on the command line: a duration ago ("1h") or a time (RFC 3339 or Unix
/// seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Ago(Duration),
    At(Timestamp),
}

impl When {
    pub fn at(self, now: Timestamp) -> Timestamp {
        match self {
            Self::Ago(d) => now.minus(d),
            Self::At(t) => t,
        }
    }
}

/// The range `--since` and `--until` name at `now`, or `None` (said on stderr) when it is
/// empty.
pub(crate) fn range(
    now: Timestamp,
    since: When,
    until: Option<When>,
) -> Option<(Timestamp, Timestamp)> {
    let (from, to) = (since.at(now), until.map_or(now, |u| u.at(now)));
    if from >= to {
        let (a, b) = (rfc3339(from), rfc3339(to));
        eprintln!(
            "lookout: {}",
            t("cli-history-empty-range", &[("from", &a), ("to", &b)])
        );
        return None;
    }
    Some((from, to))
}

/// Parses `--since` and `--until`.
pub fn parse_when(text: &str) -> Result<When, String> {
    if let Some(at) = parse_time(text) {
        return Ok(When::At(at));
    }
    lookout_core::config::parse_duration(text)
        .map(When::Ago)
        .map_err(|_| t("cli-when-invalid", &[("value", text)]))
}

/// How `lookout history` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Table,
    Json,
    Csv,
}

/// What the history commands take from the config: retention and the sampling interval.
/// The defaults when the config cannot be read: reading the history must not depend on it.
pub(crate) fn settings(config: Option<PathBuf>) -> (HistoryPolicy, Duration, Option<ValidConfig>) {
    let valid = config_path(config).ok().and_then(|p| load_config(&p).ok());
    match &valid {
        Some(v) => (
            HistoryPolicy::from_storage(&v.config.storage),
            v.interval,
            valid.clone(),
        ),
        None => (HistoryPolicy::default(), Duration::from_secs(1), None),
    }
}

/// The database, or a message saying why there is none yet.
pub(crate) fn open_history(data: Option<PathBuf>) -> anyhow::Result<Result<Store, String>> {
    let dir = data_dir(data)?;
    let path = dir.join(DB_FILE);
    match Store::open_read_only(&path) {
        Ok(store) => Ok(Ok(store)),
        Err(StoreError::Missing { .. }) => Ok(Err(t(
            "cli-history-no-database",
            &[("path", &path.display().to_string())],
        ))),
        Err(e) => Err(e.into()),
    }
}

/// Why `metric` has no history: not a metric at all, or never recorded (with what was).
pub(crate) fn unknown_metric(store: &Store, metric: &str) -> anyhow::Result<Option<String>> {
    let shown = lookout_core::text::escaped(metric);
    if MetricKey::parse(metric).is_err() {
        return Ok(Some(t(
            "cli-history-bad-metric",
            &[("metric", &shown), ("accepted", ACCEPTED_METRICS)],
        )));
    }
    if store.metric_id(metric)?.is_some() {
        return Ok(None);
    }
    let known = store.history_metrics()?;
    let mut list = known
        .iter()
        .take(40)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if known.len() > 40 {
        list.push_str(", …");
    }
    Ok(Some(t(
        "cli-history-not-recorded",
        &[("metric", &shown), ("recorded", &list)],
    )))
}

#[allow(clippy::too_many_arguments)]
pub fn history(
    metric: &str,
    since: When,
    until: Option<When>,
    points: usize,
    output: Output,
    config: Option<PathBuf>,
    data: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let now = wall_now();
    let Some((from, to)) = range(now, since, until) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let (policy, interval, _) = settings(config);
    let store = match open_history(data)? {
        Ok(store) => store,
        Err(why) => {
            eprintln!("lookout: {why}");
            return Ok(ExitCode::FAILURE);
        }
    };
    if let Some(why) = unknown_metric(&store, metric)? {
        eprintln!("lookout: {why}");
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    let q = HistoryQuery {
        metric: metric.to_owned(),
        from,
        to,
        max_points: points,
    };
    let series = query(&store, &policy, interval, now, &q)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match output {
        Output::Json => writeln!(out, "{}", serde_json::to_string(&series)?),
        Output::Csv => csv(&mut out, &series),
        Output::Table => table(&mut out, &series),
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// The tier's name in the run's language.
pub(crate) fn tier_words(tier: Tier) -> String {
    t(
        match tier {
            Tier::Raw => "cli-history-tier-raw",
            Tier::Minute => "cli-history-tier-minute",
            Tier::QuarterHour => "cli-history-tier-quarter-hour",
        },
        &[],
    )
}

fn table(out: &mut impl Write, s: &HistorySeries) -> std::io::Result<()> {
    let key = MetricKey::parse(&s.metric).ok();
    let value = |v: Option<f64>| match (&key, v) {
        (Some(k), Some(v)) => metric_value(k, v),
        _ => String::new(),
    };
    let step = lookout_monitor::delivery::format::duration_words(
        Duration::from_millis(s.step_ms.unsigned_abs()),
        crate::words::language(),
    );
    writeln!(
        out,
        "{}",
        t(
            "cli-history-header",
            &[
                ("metric", &s.metric),
                ("from", &rfc3339(s.from)),
                ("to", &rfc3339(s.to)),
                ("tier", &tier_words(s.tier)),
                ("step", &step),
            ],
        )
    )?;
    if s.points.is_empty() {
        return writeln!(out, "{}", t("cli-history-no-points", &[]));
    }
    let gap = t("cli-history-gap", &[]);
    for p in &s.points {
        if p.is_gap() {
            writeln!(out, "{}  {gap}", rfc3339(p.t))?;
            continue;
        }
        let (min, avg, max) = (value(p.min), value(p.avg), value(p.max));
        writeln!(
            out,
            "{}  {}",
            rfc3339(p.t),
            t(
                "cli-history-point",
                &[("min", &min), ("avg", &avg), ("max", &max)]
            )
        )?;
    }
    Ok(())
}

/// `time,min,avg,max`, full precision; a gap is a row with the values empty.
fn csv(out: &mut impl Write, s: &HistorySeries) -> std::io::Result<()> {
    writeln!(out, "time,min,avg,max")?;
    let field = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for p in &s.points {
        writeln!(
            out,
            "{},{},{},{}",
            rfc3339(p.t),
            field(p.min),
            field(p.avg),
            field(p.max)
        )?;
    }
    Ok(())
}
