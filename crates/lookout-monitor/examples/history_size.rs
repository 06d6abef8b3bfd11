//! What a year of history takes on disk at a 1 s tick: the raw tier's 48 hours at 1 s, the
//! 1-minute tier's 30 days and the 15-minute tier's year, written through the recorder's own
//! write path into a real `lookout.db`, pruned as the monitor prunes, then measured.
//!
//! `cargo run --release -p lookout-monitor --example history_size`

use lookout_core::Timestamp;
use lookout_monitor::history::synthetic::{metric_keys, reading};
use lookout_monitor::history::HistoryPolicy;
use lookout_monitor::store::Store;

const SEC: i64 = 1000;
const DAY: i64 = 86_400 * SEC;
const NOW: i64 = 1_800_000_000_000;

/// Writes one reading of every metric every `step` over `[from, to)`, `batch` readings at a
/// time per metric, as the recorder does.
fn fill(store: &mut Store, keys: &[String], from: i64, to: i64, step: i64, batch: usize) {
    let mut t = from;
    while t < to {
        let times: Vec<i64> = (0..batch as i64)
            .map(|k| t + k * step)
            .filter(|x| *x < to)
            .collect();
        let rows: Vec<(String, Vec<(i64, f64)>)> = keys
            .iter()
            .map(|k| {
                (
                    k.clone(),
                    times.iter().map(|&x| (x, reading(k, x / SEC))).collect(),
                )
            })
            .collect();
        store.write_history(&rows).expect("history written");
        t += batch as i64 * step;
    }
}

fn measure(name: &str, keys: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::TempDir::new()?;
    let path = dir.path().join("lookout.db");
    let mut store = Store::open(&path)?;
    let policy = HistoryPolicy::default();
    let raw_from = NOW - 48 * 3600 * SEC;
    let minute_from = NOW - 30 * DAY;
    // The year before: one reading per 15-minute bucket, then per minute, then every second.
    fill(
        &mut store,
        keys,
        NOW - 365 * DAY,
        minute_from,
        900 * SEC,
        96,
    );
    fill(&mut store, keys, minute_from, raw_from, 60 * SEC, 60);
    fill(&mut store, keys, raw_from, NOW, SEC, 10);
    store.prune_history(&policy, Timestamp::from_millis(NOW))?;
    drop(store);
    let conn = rusqlite::Connection::open(&path)?;
    conn.execute_batch("VACUUM")?;
    let bytes = std::fs::metadata(&path)?.len();
    let mb = bytes as f64 / 1e6;
    println!(
        "{name}: {} metrics, {mb:.1} MB for a year ({:.2} MB per metric)",
        keys.len(),
        mb / keys.len() as f64
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // This machine: 2 cores, one disk, eth0 and three virtual interfaces, no swap or sensors.
    let here = metric_keys(2, &["/"], &["eth0", "lo", "ifb0", "ifb1"], &[], false);
    measure("a 2-core server (this machine)", &here)?;
    // A workstation: 8 cores, swap, three disks, three interfaces, five sensors.
    let laptop = metric_keys(
        8,
        &["/", "/home", "/boot/efi"],
        &["wlan0", "eth0", "lo"],
        &["cpu", "nvme", "gpu", "acpitz", "wifi"],
        true,
    );
    measure("an 8-core workstation", &laptop)?;
    Ok(())
}
