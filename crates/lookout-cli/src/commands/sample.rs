//! `lookout sample`: one snapshot of every metric this machine offers, the app watches of
//! the config included.

use lookout_core::MetricNeeds;
use lookout_monitor::Sampler;
use std::process::ExitCode;
use std::time::Duration;

pub fn sample(json: bool) -> anyhow::Result<ExitCode> {
    let mut sampler = Sampler::new(&MetricNeeds::everything());
    // The app watches of the config, when it can be read.
    if let Some(valid) = crate::words::startup_config()
        .and_then(|path| lookout_monitor::config::load_config(&path).ok())
    {
        sampler.set_apps(&valid.config.apps, Duration::ZERO);
    }
    // CPU % and network rates are differences between two reads.
    let _ = sampler.sample();
    std::thread::sleep(Duration::from_millis(250));
    let snapshot = sampler.sample();
    if json {
        println!("{}", serde_json::to_string_pretty(&snapshot)?);
    } else {
        let width = snapshot
            .iter()
            .map(|(k, _)| k.as_str().len())
            .max()
            .unwrap_or(0);
        for (key, value) in snapshot.iter() {
            println!(
                "{:width$}  {}",
                key.as_str(),
                lookout_monitor::delivery::format::metric_value(key, value)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
