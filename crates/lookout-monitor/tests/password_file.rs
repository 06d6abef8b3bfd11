//! `email.password_file` for headless servers: only owner-readable files, then AUTH with it.

// Test code throughout: helpers panic on a broken rig just as the tests do.
#![allow(clippy::expect_used)]

use lookout_core::alert::EventKind;
use lookout_core::config::{EmailConfig, TlsMode};
use lookout_core::rule::Severity;
use lookout_i18n::Language;
use lookout_monitor::delivery::{render_alert_email, EmailChannel};
use lookout_monitor::sys::careful_file::CarefulReadError;
use lookout_monitor::sys::secrets::{smtp_password, SecretError};
use lookout_testkit::{cpu_event, test_cert, SmtpMode, SmtpServer};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const USER: &str = "alerts@example.com";
const PASSWORD: &str = "file password";

fn write_with_mode(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).expect("write password file");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn config(port: u16, password_file: &Path) -> EmailConfig {
    EmailConfig {
        enabled: true,
        host: "localhost".into(),
        port: Some(port),
        tls: TlsMode::Tls,
        ca_file: Some(test_cert().cert.display().to_string()),
        username: Some(USER.into()),
        password_file: Some(password_file.display().to_string()),
        from: "alerts@example.com".into(),
        to: vec!["me@example.com".into()],
        ..EmailConfig::default()
    }
}

#[test]
fn a_file_readable_by_group_or_others_is_refused_with_the_fix() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("smtp-password");
    for mode in [0o644, 0o640, 0o604] {
        write_with_mode(&path, "p4ss-W0rd-xyz\n", mode);
        let err = smtp_password(&config(25, &path)).expect_err("too open");
        assert!(
            matches!(err, SecretError::File(CarefulReadError::TooOpen { .. })),
            "{mode:o}: {err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains(&format!("mode {mode:04o}")) && text.contains("chmod 600"),
            "{text}"
        );
        assert!(
            !text.contains("p4ss-W0rd"),
            "the password is not in the message: {text}"
        );
    }
}

#[test]
fn a_missing_or_empty_file_is_named() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("smtp-password");
    let err = smtp_password(&config(25, &path)).expect_err("missing");
    assert!(
        matches!(err, SecretError::File(CarefulReadError::Open { .. }))
            && err.to_string().contains("smtp-password"),
        "{err}"
    );
    write_with_mode(&path, "\n", 0o600);
    let err = smtp_password(&config(25, &path)).expect_err("empty");
    assert!(matches!(err, SecretError::FileEmpty(_)), "{err:?}");
}

#[tokio::test]
async fn an_owner_only_file_is_read_and_authenticates() {
    let server = SmtpServer::start_with(SmtpMode::Tls, Some((USER, PASSWORD)), "PLAIN,LOGIN");
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("smtp-password");
    write_with_mode(&path, &format!("{PASSWORD}\n"), 0o600);
    let cfg = config(server.port, &path);
    let password = smtp_password(&cfg).expect("readable").expect("a password");
    assert_eq!(
        password.expose(),
        PASSWORD,
        "one trailing newline dropped, inner spaces kept"
    );

    let channel = EmailChannel::new(&cfg, Some(password)).expect("channel");
    let event = cpu_event("Disk full", EventKind::Firing, Severity::Warning);
    channel
        .send(&render_alert_email(&cfg, &event, "testhost", Language::En))
        .await
        .expect("delivered with AUTH");
    let got = server.received();
    assert_eq!(got.len(), 1, "one message");
    assert_eq!(
        got[0].auth_login.as_deref(),
        Some(USER),
        "authenticated with the file's password"
    );
}

#[test]
fn only_the_first_line_is_the_password() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("smtp-password");
    write_with_mode(&path, "first line\r\nsecond line\n", 0o600);
    let password = smtp_password(&config(25, &path))
        .expect("readable")
        .expect("a password");
    assert_eq!(
        password.expose(),
        "first line",
        "the first line, without CR LF"
    );
}

#[test]
fn a_fifo_or_a_device_is_refused_at_once() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let fifo = dir.path().join("smtp-password");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo");
    // Opening a FIFO for reading blocks until a writer comes; this must return at once.
    let err = smtp_password(&config(25, &fifo)).expect_err("a FIFO is refused");
    assert!(
        matches!(err, SecretError::File(CarefulReadError::NotRegular { .. })),
        "{err}"
    );
    let err = smtp_password(&config(25, Path::new("/dev/zero"))).expect_err("a device is refused");
    assert!(
        matches!(err, SecretError::File(CarefulReadError::NotRegular { .. })),
        "{err}"
    );
}
