//! A config file broken by hand never stops the tray's monitor: it runs on the last valid
//! config, says what is wrong, and leaves the file as the user wrote it.

use lookout_monitor::monitor::{Daemon, DaemonOptions, StartError};

const VALID: &str = "version = 1\n[desktop]\nenabled = false\n[[rules]]\nname = \"mine\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 99\n";
const BROKEN: &str = "version = 1\n[[rules]]\nname = \"mine\"\nmetric = \"cpu.totl\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 99\n";

/// A monitor's files in `dir`, its config never created nor followed.
fn options(dir: &std::path::Path) -> DaemonOptions {
    DaemonOptions {
        config_path: dir.join("config.toml"),
        data_dir: dir.join("data"),
        create_default_config: false,
        follow_config_edits: false,
    }
}

#[tokio::test]
async fn an_invalid_file_falls_back_to_the_last_valid_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = options(dir.path());
    std::fs::write(&options.config_path, VALID).expect("write");
    let (handle, daemon) = Daemon::start(options.clone())
        .await
        .expect("valid config starts");
    assert_eq!(handle.status().await.config_error, None);
    daemon.stop().await;

    std::fs::write(&options.config_path, BROKEN).expect("write");
    let strict = Daemon::start(options.clone()).await;
    assert!(
        matches!(strict, Err(StartError::Config(_))),
        "the headless start refuses it"
    );

    let (handle, daemon) = Daemon::start_with_fallback(options.clone())
        .await
        .expect("still starts");
    let status = handle.status().await;
    let problem = status.config_error.expect("the problem is reported");
    assert!(
        problem.contains("config.toml:4:1: rules[0].metric: unknown metric 'cpu.totl'"),
        "{problem}"
    );
    assert_eq!(
        handle.config().rules[0].metric,
        "cpu.total",
        "running on the last valid rules"
    );
    assert_eq!(
        std::fs::read_to_string(&options.config_path).expect("read"),
        BROKEN,
        "file untouched"
    );
    daemon.stop().await;
}

/// The problem is shown in the language in force: the last valid config's.
#[tokio::test]
async fn the_problem_speaks_the_language_in_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = options(dir.path());
    std::fs::write(&options.config_path, format!("language = \"ko\"\n{VALID}")).expect("write");
    let (_, daemon) = Daemon::start(options.clone()).await.expect("starts");
    daemon.stop().await;
    std::fs::write(&options.config_path, format!("language = \"ko\"\n{BROKEN}")).expect("write");
    let (handle, daemon) = Daemon::start_with_fallback(options.clone())
        .await
        .expect("still starts");
    let status = handle.status().await;
    assert_eq!(status.language, lookout_i18n::Language::Ko);
    let problem = status.config_error.expect("the problem is reported");
    let (prefix, words) = problem
        .split_once("rules[0].metric: ")
        .expect("the field path stays");
    assert!(prefix.ends_with("config.toml:5:1: "), "{problem}");
    assert!(
        words.contains("cpu.totl") && words.chars().any(|c| ('가'..='힣').contains(&c)),
        "in Korean: {problem}"
    );
    daemon.stop().await;
}
