//! Fuzzing on stable Rust, with proptest: any text goes through the series parser of `lookout
//! replay`. Nothing may panic; an error names a line that exists; what is accepted goes
//! forward in time and holds only finite values. A valid series written in each of the three
//! shapes reads back exactly.
//!
//! `LOOKOUT_FUZZ_CASES` sets the cases per target (2,000 by default); `make test` runs
//! 100,000 and `make fuzz` ten million.

use lookout_core::series::{SeriesParser, MAX_LINE};
use lookout_core::Timestamp;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

fn cases() -> u32 {
    std::env::var("LOOKOUT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

const METRICS: [&str; 4] = ["cpu.total", "mem.used_bytes", "load.1", "disk./.used_pct"];

/// Lines built from the pieces series are made of, and arbitrary text.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "time", "metric", "value", "cpu.total", "mem.used_bytes", "cpu.totl", ",", "\n",
            "\r\n", "\"", "{", "}", ":", "null", "NaN", "inf", "-1", "0", "1796083200", "1.5",
            "2026-12-01T09:00:00+09:00", "2026-13-01T00:00:00Z", "#", " ", "\u{feff}", "é",
            "{\"time\":", "\"metric\":", "\"value\":", "\u{202E}", "\u{0}",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
        1 => (0u32..2_000_000_000).prop_map(|n| n.to_string()),
    ];
    prop_oneof![
        2 => any::<String>(),
        6 => prop::collection::vec(piece, 0..300).prop_map(|p| p.concat()),
    ]
}

/// A valid series: strictly increasing seconds, each with some metrics (a value or a gap).
fn valid() -> impl Strategy<Value = Vec<(i64, Vec<Option<f64>>)>> {
    let value = prop_oneof![
        4 => (-1e12f64..1e12).prop_map(Some),
        2 => (0u32..1000).prop_map(|n| Some(f64::from(n) / 10.0)),
        1 => Just(None),
    ];
    prop::collection::vec(
        (1i64..100, prop::collection::vec(value, METRICS.len())),
        1..60,
    )
    .prop_map(|rows| {
        let mut t = 1_796_083_200;
        rows.into_iter()
            .map(|(step, values)| {
                t += step;
                (t, values)
            })
            .collect()
    })
}

/// Each snapshot's time and its values by metric.
type Snapshots = Vec<(Timestamp, Vec<(String, f64)>)>;

/// What the parser made of `text`: the snapshots, or the error's line.
fn parse(text: &str) -> Result<Snapshots, usize> {
    let mut parser = SeriesParser::new();
    let mut out = Vec::new();
    let mut keep = |step: Option<(Timestamp, lookout_core::Snapshot)>| {
        if let Some((at, snap)) = step {
            let values = snap
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v))
                .collect();
            out.push((at, values));
        }
    };
    for line in text.split('\n') {
        keep(parser.push_line(line).map_err(|e| e.line)?);
    }
    keep(parser.finish().map_err(|e| e.line)?);
    Ok(out)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_text_is_read_or_refused_at_a_line_that_exists(text in text()) {
        let lines = text.split('\n').count();
        match parse(&text) {
            Err(line) => prop_assert!(line <= lines, "line {} of {}", line, lines),
            Ok(snapshots) => {
                prop_assert!(snapshots.windows(2).all(|w| w[0].0 < w[1].0), "time goes forward");
                prop_assert!(snapshots.iter().all(|(_, v)| v.iter().all(|(_, x)| x.is_finite())));
                prop_assert!(text.len() <= lines * (MAX_LINE + 1));
            }
        }
    }

    #[test]
    fn a_valid_series_reads_back_exactly_in_every_shape(rows in valid()) {
        let expected: Snapshots = rows
            .iter()
            .map(|(t, values)| {
                let mut kept: Vec<(String, f64)> = METRICS
                    .iter()
                    .zip(values)
                    .filter_map(|(m, v)| v.map(|v| ((*m).to_owned(), v)))
                    .collect();
                kept.sort_by(|a, b| a.0.cmp(&b.0));
                (Timestamp::from_millis(t * 1000), kept)
            })
            .collect();
        let mut long = String::from("time,metric,value\n");
        let mut wide = format!("time,{}\n", METRICS.join(","));
        let mut json = String::new();
        for (t, values) in &rows {
            for (m, v) in METRICS.iter().zip(values) {
                match v {
                    Some(v) => long.push_str(&format!("{t},{m},{v}\n")),
                    None => long.push_str(&format!("{t},{m},\n")),
                }
            }
            let cells: Vec<String> = values.iter().map(|v| v.map(|v| v.to_string()).unwrap_or_default()).collect();
            wide.push_str(&format!("{t},{}\n", cells.join(",")));
            let mut object = serde_json::Map::new();
            object.insert("time".into(), serde_json::json!(t));
            for (m, v) in METRICS.iter().zip(values) {
                object.insert((*m).to_owned(), serde_json::json!(v));
            }
            json.push_str(&format!("{}\n", serde_json::Value::Object(object)));
        }
        for (name, text) in [("long", &long), ("wide", &wide), ("json", &json)] {
            let got = parse(text).map_err(|line| TestCaseError::fail(format!("{name}: line {line}")))?;
            prop_assert_eq!(&got, &expected, "{}", name);
        }
    }
}
