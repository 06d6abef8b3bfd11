//! The web dashboard in Debian's Chromium against `lookout run --listen --dashboard`: no token
//! → 401, a DNS-rebound host name → 403, the one-time link from `lookout dashboard-url` → the
//! window with live values (once only), and the page's whole network log free of the SMTP
//! password and the channel secret. The browser part is ui/tests/dashboard/check.mjs.

mod support;

use lookout_testkit::{free_port, http_get, wait_until};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::Home;

const SMTP_PASSWORD: &str = "smtp-pw-Zq81xV";
const CHANNEL_SECRET: &str = "hook-key-Pw93nL";

fn private_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("{text}\n")).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    path.display().to_string()
}

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui")
}

#[test]
fn the_dashboard_needs_the_token_refuses_other_hosts_and_never_shows_a_secret() {
    let home = Home::new("");
    let dir = home.dir.path();
    let password = private_file(dir, "smtp-password", SMTP_PASSWORD);
    let secret = private_file(dir, "hook-secret", CHANNEL_SECRET);
    std::fs::write(
        &home.config,
        format!(
            r#"version = 1
[sampling]
interval = "500ms"
[desktop]
enabled = false
[email]
enabled = true
host = "127.0.0.1"
port = 2525
tls = "none"
username = "me"
allow_plaintext_auth = true
password_file = "{password}"
from = "lookout@example.com"
to = ["me@example.com"]
[[channels]]
name = "hook"
kind = "webhook"
url = "http://127.0.0.1:9/alerts"
sign = true
secret_file = "{secret}"
[[rules]]
name = "CPU busy"
metric = "cpu.total"
window = "1m"
op = ">"
threshold = 99
"#
        ),
    )
    .expect("config");
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let run = home.start_with(&["--listen", &addr, "--dashboard"]);
    wait_until("the dashboard listens", || {
        std::net::TcpStream::connect(&addr).is_ok()
    });
    // Secrets cannot be changed over HTTP, even with the token.
    let token = std::fs::read_to_string(home.data.join("http-token")).expect("token");
    let bearer = format!("Bearer {}", token.trim());
    let refused = post(
        &addr,
        "/api/set_channel_secret",
        &bearer,
        r#"{"name":"hook","secret":"x"}"#,
    );
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
    assert!(refused.contains("\"code\":\"forbidden\""), "{refused}");
    let form = http_get(&addr, "/api/get_config", &[("Host", &addr)]);
    assert_eq!(form.status, 401, "no token: {}", form.body);

    let link = home.run(&["dashboard-url", "--listen", &addr], None);
    assert!(
        link.status.success(),
        "{}",
        String::from_utf8_lossy(&link.stderr)
    );
    let login = String::from_utf8(link.stdout).expect("UTF-8");
    let login = login.trim();
    assert!(
        login.starts_with(&format!("http://{addr}/login?code=")),
        "{login}"
    );

    let shots = std::env::temp_dir().join("lookout-shots");
    std::fs::create_dir_all(&shots).expect("shots dir");
    let out = Command::new("node")
        .current_dir(ui_dir())
        .arg("tests/dashboard/check.mjs")
        .arg(format!("http://{addr}/"))
        .arg(login)
        .arg(shots.join("dashboard.png"))
        .env(
            "LOOKOUT_SECRETS",
            format!("{SMTP_PASSWORD}\n{CHANNEL_SECRET}\n"),
        )
        .output()
        .expect("node runs (`make test` installs Node's packages in ui/)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the browser check failed: {report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(report.trim()).expect("JSON report");
    assert_eq!(report["without_token"], 401);
    assert_eq!(report["wrong_host"], 403);
    assert!(
        report["exchanged"].as_u64().is_some_and(|n| n > 20),
        "{report}"
    );
    assert!(run.stop(), "clean stop with a page still streaming");
}

/// A raw POST with a JSON body; the whole answer as text.
fn post(addr: &str, path: &str, bearer: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {bearer}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}
