//! Signed webhooks: a JSON `POST` with an HMAC-SHA256 signature (scheme in the crate
//! documentation), sent with ureq on Tokio's blocking pool.

use crate::error::{Cause, DeliveryError};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::fmt;
use std::time::Duration;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Used unless the caller gives another.
pub const DEFAULT_WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

pub const SIGNATURE_HEADER: &str = "Custodia-Signature";
/// The longest answer [`WebhookSender::call`] reads.
const MAX_ANSWER: u64 = 16 * 1024 * 1024;
const EVENT_HEADER: &str = "Custodia-Event";
const DELIVERY_HEADER: &str = "Custodia-Delivery";

/// One delivery. Retries must reuse the same `delivery_id` and `body`. `Debug` shows
/// the event and id only: the URL may hold a token, the body personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct Webhook {
    /// `http://` or `https://`.
    pub url: String,
    /// Sent as `Custodia-Event`.
    pub event: String,
    /// Sent as `Custodia-Delivery`: the receiver's idempotency key.
    pub delivery_id: String,
    /// JSON text, signed and sent byte for byte.
    pub body: String,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("event", &self.event)
            .field("delivery_id", &self.delivery_id)
            .finish_non_exhaustive()
    }
}

/// Posts webhooks. Cheap to clone; connections are not kept between deliveries.
#[derive(Clone)]
pub struct WebhookSender {
    agent: ureq::Agent,
}

impl fmt::Debug for WebhookSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSender").finish_non_exhaustive()
    }
}

impl Default for WebhookSender {
    fn default() -> Self {
        WebhookSender::new(DEFAULT_WEBHOOK_TIMEOUT)
    }
}

impl WebhookSender {
    /// `timeout` bounds the whole exchange: resolution, connection, request, answer.
    pub fn new(timeout: Duration) -> WebhookSender {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            // Statuses are answers to classify, not errors.
            .http_status_as_error(false)
            // A redirect would carry a signed body to a URL the operator never gave.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("Custodia/", env!("CARGO_PKG_VERSION")))
            // ureq's default, stated: a body written after its headers must not
            // wait for the receiver's delayed acknowledgement (as in smtp.rs).
            .no_delay(true)
            .build()
            .into();
        WebhookSender { agent }
    }

    /// Posts `hook` signed with `secret` at `now_unix` (seconds). 2xx: delivered;
    /// 410: permanent failure (the receiver is gone); any other answer or a network
    /// failure: transient.
    pub async fn send(
        &self,
        hook: &Webhook,
        secret: &[u8],
        now_unix: i64,
    ) -> Result<(), DeliveryError> {
        self.call(hook, secret, now_unix).await.map(|_| ())
    }

    /// [`WebhookSender::send`], returning the receiver's answer (at most 16 MiB of
    /// text) on 2xx: for services that answer a signed question.
    pub async fn call(
        &self,
        hook: &Webhook,
        secret: &[u8],
        now_unix: i64,
    ) -> Result<String, DeliveryError> {
        check_url(&hook.url)?;
        for value in [&hook.event, &hook.delivery_id] {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(DeliveryError::Permanent(Cause::InvalidHeader));
            }
        }
        let signature = sign(secret, now_unix, hook.body.as_bytes());
        let agent = self.agent.clone();
        let hook = hook.clone();
        let (status, answer) = tokio::task::spawn_blocking(move || {
            let mut response = agent
                .post(&hook.url)
                .header("content-type", "application/json")
                .header(SIGNATURE_HEADER, &signature)
                .header(EVENT_HEADER, &hook.event)
                .header(DELIVERY_HEADER, &hook.delivery_id)
                .send(hook.body.as_bytes())?;
            let status = response.status().as_u16();
            let answer = if (200..300).contains(&status) {
                response
                    .body_mut()
                    .with_config()
                    .limit(MAX_ANSWER)
                    .read_to_string()?
            } else {
                String::new()
            };
            Ok::<_, ureq::Error>((status, answer))
        })
        .await
        .map_err(|_| DeliveryError::Transient(Cause::Internal))?
        .map_err(classify)?;
        match status {
            200..=299 => Ok(answer),
            410 => Err(DeliveryError::Permanent(Cause::HttpStatus(status))),
            _ => Err(DeliveryError::Transient(Cause::HttpStatus(status))),
        }
    }
}

fn check_url(url: &str) -> Result<(), DeliveryError> {
    let invalid = DeliveryError::Permanent(Cause::InvalidUrl);
    let uri: ureq::http::Uri = url.parse().map_err(|_| invalid)?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let host_ok = uri.host().is_some_and(|h| !h.is_empty());
    if scheme_ok && host_ok {
        Ok(())
    } else {
        Err(invalid)
    }
}

fn classify(e: ureq::Error) -> DeliveryError {
    let cause = match e {
        ureq::Error::Timeout(_) => Cause::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Cause::Timeout,
        ureq::Error::Io(_) | ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            Cause::Connection
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => Cause::Tls,
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => {
            return DeliveryError::Permanent(Cause::InvalidUrl);
        }
        _ => Cause::Protocol,
    };
    DeliveryError::Transient(cause)
}

/// HMAC-SHA256 under a key of any length, without a fallible constructor: a key
/// longer than the block is hashed first and a shorter one zero-padded, which is
/// HMAC's own definition (RFC 2104 §2).
fn mac(secret: &[u8]) -> Hmac<Sha256> {
    const BLOCK: usize = 64;
    let mut key = Zeroizing::new([0u8; BLOCK]);
    if secret.len() > BLOCK {
        key[..32].copy_from_slice(&Sha256::digest(secret));
    } else {
        key[..secret.len()].copy_from_slice(secret);
    }
    <Hmac<Sha256> as KeyInit>::new((&*key).into())
}

fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> [u8; 32] {
    let mut m = mac(secret);
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m.finalize().into_bytes().into()
}

/// The `Custodia-Signature` value for `body` sent at `timestamp` (Unix seconds):
/// `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    format!(
        "t={timestamp},v1={}",
        hex::encode(signature(secret, timestamp, body))
    )
}

/// Whether `header` (a `Custodia-Signature` value) signs `body` under `secret`, with
/// a timestamp at most `tolerance_secs` away from `now_unix`. Any of several `v1`
/// values may match; the comparison takes constant time.
pub fn verify_signature(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now_unix: i64,
    tolerance_secs: i64,
) -> bool {
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            // A second `t` makes the header ambiguous.
            Some(("t", t)) if timestamp.is_none() => match t.parse::<i64>() {
                Ok(t) => timestamp = Some(t),
                Err(_) => return false,
            },
            Some(("t", _)) => return false,
            Some(("v1", v)) => {
                let mut bytes = [0u8; 32];
                if hex::decode_to_slice(v, &mut bytes).is_ok() {
                    candidates.push(bytes);
                }
            }
            // Other schemes (a future v2) are not ours to judge.
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return false;
    };
    let fresh = tolerance_secs >= 0
        && now_unix
            .checked_sub(timestamp)
            .is_some_and(|d| d.unsigned_abs() <= tolerance_secs.unsigned_abs());
    if !fresh {
        return false;
    }
    let expected = signature(secret, timestamp, body);
    let mut found = subtle::Choice::from(0);
    for candidate in &candidates {
        found |= expected.ct_eq(candidate);
    }
    found.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn webhooks_are_sent_with_nagle_off() {
        assert!(WebhookSender::default().agent.config().no_delay());
    }

    #[test]
    fn signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Independent reference: the `hmac` crate's own variable-length constructor.
        let secret = b"whsec_test";
        let body = br#"{"a":1}"#;
        let mut reference = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap();
        reference.update(b"1700000000.{\"a\":1}");
        let expected = hex::encode(reference.finalize().into_bytes());
        assert_eq!(
            sign(secret, NOW, body),
            format!("t=1700000000,v1={expected}")
        );
        // Keys longer than the SHA-256 block go through the hash first.
        let long = [7u8; 100];
        let mut reference = <Hmac<Sha256> as KeyInit>::new_from_slice(&long).unwrap();
        reference.update(b"5.x");
        assert_eq!(
            signature(&long, 5, b"x"),
            <[u8; 32]>::from(reference.finalize().into_bytes())
        );
    }

    #[test]
    fn rfc_4231_test_case_2() {
        // HMAC-SHA256("Jefe", "what do ya want for nothing?"), split as "<t>.<body>"
        // cannot give this exact message, so check the MAC itself.
        let mut m = mac(b"Jefe");
        m.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(m.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn verification_accepts_the_signature_and_nothing_else() {
        let secret = b"s3cret";
        let body = br#"{"event":"x"}"#;
        let header = sign(secret, NOW, body);
        assert!(verify_signature(secret, &header, body, NOW, 300));
        assert!(verify_signature(secret, &header, body, NOW + 300, 300));
        assert!(verify_signature(secret, &header, body, NOW - 300, 300));
        assert!(!verify_signature(secret, &header, body, NOW + 301, 300));
        assert!(!verify_signature(secret, &header, body, NOW, -1));
        assert!(!verify_signature(b"other", &header, body, NOW, 300));
        assert!(!verify_signature(
            secret,
            &header,
            br#"{"event":"y"}"#,
            NOW,
            300
        ));
        // The timestamp is signed: moving it breaks the signature.
        let moved = header.replace("t=1700000000", "t=1700000001");
        assert!(!verify_signature(secret, &moved, body, NOW, 300));
        // Rotation: any v1 may match, in any position, with spaces after commas.
        let hex = header.split("v1=").nth(1).unwrap();
        let rotated = format!("t={NOW}, v1={}, v1={hex}", "0".repeat(64));
        assert!(verify_signature(secret, &rotated, body, NOW, 300));
        for bad in [
            "",
            "v1=00",
            &format!("v1={hex}"),
            &format!("t=abc,v1={hex}"),
            &format!("t={NOW},t={NOW},v1={hex}"),
            &format!("t={NOW},v1={}", &hex[..63]),
            &format!("t={NOW},v0={hex}"),
        ] {
            assert!(!verify_signature(secret, bad, body, NOW, 300), "{bad}");
        }
        assert!(!verify_signature(
            secret,
            &sign(secret, i64::MIN, body),
            body,
            i64::MAX,
            i64::MAX
        ));
    }

    #[tokio::test]
    async fn bad_urls_and_header_values_fail_permanently_without_a_request() {
        let sender = WebhookSender::default();
        let hook = |url: &str, event: &str| Webhook {
            url: url.to_owned(),
            event: event.to_owned(),
            delivery_id: "d1".to_owned(),
            body: "{}".to_owned(),
        };
        for url in [
            "ftp://example.com/x",
            "example.com/x",
            "http://",
            "/relative",
            "file:///etc/passwd",
        ] {
            assert_eq!(
                sender.send(&hook(url, "e"), b"k", NOW).await,
                Err(DeliveryError::Permanent(Cause::InvalidUrl)),
                "{url}"
            );
        }
        assert_eq!(
            sender
                .send(&hook("http://127.0.0.1:9/", "a\r\nb: c"), b"k", NOW)
                .await,
            Err(DeliveryError::Permanent(Cause::InvalidHeader))
        );
        let shown = format!("{:?}", hook("https://h/?token=abc", "e"));
        assert!(!shown.contains("token"), "{shown}");
    }
}
