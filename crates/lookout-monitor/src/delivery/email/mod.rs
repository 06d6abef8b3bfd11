//! The email channel: [`message`] renders an alert (templates, text + HTML), [`channel`] sends
//! one message over SMTP with a bounded timeout, [`send_error`] says whether a failure is worth
//! a retry, and [`sender`] drives the durable outbox with capped exponential backoff.

pub mod channel;
pub mod message;
pub mod redact;
pub mod send_error;
pub mod sender;
