//! Batteries and the AC adapter (`battery.<name>.*`, `power.ac`), from
//! /sys/class/power_supply.

use super::sysfs::{key_name, read_number, read_text};
use lookout_core::metric::{BatteryField, MetricFamily};
use lookout_core::{MetricKey, Snapshot};
use std::path::{Path, PathBuf};

/// One battery's directory and its keys (pct, charging, time to empty).
#[derive(Debug)]
struct Battery {
    dir: PathBuf,
    keys: [MetricKey; 3],
}

/// The supplies found by the last scan.
#[derive(Debug)]
pub(super) struct Power {
    batteries: Vec<Battery>,
    /// Mains and USB power inputs of the machine itself (not of a mouse or a phone).
    adapters: Vec<PathBuf>,
    ac_key: MetricKey,
}

impl Power {
    /// Lists the supplies under `root` (`/sys/class/power_supply`).
    pub(super) fn scan(root: &Path) -> Self {
        let mut names: Vec<(String, PathBuf)> = std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
            .collect();
        names.sort();
        let mut batteries = Vec::new();
        let mut adapters = Vec::new();
        for (name, dir) in names {
            let kind = read_text(&dir.join("type")).unwrap_or_default();
            let scope = read_text(&dir.join("scope")).unwrap_or_default();
            match kind.as_str() {
                "Battery" => {
                    let name = key_name(&name);
                    let key = |field| {
                        MetricKey::from_family(&MetricFamily::Battery {
                            name: name.clone(),
                            field,
                        })
                    };
                    batteries.push(Battery {
                        keys: [
                            key(BatteryField::Pct),
                            key(BatteryField::Charging),
                            key(BatteryField::TimeToEmptyS),
                        ],
                        dir,
                    });
                }
                "Mains" | "USB" | "USB_C" | "USB_PD" if scope != "Device" => adapters.push(dir),
                _ => {}
            }
        }
        Self {
            batteries,
            adapters,
            ac_key: MetricKey::from_family(&MetricFamily::PowerAc),
        }
    }

    /// Reads every battery and adapter found. A battery slot without a battery, or a value
    /// the driver does not give, is absent.
    pub(super) fn sample(&self, snap: &mut Snapshot) {
        for battery in &self.batteries {
            read_battery(battery, snap);
        }
        if !self.adapters.is_empty() {
            let online = self
                .adapters
                .iter()
                .any(|dir| read_number(&dir.join("online")) == Some(1.0));
            snap.insert(self.ac_key.clone(), if online { 1.0 } else { 0.0 });
        }
    }
}

fn read_battery(battery: &Battery, snap: &mut Snapshot) {
    let dir = &battery.dir;
    let at = |file: &str| read_number(&dir.join(file));
    if at("present") == Some(0.0) {
        return;
    }
    let [pct_key, charging_key, empty_key] = &battery.keys;
    // `capacity` is the driver's own percentage; otherwise work it out from energy or charge.
    let pct = at("capacity").or_else(|| {
        let ratio = |now: f64, full: f64| (full > 0.0).then(|| now / full * 100.0);
        match (at("energy_now"), at("energy_full")) {
            (Some(now), Some(full)) => ratio(now, full),
            _ => ratio(at("charge_now")?, at("charge_full")?),
        }
    });
    if let Some(pct) = pct {
        snap.insert(pct_key.clone(), pct.clamp(0.0, 100.0));
    }
    let status = read_text(&dir.join("status")).unwrap_or_default();
    if status.is_empty() {
        return;
    }
    let charging = status == "Charging";
    snap.insert(charging_key.clone(), if charging { 1.0 } else { 0.0 });
    if status != "Discharging" {
        return;
    }
    // µWh over µW, or µAh over µA: hours until empty at the present drain.
    let hours = match (at("energy_now"), at("power_now")) {
        (Some(energy), Some(power)) if power > 0.0 => Some(energy / power),
        _ => match (at("charge_now"), at("current_now")) {
            (Some(charge), Some(current)) if current.abs() > 0.0 => Some(charge / current.abs()),
            _ => None,
        },
    };
    let seconds = at("time_to_empty_now").or(hours.map(|h| h * 3600.0));
    if let Some(seconds) = seconds {
        snap.insert(empty_key.clone(), seconds.round());
    }
}
