//! Temperature sensors (`temp.<sensor>`) through sysinfo's component list.

use lookout_core::metric::MetricFamily;
use lookout_core::{MetricKey, Snapshot};
use std::collections::HashSet;
use sysinfo::Components;

/// The sensor name used in keys: lowercase, every run of non-alphanumeric characters turned
/// into one `_`, no `_` at either end; `sensor` when nothing is left.
pub(super) fn sensor_name(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("sensor");
    }
    out
}

/// Keys for a list of labels; a repeated name gets `_2`, `_3`, ... in list order.
fn keys_for(labels: impl Iterator<Item = String>) -> Vec<MetricKey> {
    let mut taken = HashSet::new();
    labels
        .map(|label| {
            let base = sensor_name(&label);
            let mut name = base.clone();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            MetricKey::from_family(&MetricFamily::Temp { sensor: name })
        })
        .collect()
}

/// The machine's temperature sensors and their keys.
pub(super) struct Temps {
    components: Components,
    keys: Vec<MetricKey>,
}

impl Temps {
    /// Scans the sensors (hwmon directories on Linux); costly, so done rarely.
    pub(super) fn scan() -> Self {
        let components = Components::new_with_refreshed_list();
        let keys = keys_for(components.list().iter().map(|c| c.label().to_owned()));
        Self { components, keys }
    }

    /// Re-reads each known sensor's current value (one small file per sensor on Linux).
    pub(super) fn sample(&mut self, snap: &mut Snapshot) {
        for (component, key) in self.components.list_mut().iter_mut().zip(&self.keys) {
            component.refresh();
            if let Some(celsius) = component.temperature() {
                // Snapshot::insert drops NaN, which sysinfo returns for a failed read.
                snap.insert(key.clone(), f64::from(celsius));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_become_lowercase_underscored_names() {
        assert_eq!(
            sensor_name("coretemp Package id 0"),
            "coretemp_package_id_0"
        );
        assert_eq!(
            sensor_name("nvme Composite WD-SN730"),
            "nvme_composite_wd_sn730"
        );
        assert_eq!(sensor_name("  amdgpu edge (°C) "), "amdgpu_edge_c");
        assert_eq!(sensor_name("°"), "sensor", "nothing usable left");
    }

    #[test]
    fn repeated_names_get_a_number() {
        let keys = keys_for(
            ["acpitz temp1", "acpitz-temp1", "acpitz temp1"]
                .map(String::from)
                .into_iter(),
        );
        let names: Vec<&str> = keys.iter().map(MetricKey::as_str).collect();
        assert_eq!(
            names,
            vec![
                "temp.acpitz_temp1",
                "temp.acpitz_temp1_2",
                "temp.acpitz_temp1_3"
            ],
            "every sensor keeps its own key"
        );
    }
}
