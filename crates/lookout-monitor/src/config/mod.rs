//! The config file on disk: where it lives, the first-run default, errors with line and column,
//! atomic saves that keep the user's comments ([`merge`]), the last valid copy Lookout falls
//! back on ([`last_good`]), and hand edits followed while Lookout runs ([`watch`]).

pub mod file;
pub mod last_good;
mod merge;
pub mod watch;

pub use file::{
    default_config_path, load_config, load_or_create, parse_config, read_config_text, save_config,
    validate_config, write_atomic, ConfigFileError, ConfigProblem, ConfigTrouble,
};
