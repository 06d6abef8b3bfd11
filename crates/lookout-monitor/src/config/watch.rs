//! Follows hand edits of the config file while Lookout runs: the file's directory is watched
//! with inotify from a thread of its own, blocked in `poll` (so it costs nothing while nothing
//! changes) until an edit or the shutdown signal. The monitor applies a changed, valid file
//! like a save from the window; an invalid one is logged and shown in the status, and Lookout
//! keeps running on the config it has.

use crate::config::file::{load_config, ConfigFileError};
use crate::sys::Shutdown;
use lookout_core::ValidConfig;
use std::ffi::OsStr;
use std::path::Path;
use std::thread::JoinHandle;
use std::time::Duration;

/// Editors write in bursts (truncate, write, rename): the file is read once they are done.
const SETTLE: Duration = Duration::from_millis(200);

/// What a reading of the edited file gave.
pub type Edit = Result<ValidConfig, ConfigFileError>;

/// Follows the file at `path` until `shutdown`: after each settled change in its directory
/// that concerns it, `on_edit` gets the file read again (valid or not). Ends early when the
/// directory goes. Errors when the directory cannot be watched.
pub fn follow(
    path: &Path,
    shutdown: &Shutdown,
    on_edit: impl FnMut(Edit) + Send + 'static,
) -> std::io::Result<JoinHandle<()>> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} names no file in a directory", path.display()),
        ));
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let watcher = Watcher::new(dir, shutdown)?;
    let name = name.to_owned();
    let path = path.to_path_buf();
    std::thread::Builder::new()
        .name("lookout-config".into())
        .spawn(move || watcher.run(&name, &path, on_edit))
}

#[cfg(target_os = "linux")]
struct Watcher {
    inotify: rustix::fd::OwnedFd,
    /// Made readable by the shutdown signal, so the thread wakes and ends.
    stop: std::sync::Arc<rustix::fd::OwnedFd>,
}

#[cfg(target_os = "linux")]
impl Watcher {
    fn new(dir: &Path, shutdown: &Shutdown) -> std::io::Result<Self> {
        use rustix::event::{eventfd, EventfdFlags};
        use rustix::fs::inotify::{add_watch, init, CreateFlags, WatchFlags};
        let inotify = init(CreateFlags::CLOEXEC | CreateFlags::NONBLOCK)?;
        // Written in place (CLOSE_WRITE) or replaced by a rename (MOVED_TO), as Lookout's own
        // saves and most editors do.
        add_watch(
            &inotify,
            dir,
            WatchFlags::CLOSE_WRITE | WatchFlags::MOVED_TO,
        )?;
        let stop = std::sync::Arc::new(eventfd(0, EventfdFlags::CLOEXEC)?);
        let waker = stop.clone();
        shutdown.on_trigger(move || {
            let _ = rustix::io::write(&*waker, &1u64.to_ne_bytes());
        });
        Ok(Self { inotify, stop })
    }

    /// Blocks in `poll` until the directory changes or shutdown; costs nothing meanwhile.
    fn run(self, name: &OsStr, path: &Path, mut on_edit: impl FnMut(Edit)) {
        use rustix::event::{poll, PollFd, PollFlags};
        use rustix::fs::inotify::ReadFlags;
        use std::mem::MaybeUninit;
        use std::os::unix::ffi::OsStrExt;
        let mut buf = [MaybeUninit::<u8>::uninit(); 4096];
        let mut events = rustix::fs::inotify::Reader::new(&self.inotify, &mut buf);
        loop {
            let mut fds = [
                PollFd::new(&self.inotify, PollFlags::IN),
                PollFd::new(&*self.stop, PollFlags::IN),
            ];
            match poll(&mut fds, None) {
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "stopped following config file edits");
                    return;
                }
            }
            if !fds[1].revents().is_empty() {
                return;
            }
            let mut reload = false;
            loop {
                match events.next() {
                    Ok(event) => match Seen::of(
                        event.events().contains(ReadFlags::QUEUE_OVERFLOW),
                        event.events().contains(ReadFlags::IGNORED),
                        event.file_name().map(|f| f.to_bytes()),
                        name.as_bytes(),
                    ) {
                        Seen::Other => {}
                        Seen::Config => reload = true,
                        Seen::Gone => {
                            tracing::warn!(
                                "the config directory is gone; edits apply after a restart"
                            );
                            return;
                        }
                    },
                    Err(rustix::io::Errno::INTR) => {}
                    Err(rustix::io::Errno::AGAIN) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "stopped following config file edits");
                        return;
                    }
                }
            }
            if reload {
                std::thread::sleep(SETTLE);
                on_edit(load_config(path));
            }
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
    fn new(_dir: &Path, _shutdown: &Shutdown) -> std::io::Result<Self> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "following config file edits needs inotify (Linux)",
        ))
    }

    fn run(self, _name: &OsStr, _path: &Path, _on_edit: impl FnMut(Edit)) {}
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
