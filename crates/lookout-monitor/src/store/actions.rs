//! The runs of rule actions: what ran, why, how it ended and what it printed.

use super::{corrupt, Result, Store};
use lookout_core::{EventKind, Timestamp};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most output kept of one run, in bytes.
pub const MAX_ACTION_OUTPUT: usize = 4096;

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionOutcome {
    /// It exited by itself with this status (0 is success).
    Exited { code: i32 },
    /// A signal ended it (not Lookout's timeout).
    Signalled { signal: i32 },
    /// It was still running at its timeout and was killed with its process group.
    TimedOut,
    /// It could not be started (no such program, no permission). `error` is the OS's text.
    NotStarted { error: String },
}

impl ActionOutcome {
    pub fn succeeded(&self) -> bool {
        matches!(self, Self::Exited { code: 0 })
    }
}

/// One run of one action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionRun {
    pub rule: String,
    /// Which of the rule's actions ran (0 is the first).
    pub action: u32,
    /// The command as configured.
    pub command: Vec<String>,
    /// The transition that ran it.
    pub trigger: EventKind,
    pub started: Timestamp,
    pub finished: Timestamp,
    pub outcome: ActionOutcome,
    /// The first [`MAX_ACTION_OUTPUT`] bytes of standard output and error, as written.
    pub output: String,
    /// Whether more was written than was kept.
    pub truncated: bool,
}

impl Store {
    /// Records a run (of the alert event `event_id`, when it was written).
    pub fn record_action_run(&mut self, event_id: Option<i64>, run: &ActionRun) -> Result<i64> {
        let json = serde_json::to_string(run).map_err(|e| corrupt(&self.path, "action run", e))?;
        self.batch(|b| {
            b.tx.execute(
                "INSERT INTO action_runs (at, rule, event_id, run) VALUES (?1, ?2, ?3, ?4)",
                params![run.started.as_millis(), run.rule, event_id, json],
            )
            .map_err(|e| b.sql_err(e))?;
            Ok(b.tx.last_insert_rowid())
        })
    }

    /// The runs started by alert event `event_id`, oldest first.
    pub fn action_runs_of(&self, event_id: i64) -> Result<Vec<ActionRun>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, run FROM action_runs WHERE event_id = ?1 ORDER BY id")
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([event_id], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(|e| self.sql_err(e))?;
        let mut runs = Vec::new();
        for row in rows {
            let (id, json) = row.map_err(|e| self.sql_err(e))?;
            runs.push(
                serde_json::from_str(&json)
                    .map_err(|e| corrupt(&self.path, "action run", format!("id {id}: {e}")))?,
            );
        }
        Ok(runs)
    }
}
