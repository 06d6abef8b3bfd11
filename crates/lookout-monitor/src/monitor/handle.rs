//! [`MonitorHandle`]: what the tray, the window and the CLI call on a running monitor.

use super::event_feed::{EventReader, FEED_CAPACITY};
use super::state::{lock, Inner};
use crate::api::{ApiError, ErrorCode, MetricSeries, TickFailure, TickView};
use crate::config::watch::Edit;
use crate::config::{last_good, save_config, validate_config, ConfigFileError, ConfigTrouble};
use crate::store::LoggedAlert;
use crate::sys::Shutdown;
use crate::tick::{LoopInput, MonitorCommand};
use lookout_core::{AlertEvent, Config, FieldError, Timestamp, ValidConfig};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::broadcast;

/// A cloneable handle to the running monitor, for the tray, the window and the CLI.
#[derive(Clone)]
pub struct MonitorHandle {
    pub(super) inner: Arc<Inner>,
}

/// A page showing live charts: see [`MonitorHandle::live_viewer`].
pub struct LiveViewer {
    handle: MonitorHandle,
}

impl Drop for LiveViewer {
    fn drop(&mut self) {
        let everything = {
            let mut viewers = lock(&self.handle.inner.viewers);
            viewers.others = viewers.others.saturating_sub(1);
            viewers.any()
        };
        let _ = self
            .handle
            .command(MonitorCommand::ReadEverything(everything));
    }
}

/// Why a window save did not happen.
enum SaveError {
    Invalid,
    Io(String),
}

fn internal(e: impl ToString) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

impl MonitorHandle {
    pub(super) fn from_inner(inner: Arc<Inner>) -> Self {
        Self { inner }
    }

    /// The config in force (the last one that validated).
    pub fn config(&self) -> Config {
        self.inner.config.borrow().config.clone()
    }

    /// The `language` setting in force (cheap: for every tick of a front end).
    pub fn language_setting(&self) -> lookout_core::config::LanguageSetting {
        self.inner.config.borrow().config.language
    }

    /// Follows the config in force: the receiver sees each config the monitor applies.
    pub fn watch_config(&self) -> tokio::sync::watch::Receiver<Arc<ValidConfig>> {
        self.inner.config.subscribe()
    }

    pub fn valid_config(&self) -> ValidConfig {
        (**self.inner.config.borrow()).clone()
    }

    /// Validates without saving; an empty list means valid.
    pub fn validate(&self, config: &Config) -> Vec<FieldError> {
        validate_config(config).err().unwrap_or_default()
    }

    /// The window's save: validates, writes the file atomically and applies it. Nothing is
    /// written when invalid. Returns the config saved.
    ///
    /// The window is not trusted with where the password goes: it cannot set or change
    /// `email.password_file` or `email.ca_file` (those come from the file or the CLI), and a
    /// server it names gets the password only once the user confirms it (see
    /// [`crate::sys::server_trust`]). The same holds for push channels: their `secret_file`
    /// and `ca_file` come from the file, and a channel the window sends elsewhere loses its
    /// stored secret.
    pub async fn set_config(&self, config: Config) -> Result<Config, ApiError> {
        let current = self.config();
        for (field, now, wanted) in [
            (
                "email.password_file",
                &current.email.password_file,
                &config.email.password_file,
            ),
            (
                "email.ca_file",
                &current.email.ca_file,
                &config.email.ca_file,
            ),
        ] {
            if now != wanted {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    format!("{field} can only be changed in the config file or with the command line, not from the window; the config was not saved"),
                ));
            }
        }
        let moved_channels = super::channel_guard::window_channels(&current, &config)?;
        // Actions come from the file alone: whatever the window sent, each rule keeps the
        // file's actions (a rule the file does not have gets none).
        let config = crate::actions::keep_file_actions(config, &current);
        // One window save at a time: note, write and apply form one step.
        let _one_save = self.inner.window_saves.lock().await;
        let path = self.inner.options.config_path.clone();
        let to_save = config.clone();
        let inner = self.inner.clone();
        let saved = tokio::task::spawn_blocking(move || {
            let valid = validate_config(&to_save).map_err(|_| SaveError::Invalid)?;
            // The trust record first: a crash after it leaves the window's server unconfirmed.
            inner
                .trust
                .window_saving(&valid.config.email)
                .map_err(|e| SaveError::Io(format!("cannot keep the SMTP server trust record, so the config was not saved: {e}")))?;
            *lock(&inner.own_write) = Some(valid.config.clone());
            save_config(&path, &to_save).map_err(|e| match e {
                ConfigFileError::Invalid { .. } => SaveError::Invalid,
                other => SaveError::Io(other.to_string()),
            })
        })
        .await
        .map_err(internal)?;
        let valid = match saved {
            Ok(v) => v,
            Err(SaveError::Invalid) => {
                return Err(ApiError::invalid_config(self.validate(&config)))
            }
            Err(SaveError::Io(message)) => return Err(ApiError::new(ErrorCode::ConfigIo, message)),
        };
        // Before the new destination is in force: no message goes there with the old secret.
        super::channel_guard::forget_secrets(moved_channels).await;
        let handle = self.clone();
        tokio::task::spawn_blocking(move || handle.apply_now(valid))
            .await
            .map_err(internal)??;
        Ok(config)
    }

    /// Applies an already validated config read from the file (a reload, a hand edit): the
    /// SMTP server it names is the user's choice, unless the window named it.
    pub async fn apply_config(&self, valid: ValidConfig) -> Result<(), ApiError> {
        if !self.is_own_write(&valid.config) {
            self.inner.trust.file_edited(&valid.config.email);
        }
        let handle = self.clone();
        tokio::task::spawn_blocking(move || handle.apply_now(valid))
            .await
            .map_err(internal)?
    }

    /// [`Self::apply_config`] on this thread (it writes the last-good copy: it may block).
    fn apply_now(&self, valid: ValidConfig) -> Result<(), ApiError> {
        last_good::remember(&self.inner.options.data_dir, &valid.config);
        self.inner.config.send_replace(Arc::new(valid.clone()));
        *lock(&self.inner.config_error) = None;
        *lock(&self.inner.password_set) = None;
        self.command(MonitorCommand::Reconfigure(Box::new(valid)))
    }

    /// Starts following hand edits of the config file until `shutdown`; `None` (logged) when
    /// the file's directory cannot be watched.
    pub(super) fn follow_config_file(
        &self,
        shutdown: &Shutdown,
    ) -> Option<std::thread::JoinHandle<()>> {
        let handle = self.clone();
        crate::config::watch::follow(self.config_path(), shutdown, move |edit| {
            handle.on_config_edit(edit)
        })
        .inspect_err(
            |e| tracing::warn!(error = %e, "hand edits of the config file apply after a restart"),
        )
        .ok()
    }

    /// A hand edit of the config file: applied when valid and different, reported when not.
    fn on_config_edit(&self, edit: Edit) {
        match edit {
            // Lookout's own save (applied by the save itself), or a write that changed nothing.
            Ok(valid) if valid.config == self.config() || self.is_own_write(&valid.config) => {
                *lock(&self.inner.config_error) = None
            }
            Ok(valid) => {
                // The server the user wrote is theirs (unless the window named it).
                self.inner.trust.file_edited(&valid.config.email);
                match self.apply_now(valid) {
                    Ok(()) => {
                        tracing::info!(path = %self.config_path().display(), "config file edited: applied")
                    }
                    Err(e) => tracing::error!(error = %e, "cannot apply the edited config file"),
                }
            }
            Err(ConfigFileError::Invalid { path, problems }) => {
                let trouble = ConfigTrouble { path, problems };
                tracing::error!("{}", trouble.text(lookout_i18n::Language::En));
                tracing::warn!(
                    "the edited config file has problems; still running on the last valid config"
                );
                *lock(&self.inner.config_error) = Some(trouble);
            }
            // Between an editor's delete and its write: the next event brings the file back.
            Err(e) => tracing::warn!(error = %e, "cannot read the edited config file"),
        }
    }

    /// Whether `config` is what the window last saved: the file holding it is Lookout's own
    /// write, not the user's edit.
    fn is_own_write(&self, config: &Config) -> bool {
        lock(&self.inner.own_write).as_ref() == Some(config)
    }

    /// The last tick's readings and rule states.
    pub fn latest(&self) -> Option<Arc<TickView>> {
        lock(&self.inner.live).latest.clone()
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

    /// The last failure of the tick loop since start, if it ever failed.
    pub fn tick_failure(&self) -> Option<TickFailure> {
        self.inner.tick_failure.borrow().clone()
    }

    /// Resolves when the tick loop fails and stays down (`lookout run`, or too many failures
    /// in a row in the tray): alerts are no longer checked. Pending otherwise.
    pub async fn tick_failed(&self) -> TickFailure {
        let mut failures = self.inner.tick_failure.subscribe();
        loop {
            if let Some(failure) = failures.borrow_and_update().clone() {
                if !failure.restarted {
                    return failure;
                }
            }
            if failures.changed().await.is_err() {
                return std::future::pending().await;
            }
        }
    }

    /// Every alert transition from now on, for listeners that may skip some when they fall
    /// behind (the tray's menu). See [`Self::event_feed`] for every one.
    pub fn subscribe_events(&self) -> broadcast::Receiver<AlertEvent> {
        self.inner.events.subscribe()
    }

    /// Every alert transition from now on, none dropped: a reader that falls behind by
    /// [`FEED_CAPACITY`] events makes the tick thread wait for it. Read it on a thread of its
    /// own; it ends once the monitor has stopped and every event was read.
    pub fn event_feed(&self) -> EventReader {
        self.inner.feeds.open(FEED_CAPACITY)
    }

    /// Recent readings of every sampled metric.
    pub fn recent(&self) -> Vec<MetricSeries> {
        lock(&self.inner.live).recent.series()
    }

    /// Reads every metric (not only those rules use) while the tray's window shows them (or a
    /// [`LiveViewer`] lives).
    pub async fn set_live_view(&self, on: bool) -> Result<(), ApiError> {
        let everything = {
            let mut viewers = lock(&self.inner.viewers);
            viewers.window = on;
            viewers.any()
        };
        self.command(MonitorCommand::ReadEverything(everything))
    }

    /// Every metric is read while the returned guard lives (a dashboard page streaming ticks),
    /// whatever the tray's window does.
    pub fn live_viewer(&self) -> LiveViewer {
        let everything = {
            let mut viewers = lock(&self.inner.viewers);
            viewers.others += 1;
            viewers.any()
        };
        let _ = self.command(MonitorCommand::ReadEverything(everything));
        LiveViewer {
            handle: self.clone(),
        }
    }

    /// Mutes notifications until `until`, or lifts every snooze with `None`.
    pub async fn pause(&self, until: Option<Timestamp>) -> Result<(), ApiError> {
        let command = match until {
            Some(until) => MonitorCommand::Snooze { rule: None, until },
            None => MonitorCommand::Resume,
        };
        self.command(command)?;
        let snooze = {
            let mut snooze = lock(&self.inner.snooze);
            match until {
                Some(t) => snooze.snooze_all(t),
                None => snooze.resume(),
            }
            snooze.clone()
        };
        self.inner
            .store
            .call(move |s| s.save_snooze(&snooze))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Store, e.to_string()))
    }

    pub fn is_paused(&self, now: Timestamp) -> bool {
        lock(&self.inner.snooze).is_paused(now)
    }

    /// The alert log since `since`, newest first.
    pub async fn alerts(
        &self,
        since: Option<Timestamp>,
        limit: usize,
    ) -> Result<Vec<LoggedAlert>, ApiError> {
        let since = since.unwrap_or(Timestamp::from_millis(0));
        self.inner
            .store
            .call(move |s| s.alerts_since(since, limit))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Store, e.to_string()))
    }

    pub fn config_path(&self) -> &Path {
        &self.inner.options.config_path
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.options.data_dir
    }

    pub(super) fn command(&self, command: MonitorCommand) -> Result<(), ApiError> {
        self.inner
            .commands
            .send(LoopInput::Command(command))
            .map_err(|_| ApiError::new(ErrorCode::Stopped, "the monitor has stopped"))
    }
}
