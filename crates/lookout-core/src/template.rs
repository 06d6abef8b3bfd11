//! Message templates with `{placeholder}` fields, for email subjects and bodies.

/// Placeholders a template may use.
pub const PLACEHOLDERS: [&str; 12] = [
    "rule",
    "state",
    "metric",
    "value",
    "threshold",
    "op",
    "aggregate",
    "window",
    "severity",
    "host",
    "since",
    "at",
];

/// Names of placeholders in `template` that are not known, in order of appearance.
/// `{{` and `}}` stand for literal braces.
pub fn unknown_placeholders(template: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    for part in parts(template) {
        if let Part::Field(name) = part {
            if !PLACEHOLDERS.contains(&name) && !unknown.iter().any(|u| u == name) {
                unknown.push(name.to_owned());
            }
        }
    }
    unknown
}

/// Fills `{name}` fields from `lookup`; unknown fields are left as written.
pub fn render(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    for part in parts(template) {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Field(name) => match lookup(name) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
    }
    out
}

enum Part<'a> {
    Text(&'a str),
    Field(&'a str),
}

fn parts(template: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix("{{") {
            out.push(Part::Text("{"));
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix("}}") {
            out.push(Part::Text("}"));
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix('{') {
            match tail.find('}') {
                Some(end)
                    if tail[..end]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    out.push(Part::Field(&tail[..end]));
                    rest = &tail[end + 1..];
                }
                _ => {
                    out.push(Part::Text("{"));
                    rest = tail;
                }
            }
        } else {
            let end = rest.find(['{', '}']).unwrap_or(rest.len()).max(1);
            out.push(Part::Text(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_known_fields_and_keeps_literal_braces() {
        let out = render("[{severity}] {rule} {{x}} {nope}", |k| match k {
            "severity" => Some("critical".into()),
            "rule" => Some("CPU".into()),
            _ => None,
        });
        assert_eq!(out, "[critical] CPU {x} {nope}");
    }

    #[test]
    fn finds_unknown_placeholders_once() {
        assert_eq!(
            unknown_placeholders("{rule} {vlaue} {vlaue} {host}"),
            vec!["vlaue".to_owned()]
        );
        assert!(
            unknown_placeholders("{rule} at {since}").is_empty(),
            "all known"
        );
    }
}
