//! `lookout test-email`, `lookout test-notify`, `lookout test-channel` and `lookout secret`: try
//! the channels, manage the SMTP password and push channels' secrets. Secrets are read from
//! stdin or a hidden prompt, never an argument.

use crate::words::t;
use crate::{config_path, data_dir, runtime, SecretAction, SecretName, EXIT_INVALID};
use anyhow::Context;
use lookout_core::config::ChannelConfig;
use lookout_core::ValidConfig;
use lookout_monitor::clock::host_name;
use lookout_monitor::config::{load_config, ConfigFileError};
use lookout_monitor::delivery;
use lookout_monitor::delivery::push::sender::send_test;
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

/// The config at `path` (or the default), its problems printed; `Err(code)` when it is invalid.
fn load_valid(config: Option<PathBuf>) -> anyhow::Result<Result<ValidConfig, ExitCode>> {
    let path = config_path(config)?;
    match load_config(&path) {
        Ok(c) => Ok(Ok(c)),
        Err(ConfigFileError::Invalid { path, problems }) => {
            for p in &problems {
                eprintln!("{}", p.display_with(&path));
            }
            Ok(Err(ExitCode::from(EXIT_INVALID)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The declared channel `name`, or the error that says which exist.
fn declared(config: &ValidConfig, name: &str) -> Result<ChannelConfig, String> {
    let channels = &config.config.channels;
    channels
        .iter()
        .find(|c| c.name == name)
        .cloned()
        .ok_or_else(|| {
            let known: Vec<&str> = channels.iter().map(|c| c.name.as_str()).collect();
            let known = if known.is_empty() {
                t("cli-channels-none", &[])
            } else {
                known.join(", ")
            };
            t(
                "cli-channel-unknown",
                &[("channel", name), ("known", &known)],
            )
        })
}

pub fn test_channel(name: &str, config: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let config = match load_valid(config)? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let channel = match declared(&config, name) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lookout: {e}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    let lang = crate::words::language();
    let sent = runtime()?.block_on(send_test(
        &channel,
        &host_name(),
        lang,
        lookout_monitor::clock::wall_now(),
    ));
    match sent {
        Ok(answer) => {
            println!("{answer}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!(
                "{}",
                t("cli-test-channel-failed", &[("reason", &e.message)])
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn secret(action: SecretAction) -> anyhow::Result<ExitCode> {
    match action {
        SecretAction::Set {
            name: SecretName::Channel(name),
            config,
        } => {
            // A config that cannot be read is no reason to refuse: the channel may come later.
            if let Ok(Ok(valid)) = load_valid(config) {
                if let Err(e) = declared(&valid, &name) {
                    eprintln!("lookout: {e}");
                    return Ok(ExitCode::from(EXIT_INVALID));
                }
            }
            let secret = read_secret(&t("cli-channel-secret-prompt", &[("channel", &name)]))?;
            if secret.trim().is_empty() {
                eprintln!("{}", t("cli-no-secret", &[]));
                return Ok(ExitCode::from(EXIT_INVALID));
            }
            secrets::set_channel_secret(&name, &secret)
                .context(t("cli-channel-secret-store-failed", &[("channel", &name)]))?;
            println!("{}", t("cli-channel-secret-stored", &[("channel", &name)]));
        }
        SecretAction::Clear {
            name: SecretName::Channel(name),
        } => {
            let removed = secrets::clear_channel_secret(&name)
                .context(t("cli-channel-secret-remove-failed", &[("channel", &name)]))?;
            let id = if removed {
                "cli-channel-secret-removed"
            } else {
                "cli-channel-secret-none"
            };
            println!("{}", t(id, &[("channel", &name)]));
        }
        SecretAction::Set {
            name: SecretName::Smtp,
            ..
        } => {
            let password = read_secret(&t("cli-password-prompt", &[]))?;
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

/// One line from stdin, or `prompt` with echo off when stdin is a terminal.
fn read_secret(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).context(t("cli-password-unreadable", &[]));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context(t("cli-password-unreadable", &[]))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
