//! The names of the commands the window may call, shared by the build script (which grants
//! exactly these) and the tests that call every one of them.

/// Every command the window may call; `capabilities/main.json` grants these (and nothing else
/// of Lookout's) to the "main" window through the `lookout-commands` set.
pub const COMMANDS: &[&str] = &[
    "get_config",
    "set_config",
    "validate_config",
    "get_snapshot",
    "stream_ticks",
    "get_recent",
    "get_alerts",
    "get_status",
    "test_notification",
    "test_email",
    "set_smtp_password",
    "clear_smtp_password",
    "pause_alerts",
    "get_autostart",
    "set_autostart",
    "list_processes",
    "get_history",
    "backtest_rule",
    "get_deliveries",
    "send_now",
    "get_storage_usage",
    "test_channel",
    "set_channel_secret",
    "clear_channel_secret",
    "get_channel_secrets",
];
