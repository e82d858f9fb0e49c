//! Delivering messages to people and systems: e-mail over SMTP ([`Mailer`]) and
//! signed webhooks ([`WebhookSender`]), with the retry schedule
//! ([`next_attempt_delay`]).
//!
//! Every failure is a [`DeliveryError`]: permanent (retrying the same message cannot
//! help: a 5xx reply, a malformed address, HTTP 410) or transient (connection, time-out,
//! a 4xx reply, any other HTTP status). Errors carry a [`Cause`] made of codes only,
//! never an address, a subject, a body, a URL or a server's reply text, which may
//! echo any of them.
//!
//! The caller keeps the queue: it stores each message, calls `send`, and on a
//! transient failure tries again after [`next_attempt_delay`].
//!
//! # Webhook signatures
//!
//! Every webhook is a `POST` of a JSON body with these headers:
//!
//! - `Content-Type: application/json`
//! - `Custodia-Event: <event type>`, e.g. `rights.request.received`
//! - `Custodia-Delivery: <id>`: the same on every attempt of one delivery, so the
//!   receiver can ignore one it has already processed;
//! - `Custodia-Signature: t=<unix seconds>,v1=<hex>` where `<hex>` is the lower-case
//!   hexadecimal HMAC-SHA256, under the endpoint's shared secret, of the bytes
//!   `<t>.<body>`: the decimal timestamp, a full stop, then the body exactly as
//!   received.
//!
//! To verify, a receiver reads `t` and every `v1` (more than one may be sent while a
//! secret is being replaced), computes the HMAC over `t`, `.` and the raw body before
//! parsing it, compares in constant time, and refuses a `t` further than a few minutes
//! from its own clock, so that a captured request cannot be replayed later.
//! [`verify_signature`] does exactly that:
//!
//! ```
//! use custodia_notify::{sign, verify_signature};
//!
//! let secret = b"whsec_shared_with_the_receiver";
//! let body = br#"{"event":"rights.request.received"}"#;
//! let header = sign(secret, 1_700_000_000, body);
//! assert!(verify_signature(secret, &header, body, 1_700_000_060, 300));
//! assert!(!verify_signature(secret, &header, b"{}", 1_700_000_060, 300));
//! assert!(!verify_signature(secret, &header, body, 1_700_001_000, 300));
//! ```

mod backoff;
mod error;
mod smtp;
mod webhook;

pub use backoff::{Backoff, next_attempt_delay};
pub use error::{Cause, ConfigError, DeliveryError};
pub use smtp::{Email, Mailer, Password, Security, SmtpConfig};
pub use webhook::{
    DEFAULT_WEBHOOK_TIMEOUT, SIGNATURE_HEADER, Webhook, WebhookSender, sign, verify_signature,
};
