//! The SMTP password in a real Secret Service (gnome-keyring on a private bus), then used
//! for AUTH against aiosmtpd; and the clear error when no keyring is there.
//!
//! The keyring is found through DBUS_SESSION_BUS_ADDRESS, which is process-wide: this binary
//! holds one test that sets it step by step, so nothing else races on it.

// Test code throughout: helpers panic on a broken rig just as the tests do.
#![allow(clippy::expect_used)]

use lookout_core::alert::EventKind;
use lookout_core::config::{EmailConfig, TlsMode};
use lookout_core::rule::Severity;
use lookout_i18n::Language;
use lookout_monitor::delivery::{render_alert_email, EmailChannel};
use lookout_monitor::sys::secrets::{
    clear_smtp_password, set_smtp_password, smtp_password, SecretError,
};
use lookout_testkit::{cpu_event, test_cert, GnomeKeyring, SessionBus, SmtpMode, SmtpServer};

const USER: &str = "alerts@example.com";
const PASSWORD: &str = "kéyring pässword with spaces";

fn use_bus(address: &str) {
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address);
}

fn config(port: u16) -> EmailConfig {
    EmailConfig {
        enabled: true,
        host: "localhost".into(),
        port: Some(port),
        tls: TlsMode::Starttls,
        ca_file: Some(test_cert().cert.display().to_string()),
        username: Some(USER.into()),
        from: "alerts@example.com".into(),
        to: vec!["me@example.com".into()],
        ..EmailConfig::default()
    }
}

fn assert_no_keyring(err: SecretError, when: &str) {
    assert!(matches!(err, SecretError::NoKeyring(_)), "{when}: {err:?}");
    let text = err.to_string();
    assert!(
        text.contains("no Secret Service keyring is running")
            && text.contains("email.password_file"),
        "{when}: {text}"
    );
}

#[tokio::test]
async fn the_keyring_stores_the_password_that_smtp_auth_then_uses() {
    let server = SmtpServer::start_with(SmtpMode::Starttls, Some((USER, PASSWORD)), "PLAIN,LOGIN");
    let cfg = config(server.port);

    // No bus at all, then a bus without a Secret Service: a clear error, no fallback.
    let nowhere = tempfile::TempDir::new().expect("temp dir");
    use_bus(&format!(
        "unix:path={}",
        nowhere.path().join("no-bus").display()
    ));
    assert_no_keyring(
        set_smtp_password(PASSWORD).expect_err("no bus"),
        "set without a bus",
    );
    let bus = SessionBus::start();
    use_bus(&bus.address);
    assert_no_keyring(
        set_smtp_password(PASSWORD).expect_err("no keyring"),
        "set without a keyring",
    );
    assert_no_keyring(
        smtp_password(&cfg).expect_err("no keyring"),
        "read without a keyring",
    );

    // gnome-keyring comes up on the same bus: found without restarting anything.
    let _keyring = GnomeKeyring::start(&bus);
    assert!(
        smtp_password(&cfg).expect("keyring answers").is_none(),
        "nothing stored yet"
    );
    set_smtp_password(PASSWORD).expect("stored");
    assert_eq!(
        GnomeKeyring::lookup(&bus, "lookout", "smtp").as_deref(),
        Some(PASSWORD),
        "gnome-keyring itself holds it"
    );
    let password = smtp_password(&cfg)
        .expect("keyring answers")
        .expect("a password is stored");
    assert_eq!(password.expose(), PASSWORD, "read back as stored");
    assert!(
        !format!("{password:?}").contains("pässword"),
        "Debug hides it"
    );

    // An email with AUTH, using the password from the keyring.
    let channel = EmailChannel::new(&cfg, Some(password)).expect("channel");
    let event = cpu_event("CPU saturated", EventKind::Firing, Severity::Critical);
    channel
        .send(&render_alert_email(&cfg, &event, "testhost", Language::En))
        .await
        .expect("delivered with AUTH");
    let got = server.received();
    assert_eq!(got.len(), 1, "one message");
    assert_eq!(
        got[0].auth_login.as_deref(),
        Some(USER),
        "authenticated with the keyring's password"
    );

    // Clearing removes it; clearing again finds nothing to remove.
    assert!(
        clear_smtp_password().expect("cleared"),
        "there was one to remove"
    );
    assert!(
        smtp_password(&cfg).expect("keyring answers").is_none(),
        "gone after clear"
    );
    assert_eq!(
        GnomeKeyring::lookup(&bus, "lookout", "smtp"),
        None,
        "gone from gnome-keyring too"
    );
    assert!(
        !clear_smtp_password().expect("nothing to clear is fine"),
        "nothing left to remove"
    );
}
