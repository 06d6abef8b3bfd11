//! `lookout run --listen` serving `/metrics`: promtool accepts the scrape, the Host check and
//! the token hold, and a real Prometheus server scrapes Lookout (with the token) and loads its
//! exported rules.

mod support;

use lookout_testkit::{free_port, http_get, wait_until, Peer};
use std::process::Command;
use support::Home;

const CONFIG: &str = r#"version = 1
[sampling]
interval = "1s"
[[rules]]
name = "CPU busy for an hour"
metric = "cpu.total"
aggregate = "all"
window = "1h"
op = ">"
threshold = 80
[[rules]]
name = "root disk"
metric = "disk./.used_pct"
aggregate = "max"
window = "1m"
op = ">"
threshold = 101
"#;

fn scrape(addr: &str, headers: &[(&str, &str)]) -> lookout_testkit::HttpAnswer {
    http_get(addr, "/metrics", headers)
}

/// Waits until the monitor has ticked and /metrics carries the CPU.
fn wait_for_cpu(addr: &str, headers: &[(&str, &str)]) -> String {
    let mut body = String::new();
    wait_until("/metrics carries the CPU", || {
        let answer = std::net::TcpStream::connect(addr)
            .ok()
            .map(|_| scrape(addr, headers));
        match answer {
            Some(a) if a.status == 200 && a.body.contains("\nlookout_cpu_usage_percent ") => {
                body = a.body;
                true
            }
            _ => false,
        }
    });
    body
}

#[test]
fn a_loopback_scrape_passes_promtool_and_refuses_other_hosts() {
    let home = Home::new(CONFIG);
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let _run = home.start_with(&["--listen", &addr]);
    let host = [("Host", addr.as_str())];
    let body = wait_for_cpu(&addr, &host);
    for line in [
        "# TYPE lookout_cpu_usage_percent gauge",
        "# TYPE lookout_alert_state gauge",
        "lookout_alert_state{rule=\"CPU busy for an hour\",severity=\"warning\"} ",
        "lookout_disk_used_percent{mount=\"/\"} ",
        "# TYPE process_cpu_seconds_total counter",
        "process_resident_memory_bytes ",
    ] {
        assert!(body.contains(line), "no {line:?} in:\n{body}");
    }
    let mut check = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool is not installed; `make test` installs Debian's prometheus package");
    use std::io::Write;
    check
        .stdin
        .take()
        .expect("stdin")
        .write_all(body.as_bytes())
        .expect("write");
    let out = check.wait_with_output().expect("promtool ends");
    assert!(
        out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Loopback needs no token for /metrics, but other names for this address are refused.
    assert_eq!(
        scrape(&addr, &[("Host", &format!("localhost:{port}"))]).status,
        200
    );
    for host in [
        format!("rebind.example:{port}"),
        format!("127.0.0.1:{}", port + 1),
        String::new(),
    ] {
        let answer = scrape(&addr, &[("Host", &host)]);
        assert_eq!(answer.status, 403, "Host {host:?}: {}", answer.body);
    }
    assert_eq!(scrape(&addr, &[]).status, 403, "no Host at all");
    let unknown = http_get(&addr, "/", &host);
    assert_eq!(unknown.status, 404, "{}", unknown.body);
}

#[test]
fn a_bad_listen_address_is_refused_and_a_taken_port_reported() {
    let home = Home::new(CONFIG);
    let out = home.run(&["run", "--listen", "localhost"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("127.0.0.1:9464"), "{err}");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let out = home.run(&["run", "--listen", &addr], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
}

/// Lookout on every address: every request needs the token, and Prometheus sends it from
/// the token file.
#[test]
fn prometheus_scrapes_with_the_token_and_loads_the_exported_rules() {
    let home = Home::new(CONFIG);
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let _run = home.start_with(&["--listen", &format!("0.0.0.0:{port}")]);
    let token_file = home.data.join("http-token");
    wait_until("the token file", || token_file.exists());
    let token = std::fs::read_to_string(&token_file).expect("token");
    let bearer = format!("Bearer {}", token.trim());
    let host = ("Host", addr.as_str());
    wait_for_cpu(&addr, &[host, ("Authorization", &bearer)]);
    let refused = scrape(&addr, &[host]);
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert_eq!(
        refused.header("www-authenticate"),
        Some("Bearer realm=\"lookout\"")
    );
    assert!(!refused.body.contains(token.trim()));
    assert_eq!(
        scrape(&addr, &[host, ("Authorization", "Bearer wrong")]).status,
        401
    );

    let rules = home.run(
        &[
            "export-rules",
            "--format",
            "prometheus",
            "--scrape-interval",
            "1s",
        ],
        None,
    );
    assert!(rules.status.success());
    let dir = home.dir.path();
    std::fs::write(dir.join("rules.yml"), &rules.stdout).expect("rules");
    let web_port = free_port();
    std::fs::write(
        dir.join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: [rules.yml]\n\
             scrape_configs:\n  - job_name: lookout\n    authorization:\n      credentials_file: {}\n\
             \x20   static_configs:\n      - targets: ['{addr}']\n",
            token_file.display()
        ),
    )
    .expect("prometheus.yml");
    let _prometheus = Peer::spawn(
        "prometheus",
        Command::new("prometheus")
            .current_dir(dir)
            .arg("--config.file=prometheus.yml")
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("tsdb").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{web_port}"))
            .stderr(std::process::Stdio::null()),
    );
    let api = format!("127.0.0.1:{web_port}");
    let api_host = ("Host", api.as_str());
    let mut series = String::new();
    wait_until("Prometheus has the CPU series", || {
        if std::net::TcpStream::connect(&api).is_err() {
            return false;
        }
        let answer = http_get(
            &api,
            "/api/v1/query?query=lookout_cpu_usage_percent",
            &[api_host],
        );
        series = answer.body;
        series.contains("\"__name__\":\"lookout_cpu_usage_percent\"")
    });
    let json: serde_json::Value = serde_json::from_str(&series).expect("JSON");
    let sample = &json["data"]["result"][0];
    assert_eq!(sample["metric"]["job"], "lookout", "{json}");
    assert_eq!(sample["metric"]["instance"], addr.as_str(), "{json}");
    let value: f64 = sample["value"][1]
        .as_str()
        .and_then(|v| v.parse().ok())
        .expect("a number");
    assert!((0.0..=100.0).contains(&value), "{json}");
    let up = http_get(&api, "/api/v1/query?query=up", &[api_host]).body;
    assert!(
        up.contains("\"value\":[") && up.contains(",\"1\"]"),
        "scrape is up: {up}"
    );
    let loaded = http_get(&api, "/api/v1/rules", &[api_host]).body;
    assert!(loaded.contains("\"name\":\"CPUBusyForAnHour\""), "{loaded}");
    assert!(loaded.contains("\"health\":\"ok\""), "{loaded}");
}
