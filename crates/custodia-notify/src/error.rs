//! Delivery and configuration errors. They hold codes only: an SMTP server's reply
//! text often quotes the recipient's address, and a URL may carry a token.

/// Why one delivery failed, and whether trying the same message again can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Retrying the same message cannot succeed: drop it (and, for an address the
    /// server refused, stop writing to it).
    #[error("permanent delivery failure: {0}")]
    Permanent(Cause),
    /// May succeed later: retry after [`crate::next_attempt_delay`].
    #[error("transient delivery failure: {0}")]
    Transient(Cause),
}

impl DeliveryError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, DeliveryError::Permanent(_))
    }

    pub fn is_transient(&self) -> bool {
        matches!(self, DeliveryError::Transient(_))
    }

    pub fn cause(&self) -> Cause {
        match self {
            DeliveryError::Permanent(c) | DeliveryError::Transient(c) => *c,
        }
    }
}

/// What went wrong, without any of the message's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Cause {
    #[error("the recipient address is not valid")]
    InvalidAddress,
    #[error("a header name or value is not allowed")]
    InvalidHeader,
    #[error("the message could not be built")]
    InvalidMessage,
    #[error("the URL is not an http:// or https:// URL with a host")]
    InvalidUrl,
    #[error("the SMTP server replied {0}")]
    SmtpReply(u16),
    #[error("the SMTP client gave up on the session (e.g. STARTTLS or SMTPUTF8 unsupported)")]
    SmtpClient,
    #[error("the endpoint answered HTTP {0}")]
    HttpStatus(u16),
    #[error("cannot connect, or the connection was lost")]
    Connection,
    #[error("TLS handshake or certificate failure")]
    Tls,
    #[error("timed out")]
    Timeout,
    #[error("the server broke the protocol")]
    Protocol,
    #[error("the delivery task stopped unexpectedly")]
    Internal,
}

/// A configuration that cannot work; raised when a [`crate::Mailer`] is built, so
/// the binary can refuse to start instead of failing every message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("smtp.host is empty")]
    MissingHost,
    #[error("smtp.from is not an e-mail address (\"address\" or \"Name <address>\")")]
    InvalidFrom,
    #[error("smtp.username and smtp.password go together: give both or neither")]
    IncompleteCredentials,
    #[error("smtp.hello_name must be a domain name")]
    InvalidHelloName,
    #[error("smtp.timeout_secs must be at least 1")]
    InvalidTimeout,
    #[error("smtp: cannot set up TLS for smtp.host (is it a valid domain name?)")]
    Tls,
}
