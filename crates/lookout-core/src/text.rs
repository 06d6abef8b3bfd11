//! Text that reaches terminals and logs: which characters names and keys may not hold, and
//! how a value from a config is shown inside a message (escaped and cut short).

/// The bidirectional-text controls: embeddings and overrides (U+202A–U+202E), isolates
/// (U+2066–U+2069) and the marks (U+200E, U+200F, U+061C). In a name they can make a
/// terminal or a log show text in another order than it was written.
pub const BIDI_CONTROLS: [char; 12] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
];

/// The most characters of a value [`shown`] puts in a message.
pub const SHOWN_MAX_CHARS: usize = 80;

/// A control character (C0 including CR, LF, tab and ESC; DEL; C1) or a bidi control.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() || BIDI_CONTROLS.contains(&c)
}

/// Whether `text` holds any character that [`is_forbidden`] in a name or key.
pub fn has_forbidden(text: &str) -> bool {
    text.chars().any(is_forbidden)
}

/// `text` with every forbidden character escaped (`\n`, `\u{1b}`, `\u{202e}`) and nothing
/// cut: for names printed on a terminal or in a log (stored ones may predate the checks).
pub fn escaped(text: &str) -> std::borrow::Cow<'_, str> {
    if !has_forbidden(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_forbidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `text` as a message shows it: forbidden characters escaped (`\n`, `\u{1b}`, `\u{202e}`),
/// and cut after [`SHOWN_MAX_CHARS`] characters with an ellipsis, so a value from a config
/// can neither drive a terminal nor flood a log.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(SHOWN_MAX_CHARS * 4));
    for (i, c) in text.chars().enumerate() {
        if i == SHOWN_MAX_CHARS {
            out.push('…');
            break;
        }
        if is_forbidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_keeps_length_and_escapes_only_forbidden_characters() {
        assert_eq!(escaped("cpu high"), "cpu high", "plain text unchanged");
        assert_eq!(escaped("a\u{1b}[2J\u{202e}b"), "a\\u{1b}[2J\\u{202e}b");
        let long = "x".repeat(500);
        assert_eq!(escaped(&long).len(), 500, "nothing is cut");
    }

    #[test]
    fn controls_and_bidi_controls_are_forbidden_and_the_rest_is_not() {
        for c in [
            '\0', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
        ]
        .into_iter()
        .chain(BIDI_CONTROLS)
        {
            assert!(is_forbidden(c), "{c:?} is forbidden");
        }
        for c in ['a', ' ', 'é', '/', '-', '\u{200B}', '€', '日'] {
            assert!(!is_forbidden(c), "{c:?} is allowed");
        }
        assert!(
            has_forbidden("CPU\u{202E}dleh"),
            "an override inside a name"
        );
        assert!(!has_forbidden("Disk / almost full"), "an ordinary name");
    }

    #[test]
    fn shown_escapes_and_cuts_long_values() {
        assert_eq!(shown("CPU busy"), "CPU busy", "ordinary text is unchanged");
        assert_eq!(
            shown("a\nb\u{1b}[31m\u{202E}c"),
            "a\\nb\\u{1b}[31m\\u{202e}c",
            "controls are escaped"
        );
        let long = "x".repeat(1000);
        let cut = shown(&long);
        assert_eq!(
            cut.chars().count(),
            SHOWN_MAX_CHARS + 1,
            "cut with an ellipsis"
        );
        assert!(cut.ends_with('…'), "{cut}");
    }
}
