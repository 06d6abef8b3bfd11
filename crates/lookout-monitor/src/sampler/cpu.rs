//! CPU busy percentages from cumulative jiffy counters (the `/proc/stat` `cpu` lines).

/// Which CPU a reading is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CpuId {
    Total,
    Core(u32),
}

/// Cumulative busy and total time of one CPU line, in clock ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CpuTimes {
    busy: u64,
    total: u64,
}

impl CpuTimes {
    /// Parses one `cpu`/`cpuN` line of `/proc/stat`: `cpuN user nice system idle iowait irq
    /// softirq steal guest guest_nice`. `guest` and `guest_nice` are already counted inside
    /// `user` and `nice`, so they are left out of the total (as top, htop and psutil do);
    /// `idle` and `iowait` are idle time; everything else, steal included, is busy.
    pub(super) fn parse_line(line: &str) -> Option<(CpuId, CpuTimes)> {
        let mut fields = line.split_ascii_whitespace();
        let name = fields.next()?.strip_prefix("cpu")?;
        let id = if name.is_empty() {
            CpuId::Total
        } else {
            CpuId::Core(name.parse().ok()?)
        };
        let mut v = [0u64; 8];
        let mut seen = 0;
        for (slot, field) in v.iter_mut().zip(fields) {
            *slot = field.parse().ok()?;
            seen += 1;
        }
        // Kernels since 2.6 print at least user..iowait; fewer fields is not a cpu line we know.
        if seen < 5 {
            return None;
        }
        let [user, nice, system, idle, iowait, irq, softirq, steal] = v;
        let idle_all = idle.saturating_add(iowait);
        let total = [user, nice, system, irq, softirq, steal]
            .iter()
            .fold(idle_all, |acc, x| acc.saturating_add(*x));
        Some((
            id,
            CpuTimes {
                busy: total - idle_all,
                total,
            },
        ))
    }

    /// Busy percentage between an earlier reading and this one; `None` when no time passed
    /// (two reads within one clock tick) or the counters went backwards.
    pub(super) fn busy_pct_since(&self, earlier: &CpuTimes) -> Option<f64> {
        let total = self.total.checked_sub(earlier.total)?;
        if total == 0 {
            return None;
        }
        // Per-CPU iowait may run backwards on some kernels, so busy time may too: clamp.
        let busy = self.busy.saturating_sub(earlier.busy).min(total);
        Some(busy as f64 * 100.0 / total as f64)
    }
}

/// The previous reading of every CPU line, to turn counters into percentages.
#[derive(Debug, Default)]
pub(super) struct CpuHistory {
    total: Option<CpuTimes>,
    cores: Vec<Option<CpuTimes>>,
}

impl CpuHistory {
    /// Records a reading and returns the busy percentage since the previous one.
    pub(super) fn update(&mut self, id: CpuId, now: CpuTimes) -> Option<f64> {
        let slot = match id {
            CpuId::Total => &mut self.total,
            CpuId::Core(n) => {
                let n = n as usize;
                if self.cores.len() <= n {
                    self.cores.resize(n + 1, None);
                }
                &mut self.cores[n]
            }
        };
        let pct = slot
            .as_ref()
            .and_then(|earlier| now.busy_pct_since(earlier));
        *slot = Some(now);
        pct
    }

    /// Reads the `cpu` lines of a `/proc/stat` text, stopping after the total line when no
    /// core is wanted, and reports each wanted percentage.
    pub(super) fn read_stat(
        &mut self,
        stat: &str,
        total: bool,
        cores: bool,
        mut emit: impl FnMut(CpuId, f64),
    ) {
        for line in stat.lines() {
            if !line.starts_with("cpu") {
                break;
            }
            let Some((id, times)) = CpuTimes::parse_line(line) else {
                continue;
            };
            let wanted = match id {
                CpuId::Total => total,
                CpuId::Core(_) => cores,
            };
            if wanted {
                if let Some(pct) = self.update(id, times) {
                    emit(id, pct);
                }
            }
            if !cores {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT_1: &str = "cpu  100 0 50 800 50 0 0 0 0 0\n\
cpu0 60 0 20 400 20 0 0 0 0 0\n\
cpu1 40 0 30 400 30 0 0 0 0 0\n\
intr 12345 0 0\n";
    // 100 ticks later on each core: cpu0 spent 50 busy (25 user, 25 system), cpu1 10 busy.
    const STAT_2: &str = "cpu  135 0 75 930 60 0 0 0 0 0\n\
cpu0 85 0 45 440 30 0 0 0 0 0\n\
cpu1 50 0 30 490 30 0 0 0 0 0\n\
intr 12399 0 0\n";

    fn read(h: &mut CpuHistory, stat: &str, total: bool, cores: bool) -> Vec<(CpuId, f64)> {
        let mut out = Vec::new();
        h.read_stat(stat, total, cores, |id, v| out.push((id, v)));
        out
    }

    #[test]
    fn percentages_come_from_the_difference_of_two_reads() {
        let mut h = CpuHistory::default();
        assert!(
            read(&mut h, STAT_1, true, true).is_empty(),
            "first read has no rate"
        );
        let got = read(&mut h, STAT_2, true, true);
        assert_eq!(
            got,
            vec![
                (CpuId::Total, 30.0),
                (CpuId::Core(0), 50.0),
                (CpuId::Core(1), 10.0)
            ],
            "busy / total ticks per line"
        );
    }

    #[test]
    fn only_the_wanted_lines_are_reported() {
        let mut h = CpuHistory::default();
        read(&mut h, STAT_1, true, false);
        let got = read(&mut h, STAT_2, true, false);
        assert_eq!(
            got,
            vec![(CpuId::Total, 30.0)],
            "no core when cores are not wanted"
        );

        let mut h = CpuHistory::default();
        read(&mut h, STAT_1, false, true);
        let got = read(&mut h, STAT_2, false, true);
        let ids: Vec<CpuId> = got.iter().map(|(id, _)| *id).collect();
        assert_eq!(
            ids,
            vec![CpuId::Core(0), CpuId::Core(1)],
            "no total when not wanted"
        );
    }

    #[test]
    fn guest_time_is_not_counted_twice_and_steal_is_busy() {
        // user 100 includes guest 40; steal 20 is busy; idle 80.
        let (_, a) = CpuTimes::parse_line("cpu 0 0 0 0 0 0 0 0 0 0").expect("valid line");
        let (_, b) = CpuTimes::parse_line("cpu 100 0 0 80 0 0 0 20 40 0").expect("valid line");
        assert_eq!(b.busy_pct_since(&a), Some(60.0), "(100 + 20) / 200 ticks");
    }

    #[test]
    fn no_elapsed_ticks_or_backwards_counters_give_no_reading() {
        let (_, a) = CpuTimes::parse_line("cpu 10 0 10 80 0 0 0 0 0 0").expect("valid line");
        let (_, b) = CpuTimes::parse_line("cpu 5 0 5 40 0 0 0 0 0 0").expect("valid line");
        assert_eq!(
            a.busy_pct_since(&a),
            None,
            "zero ticks is no reading, not 0 %"
        );
        assert_eq!(b.busy_pct_since(&a), None, "counters went backwards");
    }

    #[test]
    fn malformed_lines_are_skipped() {
        assert_eq!(
            CpuTimes::parse_line("cpux 1 2 3 4 5"),
            None,
            "name is not cpuN"
        );
        assert_eq!(CpuTimes::parse_line("cpu0 1 2 3"), None, "too few fields");
        assert_eq!(
            CpuTimes::parse_line("cpu0 1 2 x 4 5"),
            None,
            "non-numeric field"
        );
        let (id, _) = CpuTimes::parse_line("cpu12 1 2 3 4 5").expect("five fields are enough");
        assert_eq!(id, CpuId::Core(12));
    }
}
