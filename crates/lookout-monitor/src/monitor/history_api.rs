//! What front ends ask of the metric history through a running monitor: a metric's range for
//! the charts, and a rule (saved or a draft from the rule editor) backtested over the stored
//! readings. Every argument comes from the window, so each is checked before use.

use super::MonitorHandle;
use crate::api::{ApiError, ErrorCode};
use crate::config::validate_config;
use crate::history::backtest::{backtest, Backtest};
use crate::history::query::{query, HistoryQuery, HistorySeries, MAX_POINTS};
use crate::history::HistoryPolicy;
use lookout_core::config::RuleConfig;
use lookout_core::text::escaped;
use lookout_core::{MetricKey, Timestamp};

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::BadRequest, message)
}

fn store_error(e: crate::store::StoreError) -> ApiError {
    ApiError::new(ErrorCode::Store, e.to_string())
}

fn check_range(from: Timestamp, to: Timestamp) -> Result<(), ApiError> {
    if from >= to {
        return Err(bad(format!(
            "the range is empty: {} is not before {}",
            from.as_millis(),
            to.as_millis()
        )));
    }
    Ok(())
}

impl MonitorHandle {
    /// One metric's recorded history over `[from, to)` in at most `points` points (1 to
    /// [`MAX_POINTS`]), from the tier that fits, with the gaps explicit.
    pub async fn history(
        &self,
        metric: String,
        from: Timestamp,
        to: Timestamp,
        points: u32,
    ) -> Result<HistorySeries, ApiError> {
        if MetricKey::parse(&metric).is_err() {
            return Err(bad(format!("'{}' is not a metric", escaped(&metric))));
        }
        check_range(from, to)?;
        let valid = self.valid_config();
        let policy = HistoryPolicy::from_storage(&valid.config.storage);
        let q = HistoryQuery {
            metric,
            from,
            to,
            max_points: usize::try_from(points)
                .unwrap_or(MAX_POINTS)
                .clamp(1, MAX_POINTS),
        };
        let (now, interval) = (self.inner.clock.now(), valid.interval);
        self.inner
            .store
            .call(move |s| query(s, &policy, interval, now, &q))
            .await
            .map_err(store_error)
    }

    /// Replays `rule` over `[from, to)` of the history on the monitor's engine. The rule is
    /// checked as part of the config in force (its field errors come back with the path
    /// `rules[0]`); its actions are not run and not looked at.
    pub async fn backtest(
        &self,
        mut rule: RuleConfig,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Backtest, ApiError> {
        check_range(from, to)?;
        rule.actions.clear();
        let valid = self.valid_config();
        let mut config = valid.config.clone();
        config.rules = vec![rule];
        let checked = validate_config(&config).map_err(ApiError::invalid_config)?;
        let Some(rule) = checked.rules.into_iter().next() else {
            return Err(bad("no rule to backtest"));
        };
        let policy = HistoryPolicy::from_storage(&valid.config.storage);
        let (now, interval) = (self.inner.clock.now(), valid.interval);
        self.inner
            .store
            .call(move |s| backtest(s, &policy, interval, now, &rule, from, to))
            .await
            .map_err(store_error)
    }
}
