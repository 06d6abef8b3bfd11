//! The real `lookout-tray` driven by tauri-driver over W3C WebDriver: starting it, polling
//! the page, calling its commands and taking screenshots of the Xvfb screen.

use super::webdriver::{request, Session, WebDriverError};
use super::{free_port, wait_until, Peer, SessionBus, VirtualDisplay};
use serde_json::{json, Value};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The app binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_lookout-tray");

/// Generous: the first WebKit start on a busy 2-core machine can take a while.
pub const DEADLINE: Duration = Duration::from_secs(90);

/// tauri-driver from PATH or cargo's bin directory (`cargo install` puts it there).
pub fn tauri_driver() -> PathBuf {
    let in_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|c| c.join("bin"));
    in_path
        .into_iter()
        .chain(cargo_bin)
        .map(|dir| dir.join("tauri-driver"))
        .find(|p| p.is_file())
        .expect("tauri-driver is not installed: run scripts/setup.sh test (it runs `cargo install --locked tauri-driver`)")
}

/// Polls `probe` until it gives a value, failing after [`DEADLINE`] with the last error seen.
pub fn until<T>(what: &str, mut probe: impl FnMut() -> Result<Option<T>, String>) -> T {
    let deadline = Instant::now() + DEADLINE;
    let mut last = String::from("no answer yet");
    loop {
        match probe() {
            Ok(Some(v)) => return v,
            Ok(None) => {}
            Err(e) => last = e,
        }
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {DEADLINE:?}; last: {last}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

pub fn text(session: &Session, testid: &str) -> Result<Option<String>, String> {
    session
        .execute(&format!(
            "return document.querySelector('[data-testid=\"{testid}\"]')?.textContent ?? null"
        ))
        .map(|v| v.as_str().map(str::to_owned))
        .map_err(|e| e.to_string())
}

/// Calls a Lookout command from the page, as the UI does.
pub fn invoke(session: &Session, command: &str) -> Result<Value, WebDriverError> {
    session.execute_async(&format!(
        "window.__TAURI_INTERNALS__.invoke('{command}').then((v) => done({{ ok: v }}), (e) => done({{ err: e }}));"
    ))
}

pub fn status(session: &Session) -> Result<Option<Value>, String> {
    let answer = invoke(session, "get_status").map_err(|e| e.to_string())?;
    match answer.get("ok") {
        Some(status) => Ok(Some(status.clone())),
        None => Err(format!("get_status failed: {answer}")),
    }
}

pub fn go(session: &Session, view: &str) {
    session
        .execute(&format!("window.location.hash = '#/{view}'; return null"))
        .expect("change the view");
}

/// The whole Xvfb screen (the window and the tray bar), after two animation frames so WebKit
/// has painted what the last step changed.
pub fn screenshot(session: &Session, display: &VirtualDisplay, name: &str) -> PathBuf {
    let _ = session
        .execute_async("requestAnimationFrame(() => requestAnimationFrame(() => done(null)));");
    let dir = std::env::var_os("LOOKOUT_SHOTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("lookout-shots"));
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("{name}.png"));
    let out = Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .env("DISPLAY", &display.display)
        .output()
        .expect("imagemagick's import runs");
    assert!(
        out.status.success(),
        "import -window root failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("screenshot: {}", path.display());
    path
}

/// Starts tauri-driver with exactly `env` (WebKitWebDriver starts the app with it, so the
/// app's HOME, bus, display, locale and Lookout paths are set here), logging to `log`, and a
/// WebDriver session on the app started with `args`.
pub fn drive(env: &[(&str, OsString)], log: &Path, args: &[&str]) -> (Peer, Session) {
    let driver_bin = tauri_driver();
    let port = free_port();
    let native_port = free_port();
    let driver = Peer::spawn(
        "tauri-driver",
        Command::new(&driver_bin)
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).expect("log file")),
    );
    wait_until("tauri-driver answers /status", || {
        request(port, "GET", "/status", None).is_ok()
    });
    let session = Session::start(
        port,
        json!({ "tauri:options": { "application": BIN, "args": args } }),
    )
    .expect("a WebDriver session on Lookout's window");
    (driver, session)
}

/// Prints the driver's and the app's log when the test fails.
pub struct ShowLogOnFailure(pub PathBuf);

impl Drop for ShowLogOnFailure {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.0).unwrap_or_default();
            eprintln!("--- tauri-driver and lookout-tray log ---\n{log}--- end of log ---");
        }
    }
}

/// A driven app's private files: home, runtime dir, its config (written from the text given),
/// data, and the driver's log (printed when the test fails).
pub struct AppDirs {
    _show_log: ShowLogOnFailure,
    pub dir: TempDir,
    pub home: PathBuf,
    pub runtime: PathBuf,
    pub config: PathBuf,
    pub log: PathBuf,
    lang: &'static str,
}

impl AppDirs {
    /// Files for an app that runs under the locale `lang` with `config` as its config.toml.
    pub fn new(lang: &'static str, config: &str) -> Self {
        let dir = TempDir::new().expect("temp dir");
        let home = dir.path().join("home");
        let runtime = dir.path().join("runtime");
        std::fs::create_dir_all(&home).expect("home");
        std::fs::create_dir_all(&runtime).expect("runtime dir");
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .expect("chmod runtime dir");
        let config_path = dir.path().join("config.toml");
        std::fs::write(&config_path, config).expect("write the config");
        let log = dir.path().join("driver-and-app.log");
        Self {
            _show_log: ShowLogOnFailure(log.clone()),
            dir,
            home,
            runtime,
            config: config_path,
            log,
            lang,
        }
    }

    /// The app's whole environment (tauri-driver passes it on): HOME, bus, display, locale
    /// and Lookout's paths.
    pub fn env(&self, bus: &SessionBus, display: &VirtualDisplay) -> Vec<(&'static str, OsString)> {
        vec![
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("DBUS_SESSION_BUS_ADDRESS", bus.address.clone().into()),
            ("DISPLAY", display.display.clone().into()),
            ("HOME", self.home.clone().into()),
            ("XDG_RUNTIME_DIR", self.runtime.clone().into()),
            ("NO_AT_BRIDGE", "1".into()),
            ("LANG", self.lang.into()),
            ("LOOKOUT_CONFIG", self.config.clone().into()),
            ("LOOKOUT_DATA_DIR", self.dir.path().join("data").into()),
            ("LOOKOUT_LOG", "info,tao=warn,wry=warn".into()),
        ]
    }
}
