//! The alert log (every transition with its evidence), saved alert states and the snooze.

use super::actions::ActionRun;
use super::{corrupt, Batch, Result, Store};
use lookout_core::{AlertEvent, AlertState, Snooze, Timestamp};
use rusqlite::{params, OptionalExtension};

/// The settings key holding the snooze as JSON.
const SNOOZE_KEY: &str = "snooze";

/// An alert log entry: the event as it was recorded, with its row id (the `event_id` that
/// outbox messages and delivery records refer to).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LoggedAlert {
    #[ts(type = "number")]
    pub id: i64,
    pub event: AlertEvent,
    /// The rule actions this event ran, oldest first.
    pub actions: Vec<ActionRun>,
}

impl Store {
    /// Appends `event` to the alert log; returns its id.
    pub fn record_event(&mut self, event: &AlertEvent) -> Result<i64> {
        self.batch(|b| b.record_event(event))
    }

    /// Alert log entries at or after `since`, newest first, at most `limit`.
    pub fn alerts_since(&self, since: Timestamp, limit: usize) -> Result<Vec<LoggedAlert>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, event FROM alert_log WHERE at >= ?1 ORDER BY at DESC, id DESC LIMIT ?2",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map(params![since.as_millis(), limit_param(limit)], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(|e| self.sql_err(e))?;
        let mut alerts = Vec::new();
        for row in rows {
            let (id, json) = row.map_err(|e| self.sql_err(e))?;
            let event = serde_json::from_str(&json)
                .map_err(|e| corrupt(&self.path, "alert log entry", format!("id {id}: {e}")))?;
            let actions = self.action_runs_of(id)?;
            alerts.push(LoggedAlert { id, event, actions });
        }
        Ok(alerts)
    }

    /// Makes the stored alert states exactly `states` (see [`Batch::save_states`]).
    pub fn save_states(&mut self, states: &[(String, AlertState)]) -> Result<()> {
        self.batch(|b| b.save_states(states))
    }

    /// Every saved alert state by rule name, for `Engine::restore_state` after a restart.
    pub fn load_states(&self) -> Result<Vec<(String, AlertState)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rule, state FROM alert_state ORDER BY rule")
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(|e| self.sql_err(e))?;
        let mut states = Vec::new();
        for row in rows {
            let (rule, json) = row.map_err(|e| self.sql_err(e))?;
            let state = serde_json::from_str(&json)
                .map_err(|e| corrupt(&self.path, "alert state", format!("rule '{rule}': {e}")))?;
            states.push((rule, state));
        }
        Ok(states)
    }

    /// Saves the snooze, replacing the previous one.
    pub fn save_snooze(&mut self, snooze: &Snooze) -> Result<()> {
        self.batch(|b| b.save_snooze(snooze))
    }

    /// The saved snooze; none saved yet means nothing is snoozed.
    pub fn load_snooze(&self) -> Result<Snooze> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [SNOOZE_KEY],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sql_err(e))?;
        match json {
            None => Ok(Snooze::default()),
            Some(json) => {
                serde_json::from_str(&json).map_err(|e| corrupt(&self.path, "snooze setting", e))
            }
        }
    }
}

impl Batch<'_> {
    /// See [`Store::record_event`].
    pub fn record_event(&self, event: &AlertEvent) -> Result<i64> {
        let json =
            serde_json::to_string(event).map_err(|e| corrupt(self.path, "alert event", e))?;
        self.tx
            .execute(
                "INSERT INTO alert_log (at, rule, state, severity, value, event)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    event.at.as_millis(),
                    event.rule,
                    event.state.name(),
                    event.severity.to_string(),
                    event.value,
                    json
                ],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Replaces the whole set of stored alert states with `states`: rules not listed are
    /// forgotten (a rule removed from the config must not come back firing). Pass every rule.
    pub fn save_states(&self, states: &[(String, AlertState)]) -> Result<()> {
        self.tx
            .execute("DELETE FROM alert_state", [])
            .map_err(|e| self.sql_err(e))?;
        let mut insert = self
            .tx
            .prepare_cached("INSERT OR REPLACE INTO alert_state (rule, state) VALUES (?1, ?2)")
            .map_err(|e| self.sql_err(e))?;
        for (rule, state) in states {
            let json =
                serde_json::to_string(state).map_err(|e| corrupt(self.path, "alert state", e))?;
            insert
                .execute(params![rule, json])
                .map_err(|e| self.sql_err(e))?;
        }
        Ok(())
    }

    /// See [`Store::save_snooze`].
    pub fn save_snooze(&self, snooze: &Snooze) -> Result<()> {
        let json =
            serde_json::to_string(snooze).map_err(|e| corrupt(self.path, "snooze setting", e))?;
        self.tx
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![SNOOZE_KEY, json],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(())
    }
}

/// SQLite's LIMIT takes an i64; anything larger means "no limit".
pub(super) fn limit_param(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}
