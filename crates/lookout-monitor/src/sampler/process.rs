//! What a scan of the process table gives: one process's figures, and its disk I/O.

/// What Lookout knows of one process at a scan.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcInfo {
    pub pid: u32,
    pub parent: Option<u32>,
    /// `comm`, as `ps` shows it.
    pub name: String,
    pub exe: Option<String>,
    /// The arguments joined by spaces.
    pub cmdline: String,
    pub uid: Option<u32>,
    /// CPU use since the previous scan, in % of one core.
    pub cpu_pct: f32,
    pub rss_bytes: u64,
    /// Seconds since it started.
    pub run_time_s: u64,
    /// CPU time used since it started, in milliseconds.
    pub cpu_ms: u64,
}

/// A process's disk I/O since it was last asked about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IoReading {
    /// Not ours to read (another user's process), or gone.
    Unreadable,
    /// Read for the first time: a rate needs a second reading.
    First,
    Rate {
        read_bps: f64,
        write_bps: f64,
    },
}
