//! Lookout monitor.

pub mod delivery;
pub mod secrets;
