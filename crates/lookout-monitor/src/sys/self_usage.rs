//! Lookout's own footprint (CPU % of one core since the last reading, resident memory), read
//! from /proc/self on Linux; unknown elsewhere.

use std::time::Instant;

/// Remembers the previous reading so CPU use is a rate over the time between two calls.
#[derive(Debug, Default)]
pub struct SelfUsage {
    last: Option<(Instant, f64)>,
}

impl SelfUsage {
    /// `(cpu % of one core since the previous call, resident bytes)`; either may be unknown.
    pub fn read(&mut self) -> (Option<f64>, Option<u64>) {
        let now = Instant::now();
        let cpu_secs = cpu_seconds();
        let pct = match (self.last, cpu_secs) {
            (Some((then, before)), Some(after)) => {
                let wall = now.duration_since(then).as_secs_f64();
                (wall > 0.0).then(|| ((after - before) / wall * 100.0).max(0.0))
            }
            _ => None,
        };
        if let Some(c) = cpu_secs {
            self.last = Some((now, c));
        }
        (pct, rss_bytes())
    }
}

/// User + system CPU seconds of this process so far.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / clock_ticks_per_second())
}

fn clock_ticks_per_second() -> f64 {
    // USER_HZ is 100 on every Linux architecture Lookout targets.
    100.0
}

/// Resident memory of this process, in bytes.
pub fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn reads_own_usage() {
        let mut u = SelfUsage::default();
        let (first, rss) = u.read();
        assert!(first.is_none(), "no rate on the first reading");
        assert!(
            rss.is_some_and(|r| r > 1024 * 1024),
            "resident memory is known: {rss:?}"
        );
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = x.wrapping_add(i * i);
        }
        std::hint::black_box(x);
        let (second, _) = u.read();
        assert!(
            second.is_some_and(|p| p >= 0.0),
            "a rate on the second: {second:?}"
        );
    }
}
