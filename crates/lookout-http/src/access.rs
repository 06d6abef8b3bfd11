//! Who may ask what: the Host header must name the listen address (so a DNS-rebinding page
//! cannot reach a loopback server), and the token is required for the dashboard, and for
//! everything when the address is not loopback.

use crate::token::AccessToken;
use axum::http::{header, HeaderMap};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

/// The cookie a login link sets.
pub const COOKIE: &str = "lookout_token";

/// The rules of one listening server.
#[derive(Debug)]
pub struct Access {
    listen: SocketAddr,
    /// Names besides IP literals that reach this machine (`localhost`, its host name).
    names: Vec<String>,
    pub token: AccessToken,
    /// Login codes already used, until they expire.
    used_codes: Mutex<HashMap<String, u64>>,
}

impl Access {
    pub fn new(listen: SocketAddr, token: AccessToken) -> Self {
        let mut names = vec!["localhost".to_owned()];
        if !listen.ip().is_loopback() {
            let host = machine_name().to_ascii_lowercase();
            if !host.is_empty() {
                names.push(format!("{host}.local"));
                names.push(host);
            }
        }
        Self {
            listen,
            names,
            token,
            used_codes: Mutex::new(HashMap::new()),
        }
    }

    pub fn listen(&self) -> SocketAddr {
        self.listen
    }

    /// Every request needs the token when the server is reachable from other machines.
    pub fn open_to_network(&self) -> bool {
        !self.listen.ip().is_loopback()
    }

    /// Whether a request's `Host` names this server: its address (any of the machine's
    /// addresses when it listens on all), `localhost`, or the machine's name, with the port.
    pub fn host_allowed(&self, host: Option<&str>) -> bool {
        let Some((name, port)) = host.and_then(split_host) else {
            return false;
        };
        if port.unwrap_or(80) != self.listen.port() {
            return false;
        }
        let listen_ip = self.listen.ip();
        if let Ok(ip) = name.parse::<IpAddr>() {
            return listen_ip.is_unspecified()
                || ip == listen_ip
                || (ip.is_loopback() && listen_ip.is_loopback());
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let local_name = name == "localhost";
        if listen_ip.is_loopback() || local_name {
            return local_name && (listen_ip.is_loopback() || listen_ip.is_unspecified());
        }
        self.names.contains(&name)
    }

    /// Whether the request carries the token, as `Authorization: Bearer` or the login cookie.
    pub fn authorized(&self, headers: &HeaderMap) -> bool {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if bearer.is_some_and(|t| self.token.matches(t)) {
            return true;
        }
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(name, value)| name == COOKIE && self.token.matches(value))
    }

    /// Takes a login code: true once per valid, unexpired code.
    pub fn redeem(&self, code: &str, now_secs: u64) -> bool {
        let Some((expiry, nonce)) = self.token.check_login_code(code, now_secs) else {
            return false;
        };
        let mut used = self
            .used_codes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        used.retain(|_, until| *until > now_secs);
        used.insert(nonce, expiry).is_none()
    }
}

/// This machine's name (its nodename), as a browser on the network reaches it.
pub fn machine_name() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

/// `host[:port]` or `[v6][:port]` into the host (brackets removed) and the port.
fn split_host(value: &str) -> Option<(&str, Option<u16>)> {
    let value = value.trim();
    if let Some(rest) = value.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(port) => Some((ip, Some(port.parse().ok()?))),
            None if after.is_empty() => Some((ip, None)),
            None => None,
        };
    }
    match value.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => Some((host, Some(port.parse().ok()?))),
        Some(_) => None,
        None if value.is_empty() => None,
        None => Some((value, None)),
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn access(listen: &str) -> (tempfile::TempDir, Access) {
        let dir = tempfile::tempdir().expect("dir");
        let token = AccessToken::load_or_create(dir.path()).expect("token");
        let access = Access::new(listen.parse().expect("addr"), token);
        (dir, access)
    }

    #[test]
    fn a_loopback_server_answers_only_to_its_own_names() {
        let (_dir, a) = access("127.0.0.1:9464");
        for ok in [
            "127.0.0.1:9464",
            "localhost:9464",
            "LOCALHOST:9464",
            "[::1]:9464",
            "127.0.0.2:9464",
        ] {
            assert!(a.host_allowed(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example:9464",
            "localhost.evil.example:9464",
            "127.0.0.1:80",
            "127.0.0.1",
            "192.168.1.5:9464",
            "",
            "[::1",
            "a:b:c",
        ] {
            assert!(!a.host_allowed(Some(bad)), "{bad}");
        }
        assert!(!a.host_allowed(None));
        assert!(!a.open_to_network());
    }

    #[test]
    fn a_server_on_every_address_takes_ip_literals_and_the_machine_name() {
        let (_dir, a) = access("0.0.0.0:9464");
        let host = machine_name();
        for ok in [
            "192.168.1.5:9464",
            "10.0.0.1:9464",
            "localhost:9464",
            &format!("{host}:9464"),
        ] {
            assert!(a.host_allowed(Some(ok)), "{ok}");
        }
        assert!(!a.host_allowed(Some("rebind.evil.example:9464")));
        assert!(a.open_to_network());
    }

    #[test]
    fn the_token_comes_as_a_bearer_or_a_cookie() {
        let (_dir, a) = access("127.0.0.1:9464");
        let token = a.token.expose().to_owned();
        let mut h = HeaderMap::new();
        assert!(!a.authorized(&h));
        h.insert(
            header::AUTHORIZATION,
            format!("Bearer {token}").parse().expect("hv"),
        );
        assert!(a.authorized(&h));
        h.insert(header::AUTHORIZATION, "Bearer nope".parse().expect("hv"));
        assert!(!a.authorized(&h));
        h.remove(header::AUTHORIZATION);
        h.insert(
            header::COOKIE,
            format!("theme=dark; {COOKIE}={token}").parse().expect("hv"),
        );
        assert!(a.authorized(&h));
        h.insert(
            header::COOKIE,
            format!("{COOKIE}=x{token}").parse().expect("hv"),
        );
        assert!(!a.authorized(&h));
    }

    #[test]
    fn a_login_code_works_once() {
        let (_dir, a) = access("127.0.0.1:9464");
        let code = a.token.login_code(100).expect("code");
        assert!(a.redeem(&code, 101));
        assert!(!a.redeem(&code, 102), "used");
        assert!(!a.redeem("1.2.3", 102));
    }
}
