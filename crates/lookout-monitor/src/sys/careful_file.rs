//! Careful reads of files a user names (the config, the CA file, the password file): opened
//! once without blocking, checked with `fstat` on that same descriptor, and capped in size, so
//! a FIFO, a device, `/dev/zero` or a 1 GB file is refused with a clear error instead of
//! hanging Lookout or filling its memory.

use lookout_i18n::Language;
use rustix::fs::{FileType, Mode, OFlags};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The largest password file read (a password is one short line).
pub const MAX_SECRET_BYTES: u64 = 4 * 1024;
/// The largest CA file read (a PEM bundle of a few certificates).
pub const MAX_CA_BYTES: u64 = 1024 * 1024;

/// How a file is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadRules {
    /// At most this many bytes.
    pub max_bytes: u64,
    /// A secret: the path must not be a symlink, and the file must belong to this user and be
    /// readable by nobody else (mode 600 or stricter).
    pub secret: bool,
}

impl ReadRules {
    pub const fn plain(max_bytes: u64) -> Self {
        Self {
            max_bytes,
            secret: false,
        }
    }

    pub const fn secret(max_bytes: u64) -> Self {
        Self {
            max_bytes,
            secret: true,
        }
    }
}

/// Why a file was refused; each says what would be accepted (in English as `Display`, in any
/// language with [`CarefulReadError::words`]).
#[derive(Debug)]
pub enum CarefulReadError {
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    Symlink {
        path: PathBuf,
    },
    NotRegular {
        path: PathBuf,
        kind: FileType,
    },
    TooLarge {
        path: PathBuf,
        size: u64,
        max: u64,
    },
    NotOwner {
        path: PathBuf,
        owner: u32,
        me: u32,
    },
    TooOpen {
        path: PathBuf,
        mode: u32,
    },
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl std::fmt::Display for CarefulReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(Language::En))
    }
}

impl std::error::Error for CarefulReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Open { source, .. } | Self::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// What `read_text` says of a file that is not UTF-8.
const NOT_UTF8: &str = "it is not UTF-8 text; save it as UTF-8";

/// An I/O error's reason in `lang`: the common ones from the catalog, others (and every one
/// in English, where the error chain shows the system's own words) as the system says them.
fn io_reason(e: &std::io::Error, lang: Language) -> String {
    if lang == Language::En {
        return e.to_string();
    }
    let id = match e.kind() {
        std::io::ErrorKind::NotFound => "file-not-found",
        std::io::ErrorKind::PermissionDenied => "file-permission-denied",
        std::io::ErrorKind::InvalidData if e.to_string() == NOT_UTF8 => "file-not-utf8",
        _ => return e.to_string(),
    };
    lang.catalog().text(id, &[])
}

impl CarefulReadError {
    /// The problem in `lang`: what is wrong with the file and what would be accepted.
    pub fn words(&self, lang: Language) -> String {
        let words = lang.catalog();
        let shown = |p: &Path| p.display().to_string();
        match self {
            Self::Open { path, source } => words.text(
                "file-cannot-open",
                &[("path", &shown(path)), ("reason", &io_reason(source, lang))],
            ),
            Self::Symlink { path } => words.text("file-symlink", &[("path", &shown(path))]),
            Self::NotRegular { path, kind } => {
                let kind = words.text(describe(*kind), &[]);
                words.text(
                    "file-not-regular",
                    &[("path", &shown(path)), ("kind", &kind)],
                )
            }
            Self::TooLarge { path, size, max } => words.text(
                "file-too-large",
                &[
                    ("path", &shown(path)),
                    ("size", &size.to_string()),
                    ("max", &max.to_string()),
                ],
            ),
            Self::NotOwner { path, owner, me } => words.text(
                "file-not-owner",
                &[
                    ("path", &shown(path)),
                    ("owner", &owner.to_string()),
                    ("me", &me.to_string()),
                ],
            ),
            Self::TooOpen { path, mode } => words.text(
                "file-too-open",
                &[("path", &shown(path)), ("mode", &format!("{mode:04o}"))],
            ),
            Self::Read { path, source } => words.text(
                "file-cannot-read",
                &[("path", &shown(path)), ("reason", &io_reason(source, lang))],
            ),
        }
    }

    /// The file did not exist (callers may treat that as "nothing there yet").
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Open { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// Opens a file to be streamed (a recorded series, of any size) the careful way: without
/// blocking on a FIFO, and only when `fstat` on the descriptor says it is a regular file.
pub fn open_stream(path: &Path) -> Result<File, CarefulReadError> {
    let (fd, _) = open_regular(path, false)?;
    Ok(File::from(fd))
}

/// Opens `path` without blocking (without following a final symlink for a `secret`) and
/// checks that it is a regular file.
fn open_regular(
    path: &Path,
    secret: bool,
) -> Result<(rustix::fd::OwnedFd, rustix::fs::Stat), CarefulReadError> {
    let owned = |p: &Path| p.to_path_buf();
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
    if secret {
        flags |= OFlags::NOFOLLOW;
    }
    let fd = rustix::fs::open(path, flags, Mode::empty()).map_err(|e| {
        if secret && e == rustix::io::Errno::LOOP {
            CarefulReadError::Symlink { path: owned(path) }
        } else {
            CarefulReadError::Open {
                path: owned(path),
                source: e.into(),
            }
        }
    })?;
    let stat = rustix::fs::fstat(&fd).map_err(|e| CarefulReadError::Read {
        path: owned(path),
        source: e.into(),
    })?;
    let kind = FileType::from_raw_mode(stat.st_mode);
    if kind != FileType::RegularFile {
        return Err(CarefulReadError::NotRegular {
            path: owned(path),
            kind,
        });
    }
    Ok((fd, stat))
}

/// Reads the file at `path` following `rules`. The bytes are wiped from memory when dropped.
pub fn read(path: &Path, rules: ReadRules) -> Result<Zeroizing<Vec<u8>>, CarefulReadError> {
    let owned = |p: &Path| p.to_path_buf();
    let (fd, stat) = open_regular(path, rules.secret)?;
    let size = u64::try_from(stat.st_size).unwrap_or(0);
    if size > rules.max_bytes {
        return Err(CarefulReadError::TooLarge {
            path: owned(path),
            size,
            max: rules.max_bytes,
        });
    }
    if rules.secret {
        let me = rustix::process::geteuid().as_raw();
        if stat.st_uid != me {
            return Err(CarefulReadError::NotOwner {
                path: owned(path),
                owner: stat.st_uid,
                me,
            });
        }
        let mode = stat.st_mode & 0o7777;
        if mode & 0o077 != 0 {
            return Err(CarefulReadError::TooOpen {
                path: owned(path),
                mode,
            });
        }
    }
    // The size can still grow between fstat and read (a file being written): read at most one
    // byte more than allowed to notice.
    let mut bytes = Zeroizing::new(Vec::with_capacity(usize::try_from(size).unwrap_or(0)));
    File::from(fd)
        .take(rules.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| CarefulReadError::Read {
            path: owned(path),
            source,
        })?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > rules.max_bytes {
        return Err(CarefulReadError::TooLarge {
            path: owned(path),
            size: read,
            max: rules.max_bytes,
        });
    }
    Ok(bytes)
}

/// Reads a UTF-8 text file following `rules`.
pub fn read_text(path: &Path, rules: ReadRules) -> Result<String, CarefulReadError> {
    let bytes = read(path, rules)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| CarefulReadError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, NOT_UTF8),
    })
}

/// The catalog id naming a kind of file.
fn describe(kind: FileType) -> &'static str {
    match kind {
        FileType::Directory => "file-kind-directory",
        FileType::Fifo => "file-kind-fifo",
        FileType::Socket => "file-kind-socket",
        FileType::CharacterDevice => "file-kind-char-device",
        FileType::BlockDevice => "file-kind-block-device",
        FileType::Symlink => "file-kind-symlink",
        _ => "file-kind-other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn private_file(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        path
    }

    #[test]
    fn reads_a_regular_file_within_the_cap() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = private_file(dir.path(), "a", b"hello");
        let bytes = read(&path, ReadRules::secret(16)).expect("readable");
        assert_eq!(&bytes[..], b"hello", "the file's bytes");
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &path, Mode::from_raw_mode(0o600)).expect("mkfifo");
        let err = read(&path, ReadRules::plain(16)).expect_err("a FIFO is refused");
        assert!(
            matches!(err, CarefulReadError::NotRegular { .. }),
            "refused as not regular: {err}"
        );
        assert!(err.to_string().contains("FIFO"), "{err}");
    }

    #[test]
    fn devices_and_directories_are_refused() {
        for (path, kind) in [("/dev/zero", "character device"), ("/tmp", "directory")] {
            let err = read(Path::new(path), ReadRules::plain(1024)).expect_err("refused");
            assert!(err.to_string().contains(kind), "{path}: {err}");
        }
    }

    #[test]
    fn a_file_over_the_cap_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = private_file(dir.path(), "big", &[b'x'; 17]);
        let err = read(&path, ReadRules::plain(16)).expect_err("too large");
        assert!(
            matches!(
                err,
                CarefulReadError::TooLarge {
                    size: 17,
                    max: 16,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_secret_behind_a_symlink_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = private_file(dir.path(), "real", b"pw");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let err = read(&link, ReadRules::secret(16)).expect_err("symlink refused");
        assert!(matches!(err, CarefulReadError::Symlink { .. }), "{err}");
        assert!(
            read(&link, ReadRules::plain(16)).is_ok(),
            "a plain file may be reached through a link (dotfile setups)"
        );
    }

    #[test]
    fn a_secret_readable_by_others_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = private_file(dir.path(), "open", b"pw");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let err = read(&path, ReadRules::secret(16)).expect_err("mode 640 refused");
        assert!(
            matches!(err, CarefulReadError::TooOpen { mode: 0o640, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_secret_owned_by_someone_else_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = if rustix::process::geteuid().is_root() {
            // As root: give a private file away to `nobody`.
            let path = private_file(dir.path(), "theirs", b"pw");
            std::os::unix::fs::chown(&path, Some(65534), Some(65534)).expect("chown");
            path
        } else {
            // As a user: a root-owned system file (checked for its owner before its mode).
            PathBuf::from("/etc/hostname")
        };
        let err = read(&path, ReadRules::secret(4096)).expect_err("not ours");
        assert!(matches!(err, CarefulReadError::NotOwner { .. }), "{err}");
    }
}
