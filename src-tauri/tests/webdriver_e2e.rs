//! The real `lookout-tray` and its real window (WebKitGTK), driven by tauri-driver over W3C
//! WebDriver under Xvfb, with a private session bus, a tray host, dunst and an unlocked
//! gnome-keyring: live values, a config change saved from the window, autostart from the
//! window, and a rule forced to fire reaching dunst and the tray. The Korean desktop is
//! webdriver_korean.rs.
#![allow(clippy::expect_used)]

mod common;

use common::driven::{drive, go, screenshot, status, text, until, AppDirs, BIN};
use common::tray::TrayItem;
use common::{wait_until, Dunst, GnomeKeyring, SessionBus, TrayHost, VirtualDisplay};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The rule the test edits: memory in use at or above 100 % never holds, so it starts quiet;
/// with threshold 0 it holds at every sample and fires once its 3 s window is covered.
const RULE: &str = "Memory in use";
const CONFIG: &str = r#"version = 1

[sampling]
interval = "1s"

[desktop]
enabled = true

[email]
enabled = false

[[apps]]
name = "dunst"
match = { process = "dunst" }

[[rules]]
name = "Memory in use"
metric = "mem.used_pct"
aggregate = "all"
window = "3s"
op = ">="
threshold = 100
severity = "critical"
"#;

/// The threshold of [`RULE`] in the config file on disk.
fn threshold_on_disk(config: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(config).ok()?;
    let doc: toml::Table = text.parse().ok()?;
    doc.get("rules")?
        .as_array()?
        .iter()
        .find(|r| r.get("name").and_then(|n| n.as_str()) == Some(RULE))?
        .get("threshold")
        .and_then(|t| t.as_float().or_else(|| t.as_integer().map(|i| i as f64)))
}

#[test]
fn the_real_window_shows_live_values_saves_config_toggles_autostart_and_fires() {
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    DISPLAY
        .set(display.display.clone())
        .expect("one test sets the display");
    // Unlocked before any webview starts: WebKit would otherwise wait on a locked keyring.
    let _keyring = GnomeKeyring::start(&bus);
    let _tray_host = TrayHost::start(&bus, &display);
    let dunst = Dunst::start(&bus, &display);

    let app = AppDirs::new("C.UTF-8", CONFIG);
    let (home, config, log) = (&app.home, &app.config, &app.log);
    let autostart_entry = home.join(".config/autostart/Lookout.desktop");
    let env = app.env(&bus, &display);
    let (_driver, session) = drive(&env, log, &["--open"]);

    // The window is the real one, talking to this Lookout.
    assert_eq!(
        session
            .execute("return typeof window.__TAURI_INTERNALS__")
            .expect("script"),
        json!("object"),
        "the page runs inside Tauri"
    );
    let first = until("the live CPU value", || {
        text(&session, "live-cpu").map(|t| t.filter(|t| t.ends_with('%')))
    });
    let cpu: f64 = first
        .trim_end_matches('%')
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("live CPU '{first}' is not a number: {e}"));
    assert!((0.0..=100.0).contains(&cpu), "CPU is a percentage: {cpu}");
    assert_eq!(
        text(&session, "backend-kind").expect("script"),
        None,
        "the window is connected to Lookout, not showing demo data"
    );
    let before = until("the status", || status(&session));
    assert_eq!(
        before["config_path"],
        json!(config.to_string_lossy()),
        "the app reads the test's config: {before}"
    );
    assert_eq!(before["overall"], json!("ok"), "quiet at first: {before}");

    let item = TrayItem::wait_for(&bus);
    // The whole screen above the tray bar, for the screenshots.
    session
        .set_window_rect(0, 0, 1280, 760)
        .expect("resize the window");
    let icon_ok = item.property("IconName");

    // Live charts: a few ticks in, every chart has a canvas and the values move on.
    until("the charts drawn", || {
        session
            .execute("return document.querySelectorAll('.spark canvas').length")
            .map(|n| (n.as_u64().unwrap_or(0) > 2).then_some(()))
            .map_err(|e| e.to_string())
    });
    until("the CPU value to change", || {
        text(&session, "live-cpu").map(|t| t.filter(|t| *t != first))
    });
    // The watched app: the test's dunst, running, with its figures.
    let running = until("the dunst watch running", || {
        text(&session, "watch-running").map(|t| t.filter(|t| t.contains('1')))
    });
    assert!(running.contains('1'), "one dunst: {running}");
    let memory = until("the watch's memory", || {
        text(&session, "watch-memory").map(|t| t.filter(|t| t.chars().any(|c| c.is_ascii_digit())))
    });
    assert!(
        memory.contains("MiB") || memory.contains("KiB") || memory.contains("MB"),
        "{memory}"
    );
    std::thread::sleep(Duration::from_secs(8)); // let the charts fill a little for the picture
    screenshot(&session, &display, "overview");
    // The dark theme chosen in the window (kept by the page), then back to the system's.
    session
        .execute("localStorage.setItem('lookout.theme', 'dark'); location.reload(); return null;")
        .expect("choose the dark theme");
    until("the dark theme after the reload", || {
        session
            .execute("return document.documentElement.dataset.theme === 'dark' && document.querySelectorAll('.spark canvas').length > 2")
            .map(|v| (v == json!(true)).then_some(()))
            .map_err(|e| e.to_string())
    });
    std::thread::sleep(Duration::from_secs(2)); // the charts take in a tick or two
    screenshot(&session, &display, "overview-dark");
    session
        .execute("localStorage.removeItem('lookout.theme'); location.reload(); return null;")
        .expect("back to the system's theme");
    until("the live CPU value after the reload", || {
        text(&session, "live-cpu").map(|t| t.filter(|t| t.ends_with('%')))
    });

    // Autostart from the window: the entry on disk follows the check box.
    go(&session, "settings");
    let toggle = until("the autostart check box", || {
        Ok(session.find("[data-testid=\"autostart\"]").ok())
    });
    assert!(!autostart_entry.exists(), "no autostart entry at first");
    session
        .click(&toggle)
        .expect("click 'Start Lookout at login'");
    wait_until("the autostart entry is written", || {
        autostart_entry.exists()
    });
    let entry = std::fs::read_to_string(&autostart_entry).expect("read the entry");
    assert!(
        entry.contains("Exec=") && entry.contains("lookout-tray"),
        "the entry starts Lookout:\n{entry}"
    );
    assert!(
        session.is_selected(&toggle).expect("read the check box"),
        "the check box shows autostart on"
    );
    session.click(&toggle).expect("click it again");
    wait_until("the autostart entry is removed", || {
        !autostart_entry.exists()
    });

    // A config change made in the window lands in config.toml: the rule's threshold to 0.
    go(&session, "rules");
    let field = until("the threshold field", || {
        Ok(session.find("[data-testid=\"rule-threshold\"]").ok())
    });
    assert_eq!(threshold_on_disk(config), Some(100.0), "threshold before");
    session.clear(&field).expect("clear the threshold");
    session.send_keys(&field, "0").expect("type the threshold");
    // Before saving, the draft is replayed over the recorded history: memory was always at
    // or above 0 %, so the preview says it would have fired.
    // (The preview of the saved rule, threshold 100, said it would not have fired.)
    let preview = until("the draft's backtest preview", || {
        text(&session, "rule-preview-sentence").map(|t| {
            t.filter(|t| t.starts_with("Would have fired") || t.starts_with("Would already"))
        })
    });
    assert!(
        !preview.contains("not have"),
        "the preview says the draft would have fired: {preview}"
    );
    screenshot(&session, &display, "rule-preview");
    let save = session.find("[data-testid=\"save\"]").expect("Save");
    session.click(&save).expect("click Save");
    until("the save confirmation", || {
        text(&session, "save-confirmation")
    });
    assert_eq!(
        threshold_on_disk(config),
        Some(0.0),
        "the saved threshold is in the file:\n{}",
        std::fs::read_to_string(config).unwrap_or_default()
    );

    // Now the rule holds at every sample: it fires, dunst shows it, the state turns critical.
    let firing = until("the status to turn critical", || {
        status(&session).map(|s| s.filter(|s| s["overall"] == json!("critical")))
    });
    assert_eq!(
        firing["firing"],
        json!([RULE]),
        "the firing rule is named: {firing}"
    );
    until("the notification on screen", || {
        Ok(dunst
            .ctl(&["count", "displayed"])
            .filter(|n| n.trim() != "0"))
    });
    wait_until("the tray icon to change", || {
        item.property("IconName") != icon_ok
    });
    go(&session, "overview");
    until("the firing state in the window", || {
        text(&session, "nav-overall").map(|t| t.filter(|t| !t.contains("All clear")))
    });
    // The memory chart shades the firing period, and lists it for screen readers.
    let shaded = until("the firing period shaded on the memory chart", || {
        session
            .execute(
                "const card = document.querySelector('[data-testid=\"live-mem\"]')?.closest('section');\
                 const chart = card?.querySelector('[data-firing-periods]');\
                 return chart && Number(chart.dataset.firingPeriods) > 0\
                   ? card.querySelector('[data-testid=\"firing-periods\"]')?.textContent ?? '' : null;",
            )
            .map(|v| v.as_str().map(str::to_owned))
            .map_err(|e| e.to_string())
    });
    assert!(shaded.contains(RULE), "the period names the rule: {shaded}");
    std::thread::sleep(Duration::from_secs(2));
    screenshot(&session, &display, "overview-firing");
    // The alert log names the processes using the most memory, the largest first.
    go(&session, "alerts");
    let rows = until("the culprits of the memory alert", || {
        session
            .execute("return document.querySelectorAll('[data-testid=\"culprit-row\"]').length")
            .map(|n| n.as_u64().filter(|n| *n > 0))
            .map_err(|e| e.to_string())
    });
    assert!(rows <= 5, "at most five culprits: {rows}");
    screenshot(&session, &display, "alerts-firing");

    // The log saved as CSV lands in the download directory.
    let downloads = home.join("Downloads");
    let export = session
        .find("[data-testid=\"export-csv\"]")
        .expect("the export button");
    session.click(&export).expect("click Export CSV");
    let csv = until("the CSV file in ~/Downloads", || {
        Ok(std::fs::read_dir(&downloads).ok().and_then(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == "csv"))
                .and_then(|p| std::fs::read_to_string(p).ok())
                .filter(|text| text.lines().count() >= 2)
        }))
    });
    assert!(
        csv.lines().nth(1).is_some_and(|row| row.contains(RULE)),
        "the file holds the alert:\n{csv}"
    );

    // A click on the notification ("Open") shows that alert's entry in the window.
    go(&session, "overview");
    dunst.click();
    let hash = until("the window on the alert's entry", || {
        session
            .execute("return location.hash")
            .map(|h| {
                h.as_str()
                    .filter(|h| h.starts_with("#/alerts/"))
                    .map(str::to_owned)
            })
            .map_err(|e| e.to_string())
    });
    let id = hash.trim_start_matches("#/alerts/").to_owned();
    until("the entry marked", || {
        session
            .execute("return document.querySelector('[data-testid=\"alert-row\"][aria-current=\"true\"]')?.dataset.alertId ?? null")
            .map(|v| v.as_str().map(str::to_owned))
            .map_err(|e| e.to_string())
    });
    let marked = session
        .execute("return document.querySelector('[aria-current=\"true\"][data-testid=\"alert-row\"]').dataset.alertId")
        .expect("script");
    assert_eq!(
        marked,
        json!(id),
        "the entry the notification named is marked"
    );
    let history = dunst.close_all_and_history();
    assert!(
        history
            .iter()
            .any(|n| n.appname == "Lookout" && n.summary == format!("Critical: {RULE}")),
        "dunst's history holds Lookout's notification: {history:?}"
    );

    // Closing the window (as a window manager does) leaves no WebKit process behind, and a
    // second launch opens a working window again: WebKit starts a new network process.
    let app = app_pid(config);
    assert!(
        !webkit_children(app).is_empty(),
        "the open window runs WebKit processes under lookout-tray ({app})"
    );
    assert_eq!(
        x11_window("close", "Lookout"),
        1,
        "one Lookout window to close"
    );
    until("the window's WebKit processes to end", || {
        let left = webkit_children(app);
        if left.is_empty() {
            Ok(Some(()))
        } else {
            Err(format!("still running: {left:?}"))
        }
    });
    assert_eq!(x11_window("count", "Lookout"), 0, "the window is gone");
    let second = Command::new(BIN)
        .arg("--open")
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("a second lookout-tray runs");
    assert!(
        second.status.success(),
        "the second launch hands over and exits: {second:?}"
    );
    until("the reopened window's WebKit processes", || {
        let names: Vec<String> = webkit_children(app).into_iter().map(|(_, n)| n).collect();
        Ok((names.iter().any(|n| n == "WebKitWebProcess")
            && names.iter().any(|n| n == "WebKitNetworkProcess"))
        .then_some(()))
    });
    wait_until("the reopened window on the screen", || {
        x11_window("count", "Lookout") == 1
    });
}

/// Runs tests/rig/x11_window.py (python3-xlib) on the test's display: `count` or `close` the
/// windows titled `title`; the number it found.
fn x11_window(action: &str, title: &str) -> u32 {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/rig/x11_window.py");
    let out = Command::new("/usr/bin/python3")
        .arg(&script)
        .args([action, title])
        .env("DISPLAY", DISPLAY.get().expect("the display is set"))
        .output()
        .expect("python3 runs x11_window.py");
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim().parse().unwrap_or_else(|e| {
        panic!(
            "x11_window.py {action} said {text:?} ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The display x11_window.py talks to (set once the test has started Xvfb).
static DISPLAY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The PID of the lookout-tray that WebKitWebDriver started with `config`.
fn app_pid(config: &Path) -> u32 {
    let bin = std::fs::canonicalize(BIN).expect("the binary's path");
    let marker = format!("LOOKOUT_CONFIG={}", config.display());
    std::fs::read_dir("/proc")
        .expect("read /proc")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            let proc = PathBuf::from(format!("/proc/{pid}"));
            std::fs::read_link(proc.join("exe")).ok().as_ref() == Some(&bin)
                && std::fs::read(proc.join("environ"))
                    .map(|env| env.split(|&b| b == 0).any(|kv| kv == marker.as_bytes()))
                    .unwrap_or(false)
        })
        .expect("lookout-tray is running with the test's config")
}

/// The WebKit processes among `pid`'s children: (PID, program name).
fn webkit_children(pid: u32) -> Vec<(u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|child| {
            let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).ok()?;
            let ppid: u32 = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            let cmdline = std::fs::read(format!("/proc/{child}/cmdline")).ok()?;
            let argv0 = String::from_utf8_lossy(cmdline.split(|&b| b == 0).next()?).into_owned();
            let name = Path::new(&argv0)
                .file_name()?
                .to_string_lossy()
                .into_owned();
            (ppid == pid && name.starts_with("WebKit")).then_some((child, name))
        })
        .collect()
}
