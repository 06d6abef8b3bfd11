//! The config file on disk: XDG location, first-run default, parsing with line:column
//! positions for every problem, and atomic writes.

use crate::sys::careful_file::{self, CarefulReadError, ReadRules};
use lookout_core::config::{
    Config, FieldError, PathSegment, ValidConfig, DEFAULT_CONFIG_TOML, DEFAULT_CONFIG_TOML_KO,
};
use lookout_core::text::shown;
use lookout_i18n::Language;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use toml::de::{DeTable, DeValue};

/// The largest config file read.
pub const MAX_CONFIG_BYTES: u64 = lookout_core::config::MAX_CONFIG_BYTES as u64;
/// The most characters of a parser message shown (it may quote the file's text).
const MAX_MESSAGE_CHARS: usize = 400;

/// `~/.config/lookout/config.toml` (the platform's config dir elsewhere).
pub fn default_config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("lookout").join("config.toml"))
}

/// One problem in a config file, positioned where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// 1-based line and column of the offending text, when known.
    pub position: Option<(usize, usize)>,
    /// The field path (`rules[2].window`), for validation problems.
    pub field: Option<String>,
    /// English text: the parser's message, or the field error's.
    pub message: String,
    /// The validation problem with its stable code and params (front ends put it in the
    /// user's language); `None` for a syntax error.
    pub error: Option<FieldError>,
}

impl ConfigProblem {
    /// `PATH:LINE:COL: field: message`, or `PATH: field: message` without a position.
    pub fn display_with(&self, path: &Path) -> String {
        self.display_as(path, &self.message)
    }

    /// `PATH:LINE:COL: field: message` in `lang`: the position and field path as they are,
    /// the words from the catalog (English keeps the checked-in wording of each message).
    pub fn text_in(&self, path: &Path, lang: Language) -> String {
        let message = match (lang, &self.error) {
            (Language::En, _) => self.message.clone(),
            (_, Some(error)) => lookout_i18n::field_error(lang, error),
            (_, None) => lang
                .catalog()
                .text("parse-error", &[("detail", &self.message)]),
        };
        self.display_as(path, &message)
    }

    /// [`ConfigProblem::display_with`] with `message` (e.g. in the user's language) in place
    /// of the English one: the position and the field path stay as they are.
    pub fn display_as(&self, path: &Path, message: &str) -> String {
        let mut out = path.display().to_string();
        if let Some((line, col)) = self.position {
            out.push_str(&format!(":{line}:{col}"));
        }
        out.push_str(": ");
        if let Some(field) = &self.field {
            out.push_str(field);
            out.push_str(": ");
        }
        out.push_str(message);
        out
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    /// The file could not be read or was refused (a FIFO, a device, too large); the source
    /// names the path.
    #[error("config file: {source}")]
    Read {
        path: PathBuf,
        source: CarefulReadError,
    },
    #[error("cannot write config file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", problems.iter().map(|p| p.display_with(path)).collect::<Vec<_>>().join("\n"))]
    Invalid {
        path: PathBuf,
        problems: Vec<ConfigProblem>,
    },
}

/// A config file Lookout could not use, and why: shown in whatever language is in force when
/// someone looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigTrouble {
    pub path: PathBuf,
    pub problems: Vec<ConfigProblem>,
}

impl ConfigTrouble {
    /// Every problem, one `PATH:LINE:COL: field: message` line each, in `lang`.
    pub fn text(&self, lang: Language) -> String {
        self.problems
            .iter()
            .map(|p| p.text_in(&self.path, lang))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The core's validation plus what only the monitor's side can check: every address must be
/// one the SMTP library accepts, so a config that validates also sends, and every action's
/// program must be found.
pub fn validate_config(config: &Config) -> Result<ValidConfig, Vec<FieldError>> {
    let mut errors = match config.validate() {
        Ok(valid) => {
            let mut errors = mailbox_errors(config);
            errors.extend(crate::actions::program_errors(config));
            if errors.is_empty() {
                return Ok(valid);
            }
            errors
        }
        Err(mut errors) => {
            errors.extend(crate::actions::program_errors(config));
            errors
        }
    };
    errors.dedup();
    Err(errors)
}

fn mailbox_errors(config: &Config) -> Vec<FieldError> {
    let email = &config.email;
    if !email.enabled {
        return Vec::new();
    }
    let key = |k: &str| PathSegment::Key(k.to_owned());
    let bad = |text: &str, path: Vec<PathSegment>| {
        text.parse::<lettre::message::Mailbox>().err().map(|e| {
            FieldError::new(&path, lookout_core::FieldCode::EmailMailboxRejected, format!("'{}' is not an address the mailer accepts ({e}); write 'me@example.com' or 'Me <me@example.com>'", shown(text)))
                .with("value", shown(text))
                .with("reason", e)
        })
    };
    let mut errors: Vec<FieldError> = bad(&email.from, vec![key("email"), key("from")])
        .into_iter()
        .collect();
    for (i, to) in email.to.iter().enumerate() {
        errors.extend(bad(
            to,
            vec![key("email"), key("to"), PathSegment::Index(i)],
        ));
    }
    errors
}

/// Parses and validates config text, returning every problem found.
pub fn parse_config(text: &str) -> Result<ValidConfig, Vec<ConfigProblem>> {
    let config: Config = toml::from_str(text).map_err(|e| {
        vec![ConfigProblem {
            position: e.span().map(|s| line_col(text, s.start)),
            field: None,
            message: parser_message(e.message()),
            error: None,
        }]
    })?;
    validate_config(&config).map_err(|errors| {
        let doc = DeTable::parse(text).ok();
        errors
            .into_iter()
            .map(|e| ConfigProblem {
                position: doc
                    .as_ref()
                    .and_then(|d| locate(d.get_ref(), &e.path))
                    .map(|offset| line_col(text, offset)),
                field: Some(e.path_text()),
                message: e.message.clone(),
                error: Some(e),
            })
            .collect()
    })
}

/// The TOML parser's message, which may quote the file: control characters escaped, and cut
/// short, so a hostile file can neither drive a terminal nor flood the log.
fn parser_message(message: &str) -> String {
    let message = message.trim();
    let mut out = String::new();
    for (i, c) in message.chars().enumerate() {
        if i == MAX_MESSAGE_CHARS {
            out.push('…');
            break;
        }
        if lookout_core::text::is_forbidden(c) && c != '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Reads and validates the config at `path`.
pub fn load_config(path: &Path) -> Result<ValidConfig, ConfigFileError> {
    let text = read_config_text(path)?;
    parse_config(&text).map_err(|problems| ConfigFileError::Invalid {
        path: path.into(),
        problems,
    })
}

/// The config file's text: a regular file (possibly through a symlink) of at most
/// [`MAX_CONFIG_BYTES`], read without blocking on a FIFO or a device.
pub fn read_config_text(path: &Path) -> Result<String, ConfigFileError> {
    careful_file::read_text(path, ReadRules::plain(MAX_CONFIG_BYTES)).map_err(|source| {
        ConfigFileError::Read {
            path: path.into(),
            source,
        }
    })
}

/// Loads `path`, first writing the commented default config there if no file exists.
/// Returns the config and whether it was just created.
pub fn load_or_create(path: &Path) -> Result<(ValidConfig, bool), ConfigFileError> {
    let created = !path.exists();
    if created {
        // Nothing says which language yet but the desktop's locale.
        let text = match lookout_i18n::resolve_from_env(Default::default()) {
            lookout_i18n::Language::En => DEFAULT_CONFIG_TOML,
            lookout_i18n::Language::Ko => DEFAULT_CONFIG_TOML_KO,
        };
        write_atomic(path, text.as_bytes()).map_err(|source| ConfigFileError::Write {
            path: path.into(),
            source,
        })?;
    }
    Ok((load_config(path)?, created))
}

/// Validates `config` and writes it to `path` atomically. Nothing is written when invalid.
pub fn save_config(path: &Path, config: &Config) -> Result<ValidConfig, ConfigFileError> {
    let valid = validate_config(config).map_err(|errors| ConfigFileError::Invalid {
        path: path.into(),
        problems: errors
            .into_iter()
            .map(|e| ConfigProblem {
                position: None,
                field: Some(e.path_text()),
                message: e.message.clone(),
                error: Some(e),
            })
            .collect(),
    })?;
    let text = toml::to_string_pretty(config).map_err(|e| ConfigFileError::Write {
        path: path.into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    // One save at a time: each reads the file, merges into it and replaces it.
    static SAVES: Mutex<()> = Mutex::new(());
    let _one_at_a_time = SAVES.lock().unwrap_or_else(PoisonError::into_inner);
    // Keep the user's comments and layout: change values in place where the file parses.
    let text = read_config_text(path)
        .ok()
        .and_then(|existing| crate::config::merge::merge_into(&existing, &text))
        .unwrap_or(text);
    // A symlinked config (dotfile setups) is written through to its target.
    write_atomic(path, text.as_bytes()).map_err(|source| ConfigFileError::Write {
        path: path.into(),
        source,
    })?;
    Ok(valid)
}

pub use crate::sys::private_fs::write_atomic;

/// The byte offset of the value at `path` (or of its closest parent that exists).
fn locate(table: &DeTable<'_>, path: &[PathSegment]) -> Option<usize> {
    let (PathSegment::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let (key, value) = table.iter().find(|(k, _)| k.get_ref() == first)?;
    let mut offset = key.span().start;
    let mut current: &DeValue<'_> = value.get_ref();
    let mut value_start = value.span().start;
    for seg in rest {
        let next = match (seg, current) {
            (PathSegment::Key(k), DeValue::Table(t)) => t
                .iter()
                .find(|(key, _)| key.get_ref() == k)
                .map(|(key, v)| {
                    offset = key.span().start;
                    v
                }),
            (PathSegment::Index(i), DeValue::Array(a)) => a.as_ref().get(*i).inspect(|v| {
                offset = v.span().start;
            }),
            _ => None,
        };
        match next {
            Some(v) => {
                current = v.get_ref();
                value_start = v.span().start;
            }
            None => break,
        }
    }
    // A key's position reads best for fields; a list item has only its value's position.
    Some(if matches!(path.last(), Some(PathSegment::Index(_))) {
        value_start
    } else {
        offset
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.len(), |nl| before.len() - nl - 1)
        + 1;
    (line, col)
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn validation_problems_point_at_the_field() {
        let text = "version = 1\n\n[[rules]]\nname = \"a\"\nmetric = \"cpu.totl\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 1\n";
        let problems = parse_config(text).expect_err("invalid metric");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].position,
            Some((5, 1)),
            "metric key is on line 5"
        );
        assert_eq!(problems[0].field.as_deref(), Some("rules[0].metric"));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let problems = parse_config("version = 1\nrules = [\n").expect_err("broken toml");
        assert!(problems[0].position.is_some(), "{problems:?}");
        assert!(problems[0].field.is_none());
    }

    #[test]
    fn a_fifo_or_an_oversized_config_is_refused_with_its_reason() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("config.toml");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .expect("mkfifo");
        let err = load_config(&fifo).expect_err("a FIFO is refused without blocking");
        assert!(err.to_string().contains("named pipe"), "{err}");
        let big = dir.path().join("big.toml");
        let file = fs::File::create(&big).expect("create");
        file.set_len(MAX_CONFIG_BYTES + 1).expect("sparse file");
        let err = load_config(&big).expect_err("too large");
        assert!(err.to_string().contains("too large"), "{err}");
    }

    #[test]
    fn parser_messages_are_escaped_and_cut() {
        let text = format!("\"\u{1b}[2J{}\" = 1\n", "k".repeat(5000));
        let problems = parse_config(&text).expect_err("unknown field");
        let message = &problems[0].message;
        assert!(!message.contains('\u{1b}'), "ESC escaped: {message:?}");
        assert!(
            message.chars().count() <= MAX_MESSAGE_CHARS + 1,
            "cut: {} chars",
            message.len()
        );
    }

    #[test]
    fn first_run_writes_the_commented_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lookout/config.toml");
        let (config, created) = load_or_create(&path).expect("default config loads");
        assert!(created, "file was created");
        assert_eq!(config.rules.len(), 4, "the default rules");
        assert!(fs::read_to_string(&path)
            .expect("read")
            .starts_with("# Lookout configuration"));
        let (_, created_again) = load_or_create(&path).expect("loads again");
        assert!(!created_again, "an existing file is never overwritten");
    }
}
