//! Consent records, current choices and decisions.

use super::closed;
use crate::ApiError;
use custodia_core::consent::{Choice, ConsentRecord as Stored, Reason};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A choice a person makes about a purpose (request bodies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "given")]
pub enum ChoiceState {
    Given,
    Refused,
    Withdrawn,
}

/// The state of a recorded choice: a given consent also lapses (`expired`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "given")]
pub enum RecordedState {
    Given,
    Refused,
    Withdrawn,
    Expired,
}

impl From<custodia_core::consent::ChoiceState> for RecordedState {
    fn from(s: custodia_core::consent::ChoiceState) -> RecordedState {
        use custodia_core::consent::ChoiceState as Core;
        match s {
            Core::Given => RecordedState::Given,
            Core::Refused => RecordedState::Refused,
            Core::Withdrawn => RecordedState::Withdrawn,
            Core::Expired => RecordedState::Expired,
        }
    }
}

/// How a choice was collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "form")]
pub enum ConsentMethod {
    Banner,
    Form,
    Api,
    Unsubscribe,
    Portal,
}

/// One recorded choice, with its proof.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentRecord {
    id: String,
    /// Exactly one of `subject_id` and `visitor_id` is set.
    subject_id: Option<String>,
    visitor_id: Option<String>,
    purpose: String,
    /// A service of the purpose, when the choice is about that service alone.
    service: Option<String>,
    state: RecordedState,
    method: ConsentMethod,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    recorded_at: OffsetDateTime,
    /// When a given consent lapses and must be asked again.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    expires_at: Option<OffsetDateTime>,
    /// The published policy version in force.
    policy_version: i64,
    /// Digest of the purpose as the register defined it: a change asks again.
    purpose_fingerprint: String,
    /// SHA-256 (hex) of the text the person was shown.
    text_sha256: String,
    banner_version: Option<String>,
    /// IPv4 /24 or IPv6 /48 prefix.
    ip_prefix: Option<String>,
    user_agent: Option<String>,
    jurisdiction: Option<String>,
    /// The browser sent a Global Privacy Control signal.
    gpc: bool,
    /// `visitor`, `subject`, `user:<id>` or `apikey:<id>`.
    recorded_by: String,
}

impl TryFrom<Stored> for ConsentRecord {
    type Error = ApiError;

    fn try_from(r: Stored) -> Result<ConsentRecord, ApiError> {
        Ok(ConsentRecord {
            state: closed("state", &r.state)?,
            method: closed("method", &r.method)?,
            id: r.id,
            subject_id: r.subject_id,
            visitor_id: r.visitor_id,
            purpose: r.purpose,
            service: r.service,
            recorded_at: r.recorded_at,
            expires_at: r.expires_at,
            policy_version: r.policy_version,
            purpose_fingerprint: r.purpose_fingerprint,
            text_sha256: r.text_sha256,
            banner_version: r.banner_version,
            ip_prefix: r.ip_prefix,
            user_agent: r.user_agent,
            jurisdiction: r.jurisdiction,
            gpc: r.gpc,
            recorded_by: r.recorded_by,
        })
    }
}

/// The latest choice about one purpose (or one of its services).
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentChoice {
    purpose: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    service: Option<String>,
    state: RecordedState,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    expires_at: Option<OffsetDateTime>,
    /// The purpose's fingerprint the choice was made under.
    fingerprint: String,
}

impl From<Choice> for CurrentChoice {
    fn from(c: Choice) -> CurrentChoice {
        CurrentChoice {
            purpose: c.purpose,
            service: c.service,
            state: c.state.into(),
            at: c.at,
            expires_at: c.expires_at,
            fingerprint: c.fingerprint,
        }
    }
}

/// Why a decision came out as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "consent_given")]
pub enum DecisionReason {
    UnknownSubject,
    Erased,
    NotForThisKindOfSubject,
    NoLegalBasis,
    ConsentGiven,
    NoConsent,
    ConsentRefused,
    ConsentWithdrawn,
    ConsentExpired,
    PurposeChanged,
    ChildWithoutParentalConsent,
    Objected,
    LegalBasis,
    Restricted,
    OnOppositionList,
    RetentionEnded,
}

impl From<Reason> for DecisionReason {
    fn from(r: Reason) -> DecisionReason {
        use DecisionReason as W;
        match r {
            Reason::UnknownSubject => W::UnknownSubject,
            Reason::Erased => W::Erased,
            Reason::NotForThisKindOfSubject => W::NotForThisKindOfSubject,
            Reason::NoLegalBasis => W::NoLegalBasis,
            Reason::ConsentGiven => W::ConsentGiven,
            Reason::NoConsent => W::NoConsent,
            Reason::ConsentRefused => W::ConsentRefused,
            Reason::ConsentWithdrawn => W::ConsentWithdrawn,
            Reason::ConsentExpired => W::ConsentExpired,
            Reason::PurposeChanged => W::PurposeChanged,
            Reason::ChildWithoutParentalConsent => W::ChildWithoutParentalConsent,
            Reason::Objected => W::Objected,
            Reason::LegalBasis => W::LegalBasis,
            Reason::Restricted => W::Restricted,
            Reason::OnOppositionList => W::OnOppositionList,
            Reason::RetentionEnded => W::RetentionEnded,
        }
    }
}
