//! `lookout ps`: the processes each app watch of the config matches right now.

use crate::config_path;
use crate::words::t;
use lookout_monitor::config::load_config;
use lookout_monitor::sampler::apps::AppSampler;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The longest command line shown in the table.
const CMDLINE_CHARS: usize = 60;

pub fn ps(config: Option<PathBuf>, as_json: bool) -> anyhow::Result<ExitCode> {
    let path = config_path(config)?;
    let valid = load_config(&path)?;
    let apps = &valid.config.apps;
    let mut sampler = AppSampler::transient(apps, valid.process_interval);
    // CPU use is the difference between two reads.
    let _ = sampler.scan();
    std::thread::sleep(Duration::from_millis(250));
    let procs = sampler.scan();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let members = sampler.members(&procs);
    if as_json {
        let watches: Vec<_> = members
            .iter()
            .map(|(name, list)| {
                let processes: Vec<_> = list
                    .iter()
                    .map(|p| {
                        json!({
                            "pid": p.pid, "parent": p.parent, "name": p.name, "exe": p.exe,
                            "cmdline": p.cmdline, "uid": p.uid,
                            "cpu_pct": f64::from(p.cpu_pct) / cpus, "rss_bytes": p.rss_bytes,
                        })
                    })
                    .collect();
                json!({ "watch": name, "processes": processes })
            })
            .collect();
        return Ok(print_all(&format!("{}\n", json!({ "watches": watches }))));
    }
    let mut out = String::new();
    if members.is_empty() {
        let shown = path.display().to_string();
        out.push_str(&t("cli-ps-no-watches", &[("path", &shown)]));
        out.push('\n');
    }
    for (name, list) in &members {
        let count = list.len().to_string();
        out.push_str(&t("cli-ps-watch", &[("watch", name), ("count", &count)]));
        out.push('\n');
        for p in list {
            let cmdline: String = if p.cmdline.chars().count() > CMDLINE_CHARS {
                let cut: String = p.cmdline.chars().take(CMDLINE_CHARS - 1).collect();
                format!("{cut}…")
            } else {
                p.cmdline.clone()
            };
            out.push_str(&format!(
                "  {:>7}  {:>6.1}%  {:>10}  {}\n",
                p.pid,
                f64::from(p.cpu_pct) / cpus,
                lookout_monitor::delivery::format::bytes_text(p.rss_bytes as f64),
                lookout_core::text::escaped(&cmdline)
            ));
        }
    }
    Ok(print_all(&out))
}

/// Writes `text` to stdout; a reader that stopped early (`| head`) is no failure.
fn print_all(text: &str) -> ExitCode {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}
