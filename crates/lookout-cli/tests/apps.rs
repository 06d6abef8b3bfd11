//! `lookout ps` and `lookout sample` with app watches, against a real process.
#![allow(clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// A copy of `sleep` under a name no other process has.
fn sleeper(dir: &TempDir, name: &str) -> std::process::Child {
    let bin = dir.path().join(name);
    std::fs::copy("/bin/sleep", &bin).expect("copy sleep");
    std::process::Command::new(&bin)
        .arg("600")
        .spawn()
        .expect("start it")
}

#[test]
fn ps_and_sample_show_what_a_watch_matches() {
    let dir = TempDir::new().expect("temp dir");
    let mut child = sleeper(&dir, "lk-ps-test");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "version = 1\n[[apps]]\nname = \"sleeper\"\nmatch = { process = \"lk-ps-test\" }\n",
    )
    .expect("config");
    let out = Command::cargo_bin("lookout")
        .expect("binary")
        .env("LC_ALL", "C")
        .args(["ps", "--json", "--config"])
        .arg(&config)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let watch = &doc["watches"][0];
    assert_eq!(watch["watch"], "sleeper");
    let pids: Vec<u64> = watch["processes"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|p| p["pid"].as_u64())
        .collect();
    assert_eq!(pids, [u64::from(child.id())], "exactly the child: {doc}");

    let text = Command::cargo_bin("lookout")
        .expect("binary")
        .env("LC_ALL", "C")
        .args(["ps", "--config"])
        .arg(&config)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(text.starts_with("sleeper: 1 process\n"), "{text}");
    assert!(text.contains(&child.id().to_string()), "{text}");

    let sample = Command::cargo_bin("lookout")
        .expect("binary")
        .env("LC_ALL", "C")
        .env("LOOKOUT_CONFIG", &config)
        .arg("sample")
        .output()
        .expect("runs");
    let sample = String::from_utf8_lossy(&sample.stdout).into_owned();
    let running = sample
        .lines()
        .find(|l| l.starts_with("app.sleeper.running"))
        .unwrap_or_else(|| panic!("no app figures in:\n{sample}"));
    assert!(running.ends_with(" 1"), "{running}");
    child.kill().expect("kill");
    child.wait().expect("reap");
}
