//! What the monitor needs from the operating system besides metrics: the clock, one shutdown
//! signal, Lookout's own footprint, the SMTP password and the log files.

pub mod clock;
pub mod log_file;
pub mod secrets;
pub mod self_usage;
pub mod shutdown;

pub use clock::Clock;
pub use shutdown::Shutdown;
