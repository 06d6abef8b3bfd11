//! The SMTP password through the real `lookout secret set smtp` into gnome-keyring on a
//! private bus, then an authenticated `lookout test-email` that uses it.

mod support;

use lookout_testkit::{test_cert, GnomeKeyring, SessionBus, SmtpMode, SmtpServer};
use support::{starttls_config, Home};

#[test]
fn secret_set_then_authenticated_test_email() {
    let bus = SessionBus::start();
    let _keyring = GnomeKeyring::start(&bus);
    let server =
        SmtpServer::start_with(SmtpMode::Starttls, Some(("alerts", "s3cret-pass")), "LOGIN");
    let mut home = Home::new(&starttls_config(
        server.port,
        "username = \"alerts\"",
        &test_cert().cert,
    ));
    home.env
        .push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));

    let set = home.run(&["secret", "set", "smtp"], Some("s3cret-pass\n"));
    assert!(
        set.status.success(),
        "secret set: {}",
        String::from_utf8_lossy(&set.stderr)
    );
    assert_eq!(
        GnomeKeyring::lookup(&bus, "lookout", "smtp").as_deref(),
        Some("s3cret-pass"),
        "stored in the keyring"
    );
    assert!(
        !String::from_utf8_lossy(&set.stdout).contains("s3cret"),
        "never echoed"
    );

    let sent = home.run(&["test-email"], None);
    let stdout = String::from_utf8_lossy(&sent.stdout);
    assert!(
        sent.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].auth_login.as_deref(),
        Some("alerts"),
        "authenticated as the configured user"
    );
    assert!(!stdout.contains("s3cret"), "the password is not printed");

    let cleared = home.run(&["secret", "clear", "smtp"], None);
    assert!(cleared.status.success());
    assert_eq!(
        GnomeKeyring::lookup(&bus, "lookout", "smtp"),
        None,
        "removed from the keyring"
    );
    let refused = home.run(&["test-email"], None);
    assert!(
        !refused.status.success(),
        "without the password AUTH cannot succeed"
    );
}
