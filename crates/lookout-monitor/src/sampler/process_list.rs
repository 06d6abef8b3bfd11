//! The running processes, for the window's "add a watch" picker.

use super::apps::AppSampler;
use super::process::ProcInfo;
use crate::api::ProcessEntry;
use lookout_core::config::DEFAULT_PROCESS_INTERVAL;
use lookout_core::culprit::shorten_command;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The most processes listed (a machine with more shows the busiest and largest first).
pub const MAX_LISTED: usize = 5_000;
/// A list asked for again within this time is the same list: a window (or a script in it)
/// asking many times a second costs one scan a second.
pub const LIST_REUSED_FOR: Duration = Duration::from_secs(1);
/// The CPU-time notes of a list are the baseline of the next one for this long; after it, the
/// next list takes notes afresh and waits its span.
pub const NOTES_KEPT_FOR: Duration = Duration::from_secs(60);

/// Lists processes with their CPU use since the previous list (or, the first time, over a
/// short wait). Holds no process table between lists, only each process's CPU time.
#[derive(Debug, Default)]
pub struct ProcessLister {
    last: Option<Listed>,
}

#[derive(Debug)]
struct Listed {
    at: Instant,
    list: Vec<ProcessEntry>,
    /// CPU milliseconds by PID when listed.
    notes: HashMap<u32, u64>,
}

impl ProcessLister {
    /// Every process now, busiest first. Blocks for `first_span` when there is no recent
    /// list to measure CPU from.
    pub fn list(&mut self, first_span: Duration) -> Vec<ProcessEntry> {
        if let Some(last) = self
            .last
            .as_ref()
            .filter(|l| l.at.elapsed() < LIST_REUSED_FOR)
        {
            return last.list.clone();
        }
        let mut sampler = AppSampler::transient(&[], DEFAULT_PROCESS_INTERVAL);
        let (since, notes) = match self.last.take() {
            Some(last) if last.at.elapsed() < NOTES_KEPT_FOR => (last.at, last.notes),
            _ => {
                let notes = notes_of(&sampler.scan());
                let at = Instant::now();
                std::thread::sleep(first_span);
                (at, notes)
            }
        };
        let procs = sampler.scan();
        let at = Instant::now();
        let span_ms = at.duration_since(since).as_secs_f64().max(0.001) * 1000.0;
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        let mut list: Vec<ProcessEntry> = procs
            .iter()
            .map(|p| {
                // A process started since the notes has used all its CPU time within the span;
                // one under a reused PID has less than the note and counts from 0.
                // (Younger than the span: a new process, whatever an old note under its PID says.)
                let new = (p.run_time_s as f64 + 1.0) * 1000.0 < span_ms;
                let before = notes.get(&p.pid).copied().filter(|_| !new).unwrap_or(0);
                let used = p.cpu_ms.checked_sub(before).unwrap_or(p.cpu_ms);
                ProcessEntry {
                    pid: p.pid,
                    user: p.uid.and_then(|uid| sampler.user_name(uid)),
                    cmdline: shorten_command(&p.cmdline),
                    name: p.name.clone(),
                    exe: p.exe.clone(),
                    cpu_pct: (100.0 * used as f64 / span_ms / cpus).min(100.0),
                    rss_bytes: p.rss_bytes,
                }
            })
            .collect();
        list.sort_by(|a, b| {
            b.cpu_pct
                .total_cmp(&a.cpu_pct)
                .then(b.rss_bytes.cmp(&a.rss_bytes))
        });
        list.truncate(MAX_LISTED);
        self.last = Some(Listed {
            at,
            list: list.clone(),
            notes: notes_of(&procs),
        });
        list
    }
}

fn notes_of(procs: &[ProcInfo]) -> HashMap<u32, u64> {
    procs.iter().map(|p| (p.pid, p.cpu_ms)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_test_is_in_the_list_with_its_executable() {
        let list = ProcessLister::default().list(Duration::from_millis(50));
        let me = std::process::id();
        let entry = list
            .iter()
            .find(|p| p.pid == me)
            .expect("this process is listed");
        let exe = std::env::current_exe().expect("own executable");
        assert_eq!(entry.exe.as_deref(), exe.to_str(), "{entry:?}");
        assert!(entry.rss_bytes > 0, "{entry:?}");
        assert!(list.len() <= MAX_LISTED);
        assert!(list.iter().all(|p| (0.0..=100.0).contains(&p.cpu_pct)));
    }

    #[test]
    fn a_busy_process_leads_and_a_list_asked_again_at_once_is_the_same() {
        let mut burner = std::process::Command::new("sh")
            .args(["-c", "while :; do :; done"])
            .spawn()
            .expect("start a burner");
        let mut lister = ProcessLister::default();
        let first = lister.list(Duration::from_millis(300));
        let again = lister.list(Duration::from_millis(300));
        assert_eq!(
            first, again,
            "within {LIST_REUSED_FOR:?} the list is reused"
        );
        // The next list measures from the previous one, without a wait of its own.
        lister.last.as_mut().expect("a list").at -= LIST_REUSED_FOR;
        std::thread::sleep(Duration::from_millis(300));
        let later = lister.list(Duration::ZERO);
        let _ = burner.kill();
        let _ = burner.wait();
        let burner_entry = later.iter().position(|p| p.pid == burner.id());
        assert!(
            burner_entry.is_some_and(|i| i < 5),
            "the burner is among the busiest: {:?}",
            &later[..later.len().min(5)]
        );
    }
}
