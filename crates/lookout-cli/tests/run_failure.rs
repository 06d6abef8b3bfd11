//! A tick loop that dies of a bug is never silent: `lookout run` exits non-zero and says so,
//! so that a service manager starts it again. The failure is injected by the monitor's
//! failpoint (`LOOKOUT_FAIL_AT_TICK`).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn run_exits_with_a_clear_message_when_the_tick_loop_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "version = 1\n[sampling]\ninterval = \"100ms\"\n[desktop]\nenabled = false\n",
    )
    .expect("write config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args(["run", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .env("LOOKOUT_FAIL_AT_TICK", "3")
        .env("LOOKOUT_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lookout starts");
    // A generous bound only so a broken build cannot hang the suite.
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let status =
        status.unwrap_or_else(|| panic!("lookout kept running after the failure:\n{stderr}"));
    assert_eq!(status.code(), Some(70), "EX_SOFTWARE: {stderr}");
    assert!(
        stderr.contains("stopped checking alerts after an internal error")
            && stderr.contains("injected at tick 3"),
        "{stderr}"
    );
}
