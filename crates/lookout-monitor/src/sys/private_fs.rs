//! Files only the user can read: Lookout's directories are 0700, files holding alerts or
//! account data 0600, and files are replaced atomically through a unique temp file.

use std::fs::{self, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Mode of Lookout's directories.
pub const DIR_MODE: u32 = 0o700;
/// Mode of files Lookout creates.
pub const FILE_MODE: u32 = 0o600;
/// How many symlinks deep a path is followed before giving up (as the kernel does).
const MAX_LINKS: usize = 40;

/// Creates `dir` (and missing parents) as 0700. An existing directory of this user's that
/// others can enter is tightened to 0700: Lookout's data directory holds the alert log and
/// outbox.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)?;
    tighten(dir, DIR_MODE)
}

/// Creates `path` empty as 0600 if it is missing, and tightens an existing file of this
/// user's to 0600. SQLite gives its `-wal` and `-shm` files the database file's mode.
pub fn ensure_private_file(path: &Path) -> io::Result<()> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => tighten(path, FILE_MODE),
        Err(e) => Err(e),
    }
}

fn tighten(path: &Path, mode: u32) -> io::Result<()> {
    let meta = fs::metadata(path)?;
    let ours = meta.uid() == rustix::process::geteuid().as_raw();
    if ours && meta.mode() & 0o077 != 0 {
        fs::set_permissions(path, Permissions::from_mode(mode))?;
    }
    Ok(())
}

/// Replaces `path` with `contents` so that a crash leaves the old file or the new one, never a
/// torn one: a fresh temp file beside it (created with `O_EXCL` under a random name), fsync,
/// rename, fsync of the directory. A symlink (even a dangling one) is written through to its
/// target; an existing file keeps its mode, a new one is 0600.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let target = resolve_links(path)?;
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.exists() {
        ensure_private_dir(dir)?;
    }
    let mode = fs::metadata(&target)
        .map(|m| m.mode() & 0o7777)
        .unwrap_or(FILE_MODE);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    // Set after creation: the umask does not apply to fchmod.
    tmp.as_file()
        .set_permissions(Permissions::from_mode(mode))?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    fs::File::open(dir)?.sync_all()
}

/// `path` with its symlinks followed to the file they name, which need not exist yet.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "'{}' goes through more than {MAX_LINKS} symbolic links; name the file itself",
            path.display()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path).expect("stat").mode() & 0o7777
    }

    #[test]
    fn directories_are_created_and_tightened_to_0700() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("a/b");
        ensure_private_dir(&dir).expect("created");
        assert_eq!(mode_of(&dir), 0o700, "new directory");
        fs::set_permissions(&dir, Permissions::from_mode(0o755)).expect("chmod");
        ensure_private_dir(&dir).expect("exists");
        assert_eq!(mode_of(&dir), 0o700, "an old 0755 directory is tightened");
    }

    #[test]
    fn files_are_created_and_tightened_to_0600() {
        let root = tempfile::tempdir().expect("tempdir");
        let path = root.path().join("lookout.db");
        ensure_private_file(&path).expect("created");
        assert_eq!(mode_of(&path), 0o600, "new file");
        fs::set_permissions(&path, Permissions::from_mode(0o644)).expect("chmod");
        ensure_private_file(&path).expect("exists");
        assert_eq!(mode_of(&path), 0o600, "an old 0644 file is tightened");
    }

    #[test]
    fn a_new_file_is_0600_and_an_existing_one_keeps_its_mode() {
        let root = tempfile::tempdir().expect("tempdir");
        let path = root.path().join("config.toml");
        write_atomic(&path, b"one").expect("first write");
        assert_eq!(mode_of(&path), 0o600, "a new file is private");
        fs::set_permissions(&path, Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&path, b"two").expect("second write");
        assert_eq!(mode_of(&path), 0o640, "the user's mode is kept");
        assert_eq!(fs::read(&path).expect("read"), b"two");
    }

    #[test]
    fn a_symlink_is_written_through_even_when_dangling() {
        let root = tempfile::tempdir().expect("tempdir");
        let target = root.path().join("dotfiles/config.toml");
        let link = root.path().join("config.toml");
        std::os::unix::fs::symlink("dotfiles/config.toml", &link).expect("symlink");
        write_atomic(&link, b"through").expect("write via a dangling link");
        assert!(
            fs::symlink_metadata(&link)
                .expect("lstat")
                .file_type()
                .is_symlink(),
            "the link is still a link"
        );
        assert_eq!(fs::read(&target).expect("target"), b"through");
    }

    #[test]
    fn concurrent_writes_never_tear_or_leave_temp_files() {
        let root = tempfile::tempdir().expect("tempdir");
        let path = root.path().join("config.toml");
        let texts: Vec<Vec<u8>> = (0..8u8).map(|i| vec![b'a' + i; 64 * 1024]).collect();
        std::thread::scope(|s| {
            for text in &texts {
                let path = &path;
                s.spawn(move || {
                    for _ in 0..20 {
                        write_atomic(path, text).expect("write");
                    }
                });
            }
        });
        let last = fs::read(&path).expect("read");
        assert!(texts.contains(&last), "the file is one whole write");
        let entries = fs::read_dir(root.path()).expect("list").count();
        assert_eq!(entries, 1, "no temp files left behind");
    }
}
