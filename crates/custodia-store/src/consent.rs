//! Consent records: append-only proof of every choice (given, refused, withdrawn,
//! expired) for a subject or an anonymous visitor, and the links that join a visitor
//! to the subject it signed in as. The current state is derived from the records by
//! the caller; stores only append and list.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One choice about one purpose (or one service of a purpose), with its proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    /// UUIDv7; pages of records are ordered by it.
    pub id: String,
    /// Exactly one of `subject_id` and `visitor_id` is set.
    pub subject_id: Option<String>,
    /// The banner's signed visitor id.
    pub visitor_id: Option<String>,
    /// A purpose id of the register.
    pub purpose: String,
    /// A service of that purpose when the choice is about that service alone.
    pub service: Option<String>,
    /// `given`, `refused`, `withdrawn` or `expired`.
    pub state: String,
    /// `banner`, `form`, `api`, `unsubscribe` or `portal`.
    pub method: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// When a given consent lapses and must be asked again.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// Number of the published policy version in force.
    pub policy_version: i64,
    /// Hex digest of the purpose as the register defined it (text, services,
    /// recipients): a change asks again for that purpose only.
    pub purpose_fingerprint: String,
    /// Hex SHA-256 of the text the person was shown.
    pub text_sha256: String,
    /// Banner configuration version, for banner choices.
    pub banner_version: Option<String>,
    /// IPv4 /24 or IPv6 /48 prefix: enough to prove a context, not to identify.
    pub ip_prefix: Option<String>,
    /// Truncated to 256 characters.
    pub user_agent: Option<String>,
    /// ISO country code or subdivision the rules were applied for, when known.
    pub jurisdiction: Option<String>,
    /// The browser sent a Global Privacy Control signal.
    pub gpc: bool,
    /// `visitor`, `subject`, `user:<id>` or `apikey:<id>`.
    pub recorded_by: String,
}

/// A visitor signed in as a subject: the visitor's choices count for the subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorLink {
    pub visitor_id: String,
    pub subject_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub linked_at: OffsetDateTime,
}

/// The longest visitor id, purpose, service, state or method a store accepts.
pub const MAX_CONSENT_ID_LEN: usize = 128;
/// User agents are cut to this many characters before they are stored.
pub const MAX_USER_AGENT_LEN: usize = 256;

/// The states a record may carry.
pub const CONSENT_STATES: [&str; 4] = ["given", "refused", "withdrawn", "expired"];

/// Checks what every backend must refuse before writing a record.
pub fn validate_record(r: &ConsentRecord) -> Result<(), crate::StoreError> {
    let invalid = |reason| Err(crate::StoreError::Invalid { reason });
    if r.subject_id.is_some() == r.visitor_id.is_some() {
        return invalid("a consent record names neither or both a subject and a visitor");
    }
    if !CONSENT_STATES.contains(&r.state.as_str()) {
        return invalid("a consent record's state is not given, refused, withdrawn or expired");
    }
    let short = [
        Some(r.id.as_str()),
        r.subject_id.as_deref(),
        r.visitor_id.as_deref(),
        Some(r.purpose.as_str()),
        r.service.as_deref(),
        Some(r.method.as_str()),
        r.banner_version.as_deref(),
        r.ip_prefix.as_deref(),
        r.jurisdiction.as_deref(),
    ];
    if short
        .iter()
        .flatten()
        .any(|s| s.is_empty() || s.len() > MAX_CONSENT_ID_LEN)
    {
        return invalid(
            "a consent record's id, purpose, service, method or context is empty or too long",
        );
    }
    if r.user_agent
        .as_ref()
        .is_some_and(|u| u.chars().count() > MAX_USER_AGENT_LEN)
    {
        return invalid("a consent record's user agent is longer than 256 characters");
    }
    let all = short
        .into_iter()
        .flatten()
        .chain([
            r.state.as_str(),
            &r.purpose_fingerprint,
            &r.text_sha256,
            &r.recorded_by,
        ])
        .chain(r.user_agent.as_deref());
    if all.into_iter().any(|s| s.contains('\0')) {
        return invalid("a string of a write contains a NUL character");
    }
    Ok(())
}

pub fn validate_link(l: &VisitorLink) -> Result<(), crate::StoreError> {
    let ok = |s: &str| !s.is_empty() && s.len() <= MAX_CONSENT_ID_LEN && !s.contains('\0');
    if ok(&l.visitor_id) && ok(&l.subject_id) {
        Ok(())
    } else {
        Err(crate::StoreError::Invalid {
            reason: "a visitor link's visitor or subject id is empty, too long or holds NUL",
        })
    }
}
