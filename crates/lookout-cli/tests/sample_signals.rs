//! `lookout sample` lists the probes of the config (checked once, against real peers) and the
//! machine's disk I/O, in both languages.
#![allow(clippy::expect_used)]

use assert_cmd::Command;
use lookout_testkit::{closed_port, HttpServer};
use tempfile::TempDir;

fn sample(config: &std::path::Path, locale: &str) -> String {
    let out = Command::cargo_bin("lookout")
        .expect("binary")
        .env("LC_ALL", locale)
        .env("LOOKOUT_CONFIG", config)
        .arg("sample")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn line<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find(|l| l.split_whitespace().next() == Some(key))
        .unwrap_or_else(|| panic!("no {key} in:\n{text}"))
}

#[test]
fn sample_checks_each_probe_once_and_says_what_it_found() {
    let server = HttpServer::start();
    let dir = TempDir::new().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "version = 1\n\
             [[probes]]\nname = \"site\"\nhttp = \"{}/\"\n\
             [[probes]]\nname = \"nas\"\ntcp = \"127.0.0.1:{}\"\ntimeout = \"2s\"\n",
            server.base_url(),
            closed_port()
        ),
    )
    .expect("config");
    let text = sample(&config, "C");
    assert!(
        line(&text, "probe.site.up").contains("1  (HTTP 200)"),
        "{text}"
    );
    assert!(
        line(&text, "probe.site.latency_ms").ends_with(" ms"),
        "{text}"
    );
    let nas = line(&text, "probe.nas.up");
    assert!(
        nas.contains("0  (failed: ") && nas.to_lowercase().contains("refused"),
        "{nas}"
    );
    assert!(
        !text.contains("probe.nas.latency_ms"),
        "no latency while down:\n{text}"
    );
    assert_eq!(server.requests().len(), 1, "checked once");

    let korean = sample(&config, "ko_KR.UTF-8");
    assert!(
        line(&korean, "probe.nas.up").contains("(실패: "),
        "{korean}"
    );
}
