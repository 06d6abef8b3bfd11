//! Small sysfs and procfs reads shared by the signal readers: one short file, trimmed or as a
//! number, and names made fit for metric keys.

use std::io::Read;
use std::path::Path;

/// The longest attribute read: sysfs files are one value, and a file that is not must not
/// cost more than this.
const MAX_ATTRIBUTE_BYTES: u64 = 4096;

/// The file's text without surrounding white space; `None` if it cannot be read.
pub(super) fn read_text(path: &Path) -> Option<String> {
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_ATTRIBUTE_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    Some(text.trim().to_owned())
}

/// The file's value as a number; `None` if it cannot be read or is not one.
pub(super) fn read_number(path: &Path) -> Option<f64> {
    read_text(path)?
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// A device or supply name as metric keys hold it: dots, braces, white space and control
/// characters become `_` (`BAT0` stays `BAT0`).
pub(super) fn key_name(raw: &str) -> String {
    let name: String = raw
        .chars()
        .map(|c| {
            if c == '.' || c == '{' || c == '}' || c.is_whitespace() || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.is_empty() {
        "_".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_case_and_lose_dots() {
        assert_eq!(key_name("BAT0"), "BAT0");
        assert_eq!(
            key_name("ucsi-source-psy-USBC000:001"),
            "ucsi-source-psy-USBC000:001"
        );
        assert_eq!(key_name("hid-00:1f.2 battery"), "hid-00:1f_2_battery");
    }
}
