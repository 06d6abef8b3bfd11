//! Message templates with `{placeholder}` fields, for email subjects and bodies.
//!
//! A template is read in one pass, left to right: each byte is looked at a bounded number of
//! times, so checking or filling a template takes time linear in its length.

use std::collections::HashSet;

/// Placeholders a template may use.
pub const PLACEHOLDERS: [&str; 13] = [
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
    "culprits",
];

/// Names of placeholders in `template` that are not known, in order of appearance.
/// `{{` and `}}` stand for literal braces.
pub fn unknown_placeholders(template: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut seen = HashSet::new();
    for part in parts(template) {
        if let Part::Field(name) = part {
            if !PLACEHOLDERS.contains(&name) && seen.insert(name) {
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

/// A piece of a template: literal text, or the name inside a `{name}` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part<'a> {
    Text(&'a str),
    Field(&'a str),
}

/// The template's pieces, in order.
fn parts(template: &str) -> Parts<'_> {
    Parts {
        rest: template,
        #[cfg(test)]
        scanned: 0,
    }
}

/// Splits a template as it goes. A `{` opens a field only when the characters after it are
/// ASCII letters, digits or `_` up to a `}`; otherwise the `{` is literal text. The scan for
/// a field name stops at the first other character, so no byte is read more than twice.
struct Parts<'a> {
    rest: &'a str,
    /// Bytes looked at so far, for the test that pins the linear scan.
    #[cfg(test)]
    scanned: usize,
}

impl Parts<'_> {
    /// Counts `n` bytes looked at (in tests only).
    fn looked_at(&mut self, n: usize) {
        #[cfg(test)]
        {
            self.scanned += n;
        }
        #[cfg(not(test))]
        let _ = n;
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Iterator for Parts<'a> {
    type Item = Part<'a>;

    fn next(&mut self) -> Option<Part<'a>> {
        let rest = self.rest;
        let bytes = rest.as_bytes();
        self.looked_at(2);
        let (part, used) = match bytes {
            [] => return None,
            [b'{', b'{', ..] => (Part::Text("{"), 2),
            [b'}', b'}', ..] => (Part::Text("}"), 2),
            [b'{', tail @ ..] => {
                let len = tail.iter().take_while(|&&b| is_name_byte(b)).count();
                self.looked_at(len + 1);
                if tail.get(len) == Some(&b'}') {
                    // Name bytes are ASCII, so these are character boundaries.
                    (Part::Field(&rest[1..1 + len]), len + 2)
                } else {
                    (Part::Text("{"), 1)
                }
            }
            [b'}', ..] => (Part::Text("}"), 1),
            _ => {
                let end = bytes
                    .iter()
                    .position(|&b| b == b'{' || b == b'}')
                    .unwrap_or(bytes.len());
                self.looked_at(end + 1);
                (Part::Text(&rest[..end]), end)
            }
        };
        self.rest = &rest[used..];
        Some(part)
    }
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

    #[test]
    fn splits_into_text_fields_and_escapes() {
        let got: Vec<Part<'_>> = parts("a{{b}}{c}{d e}{}{é}}{").collect();
        let want = [
            Part::Text("a"),
            Part::Text("{"),
            Part::Text("b"),
            Part::Text("}"),
            Part::Field("c"),
            Part::Text("{"),
            Part::Text("d e"),
            Part::Text("}"),
            Part::Field(""),
            Part::Text("{"),
            Part::Text("é"),
            Part::Text("}"),
            Part::Text("{"),
        ];
        assert_eq!(got, want, "pieces of a template with every kind of brace");
    }

    /// The work done is linear in the template's length, whatever its shape: each piece looks
    /// at its own bytes, the two bytes that decide its kind and the byte that ends it. (The
    /// old parser looked ahead to the next `}` from every `{`, anywhere in the template, so a
    /// body of unclosed `{name` runs cost it time quadratic in its length.)
    #[test]
    fn every_byte_is_looked_at_a_bounded_number_of_times() {
        let shapes = [
            "{rule ".repeat(20_000),
            "{".repeat(100_000),
            "{{".repeat(50_000),
            format!("{{{}", "a".repeat(100_000)),
            "{a}}{b{".repeat(15_000),
            "}".repeat(100_000),
            "text without braces ".repeat(5_000),
            "{rule}{é".repeat(12_000),
        ];
        for body in &shapes {
            let mut pieces = parts(body);
            let count = pieces.by_ref().count();
            assert!(
                count <= body.len(),
                "{count} pieces for {} bytes",
                body.len()
            );
            assert!(
                pieces.scanned <= 6 * body.len(),
                "{} bytes looked at for a body of {} bytes starting {:?}",
                pieces.scanned,
                body.len(),
                body.chars().take(12).collect::<String>()
            );
        }
    }
}
