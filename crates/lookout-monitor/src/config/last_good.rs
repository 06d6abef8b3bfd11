//! The last config that validated, kept in the data directory, so a config file broken by a
//! hand edit never leaves the user without alerting: Lookout runs on this copy instead.

use crate::config::file::{parse_config, read_config_text, write_atomic, ConfigFileError};
use lookout_core::config::{Config, ValidConfig, DEFAULT_CONFIG_TOML};
use std::path::Path;

/// The copy's file name in the data directory.
pub const LAST_GOOD_FILE: &str = "last-good-config.toml";

/// Keeps `config` as the last valid one; failures only cost the fallback, so they are logged.
pub fn remember(data_dir: &Path, config: &Config) {
    let path = data_dir.join(LAST_GOOD_FILE);
    // A copy from before Lookout made its files private may be 0644: tighten it first, as
    // the write keeps the mode it finds.
    let written = crate::sys::private_fs::ensure_private_file(&path)
        .and_then(|()| toml::to_string_pretty(config).map_err(std::io::Error::other))
        .and_then(|text| write_atomic(&path, text.as_bytes()));
    if let Err(e) = written {
        tracing::warn!(error = %e, "cannot keep a copy of the valid config");
    }
}

/// The last valid config, or the built-in default when there is none (or it no longer parses).
pub fn recall(data_dir: &Path) -> Result<ValidConfig, ConfigFileError> {
    let path = data_dir.join(LAST_GOOD_FILE);
    if let Ok(valid) = read_config_text(&path)
        .map_err(drop)
        .and_then(|t| parse_config(&t).map_err(drop))
    {
        return Ok(valid);
    }
    parse_config(DEFAULT_CONFIG_TOML)
        .map_err(|problems| ConfigFileError::Invalid { path, problems })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_world_readable_copy_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(LAST_GOOD_FILE);
        std::fs::write(&path, "version = 1\n").expect("old copy");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let config = recall(dir.path()).expect("valid").config;
        remember(dir.path(), &config);
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "the copy holds the user's settings: theirs alone"
        );
    }

    #[test]
    fn recalls_what_was_remembered_or_the_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let default = recall(dir.path()).expect("the default is valid");
        assert_eq!(default.rules.len(), 4, "the built-in default");
        let mut config = default.config.clone();
        config.rules.truncate(1);
        remember(dir.path(), &config);
        let back = recall(dir.path()).expect("remembered config is valid");
        assert_eq!(back.config, config, "the remembered config comes back");
    }
}
