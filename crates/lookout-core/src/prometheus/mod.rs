//! Lookout in Prometheus' terms: metric names and labels ([`names`]), the text exposition of a
//! scrape ([`exposition`]) and rules exported as alerting rules ([`rules`]).

pub mod exposition;
pub mod names;
pub mod rules;

#[cfg(test)]
mod tests;

pub use exposition::{render, AlertLine, OwnUsage, CONTENT_TYPE};
pub use names::{series_of, PromSeries, PromType};
pub use rules::{alert_name, alert_name_of, export, to_yaml, Caveat, Export, PromRule, RuleWords};
