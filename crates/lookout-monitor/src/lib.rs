//! Lookout monitor.

pub mod store;
