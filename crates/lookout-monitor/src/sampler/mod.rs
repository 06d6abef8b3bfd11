//! The sampler: reads only the system metrics the rules and charts need, and the figures of
//! the app watches they name, into a `Snapshot`.

pub mod apps;
mod culprits;
mod process;
pub mod process_list;
// cpu, memory and net hold the parsers of /proc text, which only the Linux source calls.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
mod cpu;
mod disk;
mod diskio;
mod gpu;
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
mod memory;
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
mod net;
mod power;
#[cfg(test)]
mod signals_tests;
mod sysfs;
// The sysinfo source is built (and unit-tested) on Linux too, so CI checks what others run.
#[cfg_attr(target_os = "linux", allow(dead_code))]
mod portable;
#[cfg(target_os = "linux")]
mod proc_table;
#[cfg(target_os = "linux")]
mod procfs;
mod temp;

use crate::probes::ProbeBoard;
use apps::AppSampler;
use cpu::CpuId;
use culprits::CpuBaselines;
use disk::DiskReader;
use diskio::DiskIo;
use gpu::Gpus;
use lookout_core::config::{AppConfig, DEFAULT_PROCESS_INTERVAL};
use lookout_core::metric::MetricFamily;
use lookout_core::{Culprit, CulpritRequest, MetricKey, MetricNeeds, Snapshot};
use net::NetRates;
use power::Power;
use std::path::Path;
use std::time::{Duration, Instant};
use temp::Temps;

// On Linux the counters come straight from /proc: sysinfo skips CPU refreshes closer than
// 200 ms (every other tick at 100 ms would repeat a stale value), re-opens and re-allocates per
// read, reports a failed load read as 0.0, and re-lists every interface with its addresses on
// each network refresh (~480 µs here, against ~11 µs for /proc/net/dev). See the bench.
#[cfg(target_os = "linux")]
type Source = procfs::ProcSource;
#[cfg(not(target_os = "linux"))]
type Source = portable::SysinfoSource;

/// How often lists that rarely change (mounted filesystems, temperature sensors) are rescanned
/// when everything is sampled. Watched mounts and interfaces need no list at all.
pub const SLOW_LIST_RESCAN: Duration = Duration::from_secs(60);

const POWER_SUPPLY: &str = "/sys/class/power_supply";
const PROC: &str = "/proc";
const SYS_BLOCK: &str = "/sys/block";
const DRM: &str = "/sys/class/drm";

/// What to read, resolved once from [`MetricNeeds`] when the needs change.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Plan {
    cpu_total: bool,
    cpu_cores: bool,
    memory: bool,
    swap: bool,
    load: bool,
    temps: bool,
    all_disks: bool,
    all_ifaces: bool,
    power: bool,
    diskio: bool,
    gpu: bool,
}

impl Plan {
    fn of(needs: &MetricNeeds) -> Self {
        let all = needs.everything;
        Self {
            cpu_total: all || needs.cpu_total,
            cpu_cores: all || needs.cpu_cores,
            memory: all || needs.memory,
            swap: all || needs.swap,
            load: all || needs.load,
            temps: all || needs.temps,
            all_disks: all,
            all_ifaces: all,
            power: needs.power,
            diskio: needs.diskio,
            gpu: needs.gpu,
        }
    }
}

/// Keys that never change, made once instead of on every tick.
struct FixedKeys {
    cpu_total: MetricKey,
    mem_used_pct: MetricKey,
    mem_used_bytes: MetricKey,
    swap_used_pct: MetricKey,
    load: [MetricKey; 3],
}

impl FixedKeys {
    fn new() -> Self {
        let key = |f: MetricFamily| MetricKey::from_family(&f);
        Self {
            cpu_total: key(MetricFamily::CpuTotal),
            mem_used_pct: key(MetricFamily::MemUsedPct),
            mem_used_bytes: key(MetricFamily::MemUsedBytes),
            swap_used_pct: key(MetricFamily::SwapUsedPct),
            load: [
                key(MetricFamily::Load1),
                key(MetricFamily::Load5),
                key(MetricFamily::Load15),
            ],
        }
    }
}

/// Reads system metrics on each tick, touching only what the current [`MetricNeeds`] ask for.
///
/// Rates (CPU %, network bytes per second) come from the difference with the previous read of
/// the same counter: CPU is primed when it becomes needed, so the first [`Sampler::sample`]
/// (taken at least one clock tick, 10 ms, later) has it; network rates appear from the second
/// sample on (a one-shot complete snapshot, as `lookout sample` prints, takes two samples a
/// few hundred ms apart). A metric that could not be read is absent from the snapshot, never 0.
pub struct Sampler {
    needs: MetricNeeds,
    plan: Plan,
    source: Source,
    keys: FixedKeys,
    core_keys: Vec<MetricKey>,
    disks: DiskReader,
    /// Mount points to `statvfs`, with their keys.
    mounts: Vec<(String, MetricKey)>,
    mounts_listed_at: Option<Instant>,
    net: NetRates,
    temps: Option<(Temps, Instant)>,
    power: Option<(Power, Instant)>,
    diskio: Option<DiskIo>,
    gpus: Option<(Gpus, Instant)>,
    apps: AppSampler,
    /// The probes' last results, copied into every sample.
    probes: Option<ProbeBoard>,
    /// CPU-time notes for the culprits of CPU rules.
    baselines: CpuBaselines,
    process_interval: Duration,
}

impl Sampler {
    /// A sampler for `needs`, with CPU counters already read once if CPU is needed.
    pub fn new(needs: &MetricNeeds) -> Sampler {
        let mut sampler = Sampler {
            needs: MetricNeeds::default(),
            plan: Plan::default(),
            source: Source::new(),
            keys: FixedKeys::new(),
            core_keys: Vec::new(),
            disks: DiskReader::new(),
            mounts: Vec::new(),
            mounts_listed_at: None,
            net: NetRates::default(),
            temps: None,
            power: None,
            diskio: None,
            gpus: None,
            apps: AppSampler::new(&[], DEFAULT_PROCESS_INTERVAL),
            probes: None,
            baselines: CpuBaselines::default(),
            process_interval: DEFAULT_PROCESS_INTERVAL,
        };
        sampler.set_needs(needs);
        sampler
    }

    /// Copies the probes' last results from `board` into every sample.
    pub fn with_probes(mut self, board: ProbeBoard) -> Self {
        self.probes = Some(board);
        self
    }

    /// The needs this sampler currently reads for.
    pub fn needs(&self) -> &MetricNeeds {
        &self.needs
    }

    /// Switches to new needs (after a config reload). CPU lines that become needed are read
    /// once now so the next sample has a percentage; state for what is no longer needed is
    /// dropped.
    pub fn set_needs(&mut self, needs: &MetricNeeds) {
        if *needs == self.needs {
            return;
        }
        let old = self.plan;
        let plan = Plan::of(needs);
        self.needs = needs.clone();
        self.plan = plan;

        let prime_total = plan.cpu_total && !old.cpu_total;
        let prime_cores = plan.cpu_cores && !old.cpu_cores;
        if prime_total || prime_cores {
            self.source.cpu(prime_total, prime_cores, |_, _| {});
        }
        self.mounts_listed_at = None;
        self.refresh_mounts();
        if !plan.all_ifaces && needs.net_ifaces.is_empty() {
            self.net.clear();
        }
        if !plan.temps {
            self.temps = None;
        }
        if !plan.power {
            self.power = None;
        }
        if !plan.diskio {
            self.diskio = None;
        } else if self.diskio.is_none() {
            // Primed now, so the next sample has rates.
            let mut diskio = DiskIo::new(Path::new(PROC), Path::new(SYS_BLOCK));
            diskio.sample(&mut Snapshot::new());
            self.diskio = Some(diskio);
        }
        if !plan.gpu {
            self.gpus = None;
        }
    }

    /// Takes the app watches of a new config and how often to read the process table.
    pub fn set_apps(&mut self, apps: &[AppConfig], interval: Duration) {
        self.apps.set_apps(apps, interval);
        self.process_interval = interval;
    }

    /// Takes the windows of the enabled CPU rules, whose culprits need CPU-time notes.
    pub fn set_cpu_windows(&mut self, windows: &[Duration]) {
        self.baselines.set_windows(windows, self.process_interval);
    }

    /// The processes to blame for each request (see [`culprits`]), from one fresh scan; a
    /// request for a watch looks only at that watch's processes.
    pub fn culprits(&mut self, requests: &[CulpritRequest]) -> Vec<Vec<Culprit>> {
        let procs = self.apps.scan();
        let now = Instant::now();
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        let mut out = Vec::with_capacity(requests.len());
        for request in requests {
            let pool: Vec<apps::ProcInfo> = match &request.app {
                None => procs.clone(),
                Some(app) => {
                    let members = self.apps.members_of(app, &procs).unwrap_or_default();
                    procs
                        .iter()
                        .filter(|p| members.contains(&p.pid))
                        .cloned()
                        .collect()
                }
            };
            let apps = &mut self.apps;
            out.push(culprits::rank(
                request.kind,
                request.window,
                now,
                &pool,
                &self.baselines,
                cpus,
                |uid| apps.user_name(uid),
            ));
        }
        out
    }

    /// Reads every needed metric now. Plain blocking reads of a few µs each (see the bench),
    /// cheap enough to call from the tick task; like `df`, a `statvfs` on a network mount
    /// whose server is gone would block.
    pub fn sample(&mut self) -> Snapshot {
        let mut snap = Snapshot::new();
        let plan = self.plan;

        if plan.cpu_total || plan.cpu_cores {
            let (keys, core_keys) = (&self.keys, &mut self.core_keys);
            self.source
                .cpu(plan.cpu_total, plan.cpu_cores, |id, pct| match id {
                    CpuId::Total => snap.insert(keys.cpu_total.clone(), pct),
                    CpuId::Core(n) => snap.insert(core_key(core_keys, n), pct),
                });
        }

        if plan.memory || plan.swap {
            let mem = self.source.memory(plan.swap);
            if plan.memory {
                if let Some((bytes, pct)) = mem.ram_used() {
                    snap.insert(self.keys.mem_used_bytes.clone(), bytes);
                    snap.insert(self.keys.mem_used_pct.clone(), pct);
                }
            }
            if let Some(pct) = mem.swap_used_pct().filter(|_| plan.swap) {
                snap.insert(self.keys.swap_used_pct.clone(), pct);
            }
        }

        if plan.load {
            if let Some(loads) = self.source.load() {
                for (key, value) in self.keys.load.iter().zip(loads) {
                    snap.insert(key.clone(), value);
                }
            }
        }

        if plan.all_disks {
            self.refresh_mounts();
        }
        for (mount, key) in &self.mounts {
            if let Some(pct) = self.disks.used_pct(mount) {
                snap.insert(key.clone(), pct);
            }
        }

        if plan.all_ifaces || !self.needs.net_ifaces.is_empty() {
            self.sample_net(&mut snap);
        }

        if plan.temps {
            let fresh = self
                .temps
                .as_ref()
                .is_some_and(|(_, at)| at.elapsed() < SLOW_LIST_RESCAN);
            if !fresh {
                self.temps = Some((Temps::scan(), Instant::now()));
            }
            if let Some((temps, _)) = &mut self.temps {
                temps.sample(&mut snap);
            }
        }

        self.sample_signals(&mut snap);
        if let Some(board) = &self.probes {
            board.copy_into(&mut snap);
        }

        if self.needs.everything || !self.needs.apps.is_empty() {
            self.apps
                .sample(&self.needs.apps, self.needs.everything, &mut snap);
        }
        let now = Instant::now();
        if self.baselines.due(now) {
            let apps = &mut self.apps;
            self.baselines
                .note(now, culprits::cpu_times(|| apps.scan()));
        }
        snap
    }

    /// Batteries, disk I/O and GPUs, when asked for; their lists are rescanned every
    /// [`SLOW_LIST_RESCAN`].
    fn sample_signals(&mut self, snap: &mut Snapshot) {
        let fresh = |at: &Instant| at.elapsed() < SLOW_LIST_RESCAN;
        if self.plan.power {
            if !self.power.as_ref().is_some_and(|(_, at)| fresh(at)) {
                self.power = Some((Power::scan(Path::new(POWER_SUPPLY)), Instant::now()));
            }
            if let Some((power, _)) = &self.power {
                power.sample(snap);
            }
        }
        if let Some(diskio) = &mut self.diskio {
            diskio.sample(snap);
        }
        if self.plan.gpu {
            match &mut self.gpus {
                Some((gpus, at)) if !fresh(at) => {
                    gpus.rescan(Path::new(DRM));
                    *at = Instant::now();
                }
                Some(_) => {}
                None => self.gpus = Some((Gpus::scan(Path::new(DRM)), Instant::now())),
            }
            if let Some((gpus, _)) = &mut self.gpus {
                gpus.sample(snap);
            }
        }
    }

    fn sample_net(&mut self, snap: &mut Snapshot) {
        let (net, wanted, all) = (&mut self.net, &self.needs.net_ifaces, self.plan.all_ifaces);
        // One instant for the whole read: the counters were all taken within microseconds.
        let at = Instant::now();
        net.begin();
        self.source.net_counters(|iface, rx, tx| {
            if all || wanted.contains(iface) {
                net.observe(iface, rx, tx, at, snap);
            }
        });
        net.finish();
    }

    /// Rebuilds the list of mounts to read: the watched ones, plus every real filesystem
    /// (rescanned every [`SLOW_LIST_RESCAN`]) when everything is sampled.
    fn refresh_mounts(&mut self) {
        if self.plan.all_disks {
            let fresh = self
                .mounts_listed_at
                .is_some_and(|at| at.elapsed() < SLOW_LIST_RESCAN);
            if fresh {
                return;
            }
            self.mounts_listed_at = Some(Instant::now());
        }
        let mut mounts: Vec<String> = self.needs.disks.iter().cloned().collect();
        if self.plan.all_disks {
            mounts.extend(self.disks.mount_points());
            mounts.sort();
            mounts.dedup();
        }
        self.mounts = mounts
            .into_iter()
            .map(|mount| {
                let key = MetricKey::from_family(&MetricFamily::DiskUsedPct {
                    mount: mount.clone(),
                });
                (mount, key)
            })
            .collect();
    }
}

fn core_key(keys: &mut Vec<MetricKey>, n: u32) -> MetricKey {
    let n = n as usize;
    while keys.len() <= n {
        let next = u32::try_from(keys.len()).unwrap_or(u32::MAX);
        keys.push(MetricKey::from_family(&MetricFamily::CpuCore(next)));
    }
    keys[n].clone()
}

impl std::fmt::Debug for Sampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sampler")
            .field("needs", &self.needs)
            .field(
                "mounts",
                &self.mounts.iter().map(|(m, _)| m).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}
