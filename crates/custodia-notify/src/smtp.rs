//! E-mail over SMTP with lettre: one SMTP session per message, plain-text UTF-8 bodies.
//!
//! The session runs on lettre's connection over a socket opened here with Nagle's
//! algorithm off (`TCP_NODELAY`): lettre 0.11.23's transport leaves it on, and then
//! the end-of-data line, written just after the message, waits for the server's
//! delayed acknowledgement (40 ms on Linux) on every message.

use crate::error::{Cause, ConfigError, DeliveryError};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use serde::Deserialize;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use subtle::ConstantTimeEq;
use tokio::net::TcpStream;
use zeroize::Zeroizing;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain text: only for a relay on the same host or a trusted network.
    None,
    /// Plain connection upgraded with STARTTLS, which is required: a server that does
    /// not offer it gets neither credentials nor messages (no silent downgrade).
    #[default]
    StartTls,
    /// TLS from the first byte ("implicit TLS", SMTPS).
    Tls,
}

impl Security {
    /// The usual port: 25 (relay), 587 (submission), 465 (submissions).
    pub fn default_port(self) -> u16 {
        match self {
            Security::None => 25,
            Security::StartTls => 587,
            Security::Tls => 465,
        }
    }
}

/// The SMTP password: wiped from memory when dropped, never shown by `Debug`.
#[derive(Clone)]
pub struct Password(Zeroizing<String>);

impl Password {
    pub fn new(password: String) -> Password {
        Password(Zeroizing::new(password))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(redacted)")
    }
}

impl PartialEq for Password {
    fn eq(&self, other: &Password) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Password {}

impl<'de> Deserialize<'de> for Password {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Password, D::Error> {
        String::deserialize(deserializer).map(Password::new)
    }
}

/// The `[smtp]` table of `config.toml`.
///
/// ```toml
/// [smtp]
/// host = "smtp.example.com"
/// security = "starttls"          # "none", "starttls" (default) or "tls"
/// port = 587                     # default: 25, 587 or 465 according to security
/// username = "custodia@example.com"
/// password = "..."               # better given in the environment
/// from = "Example Privacy <privacy@example.com>"
/// timeout_secs = 30              # opening a session, sending, closing: each; default 30
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub security: Security,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<Password>,
    /// `address` or `Name <address>`.
    pub from: String,
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
    /// The name given in EHLO. Default: this machine's host name.
    #[serde(default)]
    pub hello_name: Option<String>,
}

fn default_timeout_secs() -> u64 {
    30
}

impl SmtpConfig {
    /// A configuration with the defaults: STARTTLS on port 587, no credentials, 30 s.
    pub fn new(host: impl Into<String>, from: impl Into<String>) -> SmtpConfig {
        SmtpConfig {
            host: host.into(),
            port: None,
            security: Security::default(),
            username: None,
            password: None,
            from: from.into(),
            timeout_secs: default_timeout_secs(),
            hello_name: None,
        }
    }

    pub fn port(&self) -> u16 {
        self.port.unwrap_or(self.security.default_port())
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs)
    }
}

/// One plain-text e-mail to one recipient. `Debug` shows only the header names:
/// the rest is personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct Email {
    /// `address` or `Name <address>`.
    pub to: String,
    pub subject: String,
    /// UTF-8 text; line ends may be `\n` (sent as CRLF).
    pub text: String,
    /// Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058).
    /// Those that the mailer sets itself (From, To, Cc, Bcc, Subject, Date,
    /// Message-ID, MIME and transfer encoding...) are refused.
    pub headers: Vec<(String, String)>,
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Email")
            .field("headers", &names)
            .finish_non_exhaustive()
    }
}

/// Headers the mailer writes itself, or that would change the envelope.
const RESERVED_HEADERS: &[&str] = &[
    "bcc",
    "cc",
    "content-transfer-encoding",
    "content-type",
    "date",
    "from",
    "message-id",
    "mime-version",
    "sender",
    "subject",
    "to",
];

/// [`Security`] with its checked TLS parameters.
#[derive(Clone)]
enum Protection {
    None,
    StartTls(TlsParameters),
    Implicit(TlsParameters),
}

/// Sends e-mail through one SMTP server.
#[derive(Clone)]
pub struct Mailer {
    host: String,
    port: u16,
    tls: Protection,
    credentials: Option<Credentials>,
    hello_name: ClientId,
    timeout: Duration,
    from: Mailbox,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer").finish_non_exhaustive()
    }
}

impl Mailer {
    /// Checks the configuration and prepares the transport; connects only to send.
    pub fn new(config: &SmtpConfig) -> Result<Mailer, ConfigError> {
        if config.host.trim().is_empty() {
            return Err(ConfigError::MissingHost);
        }
        if config.timeout_secs == 0 {
            return Err(ConfigError::InvalidTimeout);
        }
        let from: Mailbox = config.from.parse().map_err(|_| ConfigError::InvalidFrom)?;
        let tls = match config.security {
            Security::None => Protection::None,
            Security::StartTls => Protection::StartTls(tls_parameters(&config.host)?),
            Security::Tls => Protection::Implicit(tls_parameters(&config.host)?),
        };
        let credentials = match (&config.username, &config.password) {
            (Some(user), Some(password)) => {
                Some(Credentials::new(user.clone(), password.expose().to_owned()))
            }
            (None, None) => None,
            _ => return Err(ConfigError::IncompleteCredentials),
        };
        let hello_name = match &config.hello_name {
            Some(name) if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) => {
                return Err(ConfigError::InvalidHelloName);
            }
            Some(name) => ClientId::Domain(name.clone()),
            None => ClientId::default(),
        };
        Ok(Mailer {
            host: config.host.clone(),
            port: config.port(),
            tls,
            credentials,
            hello_name,
            timeout: config.timeout(),
            from,
        })
    }

    /// Sends `email` in its own SMTP session; `Ok` once the server accepted it.
    /// Opening the session (connection, greeting, TLS, authentication), the
    /// transaction and the closing QUIT each get the configured time-out.
    pub async fn send(&self, email: &Email) -> Result<(), DeliveryError> {
        let message = self.build(email)?;
        let mut session = self.open().await?;
        within(
            self.timeout,
            session.send(message.envelope(), &message.formatted()),
        )
        .await?
        .map_err(classify)?;
        // The message is accepted: a failing QUIT changes nothing (as lettre's transport).
        let _ = tokio::time::timeout(self.timeout, session.abort()).await;
        Ok(())
    }

    /// Connects, reads the greeting, says EHLO, sets up TLS as configured (STARTTLS
    /// is required when configured: no silent downgrade) and authenticates.
    async fn open(&self) -> Result<AsyncSmtpConnection, DeliveryError> {
        within(self.timeout, async {
            let socket = connect(&self.host, self.port)
                .await
                .map_err(|_| DeliveryError::Transient(Cause::Connection))?;
            let mut session = match &self.tls {
                Protection::Implicit(tls) => {
                    let stream = ImplicitTls::handshake(socket, tls.clone()).await?;
                    AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello_name)
                        .await
                }
                Protection::None | Protection::StartTls(_) => {
                    AsyncSmtpConnection::connect_with_transport(Box::new(socket), &self.hello_name)
                        .await
                }
            }
            .map_err(classify)?;
            if let Protection::StartTls(tls) = &self.tls {
                session
                    .starttls(tls.clone(), &self.hello_name)
                    .await
                    .map_err(classify)?;
            }
            if let Some(credentials) = &self.credentials {
                session
                    .auth(DEFAULT_MECHANISMS, credentials)
                    .await
                    .map_err(classify)?;
            }
            Ok(session)
        })
        .await?
    }

    fn build(&self, email: &Email) -> Result<Message, DeliveryError> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|_| DeliveryError::Permanent(Cause::InvalidAddress))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(self.message_id()))
            .header(ContentType::TEXT_PLAIN);
        for (name, value) in &email.headers {
            builder = builder.raw_header(header(name, value)?);
        }
        builder
            .body(email.text.clone())
            .map_err(|_| DeliveryError::Permanent(Cause::InvalidMessage))
    }

    /// `<random@sender's domain>`: unique, and names no internal host.
    fn message_id(&self) -> String {
        format!(
            "<{}@{}>",
            uuid::Uuid::new_v4().simple(),
            self.from.email.domain()
        )
    }
}

/// `work` within `limit`, else a transient time-out.
async fn within<T>(limit: Duration, work: impl Future<Output = T>) -> Result<T, DeliveryError> {
    tokio::time::timeout(limit, work)
        .await
        .map_err(|_| DeliveryError::Transient(Cause::Timeout))
}

/// A TCP connection to `host:port` with Nagle's algorithm off: every write of an SMTP
/// session is followed by a wait for the server's reply, so there is never a later
/// write to coalesce with, only a delayed acknowledgement to wait for.
pub(crate) async fn connect(host: &str, port: u16) -> io::Result<TcpStream> {
    let socket = TcpStream::connect((host, port)).await?;
    socket.set_nodelay(true)?;
    Ok(socket)
}

/// TLS from the first byte over a socket opened by [`connect`]. lettre's connection
/// accepts a stream of our own only before TLS, so its network stream (which does
/// the handshake with the same `TlsParameters` as STARTTLS) is wrapped and handed to
/// it as a Tokio stream. lettre marks that type deprecated as "not meant to be
/// public"; its own transport cannot set `TCP_NODELAY` in 0.11.23.
#[allow(deprecated)]
#[derive(Debug)]
struct ImplicitTls(lettre::transport::smtp::client::AsyncNetworkStream);

#[allow(deprecated)]
impl ImplicitTls {
    async fn handshake(socket: TcpStream, tls: TlsParameters) -> Result<Self, DeliveryError> {
        let mut stream = lettre::transport::smtp::client::AsyncNetworkStream::use_existing_tokio1(
            Box::new(socket),
        );
        stream.upgrade_tls(tls).await.map_err(classify)?;
        Ok(ImplicitTls(stream))
    }
}

impl AsyncTokioStream for ImplicitTls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.peer_addr()
    }
}

impl tokio::io::AsyncRead for ImplicitTls {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let unfilled = buf.initialize_unfilled();
        match futures_io::AsyncRead::poll_read(Pin::new(&mut self.0), cx, unfilled) {
            Poll::Ready(Ok(n)) => {
                buf.advance(n);
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl tokio::io::AsyncWrite for ImplicitTls {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        futures_io::AsyncWrite::poll_write(Pin::new(&mut self.0), cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_flush(Pin::new(&mut self.0), cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_close(Pin::new(&mut self.0), cx)
    }
}

fn tls_parameters(host: &str) -> Result<TlsParameters, ConfigError> {
    TlsParameters::new(host.to_owned()).map_err(|_| ConfigError::Tls)
}

/// An extra header, refused if it could inject other headers or override ours.
fn header(name: &str, value: &str) -> Result<HeaderValue, DeliveryError> {
    let invalid = DeliveryError::Permanent(Cause::InvalidHeader);
    // RFC 5322 §2.2: printable US-ASCII but the colon.
    let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    // No CR or LF (header injection) nor any other control character.
    let value_ok = !value.chars().any(|c| c.is_control() && c != '\t');
    if !name_ok
        || !value_ok
        || RESERVED_HEADERS
            .iter()
            .any(|r| name.eq_ignore_ascii_case(r))
    {
        return Err(invalid);
    }
    let name = HeaderName::new_from_ascii(name.to_owned()).map_err(|_| invalid)?;
    Ok(HeaderValue::new(name, value.to_owned()))
}

/// Replies 530, 534, 535 and 538 are about our credentials or TLS, not the message;
/// 552 (mailbox full) is temporary per RFC 5321 §4.5.3.1.10. Fixing the configuration
/// or waiting lets the queued messages go out, so they are retried.
fn classify(e: lettre::transport::smtp::Error) -> DeliveryError {
    if let Some(code) = e.status() {
        let code = u16::from(code);
        return if e.is_permanent() && !matches!(code, 530 | 534 | 535 | 538 | 552) {
            DeliveryError::Permanent(Cause::SmtpReply(code))
        } else {
            DeliveryError::Transient(Cause::SmtpReply(code))
        };
    }
    let cause = if e.is_timeout() {
        Cause::Timeout
    } else if e.is_tls() {
        Cause::Tls
    } else if e.is_client() {
        Cause::SmtpClient
    } else if e.is_response() {
        Cause::Protocol
    } else {
        Cause::Connection
    };
    DeliveryError::Transient(cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailer() -> Mailer {
        let mut config = SmtpConfig::new("127.0.0.1", "Privacy <privacy@example.com>");
        config.security = Security::None;
        Mailer::new(&config).unwrap()
    }

    fn email() -> Email {
        Email {
            to: "Élodie <elodie@example.org>".to_owned(),
            subject: "Votre demande".to_owned(),
            text: "Bonjour\n".to_owned(),
            headers: vec![],
        }
    }

    #[tokio::test]
    async fn connections_are_opened_with_nagle_off() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let socket = connect("127.0.0.1", port).await.unwrap();
        assert!(socket.nodelay().unwrap());
    }

    #[test]
    fn config_reads_from_toml_with_defaults() {
        let config: SmtpConfig = toml::from_str(
            r#"
            host = "smtp.example.com"
            username = "u"
            password = "p"
            from = "Privacy <privacy@example.com>"
            "#,
        )
        .unwrap();
        assert_eq!(config.security, Security::StartTls);
        assert_eq!(config.port(), 587);
        assert_eq!(config.timeout(), Duration::from_secs(30));
        assert_eq!(config.password.as_ref().unwrap().expose(), "p");

        let tls: SmtpConfig =
            toml::from_str("host = \"h\"\nfrom = \"a@b.c\"\nsecurity = \"tls\"").unwrap();
        assert_eq!(tls.port(), 465);
        let none: SmtpConfig =
            toml::from_str("host = \"h\"\nfrom = \"a@b.c\"\nsecurity = \"none\"\nport = 2525")
                .unwrap();
        assert_eq!((none.security, none.port()), (Security::None, 2525));
        assert!(
            toml::from_str::<SmtpConfig>("host = \"h\"\nfrom = \"a@b.c\"\nsmtp_port = 1").is_err()
        );
    }

    #[test]
    fn debug_hides_the_password_and_the_message() {
        let mut config = SmtpConfig::new("h", "a@b.c");
        config.password = Some(Password::new("hunter2-secret".to_owned()));
        assert!(!format!("{config:?}").contains("hunter2"));
        let shown = format!("{:?}", email());
        assert!(
            !shown.contains("elodie") && !shown.contains("Bonjour") && !shown.contains("demande")
        );
    }

    #[test]
    fn bad_configurations_are_refused_when_built() {
        let base = SmtpConfig::new("smtp.example.com", "privacy@example.com");
        assert!(Mailer::new(&base).is_ok());
        let check = |f: &dyn Fn(&mut SmtpConfig), expected: ConfigError| {
            let mut c = base.clone();
            f(&mut c);
            assert_eq!(Mailer::new(&c).unwrap_err(), expected);
        };
        check(
            &|c| c.from = "not an address".to_owned(),
            ConfigError::InvalidFrom,
        );
        check(&|c| c.host = " ".to_owned(), ConfigError::MissingHost);
        check(
            &|c| c.username = Some("u".to_owned()),
            ConfigError::IncompleteCredentials,
        );
        check(&|c| c.timeout_secs = 0, ConfigError::InvalidTimeout);
        check(
            &|c| c.hello_name = Some("a b".to_owned()),
            ConfigError::InvalidHelloName,
        );
    }

    #[test]
    fn message_has_id_date_utf8_text_and_extra_headers() {
        let mut e = email();
        e.headers = vec![
            (
                "List-Unsubscribe".to_owned(),
                "<https://example.com/u/abc>".to_owned(),
            ),
            (
                "List-Unsubscribe-Post".to_owned(),
                "List-Unsubscribe=One-Click".to_owned(),
            ),
        ];
        let m = mailer().build(&e).unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.is_ascii(), "{raw}");
        let id = m.headers().get_raw("Message-ID").unwrap();
        assert!(id.starts_with('<') && id.ends_with("@example.com>"), "{id}");
        assert!(m.headers().get_raw("Date").is_some());
        assert!(
            raw.contains("Content-Type: text/plain; charset=utf-8"),
            "{raw}"
        );
        assert!(
            raw.contains("List-Unsubscribe: <https://example.com/u/abc>\r\n"),
            "{raw}"
        );
        assert!(
            raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
            "{raw}"
        );
        let other = mailer().build(&e).unwrap();
        assert_ne!(other.headers().get_raw("Message-ID"), Some(id));
    }

    #[test]
    fn bad_recipients_and_headers_are_permanent_failures() {
        let m = mailer();
        let mut e = email();
        e.to = "nobody".to_owned();
        assert_eq!(
            m.build(&e).unwrap_err(),
            DeliveryError::Permanent(Cause::InvalidAddress)
        );
        for (name, value) in [
            ("X-Ok", "a\r\nBcc: victim@example.org"),
            ("X-Ok", "a\nb"),
            ("Bad Name", "v"),
            ("Bad:Name", "v"),
            ("", "v"),
            ("bcc", "victim@example.org"),
            ("Subject", "again"),
            ("Message-Id", "<x@y>"),
        ] {
            let mut e = email();
            e.headers = vec![(name.to_owned(), value.to_owned())];
            assert_eq!(
                m.build(&e).unwrap_err(),
                DeliveryError::Permanent(Cause::InvalidHeader),
                "{name:?}: {value:?}"
            );
        }
    }
}
