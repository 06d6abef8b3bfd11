//! Made-up culprits and action runs for the recorded alert log (the replay has no process
//! table and runs no command).

use lookout_core::{AlertEvent, Timestamp};

/// What a culprit scan would name for an alert on `metric` (the replay has no process table).
pub fn sample_culprits(metric: &str) -> Vec<lookout_core::Culprit> {
    let proc =
        |pid: u32, name: &str, command: &str, cpu: f64, rss_mib: u64| lookout_core::Culprit {
            pid,
            name: name.into(),
            user: Some("dev".into()),
            command: command.into(),
            cpu_pct: Some(cpu),
            rss_bytes: rss_mib << 20,
        };
    match metric {
        "cpu.total" => vec![
            proc(
                48211,
                "cc1plus",
                "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus -O2 -quiet src/render.cpp",
                46.5,
                612,
            ),
            proc(
                48230,
                "cc1plus",
                "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus -O2 -quiet src/scene.cpp",
                44.1,
                580,
            ),
            proc(
                2210,
                "firefox-esr",
                "/usr/lib/firefox-esr/firefox-esr",
                3.2,
                1480,
            ),
        ],
        "mem.used_pct" => vec![
            proc(
                2210,
                "firefox-esr",
                "/usr/lib/firefox-esr/firefox-esr",
                3.2,
                1480,
            ),
            proc(3377, "java", "java -Xmx4g -jar build-server.jar", 0.8, 1210),
            proc(
                48211,
                "cc1plus",
                "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus -O2 -quiet src/render.cpp",
                46.5,
                612,
            ),
        ],
        _ => Vec::new(),
    }
}

/// A run of a clean-up action on a disk alert.
pub fn sample_action_run(event: &AlertEvent) -> lookout_monitor::store::ActionRun {
    lookout_monitor::store::ActionRun {
        rule: event.rule.clone(),
        action: 0,
        command: vec![
            "/usr/local/bin/clean-build-cache".into(),
            "--older-than".into(),
            "7d".into(),
        ],
        trigger: event.state,
        started: event.at,
        finished: Timestamp::from_millis(event.at.as_millis() + 2_400),
        outcome: lookout_monitor::store::ActionOutcome::Exited { code: 0 },
        output: "removed 214 files (3.1 GiB)\n".into(),
        truncated: false,
    }
}
