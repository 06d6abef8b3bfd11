//! Snoozes: silence notifications for the whole app or one rule until a time.
//! Evaluation and the alert log carry on; only announcing stops.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Snooze {
    /// Every rule is silent until then.
    pub all_until: Option<Timestamp>,
    /// Single rules, by name, silent until then.
    pub rules: BTreeMap<String, Timestamp>,
}

impl Snooze {
    pub fn is_muted(&self, rule: &str, now: Timestamp) -> bool {
        self.all_until.is_some_and(|until| now < until)
            || self.rules.get(rule).is_some_and(|&until| now < until)
    }

    pub fn snooze_all(&mut self, until: Timestamp) {
        self.all_until = Some(until);
    }

    pub fn snooze_rule(&mut self, rule: &str, until: Timestamp) {
        self.rules.insert(rule.to_owned(), until);
    }

    /// Lifts every snooze.
    pub fn resume(&mut self) {
        self.all_until = None;
        self.rules.clear();
    }

    /// Forgets snoozes that ended before `now`.
    pub fn expire(&mut self, now: Timestamp) {
        if self.all_until.is_some_and(|until| until <= now) {
            self.all_until = None;
        }
        self.rules.retain(|_, until| *until > now);
    }

    /// Whether the whole app is snoozed at `now` (the tray shows "paused").
    pub fn is_paused(&self, now: Timestamp) -> bool {
        self.all_until.is_some_and(|until| now < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snoozes_end_at_their_time() {
        let mut s = Snooze::default();
        s.snooze_rule("disk", Timestamp::from_millis(100));
        assert!(
            s.is_muted("disk", Timestamp::from_millis(99)),
            "muted before the end"
        );
        assert!(
            !s.is_muted("disk", Timestamp::from_millis(100)),
            "not muted at the end"
        );
        assert!(
            !s.is_muted("cpu", Timestamp::from_millis(50)),
            "other rules unaffected"
        );
        s.snooze_all(Timestamp::from_millis(200));
        assert!(
            s.is_muted("cpu", Timestamp::from_millis(150)),
            "snooze all covers every rule"
        );
        s.expire(Timestamp::from_millis(150));
        assert!(s.rules.is_empty(), "expired rule snooze forgotten");
        assert!(
            s.is_paused(Timestamp::from_millis(150)),
            "app snooze still on"
        );
        s.resume();
        assert!(!s.is_paused(Timestamp::from_millis(150)), "resume lifts it");
    }
}
