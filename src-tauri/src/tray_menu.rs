//! The tray's menu items, icons and the updates applied to them on the GUI thread: what
//! [`crate::tray`] builds and follows the monitor with.

use crate::tray_text;
use lookout_i18n::Language;
use lookout_monitor::api::OverallState;
use lookout_monitor::monitor::MonitorHandle;
use std::time::Duration;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, MenuItem, Submenu};
use tauri::{AppHandle, Manager, Runtime};

/// The tray icon's id, for `app.tray_by_id(TRAY_ID)`.
pub const TRAY_ID: &str = "lookout";

/// How many alerts "Recent alerts" lists.
pub const RECENT_SLOTS: usize = 5;
/// How often the tray looks at the autostart entry for changes made outside Lookout.
pub(crate) const AUTOSTART_RECHECK: Duration = Duration::from_secs(5);
/// How often the status line's live numbers (CPU, memory) are refreshed while nothing else in
/// it changes: each refresh is a D-Bus menu update, most of what an idle tick would cost.
pub(crate) const NUMBERS_REFRESH: Duration = Duration::from_secs(5);

/// Menu item ids.
pub(crate) mod item {
    pub const STATUS: &str = "status";
    pub const OPEN: &str = "open";
    pub const RECENT: &str = "recent";
    /// `recent-0` (newest) to `recent-4`.
    pub const RECENT_PREFIX: &str = "recent-";
    pub const PAUSE: &str = "pause";
    pub const PAUSE_15M: &str = "pause-15m";
    pub const PAUSE_1H: &str = "pause-1h";
    pub const PAUSE_TOMORROW: &str = "pause-tomorrow";
    pub const RESUME: &str = "resume";
    pub const AUTOSTART: &str = "autostart";
    pub const QUIT: &str = "quit";
}

const ICON_OK: &[u8] = include_bytes!("../../icons/tray/ok-64.png");
const ICON_WARNING: &[u8] = include_bytes!("../../icons/tray/warning-64.png");
const ICON_CRITICAL: &[u8] = include_bytes!("../../icons/tray/critical-64.png");
const ICON_PAUSED: &[u8] = include_bytes!("../../icons/tray/paused-64.png");
const ICON_CHANNEL_FAILING: &[u8] = include_bytes!("../../icons/tray/channel-failing-64.png");

/// The PNG the tray shows in `state`.
pub fn icon_png(state: OverallState) -> &'static [u8] {
    match state {
        OverallState::Ok => ICON_OK,
        OverallState::Warning => ICON_WARNING,
        OverallState::Critical => ICON_CRITICAL,
        OverallState::Paused => ICON_PAUSED,
        OverallState::ChannelFailing => ICON_CHANNEL_FAILING,
    }
}

/// The menu items that change while Lookout runs (managed state).
pub struct TrayMenu<R: Runtime> {
    pub(crate) status: MenuItem<R>,
    pub(crate) recent: Vec<MenuItem<R>>,
    pub(crate) resume: MenuItem<R>,
    pub(crate) autostart: CheckMenuItem<R>,
    pub(crate) fixed: FixedItems<R>,
}

/// The items whose words change only with the language.
pub(crate) struct FixedItems<R: Runtime> {
    pub(crate) open: MenuItem<R>,
    pub(crate) recent_menu: Submenu<R>,
    pub(crate) pause: Submenu<R>,
    pub(crate) pause_15m: MenuItem<R>,
    pub(crate) pause_1h: MenuItem<R>,
    pub(crate) pause_tomorrow: MenuItem<R>,
    pub(crate) quit: MenuItem<R>,
}

/// The language the tray speaks now (the setting may change while Lookout runs).
pub(crate) fn language(monitor: &MonitorHandle) -> Language {
    lookout_i18n::resolve_from_env(monitor.language_setting())
}

/// The real autostart state: whether the login entry (`~/.config/autostart/*.desktop`) exists.
pub fn autostart_enabled<R: Runtime>(app: &AppHandle<R>) -> bool {
    match app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() {
        Some(manager) => manager.is_enabled().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read the autostart entry");
            false
        }),
        None => false,
    }
}

/// Changes for the tray, applied together on the main (GTK) thread. Sent, never awaited:
/// the runtime's workers, which also run the monitor, never wait for the GUI.
#[derive(Debug, Default)]
pub(crate) struct TrayUpdate {
    pub(crate) status: Option<String>,
    pub(crate) icon: Option<OverallState>,
    /// The fixed labels, after the language changed.
    pub(crate) labels: Option<Language>,
    /// Text and enabled state of "Resume alerts".
    pub(crate) resume: Option<(String, bool)>,
    pub(crate) autostart: Option<bool>,
    /// Text and enabled state of each "Recent alerts" slot.
    pub(crate) recent: Option<Vec<(String, bool)>>,
}

impl TrayUpdate {
    fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.labels.is_none()
            && self.icon.is_none()
            && self.resume.is_none()
            && self.autostart.is_none()
            && self.recent.is_none()
    }

    pub(crate) fn send<R: Runtime>(self, app: &AppHandle<R>) {
        if self.is_empty() {
            return;
        }
        let handle = app.clone();
        if let Err(e) = app.run_on_main_thread(move || self.apply(&handle)) {
            tracing::warn!(error = %e, "cannot reach the GUI thread to update the tray");
        }
    }

    fn apply<R: Runtime>(self, app: &AppHandle<R>) {
        let Some(menu) = app.try_state::<TrayMenu<R>>() else {
            return;
        };
        if let Some(line) = self.status {
            log_menu_error(menu.status.set_text(line));
        }
        if let Some(lang) = self.labels {
            let words = tray_text::labels(lang);
            let fixed = &menu.fixed;
            log_menu_error(fixed.open.set_text(words.open));
            log_menu_error(fixed.recent_menu.set_text(words.recent));
            log_menu_error(fixed.pause.set_text(words.pause));
            log_menu_error(fixed.pause_15m.set_text(words.pause_15m));
            log_menu_error(fixed.pause_1h.set_text(words.pause_1h));
            log_menu_error(fixed.pause_tomorrow.set_text(words.pause_tomorrow));
            log_menu_error(menu.autostart.set_text(words.autostart));
            log_menu_error(fixed.quit.set_text(words.quit));
        }
        if let Some((text, enabled)) = self.resume {
            log_menu_error(menu.resume.set_text(text));
            log_menu_error(menu.resume.set_enabled(enabled));
        }
        if let Some(checked) = self.autostart {
            log_menu_error(menu.autostart.set_checked(checked));
        }
        for (slot, (text, enabled)) in menu.recent.iter().zip(self.recent.into_iter().flatten()) {
            log_menu_error(slot.set_text(text));
            log_menu_error(slot.set_enabled(enabled));
        }
        if let Some(state) = self.icon {
            match app.tray_by_id(TRAY_ID) {
                Some(tray) => log_menu_error(
                    Image::from_bytes(icon_png(state)).and_then(|icon| tray.set_icon(Some(icon))),
                ),
                None => tracing::warn!("the tray icon is gone"),
            }
        }
    }
}

pub(crate) fn log_menu_error(result: tauri::Result<()>) {
    if let Err(e) = result {
        tracing::warn!(error = %e, "cannot update the tray");
    }
}
