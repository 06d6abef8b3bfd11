//! The app's tray item as a panel sees it over D-Bus (StatusNotifierItem and dbusmenu).

use crate::common::{wait_until, SessionBus, TrayHost};
use std::collections::HashMap;

/// Where libayatana-appindicator puts Lookout's item (`tray_icon_tray_app_<TRAY_ID>`).
pub const ITEM_PATH: &str = "/org/ayatana/NotificationItem/tray_icon_tray_app_lookout";

/// The tray item of the app on `bus`.
pub struct TrayItem<'a> {
    pub bus: &'a SessionBus,
    pub name: String,
    pub path: &'static str,
}

impl<'a> TrayItem<'a> {
    /// The bus names the tray host lists in `RegisteredStatusNotifierItems` (empty if none).
    pub fn registered(bus: &SessionBus) -> Vec<String> {
        let reply = bus
            .send(&[
                &format!("--dest={}", TrayHost::WATCHER),
                "/StatusNotifierWatcher",
                "org.freedesktop.DBus.Properties.Get",
                &format!("string:{}", TrayHost::WATCHER),
                "string:RegisteredStatusNotifierItems",
            ])
            .unwrap_or_default();
        reply
            .split('"')
            .filter(|s| s.starts_with(':'))
            .map(str::to_owned)
            .collect()
    }

    /// Waits until an item has registered with the tray host.
    pub fn wait_for(bus: &'a SessionBus) -> Self {
        let mut name = String::new();
        wait_until("Lookout registered with the tray host", || {
            name = Self::registered(bus).into_iter().next().unwrap_or_default();
            !name.is_empty()
        });
        Self {
            bus,
            name,
            path: ITEM_PATH,
        }
    }

    pub fn property(&self, property: &str) -> String {
        self.bus
            .send(&[
                &format!("--dest={}", self.name),
                self.path,
                "org.freedesktop.DBus.Properties.Get",
                "string:org.kde.StatusNotifierItem",
                &format!("string:{property}"),
            ])
            .unwrap_or_default()
    }

    /// Every menu item's label, with its dbusmenu id.
    pub fn menu(&self) -> HashMap<String, i32> {
        let layout = self
            .bus
            .send(&[
                &format!("--dest={}", self.name),
                &format!("{}/Menu", self.path),
                "com.canonical.dbusmenu.GetLayout",
                "int32:0",
                "int32:-1",
                "array:string:label",
            ])
            .unwrap_or_default();
        let mut items = HashMap::new();
        let mut id = None;
        let mut lines = layout.lines();
        while let Some(line) = lines.next() {
            let line = line.trim();
            if let Some(n) = line.strip_prefix("int32 ") {
                id = n.parse().ok();
            } else if line == "string \"label\"" {
                let value = lines.next().unwrap_or_default();
                if let (Some(id), Some(start)) = (id, value.find("string \"")) {
                    let label = value[start + 8..].trim_end().trim_end_matches('"');
                    items.insert(label.to_owned(), id);
                }
            }
        }
        items
    }

    pub fn click(&self, id: i32) {
        self.bus
            .send(&[
                &format!("--dest={}", self.name),
                &format!("{}/Menu", self.path),
                "com.canonical.dbusmenu.Event",
                &format!("int32:{id}"),
                "string:clicked",
                "variant:int32:0",
                "uint32:0",
            ])
            .expect("the menu takes the click");
    }
}
