//! The data-directory lock: one monitor per data directory, released even on `kill -9`.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// The lock file's name inside the data directory; it holds the holder's PID.
pub const LOCK_FILE: &str = "lookout.lock";

/// Why the data directory could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another Lookout{} is using '{}'; stop it first", pid_text(*.pid), .dir.display())]
    Held {
        dir: PathBuf,
        /// The holder's PID as it wrote it, if it got that far.
        pid: Option<u32>,
    },
    #[error("cannot {action} '{path}': {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

fn pid_text(pid: Option<u32>) -> String {
    pid.map(|p| format!(" (PID {p})")).unwrap_or_default()
}

/// Exclusive use of a data directory, held until dropped or until the process ends.
///
/// An advisory `flock` on `<dir>/lookout.lock`: the kernel drops it when the file is closed,
/// so a crashed or killed holder never leaves a stale lock. The file is not deleted on
/// release (deleting would let two processes lock two different files of the same name);
/// the PID inside is only read while somebody holds the lock.
#[derive(Debug)]
pub struct DataDirLock {
    dir: PathBuf,
    // Keeps the lock: closing the file releases it.
    _file: File,
}

impl DataDirLock {
    /// Locks `dir` (creating it if needed) and records this process's PID in the lock file.
    /// Fails at once, naming the holder's PID, if another process (or another
    /// `DataDirLock` in this one) holds it.
    pub fn acquire(dir: &Path) -> Result<Self, LockError> {
        let io = |action, path: &Path| {
            let path = path.to_path_buf();
            move |source| LockError::Io {
                action,
                path,
                source,
            }
        };
        crate::sys::private_fs::ensure_private_dir(dir)
            .map_err(io("create the data directory", dir))?;
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false) // the holder's PID must survive a contender opening the file
            .mode(crate::sys::private_fs::FILE_MODE)
            .open(&path)
            .map_err(io("open the lock file", &path))?;
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(errno) if errno == rustix::io::Errno::WOULDBLOCK => {
                return Err(LockError::Held {
                    dir: dir.to_path_buf(),
                    pid: read_pid(&mut file),
                });
            }
            Err(errno) => return Err(io("lock", &path)(errno.into())),
        }
        let write_pid = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            writeln!(file, "{}", std::process::id())?;
            file.sync_data()
        };
        write_pid(&mut file).map_err(io("write the PID into", &path))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            _file: file,
        })
    }

    /// The locked data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Who holds `dir`, without creating or writing anything: `None` when no monitor runs,
    /// `Some(pid)` when one does (the PID when it could be read).
    pub fn holder(dir: &Path) -> Option<Option<u32>> {
        let mut file = File::open(dir.join(LOCK_FILE)).ok()?;
        // A shared lock is refused while a monitor holds the exclusive one; it writes nothing.
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockShared) {
            Ok(()) => {
                let _ = rustix::fs::flock(&file, rustix::fs::FlockOperation::Unlock);
                None
            }
            Err(_) => Some(read_pid(&mut file)),
        }
    }
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
