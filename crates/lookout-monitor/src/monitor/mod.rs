//! The running monitor: assembles the tick thread and the workers (delivery, the email sender,
//! the history recorder, retention, the probes, the config file watcher) around one store, one config and
//! one shutdown signal, and hands front ends a cloneable [`MonitorHandle`].
//!
//! Files: [`handle`] (what front ends call), `history_api` (its history queries and
//! backtests), [`deliveries_api`] (the delivery log, send now, disk use), [`channels_api`]
//! (push channels' tests and secrets) with `channel_guard` (what the window may not do with
//! them), `state` (what the
//! monitor publishes, split by concern), `publish` (the tick thread's hand-over of each tick),
//! [`status`] (the overall state, channel health and one-off tests), `tick_thread` (the tick
//! loop, restarted after a failure), [`recent`] (readings for the charts), [`event_feed`]
//! (lossless event feeds for `lookout run --events`).

mod channel_guard;
pub mod channels_api;
pub mod deliveries_api;
pub mod event_feed;
pub mod handle;
mod history_api;
pub mod notice_actions;
mod publish;
pub mod recent;
mod state;
pub mod status;
mod tick_thread;

use tick_thread::TickThread;
pub use tick_thread::FAIL_AT_TICK_ENV;

pub use handle::{LiveViewer, MonitorHandle};
pub use publish::rule_statuses;
pub use state::NoticeOpen;

use crate::config::{last_good, load_config, load_or_create, ConfigFileError, ConfigTrouble};
use crate::delivery::dispatch::{Dispatcher, RaisedTap, Wakers};
use crate::delivery::email::sender::{self, Smtp};
use crate::delivery::notice_bus::NoticeBus;
use crate::delivery::push;
use crate::delivery::{DeliveryInputs, Health};
use crate::history;
use crate::probes::{self, ProbeBoard};
use crate::sampler::Sampler;
use crate::store::{retention, DataDirLock, LockError, Store, StoreError, StoreHandle};
use crate::sys::clock::host_name;
use crate::sys::server_trust::ServerTrust;
use crate::sys::{Clock, Shutdown};
use crate::tick::{wake_on, Monitor};
use lookout_core::{AlertEvent, MetricNeeds, ValidConfig};
use lookout_i18n::Language;
use state::Inner;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// Where the monitor keeps its files, and what it looks after besides ticking.
#[derive(Debug, Clone)]
pub struct DaemonOptions {
    pub config_path: PathBuf,
    pub data_dir: PathBuf,
    /// Write the commented default config when the file does not exist (first run).
    pub create_default_config: bool,
    /// Apply hand edits of the config file while running (the tray app; `lookout run` reloads
    /// on SIGHUP instead).
    pub follow_config_edits: bool,
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

/// The running threads and tasks; [`Daemon::stop`] ends and joins every one of them.
pub struct Daemon {
    shutdown: Shutdown,
    tick_thread: std::thread::JoinHandle<()>,
    config_thread: Option<std::thread::JoinHandle<()>>,
    /// The dispatcher and the history recorder (which end once the tick thread is gone and
    /// their queues are written), the email sender and the retention job.
    tasks: Vec<JoinHandle<()>>,
    _lock: DataDirLock,
}

impl Daemon {
    /// Loads the config, takes the data directory, restores saved alert states and starts the
    /// tick loop. Call from within a tokio runtime.
    /// An invalid config file is an error, and a failed tick loop stays down (see
    /// [`MonitorHandle::tick_failed`]): the headless `lookout run` exits with either.
    pub async fn start(options: DaemonOptions) -> Result<(MonitorHandle, Daemon), StartError> {
        Self::launch(options, false).await
    }

    /// Like [`Daemon::start`], but an invalid config file does not stop Lookout: it runs on the
    /// last config that was valid (or the default), reports the problems in its status, and
    /// leaves the user's file as it is; and a tick loop that fails is started again. For the
    /// tray app, which nobody watches start.
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
                last_good::remember(&options.data_dir, &valid.config);
                (valid, None)
            }
            Err(ConfigFileError::Invalid { path, problems }) if fallback => {
                let trouble = ConfigTrouble { path, problems };
                tracing::error!("{}", trouble.text(Language::En));
                tracing::warn!("the config file has problems; running on the last valid config");
                (last_good::recall(&options.data_dir)?, Some(trouble))
            }
            Err(e) => return Err(e.into()),
        };
        let store = Store::open_locked(&lock)?;
        // The one place the monitor takes the wall clock; everything below is handed it.
        let clock = Clock::wall();
        let probe_board = ProbeBoard::default();
        let sampler = Sampler::new(&rule_needs(&valid)).with_probes(probe_board.clone());
        let mut monitor = Monitor::new(&valid, sampler);
        for (rule, state) in store.load_states()? {
            monitor.engine_mut().restore_state(&rule, state);
        }
        if valid.config.storage.history {
            match history::refill::refill(monitor.engine_mut(), &store, clock.now()) {
                Ok(ticks) => tracing::info!(ticks, "refilled the rules' windows from the history"),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot refill the rules' windows from the history; they start empty")
                }
            }
        }
        let snooze = store.load_snooze()?;
        *monitor.engine_mut().snooze_mut() = snooze.clone();
        let health = Arc::new(Health::new(
            store.channel_health(&crate::delivery::push_channels(&valid))?,
        ));
        let store = StoreHandle::new(store);
        let shutdown = Shutdown::new();
        let (commands, command_rx) = std::sync::mpsc::channel();
        wake_on(&shutdown, commands.clone());
        let follow = options.follow_config_edits;
        let trust = Arc::new(ServerTrust::load(&options.data_dir, &valid.config.email));
        let (notices, pressed) = NoticeBus::new(shutdown.clone());
        let inner = Arc::new(Inner::new(
            options,
            commands,
            valid,
            config_error,
            snooze,
            health.clone(),
            store.clone(),
            clock.clone(),
            trust.clone(),
            shutdown.clone(),
            notices.clone(),
        ));
        let handle = MonitorHandle::from_inner(inner);
        let inputs = DeliveryInputs {
            store: store.clone(),
            config: handle.inner.config.subscribe(),
            clock: clock.clone(),
            health,
            host: host_name(),
        };
        let email_wake = handle.inner.email_wake.clone();
        let email_sender = sender::start(
            inputs.clone(),
            Smtp::new(trust),
            email_wake.clone(),
            shutdown.clone(),
        );
        // Give-up alerts reach `--events` readers and subscribers like the tick's events.
        let raised = handle.inner.clone();
        let tap: RaisedTap = Arc::new(move |events: Vec<AlertEvent>| {
            for event in &events {
                let _ = raised.events.send(event.clone());
            }
            let raised = raised.clone();
            // A slow `--events` reader may make this wait: not on an async thread.
            tokio::task::spawn_blocking(move || raised.feeds.send(&events));
        });
        let push_wake = handle.inner.push_wake.clone();
        let push_sender = push::sender::start(inputs.clone(), push_wake.clone(), shutdown.clone());
        let wakers = Wakers {
            email: email_wake,
            push: push_wake,
        };
        let (dispatch, dispatcher) = Dispatcher::start(inputs, wakers, notices, tap);
        let presses = tokio::spawn(notice_actions::run(
            handle.clone(),
            pressed,
            shutdown.clone(),
        ));
        let pruner = tokio::spawn(retention::run(
            store.clone(),
            handle.inner.config.subscribe(),
            clock.clone(),
            shutdown.clone(),
        ));
        let prober = tokio::spawn(probes::run(
            probe_board,
            handle.inner.config.subscribe(),
            shutdown.clone(),
        ));
        let (history, recorder) = history::recorder::start(store.clone());
        let ticking = TickThread {
            monitor,
            commands: command_rx,
            handle: handle.clone(),
            dispatch,
            history,
            clock,
            shutdown: shutdown.clone(),
            restart: fallback,
        };
        let tick_thread = std::thread::Builder::new()
            .name("lookout-tick".into())
            .spawn(move || ticking.run())
            .map_err(StartError::Thread)?;
        let config_thread = follow
            .then(|| handle.follow_config_file(&shutdown))
            .flatten();
        Ok((
            handle,
            Daemon {
                shutdown,
                tick_thread,
                config_thread,
                tasks: vec![
                    dispatcher,
                    email_sender,
                    push_sender,
                    pruner,
                    recorder,
                    presses,
                    prober,
                ],
                _lock: lock,
            },
        ))
    }

    /// Signals shutdown and waits for everything: the tick loop finishes its tick, the
    /// dispatcher writes every queued event, the email sender finishes the send in flight
    /// (bounded by the email timeout); only then is the data directory released.
    pub async fn stop(self) {
        self.shutdown.trigger();
        let threads = [Some(self.tick_thread), self.config_thread];
        let _ = tokio::task::spawn_blocking(move || {
            for thread in threads.into_iter().flatten() {
                let _ = thread.join();
            }
        })
        .await;
        for task in self.tasks {
            let _ = task.await;
        }
        drop(self._lock);
    }
}

pub(super) fn rule_needs(config: &ValidConfig) -> MetricNeeds {
    MetricNeeds::for_keys(config.rules.iter().filter(|r| r.enabled).map(|r| &r.metric))
}
