//! Lookout monitor.
