//! Errors crossing to the window as `{code, message}` ([`ApiError`]), from the shell's own failures.

use lookout_monitor::api::{ApiError, ErrorCode};

/// The autostart entry could not be read, written or removed.
pub fn autostart(e: tauri_plugin_autostart::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Autostart,
        format!("cannot change the login autostart entry (~/.config/autostart): {e}"),
    )
}

/// A Tauri call failed (window, menu, channel): nothing the user can fix from the window.
pub fn internal(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autostart_errors_carry_their_code_and_cause() {
        let err = autostart(tauri_plugin_autostart::Error::Anyhow(
            "permission denied".into(),
        ));
        assert_eq!(err.code, ErrorCode::Autostart, "code");
        assert!(
            err.message.contains("permission denied") && err.message.contains("autostart"),
            "message says what failed and why: {}",
            err.message
        );
        let json = serde_json::to_value(&err).expect("serialises");
        assert_eq!(
            json["code"], "autostart",
            "the window matches on a snake_case code"
        );
    }
}
