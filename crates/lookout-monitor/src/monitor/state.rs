//! What the running monitor publishes for front ends, split by concern so that each part has
//! its own lock (and the config is held once, in a watch channel the workers read).

use super::event_feed::EventFeeds;
use super::recent::RecentHistory;
use super::DaemonOptions;
use crate::api::{TickFailure, TickView};
use crate::config::ConfigTrouble;
use crate::delivery::notice_bus::NoticeBus;
use crate::delivery::Health;
use crate::store::StoreHandle;
use crate::sys::self_usage::SelfUsage;
use crate::sys::server_trust::ServerTrust;
use crate::sys::{Clock, Shutdown};
use crate::tick::LoopInput;
use lookout_core::{AlertEvent, Snooze, ValidConfig};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::{broadcast, watch, Notify};

/// An "Open" pressed on an alert notification: the window should show that alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeOpen {
    /// The alert log entry, when it was logged.
    pub event_id: Option<i64>,
    pub rule: String,
}

/// Readings kept per metric for the charts: ten minutes at a one-second tick.
const RECENT_SAMPLES: usize = 600;

/// A listener run on the tick thread after every tick: see [`super::MonitorHandle::on_tick`].
pub(super) type TickHook = Box<dyn FnMut(&super::MonitorHandle, &Arc<TickView>) + Send>;

/// The last tick and the recent readings, written by the tick thread.
pub(super) struct Live {
    pub(super) latest: Option<Arc<TickView>>,
    pub(super) recent: RecentHistory,
}

pub(crate) struct Inner {
    pub(super) options: DaemonOptions,
    pub(super) commands: Sender<LoopInput>,
    /// The config in force (the last one that validated).
    pub(super) config: watch::Sender<Arc<ValidConfig>>,
    /// The problems of a config file that could not be used (Lookout runs on the last good
    /// one), shown in the language of the moment.
    pub(super) config_error: Mutex<Option<ConfigTrouble>>,
    pub(super) live: Mutex<Live>,
    pub(super) snooze: Mutex<Snooze>,
    pub(super) health: Arc<Health>,
    /// Whether an SMTP password is available; `None` until looked up.
    pub(super) password_set: Mutex<Option<bool>>,
    /// Which SMTP server the password may go to (the window's choice waits for confirmation).
    pub(super) trust: Arc<ServerTrust>,
    /// One window save at a time.
    pub(super) window_saves: tokio::sync::Mutex<()>,
    /// The config the window last wrote: the watcher must not take it for the user's edit.
    pub(super) own_write: Mutex<Option<lookout_core::Config>>,
    /// Wrong passwords typed in a row (each answer waits longer).
    pub(super) password_misses: Mutex<u32>,
    /// The last failure of the tick loop, if it ever failed.
    pub(super) tick_failure: watch::Sender<Option<TickFailure>>,
    /// Lossless event feeds (`lookout run --events`).
    pub(super) feeds: EventFeeds,
    pub(super) self_usage: Mutex<SelfUsage>,
    /// Who shows live charts: every metric is read while anyone does.
    pub(super) viewers: Mutex<Viewers>,
    pub(super) ticks: broadcast::Sender<Arc<TickView>>,
    pub(super) events: broadcast::Sender<AlertEvent>,
    pub(super) store: StoreHandle,
    /// Wakes the email sender: a message was queued or made due now.
    pub(super) email_wake: Arc<Notify>,
    /// Wakes the push sender (a message queued or made due).
    pub(super) push_wake: Arc<Notify>,
    /// Alert notifications with buttons, and where "Open" presses go (the tray's window).
    pub(super) notices: Arc<NoticeBus>,
    pub(super) opens: broadcast::Sender<NoticeOpen>,
    pub(super) clock: Clock,
    pub(super) tick_hooks: Mutex<Vec<TickHook>>,
}

/// The tray's window, and dashboard pages streaming ticks.
#[derive(Debug, Default)]
pub(super) struct Viewers {
    pub(super) window: bool,
    pub(super) others: usize,
}

impl Viewers {
    pub(super) fn any(&self) -> bool {
        self.window || self.others > 0
    }
}

impl Inner {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        options: DaemonOptions,
        commands: Sender<LoopInput>,
        valid: ValidConfig,
        config_error: Option<ConfigTrouble>,
        snooze: Snooze,
        health: Arc<Health>,
        store: StoreHandle,
        clock: Clock,
        trust: Arc<ServerTrust>,
        shutdown: Shutdown,
        notices: Arc<NoticeBus>,
    ) -> Self {
        Self {
            options,
            commands,
            config: watch::Sender::new(Arc::new(valid)),
            config_error: Mutex::new(config_error),
            live: Mutex::new(Live {
                latest: None,
                recent: RecentHistory::new(RECENT_SAMPLES),
            }),
            snooze: Mutex::new(snooze),
            health,
            password_set: Mutex::new(None),
            trust,
            window_saves: tokio::sync::Mutex::new(()),
            own_write: Mutex::new(None),
            password_misses: Mutex::new(0),
            tick_failure: watch::Sender::new(None),
            feeds: EventFeeds::new(shutdown),
            self_usage: Mutex::new(SelfUsage::default()),
            viewers: Mutex::new(Viewers::default()),
            ticks: broadcast::channel(16).0,
            events: broadcast::channel(1024).0,
            store,
            email_wake: Arc::new(Notify::new()),
            push_wake: Arc::new(Notify::new()),
            notices,
            opens: broadcast::channel(16).0,
            clock,
            tick_hooks: Mutex::new(Vec::new()),
        }
    }

    pub(super) fn clear_tick_hooks(&self) {
        lock(&self.tick_hooks).clear();
    }
}

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
