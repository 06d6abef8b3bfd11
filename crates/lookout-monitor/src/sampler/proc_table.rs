//! The process table on Linux, straight from /proc at one read call per process per scan.
//!
//! Each scan lists /proc and reads every process's `stat` through a descriptor kept open
//! between scans (a read at offset 0 makes the kernel regenerate it), which gives the name,
//! parent, CPU time, threads, start time and resident memory. What rarely changes (command
//! line, executable, owner) is read when a process is first seen and again after it execs (its
//! name changes). I/O counters are read only for the processes a watch asks about. Processes
//! that exited are forgotten, their descriptors closed.

use super::process::{IoReading, ProcInfo};
use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::time::Instant;

/// The most `stat` descriptors kept open for processes; further ones are opened and closed
/// per scan, so a machine with thousands of processes never exhausts the tray's descriptors.
pub const MAX_KEPT_OPEN: usize = 256;
/// The most kept for kernel threads (which come first in /proc), counted apart so that they
/// never take the processes' places.
pub const MAX_KEPT_KERNEL: usize = 128;
/// The most of a command line read (longer ones are cut; the window and alerts show 120
/// characters, and a `cmdline` pattern sees this much).
const MAX_CMDLINE: u64 = 32 << 10;
/// PF_KTHREAD in `stat`'s flags: a kernel thread, which no watch or culprit is about.
const PF_KTHREAD: u64 = 0x0020_0000;

/// What is known of one process between scans.
struct Known {
    /// `stat`, kept open while fewer than [`MAX_KEPT_OPEN`] are.
    stat: Option<File>,
    /// Start time in clock ticks after boot: a different value under the same PID is a
    /// different process.
    start: u64,
    name: String,
    cpu_ticks: u64,
    read_at: Instant,
    cmdline: String,
    exe: Option<String>,
    uid: Option<u32>,
    /// The last I/O counters read (bytes read, bytes written) and when.
    io: Option<(u64, u64, Instant)>,
    /// The I/O reading given in a scan, given again to any other watch asking in that scan.
    io_given: Option<(u64, IoReading)>,
    /// The scan that last saw it.
    scan: u64,
    kernel: bool,
    /// First seen under a second old (maybe between fork and exec): who it is is read again
    /// at the next scan.
    recheck: bool,
}

/// The fields of `stat` Lookout uses.
struct Stat {
    name: String,
    parent: u32,
    flags: u64,
    cpu_ticks: u64,
    start: u64,
    rss_pages: u64,
}

/// Reads /proc for [`super::apps::AppSampler`].
pub struct ProcTable {
    known: HashMap<u32, Known>,
    /// Descriptors kept for processes and for kernel threads, and the most of each.
    kept: [usize; 2],
    caps: [usize; 2],
    scans: u64,
    ticks_per_s: u64,
    page_bytes: u64,
    buf: Vec<u8>,
}

impl Default for ProcTable {
    fn default() -> Self {
        Self::new()
    }
}

impl ProcTable {
    pub fn new() -> Self {
        Self {
            known: HashMap::new(),
            kept: [0; 2],
            caps: [MAX_KEPT_OPEN, MAX_KEPT_KERNEL],
            scans: 0,
            ticks_per_s: rustix::param::clock_ticks_per_second().max(1),
            page_bytes: rustix::param::page_size() as u64,
            buf: vec![0; 1024],
        }
    }

    /// A table for one or two scans (the process picker): no descriptor is kept.
    pub fn transient() -> Self {
        Self {
            caps: [0; 2],
            ..Self::new()
        }
    }

    /// Every process now (kernel threads left out). CPU use is measured since each process
    /// was last read, by any scan.
    pub fn scan(&mut self) -> Vec<ProcInfo> {
        self.scans += 1;
        let now = Instant::now();
        let uptime_ticks = uptime_ticks(self.ticks_per_s);
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(self.known.len());
        for entry in dir.filter_map(Result::ok) {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some(info) = self.read(pid, now, uptime_ticks) {
                out.push(info);
            }
        }
        let scan = self.scans;
        let mut closed = [0; 2];
        self.known.retain(|_, k| {
            let keep = k.scan == scan;
            if !keep && k.stat.is_some() {
                closed[usize::from(k.kernel)] += 1;
            }
            keep
        });
        self.kept[0] -= closed[0];
        self.kept[1] -= closed[1];
        out
    }

    /// One process: its `stat` read now, what is remembered of it brought up to date.
    fn read(&mut self, pid: u32, now: Instant, uptime_ticks: Option<u64>) -> Option<ProcInfo> {
        let (stat, opened) = self.read_stat(pid)?;
        // Kernel threads are remembered too (most of /proc on a quiet machine), so the next
        // scan reads them through a kept descriptor instead of opening each again.
        let kernel = stat.flags & PF_KTHREAD != 0;
        let ticks = self.ticks_per_s;
        let same = self.known.get(&pid).is_some_and(|k| k.start == stat.start);
        if !same {
            // New, or a new process under a reused PID.
            self.forget(pid);
            let (cmdline, exe, uid) = if kernel {
                (String::new(), None, None)
            } else {
                identity(pid)
            };
            let young = uptime_ticks.is_some_and(|up| up.saturating_sub(stat.start) < ticks);
            self.known.insert(
                pid,
                Known {
                    stat: None,
                    start: stat.start,
                    name: stat.name.clone(),
                    cpu_ticks: stat.cpu_ticks,
                    read_at: now,
                    cmdline,
                    exe,
                    uid,
                    io: None,
                    io_given: None,
                    scan: 0,
                    kernel,
                    recheck: young && !kernel,
                },
            );
        } else if self.known.get(&pid).is_some_and(|k| k.recheck) {
            if let Some(known) = self.known.get_mut(&pid) {
                (known.cmdline, known.exe, known.uid) = identity(pid);
                known.recheck = false;
            }
        }
        let kind = usize::from(kernel);
        let keep = self.kept[kind] < self.caps[kind];
        let known = self.known.get_mut(&pid)?;
        if let Some(file) = opened.filter(|_| keep && known.stat.is_none()) {
            known.stat = Some(file);
            self.kept[kind] += 1;
        }
        known.scan = self.scans;
        if kernel {
            return None;
        }
        if known.name != stat.name {
            // It exec'd: who it is now.
            (known.cmdline, known.exe, known.uid) = identity(pid);
            known.name.clone_from(&stat.name);
        }
        let secs = now.saturating_duration_since(known.read_at).as_secs_f64();
        let used = stat.cpu_ticks.saturating_sub(known.cpu_ticks) as f64 / ticks as f64;
        let cpu_pct = if secs > 0.0 { 100.0 * used / secs } else { 0.0 };
        known.cpu_ticks = stat.cpu_ticks;
        known.read_at = now;
        Some(ProcInfo {
            pid,
            parent: (stat.parent != 0).then_some(stat.parent),
            name: stat.name,
            exe: known.exe.clone(),
            cmdline: known.cmdline.clone(),
            uid: known.uid,
            cpu_pct: cpu_pct as f32,
            rss_bytes: stat.rss_pages.saturating_mul(self.page_bytes),
            run_time_s: uptime_ticks.map_or(0, |up| up.saturating_sub(stat.start) / ticks),
            cpu_ms: stat.cpu_ticks.saturating_mul(1000) / ticks,
        })
    }

    /// Reads `stat` of `pid` through its kept descriptor, or else opens it and hands the new
    /// descriptor back to be kept. A kept descriptor of a process that exited fails (even
    /// when its PID has been reused) and is dropped.
    fn read_stat(&mut self, pid: u32) -> Option<(Stat, Option<File>)> {
        if let Some(known) = self.known.get_mut(&pid) {
            if let Some(file) = &known.stat {
                let len = read_at_start(file, &mut self.buf).unwrap_or(0);
                if let Some(stat) = self
                    .buf
                    .get(..len)
                    .filter(|b| !b.is_empty())
                    .and_then(parse_stat)
                {
                    return Some((stat, None));
                }
                known.stat = None;
                self.kept[usize::from(known.kernel)] -= 1;
            }
        }
        let file = File::open(format!("/proc/{pid}/stat")).ok()?;
        let len = read_at_start(&file, &mut self.buf)?;
        let stat = parse_stat(self.buf.get(..len)?)?;
        Some((stat, Some(file)))
    }

    fn forget(&mut self, pid: u32) {
        if let Some(k) = self.known.remove(&pid) {
            if k.stat.is_some() {
                self.kept[usize::from(k.kernel)] -= 1;
            }
        }
    }

    /// The I/O rate of `pid` since its counters were last read here (needs a scan that saw
    /// it first); asked again within the same scan (a process two watches share), the same
    /// reading. Another user's process is unreadable.
    pub fn io(&mut self, pid: u32) -> IoReading {
        let scan = self.scans;
        let Some(known) = self.known.get_mut(&pid) else {
            return IoReading::Unreadable;
        };
        if let Some((given_in, reading)) = known.io_given {
            if given_in == scan {
                return reading;
            }
        }
        let reading = io_reading(known, read_io(pid));
        known.io_given = Some((scan, reading));
        reading
    }

    /// How many `stat` descriptors are kept for processes, and for kernel threads.
    #[cfg(test)]
    fn kept(&self) -> [usize; 2] {
        self.kept
    }
}

/// The rate since the counters `known` last had, from `counters` read now.
fn io_reading(known: &mut Known, counters: Option<(u64, u64)>) -> IoReading {
    let Some((read, written)) = counters else {
        return IoReading::Unreadable;
    };
    let now = Instant::now();
    match known.io.replace((read, written, now)) {
        Some((r0, w0, at)) => {
            let secs = now.saturating_duration_since(at).as_secs_f64();
            if secs <= 0.0 {
                return IoReading::First;
            }
            IoReading::Rate {
                read_bps: read.saturating_sub(r0) as f64 / secs,
                write_bps: written.saturating_sub(w0) as f64 / secs,
            }
        }
        None => IoReading::First,
    }
}

/// Every process's CPU time in milliseconds, read afresh and nothing kept (kernel threads
/// left out): what culprit notes need, without a table held between them.
pub fn cpu_times() -> Vec<(u32, u64)> {
    let ticks = rustix::param::clock_ticks_per_second().max(1);
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut buf = vec![0; 1024];
    dir.filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let file = File::open(format!("/proc/{pid}/stat")).ok()?;
            let len = read_at_start(&file, &mut buf)?;
            let stat = parse_stat(buf.get(..len)?)?;
            (stat.flags & PF_KTHREAD == 0)
                .then(|| (pid, stat.cpu_ticks.saturating_mul(1000) / ticks))
        })
        .collect()
}

/// One read from offset 0 into `buf`, grown (up to 64 KiB) while the content fills it.
fn read_at_start(file: &File, buf: &mut Vec<u8>) -> Option<usize> {
    loop {
        let len = file.read_at(buf, 0).ok()?;
        if len < buf.len() || buf.len() >= 64 << 10 {
            return Some(len);
        }
        buf.resize(buf.len() * 2, 0);
    }
}

/// Parses `pid (name) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
/// utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss ...`.
/// The name may hold spaces and parentheses, so fields are counted from the last `)`.
fn parse_stat(raw: &[u8]) -> Option<Stat> {
    let text = String::from_utf8_lossy(raw);
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let name = text.get(open + 1..close)?.to_owned();
    let fields: Vec<&str> = text.get(close + 1..)?.split_ascii_whitespace().collect();
    let num = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    Some(Stat {
        name,
        parent: u32::try_from(num(1)?).ok()?,
        flags: num(6)?,
        cpu_ticks: num(11)?.saturating_add(num(12)?),
        start: num(19)?,
        rss_pages: num(21)?,
    })
}

/// The command line (arguments joined by spaces), executable and owner of `pid`.
fn identity(pid: u32) -> (String, Option<String>, Option<u32>) {
    let mut raw = Vec::new();
    let _ = File::open(format!("/proc/{pid}/cmdline"))
        .and_then(|f| f.take(MAX_CMDLINE).read_to_end(&mut raw));
    let cmdline = String::from_utf8_lossy(&raw)
        .split('\0')
        .filter(|a| !a.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let exe = std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .map(|p| p.to_string_lossy().into_owned());
    let uid = std::fs::metadata(format!("/proc/{pid}"))
        .ok()
        .map(|m| m.uid());
    (cmdline, exe, uid)
}

/// `read_bytes` and `write_bytes` of /proc/PID/io.
fn read_io(pid: u32) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    Some((field("read_bytes:")?, field("write_bytes:")?))
}

/// Seconds since boot, in clock ticks, from /proc/uptime.
fn uptime_ticks(ticks_per_s: u64) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/uptime").ok()?;
    let secs: f64 = text.split_ascii_whitespace().next()?.parse().ok()?;
    Some((secs * ticks_per_s as f64) as u64)
}

#[cfg(test)]
#[path = "proc_table_tests.rs"]
mod tests;
