//! What the core cannot check of actions (is the program there?), and the rule that only the
//! config file sets them.

use lookout_core::config::PathSegment;
use lookout_core::text::shown;
use lookout_core::{Config, FieldCode, FieldError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A field error for every action whose program is a relative path, or a bare name not
/// found on `PATH` (an absolute path is taken as written: it may appear later, on a mount).
pub fn program_errors(config: &Config) -> Vec<FieldError> {
    let path_dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let mut found: HashMap<&str, bool> = HashMap::new();
    let mut errors = Vec::new();
    for (r, rule) in config.rules.iter().enumerate() {
        for (a, action) in rule.actions.iter().enumerate() {
            let Some(program) = action.run.first().filter(|p| !p.trim().is_empty()) else {
                continue;
            };
            let ok = *found
                .entry(program.as_str())
                .or_insert_with(|| program_ok(program, &path_dirs));
            if !ok {
                let key = |k: &str| PathSegment::Key(k.to_owned());
                let path = [
                    key("rules"),
                    PathSegment::Index(r),
                    key("actions"),
                    PathSegment::Index(a),
                    key("run"),
                ];
                errors.push(
                    FieldError::new(
                        &path,
                        FieldCode::ActionProgramNotFound,
                        format!("'{}' is not on PATH and is not an absolute path; give the program's full path, like '/usr/bin/systemctl', or a name found on PATH", shown(program)),
                    )
                    .with("value", shown(program)),
                );
            }
        }
    }
    errors
}

fn program_ok(program: &str, path_dirs: &[PathBuf]) -> bool {
    if program.contains('/') {
        return Path::new(program).is_absolute();
    }
    path_dirs
        .iter()
        .any(|dir| is_executable(&dir.join(program)))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `wanted` with each rule's actions replaced by those the rule of the same name has in
/// `file` (none for a rule the file does not have): the window cannot add or change a
/// command.
pub fn keep_file_actions(mut wanted: Config, file: &Config) -> Config {
    for rule in &mut wanted.rules {
        rule.actions = file
            .rules
            .iter()
            .find(|r| r.name == rule.name)
            .map(|r| r.actions.clone())
            .unwrap_or_default();
    }
    wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        toml::from_str(text).expect("parses")
    }

    const RULE: &str = "[[rules]]\nname = \"r\"\nmetric = \"cpu.total\"\nwindow = \"1m\"\nop = \">\"\nthreshold = 1\n";

    #[test]
    fn programs_must_be_absolute_or_on_path() {
        let text = format!(
            "{RULE}[[rules.actions]]\nrun = [\"sh\", \"-c\", \"true\"]\n\
             [[rules.actions]]\nrun = [\"./restart.sh\"]\n\
             [[rules.actions]]\nrun = [\"no-such-program-lookout\"]\n\
             [[rules.actions]]\nrun = [\"/opt/later/restart\"]\n"
        );
        let errors = program_errors(&config(&text));
        let paths: Vec<String> = errors.iter().map(FieldError::path_text).collect();
        assert_eq!(
            paths,
            ["rules[0].actions[1].run", "rules[0].actions[2].run"],
            "{errors:?}"
        );
        assert_eq!(errors[1].params["value"], "no-such-program-lookout");
    }

    #[test]
    fn the_window_cannot_add_or_change_a_command() {
        let file = config(&format!(
            "{RULE}[[rules.actions]]\nrun = [\"systemctl\", \"restart\", \"x\"]\n"
        ));
        let mut wanted = file.clone();
        wanted.rules[0].actions[0].run = vec!["/bin/rm".into(), "-rf".into(), "/".into()];
        wanted.rules[0].threshold = 5.0;
        let mut new_rule = wanted.rules[0].clone();
        new_rule.name = "new".into();
        wanted.rules.push(new_rule);
        let kept = keep_file_actions(wanted, &file);
        assert_eq!(kept.rules[0].actions, file.rules[0].actions, "changed back");
        assert_eq!(kept.rules[0].threshold, 5.0, "other edits stay");
        assert!(kept.rules[1].actions.is_empty(), "a new rule gets none");
    }
}
