//! Culprits with real processes: a CPU-burning child comes first in a firing CPU rule's
//! event, its email (through a real SMTP server), its notification (through dunst) and
//! `lookout alerts`.

mod support;

use lookout_testkit::{Dunst, SessionBus, SmtpMode, SmtpServer, VirtualDisplay};
use std::process::{Child, Command};
use std::time::{Duration, Instant};
use support::{Home, PATIENCE};

/// A shell under a name no other process has, spinning on one core until killed.
struct Burner(Child);

impl Burner {
    fn start(dir: &std::path::Path, name: &str) -> Self {
        let bin = dir.join(name);
        std::fs::copy("/bin/sh", &bin).expect("copy sh");
        let child = Command::new(&bin)
            .args(["-c", "while :; do :; done"])
            .spawn()
            .expect("start the burner");
        Self(child)
    }
}

impl Drop for Burner {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn cpu_rule_config(smtp_port: u16) -> String {
    format!(
        r#"version = 1
[sampling]
interval = "200ms"
process_interval = "1s"
[desktop]
enabled = true
[email]
enabled = true
host = "127.0.0.1"
port = {smtp_port}
tls = "none"
from = "Lookout <lookout@example.com>"
to = ["me@example.com"]
timeout = "3s"
[[rules]]
name = "CPU in use"
metric = "cpu.total"
aggregate = "avg"
window = "6s"
for = "3s"
op = ">="
threshold = 0
severity = "warning"
"#
    )
}

#[test]
fn a_cpu_burner_is_named_first_in_the_event_the_email_and_the_notification() {
    let name = "lk-burner-e2e";
    let bin_dir = tempfile::TempDir::new().expect("temp dir");
    let burner = Burner::start(bin_dir.path(), name);
    let server = SmtpServer::start(SmtpMode::Plain);
    let bus = SessionBus::start();
    let display = VirtualDisplay::start();
    let dunst = Dunst::start(&bus, &display);
    let mut home = Home::new(&cpu_rule_config(server.port));
    home.env
        .push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
    home.env.push(("LC_ALL".into(), "C".into()));
    let monitor = home.start();
    monitor.wait_for("a firing event", |m| {
        m.events().iter().any(|e| e["state"] == "firing")
    });
    let events = monitor.events();
    let firing = events
        .iter()
        .find(|e| e["state"] == "firing")
        .expect("a firing event");
    let first = &firing["culprits"][0];
    assert_eq!(first["name"], name, "the burner leads: {firing}");
    assert_eq!(first["pid"], burner.0.id(), "{firing}");
    assert!(
        first["cpu_pct"].as_f64().is_some_and(|p| p > 0.0),
        "{firing}"
    );
    assert!(
        first["command"]
            .as_str()
            .is_some_and(|c| c.contains("while :")),
        "{firing}"
    );
    let culprits = firing["culprits"].as_array().expect("a list");
    assert!((1..=5).contains(&culprits.len()), "at most five: {firing}");

    let deadline = Instant::now() + PATIENCE;
    while server.received().is_empty() {
        assert!(
            Instant::now() < deadline,
            "no email; log:\n{}",
            monitor.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let raw = String::from_utf8_lossy(&server.received()[0].raw).into_owned();
    let mail = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("a parsable message");
    let text = mail.body_text(0).expect("a text part");
    let html = mail.body_html(0).expect("an HTML part");
    assert!(text.contains("Top processes"), "{text}");
    assert!(text.contains(name), "{text}");
    assert!(
        html.contains(&format!(
            "<td style=\"padding-right:1em\">{}</td>",
            burner.0.id()
        )),
        "{html}"
    );

    let mut notices = Vec::new();
    monitor.wait_for("the notification in dunst", |_| {
        notices.extend(dunst.close_all_and_history());
        notices.iter().any(|n| n.summary.contains("CPU in use"))
    });
    let notice = notices
        .iter()
        .find(|n| n.summary.contains("CPU in use"))
        .expect("the notice");
    let first_line = notice
        .body
        .lines()
        .find(|l| l.contains("(pid "))
        .unwrap_or_default();
    assert!(
        first_line.contains(name),
        "the burner leads: {}",
        notice.body
    );

    let out = home.run(&["alerts", "--since", "1h"], None);
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("    ") && l.contains(name)),
        "lookout alerts lists the culprits:\n{listed}"
    );
    drop(burner);
}
