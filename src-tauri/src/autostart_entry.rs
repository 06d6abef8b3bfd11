//! Starting at login: the autostart plugin writes `~/.config/autostart/Lookout.desktop` with
//! the executable's path unquoted, which breaks for a path with spaces; after it writes the
//! entry, its `Exec` line is rewritten quoted as the Desktop Entry spec says.

use std::path::{Path, PathBuf};
use tauri_plugin_autostart::AutoLaunchManager;

/// Writes the entry (through the plugin), then quotes its `Exec` line.
pub fn enable(manager: &AutoLaunchManager) -> Result<(), tauri_plugin_autostart::Error> {
    manager.enable()?;
    if let (Some(entry), Ok(exe)) = (entry_path(), std::env::current_exe()) {
        if let Err(e) = quote_exec_line(&entry, &exe) {
            tracing::warn!(error = %e, entry = %entry.display(), "cannot quote the autostart entry's Exec line");
        }
    }
    Ok(())
}

/// Where the plugin writes the entry (it reads HOME, as this does).
fn entry_path() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    Some(Path::new(&home).join(".config/autostart/Lookout.desktop"))
}

/// Replaces the `Exec=` line of the entry at `entry` with `exe`, quoted.
pub fn quote_exec_line(entry: &Path, exe: &Path) -> std::io::Result<()> {
    let text = std::fs::read_to_string(entry)?;
    let exec = format!("Exec={}", exec_argument(&exe.to_string_lossy()));
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    match lines.iter_mut().find(|l| l.starts_with("Exec=")) {
        Some(line) => *line = exec,
        None => lines.push(exec),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    lookout_monitor::sys::private_fs::write_atomic(entry, out.as_bytes())
}

/// One argument of an `Exec` key: quoted when it holds a reserved character, with `"`, `` ` ``,
/// `$` and `\` escaped inside the quotes, then every `\` doubled (the value is itself an
/// escaped string) and `%` doubled (field codes).
pub fn exec_argument(arg: &str) -> String {
    const RESERVED: &[char] = &[
        ' ', '\t', '\n', '"', '\'', '\\', '>', '<', '~', '|', '&', ';', '$', '*', '?', '#', '(',
        ')', '`',
    ];
    let quoted = if arg.contains(RESERVED) {
        let mut q = String::from("\"");
        for c in arg.chars() {
            if matches!(c, '"' | '`' | '$' | '\\') {
                q.push('\\');
            }
            q.push(c);
        }
        q.push('"');
        q
    } else {
        arg.to_owned()
    };
    quoted.replace('\\', "\\\\").replace('%', "%%")
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_stay_as_they_are_and_others_are_quoted() {
        assert_eq!(
            exec_argument("/usr/bin/lookout-tray"),
            "/usr/bin/lookout-tray"
        );
        assert_eq!(
            exec_argument("/home/me/My Apps/lookout-tray"),
            "\"/home/me/My Apps/lookout-tray\""
        );
        assert_eq!(exec_argument("/opt/a\"b$c"), "\"/opt/a\\\\\"b\\\\$c\"");
        assert_eq!(exec_argument("/opt/100%/x"), "/opt/100%%/x");
    }

    #[test]
    fn the_exec_line_is_replaced_and_the_rest_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let entry = dir.path().join("Lookout.desktop");
        std::fs::write(
            &entry,
            "[Desktop Entry]\nType=Application\nName=Lookout\nExec=/home/me/My Apps/lookout-tray \nTerminal=false",
        )
        .expect("write");
        quote_exec_line(&entry, Path::new("/home/me/My Apps/lookout-tray")).expect("quote");
        let text = std::fs::read_to_string(&entry).expect("read");
        assert_eq!(
            text,
            "[Desktop Entry]\nType=Application\nName=Lookout\nExec=\"/home/me/My Apps/lookout-tray\"\nTerminal=false\n"
        );
    }
}
