//! Push channels against a real HTTP(S) receiver on loopback: the dispatcher queues each
//! event for its channels, and the push sender delivers it as the service's API documents.

#![allow(clippy::expect_used)]

use lookout_core::rule::Channel;
use lookout_core::{AlertEvent, EventKind, Severity, Timestamp};
use lookout_monitor::config::parse_config;
use lookout_monitor::delivery::dispatch::{Dispatcher, Wakers};
use lookout_monitor::delivery::notice_bus::NoticeBus;
use lookout_monitor::delivery::push::{request, sender};
use lookout_monitor::delivery::{DeliveryInputs, Health};
use lookout_monitor::store::{Store, StoreHandle};
use lookout_monitor::sys::{Clock, Shutdown};
use lookout_testkit::{cpu_event, HttpRequest, HttpServer};
use serde_json::json;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::sync::{watch, Notify};

/// The dispatcher and push sender over a fresh store, with `channels` declared.
struct Rig {
    _dir: TempDir,
    store: StoreHandle,
    health: Arc<Health>,
    dispatch: Option<Dispatcher>,
    engine: lookout_core::Engine,
    shutdown: Shutdown,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Rig {
    fn start(channels: &str) -> Self {
        let dir = TempDir::new().expect("temp dir");
        let store = StoreHandle::new(Store::open(&dir.path().join("lookout.db")).expect("open"));
        let config = parse_config(&format!(
            "version = 1\nlanguage = \"en\"\n[desktop]\nenabled = false\n{channels}"
        ))
        .expect("valid config");
        let engine = lookout_core::Engine::new(config.interval, config.rules.clone());
        let health = Arc::new(Health::default());
        let inputs = DeliveryInputs {
            store: store.clone(),
            config: watch::channel(Arc::new(config)).1,
            clock: Clock::wall(),
            health: health.clone(),
            host: "testhost".into(),
        };
        let shutdown = Shutdown::new();
        let push = Arc::new(Notify::new());
        let push_sender = sender::start(inputs.clone(), push.clone(), shutdown.clone());
        let wakers = Wakers {
            email: Arc::new(Notify::new()),
            push,
        };
        let (dispatch, task) = Dispatcher::start(
            inputs,
            wakers,
            NoticeBus::new(shutdown.clone()).0,
            Arc::new(|_| {}),
        );
        Self {
            _dir: dir,
            store,
            health,
            dispatch: Some(dispatch),
            engine,
            shutdown,
            tasks: vec![push_sender, task],
        }
    }

    fn raise(&self, events: Vec<AlertEvent>) {
        if let Some(d) = &self.dispatch {
            d.send(events, &self.engine);
        }
    }

    async fn stop(mut self) {
        self.shutdown.trigger();
        self.dispatch = None;
        for task in self.tasks.drain(..) {
            task.await.expect("task ends");
        }
    }
}

/// Waits (a liveness bound, not a timing) until the server holds `n` requests.
async fn requests(server: &HttpServer, n: usize) -> Vec<HttpRequest> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = server.requests();
        if got.len() >= n {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "{n} requests expected, got {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn event(state: EventKind, severity: Severity, at_s: i64) -> AlertEvent {
    let mut e = cpu_event("CPU busy", state, severity);
    e.at = Timestamp::from_millis(at_s * 1000);
    e.since = Timestamp::from_millis(0);
    e
}

fn secret_file(dir: &Path, secret: &str) -> String {
    let path = dir.join("secret");
    std::fs::write(&path, format!("{secret}\n")).expect("write secret");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ntfy_gets_one_request_for_firing_and_one_for_resolved() {
    let server = HttpServer::start();
    let rig = Rig::start(&format!(
        "[[channels]]\nname = \"phone\"\nkind = \"ntfy\"\nurl = \"{}/lookout-alerts\"\n",
        server.base_url()
    ));
    rig.raise(vec![event(EventKind::Firing, Severity::Critical, 100)]);
    rig.raise(vec![event(EventKind::Resolved, Severity::Critical, 200)]);
    let got = requests(&server, 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.requests().len(), 2, "exactly one request each");
    for r in &got {
        assert_eq!(
            (r.method.as_str(), r.path.as_str()),
            ("POST", "/"),
            "JSON publishing"
        );
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("authorization"), None, "no token stored");
    }
    let (firing, resolved) = (got[0].json(), got[1].json());
    assert_eq!(firing["topic"], "lookout-alerts");
    assert!(
        firing["title"]
            .as_str()
            .expect("title")
            .contains("CPU busy"),
        "{firing}"
    );
    assert!(
        firing["message"]
            .as_str()
            .expect("message")
            .contains("93.4 %"),
        "{firing}"
    );
    assert_eq!(firing["priority"], 5, "critical is urgent");
    assert_eq!(firing["tags"][0], "rotating_light");
    assert_eq!(resolved["priority"], 3);
    assert_eq!(resolved["tags"][0], "white_check_mark");
    assert!(resolved["title"]
        .as_str()
        .expect("title")
        .contains("CPU busy"));
    let health = rig
        .store
        .call(|s| s.channel_health(&[Channel::named("phone")]))
        .await
        .expect("health");
    assert!(health
        .iter()
        .any(|h| h.channel.name() == "phone" && h.last_ok_at.is_some()));
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_webhook_verifies_and_carries_its_headers() {
    let server = HttpServer::start();
    let dir = TempDir::new().expect("temp dir");
    let key = secret_file(dir.path(), "s3cret-signing-key");
    let rig = Rig::start(&format!(
        "[[channels]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"{}/hooks/lookout\"\nsign = true\nsecret_file = \"{key}\"\nheaders = {{ \"X-Team\" = \"ops\" }}\n",
        server.base_url()
    ));
    rig.raise(vec![event(EventKind::Firing, Severity::Warning, 100)]);
    let got = requests(&server, 1).await;
    let r = &got[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/hooks/lookout")
    );
    assert_eq!(r.header("x-team"), Some("ops"));
    assert!(r
        .header("x-lookout-delivery")
        .is_some_and(|k| k.starts_with("lookout-")));
    let signature = r.header("x-lookout-signature").expect("signed");
    assert_eq!(
        signature,
        request::signature("s3cret-signing-key", &r.body),
        "HMAC verifies"
    );
    assert_ne!(signature, request::signature("another key", &r.body));
    let body = r.json();
    assert_eq!(body["version"], "1");
    assert_eq!(body["rule"], "CPU busy");
    assert_eq!(body["state"], "firing");
    assert_eq!(body["severity"], "warning");
    assert_eq!(body["value"], 93.44);
    assert_eq!(body["threshold"], 80.0);
    assert_eq!(body["host"], "testhost");
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_alertmanager_payload_has_every_field_of_its_documented_schema() {
    let server = HttpServer::start();
    let rig = Rig::start(&format!(
        "[[channels]]\nname = \"am\"\nkind = \"webhook\"\nformat = \"alertmanager\"\nurl = \"{}/\"\n",
        server.base_url()
    ));
    rig.raise(vec![event(EventKind::Firing, Severity::Critical, 100)]);
    rig.raise(vec![event(EventKind::Resolved, Severity::Critical, 200)]);
    let got = requests(&server, 2).await;
    for (r, status) in got.iter().zip(["firing", "resolved"]) {
        let body = r.json();
        // https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
        for (field, kind) in [
            ("version", "string"),
            ("groupKey", "string"),
            ("truncatedAlerts", "number"),
            ("status", "string"),
            ("receiver", "string"),
            ("groupLabels", "object"),
            ("commonLabels", "object"),
            ("commonAnnotations", "object"),
            ("externalURL", "string"),
            ("alerts", "array"),
        ] {
            assert_eq!(json_kind(&body[field]), kind, "{field} in {body}");
        }
        assert_eq!(body["version"], "4");
        assert_eq!(body["status"], status);
        assert_eq!(body["receiver"], "am");
        let alert = &body["alerts"][0];
        for (field, kind) in [
            ("status", "string"),
            ("labels", "object"),
            ("annotations", "object"),
            ("startsAt", "string"),
            ("endsAt", "string"),
            ("generatorURL", "string"),
            ("fingerprint", "string"),
        ] {
            assert_eq!(
                json_kind(&alert[field]),
                kind,
                "alerts[0].{field} in {body}"
            );
        }
        assert_eq!(alert["labels"]["alertname"], "CPU busy");
        assert_eq!(alert["labels"]["severity"], "critical");
        assert_eq!(alert["labels"]["instance"], "testhost");
        assert_eq!(alert["startsAt"], "1970-01-01T00:00:00.000Z");
        for time in ["startsAt", "endsAt"] {
            let text = alert[time].as_str().expect("time");
            assert!(
                humantime::parse_rfc3339(text).is_ok() || text == "0001-01-01T00:00:00Z",
                "{text}"
            );
        }
    }
    assert_eq!(
        got[0].json()["alerts"][0]["endsAt"],
        "0001-01-01T00:00:00Z",
        "still firing"
    );
    assert_eq!(
        got[1].json()["alerts"][0]["endsAt"],
        "1970-01-01T00:03:20.000Z"
    );
    assert_eq!(
        got[0].json()["alerts"][0]["fingerprint"],
        got[1].json()["alerts"][0]["fingerprint"],
        "the same alert, firing then resolved"
    );
    rig.stop().await;
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::String(_) => "string",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::Object(_) => "object",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Null => "null",
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_is_down_for_a_while_gets_everything_once_in_order() {
    let server = HttpServer::start();
    // Rate-limited, then down for maintenance, each asking to be tried again in a second;
    // then up.
    server.answer(&[
        (429, &[("Retry-After", "1")], "slow down"),
        (503, &[("Retry-After", "1")], "busy"),
        (200, &[], "{}"),
    ]);
    let rig = Rig::start(&format!(
        "[[channels]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"{}/\"\n",
        server.base_url()
    ));
    rig.raise(vec![event(EventKind::Firing, Severity::Warning, 100)]);
    rig.raise(vec![event(EventKind::Reminder, Severity::Warning, 150)]);
    rig.raise(vec![event(EventKind::Resolved, Severity::Warning, 200)]);
    let got = requests(&server, 5).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got_all = server.requests();
    assert_eq!(
        got_all.len(),
        5,
        "two refused, then three delivered: {got_all:?}"
    );
    let states: Vec<String> = got
        .iter()
        .map(|r| r.json()["state"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        states,
        ["firing", "firing", "firing", "reminder", "resolved"],
        "the first waits, the later ones wait behind it, then all in order"
    );
    let gaps: Vec<f64> = got.windows(2).take(2).map(|w| w[1].at - w[0].at).collect();
    assert!(
        gaps.iter().all(|g| *g >= 0.9),
        "no attempt before Retry-After said: {gaps:?}"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_is_a_permanent_failure_in_the_channel_health() {
    let server = HttpServer::start();
    let token = "123456:ABC-secret-bot-token";
    let dir = TempDir::new().expect("temp dir");
    let file = secret_file(dir.path(), token);
    // Telegram answers 401 and, like some services, repeats what it was given.
    server.answer(&[(
        401,
        &[],
        &format!("{{\"ok\":false,\"description\":\"Unauthorized: {token}\"}}"),
    )]);
    let rig = Rig::start(&format!(
        "[[channels]]\nname = \"bot\"\nkind = \"telegram\"\nchat_id = \"42\"\nurl = \"{}\"\nsecret_file = \"{file}\"\n",
        server.base_url()
    ));
    rig.raise(vec![event(EventKind::Firing, Severity::Critical, 100)]);
    let got = requests(&server, 1).await;
    assert_eq!(
        got[0].path,
        format!("/bot{token}/sendMessage"),
        "Telegram's documented path"
    );
    let body = got[0].json();
    assert_eq!(body["chat_id"], "42");
    assert!(body["text"].as_str().expect("text").contains("CPU busy"));
    let deadline = Instant::now() + Duration::from_secs(10);
    let bot = Channel::named("bot");
    loop {
        rig.health.refresh(&rig.store, vec![bot.clone()]).await;
        if rig.health.is_failing(&bot) {
            break;
        }
        assert!(Instant::now() < deadline, "the channel shows failing");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let error = rig.health.last_error(&bot).expect("an error");
    assert!(error.contains("HTTP 401"), "{error}");
    assert!(!error.contains(token), "the token is never shown: {error}");
    let outbox = rig.store.call(|s| s.outbox_depth()).await.expect("depth");
    assert_eq!((outbox.pending, outbox.failed), (0, 1), "not retried");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(server.requests().len(), 1, "a 401 is not tried again");
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_is_verified_and_a_ca_file_lets_a_private_server_in() {
    let server = HttpServer::start_tls();
    let ca = lookout_testkit::test_cert().cert.display().to_string();
    let rig = Rig::start(&format!(
        "[[channels]]\nname = \"trusted\"\nkind = \"webhook\"\nurl = \"{0}/\"\nca_file = \"{ca}\"\n\
         [[channels]]\nname = \"untrusted\"\nkind = \"webhook\"\nurl = \"{0}/\"\n",
        server.base_url()
    ));
    let mut e = event(EventKind::Firing, Severity::Warning, 100);
    e.channels = vec![Channel::named("trusted"), Channel::named("untrusted")];
    rig.raise(vec![e]);
    let got = requests(&server, 1).await;
    assert_eq!(got.len(), 1);
    let untrusted = Channel::named("untrusted");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        rig.health
            .refresh(&rig.store, vec![untrusted.clone()])
            .await;
        if rig.health.last_error(&untrusted).is_some() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the untrusted channel reports why"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let error = rig.health.last_error(&untrusted).expect("error");
    assert!(
        error.contains("certificate") && error.contains("ca_file"),
        "{error}"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gotify_discord_and_slack_get_their_documented_requests() {
    let server = HttpServer::start();
    let dir = TempDir::new().expect("temp dir");
    let file = |name: &str, secret: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{secret}\n")).expect("write secret");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        path.display().to_string()
    };
    let base = server.base_url();
    let (gotify, discord, slack) = (
        file("gotify", "AppTokEn.123"),
        file("discord", &format!("{base}/api/webhooks/1/discord-token")),
        file("slack", &format!("{base}/services/T0/B0/slack-token")),
    );
    let rig = Rig::start(&format!(
        "[[channels]]\nname = \"g\"\nkind = \"gotify\"\nurl = \"{base}/\"\nsecret_file = \"{gotify}\"\n\
         [[channels]]\nname = \"d\"\nkind = \"discord\"\nsecret_file = \"{discord}\"\n\
         [[channels]]\nname = \"s\"\nkind = \"slack\"\nsecret_file = \"{slack}\"\n"
    ));
    let mut e = event(EventKind::Firing, Severity::Critical, 100);
    e.culprits = Vec::new();
    rig.raise(vec![e]);
    let got = requests(&server, 3).await;
    let by_path = |prefix: &str| {
        got.iter()
            .find(|r| r.path.starts_with(prefix))
            .unwrap_or_else(|| panic!("no request to {prefix}: {got:?}"))
    };
    // Gotify: POST /message with the application token in X-Gotify-Key.
    let g = by_path("/message");
    assert_eq!(g.method, "POST");
    assert_eq!(g.header("x-gotify-key"), Some("AppTokEn.123"));
    let body = g.json();
    assert!(
        body["title"]
            .as_str()
            .is_some_and(|t| t.contains("CPU busy")),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("93.4 %")),
        "{body}"
    );
    assert_eq!(body["priority"], 8, "critical is high priority");
    // Discord: the webhook URL as stored, one embed, red for critical, mentions off.
    let d = by_path("/api/webhooks/1/discord-token");
    assert_eq!(d.method, "POST");
    let body = d.json();
    assert_eq!(body["embeds"][0]["color"], 0xD0_2020);
    assert!(body["embeds"][0]["title"]
        .as_str()
        .is_some_and(|t| t.contains("CPU busy")));
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    // Slack: the webhook URL as stored, text plus a coloured attachment.
    let s = by_path("/services/T0/B0/slack-token");
    let body = s.json();
    assert!(
        body["text"]
            .as_str()
            .is_some_and(|t| t.contains("CPU busy")),
        "{body}"
    );
    assert_eq!(body["attachments"][0]["color"], "#d02020");
    for r in &got {
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
    rig.stop().await;
}
