//! The last config that validated, kept in the data directory, so a config file broken by a
//! hand edit never leaves the user without alerting: Lookout runs on this copy instead.

use crate::config::file::{parse_config, read_config_text, write_atomic, ConfigFileError};
use lookout_core::config::{Config, ValidConfig, DEFAULT_CONFIG_TOML};
use std::path::Path;

/// The copy's file name in the data directory.
pub const LAST_GOOD_FILE: &str = "last-good-config.toml";

/// Keeps `config` as the last valid one; failures only cost the fallback, so they are logged.
pub fn remember(data_dir: &Path, config: &Config) {
    let written = toml::to_string_pretty(config)
        .map_err(std::io::Error::other)
        .and_then(|text| write_atomic(&data_dir.join(LAST_GOOD_FILE), text.as_bytes()));
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
