//! Where the tray app writes its log, and the size-rotated file itself: an app started at
//! login has no terminal, so its log must land where the user (and `lookout status`) finds it.

use file_rotate::compression::Compression;
use file_rotate::suffix::AppendCount;
use file_rotate::{ContentLimit, FileRotate};
use std::path::{Path, PathBuf};

/// The current log's file name; older ones are `lookout.log.1` (newest) to `.4`.
pub const LOG_FILE: &str = "lookout.log";
/// A log file is rotated once it passes this size.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Rotated files kept besides the current one.
pub const KEEP: usize = 4;

/// `$XDG_STATE_HOME/lookout` (usually `~/.local/state/lookout`).
pub fn default_log_dir() -> Option<PathBuf> {
    dirs::state_dir().map(|d| d.join("lookout"))
}

/// The current log file in [`default_log_dir`].
pub fn default_log_path() -> Option<PathBuf> {
    default_log_dir().map(|d| d.join(LOG_FILE))
}

/// Opens (creating the directory, readable by the user only) the rotating log in `dir`.
pub fn open(dir: &Path) -> std::io::Result<FileRotate<AppendCount>> {
    crate::sys::private_fs::ensure_private_dir(dir)?;
    Ok(FileRotate::new(
        dir.join(LOG_FILE),
        AppendCount::new(KEEP),
        ContentLimit::BytesSurpassed(MAX_BYTES),
        Compression::None,
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn rotates_by_size_and_keeps_a_few_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let logs = dir.path().join("state/lookout");
        let mut log = open(&logs).expect("open the log");
        let line = vec![b'x'; 64 * 1024];
        for _ in 0..(MAX_BYTES / line.len() + 1) * (KEEP + 3) {
            log.write_all(&line).expect("write");
        }
        log.flush().expect("flush");
        let mut names: Vec<String> = std::fs::read_dir(&logs)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "lookout.log",
                "lookout.log.1",
                "lookout.log.2",
                "lookout.log.3",
                "lookout.log.4"
            ],
            "the current file and {KEEP} rotated ones"
        );
        for name in &names {
            let size = std::fs::metadata(logs.join(name)).expect("stat").len();
            assert!(
                size <= (MAX_BYTES + line.len()) as u64,
                "{name} is {size} bytes: rotated by size"
            );
        }
    }
}
