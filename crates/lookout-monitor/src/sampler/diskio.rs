//! Disk I/O of physical block devices (`diskio.<device>.read_bps`, `write_bps`, `busy_pct`)
//! from the counters in /proc/diskstats.

use super::sysfs::key_name;
use lookout_core::metric::{DiskIoField, MetricFamily};
use lookout_core::{MetricKey, Snapshot};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// /proc/diskstats counts sectors of 512 bytes, whatever the device's own sector size.
const SECTOR_BYTES: f64 = 512.0;

/// The counters of one device line that the rates need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counters {
    pub sectors_read: u64,
    pub sectors_written: u64,
    /// Milliseconds the device had I/O in flight.
    pub busy_ms: u64,
}

/// Calls `emit(device, counters)` for every well-formed line of a /proc/diskstats text.
pub(super) fn parse_diskstats(text: &str, mut emit: impl FnMut(&str, Counters)) {
    // major minor name reads merged sectors_read ms_reading writes merged sectors_written
    // ms_writing in_flight ms_doing_io weighted_ms [discards ...] [flushes ...]
    for line in text.lines() {
        let fields: Vec<&str> = line.split_ascii_whitespace().collect();
        let number = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok());
        let (Some(name), Some(read), Some(written), Some(busy)) =
            (fields.get(2), number(5), number(9), number(12))
        else {
            continue;
        };
        emit(
            name,
            Counters {
                sectors_read: read,
                sectors_written: written,
                busy_ms: busy,
            },
        );
    }
}

/// The whole physical disks under `sys_block` (`/sys/block`): a device with a `device` link
/// (hardware behind it), not a loop, RAM, zram, device-mapper or md device, nor a partition
/// (partitions are not listed in /sys/block).
pub(super) fn physical_devices(sys_block: &Path) -> HashSet<String> {
    std::fs::read_dir(sys_block)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let virtual_kind = ["loop", "ram", "zram", "dm-", "md", "nbd"]
                .iter()
                .any(|p| name.starts_with(p));
            (!virtual_kind && entry.path().join("device").exists()).then_some(name)
        })
        .collect()
}

struct DeviceState {
    keys: [MetricKey; 3],
    last: Counters,
    at: Instant,
}

/// Reads /proc/diskstats each sample and turns the physical devices' counters into rates.
pub(super) struct DiskIo {
    diskstats: PathBuf,
    sys_block: PathBuf,
    devices: HashSet<String>,
    listed_at: Option<Instant>,
    state: HashMap<String, DeviceState>,
}

impl DiskIo {
    /// A reader of `proc_root/diskstats` for the disks under `sys_block`.
    pub(super) fn new(proc_root: &Path, sys_block: &Path) -> Self {
        Self {
            diskstats: proc_root.join("diskstats"),
            sys_block: sys_block.to_owned(),
            devices: HashSet::new(),
            listed_at: None,
            state: HashMap::new(),
        }
    }

    /// Puts each physical device's rates since the previous call into `snap` (nothing on the
    /// first call, or for a counter that went backwards).
    pub(super) fn sample(&mut self, snap: &mut Snapshot) {
        let now = Instant::now();
        let stale = self
            .listed_at
            .is_none_or(|at| now.duration_since(at) >= super::SLOW_LIST_RESCAN);
        if stale {
            self.devices = physical_devices(&self.sys_block);
            self.state.retain(|name, _| self.devices.contains(name));
            self.listed_at = Some(now);
        }
        let Ok(text) = std::fs::read_to_string(&self.diskstats) else {
            return;
        };
        let (devices, state) = (&self.devices, &mut self.state);
        parse_diskstats(&text, |name, counters| {
            if devices.contains(name) {
                observe(state, name, counters, now, snap);
            }
        });
    }
}

fn observe(
    state: &mut HashMap<String, DeviceState>,
    name: &str,
    now_counters: Counters,
    now: Instant,
    snap: &mut Snapshot,
) {
    let Some(device) = state.get_mut(name) else {
        let device = key_name(name);
        let key = |field| {
            MetricKey::from_family(&MetricFamily::DiskIo {
                device: device.clone(),
                field,
            })
        };
        state.insert(
            name.to_owned(),
            DeviceState {
                keys: [
                    key(DiskIoField::ReadBps),
                    key(DiskIoField::WriteBps),
                    key(DiskIoField::BusyPct),
                ],
                last: now_counters,
                at: now,
            },
        );
        return;
    };
    let secs = now.saturating_duration_since(device.at).as_secs_f64();
    let last = std::mem::replace(&mut device.last, now_counters);
    device.at = now;
    if secs <= 0.0 {
        return;
    }
    let [read_key, write_key, busy_key] = &device.keys;
    if let Some(d) = now_counters.sectors_read.checked_sub(last.sectors_read) {
        snap.insert(read_key.clone(), d as f64 * SECTOR_BYTES / secs);
    }
    if let Some(d) = now_counters
        .sectors_written
        .checked_sub(last.sectors_written)
    {
        snap.insert(write_key.clone(), d as f64 * SECTOR_BYTES / secs);
    }
    if let Some(d) = now_counters.busy_ms.checked_sub(last.busy_ms) {
        snap.insert(
            busy_key.clone(),
            (d as f64 / (secs * 1000.0) * 100.0).min(100.0),
        );
    }
}
