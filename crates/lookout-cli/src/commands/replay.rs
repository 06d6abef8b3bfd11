//! `lookout replay`: a recorded series through a config's rules, on the engine the monitor
//! runs, printing every transition. The series is streamed, never loaded whole.

use crate::commands::run::event_json;
use crate::commands::status::event_line;
use crate::words::t;
use crate::{config_path, EXIT_INVALID};
use lookout_core::series::{SeriesError, SeriesErrorKind, SeriesParser, MAX_LINE};
use lookout_core::{Engine, EventKind, Snapshot, Timestamp};
use lookout_monitor::clock::rfc3339;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// What a replay found, for its last line.
#[derive(Debug, Default)]
struct Tally {
    times: u64,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
    firing: u64,
    resolved: u64,
    notifications: u64,
}

pub fn replay(
    config: Option<PathBuf>,
    series: &Path,
    as_json: bool,
    interval: Option<Duration>,
) -> anyhow::Result<ExitCode> {
    let path = config_path(config)?;
    let valid = match super::valid_or_report(&path)? {
        Ok(valid) => valid,
        Err(code) => return Ok(code),
    };
    let interval = interval.unwrap_or(valid.interval);
    let input: Box<dyn Read> = if series.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        // A regular file only (a FIFO or a device is refused, not waited on); "-" is for pipes.
        match lookout_monitor::sys::careful_file::open_stream(series) {
            Ok(file) => Box::new(file),
            Err(e) => {
                eprintln!("lookout: {}", e.words(crate::words::language()));
                return Ok(ExitCode::from(EXIT_INVALID));
            }
        }
    };
    let mut engine = Engine::new(interval, valid.rules.clone());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut tally = Tally::default();
    let mut step = |at: Timestamp, snap: Snapshot, out: &mut dyn Write| -> std::io::Result<()> {
        tally.times += 1;
        tally.first.get_or_insert(at);
        tally.last = Some(at);
        let events = engine.tick(at, &snap);
        for event in &events {
            match event.state {
                EventKind::Firing => tally.firing += 1,
                EventKind::Resolved => tally.resolved += 1,
                _ => {}
            }
            tally.notifications += u64::from(event.notify);
            if as_json {
                writeln!(out, "{}", event_json(event))?;
            } else {
                writeln!(out, "{}", event_line(event))?;
            }
        }
        // Transitions show as they happen when the series is a pipe.
        if !events.is_empty() {
            out.flush()?;
        }
        Ok(())
    };
    let name = series.display().to_string();
    let result = read_series(input, |at, snap| step(at, snap, &mut out));
    match result {
        Ok(()) => {}
        Err(ReadError::Series(e)) => {
            let _ = out.flush();
            eprintln!("lookout: {}", series_error_words(&name, &e));
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            return Ok(ExitCode::SUCCESS)
        }
        Err(ReadError::Io(e)) => {
            let _ = out.flush();
            let reason = e.to_string();
            eprintln!(
                "lookout: {}",
                t("replay-unreadable", &[("path", &name), ("reason", &reason)])
            );
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    }
    if !as_json {
        let (from, to) = (
            tally.first.map(rfc3339).unwrap_or_default(),
            tally.last.map(rfc3339).unwrap_or_default(),
        );
        let every =
            lookout_monitor::delivery::format::duration_words(interval, crate::words::language());
        writeln!(
            out,
            "{}",
            t(
                "replay-summary",
                &[
                    ("times", &tally.times.to_string()),
                    ("from", &from),
                    ("to", &to),
                    ("interval", &every),
                    ("firing", &tally.firing.to_string()),
                    ("resolved", &tally.resolved.to_string()),
                    ("notifications", &tally.notifications.to_string()),
                ],
            )
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

enum ReadError {
    Series(SeriesError),
    Io(std::io::Error),
}

/// Streams `input` line by line (each at most [`MAX_LINE`] bytes) through the parser, handing
/// each time's snapshot to `step` in order.
fn read_series(
    input: impl Read,
    mut step: impl FnMut(Timestamp, Snapshot) -> std::io::Result<()>,
) -> Result<(), ReadError> {
    let mut reader = BufReader::with_capacity(64 << 10, input);
    let mut parser = SeriesParser::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        // One more byte than a line may hold, so an over-long line is seen as one.
        let limit = (MAX_LINE + 2) as u64;
        let n = (&mut reader)
            .take(limit)
            .read_until(b'\n', &mut buf)
            .map_err(ReadError::Io)?;
        if n == 0 {
            break;
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        let line = String::from_utf8_lossy(&buf);
        if let Some((at, snap)) = parser.push_line(&line).map_err(ReadError::Series)? {
            step(at, snap).map_err(ReadError::Io)?;
        }
    }
    if let Some((at, snap)) = parser.finish().map_err(ReadError::Series)? {
        step(at, snap).map_err(ReadError::Io)?;
    }
    Ok(())
}

/// The error in the run's language, with the file and line.
fn series_error_words(path: &str, e: &SeriesError) -> String {
    let args = e.kind.args();
    let mut all: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let line = e.line.to_string();
    all.push(("path", path));
    all.push(("line", &line));
    let what = t(message_id(&e.kind), &all);
    if e.kind == SeriesErrorKind::Empty {
        return t("replay-empty-series", &[("path", path), ("what", &what)]);
    }
    t(
        "replay-bad-series",
        &[("path", path), ("line", &line), ("what", &what)],
    )
}

/// The catalog message of each kind of series error.
fn message_id(kind: &SeriesErrorKind) -> &'static str {
    match kind {
        SeriesErrorKind::Empty => "series-empty",
        SeriesErrorKind::BadHeader { .. } => "series-bad-header",
        SeriesErrorKind::UnknownMetric { .. } => "series-unknown-metric",
        SeriesErrorKind::BadTime { .. } => "series-bad-time",
        SeriesErrorKind::NotANumber { .. } => "series-not-a-number",
        SeriesErrorKind::FieldCount { .. } => "series-field-count",
        SeriesErrorKind::Backwards { .. } => "series-backwards",
        SeriesErrorKind::Duplicate { .. } => "series-duplicate",
        SeriesErrorKind::BadJson { .. } => "series-bad-json",
        SeriesErrorKind::LineTooLong { .. } => "series-line-too-long",
    }
}
