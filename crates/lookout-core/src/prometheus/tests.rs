//! Names, the exposition and rule expressions, checked against hand-written Prometheus text.

use super::rules::{expression, prom_duration};
use super::*;
use crate::alert::AlertPhase;
use crate::config::Config;
use crate::metric::{MetricFamily, MetricKey, Snapshot};
use crate::rule::Severity;
use crate::time::Timestamp;
use std::time::Duration;

fn config(rules: &str) -> crate::ValidConfig {
    let text = format!("[sampling]\ninterval = \"5s\"\n{rules}");
    let config: Config = toml::from_str(&text).expect("config parses");
    config.validate().expect("config is valid")
}

fn key(k: &str) -> MetricKey {
    MetricKey::parse(k).expect("key")
}

#[test]
fn names_carry_units_and_labels() {
    let s = series_of(&MetricFamily::parse("disk./home.used_pct").expect("key"));
    assert_eq!(s.selector(), r#"lookout_disk_used_percent{mount="/home"}"#);
    let s = series_of(&MetricFamily::parse("app.my-app.rss_bytes").expect("key"));
    assert_eq!(
        s.selector(),
        r#"lookout_app_resident_memory_bytes{app="my-app"}"#
    );
    let s = series_of(&MetricFamily::parse("probe.web.latency_ms").expect("key"));
    assert_eq!(s.name, "lookout_probe_latency_seconds");
    assert_eq!(s.scale, 0.001);
    let s = series_of(&MetricFamily::parse("cpu.core.3").expect("key"));
    assert_eq!(s.selector(), r#"lookout_cpu_core_usage_percent{core="3"}"#);
    let s = series_of(&MetricFamily::parse(r#"temp.a"b\c"#).expect("key"));
    assert_eq!(
        s.selector(),
        r#"lookout_temperature_celsius{sensor="a\"b\\c"}"#
    );
}

#[test]
fn every_family_has_a_valid_distinct_name() {
    let keys = [
        "cpu.total",
        "cpu.core.0",
        "mem.used_pct",
        "mem.used_bytes",
        "swap.used_pct",
        "load.1",
        "load.5",
        "load.15",
        "disk./.used_pct",
        "net.eth0.rx_bps",
        "net.eth0.tx_bps",
        "temp.cpu",
        "power.ac",
        "battery.BAT0.pct",
        "battery.BAT0.charging",
        "battery.BAT0.time_to_empty_s",
        "diskio.sda.read_bps",
        "diskio.sda.write_bps",
        "diskio.sda.busy_pct",
        "gpu.0.busy_pct",
        "gpu.0.vram_used_pct",
        "gpu.0.temp",
        "probe.p.up",
        "probe.p.latency_ms",
        "app.a.running",
        "app.a.cpu_pct",
        "app.a.rss_bytes",
        "app.a.mem_pct",
        "app.a.threads",
        "app.a.fds",
        "app.a.io_read_bps",
        "app.a.io_write_bps",
        "app.a.restarts",
        "app.a.uptime_s",
    ];
    let mut names: Vec<&str> = Vec::new();
    for k in keys {
        let s = series_of(&MetricFamily::parse(k).expect("key"));
        assert!(s.name.starts_with("lookout_"), "{k}: {}", s.name);
        assert!(
            s.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{k}: {}",
            s.name
        );
        assert!(!names.contains(&s.name), "{k} shares {}", s.name);
        names.push(s.name);
    }
}

#[test]
fn exposition_groups_families_scales_and_reports_alerts() {
    let mut values = Snapshot::new();
    values.insert(key("cpu.core.1"), 12.5);
    values.insert(key("cpu.total"), 40.0);
    values.insert(key("cpu.core.0"), 7.0);
    values.insert(key("probe.web.latency_ms"), 250.0);
    let firing = AlertPhase::Firing {
        since: Timestamp::from_millis(0),
        last_notified: Timestamp::from_millis(0),
        clearing_since: None,
        reminders: 0,
    };
    let pending = AlertPhase::Pending {
        since: Timestamp::from_millis(0),
    };
    let alerts = [
        AlertLine {
            rule: "cpu \"high\"",
            severity: Severity::Critical,
            phase: &firing,
        },
        AlertLine {
            rule: "b",
            severity: Severity::Warning,
            phase: &pending,
        },
        AlertLine {
            rule: "c",
            severity: Severity::Warning,
            phase: &AlertPhase::Inactive,
        },
    ];
    let own = OwnUsage {
        cpu_seconds_total: Some(1.5),
        resident_memory_bytes: Some(4096),
        start_time_seconds: None,
        last_sample_seconds: Some(1_800_000_000.5),
    };
    let text = render(&values, &alerts, &own);
    let expected = "\
# HELP lookout_alert_state State of each Lookout rule: 0 inactive, 1 pending, 2 firing.
# TYPE lookout_alert_state gauge
lookout_alert_state{rule=\"b\",severity=\"warning\"} 1
lookout_alert_state{rule=\"c\",severity=\"warning\"} 0
lookout_alert_state{rule=\"cpu \\\"high\\\"\",severity=\"critical\"} 2
# HELP lookout_cpu_core_usage_percent CPU in use on one core, 0-100.
# TYPE lookout_cpu_core_usage_percent gauge
lookout_cpu_core_usage_percent{core=\"0\"} 7
lookout_cpu_core_usage_percent{core=\"1\"} 12.5
# HELP lookout_cpu_usage_percent CPU in use over all cores, 0-100.
# TYPE lookout_cpu_usage_percent gauge
lookout_cpu_usage_percent 40
# HELP lookout_last_sample_timestamp_seconds When Lookout last read the metrics, since the Unix epoch, in seconds.
# TYPE lookout_last_sample_timestamp_seconds gauge
lookout_last_sample_timestamp_seconds 1800000000.5
# HELP lookout_probe_latency_seconds How long a probe's last successful check took, in seconds.
# TYPE lookout_probe_latency_seconds gauge
lookout_probe_latency_seconds{probe=\"web\"} 0.25
# HELP process_cpu_seconds_total Total user and system CPU time spent by Lookout, in seconds.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 1.5
# HELP process_resident_memory_bytes Resident memory of Lookout, in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 4096
";
    assert_eq!(text, expected);
}

#[test]
fn the_seed_rule_becomes_a_minimum_over_the_aligned_hour_with_a_coverage_guard() {
    let c = config(
        "[[rules]]\nname = \"cpu-high\"\nmetric = \"cpu.total\"\naggregate = \"all\"\n\
         window = \"1h\"\nop = \">\"\nthreshold = 80\n",
    );
    let expr = expression(&c.rules[0], Duration::from_secs(15));
    assert_eq!(
        expr,
        "min_over_time(lookout_cpu_usage_percent[59m59s999ms]) > 80 and \
         count_over_time(lookout_cpu_usage_percent[59m59s999ms]) >= 216"
    );
}

#[test]
fn aggregates_ops_scales_and_guards_translate() {
    let c = config(
        "[[rules]]\nname = \"a\"\nmetric = \"mem.used_pct\"\naggregate = \"all\"\n\
         window = \"10m\"\nop = \"<=\"\nthreshold = 5\nmin_coverage = 0.5\n\
         [[rules]]\nname = \"b\"\nmetric = \"probe.web.latency_ms\"\naggregate = \"p95\"\n\
         window = \"5m\"\nop = \">\"\nthreshold = 1500\nclear_threshold = 1000\n\
         [[rules]]\nname = \"c\"\nmetric = \"battery.BAT0.pct\"\naggregate = \"avg\"\n\
         window = \"1m\"\nop = \"<\"\nthreshold = 15\nmin_coverage = 0.01\n\
         only_when = \"battery.BAT0.charging < 1\"\n\
         [[probes]]\nname = \"web\"\ntcp = \"127.0.0.1:1\"\n",
    );
    let minute = Duration::from_secs(60);
    assert_eq!(
        expression(&c.rules[0], minute),
        "max_over_time(lookout_memory_used_percent[9m59s999ms]) <= 5 and \
         count_over_time(lookout_memory_used_percent[9m59s999ms]) >= 5"
    );
    assert_eq!(
        expression(&c.rules[1], minute),
        "quantile_over_time(0.95, lookout_probe_latency_seconds{probe=\"web\"}[4m59s999ms]) > 1.5 \
         and count_over_time(lookout_probe_latency_seconds{probe=\"web\"}[4m59s999ms]) >= 5"
    );
    assert_eq!(
        expression(&c.rules[2], minute),
        "avg_over_time(lookout_battery_charge_percent{battery=\"BAT0\"}[59s999ms]) < 15 \
         and count_over_time(lookout_battery_charge_percent{battery=\"BAT0\"}[59s999ms]) >= 1 \
         and on() (lookout_battery_charging{battery=\"BAT0\"} < 1)"
    );
    let export = export(&c, minute);
    assert_eq!(export.rules[0].caveats, vec![]);
    assert_eq!(
        export.rules[1].caveats,
        vec![Caveat::Hysteresis { clear: 1000.0 }, Caveat::ApproximateP95]
    );
}

#[test]
fn alert_names_are_valid_and_distinct() {
    let c = config(
        "[[rules]]\nname = \"cpu-high\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 80\n\
         [[rules]]\nname = \"cpu high\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 90\n\
         [[rules]]\nname = \"메모리 거의 가득 참\"\nmetric = \"mem.used_pct\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 90.5\n\
         [[rules]]\nname = \"5xx\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \"<\"\nthreshold = 1\n\
         [[rules]]\nname = \"off\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \"<\"\nthreshold = 1\nenabled = false\n",
    );
    let export = export(&c, Duration::from_secs(15));
    let names: Vec<&str> = export.rules.iter().map(|r| r.alert.as_str()).collect();
    assert_eq!(
        names,
        [
            "CpuHigh",
            "CpuHigh_2",
            "LookoutMemUsedPctAbove90_5",
            "Lookout5xx"
        ]
    );
    assert_eq!(export.skipped, ["off"]);
}

#[test]
fn durations_print_in_prometheus_syntax() {
    assert_eq!(prom_duration(Duration::ZERO), "0s");
    assert_eq!(prom_duration(Duration::from_secs(3600)), "1h");
    assert_eq!(
        prom_duration(Duration::from_millis(90_061_001)),
        "1d1h1m1s1ms"
    );
    assert_eq!(prom_duration(Duration::from_millis(999)), "999ms");
}

#[test]
fn yaml_quotes_every_text_and_writes_caveats_as_comments() {
    let c = config(
        "[[rules]]\nname = \"q\\\"uote\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\n\
         threshold = 80\nclear_threshold = 70\nfor = \"2m\"\nkeep_firing_for = \"30s\"\n\
         severity = \"critical\"\n",
    );
    let export = export(&c, Duration::from_secs(15));
    let caveat = |_: &PromRule, c: &Caveat| format!("caveat {c:?}\nsecond line");
    let annotations = |r: &PromRule| (format!("sum {}", r.rule.name), "desc".to_owned());
    let words = RuleWords {
        header: vec!["head".into()],
        caveat: &caveat,
        annotations: &annotations,
    };
    let yaml = to_yaml(&export, &words);
    assert!(
        yaml.starts_with("# head\ngroups:\n  - name: lookout\n    rules:\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("      # caveat Hysteresis { clear: 70.0 }\n      # second line\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("        for: 2m\n        keep_firing_for: 30s\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("          severity: \"critical\"\n          rule: \"q\\\"uote\"\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("          summary: \"sum q\\\"uote\"\n"),
        "{yaml}"
    );
    let empty = to_yaml(
        &Export {
            rules: vec![],
            skipped: vec![],
        },
        &words,
    );
    assert!(empty.ends_with("rules: []\n"), "{empty}");
}
