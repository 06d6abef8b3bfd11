//! Portable source through sysinfo's narrowest refreshes, for systems without /proc.

use super::cpu::CpuId;
use super::memory::MemCounters;
use super::process::{IoReading, ProcInfo};
use std::time::Instant;
use sysinfo::{
    CpuRefreshKind, DiskRefreshKind, Disks, MemoryRefreshKind, Networks, Pid, ProcessRefreshKind,
    ProcessesToUpdate, System, UpdateKind,
};

/// CPU, memory, load and network counters from sysinfo. Compiled everywhere so that Linux CI
/// type-checks and tests the code the other systems run.
pub(super) struct SysinfoSource {
    system: System,
    networks: Option<Networks>,
    /// sysinfo's first CPU refresh has nothing to compare with and reports 0 %: not a reading.
    cpu_refreshes: u32,
}

impl SysinfoSource {
    pub(super) fn new() -> Self {
        Self {
            system: System::new(),
            networks: None,
            cpu_refreshes: 0,
        }
    }

    /// Busy % since the previous refresh (sysinfo refreshes at most every 200 ms on Linux).
    pub(super) fn cpu(&mut self, total: bool, cores: bool, mut emit: impl FnMut(CpuId, f64)) {
        self.system
            .refresh_cpu_specifics(CpuRefreshKind::nothing().with_cpu_usage());
        self.cpu_refreshes = self.cpu_refreshes.saturating_add(1);
        if self.cpu_refreshes < 2 {
            return;
        }
        if total {
            emit(CpuId::Total, f64::from(self.system.global_cpu_usage()));
        }
        if cores {
            for (n, cpu) in (0u32..).zip(self.system.cpus()) {
                emit(CpuId::Core(n), f64::from(cpu.cpu_usage()));
            }
        }
    }

    /// RAM, and swap when asked, in bytes.
    pub(super) fn memory(&mut self, swap: bool) -> MemCounters {
        let mut kind = MemoryRefreshKind::nothing().with_ram();
        if swap {
            kind = kind.with_swap();
        }
        self.system.refresh_memory_specifics(kind);
        let s = &self.system;
        MemCounters {
            ram: (s.total_memory() > 0).then(|| (s.total_memory(), s.available_memory())),
            swap: swap.then(|| (s.total_swap(), s.free_swap())),
        }
    }

    /// The 1, 5 and 15 minute load averages; Windows has none (sysinfo would emulate one with
    /// a background thread, not worth its cost).
    pub(super) fn load(&mut self) -> Option<[f64; 3]> {
        if cfg!(windows) {
            return None;
        }
        let l = System::load_average();
        Some([l.one, l.five, l.fifteen])
    }

    /// Every interface's cumulative (rx, tx) bytes. sysinfo re-lists interfaces and their
    /// addresses on each refresh, so this is the costly part of this source.
    pub(super) fn net_counters(&mut self, mut emit: impl FnMut(&str, u64, u64)) {
        let networks = self.networks.get_or_insert_with(Networks::new);
        networks.refresh(true);
        for (name, data) in networks.list() {
            emit(name, data.total_received(), data.total_transmitted());
        }
    }
}

/// Mounted disks from sysinfo, for systems without /proc/self/mounts or statvfs.
pub(super) struct SysinfoDisks {
    disks: Disks,
    listed: bool,
}

impl SysinfoDisks {
    pub(super) fn new() -> Self {
        Self {
            disks: Disks::new(),
            listed: false,
        }
    }

    fn relist(&mut self) {
        self.disks
            .refresh_specifics(true, DiskRefreshKind::nothing());
        self.listed = true;
    }

    /// Re-lists the disks and returns the mount points of those `keep` accepts by filesystem
    /// type, sorted, each once.
    pub(super) fn mount_points(&mut self, keep: impl Fn(&str) -> bool) -> Vec<String> {
        self.relist();
        let mut mounts: Vec<String> = self
            .disks
            .list()
            .iter()
            .filter(|d| keep(&d.file_system().to_string_lossy()))
            .map(|d| d.mount_point().to_string_lossy().into_owned())
            .collect();
        mounts.sort();
        mounts.dedup();
        mounts
    }

    /// Used % (total - available) of the disk mounted at `mount`; `None` if no such disk.
    /// For systems without statvfs (Windows).
    #[cfg_attr(unix, allow(dead_code))]
    pub(super) fn used_pct(&mut self, mount: &str) -> Option<f64> {
        if !self.listed {
            self.relist();
        }
        let disk = self
            .disks
            .list_mut()
            .iter_mut()
            .find(|d| d.mount_point().as_os_str() == mount)?;
        disk.refresh_specifics(DiskRefreshKind::nothing().with_storage());
        let total = disk.total_space();
        (total > 0)
            .then(|| total.saturating_sub(disk.available_space()) as f64 * 100.0 / total as f64)
    }
}

/// The process table from sysinfo, for systems without /proc: CPU, memory, I/O counters and
/// identity are refreshed for every process on each scan.
pub struct SysinfoProcs {
    system: System,
    /// When the table was last refreshed, and the time between the two refreshes before.
    refreshed: Option<Instant>,
    gap: Option<f64>,
}

impl Default for SysinfoProcs {
    fn default() -> Self {
        Self::new()
    }
}

impl SysinfoProcs {
    pub fn new() -> Self {
        Self {
            system: System::new(),
            refreshed: None,
            gap: None,
        }
    }

    /// The same table: sysinfo keeps what it keeps either way.
    pub fn transient() -> Self {
        Self::new()
    }

    /// Every process now (threads and kernel threads left out).
    pub fn scan(&mut self) -> Vec<ProcInfo> {
        let kind = ProcessRefreshKind::nothing()
            .without_tasks()
            .with_cpu()
            .with_memory()
            .with_disk_usage()
            .with_exe(UpdateKind::OnlyIfNotSet)
            .with_cmd(UpdateKind::OnlyIfNotSet)
            .with_user(UpdateKind::OnlyIfNotSet);
        self.system
            .refresh_processes_specifics(ProcessesToUpdate::All, true, kind);
        let now = Instant::now();
        self.gap = self
            .refreshed
            .map(|at| now.saturating_duration_since(at).as_secs_f64());
        self.refreshed = Some(now);
        self.system
            .processes()
            .values()
            .filter(|p| p.thread_kind().is_none())
            .map(|p| ProcInfo {
                pid: p.pid().as_u32(),
                parent: p.parent().map(Pid::as_u32),
                name: p.name().to_string_lossy().into_owned(),
                exe: p.exe().map(|e| e.to_string_lossy().into_owned()),
                cmdline: p
                    .cmd()
                    .iter()
                    .map(|a| a.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(" "),
                uid: p.user_id().map(|u| **u),
                cpu_pct: p.cpu_usage(),
                rss_bytes: p.memory(),
                run_time_s: p.run_time(),
                cpu_ms: p.accumulated_cpu_time(),
            })
            .collect()
    }

    /// The I/O rate of `pid` between the last two scans.
    pub fn io(&mut self, pid: u32) -> IoReading {
        let Some(process) = self.system.process(Pid::from_u32(pid)) else {
            return IoReading::Unreadable;
        };
        // sysinfo reports 0 for counters it may not read: another user's are absent, unless
        // Lookout runs as root.
        let uid = |p: &sysinfo::Process| p.user_id().map(|u| **u);
        let mine = sysinfo::get_current_pid()
            .ok()
            .and_then(|me| self.system.process(me))
            .and_then(uid);
        if mine != Some(0) && (mine.is_none() || uid(process) != mine) {
            return IoReading::Unreadable;
        }
        match self.gap.filter(|s| *s > 0.0) {
            None => IoReading::First,
            Some(secs) => {
                let io = process.disk_usage();
                IoReading::Rate {
                    read_bps: io.read_bytes as f64 / secs,
                    write_bps: io.written_bytes as f64 / secs,
                }
            }
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn sysinfo_cpu_gives_nothing_until_the_second_refresh() {
        let mut src = SysinfoSource::new();
        let mut first = Vec::new();
        src.cpu(true, true, |id, v| first.push((id, v)));
        assert!(first.is_empty(), "a first refresh is no reading: {first:?}");
        std::thread::sleep(sysinfo::MINIMUM_CPU_UPDATE_INTERVAL);
        let mut second = Vec::new();
        src.cpu(true, true, |id, v| second.push((id, v)));
        assert_eq!(
            second.first().map(|(id, _)| *id),
            Some(CpuId::Total),
            "{second:?}"
        );
        assert!(
            second.len() >= 2,
            "the total and at least one core: {second:?}"
        );
        assert!(
            second.iter().all(|(_, v)| (0.0..=100.0).contains(v)),
            "percentages: {second:?}"
        );
    }

    #[test]
    fn sysinfo_memory_agrees_with_the_proc_parser() {
        let mut src = SysinfoSource::new();
        let ours = MemCounters::parse_meminfo(
            &std::fs::read_to_string("/proc/meminfo").expect("meminfo readable"),
        );
        let theirs = src.memory(true);
        let (total, _) = theirs.ram.expect("sysinfo reads RAM");
        assert_eq!(Some(total), ours.ram.map(|r| r.0), "same MemTotal in bytes");
        assert_eq!(
            theirs.swap.map(|s| s.0),
            ours.swap.map(|s| s.0),
            "same SwapTotal"
        );
    }

    #[test]
    fn sysinfo_lists_this_process_and_rates_its_io_after_two_scans() {
        let mut procs = SysinfoProcs::new();
        let me = std::process::id();
        let first = procs.scan();
        let mine = first.iter().find(|p| p.pid == me).expect("this process");
        assert!(mine.rss_bytes > 0, "{mine:?}");
        assert_eq!(procs.io(me), IoReading::First);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let _ = procs.scan();
        assert!(matches!(procs.io(me), IoReading::Rate { .. }));
        assert_eq!(procs.io(u32::MAX), IoReading::Unreadable);
        // PID 1 is root's: unreadable unless this test runs as root.
        let root = rustix::process::geteuid().is_root();
        if !root && procs.system.process(Pid::from_u32(1)).is_some() {
            assert_eq!(procs.io(1), IoReading::Unreadable);
        }
    }

    #[test]
    fn sysinfo_lists_loopback_and_the_root_disk() {
        let mut src = SysinfoSource::new();
        let mut names = Vec::new();
        src.net_counters(|name, _, _| names.push(name.to_owned()));
        assert!(names.iter().any(|n| n == "lo"), "lo is listed: {names:?}");

        let mut disks = SysinfoDisks::new();
        let root = disks
            .used_pct("/")
            .expect("the root disk is known to sysinfo");
        assert!((0.0..=100.0).contains(&root), "root used % {root}");
        assert_eq!(
            disks.used_pct("/no/such/mount"),
            None,
            "an unknown mount is absent"
        );
    }
}
