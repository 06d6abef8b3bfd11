//! `lookout test-email`, `lookout test-notify` and `lookout secret`: try the channels, manage
//! the SMTP password. The password is read from stdin or a hidden prompt, never an argument.

use crate::words::t;
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
        let shown = path.display().to_string();
        eprintln!("{}", t("cli-email-not-enabled", &[("path", &shown)]));
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
        crate::words::language(),
    )) {
        Ok(outcome) => {
            println!("{outcome}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{}", t("cli-test-email-failed", &[("reason", &e.message)]));
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn test_notify() -> anyhow::Result<ExitCode> {
    let lang = crate::words::language();
    match runtime()?.block_on(delivery::desktop::notify_test(&host_name(), lang)) {
        Ok(()) => {
            println!("{}", t("result-test-notify-shown", &[]));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let reason = e.words(lang);
            eprintln!("{}", t("cli-test-notify-failed", &[("reason", &reason)]));
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
                eprintln!("{}", t("cli-no-password", &[]));
                return Ok(ExitCode::from(EXIT_INVALID));
            }
            secrets::set_smtp_password(&password).context(t("cli-password-store-failed", &[]))?;
            println!("{}", t("cli-password-stored", &[]));
        }
        SecretAction::Clear {
            name: SecretName::Smtp,
        } => {
            if secrets::clear_smtp_password().context(t("cli-password-remove-failed", &[]))? {
                println!("{}", t("cli-password-removed", &[]));
            } else {
                println!("{}", t("cli-password-none", &[]));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line from stdin, or a prompt with echo off when stdin is a terminal.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(t("cli-password-prompt", &[]))
            .context(t("cli-password-unreadable", &[]));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context(t("cli-password-unreadable", &[]))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
