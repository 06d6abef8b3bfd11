//! Linux source: kept-open /proc files, each re-read with one positioned read per tick.

use super::cpu::{CpuHistory, CpuId};
use super::memory::MemCounters;
use super::net::parse_net_dev;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

/// Above this a /proc file is not what we think it is; stop growing the buffer.
const MAX_PROC_FILE: usize = 8 << 20;

/// A /proc file kept open between ticks. `pread` at offset 0 makes the kernel regenerate the
/// content (seq_file resets on a read from 0), so each tick costs one read call instead of
/// open + read + close, which is most of the cost of reading these small files.
pub(super) struct ProcFile {
    path: &'static str,
    file: Option<File>,
    buf: Vec<u8>,
    /// The kernel builds the whole content in one piece (`single_open`: stat, meminfo,
    /// loadavg), so a read shorter than the buffer is the whole file and no extra read is
    /// needed to see the end. Record-by-record files (net/dev) are read until EOF.
    one_piece: bool,
}

impl ProcFile {
    fn new(path: &'static str, one_piece: bool, capacity: usize) -> Self {
        Self {
            path,
            file: None,
            buf: vec![0; capacity],
            one_piece,
        }
    }

    /// The whole current content; on failure the handle is dropped and reopened next time.
    pub(super) fn read(&mut self) -> io::Result<&str> {
        let len = match self.fill() {
            Ok(len) => len,
            Err(e) => {
                tracing::debug!("reading {} failed: {e}", self.path);
                self.file = None;
                return Err(e);
            }
        };
        std::str::from_utf8(&self.buf[..len])
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    fn fill(&mut self) -> io::Result<usize> {
        let file = match &self.file {
            Some(file) => file,
            None => self.file.insert(File::open(self.path)?),
        };
        let mut len = 0;
        loop {
            if len == self.buf.len() {
                if len >= MAX_PROC_FILE {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "file too large"));
                }
                self.buf.resize(len * 2, 0);
            }
            let n = match file.read_at(&mut self.buf[len..], len as u64) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            len += n;
            if n == 0 || (self.one_piece && len < self.buf.len()) {
                return Ok(len);
            }
        }
    }
}

/// CPU, memory, load and network counters straight from /proc.
pub(super) struct ProcSource {
    stat: ProcFile,
    meminfo: ProcFile,
    loadavg: ProcFile,
    net_dev: ProcFile,
    cpu: CpuHistory,
}

impl ProcSource {
    pub(super) fn new() -> Self {
        Self {
            stat: ProcFile::new("/proc/stat", true, 8 << 10),
            meminfo: ProcFile::new("/proc/meminfo", true, 4 << 10),
            loadavg: ProcFile::new("/proc/loadavg", true, 128),
            net_dev: ProcFile::new("/proc/net/dev", false, 4 << 10),
            cpu: CpuHistory::default(),
        }
    }

    /// Busy % since the previous call of each wanted CPU line.
    pub(super) fn cpu(&mut self, total: bool, cores: bool, emit: impl FnMut(CpuId, f64)) {
        if let Ok(stat) = self.stat.read() {
            self.cpu.read_stat(stat, total, cores, emit);
        }
    }

    /// RAM and swap from /proc/meminfo (one read serves both).
    pub(super) fn memory(&mut self, _swap: bool) -> MemCounters {
        self.meminfo
            .read()
            .map(MemCounters::parse_meminfo)
            .unwrap_or_default()
    }

    /// The 1, 5 and 15 minute load averages.
    pub(super) fn load(&mut self) -> Option<[f64; 3]> {
        let text = self.loadavg.read().ok()?;
        let mut fields = text.split_ascii_whitespace().map(|v| v.parse::<f64>().ok());
        Some([fields.next()??, fields.next()??, fields.next()??])
    }

    /// Every interface's cumulative (rx, tx) bytes.
    pub(super) fn net_counters(&mut self, emit: impl FnMut(&str, u64, u64)) {
        if let Ok(text) = self.net_dev.read() {
            parse_net_dev(text, emit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_open_file_reads_fresh_content_each_time() {
        // /proc/self/stat is regenerated per read; its utime/stime fields change as we burn CPU,
        // but the pid (first field) must be the same and reads must not append to each other.
        let mut f = ProcFile::new("/proc/self/stat", true, 16);
        let first = f.read().expect("/proc/self/stat is readable").to_owned();
        let second = f.read().expect("/proc/self/stat is readable").to_owned();
        assert!(first.len() > 16, "the buffer grew to fit the file: {first}");
        assert_eq!(
            first.split(' ').next(),
            second.split(' ').next(),
            "both reads start at the beginning of the file"
        );
        assert_eq!(
            first.matches('\n').count(),
            1,
            "one line, read once: {first}"
        );
        assert_eq!(
            second.matches('\n').count(),
            1,
            "one line, read once: {second}"
        );
    }

    #[test]
    fn record_files_are_read_to_the_end() {
        let expected = std::fs::read_to_string("/proc/self/mounts").expect("mounts readable");
        let mut f = ProcFile::new("/proc/self/mounts", false, 32);
        let got = f.read().expect("mounts readable").to_owned();
        assert_eq!(
            got, expected,
            "small buffer, many records, same content as read_to_string"
        );
    }

    #[test]
    fn a_missing_file_is_an_error_not_empty_content() {
        let mut f = ProcFile::new("/proc/lookout-no-such-file", true, 16);
        assert!(
            f.read().is_err(),
            "a missing file must not read as empty text"
        );
    }
}
