//! What the monitor needs from the operating system besides metrics: the clock, one shutdown
//! signal, Lookout's own footprint, the SMTP password, the log files, where exports are saved, and
//! the HTTP client.

pub mod careful_file;
pub mod clock;
pub mod exports;
pub mod http;
pub mod log_file;
pub mod private_fs;
pub mod secrets;
pub mod self_usage;
pub mod server_trust;
pub mod shutdown;

pub use clock::Clock;
pub use shutdown::Shutdown;
