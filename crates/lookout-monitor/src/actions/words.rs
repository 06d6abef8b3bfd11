//! How an action run reads in the CLI and on the desktop: "ran sh -c …: exited with 0 after
//! 1.2 s".

use crate::delivery::desktop::{DesktopNotice, NoticeUrgency};
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
    line(&run.command.join(" "), run, lang)
}

/// The line about `run` with the command shown as `command`.
fn line(command: &str, run: &ActionRun, lang: Language) -> String {
    let took = std::time::Duration::from_millis(
        u64::try_from(run.finished.as_millis() - run.started.as_millis()).unwrap_or(0),
    );
    lang.catalog().text(
        "action-run-line",
        &[
            ("command", &one_line(command)),
            ("outcome", &outcome_words(&run.outcome, lang)),
            ("took", &duration_words(took, lang)),
        ],
    )
}

/// The desktop notice that says how `run` went: done when it exited with status 0, failed
/// otherwise. It names only the program, not its arguments (they may hold a token, and a
/// notification is on screen and in its server's history).
pub fn run_notice(run: &ActionRun, lang: Language) -> DesktopNotice {
    let program = run
        .command
        .first()
        .map(|p| {
            std::path::Path::new(p)
                .file_name()
                .map_or_else(|| p.clone(), |n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_default();

    let (summary, urgency, icon) = if run.outcome.succeeded() {
        (
            "notify-action-ran",
            NoticeUrgency::Normal,
            "dialog-information",
        )
    } else {
        (
            "notify-action-failed",
            NoticeUrgency::Normal,
            "dialog-warning",
        )
    };
    DesktopNotice::plain(
        &lang.catalog().text(summary, &[("rule", &run.rule)]),
        &line(&program, run, lang),
        urgency,
        icon,
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

    #[test]
    fn a_run_notice_says_done_or_failed_with_the_run_line() {
        let run = ActionRun {
            rule: "app <down>".into(),
            action: 0,
            command: vec!["/usr/local/bin/restart".into(), "--token=s3cret".into()],
            trigger: EventKind::Firing,
            started: Timestamp::from_millis(0),
            finished: Timestamp::from_millis(2_000),
            outcome: ActionOutcome::Exited { code: 0 },
            output: String::new(),
            truncated: false,
        };
        let done = run_notice(&run, Language::En);
        assert_eq!(done.summary, "Action done: app <down>");
        assert_eq!(done.body, "ran restart: exited with status 0 after 2s");
        assert!(
            !done.body.contains("s3cret"),
            "arguments stay off the screen"
        );
        assert_eq!(done.icon, "dialog-information");
        let failed = run_notice(
            &ActionRun {
                outcome: ActionOutcome::Signalled { signal: 9 },
                ..run.clone()
            },
            Language::En,
        );
        assert_eq!(failed.summary, "Action failed: app <down>");
        assert!(failed.body.contains("signal 9"), "{}", failed.body);
        let ko = run_notice(&run, Language::Ko);
        assert!(ko.summary.starts_with("조치 완료"), "{}", ko.summary);
    }
}
