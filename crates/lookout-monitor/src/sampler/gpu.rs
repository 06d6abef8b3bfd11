//! GPUs (`gpu.<n>.busy_pct`, `vram_used_pct`, `temp`), numbered as the kernel numbers their
//! DRM cards (`/sys/class/drm/card<n>`): amdgpu and Intel (i915, xe) from sysfs and hwmon,
//! NVIDIA through NVML, loaded at run time when libnvidia-ml is installed.

use super::sysfs::{read_number, read_text};
use lookout_core::metric::{GpuField, MetricFamily};
use lookout_core::{MetricKey, Snapshot};
use nvml_wrapper::enum_wrappers::device::TemperatureSensor;
use nvml_wrapper::Nvml;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a card's figures are read.
#[derive(Debug)]
enum Driver {
    /// `gpu_busy_percent` and `mem_info_vram_*` in the device directory.
    Amd,
    /// Busy is the share of time the GPU was out of its idle (RC6) state, from a counter of
    /// idle milliseconds: i915's `rc6_residency_ms`, xe's `idle_residency_ms`.
    Intel { idle_ms: PathBuf },
    /// NVML, by the card's PCI address.
    Nvidia { pci_slot: String },
}

#[derive(Debug)]
struct Card {
    driver: Driver,
    device: PathBuf,
    /// The hwmon temperature input (millidegrees), if the card has one.
    temp_input: Option<PathBuf>,
    keys: [MetricKey; 3],
    /// The last idle counter of an Intel card, for the next busy share.
    last_idle: Option<(f64, Instant)>,
}

/// The GPUs found by the last scan.
pub(super) struct Gpus {
    cards: Vec<Card>,
    /// Opened once, only when an NVIDIA card is present; `None` when the library is missing.
    nvml: Option<Nvml>,
}

impl std::fmt::Debug for Gpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gpus")
            .field("cards", &self.cards)
            .field("nvml", &self.nvml.is_some())
            .finish()
    }
}

impl Gpus {
    /// Lists the cards under `drm` (`/sys/class/drm`) whose driver Lookout can read.
    pub(super) fn scan(drm: &Path) -> Self {
        Self::scan_with(drm, None)
    }

    fn scan_with(drm: &Path, nvml: Option<Nvml>) -> Self {
        let mut cards: Vec<(u32, PathBuf)> = std::fs::read_dir(drm)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let n = name.strip_prefix("card")?.parse().ok()?;
                Some((n, e.path()))
            })
            .collect();
        cards.sort();
        let cards: Vec<Card> = cards
            .into_iter()
            .filter_map(|(n, dir)| card(n, &dir))
            .collect();
        let wants_nvml = cards
            .iter()
            .any(|c| matches!(c.driver, Driver::Nvidia { .. }));
        let nvml = match nvml {
            Some(nvml) if wants_nvml => Some(nvml),
            _ => wants_nvml.then(open_nvml).flatten(),
        };
        Self { cards, nvml }
    }

    /// Scans again, keeping what the cards still present had: Intel's last idle counter (its
    /// busy share needs two reads) and the NVML library, opened once.
    pub(super) fn rescan(&mut self, drm: &Path) {
        let mut next = Self::scan_with(drm, self.nvml.take());
        for card in &mut next.cards {
            if let Some(old) = self.cards.iter().find(|o| o.keys[0] == card.keys[0]) {
                card.last_idle = old.last_idle;
            }
        }
        *self = next;
    }

    pub(super) fn sample(&mut self, snap: &mut Snapshot) {
        let now = Instant::now();
        for card in &mut self.cards {
            let [busy_key, vram_key, temp_key] = &card.keys;
            match &card.driver {
                Driver::Amd => {
                    if let Some(busy) = read_number(&card.device.join("gpu_busy_percent")) {
                        snap.insert(busy_key.clone(), busy.clamp(0.0, 100.0));
                    }
                    let used = read_number(&card.device.join("mem_info_vram_used"));
                    let total = read_number(&card.device.join("mem_info_vram_total"));
                    if let (Some(used), Some(total)) = (used, total.filter(|t| *t > 0.0)) {
                        snap.insert(vram_key.clone(), used / total * 100.0);
                    }
                }
                Driver::Intel { idle_ms } => {
                    if let Some(idle) = read_number(idle_ms) {
                        if let Some((last, at)) = card.last_idle {
                            let wall_ms = now.saturating_duration_since(at).as_secs_f64() * 1000.0;
                            if wall_ms > 0.0 && idle >= last {
                                let busy = 100.0 - (idle - last) / wall_ms * 100.0;
                                snap.insert(busy_key.clone(), busy.clamp(0.0, 100.0));
                            }
                        }
                        card.last_idle = Some((idle, now));
                    }
                }
                Driver::Nvidia { pci_slot } => {
                    if let Some(nvml) = &self.nvml {
                        read_nvidia(nvml, pci_slot, &card.keys, snap);
                    }
                    continue;
                }
            }
            if let Some(milli) = card.temp_input.as_deref().and_then(read_number) {
                snap.insert(temp_key.clone(), milli / 1000.0);
            }
        }
    }
}

/// The card `n` at `dir`, if its driver is one Lookout reads.
fn card(n: u32, dir: &Path) -> Option<Card> {
    let device = dir.join("device");
    let uevent = read_text(&device.join("uevent"))?;
    let field = |name: &str| {
        uevent
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix('='))
            .map(str::to_owned)
    };
    let driver = match field("DRIVER")?.as_str() {
        "amdgpu" => Driver::Amd,
        "i915" => Driver::Intel {
            idle_ms: [
                dir.join("gt/gt0/rc6_residency_ms"),
                dir.join("power/rc6_residency_ms"),
            ]
            .into_iter()
            .find(|p| p.exists())?,
        },
        "xe" => Driver::Intel {
            idle_ms: Some(device.join("tile0/gt0/gtidle/idle_residency_ms"))
                .filter(|p| p.exists())?,
        },
        "nvidia" => Driver::Nvidia {
            pci_slot: field("PCI_SLOT_NAME")?,
        },
        _ => return None,
    };
    let key = |field| MetricKey::from_family(&MetricFamily::Gpu { index: n, field });
    Some(Card {
        temp_input: temp_input(&device.join("hwmon")),
        keys: [
            key(GpuField::BusyPct),
            key(GpuField::VramUsedPct),
            key(GpuField::Temp),
        ],
        driver,
        device,
        last_idle: None,
    })
}

/// The lowest-numbered `temp<i>_input` of the first hwmon directory under `hwmon`.
fn temp_input(hwmon: &Path) -> Option<PathBuf> {
    let mut monitors: Vec<PathBuf> = std::fs::read_dir(hwmon)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    monitors.sort();
    let monitor = monitors.into_iter().next()?;
    (1..=8)
        .map(|i| monitor.join(format!("temp{i}_input")))
        .find(|p| p.exists())
}

fn open_nvml() -> Option<Nvml> {
    // Debian's runtime package ships only the versioned name (the bare .so is in -dev).
    match Nvml::builder()
        .lib_path(OsStr::new("libnvidia-ml.so.1"))
        .init()
    {
        Ok(nvml) => Some(nvml),
        Err(e) => {
            tracing::info!("NVIDIA GPU without NVML ({e}): its figures are not read");
            None
        }
    }
}

fn read_nvidia(nvml: &Nvml, pci_slot: &str, keys: &[MetricKey; 3], snap: &mut Snapshot) {
    let Ok(device) = nvml.device_by_pci_bus_id(pci_slot) else {
        return;
    };
    let [busy_key, vram_key, temp_key] = keys;
    if let Ok(u) = device.utilization_rates() {
        snap.insert(busy_key.clone(), f64::from(u.gpu));
    }
    if let Ok(m) = device.memory_info().map(|m| (m.used, m.total)) {
        if m.1 > 0 {
            snap.insert(vram_key.clone(), m.0 as f64 / m.1 as f64 * 100.0);
        }
    }
    if let Ok(t) = device.temperature(TemperatureSensor::Gpu) {
        snap.insert(temp_key.clone(), f64::from(t));
    }
}
