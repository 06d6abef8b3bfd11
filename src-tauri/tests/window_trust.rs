//! Script in a compromised window cannot aim the SMTP password at a server of its own: it
//! cannot set `password_file` or `ca_file`, and a server it names gets no password until the
//! user enters the password again. Against two real SMTP servers (aiosmtpd, TLS and AUTH).
#![allow(clippy::expect_used)]

mod common;

use common::TestApp;
use lookout_testkit::{test_cert, SmtpMode, SmtpServer};
use serde_json::{json, Value};
use std::os::unix::fs::PermissionsExt;

const USER: &str = "alerts@example.com";
const PASSWORD: &str = "the-users-real-password";

fn private_file(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
}

fn code(response: &Result<Value, Value>) -> Option<&str> {
    response.as_ref().err().and_then(|e| e["code"].as_str())
}

#[test]
fn the_window_cannot_send_the_password_to_its_own_server() {
    let users_server = SmtpServer::start_with(SmtpMode::Tls, Some((USER, PASSWORD)), "PLAIN,LOGIN");
    // The attacker's server would accept the real password if it ever arrived.
    let other_server = SmtpServer::start_with(SmtpMode::Tls, Some((USER, PASSWORD)), "PLAIN,LOGIN");
    let dir = tempfile::TempDir::new().expect("temp dir");
    let password_file = dir.path().join("smtp-password");
    private_file(&password_file, &format!("{PASSWORD}\n"));
    let ssh_key = dir.path().join("id_ed25519");
    private_file(&ssh_key, "-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n");
    let config = format!(
        "version = 1\n\n[email]\nenabled = true\nhost = \"localhost\"\nport = {}\ntls = \"tls\"\nca_file = {:?}\nusername = {USER:?}\npassword_file = {:?}\nfrom = \"alerts@example.com\"\nto = [\"me@example.com\"]\n",
        users_server.port,
        test_cert().cert.display().to_string(),
        password_file.display().to_string(),
    );
    let app = TestApp::start_with_config(dir, &config);
    let original = std::fs::read_to_string(&app.config_path).expect("config");

    // The user's own server, named in their file, gets the password.
    app.invoke("test_email", json!({}))
        .expect("the file's server is trusted");
    assert_eq!(
        users_server.received().len(),
        1,
        "the user's server got the test"
    );

    // The window can neither point the password file at another secret nor swap the CA.
    let mut wanted = app.invoke("get_config", json!({})).expect("get_config");
    wanted["email"]["password_file"] = json!(ssh_key.display().to_string());
    let refused = app.invoke("set_config", json!({ "config": wanted }));
    assert_eq!(code(&refused), Some("forbidden"), "{refused:?}");
    let mut wanted = app.invoke("get_config", json!({})).expect("get_config");
    wanted["email"]["ca_file"] = Value::Null;
    let refused = app.invoke("set_config", json!({ "config": wanted }));
    assert_eq!(code(&refused), Some("forbidden"), "{refused:?}");
    assert_eq!(
        std::fs::read_to_string(&app.config_path).expect("config"),
        original,
        "nothing was saved"
    );

    // It may name another server, but the password does not go there.
    let mut moved = app.invoke("get_config", json!({})).expect("get_config");
    moved["email"]["port"] = json!(other_server.port);
    app.invoke("set_config", json!({ "config": moved }))
        .expect("a valid config is saved");
    let held = app.invoke("test_email", json!({}));
    let message = held.as_ref().expect_err("held back")["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("enter the SMTP password again"),
        "{message}"
    );
    let status = app.invoke("get_status", json!({})).expect("status");
    assert_eq!(
        status["smtp_server_unconfirmed"],
        json!(format!("localhost:{}", other_server.port)),
        "the status says which server waits: {status}"
    );

    // A wrong password confirms nothing.
    let wrong = app.invoke("set_smtp_password", json!({ "password": "guess" }));
    assert!(wrong.is_err(), "{wrong:?}");
    assert!(
        app.invoke("test_email", json!({})).is_err(),
        "still held back"
    );
    assert!(
        other_server.received().is_empty(),
        "the other server never got the password"
    );

    // The user entering the password again is the confirmation.
    app.invoke("set_smtp_password", json!({ "password": PASSWORD }))
        .expect("matches the password file");
    app.invoke("test_email", json!({}))
        .expect("the confirmed server is used");
    assert_eq!(other_server.received().len(), 1, "sent once confirmed");
    let status = app.invoke("get_status", json!({})).expect("status");
    assert_eq!(status["smtp_server_unconfirmed"], Value::Null, "{status}");
}
