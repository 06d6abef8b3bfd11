//! A tiny W3C WebDriver client over plain HTTP/1.1, enough to drive the real app via tauri-driver.

use serde_json::{json, Value};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

/// The W3C key for an element reference in WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long one WebDriver request may take (a new session starts the whole app).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// A failed WebDriver call: the HTTP status and the driver's `value` (error and message).
#[derive(Debug)]
pub struct WebDriverError {
    pub status: u16,
    pub value: Value,
}

impl std::fmt::Display for WebDriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebDriver answered {}: {}", self.status, self.value)
    }
}

/// One request to `127.0.0.1:port`; the response's `value`. A driver that cannot be reached
/// or answers garbage is an error with status 0 and the reason as its value.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<Value, WebDriverError> {
    let transport = |what: String| WebDriverError {
        status: 0,
        value: Value::String(format!("{method} {path}: {what}")),
    };
    let body = body.map(Value::to_string).unwrap_or_default();
    let (status, bytes) =
        exchange(port, method, path, &body).map_err(|e| transport(e.to_string()))?;
    let json: Value = serde_json::from_slice(&bytes).map_err(|e| {
        transport(format!(
            "the answer is not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        ))
    })?;
    let value = json.get("value").cloned().unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        Ok(value)
    } else {
        Err(WebDriverError { status, value })
    }
}

/// Sends one request and reads the status and body (by length, chunked, or to the end).
fn exchange(port: u16, method: &str, path: &str, body: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let bad = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    // No "Connection: close": tauri-driver forwards it to WebKitWebDriver, which then closes
    // the connection tauri-driver pools, and the next request through it fails with no answer.
    // The socket is simply dropped once the body (always sized by WebKitWebDriver) is read.
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;

    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad(format!("not an HTTP status line: {status_line:?}")))?;
    let mut length = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            if name == "content-length" {
                length = value.parse::<usize>().ok();
            } else if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
        }
    }
    let mut bytes = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = size.trim().split(';').next().unwrap_or_default();
            let size = usize::from_str_radix(size, 16)
                .map_err(|e| bad(format!("bad chunk size {size:?}: {e}")))?;
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size + 2]; // the chunk and its CRLF
            reader.read_exact(&mut chunk)?;
            bytes.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(n) = length {
        bytes.resize(n, 0);
        reader.read_exact(&mut bytes)?;
    } else {
        reader.read_to_end(&mut bytes)?;
    }
    Ok((status, bytes))
}

/// A WebDriver session; deleted (which ends the app) when dropped.
pub struct Session {
    port: u16,
    id: String,
}

impl Session {
    /// Starts a session with these capabilities (`alwaysMatch`).
    pub fn start(port: u16, always_match: Value) -> Result<Self, WebDriverError> {
        let created = request(
            port,
            "POST",
            "/session",
            Some(&json!({ "capabilities": { "alwaysMatch": always_match } })),
        )?;
        let id = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no sessionId in {created}"))
            .to_owned();
        Ok(Self { port, id })
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, WebDriverError> {
        request(
            self.port,
            method,
            &format!("/session/{}{path}", self.id),
            body.as_ref(),
        )
    }

    /// Runs `script` (a function body; `return` gives the value) in the page.
    pub fn execute(&self, script: &str) -> Result<Value, WebDriverError> {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Runs `script`, which calls `done(value)` (bound for it) when it has an answer.
    pub fn execute_async(&self, script: &str) -> Result<Value, WebDriverError> {
        let script = format!("const done = arguments[arguments.length - 1];\n{script}");
        self.call(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// The first element matching the CSS `selector`.
    pub fn find(&self, selector: &str) -> Result<String, WebDriverError> {
        let found = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": selector })),
        )?;
        Ok(found[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element reference in {found}"))
            .to_owned())
    }

    pub fn click(&self, element: &str) -> Result<(), WebDriverError> {
        self.call(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .map(drop)
    }

    pub fn clear(&self, element: &str) -> Result<(), WebDriverError> {
        self.call(
            "POST",
            &format!("/element/{element}/clear"),
            Some(json!({})),
        )
        .map(drop)
    }

    pub fn send_keys(&self, element: &str, text: &str) -> Result<(), WebDriverError> {
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        )
        .map(drop)
    }

    /// Moves and resizes the window (outer size, in screen pixels).
    pub fn set_window_rect(
        &self,
        x: i32,
        y: i32,
        width: u32,
        height: u32,
    ) -> Result<(), WebDriverError> {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({ "x": x, "y": y, "width": width, "height": height })),
        )
        .map(drop)
    }

    /// The element's `selected`/`checked` state.
    pub fn is_selected(&self, element: &str) -> Result<bool, WebDriverError> {
        self.call("GET", &format!("/element/{element}/selected"), None)
            .map(|v| v.as_bool().unwrap_or(false))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = request(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}
