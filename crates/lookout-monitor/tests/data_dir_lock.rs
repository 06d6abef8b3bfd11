//! The data-directory lock across real processes: held, named, and released on `kill -9`.
#![allow(clippy::expect_used)] // test helpers fail loudly, like the tests they serve

use lookout_monitor::store::{DataDirLock, LockError};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// Set in the environment of the helper process to the directory it must lock.
const HOLDER_DIR_ENV: &str = "LOOKOUT_TEST_LOCK_HOLDER_DIR";
/// What the helper prints once it holds the lock.
const HELD_MARKER: &str = "LOOKOUT-LOCK-HELD";

fn expect_held_by(dir: &Path, pid: u32) {
    match DataDirLock::acquire(dir) {
        Err(err @ LockError::Held { .. }) => {
            let message = err.to_string();
            assert!(
                message.contains(&format!("another Lookout (PID {pid}) is using"))
                    && message.contains(&dir.display().to_string())
                    && message.ends_with("stop it first"),
                "the message names the holder's PID and the directory: {message}"
            );
        }
        other => panic!("expected the lock to be held by PID {pid}, got {other:?}"),
    }
}

#[test]
fn a_second_lock_fails_naming_the_holder_and_dropping_releases_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("lookout");
    let lock = DataDirLock::acquire(&data).expect("first lock, creating the directory");
    assert_eq!(lock.dir(), data.as_path(), "the lock knows its directory");
    let written = std::fs::read_to_string(data.join("lookout.lock")).expect("lock file");
    assert_eq!(
        written.trim(),
        std::process::id().to_string(),
        "the lock file holds our PID"
    );

    expect_held_by(&data, std::process::id());
    drop(lock);
    // A child another test forks at this moment holds a copy of the descriptor until it
    // execs (close-on-exec): the lock is free once that copy is gone, within moments.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let again = loop {
        let again = DataDirLock::acquire(&data);
        if again.is_ok() || std::time::Instant::now() > deadline {
            break again;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(again.is_ok(), "dropping the lock releases it: {again:?}");
}

#[test]
fn a_killed_holder_releases_the_lock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let exe = std::env::current_exe().expect("path of this test binary");
    let mut child = Command::new(exe)
        .args(["lock_holder_process", "--exact", "--ignored", "--nocapture"])
        .env(HOLDER_DIR_ENV, dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the lock holder");
    // Kept open until the end, so the helper never writes into a closed pipe.
    let mut stdout = BufReader::new(child.stdout.take().expect("child stdout"));
    let held = (&mut stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains(HELD_MARKER));
    assert!(held, "the helper reported that it holds the lock");

    expect_held_by(dir.path(), child.id());

    child.kill().expect("SIGKILL the holder");
    let status = child.wait().expect("reap the holder");
    assert!(
        !status.success(),
        "the holder was killed, not finished: {status}"
    );
    let after = DataDirLock::acquire(dir.path());
    assert!(
        after.is_ok(),
        "the kernel released the dead holder's lock: {after:?}"
    );
}

/// Not a test: the helper process `a_killed_holder_releases_the_lock` runs. It takes the lock
/// in the directory it is given, says so, and holds it until its stdin closes or it is killed.
#[test]
#[ignore = "helper process for a_killed_holder_releases_the_lock"]
fn lock_holder_process() {
    let Some(dir) = std::env::var_os(HOLDER_DIR_ENV) else {
        return; // run by hand with --ignored: nothing to hold
    };
    let _lock = DataDirLock::acquire(Path::new(&dir)).expect("helper takes the lock");
    println!("{HELD_MARKER}");
    let mut sink = String::new();
    // Blocks until the parent closes stdin (or kills us); keeps the lock meanwhile.
    while std::io::stdin().read_line(&mut sink).is_ok_and(|n| n > 0) {}
}
