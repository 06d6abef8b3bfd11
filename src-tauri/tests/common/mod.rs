//! Shared test support: the app on Tauri's mock runtime with a real monitor, real peers, the
//! tray item over D-Bus and a WebDriver client.
#![allow(dead_code, unused_imports, clippy::expect_used)] // each test binary uses its own subset

pub mod driven;
pub mod tray;
pub mod webdriver;

pub use lookout_testkit::{
    free_port, wait_until, Dunst, GnomeKeyring, Peer, SessionBus, TrayHost, VirtualDisplay,
};

use lookout_monitor::monitor::{Daemon, DaemonOptions};
use lookout_tray::state::AppState;
use serde_json::Value;
use std::path::PathBuf;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};
use tempfile::TempDir;

/// The app's commands on the mock runtime, over a real monitor with its files in a temp dir.
pub struct TestApp {
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub config_path: PathBuf,
    pub dir: TempDir,
    daemon: Option<Daemon>,
}

impl TestApp {
    /// Starts the monitor (writing the default config) and the app with one "main" window.
    pub fn start() -> Self {
        Self::start_in(TempDir::new().expect("temp dir"))
    }

    /// Starts on a config file the user wrote, `dir/config.toml`.
    pub fn start_with_config(dir: TempDir, text: &str) -> Self {
        std::fs::write(dir.path().join("config.toml"), text).expect("write the config");
        Self::start_in(dir)
    }

    fn start_in(dir: TempDir) -> Self {
        let config_path = dir.path().join("config.toml");
        let options = DaemonOptions {
            config_path: config_path.clone(),
            data_dir: dir.path().join("data"),
            create_default_config: true,
            follow_config_edits: false,
        };
        let (monitor, daemon) =
            tauri::async_runtime::block_on(Daemon::start(options)).expect("the monitor starts");
        let app = mock_builder()
            .plugin(lookout_tray::autostart_plugin())
            .invoke_handler(lookout_tray::commands::handler())
            .build(mock_context(noop_assets()))
            .expect("the app builds on the mock runtime");
        app.manage(AppState::new(monitor));
        let window =
            WebviewWindowBuilder::new(&app, lookout_tray::window::MAIN_WINDOW, Default::default())
                .build()
                .expect("a mock window");
        Self {
            app,
            window,
            config_path,
            dir,
            daemon: Some(daemon),
        }
    }

    /// Calls `cmd` as the window would, with `args` (camelCase keys, as JavaScript sends).
    /// `Ok` is the command's value, `Err` its error, both as JSON.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|body| {
            body.deserialize::<Value>()
                .expect("a command's response is JSON")
        })
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(daemon) = self.daemon.take() {
            tauri::async_runtime::block_on(daemon.stop());
        }
    }
}
