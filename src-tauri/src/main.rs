//! `lookout-tray`: Lookout in the system tray (all of it lives in the library).

fn main() -> std::process::ExitCode {
    lookout_tray::run()
}
