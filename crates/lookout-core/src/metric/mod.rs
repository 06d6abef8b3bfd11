//! Metric keys (`cpu.total`, `disk./.used_pct`, ...), the families they belong to, and snapshots.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;
use ts_rs::TS;

mod fields;
#[cfg(test)]
mod tests;

pub use fields::{AppField, BatteryField, DiskIoField, GpuField, ProbeField};

/// What the key names, so a sampler knows what to read and a rule knows what it watches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MetricFamily {
    CpuTotal,
    CpuCore(u32),
    MemUsedPct,
    MemUsedBytes,
    SwapUsedPct,
    Load1,
    Load5,
    Load15,
    DiskUsedPct {
        mount: String,
    },
    NetRxBps {
        iface: String,
    },
    NetTxBps {
        iface: String,
    },
    Temp {
        sensor: String,
    },
    /// One figure of a watched app (`app.<name>.<field>`), summed over its processes.
    App {
        app: String,
        field: AppField,
    },
    /// `battery.<name>.<field>`, from /sys/class/power_supply.
    Battery {
        name: String,
        field: BatteryField,
    },
    /// `power.ac`: 1 on mains (or USB) power, 0 on battery.
    PowerAc,
    /// `diskio.<device>.<field>` of a physical block device.
    DiskIo {
        device: String,
        field: DiskIoField,
    },
    /// `gpu.<n>.<field>`, GPUs numbered from 0 in the order the system lists them.
    Gpu {
        index: u32,
        field: GpuField,
    },
    /// `probe.<name>.<field>` of a `[[probes]]` entry.
    Probe {
        name: String,
        field: ProbeField,
    },
}

/// The forms a metric key may take, for error messages.
pub const ACCEPTED_METRICS: &str = "cpu.total, cpu.core.N, mem.used_pct, mem.used_bytes, \
swap.used_pct, load.1, load.5, load.15, disk.<mount>.used_pct (e.g. disk./.used_pct), \
net.<iface>.rx_bps, net.<iface>.tx_bps, temp.<sensor>, app.<watch>.<running | cpu_pct | \
rss_bytes | mem_pct | threads | fds | io_read_bps | io_write_bps | restarts | uptime_s>, \
battery.<name>.<pct | charging | time_to_empty_s>, power.ac, \
diskio.<device>.<read_bps | write_bps | busy_pct>, gpu.N.<busy_pct | vram_used_pct | temp>, \
probe.<name>.<up | latency_ms>";

impl MetricFamily {
    /// Parses a key such as `disk./home.used_pct`; `None` when it is no known form.
    pub fn parse(key: &str) -> Option<Self> {
        let fixed = match key {
            "cpu.total" => Some(Self::CpuTotal),
            "mem.used_pct" => Some(Self::MemUsedPct),
            "mem.used_bytes" => Some(Self::MemUsedBytes),
            "swap.used_pct" => Some(Self::SwapUsedPct),
            "load.1" => Some(Self::Load1),
            "load.5" => Some(Self::Load5),
            "load.15" => Some(Self::Load15),
            "power.ac" => Some(Self::PowerAc),
            _ => None,
        };
        if fixed.is_some() {
            return fixed;
        }
        if let Some(n) = key.strip_prefix("cpu.core.") {
            return n.parse().ok().map(Self::CpuCore);
        }
        if let Some(mount) = between(key, "disk.", ".used_pct") {
            return mount.starts_with('/').then(|| Self::DiskUsedPct {
                mount: mount.to_owned(),
            });
        }
        if let Some(iface) = between(key, "net.", ".rx_bps") {
            return Some(Self::NetRxBps {
                iface: iface.to_owned(),
            });
        }
        if let Some(iface) = between(key, "net.", ".tx_bps") {
            return Some(Self::NetTxBps {
                iface: iface.to_owned(),
            });
        }
        if let Some((app, field)) = named(key, "app.") {
            return AppField::parse(field).map(|field| Self::App {
                app: app.to_owned(),
                field,
            });
        }
        if let Some((name, field)) = named(key, "battery.") {
            return BatteryField::parse(field).map(|field| Self::Battery {
                name: name.to_owned(),
                field,
            });
        }
        if let Some((device, field)) = named(key, "diskio.") {
            return DiskIoField::parse(field).map(|field| Self::DiskIo {
                device: device.to_owned(),
                field,
            });
        }
        if let Some((n, field)) = named(key, "gpu.") {
            let index = n
                .parse()
                .ok()
                .filter(|_| n.bytes().all(|b| b.is_ascii_digit()))?;
            return GpuField::parse(field).map(|field| Self::Gpu { index, field });
        }
        if let Some((name, field)) = named(key, "probe.") {
            return ProbeField::parse(field).map(|field| Self::Probe {
                name: name.to_owned(),
                field,
            });
        }
        key.strip_prefix("temp.")
            .filter(|s| !s.is_empty())
            .map(|s| Self::Temp {
                sensor: s.to_owned(),
            })
    }

    /// The canonical key text of this family member.
    pub fn key(&self) -> String {
        match self {
            Self::CpuTotal => "cpu.total".into(),
            Self::CpuCore(n) => format!("cpu.core.{n}"),
            Self::MemUsedPct => "mem.used_pct".into(),
            Self::MemUsedBytes => "mem.used_bytes".into(),
            Self::SwapUsedPct => "swap.used_pct".into(),
            Self::Load1 => "load.1".into(),
            Self::Load5 => "load.5".into(),
            Self::Load15 => "load.15".into(),
            Self::DiskUsedPct { mount } => format!("disk.{mount}.used_pct"),
            Self::NetRxBps { iface } => format!("net.{iface}.rx_bps"),
            Self::NetTxBps { iface } => format!("net.{iface}.tx_bps"),
            Self::Temp { sensor } => format!("temp.{sensor}"),
            Self::App { app, field } => format!("app.{app}.{}", field.as_str()),
            Self::Battery { name, field } => format!("battery.{name}.{}", field.as_str()),
            Self::PowerAc => "power.ac".into(),
            Self::DiskIo { device, field } => format!("diskio.{device}.{}", field.as_str()),
            Self::Gpu { index, field } => format!("gpu.{index}.{}", field.as_str()),
            Self::Probe { name, field } => format!("probe.{name}.{}", field.as_str()),
        }
    }
}

/// `<prefix><name>.<field>` split into name and field, for a name without dots. A key with
/// the prefix but not this shape is no key at all (`None`), not a temperature.
fn named<'a>(key: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    key.strip_prefix(prefix)?
        .rsplit_once('.')
        .filter(|(name, _)| !name.is_empty() && !name.contains('.'))
}

fn between<'a>(key: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    key.strip_prefix(prefix)?
        .strip_suffix(suffix)
        .filter(|s| !s.is_empty())
}

/// A validated metric key. Cheap to clone (shared text), ordered by its text.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MetricKey(Arc<str>);

impl MetricKey {
    /// Parses and validates a key; the error says which forms are accepted.
    pub fn parse(key: &str) -> Result<Self, String> {
        match MetricFamily::parse(key) {
            Some(_) => Ok(Self(Arc::from(key))),
            None => Err(format!(
                "unknown metric '{}'; expected one of {ACCEPTED_METRICS}",
                crate::text::shown(key)
            )),
        }
    }

    pub fn from_family(family: &MetricFamily) -> Self {
        Self(Arc::from(family.key()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The family; every constructed key parses, so this never fails.
    pub fn family(&self) -> MetricFamily {
        MetricFamily::parse(&self.0).unwrap_or(MetricFamily::CpuTotal)
    }
}

impl fmt::Display for MetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for MetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", &*self.0)
    }
}

impl Serialize for MetricKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MetricKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// One tick's readings. A metric that could not be read is absent, never zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, type = "Record<string, number>")]
pub struct Snapshot(BTreeMap<MetricKey, f64>);

impl Snapshot {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a reading; non-finite values are dropped (they count as absent).
    pub fn insert(&mut self, key: MetricKey, value: f64) {
        if value.is_finite() {
            self.0.insert(key, value);
        }
    }

    pub fn get(&self, key: &MetricKey) -> Option<f64> {
        self.0.get(key).copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&MetricKey, f64)> {
        self.0.iter().map(|(k, v)| (k, *v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a sampler has to read so that every rule (and chart) gets its data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricNeeds {
    /// Read everything the machine offers (`lookout sample`, the live dashboard).
    pub everything: bool,
    pub cpu_total: bool,
    pub cpu_cores: bool,
    pub memory: bool,
    pub swap: bool,
    pub load: bool,
    pub disks: BTreeSet<String>,
    pub net_ifaces: BTreeSet<String>,
    pub temps: bool,
    /// The app watches (by name) whose figures are needed.
    pub apps: BTreeSet<String>,
    /// Batteries and the AC adapter.
    pub power: bool,
    /// Physical block devices' I/O.
    pub diskio: bool,
    pub gpu: bool,
}

impl MetricNeeds {
    /// Every metric the machine has: `lookout sample`, and the window while it shows charts.
    pub fn everything() -> Self {
        Self {
            power: true,
            diskio: true,
            gpu: true,
            ..Self::everything_but_signals()
        }
    }

    /// Every metric but batteries, disk I/O and GPUs, which are read only when a rule (or a
    /// chart on screen) asks for them: what the history records by default.
    pub fn everything_but_signals() -> Self {
        Self {
            everything: true,
            ..Self::default()
        }
    }

    /// What either of two needs reads.
    pub fn union(mut self, other: &MetricNeeds) -> Self {
        self.everything |= other.everything;
        self.cpu_total |= other.cpu_total;
        self.cpu_cores |= other.cpu_cores;
        self.memory |= other.memory;
        self.swap |= other.swap;
        self.load |= other.load;
        self.temps |= other.temps;
        self.power |= other.power;
        self.diskio |= other.diskio;
        self.gpu |= other.gpu;
        self.disks.extend(other.disks.iter().cloned());
        self.net_ifaces.extend(other.net_ifaces.iter().cloned());
        self.apps.extend(other.apps.iter().cloned());
        self
    }

    /// The needs of a set of watched keys.
    pub fn for_keys<'a>(keys: impl IntoIterator<Item = &'a MetricKey>) -> Self {
        let mut needs = Self::default();
        for key in keys {
            needs.add(&key.family());
        }
        needs
    }

    pub fn add(&mut self, family: &MetricFamily) {
        match family {
            MetricFamily::CpuTotal => self.cpu_total = true,
            MetricFamily::CpuCore(_) => self.cpu_cores = true,
            MetricFamily::MemUsedPct | MetricFamily::MemUsedBytes => self.memory = true,
            MetricFamily::SwapUsedPct => self.swap = true,
            MetricFamily::Load1 | MetricFamily::Load5 | MetricFamily::Load15 => self.load = true,
            MetricFamily::DiskUsedPct { mount } => {
                self.disks.insert(mount.clone());
            }
            MetricFamily::NetRxBps { iface } | MetricFamily::NetTxBps { iface } => {
                self.net_ifaces.insert(iface.clone());
            }
            MetricFamily::Temp { .. } => self.temps = true,
            MetricFamily::App { app, .. } => {
                self.apps.insert(app.clone());
            }
            MetricFamily::Battery { .. } | MetricFamily::PowerAc => self.power = true,
            MetricFamily::DiskIo { .. } => self.diskio = true,
            MetricFamily::Gpu { .. } => self.gpu = true,
            // Probes run on their own schedule; the sampler copies their last results.
            MetricFamily::Probe { .. } => {}
        }
    }
}
