//! The tick loop: sample, feed the engine, hand each tick's report to the caller; stops when
//! the injected shutdown future completes.

use lookout_core::{AlertEvent, Engine, MetricNeeds, Snapshot, Timestamp, ValidConfig};
use std::future::Future;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{interval_at, Instant, MissedTickBehavior};

/// Where readings come from: the real sampler, or a scripted one in tests.
pub trait MetricSource: Send + 'static {
    /// Narrows reading to what the rules use.
    fn set_needs(&mut self, needs: &MetricNeeds);
    /// One reading of everything needed; unreadable metrics are absent.
    fn read(&mut self) -> Snapshot;
}

/// What one tick produced.
#[derive(Debug, Clone)]
pub struct TickReport {
    pub at: Timestamp,
    pub snapshot: Snapshot,
    pub events: Vec<AlertEvent>,
}

/// Requests to a running monitor.
#[derive(Debug, Clone)]
pub enum MonitorCommand {
    /// Swap in a new config; windows and alert states of unchanged rules carry over.
    Reconfigure(Box<ValidConfig>),
    /// Mute notifications for one rule, or all when `rule` is `None`, until a time.
    Snooze {
        rule: Option<String>,
        until: Timestamp,
    },
    /// Lift every snooze.
    Resume,
    /// Read every metric the machine has (a window is showing them), or only what rules use.
    ReadEverything(bool),
}

/// The engine and its metric source.
pub struct Monitor<S> {
    engine: Engine,
    source: S,
    read_everything: bool,
}

impl<S: MetricSource> Monitor<S> {
    pub fn new(config: &ValidConfig, mut source: S) -> Self {
        let engine = Engine::new(config.interval, config.rules.clone());
        source.set_needs(&engine.needs());
        Self {
            engine,
            source,
            read_everything: false,
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }

    pub fn interval(&self) -> Duration {
        self.engine.interval()
    }

    fn update_needs(&mut self) {
        let needs = if self.read_everything {
            MetricNeeds::everything()
        } else {
            self.engine.needs()
        };
        self.source.set_needs(&needs);
    }

    /// Reads the source and evaluates every rule at `now`.
    pub fn tick(&mut self, now: Timestamp) -> TickReport {
        let snapshot = self.source.read();
        let events = self.engine.tick(now, &snapshot);
        TickReport {
            at: now,
            snapshot,
            events,
        }
    }

    pub fn apply(&mut self, command: MonitorCommand) {
        match command {
            MonitorCommand::Reconfigure(config) => {
                self.engine.reconfigure(config.interval, config.rules);
                self.update_needs();
            }
            MonitorCommand::ReadEverything(on) => {
                self.read_everything = on;
                self.update_needs();
            }
            MonitorCommand::Snooze { rule: None, until } => {
                self.engine.snooze_mut().snooze_all(until)
            }
            MonitorCommand::Snooze {
                rule: Some(rule),
                until,
            } => self.engine.snooze_mut().snooze_rule(&rule, until),
            MonitorCommand::Resume => self.engine.snooze_mut().resume(),
        }
    }
}

/// Ticks every interval until `shutdown` completes, passing each report to `on_tick`.
///
/// Timestamps come from `clock`: the wall clock in production ([`crate::clock::wall_now`]), so a
/// suspend shows up as missing samples. Scheduling is monotonic, and ticks missed while the
/// machine slept are skipped, not replayed in a burst.
pub async fn run_loop<S, F>(
    monitor: &mut Monitor<S>,
    mut commands: mpsc::Receiver<MonitorCommand>,
    clock: impl Fn() -> Timestamp,
    mut on_tick: F,
    shutdown: impl Future<Output = ()>,
) where
    S: MetricSource,
    F: FnMut(&mut Monitor<S>, TickReport),
{
    tokio::pin!(shutdown);
    let mut period = monitor.interval();
    let mut ticker = interval_at(Instant::now() + period, period);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut commands_open = true;
    loop {
        tokio::select! {
            biased;
            () = &mut shutdown => break,
            command = commands.recv(), if commands_open => match command {
                Some(command) => {
                    monitor.apply(command);
                    if monitor.interval() != period {
                        period = monitor.interval();
                        ticker = interval_at(Instant::now() + period, period);
                        ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
                    }
                }
                None => commands_open = false,
            },
            _ = ticker.tick() => {
                let report = monitor.tick(clock());
                on_tick(monitor, report);
            }
        }
    }
}

impl MetricSource for crate::sampler::Sampler {
    fn set_needs(&mut self, needs: &MetricNeeds) {
        crate::sampler::Sampler::set_needs(self, needs);
    }

    fn read(&mut self) -> Snapshot {
        self.sample()
    }
}
