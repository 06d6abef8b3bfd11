//! The window on demand: created when the user opens it, destroyed when they close it.

// A live WebKit webview costs ~250 MiB, so none exists until asked for; closing the window
// destroys it (Tauri's default close), and the app keeps running in the tray. WebKit's network
// process would stay behind: `webkit_network` ends it.

use crate::launch::Route;
use crate::state::AppState;
use lookout_monitor::sys::exports;
use std::sync::Mutex;
use std::time::Instant;
use tauri::webview::DownloadEvent;
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder, Window, WindowEvent};

/// The label of Lookout's window; the capability in `capabilities/main.json` names it.
pub const MAIN_WINDOW: &str = "main";
/// The event the page emits once it has drawn its first chart.
pub const FIRST_CHART_EVENT: &str = "lookout://first-chart";

/// When the window was last asked to open, until its page reports its first chart.
static OPENING: Mutex<Option<Instant>> = Mutex::new(None);

/// Logs how long the window took from being asked for to its first chart (the footprint
/// benchmark reads this line). Only the first report after an open counts: a page that emits
/// the event again, or at any other time, changes nothing.
/// `payload` is what the page says its own part took (ms since its navigation started); it
/// is only logged, as a number or not at all.
pub fn on_first_chart(payload: &str) {
    let opened = OPENING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    if let Some(opened) = opened {
        let ms = opened.elapsed().as_millis();
        let page_ms = payload.trim().parse::<u32>().ok();
        tracing::info!(
            ms,
            page_ms,
            "window: first chart drawn {ms} ms after it was asked for"
        );
    }
}

/// Shows the window on `route`: focuses it if it is open, creates it otherwise.
pub fn open<R: Runtime>(app: &AppHandle<R>, route: &Route) -> tauri::Result<()> {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        // Same page, another route: a hash change, no reload. `route` holds only
        // [A-Za-z0-9/_-], so it is safe inside the quotes.
        window.eval(format!("window.location.hash = '{route}';"))?;
        window.unminimize()?;
        window.show()?;
        return window.set_focus();
    }
    *OPENING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Instant::now());
    let url = WebviewUrl::App(format!("index.html#{route}").into());
    WebviewWindowBuilder::new(app, MAIN_WINDOW, url)
        .title("Lookout")
        .inner_size(1100.0, 760.0)
        .min_inner_size(640.0, 480.0)
        .focused(true)
        .on_download(|_webview, event| on_download(event))
        .build()?;
    set_live_view(app, true);
    Ok(())
}

/// Saves what the page exports (the alert log as CSV) to the download directory. Only files
/// the page made itself (`blob:` URLs) are saved: a page that tries to fetch a file from
/// elsewhere onto the disk is refused.
fn on_download(event: DownloadEvent<'_>) -> bool {
    match event {
        DownloadEvent::Requested { url, destination } => {
            if url.scheme() != "blob" {
                tracing::warn!(%url, "refused a download the window asked for");
                return false;
            }
            let Some(dir) = exports::download_dir() else {
                tracing::warn!("no download directory to save an export to");
                return false;
            };
            if let Err(e) = std::fs::create_dir_all(&dir) {
                tracing::warn!(error = %e, dir = %dir.display(), "cannot create the download directory");
                return false;
            }
            let suggested = destination
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            *destination = exports::destination(&dir, &suggested);
            true
        }
        DownloadEvent::Finished { path, success, .. } => {
            match (success, path) {
                (true, Some(path)) => tracing::info!(path = %path.display(), "saved an export"),
                _ => tracing::warn!("an export could not be saved"),
            }
            true
        }
        _ => true,
    }
}

/// Logs instead of failing: the tray and the second-launch handler have nobody to tell.
pub fn open_or_log<R: Runtime>(app: &AppHandle<R>, route: &Route) {
    if let Err(e) = open(app, route) {
        tracing::error!(error = %e, %route, "cannot open the window");
    }
}

/// Registered with `Builder::on_window_event`: when the window is gone, stop reading the
/// metrics only it showed, stop streaming ticks to it, and end WebKit's network process.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if window.label() == MAIN_WINDOW && matches!(event, WindowEvent::Destroyed) {
        tracing::debug!("window closed and destroyed");
        if let Some(state) = window.try_state::<AppState>() {
            state.end_tick_stream();
        }
        set_live_view(window.app_handle(), false);
        crate::webkit_network::end_when_idle(window.app_handle());
    }
}

/// While the window is open the monitor reads every metric (the window shows them all);
/// otherwise only what the rules use.
fn set_live_view<R: Runtime>(app: &AppHandle<R>, on: bool) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let monitor = state.monitor().clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = monitor.set_live_view(on).await {
            tracing::warn!(error = %e, on, "cannot switch the live view");
        }
    });
}
