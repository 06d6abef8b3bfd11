//! Metric keys (`cpu.total`, `disk./.used_pct`, ...), the families they belong to, and snapshots.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;
use ts_rs::TS;

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
}

/// What an app watch measures, summed over every process the watch matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AppField {
    /// How many processes match.
    Running,
    /// CPU use, on the scale of `cpu.total`: 100 is every core busy.
    CpuPct,
    /// Resident memory, in bytes.
    RssBytes,
    /// Resident memory as a share of the machine's memory.
    MemPct,
    Threads,
    /// Open file descriptors (where readable).
    Fds,
    /// Bytes read and written per second (where readable).
    IoReadBps,
    IoWriteBps,
    /// How often a matching process went away and another came back, since Lookout started.
    Restarts,
    /// Seconds since the oldest matching process started.
    UptimeS,
}

impl AppField {
    pub const ALL: [AppField; 10] = [
        Self::Running,
        Self::CpuPct,
        Self::RssBytes,
        Self::MemPct,
        Self::Threads,
        Self::Fds,
        Self::IoReadBps,
        Self::IoWriteBps,
        Self::Restarts,
        Self::UptimeS,
    ];

    /// The last part of the key: `cpu_pct`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::CpuPct => "cpu_pct",
            Self::RssBytes => "rss_bytes",
            Self::MemPct => "mem_pct",
            Self::Threads => "threads",
            Self::Fds => "fds",
            Self::IoReadBps => "io_read_bps",
            Self::IoWriteBps => "io_write_bps",
            Self::Restarts => "restarts",
            Self::UptimeS => "uptime_s",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// The forms a metric key may take, for error messages.
pub const ACCEPTED_METRICS: &str = "cpu.total, cpu.core.N, mem.used_pct, mem.used_bytes, \
swap.used_pct, load.1, load.5, load.15, disk.<mount>.used_pct (e.g. disk./.used_pct), \
net.<iface>.rx_bps, net.<iface>.tx_bps, temp.<sensor>, app.<watch>.<running | cpu_pct | \
rss_bytes | mem_pct | threads | fds | io_read_bps | io_write_bps | restarts | uptime_s>";

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
        if let Some(rest) = key.strip_prefix("app.") {
            let (app, field) = rest.rsplit_once('.')?;
            return (!app.is_empty() && !app.contains('.'))
                .then(|| AppField::parse(field))
                .flatten()
                .map(|field| Self::App {
                    app: app.to_owned(),
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
        }
    }
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
}

impl MetricNeeds {
    pub fn everything() -> Self {
        Self {
            everything: true,
            ..Self::default()
        }
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_round_trips_through_its_key() {
        let families = [
            MetricFamily::CpuTotal,
            MetricFamily::CpuCore(3),
            MetricFamily::MemUsedPct,
            MetricFamily::MemUsedBytes,
            MetricFamily::SwapUsedPct,
            MetricFamily::Load1,
            MetricFamily::Load5,
            MetricFamily::Load15,
            MetricFamily::DiskUsedPct {
                mount: "/mnt/my.disk".into(),
            },
            MetricFamily::NetRxBps {
                iface: "eth0".into(),
            },
            MetricFamily::NetTxBps {
                iface: "wlp2s0".into(),
            },
            MetricFamily::Temp {
                sensor: "coretemp_package_id_0".into(),
            },
            MetricFamily::App {
                app: "my-app".into(),
                field: AppField::IoWriteBps,
            },
            MetricFamily::App {
                app: "포스트그레스".into(),
                field: AppField::Running,
            },
        ];
        for f in families {
            assert_eq!(
                MetricFamily::parse(&f.key()),
                Some(f.clone()),
                "key {}",
                f.key()
            );
        }
    }

    #[test]
    fn unknown_keys_are_rejected_with_the_accepted_forms() {
        for bad in [
            "cpu.totl",
            "cpu.core.x",
            "disk.used_pct",
            "disk.home.used_pct",
            "temp.",
            "app.postgres",
            "app..running",
            "app.a.b.running",
            "app.postgres.cpu",
            "",
        ] {
            let err = MetricKey::parse(bad).expect_err(bad);
            assert!(
                err.contains(&format!("'{bad}'")),
                "error quotes the key: {err}"
            );
            assert!(
                err.contains("disk.<mount>.used_pct"),
                "error lists forms: {err}"
            );
        }
    }

    #[test]
    fn snapshot_drops_non_finite_values() {
        let mut s = Snapshot::new();
        let k = MetricKey::parse("cpu.total").expect("valid key");
        s.insert(k.clone(), f64::NAN);
        assert_eq!(s.get(&k), None, "NaN is absent, not a reading");
        s.insert(k.clone(), 12.5);
        assert_eq!(s.get(&k), Some(12.5));
    }

    #[test]
    fn needs_follow_the_watched_keys() {
        let keys: Vec<MetricKey> = ["cpu.total", "disk./.used_pct", "net.eth0.rx_bps"]
            .iter()
            .map(|k| MetricKey::parse(k).expect("valid key"))
            .collect();
        let needs = MetricNeeds::for_keys(&keys);
        assert!(
            needs.cpu_total && !needs.cpu_cores && !needs.memory,
            "{needs:?}"
        );
        assert_eq!(needs.disks.iter().collect::<Vec<_>>(), vec!["/"]);
        assert_eq!(needs.net_ifaces.iter().collect::<Vec<_>>(), vec!["eth0"]);
    }
}
