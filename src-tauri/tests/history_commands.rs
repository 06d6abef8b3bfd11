//! The window's history commands through Tauri's mock runtime over a real monitor that
//! records: a metric's range with its tier, a draft rule backtested, and what a hostile or
//! mistaken call gets back (an unknown metric, an empty range, a broken rule).
#![allow(clippy::expect_used)]

mod common;

use common::TestApp;
use serde_json::{json, Value};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const CONFIG: &str = r#"version = 1
[sampling]
interval = "1s"
[desktop]
enabled = false
"#;

fn now_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(since.as_millis()).expect("fits")
}

fn history(app: &TestApp, metric: &str, from: i64, to: i64) -> Result<Value, Value> {
    app.invoke(
        "get_history",
        json!({ "metric": metric, "from": from, "to": to, "points": 100 }),
    )
}

#[test]
fn the_window_reads_history_and_backtests_a_draft_rule() {
    // Written every second, so the test need not wait ten.
    std::env::set_var("LOOKOUT_HISTORY_FLUSH", "1s");
    let dir = tempfile::TempDir::new().expect("dir");
    let app = TestApp::start_with_config(dir, CONFIG);
    let start = now_ms();
    let deadline = Instant::now() + Duration::from_secs(60);
    let series = loop {
        let series = history(&app, "cpu.total", start - 60_000, now_ms()).expect("get_history");
        if series["points"].as_array().is_some_and(|p| p.len() >= 3) {
            break series;
        }
        assert!(Instant::now() < deadline, "no history recorded: {series}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(series["tier"], "raw");
    assert_eq!(series["metric"], "cpu.total");
    let point = &series["points"][0];
    assert!(point["min"].as_f64() <= point["avg"].as_f64(), "{point}");

    // Every metric is recorded at a 1 s tick, not only what rules use.
    let mem = history(&app, "mem.used_pct", start - 60_000, now_ms()).expect("memory");
    assert!(
        !mem["points"].as_array().expect("points").is_empty(),
        "{mem}"
    );

    for (metric, from, to) in [
        ("cpu.bogus", start, now_ms()),
        ("cpu.total", now_ms(), start),
        ("../../etc/passwd", start, now_ms()),
    ] {
        let err = history(&app, metric, from, to).expect_err("refused");
        assert_eq!(err["code"], "bad_request", "{metric}: {err}");
    }

    // A draft rule: its actions are neither run nor looked at.
    let rule = json!({
        "name": "draft", "metric": "cpu.total", "aggregate": "all", "window": "2s",
        "op": ">=", "threshold": 0,
        "actions": [{ "on": ["firing"], "run": ["/nonexistent/program"] }]
    });
    let result = app
        .invoke(
            "backtest_rule",
            json!({ "rule": rule, "from": start - 60_000, "to": now_ms() }),
        )
        .expect("backtest_rule");
    assert_eq!(result["tier"], "raw");
    assert!(result["approximation"].is_null());
    assert!(result["firings"].as_u64() >= Some(1), "{result}");

    let broken = json!({
        "name": "draft", "metric": "cpu.total", "window": "-5m", "op": ">", "threshold": 1
    });
    let err = app
        .invoke(
            "backtest_rule",
            json!({ "rule": broken, "from": start, "to": now_ms() }),
        )
        .expect_err("a broken rule is refused");
    assert_eq!(err["code"], "invalid_config", "{err}");
    assert!(err.to_string().contains("window"), "{err}");
}
