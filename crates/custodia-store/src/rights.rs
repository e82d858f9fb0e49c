//! Data-subject rights requests and what serves them: messages waiting for delivery,
//! one-time downloads of prepared packages, identity documents, the marketing
//! opposition list and restrictions of processing (Art. 18).
//!
//! Workflow metadata is stored in clear; everything personal is in a `body` that the
//! caller sealed (AEAD) before it got here, an opaque blob to every store.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A data-subject rights request. Workflow metadata in clear, everything personal
/// sealed in `body`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightsRequestRow {
    /// UUIDv7; pages of requests are ordered by it.
    pub id: String,
    /// `access`, `erasure`, `ccpa_know`...
    pub kind: String,
    /// `unverified`, `verified`, `in_progress`, `extended`, `completed`, `refused`...
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// The vault subject, when known.
    pub subject_id: Option<String>,
    /// Blind index (HMAC) of the requester's e-mail address.
    pub email_index: Vec<u8>,
    /// Staff user id.
    pub assignee: Option<String>,
    /// Starts at 1, +1 on each update (optimistic concurrency).
    pub version: i64,
    /// Sealed JSON.
    pub body: Vec<u8>,
}

/// Which requests a queue shows: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestQuery {
    /// Only these statuses; empty: any.
    pub statuses: Vec<String>,
    pub kind: Option<String>,
    pub assignee: Option<String>,
    /// Only requests due at or after this instant.
    pub due_from: Option<OffsetDateTime>,
    /// Only requests due before this instant.
    pub due_before: Option<OffsetDateTime>,
    /// Rows skipped, in queue order (due date, then id).
    pub offset: u64,
    /// Most rows returned; None: all.
    pub limit: Option<u32>,
}

/// A request's workflow metadata without its sealed body, for queues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub closed_at: Option<OffsetDateTime>,
    pub subject_id: Option<String>,
    pub assignee: Option<String>,
}

/// One page of a queue, and how many requests match in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestHeads {
    pub rows: Vec<RequestHead>,
    pub total: u64,
}

/// A message waiting for delivery (e-mail or signed webhook), retried with backoff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// UUIDv7.
    pub id: String,
    /// `email` or `webhook`.
    pub channel: String,
    pub request_id: Option<String>,
    /// Register recipient id for Art. 19 notices (not personal).
    pub recipient: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub next_attempt_at: OffsetDateTime,
    pub attempts: i64,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
    /// Sealed; emptied by the caller once delivered.
    pub body: Vec<u8>,
}

/// An outbox item given up on (status `failed`), without its content or recipient:
/// what the dashboard lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxFailure {
    pub id: String,
    /// `email` or `webhook`.
    pub channel: String,
    pub request_id: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// The item's `next_attempt_at`: the delivery loop sets it to the instant it gave up.
    #[serde(with = "time::serde::rfc3339")]
    pub failed_at: OffsetDateTime,
}

/// How many items failed, and the latest of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxFailures {
    pub total: u64,
    /// Newest `failed_at` first, then id descending.
    pub latest: Vec<OutboxFailure>,
}

/// A one-time download of a prepared access/portability package in one format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadRow {
    /// SHA-256 of the secret token in the link.
    pub token_hash: Vec<u8>,
    pub request_id: String,
    /// `html`, `json` or `csv`.
    pub format: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// Sealed.
    pub body: Vec<u8>,
}

/// An ID document a requester uploaded when staff doubted their identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDocument {
    pub request_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
    pub media_type: String,
    /// Sealed.
    pub body: Vec<u8>,
}

/// An address on the marketing opposition list, as a keyed hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OppositionEntry {
    pub digest: Vec<u8>,
    #[serde(with = "time::serde::rfc3339")]
    pub added_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// A subject whose processing is restricted (Art. 18): every use but storage refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restriction {
    pub subject_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    pub request_id: Option<String>,
}

/// The longest id, kind, status, channel, format or media type a store accepts.
pub const MAX_RIGHTS_ID_LEN: usize = 128;

/// The channels an outbox item may use.
/// `retry`: a request a dataset left partly done, to complete again.
pub const OUTBOX_CHANNELS: [&str; 3] = ["email", "webhook", "retry"];
/// The states an outbox item may be in.
pub const OUTBOX_STATUSES: [&str; 3] = ["pending", "delivered", "failed"];
/// The formats a download may have.
pub const DOWNLOAD_FORMATS: [&str; 3] = ["html", "json", "csv"];

fn invalid(reason: &'static str) -> Result<(), crate::StoreError> {
    Err(crate::StoreError::Invalid { reason })
}

/// Not empty, at most [`MAX_RIGHTS_ID_LEN`] bytes, no NUL.
fn short_ok(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_RIGHTS_ID_LEN && !s.contains('\0')
}

fn all_short<'a>(strings: impl IntoIterator<Item = Option<&'a str>>) -> bool {
    strings.into_iter().flatten().all(short_ok)
}

/// Checks what every backend must refuse before writing a request: `expected_version`
/// is that of [`crate::Write::PutRightsRequest`].
pub fn validate_request(
    r: &RightsRequestRow,
    expected_version: Option<i64>,
) -> Result<(), crate::StoreError> {
    if !all_short([
        Some(r.id.as_str()),
        Some(&r.kind),
        Some(&r.status),
        r.subject_id.as_deref(),
        r.assignee.as_deref(),
    ]) {
        return invalid(
            "a rights request's id, kind, status, subject or assignee is empty, longer than \
             128 bytes or holds NUL",
        );
    }
    if r.version < 1 {
        return invalid("a rights request's version is below 1");
    }
    if let Some(v) = expected_version
        && v.checked_add(1) != Some(r.version)
    {
        return invalid("an update of a rights request does not raise its version by exactly 1");
    }
    Ok(())
}

pub fn validate_outbox(o: &OutboxItem) -> Result<(), crate::StoreError> {
    if !all_short([
        Some(o.id.as_str()),
        o.request_id.as_deref(),
        o.recipient.as_deref(),
    ]) {
        return invalid(
            "an outbox item's id, request or recipient is empty, longer than 128 bytes or \
             holds NUL",
        );
    }
    if !OUTBOX_CHANNELS.contains(&o.channel.as_str()) {
        return invalid("an outbox item's channel is not email, webhook or retry");
    }
    if !OUTBOX_STATUSES.contains(&o.status.as_str()) {
        return invalid("an outbox item's status is not pending, delivered or failed");
    }
    if o.attempts < 0 {
        return invalid("an outbox item's attempt count is negative");
    }
    if o.last_error.as_ref().is_some_and(|e| e.contains('\0')) {
        return invalid("a string of a write contains a NUL character");
    }
    Ok(())
}

pub fn validate_download(d: &DownloadRow) -> Result<(), crate::StoreError> {
    if d.token_hash.is_empty() || !short_ok(&d.request_id) {
        return invalid("a download's token hash or request id is empty, too long or holds NUL");
    }
    if !DOWNLOAD_FORMATS.contains(&d.format.as_str()) {
        return invalid("a download's format is not html, json or csv");
    }
    Ok(())
}

pub fn validate_document(d: &RequestDocument) -> Result<(), crate::StoreError> {
    if short_ok(&d.request_id) && short_ok(&d.media_type) {
        Ok(())
    } else {
        invalid("a request document's request id or media type is empty, too long or holds NUL")
    }
}

pub fn validate_opposition(o: &OppositionEntry) -> Result<(), crate::StoreError> {
    if o.digest.is_empty() {
        invalid("an opposition entry's digest is empty")
    } else {
        Ok(())
    }
}

/// Checks [`crate::Write::SetRestriction`]: the restriction, when given, is about
/// `subject_id`.
pub fn validate_restriction(
    subject_id: &str,
    restriction: Option<&Restriction>,
) -> Result<(), crate::StoreError> {
    if !short_ok(subject_id) {
        return invalid("a restriction's subject id is empty, too long or holds NUL");
    }
    if let Some(r) = restriction {
        if r.subject_id != subject_id {
            return invalid("a restriction names another subject than its write");
        }
        if !all_short([r.request_id.as_deref()]) {
            return invalid("a restriction's request id is empty, too long or holds NUL");
        }
    }
    Ok(())
}

/// Checks the id of a deletion by request id.
pub fn validate_request_id(request_id: &str) -> Result<(), crate::StoreError> {
    if short_ok(request_id) {
        Ok(())
    } else {
        invalid("a request id is empty, longer than 128 bytes or holds NUL")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn request() -> RightsRequestRow {
        let at = datetime!(2026-01-01 00:00 UTC);
        RightsRequestRow {
            id: "r".to_owned(),
            kind: "access".to_owned(),
            status: "unverified".to_owned(),
            received_at: at,
            due_at: at,
            closed_at: None,
            updated_at: at,
            subject_id: None,
            email_index: vec![1],
            assignee: None,
            version: 2,
            body: Vec::new(),
        }
    }

    #[test]
    fn versions_must_rise_by_one() {
        let r = request();
        assert!(validate_request(&r, None).is_ok());
        assert!(validate_request(&r, Some(1)).is_ok());
        assert!(validate_request(&r, Some(2)).is_err());
        assert!(validate_request(&r, Some(i64::MAX)).is_err());
        let zero = RightsRequestRow { version: 0, ..r };
        assert!(validate_request(&zero, None).is_err());
    }
}
