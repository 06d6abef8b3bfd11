//! Network byte counters turned into `net.<iface>.rx_bps` / `tx_bps` rates.

use lookout_core::metric::MetricFamily;
use lookout_core::{MetricKey, Snapshot};
use std::collections::HashMap;
use std::time::Instant;

/// Calls `emit(iface, rx_bytes, tx_bytes)` for every interface line of a `/proc/net/dev` text.
pub(super) fn parse_net_dev(text: &str, mut emit: impl FnMut(&str, u64, u64)) {
    // Two header lines, then `iface: rx_bytes rx_packets ... (8 rx fields) tx_bytes ...`.
    for line in text.lines().skip(2) {
        let Some((name, counters)) = line.split_once(':') else {
            continue;
        };
        let mut fields = counters.split_ascii_whitespace();
        let rx = fields.next().and_then(|v| v.parse().ok());
        let tx = fields.nth(7).and_then(|v| v.parse().ok());
        if let (Some(rx), Some(tx)) = (rx, tx) {
            emit(name.trim(), rx, tx);
        }
    }
}

struct IfaceState {
    rx_key: MetricKey,
    tx_key: MetricKey,
    rx: u64,
    tx: u64,
    at: Instant,
    /// The read that last saw this interface, to forget interfaces that went away.
    seen_in: u64,
}

/// The previous counters of each watched interface.
#[derive(Default)]
pub(super) struct NetRates {
    ifaces: HashMap<String, IfaceState>,
    read: u64,
}

impl NetRates {
    /// Starts a new read; call [`NetRates::observe`] for each interface, then [`NetRates::finish`].
    pub(super) fn begin(&mut self) {
        self.read += 1;
    }

    /// Records an interface's counters read at `at` and puts its rates into `snap` when an
    /// earlier read exists. A counter that went backwards (driver reset, wrap) gives no rate.
    pub(super) fn observe(
        &mut self,
        iface: &str,
        rx: u64,
        tx: u64,
        at: Instant,
        snap: &mut Snapshot,
    ) {
        let read = self.read;
        let Some(state) = self.ifaces.get_mut(iface) else {
            let key = |family| MetricKey::from_family(&family);
            let state = IfaceState {
                rx_key: key(MetricFamily::NetRxBps {
                    iface: iface.to_owned(),
                }),
                tx_key: key(MetricFamily::NetTxBps {
                    iface: iface.to_owned(),
                }),
                rx,
                tx,
                at,
                seen_in: read,
            };
            self.ifaces.insert(iface.to_owned(), state);
            return;
        };
        let secs = at.saturating_duration_since(state.at).as_secs_f64();
        if secs > 0.0 {
            if let Some(d) = rx.checked_sub(state.rx) {
                snap.insert(state.rx_key.clone(), d as f64 / secs);
            }
            if let Some(d) = tx.checked_sub(state.tx) {
                snap.insert(state.tx_key.clone(), d as f64 / secs);
            }
        }
        state.rx = rx;
        state.tx = tx;
        state.at = at;
        state.seen_in = read;
    }

    /// Forgets interfaces this read did not see, so one that comes back starts afresh.
    pub(super) fn finish(&mut self) {
        let read = self.read;
        self.ifaces.retain(|_, s| s.seen_in == read);
    }

    pub(super) fn clear(&mut self) {
        self.ifaces.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const NET_DEV: &str = "Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:  1000      10    0    0    0     0          0         0     2000      10    0    0    0     0       0          0
  eth0:5000 50 0 0 0 0 0 0 7000 60 0 0 0 0 0 0
";

    fn key(k: &str) -> MetricKey {
        MetricKey::parse(k).expect("valid key")
    }

    #[test]
    fn net_dev_lines_give_rx_and_tx_bytes() {
        let mut got = Vec::new();
        parse_net_dev(NET_DEV, |i, rx, tx| got.push((i.to_owned(), rx, tx)));
        assert_eq!(
            got,
            vec![
                ("lo".to_owned(), 1000, 2000),
                ("eth0".to_owned(), 5000, 7000)
            ],
            "both the spaced and the packed line forms parse"
        );
    }

    #[test]
    fn rates_need_two_reads_and_divide_by_elapsed_time() {
        let mut rates = NetRates::default();
        let t0 = Instant::now();
        let mut snap = Snapshot::new();
        rates.begin();
        rates.observe("eth0", 5000, 7000, t0, &mut snap);
        rates.finish();
        assert!(snap.is_empty(), "no rate on the first read: {snap:?}");

        rates.begin();
        rates.observe(
            "eth0",
            6000,
            7500,
            t0 + Duration::from_millis(500),
            &mut snap,
        );
        rates.finish();
        assert_eq!(
            snap.get(&key("net.eth0.rx_bps")),
            Some(2000.0),
            "1000 B / 0.5 s"
        );
        assert_eq!(
            snap.get(&key("net.eth0.tx_bps")),
            Some(1000.0),
            "500 B / 0.5 s"
        );
    }

    #[test]
    fn a_counter_reset_gives_no_rate_and_a_vanished_interface_starts_afresh() {
        let mut rates = NetRates::default();
        let t0 = Instant::now();
        let mut snap = Snapshot::new();
        rates.begin();
        rates.observe("eth0", 5000, 7000, t0, &mut snap);
        rates.finish();
        rates.begin();
        rates.observe("eth0", 10, 7100, t0 + Duration::from_secs(1), &mut snap);
        rates.finish();
        assert_eq!(snap.get(&key("net.eth0.rx_bps")), None, "rx went backwards");
        assert_eq!(
            snap.get(&key("net.eth0.tx_bps")),
            Some(100.0),
            "tx still fine"
        );

        rates.begin();
        rates.finish(); // eth0 is gone
        let mut snap = Snapshot::new();
        rates.begin();
        rates.observe("eth0", 20, 7200, t0 + Duration::from_secs(3), &mut snap);
        rates.finish();
        assert!(
            snap.is_empty(),
            "a returning interface has no earlier read: {snap:?}"
        );
    }
}
