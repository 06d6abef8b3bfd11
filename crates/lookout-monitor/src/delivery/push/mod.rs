//! Push channels (`[[channels]]`): ntfy, Gotify, Telegram, Discord, Slack, webhooks and
//! Apprise. Their messages wait in the shared outbox, one queue per channel in order, and the
//! [`sender`] delivers them with backoff; [`request`] builds each service's request,
//! [`payload`] the webhook bodies, and [`send`] sends one and says what the answer means.

pub mod payload;
pub mod request;
pub mod send;
pub mod sender;
