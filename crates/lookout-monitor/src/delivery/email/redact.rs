//! Removes the SMTP password from text a server sent back, in the forms a server could echo it:
//! as typed, URL-encoded, and base64-encoded (alone, as in AUTH LOGIN, or inside the AUTH
//! PLAIN blob at any byte offset).

/// What replaces each form of the password.
pub const REDACTED: &str = "<redacted>";

/// The shortest base64 run redacted: shorter runs would blank out unrelated text.
const MIN_ENCODED_LEN: usize = 4;

/// `text` with every known form of `secret` replaced by [`REDACTED`].
pub fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_owned();
    }
    let mut out = text.to_owned();
    for form in forms(secret) {
        if out.contains(form.as_str()) {
            out = out.replace(form.as_str(), REDACTED);
        }
    }
    out
}

/// The forms of `secret`, longest first so that a longer form is not half-replaced by a
/// shorter one inside it.
fn forms(secret: &str) -> Vec<String> {
    let mut forms = vec![
        secret.to_owned(),
        percent_encode(secret, false, true),
        percent_encode(secret, false, false),
        percent_encode(secret, true, true),
    ];
    forms.extend((0..3).filter_map(|offset| base64_core(secret.as_bytes(), offset)));
    forms.retain(|f| !f.is_empty());
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms.dedup();
    forms
}

/// Percent-encoding of everything but RFC 3986's unreserved characters; `plus` writes a space
/// as `+` (form encoding).
fn percent_encode(text: &str, plus: bool, upper: bool) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b));
            }
            b' ' if plus => out.push('+'),
            _ if upper => out.push_str(&format!("%{b:02X}")),
            _ => out.push_str(&format!("%{b:02x}")),
        }
    }
    out
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The base64 characters that encode `secret` whatever surrounds it, when it starts `offset`
/// bytes (mod 3) into the encoded data: the partial groups at either end depend on the
/// neighbouring bytes and are left out.
fn base64_core(secret: &[u8], offset: usize) -> Option<String> {
    let skip = (3 - offset % 3) % 3;
    let whole = secret.get(skip..)?;
    let groups = whole.len() / 3;
    let mut out = String::with_capacity(groups * 4);
    for chunk in whole.chunks_exact(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]);
        for shift in [18, 12, 6, 0] {
            out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
        }
    }
    (out.len() >= MIN_ENCODED_LEN).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain base64 encoder for the tests, independent of the one above.
    fn b64(data: &[u8]) -> String {
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let b = [
                chunk[0],
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            let chars = chunk.len() + 1;
            for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
                if i < chars {
                    out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    const PASSWORD: &str = "s3cret pass/word+x";

    #[test]
    fn the_literal_password_is_removed() {
        let out = redact(&format!("535 bad password {PASSWORD} for user"), PASSWORD);
        assert_eq!(out, "535 bad password <redacted> for user");
    }

    #[test]
    fn a_url_encoded_echo_is_removed() {
        for encoded in [
            "s3cret%20pass%2Fword%2Bx",
            "s3cret%20pass%2fword%2bx",
            "s3cret+pass%2Fword%2Bx",
        ] {
            let out = redact(&format!("535 rejected {encoded}"), PASSWORD);
            assert!(!out.contains("pass%2"), "{encoded} survived: {out}");
            assert!(out.contains(REDACTED), "{out}");
        }
    }

    #[test]
    fn a_base64_echo_is_removed_alone_and_inside_an_auth_plain_blob() {
        let alone = b64(PASSWORD.as_bytes());
        for user in ["", "u", "us", "user@example.com"] {
            let plain = b64(format!("\0{user}\0{PASSWORD}").as_bytes());
            for echoed in [&alone, &plain] {
                let out = redact(&format!("535 5.7.8 {echoed} rejected"), PASSWORD);
                assert!(out.contains(REDACTED), "user {user:?}: {out}");
                // The encoding of the password at each byte alignment, less the groups its
                // neighbours share: none of it may be left.
                for offset in 0..3 {
                    let mut shifted = vec![0u8; offset];
                    shifted.extend_from_slice(PASSWORD.as_bytes());
                    let encoded = b64(&shifted);
                    let middle = &encoded[4..encoded.len() - 4];
                    assert!(
                        !out.contains(middle),
                        "user {user:?}, offset {offset}: {middle} left in {out}"
                    );
                }
            }
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        let text = "550 5.1.1 <me@example.com>: Recipient address rejected";
        assert_eq!(redact(text, PASSWORD), text, "nothing to redact");
        assert_eq!(redact(text, ""), text, "no password, nothing redacted");
    }
}
