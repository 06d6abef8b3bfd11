//! The tray icon and its menu: state icon, live status line, recent alerts, pause, autostart, quit.

// On Linux a tray shows no tooltip and its menu cannot be replaced once set, so every item
// that changes is created once and updated in place (`set_text`, `set_enabled`,
// `set_checked`); the icon changes only when the overall state does.

use crate::launch::Route;
use crate::state::AppState;
pub use crate::tray_menu::{autostart_enabled, icon_png, TrayMenu, RECENT_SLOTS, TRAY_ID};
use crate::tray_menu::{
    item, language, FixedItems, TrayUpdate, AUTOSTART_RECHECK, NUMBERS_REFRESH,
};
use crate::tray_text::{self, menu_text};
use crate::window;
use jiff::tz::TimeZone;
use lookout_core::{AlertEvent, Timestamp};
use lookout_i18n::Language;
use lookout_monitor::api::{OverallState, TickView};
use lookout_monitor::monitor::MonitorHandle;
use std::collections::VecDeque;
use std::time::Instant;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::ManagerExt;
use tokio::sync::broadcast::error::RecvError;

/// Puts Lookout in the tray and starts following the monitor. Call once, from `setup`.
pub fn create<R: Runtime>(app: &AppHandle<R>, monitor: &MonitorHandle) -> tauri::Result<()> {
    let words = tray_text::labels(language(monitor));
    let item = |id: &str, text: &str, enabled: bool| {
        MenuItem::with_id(app, id, text, enabled, None::<&str>)
    };
    let status = item(item::STATUS, &words.starting, false)?;
    let open = item(item::OPEN, &words.open, true)?;
    let recent = (0..RECENT_SLOTS)
        .map(|i| {
            let text = if i == 0 {
                words.no_alerts_yet.as_str()
            } else {
                "—"
            };
            item(&format!("{}{i}", item::RECENT_PREFIX), text, false)
        })
        .collect::<tauri::Result<Vec<_>>>()?;
    let recent_refs: Vec<&dyn tauri::menu::IsMenuItem<R>> = recent
        .iter()
        .map(|i| i as &dyn tauri::menu::IsMenuItem<R>)
        .collect();
    let recent_menu =
        Submenu::with_id_and_items(app, item::RECENT, &words.recent, true, &recent_refs)?;
    let resume = item(item::RESUME, &words.resume, false)?;
    let pause_15m = item(item::PAUSE_15M, &words.pause_15m, true)?;
    let pause_1h = item(item::PAUSE_1H, &words.pause_1h, true)?;
    let pause_tomorrow = item(item::PAUSE_TOMORROW, &words.pause_tomorrow, true)?;
    let pause = Submenu::with_id_and_items(
        app,
        item::PAUSE,
        &words.pause,
        true,
        &[
            &pause_15m,
            &pause_1h,
            &pause_tomorrow,
            &PredefinedMenuItem::separator(app)?,
            &resume,
        ],
    )?;
    let autostart = CheckMenuItem::with_id(
        app,
        item::AUTOSTART,
        &words.autostart,
        true,
        autostart_enabled(app),
        None::<&str>,
    )?;
    let quit = item(item::QUIT, &words.quit, true)?;
    let menu = Menu::with_items(
        app,
        &[
            &status,
            &PredefinedMenuItem::separator(app)?,
            &open,
            &recent_menu,
            &pause,
            &PredefinedMenuItem::separator(app)?,
            &autostart,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(icon_png(OverallState::Ok))?)
        .title("Lookout")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu_event)
        .build(app)?;
    app.manage(TrayMenu {
        status,
        recent,
        resume,
        autostart,
        fixed: FixedItems {
            open,
            recent_menu,
            pause,
            pause_15m,
            pause_1h,
            pause_tomorrow,
            quit,
        },
    });
    follow_ticks(app, monitor);
    tauri::async_runtime::spawn(follow_alerts(app.clone(), monitor.clone()));
    tauri::async_runtime::spawn(show_monitor_down(app.clone(), monitor.clone()));
    Ok(())
}

/// When the tick loop failed too often to be restarted, no tick updates the tray any more:
/// say so in the status line and the icon, once.
async fn show_monitor_down<R: Runtime>(app: AppHandle<R>, monitor: MonitorHandle) {
    let failure = monitor.tick_failed().await;
    tracing::error!(message = %failure.message, "the monitor is down");
    TrayUpdate {
        status: Some(menu_text(&tray_text::failure_note(
            &failure,
            language(&monitor),
        ))),
        icon: Some(OverallState::ChannelFailing),
        ..TrayUpdate::default()
    }
    .send(&app);
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    let now = || lookout_monitor::clock::wall_now();
    match id {
        item::OPEN => window::open_or_log(app, &Route::home()),
        item::PAUSE_15M => pause(app, Some(tray_text::minutes_from(now(), 15))),
        item::PAUSE_1H => pause(app, Some(tray_text::minutes_from(now(), 60))),
        item::PAUSE_TOMORROW => match tray_text::tomorrow_morning(now(), &TimeZone::system()) {
            Some(until) => pause(app, Some(until)),
            None => tracing::error!("cannot work out tomorrow 08:00 in the local time zone"),
        },
        item::RESUME => pause(app, None),
        item::AUTOSTART => toggle_autostart(app),
        item::QUIT => {
            tracing::info!("quit chosen from the tray");
            app.exit(0);
        }
        other if other.starts_with(item::RECENT_PREFIX) => {
            window::open_or_log(app, &Route::alerts());
        }
        other => tracing::debug!(id = other, "menu event without an action"),
    }
}

/// Pauses (or with `None` resumes) notifications; the menu shows it at the next tick.
fn pause<R: Runtime>(app: &AppHandle<R>, until: Option<Timestamp>) {
    let Some(monitor) = app.try_state::<AppState>().map(|s| s.monitor().clone()) else {
        return;
    };
    tauri::async_runtime::spawn(async move {
        if let Err(e) = monitor.pause(until).await {
            tracing::error!(error = %e, "cannot pause or resume alerts");
        }
    });
}

/// Sets the "Start at login" check mark from the real state.
pub fn show_autostart<R: Runtime>(app: &AppHandle<R>) {
    TrayUpdate {
        autostart: Some(autostart_enabled(app)),
        ..TrayUpdate::default()
    }
    .send(app);
}

fn toggle_autostart<R: Runtime>(app: &AppHandle<R>) {
    let manager = app.autolaunch();
    let result = if autostart_enabled(app) {
        manager.disable()
    } else {
        crate::autostart_entry::enable(&manager)
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "cannot change the autostart entry");
    }
    // The click already flipped the check mark; show what is really on disk.
    show_autostart(app);
}

/// Every tick: the status line, and the icon when the overall state changed. Runs on the tick
/// thread, which hands the changes straight to the GUI thread: an idle tray wakes no other thread.
fn follow_ticks<R: Runtime>(app: &AppHandle<R>, monitor: &MonitorHandle) {
    // The tray was built with the "ok" icon.
    let mut shown = Shown {
        // The menu was built in the language in force.
        language: Some(language(monitor)),
        state: Some(OverallState::Ok),
        ..Shown::default()
    };
    if let Some(view) = monitor.latest() {
        shown.changes(app, monitor, &view).send(app);
    }
    let app = app.clone();
    monitor.on_tick(move |monitor, view| shown.changes(&app, monitor, view).send(&app));
}

/// What the tray shows now, so unchanged things are not sent to it again.
#[derive(Default)]
struct Shown {
    /// The language the menu's words are in.
    language: Option<Language>,
    state: Option<OverallState>,
    status_line: String,
    /// What the status line says besides its numbers (alerts, pause, failure), and when it
    /// was last built: a change there shows at once, the numbers every [`NUMBERS_REFRESH`].
    status_gist: Option<(usize, Option<String>, Option<bool>)>,
    status_built: Option<Instant>,
    pause: Option<Pause>,
    autostart: Option<bool>,
    /// When the autostart entry was last looked at (a file check, kept off most ticks).
    autostart_checked: Option<Instant>,
}

/// Whether notifications are paused, and until when if the tick tells.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pause {
    Running,
    Paused(Option<Timestamp>),
}

impl Shown {
    /// What differs from what the tray shows, after `view`; records it as shown.
    fn changes<R: Runtime>(
        &mut self,
        app: &AppHandle<R>,
        monitor: &MonitorHandle,
        view: &TickView,
    ) -> TrayUpdate {
        let mut update = TrayUpdate::default();
        let lang = language(monitor);
        if self.language != Some(lang) {
            update.labels = Some(lang);
            self.language = Some(lang);
            // Everything with words is shown again in the new language.
            self.pause = None;
            self.status_gist = None;
        }
        let pause = if monitor.is_paused(view.at) {
            Pause::Paused(tray_text::paused_until(view))
        } else {
            Pause::Running
        };
        let pause_note = match pause {
            Pause::Paused(until) => Some(tray_text::pause_note(
                until,
                view.at,
                &TimeZone::system(),
                lang,
            )),
            Pause::Running => None,
        };
        let failure = monitor.tick_failure();
        let gist = (
            tray_text::firing_count(view),
            pause_note.clone(),
            failure.as_ref().map(|f| f.restarted),
        );
        let due = self.status_gist.as_ref() != Some(&gist)
            || self
                .status_built
                .is_none_or(|at| at.elapsed() >= NUMBERS_REFRESH);
        if due {
            let mut line = tray_text::status_line(view, pause_note.as_deref(), lang);
            if let Some(failure) = &failure {
                line.push_str(" · ");
                line.push_str(&tray_text::failure_note(failure, lang));
            }
            if line != self.status_line {
                update.status = Some(menu_text(&line));
                self.status_line = line;
            }
            self.status_gist = Some(gist);
            self.status_built = Some(Instant::now());
        }
        if self.pause != Some(pause) {
            // GTK cannot relabel a submenu ("Pause alerts"), so "Resume" says it instead.
            update.resume = Some((
                tray_text::resume_label(pause_note.as_deref(), lang),
                pause_note.is_some(),
            ));
            self.pause = Some(pause);
        }
        let state = monitor.overall();
        if self.state != Some(state) {
            tracing::info!(?state, "tray state");
            update.icon = Some(state);
            self.state = Some(state);
        }
        // The entry can be removed or added outside Lookout; show the file, not a flag. The
        // menu's own toggle shows at once; a change made elsewhere within a few seconds.
        if self
            .autostart_checked
            .is_none_or(|at| at.elapsed() >= AUTOSTART_RECHECK)
        {
            self.autostart_checked = Some(Instant::now());
            let autostart = autostart_enabled(app);
            if self.autostart != Some(autostart) {
                update.autostart = Some(autostart);
                self.autostart = Some(autostart);
            }
        }
        update
    }
}

/// Keeps "Recent alerts" at the last few alerts: from the log at start, then every new one.
async fn follow_alerts<R: Runtime>(app: AppHandle<R>, monitor: MonitorHandle) {
    // Subscribe before reading the log, so nothing falls between the two.
    let mut events = monitor.subscribe_events();
    let mut recent: VecDeque<AlertEvent> = match monitor.alerts(None, 50).await {
        Ok(logged) => logged
            .into_iter()
            .map(|l| l.event)
            .filter(tray_text::is_notable)
            .take(RECENT_SLOTS)
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the alert log for the tray");
            VecDeque::new()
        }
    };
    show_recent(&app, &monitor, &recent);
    loop {
        match events.recv().await {
            Ok(event) if tray_text::is_notable(&event) => {
                if !recent.contains(&event) {
                    recent.push_front(event);
                    recent.truncate(RECENT_SLOTS);
                    show_recent(&app, &monitor, &recent);
                }
            }
            Ok(_) | Err(RecvError::Lagged(_)) => continue,
            Err(RecvError::Closed) => break,
        }
    }
}

fn show_recent<R: Runtime>(
    app: &AppHandle<R>,
    monitor: &MonitorHandle,
    recent: &VecDeque<AlertEvent>,
) {
    let lang = language(monitor);
    let now = lookout_monitor::clock::wall_now();
    let tz = TimeZone::system();
    let slots = (0..RECENT_SLOTS)
        .map(|i| match recent.get(i) {
            Some(event) => (
                menu_text(&tray_text::alert_label(event, now, &tz, lang)),
                true,
            ),
            None if i == 0 => (tray_text::labels(lang).no_alerts_yet, false),
            None => ("—".to_owned(), false),
        })
        .collect();
    TrayUpdate {
        recent: Some(slots),
        ..TrayUpdate::default()
    }
    .send(app);
}
