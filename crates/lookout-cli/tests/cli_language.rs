//! The command line speaks the locale's language (or the config's): help, argument errors
//! and command output in Korean under `LANG=ko_KR.UTF-8`, and no Korean at all under `LANG=C`.
#![allow(clippy::expect_used)]

use assert_cmd::Command;
use std::path::Path;
use tempfile::TempDir;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `lookout ARGS` under `locale`, with a home of its own (so no user config decides).
fn lookout(home: &Path, locale: &str, args: &[&str]) -> Run {
    let out = Command::cargo_bin("lookout")
        .expect("binary")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LOOKOUT_CONFIG")
        .env_remove("LOOKOUT_DATA_DIR")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("LANG", locale)
        .args(args)
        .output()
        .expect("runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn has_hangul(text: &str) -> bool {
    text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

const COMMANDS: [&str; 8] = [
    "run",
    "check",
    "sample",
    "status",
    "alerts",
    "test-email",
    "test-notify",
    "secret",
];

#[test]
fn help_is_korean_under_a_korean_locale_and_english_under_c() {
    let home = TempDir::new().expect("home");
    let ko = lookout(home.path(), "ko_KR.UTF-8", &["--help"]);
    assert_eq!(ko.code, Some(0), "{}", ko.stderr);
    for word in [
        "사용법:",
        "명령",
        "옵션",
        "도움말을 출력합니다",
        "지켜보다가",
    ] {
        assert!(
            ko.stdout.contains(word),
            "Korean help lacks {word:?}:\n{}",
            ko.stdout
        );
    }
    for english in [
        "Usage:",
        "Commands:",
        "Options:",
        "Print help",
        "Print version",
    ] {
        assert!(
            !ko.stdout.contains(english),
            "English {english:?} in:\n{}",
            ko.stdout
        );
    }
    let en = lookout(home.path(), "C", &["--help"]);
    assert_eq!(en.code, Some(0), "{}", en.stderr);
    assert!(
        !has_hangul(&en.stdout),
        "no Korean under LANG=C:\n{}",
        en.stdout
    );
    for word in ["Usage:", "Commands", "Options", "Print help"] {
        assert!(
            en.stdout.contains(word),
            "English help lacks {word:?}:\n{}",
            en.stdout
        );
    }
    for command in COMMANDS {
        assert!(
            ko.stdout.contains(command) && en.stdout.contains(command),
            "{command} listed"
        );
        let ko = lookout(home.path(), "ko_KR.UTF-8", &[command, "--help"]);
        assert_eq!(ko.code, Some(0), "{command}: {}", ko.stderr);
        assert!(
            ko.stdout.lines().next().is_some_and(has_hangul),
            "{command}'s about line is Korean:\n{}",
            ko.stdout
        );
        let en = lookout(home.path(), "C", &[command, "--help"]);
        assert!(
            !has_hangul(&en.stdout),
            "{command} under LANG=C:\n{}",
            en.stdout
        );
    }
    let run = lookout(home.path(), "ko_KR.UTF-8", &["help", "run"]);
    assert!(
        run.stdout.contains("--config <PATH>") && run.stdout.contains("--data-dir <DIR>"),
        "flags keep their names; `help run` is `run --help`:\n{}",
        run.stdout
    );
    let set = lookout(home.path(), "ko_KR.UTF-8", &["help", "secret", "set"]);
    assert!(
        set.stdout.contains("비밀 값을 저장합니다"),
        "{}",
        set.stdout
    );
}

#[test]
fn argument_errors_say_what_was_wrong_in_the_language() {
    let home = TempDir::new().expect("home");
    let ko = lookout(home.path(), "ko_KR.UTF-8", &["run", "--events", "xml"]);
    assert_eq!(ko.code, Some(2));
    assert!(
        ko.stderr
            .contains("오류: '--events <FORMAT>'에 쓸 수 없는 값 'xml'")
            && ko.stderr.contains("쓸 수 있는 값: jsonl")
            && ko.stderr.contains("'lookout --help'"),
        "{}",
        ko.stderr
    );
    let en = lookout(home.path(), "C", &["run", "--events", "xml"]);
    assert_eq!(en.code, Some(2));
    assert!(
        en.stderr
            .contains("error: invalid value 'xml' for '--events <FORMAT>'")
            && en.stderr.contains("possible values: jsonl"),
        "{}",
        en.stderr
    );
    let unknown = lookout(home.path(), "ko_KR.UTF-8", &["frobnicate"]);
    assert_eq!(unknown.code, Some(2));
    assert!(
        unknown.stderr.contains("알 수 없는 명령 'frobnicate'"),
        "{}",
        unknown.stderr
    );
    let flag = lookout(home.path(), "ko_KR.UTF-8", &["status", "--jsn"]);
    assert_eq!(flag.code, Some(2));
    assert!(
        flag.stderr.contains("알 수 없는 인수 '--jsn'") && flag.stderr.contains("'--json'"),
        "names the argument and the one meant: {}",
        flag.stderr
    );
    let version = lookout(home.path(), "ko_KR.UTF-8", &["--version"]);
    assert_eq!(version.code, Some(0));
    assert!(version.stdout.starts_with("lookout "), "{}", version.stdout);
}

#[test]
fn command_output_follows_the_locale_and_the_config() {
    let home = TempDir::new().expect("home");
    let data = home.path().join("data");
    let data = data.to_str().expect("utf-8 path");
    let ko = lookout(home.path(), "ko_KR.UTF-8", &["status", "--data-dir", data]);
    assert_eq!(ko.code, Some(0), "{}", ko.stderr);
    assert!(
        ko.stdout.contains("아직 Lookout 데이터가 없습니다"),
        "{}",
        ko.stdout
    );
    assert!(
        ko.stdout.contains(data),
        "paths stay as they are: {}",
        ko.stdout
    );
    let en = lookout(home.path(), "C", &["status", "--data-dir", data]);
    assert!(
        en.stdout.contains("Lookout has no data in"),
        "{}",
        en.stdout
    );
    let misplaced = lookout(home.path(), "ko_KR.UTF-8", &["--data-dir", data, "sample"]);
    assert_eq!(misplaced.code, Some(2));
    assert!(
        misplaced.stderr.contains("아무 효과가 없습니다"),
        "{}",
        misplaced.stderr
    );
    // The config's own language beats the locale, for help as well.
    let config = home.path().join("ko.toml");
    std::fs::write(&config, "language = \"ko\"\n").expect("write config");
    let config = config.to_str().expect("utf-8 path");
    let help = lookout(home.path(), "C", &["run", "--config", config, "--help"]);
    assert!(help.stdout.contains("사용법:"), "{}", help.stdout);
    let alerts = lookout(home.path(), "ko_KR.UTF-8", &["alerts", "--data-dir", data]);
    assert_eq!(alerts.code, Some(0), "{}", alerts.stderr);
    assert!(
        alerts.stdout.contains("지난 1일 동안 알림이 없습니다"),
        "{}",
        alerts.stdout
    );
}

#[test]
fn the_first_run_on_a_korean_desktop_writes_the_korean_default_config() {
    let home = TempDir::new().expect("home");
    // Only the default path gets a default config (a path given is never invented).
    let config = home.path().join(".config/lookout/config.toml");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lookout"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LOOKOUT_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", home.path())
        .env("LANG", "ko_KR.UTF-8")
        .arg("run")
        .arg("--data-dir")
        .arg(home.path().join("data"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("lookout run starts");
    let mut written = String::new();
    for _ in 0..200 {
        written = std::fs::read_to_string(&config).unwrap_or_default();
        if written.contains("[[rules]]") && written.trim_end().ends_with('"') {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        written.contains("name = \"CPU 포화\"") && written.contains("# 규칙."),
        "Korean rule names and comments:\n{written}"
    );
    assert!(
        !written.contains("language = \"ko\""),
        "the language stays automatic"
    );
}

#[test]
fn a_refused_file_is_explained_in_the_language() {
    let home = TempDir::new().expect("home");
    let missing = home.path().join("missing.toml");
    let missing = missing.to_str().expect("utf-8 path");
    let ko = lookout(home.path(), "ko_KR.UTF-8", &["check", missing]);
    assert_eq!(ko.code, Some(2));
    assert!(
        ko.stderr.contains(&format!(
            "'{missing}'을(를) 열 수 없습니다: 파일이나 디렉터리가 없습니다"
        )),
        "{}",
        ko.stderr
    );
    let en = lookout(home.path(), "C", &["check", missing]);
    assert!(
        en.stderr.contains("No such file or directory"),
        "{}",
        en.stderr
    );
    assert!(!has_hangul(&en.stderr), "{}", en.stderr);
    let dir = home.path().to_str().expect("utf-8 path");
    let ko = lookout(home.path(), "ko_KR.UTF-8", &["check", dir]);
    assert!(
        ko.stderr.contains("일반 파일이 아니라 디렉터리입니다"),
        "{}",
        ko.stderr
    );
}
