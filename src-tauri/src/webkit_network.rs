//! WebKit's network process, ended once no window is open (WebKitGTK keeps it for the app's life).

// WebKitGTK starts a network process with the first webview and never ends it: it outlives
// every webview and even the WebKitWebContext (tauri-apps/wry#590). So tauri-runtime-wry keeps
// the app's WebContext for the app's lifetime on Linux, making reopened windows reuse that one
// process instead of piling up new ones (tauri-apps/tauri#14626, #14628). For a tray app that
// opens its window now and then, that is a WebKit process alive for good after the first look.
// WebKitGTK has no API to end it, but it starts a new network process on demand when the old
// one has gone (the path it takes after a crash). So once the last window is gone and its web
// process has exited, Lookout ends the network process itself; the next window starts a new one.

use std::path::Path;
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};

/// WebKit's helper processes, by executable name.
pub const NETWORK_PROCESS: &str = "WebKitNetworkProcess";
pub const WEB_PROCESS: &str = "WebKitWebProcess";

/// How long the closed page's web process gets to exit before the network process is ended
/// anyway (a web process that is still closing may need it).
const WEB_PROCESS_EXIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(100);

/// Call when a window was destroyed: once its web process has exited, ends the network process
/// if no webview is left. Returns at once; the waiting happens on the runtime.
pub fn end_when_idle<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let deadline = tokio::time::Instant::now() + WEB_PROCESS_EXIT;
        while !children_named(WEB_PROCESS).is_empty() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(POLL).await;
        }
        let handle = app.clone();
        // Checked and done on the main thread, where webviews are created: no window can
        // appear between the check and the signal.
        let ended = app.run_on_main_thread(move || {
            if handle.webview_windows().is_empty() {
                end_network_processes();
            }
        });
        if let Err(e) = ended {
            tracing::warn!(error = %e, "cannot reach the GUI thread to end WebKit's network process");
        }
    });
}

/// Sends SIGTERM to this process's WebKit network processes.
fn end_network_processes() {
    for pid in children_named(NETWORK_PROCESS) {
        match terminate_child(pid, NETWORK_PROCESS) {
            Ok(()) => tracing::info!(pid, "no window is open: ended WebKit's network process"),
            Err(e) => tracing::warn!(pid, error = %e, "cannot end WebKit's network process"),
        }
    }
}

/// Signals `pid` through a pidfd, after checking through that pidfd's process that it still is
/// our child named `name` (so a recycled PID is never signalled).
fn terminate_child(pid: u32, name: &str) -> std::io::Result<()> {
    use rustix::process::{pidfd_open, pidfd_send_signal, Pid, PidfdFlags, Signal};
    let raw = i32::try_from(pid)
        .ok()
        .and_then(Pid::from_raw)
        .ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("bad PID '{pid}'"))
        })?;
    let pidfd = pidfd_open(raw, PidfdFlags::empty())?;
    if !is_child_named(Path::new("/proc"), pid, name) {
        return Ok(()); // gone meanwhile: nothing to end
    }
    pidfd_send_signal(&pidfd, Signal::TERM)?;
    Ok(())
}

/// This process's children whose executable is called `name`.
pub fn children_named(name: &str) -> Vec<u32> {
    children_named_in(Path::new("/proc"), std::process::id(), name)
}

fn children_named_in(proc: &Path, parent: u32, name: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir(proc) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| {
            parent_of(proc, pid) == Some(parent) && exe_name(proc, pid).as_deref() == Some(name)
        })
        .collect()
}

fn is_child_named(proc: &Path, pid: u32, name: &str) -> bool {
    parent_of(proc, pid) == Some(std::process::id()) && exe_name(proc, pid).as_deref() == Some(name)
}

/// The parent PID from `/proc/PID/stat`.
fn parent_of(proc: &Path, pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(proc.join(pid.to_string()).join("stat")).ok()?;
    parent_from_stat(&stat)
}

/// `PID (comm) STATE PPID ...`: the command name may hold spaces and parentheses, so the
/// fields are counted from its last `)`.
fn parent_from_stat(stat: &str) -> Option<u32> {
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// The file name of the program the process runs (its `argv[0]`, as WebKit starts it with
/// the full path; `comm` would cut "WebKitNetworkProcess" to 15 characters).
fn exe_name(proc: &Path, pid: u32) -> Option<String> {
    let cmdline = std::fs::read(proc.join(pid.to_string()).join("cmdline")).ok()?;
    let argv0 = cmdline.split(|&b| b == 0).next()?;
    let argv0 = std::str::from_utf8(argv0).ok()?;
    Path::new(argv0).file_name()?.to_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parent_is_read_after_the_last_parenthesis() {
        assert_eq!(
            parent_from_stat("4242 (WebKitNetworkPr) S 4100 4100 4100 0 -1 4194560"),
            Some(4100),
            "plain command name"
        );
        assert_eq!(
            parent_from_stat("77 (a) b (c) R 12 77 77 0"),
            Some(12),
            "a command name with spaces and parentheses"
        );
        assert_eq!(parent_from_stat("garbage"), None, "not a stat line");
    }

    #[test]
    fn children_are_found_by_parent_and_program_name() {
        let proc = tempfile::TempDir::new().expect("temp dir");
        let fake = |pid: u32, ppid: u32, argv0: &str| {
            let dir = proc.path().join(pid.to_string());
            std::fs::create_dir_all(&dir).expect("pid dir");
            std::fs::write(dir.join("stat"), format!("{pid} (x) S {ppid} 1 1 0")).expect("stat");
            std::fs::write(dir.join("cmdline"), format!("{argv0}\0arg\0")).expect("cmdline");
        };
        let webkit = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/";
        fake(10, 1, "/usr/bin/lookout-tray");
        fake(11, 10, &format!("{webkit}WebKitNetworkProcess"));
        fake(12, 10, &format!("{webkit}WebKitWebProcess"));
        fake(13, 99, &format!("{webkit}WebKitNetworkProcess"));
        std::fs::create_dir_all(proc.path().join("self")).expect("non-numeric entry");

        assert_eq!(
            children_named_in(proc.path(), 10, NETWORK_PROCESS),
            vec![11],
            "only our own network process, not another app's"
        );
        assert_eq!(
            children_named_in(proc.path(), 10, WEB_PROCESS),
            vec![12],
            "the web process"
        );
        assert!(
            children_named_in(proc.path(), 11, NETWORK_PROCESS).is_empty(),
            "a process without children has none"
        );
    }
}
