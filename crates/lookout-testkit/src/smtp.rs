//! aiosmtpd (tests/rig/smtp_server.py) and the self-signed certificate it serves.

use super::{first_line, repo_root, Peer};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use tempfile::TempDir;

/// A self-signed certificate for `localhost` / 127.0.0.1 that rustls accepts (SAN, CA:FALSE).
pub struct TestCert {
    _dir: TempDir,
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// One certificate per test binary, made with openssl on first use.
pub fn test_cert() -> &'static TestCert {
    static CERT: OnceLock<TestCert> = OnceLock::new();
    CERT.get_or_init(|| {
        let dir = TempDir::new().expect("temp dir");
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        let status = Command::new("openssl")
            // A CN of its own: Debian's snakeoil certificate (CN=localhost) may sit among the
            // system roots, and a same-named root turns "unknown issuer" into "bad signature".
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=Lookout test server",
            ])
            .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            .args(["-addext", "basicConstraints=critical,CA:FALSE"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl runs");
        assert!(
            status.success(),
            "openssl could not make a test certificate"
        );
        TestCert {
            _dir: dir,
            cert,
            key,
        }
    })
}

// ---------------------------------------------------------------- SMTP (aiosmtpd)

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    Plain,
    Starttls,
    Tls,
    /// Accepts connections and never greets.
    Stall,
}

/// tests/rig/smtp_server.py on 127.0.0.1, storing what it receives in a temp dir.
pub struct SmtpServer {
    pub port: u16,
    out: TempDir,
    _peer: Peer,
}

/// One message as the server stored it.
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub auth_mechanism: Option<String>,
    pub auth_login: Option<String>,
    pub raw: Vec<u8>,
}

impl SmtpServer {
    pub fn start(mode: SmtpMode) -> Self {
        Self::start_with(mode, None, "PLAIN,LOGIN")
    }

    /// With `auth = Some((user, password))` the server requires AUTH, offering `mechanisms`.
    pub fn start_with(mode: SmtpMode, auth: Option<(&str, &str)>, mechanisms: &str) -> Self {
        Self::start_on(mode, auth, mechanisms, 0)
    }

    /// Like [`SmtpServer::start_with`] on a chosen port (0: any free one).
    pub fn start_on(
        mode: SmtpMode,
        auth: Option<(&str, &str)>,
        mechanisms: &str,
        port: u16,
    ) -> Self {
        let out = TempDir::new().expect("temp dir");
        let mut cmd = Command::new("/usr/bin/python3");
        cmd.args(["-u"])
            .arg(repo_root().join("tests/rig/smtp_server.py"))
            .args(["--port", &port.to_string()]);
        let cmd = &mut cmd;
        cmd.arg("--mode")
            .arg(match mode {
                SmtpMode::Plain => "plain",
                SmtpMode::Starttls => "starttls",
                SmtpMode::Tls => "tls",
                SmtpMode::Stall => "stall",
            })
            .arg("--out")
            .arg(out.path())
            .args(["--mechanisms", mechanisms])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if matches!(mode, SmtpMode::Starttls | SmtpMode::Tls) {
            let cert = test_cert();
            cmd.arg("--cert")
                .arg(&cert.cert)
                .arg("--key")
                .arg(&cert.key);
        }
        if let Some((user, password)) = auth {
            cmd.args(["--username", user, "--password", password]);
        }
        let mut peer = Peer::spawn("aiosmtpd", cmd);
        let line = first_line("aiosmtpd", peer.stdout());
        let port = line
            .parse()
            .unwrap_or_else(|_| panic!("aiosmtpd printed {line:?}, not a port"));
        Self {
            port,
            out,
            _peer: peer,
        }
    }

    /// Every message received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        (1..)
            .map(|n| self.out.path().join(format!("{n}.json")))
            .take_while(|p| p.exists())
            .map(|json_path| {
                let meta: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&json_path).expect("read json"))
                        .expect("valid json");
                let text = |k: &str| meta[k].as_str().map(str::to_owned);
                Received {
                    mail_from: text("mail_from").unwrap_or_default(),
                    rcpt_tos: meta["rcpt_tos"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                    auth_mechanism: text("auth_mechanism"),
                    auth_login: text("auth_login"),
                    raw: std::fs::read(json_path.with_extension("eml")).expect("read eml"),
                }
            })
            .collect()
    }
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}
