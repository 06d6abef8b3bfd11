//! How an action run reads in the CLI: "ran sh -c …: exited with 0 after 1.2 s".

use crate::delivery::format::{duration_words, one_line};
use crate::store::{ActionOutcome, ActionRun};
use lookout_i18n::Language;

/// How the run ended, in `lang`.
pub fn outcome_words(outcome: &ActionOutcome, lang: Language) -> String {
    let words = lang.catalog();
    match outcome {
        ActionOutcome::Exited { code } => {
            words.text("action-exited", &[("code", &code.to_string())])
        }
        ActionOutcome::Signalled { signal } => {
            words.text("action-signalled", &[("signal", &signal.to_string())])
        }
        ActionOutcome::TimedOut => words.text("action-timed-out", &[]),
        ActionOutcome::NotStarted { error } => {
            words.text("action-not-started", &[("error", &one_line(error))])
        }
    }
}

/// One line about `run`: the command, how it ended and how long it took.
pub fn run_line(run: &ActionRun, lang: Language) -> String {
    let took = std::time::Duration::from_millis(
        u64::try_from(run.finished.as_millis() - run.started.as_millis()).unwrap_or(0),
    );
    lang.catalog().text(
        "action-run-line",
        &[
            ("command", &one_line(&run.command.join(" "))),
            ("outcome", &outcome_words(&run.outcome, lang)),
            ("took", &duration_words(took, lang)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use lookout_core::{EventKind, Timestamp};

    #[test]
    fn a_run_line_says_what_ran_how_it_ended_and_how_long() {
        let run = ActionRun {
            rule: "r".into(),
            action: 0,
            command: vec!["systemctl".into(), "restart".into(), "x".into()],
            trigger: EventKind::Firing,
            started: Timestamp::from_millis(1_000),
            finished: Timestamp::from_millis(4_000),
            outcome: ActionOutcome::Exited { code: 3 },
            output: String::new(),
            truncated: false,
        };
        assert_eq!(
            run_line(&run, Language::En),
            "ran systemctl restart x: exited with status 3 after 3s"
        );
        let timed_out = ActionRun {
            outcome: ActionOutcome::TimedOut,
            ..run
        };
        assert!(run_line(&timed_out, Language::Ko).contains("시간 제한"));
    }
}
