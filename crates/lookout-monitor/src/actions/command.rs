//! One run of an action's command: no shell, its own process group, the environment that
//! describes the alert, a timeout that kills the whole group, and the first 4 KiB of output.

use crate::store::{ActionOutcome, MAX_ACTION_OUTPUT};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

/// How long output is still collected after the command exited: a child it left running in
/// the background may hold the pipes open for as long as it lives.
const DRAIN_AFTER_EXIT: Duration = Duration::from_millis(500);

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub outcome: ActionOutcome,
    pub output: String,
    pub truncated: bool,
}

/// Output collected from both pipes in the order it arrived, up to the limit.
#[derive(Default)]
struct Capture {
    bytes: Vec<u8>,
    truncated: bool,
}

/// Runs `argv` with `env` added to Lookout's environment, in a new process group, from the
/// home directory; at `timeout` the group is killed.
pub async fn run(argv: &[String], env: &[(String, String)], timeout: Duration) -> Finished {
    let Some((program, args)) = argv.split_first() else {
        return not_started("the command is empty".to_owned());
    };
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(false);
    if let Some(home) = dirs::home_dir().filter(|h| h.is_dir()) {
        command.current_dir(home);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return not_started(e.to_string()),
    };
    let group = child.id();
    let capture = Arc::new(Mutex::new(Capture::default()));
    let readers = [
        child
            .stdout
            .take()
            .map(|p| tokio::spawn(collect(p, capture.clone()))),
        child
            .stderr
            .take()
            .map(|p| tokio::spawn(collect(p, capture.clone()))),
    ];
    let outcome = match tokio::time::timeout(timeout, child.wait()).await {
        Ok(Ok(status)) => {
            use std::os::unix::process::ExitStatusExt;
            match (status.code(), status.signal()) {
                (Some(code), _) => ActionOutcome::Exited { code },
                (None, Some(signal)) => ActionOutcome::Signalled { signal },
                (None, None) => ActionOutcome::Exited { code: -1 },
            }
        }
        Ok(Err(e)) => ActionOutcome::NotStarted {
            error: e.to_string(),
        },
        Err(_) => {
            if let Some(group) = group.and_then(|g| rustix::process::Pid::from_raw(g as i32)) {
                // The whole group: whatever the command started dies with it.
                let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
            }
            let _ = child.wait().await;
            ActionOutcome::TimedOut
        }
    };
    for reader in readers.into_iter().flatten() {
        let _ = tokio::time::timeout(DRAIN_AFTER_EXIT, reader).await;
    }
    let capture = std::mem::take(&mut *lock(&capture));
    Finished {
        outcome,
        output: String::from_utf8_lossy(&capture.bytes).into_owned(),
        truncated: capture.truncated,
    }
}

fn not_started(error: String) -> Finished {
    Finished {
        outcome: ActionOutcome::NotStarted { error },
        output: String::new(),
        truncated: false,
    }
}

fn lock(capture: &Mutex<Capture>) -> std::sync::MutexGuard<'_, Capture> {
    capture
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Reads `pipe` to its end, keeping what fits; the rest is read and dropped so the command
/// never blocks on a full pipe.
async fn collect(mut pipe: impl AsyncRead + Unpin, capture: Arc<Mutex<Capture>>) {
    let mut buf = [0u8; 4096];
    loop {
        match pipe.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                let mut c = lock(&capture);
                let room = MAX_ACTION_OUTPUT.saturating_sub(c.bytes.len());
                if n > room {
                    c.truncated = true;
                }
                let keep = n.min(room);
                c.bytes.extend_from_slice(&buf[..keep]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["/bin/sh".into(), "-c".into(), script.into()]
    }

    #[tokio::test]
    async fn exit_status_output_and_environment_are_kept() {
        let env = [("LOOKOUT_RULE".to_owned(), "disk full".to_owned())];
        let done = run(
            &sh("echo \"rule=$LOOKOUT_RULE\"; echo oops >&2; exit 3"),
            &env,
            Duration::from_secs(30),
        )
        .await;
        assert_eq!(done.outcome, ActionOutcome::Exited { code: 3 });
        assert!(
            done.output.contains("rule=disk full\n"),
            "{:?}",
            done.output
        );
        assert!(
            done.output.contains("oops\n"),
            "stderr too: {:?}",
            done.output
        );
        assert!(!done.truncated);
    }

    #[tokio::test]
    async fn output_is_cut_at_4_kib_and_the_command_is_not_blocked() {
        let done = run(
            &sh("head -c 1000000 /dev/zero | tr '\\0' x"),
            &[],
            Duration::from_secs(30),
        )
        .await;
        assert_eq!(done.outcome, ActionOutcome::Exited { code: 0 });
        assert_eq!(done.output.len(), MAX_ACTION_OUTPUT);
        assert!(done.truncated);
    }

    /// Whether `pid` is a live process (a zombie has ended).
    fn alive(pid: u32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                let state = stat
                    .rsplit(')')
                    .next()?
                    .split_whitespace()
                    .next()?
                    .to_owned();
                Some(state != "Z" && state != "X")
            })
            .unwrap_or(false)
    }

    #[tokio::test]
    async fn a_hung_command_is_killed_at_its_timeout_with_its_children() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let pids = dir.path().join("pids");
        let script = format!(
            "sleep 300 & echo $! > '{0}'; echo $$ >> '{0}'; echo started; sleep 300",
            pids.display()
        );
        let done = run(&sh(&script), &[], Duration::from_secs(1)).await;
        assert_eq!(done.outcome, ActionOutcome::TimedOut);
        assert_eq!(done.output, "started\n", "output before the kill is kept");
        let pids: Vec<u32> = std::fs::read_to_string(&pids)
            .expect("the script wrote its pids")
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
        assert_eq!(pids.len(), 2, "{pids:?}");
        for _ in 0..50 {
            if pids.iter().all(|p| !alive(*p)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        for pid in pids {
            assert!(
                !alive(pid),
                "process {pid} of the group outlived the timeout"
            );
        }
    }

    #[tokio::test]
    async fn a_missing_program_is_reported_not_run() {
        let done = run(
            &["/nonexistent/lookout-action".into()],
            &[],
            Duration::from_secs(5),
        )
        .await;
        match done.outcome {
            ActionOutcome::NotStarted { error } => {
                assert!(error.contains("No such file"), "{error}")
            }
            other => panic!("{other:?}"),
        }
    }
}
