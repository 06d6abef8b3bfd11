//! The assembled monitor: config file, sampler, engine, store and delivery running as tasks on
//! the caller's tokio runtime, observed and steered through a cloneable [`MonitorHandle`].

use crate::api::{ApiError, ErrorCode, RuleStatus, TickView};
use crate::clock::wall_now;
use crate::config_file::{load_config, load_or_create, save_config, ConfigFileError};
use crate::recent::RecentHistory;
use crate::runner::{run_loop, LoopInput, Monitor, MonitorCommand, TickReport};
use crate::sampler::Sampler;
use crate::self_usage::SelfUsage;
use crate::store::{DataDirLock, LockError, Store, StoreError};
use lookout_core::{AlertEvent, Config, Engine, MetricNeeds, Snooze, Timestamp, ValidConfig};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

/// Readings kept per metric for the charts: ten minutes at a one-second tick.
const RECENT_SAMPLES: usize = 600;
/// How stale [`MonitorHandle::latest`] may get when nobody listens to ticks.
const VIEW_REFRESH: std::time::Duration = std::time::Duration::from_secs(1);

/// Where the monitor keeps its files.
#[derive(Debug, Clone)]
pub struct DaemonOptions {
    pub config_path: PathBuf,
    pub data_dir: PathBuf,
    /// Write the commented default config when the file does not exist (first run).
    pub create_default_config: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigFileError),
    #[error(transparent)]
    Locked(#[from] LockError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot start the tick thread: {0}")]
    Thread(std::io::Error),
}

/// What the tick loop publishes for front ends.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) valid: ValidConfig,
    pub(crate) latest: Option<Arc<TickView>>,
    pub(crate) recent: RecentHistory,
    pub(crate) snooze: Snooze,
    pub(crate) self_usage: SelfUsage,
    pub(crate) health: Vec<crate::store::ChannelHealth>,
    /// Whether an SMTP password is available; `None` until looked up.
    pub(crate) password_set: Option<bool>,
    /// The problems of a config file that could not be used (Lookout runs on the last good one).
    pub(crate) config_error: Option<String>,
}

/// A listener run on the tick thread after every tick: see [`MonitorHandle::on_tick`].
type TickHook = Box<dyn FnMut(&MonitorHandle, &Arc<TickView>) + Send>;

pub(crate) struct Inner {
    pub(crate) options: DaemonOptions,
    pub(crate) commands: std::sync::mpsc::Sender<LoopInput>,
    pub(crate) shared: Mutex<Shared>,
    pub(crate) ticks: broadcast::Sender<Arc<TickView>>,
    pub(crate) events: broadcast::Sender<AlertEvent>,
    pub(crate) store: Arc<Mutex<Store>>,
    tick_hooks: Mutex<Vec<TickHook>>,
}

/// A cloneable handle to the running monitor, for the tray, the window and the CLI.
#[derive(Clone)]
pub struct MonitorHandle {
    pub(crate) inner: Arc<Inner>,
}

/// The running tasks; [`Daemon::stop`] ends them cleanly.
pub struct Daemon {
    stop: std::sync::mpsc::Sender<LoopInput>,
    tick_thread: std::thread::JoinHandle<()>,
    dispatcher: JoinHandle<()>,
    stop_sender: tokio::sync::watch::Sender<bool>,
    sender: JoinHandle<()>,
    _lock: DataDirLock,
}

impl Daemon {
    /// Loads the config, takes the data directory, restores saved alert states and starts the
    /// tick loop. Call from within a tokio runtime.
    /// An invalid config file is an error (the headless `lookout run` exits with it).
    pub async fn start(options: DaemonOptions) -> Result<(MonitorHandle, Daemon), StartError> {
        Self::launch(options, false).await
    }

    /// Like [`Daemon::start`], but an invalid config file does not stop Lookout: it runs on the
    /// last config that was valid (or the default), reports the problems in its status, and
    /// leaves the user's file as it is. For the tray app, which nobody watches start.
    pub async fn start_with_fallback(
        options: DaemonOptions,
    ) -> Result<(MonitorHandle, Daemon), StartError> {
        Self::launch(options, true).await
    }

    async fn launch(
        options: DaemonOptions,
        fallback: bool,
    ) -> Result<(MonitorHandle, Daemon), StartError> {
        let lock = DataDirLock::acquire(&options.data_dir)?;
        let loaded = if options.create_default_config {
            load_or_create(&options.config_path).map(|(valid, _)| valid)
        } else {
            load_config(&options.config_path)
        };
        let (valid, config_error) = match loaded {
            Ok(valid) => {
                crate::last_good::remember(&options.data_dir, &valid.config);
                (valid, None)
            }
            Err(e @ ConfigFileError::Invalid { .. }) if fallback => {
                // Its text is every problem, one `PATH:LINE:COL: field: message` per line.
                let report = e.to_string();
                tracing::error!("{report}");
                tracing::warn!("the config file has problems; running on the last valid config");
                (crate::last_good::recall(&options.data_dir)?, Some(report))
            }
            Err(e) => return Err(e.into()),
        };
        let store = Store::open_locked(&lock)?;
        let needs = rule_needs(&valid);
        let mut monitor = Monitor::new(&valid, Sampler::new(&needs));
        for (rule, state) in store.load_states()? {
            monitor.engine_mut().restore_state(&rule, state);
        }
        let snooze = store.load_snooze()?;
        *monitor.engine_mut().snooze_mut() = snooze.clone();
        let health = store.channel_health()?;
        let (commands, command_rx) = std::sync::mpsc::channel();
        let stop_loop = commands.clone();
        let (ticks, _) = broadcast::channel(16);
        let (events, _) = broadcast::channel(1024);
        let inner = Arc::new(Inner {
            options,
            commands,
            shared: Mutex::new(Shared {
                config: valid.config.clone(),
                valid,
                latest: None,
                recent: RecentHistory::new(RECENT_SAMPLES),
                snooze,
                self_usage: SelfUsage::default(),
                health,
                password_set: None,
                config_error,
            }),
            ticks,
            events,
            store: Arc::new(Mutex::new(store)),
            tick_hooks: Mutex::new(Vec::new()),
        });
        let handle = MonitorHandle {
            inner: inner.clone(),
        };
        let (stop_sender, sender_stop) = tokio::sync::watch::channel(false);
        let (email_wake, sender) = crate::outbox_sender::start(handle.clone(), sender_stop);
        let (dispatch, dispatcher) = crate::dispatch::Dispatcher::start(handle.clone(), email_wake);
        let on_thread = handle.clone();
        let tick_thread = std::thread::Builder::new()
            .name("lookout-tick".into())
            .spawn(move || {
                let mut tick: u64 = 0;
                run_loop(&mut monitor, &command_rx, wall_now, |monitor, report| {
                    tick += 1;
                    publish(&on_thread, &dispatch, monitor, report, tick);
                    ControlFlow::Continue(())
                });
                // Dropping the queue lets the dispatcher finish what is queued, then end.
                drop(dispatch);
                // Listeners may hold handles to the monitor (a GUI's state does): let them go.
                self::lock(&on_thread.inner.tick_hooks).clear();
            })
            .map_err(StartError::Thread)?;
        Ok((
            handle,
            Daemon {
                stop: stop_loop,
                tick_thread,
                dispatcher,
                stop_sender,
                sender,
                _lock: lock,
            },
        ))
    }

    /// Stops the tick loop after its current tick, waits until every queued event is written,
    /// stops the email sender, and only then releases the data directory.
    pub async fn stop(self) {
        let _ = self.stop.send(LoopInput::Stop);
        let thread = self.tick_thread;
        let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        let _ = self.dispatcher.await;
        let _ = self.stop_sender.send(true);
        let _ = self.sender.await;
        drop(self._lock);
    }
}

fn rule_needs(config: &ValidConfig) -> MetricNeeds {
    MetricNeeds::for_keys(config.rules.iter().filter(|r| r.enabled).map(|r| &r.metric))
}

/// Runs on every tick, on the tick loop: keep it cheap.
fn publish(
    handle: &MonitorHandle,
    dispatch: &crate::dispatch::Dispatcher,
    monitor: &mut Monitor<Sampler>,
    report: TickReport,
    tick: u64,
) {
    let inner = &handle.inner;
    let changed = monitor.engine_mut().take_states_changed();
    let engine = monitor.engine();
    if !report.events.is_empty() {
        for e in &report.events {
            let value = e
                .value
                .map_or_else(|| "unknown".to_owned(), |v| format!("{v:.2}"));
            tracing::info!(rule = %e.rule, state = e.state.name(), tick, notify = e.notify, "{} {} = {value} ({} {})", e.aggregate, e.metric, e.op, e.threshold);
        }
        dispatch.send(report.events.clone(), engine);
        for event in &report.events {
            let _ = inner.events.send(event.clone());
        }
    } else if changed {
        dispatch.send(Vec::new(), engine);
    }
    // Building the view costs allocations: do it for listeners, on changes, or once a second.
    let mut hooks = lock(&inner.tick_hooks);
    let listening = inner.ticks.receiver_count() > 0 || !hooks.is_empty();
    let mut shared = lock(&inner.shared);
    shared.recent.record(report.at, &report.snapshot);
    let stale = shared
        .latest
        .as_ref()
        .is_none_or(|l| report.at.since(l.at) >= VIEW_REFRESH);
    if !(listening || changed || stale) {
        return;
    }
    let view = Arc::new(TickView {
        at: report.at,
        values: report.snapshot,
        rules: rule_statuses(engine),
    });
    shared.latest = Some(view.clone());
    drop(shared);
    // A listener that panics must not take the tick loop with it: it is dropped instead.
    hooks.retain_mut(|hook| {
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hook(handle, &view)));
        if ran.is_err() {
            tracing::error!("a tick listener panicked; it no longer gets ticks");
        }
        ran.is_ok()
    });
    if inner.ticks.receiver_count() > 0 {
        let _ = inner.ticks.send(view);
    }
}

pub(crate) fn rule_statuses(engine: &Engine) -> Vec<RuleStatus> {
    let now_snooze = engine.snooze();
    engine
        .states()
        .filter(|(rule, _)| rule.enabled)
        .map(|(rule, state)| RuleStatus {
            name: rule.name.clone(),
            metric: rule.metric.to_string(),
            severity: rule.severity,
            enabled: rule.enabled,
            phase: state.phase,
            value: state.last_value,
            coverage: state.last_coverage,
            snoozed_until: now_snooze
                .rules
                .get(&rule.name)
                .copied()
                .max(now_snooze.all_until),
        })
        .collect()
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl MonitorHandle {
    /// The config in force (the last one that validated).
    pub fn config(&self) -> Config {
        lock(&self.inner.shared).config.clone()
    }

    pub fn valid_config(&self) -> ValidConfig {
        lock(&self.inner.shared).valid.clone()
    }

    /// Validates without saving; an empty list means valid.
    pub fn validate(&self, config: &Config) -> Vec<lookout_core::FieldError> {
        crate::config_file::validate_config(config)
            .err()
            .unwrap_or_default()
    }

    /// Validates, writes the file atomically and applies it. Nothing is written when invalid.
    pub async fn set_config(&self, config: Config) -> Result<Config, ApiError> {
        let path = self.inner.options.config_path.clone();
        let to_save = config.clone();
        let saved = tokio::task::spawn_blocking(move || save_config(&path, &to_save))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let valid = match saved {
            Ok(v) => v,
            Err(ConfigFileError::Invalid { .. }) => {
                return Err(ApiError::invalid_config(
                    crate::config_file::validate_config(&config)
                        .err()
                        .unwrap_or_default(),
                ))
            }
            Err(e) => return Err(ApiError::new(ErrorCode::ConfigIo, e.to_string())),
        };
        self.apply_config(valid).await?;
        Ok(config)
    }

    /// Applies an already validated config (e.g. after the file changed on disk).
    pub async fn apply_config(&self, valid: ValidConfig) -> Result<(), ApiError> {
        {
            let mut shared = lock(&self.inner.shared);
            shared.config = valid.config.clone();
            shared.valid = valid.clone();
            shared.config_error = None;
            shared.password_set = None;
        }
        let (dir, config) = (self.inner.options.data_dir.clone(), valid.config.clone());
        let _ =
            tokio::task::spawn_blocking(move || crate::last_good::remember(&dir, &config)).await;
        self.command(MonitorCommand::Reconfigure(Box::new(valid)))
            .await
    }

    /// The last tick's readings and rule states.
    pub fn latest(&self) -> Option<Arc<TickView>> {
        lock(&self.inner.shared).latest.clone()
    }

    /// Every tick from now on (dropped ticks are skipped by a slow receiver, never queued).
    pub fn subscribe_ticks(&self) -> broadcast::Receiver<Arc<TickView>> {
        self.inner.ticks.subscribe()
    }

    /// Calls `hook` on the tick thread after every tick from now on, with the tick's view.
    ///
    /// For front ends that forward every tick to a thread of their own (a GUI's main loop):
    /// the call costs no wake-up of the async runtime. `hook` must return at once and must not
    /// call `on_tick`; it may use the handle's synchronous methods.
    pub fn on_tick(&self, hook: impl FnMut(&MonitorHandle, &Arc<TickView>) + Send + 'static) {
        lock(&self.inner.tick_hooks).push(Box::new(hook));
    }

    /// Every alert transition from now on.
    pub fn subscribe_events(&self) -> broadcast::Receiver<AlertEvent> {
        self.inner.events.subscribe()
    }

    /// Recent readings of every sampled metric.
    pub fn recent(&self) -> Vec<crate::api::MetricSeries> {
        lock(&self.inner.shared).recent.series()
    }

    /// Reads every metric (not only those rules use) while a window shows them.
    pub async fn set_live_view(&self, on: bool) -> Result<(), ApiError> {
        self.command(MonitorCommand::ReadEverything(on)).await
    }

    /// Mutes notifications until `until`, or lifts every snooze with `None`.
    pub async fn pause(&self, until: Option<Timestamp>) -> Result<(), ApiError> {
        let command = match until {
            Some(until) => MonitorCommand::Snooze { rule: None, until },
            None => MonitorCommand::Resume,
        };
        self.command(command).await?;
        let snooze = {
            let mut shared = lock(&self.inner.shared);
            match until {
                Some(t) => shared.snooze.snooze_all(t),
                None => shared.snooze.resume(),
            }
            shared.snooze.clone()
        };
        let store = self.inner.store.clone();
        tokio::task::spawn_blocking(move || lock(&store).save_snooze(&snooze))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
            .map_err(|e| ApiError::new(ErrorCode::Store, e.to_string()))
    }

    pub fn is_paused(&self, now: Timestamp) -> bool {
        lock(&self.inner.shared).snooze.is_paused(now)
    }

    /// The alert log since `since`, newest first.
    pub async fn alerts(
        &self,
        since: Option<Timestamp>,
        limit: usize,
    ) -> Result<Vec<crate::store::LoggedAlert>, ApiError> {
        let store = self.inner.store.clone();
        let since = since.unwrap_or(Timestamp::from_millis(0));
        tokio::task::spawn_blocking(move || lock(&store).alerts_since(since, limit))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
            .map_err(|e| ApiError::new(ErrorCode::Store, e.to_string()))
    }

    pub fn config_path(&self) -> &std::path::Path {
        &self.inner.options.config_path
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.inner.options.data_dir
    }

    pub(crate) async fn command(&self, command: MonitorCommand) -> Result<(), ApiError> {
        self.inner
            .commands
            .send(LoopInput::Command(command))
            .map_err(|_| ApiError::new(ErrorCode::Stopped, "the monitor has stopped"))
    }
}
