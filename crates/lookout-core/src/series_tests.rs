//! Unit tests of the series parser: the three shapes, gaps, times and every error.

use super::*;

/// Each snapshot as (Unix seconds, its values by metric).
type Parsed = Vec<(i64, Vec<(String, f64)>)>;

fn parse(text: &str) -> Result<Parsed, SeriesError> {
    let mut p = SeriesParser::new();
    let mut out = Vec::new();
    let mut keep = |step: Option<(Timestamp, Snapshot)>| {
        if let Some((at, snap)) = step {
            let values = snap
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v))
                .collect();
            out.push((at.as_millis() / 1000, values));
        }
    };
    for line in text.lines() {
        keep(p.push_line(line)?);
    }
    keep(p.finish()?);
    Ok(out)
}

fn kind(text: &str) -> (usize, SeriesErrorKind) {
    let e = parse(text).expect_err("an error");
    (e.line, e.kind)
}

#[test]
fn long_csv_groups_rows_by_time_and_a_missing_row_is_a_gap() {
    let got = parse(
        "time,metric,value\n\
         100,cpu.total,50\n\
         100,mem.used_pct,40.5\n\
         101,cpu.total,68.7\n\
         \n\
         # a comment\n\
         102,cpu.total,\n",
    )
    .expect("valid");
    assert_eq!(
        got,
        vec![
            (
                100,
                vec![("cpu.total".into(), 50.0), ("mem.used_pct".into(), 40.5)]
            ),
            (101, vec![("cpu.total".into(), 68.7)]),
            (102, vec![]),
        ]
    );
}

#[test]
fn wide_csv_with_rfc3339_times_in_any_offset_and_empty_cells() {
    let got = parse(
        "\u{feff}Time,cpu.total,\"mem.used_pct\"\r\n\
         2026-12-01T09:00:00+09:00,10,20\r\n\
         2026-12-01T00:00:01Z,,21\r\n",
    )
    .expect("valid");
    assert_eq!(got[0].0, 1_796_083_200, "09:00 in Seoul is 00:00 UTC");
    assert_eq!(got[1], (1_796_083_201, vec![("mem.used_pct".into(), 21.0)]));
}

#[test]
fn json_lines_long_and_wide_with_null_gaps() {
    let got = parse(
        "{\"time\": 100, \"metric\": \"cpu.total\", \"value\": 1.5}\n\
         {\"time\": \"1970-01-01T00:01:41Z\", \"cpu.total\": null, \"load.1\": 2}\n",
    )
    .expect("valid");
    assert_eq!(
        got,
        vec![
            (100, vec![("cpu.total".into(), 1.5)]),
            (101, vec![("load.1".into(), 2.0)])
        ]
    );
}

#[test]
fn values_keep_full_precision() {
    let got =
        parse("time,metric,value\n1,mem.used_bytes,9812345679\n2,cpu.total,68.7\n").expect("valid");
    assert_eq!(got[0].1[0].1, 9_812_345_679.0);
    assert_eq!(got[1].1[0].1, 68.7);
    // A JSON number is read to the nearest f64 too (serde_json's float_roundtrip).
    let got = parse("{\"time\": 1, \"cpu.total\": 60.455555555555556}\n").expect("valid");
    assert_eq!(
        got[0].1[0].1,
        "60.455555555555556".parse::<f64>().expect("a number")
    );
}

#[test]
fn every_error_names_its_line() {
    use SeriesErrorKind as K;
    assert_eq!(parse("").expect_err("empty").kind, K::Empty);
    assert_eq!(
        parse("time,metric,value\n").expect_err("no rows").kind,
        K::Empty
    );
    assert!(matches!(
        kind("when,cpu.total\n1,2\n"),
        (1, K::BadHeader { .. })
    ));
    assert!(matches!(
        kind("time,cpu.totl\n"),
        (1, K::UnknownMetric { name }) if name == "cpu.totl"
    ));
    assert!(matches!(
        kind("time,metric,value\n1,cpu.total,5\n2,disk,5\n"),
        (3, K::UnknownMetric { .. })
    ));
    assert!(matches!(
        kind("time,metric,value\nyesterday,cpu.total,5\n"),
        (2, K::BadTime { text }) if text == "yesterday"
    ));
    assert!(matches!(
        kind("time,metric,value\n1,cpu.total,high\n"),
        (2, K::NotANumber { text }) if text == "high"
    ));
    assert!(matches!(
        kind("time,metric,value\n1,cpu.total,inf\n"),
        (2, K::NotANumber { .. })
    ));
    assert!(matches!(
        kind("time,cpu.total,load.1\n1,2\n"),
        (
            2,
            K::FieldCount {
                expected: 3,
                found: 2
            }
        )
    ));
    assert!(matches!(
        kind("time,metric,value\n5,cpu.total,1\n4,cpu.total,1\n"),
        (3, K::Backwards { time, previous }) if time == "4" && previous == "5"
    ));
    assert!(matches!(
        kind("time,metric,value\n5,cpu.total,1\n5,cpu.total,2\n"),
        (3, K::Duplicate { what, .. }) if what == "cpu.total"
    ));
    assert!(matches!(
        kind("time,cpu.total\n5,1\n5,2\n"),
        (3, K::Duplicate { what, .. }) if what == "time"
    ));
    assert!(matches!(
        kind("time,cpu.total,cpu.total\n"),
        (1, K::Duplicate { .. })
    ));
    assert!(matches!(kind("{\"time\": 1,\n"), (1, K::BadJson { .. })));
    assert!(matches!(
        kind("{\"time\": true, \"cpu.total\": 1}\n"),
        (1, K::BadTime { .. })
    ));
    let long = format!(
        "time,metric,value\n1,cpu.total,{}\n",
        "9".repeat(MAX_LINE + 1)
    );
    assert!(matches!(kind(&long), (2, K::LineTooLong { .. })));
}

#[test]
fn every_error_code_is_distinct() {
    use SeriesErrorKind as K;
    let s = String::new;
    let kinds = [
        K::Empty,
        K::BadHeader { found: s() },
        K::UnknownMetric { name: s() },
        K::BadTime { text: s() },
        K::NotANumber { text: s() },
        K::FieldCount {
            expected: 0,
            found: 0,
        },
        K::Backwards {
            time: s(),
            previous: s(),
        },
        K::Duplicate {
            what: s(),
            time: s(),
        },
        K::BadJson { detail: s() },
        K::LineTooLong { max: 0 },
    ];
    let codes: BTreeSet<&str> = kinds.iter().map(SeriesErrorKind::code).collect();
    assert_eq!(codes.len(), kinds.len());
}
