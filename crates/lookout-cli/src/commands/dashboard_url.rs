//! `lookout dashboard-url`: a link that logs a browser into the web dashboard once, within
//! ten minutes, signed with the access token of the data directory.

use crate::words::t;
use crate::{config_path, data_dir, EXIT_INVALID};
use lookout_http::access::machine_name;
use lookout_http::token::LOGIN_LINK_SECS;
use lookout_http::AccessToken;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn dashboard_url(
    listen: Option<SocketAddr>,
    config: Option<PathBuf>,
    data: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let listen = match listen {
        Some(addr) => addr,
        None => {
            let path = config_path(config)?;
            let configured = match super::valid_or_report(&path)? {
                Ok(valid) => valid.config.http.address(),
                Err(code) => return Ok(code),
            };
            match configured {
                Some(addr) => addr,
                None => {
                    eprintln!("lookout: {}", t("cli-dashboard-url-no-listen", &[]));
                    return Ok(ExitCode::from(EXIT_INVALID));
                }
            }
        }
    };
    let token = match AccessToken::load_or_create(&data_dir(data)?) {
        Ok(token) => token,
        Err(e) => {
            let text = t("cli-token-failed", &[("reason", &e.to_string())]);
            eprintln!("lookout: {text}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let code = token.login_code(now)?;
    println!("http://{}/login?code={code}", host_of(listen));
    let minutes = (LOGIN_LINK_SECS / 60).to_string();
    eprintln!("{}", t("cli-dashboard-url-once", &[("minutes", &minutes)]));
    Ok(ExitCode::SUCCESS)
}

/// How a browser reaches `listen`: the machine's name when it listens on every address.
fn host_of(listen: SocketAddr) -> String {
    let port = listen.port();
    match listen.ip() {
        ip if ip.is_unspecified() => format!("{}:{port}", machine_name()),
        IpAddr::V6(ip) => format!("[{ip}]:{port}"),
        IpAddr::V4(ip) => format!("{ip}:{port}"),
    }
}
