//! The command line's help and argument errors in the run's language: every about and help
//! text, heading and usage label comes from the catalog; flag and command names stay as
//! they are.

use crate::words::t;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The catalog id of each command's about text, by its path of command names ("" is
/// `lookout` itself).
const ABOUT: &[(&str, &str)] = &[
    ("", "cli-about"),
    ("run", "cli-run"),
    ("check", "cli-check"),
    ("sample", "cli-sample"),
    ("status", "cli-status"),
    ("alerts", "cli-alerts"),
    ("ps", "cli-ps"),
    ("replay", "cli-replay"),
    ("history", "cli-history"),
    ("backtest", "cli-backtest"),
    ("test-email", "cli-test-email"),
    ("test-notify", "cli-test-notify"),
    ("test-channel", "cli-test-channel"),
    ("export-rules", "cli-export-rules"),
    ("dashboard-url", "cli-dashboard-url"),
    ("secret", "cli-secret"),
    ("secret set", "cli-secret-set"),
    ("secret clear", "cli-secret-clear"),
];

/// The catalog id of each argument's help text, by command path and argument id.
const ARGS: &[(&str, &str, &str)] = &[
    ("", "data_dir", "cli-data-dir"),
    ("run", "config", "cli-run-config"),
    ("run", "events", "cli-run-events"),
    ("run", "dir", "cli-data-dir"),
    ("run", "listen", "cli-run-listen"),
    ("run", "dashboard", "cli-run-dashboard"),
    ("dashboard-url", "listen", "cli-dashboard-url-listen"),
    ("dashboard-url", "config", "cli-status-config"),
    ("dashboard-url", "dir", "cli-data-dir"),
    ("check", "path", "cli-check-path"),
    ("sample", "json", "cli-sample-json"),
    ("status", "json", "cli-json"),
    ("status", "config", "cli-status-config"),
    ("status", "dir", "cli-data-dir"),
    ("ps", "json", "cli-json"),
    ("ps", "config", "cli-status-config-ps"),
    ("replay", "config", "cli-replay-config"),
    ("replay", "series", "cli-replay-series"),
    ("replay", "json", "cli-replay-json"),
    ("replay", "interval", "cli-replay-interval"),
    ("history", "metric", "cli-history-metric"),
    ("history", "since", "cli-history-since"),
    ("history", "until", "cli-history-until"),
    ("history", "points", "cli-history-points"),
    ("history", "json", "cli-json"),
    ("history", "csv", "cli-history-csv"),
    ("history", "config", "cli-history-config"),
    ("history", "dir", "cli-data-dir"),
    ("backtest", "config", "cli-backtest-config"),
    ("backtest", "rule", "cli-backtest-rule"),
    ("backtest", "rule_file", "cli-backtest-rule-file"),
    ("backtest", "since", "cli-backtest-since"),
    ("backtest", "until", "cli-history-until"),
    ("backtest", "json", "cli-backtest-json"),
    ("backtest", "dir", "cli-data-dir"),
    ("alerts", "since", "cli-alerts-since"),
    ("alerts", "json", "cli-json"),
    ("alerts", "dir", "cli-data-dir"),
    ("test-email", "config", "cli-test-email-config"),
    ("test-email", "dir", "cli-data-dir"),
    ("test-channel", "name", "cli-test-channel-name"),
    ("test-channel", "config", "cli-test-email-config"),
    ("export-rules", "format", "cli-export-rules-format"),
    ("export-rules", "config", "cli-backtest-config"),
    ("export-rules", "scrape_interval", "cli-export-rules-scrape"),
    ("secret set", "name", "cli-secret-name"),
    ("secret set", "config", "cli-secret-config"),
    ("secret clear", "name", "cli-secret-name"),
];

/// `cmd` (the derived `Cli` command) with every text a person reads in the run's language.
pub fn localized(cmd: Command) -> Command {
    localize(cmd, "")
}

fn localize(cmd: Command, path: &str) -> Command {
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        t("cli-usage", &[])
    );
    let mut cmd = cmd
        .help_template(template)
        .subcommand_help_heading(t("cli-heading-commands", &[]))
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t("cli-help", &[])),
        );
    if let Some((_, id)) = ABOUT.iter().find(|(p, _)| *p == path) {
        cmd = cmd.about(t(id, &[]));
    }
    if path.is_empty() {
        cmd = cmd.arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t("cli-version", &[])),
        );
    }
    let args: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in args {
        let text = ARGS
            .iter()
            .find(|(p, a, _)| *p == path && *a == id)
            .map(|(_, _, text)| t(text, &[]));
        cmd = cmd.mut_arg(&id, |arg| {
            let heading = if arg.is_positional() {
                "cli-heading-arguments"
            } else {
                "cli-heading-options"
            };
            let mut arg = arg.help_heading(t(heading, &[]));
            // clap's own "[default: …]", "[env: …]" and "[possible values: …]" are English;
            // the catalog's help text says them instead.
            if arg.get_action().takes_values() {
                arg = arg
                    .hide_env(true)
                    .hide_default_value(true)
                    .hide_possible_values(true);
            }
            match text {
                Some(text) => arg.help(text),
                None => arg,
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .filter(|name| name != "help")
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |sub| localize(sub, &sub_path));
    }
    cmd
}

/// `args` with clap's `help` command (`lookout help`, `lookout help secret set`, `lookout
/// secret help`) written as the `--help` flag it stands for, which the localized help prints.
pub fn help_command_as_flag(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let at = match args.get(1).and_then(|a| a.to_str()) {
        Some("help") => Some(1),
        Some("secret") if args.get(2).is_some_and(|a| a == "help") => Some(2),
        _ => None,
    };
    if let Some(at) = at {
        args.remove(at);
        args.push("--help".into());
    }
    args
}

/// An argument error as the run's language says it, with the line pointing to `--help`.
pub fn error_text(err: &clap::Error) -> String {
    let context = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = context(ContextKind::InvalidArg).unwrap_or_default();
    let mut lines = Vec::new();
    let detail = match err.kind() {
        ErrorKind::UnknownArgument => t("cli-error-unknown-argument", &[("arg", &arg)]),
        ErrorKind::InvalidSubcommand => {
            let command = context(ContextKind::InvalidSubcommand).unwrap_or_default();
            t("cli-error-unknown-command", &[("command", &command)])
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = context(ContextKind::InvalidValue).unwrap_or_default();
            if let Some(values) = context(ContextKind::ValidValue) {
                lines.push(t("cli-error-possible-values", &[("values", &values)]));
            }
            // What the value parser said is wrong and what it accepts.
            if let Some(reason) = std::error::Error::source(err) {
                lines.push(reason.to_string());
            }
            if value.is_empty() && err.kind() == ErrorKind::InvalidValue {
                t("cli-error-missing-value", &[("arg", &arg)])
            } else {
                t(
                    "cli-error-invalid-value",
                    &[("value", &value), ("arg", &arg)],
                )
            }
        }
        ErrorKind::MissingRequiredArgument => t("cli-error-missing", &[("args", &arg)]),
        _ => {
            let raw = err.to_string();
            let first = raw.lines().next().unwrap_or_default();
            let detail = first.strip_prefix("error: ").unwrap_or(first).to_owned();
            t("cli-error-other", &[("detail", &detail)])
        }
    };
    if let Some(suggestion) = context(ContextKind::SuggestedArg) {
        lines.push(t("cli-error-similar", &[("suggestion", &suggestion)]));
    }
    let mut out = t("cli-error", &[("detail", &detail)]);
    for line in lines {
        out.push_str("\n\n  ");
        out.push_str(&line);
    }
    out.push_str("\n\n");
    out.push_str(&t("cli-error-more", &[("help", "lookout --help")]));
    out
}

/// Prints what a failed parse has to say (help and version text included) and gives its
/// exit code: 0 for help and version, 2 for a bad command line.
pub fn report_error(err: &clap::Error) -> std::process::ExitCode {
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // Printing to a closed stdout is no reason to fail louder.
            let _ = err.print();
            std::process::ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2))
        }
        _ => {
            eprintln!("{}", error_text(err));
            std::process::ExitCode::from(crate::EXIT_INVALID)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn all_paths(cmd: &Command, path: &str, out: &mut Vec<(String, Vec<String>)>) {
        let args = cmd
            .get_arguments()
            .map(|a| a.get_id().to_string())
            .filter(|id| id != "help" && id != "version")
            .collect();
        out.push((path.to_owned(), args));
        for sub in cmd.get_subcommands() {
            let p = if path.is_empty() {
                sub.get_name().to_owned()
            } else {
                format!("{path} {}", sub.get_name())
            };
            all_paths(sub, &p, out);
        }
    }

    #[test]
    fn every_command_and_argument_has_its_words() {
        let mut paths = Vec::new();
        all_paths(&crate::Cli::command(), "", &mut paths);
        assert!(paths.len() > 8, "the tree was walked: {paths:?}");
        for (path, args) in paths {
            assert!(
                ABOUT.iter().any(|(p, _)| *p == path),
                "command '{path}' has no about text in help::ABOUT"
            );
            for arg in args {
                assert!(
                    ARGS.iter().any(|(p, a, _)| *p == path && *a == arg),
                    "argument '{arg}' of '{path}' has no help text in help::ARGS"
                );
            }
        }
    }

    #[test]
    fn the_localized_command_is_a_valid_clap_command() {
        localized(crate::Cli::command()).debug_assert();
    }
}
