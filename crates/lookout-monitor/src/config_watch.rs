//! Follows hand edits of the config file while Lookout runs: the file's directory is watched
//! with inotify from a thread of its own, blocked in `read` (so it costs nothing while nothing
//! changes). A changed, valid file is applied like a save from the window; an invalid one is
//! logged and shown in the status, and Lookout keeps running on the config it has.

use crate::config_file::{load_config, ConfigFileError};
use crate::daemon::{lock, MonitorHandle};
use std::ffi::OsStr;
use std::sync::Weak;
use std::time::Duration;

/// Editors write in bursts (truncate, write, rename): the file is read once they are done.
const SETTLE: Duration = Duration::from_millis(200);

/// Starts following the config file of `handle`. The thread ends at the first change in the
/// directory after the monitor is gone, or when the directory goes. Errors when the directory
/// cannot be watched.
pub fn watch(handle: &MonitorHandle, runtime: tokio::runtime::Handle) -> std::io::Result<()> {
    let path = handle.config_path().to_path_buf();
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} names no file in a directory", path.display()),
        ));
    };
    let dir = if dir.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        dir
    };
    let watcher = Watcher::new(dir)?;
    let name = name.to_owned();
    let monitor = std::sync::Arc::downgrade(&handle.inner);
    std::thread::Builder::new()
        .name("lookout-config".into())
        .spawn(move || watcher.run(&name, &monitor, &runtime))?;
    Ok(())
}

#[cfg(target_os = "linux")]
struct Watcher {
    fd: rustix::fd::OwnedFd,
}

#[cfg(target_os = "linux")]
impl Watcher {
    fn new(dir: &std::path::Path) -> std::io::Result<Self> {
        use rustix::fs::inotify::{add_watch, init, CreateFlags, WatchFlags};
        let fd = init(CreateFlags::CLOEXEC)?;
        // Written in place (CLOSE_WRITE) or replaced by a rename (MOVED_TO), as Lookout's own
        // saves and most editors do.
        add_watch(&fd, dir, WatchFlags::CLOSE_WRITE | WatchFlags::MOVED_TO)?;
        Ok(Self { fd })
    }

    fn run(
        self,
        name: &OsStr,
        monitor: &Weak<crate::daemon::Inner>,
        runtime: &tokio::runtime::Handle,
    ) {
        use rustix::fs::inotify::ReadFlags;
        use std::mem::MaybeUninit;
        use std::os::unix::ffi::OsStrExt;
        let mut buf = [MaybeUninit::<u8>::uninit(); 4096];
        let mut events = rustix::fs::inotify::Reader::new(&self.fd, &mut buf);
        loop {
            let seen = match events.next() {
                Ok(event) => Seen::of(
                    event.events().contains(ReadFlags::QUEUE_OVERFLOW),
                    event.events().contains(ReadFlags::IGNORED),
                    event.file_name().map(|f| f.to_bytes()),
                    name.as_bytes(),
                ),
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "stopped following config file edits");
                    return;
                }
            };
            if monitor.strong_count() == 0 {
                return;
            }
            match seen {
                Seen::Other => continue,
                Seen::Gone => {
                    tracing::warn!("the config directory is gone; edits apply after a restart");
                    return;
                }
                Seen::Config => {}
            }
            std::thread::sleep(SETTLE);
            let Some(inner) = monitor.upgrade() else {
                return;
            };
            reload(&MonitorHandle { inner }, runtime);
        }
    }
}

/// What one inotify event means for the config file.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    /// The config file was written or replaced, or events were lost (the queue overflowed):
    /// read it again.
    Config,
    /// Another file in the directory.
    Other,
    /// The watch ended (the directory was deleted or unmounted).
    Gone,
}

impl Seen {
    fn of(overflow: bool, ignored: bool, file: Option<&[u8]>, config: &[u8]) -> Self {
        if ignored {
            Self::Gone
        } else if overflow || file == Some(config) {
            Self::Config
        } else {
            Self::Other
        }
    }
}

/// Elsewhere the file is read at start and saved from the window; hand edits need a restart.
#[cfg(not(target_os = "linux"))]
struct Watcher;

#[cfg(not(target_os = "linux"))]
impl Watcher {
    fn new(_dir: &std::path::Path) -> std::io::Result<Self> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "following config file edits needs inotify (Linux)",
        ))
    }

    fn run(
        self,
        _name: &OsStr,
        _monitor: &Weak<crate::daemon::Inner>,
        _runtime: &tokio::runtime::Handle,
    ) {
    }
}

/// Reads the file again and applies it when it differs from the running config.
fn reload(handle: &MonitorHandle, runtime: &tokio::runtime::Handle) {
    match load_config(handle.config_path()) {
        // Lookout's own save, or a write that changed nothing.
        Ok(valid) if valid.config == handle.config() => {
            lock(&handle.inner.shared).config_error = None;
        }
        Ok(valid) => match runtime.block_on(handle.apply_config(valid)) {
            Ok(()) => {
                tracing::info!(path = %handle.config_path().display(), "config file edited: applied")
            }
            Err(e) => tracing::error!(error = %e, "cannot apply the edited config file"),
        },
        Err(e @ ConfigFileError::Invalid { .. }) => {
            let report = e.to_string();
            tracing::error!("{report}");
            tracing::warn!(
                "the edited config file has problems; still running on the last valid config"
            );
            lock(&handle.inner.shared).config_error = Some(report);
        }
        // Between an editor's delete and its write: the next event brings the file back.
        Err(e) => tracing::warn!(error = %e, "cannot read the edited config file"),
    }
}

#[cfg(test)]
mod tests {
    use super::Seen;

    #[test]
    fn only_the_config_file_and_lost_events_cause_a_reload() {
        let config = b"config.toml".as_slice();
        assert_eq!(Seen::of(false, false, Some(config), config), Seen::Config);
        assert_eq!(
            Seen::of(false, false, Some(b".config.toml.tmp".as_slice()), config),
            Seen::Other,
            "an editor's or Lookout's temporary file"
        );
        assert_eq!(
            Seen::of(false, false, Some(b"notes.toml".as_slice()), config),
            Seen::Other
        );
        assert_eq!(
            Seen::of(false, false, None, config),
            Seen::Other,
            "the directory itself"
        );
        assert_eq!(
            Seen::of(true, false, None, config),
            Seen::Config,
            "events were lost"
        );
        assert_eq!(Seen::of(false, true, None, config), Seen::Gone);
    }
}
