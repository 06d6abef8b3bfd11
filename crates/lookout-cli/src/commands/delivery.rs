//! `lookout test-email`, `lookout test-notify` and `lookout secret`: try the channels, manage
//! the SMTP password. The password is read from stdin or a hidden prompt, never an argument.

use crate::{config_path, data_dir, runtime, SecretAction, SecretName, EXIT_INVALID};
use anyhow::Context;
use lookout_monitor::clock::host_name;
use lookout_monitor::config::{load_config, ConfigFileError};
use lookout_monitor::delivery;
use lookout_monitor::monitor::status;
use lookout_monitor::sys::secrets;
use lookout_monitor::sys::server_trust::ServerTrust;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn test_email(config: Option<PathBuf>, data: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let path = config_path(config)?;
    let data = data_dir(data)?;
    let config = match load_config(&path) {
        Ok(c) => c,
        Err(ConfigFileError::Invalid { path, problems }) => {
            for p in &problems {
                eprintln!("{}", p.display_with(&path));
            }
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        Err(e) => return Err(e.into()),
    };
    if !config.config.email.enabled {
        eprintln!(
            "{}: email is not enabled; set [email] enabled = true",
            path.display()
        );
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    // The server the window named, and nobody confirmed, does not get the password here either.
    let email = &config.config.email;
    if email.login().is_some() {
        if let Err(e) = ServerTrust::peek(&data, email).check(email) {
            eprintln!("lookout: {e}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    }
    match runtime()?.block_on(status::send_test_email(
        &config.config.email,
        lookout_monitor::clock::wall_now(),
    )) {
        Ok(outcome) => {
            println!("{outcome}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("test email not delivered: {}", e.message);
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn test_notify() -> anyhow::Result<ExitCode> {
    // The config's language when it can be read, else the locale's.
    let lang = config_path(None)
        .map(|path| super::check::language_of(&path))
        .unwrap_or_else(|_| lookout_i18n::resolve_from_env(Default::default()));
    match runtime()?.block_on(delivery::desktop::notify_test(&host_name(), lang)) {
        Ok(()) => {
            println!("test notification shown");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("test notification not shown: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn secret(action: SecretAction) -> anyhow::Result<ExitCode> {
    match action {
        SecretAction::Set {
            name: SecretName::Smtp,
        } => {
            let password = read_password()?;
            if password.is_empty() {
                eprintln!("no password given; nothing stored");
                return Ok(ExitCode::from(EXIT_INVALID));
            }
            secrets::set_smtp_password(&password).context("cannot store the SMTP password")?;
            println!("SMTP password stored in the OS keyring");
        }
        SecretAction::Clear {
            name: SecretName::Smtp,
        } => {
            if secrets::clear_smtp_password().context("cannot remove the SMTP password")? {
                println!("SMTP password removed from the OS keyring");
            } else {
                println!("no SMTP password was stored");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line from stdin, or a prompt with echo off when stdin is a terminal.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("SMTP password: ").context("cannot read the password");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
