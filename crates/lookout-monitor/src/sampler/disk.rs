//! Filesystem fullness (`disk.<mount>.used_pct`) and the list of real mounted filesystems.

/// File system types that hold no user data (kernel interfaces, memory-backed scratch space,
/// read-only images that are always 100 % full); `MetricNeeds::everything` leaves them out.
/// A watched mount is read whatever its type.
const PSEUDO_FS: &[&str] = &[
    "autofs",
    "binfmt_misc",
    "bpf",
    "cgroup",
    "cgroup2",
    "configfs",
    "debugfs",
    "devfs",
    "devpts",
    "devtmpfs",
    "efivarfs",
    "fusectl",
    "fuse.gvfsd-fuse",
    "fuse.lxcfs",
    "fuse.portal",
    "fuse.snapfuse",
    "hugetlbfs",
    "mqueue",
    "nfsd",
    "nsfs",
    "proc",
    "pstore",
    "ramfs",
    "rootfs",
    "rpc_pipefs",
    "securityfs",
    "selinuxfs",
    "squashfs",
    "sysfs",
    "tmpfs",
    "tracefs",
];

/// Whether a mount of this type is a real filesystem worth watching.
pub(super) fn is_real_fs(fs_type: &str) -> bool {
    !PSEUDO_FS.contains(&fs_type)
}

/// The mount points of real filesystems in a `/proc/self/mounts` text, sorted, each once.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(super) fn parse_mounts(text: &str) -> Vec<String> {
    let mut mounts: Vec<String> = text
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_ascii_whitespace();
            let _source = fields.next()?;
            let mount = fields.next()?;
            let fs_type = fields.next()?;
            is_real_fs(fs_type).then(|| unescape_mount(mount))
        })
        .collect();
    mounts.sort();
    mounts.dedup();
    mounts
}

/// The kernel writes space, tab, newline and backslash in mount paths as `\ooo` octal.
fn unescape_mount(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match octal {
            Some(d) => {
                let v = d.iter().fold(0u32, |acc, c| acc * 8 + u32::from(c - b'0'));
                out.push(u8::try_from(v).unwrap_or(b'?'));
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `df`'s "Use%": used / (used + available to unprivileged users) * 100, where used = blocks -
/// free. Blocks reserved for root count as neither, so 100 % means a user can no longer write.
/// `None` for a filesystem with no blocks (a pseudo filesystem).
pub(super) fn df_used_pct(blocks: u64, free: u64, avail: u64) -> Option<f64> {
    let used = blocks.saturating_sub(free);
    let usable = used.saturating_add(avail);
    (usable > 0).then(|| used as f64 * 100.0 / usable as f64)
}

/// Reads filesystem fullness and lists mounts, with each platform's cheapest call.
pub(super) struct DiskReader {
    #[cfg(not(target_os = "linux"))]
    disks: super::portable::SysinfoDisks,
}

impl DiskReader {
    pub(super) fn new() -> Self {
        Self {
            #[cfg(not(target_os = "linux"))]
            disks: super::portable::SysinfoDisks::new(),
        }
    }

    /// The mount points of real filesystems: `/proc/self/mounts` on Linux (one file, ~20 µs),
    /// sysinfo's disk list elsewhere. Called rarely (see `SLOW_LIST_RESCAN`).
    pub(super) fn mount_points(&mut self) -> Vec<String> {
        #[cfg(target_os = "linux")]
        {
            match std::fs::read_to_string("/proc/self/mounts") {
                Ok(text) => parse_mounts(&text),
                Err(e) => {
                    tracing::debug!("reading /proc/self/mounts failed: {e}");
                    Vec::new()
                }
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            self.disks.mount_points(is_real_fs)
        }
    }

    /// How full the filesystem holding `path` is; `None` when it cannot be read.
    /// One `statvfs` call on Unix; sysinfo's per-disk storage refresh elsewhere.
    pub(super) fn used_pct(&mut self, path: &str) -> Option<f64> {
        #[cfg(unix)]
        {
            match rustix::fs::statvfs(path) {
                Ok(s) => df_used_pct(s.f_blocks, s.f_bfree, s.f_bavail),
                Err(e) => {
                    tracing::debug!("statvfs('{path}') failed: {e}");
                    None
                }
            }
        }
        #[cfg(not(unix))]
        {
            self.disks.used_pct(path)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_filesystems_are_listed_once_each_and_sorted() {
        let text = "proc /proc proc rw 0 0\n\
sysfs /sys sysfs rw 0 0\n\
tmpfs /dev/shm tmpfs rw 0 0\n\
/dev/sda2 /home ext4 rw 0 0\n\
/dev/sda1 / ext4 rw 0 0\n\
overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0\n\
/dev/loop3 /snap/core/123 squashfs ro 0 0\n\
/dev/sda2 /home ext4 rw 0 0\n";
        assert_eq!(
            parse_mounts(text),
            vec!["/", "/home", "/var/lib/docker/overlay2/x/merged"],
            "pseudo, memory-backed and image filesystems are left out; overlay stays"
        );
    }

    #[test]
    fn escaped_mount_paths_are_decoded() {
        let text = "/dev/sdb1 /media/My\\040Disk vfat rw 0 0\n/dev/sdc1 /a\\134b ext4 rw 0 0\n";
        assert_eq!(parse_mounts(text), vec!["/a\\b", "/media/My Disk"]);
    }

    #[test]
    fn used_percentage_follows_df() {
        // df / on a disk with 5 % reserved: 1000 blocks, 400 free, 350 available to users.
        assert_eq!(df_used_pct(1000, 400, 350), Some(600.0 * 100.0 / 950.0));
        assert_eq!(
            df_used_pct(0, 0, 0),
            None,
            "a pseudo filesystem has no fullness"
        );
        assert_eq!(
            df_used_pct(1000, 50, 0),
            Some(100.0),
            "only reserved blocks left"
        );
    }
}
