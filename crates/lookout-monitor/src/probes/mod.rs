//! Reachability probes (`[[probes]]`): each runs on its own schedule on the async runtime, and
//! its last result waits on a [`ProbeBoard`] that the sampler copies into every tick, as
//! `probe.<name>.up` and `probe.<name>.latency_ms`.

pub mod check;

use crate::sys::http;
use crate::sys::Shutdown;
use check::Outcome;
use lookout_core::config::Probe;
use lookout_core::metric::{MetricFamily, ProbeField};
use lookout_core::{MetricKey, Snapshot, ValidConfig};
use lookout_i18n::Language;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// A probe's last result, with when it is too old to stand for the present.
#[derive(Debug, Clone)]
struct Reading {
    up_key: MetricKey,
    latency_key: MetricKey,
    outcome: Outcome,
    stale_at: Instant,
}

/// The last result of every probe, shared by the probe tasks and the sampler.
#[derive(Debug, Clone, Default)]
pub struct ProbeBoard(Arc<Mutex<BTreeMap<String, Reading>>>);

impl ProbeBoard {
    /// Puts each probe's last result into `snap`: `up` (1 or 0), and `latency_ms` when up. A
    /// result older than two intervals (the probe could not run) is left out: unknown, not down.
    pub fn copy_into(&self, snap: &mut Snapshot) {
        let now = Instant::now();
        let board = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        for reading in board.values().filter(|r| r.stale_at > now) {
            let up = if reading.outcome.up { 1.0 } else { 0.0 };
            snap.insert(reading.up_key.clone(), up);
            if let Some(ms) = reading.outcome.latency_ms {
                snap.insert(reading.latency_key.clone(), ms);
            }
        }
    }

    /// The last outcome of each probe, by name (for `lookout sample` and the log).
    pub fn outcomes(&self) -> Vec<(String, Outcome)> {
        let board = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        board
            .iter()
            .map(|(name, r)| (name.clone(), r.outcome.clone()))
            .collect()
    }

    fn record(&self, probe: &Probe, outcome: Outcome) {
        let key = |field| {
            MetricKey::from_family(&MetricFamily::Probe {
                name: probe.name.clone(),
                field,
            })
        };
        let reading = Reading {
            up_key: key(ProbeField::Up),
            latency_key: key(ProbeField::LatencyMs),
            outcome,
            stale_at: Instant::now() + probe.interval * 2 + probe.timeout,
        };
        let mut board = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        board.insert(probe.name.clone(), reading);
    }

    /// Keeps only the probes named in `probes`.
    fn retain(&self, probes: &[Probe]) {
        let mut board = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        board.retain(|name, _| probes.iter().any(|p| &p.name == name));
    }
}

/// Runs every probe of the current config until shutdown, starting them over when the
/// config's probes change.
pub async fn run(
    board: ProbeBoard,
    mut config: watch::Receiver<Arc<ValidConfig>>,
    shutdown: Shutdown,
) {
    let mut running: Vec<Probe> = Vec::new();
    let mut tasks = JoinSet::new();
    loop {
        let probes = config.borrow_and_update().probes.clone();
        if probes != running {
            tasks.abort_all();
            while tasks.join_next().await.is_some() {}
            board.retain(&probes);
            for probe in probes.iter().cloned() {
                tasks.spawn(probe_loop(probe, board.clone()));
            }
            running = probes;
        }
        tokio::select! {
            _ = shutdown.triggered() => break,
            changed = config.changed() => if changed.is_err() { break },
        }
    }
    tasks.abort_all();
    while tasks.join_next().await.is_some() {}
}

/// Checks one probe every interval, for ever (the caller aborts it).
async fn probe_loop(probe: Probe, board: ProbeBoard) {
    let client = match http::client(None, probe.timeout) {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(probe = %probe.name, "cannot probe: {e}");
            return;
        }
    };
    let mut ticks = tokio::time::interval(probe.interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut was_up = None;
    loop {
        ticks.tick().await;
        let outcome = check::check(&probe.target, probe.timeout, &client).await;
        if was_up != Some(outcome.up) {
            let state = if outcome.up { "up" } else { "down" };
            let detail = outcome.finding.words(Language::En);
            tracing::info!(probe = %probe.name, %detail, "probe {state}");
            was_up = Some(outcome.up);
        }
        board.record(&probe, outcome);
    }
}

/// Runs every probe once, all at the same time (`lookout sample`); waits at most the longest
/// timeout.
pub async fn check_once(probes: &[Probe]) -> ProbeBoard {
    let board = ProbeBoard::default();
    let mut tasks = JoinSet::new();
    for probe in probes.iter().cloned() {
        let board = board.clone();
        tasks.spawn(async move {
            match http::client(None, probe.timeout) {
                Ok(client) => {
                    let outcome = check::check(&probe.target, probe.timeout, &client).await;
                    board.record(&probe, outcome);
                }
                Err(e) => tracing::error!(probe = %probe.name, "cannot probe: {e}"),
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    board
}
