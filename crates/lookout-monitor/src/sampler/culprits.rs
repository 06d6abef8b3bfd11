//! Culprits: which processes to name when a CPU or memory rule fires.
//!
//! Memory culprits are ranked by resident memory at the moment. CPU culprits are ranked by
//! their average CPU over the rule's window: while a CPU rule is enabled, every process's
//! CPU time is noted at a spacing of a quarter of the shortest CPU rule window (never more
//! often than the process interval, and at most [`MAX_BASELINES`] notes), and the average is
//! taken against the oldest note inside the window. So at least three quarters of each window
//! is covered once Lookout has run that long; before, as much as it has seen.

use super::process::ProcInfo;
use lookout_core::culprit::{shorten_command, Culprit, CulpritKind, MAX_CULPRITS};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The most CPU-time notes kept (each about 16 bytes per process).
pub const MAX_BASELINES: usize = 64;
/// A shorter span than this says too little (CPU time counts in 10 ms steps): then each
/// process's average over its whole life is used instead.
const MIN_SPAN: Duration = Duration::from_secs(1);

/// Each process's CPU time at one moment: (pid, CPU ms), sorted by pid.
struct Baseline {
    at: Instant,
    cpu: Vec<(u32, u64)>,
}

/// The CPU-time notes that CPU culprits are averaged against.
#[derive(Default)]
pub struct CpuBaselines {
    /// How often to take a note; `None` while no enabled rule is about CPU.
    spacing: Option<Duration>,
    keep: usize,
    taken: VecDeque<Baseline>,
}

impl CpuBaselines {
    /// Plans the notes for CPU rules with these `windows`; none means no notes at all.
    pub fn set_windows(&mut self, windows: &[Duration], process_interval: Duration) {
        let (Some(shortest), Some(longest)) = (windows.iter().min(), windows.iter().max()) else {
            *self = Self::default();
            return;
        };
        let spacing = (*shortest / 4)
            .max(process_interval)
            .max(*longest / (MAX_BASELINES as u32 - 1))
            .max(Duration::from_secs(1));
        let keep = (longest.as_secs_f64() / spacing.as_secs_f64()).ceil() as usize + 1;
        self.spacing = Some(spacing);
        self.keep = keep.min(MAX_BASELINES);
        while self.taken.len() > self.keep {
            self.taken.pop_front();
        }
    }

    /// Whether a note is due at `now`.
    pub fn due(&self, now: Instant) -> bool {
        self.spacing.is_some_and(|spacing| {
            self.taken
                .back()
                .is_none_or(|last| now.saturating_duration_since(last.at) >= spacing)
        })
    }

    /// Notes every process's CPU time, `(pid, CPU ms)`, read at `now`.
    pub fn note(&mut self, now: Instant, mut cpu: Vec<(u32, u64)>) {
        if self.spacing.is_none() {
            return;
        }
        cpu.sort_unstable_by_key(|(pid, _)| *pid);
        self.taken.push_back(Baseline { at: now, cpu });
        while self.taken.len() > self.keep {
            self.taken.pop_front();
        }
    }

    /// Each process's average CPU (in % of one core) over `window` before `now`, or over as
    /// much of it as was noted; `None` when nothing was noted at least [`MIN_SPAN`] ago.
    fn averages(&self, now: Instant, window: Duration, procs: &[ProcInfo]) -> Option<Vec<f64>> {
        let base = self
            .taken
            .iter()
            .find(|b| now.saturating_duration_since(b.at) <= window)
            .or_else(|| self.taken.back())?;
        let span_ms = now.saturating_duration_since(base.at).as_millis() as f64;
        if span_ms < MIN_SPAN.as_millis() as f64 {
            return None;
        }
        Some(
            procs
                .iter()
                .map(|p| {
                    // A process younger than the span is not the one noted under its pid
                    // (a pid is reused only after its process ended).
                    let existed = (p.run_time_s as f64 + 1.0) * 1000.0 >= span_ms;
                    let before = base
                        .cpu
                        .binary_search_by_key(&p.pid, |(pid, _)| *pid)
                        .ok()
                        .map(|i| base.cpu[i].1)
                        .filter(|_| existed);
                    match before {
                        Some(ms) => 100.0 * p.cpu_ms.saturating_sub(ms) as f64 / span_ms,
                        // Started since the note: its whole life is inside the span.
                        None => {
                            let life_ms = (p.run_time_s as f64 * 1000.0).clamp(1000.0, span_ms);
                            100.0 * p.cpu_ms as f64 / life_ms
                        }
                    }
                })
                .collect(),
        )
    }
}

/// Every process's CPU time as `(pid, CPU ms)`: straight from /proc/PID/stat on Linux (no
/// process table is kept for it), else from a scan.
pub fn cpu_times(scan: impl FnOnce() -> Vec<ProcInfo>) -> Vec<(u32, u64)> {
    #[cfg(target_os = "linux")]
    {
        let _ = scan;
        super::proc_table::cpu_times()
    }
    #[cfg(not(target_os = "linux"))]
    {
        scan().iter().map(|p| (p.pid, p.cpu_ms)).collect()
    }
}

/// A process's average CPU since it started, in % of one core.
fn lifetime_average(p: &ProcInfo) -> f64 {
    100.0 * p.cpu_ms as f64 / (p.run_time_s as f64 * 1000.0).max(1000.0)
}

/// The top [`MAX_CULPRITS`] of `procs` for a rule of `kind` over `window`, most responsible
/// first. CPU is given on the scale of `cpu.total` (divided by `cpus`); `user_of` names uids.
pub fn rank(
    kind: CulpritKind,
    window: Duration,
    now: Instant,
    procs: &[ProcInfo],
    baselines: &CpuBaselines,
    cpus: f64,
    mut user_of: impl FnMut(u32) -> Option<String>,
) -> Vec<Culprit> {
    let cpu: Vec<f64> = baselines
        .averages(now, window, procs)
        .unwrap_or_else(|| procs.iter().map(lifetime_average).collect());
    let mut order: Vec<usize> = (0..procs.len()).collect();
    match kind {
        CulpritKind::Cpu => order.sort_by(|&a, &b| cpu[b].total_cmp(&cpu[a])),
        CulpritKind::Memory => order.sort_by_key(|&i| std::cmp::Reverse(procs[i].rss_bytes)),
    }
    order
        .into_iter()
        .filter(|&i| match kind {
            CulpritKind::Cpu => cpu[i] > 0.0,
            CulpritKind::Memory => procs[i].rss_bytes > 0,
        })
        .take(MAX_CULPRITS)
        .map(|i| {
            let p = &procs[i];
            let command = if p.cmdline.is_empty() {
                p.name.clone()
            } else {
                p.cmdline.clone()
            };
            Culprit {
                pid: p.pid,
                name: p.name.clone(),
                user: p.uid.and_then(&mut user_of),
                command: shorten_command(&command),
                cpu_pct: Some(cpu[i] / cpus.max(1.0)),
                rss_bytes: p.rss_bytes,
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "culprits_tests.rs"]
mod tests;
