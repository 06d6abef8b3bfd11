//! Sampler tick cost against a raw read of the same files, and against sysinfo's refreshes;
//! the app watches' process-table read, per process.

use criterion::{criterion_group, criterion_main, Criterion};
use lookout_core::MetricNeeds;
use lookout_monitor::Sampler;
use std::collections::BTreeSet;
use std::hint::black_box;
use std::io::Read;

/// What the headless overhead benchmark watches: cpu.total, mem.used_pct, disk./.used_pct.
fn overhead_needs() -> MetricNeeds {
    MetricNeeds {
        cpu_total: true,
        memory: true,
        disks: BTreeSet::from(["/".to_owned()]),
        ..MetricNeeds::default()
    }
}

/// What ../shared/bench/floor_daemon.c does per tick: open, read, close /proc/stat and
/// /proc/meminfo, pick one number out of each, statvfs("/").
fn raw_floor(buf: &mut Vec<u8>) -> u64 {
    let mut acc = 0;
    buf.clear();
    if std::fs::File::open("/proc/stat")
        .and_then(|mut f| f.read_to_end(buf))
        .is_ok()
    {
        let text = String::from_utf8_lossy(buf);
        let mut f = text.split_ascii_whitespace().skip(1);
        let user: u64 = f.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        let system: u64 = f.nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
        acc += user + system;
    }
    buf.clear();
    if std::fs::File::open("/proc/meminfo")
        .and_then(|mut f| f.read_to_end(buf))
        .is_ok()
    {
        let text = String::from_utf8_lossy(buf);
        if let Some(rest) = text.split("MemAvailable:").nth(1) {
            acc += rest
                .split_ascii_whitespace()
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
        }
    }
    if let Ok(s) = rustix::fs::statvfs("/") {
        acc += s.f_bavail;
    }
    acc
}

fn overhead_config(c: &mut Criterion) {
    let mut g = c.benchmark_group("overhead_config");
    let mut sampler = Sampler::new(&overhead_needs());
    g.bench_function("sampler", |b| b.iter(|| black_box(sampler.sample())));
    let mut buf = Vec::with_capacity(64 << 10);
    g.bench_function("raw_floor", |b| b.iter(|| black_box(raw_floor(&mut buf))));
    g.finish();
}

fn everything(c: &mut Criterion) {
    let mut sampler = Sampler::new(&MetricNeeds::everything());
    c.bench_function("everything/sampler", |b| {
        b.iter(|| black_box(sampler.sample()))
    });
}

/// The family reads the Linux source replaces, side by side with sysinfo's narrowest refresh.
/// (sysinfo's CPU refresh is left out: it skips reads closer than 200 ms, so a loop measures
/// nothing; read after a 200 ms pause it cost about what /proc/stat with open + close costs.)
fn sysinfo_comparison(c: &mut Criterion) {
    let mut g = c.benchmark_group("vs_sysinfo");
    let mut mem = Sampler::new(&MetricNeeds {
        memory: true,
        ..MetricNeeds::default()
    });
    g.bench_function("memory/sampler", |b| b.iter(|| black_box(mem.sample())));
    let mut system = sysinfo::System::new();
    let ram = sysinfo::MemoryRefreshKind::nothing().with_ram();
    g.bench_function("memory/sysinfo_ram", |b| {
        b.iter(|| {
            system.refresh_memory_specifics(ram);
            black_box(system.used_memory())
        })
    });

    let mut net = Sampler::new(&MetricNeeds {
        net_ifaces: BTreeSet::from(["lo".to_owned()]),
        ..MetricNeeds::default()
    });
    g.bench_function("net_lo/sampler", |b| b.iter(|| black_box(net.sample())));
    let mut networks = sysinfo::Networks::new_with_refreshed_list();
    g.bench_function("net_lo/sysinfo_networks", |b| {
        b.iter(|| {
            networks.refresh(false);
            black_box(networks.list().get("lo").map(|n| n.total_received()))
        })
    });

    let mut load = Sampler::new(&MetricNeeds {
        load: true,
        ..MetricNeeds::default()
    });
    g.bench_function("load/sampler", |b| b.iter(|| black_box(load.sample())));
    g.bench_function("load/sysinfo", |b| {
        b.iter(|| black_box(sysinfo::System::load_average().one))
    });
    g.finish();
}

/// One read of the process table for app watches (CPU time, memory and identity of every
/// process), per process: compare with bench/process_scan.py's psutil loop, and with sysinfo.
fn process_scan(c: &mut Criterion) {
    use lookout_monitor::sampler::apps::AppSampler;
    let mut scanner = AppSampler::new(&[], std::time::Duration::ZERO);
    // Every process in /proc is read, kernel threads included (they are then left out), as
    // psutil's loop reads every one.
    let processes = std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
                .count()
        })
        .unwrap_or(1)
        .max(1);
    let mut g = c.benchmark_group("process_scan");
    g.throughput(criterion::Throughput::Elements(processes as u64));
    g.bench_function(format!("apps/{processes} processes"), |b| {
        b.iter(|| black_box(scanner.scan()))
    });
    // What the scan cost through sysinfo with CPU, memory, I/O and identity refreshed.
    let kind = sysinfo::ProcessRefreshKind::nothing()
        .without_tasks()
        .with_cpu()
        .with_memory()
        .with_disk_usage()
        .with_exe(sysinfo::UpdateKind::OnlyIfNotSet)
        .with_cmd(sysinfo::UpdateKind::OnlyIfNotSet)
        .with_user(sysinfo::UpdateKind::OnlyIfNotSet);
    let mut system = sysinfo::System::new();
    g.bench_function(format!("sysinfo/{processes} processes"), |b| {
        b.iter(|| {
            black_box(system.refresh_processes_specifics(
                sysinfo::ProcessesToUpdate::All,
                true,
                kind,
            ))
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    overhead_config,
    everything,
    sysinfo_comparison,
    process_scan
);
criterion_main!(benches);
