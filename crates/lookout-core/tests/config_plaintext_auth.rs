//! No AUTH in clear text: a username with `tls = "none"` is refused, unless
//! `allow_plaintext_auth = true` names a server on this machine.

use lookout_core::config::{is_loopback_host, Config};

fn email(lines: &str) -> Config {
    toml::from_str(&format!(
        "version = 1\n[email]\nenabled = true\nfrom = \"a@example.com\"\nto = [\"b@example.com\"]\n{lines}\n"
    ))
    .expect("test config parses")
}

fn problems(c: &Config) -> Vec<(String, &'static str)> {
    c.validate()
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| (e.path_text(), e.code.as_str()))
        .collect()
}

#[test]
fn a_username_without_tls_is_refused() {
    let c = email("host = \"smtp.example.com\"\ntls = \"none\"\nusername = \"alerts\"");
    let errs = c.validate().expect_err("clear-text AUTH");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(
        (errs[0].path_text().as_str(), errs[0].code.as_str()),
        ("email.username", "email.auth.plaintext"),
        "{}",
        errs[0]
    );
    assert_eq!(errs[0].params["host"], "smtp.example.com");
    assert!(
        errs[0].message.contains("clear text") && errs[0].message.contains("starttls"),
        "says what is wrong and what to use: {}",
        errs[0]
    );
    // Even a local server needs the explicit allowance.
    let local = email("host = \"localhost\"\ntls = \"none\"\nusername = \"alerts\"");
    assert_eq!(
        problems(&local),
        [("email.username".to_owned(), "email.auth.plaintext")],
        "localhost without allow_plaintext_auth"
    );
}

#[test]
fn tls_or_no_username_needs_no_allowance() {
    for lines in [
        "host = \"smtp.example.com\"\ntls = \"starttls\"\nusername = \"alerts\"",
        "host = \"smtp.example.com\"\ntls = \"tls\"\nusername = \"alerts\"",
        "host = \"smtp.example.com\"\ntls = \"none\"",
    ] {
        assert_eq!(problems(&email(lines)), [], "{lines}");
    }
}

#[test]
fn the_allowance_works_only_for_this_machine() {
    for host in ["localhost", "LocalHost", "127.0.0.1", "127.8.9.10"] {
        let c = email(&format!(
            "host = \"{host}\"\ntls = \"none\"\nusername = \"alerts\"\nallow_plaintext_auth = true"
        ));
        assert_eq!(problems(&c), [], "{host} is this machine");
    }
    for host in [
        "smtp.example.com",
        "128.0.0.1",
        "10.0.0.1",
        "localhost.example.com",
        "127.0.0.1.example.com",
        "",
    ] {
        let c = email(&format!(
            "host = \"{host}\"\ntls = \"none\"\nusername = \"alerts\"\nallow_plaintext_auth = true"
        ));
        let errs = c.validate().expect_err("not this machine");
        let codes: Vec<&str> = errs.iter().map(|e| e.code.as_str()).collect();
        assert!(
            codes.contains(&"email.allow_plaintext_auth.not_loopback")
                && !codes.contains(&"email.auth.plaintext"),
            "{host:?}: its own error, not also the AUTH one: {codes:?}"
        );
        let e = errs
            .iter()
            .find(|e| e.code.as_str() == "email.allow_plaintext_auth.not_loopback")
            .expect("the allowance error");
        assert_eq!(e.path_text(), "email.allow_plaintext_auth", "{e}");
        assert_eq!(e.params["value"], host, "{e}");
    }
}

#[test]
fn loopback_hosts_are_recognised_by_their_text() {
    for host in [
        "localhost",
        " localhost ",
        "127.0.0.1",
        "127.255.255.254",
        "::1",
        "[::1]",
    ] {
        assert!(is_loopback_host(host), "{host:?} is this machine");
    }
    for host in [
        "",
        "localhost.",
        "0.0.0.0",
        "::",
        "[::2]",
        "::ffff:127.0.0.1",
        "127.1",
        "example.com",
    ] {
        assert!(
            !is_loopback_host(host),
            "{host:?} is not taken for this machine"
        );
    }
}

#[test]
fn the_allowance_is_off_by_default_and_saved_only_when_on() {
    let mut c = email("host = \"localhost\"");
    assert!(!c.email.allow_plaintext_auth, "off unless written");
    let saved = toml::to_string(&c).expect("serialises");
    assert!(
        !saved.contains("allow_plaintext_auth"),
        "a saved config stays tidy: {saved}"
    );
    c.email.allow_plaintext_auth = true;
    let saved = toml::to_string(&c).expect("serialises");
    assert!(
        saved.contains("allow_plaintext_auth = true"),
        "kept when on: {saved}"
    );
}
