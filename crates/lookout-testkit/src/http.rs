//! An HTTP(S) receiver (tests/rig/http_server.py) on loopback: records every request, answers
//! with the statuses a test scripts.

use crate::peers::{first_line, repo_root, Peer};
use crate::smtp::test_cert;
use std::process::{Command, Stdio};
use tempfile::TempDir;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// When it arrived, in seconds since the epoch.
    pub at: f64,
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    /// Header names in lowercase.
    pub headers: serde_json::Map<String, serde_json::Value>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase())?.as_str()
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// One scripted answer: status, headers and body.
pub type Answer<'a> = (u16, &'a [(&'a str, &'a str)], &'a str);

/// The server, killed on drop.
pub struct HttpServer {
    pub port: u16,
    pub tls: bool,
    out: TempDir,
    _peer: Peer,
}

impl HttpServer {
    /// Plain HTTP on a free port.
    pub fn start() -> Self {
        Self::start_on(false, 0)
    }

    /// HTTPS with the test certificate ([`test_cert`]), on a free port.
    pub fn start_tls() -> Self {
        Self::start_on(true, 0)
    }

    /// On `port` (0: any free one), over TLS or not.
    pub fn start_on(tls: bool, port: u16) -> Self {
        let out = TempDir::new().expect("temp dir");
        let mut cmd = Command::new("/usr/bin/python3");
        cmd.arg("-u")
            .arg(repo_root().join("tests/rig/http_server.py"))
            .args(["--port", &port.to_string()])
            .arg("--out")
            .arg(out.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if tls {
            let cert = test_cert();
            cmd.arg("--cert")
                .arg(&cert.cert)
                .arg("--key")
                .arg(&cert.key);
        }
        let mut peer = Peer::spawn("http_server.py", &mut cmd);
        let line = first_line("http_server.py", peer.stdout());
        let port = line
            .parse()
            .unwrap_or_else(|_| panic!("http_server.py printed {line:?}, not a port"));
        Self {
            port,
            tls,
            out,
            _peer: peer,
        }
    }

    /// `http://127.0.0.1:PORT` (or https).
    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// Answers from now on, in order, the last repeating: `(status, headers, body)`.
    pub fn answer(&self, answers: &[Answer<'_>]) {
        let list: Vec<serde_json::Value> = answers
            .iter()
            .map(|(status, headers, body)| {
                let headers: serde_json::Map<String, serde_json::Value> = headers
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
                    .collect();
                serde_json::json!({ "status": status, "headers": headers, "body": body })
            })
            .collect();
        let path = self.out.path().join("answers.json");
        let tmp = self.out.path().join("answers.json.tmp");
        std::fs::write(&tmp, serde_json::to_vec(&list).expect("json")).expect("write answers");
        std::fs::rename(tmp, path).expect("place answers");
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        let Ok(text) = std::fs::read_to_string(self.out.path().join("requests.jsonl")) else {
            return Vec::new();
        };
        text.lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .map(|v| HttpRequest {
                at: v["at"].as_f64().unwrap_or_default(),
                method: v["method"].as_str().unwrap_or_default().to_owned(),
                path: v["path"].as_str().unwrap_or_default().to_owned(),
                headers: v["headers"].as_object().cloned().unwrap_or_default(),
                body: decode_base64(v["body"].as_str().unwrap_or_default()),
            })
            .collect()
    }
}

/// Standard base64, as Python's `b64encode` writes it.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let digits: Vec<u32> = chunk.iter().filter_map(|c| value(*c)).collect();
        let n = digits.iter().fold(0u32, |acc, d| acc << 6 | d) << (6 * (4 - digits.len()));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..digits.len()]);
    }
    out
}
