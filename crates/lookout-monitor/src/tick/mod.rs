//! The tick loop: sample, feed the engine, hand each tick's report to the caller, on its own
//! thread; commands arrive over a channel between ticks, and the loop ends on the monitor's
//! shutdown signal.

use crate::sys::Shutdown;
use jiff::tz::TimeZone;
use lookout_core::config::AppConfig;
use lookout_core::{
    AlertEvent, Culprit, CulpritKind, CulpritRequest, Engine, EventKind, MetricNeeds, QuietHours,
    QuietNow, Rule, Snapshot, Timestamp, ValidConfig,
};
use std::ops::ControlFlow;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;
use std::time::Instant;

/// Where readings come from: the real sampler, or a scripted one in tests.
pub trait MetricSource: Send + 'static {
    /// Narrows reading to what the rules use.
    fn set_needs(&mut self, needs: &MetricNeeds);
    /// One reading of everything needed; unreadable metrics are absent.
    fn read(&mut self) -> Snapshot;
    /// Takes the app watches of the config in force and their process-table interval.
    fn set_apps(&mut self, _apps: &[AppConfig], _interval: Duration) {}
    /// Takes the windows of the enabled CPU rules (their culprits are averaged over them).
    fn set_cpu_windows(&mut self, _windows: &[Duration]) {}
    /// The processes to blame for each request, in order; none when the source has no
    /// process table.
    fn culprits(&mut self, _requests: &[CulpritRequest]) -> Vec<Vec<Culprit>> {
        Vec::new()
    }
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
    /// Each tick's readings go to the history (`[storage] history`).
    history: bool,
    quiet_hours: Option<QuietHours>,
    /// Quiet hours are local times: in this zone when given (tests), else the machine's, looked
    /// up each tick (jiff caches it and notices a change within minutes: a laptop that travels).
    time_zone: Option<TimeZone>,
}

impl<S: MetricSource> Monitor<S> {
    pub fn new(config: &ValidConfig, mut source: S) -> Self {
        let engine = Engine::new(config.interval, config.rules.clone());
        source.set_apps(&config.config.apps, config.process_interval);
        source.set_cpu_windows(&cpu_windows(&config.rules));
        let history = config.config.storage.history;
        source.set_needs(&if reads_all_for_history(config) {
            MetricNeeds::everything_but_signals().union(&engine.needs())
        } else {
            engine.needs()
        });
        Self {
            engine,
            source,
            read_everything: false,
            history,
            quiet_hours: config.quiet_hours,
            time_zone: None,
        }
    }

    /// Reads quiet hours in `time_zone` instead of the machine's.
    pub fn with_time_zone(mut self, time_zone: TimeZone) -> Self {
        self.time_zone = Some(time_zone);
        self
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

    /// Whether each tick's readings go to the history (`[storage] history`).
    pub fn records_history(&self) -> bool {
        self.history
    }

    /// Whether the history asks for every metric the machine has (see
    /// [`HISTORY_READS_ALL_FROM`]).
    fn history_reads_all(&self) -> bool {
        self.history && self.engine.interval() >= HISTORY_READS_ALL_FROM
    }

    fn update_needs(&mut self) {
        let needs = if self.read_everything {
            MetricNeeds::everything()
        } else if self.history_reads_all() {
            // Batteries, disk I/O and GPUs only when a rule reads them (or the window shows
            // charts): the default config costs nothing for them.
            MetricNeeds::everything_but_signals().union(&self.engine.needs())
        } else {
            self.engine.needs()
        };
        self.source.set_needs(&needs);
    }

    /// Reads the source and evaluates every rule at `now`.
    pub fn tick(&mut self, now: Timestamp) -> TickReport {
        let quiet = self.quiet_hours.map_or(QuietNow::Off, |q| {
            let zone = self.time_zone.clone().unwrap_or_else(TimeZone::system);
            q.at(local_minute(now, &zone))
        });
        self.engine.set_quiet(quiet);
        let snapshot = self.source.read();
        let mut events = self.engine.tick(now, &snapshot);
        self.blame(&mut events);
        TickReport {
            at: now,
            snapshot,
            events,
        }
    }

    /// Names the culprits of each firing and reminder of a CPU or memory rule, from one scan.
    fn blame(&mut self, events: &mut [AlertEvent]) {
        let mut asked: Vec<(usize, CulpritRequest)> = Vec::new();
        for (i, event) in events.iter().enumerate() {
            if !matches!(event.state, EventKind::Firing | EventKind::Reminder) {
                continue;
            }
            let rule = (self.engine.states())
                .map(|(rule, _)| rule)
                .find(|r| r.name == event.rule);
            if let Some(request) = rule.and_then(CulpritRequest::for_rule) {
                asked.push((i, request));
            }
        }
        if asked.is_empty() {
            return;
        }
        let requests: Vec<CulpritRequest> = asked.iter().map(|(_, r)| r.clone()).collect();
        let found = self.source.culprits(&requests);
        for ((i, _), culprits) in asked.into_iter().zip(found) {
            events[i].culprits = culprits;
        }
    }

    pub fn apply(&mut self, command: MonitorCommand) {
        match command {
            MonitorCommand::Reconfigure(config) => {
                self.quiet_hours = config.quiet_hours;
                self.history = config.config.storage.history;
                self.source
                    .set_apps(&config.config.apps, config.process_interval);
                self.source.set_cpu_windows(&cpu_windows(&config.rules));
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

/// At this sampling interval or slower, the history records every metric the machine has, so
/// its charts show them all; reading them costs about 30 µs a tick. At a faster tick (a
/// power user's choice for quick rules) it records what the rules and app watches read, and
/// everything only while the window is open.
pub const HISTORY_READS_ALL_FROM: Duration = Duration::from_secs(1);

fn reads_all_for_history(config: &ValidConfig) -> bool {
    config.config.storage.history && config.interval >= HISTORY_READS_ALL_FROM
}

/// The windows of the enabled rules about CPU.
fn cpu_windows(rules: &[Rule]) -> Vec<Duration> {
    rules
        .iter()
        .filter(|r| r.enabled)
        .filter_map(CulpritRequest::for_rule)
        .filter(|r| r.kind == CulpritKind::Cpu)
        .map(|r| r.window)
        .collect()
}

/// The minute of the local day (0 = midnight) at `now` in `time_zone`.
pub fn local_minute(now: Timestamp, time_zone: &TimeZone) -> u16 {
    jiff::Timestamp::from_millisecond(now.as_millis())
        .map(|t| {
            let civil = time_zone.to_datetime(t);
            u16::try_from(civil.hour()).unwrap_or(0) * 60
                + u16::try_from(civil.minute()).unwrap_or(0)
        })
        .unwrap_or(0)
}

/// What the tick loop waits on between ticks.
pub enum LoopInput {
    Command(MonitorCommand),
    /// Look at the shutdown signal now (sent when it is triggered; see [`wake_on`]).
    Wake,
}

/// Wakes a loop reading `inputs` as soon as `shutdown` is triggered.
pub fn wake_on(shutdown: &Shutdown, inputs: Sender<LoopInput>) {
    shutdown.on_trigger(move || {
        let _ = inputs.send(LoopInput::Wake);
    });
}

/// Ticks every interval on the calling thread until `shutdown` (register [`wake_on`] so it
/// is seen at once), until every sender of `inputs` is gone, or until `on_tick` breaks; each
/// report goes to `on_tick`. A tick in progress always finishes.
///
/// A dedicated thread rather than an async task: between ticks it makes exactly one blocking
/// call (a futex wait with a timeout), where an async timer costs several wake-ups a tick, and
/// nothing else that runs on the async runtime (an SMTP handshake, SQLite) can delay a tick.
/// Timestamps come from `clock`: the wall clock in production ([`crate::sys::Clock::wall`]), so a
/// suspend shows up as missing samples. Scheduling is monotonic, and ticks missed while the
/// machine slept are skipped, not replayed in a burst.
pub fn run_loop<S, F>(
    monitor: &mut Monitor<S>,
    inputs: &Receiver<LoopInput>,
    clock: impl Fn() -> Timestamp,
    shutdown: &Shutdown,
    mut on_tick: F,
) where
    S: MetricSource,
    F: FnMut(&mut Monitor<S>, TickReport) -> ControlFlow<()>,
{
    let mut next = Instant::now() + monitor.interval();
    loop {
        if shutdown.is_triggered() {
            return;
        }
        match inputs.recv_timeout(next.saturating_duration_since(Instant::now())) {
            Ok(LoopInput::Command(command)) => {
                let before = monitor.interval();
                monitor.apply(command);
                if monitor.interval() != before {
                    next = Instant::now() + monitor.interval();
                }
                continue;
            }
            Ok(LoopInput::Wake) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
        let report = monitor.tick(clock());
        if on_tick(monitor, report).is_break() {
            return;
        }
        let period = monitor.interval();
        next += period;
        let now = Instant::now();
        if next <= now {
            // Late (the machine slept, or a tick took long): skip to the next slot from now.
            next = now + period;
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

    fn set_apps(&mut self, apps: &[AppConfig], interval: Duration) {
        crate::sampler::Sampler::set_apps(self, apps, interval);
    }

    fn set_cpu_windows(&mut self, windows: &[Duration]) {
        crate::sampler::Sampler::set_cpu_windows(self, windows);
    }

    fn culprits(&mut self, requests: &[CulpritRequest]) -> Vec<Vec<Culprit>> {
        crate::sampler::Sampler::culprits(self, requests)
    }
}
