//! Lookout monitor.
//!
//! Module map:
//! - [`sampler`]: [`Sampler`], which reads only the system metrics the rules and charts need.

pub mod sampler;

pub use sampler::Sampler;
