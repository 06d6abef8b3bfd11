//! How lookout-tray was started: its arguments (`--open[=ROUTE]`) and where the monitor's files are.

use lookout_monitor::monitor::DaemonOptions;
use std::fmt;
use std::path::PathBuf;

/// Overrides the config file (`~/.config/lookout/config.toml`); tests and packagers use it.
pub const CONFIG_ENV: &str = "LOOKOUT_CONFIG";
/// Overrides the data directory (`~/.local/share/lookout`).
pub const DATA_DIR_ENV: &str = "LOOKOUT_DATA_DIR";

pub const USAGE: &str = "\
Usage: lookout-tray [--open[=ROUTE]]

Starts Lookout in the system tray. A second launch opens the running Lookout's window.

Options:
  --open[=ROUTE]  open the window at start, on ROUTE (e.g. /alerts; default /)
  -h, --help      print this help
  -V, --version   print the version

Environment:
  LOOKOUT_CONFIG    the config file (default ~/.config/lookout/config.toml)
  LOOKOUT_DATA_DIR  the data directory (default ~/.local/share/lookout)
  LOOKOUT_LOG       log filter, e.g. debug (default info)";

/// A page of the window, the part after `#` in its URL: `/`, `/alerts`, `/settings/email`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route(String);

impl Route {
    /// The longest route accepted; real routes are a few words.
    const MAX_LEN: usize = 64;

    /// The dashboard, the window's first page.
    pub fn home() -> Self {
        Self("/".to_owned())
    }

    /// The alert log.
    pub fn alerts() -> Self {
        Self("/alerts".to_owned())
    }

    /// One entry of the alert log (the whole log when it was not logged).
    pub fn alert(event_id: Option<i64>) -> Self {
        match event_id {
            Some(id) => Self(format!("/alerts/{id}")),
            None => Self::alerts(),
        }
    }

    /// Parses `alerts` or `/alerts`. Only letters, digits, `/`, `-` and `_` are accepted, so a
    /// route can be put into the window's URL and into a script as it is.
    pub fn parse(text: &str) -> Result<Self, LaunchError> {
        let path = if text.starts_with('/') {
            text.to_owned()
        } else {
            format!("/{text}")
        };
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_');
        if path.len() > Self::MAX_LEN || !path.chars().all(allowed) {
            return Err(LaunchError::BadRoute(text.to_owned()));
        }
        Ok(Self(path))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LaunchOptions {
    /// Open the window at start, on this route.
    pub open: Option<Route>,
}

/// What the command line asked for instead of running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    Run(LaunchOptions),
    Help,
    Version,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LaunchError {
    #[error("unknown argument '{0}'; accepted: --open[=ROUTE], --help, --version")]
    UnknownArgument(String),
    #[error("bad route '{0}': use letters, digits, '/', '-' and '_' only (e.g. /alerts), at most 64 characters")]
    BadRoute(String),
    #[error("cannot find your {0} directory (is HOME set?); set {1} to choose one")]
    NoDefaultDir(&'static str, &'static str),
}

/// Parses the arguments after the program name.
pub fn parse_args<I, S>(args: I) -> Result<Launch, LaunchError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut options = LaunchOptions::default();
    for arg in args {
        match arg.as_ref() {
            "-h" | "--help" => return Ok(Launch::Help),
            "-V" | "--version" => return Ok(Launch::Version),
            "--open" => options.open = Some(Route::home()),
            other => match other.strip_prefix("--open=") {
                Some(route) => options.open = Some(Route::parse(route)?),
                None => return Err(LaunchError::UnknownArgument(other.to_owned())),
            },
        }
    }
    Ok(Launch::Run(options))
}

/// The route a second launch asks for (`argv` includes the program name). Anything it does
/// not understand is ignored: the user clicked the launcher again and wants the window.
pub fn route_from_second_launch(argv: &[String]) -> Route {
    argv.iter()
        .skip(1)
        .filter_map(|a| a.strip_prefix("--open="))
        .find_map(|r| Route::parse(r).ok())
        .unwrap_or_else(Route::home)
}

/// Where the monitor keeps its files: the XDG defaults unless `LOOKOUT_CONFIG` or
/// `LOOKOUT_DATA_DIR` say otherwise. A first run writes the commented default config.
pub fn monitor_options() -> Result<DaemonOptions, LaunchError> {
    monitor_options_from(
        std::env::var_os(CONFIG_ENV).map(PathBuf::from),
        std::env::var_os(DATA_DIR_ENV).map(PathBuf::from),
    )
}

fn monitor_options_from(
    config: Option<PathBuf>,
    data_dir: Option<PathBuf>,
) -> Result<DaemonOptions, LaunchError> {
    let non_empty = |p: Option<PathBuf>| p.filter(|p| !p.as_os_str().is_empty());
    let config_path = non_empty(config)
        .or_else(lookout_monitor::config::default_config_path)
        .ok_or(LaunchError::NoDefaultDir("config", CONFIG_ENV))?;
    let data_dir = non_empty(data_dir)
        .or_else(lookout_monitor::store::default_data_dir)
        .ok_or(LaunchError::NoDefaultDir("data", DATA_DIR_ENV))?;
    Ok(DaemonOptions {
        config_path,
        data_dir,
        create_default_config: true,
        follow_config_edits: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Launch, LaunchError> {
        parse_args(args.iter().copied())
    }

    #[test]
    fn no_arguments_runs_without_a_window() {
        assert_eq!(
            run(&[]),
            Ok(Launch::Run(LaunchOptions::default())),
            "no window at start unless asked"
        );
    }

    #[test]
    fn open_takes_an_optional_route() {
        assert_eq!(
            run(&["--open"]),
            Ok(Launch::Run(LaunchOptions {
                open: Some(Route::home())
            })),
            "--open alone opens the dashboard"
        );
        assert_eq!(
            run(&["--open=alerts"]),
            Ok(Launch::Run(LaunchOptions {
                open: Some(Route::alerts())
            })),
            "a route without its leading slash gets one"
        );
        assert_eq!(
            run(&["--open=/settings/email"]).map(|l| match l {
                Launch::Run(o) => o.open.map(|r| r.to_string()),
                _ => None,
            }),
            Ok(Some("/settings/email".to_owned())),
            "nested routes are kept"
        );
    }

    #[test]
    fn routes_that_could_escape_the_url_are_refused() {
        for bad in ["/a'b", "/a\"b", "/a b", "/x#y", "/x?y=1", "/é"] {
            let err = Route::parse(bad).expect_err(bad);
            assert_eq!(
                err,
                LaunchError::BadRoute(bad.to_owned()),
                "'{bad}' is refused"
            );
            assert!(
                err.to_string().contains(&format!("'{bad}'")),
                "the message quotes the bad route: {err}"
            );
        }
        assert!(
            Route::parse(&"a".repeat(65)).is_err(),
            "an overlong route is refused"
        );
    }

    #[test]
    fn unknown_arguments_are_refused_with_what_is_accepted() {
        let err = run(&["--verbose"]).expect_err("unknown flag");
        assert_eq!(
            err.to_string(),
            "unknown argument '--verbose'; accepted: --open[=ROUTE], --help, --version",
            "the message names the argument and the accepted ones"
        );
        assert_eq!(run(&["-h"]), Ok(Launch::Help), "help");
        assert_eq!(run(&["--version"]), Ok(Launch::Version), "version");
    }

    #[test]
    fn a_second_launch_opens_its_route_or_the_dashboard() {
        let argv = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            route_from_second_launch(&argv(&["lookout-tray"])),
            Route::home(),
            "a plain second launch shows the dashboard"
        );
        assert_eq!(
            route_from_second_launch(&argv(&["lookout-tray", "--open=/alerts"])),
            Route::alerts(),
            "its --open route is used"
        );
        assert_eq!(
            route_from_second_launch(&argv(&["lookout-tray", "--open=/a'b", "--bogus"])),
            Route::home(),
            "a bad route or unknown flag still opens the dashboard"
        );
    }

    #[test]
    fn environment_paths_override_the_xdg_defaults() {
        let options = monitor_options_from(
            Some(PathBuf::from("/tmp/x/config.toml")),
            Some(PathBuf::from("/tmp/x/data")),
        )
        .expect("explicit paths");
        assert_eq!(
            options.config_path,
            PathBuf::from("/tmp/x/config.toml"),
            "config path"
        );
        assert_eq!(options.data_dir, PathBuf::from("/tmp/x/data"), "data dir");
        assert!(
            options.create_default_config,
            "a first run writes the default config"
        );
        let defaults =
            monitor_options_from(Some(PathBuf::new()), None).expect("HOME is set for tests");
        assert!(
            defaults.config_path.ends_with("lookout/config.toml"),
            "an empty variable falls back to the default: {:?}",
            defaults.config_path
        );
    }
}
