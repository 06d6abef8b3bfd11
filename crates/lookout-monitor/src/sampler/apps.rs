//! App watches: which running processes each `[[apps]]` watch matches, and their figures
//! (`app.<name>.running`, `cpu_pct`, `rss_bytes`, ...) summed over them.
//!
//! The process table is read only when some watch is needed, at most once per
//! `[sampling] process_interval`; in between, every tick repeats the last figures. On Linux a
//! scan costs one read of `/proc/PID/stat` per process ([`super::proc_table`]); I/O counters are
//! read only for the watches' own processes, and exited processes are dropped.

use lookout_core::config::{compile_cmdline, AppConfig};
use lookout_core::metric::{AppField, MetricFamily};
use lookout_core::{MetricKey, Snapshot};
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};
use sysinfo::Users;

pub use super::process::{IoReading, ProcInfo};

#[cfg(target_os = "linux")]
type Procs = super::proc_table::ProcTable;
#[cfg(not(target_os = "linux"))]
type Procs = super::portable::SysinfoProcs;

/// One watch, its patterns compiled.
struct Watch {
    name: String,
    process: Option<String>,
    exe: Option<String>,
    cmdline: Option<regex::Regex>,
    unit: Option<String>,
    user: Option<String>,
    include_children: bool,
    keys: Vec<(AppField, MetricKey)>,
}

/// What each watch remembers between scans, to count restarts.
#[derive(Default)]
struct Seen {
    pids: BTreeSet<u32>,
    /// A matching process went away since the last one appeared.
    lost: bool,
    restarts: u64,
}

/// Reads the process table for the app watches.
pub struct AppSampler {
    procs: Procs,
    users: Option<(Users, Instant)>,
    watches: Vec<Watch>,
    seen: HashMap<String, Seen>,
    interval: Duration,
    last_scan: Option<Instant>,
    /// Whether the table was ever scanned: CPU use needs an earlier scan.
    scanned: bool,
    /// The figures of the last scan with their watch's name, repeated on every tick until
    /// the next.
    last: Vec<(String, MetricKey, f64)>,
    cpus: f64,
}

impl AppSampler {
    pub fn new(apps: &[AppConfig], interval: Duration) -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        let mut sampler = Self {
            procs: Procs::new(),
            users: None,
            watches: Vec::new(),
            seen: HashMap::new(),
            interval,
            last_scan: None,
            scanned: false,
            last: Vec::new(),
            cpus,
        };
        sampler.set_apps(apps, interval);
        sampler
    }

    /// A sampler for one or two scans with no watches (`lookout ps`, the process picker):
    /// it keeps no descriptor open.
    pub fn transient(apps: &[AppConfig], interval: Duration) -> Self {
        Self {
            procs: Procs::transient(),
            ..Self::new(apps, interval)
        }
    }

    /// Takes the watches of a new config; what is remembered of a watch that stays is kept.
    pub fn set_apps(&mut self, apps: &[AppConfig], interval: Duration) {
        self.interval = interval;
        self.watches = apps.iter().filter_map(compile).collect();
        self.seen
            .retain(|name, _| apps.iter().any(|a| &a.name == name));
        self.last_scan = None;
        self.last.clear();
    }

    /// The figures of the watches named in `wanted` (all with `everything`), scanning the
    /// process table when the last scan is older than the interval.
    pub fn sample(&mut self, wanted: &BTreeSet<String>, everything: bool, snap: &mut Snapshot) {
        let wants = |w: &Watch| everything || wanted.contains(&w.name);
        if !self.watches.iter().any(wants) {
            return;
        }
        let due = self
            .last_scan
            .is_none_or(|at| at.elapsed() >= self.interval);
        if due {
            let first = !self.scanned;
            let procs = self.scan();
            // The watch of each key is looked up once per scan, not on every tick.
            self.last = self
                .figures(&procs, first)
                .into_iter()
                .filter_map(|(key, value)| match key.family() {
                    MetricFamily::App { app, .. } => Some((app, key, value)),
                    _ => None,
                })
                .collect();
            self.last_scan = Some(Instant::now());
        }
        for (app, key, value) in &self.last {
            if everything || wanted.contains(app) {
                snap.insert(key.clone(), *value);
            }
        }
    }

    /// Each watch's processes in `procs` (a [`AppSampler::scan`]), with their children when
    /// the watch includes them: what `lookout ps` shows.
    pub fn members(&mut self, procs: &[ProcInfo]) -> Vec<(String, Vec<ProcInfo>)> {
        let mut out = Vec::new();
        for i in 0..self.watches.len() {
            let (_, members) = self.pids_of(i, procs);
            let list = procs
                .iter()
                .filter(|p| members.contains(&p.pid))
                .cloned()
                .collect();
            out.push((self.watches[i].name.clone(), list));
        }
        out
    }

    /// Every process now, as [`ProcInfo`]s.
    pub fn scan(&mut self) -> Vec<ProcInfo> {
        self.scanned = true;
        self.procs.scan()
    }

    /// Watch `i`'s processes in `procs`: those it matches itself, and those with their
    /// descendants when the watch includes children.
    fn pids_of(&mut self, i: usize, procs: &[ProcInfo]) -> (BTreeSet<u32>, BTreeSet<u32>) {
        // A user that does not exist matches nothing.
        let uid = self.watches[i]
            .user
            .clone()
            .map(|user| self.uid_of(&user).unwrap_or(u32::MAX));
        let watch = &self.watches[i];
        let direct: BTreeSet<u32> = procs
            .iter()
            .filter(|p| matches(watch, p, uid))
            .map(|p| p.pid)
            .collect();
        let members = if watch.include_children {
            with_descendants(&direct, procs)
        } else {
            direct.clone()
        };
        (direct, members)
    }

    /// The uid of a user name.
    fn uid_of(&mut self, user: &str) -> Option<u32> {
        let users = self.users();
        users.iter().find(|u| u.name() == user).map(|u| **u.id())
    }

    /// The user list, refreshed at most once a minute.
    fn users(&mut self) -> &Users {
        let stale = self
            .users
            .as_ref()
            .is_none_or(|(_, at)| at.elapsed() > Duration::from_secs(60));
        if stale {
            self.users = None;
        }
        let (users, _) = self
            .users
            .get_or_insert_with(|| (Users::new_with_refreshed_list(), Instant::now()));
        users
    }

    /// The name of user `uid`, when known.
    pub fn user_name(&mut self, uid: u32) -> Option<String> {
        let users = self.users();
        users
            .iter()
            .find(|u| **u.id() == uid)
            .map(|u| u.name().to_owned())
    }

    /// The processes of the watch named `app` in `procs`, with their children when the watch
    /// includes them; `None` when there is no such watch.
    pub fn members_of(&mut self, app: &str, procs: &[ProcInfo]) -> Option<BTreeSet<u32>> {
        let i = self.watches.iter().position(|w| w.name == app)?;
        Some(self.pids_of(i, procs).1)
    }

    fn figures(&mut self, procs: &[ProcInfo], first: bool) -> Vec<(MetricKey, f64)> {
        let mut out = Vec::new();
        let total_memory = memory_total();
        let by_pid: HashMap<u32, &ProcInfo> = procs.iter().map(|p| (p.pid, p)).collect();
        for i in 0..self.watches.len() {
            let (direct, members) = self.pids_of(i, procs);
            let watch = &self.watches[i];
            let seen = self.seen.entry(watch.name.clone()).or_default();
            let appeared = direct.iter().any(|pid| !seen.pids.contains(pid));
            if seen.pids.iter().any(|pid| !direct.contains(pid)) {
                seen.lost = true;
            }
            if appeared && seen.lost {
                seen.restarts += 1;
                seen.lost = false;
            }
            seen.pids = direct.clone();
            let restarts = seen.restarts as f64;
            let members: Vec<&ProcInfo> = members
                .iter()
                .filter_map(|p| by_pid.get(p).copied())
                .collect();
            // Another user's /proc/PID/io and fd are unreadable: such a figure is absent.
            let io = io_rates(&mut self.procs, &members);
            for (field, key) in &watch.keys {
                let value = match field {
                    AppField::Running => Some(direct.len() as f64),
                    AppField::Restarts => Some(restarts),
                    _ if members.is_empty() => None,
                    AppField::CpuPct => (!first).then(|| {
                        members.iter().map(|p| f64::from(p.cpu_pct)).sum::<f64>() / self.cpus
                    }),
                    AppField::RssBytes => Some(members.iter().map(|p| p.rss_bytes as f64).sum()),
                    AppField::MemPct => total_memory.map(|total| {
                        100.0 * members.iter().map(|p| p.rss_bytes as f64).sum::<f64>() / total
                    }),
                    AppField::Threads => sum_proc(&members, threads),
                    AppField::Fds => sum_proc(&members, fds),
                    AppField::IoReadBps => io.map(|(read, _)| read),
                    AppField::IoWriteBps => io.map(|(_, write)| write),
                    AppField::UptimeS => direct
                        .iter()
                        .filter_map(|pid| by_pid.get(pid))
                        .map(|p| p.run_time_s as f64)
                        .reduce(f64::max),
                };
                if let Some(value) = value {
                    out.push((key.clone(), value));
                }
            }
        }
        out
    }
}

fn compile(app: &AppConfig) -> Option<Watch> {
    let m = &app.matcher;
    let cmdline = match &m.cmdline {
        Some(pattern) => Some(compile_cmdline(pattern).ok()?),
        None => None,
    };
    let keys = AppField::ALL
        .iter()
        .copied()
        .map(|field| {
            let key = MetricKey::from_family(&MetricFamily::App {
                app: app.name.clone(),
                field,
            });
            (field, key)
        })
        .collect();
    Some(Watch {
        name: app.name.clone(),
        process: m.process.clone(),
        exe: m.exe.clone(),
        cmdline,
        unit: m.unit.clone(),
        user: m.user.clone(),
        include_children: app.include_children,
        keys,
    })
}

/// Whether `p` is one of `watch`'s processes by itself (every criterion holds).
fn matches(watch: &Watch, p: &ProcInfo, uid: Option<u32>) -> bool {
    watch.process.as_ref().is_none_or(|name| &p.name == name)
        && watch
            .exe
            .as_ref()
            .is_none_or(|exe| p.exe.as_ref() == Some(exe))
        && watch
            .cmdline
            .as_ref()
            .is_none_or(|re| re.is_match(&p.cmdline))
        && uid.is_none_or(|uid| p.uid == Some(uid))
        && watch.unit.as_ref().is_none_or(|unit| in_unit(p.pid, unit))
}

/// Whether /proc/PID/cgroup places the process in systemd unit `unit`.
fn in_unit(pid: u32, unit: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/cgroup"))
        .map(|text| {
            text.lines().any(|line| {
                line.rsplit(':')
                    .next()
                    .is_some_and(|path| path.split('/').any(|part| part == unit))
            })
        })
        .unwrap_or(false)
}

/// `roots` and every process below them.
pub fn with_descendants(roots: &BTreeSet<u32>, procs: &[ProcInfo]) -> BTreeSet<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for p in procs {
        if let Some(parent) = p.parent {
            children.entry(parent).or_default().push(p.pid);
        }
    }
    let mut out = roots.clone();
    let mut stack: Vec<u32> = roots.iter().copied().collect();
    while let Some(pid) = stack.pop() {
        for &child in children.get(&pid).map(Vec::as_slice).unwrap_or_default() {
            if out.insert(child) {
                stack.push(child);
            }
        }
    }
    out
}

/// The sum of `read` over the processes, absent when any of them cannot be read.
fn sum_proc(members: &[&ProcInfo], read: fn(u32) -> Option<u64>) -> Option<f64> {
    members
        .iter()
        .map(|p| read(p.pid).map(|v| v as f64))
        .sum::<Option<f64>>()
}

/// The summed read and write rates of the processes: absent when any of them is unreadable,
/// or when none has been read before (a process read for the first time counts as 0).
fn io_rates(procs: &mut Procs, members: &[&ProcInfo]) -> Option<(f64, f64)> {
    let (mut read, mut write, mut rated) = (0.0, 0.0, false);
    for p in members {
        match procs.io(p.pid) {
            IoReading::Unreadable => return None,
            IoReading::First => {}
            IoReading::Rate {
                read_bps,
                write_bps,
            } => {
                read += read_bps;
                write += write_bps;
                rated = true;
            }
        }
    }
    rated.then_some((read, write))
}

/// The `Threads:` line of /proc/PID/status.
fn threads(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// How many descriptors /proc/PID/fd lists.
fn fds(pid: u32) -> Option<u64> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .ok()
        .map(|dir| dir.count() as u64)
}

/// The machine's memory in bytes, from /proc/meminfo.
fn memory_total() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    (kib > 0.0).then_some(kib * 1024.0)
}

#[cfg(test)]
#[path = "apps_tests.rs"]
mod tests;
