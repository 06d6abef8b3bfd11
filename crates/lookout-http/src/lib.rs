//! Lookout over HTTP, on a running monitor's [`MonitorHandle`]: Prometheus' `/metrics` and the
//! web dashboard.
//!
//! Module map: [`server`] (binding, following the config, the request guard, login links),
//! [`state`] (what the handlers see),
//! [`access`] (the Host check and the token a request carries), [`token`] (the access token
//! file and login codes), [`metrics`] (`/metrics`), [`dashboard`] (the window's files and
//! live ticks) and [`api`] (the window's backend commands over HTTP).
//!
//! [`MonitorHandle`]: lookout_monitor::monitor::MonitorHandle

pub mod access;
pub mod api;
pub mod dashboard;
pub mod metrics;
pub mod server;
pub mod state;
pub mod token;

pub use server::{HttpError, HttpService, Overrides};
pub use token::{AccessToken, TokenError};
