//! Recorded answers of the real monitor for the window's fake backend, so the fake (browser
//! dev server and UI tests) cannot drift from Lookout: the validation of every config the UI
//! tests and the dev server use, and views (status, ticks with rule states from the real
//! Engine fed a scripted machine, the alert log, recent readings).
//!
//! Like the TypeScript bindings, running this test regenerates ui/src/lib/backend/fixtures;
//! `make test` runs it by name and fails when the committed copies are stale.

use lookout_core::config::{Config, LanguageSetting, RuleConfig, DEFAULT_CONFIG_TOML};
use lookout_core::{
    Aggregate, AlertEvent, AlertPhase, Engine, EventKind, FieldError, MetricKey, Op, Severity,
    Timestamp,
};
use lookout_monitor::api::{ChannelStatus, MetricSeries, RuleStatus, Status, TickView};
use lookout_monitor::config::validate_config;
use lookout_monitor::monitor::rule_statuses;
use lookout_monitor::monitor::status::overall_state;
use lookout_monitor::store::LoggedAlert;
use serde::Serialize;
use std::path::PathBuf;

#[path = "ui_fixtures/machine.rs"]
mod machine;
#[path = "ui_fixtures/samples.rs"]
mod samples;
use machine::{main_scenario, Machine};
use samples::{sample_action_run, sample_culprits};

/// The recorded "now": the last tick of the history. The fake shifts every time by its own
/// clock minus this.
const NOW_MS: i64 = 1_700_000_000_000;
/// Ticks (one a second) before the recorded now; the last RECENT of them are `recent`.
const HISTORY: i64 = 600;
const RECENT: usize = 120;
/// Ticks after the recorded now, replayed in a loop by the fake.
const REPLAY: i64 = 30;
const DAY_MS: i64 = 86_400_000;

/// A config the UI uses, as an edit of the default config, and the paths that must be wrong.
struct Draft {
    name: &'static str,
    /// Where it is used, for people reading the fixture.
    used_by: &'static str,
    edit: fn(&mut Config),
    errors_at: &'static [&'static str],
}

fn drafts() -> Vec<Draft> {
    fn rename_first(c: &mut Config, window: &str) {
        c.rules[0].name = "CPU busy for ten minutes".into();
        c.rules[0].window = window.into();
    }
    fn dev_rule_edits(c: &mut Config) {
        c.rules[2].window = "later".into();
        c.rules[2].channels = Some(vec!["desktop".into()]);
        // What the window's "+ Add rule" button adds.
        let new_rule = RuleConfig {
            name: "New rule".into(),
            metric: "cpu.total".into(),
            aggregate: Aggregate::Avg,
            window: "5m".into(),
            op: Op::Gt,
            threshold: 80.0,
            clear_threshold: None,
            pending_for: None,
            keep_firing_for: None,
            repeat_every: None,
            repeat_max: None,
            notify_resolved: true,
            severity: Severity::Warning,
            channels: None,
            enabled: true,
            min_coverage: None,
            only_when: None,
            actions: Vec::new(),
        };
        c.rules.push(new_rule);
    }
    vec![
        Draft {
            name: "default",
            used_by: "start-up",
            edit: |_| {},
            errors_at: &[],
        },
        Draft {
            name: "language-ko",
            used_by: "i18n.test, draft.test, fake.test, dev.test",
            edit: |c| c.language = LanguageSetting::Ko,
            errors_at: &[],
        },
        Draft {
            name: "language-en",
            used_by: "i18n.test, draft.test, fake.test, dev.test",
            edit: |c| c.language = LanguageSetting::En,
            errors_at: &[],
        },
        Draft {
            name: "rule1_window_not_a_duration",
            used_by: "window.test, draft.test",
            edit: |c| c.rules[1].window = "five minutes".into(),
            errors_at: &["rules[1].window"],
        },
        Draft {
            name: "rule0_window_soon",
            used_by: "webkit.test",
            edit: |c| c.rules[0].window = "soon".into(),
            errors_at: &["rules[0].window"],
        },
        Draft {
            name: "rule0_renamed",
            used_by: "window.test, draft.test",
            edit: |c| rename_first(c, "10m"),
            errors_at: &[],
        },
        Draft {
            name: "rule0_renamed_window_whenever",
            used_by: "draft.test",
            edit: |c| rename_first(c, "whenever"),
            errors_at: &["rules[0].window"],
        },
        Draft {
            name: "email_enabled",
            used_by: "window.test",
            edit: |c| c.email.enabled = true,
            errors_at: &[],
        },
        Draft {
            name: "quiet_hours_empty_span",
            used_by: "window.test",
            edit: |c| {
                c.quiet_hours.enabled = true;
                (c.quiet_hours.start, c.quiet_hours.end) = ("23:00".into(), "23:00".into());
            },
            errors_at: &["quiet_hours.end"],
        },
        Draft {
            name: "quiet_hours_night",
            used_by: "window.test",
            edit: |c| {
                c.quiet_hours.enabled = true;
                (c.quiet_hours.start, c.quiet_hours.end) = ("23:00".into(), "06:30".into());
            },
            errors_at: &[],
        },
        Draft {
            name: "sampling_interval_soon",
            used_by: "window.test",
            edit: |c| c.sampling.interval = "soon".into(),
            errors_at: &["sampling.interval"],
        },
        Draft {
            name: "storage_raw_hours_0",
            used_by: "window.test",
            edit: |c| c.storage.raw_hours = 0,
            errors_at: &["storage.raw_hours"],
        },
        Draft {
            name: "storage_raw_hours_24",
            used_by: "window.test",
            edit: |c| c.storage.raw_hours = 24,
            errors_at: &[],
        },
        Draft {
            name: "dev_rule_edits",
            used_by: "dev.test",
            edit: dev_rule_edits,
            errors_at: &["rules[2].window"],
        },
        Draft {
            name: "dev_rule_edits_email_to",
            used_by: "dev.test, fake.test",
            edit: |c| {
                dev_rule_edits(c);
                c.email.enabled = true;
                c.email.to = vec!["me@example.com".into(), "not an address".into()];
            },
            errors_at: &["email.to[1]", "rules[2].window"],
        },
    ]
}

fn at(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms)
}

/// One scripted run of a config: its events, the replayed ticks and recent readings.
struct Run {
    events: Vec<AlertEvent>,
    ticks: Vec<TickView>,
    recent: Vec<MetricSeries>,
}

fn run(config: &Config) -> Run {
    let valid = validate_config(config).expect("a run is of a valid config");
    let mut engine = Engine::new(valid.interval, valid.rules);
    let mut machine = Machine { seed: 7 };
    let (mut events, mut ticks, mut history) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..HISTORY + REPLAY {
        let now = at(NOW_MS - (HISTORY - 1 - i) * 1000);
        let (cpu, mem, disk) = main_scenario(i);
        let values = machine.snapshot(cpu, mem, disk);
        events.extend(engine.tick(now, &values));
        if i < HISTORY {
            history.push((now, values));
        } else {
            ticks.push(TickView {
                at: now,
                values,
                rules: rule_statuses(&engine),
            });
        }
    }
    let recent_from = history.len() - RECENT;
    let keys: Vec<MetricKey> = history[0].1.iter().map(|(k, _)| k.clone()).collect();
    let recent = keys
        .iter()
        .map(|key| MetricSeries {
            metric: key.to_string(),
            times: history[recent_from..].iter().map(|(t, _)| *t).collect(),
            values: history[recent_from..]
                .iter()
                .filter_map(|(_, s)| s.get(key))
                .collect(),
        })
        .collect();
    events.retain(|e| e.at.as_millis() <= NOW_MS);
    Run {
        events,
        ticks,
        recent,
    }
}

/// Older entries for the alert log: the default rules on a scripted day `days_ago`.
fn episode(
    config: &Config,
    days_ago: i64,
    seed: u64,
    scenario: fn(i64) -> (f64, f64, f64),
) -> Vec<AlertEvent> {
    let valid = validate_config(config).expect("default config");
    let mut engine = Engine::new(valid.interval, valid.rules);
    let mut machine = Machine { seed };
    let start = NOW_MS - days_ago * DAY_MS;
    (0..900)
        .flat_map(|i| {
            let (cpu, mem, disk) = scenario(i);
            engine.tick(at(start + i * 1000), &machine.snapshot(cpu, mem, disk))
        })
        .collect()
}

fn status(config: &Config, last: &TickView, paused: bool) -> Status {
    let firing: Vec<&RuleStatus> = last
        .rules
        .iter()
        .filter(|r| matches!(r.phase, AlertPhase::Firing { .. }))
        .collect();
    let channel = |name: &str, enabled: bool| ChannelStatus {
        channel: name.into(),
        enabled,
        last_ok_at: enabled.then(|| at(NOW_MS - 42 * 60_000)),
        last_error_at: None,
        last_error: None,
        consecutive_failures: 0,
    };
    Status {
        overall: overall_state(false, paused, firing.iter().map(|r| r.severity)),
        // Recorded on an English desktop: `auto` is English here (the fake follows the
        // browser's language instead).
        language: lookout_i18n::resolve(config.language, |_| None),
        paused_until: paused.then(|| at(NOW_MS + 3_600_000)),
        firing: firing.iter().map(|r| r.name.clone()).collect(),
        channels: vec![
            channel("desktop", config.desktop.enabled),
            channel("email", config.email.enabled),
        ],
        outbox_pending: 0,
        outbox_failed: 0,
        self_cpu_pct: Some(0.3),
        self_rss_bytes: Some(38 * 1024 * 1024),
        smtp_password_set: false,
        smtp_server_unconfirmed: None,
        config_error: None,
        tick_failure: None,
        config_path: "~/.config/lookout/config.toml (recorded)".into(),
        data_dir: "~/.local/share/lookout (recorded)".into(),
        log_path: Some("~/.local/state/lookout/lookout.log (recorded)".into()),
    }
}

#[derive(Serialize)]
struct RecordedConfig {
    name: &'static str,
    used_by: &'static str,
    config: Config,
    errors: Vec<FieldError>,
    /// For a valid config: which run in views.json its ticks replay.
    #[serde(skip_serializing_if = "Option::is_none")]
    run: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Statuses>,
}

#[derive(Serialize)]
struct Statuses {
    running: Status,
    paused: Status,
}

/// One JSON value per line inside a list, so a diff shows which entry changed.
fn json_lines<T: Serialize>(items: &[T]) -> String {
    let lines: Vec<String> = items
        .iter()
        .map(|i| serde_json::to_string(i).expect("serialisable"))
        .collect();
    format!("[\n{}\n]", lines.join(",\n"))
}

fn write_if_changed(name: &str, text: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/backend/fixtures");
    std::fs::create_dir_all(&dir).expect("fixtures dir");
    let path = dir.join(name);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
        std::fs::write(&path, text).expect("write fixture");
    }
}

#[test]
fn export_ui_fixtures() {
    let default: Config = toml::from_str(DEFAULT_CONFIG_TOML).expect("default config parses");
    let mut configs = Vec::new();
    let mut runs: Vec<(String, Vec<RuleConfig>, Run)> = Vec::new();
    for draft in drafts() {
        let mut config = default.clone();
        (draft.edit)(&mut config);
        let errors = validate_config(&config).err().unwrap_or_default();
        let paths: Vec<String> = errors.iter().map(|e| e.path_text()).collect();
        assert_eq!(
            paths, draft.errors_at,
            "the problems of draft {}",
            draft.name
        );
        let (mut run_name, mut statuses) = (None, None);
        if errors.is_empty() {
            // Ticks depend only on the rules: configs with the same rules share a run.
            if !runs.iter().any(|(_, rules, _)| *rules == config.rules) {
                runs.push((draft.name.to_owned(), config.rules.clone(), run(&config)));
            }
            let (name, _, r) = runs
                .iter()
                .find(|(_, rules, _)| *rules == config.rules)
                .expect("run");
            let last = r.ticks.last().expect("replayed ticks");
            statuses = Some(Statuses {
                running: status(&config, last, false),
                paused: status(&config, last, true),
            });
            run_name = Some(name.clone());
        }
        configs.push(RecordedConfig {
            name: draft.name,
            used_by: draft.used_by,
            config,
            errors,
            run: run_name,
            status: statuses,
        });
    }

    let main = &runs[0].2;
    let mut events = episode(&default, 6, 11, |i| {
        (20.0, 50.0, if (60..300).contains(&i) { 93.0 } else { 80.0 })
    });
    events.extend(episode(&default, 2, 23, |i| {
        (25.0, if (30..500).contains(&i) { 93.0 } else { 70.0 }, 60.0)
    }));
    events.extend(main.events.iter().cloned());
    let kinds = |from: i64| {
        events
            .iter()
            .filter(|e| e.at.as_millis() >= from)
            .map(|e| e.state)
            .collect::<Vec<_>>()
    };
    assert!(
        kinds(NOW_MS - DAY_MS).contains(&EventKind::Resolved),
        "the last day has a resolved alert"
    );
    assert!(
        kinds(NOW_MS - 7 * DAY_MS).len() > kinds(NOW_MS - DAY_MS).len(),
        "the week holds older alerts"
    );
    let alerts: Vec<LoggedAlert> = events
        .into_iter()
        .enumerate()
        .map(|(i, mut event)| {
            let firing = matches!(event.state, EventKind::Firing | EventKind::Reminder);
            if firing {
                event.culprits = sample_culprits(event.metric.as_str());
            }
            let actions = if firing && event.metric.as_str().starts_with("disk.") {
                vec![sample_action_run(&event)]
            } else {
                Vec::new()
            };
            LoggedAlert {
                id: i as i64 + 1,
                event,
                actions,
            }
        })
        .collect();
    let firing_at_end = &configs[0]
        .status
        .as_ref()
        .expect("default is valid")
        .running
        .firing;
    assert_eq!(
        firing_at_end,
        &["Root disk almost full"],
        "the replay shows an alert firing"
    );

    let runs_json: Vec<String> = runs
        .iter()
        .map(|(name, _, r)| {
            format!(
                "{}: {}",
                serde_json::to_string(name).expect("name"),
                json_lines(&r.ticks)
            )
        })
        .collect();
    let views = format!(
        "{{\n\"note\": \"Generated by crates/lookout-monitor/tests/ui_fixtures.rs; do not edit.\",\n\"now\": {NOW_MS},\n\"recent\": {},\n\"alerts\": {},\n\"runs\": {{\n{}\n}}\n}}\n",
        json_lines(&main.recent),
        json_lines(&alerts),
        runs_json.join(",\n"),
    );
    let configs_json = serde_json::json!({
        "note": "Generated by crates/lookout-monitor/tests/ui_fixtures.rs; do not edit.",
        "configs": configs,
    });
    write_if_changed("views.json", &views);
    write_if_changed(
        "configs.json",
        &(serde_json::to_string_pretty(&configs_json).expect("configs") + "\n"),
    );
}
