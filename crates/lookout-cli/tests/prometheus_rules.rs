//! `lookout export-rules --format prometheus` against Debian's promtool: the rules load, and a
//! generated `promtool test rules` file shows the seed rule fires on an hour above 80 and not
//! on an hour with one dip, with the window aligned to Lookout's (t−1h, t].

mod support;

use std::path::Path;
use std::process::Command;
use support::Home;

fn promtool(args: &[&str], dir: &Path) -> (bool, String) {
    let out = Command::new("promtool")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("promtool is not installed; `make test` installs Debian's prometheus package");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn export(home: &Home, language: &str) -> String {
    let out = home
        .command(&["export-rules", "--format", "prometheus"])
        .env("LANG", language)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("lookout runs");
    assert!(
        out.status.success(),
        "export-rules failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 rules")
}

/// Every rule of both default configs loads in Prometheus.
#[test]
fn exported_default_rules_pass_promtool_check() {
    for (config, lang) in [
        (lookout_core::config::DEFAULT_CONFIG_TOML, "en_US.UTF-8"),
        (lookout_core::config::DEFAULT_CONFIG_TOML_KO, "ko_KR.UTF-8"),
    ] {
        let home = Home::new(config);
        let rules = export(&home, lang);
        std::fs::write(home.dir.path().join("rules.yml"), &rules).expect("write rules");
        let (ok, text) = promtool(&["check", "rules", "rules.yml"], home.dir.path());
        assert!(ok, "promtool check rules failed:\n{text}\n{rules}");
        assert!(text.contains("4 rules found"), "{text}");
    }
}

/// The seed rule ("CPU busy for an hour": every sample of the last hour above 80) in
/// Prometheus' own rule tests, scraped every 15 s.
const SEED_TEST: &str = r#"rule_files: [rules.yml]
evaluation_interval: 15s
tests:
  # Above 80 all along: firing once the hour holds 90 % of its samples, and still at 75 min.
  - interval: 15s
    input_series:
      - series: 'lookout_cpu_usage_percent{instance="ws",job="lookout"}'
        values: '90+0x300'
    alert_rule_test:
      - eval_time: 50m
        alertname: CPUBusyForAnHour
        exp_alerts: []
      - eval_time: 61m
        alertname: CPUBusyForAnHour
        exp_alerts: &firing
          - exp_labels:
              severity: warning
              rule: CPU busy for an hour
              instance: ws
              job: lookout
            exp_annotations:
              summary: CPU busy for an hour on ws
              description: 'cpu.total, every sample over 1h: 90 (threshold: above 80.0 %)'
      - eval_time: 75m
        alertname: CPUBusyForAnHour
        exp_alerts: *firing
  # One dip to 50 at 30m15s: no alert while it is inside the hour, which ends at 90m15s;
  # at 90m the dip is exactly one hour old and (t−1h, t] still holds it.
  - interval: 15s
    input_series:
      - series: 'lookout_cpu_usage_percent{instance="ws",job="lookout"}'
        values: '90+0x120 50 90+0x250'
    alert_rule_test:
      - eval_time: 61m
        alertname: CPUBusyForAnHour
        exp_alerts: []
      - eval_time: 90m
        alertname: CPUBusyForAnHour
        exp_alerts: []
      - eval_time: 90m15s
        alertname: CPUBusyForAnHour
        exp_alerts: *firing
"#;

#[test]
fn the_seed_rule_fires_on_an_hour_above_80_and_not_on_one_that_dips() {
    let home = Home::new(lookout_core::config::DEFAULT_CONFIG_TOML);
    let rules = export(&home, "en_US.UTF-8");
    std::fs::write(home.dir.path().join("rules.yml"), &rules).expect("write rules");
    std::fs::write(home.dir.path().join("seed_test.yml"), SEED_TEST).expect("write test");
    let (ok, text) = promtool(&["test", "rules", "seed_test.yml"], home.dir.path());
    assert!(ok, "promtool test rules failed:\n{text}\n{rules}");
    assert!(text.contains("SUCCESS"), "{text}");
}

/// Broken SEED_TEST expectations must fail: the same test with the dip expected to fire.
#[test]
fn promtool_catches_a_wrong_expectation() {
    let home = Home::new(lookout_core::config::DEFAULT_CONFIG_TOML);
    let rules = export(&home, "en_US.UTF-8");
    std::fs::write(home.dir.path().join("rules.yml"), &rules).expect("write rules");
    let wrong = SEED_TEST.replacen(
        "      - eval_time: 90m\n        alertname: CPUBusyForAnHour\n        exp_alerts: []",
        "      - eval_time: 90m\n        alertname: CPUBusyForAnHour\n        exp_alerts: *firing",
        1,
    );
    assert_ne!(wrong, SEED_TEST);
    std::fs::write(home.dir.path().join("wrong.yml"), wrong).expect("write test");
    let (ok, text) = promtool(&["test", "rules", "wrong.yml"], home.dir.path());
    assert!(
        !ok,
        "a dip one hour old must still hold the alert back:\n{text}"
    );
    assert!(text.contains("time: 1h30m"), "{text}");
}

#[test]
fn an_invalid_config_is_refused_with_its_problems() {
    let home = Home::new("[[rules]]\nname = \"x\"\nmetric = \"cpu.totl\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 1\n");
    let out = home
        .command(&["export-rules", "--format", "prometheus"])
        .output()
        .expect("lookout runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cpu.totl"), "{err}");
    assert!(out.stdout.is_empty());
    let out = home
        .command(&["export-rules", "--format", "grafana"])
        .output()
        .expect("lookout runs");
    assert_eq!(out.status.code(), Some(2));
}
