//! What the monitor reports about itself (overall state, channel health, outbox, footprint)
//! and the user's one-off actions: test notification, test email, the SMTP password.

use super::state::lock;
use super::MonitorHandle;
use crate::api::{ApiError, ChannelStatus, ErrorCode, OverallState, Status};
use crate::delivery::email::channel::EmailChannel;
use crate::delivery::{desktop, email::message::render_test_email};
use crate::sys::clock::host_name;
use crate::sys::secrets;
use lookout_core::config::EmailConfig;
use lookout_core::rule::Channel;
use lookout_core::Timestamp;
use lookout_core::{AlertPhase, Severity};
use lookout_i18n::Language;
use std::time::Duration;

/// The longest wait before answering a wrong password.
const MAX_MISS_WAIT: Duration = Duration::from_secs(30);

/// The state the tray shows: a failing channel first (alerts may not arrive), then paused,
/// then the worst firing severity.
pub fn overall_state(
    channels_failing: bool,
    paused: bool,
    firing: impl IntoIterator<Item = Severity>,
) -> OverallState {
    if channels_failing {
        return OverallState::ChannelFailing;
    }
    if paused {
        return OverallState::Paused;
    }
    firing
        .into_iter()
        .fold(OverallState::Ok, |worst, s| match (worst, s) {
            (_, Severity::Critical) | (OverallState::Critical, _) => OverallState::Critical,
            _ => OverallState::Warning,
        })
}

impl MonitorHandle {
    /// Re-reads channel health from the delivery log (after deliveries).
    pub async fn refresh_health(&self) {
        let push = crate::delivery::push_channels(&self.inner.config.borrow());
        self.inner.health.refresh(&self.inner.store, push).await;
    }

    fn channel_enabled(&self, channel: &Channel) -> bool {
        let config = &self.inner.config.borrow().config;
        if *channel == Channel::DESKTOP {
            config.desktop.enabled
        } else if *channel == Channel::EMAIL {
            config.email.enabled
        } else {
            config
                .channels
                .iter()
                .any(|c| c.name == channel.name() && c.enabled)
        }
    }

    /// The overall state, cheap enough for every tick (no I/O).
    pub fn overall(&self) -> OverallState {
        let failing = self
            .inner
            .health
            .channels()
            .iter()
            .any(|h| self.channel_enabled(&h.channel) && h.is_failing());
        let live = lock(&self.inner.live);
        let now = live
            .latest
            .as_ref()
            .map_or_else(|| self.inner.clock.now(), |l| l.at);
        let firing = live
            .latest
            .iter()
            .flat_map(|l| l.rules.iter())
            .filter(|r| matches!(r.phase, AlertPhase::Firing { .. }))
            .map(|r| r.severity);
        overall_state(failing, lock(&self.inner.snooze).is_paused(now), firing)
    }

    /// Everything `lookout status` and the window's status strip show.
    pub async fn status(&self) -> Status {
        let (pending, failed) = match self.inner.store.call(|s| s.outbox_depth()).await {
            Ok(d) => (d.pending, d.failed),
            Err(_) => (0, 0),
        };
        let password_set = self.password_set().await;
        let overall = self.overall();
        let (self_cpu_pct, self_rss_bytes) = lock(&self.inner.self_usage).read();
        let now: Timestamp = self.inner.clock.now();
        let channels = self
            .inner
            .health
            .channels()
            .into_iter()
            .map(|h| ChannelStatus {
                channel: h.channel.name().to_owned(),
                enabled: self.channel_enabled(&h.channel),
                last_ok_at: h.last_ok_at,
                last_error_at: h.last_error_at,
                last_error: h.last_error,
                consecutive_failures: h.consecutive_failures,
            })
            .collect();
        let firing = lock(&self.inner.live)
            .latest
            .iter()
            .flat_map(|l| l.rules.iter())
            .filter(|r| matches!(r.phase, AlertPhase::Firing { .. }))
            .map(|r| r.name.clone())
            .collect();
        let language = lookout_i18n::resolve_from_env(self.language_setting());
        Status {
            overall,
            language,
            paused_until: lock(&self.inner.snooze).all_until.filter(|&u| u > now),
            firing,
            channels,
            outbox_pending: u32::try_from(pending).unwrap_or(u32::MAX),
            outbox_failed: u32::try_from(failed).unwrap_or(u32::MAX),
            self_cpu_pct,
            self_rss_bytes,
            smtp_password_set: password_set,
            smtp_server_unconfirmed: self.unconfirmed_server(),
            config_error: lock(&self.inner.config_error)
                .as_ref()
                .map(|trouble| trouble.text(language)),
            tick_failure: self.tick_failure(),
            config_path: self.inner.options.config_path.display().to_string(),
            data_dir: self.inner.options.data_dir.display().to_string(),
            log_path: crate::sys::log_file::default_log_path()
                .filter(|p| p.is_file())
                .map(|p| p.display().to_string()),
        }
    }

    /// The server in force when it may not get the password yet (email with a login only).
    fn unconfirmed_server(&self) -> Option<String> {
        let config = self.inner.config.borrow();
        let email = &config.config.email;
        (email.enabled && email.login().is_some())
            .then(|| self.inner.trust.unconfirmed(email))
            .flatten()
            .map(|s| s.to_string())
    }

    /// Whether a password is available (keyring entry or password file); cached.
    async fn password_set(&self) -> bool {
        if let Some(known) = *lock(&self.inner.password_set) {
            return known;
        }
        let mut cfg = self.inner.config.borrow().config.email.clone();
        if cfg.username.is_none() {
            cfg.username = Some("lookout".to_owned());
        }
        let set = tokio::task::spawn_blocking(move || secrets::smtp_password(&cfg))
            .await
            .is_ok_and(|r| r.is_ok_and(|p| p.is_some()));
        *lock(&self.inner.password_set) = Some(set);
        set
    }

    /// Shows a test notification now.
    pub async fn test_notification(&self) -> Result<String, ApiError> {
        let lang = lookout_i18n::resolve_from_env(self.language_setting());
        desktop::notify_test(&host_name(), lang)
            .await
            .map(|()| lang.catalog().text("result-test-notify-shown", &[]))
            .map_err(|e| ApiError::new(ErrorCode::Desktop, e.words(lang)))
    }

    /// Sends a test email now with the settings in force (not through the outbox), to a
    /// server the user confirmed.
    pub async fn test_email(&self) -> Result<String, ApiError> {
        let cfg = self.inner.config.borrow().config.email.clone();
        if cfg.login().is_some() {
            self.inner
                .trust
                .check(&cfg)
                .map_err(|e| ApiError::new(ErrorCode::Email, e.to_string()))?;
        }
        let lang = lookout_i18n::resolve_from_env(self.language_setting());
        send_test_email(&cfg, self.inner.clock.now(), lang).await
    }

    /// The window's password entry, which also confirms the server in force. With a
    /// `password_file` the text must match the file's (the file is not changed); otherwise it
    /// is stored in the OS keyring. Nothing ever reads the password back to a front end.
    /// Each wrong guess in a row is answered later than the one before (up to 30 s).
    pub async fn set_smtp_password(&self, password: String) -> Result<(), ApiError> {
        let cfg = self.inner.config.borrow().config.email.clone();
        let for_check = cfg.clone();
        // (checked, wrong guess): only a guess that does not match the file counts as a miss.
        let result = tokio::task::spawn_blocking(move || match &for_check.password_file {
            Some(path) => match secrets::read_password_file(path) {
                Ok(stored) if stored == secrets::Secret::new(password.as_str()) => Ok(()),
                Ok(_) => Err((
                    ApiError::new(
                        ErrorCode::Keyring,
                        format!("that is not the password in email.password_file '{path}'; the SMTP server stays unconfirmed"),
                    ),
                    true,
                )),
                Err(e) => Err((ApiError::new(ErrorCode::Keyring, e.to_string()), false)),
            },
            None => secrets::set_smtp_password(&password)
                .map_err(|e| (ApiError::new(ErrorCode::Keyring, e.to_string()), false)),
        })
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        *lock(&self.inner.password_set) = None;
        if let Err((e, wrong_guess)) = result {
            if !wrong_guess {
                return Err(e);
            }
            let misses = {
                let mut misses = lock(&self.inner.password_misses);
                *misses = misses.saturating_add(1);
                *misses
            };
            let wait = Duration::from_secs(1 << misses.min(5)).min(MAX_MISS_WAIT);
            tokio::time::sleep(wait).await;
            return Err(e);
        }
        *lock(&self.inner.password_misses) = 0;
        // Confirms the server the password was typed for, only if it is still the one in force.
        if self.inner.config.borrow().config.email != cfg {
            return Err(ApiError::new(
                ErrorCode::Email,
                "the email settings changed while the password was checked; enter it again to confirm the server",
            ));
        }
        let trust = self.inner.trust.clone();
        tokio::task::spawn_blocking(move || trust.confirm(&cfg))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
    }

    pub async fn clear_smtp_password(&self) -> Result<(), ApiError> {
        let result = tokio::task::spawn_blocking(secrets::clear_smtp_password)
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        *lock(&self.inner.password_set) = None;
        result
            .map(|_| ())
            .map_err(|e| ApiError::new(ErrorCode::Keyring, e.to_string()))
    }
}

/// Sends one test email with `cfg` now and describes the server's answer.
/// The email is in `lang`.
pub async fn send_test_email(
    cfg: &EmailConfig,
    now: Timestamp,
    lang: Language,
) -> Result<String, ApiError> {
    let email_err = |m: String| ApiError::new(ErrorCode::Email, m);
    if cfg.host.trim().is_empty() || cfg.to.is_empty() {
        return Err(email_err(
            lang.catalog().text("result-email-not-configured", &[]),
        ));
    }
    let for_secret = cfg.clone();
    let password = tokio::task::spawn_blocking(move || secrets::smtp_password(&for_secret))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
        .map_err(|e| ApiError::new(ErrorCode::Keyring, e.to_string()))?;
    let channel = EmailChannel::new(cfg, password)
        .map_err(|e| email_err(e.message().to_owned()))?
        .with_timeout(cfg.timeout_or_default());
    let email = render_test_email(cfg, &host_name(), now, lang);
    let accepted = channel.send(&email).await.map_err(|e| {
        let id = if e.is_permanent() {
            "result-email-permanent"
        } else {
            "result-email-temporary"
        };
        email_err(lang.catalog().text(id, &[("reason", e.message())]))
    })?;
    let (to, server) = (email.to.join(", "), channel.server().to_string());
    let (code, reply) = (accepted.code.to_string(), accepted.reply.trim().to_owned());
    Ok(lang.catalog().text(
        "result-test-email-sent",
        &[
            ("to", &to),
            ("server", &server),
            ("code", &code),
            ("reply", &reply),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_state_orders_failing_paused_then_severity() {
        use Severity::{Critical, Warning};
        assert_eq!(
            overall_state(true, true, [Critical]),
            OverallState::ChannelFailing
        );
        assert_eq!(overall_state(false, true, [Critical]), OverallState::Paused);
        assert_eq!(
            overall_state(false, false, [Warning, Critical, Warning]),
            OverallState::Critical
        );
        assert_eq!(
            overall_state(false, false, [Warning]),
            OverallState::Warning
        );
        assert_eq!(overall_state(false, false, []), OverallState::Ok);
    }
}
