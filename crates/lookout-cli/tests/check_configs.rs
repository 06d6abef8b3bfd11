//! `lookout check` on the fixture configs in tests/valid_configs and tests/invalid_configs.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests")
        .join(kind);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

#[test]
fn valid_configs_pass() {
    for path in fixtures("valid_configs") {
        let out = Command::cargo_bin("lookout")
            .expect("binary")
            .env("LC_ALL", "C")
            .arg("check")
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{} should be valid; stderr: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(": ok ("), "{}: {stdout}", path.display());
    }
}

/// Each `NAME.toml` has a `NAME.expected`: one line per expected problem, `{path}` standing for
/// the file's path; every stderr line must start with its expected line, in order.
#[test]
fn invalid_configs_fail_with_positioned_messages() {
    for path in fixtures("invalid_configs") {
        let expected_file = path.with_extension("expected");
        let expected = fs::read_to_string(&expected_file)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_file.display()))
            .replace("{path}", &path.display().to_string());
        let out = Command::cargo_bin("lookout")
            .expect("binary")
            .env("LC_ALL", "C")
            .arg("check")
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{} must exit 2", path.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let got: Vec<&str> = stderr.lines().collect();
        let want: Vec<&str> = expected.lines().collect();
        assert_eq!(
            got.len(),
            want.len(),
            "{}: one line per problem, got:\n{stderr}",
            path.display()
        );
        for (g, w) in got.iter().zip(&want) {
            assert!(
                g.starts_with(w),
                "{}:\n  got  {g}\n  want {w}...",
                path.display()
            );
        }
    }
}

#[test]
fn a_missing_file_is_reported_plainly() {
    let out = Command::cargo_bin("lookout")
        .expect("binary")
        .env("LC_ALL", "C")
        .args(["check", "/nonexistent/lookout.toml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "lookout: cannot use the config file: cannot open '/nonexistent/lookout.toml': No such file"
        ),
        "{stderr}"
    );
}

#[test]
fn a_fifo_or_a_device_is_refused_at_once() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let fifo = dir.path().join("config.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success(), "mkfifo");
    for (path, kind) in [
        (fifo.display().to_string(), "named pipe"),
        ("/dev/zero".to_owned(), "character device"),
    ] {
        // A FIFO with no writer would block a plain read for ever; /dev/zero never ends.
        let out = Command::cargo_bin("lookout")
            .expect("binary")
            .args(["check", &path])
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{path}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(kind) && stderr.contains("not a regular file"),
            "{path}: {stderr}"
        );
    }
}

#[test]
fn bad_flags_are_refused_with_usage() {
    let out = Command::cargo_bin("lookout")
        .expect("binary")
        .args(["run", "--events", "xml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "clap exits 2 on bad input");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid value 'xml'") && stderr.contains("jsonl"),
        "{stderr}"
    );
}

#[test]
fn data_dir_is_offered_only_where_it_is_used() {
    for args in [
        vec!["check", "--data-dir", "/tmp/x"],
        vec!["sample", "--data-dir", "/tmp/x"],
        vec!["test-notify", "--data-dir", "/tmp/x"],
    ] {
        let out = Command::cargo_bin("lookout")
            .expect("binary")
            .args(&args)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?} refuses --data-dir");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("unexpected argument '--data-dir'"),
            "{args:?}: {stderr}"
        );
    }
    let early = Command::cargo_bin("lookout")
        .expect("binary")
        .args(["--data-dir", "/tmp/x", "check", "/nonexistent.toml"])
        .output()
        .expect("runs");
    assert_eq!(early.status.code(), Some(2), "before the command too");
    assert!(
        String::from_utf8_lossy(&early.stderr).contains("--data-dir has no effect on this command"),
        "{}",
        String::from_utf8_lossy(&early.stderr)
    );
    let dir = tempfile::TempDir::new().expect("temp dir");
    let status = Command::cargo_bin("lookout")
        .expect("binary")
        .arg("--data-dir")
        .arg(dir.path())
        .arg("status")
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "older scripts' `lookout --data-dir DIR status` works"
    );
    assert!(
        String::from_utf8_lossy(&status.stdout).contains(&dir.path().display().to_string()),
        "and uses that directory"
    );
    for command in ["run", "status", "alerts", "test-email"] {
        let out = Command::cargo_bin("lookout")
            .expect("binary")
            .args([command, "--help"])
            .output()
            .expect("runs");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("--data-dir <DIR>"),
            "{command} offers it:\n{help}"
        );
    }
}

fn check_in(locale: &str, path: &Path) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("lookout")
        .expect("binary")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", locale)
        .arg("check")
        .arg(path)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn has_hangul(text: &str) -> bool {
    text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// Under a Korean locale the words are Korean and the `PATH:LINE:COL: field:` prefixes are
/// exactly the English ones; under `LANG=C` nothing is Korean.
#[test]
fn a_korean_locale_gets_korean_messages_with_the_same_prefixes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/invalid_configs");
    for name in [
        "negative_durations",
        "unknown_metric",
        "malformed",
        "storage_out_of_range",
        "many_problems",
    ] {
        let path = dir.join(format!("{name}.toml"));
        let (en_code, _, english) = check_in("C", &path);
        let (ko_code, _, korean) = check_in("ko_KR.UTF-8", &path);
        assert_eq!((en_code, ko_code), (Some(2), Some(2)), "{name}");
        assert!(
            !has_hangul(&english),
            "{name}: English only under LANG=C:\n{english}"
        );
        let (en_lines, ko_lines): (Vec<&str>, Vec<&str>) =
            (english.lines().collect(), korean.lines().collect());
        assert_eq!(
            en_lines.len(),
            ko_lines.len(),
            "{name}: the same problems:\n{korean}"
        );
        let shown = path.display().to_string();
        for (en, ko) in en_lines.iter().zip(&ko_lines) {
            let same = en
                .chars()
                .zip(ko.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let prefix: String = en.chars().take(same).collect();
            let prefix = &prefix[..prefix.rfind(": ").map_or(0, |i| i + 2)];
            assert!(
                prefix.starts_with(&shown) && prefix.len() > shown.len(),
                "{name}: the position and field stay:\n  en {en}\n  ko {ko}"
            );
            assert!(
                has_hangul(&ko[prefix.len()..]),
                "{name}: the words are Korean: {ko}"
            );
        }
    }
}

#[test]
fn the_config_s_own_language_wins_over_the_locale() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("config.toml");
    fs::write(&path, "version = 1\nlanguage = \"ko\"\n").expect("write");
    let (code, stdout, _) = check_in("C", &path);
    assert_eq!(code, Some(0));
    assert!(
        has_hangul(&stdout),
        "language = \"ko\" under LANG=C: {stdout}"
    );
    fs::write(&path, "version = 1\nlanguage = \"en\"\n").expect("write");
    let (_, stdout, _) = check_in("ko_KR.UTF-8", &path);
    assert!(
        !has_hangul(&stdout) && stdout.contains(": ok ("),
        "language = \"en\": {stdout}"
    );
}
