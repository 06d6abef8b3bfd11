//! Where files the user exports from the window (the alert log as CSV) are saved: the XDG
//! download directory, under a plain file name that never overwrites an existing file.

use std::path::{Path, PathBuf};

/// The user's download directory (`XDG_DOWNLOAD_DIR`), else `~/Downloads`.
pub fn download_dir() -> Option<PathBuf> {
    dirs::download_dir().or_else(|| dirs::home_dir().map(|h| h.join("Downloads")))
}

/// A path in `dir` for a file the page suggested as `suggested`: only its last component,
/// with anything but letters, digits, `.`, `-` and `_` replaced, never hidden, and with
/// " (2)", " (3)", ... before the extension while the name is taken.
pub fn destination(dir: &Path, suggested: &str) -> PathBuf {
    let last = suggested.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut name: String = last
        .chars()
        .take(120)
        .map(|c| {
            if c.is_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    name = name.trim_start_matches('.').to_owned();
    if name.is_empty() {
        name = "lookout-export".to_owned();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (name[..i].to_owned(), name[i..].to_owned()),
        _ => (name.clone(), String::new()),
    };
    let mut path = dir.join(&name);
    let mut n = 2;
    while path.exists() && n < 10_000 {
        path = dir.join(format!("{stem} ({n}){ext}"));
        n += 1;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_file_name_in_the_directory_is_used() {
        let dir = tempfile::TempDir::new().expect("dir");
        let at = |s: &str| destination(dir.path(), s);
        assert_eq!(at("alerts.csv"), dir.path().join("alerts.csv"));
        assert_eq!(at("../../.bashrc"), dir.path().join("bashrc"));
        assert_eq!(at("a b;$(x).csv"), dir.path().join("a_b___x_.csv"));
        assert_eq!(at(""), dir.path().join("lookout-export"));
        assert_eq!(at("경고.csv"), dir.path().join("경고.csv"));
        std::fs::write(dir.path().join("alerts.csv"), "").expect("write");
        assert_eq!(at("alerts.csv"), dir.path().join("alerts (2).csv"));
    }
}
