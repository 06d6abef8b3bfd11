//! Alert email through the real `lookout` binary against a real SMTP server (aiosmtpd):
//! outages, restarts, kill -9, wrong passwords and stalled servers lose nothing and repeat nothing.

mod support;

use lookout_testkit::{closed_port, test_cert, SmtpMode, SmtpServer};
use std::time::{Duration, Instant};
use support::{always_firing_config, starttls_config, Home, PATIENCE};

fn wait_for_messages(server: &SmtpServer, n: usize) {
    let deadline = Instant::now() + PATIENCE;
    while server.received().len() < n {
        assert!(Instant::now() < deadline, "no delivery within {PATIENCE:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn firing_count(home: &Home) -> usize {
    home.alerts()
        .iter()
        .filter(|a| a["state"] == "firing")
        .count()
}

#[test]
fn alert_email_reaches_every_recipient_once() {
    let server = SmtpServer::start(SmtpMode::Plain);
    let home = Home::new(&always_firing_config(server.port, "", false));
    let monitor = home.start();
    monitor.wait_for("a firing event", |m| {
        m.events().iter().any(|e| e["state"] == "firing")
    });
    wait_for_messages(&server, 1);
    // Several more ticks and sender rounds: nothing else may be sent.
    std::thread::sleep(Duration::from_secs(2));
    let got = server.received();
    assert_eq!(got.len(), 1, "one alert, one message");
    let mut rcpts = got[0].rcpt_tos.clone();
    rcpts.sort();
    assert_eq!(
        rcpts,
        ["me@example.com", "ops@example.com"],
        "both recipients in the envelope"
    );
    let raw = String::from_utf8_lossy(&got[0].raw);
    assert!(raw.contains("Memory watched"), "the rule is named:\n{raw}");
    let status = home.status();
    assert_eq!(status["running"], true, "{status}");
    assert_eq!(status["outbox"]["pending"], 0, "{status}");
    assert!(monitor.stop(), "clean stop on SIGTERM");
}

#[test]
fn server_down_when_the_alert_fires_then_up_delivers_exactly_once() {
    let port = closed_port();
    let home = Home::new(&always_firing_config(port, "", false));
    let monitor = home.start();
    monitor.wait_for("a failed first attempt", |m| {
        m.log().contains("email not delivered")
    });
    let status = home.status();
    assert_eq!(status["outbox"]["pending"], 1, "kept for a retry: {status}");
    let server = SmtpServer::start_on(SmtpMode::Plain, None, "PLAIN,LOGIN", port);
    wait_for_messages(&server, 1);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(server.received().len(), 1, "delivered exactly once");
    assert_eq!(home.status()["outbox"]["pending"], 0);
}

#[test]
fn kill_9_with_an_undelivered_email_then_restart_delivers_once_and_announces_nothing_again() {
    let port = closed_port();
    let home = Home::new(&always_firing_config(port, "", false));
    let monitor = home.start();
    monitor.wait_for("a failed attempt", |m| {
        m.log().contains("email not delivered")
    });
    monitor.kill9();
    assert_eq!(
        firing_count(&home),
        1,
        "the firing was logged before the crash"
    );
    let server = SmtpServer::start_on(SmtpMode::Plain, None, "PLAIN,LOGIN", port);
    let restarted = home.start();
    wait_for_messages(&server, 1);
    // Let the restarted monitor tick for a while: still firing, never announced again.
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        restarted.events().iter().all(|e| e["state"] != "firing"),
        "no second firing after restart: {:?}",
        restarted.events()
    );
    assert_eq!(firing_count(&home), 1, "one firing in the alert log");
    assert_eq!(
        server.received().len(),
        1,
        "the queued email arrived exactly once"
    );
    let status = home.status();
    assert_eq!(
        status["firing"][0]["rule"], "Memory watched",
        "still firing: {status}"
    );
}

#[test]
fn wrong_password_is_a_permanent_failure_shown_in_status() {
    let server =
        SmtpServer::start_with(SmtpMode::Starttls, Some(("alerts", "right")), "PLAIN,LOGIN");
    let home = Home::new("");
    let secret = home.dir.path().join("smtp-password");
    std::fs::write(&secret, "wrong\n").expect("write password file");
    std::fs::set_permissions(&secret, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .expect("chmod");
    let extra = format!(
        "username = \"alerts\"\npassword_file = \"{}\"",
        secret.display()
    );
    std::fs::write(
        &home.config,
        starttls_config(server.port, &extra, &test_cert().cert),
    )
    .expect("config");
    let monitor = home.start();
    monitor.wait_for("the failed attempt", |m| {
        m.log().contains("email not delivered")
    });
    // That it is never retried is pinned on paused time (lookout-monitor's email_sender
    // tests); here the outcome must reach the status, as recorded.
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        let status = home.status();
        if status["outbox"]["failed"] == 1 {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "not recorded as failed: {status}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let email = status["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .find(|c| c["channel"] == "email")
        .expect("email channel")
        .clone();
    assert_eq!(email["healthy"], false, "{status}");
    assert_eq!(
        email["consecutive_failures"], 1,
        "tried once, not retried: {status}"
    );
    assert!(
        email["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("535")),
        "names the SMTP answer: {status}"
    );
    assert!(
        !status.to_string().contains("wrong"),
        "the password never shows: {status}"
    );
    assert_eq!(status["outbox"]["failed"], 1, "{status}");
    assert_eq!(server.received().len(), 0);
    let human = home.run(&["status"], None);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("FAILING (1 in a row): authentication rejected (535"),
        "human status shows it:\n{text}"
    );
    // Email turned off: its old failures are history, not a failing channel.
    let config = std::fs::read_to_string(&home.config).expect("config");
    let off = config.replacen("enabled = true", "enabled = false", 1);
    assert!(
        off.contains("[email]\nenabled = false"),
        "the email switch was found: {off}"
    );
    std::fs::write(&home.config, off).expect("config");
    let human = home.run(&["status"], None);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("email     off (email.enabled = false in the config)"),
        "{text}"
    );
    assert_eq!(home.status()["channels"][0]["enabled"], false);
}

#[test]
fn a_stalled_server_times_out_while_ticks_stay_on_schedule() {
    let server = SmtpServer::start(SmtpMode::Stall);
    let config = always_firing_config(server.port, "", false).replace(
        "severity = \"critical\"",
        "severity = \"critical\"\nrepeat_every = \"200ms\"",
    );
    let home = Home::new(&config);
    let monitor = home.start();
    monitor.wait_for("a send that timed out", |m| {
        m.log().contains("email not delivered")
    });
    let events = monitor.events();
    let times: Vec<i64> = events
        .iter()
        .map(|e| {
            let at = e["at"].as_str().expect("at");
            humantime::parse_rfc3339(at)
                .expect("RFC 3339")
                .duration_since(std::time::UNIX_EPOCH)
                .expect("after epoch")
                .as_millis() as i64
        })
        .collect();
    assert!(
        times.len() >= 10,
        "a reminder every tick while the send hung: {} events",
        times.len()
    );
    let worst = times.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    assert!(
        worst < 3 * 200,
        "no tick was delayed by the hung send (worst gap {worst} ms)"
    );
    assert!(
        monitor
            .log()
            .contains("did not finish the exchange within 3s"),
        "the timeout is named:\n{}",
        monitor.log()
    );
}

#[test]
fn test_email_prints_the_servers_answer() {
    let server = SmtpServer::start(SmtpMode::Plain);
    let home = Home::new(&always_firing_config(server.port, "", false));
    let out = home.run(&["test-email"], None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("the server answered 250"), "{stdout}");
    assert_eq!(server.received().len(), 1);
    let down = Home::new(&always_firing_config(closed_port(), "", false));
    let out = down.run(&["test-email"], None);
    assert!(!out.status.success(), "a refused connection fails");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("test email not delivered: "), "{stderr}");
}

#[test]
fn a_second_monitor_on_the_same_data_dir_refuses_and_names_the_pid() {
    let home = Home::new(
        &always_firing_config(closed_port(), "", false)
            .replace("enabled = true\nhost", "enabled = false\nhost"),
    );
    let first = home.start();
    first.wait_for("the first monitor to start", |m| {
        m.log().contains("monitor started")
    });
    let second = home.run(&["run"], None);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        !second.status.success(),
        "the second monitor must not start"
    );
    let pid = home.status()["pid"]
        .as_u64()
        .expect("status names the holder's PID");
    assert!(
        stderr.contains(&format!("another Lookout (PID {pid})")),
        "{stderr}"
    );
    let alerts = home.run(&["alerts"], None);
    assert!(alerts.status.success(), "reads still work while it runs");
}
