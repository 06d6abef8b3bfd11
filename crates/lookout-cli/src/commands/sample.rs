//! `lookout sample`: one snapshot of every metric this machine offers, the app watches and
//! probes of the config included.

use lookout_core::MetricNeeds;
use lookout_monitor::{probes, Sampler};
use std::process::ExitCode;
use std::time::Duration;

pub fn sample(json: bool) -> anyhow::Result<ExitCode> {
    let mut sampler = Sampler::new(&MetricNeeds::everything());
    // The app watches and probes of the config, when it can be read.
    let config = crate::words::startup_config()
        .and_then(|path| lookout_monitor::config::load_config(&path).ok());
    let mut probes = Vec::new();
    if let Some(valid) = config {
        sampler.set_apps(&valid.config.apps, Duration::ZERO);
        probes = valid.probes;
    }
    // Each probe checked once, at the same time as the two reads below.
    let checking = (!probes.is_empty()).then(|| {
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            Ok::<_, std::io::Error>(runtime.block_on(probes::check_once(&probes)))
        })
    });
    // CPU % and network rates are differences between two reads.
    let _ = sampler.sample();
    std::thread::sleep(Duration::from_millis(250));
    let mut snapshot = sampler.sample();
    let mut details = Vec::new();
    if let Some(checking) = checking {
        let board = checking
            .join()
            .map_err(|_| anyhow::anyhow!("the probes could not be run"))??;
        board.copy_into(&mut snapshot);
        details = board.outcomes();
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&snapshot)?);
    } else {
        let width = snapshot
            .iter()
            .map(|(k, _)| k.as_str().len())
            .max()
            .unwrap_or(0);
        for (key, value) in snapshot.iter() {
            let shown = lookout_monitor::delivery::format::metric_value(key, value);
            // A probe's `up` line says what the check found: "HTTP 200", "connection refused".
            let detail = key
                .as_str()
                .strip_prefix("probe.")
                .and_then(|rest| rest.strip_suffix(".up"))
                .and_then(|name| details.iter().find(|(n, _)| n == name))
                .map(|(_, outcome)| {
                    format!("  ({})", outcome.finding.words(crate::words::language()))
                })
                .unwrap_or_default();
            println!("{:width$}  {shown}{detail}", key.as_str());
        }
    }
    Ok(ExitCode::SUCCESS)
}
