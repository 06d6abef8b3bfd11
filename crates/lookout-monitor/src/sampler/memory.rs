//! RAM and swap counters, and the `mem.*` / `swap.*` readings made from them.

/// Memory counters in bytes; a part that could not be read is `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct MemCounters {
    /// (total, available) RAM.
    pub(super) ram: Option<(u64, u64)>,
    /// (total, free) swap.
    pub(super) swap: Option<(u64, u64)>,
}

impl MemCounters {
    /// Parses `/proc/meminfo` (values in KiB, printed as "kB").
    ///
    /// Used memory is `MemTotal - MemAvailable`, the same formula sysinfo's `used_memory()` and
    /// `free`'s "available" column use: memory the kernel could not hand to a new program without
    /// swapping. Kernels before 3.14 lack `MemAvailable`; there, as in sysinfo, it is estimated
    /// as `MemFree + Buffers + Cached + SReclaimable - Shmem`.
    pub(super) fn parse_meminfo(text: &str) -> MemCounters {
        let (mut total, mut free, mut available) = (None, None, None);
        let (mut buffers, mut cached, mut shmem, mut reclaimable) = (0, 0, 0, 0);
        let (mut swap_total, mut swap_free) = (None, None);
        for line in text.lines() {
            let Some((name, rest)) = line.split_once(':') else {
                continue;
            };
            let Some(kib) = rest
                .split_ascii_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
            else {
                continue;
            };
            let bytes = kib.saturating_mul(1024);
            match name {
                "MemTotal" => total = Some(bytes),
                "MemFree" => free = Some(bytes),
                "MemAvailable" => available = Some(bytes),
                "Buffers" => buffers = bytes,
                "Cached" => cached = bytes,
                "Shmem" => shmem = bytes,
                "SReclaimable" => reclaimable = bytes,
                "SwapTotal" => swap_total = Some(bytes),
                "SwapFree" => swap_free = Some(bytes),
                _ => {}
            }
        }
        let available = available.or_else(|| {
            free.map(|f| {
                f.saturating_add(buffers)
                    .saturating_add(cached)
                    .saturating_add(reclaimable)
                    .saturating_sub(shmem)
            })
        });
        MemCounters {
            ram: total.zip(available),
            swap: swap_total.zip(swap_free),
        }
    }

    /// `mem.used_bytes` and `mem.used_pct`; `None` when RAM could not be read.
    pub(super) fn ram_used(&self) -> Option<(f64, f64)> {
        let (total, available) = self.ram?;
        if total == 0 {
            return None;
        }
        let used = total.saturating_sub(available);
        Some((used as f64, used as f64 * 100.0 / total as f64))
    }

    /// `swap.used_pct`; `None` when swap could not be read or there is no swap (total 0).
    pub(super) fn swap_used_pct(&self) -> Option<f64> {
        let (total, free) = self.swap?;
        if total == 0 {
            return None;
        }
        Some(total.saturating_sub(free) as f64 * 100.0 / total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMINFO: &str = "MemTotal:        8000000 kB\n\
MemFree:         1000000 kB\n\
MemAvailable:    6000000 kB\n\
Buffers:          100000 kB\n\
Cached:          2000000 kB\n\
SwapCached:            0 kB\n\
Shmem:             50000 kB\n\
SReclaimable:     300000 kB\n\
SwapTotal:       2000000 kB\n\
SwapFree:        1500000 kB\n\
HugePages_Total:       0\n";

    #[test]
    fn used_memory_is_total_minus_available() {
        let m = MemCounters::parse_meminfo(MEMINFO);
        let (bytes, pct) = m.ram_used().expect("RAM is in the text");
        assert_eq!(
            bytes,
            2_000_000.0 * 1024.0,
            "8 GB total - 6 GB available, in bytes"
        );
        assert_eq!(pct, 25.0);
        assert_eq!(
            m.swap_used_pct(),
            Some(25.0),
            "(2000000 - 1500000) / 2000000"
        );
    }

    #[test]
    fn old_kernels_without_mem_available_get_an_estimate() {
        let text = MEMINFO.replace("MemAvailable:    6000000 kB\n", "");
        let m = MemCounters::parse_meminfo(&text);
        // 1000000 + 100000 + 2000000 + 300000 - 50000 = 3350000 kB available.
        assert_eq!(m.ram, Some((8_000_000 * 1024, 3_350_000 * 1024)), "{m:?}");
    }

    #[test]
    fn no_swap_is_absent_not_zero() {
        let text = MEMINFO
            .replace("SwapTotal:       2000000 kB", "SwapTotal:       0 kB")
            .replace("SwapFree:        1500000 kB", "SwapFree:        0 kB");
        let m = MemCounters::parse_meminfo(&text);
        assert_eq!(
            m.swap_used_pct(),
            None,
            "a machine without swap has no swap.used_pct"
        );
    }

    #[test]
    fn unreadable_text_gives_no_readings() {
        let m = MemCounters::parse_meminfo("garbage\nMemTotal: lots kB\n");
        assert_eq!(m.ram_used(), None, "nothing parsed means absent, never 0");
        assert_eq!(m.swap_used_pct(), None);
    }
}
