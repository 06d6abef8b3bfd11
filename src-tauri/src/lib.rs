//! Lookout in the tray: the monitor runs in-process; a tray icon and menu show its state; a
//! window is created on demand and destroyed on close.
//!
//! Module map:
//! - [`launch`]: command line (`--open[=ROUTE]`) and the monitor's paths (`LOOKOUT_CONFIG`,
//!   `LOOKOUT_DATA_DIR`).
//! - [`tray`]: the tray icon ([`tray::TRAY_ID`]) and its menu, built from [`tray_menu`]; [`tray_text`]: the menu's words.
//! - [`window`]: the window on demand ([`window::MAIN_WINDOW`]); [`webkit_network`]: WebKit's
//!   network process, ended when the last window is gone; [`webkit_env`]: WebKit's settings
//!   that keep the GL driver out of this process.
//! - [`commands`]: the `#[tauri::command]`s the window calls, thin calls into the monitor;
//!   [`command_names`]: their names, which the build script grants.
//! - [`state`]: what Tauri manages for them ([`state::AppState`]); [`error`]: `{code, message}`.
//! - [`autostart_entry`]: the login autostart entry, written by the plugin, its `Exec` quoted.
//!
//! Start-up order matters: the single-instance plugin runs inside `Builder::build`, so a
//! second launch hands its arguments to the running Lookout and exits before it touches the
//! data directory. Only then is the monitor started (a data directory locked by another
//! Lookout is a clear message and exit code 3, not a panic inside `setup`), and the tray and
//! any window come up in `setup`.

pub mod autostart_entry;
pub mod command_names;
pub mod commands;
pub mod error;
pub mod launch;
pub mod state;
pub mod tray;
pub mod tray_menu;
pub mod tray_text;
pub mod webkit_env;
pub mod webkit_network;
pub mod window;

use anyhow::Context;
use launch::{Launch, LaunchOptions, Route};
use lookout_monitor::monitor::{Daemon, NoticeOpen, StartError};
use state::AppState;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;
use tauri::{AppHandle, Listener, Manager, RunEvent, Runtime};
use tokio::sync::broadcast::{error::RecvError, Receiver};

/// Exit code for a bad command line.
const EXIT_USAGE: u8 = 2;
/// Exit code when another Lookout holds the data directory.
const EXIT_LOCKED: u8 = 3;

/// The `lookout-tray` program.
pub fn run() -> ExitCode {
    // Before any thread exists: it changes this process's environment.
    webkit_env::configure();
    init_logging();
    let options = match launch::parse_args(std::env::args().skip(1)) {
        Ok(Launch::Run(options)) => options,
        Ok(Launch::Help) => {
            println!("{}", launch::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Launch::Version) => {
            println!("lookout-tray {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("lookout-tray: {e}\n\n{}", launch::USAGE);
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match run_app(options) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lookout-tray: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_app(options: LaunchOptions) -> anyhow::Result<ExitCode> {
    // Without a display GTK's start-up panics; say what is missing instead.
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        anyhow::bail!(
            "no graphical session: neither DISPLAY nor WAYLAND_DISPLAY is set; \
             lookout-tray lives in a desktop's tray (on a server, use `lookout run`)"
        );
    }
    // One runtime for Tauri and the monitor. Two workers are plenty: the monitor ticks once a
    // second and blocking work (SQLite, keyring, SMTP) goes to the blocking pool.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("lookout-rt")
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    tauri::async_runtime::set(runtime.handle().clone());
    let monitor_options = launch::monitor_options()?;

    let app = builder(options.open)
        .build(context())
        .context("cannot start the tray application")?;

    let (monitor, daemon) = match runtime.block_on(Daemon::start_with_fallback(monitor_options)) {
        Ok(started) => started,
        Err(StartError::Locked(e)) => {
            eprintln!("lookout-tray: {e}");
            return Ok(ExitCode::from(EXIT_LOCKED));
        }
        Err(e) => return Err(e).context("cannot start the monitor"),
    };
    tracing::info!(
        config = %monitor.config_path().display(),
        data = %monitor.data_dir().display(),
        "monitor started"
    );
    // /metrics (and the dashboard) when Settings turn them on; a port in use is logged.
    let http = runtime.block_on(lookout_http::HttpService::start(
        monitor.clone(),
        lookout_http::Overrides::default(),
    ));
    if let Err(e) = &http {
        tracing::warn!(error = %e, "not serving HTTP");
    }
    app.manage(AppState::new(monitor));

    let code = app.run_return(on_run_event);

    // The event loop has ended (Quit, or a signal): finish the monitor's writes, then go.
    if let Ok(http) = http {
        runtime.block_on(http.stop());
    }
    runtime.block_on(daemon.stop());
    runtime.shutdown_timeout(Duration::from_secs(2));
    tracing::info!(code, "stopped");
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}

/// Tauri's context (config, assets, ACL), generated by build.rs. The generated code unwraps
/// values it wrote itself, hence the allow.
#[allow(clippy::unwrap_used)]
fn context() -> tauri::Context<tauri::Wry> {
    tauri::tauri_build_context!()
}

/// The app's builder: plugins, commands and handlers, without a context.
fn builder(open_at_start: Option<Route>) -> tauri::Builder<tauri::Wry> {
    tauri::Builder::default()
        // First: a second instance must hand over and exit before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            tracing::info!("second launch: showing the window");
            window::open_or_log(app, &launch::route_from_second_launch(&argv));
        }))
        .plugin(autostart_plugin())
        .invoke_handler(commands::handler())
        .on_window_event(window::on_window_event)
        .setup(move |app| {
            setup(app.handle(), open_at_start.as_ref());
            Ok(())
        })
}

/// The autostart plugin, writing `~/.config/autostart/Lookout.desktop` when enabled.
pub fn autostart_plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_autostart::Builder::new()
        .app_name("Lookout")
        .build()
}

/// Runs once the event loop is up. Never fails: a missing tray still leaves the window.
fn setup<R: Runtime>(app: &AppHandle<R>, open_at_start: Option<&Route>) {
    let monitor = app.state::<AppState>().monitor().clone();
    let tray_ok = match tray::create(app, &monitor) {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, "cannot create the tray icon; opening the window instead");
            false
        }
    };
    match (open_at_start, tray_ok) {
        (Some(route), _) => window::open_or_log(app, route),
        (None, false) => window::open_or_log(app, &Route::home()),
        (None, true) => {}
    }
    app.listen_any(window::FIRST_CHART_EVENT, |event| {
        window::on_first_chart(event.payload());
    });
    tauri::async_runtime::spawn(exit_on_signal(app.clone()));
    tauri::async_runtime::spawn(open_on_notice(app.clone(), monitor.subscribe_opens()));
}

/// "Open" on an alert notification shows that alert in the window.
async fn open_on_notice<R: Runtime>(app: AppHandle<R>, mut opens: Receiver<NoticeOpen>) {
    loop {
        match opens.recv().await {
            Ok(open) => {
                tracing::info!(rule = %open.rule, "opening an alert from its notification");
                window::open_or_log(&app, &Route::alert(open.event_id));
            }
            Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => return,
        }
    }
}

/// Keeps running with no window; exits only when asked to (Quit, a signal).
fn on_run_event<R: Runtime>(_app: &AppHandle<R>, event: RunEvent) {
    if let RunEvent::ExitRequested { code, api, .. } = event {
        // `None`: the last window closed. Lookout stays in the tray.
        if code.is_none() {
            api.prevent_exit();
        }
    }
}

/// Ctrl-C or SIGTERM end Lookout like Quit does, so the monitor's writes are finished.
async fn exit_on_signal<R: Runtime>(app: AppHandle<R>) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(term) => term,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGTERM");
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    tracing::info!("signal received: quitting");
    app.exit(0);
}

/// Logs to `$XDG_STATE_HOME/lookout/lookout.log` (rotated by size; a tray app started at login
/// has no terminal), and to stderr as well when that is a terminal. `LOOKOUT_LOG` sets the level.
fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_env("LOOKOUT_LOG")
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
    };
    let terminal = std::io::stderr().is_terminal();
    let file = lookout_monitor::sys::log_file::default_log_dir()
        .map(|dir| lookout_monitor::sys::log_file::open(&dir));
    let (file, file_error) = match file {
        Some(Ok(log)) => (Some(log), None),
        Some(Err(e)) => (None, Some(e.to_string())),
        None => (
            None,
            Some("no state directory (HOME is not set)".to_owned()),
        ),
    };
    let to_file = file.map(|log| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(log))
            .with_filter(filter())
    });
    // Without a log file, stderr is all there is.
    let to_stderr = (terminal || to_file.is_none()).then(|| {
        tracing_subscriber::fmt::layer()
            .with_ansi(terminal)
            .with_writer(std::io::stderr)
            .with_filter(filter())
    });
    let _ = tracing_subscriber::registry()
        .with(to_file)
        .with(to_stderr)
        .try_init();
    if let Some(e) = file_error {
        tracing::warn!(error = %e, "cannot write the log file; logging to stderr only");
    }
}
