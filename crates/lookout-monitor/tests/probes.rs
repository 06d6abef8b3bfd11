//! Probes against real peers on loopback: a TCP listener and an HTTP(S) server, up and down,
//! and a monitor whose rule on `probe.<name>.up` fires when the server goes away.

use lookout_core::config::{Probe, ProbeTarget};
use lookout_core::{MetricKey, Snapshot};
use lookout_i18n::Language;
use lookout_monitor::probes::check::{check, Finding};
use lookout_monitor::probes::check_once;
use lookout_testkit::{closed_port, HttpServer};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(5);

fn probe(name: &str, target: ProbeTarget) -> Probe {
    Probe {
        name: name.into(),
        target,
        interval: Duration::from_secs(30),
        timeout: TIMEOUT,
    }
}

fn http(url: String, expect_status: Option<u16>) -> ProbeTarget {
    ProbeTarget::Http { url, expect_status }
}

fn client() -> reqwest::Client {
    lookout_monitor::sys::http::client(None, TIMEOUT).expect("client")
}

fn reading(snap: &Snapshot, key: &str) -> Option<f64> {
    snap.get(&MetricKey::parse(key).expect("key"))
}

#[tokio::test]
async fn tcp_is_up_while_something_listens_and_down_when_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let target = ProbeTarget::Tcp {
        host: "127.0.0.1".into(),
        port,
    };
    let up = check(&target, TIMEOUT, &client()).await;
    assert!(up.up, "{up:?}");
    assert_eq!(up.finding, Finding::Connected);
    assert!(
        up.latency_ms.is_some_and(|ms| (0.0..5000.0).contains(&ms)),
        "{up:?}"
    );

    drop(listener);
    let down = check(&target, TIMEOUT, &client()).await;
    assert!(!down.up && down.latency_ms.is_none(), "{down:?}");
    let Finding::Failed(words) = &down.finding else {
        panic!("refused is a failure: {down:?}");
    };
    assert!(words.to_lowercase().contains("refused"), "{words}");
    assert_eq!(
        down.finding.words(Language::Ko),
        format!("실패: {words}"),
        "said in the user's language"
    );
}

#[tokio::test]
async fn http_is_up_on_2xx_and_3xx_or_the_expected_status_only() {
    let server = HttpServer::start();
    let url = format!("{}/health", server.base_url());
    let up = check(&http(url.clone(), None), TIMEOUT, &client()).await;
    assert!(up.up, "{up:?}");
    assert_eq!(
        up.finding,
        Finding::Http {
            status: 200,
            expected: None
        }
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("GET", "/health")
    );
    assert!(
        requests[0]
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("Lookout/")),
        "{:?}",
        requests[0].headers
    );

    // A redirect is an answer (the server is there); it is not followed.
    server.answer(&[(302, &[("Location", "http://127.0.0.1:1/elsewhere")], "")]);
    let moved = check(&http(url.clone(), None), TIMEOUT, &client()).await;
    assert!(moved.up, "{moved:?}");
    assert_eq!(
        server.requests().len(),
        2,
        "one request, no redirect followed"
    );

    server.answer(&[(503, &[], "down for maintenance")]);
    let failing = check(&http(url.clone(), None), TIMEOUT, &client()).await;
    assert!(!failing.up && failing.latency_ms.is_none(), "{failing:?}");

    server.answer(&[(204, &[], "")]);
    let strict = check(&http(url.clone(), Some(200)), TIMEOUT, &client()).await;
    assert!(!strict.up, "204 is not the 200 expected: {strict:?}");
    assert_eq!(strict.finding.words(Language::En), "HTTP 204, expected 200");
}

#[tokio::test]
async fn https_is_verified_against_the_system_roots() {
    let server = HttpServer::start_tls();
    let outcome = check(&http(server.base_url(), None), TIMEOUT, &client()).await;
    assert!(
        !outcome.up,
        "a self-signed test certificate is not trusted: {outcome:?}"
    );
    let Finding::Failed(words) = &outcome.finding else {
        panic!("{outcome:?}");
    };
    assert!(words.to_lowercase().contains("certificate"), "{words}");
    assert!(
        server.requests().is_empty(),
        "no request over an untrusted connection"
    );

    let trusting =
        lookout_monitor::sys::http::client(Some(&lookout_testkit::test_cert().cert), TIMEOUT)
            .expect("client with the test CA");
    let trusted = check(&http(server.base_url(), None), TIMEOUT, &trusting).await;
    assert!(trusted.up, "with its CA given: {trusted:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_is_down_within_the_timeout() {
    // Accepts the connection (the kernel's backlog) and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://127.0.0.1:{}/",
        silent.local_addr().expect("addr").port()
    );
    let short = Duration::from_millis(300);
    let client = lookout_monitor::sys::http::client(None, short).expect("client");
    let outcome = check(&http(url, None), short, &client).await;
    assert_eq!(outcome.finding, Finding::TimedOut(short), "{outcome:?}");
    assert!(!outcome.up);
}

#[tokio::test]
async fn check_once_reads_every_probe_into_a_snapshot() {
    let server = HttpServer::start();
    let probes = [
        probe("site", http(server.base_url(), None)),
        probe(
            "nas",
            ProbeTarget::Tcp {
                host: "127.0.0.1".into(),
                port: closed_port(),
            },
        ),
    ];
    let board = check_once(&probes).await;
    let mut snap = Snapshot::new();
    board.copy_into(&mut snap);
    assert_eq!(reading(&snap, "probe.site.up"), Some(1.0));
    assert!(reading(&snap, "probe.site.latency_ms").is_some());
    assert_eq!(
        reading(&snap, "probe.nas.up"),
        Some(0.0),
        "down is 0, not absent"
    );
    assert_eq!(
        reading(&snap, "probe.nas.latency_ms"),
        None,
        "no latency for a probe that is down"
    );
    assert_eq!(board.outcomes().len(), 2);
}

/// The next event of `rule` within a generous deadline (a liveness bound, not a timing).
async fn next_event(
    events: &mut tokio::sync::broadcast::Receiver<lookout_core::AlertEvent>,
    rule: &str,
) -> lookout_core::AlertEvent {
    let deadline = Duration::from_secs(30);
    tokio::time::timeout(deadline, async {
        loop {
            match events.recv().await {
                Ok(e) if e.rule == rule => return e,
                Ok(_) => {}
                Err(e) => panic!("event feed ended: {e}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no event of {rule} within {deadline:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_a_rule_like_any_other() {
    use lookout_core::EventKind;
    use lookout_monitor::monitor::{Daemon, DaemonOptions};

    let server = HttpServer::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let options = DaemonOptions {
        config_path: dir.path().join("config.toml"),
        data_dir: dir.path().join("data"),
        create_default_config: false,
        follow_config_edits: false,
    };
    // "The NAS unreachable for 2 seconds", at test speed.
    std::fs::write(
        &options.config_path,
        format!(
            "version = 1\n[sampling]\ninterval = \"200ms\"\n[desktop]\nenabled = false\n\
             [storage]\nhistory = false\n\
             [[probes]]\nname = \"nas\"\nhttp = \"{}/\"\ninterval = \"1s\"\ntimeout = \"500ms\"\n\
             [[rules]]\nname = \"NAS unreachable\"\nmetric = \"probe.nas.up\"\naggregate = \"all\"\n\
             window = \"2s\"\nop = \"<\"\nthreshold = 1\nmin_coverage = 0.5\n",
            server.base_url()
        ),
    )
    .expect("config");
    let (handle, daemon) = Daemon::start(options).await.expect("start");
    let mut events = handle.subscribe_events();

    // Up: the rule holds still while the server answers.
    lookout_testkit::wait_until("the probe's first request", || {
        !server.requests().is_empty()
    });
    server.answer(&[(503, &[], "")]);
    let fired = next_event(&mut events, "NAS unreachable").await;
    assert_eq!(fired.state, EventKind::Firing, "{fired:?}");
    assert_eq!(fired.value, Some(0.0));
    let down_requests = server.requests().len();
    assert!(
        down_requests >= 2,
        "it fired on the checks that failed: {down_requests}"
    );

    server.answer(&[(200, &[], "")]);
    let resolved = next_event(&mut events, "NAS unreachable").await;
    assert_eq!(resolved.state, EventKind::Resolved, "{resolved:?}");
    daemon.stop().await;
}
