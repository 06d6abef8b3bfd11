//! The running processes, for the window's "add a watch" picker.

use super::apps::AppSampler;
use crate::api::ProcessEntry;
use lookout_core::config::DEFAULT_PROCESS_INTERVAL;
use lookout_core::culprit::shorten_command;
use std::time::Duration;

/// The most processes listed (a machine with more shows the busiest and largest first).
pub const MAX_LISTED: usize = 5_000;

/// Every process now, CPU measured over `span`, busiest first. Blocks for `span`.
pub fn running_processes(span: Duration) -> Vec<ProcessEntry> {
    let mut sampler = AppSampler::new(&[], DEFAULT_PROCESS_INTERVAL);
    let _ = sampler.scan();
    std::thread::sleep(span);
    let procs = sampler.scan();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let mut list: Vec<ProcessEntry> = procs
        .into_iter()
        .map(|p| ProcessEntry {
            pid: p.pid,
            user: p.uid.and_then(|uid| sampler.user_name(uid)),
            cmdline: shorten_command(&p.cmdline),
            name: p.name,
            exe: p.exe,
            cpu_pct: f64::from(p.cpu_pct) / cpus,
            rss_bytes: p.rss_bytes,
        })
        .collect();
    list.sort_by(|a, b| {
        b.cpu_pct
            .total_cmp(&a.cpu_pct)
            .then(b.rss_bytes.cmp(&a.rss_bytes))
    });
    list.truncate(MAX_LISTED);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_test_is_in_the_list_with_its_executable() {
        let list = running_processes(Duration::from_millis(50));
        let me = std::process::id();
        let entry = list
            .iter()
            .find(|p| p.pid == me)
            .expect("this process is listed");
        let exe = std::env::current_exe().expect("own executable");
        assert_eq!(entry.exe.as_deref(), exe.to_str(), "{entry:?}");
        assert!(entry.rss_bytes > 0, "{entry:?}");
        assert!(list.len() <= MAX_LISTED);
    }
}
